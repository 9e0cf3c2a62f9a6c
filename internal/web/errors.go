package web

import (
	"errors"
	"net/http"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// httpError is an error with a status and a message safe to show.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

var (
	errNotFound  = &httpError{http.StatusNotFound, "There is nothing here, or it belongs to an organization you are not viewing."}
	errForbidden = &httpError{http.StatusForbidden, "Your access level does not allow this. Ask an Owner or Admin of your organization."}
	errBadCSRF   = &httpError{http.StatusForbidden, "This form has expired or did not come from zoombridge. Go back, reload the page and try again."}
)

func badRequest(msg string) error { return &httpError{http.StatusBadRequest, msg} }

// publicError turns any error into a status and words for the person; the
// full error goes to the log only when it is not one of these.
func publicError(err error) (int, string, bool) {
	var he *httpError
	var ie *people.InputError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg, true
	case errors.Is(err, store.ErrNotFound):
		return errNotFound.status, errNotFound.msg, true
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, "Someone else made the same change just now. Reload the page to see it, then try again if needed.", true
	case errors.Is(err, people.ErrForbidden):
		return errForbidden.status, errForbidden.msg, true
	case errors.As(err, &ie):
		return http.StatusBadRequest, ie.Error(), true
	}
	return http.StatusInternalServerError, "Something went wrong on our side. It has been logged; try again in a moment.", false
}
