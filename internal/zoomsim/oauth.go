package zoomsim

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// authorizeReq is what GET /oauth/authorize carries, echoed through the consent form.
type authorizeReq struct {
	ClientID, RedirectURI, State, Challenge, Method, ResponseType string
	LoginHint                                                     string // who is expected to sign in
}

func parseAuthorize(r *http.Request) authorizeReq {
	f := r.Form
	return authorizeReq{
		ClientID: f.Get("client_id"), RedirectURI: f.Get("redirect_uri"), State: f.Get("state"),
		Challenge: f.Get("code_challenge"), Method: f.Get("code_challenge_method"),
		ResponseType: f.Get("response_type"), LoginHint: f.Get("login_hint"),
	}
}

// handleAuthorize is zoom.us/oauth/authorize: a consent page, or with
// AutoApprove an immediate redirect as the configured user.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() //nolint:errcheck // bad forms show up as missing fields
	ar := parseAuthorize(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := s.checkAuthorize(ar); msg != "" {
		renderPage(w, http.StatusBadRequest, errorPage, map[string]string{"Message": msg})
		return
	}
	if r.Method == http.MethodPost {
		if r.Form.Get("decision") != "allow" {
			redirectAuthz(w, r, ar, url.Values{"error": {"access_denied"}, "error_description": {"The user denied the request."}})
			return
		}
		s.approve(w, r, ar, s.acct.lookupUser(r.Form.Get("user")))
		return
	}
	if s.opts.AutoApprove {
		s.approve(w, r, ar, s.authorizer(ar.LoginHint))
		return
	}
	s.renderConsent(w, ar)
}

// checkAuthorize returns why the request cannot even show a consent page.
// Like Zoom, a bad client or redirect URI gets an error page, not a redirect.
func (s *Server) checkAuthorize(ar authorizeReq) string {
	switch {
	case ar.ClientID != s.opts.ClientID:
		return "Invalid client_id: " + ar.ClientID + " (4702)"
	case ar.ResponseType != "code":
		return "Unsupported response_type; use response_type=code."
	case ar.RedirectURI == "":
		return "Missing redirect_uri."
	case len(s.opts.RedirectURIs) > 0 && !slices.Contains(s.opts.RedirectURIs, ar.RedirectURI):
		return "Redirect URI mismatch. (4709)"
	case ar.Challenge != "" && ar.Method != "" && ar.Method != "S256" && ar.Method != "plain":
		return "Invalid code_challenge_method."
	}
	return ""
}

// authorizer is the user AutoApprove acts as: AuthorizeAs, else the user
// with the login_hint's email (who would sign in to Zoom: a person
// connecting their own Zoom), else the owner.
func (s *Server) authorizer(hint string) *userRec {
	if s.opts.AuthorizeAs != "" {
		return s.acct.lookupUser(s.opts.AuthorizeAs)
	}
	if u := s.acct.lookupUser(hint); u != nil && strings.Contains(hint, "@") {
		return u
	}
	return s.acct.users[0]
}

// approve issues a code as u, or redirects with an error when u may not
// install the app (not pre-approved, admin-only app, inactive user).
func (s *Server) approve(w http.ResponseWriter, r *http.Request, ar authorizeReq, u *userRec) {
	fail := func(desc string) {
		redirectAuthz(w, r, ar, url.Values{"error": {"access_denied"}, "error_description": {desc}})
	}
	kind := s.installKind(u)
	switch {
	case u == nil || u.Deleted || u.Status != "active":
		fail("The user cannot authorize apps.")
	case !s.auth.preApproved:
		fail("This app has not been pre-approved by your account admin. Request approval from your admin.")
	case kind == "":
		fail("This app can only be installed by an account admin.")
	default:
		code := randomID()
		method := ar.Method
		if ar.Challenge != "" && method == "" {
			method = "plain" // RFC 7636 default
		}
		s.auth.codes[code] = &authCode{
			code: code, userID: u.ID, redirectURI: ar.RedirectURI, challenge: ar.Challenge,
			method: method, kind: kind, expires: s.clk.now.Add(5 * time.Minute),
		}
		v := url.Values{"code": {code}}
		redirectAuthz(w, r, ar, v)
	}
}

// installKind is how u would install the OAuth app, "" if u may not.
func (s *Server) installKind(u *userRec) string {
	if u == nil {
		return ""
	}
	switch s.auth.level {
	case "user":
		return kindUser
	case "account":
		if u.isAdmin() {
			return kindAccount
		}
		return ""
	}
	if u.isAdmin() {
		return kindAccount
	}
	return kindUser
}

func redirectAuthz(w http.ResponseWriter, r *http.Request, ar authorizeReq, v url.Values) {
	if ar.State != "" {
		v.Set("state", ar.State)
	}
	sep := "?"
	if strings.Contains(ar.RedirectURI, "?") {
		sep = "&"
	}
	http.Redirect(w, r, ar.RedirectURI+sep+v.Encode(), http.StatusFound)
}

func (s *Server) renderConsent(w http.ResponseWriter, ar authorizeReq) {
	kind := kindUser
	if s.auth.level == "account" {
		kind = kindAccount
	}
	var users []map[string]string
	for _, u := range s.acct.users {
		if !u.Deleted && u.Status == "active" {
			users = append(users, map[string]string{"ID": u.ID, "Label": u.displayName() + " <" + u.Email + "> (" + u.Role + ")"})
		}
	}
	renderPage(w, http.StatusOK, consentPage, map[string]any{
		"Req": ar, "Users": users, "Scopes": s.auth.scopes[kind], "Selected": s.authorizer(ar.LoginHint).ID,
		"PreApproved": s.auth.preApproved,
	})
}

func renderPage(w http.ResponseWriter, status int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	t.Execute(w, data) //nolint:errcheck // client went away
}

var errorPage = template.Must(template.New("e").Parse(`<!doctype html><html><head><title>Zoom</title></head>
<body><h1>Something went wrong</h1><p id="error">{{.Message}}</p></body></html>`))

var consentPage = template.Must(template.New("c").Parse(`<!doctype html><html><head><title>Authorize app - Zoom (zoomsim)</title></head>
<body><h1>An app would like to access your Zoom account</h1>
{{if not .PreApproved}}<p id="error">This app requires pre-approval by your account admin, which has not been given.</p>{{end}}
<p>Client ID: <code>{{.Req.ClientID}}</code></p>
<p>It will be able to:</p><ul>{{range .Scopes}}<li><code>{{.}}</code></li>{{end}}</ul>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="client_id" value="{{.Req.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="state" value="{{.Req.State}}">
<input type="hidden" name="response_type" value="{{.Req.ResponseType}}">
<input type="hidden" name="code_challenge" value="{{.Req.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Req.Method}}">
<label>Sign in as <select name="user">{{range .Users}}<option value="{{.ID}}"{{if eq .ID $.Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select></label>
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Decline</button>
</form></body></html>`))
