package storetest

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunSync runs the behaviours of activity sync's tables: passes and their
// checkpoints, cursors, errors and skips, status, the mapping lists, and the
// shared rate budget.
func RunSync(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"PassCheckpointCountsEachUnitOnce", syncPassCheckpoint},
		{"SweepAskedDuringAPassFollowsIt", syncSweepRequest},
		{"DueConnectionsAreNeverSyncedDueOrUnfinished", syncDue},
		{"CursorsOnlyMoveForward", syncCursors},
		{"ErrorsAndStatusStayInTheirOrganization", syncErrorsScoped},
		{"SkipsExpire", syncSkips},
		{"UnmappedUsersAndPeopleHaveReasons", syncUnmapped},
		{"ActivitiesFollowARemappedZoomUser", syncRelink},
		{"RateSlotsAreSpacedAndNeverShared", rateSlots},
		{"DailyPoolCapsBlocksAndResets", rateDaily},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

func syncPassCheckpoint(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-checkpoint")
	p, err := st.BeginSyncPass(f.ctx, f.conn.ID, store.PassBackfill, t0.Add(-30*24*time.Hour), t0, t0)
	must(t, err)
	state, err := st.SyncStateOf(f.ctx, f.conn.ID)
	must(t, err)
	if state.PassID != p.ID || p.Status != store.PassRunning || p.Runs != 1 {
		t.Fatalf("after begin: state %+v pass %+v", state, p)
	}
	must(t, st.FinishSyncUnit(f.ctx, p.ID, "meetings:zu-alice", store.SyncCounts{Meetings: 3}, t0))
	must(t, st.FinishSyncUnit(f.ctx, p.ID, "meetings:zu-alice", store.SyncCounts{Meetings: 3}, t0)) // a resumed run finishing it again
	must(t, st.FinishSyncUnit(f.ctx, p.ID, "calls:zu-alice", store.SyncCounts{Calls: 2}, t0))
	must(t, st.AddSyncUsage(f.ctx, p.ID, 10, 1))
	must(t, st.ResumeSyncPass(f.ctx, p.ID, t0.Add(time.Minute)))
	done, err := st.SyncUnitsDone(f.ctx, p.ID)
	must(t, err)
	if len(done) != 2 || !done["meetings:zu-alice"] || !done["calls:zu-alice"] {
		t.Fatalf("units done: %v", done)
	}
	p, err = st.SyncPassByID(f.ctx, p.ID)
	must(t, err)
	if p.MeetingsWritten != 3 || p.CallsWritten != 2 || p.APICalls != 10 || p.RateLimited != 1 || p.Runs != 2 {
		t.Fatalf("pass counts %+v", p)
	}
	must(t, st.FinishSyncPass(f.ctx, p.ID, store.PassSucceeded, t0.Add(15*time.Minute), t0.Add(2*time.Minute)))
	state, err = st.SyncStateOf(f.ctx, f.conn.ID)
	must(t, err)
	if state.PassID != 0 || state.LastPassID != p.ID || !state.LastSuccessAt.Equal(t0.Add(2*time.Minute)) ||
		state.BackfilledAt.IsZero() || !state.NextRunAt.Equal(t0.Add(15*time.Minute)) || state.APICalls != 10 || state.RateLimited != 1 {
		t.Fatalf("state after success: %+v", state)
	}
	if done, _ := st.SyncUnitsDone(f.ctx, p.ID); len(done) != 0 {
		t.Fatalf("checkpoint kept after the pass finished: %v", done)
	}
	if err := st.ResumeSyncPass(f.ctx, p.ID, t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("resuming a finished pass: %v", err)
	}
}

func syncSweepRequest(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-sweep")
	must(t, st.RequestSweep(f.ctx, f.conn.ID, t0))
	p, err := st.BeginSyncPass(f.ctx, f.conn.ID, store.PassSweep, t0.Add(-time.Hour), t0.Add(time.Second), t0.Add(time.Second))
	must(t, err)
	if s, _ := st.SyncStateOf(f.ctx, f.conn.ID); !s.SweepRequestedAt.IsZero() {
		t.Fatal("a sweep did not answer the request made before it began")
	}
	must(t, st.RequestSweep(f.ctx, f.conn.ID, t0.Add(2*time.Second)))
	must(t, st.FinishSyncPass(f.ctx, p.ID, store.PassSucceeded, t0.Add(time.Hour), t0.Add(3*time.Second)))
	if s, _ := st.SyncStateOf(f.ctx, f.conn.ID); s.SweepRequestedAt.IsZero() {
		t.Fatal("a request made during the sweep was lost")
	}
	inc, err := st.BeginSyncPass(f.ctx, f.conn.ID, store.PassIncremental, t0, t0.Add(4*time.Second), t0.Add(4*time.Second))
	must(t, err)
	if s, _ := st.SyncStateOf(f.ctx, f.conn.ID); s.SweepRequestedAt.IsZero() || s.PassID != inc.ID {
		t.Fatalf("an incremental pass must not answer a sweep request: %+v", s)
	}
}

func syncDue(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-due")
	due := func(at time.Time) map[int64]bool {
		ids, err := st.DueSyncConnections(f.ctx, at)
		must(t, err)
		m := map[int64]bool{}
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	if !due(t0)[f.conn.ID] {
		t.Fatal("a never-synced connection is not due")
	}
	p, err := st.BeginSyncPass(f.ctx, f.conn.ID, store.PassBackfill, t0, t0, t0)
	must(t, err)
	if !due(t0)[f.conn.ID] {
		t.Fatal("a connection with an unfinished pass is not due")
	}
	must(t, st.FinishSyncPass(f.ctx, p.ID, store.PassSucceeded, t0.Add(15*time.Minute), t0))
	if due(t0.Add(14 * time.Minute))[f.conn.ID] {
		t.Fatal("due before its next run")
	}
	if !due(t0.Add(15 * time.Minute))[f.conn.ID] {
		t.Fatal("not due at its next run")
	}
	must(t, st.RequestSweep(f.ctx, f.conn.ID, t0))
	if !due(t0)[f.conn.ID] {
		t.Fatal("a sweep request does not make it due")
	}
	must(t, st.SetConnectionStatus(f.ctx, f.conn.ID, store.StatusNeedsReconnect, "revoked", t0))
	if due(t0.Add(time.Hour))[f.conn.ID] {
		t.Fatal("a connection that needs reconnecting is due")
	}
}

func syncCursors(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-cursors")
	if c, err := st.SyncCursor(f.ctx, f.conn.ID, "calls", "zu-alice"); err != nil || !c.IsZero() {
		t.Fatalf("fresh cursor %v %v", c, err)
	}
	must(t, st.AdvanceSyncCursor(f.ctx, f.conn.ID, "calls", "zu-alice", t0))
	must(t, st.AdvanceSyncCursor(f.ctx, f.conn.ID, "calls", "zu-alice", t0.Add(-time.Hour)))
	must(t, st.AdvanceSyncCursor(f.ctx, f.conn.ID, "meetings", "zu-alice", t0.Add(-time.Hour)))
	all, err := st.SyncCursors(f.ctx, f.conn.ID, "calls")
	must(t, err)
	if len(all) != 1 || !all["zu-alice"].Equal(t0) {
		t.Fatalf("calls cursors %v", all)
	}
	must(t, st.ResetSyncCursors(f.ctx, f.conn.ID, "calls"))
	if c, _ := st.SyncCursor(f.ctx, f.conn.ID, "calls", "zu-alice"); !c.IsZero() {
		t.Fatal("reset kept the cursor")
	}
	if c, _ := st.SyncCursor(f.ctx, f.conn.ID, "meetings", "zu-alice"); !c.Equal(t0.Add(-time.Hour)) {
		t.Fatal("reset of calls touched meetings")
	}
}

func syncErrorsScoped(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-errors")
	other := newFixture(t, st, "sync-errors-other")
	p, err := st.BeginSyncPass(f.ctx, f.conn.ID, store.PassBackfill, t0, t0, t0)
	must(t, err)
	must(t, st.RecordSyncError(f.ctx, store.SyncError{ConnectionID: f.conn.ID, PassID: p.ID, Stream: "calls", ZoomUserID: "zu-bob",
		Code: 300, Message: "User does not exist", At: t0}))
	f.upsert(f.meeting("m1", "zu-alice", f.alice.ID, t0))
	f.upsert(f.call("c1", "zu-alice", f.alice.ID, t0))
	errs, err := st.SyncErrors(f.ctx, f.org.ID, f.conn.ID, 10)
	must(t, err)
	if len(errs) != 1 || errs[0].Code != 300 || errs[0].ZoomUserID != "zu-bob" {
		t.Fatalf("errors %+v", errs)
	}
	if leak, _ := st.SyncErrors(f.ctx, other.org.ID, f.conn.ID, 10); len(leak) != 0 {
		t.Fatal("another organization reads this connection's errors")
	}
	if _, err := st.SyncStatusOf(f.ctx, other.org.ID, f.conn.ID, t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another organization reads this connection's status: %v", err)
	}
	status, err := st.SyncStatusOf(f.ctx, f.org.ID, f.conn.ID, t0.Add(time.Hour))
	must(t, err)
	if !status.Running || status.LastPass.Errors != 1 || status.RecentErrors != 1 || status.Records[store.ActivityMeeting] != 1 ||
		status.Records[store.ActivityCall] != 1 || status.Records[store.ActivityWebinar] != 0 || status.MappedUsers != 2 || status.UnmappedUsers != 1 {
		t.Fatalf("status %+v", status)
	}
	all, err := st.SyncStatuses(f.ctx, other.org.ID, t0)
	must(t, err)
	if len(all) != 1 || !all[0].NeverSynced || all[0].ConnectionID != other.conn.ID {
		t.Fatalf("other organization's statuses %+v", all)
	}
}

func syncSkips(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-skips")
	must(t, st.SkipSyncUser(f.ctx, f.conn.ID, "calls", "zu-bob", "no Zoom Phone licence", t0.Add(time.Hour)))
	if s, _ := st.SyncSkips(f.ctx, f.conn.ID, "calls", t0); s["zu-bob"] != "no Zoom Phone licence" {
		t.Fatalf("skips %v", s)
	}
	if s, _ := st.SyncSkips(f.ctx, f.conn.ID, "meetings", t0); len(s) != 0 {
		t.Fatalf("skip leaked to another stream: %v", s)
	}
	if s, _ := st.SyncSkips(f.ctx, f.conn.ID, "calls", t0.Add(time.Hour)); len(s) != 0 {
		t.Fatalf("skip outlived its time: %v", s)
	}
}

func syncUnmapped(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-unmapped")
	dave, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "dave@example.com", Name: "Dave"}, t0)
	must(t, err)
	erin, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "erin@example.com", Name: "Erin"}, t0)
	must(t, err)
	erin.Active = false
	must(t, st.UpdatePerson(f.ctx, erin, t0))
	for _, u := range []store.ZoomUser{
		{ZoomUserID: "zu-erin", Email: "erin@example.com", Status: "active"},
		{ZoomUserID: "zu-noemail", Email: "", Status: "active"},
		{ZoomUserID: "zu-bob", Email: "bob@example.com", Status: "inactive"},
	} {
		u.OrgID, u.ConnectionID = f.org.ID, f.conn.ID
		_, err := st.UpsertZoomUser(f.ctx, u, t0)
		must(t, err)
	}
	unmapped, err := st.UnmappedZoomUsers(f.ctx, f.org.ID)
	must(t, err)
	reasons := map[string]string{}
	for _, u := range unmapped {
		reasons[u.ZoomUserID] = u.Reason
	}
	want := map[string]string{"zu-carol": store.ReasonNoPerson, "zu-erin": store.ReasonPersonInactive, "zu-noemail": store.ReasonNoEmail}
	if len(reasons) != len(want) {
		t.Fatalf("unmapped %v, want %v", reasons, want)
	}
	for id, r := range want {
		if reasons[id] != r {
			t.Fatalf("unmapped %s: %q, want %q", id, reasons[id], r)
		}
	}
	without, err := st.PeopleWithoutZoomUser(f.ctx, f.org.ID)
	must(t, err)
	got := map[int64]string{}
	for _, p := range without {
		got[p.ID] = p.Reason
	}
	if len(got) != 2 || got[dave.ID] != store.ReasonNoZoomUser || got[f.bob.ID] != store.ReasonZoomInactive {
		t.Fatalf("people without a Zoom user: %v (dave %d, bob %d)", got, dave.ID, f.bob.ID)
	}
	lonely, err := st.CreateOrganization(f.ctx, "No Zoom", "sync-unmapped-lonely", t0)
	must(t, err)
	_, err = st.CreatePerson(f.ctx, store.Person{OrgID: lonely.ID, Email: "x@example.com"}, t0)
	must(t, err)
	if l, _ := st.PeopleWithoutZoomUser(f.ctx, lonely.ID); len(l) != 1 || l[0].Reason != store.ReasonNoConnection {
		t.Fatalf("organization without a connection: %+v", l)
	}
}

func syncRelink(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "sync-relink")
	f.upsert(f.meeting("m1", "zu-carol", 0, t0))
	carol, err := st.CreatePerson(f.ctx, store.Person{OrgID: f.org.ID, Email: "carol@example.com", Name: "Carol"}, t0)
	must(t, err)
	_, err = st.RemapPeople(f.ctx, f.org.ID, t0)
	must(t, err)
	n, err := st.RelinkActivities(f.ctx, f.conn.ID, t0)
	must(t, err)
	if n != 1 {
		t.Fatalf("relinked %d, want 1", n)
	}
	if got := f.visible(store.ActivityFilter{PersonID: carol.ID}); len(got) != 1 {
		t.Fatalf("carol sees %d activities after mapping, want 1", len(got))
	}
	if n, _ := st.RelinkActivities(f.ctx, f.conn.ID, t0); n != 0 {
		t.Fatalf("second relink changed %d rows", n)
	}
}

func rateSlots(t *testing.T, st *store.Store) {
	ctx := context.Background()
	bucket := "acct-" + t.Name() + "|Heavy"
	iv := 100 * time.Millisecond
	slot, ok, err := st.ReserveRateSlot(ctx, bucket, iv, t0, t0.Add(time.Second))
	must(t, err)
	if !ok || !slot.Equal(t0) {
		t.Fatalf("first slot %v %v", slot, ok)
	}
	slot, ok, err = st.ReserveRateSlot(ctx, bucket, iv, t0, t0.Add(time.Second))
	must(t, err)
	if !ok || !slot.Equal(t0.Add(iv)) {
		t.Fatalf("second slot %v %v", slot, ok)
	}
	// Beyond latest: nothing taken, and the answer says when.
	slot, ok, err = st.ReserveRateSlot(ctx, bucket, iv, t0, t0.Add(150*time.Millisecond))
	must(t, err)
	if ok || !slot.Equal(t0.Add(2*iv)) {
		t.Fatalf("refused slot %v %v", slot, ok)
	}
	must(t, st.DeferRateBucket(ctx, bucket, t0.Add(5*time.Second), t0))
	slot, ok, err = st.ReserveRateSlot(ctx, bucket, iv, t0, t0.Add(time.Minute))
	must(t, err)
	if !ok || !slot.Equal(t0.Add(5*time.Second)) {
		t.Fatalf("slot after Retry-After %v %v", slot, ok)
	}
	// Many goroutines (connections, on PostgreSQL separate sessions) take
	// distinct slots, each one interval apart.
	shared := bucket + "|shared"
	var mu sync.Mutex
	var slots []time.Time
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				s, ok, err := st.ReserveRateSlot(ctx, shared, iv, t0, t0.Add(time.Hour))
				if err != nil || !ok {
					t.Errorf("reserve: %v %v", ok, err)
					return
				}
				mu.Lock()
				slots = append(slots, s)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(slots, func(i, j int) bool { return slots[i].Before(slots[j]) })
	for i, s := range slots {
		if !s.Equal(t0.Add(time.Duration(i) * iv)) {
			t.Fatalf("slot %d is %v, want %v", i, s.Sub(t0), time.Duration(i)*iv)
		}
	}
}

func rateDaily(t *testing.T, st *store.Store) {
	ctx := context.Background()
	pool := "acct-" + t.Name() + "|daily|heavy"
	day := t0.Truncate(24 * time.Hour)
	for i := range 3 {
		ok, _, err := st.TakeDailyCall(ctx, pool, day, 3, t0)
		must(t, err)
		if !ok {
			t.Fatalf("call %d refused under the cap", i)
		}
	}
	ok, retry, err := st.TakeDailyCall(ctx, pool, day, 3, t0)
	must(t, err)
	if ok || !retry.Equal(day.Add(24*time.Hour)) {
		t.Fatalf("over the cap: ok %v retry %v", ok, retry)
	}
	must(t, st.ReturnDailyCall(ctx, pool, day))
	if ok, _, _ := st.TakeDailyCall(ctx, pool, day, 3, t0); !ok {
		t.Fatal("a returned call was not available again")
	}
	next := day.Add(24 * time.Hour)
	if ok, _, _ := st.TakeDailyCall(ctx, pool, next, 3, next); !ok {
		t.Fatal("the pool did not reset on a new day")
	}
	// Zoom says other apps used most of today's pool.
	must(t, st.NoteDailyUsed(ctx, pool, next, 3, next))
	if ok, _, _ := st.TakeDailyCall(ctx, pool, next, 3, next); ok {
		t.Fatal("calls counted by Zoom's headers were ignored")
	}
	must(t, st.NoteDailyUsed(ctx, pool, day, 0, next)) // a late answer about yesterday changes nothing
	blocked := "acct-" + t.Name() + "|daily|blocked"
	must(t, st.BlockDailyPool(ctx, blocked, next.Add(time.Hour), day))
	ok, retry, err = st.TakeDailyCall(ctx, blocked, day, 100, day)
	must(t, err)
	if ok || !retry.Equal(next.Add(time.Hour)) {
		t.Fatalf("blocked pool: ok %v retry %v", ok, retry)
	}
	if ok, _, _ := st.TakeDailyCall(ctx, blocked, next, 100, next.Add(time.Hour)); !ok {
		t.Fatal("the pool stayed blocked after Retry-After")
	}
}
