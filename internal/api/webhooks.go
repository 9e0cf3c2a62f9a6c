package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Outbound webhooks (feature X2): a host product registers its endpoints,
// reads their delivery log, replays deliveries and sends test events.

// WithWebhooks serves the webhook endpoint routes through svc.
func (a *API) WithWebhooks(svc *outbound.Service) *API {
	a.webhooks = svc
	return a
}

func (a *API) webhookRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/webhook-endpoints", handler: a.listWebhookEndpoints},
		{method: "POST", path: "/api/v1/webhook-endpoints", handler: a.createWebhookEndpoint},
		{method: "GET", path: "/api/v1/webhook-endpoints/{id}", handler: a.getWebhookEndpoint},
		{method: "PATCH", path: "/api/v1/webhook-endpoints/{id}", handler: a.updateWebhookEndpoint},
		{method: "DELETE", path: "/api/v1/webhook-endpoints/{id}", handler: a.deleteWebhookEndpoint},
		{method: "POST", path: "/api/v1/webhook-endpoints/{id}/rotate-secret", handler: a.rotateWebhookSecret},
		{method: "POST", path: "/api/v1/webhook-endpoints/{id}/test", handler: a.testWebhookEndpoint},
		{method: "POST", path: "/api/v1/webhook-endpoints/{id}/replay", handler: a.replayWebhookEndpoint},
		{method: "GET", path: "/api/v1/webhook-endpoints/{id}/deliveries", handler: a.listWebhookDeliveries},
		{method: "GET", path: "/api/v1/webhook-deliveries/{id}", handler: a.getWebhookDelivery},
		{method: "POST", path: "/api/v1/webhook-deliveries/{id}/replay", handler: a.replayWebhookDelivery},
	}
}

// WebhookEndpoint is an endpoint as the API shows it. Secret is set only in
// the answer that creates the endpoint or rotates its secret.
type WebhookEndpoint struct {
	ID             int64    `json:"id"`
	URL            string   `json:"url"`
	Description    string   `json:"description"`
	EventTypes     []string `json:"event_types"`
	Enabled        bool     `json:"enabled"`
	DisabledReason *string  `json:"disabled_reason"`
	Secret         string   `json:"secret,omitempty"`
	CreatedAt      string   `json:"created_at"`
	UpdatedAt      string   `json:"updated_at"`
}

func webhookEndpointJSON(e store.OutboundEndpoint) WebhookEndpoint {
	out := WebhookEndpoint{ID: e.ID, URL: e.URL, Description: e.Description, EventTypes: e.EventTypes, Enabled: e.Enabled(),
		CreatedAt: rfc3339(e.CreatedAt), UpdatedAt: rfc3339(e.UpdatedAt)}
	if out.EventTypes == nil {
		out.EventTypes = []string{}
	}
	if !e.Enabled() {
		out.DisabledReason = &e.DisabledReason
	}
	return out
}

// WebhookDelivery is one event's delivery to one endpoint.
type WebhookDelivery struct {
	ID            int64            `json:"id"`
	EndpointID    int64            `json:"endpoint_id"`
	MessageID     string           `json:"message_id"`
	EventType     string           `json:"event_type"`
	Status        string           `json:"status"`
	Attempts      int              `json:"attempts"`
	NextAttemptAt *string          `json:"next_attempt_at"`
	LastStatus    *int             `json:"last_status"`
	LastError     *string          `json:"last_error"`
	CreatedAt     string           `json:"created_at"`
	Log           []WebhookAttempt `json:"attempt_log,omitempty"`
}

// WebhookAttempt is one request of a delivery.
type WebhookAttempt struct {
	AttemptedAt string  `json:"attempted_at"`
	Status      *int    `json:"status"`
	Error       *string `json:"error"`
	DurationMS  int64   `json:"duration_ms"`
	Response    string  `json:"response"`
}

func webhookDeliveryJSON(d store.OutboundDelivery) WebhookDelivery {
	out := WebhookDelivery{ID: d.ID, EndpointID: d.EndpointID, MessageID: d.MsgID, EventType: d.EventType, Status: d.Status,
		Attempts: d.Attempts, CreatedAt: rfc3339(d.CreatedAt), LastStatus: optInt(d.LastStatus), LastError: optString(d.LastError)}
	if d.Status == store.DeliveryPending {
		out.NextAttemptAt = optTime(d.NextAttemptAt)
	}
	return out
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// webhookInput is the body of a create or an update; on update, fields left
// out keep their values.
type webhookInput struct {
	URL         *string   `json:"url"`
	Description *string   `json:"description"`
	EventTypes  *[]string `json:"event_types"`
	Enabled     *bool     `json:"enabled"`
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body must be one JSON object of the documented fields: " + err.Error()}
	}
	return nil
}

// webhookError maps the outbound package's refusals to API errors.
func webhookError(err error) error {
	var ae *outbound.AddressError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such webhook endpoint or delivery in this organization"}
	case errors.As(err, &ae), errors.Is(err, outbound.ErrURLScheme), errors.Is(err, outbound.ErrURLHost),
		errors.Is(err, outbound.ErrURLUserinfo), errors.Is(err, outbound.ErrURLUnresolved):
		return badParam("url", err.Error())
	case errors.Is(err, outbound.ErrEventType):
		return badParam("event_types", err.Error())
	case errors.Is(err, outbound.ErrDescription):
		return badParam("description", err.Error())
	case errors.Is(err, outbound.ErrDisabled):
		return &Error{Status: http.StatusConflict, Code: "endpoint_disabled", Message: "the endpoint is disabled; enable it first"}
	}
	return err
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such webhook endpoint or delivery in this organization"}
	}
	return id, nil
}

func (a *API) listWebhookEndpoints(w http.ResponseWriter, r *http.Request, org int64) error {
	eps, err := a.store.OutboundEndpoints(r.Context(), org)
	if err != nil {
		return err
	}
	out := page[WebhookEndpoint]{Data: []WebhookEndpoint{}}
	for _, e := range eps {
		out.Data = append(out.Data, webhookEndpointJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) createWebhookEndpoint(w http.ResponseWriter, r *http.Request, org int64) error {
	var in webhookInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.URL == nil {
		return badParam("url", "required")
	}
	ep := outbound.Endpoint{URL: *in.URL}
	if in.Description != nil {
		ep.Description = *in.Description
	}
	if in.EventTypes != nil {
		ep.EventTypes = *in.EventTypes
	}
	e, secret, err := a.webhooks.CreateEndpoint(r.Context(), org, apiActor(r), ep)
	if err != nil {
		return webhookError(err)
	}
	if in.Enabled != nil && !*in.Enabled {
		if err := a.webhooks.SetEnabled(r.Context(), org, e.ID, apiActor(r), false); err != nil {
			return err
		}
		if e, err = a.store.OutboundEndpoint(r.Context(), org, e.ID); err != nil {
			return err
		}
	}
	out := webhookEndpointJSON(e)
	out.Secret = secret
	w.Header().Set("Location", "/api/v1/webhook-endpoints/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (a *API) getWebhookEndpoint(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := a.store.OutboundEndpoint(r.Context(), org, id)
	if err != nil {
		return webhookError(err)
	}
	writeJSON(w, http.StatusOK, webhookEndpointJSON(e))
	return nil
}

func (a *API) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in webhookInput
	if err := readJSON(r, &in); err != nil {
		return err
	}
	e, err := a.store.OutboundEndpoint(r.Context(), org, id)
	if err != nil {
		return webhookError(err)
	}
	if in.URL != nil || in.Description != nil || in.EventTypes != nil {
		ep := outbound.Endpoint{URL: e.URL, Description: e.Description, EventTypes: e.EventTypes}
		if in.URL != nil {
			ep.URL = *in.URL
		}
		if in.Description != nil {
			ep.Description = *in.Description
		}
		if in.EventTypes != nil {
			ep.EventTypes = *in.EventTypes
		}
		if _, err := a.webhooks.UpdateEndpoint(r.Context(), org, id, apiActor(r), ep); err != nil {
			return webhookError(err)
		}
	}
	if in.Enabled != nil && *in.Enabled != e.Enabled() {
		if err := a.webhooks.SetEnabled(r.Context(), org, id, apiActor(r), *in.Enabled); err != nil {
			return webhookError(err)
		}
	}
	if e, err = a.store.OutboundEndpoint(r.Context(), org, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, webhookEndpointJSON(e))
	return nil
}

func (a *API) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.webhooks.DeleteEndpoint(r.Context(), org, id, apiActor(r)); err != nil {
		return webhookError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	secret, err := a.webhooks.RotateSecret(r.Context(), org, id, apiActor(r))
	if err != nil {
		return webhookError(err)
	}
	e, err := a.store.OutboundEndpoint(r.Context(), org, id)
	if err != nil {
		return err
	}
	out := webhookEndpointJSON(e)
	out.Secret = secret
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *API) testWebhookEndpoint(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	did, err := a.webhooks.SendTest(r.Context(), org, id)
	if err != nil {
		return webhookError(err)
	}
	return a.writeDelivery(w, r, org, did, http.StatusAccepted)
}

func (a *API) replayWebhookDelivery(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	did, err := a.webhooks.Replay(r.Context(), org, id)
	if err != nil {
		return webhookError(err)
	}
	return a.writeDelivery(w, r, org, did, http.StatusAccepted)
}

func (a *API) replayWebhookEndpoint(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Since *time.Time `json:"since"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Since == nil {
		return badParam("since", "required: an RFC 3339 time")
	}
	n, err := a.webhooks.ReplayFailed(r.Context(), org, id, *in.Since)
	if err != nil {
		return webhookError(err)
	}
	writeJSON(w, http.StatusAccepted, struct {
		Replayed int `json:"replayed"`
	}{n})
	return nil
}

func (a *API) writeDelivery(w http.ResponseWriter, r *http.Request, org, id int64, status int) error {
	d, err := a.store.OutboundDelivery(r.Context(), org, id)
	if err != nil {
		return webhookError(err)
	}
	out := webhookDeliveryJSON(d)
	if status == http.StatusOK {
		attempts, err := a.store.OutboundAttempts(r.Context(), id)
		if err != nil {
			return err
		}
		out.Log = []WebhookAttempt{}
		for _, at := range attempts {
			out.Log = append(out.Log, WebhookAttempt{AttemptedAt: rfc3339(at.AttemptedAt), Status: optInt(at.Status), Error: optString(at.Error),
				DurationMS: at.Duration.Milliseconds(), Response: at.Response})
		}
	}
	writeJSON(w, status, out)
	return nil
}

func (a *API) getWebhookDelivery(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.writeDelivery(w, r, org, id, http.StatusOK)
}

func (a *API) listWebhookDeliveries(w http.ResponseWriter, r *http.Request, org int64) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := newParams(r.URL.Query(), "status", "limit", "cursor")
	limit := p.limit()
	status := p.one("status")
	if status != "" && status != store.DeliveryPending && status != store.DeliveryDelivered && status != store.DeliveryFailed {
		p.fail(badParam("status", "pending, delivered or failed"))
	}
	before, bad := parseCursor(p.one("cursor"), "deliveries", 1)
	if bad != nil {
		p.fail(bad)
	}
	if p.err != nil {
		return p.err
	}
	if _, err := a.store.OutboundEndpoint(r.Context(), org, id); err != nil {
		return webhookError(err)
	}
	var beforeID int64
	if before != nil {
		beforeID = before[0]
	}
	rows, err := a.store.OutboundDeliveries(r.Context(), org, id, status, beforeID, limit+1)
	if err != nil {
		return err
	}
	out := page[WebhookDelivery]{Data: []WebhookDelivery{}}
	for i, d := range rows {
		if i == limit {
			out.NextCursor = nextCursor(cursor{list: "deliveries", keys: []int64{rows[i-1].ID}})
			break
		}
		out.Data = append(out.Data, webhookDeliveryJSON(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiActor names the caller in the audit log.
func apiActor(r *http.Request) string { return "api" }
