package server

import (
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/booking"
)

// Scheduling (internal/booking): booking links, their Zoom meetings and
// invites, and meetings from the app. Zoom calls go through connect's token
// sources and the process's one rate-limited client.

func (s *Server) bookingService() *booking.Service {
	if s.Booking != nil {
		return s.Booking
	}
	var mailer *booking.Mailer
	if s.Config.SMTPURL != "" {
		m, err := booking.NewMailer(s.Config.SMTPURL)
		if err != nil {
			s.Log.Error("booking emails are off: ZOOMBRIDGE_SMTP_URL", "err", err)
		}
		mailer = m
	}
	s.Booking = booking.New(booking.Config{
		Store: s.Store, Vault: s.Vault, Log: s.Log, Now: s.Now, PublicURL: s.Config.PublicURL, Mail: mailer,
		Zoom: s.connectService().Conn,
		Jobs: func() *river.Client[*sql.Tx] { return s.Jobs.Client() },
	})
	return s.Booking
}

func (s *Server) bookingWorkers(w *river.Workers) {
	svc := s.bookingService()
	river.AddWorker(w, &booking.ZoomWorker{S: svc})
	river.AddWorker(w, &booking.MailWorker{S: svc})
	river.AddWorker(w, &booking.RefreshWorker{S: svc})
	river.AddWorker(w, &booking.TickWorker{S: svc})
}

// bookingPeriodic refreshes stale busy time every five minutes.
func (s *Server) bookingPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{booking.TickPeriodic(5 * time.Minute)}
}
