package zoomsim

import (
	"errors"
	"time"
)

// Settings and on-demand changes to the apps and the clock; each is mirrored
// under /_sim/ (control.go).

// Info is what a client needs to talk to the emulator.
type Info struct {
	URL             string    `json:"url"`
	AuthorizeURL    string    `json:"authorize_url"`
	TokenURL        string    `json:"token_url"`
	RevokeURL       string    `json:"revoke_url"`
	APIBase         string    `json:"api_base"`
	AccountID       string    `json:"account_id"`
	ClientID        string    `json:"client_id"`
	ClientSecret    string    `json:"client_secret"`
	S2SClientID     string    `json:"s2s_client_id"`
	S2SClientSecret string    `json:"s2s_client_secret"`
	WebhookSecret   string    `json:"webhook_secret"`
	WebhookURL      string    `json:"webhook_url"`
	Plan            string    `json:"plan"`
	Seed            int64     `json:"seed"`
	Now             time.Time `json:"now"`
}

// Info returns URLs, credentials and the clock.
func (s *Server) Info() Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.opts
	return Info{
		URL: s.baseURL, AuthorizeURL: s.baseURL + "/oauth/authorize", TokenURL: s.baseURL + "/oauth/token",
		RevokeURL: s.baseURL + "/oauth/revoke", APIBase: s.baseURL + "/v2", AccountID: o.AccountID,
		ClientID: o.ClientID, ClientSecret: o.ClientSecret, S2SClientID: o.S2SClientID,
		S2SClientSecret: o.S2SClientSecret, WebhookSecret: o.WebhookSecret, WebhookURL: s.hooks.url,
		Plan: o.Plan, Seed: o.Seed, Now: s.clk.now,
	}
}

// RevokeUser removes the OAuth app from a user's account, as the user or an
// admin would in the Marketplace: the user's grants die and app_deauthorized
// is delivered before it returns, once per installation (app, user and
// level), however many grants re-authorizations issued. An empty id revokes every installation.
func (s *Server) RevokeUser(id string) error {
	s.mu.Lock()
	var evs []*outEvent
	found := false
	u := s.acct.lookupUser(id)
	for _, g := range s.auth.grants {
		mine := id == "" || (u != nil && g.userID == u.ID)
		if mine && (g.kind == kindUser || g.kind == kindAccount) && !g.revoked {
			found = true
			evs = append(evs, s.revokeInstallation(g)...)
		}
	}
	s.mu.Unlock()
	if !found && id != "" {
		return errors.New("zoomsim: no installation for " + id)
	}
	s.deliverNow(evs)
	return nil
}

// SetPreApproved turns the account admin's pre-approval of the OAuth app on
// or off; off makes authorization, token and API calls of the app fail.
func (s *Server) SetPreApproved(ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.preApproved = ok
}

// SetAppLevel sets how the OAuth app installs: "auto", "user" or "account".
func (s *Server) SetAppLevel(level string) error {
	if level != "auto" && level != "user" && level != "account" {
		return errors.New("zoomsim: level must be auto, user or account")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.level = level
	return nil
}

// SetScopes sets the scopes granted from now on to a kind of grant: "user",
// "account" (OAuth app installs), "s2s" or "client". Existing tokens keep theirs.
func (s *Server) SetScopes(kind string, scopes []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.auth.scopes[kind]; !ok {
		return errors.New("zoomsim: kind must be user, account, s2s or client")
	}
	s.auth.scopes[kind] = append([]string(nil), scopes...)
	return nil
}

// SetTokenTTL changes the lifetime of access tokens issued from now on.
func (s *Server) SetTokenTTL(d time.Duration) error {
	if d < time.Second {
		return errors.New("zoomsim: token TTL must be at least a second")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auth.ttl = d
	return nil
}

// ExpireTokens makes every access token issued so far expired.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, at := range s.auth.access {
		if at.expires.After(s.clk.now) {
			at.expires = s.clk.now
		}
	}
}

// SetRateLimitClock chooses what per-second windows run on: the sim clock
// alone (true; exact and fast for tests) or the sim clock plus real time
// passing between steps (false, the default).
func (s *Server) SetRateLimitClock(simOnly bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lim.simClock = simOnly
}

// SetAuthorizeAs picks the user AutoApprove authorizes as (ID or email).
func (s *Server) SetAuthorizeAs(user string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.acct.lookupUser(user); u == nil || u.Deleted {
		return ErrNoUser
	}
	s.opts.AuthorizeAs = user
	return nil
}

// SetRateLimits turns rate limiting on or off.
func (s *Server) SetRateLimits(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lim.off = !on
}
