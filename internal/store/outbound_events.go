package store

import (
	"context"
	"strings"
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

// InsertOutboundEvents appends events in multi-row statements and returns
// their ids in order; call it in the transaction of the change.
func (s *Store) InsertOutboundEvents(ctx context.Context, es []OutboundEvent) ([]int64, error) {
	var ids []int64
	for len(es) > 0 {
		part := es[:min(len(es), 200)]
		es = es[len(part):]
		args := make([]any, 0, 5*len(part))
		for _, e := range part {
			args = append(args, e.OrgID, e.MsgID, e.Type, e.Payload, ms(e.CreatedAt))
		}
		rows, err := s.q.QueryContext(ctx, s.rebind("INSERT INTO outbound_events (org_id, msg_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)"+
			strings.Repeat(", (?, ?, ?, ?, ?)", len(part)-1)+" RETURNING id, msg_id"), args...)
		if err != nil {
			return nil, err
		}
		byMsg := map[string]int64{} // RETURNING's order is not promised
		_, err = collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
			var id int64
			var msg string
			err := r.Scan(&id, &msg)
			byMsg[msg] = id
			return id, err
		})
		if err != nil {
			return nil, err
		}
		for _, e := range part {
			ids = append(ids, byMsg[e.MsgID])
		}
	}
	return ids, nil
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
