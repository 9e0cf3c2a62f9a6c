// Package api is zoombridge's REST API for host products (feature X1): JSON
// over HTTP, authenticated by API keys that each belong to one organization,
// described by an OpenAPI document it serves itself.
//
// The API has its own JSON types: the store's rows can change without
// breaking a host product, and the OpenAPI test holds both to the document.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// API serves /api/v1.
type API struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time
	// webhooks manages outbound webhook endpoints (webhooks.go).
	webhooks *outbound.Service
}

// New returns the API over st; now is the clock (time.Now when nil).
func New(st *store.Store, log *slog.Logger, now func() time.Time) *API {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &API{store: st, log: log, now: now}
}

// route is one endpoint. Public routes need no API key.
type route struct {
	method, path string
	handler      func(w http.ResponseWriter, r *http.Request, org int64) error
	public       bool
}

// routes lists every endpoint of the API; docs/openapi.json must describe
// each (TestOpenAPIDescribesEveryRoute).
func (a *API) routes() []route {
	return append([]route{
		{method: "GET", path: "/api/v1/openapi.json", handler: a.openAPI, public: true},
		{method: "GET", path: "/api/v1/people", handler: a.people},
		{method: "GET", path: "/api/v1/activities", handler: a.activities},
	}, a.webhookRoutes()...)
}

// Mount registers every route on mux, and a JSON 404 or 405 for anything
// else under /api/, so a host product never has to parse an HTML error.
func (a *API) Mount(mux *http.ServeMux) {
	allowed := map[string][]string{}
	for _, rt := range a.routes() {
		mux.Handle(rt.method+" "+rt.path, a.serve(rt))
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if methods, ok := allowed[r.URL.Path]; ok {
			w.Header().Set("Allow", strings.Join(methods, ", "))
			writeError(w, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: r.Method + " is not supported here"})
			return
		}
		writeError(w, &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint"})
	})
}

// serve runs a route: the key check unless public, then the handler; any
// error becomes a JSON error, internal ones logged and never shown.
func (a *API) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		var org int64
		if !rt.public {
			key, err := a.authenticate(r)
			if err != nil {
				a.fail(w, r, err)
				return
			}
			org = key.OrgID
		}
		if err := rt.handler(w, r, org); err != nil {
			a.fail(w, r, err)
		}
	})
}
