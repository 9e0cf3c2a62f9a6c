package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The Zoom integration page (Services → Zoom): Overview, Users, Features and
// Connections, as the product pages describe it.

// connView is one connection as the pages show it.
type connView struct {
	C         store.Connection
	KindName  string
	Owner     string // who connected it, in the directory
	ZoomWho   string // the Zoom user or account it authorizes
	Plan      string
	Status    string
	Scopes    []string
	Notices   []Notice
	Sync      *SyncStatus // nil when sync status is not available
	SyncError string
	Users     int
	Mine      bool // the viewer's own personal connection
	CanManage bool // the viewer may disconnect, reconnect and sync it
	CanSync   bool
	SeeRaw    bool // Admins see Zoom's raw error text under the words
}

func kindLabel(kind string) string {
	switch kind {
	case store.KindAccountOAuth:
		return "Account-level (OAuth app)"
	case store.KindS2S:
		return "Account-level (Server-to-Server app)"
	case store.KindUserOAuth:
		return "Personal (one Zoom user)"
	}
	return kind
}

func planLabel(t int) string {
	switch t {
	case 1:
		return "Basic (free)"
	case 2:
		return "Pro or above"
	case 0:
		return "Not known yet"
	}
	return fmt.Sprintf("Zoom type %d", t)
}

func statusLabel(s string) string {
	if s == store.StatusNeedsReconnect {
		return "Needs reconnect"
	}
	return "Connected"
}

// connViews loads the organization's connections with their owners, notices
// and sync status.
func (a *App) connViews(ctx context.Context, v *viewer) ([]connView, error) {
	conns, err := a.st.Connections(ctx, v.org.ID)
	if err != nil {
		return nil, err
	}
	ps, err := a.st.People(ctx, v.org.ID)
	if err != nil {
		return nil, err
	}
	names := personNames(ps)
	users, err := a.st.ZoomUsers(ctx, v.org.ID)
	if err != nil {
		return nil, err
	}
	perConn := map[int64]int{}
	for _, u := range users {
		for _, c := range u.Connections {
			perConn[c]++
		}
	}
	out := make([]connView, 0, len(conns))
	for _, c := range conns {
		cv := connView{C: c, KindName: kindLabel(c.Kind), Plan: planLabel(c.PlanType), Status: statusLabel(c.Status),
			Scopes: strings.Fields(c.Scopes), Notices: condense(a.zoom.Notices(c)), Users: perConn[c.ID],
			Owner:   firstNonEmpty(names[c.PersonID], names[personOfAccount(ps, c.CreatedBy)], "—"),
			ZoomWho: joinNonEmpty(" · ", c.DisplayName, c.Email, accountLabel(c.ZoomAccountID)),
			Mine:    c.Kind == store.KindUserOAuth && c.PersonID == v.me.ID}
		cv.CanManage = v.can(people.ManageConnections) || cv.Mine
		cv.CanSync = v.can(people.SyncNow)
		cv.SeeRaw = v.can(people.ManageConnections)
		sort.Strings(cv.Scopes)
		cv.C.CreatedAt = c.CreatedAt.In(v.tz)
		if a.zoom.Status != nil {
			if st, err := a.zoom.Status(ctx, c); err == nil {
				st.LastSuccess, st.NextRun = inZone(st.LastSuccess, v.tz), inZone(st.NextRun, v.tz)
				cv.Sync = &st
			} else {
				a.log.Warn("web: sync status", "connection", c.ID, "err", err)
				cv.SyncError = "Sync status could not be read just now."
			}
		}
		out = append(out, cv)
	}
	return out, nil
}

// personOfAccount is the person of the directory an account id is (created_by
// records the person id or the account id depending on who wrote it; both
// are tried).
func personOfAccount(ps []store.Person, id int64) int64 {
	for _, p := range ps {
		if p.AccountID != 0 && p.AccountID == id {
			return p.ID
		}
	}
	return id
}

// inZone shows a time in the organization's zone, leaving "never" alone.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

func accountLabel(id string) string {
	if id == "" {
		return ""
	}
	return "account " + id
}

// zoomTabs is the shared head of the four tabs.
type zoomTabs struct {
	Now             time.Time
	Tab             string
	Conns           []connView
	Notices         []Notice // every connection's, for the banner strip
	CanManage       bool
	CanFeatures     bool
	Connected       bool
	NeedsAttention  bool
	Mapped, Total   int
	ConnectAvail    bool // account-level OAuth can be started
	S2SAvail        bool
	PersonalAvail   bool
	FeaturesOn      []legendItem
	OwnConnectionID int64
	Chat            []chatSwitch // the chat bot's switches, on the Features tab
	// AccountConnected: an account-level connection (OAuth or
	// Server-to-Server) covers the Zoom account, so another adds nothing.
	AccountConnected bool
	Disconnected     *disconnected // the last account-level disconnection, shown while none is connected
}

func (a *App) zoomTabs(ctx context.Context, v *viewer, tab string) (zoomTabs, error) {
	conns, err := a.connViews(ctx, v)
	if err != nil {
		return zoomTabs{}, err
	}
	z := zoomTabs{Now: a.now(), Tab: tab, Conns: conns, CanManage: v.can(people.ManageConnections), CanFeatures: v.can(people.SwitchFeatures),
		Connected: len(conns) > 0, ConnectAvail: a.zoom.Authorize != nil, S2SAvail: a.zoom.ConnectS2S != nil,
		PersonalAvail: a.zoom.Authorize != nil, FeaturesOn: legend(v.org)}
	for _, c := range conns {
		z.Notices = append(z.Notices, c.Notices...)
		if c.C.Status == store.StatusNeedsReconnect {
			z.NeedsAttention = true
		}
		if c.Mine {
			z.OwnConnectionID = c.C.ID
		}
		z.AccountConnected = z.AccountConnected || c.C.Kind != store.KindUserOAuth
	}
	if !z.AccountConnected {
		if z.Disconnected, err = a.lastDisconnected(ctx, v.org.ID, v.tz, store.KindAccountOAuth, store.KindS2S); err != nil {
			return zoomTabs{}, err
		}
	}
	z.Notices = condense(dedupNotices(z.Notices))
	users, err := a.st.ZoomUsers(ctx, v.org.ID)
	if err != nil {
		return zoomTabs{}, err
	}
	for _, u := range users {
		z.Total++
		if u.PersonID != 0 {
			z.Mapped++
		}
	}
	return z, nil
}

// condense folds the missing-permission banners (one per feature) into one that names every feature, so a connection
// missing many scopes asks for one reconnect instead of a wall of banners.
func condense(ns []Notice) []Notice {
	var features, scopes []string
	var out []Notice
	at := -1
	for _, n := range ns {
		if n.Code != CodeMissingScope {
			out = append(out, n)
			continue
		}
		features, scopes = append(features, n.Feature), append(scopes, n.Scopes...)
		if at < 0 {
			at = len(out)
			out = append(out, n)
		}
	}
	if len(features) > 1 {
		out[at] = Notice{Level: "warn", Code: out[at].Code, Action: "reconnect", Title: "Reconnect Zoom to turn on " + joinList(features), Scopes: scopes,
			Text: "Zoom did not grant the permissions these need: " + strings.Join(scopes, ", ") + ". Reconnect Zoom and allow every permission it asks for. " +
				"If they are still missing, the Zoom app's admin must first add the scopes to the app in the Zoom App Marketplace."}
	}
	return out
}

// joinList is "a, b and c".
func joinList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// dedupNotices keeps one banner per title and text: three connections on
// Basic need one "Pro+ required", not three.
func dedupNotices(ns []Notice) []Notice {
	seen := map[string]bool{}
	var out []Notice
	for _, n := range ns {
		k := n.Title + "\x00" + n.Text
		if !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out
}

func (a *App) zoomOverview(w http.ResponseWriter, r *http.Request, v *viewer) error {
	z, err := a.zoomTabs(r.Context(), v, "overview")
	if err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "zoom_overview", page{Title: "Zoom", Section: "services", Data: z, Flash: connectedFlash(r)})
	return nil
}

type zoomUsersData struct {
	Z zoomTabs
	L UsersListing
}

func (a *App) zoomUsers(w http.ResponseWriter, r *http.Request, v *viewer) error {
	z, err := a.zoomTabs(r.Context(), v, "users")
	if err != nil {
		return err
	}
	l, err := a.zoom.Users(r.Context(), v.org.ID)
	if err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "zoom_users", page{Title: "Zoom users", Section: "services", Data: zoomUsersData{Z: z, L: l}})
	return nil
}

func (a *App) zoomFeatures(w http.ResponseWriter, r *http.Request, v *viewer) error {
	z, err := a.zoomTabs(r.Context(), v, "features")
	if err != nil {
		return err
	}
	if z.Chat, err = a.chatSwitches(r.Context(), v.org.ID); err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "zoom_features", page{Title: "Zoom features", Section: "services", Data: z})
	return nil
}

func (a *App) zoomConnections(w http.ResponseWriter, r *http.Request, v *viewer) error {
	z, err := a.zoomTabs(r.Context(), v, "connections")
	if err != nil {
		return err
	}
	a.render(w, r, v, http.StatusOK, "zoom_connections", page{Title: "Zoom connections", Section: "services", Data: z})
	return nil
}

// connectedFlash greets the browser back from Zoom's consent page (the OAuth
// callback redirects here with ?zoom=connected).
func connectedFlash(r *http.Request) string {
	if r.URL.Query().Get("zoom") == "connected" {
		return "Zoom connected. Zoom users are being mapped by email and the past 30 days are being fetched."
	}
	return ""
}
