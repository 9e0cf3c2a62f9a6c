package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// An API key reads zb_<prefix>_<secret>. The prefix is public (it finds the
// row and shows in the UI); the secret is 256 random bits, of which only a
// SHA-256 is stored: a key that strong needs no slow hash.
const (
	keyScheme    = "zb_"
	prefixBytes  = 8  // 13 base32 characters
	secretBytes  = 32 // 52 base32 characters
	maxKeyName   = 100
	touchEvery   = time.Minute
	hashDomain   = "zoombridge api key v1"
	prefixLength = (prefixBytes*8 + 4) / 5
	secretLength = (secretBytes*8 + 4) / 5
)

var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// hashSecret binds the secret to its prefix, so a stored hash is useless for
// any other row.
func hashSecret(prefix, secret string) string {
	sum := sha256.Sum256([]byte(hashDomain + "\x00" + prefix + "\x00" + secret))
	return hex.EncodeToString(sum[:])
}

// parseKey splits a presented key; ok is false when it cannot be one of ours.
func parseKey(key string) (prefix, secret string, ok bool) {
	rest, found := strings.CutPrefix(key, keyScheme)
	if !found {
		return "", "", false
	}
	prefix, secret, found = strings.Cut(rest, "_")
	if !found || len(prefix) != prefixLength || len(secret) != secretLength || !isKeyText(prefix) || !isKeyText(secret) {
		return "", "", false
	}
	return prefix, secret, true
}

func isKeyText(s string) bool {
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

func randomText(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return keyEncoding.EncodeToString(b)
}

// authenticate finds the key of a request's "Authorization: Bearer" header.
// An unknown prefix and a wrong secret get the same answer.
func (a *API) authenticate(r *http.Request) (store.APIKey, error) {
	h := r.Header.Get("Authorization")
	scheme, key, _ := strings.Cut(h, " ")
	if h == "" || !strings.EqualFold(scheme, "Bearer") {
		return store.APIKey{}, unauthorized("missing API key: send the header Authorization: Bearer zb_…")
	}
	prefix, secret, ok := parseKey(strings.TrimSpace(key))
	if !ok {
		return store.APIKey{}, unauthorized("invalid API key")
	}
	k, err := a.store.APIKeyByPrefix(r.Context(), prefix)
	if errors.Is(err, store.ErrNotFound) {
		return store.APIKey{}, unauthorized("invalid API key")
	} else if err != nil {
		return store.APIKey{}, err
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(prefix, secret)), []byte(k.SecretHash)) != 1 {
		return store.APIKey{}, unauthorized("invalid API key")
	}
	if !k.RevokedAt.IsZero() {
		return store.APIKey{}, unauthorized("this API key was revoked")
	}
	now := a.now()
	if now.Sub(k.LastUsedAt) >= touchEvery {
		if err := a.store.TouchAPIKey(r.Context(), k.ID, now, touchEvery); err != nil {
			a.log.Warn("api key: recording use failed", "key_prefix", k.Prefix, "err", err)
		}
	}
	return k, nil
}

// Key is an API key as the admin UI lists it; never its secret or hash.
type Key struct {
	ID         int64
	Name       string
	Hint       string // zb_<prefix>_…, enough to recognise the key
	CreatedBy  string
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while it works
	LastUsedAt time.Time // zero if never used
	Scopes     []string  // ScopeRead, and ScopeWrite when it may change things
}

func keyOf(k store.APIKey) Key {
	return Key{ID: k.ID, Name: k.Name, Hint: keyScheme + k.Prefix + "_…", CreatedBy: k.CreatedBy,
		CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt, Scopes: strings.Fields(k.Scopes)}
}

// hasScope reports whether a key's stored scopes include scope.
func hasScope(scopes, scope string) bool { return contains(strings.Fields(scopes), scope) }

// cleanScopes checks the scopes chosen for a new key: read always, write
// when asked for; anything else is refused.
func cleanScopes(scopes []string) (string, error) {
	out := []string{ScopeRead}
	for _, s := range scopes {
		switch s = strings.TrimSpace(s); s {
		case ScopeRead, "":
		case ScopeWrite:
			if !contains(out, ScopeWrite) {
				out = append(out, ScopeWrite)
			}
		default:
			return "", &people.InputError{Field: "scopes", Reason: "unknown scope " + strconv.Quote(s) + " (read, write)"}
		}
	}
	return strings.Join(out, " "), nil
}

// NewKey is a key just created: Plaintext is shown once and never again.
type NewKey struct {
	Key
	Plaintext string
}

// Keys manages an organization's API keys for the admin UI. Each call checks
// the actor may (people.ManageAPIKeys) and acts only in the actor's organization.
type Keys struct {
	Store *store.Store
	Now   func() time.Time
}

// NewKeys returns a key manager over st; now is the clock (time.Now when nil).
func NewKeys(st *store.Store, now func() time.Time) *Keys {
	if now == nil {
		now = time.Now
	}
	return &Keys{Store: st, Now: now}
}

// Create makes a key named name and returns it with its plaintext. Every key
// reads; it writes only with ScopeWrite among scopes.
func (m *Keys) Create(ctx context.Context, actor people.Actor, name string, scopes ...string) (NewKey, error) {
	if !people.Can(actor.Role, people.ManageAPIKeys) {
		return NewKey{}, people.ErrForbidden
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > maxKeyName {
		return NewKey{}, &people.InputError{Field: "name", Reason: fmt.Sprintf("a name of 1 to %d characters says who uses the key", maxKeyName)}
	}
	scope, err := cleanScopes(scopes)
	if err != nil {
		return NewKey{}, err
	}
	prefix, secret := randomText(prefixBytes), randomText(secretBytes)
	now := m.Now()
	var k store.APIKey
	err = m.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		// Names tell keys apart in the list and the audit log, so two live
		// keys of one organization never share one (case aside). There is no
		// unique index (revoked keys keep their names), so the check is here.
		keys, err := tx.APIKeys(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		for _, o := range keys {
			if o.RevokedAt.IsZero() && strings.EqualFold(o.Name, name) {
				return &people.InputError{Field: "name", Reason: fmt.Sprintf("a key named %q exists already: choose another name, or revoke that key first", o.Name), Err: store.ErrConflict}
			}
		}
		k, err = tx.CreateAPIKey(ctx, store.APIKey{OrgID: actor.OrgID, Name: name, Prefix: prefix,
			SecretHash: hashSecret(prefix, secret), CreatedBy: actor.Name, Scopes: scope}, now)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: actor.OrgID, Actor: actor.Name, Action: "apikey.created",
			Target: fmt.Sprintf("apikey:%d", k.ID), Detail: name + " (" + keyOf(k).Hint + ", " + scope + ")", At: now})
	})
	if err != nil {
		return NewKey{}, err
	}
	return NewKey{Key: keyOf(k), Plaintext: keyScheme + prefix + "_" + secret}, nil
}

// List returns the organization's keys, newest first, revoked ones included.
func (m *Keys) List(ctx context.Context, actor people.Actor) ([]Key, error) {
	if !people.Can(actor.Role, people.ManageAPIKeys) {
		return nil, people.ErrForbidden
	}
	rows, err := m.Store.APIKeys(ctx, actor.OrgID)
	out := make([]Key, 0, len(rows))
	for _, k := range rows {
		out = append(out, keyOf(k))
	}
	return out, err
}

// Revoke stops a key from working at once. Revoking a revoked key is a
// no-op; a key of another organization is not found.
func (m *Keys) Revoke(ctx context.Context, actor people.Actor, id int64) error {
	if !people.Can(actor.Role, people.ManageAPIKeys) {
		return people.ErrForbidden
	}
	now := m.Now()
	return m.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		revoked, err := tx.RevokeAPIKey(ctx, actor.OrgID, id, now)
		if err != nil || !revoked {
			return err
		}
		k, err := tx.APIKeyByID(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{OrgID: actor.OrgID, Actor: actor.Name, Action: "apikey.revoked",
			Target: fmt.Sprintf("apikey:%d", id), Detail: k.Name + " (" + keyOf(k).Hint + ")", At: now})
	})
}
