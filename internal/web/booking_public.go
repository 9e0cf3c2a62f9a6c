package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The public booking pages (feature S1): no sign-in; their forms carry the
// browser's pre-session token (preToken), as the sign-in form does.

func (a *App) mountBooking(mux *http.ServeMux) {
	if a.booking == nil {
		return
	}
	mux.HandleFunc("GET /book/{person}/{type}", a.public(a.bookPage))
	mux.HandleFunc("POST /book/{person}/{type}", a.public(a.bookPost))
	mux.HandleFunc("GET /book/manage/{token}", a.public(a.managePage))
	mux.HandleFunc("GET /book/manage/{token}/invite.ics", a.public(a.manageICS))
	mux.HandleFunc("POST /book/manage/{token}/reschedule", a.public(a.manageReschedule))
	mux.HandleFunc("POST /book/manage/{token}/cancel", a.public(a.manageCancel))
	a.mountMeetings(mux)
}

// public wraps a page that needs no session: security headers, a small body
// cap, and the pre-session token on every POST.
func (a *App) public(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
			if !a.preOK(r) {
				a.renderError(w, r, nil, errBadCSRF)
				return
			}
		}
		if err := h(w, r); err != nil {
			a.renderError(w, r, nil, publicBookingError(err))
		}
	}
}

func publicBookingError(err error) error {
	switch {
	case errors.Is(err, booking.ErrNotFound), errors.Is(err, store.ErrNotFound):
		return &httpError{http.StatusNotFound, "There is no booking link here. Check the link you were given."}
	case errors.Is(err, booking.ErrBadLink):
		return &httpError{http.StatusNotFound, err.Error()}
	}
	return err
}

type bookData struct {
	HostName, TypeName, Description string
	Duration                        int
	Unavailable                     *booking.Unavailable
	Picker                          slotPicker
	Action                          string
	CSRF                            string
	Name, Email, Note, Deal         string
	Problem                         string // a refusal of the last submission, shown above the form
	Manage                          *manageData
}

// bookPage shows a link's days and times, then the form for a picked time.
func (a *App) bookPage(w http.ResponseWriter, r *http.Request) error {
	return a.showBook(w, r, http.StatusOK, bookData{})
}

func (a *App) showBook(w http.ResponseWriter, r *http.Request, status int, d bookData) error {
	ctx := r.Context()
	l, err := a.booking.LinkBySlugs(ctx, a.st, r.PathValue("person"), r.PathValue("type"))
	if err != nil {
		return err
	}
	d.HostName, d.TypeName, d.Description, d.Duration = l.Person.Name, l.Type.Name, l.Type.Description, l.Type.DurationMin
	d.CSRF = a.preToken(w, r)
	d.Action = r.URL.Path
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	if d.Deal == "" {
		d.Deal = q.Get("deal")
	}
	if _, err := a.booking.ResolveHost(ctx, a.st, l.Person); err != nil {
		var un *booking.Unavailable
		if !errors.As(err, &un) {
			return err
		}
		d.Unavailable, d.Problem = un, ""
		a.render(w, r, nil, status, "booking_public", page{Title: l.Type.Name + " with " + l.Person.Name, Data: d})
		return nil
	}
	slots, err := a.booking.Availability(ctx, a.st, l)
	if err != nil {
		return err
	}
	keep := url.Values{}
	if d.Deal != "" {
		keep.Set("deal", d.Deal)
	}
	d.Picker = newPicker(slots, q, bookerZone(q, l.Hours.Zone), l.Hours.Zone, r.URL.Path, keep)
	a.render(w, r, nil, status, "booking_public", page{Title: l.Type.Name + " with " + l.Person.Name, Data: d})
	return nil
}

// bookPost takes the slot, or shows the page again with what went wrong.
func (a *App) bookPost(w http.ResponseWriter, r *http.Request) error {
	req := booking.RequestFromForm(r.PathValue("person"), r.PathValue("type"), r.PostForm)
	b, err := a.booking.Book(r.Context(), a.st, req)
	if err == nil {
		tok, err := a.booking.ManageToken(r.Context(), b)
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/book/manage/"+tok+"?tz="+url.QueryEscape(req.Zone), http.StatusSeeOther)
		return nil
	}
	d := bookData{Name: req.Name, Email: req.Email, Note: req.Note, Deal: req.DealRef}
	status, msg, ok := bookingRefusal(err)
	if !ok {
		return err
	}
	d.Problem = msg
	if status == http.StatusConflict { // the time is gone: pick again
		r.PostForm.Del("start")
	}
	return a.showBook(w, r, status, d)
}

// bookingRefusal turns the booking service's refusals into words for the booker.
func bookingRefusal(err error) (int, string, bool) {
	var in *booking.InputError
	var un *booking.Unavailable
	switch {
	case errors.Is(err, booking.ErrJustTaken):
		return http.StatusConflict, "Sorry, that time was just taken by someone else. Please pick another time.", true
	case errors.Is(err, booking.ErrNotOpen):
		return http.StatusConflict, "That time is not open for booking any more. Please pick another time.", true
	case errors.Is(err, booking.ErrCancelled):
		return http.StatusConflict, "This booking was cancelled, so it cannot be changed.", true
	case errors.As(err, &in):
		return http.StatusBadRequest, in.Message, true
	case errors.As(err, &un):
		return http.StatusConflict, un.Message, true
	}
	return 0, "", false
}
