package connect

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Problem is an error a person can act on (features C3, C4, C6). The web UI
// renders it as a banner or an error page:
//
//   - Title: one short line ("Zoom admin approval needed").
//   - Message: what happened and what to do, in plain words; safe to show
//     (it never holds a token, a secret or Zoom's raw answer body).
//   - Action: what the banner's button does: ActionReconnect (start the
//     connection's OAuth flow again, StartReconnect), ActionAskAdmin (nothing to
//     click here: the message says what to ask the Zoom admin), ActionRetry
//     (connect again from the start) or "" (information only).
//   - Feature and Scopes: for a missing scope, the feature that needs it and
//     the scopes to grant.
//
// Every connect function returns a *Problem for failures a person can fix;
// errors.As(err, &p) finds it. Code is stable for programs (API responses,
// tests); the words may change.
type Problem struct {
	Code    string
	Title   string
	Message string
	Action  string
	Feature string
	Scopes  []string
	Err     error // the underlying error, for logs; never shown
}

// Problem codes.
const (
	CodeNotPreApproved  = "not_pre_approved"
	CodeAdminOnly       = "admin_only"
	CodeNotAccountLevel = "not_account_level"
	CodeAccessDenied    = "access_denied"
	CodeFlowExpired     = "flow_expired"
	CodeOtherBrowser    = "other_browser"
	CodeMissingScope    = "missing_scope"
	CodePlanRequired    = "plan_required"
	CodeNeedsReconnect  = "needs_reconnect"
	CodeBadCredentials  = "bad_credentials"
	CodeZoomUnavailable = "zoom_unavailable"
)

// Actions a Problem's banner offers.
const (
	ActionReconnect = "reconnect"
	ActionAskAdmin  = "ask_admin"
	ActionRetry     = "retry"
)

// AppName is how zoombridge's Zoom app is named in messages.
const AppName = "zoombridge"

func (p *Problem) Error() string {
	if p.Err != nil {
		return p.Code + ": " + p.Message + " (" + p.Err.Error() + ")"
	}
	return p.Code + ": " + p.Message
}

func (p *Problem) Unwrap() error { return p.Err }

// AsProblem finds the Problem in err's chain.
func AsProblem(err error) (*Problem, bool) {
	var p *Problem
	ok := errors.As(err, &p)
	return p, ok
}

// NotPreApproved is C4: the person's Zoom account lets only admin-approved
// apps in, and this one is not approved. clientID helps the admin find it.
func NotPreApproved(clientID string, err error) *Problem {
	return &Problem{
		Code:  CodeNotPreApproved,
		Title: "Zoom admin approval needed",
		Message: fmt.Sprintf("Your Zoom account only allows apps that a Zoom admin has approved, and %s is not approved yet. "+
			"Ask your Zoom account admin to pre-approve the %s app (client ID %s) in the Zoom App Marketplace, "+
			"for you or for everyone in the account. Once it is approved, connect Zoom again.", AppName, AppName, clientID),
		Action: ActionAskAdmin,
		Err:    err,
	}
}

// AdminOnly: the Zoom app is installed account-wide and this Zoom user is not an admin.
func AdminOnly(err error) *Problem {
	return &Problem{
		Code:  CodeAdminOnly,
		Title: "Only a Zoom admin can connect this",
		Message: "Zoom lets only an account admin install this app for the whole account. " +
			"Ask your Zoom admin to connect the Zoom account in " + AppName + ", or sign in to Zoom as an admin and connect again.",
		Action: ActionAskAdmin,
		Err:    err,
	}
}

// NotAccountLevel: an admin asked to connect the whole account, but Zoom
// authorized the app for the signed-in Zoom user only.
func NotAccountLevel() *Problem {
	return &Problem{
		Code:  CodeNotAccountLevel,
		Title: "Zoom connected only one user, not the account",
		Message: "Zoom authorized " + AppName + " for your own Zoom user only, not for the whole account, so nothing was connected. " +
			"Sign in to Zoom as an account admin and connect again, or ask a person to connect their own Zoom from their profile instead.",
		Action: ActionRetry,
	}
}

// AccessDenied: the person declined on Zoom's consent page.
func AccessDenied(err error) *Problem {
	return &Problem{
		Code:    CodeAccessDenied,
		Title:   "Zoom was not connected",
		Message: "You declined " + AppName + "'s request in Zoom, so nothing was connected. To connect, start again and choose Allow.",
		Action:  ActionRetry,
		Err:     err,
	}
}

// FlowExpired: the callback's state is unknown, used or too old.
func FlowExpired() *Problem {
	return &Problem{
		Code:    CodeFlowExpired,
		Title:   "This Zoom sign-in has expired",
		Message: "This Zoom sign-in link has expired or was already used. Start connecting Zoom again.",
		Action:  ActionRetry,
	}
}

// OtherBrowser: Zoom's redirect arrived in a browser (or organization) other
// than the one that started connecting, as when a consent link is sent to
// someone else. Nothing is connected.
func OtherBrowser() *Problem {
	return &Problem{
		Code:    CodeOtherBrowser,
		Title:   "This Zoom sign-in started elsewhere",
		Message: "This Zoom sign-in was started from another browser or organization, so nothing was connected. Sign in to zoombridge here and connect Zoom from its Zoom page.",
		Action:  ActionRetry,
	}
}

// BadCredentials: Zoom refused a Server-to-Server app's account ID, client ID or secret.
func BadCredentials(err error) *Problem {
	return &Problem{
		Code:  CodeBadCredentials,
		Title: "Zoom did not accept these credentials",
		Message: "Zoom did not accept the account ID, client ID and client secret. Copy them again from your " +
			"Server-to-Server OAuth app's App Credentials page in the Zoom App Marketplace, and make sure the app is activated.",
		Action: ActionRetry,
		Err:    err,
	}
}

// ZoomUnavailable: Zoom could not be reached or answered with a server error.
func ZoomUnavailable(err error) *Problem {
	return &Problem{
		Code:    CodeZoomUnavailable,
		Title:   "Zoom is not answering",
		Message: "Zoom could not be reached just now. Nothing was changed; try again in a few minutes.",
		Action:  ActionRetry,
		Err:     err,
	}
}

// PlanRequired is C6: a feature needs a paid Zoom plan and the Zoom user
// (who, an email; "" when unknown) is on Basic. Plans are per Zoom user: a
// Business account can hold Basic users, so the words name the user, not the account.
func PlanRequired(feature, who string) *Problem {
	user := "this Zoom user"
	if who != "" {
		user = "the Zoom user " + who
	}
	return &Problem{
		Code:  CodePlanRequired,
		Title: "Pro+ required",
		Message: fmt.Sprintf("Pro+ required: %s need a paid Zoom plan (Pro or above), and %s is on the free Basic plan. "+
			"Upgrade that user's plan to use them; everything else keeps working.", feature, user),
		Feature: feature,
	}
}

// NeedsReconnect is a connection whose grant is gone, with the reason Zoom
// gave in words a person understands. errors.Is(p, zoom.ErrNeedsReconnect) holds.
func NeedsReconnect(reason string) *Problem {
	return &Problem{
		Code:    CodeNeedsReconnect,
		Title:   "Reconnect Zoom",
		Message: reason,
		Action:  ActionReconnect,
		Err:     zoom.ErrNeedsReconnect,
	}
}

// reconnectReason explains, for the connection's status, why Zoom refused to
// renew its access.
func reconnectReason(kind string, err error) string {
	var oe *zoom.OAuthError
	errors.As(err, &oe)
	reason := ""
	if oe != nil {
		reason = strings.ToLower(oe.Reason + " " + oe.Description)
	}
	switch {
	case strings.Contains(reason, "disabled by admin") || strings.Contains(reason, "pre-approv"):
		return "Your Zoom admin has turned " + AppName + " off for this account. Ask them to approve the app again in the Zoom App Marketplace, then reconnect Zoom."
	case strings.Contains(reason, "does not exist"):
		return "The Zoom user who connected this no longer exists in Zoom. Reconnect Zoom as another user."
	case oe != nil && oe.Kind == "invalid_client" && kind == store.KindS2S:
		return "Zoom no longer accepts this Server-to-Server app's client ID or secret (they were changed, or the app was deactivated). Enter the current credentials to reconnect."
	case oe != nil && oe.Kind == "invalid_client":
		return "Zoom no longer accepts " + AppName + "'s app credentials. The server's administrator must update ZOOMBRIDGE_ZOOM_CLIENT_ID and ZOOMBRIDGE_ZOOM_CLIENT_SECRET; then reconnect Zoom."
	case kind == store.KindS2S:
		return "Zoom refused a token for this Server-to-Server app (" + safeReason(oe) + "). Check the account ID and credentials, then reconnect."
	default:
		return "Zoom no longer accepts this connection: it was revoked, the app was removed from Zoom, or it was authorized again somewhere else. Reconnect Zoom to resume."
	}
}

// safeReason is Zoom's own short reason, trimmed, for messages.
func safeReason(oe *zoom.OAuthError) string {
	if oe == nil {
		return "no reason given"
	}
	r := strings.TrimSpace(oe.Reason)
	if r == "" {
		r = oe.Kind
	}
	if len(r) > 120 {
		r = r[:120]
	}
	return r
}

// FeatureScope is what one feature needs from Zoom: each requirement is met
// by its granular scope (user-level or the ":admin" form) or one of the
// classic scopes (either form).
type FeatureScope struct {
	Feature      string // as the UI names it
	Requirements []ScopeRequirement
}

// ScopeRequirement is one permission with its accepted spellings.
type ScopeRequirement struct {
	Granular     string   // user-level form, e.g. "meeting:read:list_meetings"
	Classic      []string // e.g. "meeting:read"
	AccountLevel bool     // needed only by account-level connections (list users)
}

// FeatureScopes lists which feature needs which Zoom scope (feature C3).
var FeatureScopes = []FeatureScope{
	{"Zoom users", []ScopeRequirement{
		{Granular: "user:read:user", Classic: []string{"user:read", "user:write", "user_info:read"}},
		{Granular: "user:read:list_users:admin", Classic: []string{"user:read:admin", "user:write:admin"}, AccountLevel: true},
	}},
	{"Meetings", []ScopeRequirement{
		{Granular: "meeting:read:list_meetings", Classic: []string{"meeting:read"}},
		{Granular: "meeting:read:past_meeting", Classic: []string{"meeting:read"}},
	}},
	{"Webinars", []ScopeRequirement{
		{Granular: "webinar:read:list_webinars", Classic: []string{"webinar:read"}},
		{Granular: "webinar:read:list_past_instances", Classic: []string{"webinar:read"}},
	}},
	{"Phone calls", []ScopeRequirement{
		{Granular: "phone:read:list_call_logs", Classic: []string{"phone:read", "phone_call_log:read"}},
	}},
	{"Cloud recordings", []ScopeRequirement{
		{Granular: "cloud_recording:read:list_user_recordings", Classic: []string{"recording:read"}},
		{Granular: "cloud_recording:read:list_recording_files", Classic: []string{"recording:read"}},
	}},
	{"AI Companion summaries", []ScopeRequirement{
		{Granular: "meeting:read:summary", Classic: []string{"meeting_summary:read"}},
	}},
	{"Scheduling meetings", []ScopeRequirement{
		{Granular: "meeting:write:meeting", Classic: []string{"meeting:write"}},
	}},
}

// met reports whether granted holds the requirement in any spelling.
func (r ScopeRequirement) met(granted []string) bool {
	has := func(s string) bool { return slices.Contains(granted, s) }
	base := strings.TrimSuffix(r.Granular, ":admin")
	if has(r.Granular) || has(base) || has(base+":admin") {
		return true
	}
	for _, c := range r.Classic {
		if has(c) || has(c+":admin") {
			return true
		}
	}
	return false
}

// scopeFor is the spelling a connection of this kind must be granted.
func (r ScopeRequirement) scopeFor(accountLevel bool) string {
	if accountLevel && !strings.HasSuffix(r.Granular, ":admin") {
		return r.Granular + ":admin"
	}
	return r.Granular
}

// MissingScope is C3: a feature cannot work because Zoom did not grant a scope.
func MissingScope(feature string, scopes ...string) *Problem {
	return &Problem{
		Code:  CodeMissingScope,
		Title: "Reconnect Zoom to turn on " + feature,
		Message: fmt.Sprintf("%s needs the Zoom permission %s, which Zoom did not grant. Reconnect Zoom and allow every permission it asks for. "+
			"If it is still missing, the Zoom app's admin must first add the scope to the app in the Zoom App Marketplace.", feature, strings.Join(scopes, ", ")),
		Action:  ActionReconnect,
		Feature: feature,
		Scopes:  scopes,
	}
}

// MissingScopes compares a connection's granted scopes with what each
// feature needs and returns one Problem per feature that cannot work.
func MissingScopes(c store.Connection) []*Problem {
	granted := strings.Fields(c.Scopes)
	accountLevel := c.Kind != store.KindUserOAuth
	var out []*Problem
	for _, f := range FeatureScopes {
		var missing []string
		for _, r := range f.Requirements {
			if r.AccountLevel && !accountLevel {
				continue
			}
			if !r.met(granted) {
				missing = append(missing, r.scopeFor(accountLevel))
			}
		}
		if len(missing) > 0 {
			out = append(out, MissingScope(f.Feature, missing...))
		}
	}
	return out
}

var scopesInMessage = regexp.MustCompile(`does not contain scopes:\s*\[([^\]]*)\]`)

// ScopeProblem turns Zoom's 4711 answer ("Invalid access token, does not
// contain scopes:[...]") into a MissingScope naming the feature that needs
// it. ok is false for any other error.
func ScopeProblem(err error) (p *Problem, ok bool) {
	var ae *zoom.APIError
	if !errors.As(err, &ae) {
		return nil, false
	}
	m := scopesInMessage.FindStringSubmatch(ae.Message)
	if m == nil {
		return nil, false
	}
	var scopes []string
	for _, s := range strings.Split(m[1], ",") {
		if s = strings.TrimSpace(s); s != "" {
			scopes = append(scopes, s)
		}
	}
	feature := "This feature"
	for _, f := range FeatureScopes {
		for _, r := range f.Requirements {
			for _, s := range scopes {
				if strings.TrimSuffix(s, ":admin") == strings.TrimSuffix(r.Granular, ":admin") {
					feature = f.Feature
				}
			}
		}
	}
	p = MissingScope(feature, scopes...)
	p.Err = err
	return p, true
}

// PlanFeatures are the features Zoom offers only on paid plans.
const PlanFeatures = "Cloud recordings, transcripts and AI summaries"

// Banners lists what a connection's page should tell people: needs
// reconnect, missing scopes, and Basic plan limits.
func Banners(c store.Connection) []*Problem {
	var out []*Problem
	if c.Status == store.StatusNeedsReconnect {
		reason := c.StatusReason
		if reason == "" {
			reason = reconnectReason(c.Kind, nil)
		}
		out = append(out, NeedsReconnect(reason))
	}
	out = append(out, MissingScopes(c)...)
	if c.PlanType == PlanBasic {
		out = append(out, PlanRequired(PlanFeatures, c.Email))
	}
	return out
}

// PlanBasic is Zoom's user type 1: the free Basic plan.
const PlanBasic = 1

// CodeOf is the problem code of err, for a page to explain it in words: the
// Problem's own code, needs_reconnect for a grant Zoom refused, missing_scope
// for Zoom's 4711 answer, zoom_unavailable when Zoom could not be reached or
// failed on its side; "" for anything else.
func CodeOf(err error) string {
	var ae *zoom.APIError
	var ne net.Error
	if p, ok := AsProblem(err); ok {
		return p.Code
	}
	if errors.Is(err, zoom.ErrNeedsReconnect) {
		return CodeNeedsReconnect
	}
	if _, ok := ScopeProblem(err); ok {
		return CodeMissingScope
	}
	if errors.As(err, &ae) && ae.Status >= 500 || errors.As(err, &ne) {
		return CodeZoomUnavailable
	}
	return ""
}
