package store

import (
	"context"
	"time"
)

// OutboundEvent is one event for host products (feature X2), stored with the
// change it describes; Payload is the JSON body sent to endpoints.
type OutboundEvent struct {
	ID        int64
	OrgID     int64
	MsgID     string
	Type      string
	Payload   string
	CreatedAt time.Time
}

// InsertOutboundEvent appends an event; call it in the transaction of the change.
func (s *Store) InsertOutboundEvent(ctx context.Context, e OutboundEvent) (int64, error) {
	return s.insertID(ctx, "INSERT INTO outbound_events (org_id, msg_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)",
		e.OrgID, e.MsgID, e.Type, e.Payload, ms(e.CreatedAt))
}

// OutboundEvents lists an organization's events after an id, oldest first.
func (s *Store) OutboundEvents(ctx context.Context, orgID, afterID int64, limit int) ([]OutboundEvent, error) {
	rows, err := s.query(ctx, "SELECT id, org_id, msg_id, type, payload, created_at FROM outbound_events WHERE org_id = ? AND id > ? ORDER BY id LIMIT ?", orgID, afterID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (OutboundEvent, error) {
		var e OutboundEvent
		var at int64
		err := r.Scan(&e.ID, &e.OrgID, &e.MsgID, &e.Type, &e.Payload, &at)
		e.CreatedAt = fromMS(at)
		return e, err
	})
}
