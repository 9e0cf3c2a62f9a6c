package zoomsim

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Grant kinds: which app and how it was installed.
const (
	kindUser    = "user"    // OAuth app, user-managed: acts only as its user, must say "me"
	kindAccount = "account" // OAuth app, admin-managed: :admin scopes over the account
	kindS2S     = "s2s"     // Server-to-Server app: :admin scopes, no user
	kindClient  = "client"  // client_credentials: the app itself, no account data
)

// authState holds OAuth apps' settings, codes, grants and tokens.
type authState struct {
	opts        *Options
	key         []byte // signs tokens and page tokens; derived from the seed
	ttl         time.Duration
	preApproved bool
	level       string              // OAuth app install level: auto, user, account
	scopes      map[string][]string // granted scopes per grant kind
	codes       map[string]*authCode
	grants      []*grant
	access      map[string]*accessToken
	refresh     map[string]*grant
	downloads   map[string]time.Time // download tokens and their expiry
}

type authCode struct {
	code, userID, redirectURI string
	challenge, method         string
	kind                      string
	expires                   time.Time
	used                      bool
}

// grant is one installation (or S2S/client credential session) with the
// refresh token currently valid for it.
type grant struct {
	id             string
	kind           string
	clientID       string
	userID         string
	scopes         []string
	created        time.Time
	revoked        bool
	currentRefresh string
	refreshIssued  time.Time // when currentRefresh was issued (Options.RefreshIdle)
}

type accessToken struct {
	g       *grant
	expires time.Time
}

func newAuthState(o *Options) *authState {
	k := sha256.Sum256([]byte("zoomsim-key:" + o.ClientSecret + ":" + strconv.FormatInt(o.Seed, 10)))
	return &authState{
		opts: o, key: k[:], ttl: o.TokenTTL, preApproved: !o.NotPreApproved, level: o.AppLevel,
		scopes: defaultScopes(), codes: map[string]*authCode{},
		access: map[string]*accessToken{}, refresh: map[string]*grant{}, downloads: map[string]time.Time{},
	}
}

// userScopes are the granular scopes of the REST operations the emulator
// serves; account-level grants hold the ":admin" form of each.
var userScopes = []string{
	"user:read:user", "user:read:email", "user:update:user",
	"meeting:read:list_meetings", "meeting:read:list_upcoming_meetings", "meeting:read:meeting", "meeting:write:meeting",
	"meeting:update:meeting", "meeting:delete:meeting",
	"meeting:read:past_meeting", "meeting:read:list_past_instances", "meeting:read:list_past_participants",
	"meeting:read:summary",
	"webinar:read:list_webinars", "webinar:read:webinar", "webinar:read:list_past_instances",
	"cloud_recording:read:list_user_recordings", "cloud_recording:read:list_recording_files",
	"phone:read:list_call_logs",
	// the chat bot's (extras.go)
	"phone:read:list_voicemails", "phone:read:voicemail", "phone:read:list_sms_sessions",
	"whiteboard:read:list_whiteboards", "whiteboard:read:whiteboard",
}

func defaultScopes() map[string][]string {
	var admin []string
	for _, s := range userScopes {
		admin = append(admin, s+":admin")
	}
	admin = append(admin, "user:read:list_users:admin", "user:write:user:admin", "user:update:status:admin",
		"user:delete:user:admin", "report:read:user:admin", "report:read:webinar:admin", "phone:read:list_users:admin")
	return map[string][]string{
		kindUser:    append([]string(nil), userScopes...),
		kindAccount: admin,
		kindS2S:     append([]string(nil), admin...),
		kindClient:  {"marketplace:read:list_event_subscriptions", "marketplace:write:event_subscription"},
	}
}

// mint returns a JWT-shaped token (header.payload.signature, base64url) like
// Zoom's; the emulator looks tokens up rather than trusting the signature.
func (a *authState) mint(g *grant, typ int, now, exp time.Time) string {
	nonce := make([]byte, 12)
	rand.Read(nonce) //nolint:errcheck // never fails
	header := `{"alg":"HS512","v":"2.0","kid":"` + hex.EncodeToString(nonce[:8]) + `"}`
	payload := compactJSON(map[string]any{
		"ver": 9, "auid": hex.EncodeToString(nonce), "code": g.id, "iss": "zm:cid:" + g.clientID,
		"gno": 0, "type": typ, "tid": len(a.access) + len(a.refresh), "aud": "https://oauth.zoom.us",
		"uid": g.userID, "nbf": now.Unix(), "exp": exp.Unix(), "iat": now.Unix(), "aid": a.opts.AccountID,
	})
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString(payload)
	m := hmac.New(sha512.New, a.key)
	m.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(m.Sum(nil))
}

// issue creates an access token (and a rotated refresh token for OAuth grants).
func (a *authState) issue(g *grant, now time.Time) tokenResponse {
	exp := now.Add(a.ttl)
	at := a.mint(g, 0, now, exp)
	a.access[at] = &accessToken{g: g, expires: exp}
	resp := tokenResponse{
		AccessToken: at, TokenType: "bearer", ExpiresIn: int(a.ttl/time.Second) - 1,
		Scope: strings.Join(g.scopes, " "), APIURL: "https://api.zoom.us",
	}
	if resp.ExpiresIn < 1 {
		resp.ExpiresIn = 1
	}
	if g.kind == kindUser || g.kind == kindAccount {
		rt := a.mint(g, 1, now, now.Add(15*365*24*time.Hour))
		if g.currentRefresh != "" {
			a.refresh[g.currentRefresh] = g // stays known so reuse is told apart from garbage
		}
		g.currentRefresh, g.refreshIssued = rt, now
		a.refresh[rt] = g
		resp.RefreshToken = rt
	}
	return resp
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
	APIURL       string `json:"api_url"`
}

func (a *authState) newGrant(kind, clientID, userID string, now time.Time) *grant {
	g := &grant{
		id: randomID(), kind: kind, clientID: clientID, userID: userID,
		scopes: append([]string(nil), a.scopes[kind]...), created: now,
	}
	a.grants = append(a.grants, g)
	return g
}

// supersede revokes older installations of the OAuth app by the same user:
// Zoom keeps only the latest authorization valid (error 4741).
func (a *authState) supersede(g *grant) {
	for _, old := range a.grants {
		if old != g && old.clientID == g.clientID && old.userID == g.userID && old.kind == g.kind && !old.revoked {
			old.currentRefresh = ""
		}
	}
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b) //nolint:errcheck // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
