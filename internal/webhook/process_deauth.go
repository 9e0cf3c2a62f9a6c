package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

type deauthPayload struct {
	AccountID string `json:"account_id"`
	UserID    string `json:"user_id"`
	ClientID  string `json:"client_id"`
}

// deauthorized handles app_deauthorized (feature C7): the app was removed in
// Zoom, so the connections it authorized are purged with everything synced
// through them, and the purge is audited. A person's own connection goes when
// that person removes the app; an account-level connection goes when the app
// is removed for the account (by any admin), unless the user who removed it
// holds a user-level installation here, which is all that user could remove.
//
// Each purge is its own transaction (the purge path may be the connections
// package's), so it runs outside the processing transaction and the event is
// marked afterwards; a crash in between purges again, which finds nothing.
func (p *Processor) deauthorized(ctx context.Context, ev store.InboxEvent) (string, error) {
	var d deauthPayload
	if !decodePayload(ev.Body, nil, &d) || d.AccountID == "" {
		return OutcomeMalformed, nil
	}
	conns, err := connections(ctx, p.st, ev)
	if err != nil || len(conns) == 0 {
		return OutcomeNoConnection, err
	}
	userLevel := false
	for _, c := range conns {
		userLevel = userLevel || (c.Kind == store.KindUserOAuth && c.ZoomUserID == d.UserID)
	}
	purged := 0
	for _, c := range conns {
		if d.ClientID != "" && p.clientOf(c) != "" && d.ClientID != p.clientOf(c) {
			continue // another app's installation
		}
		switch {
		case c.Kind == store.KindUserOAuth && c.ZoomUserID != d.UserID:
			continue
		case c.Kind == store.KindAccountOAuth && userLevel && c.ZoomUserID != d.UserID:
			continue
		}
		why := fmt.Sprintf("%s %s; the app was removed in Zoom (app_deauthorized by Zoom user %s)", c.Kind, c.Email, d.UserID)
		if err := p.purge(ctx, c, why); err != nil {
			return "", err
		}
		purged++
	}
	if purged == 0 {
		return OutcomeNotIngested, nil
	}
	return OutcomePurged, nil
}

func (p *Processor) clientOf(c store.Connection) string {
	if c.Kind == store.KindS2S {
		return c.ClientID
	}
	if c.ClientID != "" {
		return c.ClientID
	}
	return p.deploymentClientID
}

// PurgeConnection is the purge used when none is configured: deleting the
// connection cascades to its tokens, Zoom users and activities; the audit
// entry commits with it. A connection already gone is not an error.
func PurgeConnection(st *store.Store, now func() time.Time) PurgeFunc {
	return func(ctx context.Context, c store.Connection, why string) error {
		err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			if err := tx.DeleteConnection(ctx, c.ID); err != nil {
				return err
			}
			return tx.Audit(ctx, store.AuditEntry{OrgID: c.OrgID, Actor: "zoom", Action: "connection.purged",
				Target: fmt.Sprintf("connection:%d", c.ID), Detail: why, At: now()})
		})
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
}
