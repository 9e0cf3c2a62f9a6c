package zoom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Plan is a Zoom account's plan as far as rate limits care.
type Plan string

const (
	PlanFree     Plan = "free"
	PlanPro      Plan = "pro"
	PlanBusiness Plan = "business" // also Education, Enterprise, Partners
)

// Zoom Phone's endpoints are limited by their own table (zoom-api.md §3), in
// buckets apart from the meeting APIs'; these categories name them.
const (
	PhoneLight             Category = "Phone:Light"
	PhoneMedium            Category = "Phone:Medium"
	PhoneHeavy             Category = "Phone:Heavy"
	PhoneResourceIntensive Category = "Phone:Resource-intensive"
)

// Rule is one category's limits on one plan: N calls per Window, and a daily
// cap Daily on the pool named Pool (0: none). On paid plans Heavy and
// Resource-intensive share one pool.
type Rule struct {
	N      int
	Window time.Duration
	Daily  int
	Pool   string
}

// Interval is the spacing of calls that uses fraction safety of the rate.
func (r Rule) Interval(safety float64) time.Duration {
	return time.Duration(float64(r.Window) / (float64(r.N) * safety))
}

var rateRules = map[Plan]map[Category]Rule{
	PlanFree: {
		Light: {4, time.Second, 6000, "light"}, Medium: {2, time.Second, 2000, "medium"},
		Heavy: {1, time.Second, 1000, "heavy"}, ResourceIntensive: {10, time.Minute, 30000, "resource"},
		PhoneLight: {20, time.Second, 0, ""}, PhoneMedium: {10, time.Second, 0, ""},
		PhoneHeavy: {5, time.Second, 15000, "phone-heavy"}, PhoneResourceIntensive: {5, time.Minute, 15000, "phone-heavy"},
	},
	PlanPro: {
		Light: {30, time.Second, 0, ""}, Medium: {20, time.Second, 0, ""},
		Heavy: {10, time.Second, 30000, "heavy"}, ResourceIntensive: {10, time.Minute, 30000, "heavy"},
		PhoneLight: {20, time.Second, 0, ""}, PhoneMedium: {10, time.Second, 0, ""},
		PhoneHeavy: {5, time.Second, 15000, "phone-heavy"}, PhoneResourceIntensive: {5, time.Minute, 15000, "phone-heavy"},
	},
	PlanBusiness: {
		Light: {80, time.Second, 0, ""}, Medium: {60, time.Second, 0, ""},
		Heavy: {40, time.Second, 60000, "heavy"}, ResourceIntensive: {20, time.Minute, 60000, "heavy"},
		PhoneLight: {40, time.Second, 0, ""}, PhoneMedium: {20, time.Second, 0, ""},
		PhoneHeavy: {10, time.Second, 30000, "phone-heavy"}, PhoneResourceIntensive: {10, time.Minute, 30000, "phone-heavy"},
	},
}

// RuleFor returns the limits of category c on plan p. Free accounts have no
// Zoom Phone, so their phone rules are Pro's; an unknown category is Heavy.
func RuleFor(p Plan, c Category) Rule {
	rules, ok := rateRules[p]
	if !ok {
		rules = rateRules[PlanPro]
	}
	if r, ok := rules[c]; ok {
		return r
	}
	return rules[Heavy]
}

// Budget holds the shared state of rate limits: per-second buckets and daily
// pools. MemoryBudget serves one process; *store.Store serves every replica
// on one PostgreSQL database (internal/store/ratebudget.go documents each).
type Budget interface {
	ReserveRateSlot(ctx context.Context, bucket string, interval time.Duration, now, latest time.Time) (slot time.Time, ok bool, err error)
	DeferRateBucket(ctx context.Context, bucket string, t, now time.Time) error
	TakeDailyCall(ctx context.Context, bucket string, day time.Time, limit int, now time.Time) (ok bool, retry time.Time, err error)
	ReturnDailyCall(ctx context.Context, bucket string, day time.Time) error
	NoteDailyUsed(ctx context.Context, bucket string, day time.Time, used int, now time.Time) error
	BlockDailyPool(ctx context.Context, bucket string, t, now time.Time) error
}

// RateLimitError is the limiter declining to wait: the next slot, or the
// daily pool's reopening, is further away than MaxWait. A job gets it back
// as a time to snooze until, instead of holding a worker.
type RateLimitError struct {
	Account  string
	Category Category
	RetryAt  time.Time
	Daily    bool
}

func (e *RateLimitError) Error() string {
	kind := "per-second"
	if e.Daily {
		kind = "daily"
	}
	return fmt.Sprintf("zoom rate limit: %s budget of %s calls spent until %s", kind, e.Category, e.RetryAt.UTC().Format(time.RFC3339))
}

// RateLimitedUntil reports whether err is a rate limit, the limiter's or a
// 429 from Zoom, and when to try again (now plus a second when Zoom gave no
// Retry-After).
func RateLimitedUntil(err error, now time.Time) (time.Time, bool) {
	var le *RateLimitError
	if errors.As(err, &le) {
		return le.RetryAt, true
	}
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests {
		if ae.RetryAt.After(now) {
			return ae.RetryAt, true
		}
		return now.Add(time.Second), true
	}
	return time.Time{}, false
}

type callerKey struct{}

// WithCaller names who is calling (a connection): the limiter lets each
// caller hold at most one reserved slot per bucket, so callers sharing an
// account take turns however many goroutines each runs.
func WithCaller(ctx context.Context, caller string) context.Context {
	return context.WithValue(ctx, callerKey{}, caller)
}

// RateLimiter paces calls per Zoom account and category: a spacing of calls
// (GCRA without burst) at Safety × Zoom's per-second rate, plus daily pools,
// kept in a Budget so every connection and replica on an account shares them.
// Zoom's headers correct it: a 429 pushes the bucket back by Retry-After, a
// daily limit closes the pool, X-RateLimit-Remaining on daily categories
// counts other apps' calls, and X-RateLimit-Limit reveals the plan.
type RateLimiter struct {
	// Safety is the fraction of Zoom's per-second rate to use; the margin
	// absorbs network jitter between our spacing and Zoom's fixed windows.
	Safety float64
	// MaxWait is the longest Wait blocks; a later slot is a RateLimitError.
	MaxWait time.Duration

	budget      Budget
	defaultPlan Plan
	now         func() time.Time
	sleep       func(ctx context.Context, d time.Duration) error

	mu    sync.Mutex
	plans map[string]Plan
	turns map[string]chan struct{}
}

// NewRateLimiter returns a limiter over budget; accounts start on plan until
// SetPlan or Zoom's headers say otherwise.
func NewRateLimiter(budget Budget, plan Plan) *RateLimiter {
	if budget == nil {
		budget = NewMemoryBudget()
	}
	return &RateLimiter{
		Safety: 0.95, MaxWait: 30 * time.Second, budget: budget, defaultPlan: plan,
		now: time.Now, sleep: sleepCtx, plans: map[string]Plan{}, turns: map[string]chan struct{}{},
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetPlan sets an account's plan.
func (l *RateLimiter) SetPlan(account string, p Plan) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.plans[account] = p
}

// Plan is the plan the limiter assumes for an account.
func (l *RateLimiter) Plan(account string) Plan {
	l.mu.Lock()
	defer l.mu.Unlock()
	if p, ok := l.plans[account]; ok {
		return p
	}
	return l.defaultPlan
}

func bucketKey(account string, c Category) string { return account + "|" + string(c) }
func poolKey(account, pool string) string         { return account + "|daily|" + pool }
func utcDay(t time.Time) time.Time                { return t.UTC().Truncate(24 * time.Hour) }

// Wait blocks until a call of cat on account may start, or returns a
// *RateLimitError when that is more than MaxWait away.
func (l *RateLimiter) Wait(ctx context.Context, account string, cat Category) error {
	release, err := l.takeTurn(ctx, account, cat)
	if err != nil {
		return err
	}
	defer release()
	rule := RuleFor(l.Plan(account), cat)
	now := l.now()
	day := utcDay(now)
	if rule.Daily > 0 {
		ok, retry, err := l.budget.TakeDailyCall(ctx, poolKey(account, rule.Pool), day, rule.Daily, now)
		if err != nil {
			return fmt.Errorf("rate budget: %w", err)
		}
		if !ok {
			return &RateLimitError{Account: account, Category: cat, RetryAt: retry, Daily: true}
		}
	}
	slot, ok, err := l.budget.ReserveRateSlot(ctx, bucketKey(account, cat), rule.Interval(l.Safety), now, now.Add(l.MaxWait))
	if err == nil && !ok {
		err = &RateLimitError{Account: account, Category: cat, RetryAt: slot}
	}
	if err != nil {
		if rule.Daily > 0 {
			l.budget.ReturnDailyCall(context.WithoutCancel(ctx), poolKey(account, rule.Pool), day) //nolint:errcheck // best effort: an uncounted call only makes us more careful
		}
		var le *RateLimitError
		if errors.As(err, &le) {
			return err
		}
		return fmt.Errorf("rate budget: %w", err)
	}
	return l.sleep(ctx, slot.Sub(l.now()))
}

// takeTurn serializes one caller's reservations on a bucket (see WithCaller).
func (l *RateLimiter) takeTurn(ctx context.Context, account string, cat Category) (func(), error) {
	caller, _ := ctx.Value(callerKey{}).(string)
	if caller == "" {
		return func() {}, nil
	}
	key := bucketKey(account, cat) + "|" + caller
	l.mu.Lock()
	turn := l.turns[key]
	if turn == nil {
		turn = make(chan struct{}, 1)
		l.turns[key] = turn
	}
	l.mu.Unlock()
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Observe learns from an answer: the plan from X-RateLimit-Limit, a 429's
// Retry-After, and the daily pool's use from X-RateLimit-Remaining.
func (l *RateLimiter) Observe(account string, cat Category, status int, h http.Header) {
	now := l.now()
	l.learnPlan(account, cat, h)
	rule := RuleFor(l.Plan(account), cat)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	switch {
	case status == http.StatusTooManyRequests && strings.EqualFold(h.Get("X-RateLimit-Type"), "Daily-limit"):
		retry := RetryAt(h, now)
		if !retry.After(now) {
			retry = utcDay(now).Add(24 * time.Hour)
		}
		pool := rule.Pool
		if pool == "" {
			pool = string(cat)
		}
		l.budget.BlockDailyPool(ctx, poolKey(account, pool), retry, now) //nolint:errcheck // best effort: the 429 itself still reaches the caller
	case status == http.StatusTooManyRequests:
		retry := RetryAt(h, now)
		if !retry.After(now) {
			retry = now.Add(time.Second)
		}
		l.budget.DeferRateBucket(ctx, bucketKey(account, cat), retry, now) //nolint:errcheck // as above
	case status < 300 && rule.Daily > 0:
		limit, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
		remaining, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
		if err1 == nil && err2 == nil && limit == rule.Daily && remaining >= 0 && remaining <= limit {
			l.budget.NoteDailyUsed(ctx, poolKey(account, rule.Pool), utcDay(now), limit-remaining, now) //nolint:errcheck // as above
		}
	}
}

// learnPlan sets the account's plan when X-RateLimit-Limit matches exactly
// one plan's per-second rate or daily cap for the category.
func (l *RateLimiter) learnPlan(account string, cat Category, h http.Header) {
	limit, err := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	if err != nil || limit <= 0 {
		return
	}
	var match []Plan
	for _, p := range []Plan{PlanFree, PlanPro, PlanBusiness} {
		r, ok := rateRules[p][cat]
		if ok && ((r.Window == time.Second && r.N == limit) || r.Daily == limit) {
			match = append(match, p)
		}
	}
	if len(match) == 1 {
		l.SetPlan(account, match[0])
	}
}

// MemoryBudget is a Budget for one process (SQLite deployments, tools, tests).
type MemoryBudget struct {
	mu      sync.Mutex
	buckets map[string]*memBucket
}

type memBucket struct {
	next         time.Time
	day          time.Time
	used         int
	blockedUntil time.Time
}

// NewMemoryBudget returns an empty budget.
func NewMemoryBudget() *MemoryBudget { return &MemoryBudget{buckets: map[string]*memBucket{}} }

func (m *MemoryBudget) bucket(key string) *memBucket {
	b := m.buckets[key]
	if b == nil {
		b = &memBucket{}
		m.buckets[key] = b
	}
	return b
}

func (m *MemoryBudget) ReserveRateSlot(_ context.Context, bucket string, interval time.Duration, now, latest time.Time) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.bucket(bucket)
	slot := b.next
	if slot.Before(now) {
		slot = now
	}
	if slot.After(latest) {
		return slot, false, nil
	}
	b.next = slot.Add(interval)
	return slot, true, nil
}

func (m *MemoryBudget) DeferRateBucket(_ context.Context, bucket string, t, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.bucket(bucket); t.After(b.next) {
		b.next = t
	}
	return nil
}

func (m *MemoryBudget) TakeDailyCall(_ context.Context, bucket string, day time.Time, limit int, now time.Time) (bool, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.bucket(bucket)
	if b.blockedUntil.After(now) {
		return false, b.blockedUntil, nil
	}
	if !b.day.Equal(day) {
		b.day, b.used = day, 0
	}
	if b.used >= limit {
		return false, day.Add(24 * time.Hour), nil
	}
	b.used++
	return true, time.Time{}, nil
}

func (m *MemoryBudget) ReturnDailyCall(_ context.Context, bucket string, day time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.bucket(bucket); b.day.Equal(day) && b.used > 0 {
		b.used--
	}
	return nil
}

func (m *MemoryBudget) NoteDailyUsed(_ context.Context, bucket string, day time.Time, used int, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	b := m.bucket(bucket)
	switch {
	case b.day.Equal(day):
		b.used = max(b.used, used)
	case b.day.Before(day):
		b.day, b.used = day, used
	}
	return nil
}

func (m *MemoryBudget) BlockDailyPool(_ context.Context, bucket string, t, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b := m.bucket(bucket); t.After(b.blockedUntil) {
		b.blockedUntil = t
	}
	return nil
}
