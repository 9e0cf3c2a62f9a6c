package recordings

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// FreshLinkTTL is how long a fresh link's download access token lives.
const FreshLinkTTL = 5 * time.Minute

// Fresh-link refusals a person can understand.
var (
	ErrNoFile       = errors.New("this artifact has no file to open")
	ErrGoneFromZoom = errors.New("this file is no longer held by Zoom")
	ErrNotConnected = errors.New("no Zoom connection reaches this recording's host any more")
)

// FreshLink asks Zoom, at the moment of use, for a download access token
// valid for FreshLinkTTL and returns the file's download URL carrying it.
// Nothing of it is stored or logged: the caller redirects to it at once.
func (s *Service) FreshLink(ctx context.Context, orgID, artifactID int64) (string, error) {
	a, err := s.st.ArtifactByID(ctx, orgID, artifactID)
	if err != nil {
		return "", err
	}
	if a.Kind == store.ArtifactSummary {
		return "", ErrNoFile
	}
	if a.ZoomState != store.ZoomPresent {
		return "", ErrGoneFromZoom
	}
	c, err := s.connectionFor(ctx, a)
	if err != nil {
		return "", err
	}
	m, token, err := s.conn(c).DownloadAccess(ctx, a.MeetingUUID, FreshLinkTTL)
	if err != nil {
		return "", err
	}
	for _, f := range m.RecordingFiles {
		if f.ID != a.ZoomKey || f.DownloadURL == "" || token == "" {
			continue
		}
		u, err := url.Parse(f.DownloadURL)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("access_token", token)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return "", ErrGoneFromZoom
}

// connectionFor is the connection to ask Zoom through: the artifact's own,
// or for a detached one whichever connection still reaches its host.
func (s *Service) connectionFor(ctx context.Context, a store.Artifact) (store.Connection, error) {
	if a.ConnectionID != 0 {
		return s.st.OrgConnection(ctx, a.OrgID, a.ConnectionID)
	}
	conns, err := s.st.Connections(ctx, a.OrgID)
	if err != nil {
		return store.Connection{}, err
	}
	for _, c := range conns {
		if c.Status != store.StatusActive || (c.Kind == store.KindUserOAuth && c.ZoomUserID != a.ZoomUserID) {
			continue
		}
		if c.Kind == store.KindUserOAuth {
			return c, nil
		}
		if _, err := s.st.ZoomUserByZoomID(ctx, c.ID, a.ZoomUserID); err == nil {
			return c, nil
		}
	}
	return store.Connection{}, ErrNotConnected
}
