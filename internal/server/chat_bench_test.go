package server

import (
	"slices"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// BenchmarkChatCommand times a Teams command from the request to the bot's
// answer posted back, with the Zoom call it needs (target G16: p99 under 1 s).
// "upcoming" is one Zoom call; "schedule" (several calls and a message per
// member) is the heaviest. Figures: see the lead's docs/benchmarks.md;
// run with -bench=ChatCommand -benchtime=200x on a quiet machine.
func BenchmarkChatCommand(b *testing.B) {
	w := startChatWorld(b, store.SQLite)
	w.sim.SetRateLimits(false)
	bot, u := w.srv.URL(), w.sim.Users()[0]
	me, group := "29:"+u.ID, "bench-group"
	w.teams.members[group] = []string{me, "29:" + w.sim.Users()[1].ID, "29:" + w.sim.Users()[2].ID}
	for _, cmd := range []string{"upcoming", "schedule"} {
		b.Run(cmd, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if c := w.teams.say(bot, me, group, "groupChat", cmd, true); len(c) != 1 {
					b.Fatalf("%s: %d cards", cmd, len(c))
				}
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
