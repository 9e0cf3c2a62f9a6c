package teams

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Replies carry the bot's client-credentials token, fetched from the
// tenant's token endpoint once and reused until near its expiry; members
// are read page by page through pagedmembers.
func TestConnectorTokenAndPagedMembers(t *testing.T) {
	var tokens atomic.Int32
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.URL.Path != "/tenant-1/oauth2/v2.0/token" || r.Form.Get("grant_type") != "client_credentials" ||
			r.Form.Get("client_id") != "app" || r.Form.Get("client_secret") != "pw" || r.Form.Get("scope") != "https://api.botframework.com/.default" {
			http.Error(w, "bad token request "+r.URL.Path, http.StatusBadRequest)
			return
		}
		n := tokens.Add(1)
		json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + string(rune('0'+n)), "expires_in": 3600})
	}))
	defer idp.Close()
	var auths []string
	connector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		switch {
		case r.URL.Path == "/v3/conversations/c1/pagedmembers" && r.URL.Query().Get("continuationToken") == "":
			json.NewEncoder(w).Encode(map[string]any{"continuationToken": "p2", "members": []Account{{ID: "29:a", Email: "a@x.example"}}})
		case r.URL.Path == "/v3/conversations/c1/pagedmembers":
			json.NewEncoder(w).Encode(map[string]any{"members": []Account{{ID: "29:b", UserPrincipalName: "b@x.example"}}})
		default:
			json.NewEncoder(w).Encode(map[string]string{"id": "a1"})
		}
	}))
	defer connector.Close()
	now := time.Now()
	c := NewConnector(ConnectorConfig{AppID: "app", Password: "pw", TenantID: "tenant-1", TokenURL: idp.URL + "/{tenant}/oauth2/v2.0/token", Now: func() time.Time { return now }})
	ctx := context.Background()
	if _, err := c.Send(ctx, connector.URL, "c1", Activity{Type: "message"}); err != nil {
		t.Fatal(err)
	}
	ms, err := c.Members(ctx, connector.URL, "c1")
	if err != nil || len(ms) != 2 || ms[0].email() != "a@x.example" || ms[1].email() != "b@x.example" {
		t.Fatalf("members %+v, %v", ms, err)
	}
	if tokens.Load() != 1 {
		t.Fatalf("%d token requests for three calls, want 1", tokens.Load())
	}
	now = now.Add(56 * time.Minute) // within 5 minutes of expiry: a new token
	if _, err := c.Send(ctx, connector.URL, "c1", Activity{Type: "message"}); err != nil {
		t.Fatal(err)
	}
	if tokens.Load() != 2 || auths[0] != "Bearer tok-1" || auths[len(auths)-1] != "Bearer tok-2" {
		t.Fatalf("tokens %d, Authorization headers %v", tokens.Load(), auths)
	}
}
