package connect

import (
	"html/template"
	"net/http"

	"github.com/zoombridge/zoombridge/internal/store"
)

// CallbackPath is the OAuth redirect route registered with the Zoom app.
const CallbackPath = "/oauth/zoom/callback"

// CallbackHandler serves Zoom's redirect: on success it sends the browser to
// next(c); on failure it shows the Problem's words (or a generic message,
// the full error going to the log) with a way back. browser says which
// signed-in session the request comes from (the web app's cookie); the
// single-use state says which flow, and the flow completes only in the
// session and organization that started it, so a forged, replayed or
// forwarded redirect completes nothing. page shows a Problem in the app's own
// layout (the web app's ZoomProblem); nil shows a plain page.
func (s *Service) CallbackHandler(next func(c store.Connection) string, browser func(r *http.Request) Browser, page ProblemPage) http.Handler {
	if page == nil {
		page = plainProblemPage
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		c, err := s.Callback(r.Context(), browser(r), r.URL.Query())
		if err == nil {
			http.Redirect(w, r, next(c), http.StatusSeeOther)
			return
		}
		p, ok := AsProblem(err)
		status := http.StatusBadRequest
		if !ok {
			s.log.Error("zoom connect callback failed", "err", err)
			p = &Problem{Title: "Zoom could not be connected", Message: "Something went wrong while connecting Zoom. Nothing was connected; please try again."}
			status = http.StatusInternalServerError
		} else {
			s.log.Info("zoom connect refused", "code", p.Code, "err", err)
		}
		page(w, r, status, p)
	})
}

// ProblemPage answers a browser with a Problem's title and words, and a way
// back that the viewer may open.
type ProblemPage func(w http.ResponseWriter, r *http.Request, status int, p *Problem)

func plainProblemPage(w http.ResponseWriter, _ *http.Request, status int, p *Problem) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	callbackPage.Execute(w, p) //nolint:errcheck // the browser went away
}

var callbackPage = template.Must(template.New("callback").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}} · zoombridge</title></head>
<body><main><h1>{{.Title}}</h1><p id="problem" data-code="{{.Code}}">{{.Message}}</p>
<p><a href="/">Back to zoombridge</a></p></main></body></html>
`))
