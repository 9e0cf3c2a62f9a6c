package chat

import (
	"slices"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		text string
		name CommandName
		args []string
	}{
		{"<at>Zoom</at> schedule Design review at 15:00", CmdSchedule, []string{"Design", "review", "at", "15:00"}},
		{"  UPCOMING ", CmdUpcoming, nil},
		{"<at>Zoom Bot</at> share 812 3456 7890", CmdShare, []string{"812", "3456", "7890"}},
		{"whiteboard share 2", CmdShareWhiteboard, []string{"2"}},
		{"whiteboard", CmdWhiteboards, nil},
		{"voicemail 1", CmdVoicemail, []string{"1"}},
		{"texts", CmdSMS, nil},
		{"", CmdHelp, nil},
		{"<at>Zoom</at>", CmdHelp, nil},
		{"dance", CmdUnknown, nil},
	} {
		got := Parse(c.text)
		if got.Name != c.name || !slices.Equal(got.Args, c.args) {
			t.Errorf("Parse(%q) = %q %q, want %q %q", c.text, got.Name, got.Args, c.name, c.args)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC) // 15:00 in Berlin
	for _, c := range []struct {
		args     []string
		topic    string
		start    time.Time
		duration time.Duration
		bad      bool
	}{
		{nil, "", time.Time{}, 30 * time.Minute, false},
		{[]string{"Retro", "at", "16:30", "for", "45m"}, "Retro", time.Date(2026, 12, 2, 16, 30, 0, 0, berlin), 45 * time.Minute, false},
		{[]string{"at", "09:00"}, "", time.Date(2026, 12, 3, 9, 0, 0, 0, berlin), 30 * time.Minute, false}, // past today: tomorrow
		{[]string{"Plan", "at", "2026-12-10", "11:15"}, "Plan", time.Date(2026, 12, 10, 11, 15, 0, 0, berlin), 30 * time.Minute, false},
		{[]string{"in", "2h", "Sync"}, "Sync", now.Add(2 * time.Hour), 30 * time.Minute, false},
		{[]string{"at", "25:00"}, "", time.Time{}, 0, true},
		{[]string{"for", "forever"}, "", time.Time{}, 0, true},
		{[]string{"at"}, "", time.Time{}, 0, true},
		// Found by FuzzCommand: a meeting of 0 minutes, and one in the past.
		{[]string{"for", "0.5m"}, "", time.Time{}, 0, true},
		{[]string{"at", "2026-12-01", "09:00"}, "", time.Time{}, 0, true},
		{[]string{"at", "2026-12-02", "15:00"}, "", now, 30 * time.Minute, false}, // this minute is not past
	} {
		got, err := parseSchedule(c.args, now, berlin)
		if c.bad {
			if err == nil {
				t.Errorf("%q: accepted", c.args)
			}
			continue
		}
		if err != nil || got.topic != c.topic || !got.start.Equal(c.start) || got.duration != c.duration {
			t.Errorf("%q = %+v, %v; want %q %v %v", c.args, got, err, c.topic, c.start, c.duration)
		}
	}
}
