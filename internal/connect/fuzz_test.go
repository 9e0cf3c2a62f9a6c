package connect_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/vault"
)

// FuzzCallback sends Zoom's OAuth redirect arbitrary query strings (R12):
// without a state this server issued, nothing is connected, the answer is a
// 400 that explains (never a 500 or a redirect), and nothing of the request
// is echoed into the page. Seeds follow Zoom's documented redirects.
func FuzzCallback(f *testing.F) {
	for _, q := range []string{
		"code=obBEe8ewaL_KdyNjniT4KPd8ffDWt9fGB&state=2zVJ6i4ZWkq6sL8v8wTQ6g",
		"error=access_denied&error_description=The+user+has+denied+your+app&state=x",
		"error=invalid_request&error_description=This+app+requires+admin+approval",
		"code=&state=", "state=a&state=b&code=c", "code=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=%00",
		"error=%3Cb%3E&error_description=%3Cscript%3E",
	} {
		f.Add(q)
	}
	st := testdb.Open(f, store.SQLite)
	v, err := vault.New(testKey)
	if err != nil {
		f.Fatal(err)
	}
	svc, err := connect.New(connect.Config{Store: st, Vault: v, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OAuthURL: "http://127.0.0.1:1", APIURL: "http://127.0.0.1:1/v2", ClientID: "client", ClientSecret: "secret",
		RedirectURL: "http://127.0.0.1:1" + connect.CallbackPath})
	if err != nil {
		f.Fatal(err)
	}
	signedIn := func(*http.Request) connect.Browser { return connect.Browser{Session: "fuzz-session", OrgID: 1} }
	h := svc.CallbackHandler(func(store.Connection) string { return "/connected" }, signedIn, nil)
	f.Fuzz(func(t *testing.T, raw string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.URL.RawQuery = raw
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("answered %d to %q; a redirect without a state of ours is a 400", rec.Code, raw)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatal("callback page may be cached")
		}
		body := rec.Body.String()
		for _, v := range req.URL.Query() {
			for _, s := range v {
				if len(s) > 6 && strings.ContainsAny(s, "<>\"'&") && strings.Contains(body, s) {
					t.Fatalf("request text %q echoed into the page", s)
				}
			}
		}
		cs, err := st.AllConnections(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) > 0 {
			t.Fatalf("a forged redirect connected %v", cs)
		}
	})
}
