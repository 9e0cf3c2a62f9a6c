package connect_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// flakyOAuth stands in front of the emulator's OAuth host and answers the
// next token requests with 503, as Zoom does when it is overloaded.
type flakyOAuth struct {
	*httptest.Server
	failures atomic.Int64
}

func newFlakyOAuth(t *testing.T, target string) *flakyOAuth {
	u, err := url.Parse(target)
	must(t, err)
	f := &flakyOAuth{}
	proxy := httputil.NewSingleHostReverseProxy(u)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/token" && f.failures.Add(-1) >= 0 {
			http.Error(w, "upstream connect error", http.StatusServiceUnavailable)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// TestTransientRefreshFailuresRetryWithBackoff: Zoom's token endpoint
// failing for a while never marks a connection needs_reconnect; a refresh
// retries within the call, keeps using a token that still works, and
// succeeds once Zoom answers again.
func TestTransientRefreshFailuresRetryWithBackoff(t *testing.T) {
	t.Parallel()
	sim := startSim(t, startOpts(store.SQLite))
	e := newEnv(t, testdb.Open(t, store.SQLite), sim, "flaky")
	member := e.member()
	c := e.connectUser(e.person(member), member)
	flaky := newFlakyOAuth(t, sim.URL())
	info := sim.Info()
	svc, err := connect.New(connect.Config{Store: e.st, Vault: mustVault(t), Now: sim.Now, OAuthURL: flaky.URL, APIURL: info.APIBase,
		ClientID: info.ClientID, ClientSecret: info.ClientSecret, RetryBackoff: time.Millisecond, Retries: 2})
	must(t, err)

	// Two failures, then success: the call retries and goes through.
	sim.Advance(61 * time.Minute)
	flaky.failures.Store(2)
	must(t, e.call(svc, c))
	if n := flaky.failures.Load(); n != -1 {
		t.Fatalf("token requests: %d failures left, want all used and one success", n)
	}

	// Due for refresh but still valid, Zoom down: the current token is used.
	sim.Advance(57 * time.Minute)
	flaky.failures.Store(100)
	must(t, e.call(svc, c))
	// ... and the next calls do not ask the struggling endpoint again at once.
	left := flaky.failures.Load()
	must(t, e.call(svc, c))
	if flaky.failures.Load() != left {
		t.Fatal("a call right after a failed refresh asked Zoom for a token again")
	}

	// Expired and Zoom still down: the call fails, transiently, and the
	// connection stays active.
	sim.Advance(5 * time.Minute)
	err = e.call(svc, c)
	if err == nil || errors.Is(err, zoom.ErrNeedsReconnect) || !zoom.IsTransient(err) {
		t.Fatalf("call with Zoom down = %v, want a transient error", err)
	}
	if got := e.reload(c); got.Status != store.StatusActive {
		t.Fatalf("status %q after Zoom was down", got.Status)
	}
	// Zoom is back: the next call refreshes with the refresh token it kept.
	flaky.failures.Store(0)
	must(t, e.call(svc, c))
}
