package booking

import (
	"sort"
	"time"
)

// Rules are the parts of a meeting type that decide its slots.
type Rules struct {
	Duration     time.Duration
	BufferBefore time.Duration // kept free before each meeting
	BufferAfter  time.Duration // kept free after each meeting
	Notice       time.Duration // the earliest slot is this far from now
	Increment    time.Duration // slots start this far apart (default: Duration)
	WindowDays   int           // slots start within this many days of now (0: 60)
	DailyLimit   int           // bookings of this type per host-local day (0: no limit)
}

// Busy is time the host cannot meet: a Zoom meeting (no buffers of its own)
// or a booking (with its type's buffers, which it keeps free around itself).
type Busy struct {
	Start, End    time.Time
	Before, After time.Duration
}

// Calendar is everything availability is computed from.
type Calendar struct {
	Hours Hours
	Busy  []Busy
	// Taken counts this type's bookings per host-local date ("2006-01-02"),
	// for the daily limit.
	Taken map[string]int
	Now   time.Time
}

// DefaultWindowDays is the booking window of a type that sets none.
const DefaultWindowDays = 60

// Slots lists the start times a booker may choose in [from, to): within the
// working hours of each local day, stepping by the increment from the start of
// each range, a whole meeting inside the range, after the notice, inside the
// window, under the daily limit, and clear of busy time by the larger of the
// two sides' buffers. Days are the host's; clock changes are honoured because
// every range is turned into instants before stepping.
func Slots(c Calendar, r Rules, from, to time.Time) ([]time.Time, error) {
	loc, err := c.Hours.Location()
	if err != nil {
		return nil, err
	}
	if r.Duration <= 0 {
		return nil, nil
	}
	inc := r.Increment
	if inc <= 0 {
		inc = r.Duration
	}
	days := r.WindowDays
	if days <= 0 {
		days = DefaultWindowDays
	}
	if earliest := c.Now.Add(r.Notice); from.Before(earliest) {
		from = earliest
	}
	if latest := c.Now.Add(time.Duration(days) * 24 * time.Hour); to.After(latest) {
		to = latest
	}
	blocked := blockedStarts(c.Busy, r)
	var out []time.Time
	if !from.Before(to) {
		return out, nil
	}
	// A day's ranges may reach past midnight into the next; start a day early.
	for d, last := DateOf(from, loc).AddDays(-1), DateOf(to, loc); !last.Before(d); d = d.AddDays(1) {
		if r.DailyLimit > 0 && c.Taken[d.String()] >= r.DailyLimit {
			continue
		}
		for _, rg := range c.Hours.on(d) {
			ws, we := d.At(rg.From, loc), d.At(rg.To, loc)
			for s := ws; !s.Add(r.Duration).After(we); s = s.Add(inc) {
				if s.Before(from) || !s.Before(to) || blocked.has(s) {
					continue
				}
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// Open reports whether start is one of the type's slots now: the check made
// again inside the transaction that takes it.
func Open(c Calendar, r Rules, start time.Time) (bool, error) {
	slots, err := Slots(c, r, start, start.Add(time.Nanosecond))
	return len(slots) == 1 && slots[0].Equal(start), err
}

// span is an open interval (lo, hi) of start times.
type span struct{ lo, hi time.Time }

type spans []span

// blockedStarts turns busy time into the start times it rules out for a
// meeting of rules r (clash, solved for the start), merged and in order, so
// each candidate is one binary search whatever the number of meetings.
func blockedStarts(busy []Busy, r Rules) spans {
	out := make(spans, 0, len(busy))
	for _, b := range busy {
		out = append(out, span{b.Start.Add(-r.Duration - max(r.BufferAfter, b.Before)), b.End.Add(max(r.BufferBefore, b.After))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].lo.Before(out[j].lo) })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && sp.lo.Before(merged[n-1].hi) {
			if sp.hi.After(merged[n-1].hi) {
				merged[n-1].hi = sp.hi
			}
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// has reports whether s falls strictly inside a blocked span.
func (b spans) has(s time.Time) bool {
	i := sort.Search(len(b), func(i int) bool { return b[i].hi.After(s) })
	return i < len(b) && b[i].lo.Before(s)
}

// clash reports whether a meeting [s, e) of rules r comes closer to any busy
// time than either side's buffer allows.
func clash(busy []Busy, s, e time.Time, r Rules) bool {
	for _, b := range busy {
		gapBefore := max(r.BufferBefore, b.After) // between b's end and s
		gapAfter := max(r.BufferAfter, b.Before)  // between e and b's start
		if s.Before(b.End.Add(gapBefore)) && b.Start.Before(e.Add(gapAfter)) {
			return true
		}
	}
	return false
}

// Conflicts reports whether a booking [s, e) with rules r clashes with busy:
// used on the committed rows, independent of working hours.
func Conflicts(busy []Busy, s, e time.Time, r Rules) bool { return clash(busy, s, e, r) }
