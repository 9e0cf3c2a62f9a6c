package web

import (
	"net/http"

	"github.com/zoombridge/zoombridge/internal/people"
)

// zoomProblemData is a Zoom problem a person can act on (internal/connect's
// Problem, passed as its code and words), with a way back the viewer may open.
type zoomProblemData struct {
	Code, Message string
	Back, BackTo  string
}

// ZoomProblem shows a problem from Zoom's OAuth callback (admin approval
// needed, declined, expired…) in the app's own layout. The Back link goes to
// the Zoom connections for those who may manage them, to Services for
// everyone else signed in, and to the start page for a browser signed out.
func (a *App) ZoomProblem(w http.ResponseWriter, r *http.Request, status int, code, title, message string) {
	securityHeaders(w.Header())
	w.Header().Set("Referrer-Policy", "no-referrer") // the URL carries Zoom's code
	d := zoomProblemData{Code: code, Message: message, Back: "/", BackTo: "Go to the start page"}
	v, err := a.viewer(r)
	switch {
	case err != nil:
		v = nil
	case v.can(people.ManageConnections):
		d.Back, d.BackTo = "/services/zoom/connections", "Back to Zoom connections"
	default:
		d.Back, d.BackTo = "/services", "Back to Services"
	}
	a.render(w, r, v, status, "zoomproblem", page{Title: title, Section: "services", Data: d})
}
