package zoomsim

import (
	"net/http"
	"strconv"
	"time"
)

// category is an endpoint's Zoom rate-limit label.
type category int

const (
	light category = iota
	medium
	heavy
	resourceIntensive
)

func (c category) String() string {
	return [...]string{"Light", "Medium", "Heavy", "Resource-intensive"}[c]
}

// rate is one label's limits on one plan: n requests per window, and a daily
// cap (0: none). shared marks Heavy and Resource-intensive sharing one cap.
type rate struct {
	n      int
	window time.Duration
	daily  int
	shared bool
}

// rateTable is docs/zoom-api.md §3: per account, by plan, with Zoom Phone's
// own table. Free (basic) caps each label per day; paid plans share a daily
// cap between Heavy and Resource-intensive.
var rateTable = map[string][4]rate{
	"basic": {{4, time.Second, 6000, false}, {2, time.Second, 2000, false}, {1, time.Second, 1000, false}, {10, time.Minute, 30000, false}},
	"pro":   {{30, time.Second, 0, false}, {20, time.Second, 0, false}, {10, time.Second, 30000, true}, {10, time.Minute, 30000, true}},
	"business": {{80, time.Second, 0, false}, {60, time.Second, 0, false}, {40, time.Second, 60000, true},
		{20, time.Minute, 60000, true}},
	"phone:pro":      {{20, time.Second, 0, false}, {10, time.Second, 0, false}, {5, time.Second, 15000, true}, {5, time.Minute, 15000, true}},
	"phone:business": {{40, time.Second, 0, false}, {20, time.Second, 0, false}, {10, time.Second, 30000, true}, {10, time.Minute, 30000, true}},
}

type counter struct {
	window int64
	n      int
}

// limiter counts requests per account, label and window. Per-second windows
// run on limiterNow; daily caps reset at 00:00 UTC on the sim clock.
type limiter struct {
	plan     string
	simClock bool
	off      bool
	windows  map[string]*counter
	days     map[string]*counter
}

func newLimiter(plan string) *limiter {
	return &limiter{plan: plan, windows: map[string]*counter{}, days: map[string]*counter{}}
}

func (l *limiter) rateFor(c category, phone bool) rate {
	table := l.plan
	if phone {
		table = "phone:pro"
		if l.plan == "business" {
			table = "phone:business"
		}
	}
	return rateTable[table][c]
}

func bump(m map[string]*counter, key string, window int64) *counter {
	ctr := m[key]
	if ctr == nil || ctr.window != window {
		ctr = &counter{window: window}
		m[key] = ctr
	}
	return ctr
}

// take admits or refuses one request, setting Zoom's rate-limit headers.
func (l *limiter) take(h http.Header, c category, phone bool, at, simNow time.Time) *apiErr {
	if l.off {
		return nil
	}
	rt := l.rateFor(c, phone)
	prefix := "api:"
	if phone {
		prefix = "phone:"
	}
	dayKey := prefix + c.String()
	if rt.shared {
		dayKey = prefix + "heavy+ri"
	}
	day := simNow.Truncate(24 * time.Hour)
	dctr := bump(l.days, dayKey, day.Unix())
	wctr := bump(l.windows, prefix+c.String(), at.UnixNano()/int64(rt.window))
	h.Set("X-RateLimit-Category", c.String())
	if rt.daily > 0 && dctr.n >= rt.daily {
		h.Set("X-RateLimit-Type", "Daily-limit")
		h.Set("X-RateLimit-Limit", strconv.Itoa(rt.daily))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", ztime(day.Add(24*time.Hour)))
		return newAPIErr(429, 429, "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
	}
	if wctr.n >= rt.n {
		next := time.Unix(0, (wctr.window+1)*int64(rt.window))
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", strconv.Itoa(rt.n))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", strconv.Itoa(int((next.Sub(at)+time.Second-1)/time.Second)))
		return errPerSecond()
	}
	wctr.n++
	dctr.n++
	if rt.daily > 0 {
		h.Set("X-RateLimit-Limit", strconv.Itoa(rt.daily))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(rt.daily-dctr.n))
	} else {
		h.Set("X-RateLimit-Limit", strconv.Itoa(rt.n))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(rt.n-wctr.n))
	}
	return nil
}

func errPerSecond() *apiErr {
	return newAPIErr(429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
}

// takeUserWrite enforces Zoom's 100 meeting creates/updates per user per day.
func (l *limiter) takeUserWrite(userID string, simNow time.Time) *apiErr {
	ctr := bump(l.days, "user-write:"+userID, simNow.Truncate(24*time.Hour).Unix())
	if ctr.n >= 100 {
		return newAPIErr(429, 429, "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.")
	}
	ctr.n++
	return nil
}
