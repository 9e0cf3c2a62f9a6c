package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
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

// webhookFields are what a create or an update body may hold; on update,
// fields left out keep their values.
var webhookFields = []string{"url", "description", "event_types", "enabled"}

// readEndpoint reads a create or update body over the endpoint's values.
func readEndpoint(r *http.Request, ep outbound.Endpoint) (outbound.Endpoint, *bool, error) {
	o, err := readObject(r, webhookFields...)
	if err != nil {
		return ep, nil, err
	}
	if _, err := o.str("url", &ep.URL); err != nil {
		return ep, nil, err
	}
	if _, err := o.str("description", &ep.Description); err != nil {
		return ep, nil, err
	}
	if raw, ok := o["event_types"]; ok {
		if err := json.Unmarshal(raw, &ep.EventTypes); err != nil || string(raw) == "null" {
			return ep, nil, badParam("event_types", "must be an array of event type names")
		}
	}
	var on bool
	given, err := o.boolean("enabled", &on)
	if err != nil || !given {
		return ep, nil, err
	}
	return ep, &on, nil
}

// webhookError maps the outbound package's refusals to API errors.
func webhookError(err error) error {
	var ae *outbound.AddressError
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("webhook endpoint or delivery")
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
		return 0, notFound("webhook endpoint or delivery")
	}
	return id, nil
}

func (a *API) listWebhookEndpoints(w http.ResponseWriter, r *http.Request, c *call) error {
	eps, err := c.st.OutboundEndpoints(r.Context(), c.org)
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

func (a *API) createWebhookEndpoint(w http.ResponseWriter, r *http.Request, c *call) error {
	ep, on, err := readEndpoint(r, outbound.Endpoint{})
	if err != nil {
		return err
	}
	if ep.URL == "" {
		return badParam("url", "required")
	}
	svc := a.webhooks.In(c.st)
	e, secret, err := svc.CreateEndpoint(r.Context(), c.org, c.actor().Name, ep)
	if err != nil {
		return webhookError(err)
	}
	if on != nil && !*on {
		if err := svc.SetEnabled(r.Context(), c.org, e.ID, c.actor().Name, false); err != nil {
			return err
		}
		if e, err = c.st.OutboundEndpoint(r.Context(), c.org, e.ID); err != nil {
			return err
		}
	}
	out := webhookEndpointJSON(e)
	out.Secret = secret
	w.Header().Set("Location", "/api/v1/webhook-endpoints/"+strconv.FormatInt(e.ID, 10))
	writeResource(w, r, http.StatusCreated, out)
	return nil
}

func (a *API) getWebhookEndpoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := c.st.OutboundEndpoint(r.Context(), c.org, id)
	if err != nil {
		return webhookError(err)
	}
	writeResource(w, r, http.StatusOK, webhookEndpointJSON(e))
	return nil
}

func (a *API) updateWebhookEndpoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := c.st.OutboundEndpoint(r.Context(), c.org, id)
	if err != nil {
		return webhookError(err)
	}
	old := outbound.Endpoint{URL: e.URL, Description: e.Description, EventTypes: e.EventTypes}
	ep, on, err := readEndpoint(r, old)
	if err != nil {
		return err
	}
	svc := a.webhooks.In(c.st)
	if ep.URL != old.URL || ep.Description != old.Description || !slices.Equal(ep.EventTypes, old.EventTypes) {
		if _, err := svc.UpdateEndpoint(r.Context(), c.org, id, c.actor().Name, ep); err != nil {
			return webhookError(err)
		}
	}
	if on != nil && *on != e.Enabled() {
		if err := svc.SetEnabled(r.Context(), c.org, id, c.actor().Name, *on); err != nil {
			return webhookError(err)
		}
	}
	if e, err = c.st.OutboundEndpoint(r.Context(), c.org, id); err != nil {
		return err
	}
	writeResource(w, r, http.StatusOK, webhookEndpointJSON(e))
	return nil
}

func (a *API) deleteWebhookEndpoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.webhooks.In(c.st).DeleteEndpoint(r.Context(), c.org, id, c.actor().Name); err != nil {
		return webhookError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) rotateWebhookSecret(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	secret, err := a.webhooks.In(c.st).RotateSecret(r.Context(), c.org, id, c.actor().Name)
	if err != nil {
		return webhookError(err)
	}
	e, err := c.st.OutboundEndpoint(r.Context(), c.org, id)
	if err != nil {
		return err
	}
	out := webhookEndpointJSON(e)
	out.Secret = secret
	writeResource(w, r, http.StatusOK, out)
	return nil
}

func (a *API) testWebhookEndpoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	did, err := a.webhooks.In(c.st).SendTest(r.Context(), c.org, id)
	if err != nil {
		return webhookError(err)
	}
	return a.writeDelivery(w, r, c, did, http.StatusAccepted)
}

func (a *API) replayWebhookDelivery(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	did, err := a.webhooks.In(c.st).Replay(r.Context(), c.org, id)
	if err != nil {
		return webhookError(err)
	}
	return a.writeDelivery(w, r, c, did, http.StatusAccepted)
}

func (a *API) replayWebhookEndpoint(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := readObject(r, "since")
	if err != nil {
		return err
	}
	var raw string
	if given, err := o.str("since", &raw); err != nil || !given {
		return badParam("since", "required: an RFC 3339 time")
	}
	since, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return badParam("since", "an RFC 3339 time such as 2026-11-02T09:00:00Z")
	}
	n, err := a.webhooks.In(c.st).ReplayFailed(r.Context(), c.org, id, since)
	if err != nil {
		return webhookError(err)
	}
	writeJSON(w, http.StatusAccepted, struct {
		Replayed int `json:"replayed"`
	}{n})
	return nil
}

func (a *API) writeDelivery(w http.ResponseWriter, r *http.Request, c *call, id int64, status int) error {
	d, err := c.st.OutboundDelivery(r.Context(), c.org, id)
	if err != nil {
		return webhookError(err)
	}
	out := webhookDeliveryJSON(d)
	if status == http.StatusOK {
		attempts, err := c.st.OutboundAttempts(r.Context(), id)
		if err != nil {
			return err
		}
		out.Log = []WebhookAttempt{}
		for _, at := range attempts {
			out.Log = append(out.Log, WebhookAttempt{AttemptedAt: rfc3339(at.AttemptedAt), Status: optInt(at.Status), Error: optString(at.Error),
				DurationMS: at.Duration.Milliseconds(), Response: at.Response})
		}
	}
	writeResource(w, r, status, out)
	return nil
}

func (a *API) getWebhookDelivery(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.writeDelivery(w, r, c, id, http.StatusOK)
}

func (a *API) listWebhookDeliveries(w http.ResponseWriter, r *http.Request, c *call) error {
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
	if _, err := c.st.OutboundEndpoint(r.Context(), c.org, id); err != nil {
		return webhookError(err)
	}
	var beforeID int64
	if before != nil {
		beforeID = before[0]
	}
	rows, err := c.st.OutboundDeliveries(r.Context(), c.org, id, status, beforeID, limit+1)
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
