package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// InboxEvent is one verified webhook delivery as received.
type InboxEvent struct {
	ID          int64
	DedupKey    string
	App         string
	OrgID       int64
	Event       string
	EventTS     int64
	AccountID   string
	Body        []byte
	ReceivedAt  time.Time
	ProcessedAt time.Time
	Outcome     string
	Duplicates  int
}

const inboxCols = "id, dedup_key, app, org_id, event, event_ts, account_id, body, received_at, processed_at, outcome, duplicates"

func scanInbox(row interface{ Scan(...any) error }) (InboxEvent, error) {
	var e InboxEvent
	var org sql.NullInt64
	var received, processed int64
	err := row.Scan(&e.ID, &e.DedupKey, &e.App, &org, &e.Event, &e.EventTS, &e.AccountID, &e.Body, &received, &processed, &e.Outcome, &e.Duplicates)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	e.OrgID, e.ReceivedAt, e.ProcessedAt = org.Int64, fromMS(received), fromMS(processed)
	return e, err
}

// InsertInboxEvent stores an event unless its dedup key is known; a duplicate
// only bumps the counter. It returns the row id and whether the event was new.
func (s *Store) InsertInboxEvent(ctx context.Context, e InboxEvent) (id int64, isNew bool, err error) {
	err = s.q.QueryRowContext(ctx, s.rebind(`INSERT INTO webhook_inbox (dedup_key, app, org_id, event, event_ts, account_id, body, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING RETURNING id`),
		e.DedupKey, e.App, nullID(e.OrgID), e.Event, e.EventTS, e.AccountID, e.Body, ms(e.ReceivedAt)).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	err = s.q.QueryRowContext(ctx, s.rebind("UPDATE webhook_inbox SET duplicates = duplicates + 1 WHERE dedup_key = ? RETURNING id"), e.DedupKey).Scan(&id)
	return id, false, err
}

// InboxEventByID returns one stored event.
func (s *Store) InboxEventByID(ctx context.Context, id int64) (InboxEvent, error) {
	return scanInbox(s.queryRow(ctx, "SELECT "+inboxCols+" FROM webhook_inbox WHERE id = ?", id))
}

// MarkInboxProcessed records an event's outcome.
func (s *Store) MarkInboxProcessed(ctx context.Context, id int64, outcome string, at time.Time) error {
	res, err := s.exec(ctx, "UPDATE webhook_inbox SET processed_at = ?, outcome = ? WHERE id = ?", ms(at), outcome, id)
	return mustAffect(res, err)
}

// PruneInbox deletes processed events received before cutoff.
func (s *Store) PruneInbox(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM webhook_inbox WHERE processed_at <> 0 AND received_at < ?", ms(cutoff))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// InboxFilter selects stored webhook events.
type InboxFilter struct {
	Event       string // "" for every type
	Outcome     string // "" for every outcome
	Unprocessed bool   // only events not processed yet
	AfterID     int64  // keyset pagination: events with a larger id
	Limit       int
}

// InboxEvents lists stored events by id (the recording-linking work reads
// outcome "stored"; checks read what is still unprocessed).
func (s *Store) InboxEvents(ctx context.Context, f InboxFilter) ([]InboxEvent, error) {
	q := "SELECT " + inboxCols + " FROM webhook_inbox WHERE id > ?"
	args := []any{f.AfterID}
	if f.Event != "" {
		q += " AND event = ?"
		args = append(args, f.Event)
	}
	if f.Outcome != "" {
		q += " AND outcome = ?"
		args = append(args, f.Outcome)
	}
	if f.Unprocessed {
		q += " AND processed_at = 0"
	}
	q += " ORDER BY id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanInbox)
}

// InboxCounts returns how many events are stored and how many of them are processed.
func (s *Store) InboxCounts(ctx context.Context) (stored, processed int64, err error) {
	err = s.queryRow(ctx, "SELECT COUNT(*), COUNT(CASE WHEN processed_at <> 0 THEN 1 END) FROM webhook_inbox").Scan(&stored, &processed)
	return stored, processed, err
}

// InsertInboxEvents stores a batch of events in one statement: one parse and
// one round trip however many events share the commit. Events whose dedup key
// is already stored (or repeated within the batch) only bump the stored row's
// duplicate counter. ids[i] and isNew[i] describe events[i].
func (s *Store) InsertInboxEvents(ctx context.Context, events []InboxEvent) (ids []int64, isNew []bool, err error) {
	ids, isNew = make([]int64, len(events)), make([]bool, len(events))
	first := map[string]int{}
	var q strings.Builder
	q.WriteString("INSERT INTO webhook_inbox (dedup_key, app, org_id, event, event_ts, account_id, body, received_at) VALUES ")
	args := make([]any, 0, 8*len(events))
	for i, e := range events {
		if _, dup := first[e.DedupKey]; dup {
			continue
		}
		first[e.DedupKey] = i
		if len(args) > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, e.DedupKey, e.App, nullID(e.OrgID), e.Event, e.EventTS, e.AccountID, e.Body, ms(e.ReceivedAt))
	}
	q.WriteString(" ON CONFLICT (dedup_key) DO NOTHING RETURNING id, dedup_key")
	rows, err := s.q.QueryContext(ctx, s.rebind(q.String()), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, nil, err
		}
		ids[first[key]], isNew[first[key]] = id, true
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	// Duplicates: count them on the stored row and report its id.
	for i, e := range events {
		if isNew[i] {
			continue
		}
		err := s.q.QueryRowContext(ctx, s.rebind("UPDATE webhook_inbox SET duplicates = duplicates + 1 WHERE dedup_key = ? RETURNING id"), e.DedupKey).Scan(&ids[i])
		if err != nil {
			return nil, nil, err
		}
	}
	return ids, isNew, nil
}

// InboxEventsByID returns the stored events among ids, in id order.
func (s *Store) InboxEventsByID(ctx context.Context, ids []int64) ([]InboxEvent, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, "SELECT "+inboxCols+" FROM webhook_inbox WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+") ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanInbox)
}

// MarkInboxEventsProcessed records one outcome for several events at once.
func (s *Store) MarkInboxEventsProcessed(ctx context.Context, ids []int64, outcome string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{ms(at), outcome}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.exec(ctx, "UPDATE webhook_inbox SET processed_at = ?, outcome = ? WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", args...)
	return err
}
