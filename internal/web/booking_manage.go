package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The booker's own page of a booking, reached by the signed link in the
// confirmation and the email: the details and the Zoom link (once the meeting
// exists), the invite, and the forms to reschedule or cancel.

type manageData struct {
	TypeName, HostName string
	When, Zone         string
	Cancelled          bool
	JoinURL            string
	Pending            bool   // the Zoom meeting is being created
	ZoomProblem        string // the meeting could not be created
	ICS                string
	Token              string
}

func (a *App) managed(r *http.Request) (store.Booking, store.BookingType, store.Person, error) {
	b, err := a.booking.BookingByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return b, store.BookingType{}, store.Person{}, err
	}
	t, err := a.st.BookingTypeByID(r.Context(), b.OrgID, b.TypeID)
	if err != nil {
		return b, t, store.Person{}, err
	}
	p, err := a.st.PersonByID(r.Context(), b.OrgID, b.PersonID)
	return b, t, p, err
}

func (a *App) managePage(w http.ResponseWriter, r *http.Request) error {
	return a.showManage(w, r, http.StatusOK, "")
}

func (a *App) showManage(w http.ResponseWriter, r *http.Request, status int, problem string) error {
	b, t, p, err := a.managed(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	zone := b.BookerZone
	if q.Get("tz") != "" {
		zone = q.Get("tz")
	}
	loc := bookerZone(url.Values{"tz": {zone}}, "UTC")
	tok := r.PathValue("token")
	m := &manageData{TypeName: t.Name, HostName: p.Name, Zone: loc.String(), Cancelled: b.Status == store.BookingCancelled,
		When:    b.Start.In(loc).Format("Monday 2 January 2006, 15:04") + " – " + b.End.In(loc).Format("15:04 MST"),
		JoinURL: b.JoinURL, Pending: b.ZoomState == store.ZoomPending, ICS: "/book/manage/" + tok + "/invite.ics", Token: tok}
	if b.ZoomState == store.ZoomFailed {
		m.ZoomProblem = "The Zoom meeting could not be created (" + b.ZoomError + "). " + p.Name + " has been told and will send you a link."
	}
	d := bookData{HostName: p.Name, TypeName: t.Name, Duration: t.DurationMin, Manage: m, Problem: problem,
		CSRF: a.preToken(w, r), Action: "/book/manage/" + tok + "/reschedule"}
	if !m.Cancelled {
		prof, err := a.st.BookingProfileOf(r.Context(), b.PersonID)
		if err != nil {
			return err
		}
		l, err := a.booking.LinkBySlugs(r.Context(), a.st, prof.Slug, t.Slug)
		if err == nil {
			slots, err := a.booking.AvailabilityMoving(r.Context(), a.st, l, b.ID)
			if err != nil {
				return err
			}
			d.Picker = newPicker(slots, q, loc, l.Hours.Zone, "/book/manage/"+tok, nil)
		}
	}
	if m.Pending {
		w.Header().Set("Refresh", "3") // the link arrives within seconds when Zoom answers
	}
	a.render(w, r, nil, status, "booking_public", page{Title: t.Name + " with " + p.Name, Data: d})
	return nil
}

func (a *App) manageICS(w http.ResponseWriter, r *http.Request) error {
	b, t, p, err := a.managed(r)
	if err != nil {
		return err
	}
	in := booking.Invite{Booking: b, TypeName: t.Name, HostName: p.Name, HostEmail: p.Email, Stamp: a.now()}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8; method="+string(in.Method()))
	w.Header().Set("Content-Disposition", `attachment; filename="invite.ics"`)
	_, err = w.Write(in.ICS())
	return err
}

func (a *App) manageReschedule(w http.ResponseWriter, r *http.Request) error {
	b, _, _, err := a.managed(r)
	if err != nil {
		return err
	}
	start, _ := time.Parse(time.RFC3339, r.PostForm.Get("start"))
	if _, err := a.booking.Reschedule(r.Context(), a.st, b.ID, start); err != nil {
		status, msg, ok := bookingRefusal(err)
		if !ok {
			return err
		}
		r.PostForm.Del("start")
		return a.showManage(w, r, status, msg)
	}
	a.flash(w, "Your meeting was moved. The Zoom link stays the same; an updated invite is on its way.")
	http.Redirect(w, r, "/book/manage/"+r.PathValue("token")+"?tz="+url.QueryEscape(r.PostForm.Get("tz")), http.StatusSeeOther)
	return nil
}

func (a *App) manageCancel(w http.ResponseWriter, r *http.Request) error {
	b, _, _, err := a.managed(r)
	if err != nil {
		return err
	}
	if _, err := a.booking.Cancel(r.Context(), a.st, b.ID); err != nil {
		if _, msg, ok := bookingRefusal(err); ok {
			return a.showManage(w, r, http.StatusConflict, msg)
		}
		return err
	}
	a.flash(w, "Your meeting was cancelled.")
	http.Redirect(w, r, "/book/manage/"+r.PathValue("token"), http.StatusSeeOther)
	return nil
}
