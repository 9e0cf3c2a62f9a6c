package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Mux is where the app's routes are registered: an *http.ServeMux, or the
// server's table that also records each pattern.
type Mux interface {
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// Mount lists every route of the web app. The action beside each is the
// access level check the gate makes before the handler runs; handlers that
// show one person check people.CanView on top (a Member sees only themselves).
func (a *App) Mount(mux Mux) {
	mux.Handle("GET /static/", a.static())
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("/", a.notFound) // whatever no other route serves
	mux.HandleFunc("GET /signin", a.signinPage)
	mux.HandleFunc("POST /signin", a.signin)
	a.handle(mux, "POST /signout", "", a.signout)
	mux.HandleFunc("GET "+SetupPath, a.setupPage)
	mux.HandleFunc("POST "+SetupPath, a.setup)

	a.handle(mux, "GET /accounts", "", a.accounts)
	a.handle(mux, "POST /accounts/switch", "", a.switchOrg)
	a.handle(mux, "POST /accounts/timezone", people.ManageOrganization, a.setTimezone)
	a.handle(mux, "POST /accounts/name", people.ManageOrganization, a.renameOrg)

	a.handle(mux, "GET /team", people.ViewTeam, a.team)
	a.handle(mux, "GET /team/live", people.ViewTeam, a.teamLive)
	a.handle(mux, "GET /reports/weekly", people.ViewTeam, a.weekly)
	a.handle(mux, "GET /activities.csv", people.ExportActivities, a.exportCSV)

	a.handle(mux, "GET /people", people.ViewTeam, a.peopleList)
	a.handle(mux, "GET /people/new", people.ManagePeople, a.personNew)
	a.handle(mux, "POST /people", people.ManagePeople, a.personCreate)
	a.handle(mux, "GET /people/import", people.ImportPeople, a.importPage)
	a.handle(mux, "GET /people/import/template.csv", people.ImportPeople, a.importTemplate)
	a.handle(mux, "POST /people/import", people.ImportPeople, a.importPost)
	a.handle(mux, "GET /people/{id}", people.ViewOwnTimeline, a.personTimeline)
	a.handle(mux, "GET /people/{id}/live", people.ViewOwnTimeline, a.personLive)
	a.handle(mux, "GET /people/{id}/services", people.ViewOwnTimeline, a.personServices)
	a.handle(mux, "POST /people/{id}/services/zoom", people.SwitchService, a.personSwitch)
	a.handle(mux, "GET /people/{id}/troubleshooting", people.ViewOwnTimeline, a.personTroubleshoot)
	a.handle(mux, "GET /people/{id}/edit", people.ManagePeople, a.personEdit)
	a.handle(mux, "POST /people/{id}", people.ManagePeople, a.personUpdate)
	a.handle(mux, "POST /people/{id}/active", people.ManagePeople, a.personActive)
	a.handle(mux, "POST /people/{id}/signin", people.ManagePeople, a.personSignin)
	a.handle(mux, "POST /people/{id}/unlock", people.ManagePeople, a.personUnlock)
	a.handle(mux, "POST /people/{id}/password-reset", people.ManagePeople, a.personReset)
	a.handle(mux, "GET "+passwordPath, "", a.passwordPage)
	a.handle(mux, "POST "+passwordPath, "", a.passwordChange)

	a.handle(mux, "GET /services", people.ConnectOwnZoom, a.services)
	a.handle(mux, "GET /services/zoom", people.ViewIntegration, a.zoomOverview)
	a.handle(mux, "GET /services/zoom/users", people.ViewIntegration, a.zoomUsers)
	a.handle(mux, "GET /services/zoom/features", people.ViewIntegration, a.zoomFeatures)
	a.handle(mux, "POST /services/zoom/features", people.SwitchFeatures, a.zoomSetFeature)
	a.handle(mux, "GET /services/zoom/connections", people.ViewIntegration, a.zoomConnections)
	a.handle(mux, "POST /services/zoom/connect", people.ManageConnections, a.zoomConnect)
	a.handle(mux, "POST /services/zoom/connect/s2s", people.ManageConnections, a.zoomConnectS2S)
	a.handle(mux, "POST /services/zoom/connect/me", people.ConnectOwnZoom, a.zoomConnectMe)
	// A person may disconnect or reconnect their own connection; the
	// handlers require ManageConnections for anyone else's.
	a.handle(mux, "POST /services/zoom/connections/{id}/disconnect", people.ConnectOwnZoom, a.zoomDisconnect)
	a.handle(mux, "POST /services/zoom/connections/{id}/reconnect", people.ConnectOwnZoom, a.zoomReconnect)
	a.handle(mux, "POST /services/zoom/connections/{id}/sync", people.SyncNow, a.zoomSync)

	a.handle(mux, "GET /services/api", people.ManageAPIKeys, a.apiKeys)
	a.handle(mux, "POST /services/api/keys", people.ManageAPIKeys, a.apiKeyCreate)
	a.handle(mux, "POST /services/api/keys/{id}/revoke", people.ManageAPIKeys, a.apiKeyRevoke)

	a.mountDevelopers(mux)

	a.handle(mux, "GET /audit", people.ViewAuditLog, a.audit)
	a.mountChat(mux)
	a.mountDeals(mux)
	a.mountBooking(mux)
}

// handlerFunc is a page or form handler behind the gate.
type handlerFunc func(w http.ResponseWriter, r *http.Request, v *viewer) error

// handle mounts h behind the gate: signed in, a member of the organization the
// session views, allowed act (when set), and on POST the session's CSRF token.
func (a *App) handle(mux Mux, pattern string, act people.Action, h handlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		v, err := a.viewer(r)
		switch {
		case errors.Is(err, store.ErrNotFound):
			a.toSignin(w, r)
			return
		case errors.Is(err, errNoMembership):
			if r.URL.Path == "/signout" && a.csrfOK(r, v.ses.CSRFToken) {
				if err := a.signout(w, r, v); err != nil {
					a.renderError(w, r, v, err)
				}
				return
			}
			a.renderError(w, r, v, &httpError{http.StatusForbidden, "Your account is not an active member of any organization. Ask an Owner or Admin to add you."})
			return
		case err != nil:
			a.renderError(w, r, nil, err)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes(r))
			if !a.csrfOK(r, v.ses.CSRFToken) {
				a.renderError(w, r, v, errBadCSRF)
				return
			}
		}
		if v.acct.MustChangePassword && r.URL.Path != passwordPath && r.URL.Path != "/signout" {
			// An Admin's temporary password opens nothing but its own change.
			http.Redirect(w, r, passwordPath, http.StatusSeeOther)
			return
		}
		if act != "" && !v.can(act) {
			a.renderError(w, r, v, forbidden(v, act))
			return
		}
		if err := h(w, r, v); err != nil {
			a.renderError(w, r, v, err)
		}
	})
}

// maxFormBytes caps request bodies: forms are small, a directory file less so.
func maxFormBytes(r *http.Request) int64 {
	if r.URL.Path == "/people/import" {
		return people.MaxImportBytes + 64<<10
	}
	return 64 << 10
}

// toSignin sends a signed-out browser to the sign-in page, back here after.
func (a *App) toSignin(w http.ResponseWriter, r *http.Request) {
	next := ""
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// home sends a signed-in person to the page they most likely want.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	v, err := a.viewer(r)
	switch {
	case err != nil:
		a.toSignin(w, r)
	case v.can(people.ViewTeam):
		http.Redirect(w, r, "/team", http.StatusSeeOther)
	default:
		http.Redirect(w, r, personPath(v.me.ID), http.StatusSeeOther)
	}
}

// notFound answers an unknown path with the app's own page, with the
// navigation of a signed-in viewer so they can find their way back.
func (a *App) notFound(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	v, err := a.viewer(r)
	if err != nil {
		v = nil
	}
	a.renderError(w, r, v, &httpError{http.StatusNotFound, "There is no page at this address. Check the link, or start again from the menu."})
}

// safeNext keeps a post-sign-in redirect on this site: it returns next only
// when it is a plain path of this origin, and "/" otherwise. The raw text is
// checked before parsing because browsers forgive what url.Parse keeps: they
// drop tabs and newlines and read a backslash as a slash, so "/\t/evil" and
// "/\\evil" both mean "//evil", another host. Encoded forms are refused too,
// since a later decode (ours or a proxy's) could turn them into the same.
func safeNext(next string) string {
	if !plainLocalPath(next) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return u.RequestURI()
}

// plainLocalPath is true for text starting with one "/" and holding only
// printable ASCII, without backslashes or percent-encoded slashes, dots,
// backslashes or control characters in the path.
func plainLocalPath(s string) bool {
	if len(s) == 0 || len(s) > 2048 || s[0] != '/' || strings.HasPrefix(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	path, _, _ := strings.Cut(s, "?")
	lower := strings.ToLower(path)
	for _, enc := range []string{"%2f", "%5c", "%2e", "%00", "%09", "%0a", "%0d", "%25"} {
		if strings.Contains(lower, enc) {
			return false
		}
	}
	return true
}
