package web

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// The timeline is drawn on the server: each row is a track of wall-clock
// hours, each activity a block placed by percentages, so the page needs no
// script to show it and prints as it looks. Overlapping activities (a call
// during a meeting) go to separate lanes of the row.

// tlRow is one track: a person (team view) or a day (week view).
type tlRow struct {
	Label, Sub, Href string
	Lanes            int
	Blocks           []tlBlock
	Note             string // why the row is empty, when known
	Total            string
	Now              float64 // where "now" is on this row, in percent; <0 when not today
}

// tlBlock is one activity on a track.
type tlBlock struct {
	ID          string
	Kind        string
	Left, Width float64 // percent of the track
	Lane        int
	Label       string   // text inside the block
	Short       bool     // too narrow for its label: shown as a bare block
	Title       string   // one line for hover
	Details     []detail // the card shown on hover and click
	Running     bool
	Unknown     bool // Zoom reported no end: drawn short, not counted
}

type detail struct{ Name, Value string }

type tlHour struct {
	Left  float64
	Label string
}

// timeline is a set of rows over the same hours of their days.
type timeline struct {
	Hours []tlHour
	Rows  []tlRow
}

// rowSpec is a row to draw: its day (midnight in the display zone) and its activities.
type rowSpec struct {
	Label, Sub, Href, Note string
	Day                    time.Time
	Acts                   []store.Activity
}

// Default working hours shown; the window grows to fit earlier or later activity.
const dayFrom, dayTo = 8, 18

// minLabelWidth is the narrowest block, in percent of a track, that shows
// its label; narrower ones are bare colour, with the details on hover or click.
const minLabelWidth = 4.5

func buildTimeline(specs []rowSpec, now time.Time, names map[int64]string) timeline {
	h0, h1 := hourWindow(specs, now)
	var tl timeline
	for h := h0; h <= h1; h++ {
		tl.Hours = append(tl.Hours, tlHour{Left: float64(h-h0) / float64(h1-h0) * 100, Label: fmt.Sprintf("%02d:00", h%24)})
	}
	for _, s := range specs {
		from, to := s.Day.Add(time.Duration(h0)*time.Hour), s.Day.Add(time.Duration(h1)*time.Hour)
		row := tlRow{Label: s.Label, Sub: s.Sub, Href: s.Href, Note: s.Note, Lanes: 1, Now: -1}
		var total time.Duration
		for _, a := range s.Acts {
			b, d, ok := placeBlock(a, from, to, now, names)
			if ok {
				row.Blocks = append(row.Blocks, b)
				total += d
			}
		}
		row.Lanes = assignLanes(row.Blocks)
		if total > 0 {
			row.Total = fmtDuration(total)
		}
		if !now.Before(from) && now.Before(to) {
			row.Now = now.Sub(from).Seconds() / to.Sub(from).Seconds() * 100
		}
		tl.Rows = append(tl.Rows, row)
	}
	return tl
}

// hourWindow is the hours shown: working hours, stretched to whole hours
// around any activity outside them.
func hourWindow(specs []rowSpec, now time.Time) (int, int) {
	h0, h1 := dayFrom, dayTo
	for _, s := range specs {
		for _, a := range s.Acts {
			start, end := a.StartAt.Sub(s.Day), activityEnd(a, now).Sub(s.Day)
			h0 = min(h0, max(0, int(math.Floor(start.Hours()))))
			h1 = max(h1, min(24, int(math.Ceil(end.Hours()))))
		}
	}
	return h0, h1
}

// maxRunning is how long an activity with no end yet counts as running; an
// older one without an end is "end not reported", never stretched to now.
const maxRunning = 12 * time.Hour

// running reports an activity that started (a webhook said so) and has not
// ended yet.
func running(a store.Activity, now time.Time) bool {
	return a.EndAt.IsZero() && a.DurationSeconds == 0 && now.After(a.StartAt) && now.Sub(a.StartAt) < maxRunning
}

// endUnknown reports an activity Zoom gave no end or duration for, long ago.
func endUnknown(a store.Activity, now time.Time) bool {
	return a.EndAt.IsZero() && a.DurationSeconds == 0 && !running(a, now)
}

// activityEnd is when an activity ended: its end, or its start plus its
// duration; a running one ends now; one whose end is unknown, at its start.
func activityEnd(a store.Activity, now time.Time) time.Time {
	switch {
	case !a.EndAt.IsZero():
		return a.EndAt
	case a.DurationSeconds > 0:
		return a.StartAt.Add(time.Duration(a.DurationSeconds) * time.Second)
	case running(a, now):
		return now
	}
	return a.StartAt
}

// unknownWidth is how long a block whose end is unknown is drawn.
const unknownWidth = 15 * time.Minute

func placeBlock(a store.Activity, from, to, now time.Time, names map[int64]string) (tlBlock, time.Duration, bool) {
	start, end := a.StartAt, activityEnd(a, now)
	counted := end.Sub(start)
	if endUnknown(a, now) {
		end = start.Add(unknownWidth)
	}
	if !end.After(from) || !start.Before(to) {
		return tlBlock{}, 0, false
	}
	span := to.Sub(from).Seconds()
	cs, ce := maxTime(start, from), minTime(end, to)
	b := tlBlock{
		ID:      fmt.Sprintf("act-%d", a.ID),
		Kind:    a.Kind,
		Left:    cs.Sub(from).Seconds() / span * 100,
		Width:   ce.Sub(cs).Seconds() / span * 100,
		Label:   blockLabel(a),
		Running: running(a, now),
		Unknown: endUnknown(a, now),
		Short:   ce.Sub(cs).Seconds()/span*100 < minLabelWidth,
		Details: activityDetails(a, start.Location(), now, names),
	}
	b.Title = b.Label + " · " + start.Format("15:04") + "–" + end.Format("15:04")
	if b.Unknown {
		b.Title = b.Label + " · " + start.Format("15:04") + ", end not reported"
	}
	return b, counted, true
}

// assignLanes puts each block in the first lane free at its start and returns
// how many lanes the row needs.
func assignLanes(bs []tlBlock) int {
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].Left < bs[j].Left })
	var ends []float64
	for i := range bs {
		lane := -1
		for l, e := range ends {
			if e <= bs[i].Left+0.01 {
				lane = l
				break
			}
		}
		if lane < 0 {
			lane = len(ends)
			ends = append(ends, 0)
		}
		// Tiny blocks are drawn with a minimum width: reserve it so they do not overlap.
		ends[lane] = bs[i].Left + max(bs[i].Width, 0.8)
		bs[i].Lane = lane
	}
	return max(1, len(ends))
}

func blockLabel(a store.Activity) string {
	switch a.Kind {
	case store.ActivityCall:
		if a.Direction == "outbound" {
			if to := callerName(a.Callee); to != "" {
				return "Call to " + to
			}
			return "Outbound call"
		}
		return "Call from " + firstNonEmpty(callerName(a.CallerName), "Unknown caller")
	case store.ActivityWebinar:
		return firstNonEmpty(a.Title, "Webinar")
	}
	return firstNonEmpty(a.Title, "Meeting")
}

// meetingSize is one-on-one or group, from the participant count only:
// Zoom never tells us who joined, and we would not store it if it did (A4).
func meetingSize(n int) string {
	switch {
	case n == 2:
		return "One-on-one"
	case n > 2:
		return fmt.Sprintf("Group · %d participants", n)
	case n == 1:
		return "Host only"
	}
	return "Not reported yet (known after Zoom's report is synced)"
}

func activityDetails(a store.Activity, loc *time.Location, now time.Time, names map[int64]string) []detail {
	end := activityEnd(a, now)
	when := a.StartAt.In(loc).Format("Mon 2 Jan, 15:04") + " – " + end.In(loc).Format("15:04")
	d := []detail{{"What", kindName(a.Kind)}}
	if a.Kind != store.ActivityCall {
		d = append(d, detail{"Title", firstNonEmpty(a.Title, "(no title)")})
	}
	if name := names[a.PersonID]; name != "" {
		d = append(d, detail{"Person", name})
	}
	d = append(d, detail{"When", when})
	switch {
	case running(a, now):
		d = append(d, detail{"Duration", "in progress"})
	case endUnknown(a, now):
		d[len(d)-1].Value = a.StartAt.In(loc).Format("Mon 2 Jan, 15:04")
		d = append(d, detail{"Duration", "end not reported by Zoom"})
	default:
		d = append(d, detail{"Duration", fmtDuration(activityDuration(a, now))})
	}
	switch a.Kind {
	case store.ActivityMeeting:
		d = append(d, detail{"Size", meetingSize(a.ParticipantsCount)})
		if a.ZoomNumber != "" {
			d = append(d, detail{"Meeting ID", meetingNumber(a.ZoomNumber)})
		}
	case store.ActivityWebinar:
		if a.ZoomNumber != "" {
			d = append(d, detail{"Webinar ID", meetingNumber(a.ZoomNumber)})
		}
	case store.ActivityCall:
		d = append(d, detail{"Direction", strings.ToUpper(a.Direction[:min(1, len(a.Direction))]) + a.Direction[min(1, len(a.Direction)):]})
		if a.Direction == "outbound" {
			d = append(d, detail{"Called", firstNonEmpty(callerName(a.Callee), "not reported by Zoom")})
		} else {
			d = append(d, detail{"Caller ID", firstNonEmpty(callerName(a.CallerName), "not available")})
		}
		d = append(d, detail{"Device", firstNonEmpty(deviceName(a.Device), "not reported")})
	}
	return d
}

// activityDuration prefers the stored duration, then end − start.
func activityDuration(a store.Activity, now time.Time) time.Duration {
	if a.DurationSeconds > 0 {
		return time.Duration(a.DurationSeconds) * time.Second
	}
	return activityEnd(a, now).Sub(a.StartAt)
}

// meetingNumber groups a Zoom meeting number as Zoom shows it: 812 3456 7890
// (eleven digits) or 123 456 7890 (ten).
func meetingNumber(n string) string {
	switch len(n) {
	case 11:
		return n[:3] + " " + n[3:7] + " " + n[7:]
	case 10:
		return n[:3] + " " + n[3:6] + " " + n[6:]
	}
	return n
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
