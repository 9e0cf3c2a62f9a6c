package booking

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// MailArgs sends the booking's current invite to the booker and the host,
// once per SEQUENCE; queued when its Zoom meeting is in step with it.
type MailArgs struct {
	BookingID int64 `json:"booking_id"`
}

func (MailArgs) Kind() string { return "booking_mail" }

// MailWorker runs MailArgs.
type MailWorker struct {
	river.WorkerDefaults[MailArgs]
	S *Service
}

func (w *MailWorker) NextRetry(job *river.Job[MailArgs]) time.Time {
	return time.Now().Add(retryDelay(job.Attempt + 2))
}

func (w *MailWorker) Work(ctx context.Context, job *river.Job[MailArgs]) error {
	return w.S.mail(ctx, job.Args.BookingID)
}

func (s *Service) mail(ctx context.Context, id int64) error {
	if s.cfg.Mail == nil {
		return nil
	}
	b, err := s.cfg.Store.BookingByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || b.MailedSequence >= b.Sequence {
		return err
	}
	if b.Status == store.BookingCancelled && b.MailedSequence < 0 {
		return nil // never announced: nothing to take back
	}
	person, err := s.cfg.Store.PersonByID(ctx, b.OrgID, b.PersonID)
	if err != nil {
		return err
	}
	t, err := s.cfg.Store.BookingTypeByID(ctx, b.OrgID, b.TypeID)
	if err != nil {
		return err
	}
	manage, err := s.ManageURL(ctx, b)
	if err != nil {
		return err
	}
	in := Invite{Booking: b, TypeName: t.Name, HostName: person.Name, HostEmail: person.Email, ManageURL: manage, Stamp: s.now()}
	subject, text := s.mailText(ctx, in)
	if err := s.cfg.Mail.Send(ctx, Message{To: b.BookerEmail, Subject: subject, Text: text, ICS: in.ICS(), Method: string(in.Method())}); err != nil {
		return err
	}
	in.ManageURL = ""
	subject, text = s.mailText(ctx, in)
	if err := s.cfg.Mail.Send(ctx, Message{To: person.Email, Subject: subject, Text: text, ICS: in.ICS(), Method: string(in.Method())}); err != nil {
		return err
	}
	return s.cfg.Store.MarkBookingMailed(ctx, b.ID, b.Sequence)
}

// mailText is the subject and plain text of an invite's email.
func (s *Service) mailText(ctx context.Context, in Invite) (string, string) {
	b := in.Booking
	what := in.TypeName + " with " + in.HostName
	var t strings.Builder
	subject := "Booked: " + what
	switch {
	case b.Status == store.BookingCancelled:
		subject = "Cancelled: " + what
	case b.Sequence > 0:
		subject = "Moved: " + what
	}
	loc, err := time.LoadLocation(b.BookerZone)
	if err != nil || in.ManageURL == "" {
		loc = time.UTC
		if p, err := s.cfg.Store.BookingProfileOf(ctx, b.PersonID); err == nil {
			if h, err := ParseHoursJSON(p.Hours); err == nil {
				if l, err := h.Location(); err == nil {
					loc = l
				}
			}
		}
	}
	t.WriteString(subject + "\n\n")
	t.WriteString("When: " + b.Start.In(loc).Format("Monday 2 January 2006, 15:04") + " – " + b.End.In(loc).Format("15:04 MST") + " (" + loc.String() + ")\n")
	t.WriteString("Who: " + in.HostName + " and " + b.BookerName + " <" + b.BookerEmail + ">\n")
	if b.Status != store.BookingCancelled && b.JoinURL != "" {
		t.WriteString("Join Zoom: " + b.JoinURL + "\n")
	}
	if b.Note != "" && in.ManageURL == "" {
		t.WriteString("Note: " + b.Note + "\n")
	}
	if in.ManageURL != "" && b.Status != store.BookingCancelled {
		t.WriteString("\nReschedule or cancel: " + in.ManageURL + "\n")
	}
	return subject, t.String()
}
