package chat

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// meetingRequest is what "schedule" asked for.
type meetingRequest struct {
	topic    string
	start    time.Time // zero: now
	duration time.Duration
}

// parseSchedule reads "schedule [topic] [at 15:30 | at 2026-12-03 09:00 |
// in 30m] [for 45m]" with times in loc, relative to now.
func parseSchedule(args []string, now time.Time, loc *time.Location) (meetingRequest, error) {
	r := meetingRequest{duration: 30 * time.Minute}
	var topic []string
	for i := 0; i < len(args); i++ {
		w := strings.ToLower(args[i])
		next := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("%q needs a value", w)
			}
			i++
			return args[i], nil
		}
		switch w {
		case "at":
			v, err := next()
			if err != nil {
				return r, err
			}
			if i+1 < len(args) && strings.Contains(v, "-") { // a date, then a time
				i++
				v += " " + args[i]
			}
			t, err := clockTime(v, now, loc)
			if err != nil {
				return r, err
			}
			r.start = t
		case "in", "for":
			v, err := next()
			if err != nil {
				return r, err
			}
			d, err := time.ParseDuration(strings.TrimSuffix(strings.ReplaceAll(v, "min", "m"), "s"))
			if err != nil || d <= 0 || d > 30*24*time.Hour || w == "for" && d < time.Minute { // Zoom books whole minutes
				return r, fmt.Errorf("%q is not a length of time such as 30m or 1h", v)
			}
			if w == "in" {
				r.start = now.Add(d)
			} else {
				r.duration = d
			}
		default:
			topic = append(topic, args[i])
		}
	}
	r.topic = strings.Join(topic, " ")
	return r, nil
}

// clockTime reads "15:30" (today, or tomorrow if already past) or "2026-12-03 15:30" in loc;
// a date and time before the current minute is refused.
func clockTime(v string, now time.Time, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02 15:04", v, loc); err == nil {
		if t.Before(now.Truncate(time.Minute)) {
			return time.Time{}, fmt.Errorf("%q is in the past", v)
		}
		return t, nil
	}
	hm := strings.SplitN(v, ":", 2)
	if len(hm) == 2 {
		h, err1 := strconv.Atoi(hm[0])
		m, err2 := strconv.Atoi(hm[1])
		if err1 == nil && err2 == nil && h >= 0 && h < 24 && m >= 0 && m < 60 {
			n := now.In(loc)
			t := time.Date(n.Year(), n.Month(), n.Day(), h, m, 0, 0, loc)
			if t.Before(now) {
				t = t.AddDate(0, 0, 1)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time such as 15:30 or 2026-12-03 09:00", v)
}

// showTime formats a time for a card in the organization's zone.
func showTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

// showDuration is "45 min" or "1 h 30 min".
func showDuration(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}
