package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RunWebhook runs the webhook inbox's behaviours against the store open returns.
func RunWebhook(t *testing.T, open func(t *testing.T) *store.Store) {
	cases := []struct {
		name string
		fn   func(t *testing.T, st *store.Store)
	}{
		{"BatchInsertRecognisesDuplicatesWithinAndAcrossBatches", inboxBatchDedup},
		{"BatchMarkAndUnprocessedFilter", inboxBatchMark},
		{"ZoomUserMarksOnlyMoveForwardAndKeepDeletion", zoomUserMarks},
		{"PreparedActivityUpsertMergesLikeUpsertActivity", preparedUpsert},
		{"BatchActivityUpsertMergesInOrderLikeOneByOne", batchUpsert},
		{"PendingIDsAndClaimsSkipProcessedEvents", inboxPendingAndClaim},
		{"ConcurrentClaimsNeverShareAnEvent", inboxClaimsExclusive},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

func inboxEvent(key string) store.InboxEvent {
	return store.InboxEvent{DedupKey: key, App: "deployment", Event: "meeting.ended", EventTS: 1, Body: []byte(`{"k":"` + key + `"}`), ReceivedAt: t0}
}

func inboxBatchDedup(t *testing.T, st *store.Store) {
	ctx := context.Background()
	ids, isNew, err := st.InsertInboxEvents(ctx, []store.InboxEvent{inboxEvent("b-1"), inboxEvent("b-2"), inboxEvent("b-1")})
	must(t, err)
	if !isNew[0] || !isNew[1] || isNew[2] || ids[2] != ids[0] || ids[0] == ids[1] {
		t.Fatalf("first batch: ids %v new %v", ids, isNew)
	}
	ids2, isNew2, err := st.InsertInboxEvents(ctx, []store.InboxEvent{inboxEvent("b-2"), inboxEvent("b-3")})
	must(t, err)
	if isNew2[0] || !isNew2[1] || ids2[0] != ids[1] {
		t.Fatalf("second batch: ids %v new %v", ids2, isNew2)
	}
	got, err := st.InboxEventsByID(ctx, []int64{ids[0], ids[1], ids2[1]})
	must(t, err)
	if len(got) != 3 || got[0].Duplicates != 1 || got[1].Duplicates != 1 || got[2].Duplicates != 0 || string(got[2].Body) != `{"k":"b-3"}` {
		t.Fatalf("stored %+v", got)
	}
}

func inboxBatchMark(t *testing.T, st *store.Store) {
	ctx := context.Background()
	ids, _, err := st.InsertInboxEvents(ctx, []store.InboxEvent{inboxEvent("m-1"), inboxEvent("m-2"), inboxEvent("m-3")})
	must(t, err)
	must(t, st.MarkInboxEventsProcessed(ctx, ids[:2], "applied", t0.Add(time.Second)))
	// Other behaviours share the database and insert concurrently: look only at ours.
	ours := func(evs []store.InboxEvent) []store.InboxEvent {
		var out []store.InboxEvent
		for _, e := range evs {
			if e.ID == ids[0] || e.ID == ids[1] || e.ID == ids[2] {
				out = append(out, e)
			}
		}
		return out
	}
	left, err := st.InboxEvents(ctx, store.InboxFilter{Unprocessed: true, AfterID: ids[0] - 1})
	must(t, err)
	left = ours(left)
	if len(left) != 1 || left[0].ID != ids[2] {
		t.Fatalf("unprocessed %+v", left)
	}
	done, err := st.InboxEvents(ctx, store.InboxFilter{Outcome: "applied", AfterID: ids[0] - 1})
	must(t, err)
	done = ours(done)
	if len(done) != 2 || !done[0].ProcessedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("applied %+v", done)
	}
}

func zoomUserMarks(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "marks")
	ctx := f.ctx
	ts, del, err := st.ZoomUserMark(ctx, f.conn.ID, "zu-alice")
	must(t, err)
	if ts != 0 || del {
		t.Fatalf("no mark yet: %d %v", ts, del)
	}
	must(t, st.MarkZoomUser(ctx, f.conn.ID, "zu-alice", 200, false))
	must(t, st.MarkZoomUser(ctx, f.conn.ID, "zu-alice", 100, true))
	must(t, st.MarkZoomUser(ctx, f.conn.ID, "zu-alice", 150, false))
	if ts, del, _ = st.ZoomUserMark(ctx, f.conn.ID, "zu-alice"); ts != 200 || !del {
		t.Fatalf("mark %d %v, want 200 and deleted", ts, del)
	}
	must(t, st.DeleteConnection(ctx, f.conn.ID))
	if ts, del, _ = st.ZoomUserMark(ctx, f.conn.ID, "zu-alice"); ts != 0 || del {
		t.Fatal("marks outlived their connection")
	}
}

func preparedUpsert(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "prepared")
	err := st.InTx(f.ctx, func(tx *store.Store, _ *sql.Tx) error {
		u, err := tx.PrepareActivityUpsert(f.ctx, true)
		if err != nil {
			return err
		}
		defer u.Close()
		ended := f.meeting("p-1", "zu-alice", f.alice.ID, t0)
		ended.Title = ""
		started := f.meeting("p-1", "zu-alice", f.alice.ID, t0)
		started.EndAt, started.DurationSeconds = time.Time{}, 0
		for _, a := range []store.Activity{ended, started, ended} {
			if _, err := u.Upsert(f.ctx, a, t0); err != nil {
				return err
			}
		}
		return nil
	})
	must(t, err)
	got := f.visible(store.ActivityFilter{})
	if len(got) != 1 || got[0].Title != "Standup p-1" || got[0].DurationSeconds != 1800 {
		t.Fatalf("got %+v", got)
	}
}

func inboxPendingAndClaim(t *testing.T, st *store.Store) {
	ctx := context.Background()
	ids, _, err := st.InsertInboxEvents(ctx, []store.InboxEvent{inboxEvent("c-1"), inboxEvent("c-2"), inboxEvent("c-3"), inboxEvent("c-4")})
	must(t, err)
	must(t, st.MarkInboxEventsProcessed(ctx, ids[1:2], "applied", t0))
	pending, err := st.PendingInboxIDs(ctx, ids)
	must(t, err)
	if fmt.Sprint(pending) != fmt.Sprint([]int64{ids[0], ids[2], ids[3]}) {
		t.Fatalf("pending %v of %v (second processed)", pending, ids)
	}
	// Others insert concurrently: after ids[0] come at least ids[2] and ids[3], in order.
	after, err := st.PendingInboxIDsAfter(ctx, ids[0], 2)
	must(t, err)
	if len(after) != 2 || after[0] != ids[2] || after[1] <= after[0] {
		t.Fatalf("pending after %d: %v", ids[0], after)
	}
	top, err := st.MaxInboxID(ctx)
	must(t, err)
	if top < ids[3] {
		t.Fatalf("max id %d below %d", top, ids[3])
	}
	for _, skip := range []bool{false, true} {
		err = st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			evs, err := tx.ClaimInboxEvents(ctx, []int64{ids[3], ids[1], ids[0]}, skip)
			if err != nil {
				return err
			}
			if len(evs) != 2 || evs[0].ID != ids[0] || evs[1].ID != ids[3] || string(evs[1].Body) != `{"k":"c-4"}` {
				t.Errorf("claim (skip locked %v): %+v", skip, evs)
			}
			return nil
		})
		must(t, err)
	}
}

// inboxClaimsExclusive: while one transaction holds its claim, a sweep's
// claim passes those events by, and a claim that waits for them leaves out
// the ones the first transaction processed.
func inboxClaimsExclusive(t *testing.T, st *store.Store) {
	ctx := context.Background()
	ids, _, err := st.InsertInboxEvents(ctx, []store.InboxEvent{inboxEvent("x-1"), inboxEvent("x-2"), inboxEvent("x-3")})
	must(t, err)
	if st.Dialect() == store.SQLite {
		// One writer: the second transaction starts after the first commits.
		must(t, st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			_, err := tx.ClaimInboxEvents(ctx, ids[:2], false)
			if err == nil {
				err = tx.MarkInboxEventsProcessed(ctx, ids[:2], "applied", t0)
			}
			return err
		}))
		must(t, st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			evs, err := tx.ClaimInboxEvents(ctx, ids, true)
			if err == nil && (len(evs) != 1 || evs[0].ID != ids[2]) {
				t.Errorf("claim after the first committed: %+v", evs)
			}
			return err
		}))
		return
	}
	held, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			if _, err := tx.ClaimInboxEvents(ctx, ids[:2], false); err != nil {
				close(held)
				return err
			}
			close(held)
			<-release
			return tx.MarkInboxEventsProcessed(ctx, ids[:1], "applied", t0)
		})
	}()
	<-held
	must(t, st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		evs, err := tx.ClaimInboxEvents(ctx, ids, true)
		if err == nil && (len(evs) != 1 || evs[0].ID != ids[2]) {
			t.Errorf("sweep claim beside a held claim: %+v, want only %d", evs, ids[2])
		}
		return err
	}))
	waited := make(chan []store.InboxEvent, 1)
	go func() {
		var got []store.InboxEvent
		err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			var err error
			got, err = tx.ClaimInboxEvents(ctx, ids[:2], false)
			return err
		})
		if err != nil {
			t.Error(err)
		}
		waited <- got
	}()
	// Let the first commit only once the second claim is seen waiting for its rows.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var n int
		must(t, st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND query LIKE '%FROM webhook_inbox WHERE processed_at = 0 AND id IN%' AND query NOT LIKE '%SKIP LOCKED%'`).Scan(&n))
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second claim never waited for the rows the first holds")
		}
	}
	close(release)
	must(t, <-first)
	if got := <-waited; len(got) != 1 || got[0].ID != ids[1] {
		t.Fatalf("waiting claim: %+v, want only %d (the first processed %d)", got, ids[1], ids[0])
	}
}

// batchUpsert: UpsertActivities gives what UpsertActivity one by one gives,
// with one key several times in a batch (ended, started, ended again) and
// more rows than one statement holds, and reports for each row what it did:
// the outbound activity events are made from that report.
func batchUpsert(t *testing.T, st *store.Store) {
	f := newFixture(t, st, "batch")
	ended := f.meeting("b-1", "zu-alice", f.alice.ID, t0)
	ended.Title = ""
	started := f.meeting("b-1", "zu-alice", f.alice.ID, t0)
	started.EndAt, started.DurationSeconds = time.Time{}, 0
	renamed := started
	renamed.Title = "Renamed"
	batch := []store.Activity{ended, started, ended, renamed}
	for i := range 70 {
		batch = append(batch, f.call(fmt.Sprintf("b-call-%d", i), "zu-alice", f.alice.ID, t0.Add(time.Duration(i)*time.Minute)))
	}
	upsert := func(tell bool) (writes []store.Write) {
		must(t, st.InTx(f.ctx, func(tx *store.Store, _ *sql.Tx) (err error) {
			writes, err = tx.UpsertActivities(f.ctx, batch, t0, tell)
			return err
		}))
		return writes
	}
	want := []store.Write{store.Inserted, store.Changed, store.Unwritten, store.Changed} // the title set, then the end kept, then renamed
	for range 70 {
		want = append(want, store.Inserted)
	}
	if writes := upsert(true); !slices.Equal(writes, want) {
		t.Fatalf("first batch wrote %v, want %v", writes, want)
	}
	// Again, not asked to tell inserts from changes: ended sets nothing
	// new, started sets its title back, ended again nothing, renamed
	// renames; the calls are stored as they are. PostgreSQL tells anyway.
	want = make([]store.Write, len(batch))
	want[1], want[3] = store.Written, store.Written
	if st.Dialect() == store.Postgres {
		want[1], want[3] = store.Changed, store.Changed
	}
	if writes := upsert(false); !slices.Equal(writes, want) {
		t.Fatalf("the repeated batch wrote %v, want %v", writes, want)
	}
	got := f.visible(store.ActivityFilter{})
	if len(got) != 71 {
		t.Fatalf("%d activities, want 71", len(got))
	}
	for _, a := range got {
		if a.ZoomID == "b-1" && (a.Title != "Renamed" || a.DurationSeconds != 1800 || a.EndAt.IsZero()) {
			t.Fatalf("merged meeting %+v: want the last title and the ended event's end and duration", a)
		}
	}
}
