package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

func TestAPI(t *testing.T) {
	eachStore(t, map[string]func(*testing.T, *store.Store){
		"KeysAuthenticate":                   keysAuthenticate,
		"PagesListEveryActivityExactlyOnce":  pagesExactlyOnce,
		"FiltersSelectWhatTheySay":           filters,
		"BadParametersAre400NamingThem":      badParameters,
		"KeyOfOneOrgNeverReadsAnother":       isolation,
		"SwitchedOffPeopleAndFeaturesHidden": switchesHide,
		"PeoplePagesAndFields":               peopleList,
		"KeyManagementChecksRoleAndOrg":      keyManagement,
	})
}

func keysAuthenticate(t *testing.T, st *store.Store) {
	w := newWorld(t, st)
	prefix, _, _ := strings.Cut(strings.TrimPrefix(w.key, "zb_"), "_")
	wrongSecret := "zb_" + prefix + "_" + strings.Repeat("a", len(w.key)-len("zb_"+prefix+"_"))
	for _, c := range []struct{ name, header string }{
		{"no key", ""},
		{"malformed", "zb_nope"},
		{"wrong secret", wrongSecret},
		{"another scheme", "Basic " + w.key},
	} {
		for _, path := range []string{"/api/v1/people", "/api/v1/activities"} {
			status, body := w.getHeader(c.header, path)
			var e errorBody
			json.Unmarshal(body, &e)
			if status != 401 || e.Error.Code != "unauthorized" || e.Error.Status != 401 {
				t.Errorf("%s on %s: %d %s", c.name, path, status, body)
			}
			if strings.Contains(string(body), w.key) || strings.Contains(string(body), prefix) {
				t.Errorf("%s: the error echoes the key: %s", c.name, body)
			}
		}
	}
	if status, body := w.get(w.key, "/api/v1/people"); status != 200 {
		t.Fatalf("good key: %d %s", status, body)
	}
	keys, err := api.NewKeys(st, clock).List(w.ctx, w.owner)
	must(t, err)
	if len(keys) != 1 || !keys[0].LastUsedAt.Equal(t0) || !strings.HasPrefix(keys[0].Hint, "zb_"+prefix+"_") {
		t.Fatalf("key after use %+v", keys)
	}
	must(t, api.NewKeys(st, clock).Revoke(w.ctx, w.owner, keys[0].ID))
	status, body := w.get(w.key, "/api/v1/people")
	if status != 401 || !strings.Contains(string(body), "revoked") {
		t.Fatalf("revoked key: %d %s", status, body)
	}
	// The document is public; unknown endpoints and methods answer JSON.
	if status, _ := w.get("", "/api/v1/openapi.json"); status != 200 {
		t.Fatalf("openapi.json without a key: %d", status)
	}
	if status, body := w.get("", "/api/v1/nothing"); status != 404 || !strings.Contains(string(body), "not_found") {
		t.Fatalf("unknown endpoint: %d %s", status, body)
	}
}

// getHeader sends a raw Authorization header.
func (w *world) getHeader(header, path string) (int, []byte) {
	if strings.HasPrefix(header, "Basic ") {
		return w.getRaw(header, path)
	}
	return w.get(header, path)
}

func pagesExactlyOnce(t *testing.T, st *store.Store) {
	w := newWorld(t, st)
	all := w.want(func(fact) bool { return true })
	for _, limit := range []int{1, 3, 7, 35, 500} {
		got, pages := w.walk(w.key, "", limit)
		if !slices.Equal(got, all) {
			t.Fatalf("limit %d: pages listed\n%v\nwant\n%v", limit, got, all)
		}
		if want := max(1, (len(all)+limit-1)/limit); pages != want {
			t.Errorf("limit %d: %d pages, want %d", limit, pages, want)
		}
	}
	calls := w.want(func(f fact) bool { return f.kind == store.ActivityCall })
	got, _ := w.walk(w.key, "&kind=call", 4)
	if !slices.Equal(got, calls) {
		t.Fatalf("calls by pages %v, want %v", got, calls)
	}
	// Activity arriving while a client pages: rows already passed are not
	// repeated, a row before the cursor is not slipped in, and a later one, or
	// one at the very start time of the cursor's row (a later id), is listed.
	status, body := w.get(w.key, "/api/v1/activities?limit=10")
	var first activityPage
	if status != 200 || json.Unmarshal(body, &first) != nil || first.NextCursor == nil {
		t.Fatalf("first page: %d %s", status, body)
	}
	w.insert(w.connID, fact{zoomID: "early", person: "ada", kind: store.ActivityMeeting, start: t0.Add(-time.Hour)}, 0)
	if last := first.Data[9]; last.ZoomID != "webinar-bob-1" {
		t.Fatalf("first page ends at %s", last.ZoomID)
	}
	w.insert(w.connID, fact{zoomID: "tie", person: "ada", kind: store.ActivityMeeting, start: t0.Add(26 * time.Hour)}, 0)
	w.insert(w.connID, fact{zoomID: "late", person: "ada", kind: store.ActivityMeeting, start: t0.Add(30 * 24 * time.Hour)}, 0)
	rest, _ := w.walkFrom(w.key, "", 10, *first.NextCursor)
	var seen []string
	for _, a := range first.Data {
		seen = append(seen, a.ZoomID)
	}
	seen = append(seen, rest...)
	want := slices.DeleteFunc(w.want(func(fact) bool { return true }), func(id string) bool { return id == "early" })
	if !slices.Equal(seen, want) {
		t.Fatalf("paging while activity arrives:\n%v\nwant\n%v", seen, want)
	}
}

func filters(t *testing.T, st *store.Store) {
	w := newWorld(t, st)
	day := 24 * time.Hour
	from, to := t0.Add(day), t0.Add(3*day)
	cases := []struct {
		query string
		keep  func(f fact) bool
	}{
		{"&kind=meeting", func(f fact) bool { return f.kind == store.ActivityMeeting }},
		{"&kind=call,webinar", func(f fact) bool { return f.kind != store.ActivityMeeting }},
		{"&kind=call&kind=webinar", func(f fact) bool { return f.kind != store.ActivityMeeting }},
		{fmt.Sprintf("&person=%d", w.person["bob"].ID), func(f fact) bool { return f.person == "bob" }},
		{"&person=" + url.QueryEscape("ADA@example.com"), func(f fact) bool { return f.person == "ada" }},
		{fmt.Sprintf("&person=%d", w.person["dan"].ID), func(f fact) bool { return false }},
		{"&from=" + from.Format(time.RFC3339), func(f fact) bool { return !f.start.Before(from) }},
		{"&to=" + url.QueryEscape(to.In(time.FixedZone("X", -5*3600)).Format(time.RFC3339)), func(f fact) bool { return f.start.Before(to) }},
		{"&from=" + from.Format(time.RFC3339) + "&to=" + to.Format(time.RFC3339) + "&kind=meeting&person=" + fmt.Sprint(w.person["carol"].ID),
			func(f fact) bool {
				return !f.start.Before(from) && f.start.Before(to) && f.kind == store.ActivityMeeting && f.person == "carol"
			}},
	}
	for _, c := range cases {
		want := w.want(c.keep)
		got, _ := w.walk(w.key, c.query, 4)
		if got == nil {
			got = []string{}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v\nwant %v", c.query, got, want)
		}
	}
	// Field by field, one of each kind.
	status, body := w.get(w.key, "/api/v1/activities?limit=3")
	if status != 200 {
		t.Fatal(status)
	}
	var p activityPage
	must(t, json.Unmarshal(body, &p))
	m, c := p.Data[0], p.Data[1]
	if m.Kind != "meeting" || m.PersonID != w.person["ada"].ID || m.Start != "2026-11-02T09:00:00Z" || m.End == nil || *m.End != "2026-11-02T09:30:00Z" ||
		m.DurationSeconds != 1800 || m.Title != "Topic meeting-ada-0" || m.ZoomNumber != "80000000000" || m.ParticipantsCount == nil || *m.ParticipantsCount != 2 ||
		m.Size != "one_on_one" || m.Direction != "" {
		t.Errorf("meeting %+v", m)
	}
	if c.Kind != "call" || c.Direction != "inbound" || c.CallerName != "ACME Corp" || c.Device != "mobile app" || c.ZoomNumber != "" || c.ParticipantsCount != nil || c.Title != "" {
		t.Errorf("call %+v", c)
	}
	for _, leak := range []string{"connection_id", "source", "org_id"} {
		if strings.Contains(string(body), leak) {
			t.Errorf("the response carries %s", leak)
		}
	}
}

func badParameters(t *testing.T, st *store.Store) {
	w := newWorld(t, st)
	cases := map[string]string{
		"/api/v1/activities?from=yesterday":                                      "from",
		"/api/v1/activities?to=2026-11-02":                                       "to",
		"/api/v1/activities?from=2026-11-03T00:00:00Z&to=2026-11-02T00:00:00Z":   "to",
		"/api/v1/activities?kind=chat":                                           "kind",
		"/api/v1/activities?person=abc":                                          "person",
		"/api/v1/activities?person=-3":                                           "person",
		"/api/v1/activities?person=999999999":                                    "person",
		"/api/v1/activities?person=nobody@example.com":                           "person",
		"/api/v1/activities?limit=0":                                             "limit",
		"/api/v1/activities?limit=501":                                           "limit",
		"/api/v1/activities?limit=ten":                                           "limit",
		"/api/v1/activities?cursor=garbage":                                      "cursor",
		"/api/v1/activities?persn=1":                                             "persn",
		"/api/v1/activities?from=2026-11-02T00:00:00Z&from=2026-11-03T00:00:00Z": "from",
		"/api/v1/people?limit=-1":                                                "limit",
		"/api/v1/people?cursor=djE6cGVvcGxl":                                     "cursor",
		"/api/v1/people?person=1":                                                "person",
	}
	for path, param := range cases {
		status, body := w.get(w.key, path)
		var e errorBody
		json.Unmarshal(body, &e)
		if status != 400 || e.Error.Code != "bad_parameter" || e.Error.Parameter != param || !strings.HasPrefix(e.Error.Message, param+": ") {
			t.Errorf("%s: %d %s, want 400 naming %q", path, status, body, param)
		}
	}
	// A people cursor is not an activities cursor.
	_, body := w.get(w.key, "/api/v1/people?limit=1")
	var pp peoplePage
	must(t, json.Unmarshal(body, &pp))
	if status, _ := w.get(w.key, "/api/v1/activities?cursor="+*pp.NextCursor); status != 400 {
		t.Errorf("a people cursor on activities: %d", status)
	}
}

func isolation(t *testing.T, st *store.Store) {
	a, b := newWorld(t, st), newWorld(t, st) // same emails, same Zoom user ids, different organizations
	ids := func(w *world, key string) (people map[int64]bool, acts []api.Activity) {
		people = map[int64]bool{}
		_, body := w.get(key, "/api/v1/people?limit=500")
		var pp peoplePage
		must(t, json.Unmarshal(body, &pp))
		for _, p := range pp.Data {
			people[p.ID] = true
		}
		_, body = w.get(key, "/api/v1/activities?limit=500")
		var ap activityPage
		must(t, json.Unmarshal(body, &ap))
		return people, ap.Data
	}
	aPeople, aActs := ids(a, a.key)
	bPeople, bActs := ids(b, b.key)
	if len(aPeople) != 4 || len(bPeople) != 4 || len(aActs) == 0 || len(bActs) == 0 {
		t.Fatalf("A sees %d people %d activities, B %d %d", len(aPeople), len(aActs), len(bPeople), len(bActs))
	}
	for id := range aPeople {
		if bPeople[id] {
			t.Fatalf("person %d listed for both organizations", id)
		}
	}
	for _, act := range aActs {
		if !aPeople[act.PersonID] {
			t.Fatalf("A's key reads an activity of person %d, not A's", act.PersonID)
		}
	}
	// Naming B's person with A's key is as unknown as a person that never was.
	status, body := a.get(a.key, fmt.Sprintf("/api/v1/activities?person=%d", b.person["bob"].ID))
	if status != 400 || !strings.Contains(string(body), "no such person") {
		t.Fatalf("A's key asking for B's person: %d %s", status, body)
	}
	// A cursor taken from B's pages does not open B's rows to A's key.
	_, body = b.get(b.key, "/api/v1/activities?limit=1")
	var bp activityPage
	must(t, json.Unmarshal(body, &bp))
	got, _ := a.walkFrom(a.key, "", 500, *bp.NextCursor)
	for _, id := range got {
		if !slices.Contains(a.want(func(fact) bool { return true }), id) {
			t.Fatalf("A read %s through B's cursor", id)
		}
	}
	// B's key on A's server mux: the same server serves both, the key decides.
	status, body = a.get(b.key, "/api/v1/people")
	var pp peoplePage
	must(t, json.Unmarshal(body, &pp))
	for _, p := range pp.Data {
		if aPeople[p.ID] {
			t.Fatalf("B's key listed A's person %d (status %d)", p.ID, status)
		}
	}
}

func switchesHide(t *testing.T, st *store.Store) {
	w := newWorld(t, st)
	dir := people.New(st, clock)
	_, err := dir.SetService(w.ctx, w.owner, w.person["carol"].ID, false)
	must(t, err)
	got, _ := w.walk(w.key, "", 100)
	if want := w.want(func(f fact) bool { return f.person != "carol" }); !slices.Equal(got, want) {
		t.Fatalf("with carol's service off: %v\nwant %v", got, want)
	}
	must(t, st.SetFeature(w.ctx, w.org.ID, store.FeaturePhone, false))
	got, _ = w.walk(w.key, "", 100)
	if want := w.want(func(f fact) bool { return f.person != "carol" && f.kind != store.ActivityCall }); !slices.Equal(got, want) {
		t.Fatalf("with Phone off: %v\nwant %v", got, want)
	}
	if got, _ := w.walk(w.key, "&kind=call", 100); len(got) != 0 {
		t.Fatalf("kind=call with Phone off lists %v", got)
	}
	_, err = dir.SetActive(w.ctx, w.owner, w.person["bob"].ID, false)
	must(t, err)
	got, _ = w.walk(w.key, "", 100)
	if want := w.want(func(f fact) bool { return f.person == "ada" && f.kind != store.ActivityCall }); !slices.Equal(got, want) {
		t.Fatalf("with bob deactivated: %v\nwant %v", got, want)
	}
}

func peopleList(t *testing.T, st *store.Store) {
	w := newWorld(t, st)
	var all []api.Person
	cursor := ""
	for pages := 0; ; pages++ {
		path := "/api/v1/people?limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		status, body := w.get(w.key, path)
		if status != 200 || pages > 3 {
			t.Fatalf("%s: %d %s", path, status, body)
		}
		var p peoplePage
		must(t, json.Unmarshal(body, &p))
		all = append(all, p.Data...)
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	var names []string
	for _, p := range all {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"ada", "bob", "carol", "dan"}) {
		t.Fatalf("people by pages %v", names)
	}
	ada, dan := all[0], all[3]
	if ada.AccessLevel != "owner" || ada.Email != "ada@example.com" || ada.Team != "Eng" || !ada.ZoomEnabled || !ada.Active ||
		!slices.Equal(ada.ZoomUserIDs, []string{"zu-ada"}) || ada.CreatedAt != "2026-11-02T09:00:00Z" {
		t.Errorf("ada %+v", ada)
	}
	if dan.AccessLevel != "member" || dan.ZoomUserIDs == nil || len(dan.ZoomUserIDs) != 0 {
		t.Errorf("dan %+v", dan)
	}
}

func keyManagement(t *testing.T, st *store.Store) {
	a, b := newWorld(t, st), newWorld(t, st)
	keys := api.NewKeys(st, clock)
	member := people.ActorOf(a.person["bob"])
	if _, err := keys.Create(a.ctx, member, "mine"); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("a member created a key: %v", err)
	}
	if _, err := keys.List(a.ctx, member); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("a member listed keys: %v", err)
	}
	var in *people.InputError
	if _, err := keys.Create(a.ctx, a.owner, "  "); !errors.As(err, &in) {
		t.Fatalf("a key without a name: %v", err)
	}
	nk, err := keys.Create(a.ctx, a.owner, "CRM sync")
	must(t, err)
	if !strings.HasPrefix(nk.Plaintext, "zb_") || !strings.HasPrefix(nk.Plaintext, strings.TrimSuffix(nk.Hint, "…")) || nk.CreatedBy != a.owner.Name {
		t.Fatalf("new key %+v", nk.Key)
	}
	log, err := st.AuditLog(a.ctx, a.org.ID, 1)
	must(t, err)
	if log[0].Action != "apikey.created" || strings.Contains(log[0].Detail, nk.Plaintext[len(nk.Hint)-len("…"):]) {
		t.Fatalf("audit %+v", log[0])
	}
	listed, err := keys.List(a.ctx, a.owner)
	must(t, err)
	for _, k := range listed {
		if strings.Contains(fmt.Sprintf("%+v", k), nk.Plaintext) {
			t.Fatal("a listed key carries its plaintext")
		}
	}
	if err := keys.Revoke(b.ctx, b.owner, nk.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("org B revoked org A's key: %v", err)
	}
	if status, _ := a.get(nk.Plaintext, "/api/v1/people"); status != 200 {
		t.Fatalf("the new key after B's attempt: %d", status)
	}
	must(t, keys.Revoke(a.ctx, a.owner, nk.ID))
	if status, _ := a.get(nk.Plaintext, "/api/v1/people"); status != 401 {
		t.Fatalf("a revoked key: %d", status)
	}
	if log, _ := st.AuditLog(a.ctx, a.org.ID, 1); log[0].Action != "apikey.revoked" || !strings.Contains(log[0].Detail, "CRM sync") {
		t.Fatalf("audit %+v", log[0])
	}
}
