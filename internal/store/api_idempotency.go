package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// IdempotencyKept is how long the answer to a request with an
// Idempotency-Key is kept for its retries.
const IdempotencyKept = 24 * time.Hour

// IdempotentResponse is the answer to a POST made with an Idempotency-Key
// (internal/api), kept so a retry gets the same answer and no second effect.
type IdempotentResponse struct {
	KeyID       int64
	Key         string
	Fingerprint string // what the request was: a retry must match it
	Status      int
	Headers     string // JSON object of the headers replayed
	Body        []byte
	CreatedAt   time.Time
}

// ClaimIdempotencyKey starts the first use of an Idempotency-Key, or finds
// the kept answer of an earlier one (then claimed is false). Call it in the
// transaction of the request's effect and save the answer in that same
// transaction: a concurrent request with the key waits on the claim (the
// unique key) and then finds the answer, and a rolled-back request leaves no
// claim. Uses older than expiry are forgotten.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, keyID int64, key, fingerprint string, now, expiry time.Time) (kept IdempotentResponse, claimed bool, err error) {
	if _, err := s.exec(ctx, "DELETE FROM api_idempotency WHERE key_id = ? AND created_at < ?", keyID, ms(expiry)); err != nil {
		return kept, false, err
	}
	res, err := s.exec(ctx, `INSERT INTO api_idempotency (key_id, idem_key, fingerprint, status, headers, body, created_at)
		VALUES (?, ?, ?, 0, '', ?, ?) ON CONFLICT (key_id, idem_key) DO NOTHING`, keyID, key, fingerprint, []byte{}, ms(now))
	if err != nil {
		return kept, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return kept, n == 1, err
	}
	var at int64
	err = s.queryRow(ctx, "SELECT key_id, idem_key, fingerprint, status, headers, body, created_at FROM api_idempotency WHERE key_id = ? AND idem_key = ?",
		keyID, key).Scan(&kept.KeyID, &kept.Key, &kept.Fingerprint, &kept.Status, &kept.Headers, &kept.Body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return kept, false, ErrNotFound
	}
	kept.CreatedAt = fromMS(at)
	return kept, false, err
}

// SaveIdempotentResponse records the answer of a claimed key.
func (s *Store) SaveIdempotentResponse(ctx context.Context, r IdempotentResponse) error {
	res, err := s.exec(ctx, "UPDATE api_idempotency SET status = ?, headers = ?, body = ? WHERE key_id = ? AND idem_key = ?",
		r.Status, r.Headers, r.Body, r.KeyID, r.Key)
	return mustAffect(res, err)
}

// PruneIdempotentResponses forgets answers kept since before cutoff (housekeeping).
func (s *Store) PruneIdempotentResponses(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.exec(ctx, "DELETE FROM api_idempotency WHERE created_at < ?", ms(cutoff))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// RetakeIdempotencyKey takes over a claim whose request never saved an
// answer (status 0) and began before staleBefore: its process died, or its
// answer was an error whose release was lost. It reports whether it took it.
func (s *Store) RetakeIdempotencyKey(ctx context.Context, keyID int64, key, fingerprint string, staleBefore, now time.Time) (bool, error) {
	res, err := s.exec(ctx, "UPDATE api_idempotency SET created_at = ? WHERE key_id = ? AND idem_key = ? AND fingerprint = ? AND status = 0 AND created_at < ?",
		ms(now), keyID, key, fingerprint, ms(staleBefore))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseIdempotencyKey drops a claim whose request failed, so a retry runs
// again (errors are not kept).
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, keyID int64, key string) error {
	_, err := s.exec(ctx, "DELETE FROM api_idempotency WHERE key_id = ? AND idem_key = ? AND status = 0", keyID, key)
	return err
}
