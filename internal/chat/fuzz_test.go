package chat

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// fuzzZones are zones with DST, half-hour and 45-minute offsets, and a
// half-hour DST shift (Lord Howe).
var fuzzZones = []string{"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "America/New_York"}

var durationShown = regexp.MustCompile(`^(?:(\d+) h(?: (\d+) min)?|(\d+) min)$`)

// FuzzCommand reads arbitrary message text as the bot does. Parse yields a
// known command made of the text's words and reads its own Raw the same way;
// a "schedule" that parses asks for a start that is not in the past and a
// length of one minute to 30 days, both shown on the card as parsed, and its
// start reads back from its own "at" form.
func FuzzCommand(f *testing.F) {
	for _, text := range []string{
		"<at>Zoom</at> schedule Design review at 15:00", "schedule Retro at 16:30 for 45m", "schedule at 09:00",
		"schedule Plan at 2026-12-10 11:15", "schedule in 2h Sync", "schedule at 25:00", "schedule for forever",
		"schedule at", "schedule for 1.5m", "schedule for 30mins", "schedule for 0.5m", "schedule in 720h for 1h30m",
		"schedule at 2020-01-01 09:00", "schedule at 2027-03-28 02:30", "schedule at 2027-10-31 02:30", "schedule at 2026-12-02 15:00", "schedule at +1:-0",
		"schedule at 2026-12-03 Retro", "schedule for 1ms", "SCHEDULE In 1H", "/schedule, now", "  UPCOMING ",
		"<at>Zoom Bot</at> share 812 3456 7890", "whiteboard share 2", "wb", "voicemail 1", "texts", "", "<at>Zoom</at>",
		"<at><at>x</at>y</at> help", "<AT>Zoom</AT> help", "dance", "schedule\u00a0at\u00a015:00", "schedule\tat\n15:00",
	} {
		f.Add(text, int64(0), uint8(1))
	}
	f.Add("schedule at 23:59", int64(86340), uint8(2))
	f.Add("schedule at 00:00", int64(-1), uint8(4))
	base := time.Date(2026, 12, 2, 14, 0, 30, 0, time.UTC)
	var locs []*time.Location
	for _, z := range fuzzZones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			f.Fatal(err)
		}
		locs = append(locs, loc)
	}
	f.Fuzz(func(t *testing.T, text string, offset int64, zone uint8) {
		cmd := Parse(text)
		checkCommand(t, text, cmd)
		if cmd.Name != CmdSchedule {
			return
		}
		now := base.Add(time.Duration(offset%(50*365*86400)) * time.Second)
		loc := locs[int(zone)%len(locs)]
		r, err := parseSchedule(cmd.Args, now, loc)
		if err != nil {
			return
		}
		if r.duration < time.Minute || r.duration > 30*24*time.Hour {
			t.Fatalf("%q: a meeting of %v", text, r.duration)
		}
		if m := durationShown.FindStringSubmatch(showDuration(r.duration)); m == nil || minutesOf(m) != int(r.duration/time.Minute) {
			t.Fatalf("%q: %v shown as %q", text, r.duration, showDuration(r.duration))
		}
		if r.start.IsZero() {
			return
		}
		if r.start.Before(now.Truncate(time.Minute)) {
			t.Fatalf("%q at %v in %s: starts in the past, at %v", text, now, loc, r.start)
		}
		if r.start.Second() != 0 || r.start.Nanosecond() != 0 {
			return // "in": now plus a length, not a clock time
		}
		at := strings.Fields(r.start.In(loc).Format("2006-01-02 15:04"))
		again, err := parseSchedule(append([]string{"at"}, at...), now, loc)
		if err != nil || !again.start.Equal(r.start) {
			t.Fatalf("%q in %s: start %v written as %q reads back as %v, %v", text, loc, r.start, at, again.start, err)
		}
	})
}

// checkCommand: a known command, its arguments are words of the text, and
// Parse reads the command's Raw the same way.
func checkCommand(t *testing.T, text string, cmd Command) {
	known := []CommandName{CmdHelp, CmdSchedule, CmdShare, CmdUpcoming, CmdCalls, CmdVoicemails, CmdVoicemail, CmdSMS,
		CmdWhiteboards, CmdShareWhiteboard, CmdUnknown}
	if !slices.Contains(known, cmd.Name) {
		t.Fatalf("%q: command %q", text, cmd.Name)
	}
	if cmd.Raw != strings.TrimSpace(cmd.Raw) || mentionMarkup.MatchString(cmd.Raw) {
		t.Fatalf("%q: raw %q keeps spaces or mention markup", text, cmd.Raw)
	}
	words := strings.Fields(cmd.Raw)
	if len(cmd.Args) > len(words) || !slices.Equal(cmd.Args, words[len(words)-len(cmd.Args):]) {
		t.Fatalf("%q: args %q are not the last words of %q", text, cmd.Args, cmd.Raw)
	}
	if again := Parse(cmd.Raw); again.Name != cmd.Name || !slices.Equal(again.Args, cmd.Args) || again.Raw != cmd.Raw {
		t.Fatalf("%q parses as %+v, its raw %q as %+v", text, cmd, cmd.Raw, again)
	}
}

// minutesOf reads showDuration's "1 h 30 min", "2 h" or "45 min" back.
func minutesOf(m []string) int {
	var h, min int
	if m[3] != "" {
		fmt.Sscan(m[3], &min)
		return min
	}
	fmt.Sscan(m[1], &h)
	if m[2] != "" {
		fmt.Sscan(m[2], &min)
	}
	return h*60 + min
}
