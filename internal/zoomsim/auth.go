package zoomsim

import (
	"net/http"
	"slices"
	"strings"
)

// scopeReq lists the scopes that allow an operation: the granular scope (and
// its :admin form), and classic scopes (and their :admin forms).
type scopeReq struct {
	gran      string
	adminOnly bool // only the :admin form exists (list users, reports)
	classic   []string
}

func (q scopeReq) allows(scopes []string) bool {
	ok := func(s string) bool { return slices.Contains(scopes, s) }
	if q.gran == "" {
		return true
	}
	if ok(q.gran+":admin") || (!q.adminOnly && ok(q.gran)) {
		return true
	}
	for _, c := range q.classic {
		if ok(c) || ok(c+":admin") {
			return true
		}
	}
	return false
}

// missing is Zoom's 4711 error naming the scope this kind of token would need.
func (q scopeReq) missing(g *grant) *apiErr {
	need := q.gran
	if q.adminOnly || g.kind == kindAccount || g.kind == kindS2S {
		need += ":admin"
	}
	return newAPIErr(400, 4711, "Invalid access token, does not contain scopes:[%s]", need)
}

// authenticate finds the grant behind a request's bearer token. Callers hold s.mu.
func (s *Server) authenticate(r *http.Request) (*grant, *apiErr) {
	if r.URL.Query().Has("access_token") {
		return nil, errQueryToken()
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, errInvalidToken()
	}
	at := s.auth.access[strings.TrimSpace(tok)]
	switch {
	case at == nil || at.g.revoked:
		return nil, errInvalidToken()
	case !s.clk.now.Before(at.expires):
		return nil, errExpiredToken()
	case (at.g.kind == kindUser || at.g.kind == kindAccount) && !s.auth.preApproved:
		return nil, errInvalidToken() // the admin has taken the app away
	}
	if at.g.userID != "" {
		if u := s.acct.userByID[at.g.userID]; u == nil || u.Deleted {
			return nil, errInvalidToken()
		}
	}
	return at.g, nil
}

// resolveUser maps a {userId} path value for this grant: user-level grants
// must say "me"; others may use an ID, an email or (OAuth only) "me".
func (c *reqCtx) resolveUser(raw string) (*userRec, *apiErr) {
	a := c.s.acct
	switch {
	case c.g.kind == kindUser && raw != "me":
		return nil, newAPIErr(400, 124, "Invalid access token.")
	case raw == "me" && c.g.kind == kindS2S:
		return c.s.appCreator(), nil // as on Zoom: a Server-to-Server app's "me" is the user who created it
	case raw == "me" && c.g.userID == "":
		return nil, errUserNotFound(raw)
	case raw == "me":
		return a.userByID[c.g.userID], nil
	}
	u := a.lookupUser(raw)
	if u == nil || u.Deleted || u.CreatedAt.After(c.now) {
		return nil, errUserNotFound(raw)
	}
	return u, nil
}

// mayAccess reports whether the grant may see resources hosted by hostID:
// user-level grants only see their own user's.
func (c *reqCtx) mayAccess(hostID string) *apiErr {
	if c.g.kind == kindUser && hostID != c.g.userID {
		return errNoAccess()
	}
	return nil
}

// lookupUser finds a user by ID or email (case-insensitive), deleted or not.
func (a *accountState) lookupUser(idOrEmail string) *userRec {
	if u := a.userByID[idOrEmail]; u != nil {
		return u
	}
	if strings.Contains(idOrEmail, "@") {
		return a.userByEmail(idOrEmail)
	}
	return nil
}
