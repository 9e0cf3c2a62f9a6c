package syncer_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// BenchmarkBackfill is a 30-day backfill of a 200-user emulated account over
// loopback HTTP into SQLite, at Pro and at Business limits, the emulator
// enforcing them in real time, and at Pro with a storm of injected 429s (a
// fifth of the first 60 calls). It reports the API calls made, the 429s met,
// the elapsed time and the least time the rate limits allow for those calls
// (each category's calls one interval apart, categories side by side).
//
//	go test -run '^$' -bench Backfill -benchtime 1x ./internal/syncer/
func BenchmarkBackfill(b *testing.B) {
	for _, name := range []string{"pro", "business", "pro-429-storm"} {
		plan, storm := name, false
		if name == "pro-429-storm" {
			plan, storm = "pro", true
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := newEnv(b, store.SQLite, envOpts{users: 200, plan: plan, seed: 7, unmapEvery: 9, offEvery: 11})
				if storm {
					_, err := e.sim.AddFault(zoomsim.Fault{Kind: "429", Path: "/v2/", Fraction: 0.2, Count: 12})
					must(b, err)
				}
				b.StartTimer()
				start := time.Now()
				p := e.runPass(e.ctx, "")
				elapsed := time.Since(start)
				b.StopTimer()
				zplan := zoom.PlanPro
				if plan == "business" {
					zplan = zoom.PlanBusiness
				}
				bound, counts := e.calls.minimum(zplan)
				b.ReportMetric(float64(p.APICalls), "calls")
				b.ReportMetric(float64(p.RateLimited), "429s")
				b.ReportMetric(elapsed.Seconds(), "elapsed-s")
				b.ReportMetric(bound.Seconds(), "minimum-s")
				b.ReportMetric(elapsed.Seconds()/bound.Seconds(), "x-minimum")
				b.ReportMetric(float64(p.Written()), "activities")
				var cats []string
				for c, n := range counts {
					cats = append(cats, fmt.Sprintf("%s=%d", c, n))
				}
				sort.Strings(cats)
				b.Logf("%s: %d calls %v, %d 429s, %v elapsed, %v minimum (%.3fx), %d activities",
					name, p.APICalls, cats, p.RateLimited, elapsed.Round(time.Millisecond), bound.Round(time.Millisecond),
					elapsed.Seconds()/bound.Seconds(), p.Written())
			}
		})
	}
}
