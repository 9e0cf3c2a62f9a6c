package zoomsim

import (
	"time"
)

// clockState is the sim clock. It is stepped (Advance) or, with a speed, moved
// by a goroutine; either way every move goes through advance so activity and
// webhooks happen in sim-time order.
type clockState struct {
	now      time.Time
	start    time.Time
	realMark time.Time // wall time of the last move, for rate-limit windows
	limLast  time.Time // last rate-limit instant handed out, kept monotonic
	speed    float64
}

func newClock(start time.Time) clockState {
	return clockState{now: start, start: start, realMark: time.Now(), limLast: start}
}

// dayIndex numbers UTC days relative to the day the clock started on.
func (c *clockState) dayIndex(t time.Time) int {
	d0 := c.start.Truncate(24 * time.Hour)
	return int(t.Sub(d0).Hours() / 24)
}

// horizonDay is the last day whose activity must already exist: meetings are
// scheduled up to a week ahead, so lists of upcoming meetings are never empty.
func (s *Server) horizonDay() int { return s.clk.dayIndex(s.clk.now) + horizonDays }

const horizonDays = 8

// Advance moves the sim clock by d: the activity of those minutes happens and
// its webhooks (and due retries) are delivered before Advance returns.
func (s *Server) Advance(d time.Duration) { s.advance(d) }

// AdvanceResult reports what one Advance did.
type AdvanceResult struct {
	Now        time.Time `json:"now"`
	Events     int       `json:"events"`
	Deliveries int       `json:"deliveries"`
}

func (s *Server) advance(d time.Duration) AdvanceResult {
	if d < 0 {
		d = 0
	}
	s.advMu.Lock()
	defer s.advMu.Unlock()
	s.mu.Lock()
	from := s.clk.now
	to := from.Add(d)
	s.acct.generateThrough(s.clk.dayIndex(to) + horizonDays)
	q := s.collectActivity(from, to)
	q.push(s.hooks.dueWork(from, to)...)
	s.mu.Unlock()

	res := AdvanceResult{Events: q.len()}
	for item := q.pop(); item != nil; item = q.pop() {
		s.mu.Lock()
		if item.at.After(s.clk.now) {
			s.moveClock(item.at)
		}
		s.mu.Unlock()
		res.Deliveries += s.runWork(item, to, q)
	}
	s.mu.Lock()
	s.moveClock(to)
	res.Now = s.clk.now
	s.mu.Unlock()
	return res
}

// moveClock sets the sim time; callers hold s.mu.
func (s *Server) moveClock(t time.Time) {
	s.clk.now = t
	s.clk.realMark = time.Now()
}

// limiterNow is the instant rate-limit windows are measured at. In "wall" mode
// (default) real time flows between sim steps too, so a client pacing itself
// in real time sees per-second windows roll even on a stepped clock; in "sim"
// mode only Advance moves it, which makes rate-limit tests exact. Callers hold s.mu.
func (s *Server) limiterNow() time.Time {
	t := s.clk.now
	if !s.lim.simClock {
		t = t.Add(time.Since(s.clk.realMark))
	}
	if t.Before(s.clk.limLast) {
		t = s.clk.limLast
	}
	s.clk.limLast = t
	return t
}

// SetSpeed runs the clock by itself at speed × real time (1 = real time);
// 0 stops it, leaving it stepped.
func (s *Server) SetSpeed(speed float64) {
	s.mu.Lock()
	stop, done := s.stopClock, s.clockDone
	s.stopClock, s.clockDone = nil, nil
	s.clk.speed = max(speed, 0)
	s.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	if speed <= 0 {
		return
	}
	stop, done = make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	s.stopClock, s.clockDone = stop, done
	s.mu.Unlock()
	go s.runClock(speed, stop, done)
}

func (s *Server) runClock(speed float64, stop, done chan struct{}) {
	defer close(done)
	const tick = 100 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			s.advance(time.Duration(float64(now.Sub(last)) * speed).Truncate(time.Millisecond))
			last = now
		}
	}
}
