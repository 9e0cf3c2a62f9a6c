package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/store"
)

// testClock is a clock tests move by hand: no sleeps.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// v1World is a world served by an API on a movable clock, with a key that
// may write (wkey) beside the read-only one (key).
type v1World struct {
	*world
	clk  *testClock
	wkey string
}

func newV1World(t *testing.T, st *store.Store, configure func(*api.API)) *v1World {
	t.Helper()
	w := newWorld(t, st)
	clk := &testClock{t: t0}
	a := api.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), clk.Now)
	if configure != nil {
		configure(a)
	}
	mux := http.NewServeMux()
	a.Mount(mux)
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	nk, err := api.NewKeys(st, clock).Create(w.ctx, w.owner, "writer", api.ScopeRead, api.ScopeWrite)
	must(t, err)
	return &v1World{world: w, clk: clk, wkey: nk.Plaintext}
}

// answer is one HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d is not the JSON expected: %v\n%s", a.status, err, a.body)
	}
}

func (a answer) errorCode() string {
	var e errorBody
	json.Unmarshal(a.body, &e)
	return e.Error.Code
}

// do sends a request (body marshalled to JSON unless nil or a string) with
// the key and extra header pairs; the answer is checked against the contract.
func (w *v1World) do(key, method, path string, body any, header ...string) answer {
	w.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		must(w.t, err)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, w.srv.URL+path, rd)
	must(w.t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client(w.t).Do(req)
	must(w.t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	must(w.t, err)
	return answer{res.StatusCode, res.Header, data}
}

// peopleWith counts the organization's people with the email, from the store.
func (w *v1World) peopleWith(email string) int {
	all, err := w.st.People(w.ctx, w.org.ID)
	must(w.t, err)
	n := 0
	for _, p := range all {
		if p.Email == email {
			n++
		}
	}
	return n
}

// audited counts the organization's audit entries of an action whose detail
// mentions about.
func (w *v1World) audited(action, about string) int {
	log, err := w.st.AuditLog(w.ctx, w.org.ID, 1000)
	must(w.t, err)
	n := 0
	for _, e := range log {
		if e.Action == action && strings.Contains(e.Detail, about) {
			n++
		}
	}
	return n
}
