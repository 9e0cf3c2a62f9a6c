package webhook

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// DeploymentApp resolves deliveries of the deployment's own Zoom app. With
// no secret configured every delivery is refused (fail closed).
func DeploymentApp(secret string) AppResolver {
	app := App{Name: "deployment", Secrets: [][]byte{[]byte(secret)}}
	return func(*http.Request) (App, error) {
		if secret == "" {
			return App{}, ErrNoSecret
		}
		return app, nil
	}
}

// OrgPath is where an organization's Server-to-Server app sends its events;
// admins paste it into the app's event subscription.
func OrgPath(orgSlug string) string { return "/webhooks/zoom/org/" + orgSlug }

// Opener decrypts secrets stored sealed (the vault).
type Opener interface {
	Open(ciphertext []byte, aad string) ([]byte, error)
}

// WebhookSecretAAD binds a connection's sealed webhook secret to its row.
func WebhookSecretAAD(connID int64) string {
	return "zoom_connections.webhook_secret:" + strconv.FormatInt(connID, 10)
}

// OrgApps resolves deliveries to /webhooks/zoom/org/{org}: the secrets are
// those of the organization's S2S connections, opened from the vault and
// cached briefly so a burst of events costs one lookup.
func OrgApps(st *store.Store, vault Opener) AppResolver {
	c := &orgCache{st: st, vault: vault, entries: map[string]orgEntry{}}
	return func(r *http.Request) (App, error) { return c.app(r.Context(), r.PathValue("org")) }
}

type orgEntry struct {
	app     App
	err     error
	expires time.Time
}

type orgCache struct {
	st      *store.Store
	vault   Opener
	mu      sync.Mutex
	entries map[string]orgEntry
}

// orgCacheTTL bounds how long a rotated or removed secret keeps working.
const orgCacheTTL = 30 * time.Second

func (c *orgCache) app(ctx context.Context, slug string) (App, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[slug]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.app, e.err
	}
	app, err := c.load(ctx, slug)
	if err != nil && !errors.Is(err, ErrUnknownApp) && !errors.Is(err, ErrNoSecret) {
		return App{}, err // a database error is not cached
	}
	c.mu.Lock()
	if len(c.entries) > 10000 {
		c.entries = map[string]orgEntry{}
	}
	c.entries[slug] = orgEntry{app: app, err: err, expires: now.Add(orgCacheTTL)}
	c.mu.Unlock()
	return app, err
}

func (c *orgCache) load(ctx context.Context, slug string) (App, error) {
	if slug == "" || len(slug) > 200 {
		return App{}, ErrUnknownApp
	}
	org, err := c.st.OrganizationBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return App{}, ErrUnknownApp
	}
	if err != nil {
		return App{}, err
	}
	conns, err := c.st.Connections(ctx, org.ID)
	if err != nil {
		return App{}, err
	}
	app := App{Name: "org:" + strconv.FormatInt(org.ID, 10), OrgID: org.ID}
	s2s := false
	for _, conn := range conns {
		if conn.Kind != store.KindS2S {
			continue
		}
		s2s = true
		if len(conn.WebhookSecretEnc) == 0 || c.vault == nil {
			continue
		}
		secret, err := c.vault.Open(conn.WebhookSecretEnc, WebhookSecretAAD(conn.ID))
		if err != nil {
			return App{}, err
		}
		if len(secret) > 0 {
			app.Secrets = append(app.Secrets, secret)
		}
	}
	switch {
	case !s2s:
		return App{}, ErrUnknownApp
	case len(app.Secrets) == 0:
		return App{}, ErrNoSecret
	}
	return app, nil
}
