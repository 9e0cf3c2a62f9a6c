package server

import (
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Zoom connections and the token vault (internal/connect, internal/vault).

// connectService builds the connections service on first use. Other
// features' wire files call it too (sync for token sources, webhooks for
// Purge on app_deauthorized), whatever order they are wired in; wiring runs
// in Open, on one goroutine, so no lock is needed.
func (s *Server) connectService() *connect.Service {
	if s.Connect != nil {
		return s.Connect
	}
	svc, err := connect.New(connect.Config{
		Store: s.Store, Vault: s.Vault, Log: s.Log, Now: s.Now,
		OAuthURL: s.Config.ZoomOAuthURL, APIURL: s.Config.ZoomAPIURL,
		ClientID: s.Config.ZoomClientID, ClientSecret: s.Config.ZoomClientSecret, RedirectURL: s.Config.ZoomRedirectURL,
		RedirectURLFunc: s.redirectURL,
		API:             s.zoomAPI(), // the shared, rate-limited client
	})
	if err != nil {
		panic("connect: " + err.Error()) // only a missing Store or Vault, which Open always sets first
	}
	s.Connect = svc
	return svc
}

// redirectURL is the configured OAuth redirect URL, except that one derived
// from a port-0 address (tests, `demo --addr 127.0.0.1:0`) points at the
// port the server actually listens on once it has started.
func (s *Server) redirectURL() string {
	return s.listeningURL(s.Config.ZoomRedirectURL, connect.CallbackPath)
}

func (s *Server) mountConnect(mux *routeTable) {
	mux.Handle("GET "+connect.CallbackPath, s.connectService().CallbackHandler(func(c store.Connection) string {
		if c.Kind == store.KindUserOAuth {
			return "/services?zoom=connected"
		}
		return "/services/zoom?zoom=connected"
	}, func(r *http.Request) connect.Browser {
		session, org := s.Web.SessionOf(r)
		return connect.Browser{Session: session, OrgID: org}
	}, func(w http.ResponseWriter, r *http.Request, status int, p *connect.Problem) {
		s.Web.ZoomProblem(w, r, status, p.Code, p.Title, p.Message)
	}))
}

func (s *Server) connectWorkers(w *river.Workers) {
	river.AddWorker(w, &connect.IdleWorker{Service: s.connectService()})
	river.AddWorker(w, &connect.RefreshWorker{Service: s.connectService()})
}

// connectPeriodic looks for idle connections every hour; each is refreshed
// once it has gone unused for a week (connect.Config.IdleAfter).
func (s *Server) connectPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{connect.IdlePeriodic(time.Hour)}
}
