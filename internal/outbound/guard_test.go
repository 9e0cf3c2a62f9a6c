package outbound_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/zoombridge/zoombridge/internal/outbound"
)

// dials records the connections a guard let through.
type dials struct {
	mu  sync.Mutex
	got []string
}

func (d *dials) record(_, address string) { d.mu.Lock(); d.got = append(d.got, address); d.mu.Unlock() }
func (d *dials) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.got...)
}

// TestGuardRefusesInternalAddresses: loopback, private, metadata,
// unspecified and a name that resolves to loopback are refused when an
// endpoint is saved and when a request is made, before any connection.
func TestGuardRefusesInternalAddresses(t *testing.T) {
	ctx := context.Background()
	// A live loopback listener: were the guard to let a request through, it would connect here.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	rec := &dials{}
	g := &outbound.Guard{Dialing: rec.record}
	client := g.Client()
	for _, u := range []string{
		"http://10.0.0.1/hook",
		"http://169.254.169.254/latest/meta-data/",
		"http://[::1]:" + port + "/hook",
		"http://0.0.0.0:" + port + "/hook",
		"http://localhost:" + port + "/hook", // a name resolving to 127.0.0.1
		"http://127.0.0.1:" + port + "/hook",
		"http://[::ffff:127.0.0.1]:" + port + "/hook",
		"http://192.168.1.1/hook",
		"http://[fd00::1]/hook",
		"http://[64:ff9b::a9fe:a9fe]/latest", // 169.254.169.254 through NAT64
	} {
		var ae *outbound.AddressError
		if _, err := g.CheckURL(ctx, u); !errors.As(err, &ae) {
			t.Errorf("saving %s: %v, want the address refused", u, err)
		}
		resp, err := client.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s went through (status %d)", u, resp.StatusCode)
		} else if !errors.As(err, &ae) {
			t.Errorf("GET %s: %v, want the address refused", u, err)
		}
	}
	if got := rec.list(); len(got) != 0 {
		t.Fatalf("the guard let connections through: %v", got)
	}

	// Listed networks are allowed: the same loopback request connects, once.
	g.Allow = loopback
	if _, err := g.CheckURL(ctx, srv.URL); err != nil {
		t.Fatalf("allowed %s: %v", srv.URL, err)
	}
	resp, err := g.Client().Get(srv.URL)
	if err != nil {
		t.Fatalf("allowed request: %v", err)
	}
	resp.Body.Close()
	if got := rec.list(); len(got) != 1 || got[0] != srv.Listener.Addr().String() {
		t.Fatalf("dials %v, want one to %s", got, srv.Listener.Addr())
	}
}

// TestGuardRefusesBadURLs: what is not an http(s) URL to a host is refused
// with its own error.
func TestGuardRefusesBadURLs(t *testing.T) {
	g := &outbound.Guard{Allow: loopback}
	for u, want := range map[string]error{
		"ftp://127.0.0.1/x":             outbound.ErrURLScheme,
		"not a url":                     outbound.ErrURLScheme,
		"http://user:pw@127.0.0.1/hook": outbound.ErrURLUserinfo,
		"http:///path":                  outbound.ErrURLHost,
	} {
		if _, err := g.CheckURL(context.Background(), u); !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", u, err, want)
		}
	}
}
