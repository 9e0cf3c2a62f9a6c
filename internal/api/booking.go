package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Scheduling resources (features S1, S2): bookings on booking links and the
// people's Zoom meetings.

// WithBooking serves the scheduling routes through svc.
func (a *API) WithBooking(svc *booking.Service) *API {
	a.booking = svc
	return a
}

type bookingAPI struct {
	*API
}

func (a *API) bookingRoutes() []route {
	b := bookingAPI{a}
	return []route{
		{method: "GET", path: "/api/v1/booking-links/{person}/{type}/slots", handler: b.slots},
		{method: "POST", path: "/api/v1/bookings", handler: b.create},
		{method: "GET", path: "/api/v1/bookings/{id}", handler: b.get},
		{method: "POST", path: "/api/v1/bookings/{id}/reschedule", handler: b.reschedule},
		{method: "POST", path: "/api/v1/bookings/{id}/cancel", handler: b.cancel},
		{method: "GET", path: "/api/v1/people/{person}/meetings", handler: b.upcoming},
		{method: "POST", path: "/api/v1/people/{person}/meetings", handler: b.createMeeting, outsideTx: true},
	}
}

// bodyField is the API's name for a field the booking service names after
// its forms, so an error's parameter is one the client sent.
var bodyField = map[string]string{"deal": "deal_ref", "zone": "time_zone", "duration": "duration_minutes"}

// bookingError maps the booking service's answers to API errors.
func bookingError(err error) error {
	var in *booking.InputError
	var un *booking.Unavailable
	var ze *zoom.APIError
	switch {
	case errors.Is(err, booking.ErrJustTaken):
		return &Error{Status: http.StatusConflict, Code: "slot_taken", Message: err.Error()}
	case errors.Is(err, booking.ErrNotOpen):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "slot_not_open", Parameter: "start", Message: err.Error()}
	case errors.Is(err, booking.ErrCancelled):
		return &Error{Status: http.StatusConflict, Code: "booking_cancelled", Message: err.Error()}
	case errors.Is(err, booking.ErrNotFound), errors.Is(err, store.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such booking link, booking or person"}
	case errors.As(err, &in):
		return badParam(cmp.Or(bodyField[in.Field], in.Field), in.Message)
	case errors.As(err, &un):
		return &Error{Status: http.StatusConflict, Code: un.Code, Message: un.Message}
	case errors.As(err, &ze):
		return &Error{Status: http.StatusBadGateway, Code: "zoom_error", Message: "Zoom refused or did not answer; try again in a moment"}
	}
	return err
}

func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body must be a JSON object of the documented fields: " + err.Error()}
	}
	return nil
}

func parseStart(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, badParam("start", "want an RFC 3339 time such as 2026-03-09T15:00:00Z")
	}
	return t, nil
}

// linkOf finds a booking link of the key's organization.
func (b *bookingAPI) linkOf(r *http.Request, c *call, person, typ string) (booking.Link, error) {
	l, err := b.booking.LinkBySlugs(r.Context(), c.st, person, typ)
	if err == nil && l.Person.OrgID != c.org {
		err = booking.ErrNotFound
	}
	return l, err
}

func (b *bookingAPI) slots(w http.ResponseWriter, r *http.Request, c *call) error {
	l, err := b.linkOf(r, c, r.PathValue("person"), r.PathValue("type"))
	if err != nil {
		return bookingError(err)
	}
	if _, err := b.booking.ResolveHost(r.Context(), c.st, l.Person); err != nil {
		return bookingError(err)
	}
	slots, err := b.booking.Availability(r.Context(), c.st, l)
	if err != nil {
		return err
	}
	out := struct {
		TimeZone string      `json:"host_time_zone"`
		Duration int         `json:"duration_minutes"`
		Slots    []time.Time `json:"slots"`
	}{l.Hours.Zone, l.Type.DurationMin, []time.Time{}}
	for _, s := range slots {
		out.Slots = append(out.Slots, s.UTC())
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type bookingBody struct {
	Person   string `json:"person"`
	Type     string `json:"meeting_type"`
	Start    string `json:"start"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	TimeZone string `json:"time_zone"`
	Note     string `json:"note"`
	DealRef  string `json:"deal_ref"`
}

func (b *bookingAPI) create(w http.ResponseWriter, r *http.Request, c *call) error {
	var in bookingBody
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	start, err := parseStart(in.Start)
	if err != nil {
		return err
	}
	l, err := b.linkOf(r, c, in.Person, in.Type)
	if err != nil {
		return bookingError(err)
	}
	bk, err := b.booking.Book(r.Context(), c.st, booking.Request{PersonSlug: in.Person, TypeSlug: in.Type, Start: start, Name: in.Name,
		Email: in.Email, Zone: in.TimeZone, Note: in.Note, DealRef: in.DealRef})
	if err != nil {
		return bookingError(err)
	}
	writeJSON(w, http.StatusCreated, booking.ViewOf(bk, l.Type))
	return nil
}

// bookingOf is a booking of the key's organization, with its type.
func (b *bookingAPI) bookingOf(r *http.Request, c *call) (store.Booking, store.BookingType, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return store.Booking{}, store.BookingType{}, badParam("id", "not a booking id")
	}
	bk, err := c.st.OrgBooking(r.Context(), c.org, id)
	if err != nil {
		return bk, store.BookingType{}, bookingError(err)
	}
	t, err := c.st.BookingTypeByID(r.Context(), c.org, bk.TypeID)
	return bk, t, err
}

func (b *bookingAPI) get(w http.ResponseWriter, r *http.Request, c *call) error {
	bk, t, err := b.bookingOf(r, c)
	if err != nil {
		return err
	}
	writeResource(w, r, http.StatusOK, booking.ViewOf(bk, t))
	return nil
}

func (b *bookingAPI) reschedule(w http.ResponseWriter, r *http.Request, c *call) error {
	bk, t, err := b.bookingOf(r, c)
	if err != nil {
		return err
	}
	var in struct {
		Start string `json:"start"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	start, err := parseStart(in.Start)
	if err != nil {
		return err
	}
	if bk, err = b.booking.Reschedule(r.Context(), c.st, bk.ID, start); err != nil {
		return bookingError(err)
	}
	writeJSON(w, http.StatusOK, booking.ViewOf(bk, t))
	return nil
}

func (b *bookingAPI) cancel(w http.ResponseWriter, r *http.Request, c *call) error {
	bk, t, err := b.bookingOf(r, c)
	if err != nil {
		return err
	}
	if bk, err = b.booking.Cancel(r.Context(), c.st, bk.ID); err != nil {
		return bookingError(err)
	}
	writeJSON(w, http.StatusOK, booking.ViewOf(bk, t))
	return nil
}

// Meeting is a Zoom meeting as the API shows it.
type Meeting struct {
	ID       string    `json:"zoom_meeting_id"`
	Topic    string    `json:"topic"`
	Start    time.Time `json:"start,omitzero"`
	End      time.Time `json:"end,omitzero"`
	JoinURL  string    `json:"join_url"`
	StartURL string    `json:"start_url,omitempty"`
}

func (b *bookingAPI) upcoming(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := findPerson(r, c, r.PathValue("person"))
	if err != nil {
		return err
	}
	list, stale := b.booking.Upcoming(r.Context(), p)
	if list == nil && stale != nil {
		return bookingError(stale)
	}
	out := struct {
		Data  []Meeting `json:"data"`
		Stale bool      `json:"stale"` // Zoom did not answer: the last list read
	}{Data: []Meeting{}, Stale: stale != nil}
	for _, m := range list {
		out.Data = append(out.Data, Meeting{ID: m.ZoomMeetingID, Topic: m.Topic, Start: m.Start, End: m.End, JoinURL: m.JoinURL})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (b *bookingAPI) createMeeting(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := findPerson(r, c, r.PathValue("person"))
	if err != nil {
		return err
	}
	var in struct {
		Topic    string `json:"topic"`
		Start    string `json:"start"` // empty: an instant meeting
		Duration int    `json:"duration_minutes"`
	}
	if err := decodeBody(r, &in); err != nil {
		return err
	}
	var start time.Time
	if in.Start != "" {
		if start, err = parseStart(in.Start); err != nil {
			return err
		}
	}
	m, err := b.booking.CreateMeeting(r.Context(), p, booking.NewMeeting{Topic: in.Topic, Start: start, Duration: time.Duration(in.Duration) * time.Minute})
	if err != nil {
		return bookingError(err)
	}
	out := Meeting{ID: m.Number(), Topic: m.Topic, Start: m.Start(), JoinURL: m.JoinURL, StartURL: m.StartURL}
	if !out.Start.IsZero() {
		out.End = out.Start.Add(time.Duration(m.Duration) * time.Minute)
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}
