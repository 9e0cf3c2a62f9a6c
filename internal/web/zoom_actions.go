package web

import (
	"context"
	"database/sql"
	"net/http"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

var featureNames = map[store.Feature]string{store.FeatureMeetings: "Meetings", store.FeaturePhone: "Phone", store.FeatureWebinars: "Webinars"}

// zoomSetFeature switches Meetings, Phone or Webinars for the organization,
// with its audit entry in the same transaction (P4).
func (a *App) zoomSetFeature(w http.ResponseWriter, r *http.Request, v *viewer) error {
	f := store.Feature(r.PostFormValue("feature"))
	name, ok := featureNames[f]
	if !ok {
		return badRequest("Unknown feature.")
	}
	on := r.PostFormValue("on") == "1"
	err := a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.SetFeature(r.Context(), v.org.ID, f, on); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "switch.changed",
			Target: "feature:" + string(f), Detail: name + " " + onOff(on), At: a.now()})
	})
	if err != nil {
		return err
	}
	msg := name + " switched on: its activity shows again and is synced."
	if !on {
		msg = name + " switched off: its activity is hidden and no longer synced."
	}
	return a.done(w, r, "/services/zoom/features", msg)
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// explain shows a connect or sync failure in words, or as a generic error.
func (a *App) explain(w http.ResponseWriter, r *http.Request, v *viewer, err error) error {
	if a.zoom.Explain != nil {
		if n, ok := a.zoom.Explain(err); ok {
			a.log.Info("web: zoom action refused", "path", r.URL.Path, "err", err)
			return a.done(w, r, "/services/zoom/connections", n.Title+": "+n.Text)
		}
	}
	return err
}

var errUnavailable = &httpError{http.StatusServiceUnavailable, "This Zoom action is not available on this server yet."}

// zoomConnect starts the account-level OAuth flow (C1).
func (a *App) zoomConnect(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.startOAuth(w, r, v, store.KindAccountOAuth)
}

// zoomConnectMe starts a person's own connection (C2).
func (a *App) zoomConnectMe(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.startOAuth(w, r, v, store.KindUserOAuth)
}

func (a *App) startOAuth(w http.ResponseWriter, r *http.Request, v *viewer, kind string) error {
	if a.zoom.Authorize == nil {
		return errUnavailable
	}
	u, err := a.zoom.Authorize(r.Context(), v.org.ID, v.me.ID, v.acct.ID, kind, v.ses.TokenHash)
	if err != nil {
		return a.explain(w, r, v, err)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
	return nil
}

// zoomConnectS2S connects a Server-to-Server app by its credentials (C1).
func (a *App) zoomConnectS2S(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if a.zoom.ConnectS2S == nil {
		return errUnavailable
	}
	in := S2SInput{OrgID: v.org.ID, PersonID: v.me.ID, ActorAccountID: v.acct.ID,
		ZoomAccountID: strings.TrimSpace(r.PostFormValue("account_id")), ClientID: strings.TrimSpace(r.PostFormValue("client_id")),
		ClientSecret: strings.TrimSpace(r.PostFormValue("client_secret")), WebhookSecret: strings.TrimSpace(r.PostFormValue("webhook_secret"))}
	if in.ZoomAccountID == "" || in.ClientID == "" || in.ClientSecret == "" {
		return a.done(w, r, "/services/zoom/connections", "Enter the account ID, client ID and client secret of the Server-to-Server app.")
	}
	if _, err := a.zoom.ConnectS2S(r.Context(), in); err != nil {
		return a.explain(w, r, v, err)
	}
	return a.done(w, r, "/services/zoom", "Zoom connected. The first sync of the past 30 days has started.")
}

// ownConnection loads a connection of the viewer's organization that the
// viewer may act on: their own personal one, or any with ManageConnections.
func (a *App) ownConnection(ctx context.Context, r *http.Request, v *viewer) (store.Connection, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Connection{}, err
	}
	c, err := a.st.OrgConnection(ctx, v.org.ID, id)
	if err != nil {
		return c, err
	}
	mine := c.Kind == store.KindUserOAuth && c.PersonID == v.me.ID
	if !mine && !v.can(people.ManageConnections) {
		return c, errForbidden
	}
	return c, nil
}

// zoomDisconnect revokes at Zoom and purges the connection (C7).
func (a *App) zoomDisconnect(w http.ResponseWriter, r *http.Request, v *viewer) error {
	c, err := a.ownConnection(r.Context(), r, v)
	if err != nil {
		return err
	}
	if a.zoom.Disconnect == nil {
		return errUnavailable
	}
	if err := a.zoom.Disconnect(r.Context(), v.org.ID, c.ID, v.acct.ID); err != nil {
		return a.explain(w, r, v, err)
	}
	return a.done(w, r, "/services/zoom/connections", "Zoom disconnected: its tokens and everything synced through it were deleted.")
}

// zoomReconnect starts the connection's OAuth flow again; a Server-to-Server
// app is reconnected by entering its current credentials.
func (a *App) zoomReconnect(w http.ResponseWriter, r *http.Request, v *viewer) error {
	c, err := a.ownConnection(r.Context(), r, v)
	if err != nil {
		return err
	}
	if c.Kind == store.KindS2S {
		return a.done(w, r, "/services/zoom/connections#s2s", "Enter the Server-to-Server app's current credentials below to reconnect it.")
	}
	if a.zoom.Reconnect == nil {
		return errUnavailable
	}
	u, err := a.zoom.Reconnect(r.Context(), v.org.ID, c.ID, v.acct.ID, v.ses.TokenHash)
	if err != nil {
		return a.explain(w, r, v, err)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
	return nil
}

// zoomSync queues the 30-day sweep of a connection (D2's "Sync now").
func (a *App) zoomSync(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.st.OrgConnection(r.Context(), v.org.ID, id)
	if err != nil {
		return err
	}
	if a.zoom.SyncNow == nil {
		return errUnavailable
	}
	if err := a.zoom.SyncNow(r.Context(), v.org.ID, c.ID, v.acct.ID); err != nil {
		return a.explain(w, r, v, err)
	}
	if err := a.st.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "connection.sync_requested",
		Target: "connection:" + itoa(c.ID), Detail: "Sync now: the past 30 days", At: a.now()}); err != nil {
		// The sweep is queued already; the missing audit line must at least be in the log.
		a.log.Error("web: audit a sync request", "connection_id", c.ID, "err", err)
	}
	return a.done(w, r, "/services/zoom/connections", "Sync queued: the past 30 days are being fetched again. New activity appears as it arrives.")
}

type servicesData struct {
	CanKeys    bool
	Z          zoomTabs
	CanView    bool
	MyConn     *connView
	PersonalOK bool
}

// services is the Services list; the Zoom card leads to the integration page
// for those who may see it, and to "connect my own Zoom" for everyone.
func (a *App) services(w http.ResponseWriter, r *http.Request, v *viewer) error {
	z, err := a.zoomTabs(r.Context(), v, "")
	if err != nil {
		return err
	}
	d := servicesData{Z: z, CanView: v.can(people.ViewIntegration), PersonalOK: a.zoom.Authorize != nil, CanKeys: v.can(people.ManageAPIKeys)}
	for i := range z.Conns {
		if z.Conns[i].Mine {
			d.MyConn = &z.Conns[i]
		}
	}
	if !d.CanView {
		// Others' connections are not a Member's business: show only their own.
		d.Z.Conns, d.Z.Notices = nil, nil
		if d.MyConn != nil {
			d.Z.Notices = d.MyConn.Notices
		}
	}
	a.render(w, r, v, http.StatusOK, "services", page{Title: "Services", Section: "services", Data: d, Flash: connectedFlash(r)})
	return nil
}
