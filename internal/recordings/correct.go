package recordings

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/zoombridge/zoombridge/internal/store"
)

// ErrNotFound is an artifact or deal the organization does not have.
var ErrNotFound = store.ErrNotFound

// Actor names who made a change, for audit entries: "account:<id>" or "api_key:<id>".
func Actor(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// Move shows an artifact on another deal (R4): a manual link the rules never
// change again. It returns the artifact as it now is.
// st is the store to write through: bound to a caller's transaction, the
// move commits with it.
func (s *Service) Move(ctx context.Context, st *store.Store, orgID, artifactID, dealID int64, actor string) (store.Artifact, error) {
	var out store.Artifact
	err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		a, err := tx.ArtifactByID(ctx, orgID, artifactID)
		if err != nil {
			return err
		}
		if _, err := tx.DealByID(ctx, orgID, dealID); err != nil {
			return err
		}
		l := store.Link{DealID: dealID, Rule: store.LinkManual}
		if a.DealID == dealID {
			l.CRMActivityID = a.CRMActivityID // the same deal: keep the activity it matched
		}
		if err := s.setLink(ctx, tx, a, l, actor); err != nil {
			return err
		}
		out, err = tx.ArtifactByID(ctx, orgID, artifactID)
		return err
	})
	return out, err
}

// Detach takes an artifact off its deal (R4). It stays as a metadata-only
// record, free of its connection, so a later disconnect and purge keep it.
func (s *Service) Detach(ctx context.Context, st *store.Store, orgID, artifactID int64, actor string) (store.Artifact, error) {
	var out store.Artifact
	err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		a, err := tx.ArtifactByID(ctx, orgID, artifactID)
		if err != nil {
			return err
		}
		if a.Detached {
			out = a
			return nil
		}
		if err := s.setLink(ctx, tx, a, store.Link{Rule: store.LinkManual, UnlinkedReason: store.UnlinkedDetached, Detached: true}, actor); err != nil {
			return err
		}
		out, err = tx.ArtifactByID(ctx, orgID, artifactID)
		return err
	})
	return out, err
}

// IsNotFound reports an unknown artifact or deal.
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
