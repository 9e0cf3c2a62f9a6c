package booking

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Config are the service's parts; internal/server's wire_booking.go fills them.
type Config struct {
	Store *store.Store
	Vault *vault.Vault
	Log   *slog.Logger
	Now   func() time.Time
	// Zoom is the process's one rate-limited client acting for a connection.
	Zoom func(c store.Connection) *zoom.Conn
	// Jobs is the queue (River over database/sql), there once the process is built.
	Jobs func() *river.Client[*sql.Tx]
	// Mail sends invites; nil when SMTP is not configured.
	Mail      *Mailer
	PublicURL string
}

// Service runs booking links: availability, taking slots, and keeping each
// booking's Zoom meeting and invites in step with it.
type Service struct {
	cfg Config
	log *slog.Logger
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, log: cfg.Log}
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// Errors a booker can act on. ErrJustTaken is the one concurrent bookers of
// one slot get: pick another time.
var (
	ErrJustTaken = errors.New("that time was just taken; please pick another")
	ErrNotOpen   = errors.New("that time is not open for booking")
	ErrNotFound  = errors.New("no such booking link")
	ErrCancelled = errors.New("this booking was cancelled")
)

// InputError is a booker's bad input, with the field it concerns.
type InputError struct {
	Field, Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

// Unavailable says why a person cannot take bookings (feature S3). Code is
// stable for programs; Message is what the booking page shows.
type Unavailable struct {
	Code    string
	Message string
}

func (u *Unavailable) Error() string { return u.Message }

// Unavailable codes.
const (
	CodeNotConnected   = "zoom_not_connected"
	CodeNeedsReconnect = "zoom_needs_reconnect"
	CodeNotApproved    = "zoom_app_not_approved"
	CodeZoomOff        = "zoom_turned_off"
)

// Host is the person behind a link and how zoombridge reaches their Zoom.
type Host struct {
	Person     store.Person
	Conn       store.Connection
	ZoomUserID string // "me" on their own connection, their Zoom user id on an account-level one
}

// ResolveHost finds the connection that creates meetings on the person's own
// Zoom account: their own connection first, then an account-level one that
// knows them as a Zoom user. A person with neither cannot take bookings.
func (s *Service) ResolveHost(ctx context.Context, st *store.Store, p store.Person) (Host, error) {
	if !p.Active || !p.ZoomEnabled {
		return Host{}, &Unavailable{CodeZoomOff, p.Name + " is not taking Zoom bookings right now."}
	}
	conns, err := st.Connections(ctx, p.OrgID)
	if err != nil {
		return Host{}, err
	}
	var broken *store.Connection
	for i, c := range conns {
		if c.Kind == store.KindUserOAuth && c.PersonID == p.ID {
			if c.Status == store.StatusActive {
				return Host{Person: p, Conn: c, ZoomUserID: "me"}, nil
			}
			broken = &conns[i]
		}
	}
	for i, c := range conns {
		if c.Kind == store.KindUserOAuth {
			continue
		}
		u, err := st.ZoomUserOfPerson(ctx, c.ID, p.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return Host{}, err
		}
		if c.Status == store.StatusActive {
			return Host{Person: p, Conn: c, ZoomUserID: u.ZoomUserID}, nil
		}
		broken = &conns[i]
	}
	if broken != nil {
		return Host{}, &Unavailable{CodeNeedsReconnect, p.Name + "'s Zoom connection needs to be reconnected before meetings can be booked. " +
			p.Name + " or an admin can reconnect it on zoombridge's Zoom integration page."}
	}
	return Host{}, &Unavailable{CodeNotConnected, p.Name + " has not connected Zoom yet, so meetings cannot be booked. " +
		p.Name + " can connect Zoom in zoombridge (Services → Zoom), or an admin can connect the organization's Zoom account."}
}

// PublicURL is where booking links are served.
func (s *Service) PublicURL() string { return s.cfg.PublicURL }
