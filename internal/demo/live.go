package demo

import (
	"log/slog"
	"time"

	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// Working hours of the emulated account (UTC): outside them, and at weekends,
// the demo jumps ahead so that something is always happening.
const (
	dayStarts = 7
	dayEnds   = 19
)

// live moves the emulator's clock: at speed through working hours, in one
// step over nights and weekends. Each move delivers that period's webhooks.
type live struct {
	sim   *zoomsim.Server
	speed float64
	log   *slog.Logger
	quit  chan struct{}
	done  chan struct{}
}

func startLive(sim *zoomsim.Server, speed float64, log *slog.Logger) *live {
	l := &live{sim: sim, speed: speed, log: log, quit: make(chan struct{}), done: make(chan struct{})}
	go l.run()
	return l
}

// tick is how often the clock moves: small steps keep webhooks flowing evenly.
const tick = time.Second

func (l *live) run() {
	defer close(l.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-l.quit:
			return
		case <-t.C:
		}
		now := l.sim.Now()
		if next, skip := nextWorkingHour(now); skip {
			l.log.Info("demo: skipping to the next working hours", "from", now.Format(time.RFC3339), "to", next.Format(time.RFC3339))
			l.sim.Advance(next.Sub(now))
			continue
		}
		l.sim.Advance(time.Duration(l.speed * float64(tick)))
	}
}

// nextWorkingHour reports the start of the next working period when t is outside one.
func nextWorkingHour(t time.Time) (time.Time, bool) {
	day := t.Truncate(24 * time.Hour)
	if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday && t.Hour() >= dayStarts && t.Hour() < dayEnds {
		return t, false
	}
	next := day.Add(dayStarts * time.Hour)
	if !t.Before(next) {
		next = next.Add(24 * time.Hour)
	}
	for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
		next = next.Add(24 * time.Hour)
	}
	return next, true
}

func (l *live) stop() {
	select {
	case <-l.quit:
	default:
		close(l.quit)
	}
	<-l.done
}
