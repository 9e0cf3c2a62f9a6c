package api

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter is a token bucket per API key (or per address for requests without
// a valid key): n requests per period, refilled continuously. It lives in the
// process: with several replicas behind a balancer each enforces it, which
// bounds a key at n per period per replica.
type limiter struct {
	mu      sync.Mutex
	n       float64
	per     time.Duration
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds memory; past it, buckets that have refilled are dropped
// (a full bucket is the same as none).
const maxBuckets = 10000

func newLimiter(n int, per time.Duration, now func() time.Time) *limiter {
	return &limiter{n: float64(n), per: per, now: now, buckets: map[string]*bucket{}}
}

// take spends one request of id's bucket. It returns whether it was allowed,
// what remains, when the bucket is full again, and when the next request will
// be allowed (zero when one is).
func (l *limiter) take(id string) (ok bool, remaining int, reset, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	rate := l.n / l.per.Seconds() // tokens per second
	b := l.buckets[id]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.prune(now, rate)
		}
		b = &bucket{tokens: l.n, at: now}
		l.buckets[id] = b
	}
	if elapsed := now.Sub(b.at).Seconds(); elapsed > 0 {
		b.tokens = math.Min(l.n, b.tokens+elapsed*rate)
	}
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		ok = true
	} else {
		retry = seconds((1 - b.tokens) / rate)
	}
	return ok, int(b.tokens), seconds((l.n - b.tokens) / rate), retry
}

func (l *limiter) prune(now time.Time, rate float64) {
	for id, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*rate >= l.n {
			delete(l.buckets, id)
		}
	}
}

func seconds(s float64) time.Duration { return time.Duration(math.Ceil(s)) * time.Second }

// limit spends a request of bucket and sets the RateLimit headers; when none
// is left it answers 429 with Retry-After and returns false.
func (a *API) limit(w http.ResponseWriter, bucket string) bool {
	ok, remaining, reset, retry := a.limits.take(bucket)
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(int(a.limits.n)))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(int(reset.Seconds())))
	if ok {
		return true
	}
	h.Set("Retry-After", strconv.Itoa(int(retry.Seconds())))
	writeError(w, &Error{Status: http.StatusTooManyRequests, Code: "rate_limited",
		Message: "too many requests: retry after " + strconv.Itoa(int(retry.Seconds())) + " s"})
	return false
}

// clientAddr is the peer address without port. Forwarded headers are not
// trusted: behind a proxy every keyless client shares one bucket.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
