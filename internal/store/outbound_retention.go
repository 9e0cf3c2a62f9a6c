package store

import (
	"context"
	"time"
)

// OutboundPruned counts the outbox rows one PruneOutbound removed.
type OutboundPruned struct {
	Attempts, Deliveries, Events int64
}

// Add sums two counts.
func (p OutboundPruned) Add(o OutboundPruned) OutboundPruned {
	return OutboundPruned{p.Attempts + o.Attempts, p.Deliveries + o.Deliveries, p.Events + o.Events}
}

// Below reports whether every count is under limit: the batch found less
// than it could take, so nothing more was due.
func (p OutboundPruned) Below(limit int) bool {
	n := int64(limit)
	return p.Attempts < n && p.Deliveries < n && p.Events < n
}

// finishedBefore selects deliveries that ended (delivered or failed) before
// a time, oldest first. The status test is spelled as in the partial index
// outbound_deliveries_finished, so both databases use it.
const finishedBefore = "d.status <> 'pending' AND d.updated_at < ?"

// PruneOutbound removes one batch of the outbox past its retention, at most
// limit rows from each table, each statement on its own (so one batch holds
// SQLite's writer briefly): attempts of deliveries that finished before
// `before`; those deliveries once no attempt is left; then events made before
// it with no delivery left (pending or kept) that no reader of the outbox
// still needs. That reader is the chat bot (internal/chat): in an
// organization linked to a chat tenant, it has not read events past its
// cursor (none when it has none), and those stay.
func (s *Store) PruneOutbound(ctx context.Context, before time.Time, limit int) (OutboundPruned, error) {
	var p OutboundPruned
	var err error
	if p.Attempts, err = s.deleteCount(ctx, `DELETE FROM outbound_attempts WHERE id IN (SELECT a.id FROM outbound_deliveries d
		JOIN outbound_attempts a ON a.delivery_id = d.id WHERE `+finishedBefore+` ORDER BY d.updated_at LIMIT ?)`, ms(before), limit); err != nil {
		return p, err
	}
	if p.Deliveries, err = s.deleteCount(ctx, `DELETE FROM outbound_deliveries WHERE id IN (SELECT d.id FROM outbound_deliveries d WHERE `+finishedBefore+`
		AND NOT EXISTS (SELECT 1 FROM outbound_attempts a WHERE a.delivery_id = d.id) ORDER BY d.updated_at LIMIT ?)`, ms(before), limit); err != nil {
		return p, err
	}
	p.Events, err = s.deleteCount(ctx, `DELETE FROM outbound_events WHERE id IN (SELECT e.id FROM outbound_events e WHERE e.created_at < ?
		AND NOT EXISTS (SELECT 1 FROM outbound_deliveries d WHERE d.event_id = e.id)
		AND (NOT EXISTS (SELECT 1 FROM chat_tenants t WHERE t.org_id = e.org_id)
			OR e.id <= (SELECT COALESCE(MAX(c.last_id), 0) FROM chat_event_cursors c WHERE c.org_id = e.org_id))
		ORDER BY e.created_at LIMIT ?)`, ms(before), limit)
	return p, err
}

func (s *Store) deleteCount(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
