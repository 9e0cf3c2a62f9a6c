package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one parsed template set per page: the layout, the shared
// parts and the page's own "content".
type pages struct {
	sets map[string]*template.Template
}

func mustParsePages() *pages {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || base == "parts" {
			continue
		}
		t := template.New(base).Funcs(funcs)
		p.sets[base] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/parts.html", n))
	}
	return p
}

// page is what every template gets: the page's own Data plus the frame.
type page struct {
	Title   string
	Section string // which navigation entry is current
	Data    any

	Nav    *navData
	CSRF   string
	Flash  string
	Alerts []alert // banners on every page (developers.go)
}

// navData is the header: the organization switcher and the entries the
// viewer's access level opens (hiding is a courtesy; the gate enforces).
type navData struct {
	OrgName, UserName, Role  string
	MeID                     int64
	Orgs                     []orgChoice
	Team, Integration, Audit bool
	Developers               bool
}

func navFor(v *viewer) *navData {
	return &navData{OrgName: v.org.Name, UserName: firstNonEmpty(v.me.Name, v.acct.Name, v.acct.Email), Role: people.RoleLabel(v.me.Role),
		MeID: v.me.ID, Orgs: v.orgs, Team: v.can(people.ViewTeam), Integration: v.can(people.ViewIntegration), Audit: v.can(people.ViewAuditLog),
		Developers: v.can(people.ManageAPIKeys)}
}

// render writes a page; it renders into a buffer first so a template error
// becomes a clean 500 instead of half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, v *viewer, status int, name string, p page) {
	if v != nil && v.org.ID != 0 {
		p.Nav, p.CSRF = navFor(v), v.ses.CSRFToken
		p.Alerts = a.webhookAlerts(r, v)
	}
	if p.Flash == "" {
		p.Flash = a.takeFlash(w, r)
	}
	t := a.pages.sets[name]
	var buf bytes.Buffer
	if t == nil {
		a.log.Error("web: no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		a.log.Error("web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderError shows an error page with words a person can act on; the full
// error goes to the log only for unexpected failures.
func (a *App) renderError(w http.ResponseWriter, r *http.Request, v *viewer, err error) {
	status, msg, known := publicError(err)
	if !known {
		a.log.Error("web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	a.render(w, r, v, status, "error", page{Title: http.StatusText(status), Data: errorData{Status: status, Message: msg}})
}

type errorData struct {
	Status  int
	Message string
}

// static serves the embedded CSS and JavaScript; they change only with the
// binary, so browsers may cache them for a day.
func (a *App) static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

var funcs = template.FuncMap{
	"role":     people.RoleLabel,
	"dur":      fmtDuration,
	"kindName": kindName,
	"kindPlural": func(kind string) string {
		return map[string]string{"meeting": "meetings", "call": "calls", "webinar": "webinars"}[kind]
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	},
	"ago": func(t, now time.Time) string { return fmtAgo(t, now) },
	"initial": func(s string) string {
		for _, r := range strings.TrimSpace(s) {
			return strings.ToUpper(string(r))
		}
		return "?"
	},
	"pct": func(f float64) template.CSS { return template.CSS(fmt.Sprintf("%.3f%%", f)) },
}

// fmtDuration is "45 min", "1 h 05 min" or "2 h".
func fmtDuration(d time.Duration) string {
	if d <= 0 {
		return "0 min"
	}
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	m := int(d.Round(time.Minute).Minutes())
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

func fmtAgo(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		s = "less than a minute"
	case d < time.Hour:
		s = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		s = fmt.Sprintf("%d h", int(d.Hours()))
	default:
		s = fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func kindName(kind string) string {
	switch kind {
	case "meeting":
		return "Meeting"
	case "call":
		return "Phone call"
	case "webinar":
		return "Webinar"
	}
	return kind
}
