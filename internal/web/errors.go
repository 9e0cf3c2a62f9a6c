package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

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

// forbidden says who may do what the viewer was refused, so a person knows
// whom to ask: "only an Owner can", not "ask an Owner or Admin" to an Admin.
func forbidden(v *viewer, act people.Action) error {
	var who []string
	for _, r := range store.Roles {
		if people.Can(r, act) {
			who = append(who, people.RoleLabel(r))
		}
	}
	if len(who) == 0 {
		return errForbidden
	}
	list := strings.Join(who, ", ")
	if n := len(who); n > 1 {
		list = strings.Join(who[:n-1], ", ") + " or " + who[n-1]
	}
	return &httpError{http.StatusForbidden, fmt.Sprintf("Your access level (%s) does not allow this: only an %s can. Ask one of them in your organization.",
		people.RoleLabel(v.me.Role), list)}
}

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
