package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The Deals pages (features R1-R4): deals a host product registered, each
// with its CRM activities and the Zoom recordings, transcripts and AI
// summaries linked to it, which people can move to another deal or detach.

// mountDeals lists the Deals pages' routes and the artifact actions.
func (a *App) mountDeals(mux Mux) {
	a.handle(mux, "GET /deals", people.ViewTeam, a.dealsList)
	a.handle(mux, "GET /deals/unlinked", people.ViewTeam, a.dealsUnlinked)
	a.handle(mux, "GET /deals/{id}", people.ViewTeam, a.dealPage)
	// The rep may act on their own artifacts; the handlers require ViewTeam for anyone else's.
	a.handle(mux, "POST /artifacts/{id}/move", people.ViewOwnTimeline, a.artifactMove)
	a.handle(mux, "POST /artifacts/{id}/detach", people.ViewOwnTimeline, a.artifactDetach)
	a.handle(mux, "GET /artifacts/{id}/open", people.ViewOwnTimeline, a.artifactOpen)
	a.handle(mux, "POST /people/{id}/services/recordings", people.ViewOwnTimeline, a.recordingsSwitch)
	a.handle(mux, "POST /people/{id}/services/recordings/sweep", people.ViewOwnTimeline, a.recordingsSweep)
}

type dealsData struct {
	Search string
	Deals  []store.Deal
}

func (a *App) dealsList(w http.ResponseWriter, r *http.Request, v *viewer) error {
	q := r.URL.Query().Get("q")
	ds, err := a.st.Deals(r.Context(), v.org.ID, q, 500)
	if err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "deals", page{Title: "Deals", Section: "deals", Data: dealsData{Search: q, Deals: ds}})
	return nil
}

// artifactRow is one artifact on a page, with the names it needs.
type artifactRow struct {
	recordings.Resource
	Rep     string
	Reason  string // why it is unlinked, in words
	CanEdit bool
}

type dealData struct {
	Deal       store.Deal
	Owner      string
	Activities []store.CRMActivity
	List       artifactList
}

// artifactList is a table of artifacts with their Move to deal and Detach forms.
type artifactList struct {
	Rows  []artifactRow
	Deals []store.Deal // the choices of "Move to deal"
	CSRF  string
	Back  string // where the forms return
}

func (a *App) artifactList(ctx context.Context, v *viewer, arts []store.Artifact, back string) (artifactList, error) {
	l := artifactList{CSRF: v.ses.CSRFToken, Back: back}
	var err error
	if l.Rows, err = a.artifactRows(ctx, v, arts); err != nil {
		return l, err
	}
	l.Deals, err = a.st.Deals(ctx, v.org.ID, "", 500)
	return l, err
}

func (a *App) dealPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := a.st.DealByID(r.Context(), v.org.ID, id)
	if err != nil {
		return err
	}
	data := dealData{Deal: d}
	if d.OwnerPersonID != 0 {
		if p, err := a.st.PersonByID(r.Context(), v.org.ID, d.OwnerPersonID); err == nil {
			data.Owner = displayName(p)
		}
	}
	if data.Activities, err = a.st.CRMActivitiesForDeal(r.Context(), v.org.ID, d.ID); err != nil {
		return err
	}
	arts, err := a.st.Artifacts(r.Context(), store.ArtifactFilter{OrgID: v.org.ID, DealID: d.ID})
	if err != nil {
		return err
	}
	if data.List, err = a.artifactList(r.Context(), v, arts, "/deals/"+itoa(d.ID)); err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "deal", page{Title: d.Name, Section: "deals", Data: data})
	return nil
}

func (a *App) dealsUnlinked(w http.ResponseWriter, r *http.Request, v *viewer) error {
	arts, err := a.st.Artifacts(r.Context(), store.ArtifactFilter{OrgID: v.org.ID, Unlinked: true})
	if err != nil {
		return err
	}
	data, err := a.artifactList(r.Context(), v, arts, "/deals/unlinked")
	if err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "deals_unlinked", page{Title: "Unlinked recordings", Section: "deals", Data: data})
	return nil
}

// unlinkedReasons words the reason codes.
var unlinkedReasons = map[string]string{
	store.UnlinkedNoActivity: "No CRM activity is registered with this meeting, and none of the rep's overlaps its time.",
	store.UnlinkedDetached:   "Detached by a person: kept as a record, on no deal.",
}

func (a *App) artifactRows(ctx context.Context, v *viewer, arts []store.Artifact) ([]artifactRow, error) {
	names := map[int64]string{}
	var out []artifactRow
	for _, art := range arts {
		res, err := recordings.ResourceOf(ctx, a.st, art)
		if err != nil {
			return nil, err
		}
		if _, ok := names[art.PersonID]; !ok && art.PersonID != 0 {
			if p, err := a.st.PersonByID(ctx, v.org.ID, art.PersonID); err == nil {
				names[art.PersonID] = displayName(p)
			}
		}
		out = append(out, artifactRow{Resource: res, Rep: names[art.PersonID], Reason: unlinkedReasons[art.UnlinkedReason],
			CanEdit: a.recs != nil && a.mayEditArtifact(v, art)})
	}
	return out, nil
}

func (a *App) mayEditArtifact(v *viewer, art store.Artifact) bool {
	return v.can(people.ViewTeam) || (art.PersonID != 0 && art.PersonID == v.me.ID)
}

// artifactFor loads the artifact of the path the viewer may act on.
func (a *App) artifactFor(r *http.Request, v *viewer) (store.Artifact, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Artifact{}, err
	}
	art, err := a.st.ArtifactByID(r.Context(), v.org.ID, id)
	if err != nil {
		return art, err
	}
	if a.recs == nil {
		return art, errNotFound
	}
	if !a.mayEditArtifact(v, art) {
		return art, errForbidden
	}
	return art, nil
}

// back is where an artifact action returns: the page it came from, if ours.
func back(r *http.Request, fallback string) string {
	if to := r.PostFormValue("back"); len(to) > 1 && to[0] == '/' && to[1] != '/' {
		return to
	}
	return fallback
}

func (a *App) artifactMove(w http.ResponseWriter, r *http.Request, v *viewer) error {
	art, err := a.artifactFor(r, v)
	if err != nil {
		return err
	}
	// The form's search field gives the deal's external id (or, typed by
	// hand, its exact name).
	choice := strings.TrimSpace(r.PostFormValue("deal_external_id"))
	if choice == "" {
		return &httpError{http.StatusBadRequest, "Choose the deal to move it to."}
	}
	d, err := a.st.DealByExternalID(r.Context(), v.org.ID, choice)
	if errors.Is(err, store.ErrNotFound) {
		d, err = a.dealNamed(r.Context(), v.org.ID, choice)
	}
	if errors.Is(err, store.ErrNotFound) {
		return &httpError{http.StatusBadRequest, "No deal " + strconv.Quote(choice) + " in this organization: choose one of the suggestions."}
	}
	if err != nil {
		return err
	}
	if _, err := a.recs.Move(r.Context(), a.st, v.org.ID, art.ID, d.ID, recordings.Actor("account", v.acct.ID)); err != nil {
		return err
	}
	return a.done(w, r, back(r, "/deals/"+itoa(d.ID)), "Moved to "+d.Name+".")
}

// dealNamed finds the one deal with exactly this name.
func (a *App) dealNamed(ctx context.Context, orgID int64, name string) (store.Deal, error) {
	ds, err := a.st.Deals(ctx, orgID, name, 50)
	if err != nil {
		return store.Deal{}, err
	}
	for _, d := range ds {
		if strings.EqualFold(d.Name, name) {
			return d, nil
		}
	}
	return store.Deal{}, store.ErrNotFound
}

func (a *App) artifactDetach(w http.ResponseWriter, r *http.Request, v *viewer) error {
	art, err := a.artifactFor(r, v)
	if err != nil {
		return err
	}
	if _, err := a.recs.Detach(r.Context(), a.st, v.org.ID, art.ID, recordings.Actor("account", v.acct.ID)); err != nil {
		return err
	}
	return a.done(w, r, back(r, "/deals/unlinked"), "Detached: kept as a record on no deal, also after Zoom is disconnected.")
}

// artifactOpen asks Zoom for a fresh link at the moment of use and sends the
// browser there; nothing of it is kept.
func (a *App) artifactOpen(w http.ResponseWriter, r *http.Request, v *viewer) error {
	art, err := a.artifactFor(r, v)
	if err != nil {
		return err
	}
	link, err := a.recs.FreshLink(r.Context(), v.org.ID, art.ID)
	switch {
	case errors.Is(err, recordings.ErrNoFile), errors.Is(err, recordings.ErrGoneFromZoom), errors.Is(err, recordings.ErrNotConnected):
		return &httpError{http.StatusConflict, "This file cannot be opened: " + err.Error() + "."}
	case err != nil:
		return err
	}
	http.Redirect(w, r, link, http.StatusFound)
	return nil
}
