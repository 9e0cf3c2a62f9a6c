package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunPeople runs the behaviours of the people directory's and the REST API's
// additions: keyset pages of people and API keys.
func RunPeople(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"PeoplePagesListEveryoneOnceInOrder", peoplePages},
		{"ZoomUserIDsOfPeopleAreTheirMappedUsers", zoomUserIDsOfPeople},
		{"APIKeysFoundByPrefixRevokedPerOrg", apiKeyLifecycle},
		{"APIKeyUseRecordedAtMostOncePerInterval", apiKeyTouch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

func peoplePages(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "people-pages")
	other := newFixture(t, st, "people-pages-other")
	for i := range 5 {
		_, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: fmt.Sprintf("p%d@example.com", i)}, t0)
		must(t, err)
	}
	seen := map[int64]bool{}
	var after, last int64
	for pages := 0; ; pages++ {
		page, err := st.PeopleAfter(f.ctx, f.org.ID, after, 3)
		must(t, err)
		if len(page) == 0 {
			break
		}
		if pages > 5 || len(page) > 3 {
			t.Fatalf("page %d has %d rows", pages, len(page))
		}
		for _, p := range page {
			if p.OrgID != f.org.ID || seen[p.ID] || p.ID <= last {
				t.Fatalf("person %+v: another org, repeated or out of order", p)
			}
			seen[p.ID], last = true, p.ID
		}
		after = page[len(page)-1].ID
	}
	if len(seen) != 7 { // alice, bob and five more
		t.Fatalf("pages listed %d people, want 7", len(seen))
	}
	if seen[other.alice.ID] {
		t.Fatal("another organization's person listed")
	}
}

func zoomUserIDsOfPeople(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "zoom-ids")
	other := newFixture(t, st, "zoom-ids-other")
	// Alice has a second Zoom user through another connection.
	conn2, err := st.CreateConnection(f.ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindUserOAuth, PersonID: f.alice.ID}, t0)
	must(t, err)
	_, err = st.UpsertZoomUser(f.ctx, store.ZoomUser{OrgID: f.org.ID, ConnectionID: conn2.ID, ZoomUserID: "zu-alice-2", Email: "alice@example.com"}, t0)
	must(t, err)
	got, err := st.ZoomUserIDsOfPeople(f.ctx, f.org.ID, []int64{f.alice.ID, f.bob.ID, other.alice.ID})
	must(t, err)
	if len(got) != 2 || fmt.Sprint(got[f.alice.ID]) != "[zu-alice zu-alice-2]" || fmt.Sprint(got[f.bob.ID]) != "[zu-bob]" {
		t.Fatalf("got %v (another organization's person must be absent)", got)
	}
	if got, err := st.ZoomUserIDsOfPeople(f.ctx, f.org.ID, nil); err != nil || len(got) != 0 {
		t.Fatalf("no people: %v %v", got, err)
	}
}

func apiKeyLifecycle(t *testing.T, st *store.Store) {
	a := newFixture(t, st, "keys-a")
	b := newFixture(t, st, "keys-b")
	k, err := st.CreateAPIKey(a.ctx, store.APIKey{OrgID: a.org.ID, Name: "CRM", Prefix: "pfx-a-1", SecretHash: "h1", CreatedBy: "account:1"}, t0)
	must(t, err)
	if k.ID == 0 || !k.CreatedAt.Equal(t0) || !k.RevokedAt.IsZero() || k.CreatedBy != "account:1" {
		t.Fatalf("created %+v", k)
	}
	if _, err := st.CreateAPIKey(a.ctx, store.APIKey{OrgID: b.org.ID, Prefix: "pfx-a-1", SecretHash: "h2"}, t0); err == nil {
		t.Fatal("a second key with the same prefix was stored")
	}
	got, err := st.APIKeyByPrefix(a.ctx, "pfx-a-1")
	must(t, err)
	if got.ID != k.ID || got.OrgID != a.org.ID || got.SecretHash != "h1" {
		t.Fatalf("by prefix %+v", got)
	}
	if _, err := st.APIKeyByPrefix(a.ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown prefix: %v", err)
	}
	if _, err := st.RevokeAPIKey(b.ctx, b.org.ID, k.ID, t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("org B revoked org A's key: %v", err)
	}
	if keys, _ := st.APIKeys(b.ctx, b.org.ID); len(keys) != 0 {
		t.Fatalf("org B lists %d keys of org A", len(keys))
	}
	revoked, err := st.RevokeAPIKey(a.ctx, a.org.ID, k.ID, t0.Add(time.Minute))
	must(t, err)
	again, err := st.RevokeAPIKey(a.ctx, a.org.ID, k.ID, t0.Add(2*time.Minute))
	must(t, err)
	if !revoked || again {
		t.Fatalf("revoke reported %v then %v, want true then false", revoked, again)
	}
	keys, err := st.APIKeys(a.ctx, a.org.ID)
	must(t, err)
	if len(keys) != 1 || !keys[0].RevokedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("keys after revoke %+v", keys)
	}
}

func apiKeyTouch(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "keys-touch")
	k, err := st.CreateAPIKey(f.ctx, store.APIKey{OrgID: f.org.ID, Prefix: "pfx-touch", SecretHash: "h"}, t0)
	must(t, err)
	used := func() time.Time {
		got, err := st.APIKeyByPrefix(f.ctx, k.Prefix)
		must(t, err)
		return got.LastUsedAt
	}
	must(t, st.TouchAPIKey(f.ctx, k.ID, t0, time.Minute))
	must(t, st.TouchAPIKey(f.ctx, k.ID, t0.Add(30*time.Second), time.Minute))
	if !used().Equal(t0) {
		t.Fatalf("last used %v, want %v (a touch within the interval must not write)", used(), t0)
	}
	must(t, st.TouchAPIKey(f.ctx, k.ID, t0.Add(2*time.Minute), time.Minute))
	if !used().Equal(t0.Add(2 * time.Minute)) {
		t.Fatalf("last used %v after the interval", used())
	}
}
