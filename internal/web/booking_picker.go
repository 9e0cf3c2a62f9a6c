package web

import (
	"net/url"
	"slices"
	"time"
)

// The day and slot picker of the public booking and reschedule pages: days
// and times in the booker's zone (detected by booking.js, changeable), each a
// plain link, so the pages work without script and on a phone.

type pickDay struct {
	Date, Label, URL string
	Count            int
	Selected         bool
}

type pickSlot struct {
	Start, Label, URL string
	Selected          bool
}

type slotPicker struct {
	Zone     string
	HostZone string
	Zones    []zoneOption
	Days     []pickDay
	Day      string
	DayLabel string
	Slots    []pickSlot
	Picked   *pickSlot
	Base     string     // the page's path
	Keep     url.Values // parameters every link carries (the deal reference)
}

// bookerZone is the zone the page shows times in: ?tz= when it is an IANA
// name, else the host's.
func bookerZone(q url.Values, host string) *time.Location {
	if tz := q.Get("tz"); tz != "" && tz != "Local" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	loc, err := time.LoadLocation(host)
	if err != nil {
		return time.UTC
	}
	return loc
}

func newPicker(slots []time.Time, q url.Values, loc *time.Location, hostZone, base string, keep url.Values) slotPicker {
	p := slotPicker{Zone: loc.String(), HostZone: hostZone, Base: base, Keep: keep, Day: q.Get("day")}
	p.Zones = zoneOptions(time.Now())
	if !slices.ContainsFunc(p.Zones, func(z zoneOption) bool { return z.Name == p.Zone }) {
		p.Zones = append([]zoneOption{{Name: p.Zone, Label: p.Zone}}, p.Zones...)
	}
	byDay := map[string][]time.Time{}
	var order []string
	for _, s := range slots {
		d := s.In(loc).Format(time.DateOnly)
		if _, ok := byDay[d]; !ok {
			order = append(order, d)
		}
		byDay[d] = append(byDay[d], s)
	}
	if _, ok := byDay[p.Day]; !ok && len(order) > 0 {
		p.Day = order[0]
	}
	picked := q.Get("start")
	for _, d := range order {
		day, _ := time.ParseInLocation(time.DateOnly, d, loc)
		p.Days = append(p.Days, pickDay{Date: d, Label: day.Format("Mon 2 Jan"), Count: len(byDay[d]), Selected: d == p.Day,
			URL: p.link(map[string]string{"day": d})})
		if d == p.Day {
			p.DayLabel = day.Format("Monday 2 January 2006")
		}
	}
	for _, s := range byDay[p.Day] {
		v := s.UTC().Format(time.RFC3339)
		ps := pickSlot{Start: v, Label: s.In(loc).Format("15:04"), Selected: v == picked,
			URL: p.link(map[string]string{"day": p.Day, "start": v})}
		p.Slots = append(p.Slots, ps)
		if ps.Selected {
			p.Picked = &ps
			p.Picked.Label = s.In(loc).Format("Monday 2 January 2006, 15:04 MST")
		}
	}
	return p
}

func (p slotPicker) link(set map[string]string) string {
	v := url.Values{"tz": {p.Zone}}
	for k, vals := range p.Keep {
		v[k] = vals
	}
	for k, s := range set {
		v.Set(k, s)
	}
	return p.Base + "?" + v.Encode()
}
