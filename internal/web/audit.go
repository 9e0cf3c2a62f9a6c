package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

type auditRow struct {
	E            store.AuditEntry
	When         string
	Actor        string
	Target       string
	Group, Label string
}

type auditData struct {
	Rows   []auditRow
	Filter string
	Groups []string
}

// auditGroups sort entries for the filter: connections, switches, purges,
// sign-ins and the directory.
var auditGroups = []string{"connection", "switch", "purge", "signin", "person", "organization"}

func auditGroup(action string) string {
	switch {
	case strings.Contains(action, "purge") || strings.Contains(action, "deauthoriz"):
		return "purge"
	case strings.HasPrefix(action, "sign"):
		return "signin"
	}
	head, _, _ := strings.Cut(action, ".")
	return head
}

// audit lists the organization's audit log, newest first, with actors and
// targets resolved to names where they are people of the organization.
func (a *App) audit(w http.ResponseWriter, r *http.Request, v *viewer) error {
	entries, err := a.st.AuditLog(r.Context(), v.org.ID, 500)
	if err != nil {
		return err
	}
	ps, err := a.st.People(r.Context(), v.org.ID)
	if err != nil {
		return err
	}
	byPerson, byAccount := map[string]string{}, map[string]string{}
	for _, p := range ps {
		byPerson["person:"+itoa(p.ID)] = displayName(p)
		if p.AccountID != 0 {
			byAccount["account:"+itoa(p.AccountID)] = displayName(p)
		}
	}
	filter := r.URL.Query().Get("group")
	d := auditData{Filter: filter, Groups: auditGroups}
	for _, e := range entries {
		g := auditGroup(e.Action)
		if filter != "" && g != filter {
			continue
		}
		d.Rows = append(d.Rows, auditRow{E: e, When: e.At.In(v.tz).Format("2 Jan 2006 15:04:05"), Group: g, Label: e.Action,
			Actor:  firstNonEmpty(byAccount[e.Actor], byPerson[e.Actor], actorLabel(e.Actor)),
			Target: firstNonEmpty(byPerson[e.Target], e.Target)})
	}
	a.render(w, r, v, http.StatusOK, "audit", page{Title: "Audit log", Section: "audit", Data: d})
	return nil
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
