package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Recordings is what the artifact endpoints need of internal/recordings.
type Recordings interface {
	Move(ctx context.Context, st *store.Store, orgID, artifactID, dealID int64, actor string) (store.Artifact, error)
	Detach(ctx context.Context, st *store.Store, orgID, artifactID int64, actor string) (store.Artifact, error)
	FreshLink(ctx context.Context, orgID, artifactID int64) (string, error)
}

// WithRecordings enables the artifact endpoints' actions.
func (a *API) WithRecordings(r Recordings) *API {
	a.recs = r
	return a
}

// recordingsRoutes are the CRM and artifact endpoints (features R1-R4).
func (a *API) recordingsRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/deals", handler: a.listDeals},
		{method: "GET", path: "/api/v1/deals/{external_id}", handler: a.getDeal},
		{method: "PUT", path: "/api/v1/deals/{external_id}", handler: a.putDeal},
		{method: "PUT", path: "/api/v1/crm-activities/{external_id}", handler: a.putCRMActivity},
		{method: "GET", path: "/api/v1/artifacts", handler: a.listArtifacts},
		{method: "GET", path: "/api/v1/artifacts/{id}", handler: a.getArtifact},
		{method: "POST", path: "/api/v1/artifacts/{id}/move", handler: a.moveArtifact},
		{method: "POST", path: "/api/v1/artifacts/{id}/detach", handler: a.detachArtifact},
		{method: "GET", path: "/api/v1/artifacts/{id}/download", handler: a.downloadArtifact},
	}
}

// listArtifacts answers GET /api/v1/artifacts?deal=&person=&unlinked=: the
// artifacts Zoom still holds, by id, in pages.
func (a *API) listArtifacts(w http.ResponseWriter, r *http.Request, c *call) error {
	p := newParams(r.URL.Query(), "deal", "person", "unlinked", "limit", "cursor")
	f := store.ArtifactFilter{OrgID: c.org, Limit: p.limit() + 1}
	if ext := p.one("deal"); ext != "" {
		d, err := c.st.DealByExternalID(r.Context(), c.org, ext)
		if err != nil {
			p.fail(badParam("deal", "no deal with that external id"))
		}
		f.DealID = d.ID
	}
	if s := p.one("person"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			p.fail(badParam("person", "a person id"))
		}
		f.PersonID = id
	}
	switch p.one("unlinked") {
	case "", "false":
	case "true":
		f.Unlinked = true
	default:
		p.fail(badParam("unlinked", "true or false"))
	}
	after, bad := parseCursor(p.one("cursor"), "artifacts", 1)
	if bad != nil {
		p.fail(bad)
	}
	if p.err != nil {
		return p.err
	}
	if after != nil {
		f.AfterID = after[0]
	}
	rows, err := c.st.Artifacts(r.Context(), f)
	if err != nil {
		return err
	}
	out := page[recordings.Resource]{Data: []recordings.Resource{}}
	for i, art := range rows {
		if i == f.Limit-1 {
			out.NextCursor = nextCursor(cursor{list: "artifacts", keys: []int64{rows[i-1].ID}})
			break
		}
		res, err := recordings.ResourceOf(r.Context(), c.st, art)
		if err != nil {
			return err
		}
		out.Data = append(out.Data, res)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func artifactByPath(r *http.Request, c *call) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		_, err = c.st.ArtifactByID(r.Context(), c.org, id)
	}
	if err != nil {
		if _, num := err.(*strconv.NumError); num || errors.Is(err, store.ErrNotFound) {
			return 0, notFound("artifact")
		}
		return 0, err
	}
	return id, nil
}

// getArtifact answers GET /api/v1/artifacts/{id}, gone ones included.
func (a *API) getArtifact(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := artifactByPath(r, c)
	if err != nil {
		return err
	}
	return writeArtifact(w, r, c, id)
}

func writeArtifact(w http.ResponseWriter, r *http.Request, c *call, id int64) error {
	art, err := c.st.ArtifactByID(r.Context(), c.org, id)
	if err != nil {
		return err
	}
	res, err := recordings.ResourceOf(r.Context(), c.st, art)
	if err != nil {
		return err
	}
	writeResource(w, r, http.StatusOK, res)
	return nil
}

// moveArtifact answers POST /api/v1/artifacts/{id}/move {"deal_external_id"}.
func (a *API) moveArtifact(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := artifactByPath(r, c)
	if err != nil {
		return err
	}
	var in struct {
		DealExternalID string `json:"deal_external_id"`
	}
	if err := readBody(r, &in); err != nil {
		return err
	}
	d, err := c.st.DealByExternalID(r.Context(), c.org, in.DealExternalID)
	if err != nil {
		return refused(err, "deal_external_id")
	}
	if _, err := a.recs.Move(r.Context(), c.st, c.org, id, d.ID, c.actor().Name); err != nil {
		return err
	}
	return writeArtifact(w, r, c, id)
}

// detachArtifact answers POST /api/v1/artifacts/{id}/detach.
func (a *API) detachArtifact(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := artifactByPath(r, c)
	if err != nil {
		return err
	}
	if _, err := a.recs.Detach(r.Context(), c.st, c.org, id, c.actor().Name); err != nil {
		return err
	}
	return writeArtifact(w, r, c, id)
}

// downloadArtifact answers GET /api/v1/artifacts/{id}/download with a
// redirect to the file, through a download token Zoom issued a moment ago
// for recordings.FreshLinkTTL. The Location is never logged or stored.
func (a *API) downloadArtifact(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := artifactByPath(r, c)
	if err != nil {
		return err
	}
	link, err := a.recs.FreshLink(r.Context(), c.org, id)
	switch {
	case errors.Is(err, recordings.ErrNoFile), errors.Is(err, recordings.ErrGoneFromZoom), errors.Is(err, recordings.ErrNotConnected):
		return &Error{Status: http.StatusConflict, Code: "no_file", Message: err.Error()}
	case err != nil:
		return err
	}
	http.Redirect(w, r, link, http.StatusFound)
	return nil
}
