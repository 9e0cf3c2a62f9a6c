package web

import (
	"net/http"

	"github.com/zoombridge/zoombridge/internal/people"
)

type personServicesData struct {
	Head      personHead
	CanSwitch bool
	Mine      bool
	MyConn    *connView
	Notices   []Notice
	Legend    []legendItem
	ConnectOK bool
	Recs      *recPanel // the rep's Zoom panel (deals_panel.go)
}

// personServices is Team view → person → Services: the Zoom switch, for
// Owner, Admin and Executive (P3), and the person's own connection.
func (a *App) personServices(w http.ResponseWriter, r *http.Request, v *viewer) error {
	head, err := a.personHead(r, v, "services")
	if err != nil {
		return err
	}
	d := personServicesData{Head: head, CanSwitch: v.can(people.SwitchService), Mine: head.P.ID == v.me.ID,
		Legend: legend(v.org), ConnectOK: a.zoom.Authorize != nil}
	if d.Mine {
		conns, err := a.connViews(r.Context(), v)
		if err != nil {
			return err
		}
		for i := range conns {
			if conns[i].Mine {
				d.MyConn = &conns[i]
				d.Notices = conns[i].Notices
			}
		}
	}
	if d.Recs, err = a.recordingsPanel(r.Context(), v, head.P); err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "person_services", page{Title: head.Name + " · Services", Section: personSection(v, head.P), Data: d})
	return nil
}

// personSwitch turns a person's Zoom service on or off; internal/people
// writes it with its audit entry and checks the access level again.
func (a *App) personSwitch(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.person(r, v, id)
	if err != nil {
		return err
	}
	on := r.PostFormValue("on") == "1"
	if _, err := a.dir.SetService(r.Context(), v.actor(), p.ID, on); err != nil {
		return err
	}
	msg := "Zoom switched off for " + displayName(p) + ": their Zoom activity is hidden and no longer synced."
	if on {
		msg = "Zoom switched on for " + displayName(p) + ": their activity shows again; Sync now fetches what was missed."
	}
	return a.done(w, r, personPath(p.ID)+"/services", msg)
}
