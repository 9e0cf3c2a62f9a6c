package zoom

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

var day0 = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// fakeClock is a limiter clock that sleeping moves forward.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	slept  []time.Duration
	frozen bool // sleeping does not move the clock
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	if !c.frozen && d > 0 {
		c.now = c.now.Add(d)
	}
	return nil
}

func newTestLimiter(plan Plan, start time.Time) (*RateLimiter, *fakeClock) {
	c := &fakeClock{now: start}
	l := NewRateLimiter(NewMemoryBudget(), plan)
	l.Safety, l.now, l.sleep = 1, c.Now, c.Sleep
	return l, c
}

func TestRules(t *testing.T) {
	cases := []struct {
		plan     Plan
		cat      Category
		interval time.Duration
		daily    int
		pool     string
	}{
		{PlanPro, Heavy, 100 * time.Millisecond, 30000, "heavy"},
		{PlanPro, ResourceIntensive, 6 * time.Second, 30000, "heavy"}, // shares Heavy's daily cap
		{PlanPro, Light, time.Second / 30, 0, ""},
		{PlanBusiness, Medium, time.Second / 60, 0, ""},
		{PlanBusiness, Heavy, 25 * time.Millisecond, 60000, "heavy"},
		{PlanFree, Light, 250 * time.Millisecond, 6000, "light"},
		{PlanFree, Heavy, time.Second, 1000, "heavy"},
		{PlanPro, PhoneMedium, 100 * time.Millisecond, 0, ""}, // Zoom Phone has its own table
		{PlanBusiness, PhoneHeavy, 100 * time.Millisecond, 30000, "phone-heavy"},
	}
	for _, c := range cases {
		r := RuleFor(c.plan, c.cat)
		if got := r.Interval(1); got != c.interval || r.Daily != c.daily || r.Pool != c.pool {
			t.Errorf("%s %s: interval %v daily %d pool %q, want %v %d %q", c.plan, c.cat, got, r.Daily, r.Pool, c.interval, c.daily, c.pool)
		}
	}
	if RuleFor(PlanPro, PhoneHeavy).Pool == RuleFor(PlanPro, Heavy).Pool {
		t.Error("Zoom Phone's heavy calls share the meeting APIs' daily pool")
	}
}

func TestWaitSpacesCallsAtTheRate(t *testing.T) {
	l, c := newTestLimiter(PlanPro, day0.Add(time.Hour))
	start := c.Now()
	for range 21 {
		if err := l.Wait(context.Background(), "acct", Heavy); err != nil {
			t.Fatal(err)
		}
	}
	// 21 calls at 10 a second: the last starts 2 s after the first.
	if got := c.Now().Sub(start); got != 2*time.Second {
		t.Fatalf("21 Heavy calls took %v of the clock, want 2s", got)
	}
	// Other categories and accounts have buckets of their own.
	before := c.Now()
	noErr(t, l.Wait(context.Background(), "acct", Light))
	noErr(t, l.Wait(context.Background(), "other", Heavy))
	if c.Now() != before {
		t.Fatal("a call waited on another category's or account's bucket")
	}
}

func TestWaitDeclinesBeyondMaxWait(t *testing.T) {
	l, c := newTestLimiter(PlanPro, day0.Add(time.Hour))
	c.frozen = true // many callers at once: nobody's sleep has ended yet
	l.MaxWait = time.Second
	for i := range 11 {
		if err := l.Wait(context.Background(), "acct", Heavy); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	err := l.Wait(context.Background(), "acct", Heavy)
	var le *RateLimitError
	if !errors.As(err, &le) || le.Daily || !le.RetryAt.Equal(c.Now().Add(1100*time.Millisecond)) {
		t.Fatalf("12th call: %v", err)
	}
	if at, ok := RateLimitedUntil(err, c.Now()); !ok || !at.Equal(le.RetryAt) {
		t.Fatal("RateLimitedUntil does not see the limiter's refusal")
	}
}

func TestDailyCapClosesThePoolUntilMidnight(t *testing.T) {
	l, c := newTestLimiter(PlanFree, day0.Add(23*time.Hour))
	ctx := context.Background()
	noErr(t, l.budget.NoteDailyUsed(ctx, poolKey("acct", "heavy"), day0, 999, c.Now()))
	noErr(t, l.Wait(ctx, "acct", Heavy)) // the 1000th
	err := l.Wait(ctx, "acct", Heavy)
	var le *RateLimitError
	if !errors.As(err, &le) || !le.Daily || !le.RetryAt.Equal(day0.Add(24*time.Hour)) {
		t.Fatalf("1001st Heavy call on Free: %v", err)
	}
	if err := l.Wait(ctx, "acct", Light); err != nil {
		t.Fatalf("Free plans cap each category apart: %v", err)
	}
	c.now = day0.Add(24*time.Hour + time.Minute)
	noErr(t, l.Wait(ctx, "acct", Heavy))
}

func TestHeavyAndResourceIntensiveShareADailyCap(t *testing.T) {
	l, c := newTestLimiter(PlanPro, day0.Add(time.Hour))
	ctx := context.Background()
	noErr(t, l.budget.NoteDailyUsed(ctx, poolKey("acct", "heavy"), day0, 29999, c.Now()))
	noErr(t, l.Wait(ctx, "acct", ResourceIntensive))
	if err := l.Wait(ctx, "acct", Heavy); err == nil {
		t.Fatal("a Heavy call went through after Resource-intensive calls used the shared cap")
	}
}

func TestObserveFollowsZoom(t *testing.T) {
	ctx := context.Background()
	t.Run("429 pushes the bucket back by Retry-After", func(t *testing.T) {
		l, c := newTestLimiter(PlanPro, day0.Add(time.Hour))
		l.Observe("acct", Heavy, http.StatusTooManyRequests, http.Header{"Retry-After": {"2"}, "X-Ratelimit-Type": {"QPS"}})
		start := c.Now()
		noErr(t, l.Wait(ctx, "acct", Heavy))
		if got := c.Now().Sub(start); got != 2*time.Second {
			t.Fatalf("after a 429 with Retry-After: 2 the next call waited %v", got)
		}
	})
	t.Run("429 without headers still backs off", func(t *testing.T) {
		l, c := newTestLimiter(PlanPro, day0.Add(time.Hour))
		l.Observe("acct", Medium, http.StatusTooManyRequests, http.Header{})
		start := c.Now()
		noErr(t, l.Wait(ctx, "acct", Medium))
		if c.Now().Sub(start) < time.Second {
			t.Fatal("a bare 429 did not slow the next call")
		}
	})
	t.Run("daily limit closes the pool until Zoom's Retry-After", func(t *testing.T) {
		l, c := newTestLimiter(PlanPro, day0.Add(time.Hour))
		l.Observe("acct", Heavy, http.StatusTooManyRequests, http.Header{
			"X-Ratelimit-Type": {"Daily-limit"}, "Retry-After": {"2026-11-03T00:00:00Z"}})
		err := l.Wait(ctx, "acct", ResourceIntensive)
		var le *RateLimitError
		if !errors.As(err, &le) || !le.Daily || !le.RetryAt.Equal(day0.Add(24*time.Hour)) {
			t.Fatalf("after a daily-limit 429: %v", err)
		}
		c.now = day0.Add(24 * time.Hour)
		noErr(t, l.Wait(ctx, "acct", Heavy))
	})
	t.Run("remaining counts other apps' calls", func(t *testing.T) {
		l, _ := newTestLimiter(PlanPro, day0.Add(time.Hour))
		l.Observe("acct", Heavy, http.StatusOK, http.Header{"X-Ratelimit-Limit": {"30000"}, "X-Ratelimit-Remaining": {"2"}})
		noErr(t, l.Wait(ctx, "acct", Heavy))
		noErr(t, l.Wait(ctx, "acct", Heavy))
		if err := l.Wait(ctx, "acct", Heavy); err == nil {
			t.Fatal("the limiter spent budget Zoom said was gone")
		}
	})
	t.Run("limits reveal the plan", func(t *testing.T) {
		l, _ := newTestLimiter(PlanPro, day0)
		l.Observe("acct", Light, http.StatusOK, http.Header{"X-Ratelimit-Limit": {"80"}, "X-Ratelimit-Remaining": {"79"}})
		if p := l.Plan("acct"); p != PlanBusiness {
			t.Fatalf("Light limit 80 read as %s", p)
		}
		l.Observe("acct", Heavy, http.StatusOK, http.Header{"X-Ratelimit-Limit": {"1000"}, "X-Ratelimit-Remaining": {"999"}})
		if p := l.Plan("acct"); p != PlanFree {
			t.Fatalf("Heavy daily 1000 read as %s", p)
		}
		l.Observe("acct", ResourceIntensive, http.StatusOK, http.Header{"X-Ratelimit-Limit": {"10"}})
		if p := l.Plan("acct"); p != PlanFree {
			t.Fatalf("an ambiguous limit changed the plan to %s", p)
		}
		if p := l.Plan("another"); p != PlanPro {
			t.Fatalf("another account's plan changed to %s", p)
		}
	})
}

// outstanding counts, per caller, slots reserved whose wait has not ended.
type outstanding struct {
	Budget
	mu   sync.Mutex
	now  map[string]int
	peak map[string]int
}

func (o *outstanding) ReserveRateSlot(ctx context.Context, bucket string, iv time.Duration, now, latest time.Time) (time.Time, bool, error) {
	caller, _ := ctx.Value(callerKey{}).(string)
	o.mu.Lock()
	o.now[caller]++
	o.peak[caller] = max(o.peak[caller], o.now[caller])
	o.mu.Unlock()
	return o.Budget.ReserveRateSlot(ctx, bucket, iv, now, latest)
}

func (o *outstanding) done(ctx context.Context) {
	caller, _ := ctx.Value(callerKey{}).(string)
	o.mu.Lock()
	o.now[caller]--
	o.mu.Unlock()
}

// Connections sharing an account take turns: however many goroutines a
// connection runs, it holds at most one reserved slot at a time, so the
// budget's first-come order serves connections round-robin.
func TestCallersTakeTurns(t *testing.T) {
	o := &outstanding{Budget: NewMemoryBudget(), now: map[string]int{}, peak: map[string]int{}}
	l := NewRateLimiter(o, PlanBusiness)
	l.sleep = func(ctx context.Context, d time.Duration) error {
		err := sleepCtx(ctx, d)
		o.done(ctx)
		return err
	}
	var wg sync.WaitGroup
	for _, caller := range []string{"connection:1", "connection:2"} {
		ctx := WithCaller(context.Background(), caller)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					if err := l.Wait(ctx, "acct", Light); err != nil {
						t.Error(err)
					}
				}
			}()
		}
	}
	wg.Wait()
	for caller, peak := range o.peak {
		if peak != 1 {
			t.Fatalf("%s held %d slots at once, want 1", caller, peak)
		}
	}
	if len(o.peak) != 2 {
		t.Fatalf("callers seen: %v", o.peak)
	}
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
