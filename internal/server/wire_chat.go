package server

import (
	"net/http"
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

// chatCore builds the command core on first use (wiring runs on one goroutine).
func (s *Server) chatCore() *chat.Core {
	if s.chat.core == nil {
		client := s.zoomAPI()
		s.chat.core = chat.New(chat.Config{Store: s.Store, Log: s.Log, Now: s.Now, PublicURL: s.Config.PublicURL,
			ZoomWeb: s.Config.ZoomOAuthURL,
			Zoom: func(c store.Connection) *zoom.Conn {
				return client.For(s.connectService().TokenSource(c.ID), c.ZoomAccountID)
			}})
	}
	return s.chat.core
}

// teamsEnabled: the bot runs once it has an app id (or, for the local
// Teams emulator only, with authentication skipped).
func (s *Server) teamsEnabled() bool {
	return s.Config.TeamsAppID != "" || s.Config.TeamsInsecureSkipAuth
}

func (s *Server) teamsBot() *teams.Bot {
	if s.chat.teams == nil && s.teamsEnabled() {
		cfg := s.Config
		var v *teams.Verifier
		if !cfg.TeamsInsecureSkipAuth {
			v = teams.NewVerifier(teams.VerifierConfig{AppID: cfg.TeamsAppID, MetadataURL: cfg.TeamsOpenIDMetadata})
		}
		s.chat.teams = teams.New(teams.Config{Store: s.Store, Core: s.chatCore(), Log: s.Log, AppID: cfg.TeamsAppID,
			TenantID: cfg.TeamsTenantID, Verifier: v, SkipAuth: cfg.TeamsInsecureSkipAuth,
			Connector: teams.NewConnector(teams.ConnectorConfig{AppID: cfg.TeamsAppID, Password: cfg.TeamsAppPassword,
				TenantID: cfg.TeamsTenantID, TokenURL: cfg.TeamsTokenURL})})
	}
	return s.chat.teams
}

// chatPlatforms are the surfaces the tick may message.
func (s *Server) chatPlatforms() chat.Platforms {
	ps := chat.Platforms{}
	if bot := s.teamsBot(); bot != nil {
		ps[bot.Name()] = bot
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

func (s *Server) mountChat(mux *http.ServeMux) {
	if bot := s.teamsBot(); bot != nil {
		mux.Handle("POST /chat/teams/messages", bot)
	}
}

func (s *Server) chatWorkers(w *river.Workers) {
	river.AddWorker(w, &chat.TickWorker{Core: s.chatCore(), Platforms: s.chatPlatforms()})
}

// chatPeriodic ticks every 15 s: a recording-ready message arrives well
// within a minute of Zoom's recording.completed.
func (s *Server) chatPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{chat.TickPeriodic(15 * time.Second)}
}
