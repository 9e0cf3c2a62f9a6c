package zoomsim

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Fault is a failure injected on demand. API kinds: "429" (a storm of Zoom's
// per-second 429s), "5xx", "slow" (a real delay before answering). Webhook
// kinds: "drop", "duplicate", "reorder" (swap pairs of deliveries).
type Fault struct {
	ID       int     `json:"id"`
	Kind     string  `json:"kind"`
	Path     string  `json:"path,omitempty"`     // API faults: only paths starting with this (e.g. "/v2/report")
	Event    string  `json:"event,omitempty"`    // webhook faults: only this event
	Count    int     `json:"count,omitempty"`    // hit the next Count matches, then stop (0: no limit)
	Fraction float64 `json:"fraction,omitempty"` // hit each match with this probability (0: every match)
	Minutes  float64 `json:"minutes,omitempty"`  // active for this many sim minutes (0: until used up or cleared)
	Status   int     `json:"status,omitempty"`   // 5xx: the status, default 500
	DelayMS  int     `json:"delay_ms,omitempty"` // slow: real milliseconds, default 5000
}

type faultRec struct {
	Fault
	until time.Time
	used  int
}

// faultState decides with its own seeded generator, so a seed reproduces
// which calls a fractional fault hits.
type faultState struct {
	rnd    *rand.Rand
	list   []*faultRec
	nextID int
}

func newFaultState(seed int64) *faultState {
	return &faultState{rnd: seeded(seed, 0xFA17)}
}

var faultKinds = map[string]bool{"429": true, "5xx": true, "slow": true, "drop": true, "duplicate": true, "reorder": true}

// AddFault starts a fault and returns its ID.
func (s *Server) AddFault(f Fault) (int, error) {
	if !faultKinds[f.Kind] {
		return 0, &apiErr{status: 400, body: zoomError{Code: 300, Message: "unknown fault kind " + f.Kind}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.faults
	fs.nextID++
	f.ID = fs.nextID
	r := &faultRec{Fault: f}
	if f.Minutes > 0 {
		r.until = s.clk.now.Add(time.Duration(f.Minutes * float64(time.Minute)))
	}
	fs.list = append(fs.list, r)
	return f.ID, nil
}

// ClearFaults ends every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.list = nil
}

// Faults lists the faults still active.
func (s *Server) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Fault
	for _, f := range s.faults.list {
		out = append(out, f.Fault)
	}
	return out
}

// take returns the first active fault of one of kinds matching key, using it up.
func (fs *faultState) take(kinds []string, key string, now time.Time) *Fault {
	kept := fs.list[:0]
	var hit *Fault
	for _, f := range fs.list {
		if (!f.until.IsZero() && !now.Before(f.until)) || (f.Count > 0 && f.used >= f.Count) {
			continue // expired: drop it
		}
		kept = append(kept, f)
		if hit != nil || !containsStr(kinds, f.Kind) || !f.matches(key) {
			continue
		}
		if f.Fraction > 0 && fs.rnd.Float64() >= f.Fraction {
			continue
		}
		f.used++
		c := f.Fault
		hit = &c
	}
	fs.list = kept
	return hit
}

func (f *faultRec) matches(key string) bool {
	if strings.HasPrefix(key, "/") {
		return strings.HasPrefix(key, f.Path)
	}
	return f.Event == "" || f.Event == key
}

func containsStr(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// applyAPIFault answers a /v2 call with an injected fault; true if it did.
// A slow fault only delays, then the call proceeds.
func (s *Server) applyAPIFault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	f := s.faults.take([]string{"429", "5xx", "slow"}, r.URL.Path, s.clk.now)
	s.mu.Unlock()
	if f == nil {
		return false
	}
	switch f.Kind {
	case "slow":
		d := time.Duration(f.DelayMS) * time.Millisecond
		if d == 0 {
			d = 5 * time.Second
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
		return false
	case "429":
		w.Header().Set("X-RateLimit-Type", "QPS")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("Retry-After", "1")
		writeAPIErr(w, errPerSecond())
	default:
		status := f.Status
		if status < 500 || status > 599 {
			status = 500
		}
		writeAPIErr(w, newAPIErr(status, status, "Internal Error. Please try again later."))
	}
	return true
}

// webhookFault says whether an event's first delivery is dropped or duplicated.
func (fs *faultState) webhookFault(event string, now time.Time) string {
	if f := fs.take([]string{"drop", "duplicate"}, event, now); f != nil {
		return f.Kind
	}
	return ""
}

// reorder swaps neighbouring deliveries while a reorder fault lasts: the
// later event is sent first, keeping its own event_ts.
func (fs *faultState) reorder(q *workQueue, now time.Time) {
	for i := 0; i+1 < len(q.items); i += 2 {
		a, b := q.items[i], q.items[i+1]
		if a.crc || b.crc || fs.take([]string{"reorder"}, a.ev.name, now) == nil {
			continue
		}
		a.at, b.at = b.at, a.at
		a.seq, b.seq = b.seq, a.seq
		q.items[i], q.items[i+1] = b, a
	}
}
