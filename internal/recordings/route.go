package recordings

import (
	"context"
	"errors"

	"github.com/zoombridge/zoombridge/internal/store"
)

// rep is where a host's artifacts go in one organization: the connection that
// sees the host and the person the host is.
type rep struct {
	conn     store.Connection
	personID int64
	userType int // Zoom user type: 1 Basic
}

// repsOf routes by host, not by account: among conns (those an event or a
// pass reaches) it finds, per organization, the connection that sees hostID
// as a mapped, active, Zoom-enabled person with Sync Recordings on. A
// person's own connection is preferred to an account-wide one.
func (s *Service) repsOf(ctx context.Context, tx *store.Store, conns []store.Connection, hostID string) ([]rep, error) {
	byOrg := map[int64]rep{}
	var order []int64
	for _, c := range conns {
		r, ok, err := s.repVia(ctx, tx, c, hostID)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		prev, seen := byOrg[c.OrgID]
		if !seen {
			order = append(order, c.OrgID)
		}
		if !seen || (prev.conn.Kind != store.KindUserOAuth && c.Kind == store.KindUserOAuth) {
			byOrg[c.OrgID] = r
		}
	}
	out := make([]rep, 0, len(order))
	for _, org := range order {
		out = append(out, byOrg[org])
	}
	return out, nil
}

func (s *Service) repVia(ctx context.Context, tx *store.Store, c store.Connection, hostID string) (rep, bool, error) {
	if hostID == "" || c.Status != store.StatusActive || (c.Kind == store.KindUserOAuth && c.ZoomUserID != hostID) {
		return rep{}, false, nil
	}
	r := rep{conn: c, userType: c.PlanType}
	zu, err := tx.ZoomUserByZoomID(ctx, c.ID, hostID)
	switch {
	case err == nil:
		r.personID, r.userType = zu.PersonID, zu.UserType
	case errors.Is(err, store.ErrNotFound) && c.Kind == store.KindUserOAuth:
		r.personID = c.PersonID
	case !errors.Is(err, store.ErrNotFound):
		return rep{}, false, err
	}
	ok, err := s.ingests(ctx, tx, c.OrgID, r.personID)
	return r, ok, err
}

// ingests reports whether a person's recordings are kept: mapped, active,
// Zoom switched on for them and the organization, and Sync Recordings on (R5).
func (s *Service) ingests(ctx context.Context, tx *store.Store, orgID, personID int64) (bool, error) {
	if personID == 0 {
		return false, nil
	}
	p, err := tx.PersonByID(ctx, orgID, personID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil || !p.Active || !p.ZoomEnabled {
		return false, err
	}
	org, err := tx.OrganizationByID(ctx, orgID)
	if err != nil || !org.MeetingsEnabled {
		return false, err
	}
	rp, err := tx.RecordingPersonOf(ctx, orgID, personID)
	return err == nil && rp.SyncEnabled, err
}
