package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// OutboundDelivery is one event on its way to one endpoint, with the event's
// id, type and body for sending and listing.
type OutboundDelivery struct {
	ID            int64
	OrgID         int64
	EndpointID    int64
	EventID       int64
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastStatus    int
	LastError     string // a code, see outbound
	CreatedAt     time.Time
	UpdatedAt     time.Time

	MsgID     string
	EventType string
	Payload   string
	EventAt   time.Time
}

// OutboundAttempt is one HTTP request of a delivery.
type OutboundAttempt struct {
	ID          int64
	DeliveryID  int64
	AttemptedAt time.Time
	Status      int // 0 when no answer came
	Error       string
	Duration    time.Duration
	Response    string // the first kilobyte of the answer
}

const outboundDeliveryCols = "d.id, d.org_id, d.endpoint_id, d.event_id, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.updated_at, e.msg_id, e.type, e.payload, e.created_at"
const outboundDeliveryFrom = " FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id "

func scanOutboundDelivery(row interface{ Scan(...any) error }) (OutboundDelivery, error) {
	var d OutboundDelivery
	var next, created, updated, at int64
	err := row.Scan(&d.ID, &d.OrgID, &d.EndpointID, &d.EventID, &d.Status, &d.Attempts, &next, &d.LastStatus, &d.LastError, &created, &updated,
		&d.MsgID, &d.EventType, &d.Payload, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt, d.EventAt = fromMS(next), fromMS(created), fromMS(updated), fromMS(at)
	return d, err
}

// InsertOutboundDeliveries adds a pending delivery of an event to each
// endpoint, due now, and returns their ids; call it in the event's transaction.
func (s *Store) InsertOutboundDeliveries(ctx context.Context, orgID, eventID int64, endpointIDs []int64, now time.Time) ([]int64, error) {
	ds := make([]OutboundDelivery, len(endpointIDs))
	for i, ep := range endpointIDs {
		ds[i] = OutboundDelivery{OrgID: orgID, EndpointID: ep, EventID: eventID}
	}
	return s.InsertOutboundDeliveryRows(ctx, ds, now)
}

// InsertOutboundDeliveryRows adds pending deliveries (organization, endpoint
// and event of each), due now, and returns their ids.
func (s *Store) InsertOutboundDeliveryRows(ctx context.Context, ds []OutboundDelivery, now time.Time) ([]int64, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	if len(ds) > 500 { // PostgreSQL takes 65535 parameters a statement
		first, err := s.InsertOutboundDeliveryRows(ctx, ds[:500], now)
		if err != nil {
			return nil, err
		}
		rest, err := s.InsertOutboundDeliveryRows(ctx, ds[500:], now)
		return append(first, rest...), err
	}
	var b strings.Builder
	b.WriteString("INSERT INTO outbound_deliveries (org_id, endpoint_id, event_id, status, next_attempt_at, created_at, updated_at) VALUES ")
	args := make([]any, 0, 7*len(ds))
	for i, d := range ds {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
		args = append(args, d.OrgID, d.EndpointID, d.EventID, DeliveryPending, ms(now), ms(now), ms(now))
	}
	b.WriteString(" RETURNING id")
	rows, err := s.q.QueryContext(ctx, s.rebind(b.String()), args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// ClaimOutboundDeliveries takes the due pending deliveries among ids for one
// attempt each: it counts the attempt and holds each delivery until
// leaseEnd, so a second worker (or a sweep) leaves it alone while this one
// sends. Deliveries not due or not pending are left out.
func (s *Store) ClaimOutboundDeliveries(ctx context.Context, ids []int64, now, leaseEnd time.Time) ([]OutboundDelivery, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := "?" + strings.Repeat(", ?", len(ids)-1)
	args := []any{ms(leaseEnd), ms(now), DeliveryPending, ms(now)}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.q.QueryContext(ctx, s.rebind("UPDATE outbound_deliveries SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE status = ? AND next_attempt_at <= ? AND id IN ("+in+") RETURNING id"), args...)
	if err != nil {
		return nil, err
	}
	claimed, err := collect(rows, func(r interface{ Scan(...any) error }) (any, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil || len(claimed) == 0 {
		return nil, err
	}
	rows, err = s.q.QueryContext(ctx, s.rebind("SELECT "+outboundDeliveryCols+outboundDeliveryFrom+"WHERE d.id IN (?"+strings.Repeat(", ?", len(claimed)-1)+") ORDER BY d.id"), claimed...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOutboundDelivery)
}

// FinishOutboundAttempt records an attempt and the delivery's new state:
// delivered, failed, or pending again at next.
func (s *Store) FinishOutboundAttempt(ctx context.Context, a OutboundAttempt, status string, next time.Time) error {
	if _, err := s.exec(ctx, "INSERT INTO outbound_attempts (delivery_id, attempted_at, status, error, duration_ms, response) VALUES (?, ?, ?, ?, ?, ?)",
		a.DeliveryID, ms(a.AttemptedAt), a.Status, a.Error, a.Duration.Milliseconds(), a.Response); err != nil {
		return err
	}
	_, err := s.exec(ctx, "UPDATE outbound_deliveries SET status = ?, next_attempt_at = ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ?",
		status, ms(next), a.Status, a.Error, ms(a.AttemptedAt.Add(a.Duration)), a.DeliveryID)
	return err
}

// DueOutboundDeliveries lists pending deliveries due at now, oldest first.
func (s *Store) DueOutboundDeliveries(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := s.query(ctx, "SELECT id FROM outbound_deliveries WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?", DeliveryPending, ms(now), limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// FailPendingOutboundDeliveries ends an endpoint's pending deliveries (it was
// disabled); they can be replayed once it is enabled again.
func (s *Store) FailPendingOutboundDeliveries(ctx context.Context, endpointID int64, code string, now time.Time) error {
	_, err := s.exec(ctx, "UPDATE outbound_deliveries SET status = ?, last_error = ?, updated_at = ? WHERE endpoint_id = ? AND status = ?",
		DeliveryFailed, code, ms(now), endpointID, DeliveryPending)
	return err
}

// OutboundDelivery returns one of an organization's deliveries.
func (s *Store) OutboundDelivery(ctx context.Context, orgID, id int64) (OutboundDelivery, error) {
	return scanOutboundDelivery(s.queryRow(ctx, "SELECT "+outboundDeliveryCols+outboundDeliveryFrom+"WHERE d.id = ? AND d.org_id = ?", id, orgID))
}

// OutboundDeliveries lists an endpoint's deliveries newest first, before an
// id (0 for the newest), optionally only in one state.
func (s *Store) OutboundDeliveries(ctx context.Context, orgID, endpointID int64, status string, beforeID int64, limit int) ([]OutboundDelivery, error) {
	q := "SELECT " + outboundDeliveryCols + outboundDeliveryFrom + "WHERE d.org_id = ? AND d.endpoint_id = ?"
	args := []any{orgID, endpointID}
	if status != "" {
		q += " AND d.status = ?"
		args = append(args, status)
	}
	if beforeID > 0 {
		q += " AND d.id < ?"
		args = append(args, beforeID)
	}
	rows, err := s.query(ctx, q+" ORDER BY d.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOutboundDelivery)
}

// FailedOutboundEvents lists the events of an endpoint's failed deliveries
// created at or after since, each once, for a replay.
func (s *Store) FailedOutboundEvents(ctx context.Context, orgID, endpointID int64, since time.Time) ([]int64, error) {
	rows, err := s.query(ctx, "SELECT DISTINCT event_id FROM outbound_deliveries WHERE org_id = ? AND endpoint_id = ? AND status = ? AND created_at >= ? ORDER BY event_id",
		orgID, endpointID, DeliveryFailed, ms(since))
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// OutboundAttempts lists a delivery's attempts, first first.
func (s *Store) OutboundAttempts(ctx context.Context, deliveryID int64) ([]OutboundAttempt, error) {
	rows, err := s.query(ctx, "SELECT id, delivery_id, attempted_at, status, error, duration_ms, response FROM outbound_attempts WHERE delivery_id = ? ORDER BY id", deliveryID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (OutboundAttempt, error) {
		var a OutboundAttempt
		var at, dur int64
		err := r.Scan(&a.ID, &a.DeliveryID, &at, &a.Status, &a.Error, &dur, &a.Response)
		a.AttemptedAt, a.Duration = fromMS(at), time.Duration(dur)*time.Millisecond
		return a, err
	})
}

// Tx is the transaction a Store is bound to (nil outside InTx), for
// enqueueing jobs in it.
func (s *Store) Tx() *sql.Tx { return s.tx }
