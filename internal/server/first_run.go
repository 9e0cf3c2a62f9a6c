package server

import (
	"context"
	"net/url"
	"path/filepath"

	"github.com/zoombridge/zoombridge/internal/web"
)

// SetupFile is where the first-run link's token is kept in the data directory.
func (s *Server) SetupFile() string { return filepath.Join(s.Config.DataDir, web.SetupFile) }

// SetupLink is the one-time first-run link while no organization has an
// Owner, and "" after. Call it after Start: a port-0 address is only known then.
func (s *Server) SetupLink(ctx context.Context) (string, error) {
	tok, err := web.SetupToken(ctx, s.Store, s.SetupFile(), s.Now())
	if err != nil || tok == "" {
		return "", err
	}
	return s.listeningURL(s.Config.PublicURL, "") + web.SetupPath + "?token=" + url.QueryEscape(tok), nil
}

// listeningURL is a configured URL, except that one derived from a port-0
// address (tests, `--addr 127.0.0.1:0`) is the listening server's URL plus
// path once the server has started.
func (s *Server) listeningURL(configured, path string) string {
	u, err := url.Parse(configured)
	if err != nil || u.Port() != "0" || s.listener == nil {
		return configured
	}
	return s.URL() + path
}
