package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
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
// holds a user-level installation here: the event is that installation's,
// even when the same person installed the account-level one (Zoom sends one
// event per installation, so removing that too sends another). A personal
// removal never takes the account-level connection with it.
//
// An event that answers zoombridge's own revoke (a Disconnect: Zoom sends
// app_deauthorized for the installation whose token was revoked, after the
// connection is gone) ends nothing more in that organization; without this
// a person's disconnect would read as the app removed for the whole account.
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
	echoed := map[int64]bool{}
	userLevel := false
	for _, c := range conns {
		userLevel = userLevel || (c.Kind == store.KindUserOAuth && c.ZoomUserID == d.UserID)
		if _, asked := echoed[c.OrgID]; !asked {
			ok, err := p.st.TakeDeauthEcho(ctx, c.OrgID, d.AccountID, d.UserID, ev.ReceivedAt.Add(-echoWindow), ev.ID)
			if err != nil {
				return "", err
			}
			echoed[c.OrgID] = ok
		}
	}
	purged := 0
	for _, c := range conns {
		if d.ClientID != "" && p.clientOf(c) != "" && d.ClientID != p.clientOf(c) {
			continue // another app's installation
		}
		if echoed[c.OrgID] {
			continue // the answer to zoombridge's own revoke
		}
		switch {
		case c.Kind == store.KindUserOAuth && c.ZoomUserID != d.UserID:
			continue
		case c.Kind == store.KindAccountOAuth && userLevel:
			continue
		}
		who, err := p.remover(ctx, c, d.UserID)
		if err != nil {
			return "", err
		}
		why := fmt.Sprintf("%s %s: the app was removed in Zoom by %s", connectionWords[c.Kind], c.Email, who)
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

// connectionWords names a connection's kind in the audit log.
var connectionWords = map[string]string{
	store.KindAccountOAuth: "Account-level connection",
	store.KindS2S:          "Server-to-Server connection",
	store.KindUserOAuth:    "Personal connection",
}

// remover names who removed the app in Zoom for the audit log: the person
// the Zoom user is mapped to, else the Zoom user's email, looked up before
// the purge takes the Zoom users with it. Zoom's raw user id is not a name.
func (p *Processor) remover(ctx context.Context, c store.Connection, zoomUserID string) (string, error) {
	personID, email := int64(0), ""
	zu, err := p.st.ZoomUserByZoomID(ctx, c.ID, zoomUserID)
	switch {
	case err == nil:
		personID, email = zu.PersonID, zu.Email
	case !errors.Is(err, store.ErrNotFound):
		return "", err
	case c.Kind == store.KindUserOAuth && c.ZoomUserID == zoomUserID:
		personID, email = c.PersonID, c.Email
	}
	if personID != 0 {
		person, err := p.st.PersonByID(ctx, c.OrgID, personID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
		if person.Name != "" && person.Name != person.Email {
			return person.Name + " (" + person.Email + ")", nil
		}
		if person.Email != "" {
			return person.Email, nil
		}
	}
	if email != "" {
		return email, nil
	}
	return "a Zoom admin of the account (not a Zoom user synced here)", nil
}

// echoWindow bounds how late Zoom's answer to a revoke may arrive (Zoom
// retries a failed delivery for about a day).
const echoWindow = 24 * time.Hour

func (p *Processor) clientOf(c store.Connection) string {
	if c.Kind == store.KindS2S {
		return c.ClientID
	}
	if c.ClientID != "" {
		return c.ClientID
	}
	return p.deploymentClientID
}

// PurgeConnection is the purge used when none is configured: the connection,
// its tokens and what no other connection covers go (store.Disconnect); the
// audit entry, the disconnection and activity.deleted for each activity
// that went commit with it. A connection already gone is not an error.
func PurgeConnection(st *store.Store, now func() time.Time) PurgeFunc {
	return func(ctx context.Context, c store.Connection, why string) error {
		err := st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
			d, err := tx.Disconnect(ctx, store.DisconnectionOf(c, "zoom", now()), "connection.purged", why)
			if err != nil {
				return err
			}
			return outbound.PublishActivitiesDeleted(ctx, tx, c.OrgID, d.Deleted, now())
		})
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
}
