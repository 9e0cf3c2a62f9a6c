package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

type auditRow struct {
	E        store.AuditEntry
	When     string
	Actor    string
	Sentence string // what happened, in words
	Target   string
	Group    string
}

type auditData struct {
	Rows   []auditRow
	Filter string
	Query  string
	Groups []string
	Zone   string // the organization's time zone, named in the header
	Older  string // the next page's link, when there is one
	Newest bool   // on the first page
}

// auditGroups sort entries for the filter: connections, switches, purges,
// sign-ins and the directory.
var auditGroups = []string{"connection", "switch", "purge", "signin", "person", "organization"}

func auditGroup(action string) string {
	switch {
	case strings.Contains(action, "purge") || strings.Contains(action, "deauthoriz"):
		return "purge"
	case strings.HasPrefix(action, "sign"), action == "password.changed":
		return "signin"
	case strings.HasPrefix(action, "people."):
		return "person"
	}
	head, _, _ := strings.Cut(action, ".")
	return head
}

const (
	auditPage  = 50   // rows per page
	auditScan  = 5000 // entries read at most to fill one filtered page
	auditBatch = 200
)

// audit lists the organization's audit log, newest first, in words, in the
// organization's time zone, with a group filter, search and pages.
func (a *App) audit(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx, q := r.Context(), r.URL.Query()
	filter, search := q.Get("group"), strings.TrimSpace(q.Get("q"))
	if filter != "" && !slices.Contains(auditGroups, filter) {
		return badRequest("group=" + strconv.Quote(filter) + " is not a filter of the audit log. Use one of: " + strings.Join(auditGroups, ", ") + ".")
	}
	var before int64
	if s := q.Get("before"); s != "" {
		var err error
		if before, err = strconv.ParseInt(s, 10, 64); err != nil || before <= 0 {
			return badRequest("before=" + strconv.Quote(s) + " is not a page of the audit log.")
		}
	}
	names, err := a.auditNames(r, v)
	if err != nil {
		return err
	}
	d := auditData{Filter: filter, Query: search, Groups: auditGroups, Zone: v.tz.String(), Newest: before == 0}
	needle := strings.ToLower(search)
	more := false // whether entries older than the page's last remain
	for scanned := 0; len(d.Rows) < auditPage; {
		entries, err := a.st.AuditBefore(ctx, v.org.ID, before, auditBatch)
		if err != nil {
			return err
		}
		more = len(entries) == auditBatch
		for i, e := range entries {
			scanned++
			before = e.ID
			row := auditRow{E: e, When: e.At.In(v.tz).Format("2 Jan 2006 15:04 MST"), Group: auditGroup(e.Action),
				Actor: names.actor(e.Actor), Sentence: auditSentence(e.Action), Target: names.target(e.Target)}
			if (filter == "" || row.Group == filter) && (needle == "" || row.matches(needle)) {
				d.Rows = append(d.Rows, row)
			}
			if len(d.Rows) == auditPage || scanned == auditScan {
				more = more || i < len(entries)-1
				break
			}
		}
		if !more || scanned == auditScan {
			break
		}
	}
	if more {
		next := q
		next.Set("before", strconv.FormatInt(before, 10))
		d.Older = "/audit?" + next.Encode()
	}
	a.render(w, r, v, http.StatusOK, "audit", page{Title: "Audit log", Section: "audit", Data: d})
	return nil
}

func (r auditRow) matches(needle string) bool {
	return strings.Contains(strings.ToLower(r.Actor+" "+r.Sentence+" "+r.Target+" "+r.E.Detail+" "+r.E.Action), needle)
}

// auditNamer resolves the codes in actor and target columns to names.
type auditNamer struct{ people, accounts, conns map[string]string }

func (a *App) auditNames(r *http.Request, v *viewer) (auditNamer, error) {
	n := auditNamer{people: map[string]string{}, accounts: map[string]string{}, conns: map[string]string{}}
	ps, err := a.st.People(r.Context(), v.org.ID)
	if err != nil {
		return n, err
	}
	for _, p := range ps {
		n.people["person:"+itoa(p.ID)] = displayName(p)
		if p.AccountID != 0 {
			n.accounts["account:"+itoa(p.AccountID)] = displayName(p)
		}
	}
	conns, err := a.st.Connections(r.Context(), v.org.ID)
	if err != nil {
		return n, err
	}
	for _, c := range conns {
		n.conns["connection:"+itoa(c.ID)] = "Zoom connection " + firstNonEmpty(c.Email, c.ZoomAccountID)
	}
	return n, nil
}

func (n auditNamer) actor(s string) string {
	return firstNonEmpty(n.accounts[s], n.people[s], actorLabel(s))
}

func (n auditNamer) target(s string) string {
	if name := firstNonEmpty(n.people[s], n.conns[s]); name != "" {
		return name
	}
	kind, id, ok := strings.Cut(s, ":")
	if k, known := auditTargetKind[kind]; ok && known {
		if kind == "connection" {
			return k + " " + id + " (since removed)"
		}
		return k + " " + id
	}
	return s
}

func actorLabel(s string) string {
	switch s {
	case "zoom":
		return "Zoom"
	case "system":
		return "zoombridge"
	}
	if rest, ok := strings.CutPrefix(s, "account:"); ok {
		if _, err := strconv.Atoi(rest); err == nil {
			return "Account " + rest + " (no longer in this organization)"
		}
	}
	return s
}
