package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// check is one line of a person's troubleshooting: Status "ok", "warn",
// "bad" or "info"; Link goes where it can be fixed.
type check struct {
	Status, Title, Text string
	Link, LinkText      string
}

type troubleshootData struct {
	Head     personHead
	Checks   []check
	Problems int
}

// problemsFirst puts what needs fixing above what is fine, keeping the
// order of checking within each: a green line must not sit above a red one.
func problemsFirst(cs []check) []check {
	rank := map[string]int{"bad": 0, "warn": 1, "info": 2, "ok": 3}
	sort.SliceStable(cs, func(i, j int) bool { return rank[cs[i].Status] < rank[cs[j].Status] })
	return cs
}

// personTroubleshoot explains why a person's Zoom activity may be missing,
// in the order someone would check: the person, the mapping, the
// connection, the switches, the licence, and what Zoom never shares.
func (a *App) personTroubleshoot(w http.ResponseWriter, r *http.Request, v *viewer) error {
	head, err := a.personHead(r, v, "troubleshooting")
	if err != nil {
		return err
	}
	ctx := r.Context()
	users, err := a.st.ZoomUsers(ctx, v.org.ID)
	if err != nil {
		return err
	}
	conns, err := a.st.Connections(ctx, v.org.ID)
	if err != nil {
		return err
	}
	since := a.now().Add(-30 * 24 * time.Hour)
	recent, err := a.st.Activities(ctx, store.ActivityFilter{OrgID: v.org.ID, PersonID: head.P.ID, From: since})
	if err != nil {
		return err
	}
	t := troubleshooter{a: a, v: v, p: head.P, mine: head.ZoomUsers, users: users, conns: conns, recent: recent}
	d := troubleshootData{Head: head, Checks: problemsFirst(t.checks())}
	for _, c := range d.Checks {
		if c.Status == "bad" || c.Status == "warn" {
			d.Problems++
		}
	}
	a.render(w, r, v, http.StatusOK, "person_troubleshoot", page{Title: head.Name + " · Troubleshooting", Section: personSection(v, head.P), Data: d})
	return nil
}

type troubleshooter struct {
	a      *App
	v      *viewer
	p      store.Person
	mine   []store.ZoomUser
	users  []store.ZoomUser
	conns  []store.Connection
	recent []store.Activity
}

func (t troubleshooter) checks() []check {
	var out []check
	out = append(out, t.person()...)
	out = append(out, t.mapping()...)
	out = append(out, t.connections()...)
	out = append(out, t.features()...)
	out = append(out, t.licences()...)
	out = append(out, check{Status: "info", Title: "Only hosted meetings and webinars are available from Zoom",
		Text: "Zoom shares a meeting or webinar with apps only when this person is its host, and a call only when they are its caller or callee. " +
			"Meetings they only joined as a participant are not available from Zoom, so they never appear here. If a meeting is missing, confirm they hosted it."})
	out = append(out, t.activity())
	return out
}

func (t troubleshooter) person() []check {
	link := personPath(t.p.ID) + "/services"
	var out []check
	if !t.p.Active {
		out = append(out, check{Status: "bad", Title: "Deactivated", Text: "This person is deactivated in the directory, so nothing of theirs is synced or shown."})
	}
	if t.p.ZoomEnabled {
		out = append(out, check{Status: "ok", Title: "Zoom service is on", Text: "Their Zoom activity is synced and shown."})
	} else {
		out = append(out, check{Status: "bad", Title: "Zoom service is off for this person",
			Text: "Their meetings, calls and webinars are neither synced nor shown. An Owner, Admin or Executive can switch it on.", Link: link, LinkText: "Services tab"})
	}
	return out
}

func (t troubleshooter) mapping() []check {
	if len(t.conns) == 0 {
		return []check{{Status: "bad", Title: "Zoom is not connected", Text: "No Zoom account is connected to this organization yet.",
			Link: "/services/zoom/connections", LinkText: "Connect Zoom"}}
	}
	if len(t.mine) > 0 {
		var out []check
		for _, u := range t.mine {
			out = append(out, check{Status: "ok", Title: "Mapped to Zoom user " + u.Email,
				Text: fmt.Sprintf("%s in Zoom has the same email as %s in the directory, so they were matched automatically.", firstNonEmpty(u.DisplayName, u.Email), t.p.Email)})
			if u.Status != "" && u.Status != "active" {
				out = append(out, check{Status: "warn", Title: "The Zoom user is " + u.Status,
					Text: "Zoom reports this user as " + u.Status + "; Zoom stops recording activity for users who are not active."})
			}
		}
		return out
	}
	c := check{Status: "bad", Title: "Not mapped to a Zoom user",
		Text: "No Zoom user has the email " + t.p.Email + ". Zoom users are matched to people by email (ignoring case and spaces).",
		Link: "/services/zoom/users", LinkText: "Users tab"}
	if u, ok := similarZoomUser(t.p, t.users); ok {
		c.Text = fmt.Sprintf("The emails differ: Zoom has %s as %s, while the directory has %s. Make the two emails the same, in Zoom or in People, and they are mapped on the next sync.",
			firstNonEmpty(u.DisplayName, "this person"), u.Email, t.p.Email)
	}
	return []check{c}
}

func (t troubleshooter) connections() []check {
	used := map[int64]bool{}
	for _, u := range t.mine {
		used[u.ConnectionID] = true
	}
	var out []check
	for _, c := range t.conns {
		if len(used) > 0 && !used[c.ID] {
			continue
		}
		for _, n := range condense(t.a.zoom.Notices(c)) {
			st := "warn"
			if n.Level == "error" {
				st = "bad"
			}
			out = append(out, check{Status: st, Title: n.Title, Text: n.Text, Link: "/services/zoom/connections", LinkText: "Connections tab"})
		}
		if c.Status == store.StatusActive && len(used) > 0 {
			out = append(out, check{Status: "ok", Title: "Connection is working", Text: kindLabel(c.Kind) + " connection " + joinNonEmpty(" · ", c.Email, c.ZoomAccountID) + " is connected."})
		}
	}
	return out
}

func (t troubleshooter) features() []check {
	var out []check
	for _, l := range legend(t.v.org) {
		if !l.On {
			out = append(out, check{Status: "warn", Title: l.Name + " switched off for the organization",
				Text: l.Name + " are hidden and not synced for everyone. An Owner or Admin can switch them on in the Features tab.",
				Link: "/services/zoom/features", LinkText: "Features tab"})
		}
	}
	return out
}

func (t troubleshooter) licences() []check {
	var out []check
	for _, u := range t.mine {
		if !u.PhoneLicensed && t.v.org.PhoneEnabled && !t.phoneScope(u.ConnectionID) {
			// Without a Phone scope Zoom cannot tell whether the user has a licence.
			out = append(out, check{Status: "warn", Title: "Zoom Phone permission missing",
				Text: "The Zoom connection of " + u.Email + " was not granted a Zoom Phone scope (phone:read:list_call_logs), so zoombridge cannot see their calls or whether they have a Zoom Phone licence. Reconnect Zoom and allow every permission.",
				Link: "/services/zoom/connections", LinkText: "Connections tab"})
		} else if !u.PhoneLicensed && t.v.org.PhoneEnabled {
			out = append(out, check{Status: "warn", Title: "No Zoom Phone licence",
				Text: "Zoom reports no active Zoom Phone licence for " + u.Email + ", so no calls appear. If calls are missing, ensure they have an active Zoom Phone subscription."})
		}
		if u.UserType == 1 {
			out = append(out, check{Status: "info", Title: "Zoom Basic user",
				Text: "Basic (free) meetings end after 40 minutes and have no cloud recording; recording features need Pro or above (Pro+ required)."})
		}
	}
	return out
}

// phoneScope reports whether the connection was granted a scope that reads
// Zoom Phone (any spelling: granular, classic, admin).
func (t troubleshooter) phoneScope(connID int64) bool {
	for _, c := range t.conns {
		if c.ID != connID {
			continue
		}
		for _, s := range strings.Fields(c.Scopes) {
			if strings.HasPrefix(s, "phone:read") || strings.HasPrefix(s, "phone_call_log:read") {
				return true
			}
		}
	}
	return false
}

func (t troubleshooter) activity() check {
	n := map[string]int{}
	for _, a := range t.recent {
		n[a.Kind]++
	}
	text := fmt.Sprintf("In the last 30 days: %d hosted meetings, %d calls, %d hosted webinars.", n[store.ActivityMeeting], n[store.ActivityCall], n[store.ActivityWebinar])
	if len(t.recent) == 0 && len(t.mine) > 0 && t.p.ZoomEnabled {
		return check{Status: "warn", Title: "No activity in 30 days", Text: text + " If they use Zoom, confirm they host their meetings, or run Sync now from the Connections tab.",
			Link: "/services/zoom/connections", LinkText: "Connections tab"}
	}
	return check{Status: "info", Title: "Recent activity", Text: text}
}
