package zoomsim

import (
	"strconv"
	"time"
)

// Meeting visibility and schedule rules shared by the meeting endpoints.

// expiry is how long after its time a non-recurring meeting stays listed
// ("valid previous-unexpired" in Zoom's words).
const expiry = 30 * 24 * time.Hour

// visible reports whether m exists at now: created, not deleted, host present.
func (a *accountState) visible(m *meetingRec, now time.Time) bool {
	if m == nil {
		return false
	}
	h := a.userByID[m.hostID]
	return !m.deleted && !m.createdAt.After(now) && h != nil && !h.Deleted && !h.CreatedAt.After(now)
}

// occurrence returns the k-th occurrence of a recurring meeting, false past the end.
func (m *meetingRec) occurrence(k int) (time.Time, bool) {
	if m.recur.endTimes > 0 && k >= m.recur.endTimes {
		return time.Time{}, false
	}
	return m.start.Add(time.Duration(k) * m.recur.step()), true
}

// nextStart is the start time lists show: the start, or for a recurring
// meeting its next occurrence at or after now (the last one once it ended).
func (m *meetingRec) nextStart(now time.Time) time.Time {
	if m.typ != 8 {
		return m.start
	}
	last := m.start
	for k := 0; ; k++ {
		t, ok := m.occurrence(k)
		if !ok {
			return last
		}
		if !t.Add(time.Duration(m.duration) * time.Minute).Before(now) {
			return t
		}
		last = t
	}
}

func (m *meetingRec) expired(now time.Time) bool {
	if m.typ == 8 {
		if m.recur.endTimes == 0 {
			return false
		}
		last, _ := m.occurrence(m.recur.endTimes - 1)
		return now.After(last.Add(expiry))
	}
	return now.After(m.start.Add(expiry))
}

// live returns the instance of m running at now, if any.
func (m *meetingRec) live(now time.Time) *instanceRec {
	for _, in := range m.instances {
		if !in.start.After(now) && now.Before(in.end) {
			return in
		}
	}
	return nil
}

// latestEnded returns the last instance that ended by now.
func (m *meetingRec) latestEnded(now time.Time) *instanceRec {
	var out *instanceRec
	for _, in := range m.instances {
		if !in.end.After(now) && (out == nil || in.start.After(out.start)) {
			out = in
		}
	}
	return out
}

// listed decides whether m appears in GET /users/{userId}/meetings?type=typ.
func (m *meetingRec) listed(typ string, now time.Time) bool {
	next := m.nextStart(now)
	switch typ {
	case "live":
		return m.live(now) != nil
	case "upcoming", "upcoming_meetings":
		return m.typ != 1 && (m.live(now) != nil || !next.Before(now))
	case "previous_meetings":
		return m.latestEnded(now) != nil
	}
	return m.typ != 1 && !m.expired(now) // scheduled
}

// occurrenceID is Zoom's occurrence ID: the start in epoch milliseconds.
func occurrenceID(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
