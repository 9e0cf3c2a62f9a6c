package api_test

import (
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/store"
)

func TestResources(t *testing.T) {
	eachStore(t, map[string]func(*testing.T, *store.Store){
		"PeopleAreChangedThroughTheDirectoryRules": peopleWrites,
		"SingleResourcesHaveETagsAnd404s":          singleResources,
		"ZoomUsersShowMappingAndConnections":       zoomUsers,
		"ConnectionsShowSyncStatus":                connections,
		"UpdatedSinceReadsEveryChangeOnce":         updatedSince,
	})
}

func peopleWrites(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	var p api.Person
	a := w.do(w.wkey, "POST", "/api/v1/people", map[string]string{"email": " Erin@Example.com ", "name": "Erin", "team": "Ops", "access_level": "Manager"})
	if a.status != 201 {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	a.decode(t, &p)
	if p.Email != "Erin@Example.com" || p.AccessLevel != "manager" || !p.Active || !p.ZoomEnabled || a.header.Get("Location") != fmt.Sprintf("/api/v1/people/%d", p.ID) {
		t.Fatalf("created %+v at %q", p, a.header.Get("Location"))
	}
	// The directory's rules, as in the admin app.
	for _, c := range []struct {
		body   any
		status int
		code   string
		param  string
	}{
		{map[string]string{"email": "erin@example.com"}, 409, "conflict", "email"},
		{map[string]string{"email": "not an email"}, 400, "bad_parameter", "email"},
		{map[string]string{"email": "x@example.com", "access_level": "owner"}, 403, "forbidden", ""},
		{map[string]string{"email": "x@example.com", "access_level": "boss"}, 400, "bad_parameter", "access_level"},
		{map[string]string{"email": "x@example.com", "nmae": "typo"}, 400, "bad_parameter", "nmae"},
		{map[string]any{"email": 12}, 400, "bad_parameter", "email"},
		{map[string]string{"name": "no email"}, 400, "bad_parameter", "email"},
		{"[1, 2]", 400, "bad_body", ""},
		{"", 400, "bad_body", ""},
	} {
		a := w.do(w.wkey, "POST", "/api/v1/people", c.body)
		var e errorBody
		a.decode(t, &e)
		if a.status != c.status || e.Error.Code != c.code || e.Error.Parameter != c.param {
			t.Errorf("POST %v: %d %s, want %d %s naming %q", c.body, a.status, a.body, c.status, c.code, c.param)
		}
	}
	if n := w.peopleWith("x@example.com"); n != 0 {
		t.Fatalf("refused creations made %d people", n)
	}
	// PATCH changes what it names, through the same rules.
	path := fmt.Sprintf("/api/v1/people/%d", p.ID)
	a = w.do(w.wkey, "PATCH", path, map[string]any{"team": "Eng", "zoom_enabled": false})
	var q api.Person
	a.decode(t, &q)
	if a.status != 200 || q.Team != "Eng" || q.Name != "Erin" || q.Email != p.Email || q.ZoomEnabled || q.AccessLevel != "manager" {
		t.Fatalf("PATCH team: %d %+v", a.status, q)
	}
	if a := w.do(w.wkey, "PATCH", fmt.Sprintf("/api/v1/people/%d", w.person["ada"].ID), map[string]string{"name": "Ada L."}); a.status != 403 {
		t.Fatalf("an API key changes an owner: %d %s", a.status, a.body)
	}
	if a := w.do(w.wkey, "PATCH", path, map[string]string{"email": "bob@example.com"}); a.status != 409 || a.errorCode() != "conflict" {
		t.Fatalf("PATCH to a taken email: %d %s", a.status, a.body)
	}
	// Deactivating twice is not an error; reactivating maps them back.
	bob := fmt.Sprintf("/api/v1/people/%d", w.person["bob"].ID)
	for range 2 {
		a = w.do(w.wkey, "POST", bob+"/deactivate", nil)
		a.decode(t, &q)
		if a.status != 200 || q.Active || len(q.ZoomUserIDs) != 0 {
			t.Fatalf("deactivate: %d %+v", a.status, q)
		}
	}
	a = w.do(w.wkey, "POST", bob+"/reactivate", nil)
	a.decode(t, &q)
	if a.status != 200 || !q.Active || !slices.Equal(q.ZoomUserIDs, []string{"zu-bob"}) {
		t.Fatalf("reactivate: %d %+v", a.status, q)
	}
	log, err := st.AuditLog(w.ctx, w.org.ID, 1)
	must(t, err)
	if log[0].Action != "person.reactivated" || !strings.HasPrefix(log[0].Actor, "apikey:") {
		t.Fatalf("audit %+v: the key is the actor", log[0])
	}
}

func singleResources(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	other := newV1World(t, st, nil)
	bob := w.person["bob"]
	byID := w.do(w.key, "GET", fmt.Sprintf("/api/v1/people/%d", bob.ID), nil)
	byEmail := w.do(w.key, "GET", "/api/v1/people/"+url.PathEscape("BOB@example.com"), nil)
	etag := byID.header.Get("ETag")
	if byID.status != 200 || byEmail.status != 200 || string(byID.body) != string(byEmail.body) || etag == "" || byEmail.header.Get("ETag") != etag {
		t.Fatalf("by id %d %q, by email %d: %s / %s", byID.status, etag, byEmail.status, byID.body, byEmail.body)
	}
	if a := w.do(w.key, "GET", fmt.Sprintf("/api/v1/people/%d", bob.ID), nil, "If-None-Match", etag); a.status != 304 || len(a.body) != 0 || a.header.Get("ETag") != etag {
		t.Fatalf("If-None-Match with the current ETag: %d %q", a.status, a.body)
	}
	w.do(w.wkey, "PATCH", fmt.Sprintf("/api/v1/people/%d", bob.ID), map[string]string{"team": "Support"})
	if a := w.do(w.key, "GET", fmt.Sprintf("/api/v1/people/%d", bob.ID), nil, "If-None-Match", etag); a.status != 200 || a.header.Get("ETag") == etag {
		t.Fatalf("If-None-Match after a change: %d %q", a.status, a.header.Get("ETag"))
	}
	acts, _ := w.walk(w.key, "", 500)
	if len(acts) == 0 {
		t.Fatal("no activities")
	}
	var page activityPage
	w.do(w.key, "GET", "/api/v1/activities?limit=1", nil).decode(t, &page)
	act := w.do(w.key, "GET", fmt.Sprintf("/api/v1/activities/%d", page.Data[0].ID), nil)
	if act.status != 200 || act.header.Get("ETag") == "" {
		t.Fatalf("one activity: %d %s", act.status, act.body)
	}
	// Unknown ids, and another organization's, are 404 alike.
	for _, path := range []string{
		"/api/v1/people/999999", "/api/v1/people/nobody@example.com", "/api/v1/people/abc", "/api/v1/people/-1",
		fmt.Sprintf("/api/v1/people/%d", other.person["bob"].ID), "/api/v1/people/" + url.PathEscape(other.person["bob"].Email+"x"),
		"/api/v1/zoom-users/nope", "/api/v1/connections/999999", fmt.Sprintf("/api/v1/connections/%d", other.connID),
		"/api/v1/activities/999999", "/api/v1/activities/x",
	} {
		if a := w.do(w.key, "GET", path, nil); a.status != 404 || a.errorCode() != "not_found" {
			t.Errorf("GET %s: %d %s", path, a.status, a.body)
		}
	}
	if a := w.do(w.wkey, "POST", fmt.Sprintf("/api/v1/people/%d/deactivate", other.person["bob"].ID), nil); a.status != 404 {
		t.Errorf("deactivating another organization's person: %d %s", a.status, a.body)
	}
	if p, _ := st.PersonByID(w.ctx, other.org.ID, other.person["bob"].ID); !p.Active {
		t.Error("another organization's person was deactivated")
	}
}

func zoomUsers(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	personal, err := st.CreateConnection(w.ctx, store.Connection{OrgID: w.org.ID, Kind: store.KindUserOAuth, ZoomAccountID: "acct-x", ZoomUserID: "zu-ada", PersonID: w.person["ada"].ID}, t0)
	must(t, err)
	_, err = st.UpsertZoomUser(w.ctx, store.ZoomUser{OrgID: w.org.ID, ConnectionID: personal.ID, ZoomUserID: "zu-ada", Email: "ada@example.com", DisplayName: "Ada", UserType: 2, Status: "active"}, t0.Add(time.Minute))
	must(t, err)
	_, err = st.UpsertZoomUser(w.ctx, store.ZoomUser{OrgID: w.org.ID, ConnectionID: w.connID, ZoomUserID: "zu-zed", Email: "zed@example.com"}, t0)
	must(t, err)
	var all []api.ZoomUser
	cursor := ""
	for range 10 {
		var p struct {
			Data       []api.ZoomUser `json:"data"`
			NextCursor *string        `json:"next_cursor"`
		}
		a := w.do(w.key, "GET", "/api/v1/zoom-users?limit=1"+cursor, nil)
		a.decode(t, &p)
		all = append(all, p.Data...)
		if p.NextCursor == nil {
			break
		}
		cursor = "&cursor=" + *p.NextCursor
	}
	var ids []string
	for _, u := range all {
		ids = append(ids, u.ID)
	}
	if !slices.Equal(ids, []string{"zu-ada", "zu-bob", "zu-carol", "zu-zed"}) {
		t.Fatalf("Zoom users by pages: %v", ids)
	}
	ada, zed := all[0], all[3]
	if !slices.Equal(ada.ConnectionIDs, []int64{w.connID, personal.ID}) || ada.PersonID == nil || *ada.PersonID != w.person["ada"].ID || ada.DisplayName != "" {
		t.Fatalf("zu-ada %+v: covered by both connections, mapped to ada, fields as the oldest connection sees them", ada)
	}
	if zed.PersonID != nil || !slices.Equal(zed.ConnectionIDs, []int64{w.connID}) {
		t.Fatalf("zu-zed %+v: unmapped", zed)
	}
	var one api.ZoomUser
	w.do(w.key, "GET", "/api/v1/zoom-users/zu-ada", nil).decode(t, &one)
	if !slices.Equal(one.ConnectionIDs, ada.ConnectionIDs) {
		t.Fatalf("one Zoom user %+v", one)
	}
	if a := w.do(w.key, "GET", "/api/v1/zoom-users?cursor=bogus", nil); a.status != 400 {
		t.Fatalf("bad cursor: %d", a.status)
	}
}

func connections(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	must(t, st.SetConnectionStatus(w.ctx, w.connID, store.StatusNeedsReconnect, "token revoked", t0))
	var list struct {
		Data       []api.Connection `json:"data"`
		NextCursor *string          `json:"next_cursor"`
	}
	w.do(w.key, "GET", "/api/v1/connections", nil).decode(t, &list)
	if len(list.Data) != 1 || list.NextCursor != nil {
		t.Fatalf("connections %+v", list)
	}
	c := list.Data[0]
	if c.ID != w.connID || c.Kind != store.KindAccountOAuth || c.Status != store.StatusNeedsReconnect || c.Sync.State != "waiting_for_reconnect" ||
		c.Sync.Records["meeting"] != 14 || c.Sync.Records["call"] != 14 || c.Sync.Records["webinar"] != 7 || c.Sync.MappedUsers != 3 {
		t.Fatalf("connection %+v", c)
	}
	if a := w.do(w.key, "GET", fmt.Sprintf("/api/v1/connections/%d", w.connID), nil); a.status != 200 || a.header.Get("ETag") == "" {
		t.Fatalf("one connection: %d", a.status)
	}
	if a := w.do(w.key, "GET", "/api/v1/connections?limit=1", nil); a.status != 400 {
		t.Fatalf("an unknown parameter: %d", a.status)
	}
}

// Incremental reading: a reader keeping the latest updated_at it saw and
// passing it back sees every change, including one made while it pages, and
// nothing younger than the settle time.
func updatedSince(t *testing.T, st *store.Store) {
	w := newV1World(t, st, nil)
	walk := func(since string, limit int) []api.Activity {
		var out []api.Activity
		cursor := ""
		for range 100 {
			var p activityPage
			a := w.do(w.key, "GET", fmt.Sprintf("/api/v1/activities?updated_since=%s&limit=%d%s", since, limit, cursor), nil)
			if a.status != 200 {
				t.Fatalf("updated_since: %d %s", a.status, a.body)
			}
			a.decode(t, &p)
			out = append(out, p.Data...)
			if p.NextCursor == nil {
				return out
			}
			cursor = "&cursor=" + *p.NextCursor
		}
		t.Fatal("pages do not end")
		return nil
	}
	epoch := "1970-01-01T00:00:00Z"
	if got := walk(epoch, 10); len(got) != 0 {
		t.Fatalf("changes younger than the settle time were listed: %d", len(got))
	}
	w.clk.Add(10 * time.Second)
	got := walk(epoch, 4)
	if len(got) != len(w.acts) {
		t.Fatalf("first read: %d activities, want %d", len(got), len(w.acts))
	}
	// A change made now (clock t0+10s) waits until it has settled, then comes
	// after everything older.
	changed := got[3]
	must(t, st.InTx(w.ctx, func(tx *store.Store, _ *sql.Tx) error {
		_, err := tx.UpsertActivity(w.ctx, store.Activity{OrgID: w.org.ID, ConnectionID: w.connID, PersonID: changed.PersonID, ZoomUserID: changed.ZoomUserID,
			Kind: changed.Kind, ZoomID: changed.ZoomID, Title: "Renamed", Source: "webhook"}, w.clk.Now())
		return err
	}))
	since := got[len(got)-1].UpdatedAt
	if again := walk(since, 4); len(again) != len(w.acts)-1 || slices.ContainsFunc(again, func(a api.Activity) bool { return a.ID == changed.ID }) {
		t.Fatalf("before it settles: %d, want the %d others at the same instant again", len(again), len(w.acts)-1)
	}
	w.clk.Add(10 * time.Second)
	again := walk(since, 4)
	last := again[len(again)-1]
	if len(again) != len(w.acts) || last.ID != changed.ID || last.Title != "Renamed" || last.UpdatedAt <= since {
		t.Fatalf("after the change settled: %d, last %+v", len(again), last)
	}
	if tail := walk(last.UpdatedAt, 4); len(tail) != 1 || tail[0].ID != changed.ID {
		t.Fatalf("from the latest updated_at: %+v", tail)
	}
	var first activityPage
	w.do(w.key, "GET", "/api/v1/activities?limit=1", nil).decode(t, &first)
	if a := w.do(w.key, "GET", "/api/v1/activities?updated_since="+epoch+"&cursor="+*first.NextCursor, nil); a.status != 400 {
		t.Fatalf("a start-time cursor with updated_since: %d", a.status)
	}
}
