// Package api is zoombridge's REST API for host products (feature X1): JSON
// over HTTP, authenticated by API keys that each belong to one organization,
// described by an OpenAPI document it serves itself.
//
// The API has its own JSON types: the store's rows can change without
// breaking a host product, and the OpenAPI tests hold both to the document.
//
// Conventions every route gets from serve, so a resource added later gets
// them too: key and scope checks, a per-key rate limit with RateLimit-*
// headers, and for writes one transaction holding the effect, its outbound
// events and (with an Idempotency-Key) the answer kept for retries.
package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// API serves /api/v1.
type API struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time // the clock of the data (the emulator's in the demo)
	// wall times what clients do in real time: rate limits and how long
	// Idempotency-Key answers are kept (as the web app times sessions).
	wall   func() time.Time
	limits *limiter
	// settle is how old a change must be before updated_since readers see it:
	// longer than a write transaction takes from its clock reading to its
	// commit, so a reader's position never passes a change still committing.
	settle time.Duration
	recs   Recordings // artifact actions (artifacts.go); set by WithRecordings
	// webhooks manages outbound webhook endpoints (webhooks.go).
	webhooks *outbound.Service
	booking  *booking.Service // bookings and meetings (booking.go); set by WithBooking
}

// Default limits: a host product syncing a directory or a timeline stays far
// below them; a runaway loop does not.
const (
	DefaultRateLimit  = 600
	DefaultRatePeriod = time.Minute
	defaultSettle     = 5 * time.Second
)

// New returns the API over st; now is the clock (time.Now when nil).
func New(st *store.Store, log *slog.Logger, now func() time.Time) *API {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &API{store: st, log: log, now: now, wall: time.Now, limits: newLimiter(DefaultRateLimit, DefaultRatePeriod, time.Now), settle: defaultSettle}
}

// WithRateLimit sets how many requests a key (or an address without one) may
// make per period.
func (a *API) WithRateLimit(n int, per time.Duration) *API {
	a.limits = newLimiter(n, per, a.wall)
	return a
}

// WithWallClock sets the real-time clock (time.Now by default).
func (a *API) WithWallClock(wall func() time.Time) *API {
	a.wall = wall
	a.limits = newLimiter(int(a.limits.n), a.limits.per, wall)
	return a
}

// call is what a handler knows of its request beyond the HTTP parts.
type call struct {
	org int64
	key store.APIKey
	// st is the store to use: on writes it is bound to the request's
	// transaction, so the effect, its events and its kept answer commit
	// together. Handlers never use a.store.
	st   *store.Store
	now  time.Time // by the data's clock
	wall time.Time // by the wall clock
}

// actor is who the audit log and the people rules see: the key, acting with
// an Admin's rights (so it cannot make or change Owners).
func (c *call) actor() people.Actor {
	return people.Actor{OrgID: c.org, Name: fmt.Sprintf("apikey:%d", c.key.ID), Role: store.RoleAdmin}
}

// Scopes a key may hold: read for GET, write for everything else.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// route is one endpoint. Public routes need no API key. A write outside the
// request transaction (outsideTx) is one that calls Zoom: holding the
// database's writer across that call would stall every other write, so it
// gets no transaction and keeps its Idempotency-Key answer in commits of its
// own (writeOutside).
type route struct {
	method, path string
	handler      func(w http.ResponseWriter, r *http.Request, c *call) error
	public       bool
	outsideTx    bool
}

func (rt route) scope() string {
	if rt.method == http.MethodGet {
		return ScopeRead
	}
	return ScopeWrite
}

// routes lists every endpoint of the API; openapi.json must describe each
// and nothing else (TestOpenAPIRoutesAndOperationsMatch). Nothing else in the
// process serves /api/ (internal/server's TestAPIRoutesAreDocumented).
func (a *API) routes() []route {
	return slices.Concat([]route{
		{method: "GET", path: "/api/v1/openapi.json", handler: a.openAPI, public: true},
		{method: "GET", path: "/api/v1/people", handler: a.listPeople},
		{method: "POST", path: "/api/v1/people", handler: a.createPerson},
		{method: "GET", path: "/api/v1/people/{person}", handler: a.getPerson},
		{method: "PATCH", path: "/api/v1/people/{person}", handler: a.updatePerson},
		{method: "POST", path: "/api/v1/people/{person}/deactivate", handler: a.deactivatePerson},
		{method: "POST", path: "/api/v1/people/{person}/reactivate", handler: a.reactivatePerson},
		{method: "GET", path: "/api/v1/zoom-users", handler: a.listZoomUsers},
		{method: "GET", path: "/api/v1/zoom-users/{zoom_user_id}", handler: a.getZoomUser},
		{method: "GET", path: "/api/v1/connections", handler: a.listConnections},
		{method: "GET", path: "/api/v1/connections/{id}", handler: a.getConnection},
		{method: "GET", path: "/api/v1/activities", handler: a.activities},
		{method: "GET", path: "/api/v1/activities/{id}", handler: a.getActivity},
	}, a.recordingsRoutes(), a.webhookRoutes(), a.bookingRoutes())
}

// Mux is where the API's routes are registered: an *http.ServeMux, or the
// server's table that also records each pattern.
type Mux interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// Mount registers every route on mux, and a JSON 404 or 405 for anything
// else under /api/, so a host product never has to parse an HTML error.
func (a *API) Mount(mux Mux) {
	routes := a.routes()
	for _, rt := range routes {
		mux.Handle(rt.method+" "+rt.path, a.serve(rt))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if !a.limit(w, "addr:"+clientAddr(r)) {
			return
		}
		var methods []string
		for _, rt := range routes {
			if matchPath(rt.path, r.URL.Path) {
				methods = append(methods, rt.method)
			}
		}
		if len(methods) > 0 {
			w.Header().Set("Allow", strings.Join(methods, ", "))
			writeError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: r.Method + " is not supported here"})
			return
		}
		writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint"})
	})
}

// serve runs a route: the key and its scope unless public, the rate limit,
// then the handler (in a transaction for writes); any error becomes a JSON
// error, internal ones logged and never shown.
func (a *API) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		c := &call{st: a.store, now: a.now(), wall: a.wall()}
		bucket := "addr:" + clientAddr(r)
		if !rt.public {
			key, err := a.authenticate(r)
			if err != nil {
				if a.limit(w, bucket) {
					a.fail(w, r, err)
				}
				return
			}
			c.org, c.key, bucket = key.OrgID, key, fmt.Sprintf("key:%d", key.ID)
		}
		if !a.limit(w, bucket) {
			return
		}
		if !rt.public && !hasScope(c.key.Scopes, rt.scope()) {
			a.fail(w, r, &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "this API key lacks the " + rt.scope() + " scope"})
			return
		}
		var err error
		switch {
		case rt.method == http.MethodGet:
			err = rt.handler(w, r, c)
		case rt.outsideTx:
			err = a.writeOutside(w, r, rt, c)
		default:
			err = a.write(w, r, rt, c)
		}
		if err != nil {
			a.fail(w, r, err)
		}
	})
}

// matchPath reports whether path fits a route pattern, a {name} segment
// matching any one non-empty segment.
func matchPath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		wildcard := strings.HasPrefix(p, "{") && xs[i] != ""
		if p != xs[i] && !wildcard {
			return false
		}
	}
	return true
}
