package store

import (
	"context"
	"strings"
	"time"
)

// MarkInboxEventsDropped records one outcome for events whose payload was
// not used (a type not acted on, no connection, the feature or person off)
// and drops their bodies: the row keeps only the envelope in its columns
// (type, account, time, dedup key), never the payload (feature A4).
func (s *Store) MarkInboxEventsDropped(ctx context.Context, ids []int64, outcome string, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{ms(at), outcome, []byte("{}")}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := s.exec(ctx, "UPDATE webhook_inbox SET processed_at = ?, outcome = ?, body = ? WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", args...)
	return err
}
