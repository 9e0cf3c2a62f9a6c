package zoomsim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// controlRoutes mount the emulator's own controls under /_sim/. They need no
// credentials: the emulator is a test tool bound to loopback by default.
func (s *Server) controlRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_sim/info", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Info()) })
	mux.HandleFunc("GET /_sim/now", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"now": ztime(s.Now())})
	})
	mux.HandleFunc("POST /_sim/advance", s.ctlAdvance)
	mux.HandleFunc("POST /_sim/clock", s.ctlClock)
	mux.HandleFunc("GET /_sim/truth", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Truth()) })
	mux.HandleFunc("GET /_sim/users", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Users()) })
	mux.HandleFunc("POST /_sim/users", s.ctlCreateUser)
	mux.HandleFunc("PATCH /_sim/users/{id}", s.ctlUpdateUser)
	mux.HandleFunc("POST /_sim/users/{id}/activate", func(w http.ResponseWriter, r *http.Request) {
		ctlDone(w, s.ActivateUser(r.PathValue("id")))
	})
	mux.HandleFunc("POST /_sim/users/{id}/deactivate", func(w http.ResponseWriter, r *http.Request) {
		ctlDone(w, s.DeactivateUser(r.PathValue("id")))
	})
	mux.HandleFunc("DELETE /_sim/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		ctlDone(w, s.DeleteUser(r.PathValue("id")))
	})
	mux.HandleFunc("POST /_sim/webhook", s.ctlWebhook)
	mux.HandleFunc("POST /_sim/webhook/validate", func(w http.ResponseWriter, r *http.Request) { ctlDone(w, s.ValidateWebhook()) })
	mux.HandleFunc("GET /_sim/webhook/log", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.WebhookLog()) })
	mux.HandleFunc("GET /_sim/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Faults()) })
	mux.HandleFunc("POST /_sim/faults", s.ctlAddFault)
	mux.HandleFunc("DELETE /_sim/faults", func(w http.ResponseWriter, r *http.Request) { s.ClearFaults(); ctlDone(w, nil) })
	mux.HandleFunc("POST /_sim/revoke", func(w http.ResponseWriter, r *http.Request) { ctlDone(w, s.RevokeUser(r.FormValue("user"))) })
	mux.HandleFunc("POST /_sim/tokens/expire", func(w http.ResponseWriter, r *http.Request) { s.ExpireTokens(); ctlDone(w, nil) })
	mux.HandleFunc("POST /_sim/app", s.ctlApp)
	s.recordingControls(mux)
	mux.HandleFunc("POST /_sim/ratelimit", func(w http.ResponseWriter, r *http.Request) {
		s.SetRateLimitClock(r.FormValue("clock") == "sim")
		ctlDone(w, nil)
	})
}

func ctlDone(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrNoUser):
		writeJSON(w, 404, map[string]string{"error": err.Error()})
	case err != nil:
		writeJSON(w, 400, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, 200, map[string]string{"status": "ok"})
	}
}

// ctlAdvance moves the clock by minutes (or seconds, hours) and answers when
// the activity's webhooks have been delivered.
func (s *Server) ctlAdvance(w http.ResponseWriter, r *http.Request) {
	var d time.Duration
	for unit, mult := range map[string]time.Duration{"minutes": time.Minute, "seconds": time.Second, "hours": time.Hour} {
		if v := r.FormValue(unit); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				ctlDone(w, errors.New(unit+" must be a non-negative number"))
				return
			}
			d += time.Duration(f * float64(mult))
		}
	}
	writeJSON(w, 200, s.advance(d))
}

func (s *Server) ctlClock(w http.ResponseWriter, r *http.Request) {
	f, err := strconv.ParseFloat(r.FormValue("speed"), 64)
	if err != nil || f < 0 {
		ctlDone(w, errors.New("speed must be a non-negative number"))
		return
	}
	s.SetSpeed(f)
	ctlDone(w, nil)
}

func decodeBody(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

func (s *Server) ctlCreateUser(w http.ResponseWriter, r *http.Request) {
	var nu NewUser
	if err := decodeBody(r, &nu); err != nil {
		ctlDone(w, err)
		return
	}
	u, err := s.CreateUser(nu)
	if err != nil {
		ctlDone(w, err)
		return
	}
	writeJSON(w, 201, u)
}

func (s *Server) ctlUpdateUser(w http.ResponseWriter, r *http.Request) {
	var ch UserChanges
	if err := decodeBody(r, &ch); err != nil {
		ctlDone(w, err)
		return
	}
	ctlDone(w, s.UpdateUser(r.PathValue("id"), ch))
}

// ctlWebhook sets the subscription: url (validated) and optionally events
// (comma-separated), as form values or JSON {"url":..., "events":[...]}.
func (s *Server) ctlWebhook(w http.ResponseWriter, r *http.Request) {
	var body struct {
		URL    *string  `json:"url"`
		Events []string `json:"events"`
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := decodeBody(r, &body); err != nil {
			ctlDone(w, err)
			return
		}
	} else {
		if r.FormValue("events") != "" {
			body.Events = strings.Split(r.FormValue("events"), ",")
		}
		if _, ok := r.Form["url"]; ok {
			u := r.FormValue("url")
			body.URL = &u
		}
	}
	if body.Events != nil {
		s.SetWebhookEvents(body.Events)
	}
	if body.URL != nil {
		if err := s.SetWebhookURL(*body.URL); err != nil {
			ctlDone(w, err)
			return
		}
	}
	ctlDone(w, nil)
}

func (s *Server) ctlAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := decodeBody(r, &f); err != nil {
		ctlDone(w, err)
		return
	}
	id, err := s.AddFault(f)
	if err != nil {
		ctlDone(w, err)
		return
	}
	writeJSON(w, 201, map[string]int{"id": id})
}

// ctlApp changes the OAuth apps: {"pre_approved":bool, "level":"user",
// "token_ttl_seconds":N, "scopes":{"user":[...]}, "authorize_as":"id or email"}.
func (s *Server) ctlApp(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PreApproved *bool               `json:"pre_approved"`
		Level       string              `json:"level"`
		TokenTTL    int                 `json:"token_ttl_seconds"`
		Scopes      map[string][]string `json:"scopes"`
		AuthorizeAs string              `json:"authorize_as"`
	}
	if err := decodeBody(r, &body); err != nil {
		ctlDone(w, err)
		return
	}
	var errs []error
	if body.PreApproved != nil {
		s.SetPreApproved(*body.PreApproved)
	}
	if body.Level != "" {
		errs = append(errs, s.SetAppLevel(body.Level))
	}
	if body.TokenTTL > 0 {
		errs = append(errs, s.SetTokenTTL(time.Duration(body.TokenTTL)*time.Second))
	}
	for kind, sc := range body.Scopes {
		errs = append(errs, s.SetScopes(kind, sc))
	}
	if body.AuthorizeAs != "" {
		errs = append(errs, s.SetAuthorizeAs(body.AuthorizeAs))
	}
	ctlDone(w, errors.Join(errs...))
}
