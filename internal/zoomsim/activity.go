package zoomsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// collectActivity makes the activity of (from, to] happen and returns its
// webhooks in sim-time order. Callers hold s.mu.
func (s *Server) collectActivity(from, to time.Time) *workQueue {
	s.runAPIMeetings(to)
	var evs []*outEvent
	in := func(t time.Time) bool { return t.After(from) && !t.After(to) }
	for _, m := range s.acct.meetings {
		if !s.hostPresent(m.hostID) {
			continue
		}
		for _, x := range m.instances {
			if in(x.start) {
				evs = append(evs, s.meetingEvent("meeting.started", x))
			}
			if in(x.end) {
				evs = append(evs, s.meetingEvent("meeting.ended", x))
			}
			if !x.recAt.IsZero() && in(x.recAt) {
				evs = append(evs, s.recordingEvent("recording.completed", x))
			}
			if !x.transcriptAt.IsZero() && in(x.transcriptAt) {
				evs = append(evs, s.recordingEvent("recording.transcript_completed", x))
			}
			if x.summary != nil && in(x.summaryAt) {
				evs = append(evs, s.summaryEvent(x))
			}
		}
	}
	for _, w := range s.acct.webinars {
		for _, wi := range w.instances {
			if in(wi.start) && s.hostPresent(w.hostID) {
				evs = append(evs, s.webinarEvent("webinar.started", wi))
			}
			if in(wi.end) && s.hostPresent(w.hostID) {
				evs = append(evs, s.webinarEvent("webinar.ended", wi))
			}
		}
	}
	for _, c := range s.acct.calls {
		if !in(c.end) && !in(c.end.Add(30*time.Second)) {
			continue // building bodies is the expensive part; most calls are elsewhere in time
		}
		for _, ev := range s.callEvents(c) {
			if in(ev.at) {
				evs = append(evs, ev)
			}
		}
	}
	q := &workQueue{}
	for _, ev := range evs {
		q.push(&work{at: ev.at, ev: ev})
	}
	s.faults.reorder(q, to)
	return q
}

// runAPIMeetings lets meetings created through the API happen: each
// occurrence that starts by `to` runs with the host and a few colleagues.
func (s *Server) runAPIMeetings(to time.Time) {
	a := s.acct
	for _, m := range a.meetings {
		if !m.fromAPI || m.deleted || m.typ == 1 || !s.hostPresent(m.hostID) {
			continue
		}
		host := a.userByID[m.hostID]
		for k := 0; ; k++ {
			t, ok := m.start, k == 0
			if m.typ == 8 {
				t, ok = m.occurrence(k)
			}
			if !ok || t.After(to) {
				break
			}
			if !t.After(m.ranUpTo) || host.Status != "active" {
				continue
			}
			r := seeded(s.opts.Seed, uint64(m.id)<<8|uint64(k&0xff))
			a.genInstance(r, m, t, a.pickParticipants(r, host, a.activeUsers(t)))
		}
		if to.After(m.ranUpTo) {
			m.ranUpTo = to
		}
	}
}

func hexHMAC(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
