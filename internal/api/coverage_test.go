package api_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// With Ada's own connection beside the account-level one, both seeing her
// Zoom user and her activities, the API lists each activity once and her
// Zoom user once (issue 10's double counting, over HTTP on both databases).
func TestTwoConnectionsListedOnce(t *testing.T) {
	eachStore(t, map[string]func(*testing.T, *store.Store){"TwoConnectionsListedOnce": func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		want, _ := w.walk(w.key, "", 50)
		personal, err := st.CreateConnection(w.ctx, store.Connection{OrgID: w.org.ID, Kind: store.KindUserOAuth, PersonID: w.person["ada"].ID,
			ZoomAccountID: "acct-personal", ZoomUserID: "zu-ada"}, t0)
		must(t, err)
		_, err = st.UpsertZoomUser(w.ctx, store.ZoomUser{OrgID: w.org.ID, ConnectionID: personal.ID, ZoomUserID: "zu-ada", Email: "ada@example.com"}, t0)
		must(t, err)
		facts := w.acts
		for _, f := range facts {
			if f.person == "ada" {
				w.insert(personal.ID, f, 0)
			}
		}
		got, _ := w.walk(w.key, "", 50)
		if !slices.Equal(got, want) {
			t.Fatalf("activities with two connections (%d):\n%v\nwith one (%d):\n%v", len(got), got, len(want), want)
		}
		status, body := w.get(w.key, "/api/v1/people")
		var p peoplePage
		must(t, json.Unmarshal(body, &p))
		if status != 200 || len(p.Data) == 0 || p.Data[0].Name != "ada" || !slices.Equal(p.Data[0].ZoomUserIDs, []string{"zu-ada"}) {
			t.Fatalf("people: %d %s", status, body)
		}
	}})
}
