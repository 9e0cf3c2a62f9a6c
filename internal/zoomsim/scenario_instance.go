package zoomsim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// genInstance records that meeting m ran from about start with the host and
// parts, and plans its recording, transcript and summary.
func (a *accountState) genInstance(r *rand.Rand, m *meetingRec, start time.Time, parts []participant) *instanceRec {
	host := a.userByID[m.hostID]
	begin := start.Add(time.Duration(r.IntN(240)) * time.Second)
	length := time.Duration(m.duration)*time.Minute + time.Duration(r.IntN(600)-300)*time.Second
	if host.Type == 1 {
		length = min(length, 40*time.Minute)
	}
	length = max(length, 5*time.Minute)
	in := &instanceRec{uuid: m.uuid, m: m, start: begin, end: begin.Add(length)}
	if m.typ == 8 || in.uuid == "" || a.instByUUID[in.uuid] != nil {
		in.uuid = meetingUUID(r) // each recurrence has its own UUID
	}
	for a.instByUUID[in.uuid] != nil {
		in.uuid = meetingUUID(r)
	}
	in.parts = append(in.parts, participant{
		id: zoomUserID(r), userID: host.ID, name: host.displayName(), email: host.Email,
		join: in.start, leave: in.end, internal: true,
	})
	for _, p := range parts {
		p.id = zoomUserID(r)
		p.join = in.start.Add(time.Duration(r.IntN(300)) * time.Second)
		p.leave = in.end.Add(-time.Duration(r.IntN(300)) * time.Second)
		if p.leave.Before(p.join.Add(time.Minute)) {
			p.leave = p.join.Add(time.Minute)
		}
		in.parts = append(in.parts, p)
	}
	in.hasChat = len(parts) >= 2 && chance(r, 0.5)
	in.hasScreenShare = len(parts) >= 1 && chance(r, 0.6)
	a.planArtifacts(r, host, in)
	m.instances = append(m.instances, in)
	a.instByUUID[in.uuid] = in
	return in
}

// planArtifacts decides what Zoom produces after the meeting: Basic users get
// no cloud recording (a Basic plan feature gate); AI summaries need a licence.
func (a *accountState) planArtifacts(r *rand.Rand, host *userRec, in *instanceRec) {
	cloud := host.Type == 2 && a.opts.Plan != "basic"
	others := len(in.parts) - 1
	if cloud && (in.m.autoRecording == "cloud" || (others >= 1 && chance(r, 0.2))) {
		mins := in.minutes()
		in.recAt = in.end.Add(time.Duration(120+mins*8+r.IntN(300)) * time.Second)
		if chance(r, 0.85) {
			in.transcriptAt = in.recAt.Add(time.Duration(60+r.IntN(480)) * time.Second)
		}
		a.planFiles(r, in)
	}
	if cloud && others >= 1 && (in.m.autoSummary || chance(r, 0.1)) {
		in.summaryAt = in.end.Add(time.Duration(90+r.IntN(420)) * time.Second)
		in.summary = genSummary(r, in)
		if !in.recAt.IsZero() {
			in.files = append(in.files, a.newFile(r, in, "SUMMARY", "JSON", "summary", 2_000+r.Int64N(6_000), latest(in.summaryAt, in.recAt)))
		}
	}
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (a *accountState) planFiles(r *rand.Rand, in *instanceRec) {
	secs := int64(in.end.Sub(in.start) / time.Second)
	in.files = append(in.files,
		a.newFile(r, in, "MP4", "MP4", "shared_screen_with_speaker_view", secs*(60_000+r.Int64N(40_000)), in.recAt),
		a.newFile(r, in, "M4A", "M4A", "audio_only", secs*(7_000+r.Int64N(2_000)), in.recAt))
	if in.hasChat {
		in.files = append(in.files, a.newFile(r, in, "CHAT", "TXT", "chat_file", 200+r.Int64N(4_000), in.recAt))
	}
	if !in.transcriptAt.IsZero() {
		in.files = append(in.files, a.newFile(r, in, "TRANSCRIPT", "VTT", "audio_transcript", secs*(15+r.Int64N(10)), in.transcriptAt))
	}
}

func (a *accountState) newFile(r *rand.Rand, in *instanceRec, ft, ext, rt string, size int64, ready time.Time) *recFile {
	f := &recFile{
		id: uuid4(r), fileType: ft, ext: ext, recType: rt, size: size,
		start: in.start.Add(time.Duration(r.IntN(30)) * time.Second), end: in.end,
		readyAt: ready, token: hexID(r, 18),
	}
	a.fileByToken[f.token] = fileRef{f: f, in: in}
	return f
}

func genSummary(r *rand.Rand, in *instanceRec) *summaryRec {
	s := &summaryRec{title: "Meeting summary for " + in.m.topic}
	perm := r.Perm(len(summaryThemes))
	n := 2 + r.IntN(2)
	for _, i := range perm[:n] {
		s.details = append(s.details, summaryThemes[i])
	}
	s.overview = fmt.Sprintf("%s met for %d minutes with %d participants. %s",
		in.parts[0].name, in.minutes(), len(in.parts), s.details[0][1])
	for _, i := range r.Perm(len(nextStepTexts))[:1+r.IntN(3)] {
		s.nextSteps = append(s.nextSteps, nextStepTexts[i])
	}
	s.content = "## Key takeaways\n"
	for _, d := range s.details {
		s.content += "- " + d[1] + "\n"
	}
	s.content += "## Action items\n"
	for _, n := range s.nextSteps {
		s.content += "- " + n + "\n"
	}
	return s
}

// genWebinar schedules a webinar for later today and its single instance.
func (a *accountState) genWebinar(r *rand.Rand, host *userRec, d0 time.Time) {
	w := &webinarRec{
		id:        meetingNumber(r),
		hostID:    host.ID,
		topic:     pick(r, webinarTopics),
		typ:       5,
		start:     d0.Add(time.Duration(14+r.IntN(4)) * time.Hour),
		duration:  pick(r, []int{45, 60, 90}),
		timezone:  host.Timezone,
		password:  password(r),
		attendees: 15 + r.IntN(250),
	}
	w.agenda = "Join us for " + lowerFirst(w.topic) + "."
	w.createdAt = w.start.Add(-time.Duration(24+r.IntN(6*24)) * time.Hour)
	for a.webinarByID[w.id] != nil || a.meetingByID[w.id] != nil {
		w.id++
	}
	begin := w.start.Add(time.Duration(r.IntN(180)) * time.Second)
	wi := &webinarInstance{
		uuid: meetingUUID(r), w: w, start: begin,
		end:       begin.Add(time.Duration(w.duration)*time.Minute + time.Duration(r.IntN(600)-300)*time.Second),
		attendees: w.attendees - r.IntN(w.attendees/3+1),
	}
	w.instances = append(w.instances, wi)
	a.webinars = append(a.webinars, w)
	a.webinarByID[w.id] = w
	a.webinarInstByUUID[wi.uuid] = wi
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+32) + s[1:]
}
