package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return t0 }

// world is one organization with people, Zoom users and activities, an API
// key, and the API served over real HTTP.
type world struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	srv    *httptest.Server
	org    store.Organization
	owner  people.Actor
	key    string
	person map[string]store.Person // by first name
	connID int64
	acts   []fact // every activity inserted, in insertion order
}

// fact is what the test knows of an inserted activity, to compute expected
// answers without asking the store.
type fact struct {
	zoomID string
	person string
	kind   string
	start  time.Time
}

var worldSeq atomic.Int64

func newWorld(t *testing.T, st *store.Store) *world {
	t.Helper()
	ctx := context.Background()
	n := worldSeq.Add(1)
	w := &world{t: t, ctx: ctx, st: st, person: map[string]store.Person{}}
	var err error
	w.org, err = st.CreateOrganization(ctx, fmt.Sprintf("World %d", n), fmt.Sprintf("world-%d", n), t0)
	must(t, err)
	dir := people.New(st, clock)
	sys := people.System(w.org.ID)
	for _, p := range []struct{ name, team, role string }{{"ada", "Eng", "owner"}, {"bob", "Sales", ""}, {"carol", "Sales", ""}, {"dan", "Ops", ""}} {
		w.person[p.name], err = dir.Add(ctx, sys, people.Input{Email: p.name + "@example.com", Name: p.name, Team: p.team, Role: p.role})
		must(t, err)
	}
	w.owner = people.ActorOf(w.person["ada"])
	conn, err := st.CreateConnection(ctx, store.Connection{OrgID: w.org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: fmt.Sprintf("acct-%d", n)}, t0)
	must(t, err)
	for _, name := range []string{"ada", "bob", "carol"} { // dan has no Zoom user
		_, err := st.UpsertZoomUser(ctx, store.ZoomUser{OrgID: w.org.ID, ConnectionID: conn.ID, ZoomUserID: "zu-" + name, Email: name + "@example.com"}, t0)
		must(t, err)
	}
	w.connID = conn.ID
	w.addActivities(conn.ID)
	nk, err := api.NewKeys(st, clock).Create(ctx, w.owner, "tests")
	must(t, err)
	w.key = nk.Plaintext
	mux := http.NewServeMux()
	api.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), clock).Mount(mux)
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

// addActivities inserts a week of activity: several share a start time, so
// pages must break ties by id.
func (w *world) addActivities(connID int64) {
	for day := range 7 {
		base := t0.Add(time.Duration(day) * 24 * time.Hour)
		for _, f := range []fact{
			{person: "ada", kind: store.ActivityMeeting, start: base},
			{person: "bob", kind: store.ActivityCall, start: base},
			{person: "carol", kind: store.ActivityMeeting, start: base},
			{person: "ada", kind: store.ActivityCall, start: base.Add(time.Hour)},
			{person: "bob", kind: store.ActivityWebinar, start: base.Add(2 * time.Hour)},
		} {
			f.zoomID = fmt.Sprintf("%s-%s-%d", f.kind, f.person, day)
			w.insert(connID, f, day)
		}
	}
}

func (w *world) insert(connID int64, f fact, n int) {
	p := w.person[f.person]
	a := store.Activity{OrgID: w.org.ID, ConnectionID: connID, PersonID: p.ID, ZoomUserID: "zu-" + f.person, Kind: f.kind,
		ZoomID: f.zoomID, StartAt: f.start, EndAt: f.start.Add(30 * time.Minute), DurationSeconds: 1800, Source: "sync"}
	switch f.kind {
	case store.ActivityCall:
		a.Direction, a.CallerName, a.Device = "inbound", "ACME Corp", "mobile app"
	default:
		a.Title, a.ZoomNumber, a.ParticipantsCount = "Topic "+f.zoomID, fmt.Sprint(80000000000+n), 2+n%3
	}
	_, err := w.st.UpsertActivity(w.ctx, a, t0)
	must(w.t, err)
	w.acts = append(w.acts, f)
}

// want lists the zoom ids of the inserted activities that keep returns true
// for, in the API's order (start time, then insertion order).
func (w *world) want(keep func(f fact) bool) []string {
	var sel []fact
	for _, f := range w.acts {
		if keep(f) {
			sel = append(sel, f)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].start.Before(sel[j].start) })
	out := []string{}
	for _, f := range sel {
		out = append(out, f.zoomID)
	}
	return out
}

// get calls the API with key (none when "") and returns the status and body.
func (w *world) get(key, path string) (int, []byte) {
	w.t.Helper()
	req, err := http.NewRequest("GET", w.srv.URL+path, nil)
	must(w.t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := client(w.t).Do(req)
	must(w.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	must(w.t, err)
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		w.t.Fatalf("GET %s: content type %q", path, ct)
	}
	return res.StatusCode, body
}

type activityPage struct {
	Data       []api.Activity `json:"data"`
	NextCursor *string        `json:"next_cursor"`
}

type peoplePage struct {
	Data       []api.Person `json:"data"`
	NextCursor *string      `json:"next_cursor"`
}

type errorBody struct {
	Error api.Error `json:"error"`
}

// walk pages through an activities query and returns every zoom id in order.
func (w *world) walk(key, query string, limit int) (ids []string, pages int) {
	w.t.Helper()
	return w.walkFrom(key, query, limit, "")
}

// walkFrom is walk starting at a cursor.
func (w *world) walkFrom(key, query string, limit int, cursor string) (ids []string, pages int) {
	w.t.Helper()
	for {
		path := fmt.Sprintf("/api/v1/activities?limit=%d%s", limit, query)
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		status, body := w.get(key, path)
		if status != 200 {
			w.t.Fatalf("GET %s: %d %s", path, status, body)
		}
		var p activityPage
		must(w.t, json.Unmarshal(body, &p))
		if len(p.Data) > limit {
			w.t.Fatalf("page of %d rows for limit %d", len(p.Data), limit)
		}
		for _, a := range p.Data {
			ids = append(ids, a.ZoomID)
		}
		pages++
		if p.NextCursor == nil {
			return ids, pages
		}
		if len(p.Data) != limit {
			w.t.Fatalf("a short page (%d of %d) has a next cursor", len(p.Data), limit)
		}
		cursor = *p.NextCursor
		if pages > 200 {
			w.t.Fatal("pagination does not end")
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// eachStore runs the cases against one database per dialect, in parallel.
func eachStore(t *testing.T, cases map[string]func(t *testing.T, st *store.Store)) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		st := testdb.Open(t, d)
		for name, fn := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				fn(t, st)
			})
		}
	})
}

// getRaw sends header as the whole Authorization value.
func (w *world) getRaw(header, path string) (int, []byte) {
	w.t.Helper()
	req, err := http.NewRequest("GET", w.srv.URL+path, nil)
	must(w.t, err)
	req.Header.Set("Authorization", header)
	res, err := client(w.t).Do(req)
	must(w.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	must(w.t, err)
	if res.StatusCode == 401 && res.Header.Get("WWW-Authenticate") == "" {
		w.t.Errorf("401 without WWW-Authenticate")
	}
	return res.StatusCode, body
}
