package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// CRM records a host product registers so Zoom's artifacts can link to them
// (features R2, R4): deals and CRM activities, upserted by its own ids.

// Deal is a CRM deal as the API shows it.
type Deal struct {
	ID            int64         `json:"id"`
	ExternalID    string        `json:"external_id"`
	Name          string        `json:"name"`
	Stage         string        `json:"stage"`
	OwnerPersonID *int64        `json:"owner_person_id"`
	CreatedAt     string        `json:"created_at"`
	UpdatedAt     string        `json:"updated_at"`
	Activities    []CRMActivity `json:"activities,omitempty"`
}

// CRMActivity is one planned call of a deal as the API shows it.
type CRMActivity struct {
	ID              int64   `json:"id"`
	ExternalID      string  `json:"external_id"`
	DealExternalID  *string `json:"deal_external_id"`
	RepPersonID     *int64  `json:"rep_person_id"`
	Title           string  `json:"title"`
	Start           string  `json:"start"`
	End             string  `json:"end"`
	ZoomMeetingID   string  `json:"zoom_meeting_id"`
	ZoomMeetingUUID string  `json:"zoom_meeting_uuid"`
	Source          string  `json:"source"`
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func dealJSON(d store.Deal) Deal {
	return Deal{ID: d.ID, ExternalID: d.ExternalID, Name: d.Name, Stage: d.Stage, OwnerPersonID: optID(d.OwnerPersonID),
		CreatedAt: rfc3339(d.CreatedAt), UpdatedAt: rfc3339(d.UpdatedAt)}
}

func crmActivityJSON(a store.CRMActivity, dealExt string) CRMActivity {
	out := CRMActivity{ID: a.ID, ExternalID: a.ExternalID, RepPersonID: optID(a.RepPersonID), Title: a.Title,
		Start: rfc3339(a.StartAt), End: rfc3339(a.EndAt), ZoomMeetingID: a.ZoomMeetingID, ZoomMeetingUUID: a.ZoomMeetingUUID, Source: a.Source}
	if dealExt != "" {
		out.DealExternalID = &dealExt
	}
	return out
}

// readBody decodes a JSON request body of at most 64 KiB, refusing unknown fields.
func readBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body is not the JSON object this endpoint takes: " + err.Error()}
	}
	return nil
}

// refused turns the store's refusals of a record into 400s naming the field.
func refused(err error, field string) error {
	if errors.Is(err, store.ErrNotFound) {
		return badParam(field, "no such record in this organization")
	}
	return err
}

// putDeal answers PUT /api/v1/deals/{external_id}: create or update a deal.
func (a *API) putDeal(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Name          string `json:"name"`
		Stage         string `json:"stage"`
		OwnerPersonID int64  `json:"owner_person_id"`
	}
	if err := readBody(r, &in); err != nil {
		return err
	}
	if in.Name == "" {
		return badParam("name", "required")
	}
	d, err := c.st.UpsertDeal(r.Context(), store.Deal{OrgID: c.org, ExternalID: r.PathValue("external_id"), Name: in.Name,
		Stage: in.Stage, OwnerPersonID: in.OwnerPersonID}, c.now)
	if err != nil {
		return refused(err, "owner_person_id")
	}
	writeJSON(w, http.StatusOK, dealJSON(d))
	return nil
}

// getDeal answers GET /api/v1/deals/{external_id}: the deal with its activities.
func (a *API) getDeal(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := dealByPath(r, c)
	if err != nil {
		return err
	}
	acts, err := c.st.CRMActivitiesForDeal(r.Context(), c.org, d.ID)
	if err != nil {
		return err
	}
	out := dealJSON(d)
	out.Activities = []CRMActivity{}
	for _, act := range acts {
		out.Activities = append(out.Activities, crmActivityJSON(act, d.ExternalID))
	}
	writeResource(w, r, http.StatusOK, out)
	return nil
}

func dealByPath(r *http.Request, c *call) (store.Deal, error) {
	d, err := c.st.DealByExternalID(r.Context(), c.org, r.PathValue("external_id"))
	if errors.Is(err, store.ErrNotFound) {
		return d, notFound("deal")
	}
	return d, err
}

// listDeals answers GET /api/v1/deals?search=: deals by name, at most limit.
func (a *API) listDeals(w http.ResponseWriter, r *http.Request, c *call) error {
	p := newParams(r.URL.Query(), "search", "limit")
	search, limit := p.one("search"), p.limit()
	if p.err != nil {
		return p.err
	}
	ds, err := c.st.Deals(r.Context(), c.org, search, limit)
	if err != nil {
		return err
	}
	out := page[Deal]{Data: []Deal{}}
	for _, d := range ds {
		out.Data = append(out.Data, dealJSON(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// putCRMActivity answers PUT /api/v1/crm-activities/{external_id}.
func (a *API) putCRMActivity(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		DealExternalID  string    `json:"deal_external_id"`
		RepPersonID     int64     `json:"rep_person_id"`
		Title           string    `json:"title"`
		Start           time.Time `json:"start"`
		End             time.Time `json:"end"`
		ZoomMeetingID   string    `json:"zoom_meeting_id"`
		ZoomMeetingUUID string    `json:"zoom_meeting_uuid"`
	}
	if err := readBody(r, &in); err != nil {
		return err
	}
	if in.Start.IsZero() || in.End.Before(in.Start) {
		return badParam("end", "start and end are required, end not before start")
	}
	act := store.CRMActivity{OrgID: c.org, ExternalID: r.PathValue("external_id"), RepPersonID: in.RepPersonID, Title: in.Title,
		StartAt: in.Start, EndAt: in.End, ZoomMeetingID: in.ZoomMeetingID, ZoomMeetingUUID: in.ZoomMeetingUUID}
	if in.DealExternalID != "" {
		d, err := c.st.DealByExternalID(r.Context(), c.org, in.DealExternalID)
		if err != nil {
			return refused(err, "deal_external_id")
		}
		act.DealID = d.ID
	}
	saved, err := c.st.UpsertCRMActivity(r.Context(), act, c.now)
	if err != nil {
		return refused(err, "rep_person_id")
	}
	writeJSON(w, http.StatusOK, crmActivityJSON(saved, in.DealExternalID))
	return nil
}
