package recordings

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Banner codes of the rep's Zoom panel (features C3, C4, C6).
const (
	BannerPlanRequired   = "plan_required"   // the Zoom user is on Basic: no cloud recording, and no recording calls are made
	BannerMissingScope   = "missing_scope"   // Reconnect Zoom: Scopes name what is missing, Feature what needs it
	BannerNeedsReconnect = "needs_reconnect" // the connection's grant is gone
	BannerPreApproval    = "pre_approval"    // not connected: a Zoom admin may have to pre-approve the app first
)

// Banner is one message of the panel, as data; the web app words it.
type Banner struct {
	Code    string
	Feature string
	Scopes  []string
}

// Panel is what the rep's Zoom panel on the person's Services tab shows.
type Panel struct {
	Connected   bool
	Kind        string // the connection reaching them: user_oauth, account_oauth, s2s
	ZoomEmail   string
	Basic       bool // the Zoom user's own plan (plans are per Zoom user)
	SyncEnabled bool
	LastSync    time.Time
	LastSweep   time.Time
	LastProblem string
	Banners     []Banner
}

// PanelOf builds a person's panel.
func (s *Service) PanelOf(ctx context.Context, orgID, personID int64) (Panel, error) {
	rp, err := s.st.RecordingPersonOf(ctx, orgID, personID)
	if err != nil {
		return Panel{}, err
	}
	p := Panel{SyncEnabled: rp.SyncEnabled, LastSync: rp.LastSyncAt, LastSweep: rp.LastSweepAt, LastProblem: rp.LastProblem}
	c, zu, ok, err := s.connectionOfPerson(ctx, orgID, personID)
	if err != nil {
		return p, err
	}
	if !ok {
		p.Banners = append(p.Banners, Banner{Code: BannerPreApproval})
		return p, nil
	}
	p.Connected, p.Kind, p.ZoomEmail, p.Basic = true, c.Kind, zu.Email, zu.UserType == connect.PlanBasic
	if c.Status == store.StatusNeedsReconnect {
		p.Banners = append(p.Banners, Banner{Code: BannerNeedsReconnect})
	}
	switch problem, scopes := Blocker(c, zu.UserType); problem {
	case store.RecordingProblemBasic:
		p.Banners = append(p.Banners, Banner{Code: BannerPlanRequired, Feature: recordingsFeature})
	case store.RecordingProblemMissingScope:
		p.Banners = append(p.Banners, Banner{Code: BannerMissingScope, Feature: recordingsFeature, Scopes: scopes})
	}
	return p, nil
}

// connectionOfPerson finds the connection that sees the person's Zoom user,
// their own first, and that user.
func (s *Service) connectionOfPerson(ctx context.Context, orgID, personID int64) (store.Connection, store.ZoomUser, bool, error) {
	conns, err := s.st.Connections(ctx, orgID)
	if err != nil {
		return store.Connection{}, store.ZoomUser{}, false, err
	}
	for _, c := range conns {
		if c.Kind == store.KindUserOAuth && c.PersonID == personID {
			return c, store.ZoomUser{ZoomUserID: c.ZoomUserID, Email: c.Email, UserType: c.PlanType}, true, nil
		}
	}
	for _, c := range conns {
		if c.Kind == store.KindUserOAuth {
			continue
		}
		users, err := s.st.ZoomUsersOfConnection(ctx, c.ID)
		if err != nil {
			return c, store.ZoomUser{}, false, err
		}
		for _, u := range users {
			if u.PersonID == personID {
				return c, u, true, nil
			}
		}
	}
	return store.Connection{}, store.ZoomUser{}, false, nil
}
