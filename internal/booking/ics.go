package booking

import (
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Invite is what a calendar invite says about a booking.
type Invite struct {
	Booking   store.Booking
	TypeName  string
	HostName  string
	HostEmail string
	ManageURL string // the booker's reschedule and cancel page; "" in the host's copy
	Stamp     time.Time
}

// Method is the iTIP method of the invite: REQUEST while the booking stands,
// CANCEL once it is cancelled.
func (in Invite) Method() ics.Method {
	if in.Booking.Status == store.BookingCancelled {
		return ics.MethodCancel
	}
	return ics.MethodRequest
}

// ICS renders the invite: CRLF line endings, times in UTC, the booking's UID
// for its whole life and its SEQUENCE, so calendars update one event.
func (in Invite) ICS() []byte {
	b := in.Booking
	cal := ics.NewCalendarFor("zoombridge")
	cal.SetMethod(in.Method())
	ev := cal.AddEvent(b.UID)
	ev.SetDtStampTime(in.Stamp)
	ev.SetSequence(b.Sequence)
	ev.SetStartAt(b.Start)
	ev.SetEndAt(b.End)
	ev.SetSummary(in.TypeName + ": " + in.HostName + " and " + b.BookerName)
	ev.SetOrganizer("mailto:"+in.HostEmail, ics.WithCN(in.HostName))
	ev.AddAttendee("mailto:"+b.BookerEmail, ics.WithCN(b.BookerName), ics.WithRSVP(true),
		ics.ParticipationStatusNeedsAction, ics.CalendarUserTypeIndividual)
	if in.Method() == ics.MethodCancel {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	if b.JoinURL != "" {
		ev.SetLocation(b.JoinURL)
		ev.SetURL(b.JoinURL)
	}
	ev.SetDescription(in.description())
	return []byte(cal.Serialize(ics.WithNewLineWindows))
}

func (in Invite) description() string {
	var d strings.Builder
	switch {
	case in.Booking.Status == store.BookingCancelled:
		d.WriteString("This meeting was cancelled.")
	case in.Booking.JoinURL != "":
		d.WriteString("Join the Zoom meeting: " + in.Booking.JoinURL)
	default:
		d.WriteString("The Zoom link will follow.")
	}
	if in.ManageURL != "" && in.Booking.Status != store.BookingCancelled {
		d.WriteString("\nReschedule or cancel: " + in.ManageURL)
	}
	return d.String()
}
