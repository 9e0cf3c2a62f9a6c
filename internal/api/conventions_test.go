package api_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// Must show 5: Idempotency-Key and rate limits, on both databases.
func TestConventions(t *testing.T) {
	eachStore(t, map[string]func(*testing.T, *store.Store){
		"IdempotencyKeyReplaysTheAnswerWithNoSecondEffect": idempotentReplay,
		"ConcurrentPOSTsWithOneKeyHaveOneEffect":           idempotentConcurrent,
		"RateLimitAnswers429WithRetryAfter":                rateLimited,
		"ReadKeysCannotWrite":                              readKeysCannotWrite,
		"LimitsAndKeptAnswersFollowTheWallClock":           wallClock,
	})
}

func idempotentReplay(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	body := map[string]string{"email": "erin@example.com", "name": "Erin", "team": "Ops"}
	first := w.do(w.wkey, "POST", "/api/v1/people", body, "Idempotency-Key", "create-erin")
	if first.status != 201 || first.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first POST: %d %v %s", first.status, first.header, first.body)
	}
	again := w.do(w.wkey, "POST", "/api/v1/people", body, "Idempotency-Key", "create-erin")
	if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" ||
		again.header.Get("Location") != first.header.Get("Location") || again.header.Get("ETag") != first.header.Get("ETag") {
		t.Fatalf("retry: %d %v %s, want the first answer replayed", again.status, again.header, again.body)
	}
	if n, a := w.peopleWith("erin@example.com"), w.audited("person.created", "erin@"); n != 1 || a != 1 {
		t.Fatalf("after a retry: %d people, %d audit entries; want 1 and 1", n, a)
	}
	// The same key with another request: 422, and nothing happens.
	other := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "fred@example.com"}, "Idempotency-Key", "create-erin")
	if other.status != 422 || other.errorCode() != "idempotency_key_reused" || w.peopleWith("fred@example.com") != 0 {
		t.Fatalf("same key, other body: %d %s (fred made: %d)", other.status, other.body, w.peopleWith("fred@example.com"))
	}
	// Another API key's Idempotency-Keys are its own.
	nk, err := api.NewKeys(st, clock).Create(w.ctx, w.owner, "second", api.ScopeWrite)
	must(t, err)
	if a := w.do(nk.Plaintext, "POST", "/api/v1/people", map[string]string{"email": "fred@example.com"}, "Idempotency-Key", "create-erin"); a.status != 201 {
		t.Fatalf("another key with the same Idempotency-Key: %d %s", a.status, a.body)
	}
	// Errors are not kept: a retry runs again and sees the world as it is.
	dup := map[string]string{"email": "gina@example.com"}
	must(t, w.st.InTx(w.ctx, func(tx *store.Store, _ *sql.Tx) error {
		_, err := tx.CreatePerson(w.ctx, store.Person{OrgID: w.org.ID, Email: "gina@example.com"}, t0)
		return err
	}))
	if a := w.do(w.wkey, "POST", "/api/v1/people", dup, "Idempotency-Key", "gina"); a.status != 409 || a.errorCode() != "conflict" {
		t.Fatalf("taken email: %d %s", a.status, a.body)
	}
	gina, err := w.st.PersonByEmail(w.ctx, w.org.ID, "gina@example.com")
	must(t, err)
	must(t, w.st.InTx(w.ctx, func(tx *store.Store, _ *sql.Tx) error {
		gina.Email = "gina.old@example.com"
		return tx.UpdatePerson(w.ctx, gina, t0)
	}))
	if a := w.do(w.wkey, "POST", "/api/v1/people", dup, "Idempotency-Key", "gina"); a.status != 201 {
		t.Fatalf("retry after the conflict went away: %d %s", a.status, a.body)
	}
	// Kept 24 hours: then the key is free again.
	w.clk.Add(24*time.Hour + time.Second)
	if a := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "hal@example.com"}, "Idempotency-Key", "create-erin"); a.status != 201 {
		t.Fatalf("an expired key with another body: %d %s", a.status, a.body)
	}
	for _, bad := range []string{"", strings.Repeat("k", 256), "tab\tkey"} {
		if a := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "ivy@example.com"}, "Idempotency-Key", bad); a.status != 400 || a.errorCode() != "bad_parameter" {
			t.Errorf("Idempotency-Key %q: %d %s", bad, a.status, a.body)
		}
	}
	if w.peopleWith("ivy@example.com") != 0 {
		t.Error("a refused Idempotency-Key still made a person")
	}
}

// Several clients retrying at once with one key: exactly one person is made,
// and every one of them gets the answer of that one creation.
func idempotentConcurrent(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	const n = 8
	body := map[string]string{"email": "jo@example.com", "name": "Jo"}
	answers := make([]answer, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i] = w.do(w.wkey, "POST", "/api/v1/people", body, "Idempotency-Key", "jo-once")
		}()
	}
	close(start)
	wg.Wait()
	replayed := 0
	for i, a := range answers {
		if a.status != 201 || string(a.body) != string(answers[0].body) {
			t.Errorf("request %d: %d %s; want 201 with the one creation's answer %s", i, a.status, a.body, answers[0].body)
		}
		if a.header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if replayed != n-1 {
		t.Errorf("%d answers replayed, want %d", replayed, n-1)
	}
	if p, a := w.peopleWith("jo@example.com"), w.audited("person.created", "jo@"); p != 1 || a != 1 {
		t.Fatalf("%d concurrent POSTs with one key made %d people and %d audit entries; want 1 and 1", n, p, a)
	}
}

func rateLimited(t *testing.T, st *store.Store) {
	w := newV1World(t, st, func(a *api.API) { a.WithRateLimit(3, time.Minute) })
	for i := range 3 {
		a := w.do(w.key, "GET", "/api/v1/people", nil)
		if a.status != 200 || a.header.Get("RateLimit-Limit") != "3" || a.header.Get("RateLimit-Remaining") != fmt.Sprint(2-i) ||
			a.header.Get("RateLimit-Reset") != fmt.Sprint((i+1)*20) {
			t.Fatalf("request %d: %d limit %q remaining %q reset %q", i, a.status, a.header.Get("RateLimit-Limit"),
				a.header.Get("RateLimit-Remaining"), a.header.Get("RateLimit-Reset"))
		}
	}
	refused := w.do(w.key, "GET", "/api/v1/activities", nil)
	if refused.status != http.StatusTooManyRequests || refused.errorCode() != "rate_limited" || refused.header.Get("Retry-After") != "20" ||
		refused.header.Get("RateLimit-Remaining") != "0" {
		t.Fatalf("4th request in a minute: %d Retry-After %q %s", refused.status, refused.header.Get("Retry-After"), refused.body)
	}
	// One allowance covers every route of the key, the scheduling ones included.
	if a := w.do(w.key, "GET", "/api/v1/bookings/1", nil); a.status != http.StatusTooManyRequests {
		t.Fatalf("a scheduling route after the allowance: %d %s", a.status, a.body)
	}
	// A refused write has no effect, and other keys have their own allowance.
	if a := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "kim@example.com"}); a.status != 201 {
		t.Fatalf("another key: %d %s", a.status, a.body)
	}
	w.clk.Add(19 * time.Second)
	if a := w.do(w.key, "GET", "/api/v1/people", nil); a.status != 429 || a.header.Get("Retry-After") != "1" {
		t.Fatalf("after 19 s: %d Retry-After %q", a.status, a.header.Get("Retry-After"))
	}
	w.clk.Add(time.Second)
	if a := w.do(w.key, "GET", "/api/v1/people", nil); a.status != 200 || a.header.Get("RateLimit-Remaining") != "0" {
		t.Fatalf("after Retry-After: %d remaining %q", a.status, a.header.Get("RateLimit-Remaining"))
	}
	// Answers without a valid key carry the headers too (counted per address).
	if a := w.do("", "GET", "/api/v1/people", nil); a.status != 401 || a.header.Get("RateLimit-Limit") != "3" {
		t.Fatalf("without a key: %d %v", a.status, a.header)
	}
}

func readKeysCannotWrite(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	a := w.do(w.key, "POST", "/api/v1/people", map[string]string{"email": "lee@example.com"}, "Idempotency-Key", "k")
	if a.status != 403 || a.errorCode() != "forbidden" || w.peopleWith("lee@example.com") != 0 {
		t.Fatalf("a read key POSTs: %d %s", a.status, a.body)
	}
	if a := w.do(w.key, "PATCH", fmt.Sprintf("/api/v1/people/%d", w.person["bob"].ID), map[string]string{"name": "x"}); a.status != 403 {
		t.Fatalf("a read key PATCHes: %d %s", a.status, a.body)
	}
	if _, err := api.NewKeys(st, clock).Create(w.ctx, w.owner, "odd", "admin"); err == nil {
		t.Fatal("a key with an unknown scope was made")
	}
	keys, err := api.NewKeys(st, clock).List(w.ctx, w.owner)
	must(t, err)
	for _, k := range keys {
		if want := map[string]string{"tests": "read", "writer": "read write"}[k.Name]; strings.Join(k.Scopes, " ") != want {
			t.Errorf("key %s scopes %v, want %s", k.Name, k.Scopes, want)
		}
	}
}

// Housekeeping forgets kept answers past their 24 hours (on a database of
// its own: the prune is global).
func TestIdempotencyAnswersArePruned(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		st := testdb.Open(t, d)
		w := newV1World(t, st, nil)
		kept := func() (n int) {
			must(t, st.DB().QueryRowContext(w.ctx, "SELECT COUNT(*) FROM api_idempotency").Scan(&n))
			return n
		}
		w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "old@example.com"}, "Idempotency-Key", "old")
		w.clk.Add(store.IdempotencyKept + time.Second)
		// Another key: a key's own expired answers go when it is next used.
		other, err := api.NewKeys(st, clock).Create(w.ctx, w.owner, "other", api.ScopeWrite)
		must(t, err)
		w.wkey = other.Plaintext
		w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "new@example.com"}, "Idempotency-Key", "new")
		if kept() != 2 {
			t.Fatalf("%d answers kept before housekeeping, want 2", kept())
		}
		n, err := st.PruneIdempotentResponses(w.ctx, w.clk.Now().Add(-store.IdempotencyKept))
		if err != nil || n != 1 || kept() != 1 {
			t.Fatalf("pruned %d (%v), %d kept; want the older one gone", n, err, kept())
		}
		if a := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "new@example.com"}, "Idempotency-Key", "new"); a.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the answer still within its 24 hours is not replayed: %d", a.status)
		}
	})
}

// The demo runs the data on the emulator's clock, which jumps whole nights:
// rate limits and kept answers follow the wall clock, not the data's.
func wallClock(t *testing.T, st *store.Store) {
	data := &testClock{t: t0}
	w := newV1World(t, st, nil)
	a := api.New(st, nil, data.Now).WithWallClock(w.clk.Now).WithRateLimit(2, time.Minute)
	mux := http.NewServeMux()
	a.Mount(mux)
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	first := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "nora@example.com"}, "Idempotency-Key", "nora")
	data.Add(48 * time.Hour)
	again := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": "nora@example.com"}, "Idempotency-Key", "nora")
	if first.status != 201 || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after the data clock jumped 48 h: %d then %d %s; want the answer replayed", first.status, again.status, again.body)
	}
	if a := w.do(w.wkey, "GET", "/api/v1/people", nil); a.status != 429 {
		t.Fatalf("a third request in a wall-clock minute: %d", a.status)
	}
}
