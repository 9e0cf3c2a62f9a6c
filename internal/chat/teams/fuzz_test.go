package teams

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// fuzzNow is the verifiers' clock here: tokens are built relative to it, so
// the expiry and not-before edges are exact.
var fuzzNow = time.Unix(1_800_000_000, 0)

// Token shapes: which claims a fuzzed token leaves out, which key signs it.
const (
	dropExp uint8 = 1 << iota
	dropNbf
	dropIss
	dropAud
	dropServiceURL
	kidBits // two bits: the signing key, A, B, C or A
	_
	rs512
)

// FuzzVerify drives the production Verifier with tokens signed by the
// published keys with fuzzed claims (accepted exactly when issuer, audience,
// serviceurl, expiry, not-before and the key's endorsement are right), the
// same tokens with one bit flipped (never accepted unless the flip decodes to
// the same token), and arbitrary Authorization headers (never accepted).
func FuzzVerify(f *testing.F) {
	ks := newKeyServer(f, []servedKey{{"A", []string{"msteams"}}, {"B", []string{"webchat"}}}, "C")
	v := NewVerifier(VerifierConfig{AppID: testAppID, MetadataURL: ks.metadataURL(), Now: func() time.Time { return fuzzNow }})
	const kidB, kidC = 1 * kidBits, 2 * kidBits
	good := func(shape uint8, exp, nbf int64, channel string) {
		f.Add(shape, BotFrameworkIssuer, testAppID, testServiceURL, exp, nbf, channel, uint32(1<<31), "")
	}
	good(0, 3600, -60, "msteams")
	good(rs512|dropNbf, 3600, 0, "msteams")
	good(0, -120, -60, "msteams") // expired, within the skew
	good(0, -299, -60, "msteams")
	good(0, -300, -60, "msteams") // the skew's edge
	good(0, -360, -60, "msteams")
	good(0, 3600, 300, "msteams")
	good(0, 3600, 301, "msteams")
	good(dropExp, 0, -60, "msteams")
	good(kidB, 3600, -60, "webchat")
	good(kidB, 3600, -60, "msteams")
	good(0, 3600, -60, "webchat")
	good(kidC, 3600, -60, "msteams")
	good(dropIss, 3600, -60, "msteams")
	good(dropAud, 3600, -60, "msteams")
	good(dropServiceURL, 3600, -60, "msteams")
	good(0, 3600, -60, "")
	good(0, 3600, -60, "msteams")
	f.Add(uint8(0), "https://sts.windows.net/evil/", testAppID, testServiceURL, int64(3600), int64(-60), "msteams", uint32(0), "")
	f.Add(uint8(0), BotFrameworkIssuer, "another-bot", testServiceURL, int64(3600), int64(-60), "msteams", uint32(9), "")
	f.Add(uint8(0), BotFrameworkIssuer, testAppID, "https://evil.example/", int64(3600), int64(-60), "msteams", uint32(300), "")
	f.Add(uint8(0), BotFrameworkIssuer, testAppID, testServiceURL, int64(3600), int64(-60), "msteams", uint32(2000), "")
	claims := jwt.MapClaims{"iss": BotFrameworkIssuer, "aud": testAppID, "serviceurl": testServiceURL, "exp": fuzzNow.Add(time.Hour).Unix()}
	for _, auth := range []string{"", "Bearer ", "Bearer not.a.jwt", "Basic dXNlcjpwdw==", "bearer x.y.z", "Bearer a b",
		"Bearer " + noneToken(f, claims), "Bearer " + hsWithPublicKey(f, ks, claims), "Bearer " + noKid(f, ks, claims),
		"Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IkEifQ.e30.", "Bearer ..", "Bearer " + strings.Repeat("A", 4096)} {
		f.Add(uint8(0), "", "", "", int64(0), int64(0), "msteams", uint32(1<<31), auth)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, shape uint8, iss, aud, serviceURL string, exp, nbf int64, channel string, flip uint32, auth string) {
		exp, nbf = exp%10_000_000_000, nbf%10_000_000_000 // seconds from now; beyond float64's exact integers the JSON would round
		c := jwt.MapClaims{"iss": iss, "aud": aud, "serviceurl": serviceURL, "exp": fuzzNow.Unix() + exp, "nbf": fuzzNow.Unix() + nbf}
		for bit, claim := range map[uint8]string{dropExp: "exp", dropNbf: "nbf", dropIss: "iss", dropAud: "aud", dropServiceURL: "serviceurl"} {
			if shape&bit != 0 {
				delete(c, claim)
			}
		}
		kid := []string{"A", "B", "C", "A"}[shape/kidBits%4]
		method := jwt.SigningMethod(jwt.SigningMethodRS256)
		if shape&rs512 != 0 {
			method = jwt.SigningMethodRS512
		}
		want := shape&(dropExp|dropIss|dropAud|dropServiceURL) == 0 &&
			iss == BotFrameworkIssuer && aud == testAppID && serviceURL == testServiceURL &&
			exp > -int64(clockSkew/time.Second) && (shape&dropNbf != 0 || nbf <= int64(clockSkew/time.Second)) &&
			(kid == "A" && channel == "msteams" || kid == "B" && channel == "webchat")
		tok := ks.sign(t, method, kid, c)
		err := v.Verify(ctx, "Bearer "+tok, channel, testServiceURL)
		if (err == nil) != want {
			t.Fatalf("claims %v by %s for channel %q: accepted=%v, want %v (%v)", c, kid, channel, err == nil, want, err)
		}
		if err != nil && !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("a refusal that is not ErrUnauthorized: %v", err)
		}
		if bit := int(flip); bit < len(tok)*8 {
			b := []byte(tok)
			b[bit/8] ^= 1 << (bit % 8)
			if v.Verify(ctx, "Bearer "+string(b), channel, testServiceURL) == nil && (!want || !sameToken(tok, string(b))) {
				t.Fatalf("accepted %q, %s with bit %d flipped (want=%v)", b, tok, bit, want)
			}
		}
		if v.Verify(ctx, auth, channel, testServiceURL) == nil {
			t.Fatalf("accepted a header no test key signed: %q", auth)
		}
	})
}

// sameToken reports whether two compact JWTs decode to the same header,
// payload and signature (base64url ignores a last character's spare bits).
func sameToken(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	if len(as) != 3 || len(bs) != 3 {
		return false
	}
	for i := range as {
		x, err1 := base64.RawURLEncoding.DecodeString(as[i])
		y, err2 := base64.RawURLEncoding.DecodeString(bs[i])
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			return false
		}
	}
	return true
}

// fuzzTenant is the bot's own tenant in FuzzActivity; it is linked to no
// organization, so a message that gets through ends in one "not set up" reply.
const fuzzTenant = "0b6f1a2c-tenant-of-this-bot"

// FuzzActivity posts arbitrary bodies to the production messaging endpoint,
// without a token or with a valid one for the body's own serviceUrl.
// Properties: what is not an activity is 400; an activity without a token is
// 401; a token is honoured only for msteams; the connector is called only
// for a message to the bot (personal or @mentioning it) from the bot's
// tenant, once, at the activity's serviceUrl.
func FuzzActivity(f *testing.F) {
	ks := newKeyServer(f, []servedKey{{"A", []string{"msteams"}}})
	calls := &connectorCalls{}
	bot := New(Config{Store: testdb.Open(f, store.SQLite), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AppID: testAppID,
		TenantID:  fuzzTenant,
		Verifier:  NewVerifier(VerifierConfig{AppID: testAppID, MetadataURL: ks.metadataURL(), Now: func() time.Time { return fuzzNow }}),
		Connector: NewConnector(ConnectorConfig{AppID: testAppID, Client: &http.Client{Transport: calls}})}) // no Core: nothing may reach it
	message := func(conv map[string]any, extra map[string]any) []byte {
		m := map[string]any{"type": "message", "id": "1", "channelId": "msteams", "serviceUrl": testServiceURL, "text": "<at>Zoom</at> schedule Retro at 15:30",
			"from": map[string]any{"id": "29:user", "name": "Ada", "aadObjectId": "a1"}, "recipient": map[string]any{"id": "28:" + testAppID, "name": "Zoom"},
			"conversation": conv, "channelData": map[string]any{"tenant": map[string]any{"id": fuzzTenant}}}
		for k, v := range extra {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return b
	}
	personal := map[string]any{"id": "a:1", "conversationType": "personal", "tenantId": fuzzTenant}
	channel := map[string]any{"id": "19:c@thread.tacv2", "conversationType": "channel", "isGroup": true, "tenantId": fuzzTenant}
	mention := []map[string]any{{"type": "mention", "text": "<at>Zoom</at>", "mentioned": map[string]any{"id": "28:" + testAppID}}}
	toBot := message(personal, nil) // signed, it gets the one "not set up" reply
	for _, body := range [][]byte{
		toBot,
		message(channel, nil),
		message(channel, map[string]any{"entities": mention}),
		message(personal, map[string]any{"channelData": map[string]any{"tenant": map[string]any{"id": "other-tenant"}}}),
		message(personal, map[string]any{"channelData": "not an object"}),
		message(map[string]any{"id": "x/../../y?z#", "isGroup": false, "tenantId": fuzzTenant}, map[string]any{"serviceUrl": "https://smba.example/a//"}),
		message(personal, map[string]any{"channelId": "webchat"}),
		message(personal, map[string]any{"serviceUrl": ""}),
		message(personal, map[string]any{"from": nil}),
		[]byte(`{"type":"conversationUpdate","channelId":"msteams","serviceUrl":"` + testServiceURL + `","membersAdded":[{"id":"28:x"}]}`),
		[]byte(`{"type":"message","Type":"","channelId":"msteams","serviceUrl":"x","serviceurl":"y"}`),
		[]byte(`{}`), []byte(`null`), []byte(`[]`), []byte(`{"type":1}`), []byte(""), []byte("not json"),
	} {
		f.Add(body, true)
		f.Add(body, false)
	}
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		calls.urls = nil
		var a Activity
		isActivity := json.Unmarshal(body, &a) == nil && a.Type != ""
		req := httptest.NewRequest(http.MethodPost, "/chat/teams/messages", bytes.NewReader(body))
		if signed && isActivity {
			req.Header.Set("Authorization", "Bearer "+ks.sign(t, jwt.SigningMethodRS256, "A", jwt.MapClaims{
				"iss": BotFrameworkIssuer, "aud": testAppID, "serviceurl": a.ServiceURL, "exp": fuzzNow.Add(time.Hour).Unix()}))
		}
		w := httptest.NewRecorder()
		bot.ServeHTTP(w, req)
		want := http.StatusOK
		switch {
		case len(body) > maxActivityBytes:
			want = http.StatusRequestEntityTooLarge
		case !isActivity:
			want = http.StatusBadRequest
		case !signed || a.ChannelID != "msteams" || a.ServiceURL == "":
			want = http.StatusUnauthorized
		}
		if w.Code != want {
			t.Fatalf("%d, want %d for %q (signed %v)", w.Code, want, body, signed)
		}
		if signed && bytes.Equal(body, toBot) && len(calls.urls) != 1 {
			t.Fatalf("a personal message from the bot's tenant: %d connector calls, want 1", len(calls.urls))
		}
		if len(calls.urls) == 0 {
			return
		}
		if want != http.StatusOK || a.Type != "message" || !addressedToBot(a) || !fromTenant(a, fuzzTenant) || len(calls.urls) > 1 {
			t.Fatalf("the connector was called (%v) for %q", calls.urls, body)
		}
		if prefix := strings.TrimRight(a.ServiceURL, "/") + "/v3/conversations/"; !strings.HasPrefix(calls.urls[0], prefix) {
			t.Fatalf("the reply went to %s, not under the activity's serviceUrl %s", calls.urls[0], a.ServiceURL)
		}
	})
}

// connectorCalls stands in for the network under the production Connector:
// it records each request's URL and fails it.
type connectorCalls struct{ urls []string }

func (c *connectorCalls) RoundTrip(r *http.Request) (*http.Response, error) {
	c.urls = append(c.urls, r.URL.String())
	return nil, errors.New("no connector while fuzzing")
}

// addressedToBot: a personal chat, or a message that @mentions its recipient.
func addressedToBot(a Activity) bool {
	if a.Conversation != nil && (a.Conversation.ConversationType == "personal" || a.Conversation.ConversationType == "" && !a.Conversation.IsGroup) {
		return true
	}
	return a.Recipient != nil && slices.ContainsFunc(a.Entities, func(e Entity) bool {
		return e.Type == "mention" && e.Mentioned != nil && e.Mentioned.ID == a.Recipient.ID
	})
}

// fromTenant: the activity names tenant in its channel data or its conversation.
func fromTenant(a Activity, tenant string) bool {
	var cd struct {
		Tenant struct{ ID string } `json:"tenant"`
	}
	json.Unmarshal(a.ChannelData, &cd)
	return cd.Tenant.ID == tenant || a.Conversation != nil && a.Conversation.TenantID == tenant
}
