package server

import (
	"context"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// The admin web app (internal/web). Its Zoom actions are the exported
// functions of internal/connect and internal/syncer (syncNow in
// wire_sync.go), adapted here; sync status and the Users tab's mapping
// reasons it reads from the store, where the sync writes them.

func (s *Server) buildWeb() {
	s.Web = web.New(web.Options{Store: s.Store, Log: s.Log, Now: s.Now, PublicURL: s.Config.PublicURL, Zoom: s.webZoom(),
		SetupFile: s.SetupFile(), Teams: s.teamsSetup(), Recordings: s.recordingsService(),
		Booking: s.bookingService(), Webhooks: s.outboundService()})
}

func (s *Server) mountWeb(mux *routeTable) { s.Web.Mount(mux) }

func (s *Server) webZoom() web.Zoom {
	c := s.connectService()
	return web.Zoom{
		Authorize: func(ctx context.Context, orgID, personID, accountID int64, kind, session string) (string, error) {
			b := connect.Browser{Session: session, OrgID: orgID}
			if kind == store.KindUserOAuth {
				return c.StartUserOAuth(ctx, b, personID, accountID)
			}
			return c.StartAccountOAuth(ctx, b, accountID)
		},
		Reconnect: func(ctx context.Context, orgID, connID, accountID int64, session string) (string, error) {
			return c.StartReconnect(ctx, connect.Browser{Session: session, OrgID: orgID}, connID, accountID)
		},
		ConnectS2S: func(ctx context.Context, in web.S2SInput) (store.Connection, error) {
			return c.ConnectS2S(ctx, in.OrgID, in.ActorAccountID, connect.S2SCredentials{
				AccountID: in.ZoomAccountID, ClientID: in.ClientID, ClientSecret: in.ClientSecret, WebhookSecret: in.WebhookSecret})
		},
		Disconnect: c.Disconnect,
		SyncNow:    s.syncNow,
		Notices: func(conn store.Connection) []web.Notice {
			var out []web.Notice
			for _, p := range connect.Banners(conn) {
				out = append(out, problemNotice(p))
			}
			return out
		},
		Explain: func(err error) (web.Notice, bool) {
			p, ok := connect.AsProblem(err)
			if !ok {
				return web.Notice{}, false
			}
			return problemNotice(p), true
		},
	}
}

// problemNotice shows a connect.Problem as a banner: a dead connection is an
// error, anything else a warning.
func problemNotice(p *connect.Problem) web.Notice {
	level := "warn"
	if p.Code == connect.CodeNeedsReconnect || p.Code == connect.CodeNotPreApproved {
		level = "error"
	}
	return web.Notice{Level: level, Code: p.Code, Title: p.Title, Text: p.Message, Action: p.Action, Feature: p.Feature, Scopes: p.Scopes}
}
