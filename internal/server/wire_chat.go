package server

import (
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/chat"
	"github.com/zoombridge/zoombridge/internal/chat/teams"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// The chat bot (internal/chat) and its Microsoft Teams surface
// (internal/chat/teams): the messaging endpoint, and a periodic tick that
// updates ended meeting cards and tells hosts their recording is ready.

// chatParts are the chat feature's pieces of a Server.
type chatParts struct {
	core  *chat.Core
	teams *teams.Bot
}

// buildChat makes the command core and, when configured, the Teams bot
// (buildFeatures runs it before the job queue exists).
func (s *Server) buildChat() {
	client := s.zoomAPI()
	s.chat.core = chat.New(chat.Config{Store: s.Store, Log: s.Log, Now: s.Now, PublicURL: s.Config.PublicURL,
		ZoomWeb: s.Config.ZoomOAuthURL,
		Zoom: func(c store.Connection) *zoom.Conn {
			return client.For(s.connectService().TokenSource(c.ID), c.ZoomAccountID)
		}})
	cfg := s.Config
	if cfg.TeamsAppID == "" && !cfg.TeamsInsecureSkipAuth {
		return // the bot runs once it has an app id (or, for the local Teams emulator only, with authentication skipped)
	}
	var v *teams.Verifier
	if !cfg.TeamsInsecureSkipAuth {
		v = teams.NewVerifier(teams.VerifierConfig{AppID: cfg.TeamsAppID, MetadataURL: cfg.TeamsOpenIDMetadata})
	}
	s.chat.teams = teams.New(teams.Config{Store: s.Store, Core: s.chat.core, Log: s.Log, AppID: cfg.TeamsAppID,
		TenantID: cfg.TeamsTenantID, Verifier: v, SkipAuth: cfg.TeamsInsecureSkipAuth,
		Connector: teams.NewConnector(teams.ConnectorConfig{AppID: cfg.TeamsAppID, Password: cfg.TeamsAppPassword,
			TenantID: cfg.TeamsTenantID, TokenURL: cfg.TeamsTokenURL})})
}

// chatPlatforms are the surfaces the tick may message.
func (s *Server) chatPlatforms() chat.Platforms {
	ps := chat.Platforms{}
	if s.chat.teams != nil {
		ps[s.chat.teams.Name()] = s.chat.teams
	}
	return ps
}

// teamsSetup is what the admin app's Teams page shows and offers.
func (s *Server) teamsSetup() web.TeamsSetup {
	cfg := s.Config
	return web.TeamsSetup{Enabled: cfg.TeamsAppID != "", AppID: cfg.TeamsAppID, TenantID: cfg.TeamsTenantID,
		Endpoint: cfg.PublicURL + "/chat/teams/messages", SkipAuth: cfg.TeamsInsecureSkipAuth,
		Package: func() ([]byte, error) { return teams.AppPackage(cfg.TeamsAppID, cfg.PublicURL) }}
}

func (s *Server) mountChat(mux *routeTable) {
	if s.chat.teams != nil {
		mux.Handle("POST /chat/teams/messages", s.chat.teams)
	}
}

func (s *Server) chatWorkers(w *river.Workers) {
	river.AddWorker(w, &chat.TickWorker{Core: s.chat.core, Platforms: s.chatPlatforms()})
}

// chatPeriodic ticks every 15 s: a recording-ready message arrives well
// within a minute of Zoom's recording.completed.
func (s *Server) chatPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{chat.TickPeriodic(15 * time.Second)}
}
