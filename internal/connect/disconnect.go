package connect

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Disconnect is C7 from zoombridge's side: revoke the grant at Zoom, then
// purge the connection: its tokens and secrets and every row synced through
// it (Zoom users, activities, sync state: store.DeleteConnection cascades),
// with an audit entry. Other connections are untouched. A revoke Zoom cannot
// take (unreachable, or the grant already gone) does not stop the purge: the
// person asked for their data to go, and without the tokens zoombridge can
// no longer use the grant; the audit entry says so.
func (s *Service) Disconnect(ctx context.Context, orgID, connID, actorAccountID int64) error {
	c, err := s.st.OrgConnection(ctx, orgID, connID)
	if err != nil {
		return err
	}
	detail := c.Kind + " " + c.Email + "; revoked at Zoom"
	// Zoom answers the revoke of an OAuth installation with app_deauthorized
	// for its user: recorded as expected, so that event ends nothing more
	// (the account-level connection stays when a person disconnects).
	echo := c.Kind != store.KindS2S
	if err := s.revoke(ctx, c); err != nil {
		s.log.Warn("revoking the zoom grant failed; purging anyway", "connection_id", c.ID, "err", err)
		detail = c.Kind + " " + c.Email + "; Zoom did not confirm the revoke (remove the app in Zoom to be sure)"
		echo = false
	}
	return s.purge(ctx, c, actorAccountID, AuditDisconnected, detail, echo)
}

// revoke ends the connection's grant at Zoom: the refresh token for OAuth
// connections (ending the installation), the access token for
// Server-to-Server ones (they have no other).
func (s *Service) revoke(ctx context.Context, c store.Connection) error {
	app, err := s.appFor(c)
	if err != nil {
		return err
	}
	col, sealed := colRefreshToken, c.RefreshTokenEnc
	if c.Kind == store.KindS2S || len(sealed) == 0 {
		col, sealed = colAccessToken, c.AccessTokenEnc
	}
	tok, err := s.vault.OpenString(sealed, aad(col, c.ID))
	if err != nil || tok == "" {
		return errors.Join(errors.New("no token to revoke"), err)
	}
	return app.Revoke(ctx, tok)
}

// Purge removes a connection and everything synced through it without
// calling Zoom: for app_deauthorized, when Zoom has already ended the grant
// (C7 from Zoom's side; internal/webhook decides which connections an event
// ends and calls this). why goes into the audit entry. A connection that is
// already gone is not an error: Zoom also sends app_deauthorized after a
// Disconnect's revoke.
func (s *Service) Purge(ctx context.Context, connID int64, why string) error {
	c, err := s.st.ConnectionByID(ctx, connID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.purge(ctx, c, 0, AuditDeauthorized, why, false)
}

// purge removes the connection and what no other connection covers, and
// records who did it and how many rows went (audit log and disconnection),
// in one transaction with the events of both: activity.deleted for each
// activity that went, and connection.disconnected. actorAccountID 0 is Zoom.
func (s *Service) purge(ctx context.Context, c store.Connection, actorAccountID int64, action, detail string, echo bool) error {
	actor := "zoom"
	if actorAccountID != 0 {
		actor = actorAccount(actorAccountID)
	}
	err := s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		d := store.DisconnectionOf(c, actor, s.now())
		d.EchoPending = echo
		if actorAccountID != 0 {
			var err error
			if d.ActorName, err = accountName(ctx, tx, actorAccountID); err != nil {
				return err
			}
		}
		d, err := tx.Disconnect(ctx, d, action, detail)
		if err != nil {
			return err
		}
		if err := outbound.PublishActivitiesDeleted(ctx, tx, c.OrgID, d.Deleted, s.now()); err != nil {
			return err
		}
		c.Status, c.StatusReason = "disconnected", strings.TrimPrefix(action, "connection.")
		return outbound.Publish(ctx, tx, c.OrgID, "connection.disconnected", outbound.Connection(c), s.now())
	})
	if errors.Is(err, store.ErrNotFound) {
		err = nil // purged meanwhile by the other side
	}
	if err != nil {
		return err
	}
	s.forget(c.ID)
	s.log.Info("zoom connection purged", "connection_id", c.ID, "org_id", c.OrgID, "action", action)
	return nil
}

// accountName is how the audit and the Overview name a person: their name, or their email.
func accountName(ctx context.Context, st *store.Store, id int64) (string, error) {
	a, err := st.AccountByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if a.Name != "" {
		return a.Name, err
	}
	return a.Email, err
}
