package syncer

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// publishCompleted tells host products a pass ended (sync.completed), in
// the transaction that closes it.
func (p *pass) publishCompleted(ctx context.Context, tx *store.Store, status string, now time.Time) error {
	sp, err := tx.SyncPassByID(ctx, p.sp.ID)
	if err != nil {
		return err
	}
	return outbound.Publish(ctx, tx, p.conn.OrgID, "sync.completed", outbound.SyncData{ConnectionID: p.conn.ID, Pass: sp.Kind,
		Status: status, Activities: sp.Written(), FinishedAt: now.UTC().Format(time.RFC3339)}, now)
}
