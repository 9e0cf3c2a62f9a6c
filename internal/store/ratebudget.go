package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The rate_budget table lets every replica share one Zoom rate budget per
// account (internal/zoom's limiter uses these methods on PostgreSQL). Each
// method is one statement, so the row lock makes it atomic across replicas
// without a transaction.

// sqlGreatest is the two-argument maximum in the store's dialect.
func (s *Store) sqlGreatest(a, b string) string {
	if s.dialect == Postgres {
		return "GREATEST(" + a + ", " + b + ")"
	}
	return "MAX(" + a + ", " + b + ")"
}

func epochMicros(t time.Time) int64 { return t.UnixMicro() }

// ReserveRateSlot takes the next call slot of a per-second bucket. The slot is
// the later of now and the bucket's next free instant; when it is no later
// than latest the bucket moves on by interval and ok is true. Otherwise
// nothing is taken and slot says when to come back.
func (s *Store) ReserveRateSlot(ctx context.Context, bucket string, interval time.Duration, now, latest time.Time) (slot time.Time, ok bool, err error) {
	var next int64
	err = s.q.QueryRowContext(ctx, s.rebind(`INSERT INTO rate_budget (bucket, next_at_us, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (bucket) DO UPDATE SET next_at_us = `+s.sqlGreatest("rate_budget.next_at_us", "?")+` + ?, updated_at = excluded.updated_at
		WHERE `+s.sqlGreatest("rate_budget.next_at_us", "?")+` <= ?
		RETURNING next_at_us`),
		bucket, epochMicros(now)+interval.Microseconds(), ms(now), epochMicros(now), interval.Microseconds(), epochMicros(now), epochMicros(latest)).Scan(&next)
	if err == nil {
		return time.UnixMicro(next - interval.Microseconds()), true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, err
	}
	if err := s.q.QueryRowContext(ctx, s.rebind("SELECT next_at_us FROM rate_budget WHERE bucket = ?"), bucket).Scan(&next); err != nil {
		return time.Time{}, false, err
	}
	return time.UnixMicro(max(next, epochMicros(now))), false, nil
}

// DeferRateBucket moves a bucket's next free instant to no earlier than t:
// Zoom said to retry then, and every replica should hold back until it.
func (s *Store) DeferRateBucket(ctx context.Context, bucket string, t, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO rate_budget (bucket, next_at_us, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (bucket) DO UPDATE SET next_at_us = `+s.sqlGreatest("rate_budget.next_at_us", "excluded.next_at_us")+`, updated_at = excluded.updated_at`,
		bucket, epochMicros(t), ms(now))
	return err
}

// TakeDailyCall counts one call in a daily pool for the UTC day starting at
// day. When limit is reached, or Zoom blocked the pool, it counts nothing,
// ok is false and retry says when the pool opens again.
func (s *Store) TakeDailyCall(ctx context.Context, bucket string, day time.Time, limit int, now time.Time) (ok bool, retry time.Time, err error) {
	var used int
	err = s.q.QueryRowContext(ctx, s.rebind(`INSERT INTO rate_budget (bucket, day, used, updated_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (bucket) DO UPDATE SET used = CASE WHEN rate_budget.day = excluded.day THEN rate_budget.used + 1 ELSE 1 END,
			day = excluded.day, updated_at = excluded.updated_at
		WHERE rate_budget.blocked_until <= ? AND (rate_budget.day <> excluded.day OR rate_budget.used < ?)
		RETURNING used`), bucket, ms(day), ms(now), ms(now), limit).Scan(&used)
	if err == nil {
		return true, time.Time{}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, err
	}
	var d, blocked int64
	if err := s.q.QueryRowContext(ctx, s.rebind("SELECT day, blocked_until FROM rate_budget WHERE bucket = ?"), bucket).Scan(&d, &blocked); err != nil {
		return false, time.Time{}, err
	}
	if blocked > ms(now) {
		return false, fromMS(blocked), nil
	}
	return false, fromMS(d).Add(24 * time.Hour), nil
}

// ReturnDailyCall gives back a call TakeDailyCall counted but that was not made.
func (s *Store) ReturnDailyCall(ctx context.Context, bucket string, day time.Time) error {
	_, err := s.exec(ctx, "UPDATE rate_budget SET used = used - 1 WHERE bucket = ? AND day = ? AND used > 0", bucket, ms(day))
	return err
}

// NoteDailyUsed raises a pool's count for day to what Zoom reports as used:
// the account's limits are shared with every other app on it.
func (s *Store) NoteDailyUsed(ctx context.Context, bucket string, day time.Time, used int, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO rate_budget (bucket, day, used, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (bucket) DO UPDATE SET used = CASE WHEN rate_budget.day = excluded.day
				THEN `+s.sqlGreatest("rate_budget.used", "excluded.used")+` ELSE excluded.used END,
			day = excluded.day, updated_at = excluded.updated_at
		WHERE rate_budget.day <= excluded.day`, bucket, ms(day), used, ms(now))
	return err
}

// BlockDailyPool closes a daily pool until t (Zoom's daily-limit Retry-After).
func (s *Store) BlockDailyPool(ctx context.Context, bucket string, t, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO rate_budget (bucket, blocked_until, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (bucket) DO UPDATE SET blocked_until = `+s.sqlGreatest("rate_budget.blocked_until", "excluded.blocked_until")+`,
			updated_at = excluded.updated_at`, bucket, ms(t), ms(now))
	return err
}
