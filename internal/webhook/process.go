package webhook

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// ProcessArgs is the job that processes one stored event; it is inserted in
// the transaction that stores the event.
type ProcessArgs struct {
	InboxID int64 `json:"inbox_id"`
}

// Kind names the job in the queue.
func (ProcessArgs) Kind() string { return "webhook_event" }

// Processing outcomes, stored on the inbox row and counted.
const (
	OutcomeApplied      = "applied"       // activities or Zoom users written (or already so)
	OutcomeStored       = "stored"        // kept for the recording-linking work
	OutcomeUnhandled    = "unhandled"     // a type zoombridge does not act on
	OutcomeNoConnection = "no_connection" // no connection of this app holds the account
	OutcomeNotIngested  = "not_ingested"  // no mapped, active, switched-on person, or the feature is off
	OutcomeStale        = "stale"         // older than what is already applied for that Zoom user
	OutcomePurged       = "purged"        // app_deauthorized removed connections
	OutcomeMalformed    = "malformed"     // fields of an unexpected type; sync heals
)

// PurgeFunc removes one connection with everything synced through it and
// records why in the audit log, in a transaction of its own (C7).
type PurgeFunc func(ctx context.Context, conn store.Connection, why string) error

// Processor turns stored events into activities and Zoom user changes.
type Processor struct {
	st                 *store.Store
	log                *slog.Logger
	m                  *Metrics
	now                func() time.Time
	deploymentClientID string
	purge              PurgeFunc
}

// Worker runs ProcessArgs jobs.
type Worker struct {
	river.WorkerDefaults[ProcessArgs]
	p *Processor
}

// Work processes the event; an error retries the job with backoff.
func (w *Worker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	return w.p.Process(ctx, job.Args.InboxID)
}

// Process applies one stored event once: its effects and the inbox row's
// outcome commit together, so a retry after a crash finds it done.
func (p *Processor) Process(ctx context.Context, id int64) error {
	var ev store.InboxEvent
	var outcome string
	var err error
	if ev, err = p.st.InboxEventByID(ctx, id); err == nil && ev.Event == "app_deauthorized" && ev.ProcessedAt.IsZero() {
		if outcome, err = p.deauthorized(ctx, ev); err == nil {
			err = p.st.MarkInboxProcessed(ctx, id, outcome, p.now())
		}
		return p.done(ev, outcome, err)
	}
	err = p.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		var err error
		ev, err = tx.InboxEventByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !ev.ProcessedAt.IsZero()) {
			return errDone
		}
		if err != nil {
			return err
		}
		if outcome, err = p.apply(ctx, tx, ev); err != nil {
			return fmt.Errorf("%s: %w", ev.Event, err)
		}
		return tx.MarkInboxProcessed(ctx, id, outcome, p.now())
	})
	if errors.Is(err, errDone) {
		return nil
	}
	return p.done(ev, outcome, err)
}

func (p *Processor) done(ev store.InboxEvent, outcome string, err error) error {
	if err != nil {
		return err
	}
	p.m.Processed.WithLabelValues(outcome).Inc()
	if lag := time.Since(ev.ReceivedAt); !ev.ReceivedAt.IsZero() && lag >= 0 {
		p.m.Lag.Observe(lag.Seconds())
	}
	return nil
}

var errDone = errors.New("already processed")

func (p *Processor) apply(ctx context.Context, tx *store.Store, ev store.InboxEvent) (string, error) {
	switch e := ev.Event; {
	case e == "meeting.started" || e == "meeting.ended":
		return p.instance(ctx, tx, ev, store.ActivityMeeting)
	case e == "webinar.started" || e == "webinar.ended":
		return p.instance(ctx, tx, ev, store.ActivityWebinar)
	case e == "phone.caller_ended" || e == "phone.callee_ended":
		return p.callEnded(ctx, tx, ev)
	case strings.HasPrefix(e, "phone.") && (strings.HasSuffix(e, "_call_history_completed") || strings.HasSuffix(e, "_call_log_completed")):
		return p.callHistory(ctx, tx, ev)
	case strings.HasPrefix(e, "user."):
		return p.user(ctx, tx, ev)
	case e == "recording.completed" || e == "recording.transcript_completed" || e == "meeting.summary_completed":
		return OutcomeStored, nil
	}
	return OutcomeUnhandled, nil
}

// decodePayload reads payload.object (or the payload itself when object is
// nil) into v. A type Zoom's docs do not show is reported, not retried.
func decodePayload(body []byte, object any, payload any) bool {
	var env struct {
		Payload json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(body, &env) != nil {
		return false
	}
	if payload != nil && json.Unmarshal(env.Payload, payload) != nil {
		return false
	}
	if object != nil {
		var p struct {
			Object json.RawMessage `json:"object"`
		}
		if json.Unmarshal(env.Payload, &p) != nil || len(p.Object) == 0 || json.Unmarshal(p.Object, object) != nil {
			return false
		}
	}
	return true
}

// zoomTime parses Zoom's RFC 3339 times; anything else is unknown (zero).
func zoomTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func seconds(start, end time.Time) int {
	if start.IsZero() || end.IsZero() || end.Before(start) {
		return 0
	}
	return int(end.Sub(start) / time.Second)
}
