package outbound

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/vault"
)

// Config builds a Service.
type Config struct {
	Store *store.Store
	Vault *vault.Vault
	Log   *slog.Logger
	Now   func() time.Time // the clock deliveries are scheduled by
	// Wall is the clock webhook-timestamp is signed with (receivers compare
	// it with theirs); time.Now when nil.
	Wall  func() time.Time
	Guard *Guard // the SSRF guard; refuses every internal address when nil
	// Jitter spreads a retry delay; ±10% at random when nil.
	Jitter func(time.Duration) time.Duration
	// Retention is how long finished deliveries and old events are kept
	// (Prune); DefaultRetention when zero.
	Retention time.Duration
	// PruneBatch is the most rows of each table one pruning statement
	// deletes; DefaultPruneBatch when zero.
	PruneBatch int
}

// Service manages endpoints and delivers events.
type Service struct {
	st     *store.Store
	vault  *vault.Vault
	log    *slog.Logger
	now    func() time.Time
	wall   func() time.Time
	guard  *Guard
	client *http.Client
	jitter func(time.Duration) time.Duration

	retention  time.Duration
	pruneBatch int
}

// New builds the service.
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Wall == nil {
		cfg.Wall = time.Now
	}
	if cfg.Guard == nil {
		cfg.Guard = &Guard{}
	}
	if cfg.Jitter == nil {
		cfg.Jitter = func(d time.Duration) time.Duration { return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d)) }
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.PruneBatch <= 0 {
		cfg.PruneBatch = DefaultPruneBatch
	}
	return &Service{st: cfg.Store, vault: cfg.Vault, log: cfg.Log.With("component", "outbound"), now: cfg.Now, wall: cfg.Wall,
		guard: cfg.Guard, client: cfg.Guard.Client(), jitter: cfg.Jitter, retention: cfg.Retention, pruneBatch: cfg.PruneBatch}
}

// Use has events published on this service's database enqueue their
// deliveries on q; the returned func undoes it (at shutdown).
func (s *Service) Use(q Enqueuer) func() { return register(s.st, q) }

// sealAAD binds a sealed secret to its endpoint's row.
func sealAAD(endpointID int64) string {
	return vault.AAD("outbound_endpoints", "secret_enc", strconv.FormatInt(endpointID, 10))
}

// secrets are the keys that sign for an endpoint now: the current one,
// and during a rotation's overlap the previous one.
func (s *Service) secrets(ep store.OutboundEndpoint, now time.Time) ([]string, error) {
	cur, err := s.vault.OpenString(ep.SecretEnc, sealAAD(ep.ID))
	if err != nil {
		return nil, err
	}
	out := []string{cur}
	if len(ep.PrevSecretEnc) > 0 && now.Before(ep.PrevSecretUntil) {
		prev, err := s.vault.OpenString(ep.PrevSecretEnc, sealAAD(ep.ID))
		if err != nil {
			return nil, err
		}
		out = append(out, prev)
	}
	return out, nil
}

func (s *Service) audit(ctx context.Context, st *store.Store, orgID int64, actor, action string, ep store.OutboundEndpoint, detail string) error {
	return st.Audit(ctx, store.AuditEntry{OrgID: orgID, Actor: actor, Action: action,
		Target: "webhook_endpoint:" + strconv.FormatInt(ep.ID, 10), Detail: detail, At: s.now()})
}

// In is the service working in st: a caller that holds a transaction
// (an API write) passes it, so the change commits with the caller's.
func (s *Service) In(st *store.Store) *Service {
	c := *s
	c.st = st
	return &c
}

// Store is the store the service works in.
func (s *Service) Store() *store.Store { return s.st }
