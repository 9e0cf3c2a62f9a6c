package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// APIKey is a REST API key of one organization (feature X1). Only a hash of
// its secret is stored; the prefix finds the row without the secret.
type APIKey struct {
	ID         int64
	OrgID      int64
	Name       string
	Prefix     string
	SecretHash string
	CreatedBy  string // audit actor
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while the key works
	LastUsedAt time.Time
	Scopes     string // space-separated: "read", "read write"
}

const apiKeyCols = "id, org_id, name, prefix, secret_hash, created_by, created_at, revoked_at, last_used_at, scopes"

func scanAPIKey(row interface{ Scan(...any) error }) (APIKey, error) {
	var k APIKey
	var created, revoked, used int64
	err := row.Scan(&k.ID, &k.OrgID, &k.Name, &k.Prefix, &k.SecretHash, &k.CreatedBy, &created, &revoked, &used, &k.Scopes)
	if errors.Is(err, sql.ErrNoRows) {
		return k, ErrNotFound
	}
	k.CreatedAt, k.RevokedAt, k.LastUsedAt = fromMS(created), fromMS(revoked), fromMS(used)
	return k, err
}

// CreateAPIKey stores a key; its prefix must be new.
func (s *Store) CreateAPIKey(ctx context.Context, k APIKey, now time.Time) (APIKey, error) {
	id, err := s.insertID(ctx, "INSERT INTO api_keys (org_id, name, prefix, secret_hash, created_by, created_at, scopes) VALUES (?, ?, ?, ?, ?, ?, ?)",
		k.OrgID, k.Name, k.Prefix, k.SecretHash, k.CreatedBy, ms(now), k.Scopes)
	if err != nil {
		return APIKey{}, err
	}
	return scanAPIKey(s.queryRow(ctx, "SELECT "+apiKeyCols+" FROM api_keys WHERE id = ?", id))
}

// APIKeyByPrefix finds a key, of whatever organization, by its public prefix.
func (s *Store) APIKeyByPrefix(ctx context.Context, prefix string) (APIKey, error) {
	return scanAPIKey(s.queryRow(ctx, "SELECT "+apiKeyCols+" FROM api_keys WHERE prefix = ?", prefix))
}

// APIKeyByID returns one of an organization's keys; another organization's is not found.
func (s *Store) APIKeyByID(ctx context.Context, orgID, id int64) (APIKey, error) {
	return scanAPIKey(s.queryRow(ctx, "SELECT "+apiKeyCols+" FROM api_keys WHERE id = ? AND org_id = ?", id, orgID))
}

// APIKeys lists an organization's keys, revoked ones too, newest first.
func (s *Store) APIKeys(ctx context.Context, orgID int64) ([]APIKey, error) {
	rows, err := s.query(ctx, "SELECT "+apiKeyCols+" FROM api_keys WHERE org_id = ? ORDER BY created_at DESC, id DESC", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAPIKey)
}

// RevokeAPIKey stops an organization's key from working. It reports false
// when the key was already revoked; another organization's key is not found.
func (s *Store) RevokeAPIKey(ctx context.Context, orgID, id int64, now time.Time) (bool, error) {
	res, err := s.exec(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at = 0", ms(now), id, orgID)
	if err := mustAffect(res, err); !errors.Is(err, ErrNotFound) {
		return err == nil, err
	}
	var one int
	err = s.queryRow(ctx, "SELECT 1 FROM api_keys WHERE id = ? AND org_id = ?", id, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	return false, err
}

// TouchAPIKey records that a key was used, at most once per interval, so
// reads through the API do not each cost a write.
func (s *Store) TouchAPIKey(ctx context.Context, id int64, now time.Time, interval time.Duration) error {
	_, err := s.exec(ctx, "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND last_used_at < ?", ms(now), id, ms(now.Add(-interval)))
	return err
}
