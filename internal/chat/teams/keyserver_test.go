package teams

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// keyServer is a local stand-in for login.botframework.com: an OpenID
// metadata document and a JWKS whose keys carry endorsements, as Microsoft
// publishes them (with x5c certificates).
type keyServer struct {
	srv  *httptest.Server
	keys map[string]*rsa.PrivateKey
	hits atomic.Int32 // metadata fetches
}

type servedKey struct {
	kid          string
	endorsements []string
}

func newKeyServer(t testing.TB, served []servedKey, extra ...string) *keyServer {
	t.Helper()
	ks := &keyServer{keys: map[string]*rsa.PrivateKey{}}
	var jwks []map[string]any
	for _, s := range served {
		k := mustKey(t)
		ks.keys[s.kid] = k
		jwks = append(jwks, map[string]any{
			"kty": "RSA", "use": "sig", "kid": s.kid, "x5t": s.kid,
			"n":            base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
			"e":            base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
			"x5c":          []string{selfSigned(t, k)},
			"endorsements": s.endorsements,
		})
	}
	for _, kid := range extra { // keys that sign but are not published
		ks.keys[kid] = mustKey(t)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/.well-known/openidconfiguration", func(w http.ResponseWriter, r *http.Request) {
		ks.hits.Add(1)
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": BotFrameworkIssuer, "jwks_uri": ks.srv.URL + "/v1/.well-known/keys",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /v1/.well-known/keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"keys": jwks})
	})
	ks.srv = httptest.NewServer(mux)
	t.Cleanup(ks.srv.Close)
	return ks
}

func (ks *keyServer) metadataURL() string { return ks.srv.URL + "/v1/.well-known/openidconfiguration" }

// sign makes a token signed by kid with method m.
func (ks *keyServer) sign(t testing.TB, m jwt.SigningMethod, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(ks.keys[kid])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func selfSigned(t testing.TB, k *rsa.PrivateKey) string {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "botframework test key"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}
