// Package connect holds zoombridge's Zoom connections (features C1–C8): the
// three connect flows, a token source per connection over the vault that
// refreshes exactly once at a time across goroutines and replicas, the job
// that keeps idle connections alive, errors a person can act on, and
// disconnects that revoke at Zoom and purge everything synced.
package connect

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/vault"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Config is what a Service needs. Store, Vault and the Zoom URLs are required.
type Config struct {
	Store *store.Store
	Vault *vault.Vault
	Log   *slog.Logger
	Now   func() time.Time // the clock; tests move it with the emulator's

	OAuthURL string // https://zoom.us or the emulator's URL()
	APIURL   string // https://api.zoom.us/v2 or the emulator's URL()+"/v2"
	// The deployment's OAuth app (account-level and per-person connections).
	ClientID, ClientSecret, RedirectURL string
	// RedirectURLFunc, when set, is asked for the redirect URL instead of
	// RedirectURL each time: a server listening on port 0 learns its
	// address only once it has started.
	RedirectURLFunc func() string

	HTTP *http.Client // for OAuth calls; nil: zoom.NewHTTPClient()
	API  *zoom.Client // for REST calls; nil: a client on APIURL without a limiter

	RefreshAhead time.Duration // refresh this long before expiry; default 5 minutes
	IdleAfter    time.Duration // refresh a connection unused this long; default 7 days
	StateTTL     time.Duration // how long a connect flow may take; default 10 minutes
	RetryBackoff time.Duration // first pause after a transient refresh failure; default 500ms
	Retries      int           // transient refresh failures tried again within one call; default 2
}

// Service is the connections of every organization on this server.
type Service struct {
	cfg   Config
	st    *store.Store
	vault *vault.Vault
	log   *slog.Logger
	now   func() time.Time
	api   *zoom.Client
	hooks []ConnectedHook
}

// ConnectedHook runs inside the transaction that stores a new or renewed
// connection, so work it enqueues (a backfill) commits with it.
type ConnectedHook func(ctx context.Context, tx *store.Store, sqlTx *sql.Tx, c store.Connection, renewed bool) error

// New builds a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Vault == nil {
		return nil, errors.New("connect: Store and Vault are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTP == nil {
		cfg.HTTP = zoom.NewHTTPClient()
	}
	if cfg.API == nil {
		cfg.API = zoom.NewClient(cfg.APIURL, cfg.HTTP, nil)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.RefreshAhead, 5*time.Minute)
	def(&cfg.IdleAfter, 7*24*time.Hour)
	def(&cfg.StateTTL, 10*time.Minute)
	def(&cfg.RetryBackoff, 500*time.Millisecond)
	if cfg.Retries <= 0 {
		cfg.Retries = 2
	}
	return &Service{cfg: cfg, st: cfg.Store, vault: cfg.Vault, log: cfg.Log.With("component", "connect"), now: cfg.Now, api: cfg.API}, nil
}

// OnConnected registers a hook run whenever a connection is created or
// renewed (Reconnect). Register hooks before serving requests.
func (s *Service) OnConnected(h ConnectedHook) { s.hooks = append(s.hooks, h) }

// Conn is the REST client acting for a connection, with its token source.
func (s *Service) Conn(c store.Connection) *zoom.Conn {
	return s.api.For(s.TokenSource(c.ID), c.ZoomAccountID)
}

// deploymentApp is the deployment's OAuth app.
func (s *Service) deploymentApp() *zoom.OAuthApp {
	redirect := s.cfg.RedirectURL
	if s.cfg.RedirectURLFunc != nil {
		redirect = s.cfg.RedirectURLFunc()
	}
	return &zoom.OAuthApp{BaseURL: s.cfg.OAuthURL, ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret,
		RedirectURL: redirect, HTTP: s.cfg.HTTP}
}

// appFor is the OAuth app that issued a connection's tokens: an
// organization's own Server-to-Server app, or the deployment's app.
func (s *Service) appFor(c store.Connection) (*zoom.OAuthApp, error) {
	if c.Kind != store.KindS2S {
		return s.deploymentApp(), nil
	}
	secret, err := s.vault.OpenString(c.ClientSecretEnc, aad(colClientSecret, c.ID))
	if err != nil {
		return nil, err
	}
	return &zoom.OAuthApp{BaseURL: s.cfg.OAuthURL, ClientID: c.ClientID, ClientSecret: secret, HTTP: s.cfg.HTTP}, nil
}

// The sealed columns of zoom_connections; each ciphertext is bound to its
// column and row, e.g. "zoom_connections.access_token:42".
const (
	colAccessToken   = "access_token"
	colRefreshToken  = "refresh_token"
	colClientSecret  = "client_secret"
	colWebhookSecret = "webhook_secret"
)

func aad(col string, id int64) string {
	return vault.AAD("zoom_connections", col, strconv.FormatInt(id, 10))
}

// WebhookSecret opens a Server-to-Server connection's webhook secret token
// (for verifying that app's events); "" when none was entered.
func (s *Service) WebhookSecret(c store.Connection) (string, error) {
	return s.vault.OpenString(c.WebhookSecretEnc, aad(colWebhookSecret, c.ID))
}

// Audit actions written by this package.
const (
	AuditCreated        = "connection.created"
	AuditRenewed        = "connection.renewed"
	AuditNeedsReconnect = "connection.needs_reconnect"
	AuditDisconnected   = "connection.disconnected"
	AuditDeauthorized   = "connection.deauthorized"
)

func actorAccount(id int64) string {
	if id == 0 {
		return "system"
	}
	return "account:" + strconv.FormatInt(id, 10)
}

func connTarget(id int64) string { return "connection:" + strconv.FormatInt(id, 10) }
