package zoomsim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// genDay creates one UTC day's meetings, webinars and calls. Everything comes
// from a generator seeded with (seed, day) so days are independent of each
// other and of how the clock was stepped.
func (a *accountState) genDay(day int) {
	r := seeded(a.opts.Seed, streamDay+uint64(int64(day)))
	d0 := a.opts.Start.Truncate(24 * time.Hour).Add(time.Duration(day) * 24 * time.Hour)
	weekend := d0.Weekday() == time.Saturday || d0.Weekday() == time.Sunday
	users := a.activeUsers(d0)
	for _, u := range users {
		for range a.meetingCount(r, u, weekend) {
			a.genMeeting(r, u, users, d0)
		}
	}
	for _, m := range a.series {
		if m.start.Weekday() == d0.Weekday() && !d0.Before(m.start.Truncate(24*time.Hour)) && !m.deleted {
			a.genOccurrence(r, m, users, d0)
		}
	}
	for _, u := range users {
		// chance is drawn first so the flag never changes the seed's other draws.
		if u.webinars && !weekend && (chance(r, 0.12) || a.opts.WeeklyWebinars && (d0.Weekday() == time.Tuesday || d0.Weekday() == time.Thursday)) {
			a.genWebinar(r, u, d0)
		}
	}
	a.genCalls(r, users, d0, weekend)
}

func (a *accountState) meetingCount(r *rand.Rand, u *userRec, weekend bool) int {
	switch {
	case weekend:
		return b2i(chance(r, 0.08))
	case u.Type == 1:
		return b2i(chance(r, 0.4))
	}
	return pick(r, []int{0, 1, 1, 1, 2, 2, 2, 3})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// genMeeting creates a one-off meeting hosted by u and the instance it ran as.
func (a *accountState) genMeeting(r *rand.Rand, host *userRec, users []*userRec, d0 time.Time) {
	start := d0.Add(time.Duration(8*60+r.IntN(10*4)*15) * time.Minute)
	m := &meetingRec{
		id:            meetingNumber(r),
		hostID:        host.ID,
		typ:           2,
		start:         start,
		duration:      pick(r, []int{15, 30, 30, 45, 60, 60, 90}),
		timezone:      host.Timezone,
		password:      password(r),
		autoRecording: "none",
		autoSummary:   host.Type == 2 && chance(r, 0.35),
	}
	if host.Type == 1 {
		m.duration = min(m.duration, 40) // Basic meetings end at 40 minutes
	}
	if chance(r, 0.25) {
		m.typ = 1 // instant: created as it starts, never in "scheduled" lists
		m.createdAt = start
	} else {
		m.createdAt = start.Add(-time.Duration(30+r.IntN(5*24*60)) * time.Minute).Truncate(time.Second)
	}
	if host.Type == 2 && chance(r, 0.35) {
		m.autoRecording = "cloud"
	}
	m.uuid = meetingUUID(r)
	a.addMeeting(m)
	parts := a.pickParticipants(r, host, users)
	m.topic = meetingTopic(r, host, parts)
	m.agenda = m.topic
	a.genInstance(r, m, start, parts)
}

func (a *accountState) genOccurrence(r *rand.Rand, m *meetingRec, users []*userRec, d0 time.Time) {
	host := a.userByID[m.hostID]
	if host == nil || host.Deleted || host.Status != "active" || host.CreatedAt.After(d0) || chance(r, 0.1) {
		return // cancelled this week
	}
	tod := m.start.Sub(m.start.Truncate(24 * time.Hour))
	start := d0.Add(tod)
	a.genInstance(r, m, start, a.pickParticipants(r, host, users))
}

// pickParticipants returns the other people in a meeting: none (solo), one
// (a one-on-one) or a group of colleagues and guests.
func (a *accountState) pickParticipants(r *rand.Rand, host *userRec, users []*userRec) []participant {
	n := 0
	switch x := r.Float64(); {
	case x < 0.1:
		n = 0
	case x < 0.45:
		n = 1
	default:
		n = 2 + r.IntN(8)
	}
	var out []participant
	used := map[string]bool{host.ID: true}
	for range n {
		if u := pick(r, users); !used[u.ID] && chance(r, 0.7) {
			used[u.ID] = true
			out = append(out, participant{userID: u.ID, name: u.displayName(), email: u.Email, internal: true})
			continue
		}
		first, last, org := pick(r, firstNames), pick(r, lastNames), pick(r, externalOrgs)
		out = append(out, participant{
			name:  first + " " + last,
			email: fmt.Sprintf("%c%s@%s.example.net", first[0]|0x20, lowerASCII(last), lowerASCII(org[:4])),
		})
	}
	return out
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		} else if c == ' ' {
			b[i] = '-'
		}
	}
	return string(b)
}

func meetingTopic(r *rand.Rand, host *userRec, parts []participant) string {
	switch {
	case len(parts) == 0:
		return "Focus time (" + host.FirstName + ")"
	case len(parts) == 1 && parts[0].internal:
		return "1:1 " + host.FirstName + " / " + firstWord(parts[0].name)
	case len(parts) == 1:
		return pick(r, customerTopics) + ": " + parts[0].name
	}
	return pick(r, groupTopics)
}

func firstWord(s string) string {
	for i, c := range s {
		if c == ' ' {
			return s[:i]
		}
	}
	return s
}
