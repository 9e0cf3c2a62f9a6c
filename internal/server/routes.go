package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/jobs"
)

// routes lists every HTTP endpoint of the process.
func (s *Server) routes() *routeTable {
	mux := &routeTable{ServeMux: http.NewServeMux()}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.Metrics.Handler())
	s.mountFeatures(mux)
	return mux
}

// routeTable is the process's ServeMux, remembering every pattern mounted on
// it, so a test can hold all that is served under /api/ to the OpenAPI
// document, whichever feature mounted it.
type routeTable struct {
	*http.ServeMux
	patterns []string
}

func (t *routeTable) Handle(pattern string, h http.Handler) {
	t.patterns = append(t.patterns, pattern)
	t.ServeMux.Handle(pattern, h)
}

func (t *routeTable) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	t.Handle(pattern, http.HandlerFunc(h))
}

// healthz answers while the process runs; it touches nothing.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database answers and no migration is pending.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"database": "ok", "migrations": "ok"}
	status := http.StatusOK
	if err := s.Store.Ping(ctx); err != nil {
		checks["database"], status = "unreachable", http.StatusServiceUnavailable
		s.Log.Warn("readyz: database unreachable", "err", err)
	} else if pending, err := s.Store.Pending(ctx); err != nil || len(pending) > 0 {
		checks["migrations"], status = "pending", http.StatusServiceUnavailable
	} else if behind, err := jobs.Pending(ctx, s.Store); err != nil || behind {
		checks["migrations"], status = "job queue pending", http.StatusServiceUnavailable
	}
	if status == http.StatusOK {
		checks["status"] = "ready"
	} else {
		checks["status"] = "not ready"
	}
	writeJSON(w, status, checks)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
