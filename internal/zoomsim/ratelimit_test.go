package zoomsim

import (
	"net/http"
	"testing"
	"time"
)

func reportPath(s *Server) string {
	now := s.Now()
	return "/v2/report/users/" + s.Users()[0].ID + "/meetings?from=" + now.AddDate(0, 0, -7).Format("2006-01-02") + "&to=" + now.Format("2006-01-02")
}

// On the sim rate-limit clock, windows roll only when the test advances the
// clock, so the counts are exact and nothing sleeps.
func TestHeavyEndpointLimitedAtPlanRate(t *testing.T) {
	t.Parallel()
	for plan, perSecond := range map[string]int{"pro": 10, "business": 40} {
		t.Run(plan, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Options{Seed: 5, Plan: plan})
			s.SetRateLimitClock(true)
			tok := s2sToken(t, s)
			path := reportPath(s)
			ok, limited := 0, 0
			for range perSecond + 15 {
				status, h, b := call(t, s, tok, "GET", path, nil)
				switch status {
				case 200:
					ok++
				case 429:
					limited++
					e := wantZoomError(t, status, b, 429, 429)
					if e.Message != "You have reached the maximum per-second rate limit for this API. Try again later." ||
						h.Get("X-RateLimit-Category") != "Heavy" || h.Get("X-RateLimit-Type") != "QPS" || h.Get("Retry-After") == "" {
						t.Fatalf("429 not shaped like Zoom's: %v %s", h, b)
					}
				default:
					t.Fatalf("status %d %s", status, b)
				}
			}
			if ok != perSecond || limited != 15 {
				t.Fatalf("%d ok and %d limited, want %d and 15", ok, limited, perSecond)
			}
		})
	}
}

// A client that keeps to the plan's rate sees no 429 at all.
func TestClientFollowingLimitsSeesNo429(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 5, Plan: "pro"})
	s.SetRateLimitClock(true)
	tok := s2sToken(t, s)
	path := reportPath(s)
	for second := range 5 {
		for range 10 {
			if status, h, b := call(t, s, tok, "GET", path, nil); status != 200 {
				t.Fatalf("second %d: %d %s", second, status, b)
			} else if h.Get("X-RateLimit-Limit") != "30000" {
				t.Fatalf("heavy calls report the shared daily cap, got %q", h.Get("X-RateLimit-Limit"))
			}
		}
		s.Advance(time.Second)
	}
}

func TestDailyCapsAndStorms(t *testing.T) {
	t.Parallel()
	l := newLimiter("basic")
	day := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	var err *apiErr
	for i := range 1001 {
		// A new second for each call isolates the daily cap from the per-second one.
		err = l.take(http.Header{}, heavy, false, day.Add(time.Duration(i)*time.Second), day)
		if err != nil && i < 1000 {
			t.Fatalf("call %d refused: %v", i, err)
		}
	}
	h := http.Header{}
	if err = l.take(h, heavy, false, day.Add(time.Hour), day); err == nil || h.Get("X-RateLimit-Type") != "Daily-limit" ||
		h.Get("Retry-After") != "2026-11-03T00:00:00Z" {
		t.Fatalf("daily cap: %v %v", err, h)
	}
	if err := l.take(http.Header{}, heavy, false, day, day.Add(24*time.Hour)); err != nil {
		t.Fatalf("the cap resets at 00:00 UTC: %v", err)
	}

	s := startSim(t, Options{Seed: 5, NoRateLimits: true})
	tok := s2sToken(t, s)
	if _, err := s.AddFault(Fault{Kind: "429", Count: 2, Path: "/v2/users"}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{429, 429, 200} {
		if status, _, b := call(t, s, tok, "GET", "/v2/users", nil); status != want {
			t.Fatalf("call %d: %d %s", i, status, b)
		}
	}
	s.AddFault(Fault{Kind: "5xx", Status: 503, Count: 1})
	if status, _, _ := call(t, s, tok, "GET", "/v2/users", nil); status != 503 {
		t.Fatalf("5xx fault: %d", status)
	}
}
