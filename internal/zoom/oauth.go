package zoom

// Zoom's OAuth endpoints: /oauth/authorize, /oauth/token (authorization_code,
// refresh_token, account_credentials) and /oauth/revoke.
//
// Written on net/http rather than golang.org/x/oauth2: zoombridge needs
// every token request to be one explicit call whose result the caller saves
// under its own row lock (Zoom rotates refresh tokens, so a token source that
// refreshes by itself behind our back would lose connections), Zoom's
// account_credentials grant and /oauth/revoke are outside that package, and
// Zoom's error bodies ({"reason": ..., "error": ...}) need their own decoding
// into OAuthError. What remains of oauth2's value (a form POST with Basic auth)
// is a few lines here.

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// OAuthApp is one Zoom app's client credentials at one OAuth host: the
// deployment's OAuth app, or an organization's Server-to-Server app.
type OAuthApp struct {
	BaseURL      string // https://zoom.us, or the emulator's URL()
	ClientID     string
	ClientSecret string
	RedirectURL  string       // for the authorization-code flow
	HTTP         *http.Client // nil: NewHTTPClient()
}

// Token is what Zoom's token endpoint answers. RefreshToken is empty for
// Server-to-Server tokens.
type Token struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"` // seconds
	Scope        string `json:"scope"`      // space-separated
	APIURL       string `json:"api_url"`
}

// Expiry is when the access token stops working, counted from now (the
// moment the answer arrived, by the caller's clock).
func (t Token) Expiry(now time.Time) time.Time {
	return now.Add(time.Duration(t.ExpiresIn) * time.Second)
}

// Scopes splits the granted scopes.
func (t Token) Scopes() []string { return strings.Fields(t.Scope) }

// String never shows the tokens, so a Token that reaches a log line by
// mistake leaks nothing.
func (t Token) String() string {
	return fmt.Sprintf("zoom.Token{expires_in:%d scope:%q refresh:%t}", t.ExpiresIn, t.Scope, t.RefreshToken != "")
}

// GoString hides the tokens from %#v too.
func (t Token) GoString() string { return t.String() }

// NewPKCEVerifier returns a fresh RFC 7636 code verifier (43 characters of
// base64url over 32 random bytes).
func NewPKCEVerifier() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// PKCEChallenge is the S256 challenge of a verifier.
func PKCEChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// AuthCodeURL is the consent page to send a browser to. Scopes are not put
// in the URL: Zoom takes them from the app's configuration and has rejected
// URL scopes as "Invalid scopes".
func (a *OAuthApp) AuthCodeURL(state, pkceChallenge string) string {
	v := url.Values{
		"response_type": {"code"},
		"client_id":     {a.ClientID},
		"redirect_uri":  {a.RedirectURL},
		"state":         {state},
	}
	if pkceChallenge != "" {
		v.Set("code_challenge", pkceChallenge)
		v.Set("code_challenge_method", "S256")
	}
	return a.base() + "/oauth/authorize?" + v.Encode()
}

// Exchange trades an authorization code (and its PKCE verifier) for tokens.
func (a *OAuthApp) Exchange(ctx context.Context, code, verifier string) (Token, error) {
	v := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {a.RedirectURL}}
	if verifier != "" {
		v.Set("code_verifier", verifier)
	}
	return a.token(ctx, v)
}

// Refresh trades a refresh token for new tokens. Zoom rotates the refresh
// token: the answer's RefreshToken replaces the old one, which dies now.
func (a *OAuthApp) Refresh(ctx context.Context, refreshToken string) (Token, error) {
	return a.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}})
}

// AccountCredentials gets a Server-to-Server token for a Zoom account.
func (a *OAuthApp) AccountCredentials(ctx context.Context, accountID string) (Token, error) {
	return a.token(ctx, url.Values{"grant_type": {"account_credentials"}, "account_id": {accountID}})
}

// Revoke ends the grant behind an access or refresh token. Zoom then sends
// app_deauthorized for OAuth installations.
func (a *OAuthApp) Revoke(ctx context.Context, token string) error {
	_, err := a.post(ctx, "/oauth/revoke", url.Values{"token": {token}})
	return err
}

func (a *OAuthApp) token(ctx context.Context, form url.Values) (Token, error) {
	data, err := a.post(ctx, "/oauth/token", form)
	if err != nil {
		return Token{}, err
	}
	var t Token
	if err := json.Unmarshal(data, &t); err != nil {
		return Token{}, fmt.Errorf("zoom oauth: decoding token answer: %w", err)
	}
	if t.AccessToken == "" {
		return Token{}, errors.New("zoom oauth: token answer without access_token")
	}
	return t, nil
}

// post sends form as an x-www-form-urlencoded body with HTTP Basic client
// authentication, as Zoom documents and Zoom's own SDK does.
func (a *OAuthApp) post(ctx context.Context, path string, form url.Values) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base()+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(a.ClientID, a.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "zoombridge")
	hc := a.HTTP
	if hc == nil {
		hc = NewHTTPClient()
	}
	resp, err := hc.Do(req)
	if err != nil {
		// The URL holds no secret (they travel in the header and body), so the
		// wrapped *url.Error is safe to log.
		return nil, fmt.Errorf("zoom oauth %s: %w", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("zoom oauth %s: reading answer: %w", path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, decodeOAuthError(resp.StatusCode, data)
	}
	return data, nil
}

// decodeOAuthError reads Zoom's {"reason","error"} bodies, and the RFC 6749
// {"error","error_description"} shape, into an OAuthError. A body that is
// neither keeps its status and a short excerpt, so a proxy's HTML error page
// still reads as transient rather than as a dead grant.
func decodeOAuthError(status int, data []byte) *OAuthError {
	e := &OAuthError{}
	if json.Unmarshal(data, e) != nil || (e.Kind == "" && e.Reason == "") {
		e = &OAuthError{Reason: excerpt(data)}
	}
	e.Status = status
	if e.Reason == "" {
		e.Reason = e.Description
	}
	return e
}

func excerpt(data []byte) string {
	s := strings.TrimSpace(string(data))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func (a *OAuthApp) base() string { return strings.TrimRight(a.BaseURL, "/") }

// IsInvalidGrant reports whether Zoom refused a grant for good: the refresh
// token was rotated away, revoked, or its app removed. Only a person
// reconnecting fixes it; retrying never does.
func IsInvalidGrant(err error) bool {
	var e *OAuthError
	return errors.As(err, &e) && e.Kind == "invalid_grant"
}

// IsTransient reports whether an OAuth failure may succeed if tried again:
// network errors, timeouts, 429 and 5xx answers. Every other OAuthError
// (invalid_grant, invalid_client, invalid_request ...) is final.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var e *OAuthError
	if errors.As(err, &e) {
		return e.Status == http.StatusTooManyRequests || e.Status >= 500
	}
	return true
}
