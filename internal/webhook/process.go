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

// ProcessArgs is the job that processes stored events; it is inserted in
// the transaction that stores them (one job per group commit).
type ProcessArgs struct {
	InboxIDs []int64 `json:"inbox_ids"`
}

// Kind names the job in the queue.
func (ProcessArgs) Kind() string { return "webhook_events" }

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

// Work processes the events; an error retries the job with backoff, and
// the retry skips the events already processed.
func (w *Worker) Work(ctx context.Context, job *river.Job[ProcessArgs]) error {
	return w.p.Process(ctx, job.Args.InboxIDs...)
}

// Process applies stored events, each once: an event's effects and its inbox
// row's outcome commit together, so a retry after a crash finds it done. The
// events share one transaction (one fsync); if it fails, each is retried
// alone so one bad event does not hold back the others.
func (p *Processor) Process(ctx context.Context, ids ...int64) error {
	var deauth []int64
	var applied []store.InboxEvent
	outcomes := map[string][]int64{}
	err := p.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		applied, deauth, outcomes = applied[:0], deauth[:0], map[string][]int64{}
		evs, err := tx.InboxEventsByID(ctx, ids)
		if err != nil {
			return err
		}
		in := newIngester(ctx, tx)
		defer in.close()
		for _, ev := range evs {
			switch {
			case !ev.ProcessedAt.IsZero():
				continue
			case ev.Event == "app_deauthorized":
				deauth = append(deauth, ev.ID) // purges commit on their own
				continue
			}
			outcome, err := p.apply(in, ev)
			if err != nil {
				return fmt.Errorf("%s: %w", ev.Event, err)
			}
			ev.Outcome = outcome
			applied = append(applied, ev)
			outcomes[outcome] = append(outcomes[outcome], ev.ID)
		}
		for outcome, ids := range outcomes {
			if err := tx.MarkInboxEventsProcessed(ctx, ids, outcome, p.now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(ids) > 1 {
		var errs []error
		for _, id := range ids {
			errs = append(errs, p.Process(ctx, id))
		}
		return errors.Join(errs...)
	}
	if err != nil {
		return err
	}
	for _, ev := range applied {
		p.count(ev, ev.Outcome)
	}
	var errs []error
	for _, id := range deauth {
		errs = append(errs, p.processDeauth(ctx, id))
	}
	return errors.Join(errs...)
}

func (p *Processor) processDeauth(ctx context.Context, id int64) error {
	ev, err := p.st.InboxEventByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !ev.ProcessedAt.IsZero()) {
		return nil
	}
	if err != nil {
		return err
	}
	outcome, err := p.deauthorized(ctx, ev)
	if err == nil {
		err = p.st.MarkInboxProcessed(ctx, id, outcome, p.now())
	}
	if err != nil {
		return err
	}
	p.count(ev, outcome)
	return nil
}

func (p *Processor) count(ev store.InboxEvent, outcome string) {
	p.m.Processed.WithLabelValues(outcome).Inc()
	if lag := time.Since(ev.ReceivedAt); !ev.ReceivedAt.IsZero() && lag >= 0 {
		p.m.Lag.Observe(lag.Seconds())
	}
}

func (p *Processor) apply(in *ingester, ev store.InboxEvent) (string, error) {
	ctx, tx := in.ctx, in.tx
	switch e := ev.Event; {
	case e == "meeting.started" || e == "meeting.ended":
		return p.instance(in, ev, store.ActivityMeeting)
	case e == "webinar.started" || e == "webinar.ended":
		return p.instance(in, ev, store.ActivityWebinar)
	case e == "phone.caller_ended" || e == "phone.callee_ended":
		return p.callEnded(in, ev)
	case strings.HasPrefix(e, "phone.") && (strings.HasSuffix(e, "_call_history_completed") || strings.HasSuffix(e, "_call_log_completed")):
		return p.callHistory(in, ev)
	case strings.HasPrefix(e, "user."):
		in.forget() // Zoom users change: later events of the batch must see it
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
