// Package web is the admin web app: sign-in, organizations, people, the Zoom
// integration page and the activity timeline, rendered on the server from
// embedded templates, with a little plain JavaScript only where it helps.
//
// Every page and form goes through one gate (handle in routes.go): a session,
// a membership of the organization the session views, the access level the
// action needs (people.Can), and on POST the session's CSRF token.
package web

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/recordings"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Options are the app's parts; internal/server's wire_web.go fills them.
type Options struct {
	Store *store.Store
	Log   *slog.Logger
	Now   func() time.Time // the clock of activity and "today"; time.Now when nil
	// WallNow times sessions and sign-in limits: a browser's session lasts
	// real hours even when the rest runs on an emulator's accelerated clock.
	WallNow   func() time.Time
	PublicURL string     // https makes cookies Secure
	Zoom      Zoom       // connection and sync operations; unset ones show as unavailable
	SetupFile string     // the first-run token's file, removed once used (setup.go)
	Teams     TeamsSetup // the chat bot's Teams configuration (chat.go)
	// Recordings serves the Deals pages' actions and the rep's Zoom panel; nil hides them.
	Recordings *recordings.Service

	// Booking serves booking links and meetings (booking*.go); nil leaves them out.
	Booking  *booking.Service
	Webhooks *outbound.Service // outbound webhook endpoints (developers.go); nil shows them read-only
}

// App serves the admin web app.
type App struct {
	st     *store.Store
	log    *slog.Logger
	now    func() time.Time
	wall   func() time.Time
	secure bool
	cookie string // session cookie name
	zoom   Zoom
	dir    *people.Directory
	pages  *pages
	limit  signinLimit
	// setupFile is the first-run token's file (setup.go).
	setupFile string
	teams     TeamsSetup
	recs      *recordings.Service // deals*.go

	booking *booking.Service
	// webhooks manages outbound webhook endpoints (developers.go).
	webhooks *outbound.Service
	// reference is the REST API's OpenAPI document as a page (reference.go).
	reference *reference
}

// New builds the app; templates and the API's OpenAPI document are parsed
// here, so a broken one fails at start.
func New(o Options) *App {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.WallNow == nil {
		o.WallNow = time.Now
	}
	a := &App{st: o.Store, log: o.Log, now: o.Now, wall: o.WallNow, zoom: o.Zoom.withDefaults(o.Store, o.Now), pages: mustParsePages(), recs: o.Recordings}
	ref, err := readReference(api.OpenAPI())
	if err != nil {
		panic(err) // embedded and tested, as the templates are
	}
	a.reference = ref
	a.secure = strings.HasPrefix(strings.ToLower(o.PublicURL), "https://")
	a.cookie = "zb_session"
	if a.secure {
		// __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
		a.cookie = "__Host-zb_session"
	}
	a.dir, a.teams = people.New(o.Store, o.Now), o.Teams
	a.setupFile = o.SetupFile
	a.booking = o.Booking
	a.webhooks = o.Webhooks
	a.limit = signinLimit{st: o.Store, perPair: 5, perAddr: 30, perEmail: 20, slowEvery: 30 * time.Second, window: 15 * time.Minute}
	return a
}

// securityHeaders are sent with every page: no framing, no sniffing, scripts
// only from this origin. Inline style attributes stay allowed because the
// timeline positions its blocks with them (html/template escapes the values).
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}
