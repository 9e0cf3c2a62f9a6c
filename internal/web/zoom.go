package web

import (
	"context"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Zoom is what the integration page asks of internal/connect and
// internal/syncer. Each is a function so that wire_web.go adapts whatever
// those packages export and this package never reimplements them; a nil one
// shows its button as unavailable instead of pretending.
type Zoom struct {
	// Authorize starts an OAuth flow for the organization: kind is
	// store.KindAccountOAuth or store.KindUserOAuth, personID who connects,
	// accountID who asked (for the audit log), session the browser session
	// asking (its token's hash: only that browser can complete the flow). It
	// returns where to send the browser.
	Authorize func(ctx context.Context, orgID, personID, accountID int64, kind, session string) (string, error)
	// Reconnect starts the OAuth flow again for an existing connection from
	// a browser session and returns where to send the browser.
	Reconnect func(ctx context.Context, orgID, connID, accountID int64, session string) (string, error)
	// ConnectS2S connects a Server-to-Server app by its account credentials.
	ConnectS2S func(ctx context.Context, in S2SInput) (store.Connection, error)
	// Disconnect revokes at Zoom, then purges the connection and what came
	// through it; the account that asked is recorded in the audit log.
	Disconnect func(ctx context.Context, orgID, connID, accountID int64) error
	// SyncNow queues the on-demand 30-day sweep of a connection.
	SyncNow func(ctx context.Context, orgID, connID, accountID int64) error
	// Status is a connection's sync status (D4).
	Status func(ctx context.Context, c store.Connection) (SyncStatus, error)
	// Notices are the person-facing messages about a connection (needs
	// reconnect, missing scopes, Pro+ required, app not approved).
	Notices func(c store.Connection) []Notice
	// Explain turns an error of the functions above into words a person can
	// act on (app not approved, bad credentials, ...); ok is false for
	// errors it does not know, which are logged and shown generically.
	Explain func(err error) (n Notice, ok bool)
	// Users lists the organization's Zoom users, mapped and unmapped with
	// the reason (P2).
	Users func(ctx context.Context, orgID int64) (UsersListing, error)
}

// S2SInput is what an admin types to connect a Server-to-Server app.
type S2SInput struct {
	OrgID, PersonID, ActorAccountID                      int64
	ZoomAccountID, ClientID, ClientSecret, WebhookSecret string
}

// SyncStatus is what the Overview shows about a connection's passes.
type SyncStatus struct {
	LastSuccess  time.Time
	NextRun      time.Time
	Running      bool
	RunningKind  string // backfill, incremental or sweep, while Running
	NeverSynced  bool
	LastError    string      // Zoom's or the system's own text: for Admins, under the words
	LastWords    string      // why, in words, from the recorded problem code
	RecentErrors int         // per-record errors in the last 24 hours
	Counts       []KindCount // records stored, by kind
	APICalls     int64
	RateLimited  int64
	Every        time.Duration // the incremental cadence
}

// CodeMissingScope is the code of a missing-permission problem (the same
// as internal/connect's CodeMissingScope; internal/server tests they agree).
const CodeMissingScope = "missing_scope"

// KindCount is a number of records of one kind.
type KindCount struct {
	Kind  string
	Count int
}

// Notice is a banner: Level "error", "warn" or "info"; Code the problem's
// stable code (internal/connect's Problem.Code); Action names the button
// that fixes it ("reconnect", "upgrade", "ask_admin"), if any; Feature the
// feature the problem stops, if it is about one.
//
// Banners coded CodeMissingScope are folded into one that names every feature.
type Notice struct {
	Level   string
	Code    string
	Title   string
	Text    string
	Action  string
	Feature string
	Scopes  []string // a missing scope's banner: the scopes to grant
}

// UsersListing is the Users tab: who is mapped, who is not and why.
type UsersListing struct {
	Mapped   []MappedUser
	Unmapped []UnmappedUser
	Unlinked []UnlinkedPerson // people of the directory with no Zoom user
}

// UnlinkedPerson is a person no active Zoom user maps to, and why.
type UnlinkedPerson struct {
	Person store.Person
	Reason string
}

// MappedUser is a Zoom user matched to a person by email.
type MappedUser struct {
	User   store.ZoomUser
	Person store.Person
}

// UnmappedUser is a Zoom user with no person, and why.
type UnmappedUser struct {
	User   store.ZoomUser
	Reason string
}

// withDefaults fills what the wiring left unset with what the store alone can
// tell, so the pages stay truthful before the other packages are wired.
func (z Zoom) withDefaults(st *store.Store, now func() time.Time) Zoom {
	if z.Notices == nil {
		z.Notices = basicNotices
	}
	if z.Users == nil {
		z.Users = func(ctx context.Context, orgID int64) (UsersListing, error) { return usersFromStore(ctx, st, orgID) }
	}
	if z.Status == nil {
		z.Status = func(ctx context.Context, c store.Connection) (SyncStatus, error) {
			return statusFromStore(ctx, st, c, now())
		}
	}
	return z
}
