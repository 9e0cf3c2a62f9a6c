package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The Developers page (features X1, X2; Owner and Admin): API keys, the
// OpenAPI document and its reference (reference.go), and outbound webhook
// endpoints with their delivery log, replay and test event.
// internal/outbound does the work and the audit.

func (a *App) mountDevelopers(mux Mux) {
	a.handle(mux, "GET /developers", people.ManageAPIKeys, a.developers)
	a.handle(mux, "GET /developers/api", people.ManageAPIKeys, a.apiReference)
	a.handle(mux, "POST /developers/webhooks", people.ManageAPIKeys, a.webhookCreate)
	a.handle(mux, "GET /developers/webhooks/{id}", people.ManageAPIKeys, a.webhookPage)
	a.handle(mux, "POST /developers/webhooks/{id}", people.ManageAPIKeys, a.webhookUpdate)
	a.handle(mux, "POST /developers/webhooks/{id}/enabled", people.ManageAPIKeys, a.webhookEnabled)
	a.handle(mux, "POST /developers/webhooks/{id}/rotate", people.ManageAPIKeys, a.webhookRotate)
	a.handle(mux, "POST /developers/webhooks/{id}/test", people.ManageAPIKeys, a.webhookTest)
	a.handle(mux, "POST /developers/webhooks/{id}/replay", people.ManageAPIKeys, a.webhookReplayFailed)
	a.handle(mux, "POST /developers/webhooks/{id}/delete", people.ManageAPIKeys, a.webhookDelete)
	a.handle(mux, "GET /developers/deliveries/{id}", people.ManageAPIKeys, a.deliveryPage)
	a.handle(mux, "POST /developers/deliveries/{id}/replay", people.ManageAPIKeys, a.deliveryReplay)
}

type developersData struct {
	Endpoints []store.OutboundEndpoint
	Types     []string
	Form      endpointForm
	Error     string
	Secret    string // a new endpoint's, shown once
	NewURL    string
	Available bool
}

type endpointForm struct {
	URL, Description string
	Types            []string
}

func (f endpointForm) Has(t string) bool { return slices.Contains(f.Types, t) }

func (a *App) developers(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.renderDevelopers(w, r, v, http.StatusOK, developersData{})
}

func (a *App) renderDevelopers(w http.ResponseWriter, r *http.Request, v *viewer, status int, d developersData) error {
	eps, err := a.st.OutboundEndpoints(r.Context(), v.org.ID)
	if err != nil {
		return err
	}
	d.Endpoints, d.Types, d.Available = eps, outbound.EventTypes, a.webhooks != nil
	a.render(w, r, v, status, "developers", page{Title: "Developers", Section: "developers", Data: d})
	return nil
}

func readEndpointForm(r *http.Request) endpointForm {
	_ = r.ParseForm() // a malformed body leaves the fields empty, and the form says what is missing
	return endpointForm{URL: strings.TrimSpace(r.PostFormValue("url")), Description: strings.TrimSpace(r.PostFormValue("description")), Types: r.PostForm["event_types"]}
}

// endpointProblem is a refusal a person can act on, or "" for any other error.
func endpointProblem(err error) string {
	var ae *outbound.AddressError
	switch {
	case errors.As(err, &ae):
		return "That address is on an internal network, which webhooks may not reach. Use the host product's public URL."
	case errors.Is(err, outbound.ErrURLScheme):
		return "Enter an http:// or https:// URL."
	case errors.Is(err, outbound.ErrURLHost):
		return "The URL needs a host name."
	case errors.Is(err, outbound.ErrURLUserinfo):
		return "Leave the user name and password out of the URL; verify the signature instead."
	case errors.Is(err, outbound.ErrURLUnresolved):
		return "That host name does not resolve. Check the spelling."
	case errors.Is(err, outbound.ErrEventType):
		return "Choose event types from the list."
	case errors.Is(err, outbound.ErrDescription):
		return "Keep the description under 500 characters."
	case errors.Is(err, outbound.ErrDisabled):
		return "The endpoint is disabled. Enable it first."
	}
	return ""
}

func (a *App) webhookCreate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if a.webhooks == nil {
		return errNotFound
	}
	f := readEndpointForm(r)
	ep, secret, err := a.webhooks.CreateEndpoint(r.Context(), v.org.ID, v.auditName(), outbound.Endpoint{URL: f.URL, Description: f.Description, EventTypes: f.Types})
	if msg := endpointProblem(err); msg != "" {
		return a.renderDevelopers(w, r, v, http.StatusBadRequest, developersData{Form: f, Error: msg})
	}
	if err != nil {
		return err
	}
	return a.renderDevelopers(w, r, v, http.StatusOK, developersData{Secret: secret, NewURL: ep.URL})
}

type webhookData struct {
	E          store.OutboundEndpoint
	Form       endpointForm
	Types      []string
	Deliveries []store.OutboundDelivery
	Status     string // the log's filter
	Error      string
	Secret     string // after a rotation, shown once
	Now        time.Time
	Rotating   bool
}

func (a *App) webhookPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.renderWebhook(w, r, v, http.StatusOK, webhookData{})
}

func (a *App) renderWebhook(w http.ResponseWriter, r *http.Request, v *viewer, status int, d webhookData) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if d.E, err = a.st.OutboundEndpoint(r.Context(), v.org.ID, id); err != nil {
		return notFoundIf(err)
	}
	if d.Form.URL == "" {
		d.Form = endpointForm{URL: d.E.URL, Description: d.E.Description, Types: d.E.EventTypes}
	}
	d.Status = r.URL.Query().Get("status")
	if d.Status != store.DeliveryPending && d.Status != store.DeliveryDelivered && d.Status != store.DeliveryFailed {
		d.Status = ""
	}
	if d.Deliveries, err = a.st.OutboundDeliveries(r.Context(), v.org.ID, id, d.Status, 0, 50); err != nil {
		return err
	}
	d.Types, d.Now = outbound.EventTypes, a.now()
	d.Rotating = len(d.E.PrevSecretEnc) > 0 && d.Now.Before(d.E.PrevSecretUntil)
	a.render(w, r, v, status, "developers_webhook", page{Title: "Webhook endpoint", Section: "developers", Data: d})
	return nil
}

func notFoundIf(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	return err
}

// endpointAction runs a change to one endpoint and sends the browser back to it.
func (a *App) endpointAction(w http.ResponseWriter, r *http.Request, v *viewer, fn func(id int64) (string, error)) error {
	if a.webhooks == nil {
		return errNotFound
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	msg, err := fn(id)
	if p := endpointProblem(err); p != "" {
		return a.renderWebhook(w, r, v, http.StatusBadRequest, webhookData{Error: p})
	}
	if err != nil {
		return notFoundIf(err)
	}
	return a.done(w, r, "/developers/webhooks/"+itoa(id), msg)
}

func (a *App) webhookUpdate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	f := readEndpointForm(r)
	if a.webhooks == nil {
		return errNotFound
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	_, err = a.webhooks.UpdateEndpoint(r.Context(), v.org.ID, id, v.auditName(), outbound.Endpoint{URL: f.URL, Description: f.Description, EventTypes: f.Types})
	if p := endpointProblem(err); p != "" {
		return a.renderWebhook(w, r, v, http.StatusBadRequest, webhookData{Error: p, Form: f})
	}
	if err != nil {
		return notFoundIf(err)
	}
	return a.done(w, r, "/developers/webhooks/"+itoa(id), "Endpoint saved.")
}

func (a *App) webhookEnabled(w http.ResponseWriter, r *http.Request, v *viewer) error {
	on := r.PostFormValue("enabled") == "1"
	return a.endpointAction(w, r, v, func(id int64) (string, error) {
		if on {
			return "Endpoint enabled: new events are sent to it.", a.webhooks.SetEnabled(r.Context(), v.org.ID, id, v.auditName(), true)
		}
		return "Endpoint disabled: nothing is sent to it until it is enabled.", a.webhooks.SetEnabled(r.Context(), v.org.ID, id, v.auditName(), false)
	})
}

func (a *App) webhookRotate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if a.webhooks == nil {
		return errNotFound
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	secret, err := a.webhooks.RotateSecret(r.Context(), v.org.ID, id, v.auditName())
	if err != nil {
		return notFoundIf(err)
	}
	return a.renderWebhook(w, r, v, http.StatusOK, webhookData{Secret: secret})
}

func (a *App) webhookTest(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.endpointAction(w, r, v, func(id int64) (string, error) {
		_, err := a.webhooks.SendTest(r.Context(), v.org.ID, id)
		return "Test event queued: it shows in the log below once sent.", err
	})
}

func (a *App) webhookReplayFailed(w http.ResponseWriter, r *http.Request, v *viewer) error {
	since, err := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("since"), v.tz)
	if err != nil {
		return a.renderWebhook(w, r, v, http.StatusBadRequest, webhookData{Error: "Choose the date and time to replay failed deliveries from."})
	}
	return a.endpointAction(w, r, v, func(id int64) (string, error) {
		n, err := a.webhooks.ReplayFailed(r.Context(), v.org.ID, id, since)
		return strconv.Itoa(n) + " failed event(s) queued again.", err
	})
}

func (a *App) webhookDelete(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if a.webhooks == nil {
		return errNotFound
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.webhooks.DeleteEndpoint(r.Context(), v.org.ID, id, v.auditName()); err != nil {
		return notFoundIf(err)
	}
	return a.done(w, r, "/developers", "Endpoint removed.")
}

type deliveryData struct {
	D        store.OutboundDelivery
	E        store.OutboundEndpoint
	Attempts []store.OutboundAttempt
}

func (a *App) deliveryPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var d deliveryData
	if d.D, err = a.st.OutboundDelivery(r.Context(), v.org.ID, id); err != nil {
		return notFoundIf(err)
	}
	if d.E, err = a.st.OutboundEndpoint(r.Context(), v.org.ID, d.D.EndpointID); err != nil {
		return err
	}
	if d.Attempts, err = a.st.OutboundAttempts(r.Context(), id); err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "developers_delivery", page{Title: "Delivery", Section: "developers", Data: d})
	return nil
}

func (a *App) deliveryReplay(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if a.webhooks == nil {
		return errNotFound
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	nid, err := a.webhooks.Replay(r.Context(), v.org.ID, id)
	if errors.Is(err, outbound.ErrDisabled) {
		return &httpError{http.StatusConflict, "The endpoint is disabled. Enable it first."}
	}
	if err != nil {
		return notFoundIf(err)
	}
	return a.done(w, r, "/developers/deliveries/"+itoa(nid), "Event queued again as a new delivery.")
}

// webhookAlerts are the banners an Owner sees on every page: endpoints
// disabled after five days of failed deliveries.
func (a *App) webhookAlerts(r *http.Request, v *viewer) []alert {
	if v.me.Role != store.RoleOwner {
		return nil
	}
	eps, err := a.st.DisabledOutboundEndpoints(r.Context(), v.org.ID, outbound.DisabledFailing)
	if err != nil {
		a.log.Warn("web: webhook alerts", "err", err)
		return nil
	}
	var out []alert
	for _, e := range eps {
		out = append(out, alert{Title: "A webhook endpoint was disabled",
			Text: e.URL + " failed every delivery for five days, so zoombridge stopped sending to it. Fix the receiver, enable the endpoint and replay what failed.",
			Href: "/developers/webhooks/" + itoa(e.ID)})
	}
	return out
}

// alert is a banner on every page, linking to where it is dealt with.
type alert struct{ Title, Text, Href string }
