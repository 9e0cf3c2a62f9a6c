package connect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Browser is the signed-in browser a flow belongs to: its session (the
// hash of the session token, as the sessions table keys it) and the
// organization it is viewing. A flow completes only in the browser, and for
// the organization, that started it, so a consent link sent to someone else
// lands nothing in the sender's organization.
type Browser struct {
	Session string
	OrgID   int64
}

// StartAccountOAuth begins an admin's account-level connection (C1) from
// browser b: it records the flow and returns Zoom's consent URL to redirect
// the browser to. The caller has checked that actorAccountID may manage the
// org's Zoom.
func (s *Service) StartAccountOAuth(ctx context.Context, b Browser, actorAccountID int64) (string, error) {
	return s.start(ctx, store.OAuthState{OrgID: b.OrgID, Kind: store.KindAccountOAuth, ActorID: actorAccountID, SessionHash: b.Session})
}

// StartUserOAuth begins a person's own connection (C2) from browser b. The
// caller has checked that actorAccountID is that person (or may act for them).
func (s *Service) StartUserOAuth(ctx context.Context, b Browser, personID, actorAccountID int64) (string, error) {
	p, err := s.st.PersonByID(ctx, b.OrgID, personID)
	if err != nil {
		return "", fmt.Errorf("person %d: %w", personID, err)
	}
	u, err := s.start(ctx, store.OAuthState{OrgID: b.OrgID, Kind: store.KindUserOAuth, PersonID: personID, ActorID: actorAccountID, SessionHash: b.Session})
	if err != nil {
		return "", err
	}
	return withLoginHint(u, p.Email), nil
}

// withLoginHint names who is expected to sign in to Zoom (login_hint, which
// Zoom ignores): the emulator signs in as the Zoom user with that email, as a
// real person would sign in as themself, instead of as the owner.
func withLoginHint(authURL, email string) string {
	u, err := url.Parse(authURL)
	if err != nil || email == "" {
		return authURL
	}
	q := u.Query()
	q.Set("login_hint", email)
	u.RawQuery = q.Encode()
	return u.String()
}

// StartReconnect begins the OAuth flow again for an existing connection (the
// "Reconnect Zoom" action) from browser b; completing it renews that
// connection in place, keeping everything synced through it.
// Server-to-Server connections are renewed by entering credentials again
// (ConnectS2S).
func (s *Service) StartReconnect(ctx context.Context, b Browser, connID, actorAccountID int64) (string, error) {
	c, err := s.st.OrgConnection(ctx, b.OrgID, connID)
	if err != nil {
		return "", err
	}
	if c.Kind == store.KindS2S {
		return "", errors.New("connect: a Server-to-Server connection is renewed by entering its credentials again")
	}
	return s.start(ctx, store.OAuthState{OrgID: b.OrgID, Kind: c.Kind, PersonID: c.PersonID, ActorID: actorAccountID, ReconnectID: c.ID, SessionHash: b.Session})
}

func (s *Service) start(ctx context.Context, st store.OAuthState) (string, error) {
	if st.SessionHash == "" {
		return "", errors.New("connect: a flow must start from a signed-in browser session")
	}
	if s.cfg.ClientID == "" || s.cfg.ClientSecret == "" {
		return "", errors.New("connect: the Zoom app is not configured (ZOOMBRIDGE_ZOOM_CLIENT_ID and ZOOMBRIDGE_ZOOM_CLIENT_SECRET)")
	}
	state := newState()
	verifier := zoom.NewPKCEVerifier()
	st.StateHash = hashState(state)
	enc, err := s.vault.SealString(verifier, verifierAAD(st.StateHash))
	if err != nil {
		return "", err
	}
	now := s.now()
	st.VerifierEnc, st.CreatedAt, st.ExpiresAt = enc, now, now.Add(s.cfg.StateTTL)
	if err := s.st.CreateOAuthState(ctx, st); err != nil {
		return "", err
	}
	return s.deploymentApp().AuthCodeURL(state, zoom.PKCEChallenge(verifier)), nil
}

// newState is 32 random bytes: unguessable, so a forged callback finds no flow.
func newState() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashState is how a state is stored: a leaked table row cannot complete a flow.
func hashState(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

func verifierAAD(stateHash string) string { return "oauth_states.verifier:" + stateHash }

// Complete finishes an OAuth flow from Zoom's redirect in browser b: it
// consumes the state (once), checks that b started the flow, exchanges the
// code with its PKCE verifier, reads the Zoom user and account, and stores
// the connection with its tokens sealed. Failures a person can fix come back
// as *Problem.
func (s *Service) Complete(ctx context.Context, b Browser, state, code string) (store.Connection, error) {
	fl, err := s.takeState(ctx, b, state)
	if err != nil {
		return store.Connection{}, err
	}
	verifier, err := s.vault.OpenString(fl.VerifierEnc, verifierAAD(fl.StateHash))
	if err != nil {
		return store.Connection{}, err
	}
	app := s.deploymentApp()
	tok, err := app.Exchange(ctx, code, verifier)
	if err != nil {
		return store.Connection{}, s.exchangeProblem(err)
	}
	accountLevel := hasAdminScope(tok.Scopes())
	if fl.Kind == store.KindAccountOAuth && !accountLevel {
		s.revokeQuietly(ctx, app, tok.AccessToken)
		return store.Connection{}, NotAccountLevel()
	}
	c := store.Connection{OrgID: fl.OrgID, Kind: fl.Kind, PersonID: fl.PersonID, ClientID: s.cfg.ClientID, Scopes: tok.Scope, CreatedBy: fl.ActorID}
	if err := s.captureProfile(ctx, &c, tok.AccessToken, accountLevel); err != nil {
		s.revokeQuietly(ctx, app, tok.AccessToken)
		return store.Connection{}, err
	}
	saved, err := s.store(ctx, c, fl.ReconnectID, tok, fl.ActorID, nil)
	if err != nil {
		s.revokeQuietly(ctx, app, tok.AccessToken)
		return store.Connection{}, err
	}
	return saved, nil
}

// Denied handles Zoom's redirect with an error instead of a code (the person
// declined, the app is not pre-approved, only admins may install it): the
// flow is consumed and the Problem to show is returned.
func (s *Service) Denied(ctx context.Context, b Browser, state, errCode, description string) error {
	if _, err := s.takeState(ctx, b, state); err != nil {
		return err
	}
	cause := &zoom.OAuthError{Kind: errCode, Reason: description}
	d := strings.ToLower(description)
	switch {
	case strings.Contains(d, "pre-approv") || strings.Contains(d, "approval"):
		return NotPreApproved(s.cfg.ClientID, cause)
	case strings.Contains(d, "admin"):
		return AdminOnly(cause)
	default:
		return AccessDenied(cause)
	}
}

// takeState consumes a flow and checks that browser b started it: the same
// session, still viewing the same organization. A flow arriving elsewhere is
// consumed all the same, so the code it carries is never exchanged.
func (s *Service) takeState(ctx context.Context, b Browser, state string) (store.OAuthState, error) {
	if state == "" {
		return store.OAuthState{}, FlowExpired()
	}
	fl, err := s.st.TakeOAuthState(ctx, hashState(state), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return fl, FlowExpired()
	}
	if err != nil {
		return fl, err
	}
	same := b.Session != "" && subtle.ConstantTimeCompare([]byte(b.Session), []byte(fl.SessionHash)) == 1
	if !same || b.OrgID != fl.OrgID {
		return store.OAuthState{}, OtherBrowser()
	}
	return fl, nil
}

// exchangeProblem explains a failed code exchange.
func (s *Service) exchangeProblem(err error) error {
	var oe *zoom.OAuthError
	switch {
	case zoom.IsTransient(err):
		return ZoomUnavailable(err)
	case errors.As(err, &oe) && strings.Contains(strings.ToLower(oe.Reason), "disabled by admin"):
		return NotPreApproved(s.cfg.ClientID, err)
	case errors.As(err, &oe) && strings.Contains(strings.ToLower(oe.Reason), "expired"):
		p := FlowExpired()
		p.Err = err
		return p
	}
	if oe != nil {
		// Zoom's reason may quote the code itself; keep it out of logs.
		return fmt.Errorf("connect: zoom refused the authorization code (%s, HTTP %d)", oe.Kind, oe.Status)
	}
	return fmt.Errorf("connect: zoom refused the authorization code: %w", err)
}

func hasAdminScope(scopes []string) bool {
	for _, sc := range scopes {
		if strings.HasSuffix(sc, ":admin") {
			return true
		}
	}
	return false
}

// store creates the connection (or renews an existing one: the one being
// reconnected, or the org's connection of the same kind for the same Zoom
// user) and seals its tokens, in one transaction with its audit entry and
// the connected hooks. extra, if set, stores more of the row in the same transaction.
func (s *Service) store(ctx context.Context, c store.Connection, reconnectID int64, tok zoom.Token, actorID int64,
	extra func(tx *store.Store, c store.Connection) error) (store.Connection, error) {
	now := s.now()
	exp := tok.Expiry(now)
	var saved store.Connection
	err := s.st.InTx(ctx, func(tx *store.Store, sqlTx *sql.Tx) error {
		prev, err := s.existing(ctx, tx, c, reconnectID)
		if err != nil {
			return err
		}
		renewed := prev.ID != 0
		if renewed {
			c.ID, c.PersonID = prev.ID, prev.PersonID
			err = tx.UpdateConnectionProfile(ctx, c, now)
		} else {
			c, err = tx.CreateConnection(ctx, c, now)
		}
		if err != nil {
			return err
		}
		if err := s.saveTokens(ctx, tx, c, tok, exp); err != nil {
			return err
		}
		if extra != nil {
			if err := extra(tx, c); err != nil {
				return err
			}
		}
		if saved, err = tx.ConnectionByID(ctx, c.ID); err != nil {
			return err
		}
		action, detail := AuditCreated, c.Kind+" "+c.Email
		if renewed {
			action = AuditRenewed
		}
		if err := tx.Audit(ctx, store.AuditEntry{OrgID: c.OrgID, Actor: actorAccount(actorID), Action: action,
			Target: connTarget(c.ID), Detail: detail, At: now}); err != nil {
			return err
		}
		if err := outbound.Publish(ctx, tx, saved.OrgID, "connection.connected", outbound.Connection(saved), now); err != nil {
			return err
		}
		for _, h := range s.hooks {
			if err := h(ctx, tx, sqlTx, saved, renewed); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return store.Connection{}, err
	}
	s.forget(saved.ID) // a renewed connection's cached token is from the old grant
	s.log.Info("zoom connected", "connection_id", saved.ID, "org_id", saved.OrgID, "kind", saved.Kind, "zoom_account_id", saved.ZoomAccountID)
	return saved, nil
}

// existing finds the connection a new grant renews, if any. A reconnect
// must land on the same Zoom account: connecting another account instead
// would mix two accounts' rows under one connection.
func (s *Service) existing(ctx context.Context, tx *store.Store, c store.Connection, reconnectID int64) (store.Connection, error) {
	if reconnectID != 0 {
		prev, err := tx.OrgConnection(ctx, c.OrgID, reconnectID)
		if err == nil && prev.ZoomAccountID == c.ZoomAccountID && (prev.Kind != store.KindUserOAuth || prev.ZoomUserID == c.ZoomUserID) {
			return prev, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return store.Connection{}, err
		}
	}
	user := c.ZoomUserID
	if c.Kind != store.KindUserOAuth {
		user = "" // one account-level connection per Zoom account, whoever renews it
	}
	prev, err := tx.ConnectionByZoomUser(ctx, c.OrgID, c.Kind, c.ZoomAccountID, user)
	if errors.Is(err, store.ErrNotFound) {
		return store.Connection{}, nil
	}
	return prev, err
}

func (s *Service) revokeQuietly(ctx context.Context, app *zoom.OAuthApp, token string) {
	if err := app.Revoke(context.WithoutCancel(ctx), token); err != nil {
		s.log.Warn("revoking an unused zoom grant failed", "err", err)
	}
}

// Callback handles the query of Zoom's redirect to the callback route in
// browser b: a code to complete, or an error to explain.
func (s *Service) Callback(ctx context.Context, b Browser, q url.Values) (store.Connection, error) {
	if e := q.Get("error"); e != "" {
		return store.Connection{}, s.Denied(ctx, b, q.Get("state"), e, q.Get("error_description"))
	}
	return s.Complete(ctx, b, q.Get("state"), q.Get("code"))
}
