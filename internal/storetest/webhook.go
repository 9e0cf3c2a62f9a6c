package storetest

import (
	"context"
	"database/sql"
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
		u, err := tx.PrepareActivityUpsert(f.ctx)
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
