package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Error is what a client gets back when a request fails: a status, a stable
// code, the parameter at fault (when one is) and a message safe to show.
type Error struct {
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Parameter string `json:"parameter,omitempty"`
	Message   string `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// badParam is a 400 naming the parameter.
func badParam(name, reason string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_parameter", Parameter: name, Message: name + ": " + reason}
}

func unauthorized(msg string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Message: msg}
}

func notFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: "no such " + what + " in this organization"}
}

// apiError is the answer for an error of the packages the API calls: their
// typed errors have a status; anything else is internal.
func apiError(err error) (*Error, bool) {
	var e *Error
	var in *people.InputError
	switch {
	case errors.As(err, &e):
		return e, true
	case errors.As(err, &in) && errors.Is(err, store.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Parameter: in.Field, Message: in.Error()}, true
	case errors.As(err, &in):
		return badParam(in.Field, in.Reason), true
	case errors.Is(err, store.ErrConflict):
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: "a resource with this key exists already"}, true
	case errors.Is(err, people.ErrForbidden):
		return &Error{Status: http.StatusForbidden, Code: "forbidden", Message: "an API key acts with an Admin's rights: " + err.Error()}, true
	}
	return nil, false
}

// fail answers with err as JSON. Errors without a status are internal:
// logged in full, answered with a bare 500.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apiError(err)
	if !ok {
		a.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		e = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="zoombridge"`)
	}
	writeError(w, e)
}

func writeError(w http.ResponseWriter, e *Error) {
	writeJSON(w, e.Status, struct {
		Error *Error `json:"error"`
	}{e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
