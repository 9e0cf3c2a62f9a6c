package web

import (
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Meetings in the app (feature S2) and each person's booking link settings
// (S1, S3). Everyone manages their own; the gate checks the session and CSRF.

func (a *App) mountMeetings(mux Mux) {
	a.handle(mux, "GET /meetings", "", a.meetingsPage)
	a.handle(mux, "POST /meetings", "", a.meetingCreate)
	a.handle(mux, "GET /booking", "", a.bookingSettings)
	a.handle(mux, "POST /booking/profile", "", a.bookingProfileSave)
	a.handle(mux, "POST /booking/types", "", a.bookingTypeSave)
}

type meetingsData struct {
	Upcoming    []upcomingRow
	Stale       string // Zoom did not answer: what is shown is the last list read
	Unavailable *booking.Unavailable
	Zone        string
	Today       string
	Created     *upcomingRow
}

type upcomingRow struct {
	Topic, When, JoinURL, StartURL, ID string
}

// viewerZone is the zone of the viewer's booking hours, else the organization's.
func (a *App) viewerZone(r *http.Request, v *viewer) *time.Location {
	if p, err := a.st.BookingProfileOf(r.Context(), v.me.ID); err == nil {
		if h, err := booking.ParseHoursJSON(p.Hours); err == nil {
			if loc, err := h.Location(); err == nil {
				return loc
			}
		}
	}
	return v.tz
}

func (a *App) meetingsPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.showMeetings(w, r, v, nil)
}

func (a *App) showMeetings(w http.ResponseWriter, r *http.Request, v *viewer, created *upcomingRow) error {
	loc := a.viewerZone(r, v)
	d := meetingsData{Zone: loc.String(), Today: a.now().In(loc).Format(time.DateOnly), Created: created}
	if _, err := a.booking.ResolveHost(r.Context(), a.st, v.me); err != nil {
		if !errors.As(err, &d.Unavailable) {
			return err
		}
	}
	list, stale := a.booking.Upcoming(r.Context(), v.me)
	if stale != nil && d.Unavailable == nil {
		d.Stale = "Zoom did not answer just now; this is the list as last read."
	}
	for _, m := range list {
		d.Upcoming = append(d.Upcoming, upcomingRow{Topic: m.Topic, ID: m.ZoomMeetingID, JoinURL: m.JoinURL,
			When: m.Start.In(loc).Format("Mon 2 Jan 15:04") + " – " + m.End.In(loc).Format("15:04 MST")})
	}
	a.render(w, r, v, http.StatusOK, "booking_meetings", page{Title: "Meetings", Section: "meetings", Data: d})
	return nil
}

// meetingCreate starts an instant meeting ("instant" button) or schedules one
// at a date and time in the viewer's zone.
func (a *App) meetingCreate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	f := r.PostForm
	in := booking.NewMeeting{Topic: f.Get("topic")}
	if f.Get("kind") != "instant" {
		loc := a.viewerZone(r, v)
		t, err := time.ParseInLocation("2006-01-02 15:04", f.Get("date")+" "+f.Get("time"), loc)
		if err != nil {
			return badRequest("Pick a date and a time for the meeting.")
		}
		mins, err := strconv.Atoi(strings.TrimSpace(f.Get("duration")))
		if err != nil {
			return badRequest("Give the duration in minutes.")
		}
		in.Start, in.Duration = t, time.Duration(mins)*time.Minute
	}
	m, err := a.booking.CreateMeeting(r.Context(), v.me, in)
	var ie *booking.InputError
	var un *booking.Unavailable
	switch {
	case errors.As(err, &ie):
		return badRequest(ie.Message)
	case errors.As(err, &un):
		return &httpError{http.StatusConflict, un.Message}
	case err != nil:
		a.log.Warn("web: create zoom meeting", "err", err)
		return &httpError{http.StatusBadGateway, "Zoom did not create the meeting. Try again in a moment."}
	}
	return a.showMeetings(w, r, v, &upcomingRow{Topic: m.Topic, ID: m.Number(), JoinURL: m.JoinURL, StartURL: m.StartURL})
}

type settingsData struct {
	Profile  store.BookingProfile
	Hours    booking.Hours
	Weekdays []weekdayRow
	Overs    string
	Types    []store.BookingType
	BaseURL  string
	Zones    []zoneOption
	Problem  string
}

type weekdayRow struct {
	Day, Name, Ranges string
}

func (a *App) bookingSettings(w http.ResponseWriter, r *http.Request, v *viewer) error {
	prof, err := a.booking.Profile(r.Context(), v.me, v.tz.String())
	if err != nil {
		return err
	}
	h, err := booking.ParseHoursJSON(prof.Hours)
	if err != nil {
		return err
	}
	types, err := a.st.BookingTypes(r.Context(), v.me.ID)
	if err != nil {
		return err
	}
	d := settingsData{Profile: prof, Hours: h, Types: types, BaseURL: a.booking.PublicURL() + "/book/" + prof.Slug + "/", Zones: zoneOptions(a.now())}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		d.Weekdays = append(d.Weekdays, weekdayRow{strconv.Itoa(int(wd)), wd.String(), booking.FormatRanges(h.Weekly[wd])})
	}
	var overs []string
	for date, rs := range h.Overrides {
		text := booking.FormatRanges(rs)
		if text == "" {
			text = "off"
		}
		overs = append(overs, date+" "+text)
	}
	sort.Strings(overs)
	d.Overs = strings.Join(overs, "\n")
	a.render(w, r, v, http.StatusOK, "booking_settings", page{Title: "Booking link", Section: "meetings", Data: d})
	return nil
}

func (a *App) bookingProfileSave(w http.ResponseWriter, r *http.Request, v *viewer) error {
	prof, err := a.booking.Profile(r.Context(), v.me, v.tz.String())
	if err != nil {
		return err
	}
	f := r.PostForm
	h := booking.Hours{Zone: strings.TrimSpace(f.Get("zone")), Overrides: map[string][]booking.Range{}}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		rs, err := booking.ParseRanges(f.Get("day" + strconv.Itoa(int(wd))))
		if err != nil {
			return badRequest(wd.String() + ": " + err.Error())
		}
		h.Weekly[wd] = rs
	}
	for _, line := range strings.Split(f.Get("overrides"), "\n") {
		date, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		if date == "" {
			continue
		}
		if _, err := booking.ParseDate(date); err != nil {
			return badRequest("Date overrides: " + err.Error())
		}
		var rs []booking.Range
		if strings.TrimSpace(rest) != "off" {
			if rs, err = booking.ParseRanges(rest); err != nil {
				return badRequest("Date override " + date + ": " + err.Error())
			}
		}
		h.Overrides[date] = rs
	}
	prof.Slug = strings.TrimSpace(f.Get("slug"))
	if err := a.booking.SaveProfile(r.Context(), prof, h); err != nil {
		var ie *booking.InputError
		if errors.As(err, &ie) {
			return badRequest(ie.Message)
		}
		return err
	}
	return a.done(w, r, "/booking", "Booking link saved.")
}

func (a *App) bookingTypeSave(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if _, err := a.booking.Profile(r.Context(), v.me, v.tz.String()); err != nil {
		return err
	}
	f := r.PostForm
	n := func(k string) int { i, _ := strconv.Atoi(strings.TrimSpace(f.Get(k))); return i }
	t := store.BookingType{OrgID: v.org.ID, PersonID: v.me.ID, Slug: f.Get("slug"), Name: f.Get("name"), Description: f.Get("description"),
		DurationMin: n("duration"), BufferBefore: n("before"), BufferAfter: n("after"), NoticeMin: n("notice"),
		IncrementMin: n("increment"), WindowDays: n("window"), DailyLimit: n("limit"), Active: true}
	if _, err := a.booking.SaveType(r.Context(), t); err != nil {
		var ie *booking.InputError
		if errors.As(err, &ie) {
			return badRequest(ie.Message)
		}
		return err
	}
	return a.done(w, r, "/booking", "Meeting type added.")
}
