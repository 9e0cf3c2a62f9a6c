package zoomsim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// genCalls creates a day of Zoom Phone calls for the users with a licence:
// inbound and outbound, with outside callers (caller ID names) and colleagues.
func (a *accountState) genCalls(r *rand.Rand, users []*userRec, d0 time.Time, weekend bool) {
	var phone []*userRec
	for _, u := range users {
		if u.PhoneLicence {
			phone = append(phone, u)
		}
	}
	for _, u := range phone {
		n := r.IntN(6)
		if weekend {
			n = b2i(chance(r, 0.15))
		}
		for range n {
			start := d0.Add(time.Duration(8*3600+r.IntN(10*3600)) * time.Second)
			if peer := pick(r, phone); peer != u && chance(r, 0.3) {
				a.genInternalCall(r, u, peer, start)
			} else {
				a.genExternalCall(r, u, start)
			}
		}
	}
}

func userParty(r *rand.Rand, u *userRec) party {
	return party{
		userID: u.ID, extID: u.extID, name: u.displayName(), email: u.Email,
		number: u.PhoneNumber, ext: u.Extension, device: pick(r, u.devices),
	}
}

func (a *accountState) genExternalCall(r *rand.Rand, u *userRec, start time.Time) {
	c := &callRec{
		callID: callID(r), userID: u.ID, start: start,
		direction: pick(r, []string{"inbound", "outbound"}),
	}
	c.id = callHistoryID(r, start)
	c.pathID = c.id
	ext := party{name: pick(r, callerIDNames), number: fmt.Sprintf("+1%03d555%04d", 200+r.IntN(700), r.IntN(10000))}
	me := userParty(r, u)
	if c.direction == "inbound" {
		c.caller, c.callee = ext, me
		c.result = pick(r, []string{"answered", "answered", "answered", "answered", "answered", "answered", "voicemail", "no_answer"})
	} else {
		c.caller, c.callee = me, ext
		c.result = pick(r, []string{"answered", "answered", "answered", "answered", "answered", "answered", "no_answer", "busy"})
	}
	a.finishCall(r, c)
	a.calls = append(a.calls, c)
}

// genInternalCall creates both legs of a call between two colleagues.
func (a *accountState) genInternalCall(r *rand.Rand, from, to *userRec, start time.Time) {
	out := &callRec{callID: callID(r), userID: from.ID, direction: "outbound", internal: true, start: start}
	out.caller, out.callee = userParty(r, from), userParty(r, to)
	out.result = pick(r, []string{"answered", "answered", "answered", "answered", "no_answer"})
	out.id = callHistoryID(r, start)
	out.pathID = out.id
	a.finishCall(r, out)
	in := *out
	in.userID, in.direction = to.ID, "inbound"
	in.id = callHistoryID(r, start)
	in.pathID = in.id
	a.calls = append(a.calls, out, &in)
}

// finishCall sets ring, answer, talk and hold times and voicemail/recording IDs.
func (a *accountState) finishCall(r *rand.Rand, c *callRec) {
	ring := time.Duration(3+r.IntN(20)) * time.Second
	switch c.result {
	case "answered":
		c.answer = c.start.Add(ring)
		c.end = c.answer.Add(time.Duration(20+r.IntN(20*60)) * time.Second)
		if chance(r, 0.2) {
			c.holdTime = 10 + r.IntN(110)
		}
		if chance(r, 0.15) {
			c.recordingID = hexID(r, 16)
		}
	case "voicemail":
		c.end = c.start.Add(25*time.Second + time.Duration(10+r.IntN(60))*time.Second)
		c.voicemailID = hexID(r, 16)
	case "busy":
		c.end = c.start.Add(time.Duration(1+r.IntN(3)) * time.Second)
	default: // no_answer
		c.end = c.start.Add(30 * time.Second)
	}
}
