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

// ProcessArgs is the job that processed the events of one group commit
// before sweeps (SweepArgs) replaced it; jobs of this kind queued by an
// earlier version are still worked.
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

// unused are the outcomes of events whose payload nothing used, which keep
// only their envelope once processed (A4): the organization does not enable
// the feature, the person is not ingested, or zoombridge does not act on the type.
var unused = map[string]bool{OutcomeUnhandled: true, OutcomeNoConnection: true, OutcomeNotIngested: true}

// PurgeFunc removes one connection with everything synced through it and
// records why in the audit log, in a transaction of its own (C7).
type PurgeFunc func(ctx context.Context, conn store.Connection, why string) error

// ArtifactFunc applies a recording or AI summary event in the processing
// transaction tx, given the connections the event reaches; it returns the outcome.
type ArtifactFunc func(ctx context.Context, tx *store.Store, ev store.InboxEvent, conns []store.Connection) (string, error)

// Processor turns stored events into activities and Zoom user changes.
type Processor struct {
	st                 *store.Store
	log                *slog.Logger
	m                  *Metrics
	now                func() time.Time
	deploymentClientID string
	purge              PurgeFunc
	artifacts          ArtifactFunc
	turns              *writerTurns  // SQLite: processing yields the writer to the accept path
	pace               *acceptPace   // PostgreSQL: processing rests while events are accepted
	delay              time.Duration // test-only: a slow processor (Config.ProcessDelay)
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

// Process applies the stored events ids, each once: an event's effects and
// its inbox row's outcome commit together, so a retry after a crash finds it
// done. It returns once every one of ids is processed (by this call or a
// sweep); if a chunk fails, each event still pending is retried alone, so one
// bad event does not hold back the others.
func (p *Processor) Process(ctx context.Context, ids ...int64) error {
	own, err := p.st.PendingInboxIDs(ctx, ids)
	for err == nil && len(own) > 0 {
		var c chunkResult
		c, err = p.chunk(ctx, own, false)
		if err != nil && len(own) > 1 && ctx.Err() == nil {
			var errs []error
			for _, id := range own {
				errs = append(errs, p.Process(ctx, id))
			}
			return errors.Join(errs...)
		}
		own = c.left
	}
	return err
}

// Events are processed in chunks, one transaction (one fsync) each.
const (
	chunkMax = 512 // events per transaction
	chunkMin = 16  // events claimed at a time, and the least a chunk processes before it yields to a waiting commit (SQLite)
)

// chunkResult is what one chunk did.
type chunkResult struct {
	left []int64 // of the ids asked for, those not looked at (the chunk yielded)
	last int64   // the largest id processed
	n    int     // events processed
}

// chunk processes, in one transaction, those of ids still pending. A sweep
// skips events another processor holds (PostgreSQL); Process waits for them.
// On SQLite it waits for its turn at the writer and, once it has done as
// many events as the last commit stored (writerTurns.yieldAfter), ends early
// when a commit waits.
func (p *Processor) chunk(ctx context.Context, ids []int64, sweep bool) (chunkResult, error) {
	var res chunkResult
	var deauth []int64
	var applied []store.InboxEvent
	p.turns.acquire(false)
	err := func() error {
		defer p.turns.release()
		return p.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			res, deauth, applied = chunkResult{}, deauth[:0], applied[:0]
			outcomes := map[string][]int64{}
			in := newIngester(ctx, tx)
			// On SQLite claimed chunkMin at a time, so yielding early leaves
			// nothing read for naught; on PostgreSQL (no yielding) at once, one
			// round trip.
			yield, claim := p.turns.yieldAfter(), len(ids)
			if p.turns != nil {
				claim = chunkMin
			}
			for rest := ids; len(rest) > 0; {
				if res.n >= yield && p.turns.commitWaiting() {
					res.left = rest
					break
				}
				part := rest[:min(claim, len(rest))]
				rest = rest[len(part):]
				evs, err := tx.ClaimInboxEvents(ctx, part, sweep)
				if err != nil {
					return err
				}
				for _, ev := range evs {
					res.last, res.n = max(res.last, ev.ID), res.n+1
					if ev.Event == "app_deauthorized" {
						deauth = append(deauth, ev.ID) // purges commit on their own, after this chunk
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
			}
			if err := in.flush(); err != nil {
				return err
			}
			for outcome, ids := range outcomes {
				mark := tx.MarkInboxEventsProcessed
				if unused[outcome] {
					mark = tx.MarkInboxEventsDropped
				}
				if err := mark(ctx, ids, outcome, p.now()); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	if err != nil {
		return chunkResult{}, err
	}
	for _, ev := range applied {
		p.count(ev, ev.Outcome)
	}
	var errs []error
	for _, id := range deauth {
		errs = append(errs, p.processDeauth(ctx, id))
	}
	return res, errors.Join(errs...)
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
		if err := in.flush(); err != nil { // activities of earlier events first: user.deleted deletes some
			return "", err
		}
		in.forget() // Zoom users change: later events of the batch must see it
		return p.user(ctx, tx, ev)
	case strings.HasPrefix(e, "recording.") || strings.HasPrefix(e, "meeting.summary_"):
		if p.artifacts == nil {
			return OutcomeStored, nil
		}
		conns, err := in.connections(ev)
		if err != nil {
			return "", err
		}
		return p.artifacts(ctx, tx, ev, conns)
	}
	return OutcomeUnhandled, nil
}

// decodePayload reads payload.object (or the payload itself when object is
// nil) into v. A type Zoom's docs do not show is reported, not retried.
func decodePayload(body []byte, object any, payload any) bool {
	if payload == nil {
		// One pass over the body to find the object, one to decode it.
		var env struct {
			Payload struct {
				Object json.RawMessage `json:"object"`
			} `json:"payload"`
		}
		if json.Unmarshal(body, &env) != nil || len(env.Payload.Object) == 0 {
			return false
		}
		return object == nil || json.Unmarshal(env.Payload.Object, object) == nil
	}
	var env struct {
		Payload json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(body, &env) != nil {
		return false
	}
	if json.Unmarshal(env.Payload, payload) != nil {
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
