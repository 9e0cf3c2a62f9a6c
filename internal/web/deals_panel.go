package web

import (
	"context"
	"database/sql"
	"net/http"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The rep's Zoom panel on the person's Services tab (features R5, C3, C4,
// C6): the connected Zoom user and its own plan, the Sync Recordings switch,
// the 30-day sweep, the last sync, banners, and the rep's recent recordings.

type recPanel struct {
	PersonID  int64
	CSRF      string
	P         recordings.Panel
	Notices   []Notice
	CanSwitch bool
	CanSweep  bool
	LastSync  string
	LastSweep string
	List      artifactList
}

func (a *App) recordingsPanel(ctx context.Context, v *viewer, p store.Person) (*recPanel, error) {
	if a.recs == nil {
		return nil, nil
	}
	pn, err := a.recs.PanelOf(ctx, v.org.ID, p.ID)
	if err != nil {
		return nil, err
	}
	self := p.ID == v.me.ID
	out := &recPanel{PersonID: p.ID, CSRF: v.ses.CSRFToken, P: pn, CanSwitch: v.can(people.SwitchService), CanSweep: self || v.can(people.SyncNow),
		LastSync: never(a, pn.LastSync), LastSweep: never(a, pn.LastSweep)}
	for _, b := range pn.Banners {
		out.Notices = append(out.Notices, bannerNotice(b, pn))
	}
	arts, err := a.st.Artifacts(ctx, store.ArtifactFilter{OrgID: v.org.ID, PersonID: p.ID, Since: a.now().Add(-recordings.SweepWindow)})
	if err != nil {
		return nil, err
	}
	out.List, err = a.artifactList(ctx, v, arts, personPath(p.ID)+"/services")
	return out, err
}

func never(a *App, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// bannerNotice words a panel banner. Plans are per Zoom user: the words
// speak of this person's Zoom user, never of the account's plan.
func bannerNotice(b recordings.Banner, p recordings.Panel) Notice {
	who := "This person's Zoom user"
	if p.ZoomEmail != "" {
		who = "The Zoom user " + p.ZoomEmail
	}
	switch b.Code {
	case recordings.BannerPlanRequired:
		return Notice{Level: "warn", Title: "Pro+ required",
			Text: who + " is on the free Basic plan, which has no cloud recording: cloud recordings, transcripts and AI summaries need Pro or above. zoombridge makes no recording calls for this user until the plan changes."}
	case recordings.BannerMissingScope:
		return Notice{Level: "error", Title: "Reconnect Zoom", Action: "reconnect",
			Text: b.Feature + " need the Zoom permission " + strings.Join(b.Scopes, ", ") + ", which Zoom did not grant. Reconnect Zoom and allow every permission it asks for; if it is still missing, the Zoom app's admin must first add the scope in the Zoom App Marketplace."}
	case recordings.BannerNeedsReconnect:
		return Notice{Level: "error", Title: "Reconnect Zoom", Action: "reconnect",
			Text: "Zoom no longer accepts the connection that reaches " + strings.ToLower(who[:1]) + who[1:] + "; recordings stop arriving until it is reconnected."}
	}
	return Notice{Level: "info", Title: "Connecting Zoom may need an admin's approval",
		Text: "No Zoom connection reaches this person yet. Some Zoom accounts only allow apps a Zoom admin has pre-approved: if connecting says admin approval is needed, ask your Zoom account admin to pre-approve zoombridge in the Zoom App Marketplace, then connect again."}
}

// recordingsSwitch turns a person's Sync Recordings switch on or off: like
// the Zoom switch (P3), for Owners, Admins and Executives only.
func (a *App) recordingsSwitch(w http.ResponseWriter, r *http.Request, v *viewer) error {
	p, err := a.panelPerson(r, v, people.SwitchService, false)
	if err != nil {
		return err
	}
	on := r.PostFormValue("on") == "1"
	err = a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		if err := tx.SetRecordingSync(r.Context(), v.org.ID, p.ID, on, a.now()); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: recordings.Actor("account", v.acct.ID), Action: "switch.recordings",
			Target: "person:" + itoa(p.ID), Detail: map[bool]string{true: "on", false: "off"}[on], At: a.now()})
	})
	if err != nil {
		return err
	}
	msg := "Sync Recordings off for " + displayName(p) + ": their recordings are no longer fetched."
	if on {
		msg = "Sync Recordings on for " + displayName(p) + ": the next pass fetches their recordings; Sync Recordings now fetches the past 30 days."
	}
	return a.done(w, r, personPath(p.ID)+"/services", msg)
}

// recordingsSweep queues the 30-day sweep of a person's recordings.
func (a *App) recordingsSweep(w http.ResponseWriter, r *http.Request, v *viewer) error {
	p, err := a.panelPerson(r, v, people.SyncNow, true)
	if err != nil {
		return err
	}
	if err := a.recs.QueuePass(r.Context(), v.org.ID, p.ID, true); err != nil {
		return err
	}
	return a.done(w, r, personPath(p.ID)+"/services", "Fetching "+displayName(p)+"'s recordings of the past 30 days.")
}

// panelPerson is the person of the path, if the viewer may act (or is them, when selfOK).
func (a *App) panelPerson(r *http.Request, v *viewer, act people.Action, selfOK bool) (store.Person, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Person{}, err
	}
	p, err := a.person(r, v, id)
	if err != nil {
		return p, err
	}
	if a.recs == nil {
		return p, errNotFound
	}
	if !(selfOK && p.ID == v.me.ID) && !v.can(act) {
		return p, errForbidden
	}
	return p, nil
}
