package store

import (
	"context"
	"fmt"
)

// AuditBefore lists an organization's entries older than beforeID (all when
// 0), newest first: the audit log pages by id, so new entries arriving while
// someone reads never shift a page.
func (s *Store) AuditBefore(ctx context.Context, orgID, beforeID int64, limit int) ([]AuditEntry, error) {
	q := "SELECT id, org_id, actor, action, target, detail, at FROM audit_log WHERE org_id = ?"
	args := []any{orgID}
	if beforeID > 0 {
		q += " AND id < ?"
		args = append(args, beforeID)
	}
	rows, err := s.query(ctx, q+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit log page: %w", err)
	}
	return collect(rows, scanAudit)
}
