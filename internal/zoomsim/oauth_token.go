package zoomsim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// handleToken is zoom.us/oauth/token. Parameters may come in the query string
// or a form body (both are documented); clients authenticate with HTTP Basic.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() //nolint:errcheck // bad forms show up as missing fields
	id, secret, ok := r.BasicAuth()
	if !ok { // not documented, but common: credentials as form fields
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.appFor(id, secret)
	if app == "" {
		writeOAuthErr(w, "Invalid client_id or client_secret", "invalid_client")
		return
	}
	switch gt := r.Form.Get("grant_type"); {
	case gt == "authorization_code" && app == "oauth":
		s.grantCode(w, r)
	case gt == "refresh_token" && app == "oauth":
		s.grantRefresh(w, r)
	case gt == "account_credentials" && app == "s2s":
		if r.Form.Get("account_id") != s.opts.AccountID {
			writeOAuthErr(w, "Invalid account_id.", "invalid_request")
			return
		}
		g := s.auth.newGrant(kindS2S, id, "", s.clk.now)
		writeJSON(w, http.StatusOK, s.auth.issue(g, s.clk.now))
	case gt == "client_credentials" && app == "oauth":
		g := s.auth.newGrant(kindClient, id, "", s.clk.now)
		writeJSON(w, http.StatusOK, s.auth.issue(g, s.clk.now))
	default:
		writeOAuthErr(w, "unsupported grant type", "unsupported_grant_type")
	}
}

// appFor names the app whose credentials these are: "oauth", "s2s" or "".
func (s *Server) appFor(id, secret string) string {
	eq := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	switch {
	case eq(id, s.opts.ClientID) && eq(secret, s.opts.ClientSecret):
		return "oauth"
	case eq(id, s.opts.S2SClientID) && eq(secret, s.opts.S2SClientSecret):
		return "s2s"
	}
	return ""
}

func (s *Server) grantCode(w http.ResponseWriter, r *http.Request) {
	code := r.Form.Get("code")
	c := s.auth.codes[code]
	switch {
	case c == nil || c.used:
		writeOAuthErr(w, "Invalid authorization code "+code, "invalid_request")
		return
	case !s.clk.now.Before(c.expires):
		writeOAuthErr(w, "Code is expired", "invalid_request")
		return
	case r.Form.Get("redirect_uri") != c.redirectURI:
		writeOAuthErr(w, "Redirect URI mismatch.", "invalid_request")
		return
	case !pkceOK(c, r.Form.Get("code_verifier")):
		writeOAuthErr(w, "Invalid code_verifier", "invalid_grant")
		return
	}
	c.used = true
	u := s.acct.userByID[c.userID]
	if msg := s.grantBlocked(u); msg != "" {
		writeOAuthErr(w, msg, "invalid_grant")
		return
	}
	g := s.auth.newGrant(c.kind, s.opts.ClientID, c.userID, s.clk.now)
	s.auth.supersede(g)
	writeJSON(w, http.StatusOK, s.auth.issue(g, s.clk.now))
}

// pkceOK checks RFC 7636: S256 compares base64url(sha256(verifier)).
func pkceOK(c *authCode, verifier string) bool {
	if c.challenge == "" {
		return true
	}
	if c.method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		verifier = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return verifier != "" && subtle.ConstantTimeCompare([]byte(verifier), []byte(c.challenge)) == 1
}

func (s *Server) grantRefresh(w http.ResponseWriter, r *http.Request) {
	rt := r.Form.Get("refresh_token")
	g := s.auth.refresh[rt]
	if g == nil || g.revoked || g.currentRefresh != rt || s.auth.refreshExpired(g, s.clk.now) {
		// Rotated, superseded, revoked or unknown: Zoom does not say which.
		writeOAuthErr(w, "Invalid Token!", "invalid_grant")
		return
	}
	if msg := s.grantBlocked(s.acct.userByID[g.userID]); msg != "" {
		writeOAuthErr(w, msg, "invalid_grant")
		return
	}
	writeJSON(w, http.StatusOK, s.auth.issue(g, s.clk.now))
}

// grantBlocked says why an installation of the OAuth app cannot get tokens.
func (s *Server) grantBlocked(u *userRec) string {
	switch {
	case !s.auth.preApproved:
		return "The token is disabled by admin."
	case u == nil || u.Deleted:
		return "The owner of the token does not exist."
	}
	return ""
}

// handleRevoke is zoom.us/oauth/revoke: the grant behind the token dies and,
// as Zoom does when an app revokes its own access, app_deauthorized is sent.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() //nolint:errcheck // bad forms show up as missing fields
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	tok := r.Form.Get("token")
	s.mu.Lock()
	if s.appFor(id, secret) == "" {
		s.mu.Unlock()
		writeOAuthErr(w, "Invalid client_id or client_secret", "invalid_client")
		return
	}
	var g *grant
	if at := s.auth.access[tok]; at != nil {
		g = at.g
	} else {
		g = s.auth.refresh[tok]
	}
	var evs []*outEvent
	if g != nil && g.clientID == id && !g.revoked {
		evs = s.revokeInstallation(g)
	}
	s.mu.Unlock()
	s.deliverSoon(evs)
	writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
}

// revokeInstallation ends the app installation g belongs to: every live
// grant of the same app, user and level dies (a re-authorization issues a
// new grant of the same installation), and one app_deauthorized is returned
// for the installation, as Zoom sends one per installation. Callers hold s.mu.
func (s *Server) revokeInstallation(g *grant) []*outEvent {
	var evs []*outEvent
	for _, o := range s.auth.grants {
		if o.clientID == g.clientID && o.userID == g.userID && o.kind == g.kind && !o.revoked {
			evs = s.revokeGrant(o)
		}
	}
	return evs
}

// revokeGrant kills a grant and returns the app_deauthorized event for an
// OAuth installation. Callers hold s.mu.
func (s *Server) revokeGrant(g *grant) []*outEvent {
	g.revoked = true
	g.currentRefresh = ""
	if g.kind != kindUser && g.kind != kindAccount {
		return nil
	}
	return []*outEvent{s.eventAppDeauthorized(g)}
}
