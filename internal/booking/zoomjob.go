package booking

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// ZoomArgs is the durable job that brings a booking's Zoom meeting in step
// with the booking: create it, move it, or delete it. Queued in the
// transaction of every change, so a booking taken while Zoom is slow or down
// keeps its slot and gets its meeting when Zoom answers again.
type ZoomArgs struct {
	BookingID int64 `json:"booking_id"`
}

func (ZoomArgs) Kind() string { return "booking_zoom" }

// ZoomWorker runs ZoomArgs.
type ZoomWorker struct {
	river.WorkerDefaults[ZoomArgs]
	S *Service
}

// NextRetry retries soon at first (a booker may be waiting on the page), then
// backs off to five minutes.
func (w *ZoomWorker) NextRetry(job *river.Job[ZoomArgs]) time.Time {
	return time.Now().Add(retryDelay(job.Attempt))
}

func retryDelay(attempt int) time.Duration {
	d := time.Second << min(max(attempt-1, 0), 9)
	return min(d, 5*time.Minute)
}

func (w *ZoomWorker) Work(ctx context.Context, job *river.Job[ZoomArgs]) error {
	return w.S.syncZoom(ctx, job.Args.BookingID)
}

// syncZoom does what the booking's current state asks of Zoom.
func (s *Service) syncZoom(ctx context.Context, id int64) error {
	st := s.cfg.Store
	b, err := st.BookingByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case b.Status == store.BookingConfirmed && b.ZoomMeetingID == "":
		return s.createMeeting(ctx, b)
	case b.Status == store.BookingConfirmed && b.ZoomSequence < b.Sequence:
		return s.moveMeeting(ctx, b)
	case b.Status == store.BookingCancelled && b.ZoomMeetingID != "" && b.ZoomState != store.ZoomDeleted:
		return s.deleteMeeting(ctx, b)
	case b.Status == store.BookingCancelled && b.MailedSequence >= 0:
		return s.record(ctx, b, b.ZoomState, b.ZoomMeetingID, b.JoinURL, b.ZoomError, false, nil)
	}
	return nil
}

// hostConn is the connection acting for the booking's host now.
func (s *Service) hostConn(ctx context.Context, b store.Booking) (Host, *zoom.Conn, error) {
	p, err := s.cfg.Store.PersonByID(ctx, b.OrgID, b.PersonID)
	if err != nil {
		return Host{}, nil, err
	}
	h, err := s.ResolveHost(ctx, s.cfg.Store, p)
	if err != nil {
		return Host{}, nil, err
	}
	return h, s.cfg.Zoom(h.Conn), nil
}

func (s *Service) meetingRequest(ctx context.Context, b store.Booking, h Host) (zoom.MeetingRequest, error) {
	t, err := s.cfg.Store.BookingTypeByID(ctx, b.OrgID, b.TypeID)
	if err != nil {
		return zoom.MeetingRequest{}, err
	}
	zone := ""
	if p, err := s.cfg.Store.BookingProfileOf(ctx, b.PersonID); err == nil {
		if hrs, err := ParseHoursJSON(p.Hours); err == nil {
			zone = hrs.Zone
		}
	}
	return zoom.MeetingRequest{Topic: t.Name + " with " + b.BookerName, Agenda: "Booked on " + h.Person.Name + "'s booking link.",
		Start: b.Start, Duration: b.End.Sub(b.Start), Timezone: zone}, nil
}

// prepare finds the host's connection and the meeting the booking asks for.
func (s *Service) prepare(ctx context.Context, b store.Booking) (Host, *zoom.Conn, zoom.MeetingRequest, error) {
	h, conn, err := s.hostConn(ctx, b)
	if err != nil {
		return h, nil, zoom.MeetingRequest{}, err
	}
	req, err := s.meetingRequest(ctx, b, h)
	return h, conn, req, err
}

func (s *Service) createMeeting(ctx context.Context, b store.Booking) error {
	h, conn, req, err := s.prepare(ctx, b)
	if err != nil {
		return s.zoomFailed(ctx, b, err)
	}
	m, err := conn.CreateMeeting(ctx, h.ZoomUserID, req)
	if err != nil {
		return s.zoomFailed(ctx, b, err)
	}
	up := &store.UpcomingMeeting{OrgID: b.OrgID, PersonID: b.PersonID, ZoomMeetingID: m.Number(), Topic: req.Topic,
		Start: b.Start, End: b.End, JoinURL: m.JoinURL}
	won := false
	err = s.cfg.Store.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		var err error
		if won, err = tx.SetBookingZoom(ctx, b.ID, store.ZoomCreated, m.Number(), m.JoinURL, "", b.Sequence, true, s.now()); err != nil || !won {
			return err
		}
		b.ZoomState, b.ZoomMeetingID, b.JoinURL, b.ZoomSequence = store.ZoomCreated, m.Number(), m.JoinURL, b.Sequence
		return s.afterZoom(ctx, tx, sqlTx, b, up)
	})
	if err == nil && !won { // another run created one first: do not leave two
		err = conn.DeleteMeeting(ctx, m.Number())
	}
	return err
}

func (s *Service) moveMeeting(ctx context.Context, b store.Booking) error {
	_, conn, req, err := s.prepare(ctx, b)
	if err != nil {
		return s.zoomFailed(ctx, b, err)
	}
	if err := conn.UpdateMeeting(ctx, b.ZoomMeetingID, req); err != nil {
		return s.zoomFailed(ctx, b, err)
	}
	up := &store.UpcomingMeeting{OrgID: b.OrgID, PersonID: b.PersonID, ZoomMeetingID: b.ZoomMeetingID, Topic: req.Topic,
		Start: b.Start, End: b.End, JoinURL: b.JoinURL}
	return s.record(ctx, b, store.ZoomCreated, b.ZoomMeetingID, b.JoinURL, "", true, up)
}

func (s *Service) deleteMeeting(ctx context.Context, b store.Booking) error {
	_, conn, err := s.hostConn(ctx, b)
	if err != nil {
		return s.zoomFailed(ctx, b, err)
	}
	if err := conn.DeleteMeeting(ctx, b.ZoomMeetingID); err != nil && !zoom.IsNotFound(err) {
		return s.zoomFailed(ctx, b, err)
	}
	return s.record(ctx, b, store.ZoomDeleted, b.ZoomMeetingID, b.JoinURL, "", true, nil)
}

// record stores the Zoom outcome as of b.Sequence and what follows from it.
func (s *Service) record(ctx context.Context, b store.Booking, state, id, join, zerr string, setSeq bool, up *store.UpcomingMeeting) error {
	return s.cfg.Store.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		seq := b.ZoomSequence
		if setSeq {
			seq = b.Sequence
		}
		if _, err := tx.SetBookingZoom(ctx, b.ID, state, id, join, zerr, seq, false, s.now()); err != nil {
			return err
		}
		b.ZoomState, b.ZoomMeetingID, b.JoinURL, b.ZoomError, b.ZoomSequence = state, id, join, zerr, seq
		return s.afterZoom(ctx, tx, sqlTx, b, up)
	})
}

// afterZoom keeps the upcoming list and the CRM activity in step with the
// meeting and queues the invite, all in the transaction that recorded it.
func (s *Service) afterZoom(ctx context.Context, tx *store.Store, sqlTx *sql.Tx, b store.Booking, up *store.UpcomingMeeting) error {
	var err error
	switch {
	case up != nil:
		err = tx.UpsertUpcoming(ctx, *up, s.now())
	case b.ZoomMeetingID != "" && b.ZoomState == store.ZoomDeleted:
		err = tx.DeleteUpcoming(ctx, b.PersonID, b.ZoomMeetingID)
	}
	if err != nil {
		return err
	}
	if b.Status == store.BookingConfirmed {
		t, err := tx.BookingTypeByID(ctx, b.OrgID, b.TypeID)
		if err != nil {
			return err
		}
		if err := s.syncCRM(ctx, tx, b, t); err != nil {
			return err
		}
	}
	_, err = s.cfg.Jobs().InsertTx(ctx, sqlTx, MailArgs{BookingID: b.ID}, nil)
	return err
}

// zoomFailed decides between trying again (Zoom slow, down, rate-limiting)
// and giving up (the host cannot take meetings; Zoom refused the request).
func (s *Service) zoomFailed(ctx context.Context, b store.Booking, err error) error {
	code := permanentCode(err)
	if code == "" {
		s.log.Warn("booking: zoom not reached; will retry", "booking_id", b.ID, "err", err)
		return err
	}
	s.log.Warn("booking: zoom refused; giving up", "booking_id", b.ID, "code", code, "err", err)
	_, serr := s.cfg.Store.SetBookingZoom(ctx, b.ID, store.ZoomFailed, b.ZoomMeetingID, b.JoinURL, code, b.ZoomSequence, false, s.now())
	return serr
}

// permanentCode is the reason a failure will not pass by itself, or "".
func permanentCode(err error) string {
	var u *Unavailable
	if errors.As(err, &u) {
		return u.Code
	}
	if p, ok := connect.AsProblem(err); ok {
		switch p.Code {
		case connect.CodeNotPreApproved:
			return CodeNotApproved
		case connect.CodeNeedsReconnect:
			return CodeNeedsReconnect
		case connect.CodeZoomUnavailable:
			return ""
		}
		return p.Code
	}
	var ae *zoom.APIError
	if errors.As(err, &ae) && ae.Status >= 400 && ae.Status < 500 && ae.Status != http.StatusTooManyRequests {
		return "zoom_refused"
	}
	return ""
}
