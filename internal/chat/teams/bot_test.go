package teams

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The endpoint refuses every request whose token does not check out with
// 401, before anything runs: no connector call, no store, no command.
func TestEndpointRefusesBadTokensBeforeAnythingRuns(t *testing.T) {
	ks := newKeyServer(t, []servedKey{{"A", []string{"msteams"}}}, "C")
	var connectorCalls atomic.Int32
	connector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { connectorCalls.Add(1) }))
	defer connector.Close()
	bot := New(Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AppID: testAppID,
		Verifier:  NewVerifier(VerifierConfig{AppID: testAppID, MetadataURL: ks.metadataURL()}),
		Connector: NewConnector(ConnectorConfig{AppID: testAppID})}) // no Store, no Core: touching them would panic
	endpoint := httptest.NewServer(bot)
	defer endpoint.Close()

	now := time.Now()
	claims := jwt.MapClaims{"iss": BotFrameworkIssuer, "aud": testAppID, "serviceurl": connector.URL, "exp": now.Add(time.Hour).Unix()}
	good := ks.sign(t, jwt.SigningMethodRS256, "A", claims)
	message := func(serviceURL string) []byte {
		b, _ := json.Marshal(map[string]any{"type": "message", "channelId": "msteams", "serviceUrl": serviceURL, "text": "schedule",
			"from": map[string]string{"id": "29:x"}, "conversation": map[string]string{"id": "c", "conversationType": "personal"}})
		return b
	}
	post := func(auth string, body []byte) int {
		req, _ := http.NewRequest(http.MethodPost, endpoint.URL, bytes.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, c := range map[string]struct {
		auth string
		body []byte
	}{
		"no token":                      {"", message(connector.URL)},
		"not bearer":                    {"Basic " + good, message(connector.URL)},
		"unknown key":                   {"Bearer " + ks.sign(t, jwt.SigningMethodRS256, "C", claims), message(connector.URL)},
		"activity's serviceUrl changed": {"Bearer " + good, message("https://evil.example/")},
	} {
		if got := post(c.auth, c.body); got != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, got)
		}
	}
	if n := connectorCalls.Load(); n != 0 {
		t.Fatalf("refused requests reached the connector %d times", n)
	}
	update, _ := json.Marshal(map[string]any{"type": "conversationUpdate", "channelId": "msteams", "serviceUrl": connector.URL})
	if got := post("Bearer "+good, update); got != http.StatusOK {
		t.Fatalf("a good token: %d, want 200", got)
	}
}
