package web

import (
	"context"
	"database/sql"
	"net/http"
	"regexp"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// The chat bot's admin pages (T1, T2): the Teams page (what to register
// where, the app package, which Teams tenant is this organization's) and the
// chat switches on the Zoom Features tab.

// TeamsSetup is what the Teams page shows of the bot's configuration.
type TeamsSetup struct {
	Enabled  bool   // the bot runs (an app id is configured)
	AppID    string // Microsoft app id
	TenantID string // the bot's tenant, when configured
	Endpoint string // the messaging endpoint to register
	SkipAuth bool   // inbound authentication is off (local emulator only)
	// Package builds the Teams app package (manifest and icons, zipped).
	Package func() ([]byte, error)
}

func (a *App) mountChat(mux Mux) {
	a.handle(mux, "GET /services/chat", people.ViewIntegration, a.chatPage)
	a.handle(mux, "GET /services/chat/teams-app.zip", people.ViewIntegration, a.chatPackage)
	a.handle(mux, "POST /services/chat/tenants", people.ManageConnections, a.chatTenant)
	a.handle(mux, "POST /services/chat/features", people.SwitchFeatures, a.chatSetFeature)
}

type chatPageData struct {
	Teams     TeamsSetup
	Tenants   []string
	CanManage bool
}

func (a *App) chatPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	tenants, err := a.st.ChatTenants(r.Context(), v.org.ID, "teams")
	if err != nil {
		return err
	}
	d := chatPageData{Teams: a.teams, Tenants: tenants, CanManage: v.can(people.ManageConnections)}
	a.render(w, r, v, http.StatusOK, "chat", page{Title: "Microsoft Teams", Section: "services", Data: d})
	return nil
}

func (a *App) chatPackage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	if a.teams.Package == nil || !a.teams.Enabled {
		return badRequest("The Teams bot is not configured on this server: set ZOOMBRIDGE_TEAMS_APP_ID first.")
	}
	zip, err := a.teams.Package()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="zoombridge-teams-app.zip"`)
	_, err = w.Write(zip)
	return err
}

// tenantID is a Microsoft Entra tenant id (a GUID).
var tenantID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12,13}$`)

// chatTenant links or unlinks a Teams tenant to the organization, with its audit entry.
func (a *App) chatTenant(w http.ResponseWriter, r *http.Request, v *viewer) error {
	t := strings.ToLower(strings.TrimSpace(r.PostFormValue("tenant")))
	if !tenantID.MatchString(t) {
		return badRequest("A Microsoft Entra tenant ID looks like 72f988bf-86f1-41af-91ab-2d7cd011db47.")
	}
	unlink := r.PostFormValue("action") == "unlink"
	err := a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		if unlink {
			if err := tx.UnlinkChatTenant(r.Context(), v.org.ID, "teams", t); err != nil {
				return err
			}
		} else if err := tx.LinkChatTenant(r.Context(), v.org.ID, "teams", t, a.now()); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "chat.tenant",
			Target: "teams:" + t, Detail: map[bool]string{true: "unlinked", false: "linked"}[unlink], At: a.now()})
	})
	if err != nil {
		return err
	}
	msg := "Teams tenant " + t + " linked: people there can use the Zoom bot."
	if unlink {
		msg = "Teams tenant " + t + " unlinked: the bot no longer answers there for this organization."
	}
	return a.done(w, r, "/services/chat", msg)
}

// chatSwitch is one of the bot's switches on the Features tab.
type chatSwitch struct {
	Key, Name, Help string
	On              bool
}

func (a *App) chatSwitches(ctx context.Context, orgID int64) ([]chatSwitch, error) {
	s, err := a.st.ChatSettings(ctx, orgID)
	return []chatSwitch{
		{"meetings", "Meetings", "Schedule from a chat with everyone invited, share meetings, upcoming meetings, invitation and recording-ready messages.", s.Meetings},
		{"phone", "Phone", "Each person's recent Zoom Phone calls, voicemails and SMS conversations, as metadata; voicemail transcripts only to their owner.", s.Phone},
		{"whiteboard", "Whiteboard", "List a person's Zoom Whiteboards and share one to a chat as a link.", s.Whiteboard},
	}, err
}

// chatSetFeature switches one of the bot's features, with its audit entry (T2).
func (a *App) chatSetFeature(w http.ResponseWriter, r *http.Request, v *viewer) error {
	on := r.PostFormValue("on") == "1"
	key := r.PostFormValue("feature")
	var name string
	err := a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		s, err := tx.ChatSettings(r.Context(), v.org.ID)
		if err != nil {
			return err
		}
		switch key {
		case "meetings":
			s.Meetings, name = on, "Meetings"
		case "phone":
			s.Phone, name = on, "Phone"
		case "whiteboard":
			s.Whiteboard, name = on, "Whiteboard"
		default:
			return badRequest("Unknown chat feature.")
		}
		if err := tx.SetChatSettings(r.Context(), v.org.ID, s, a.now()); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "switch.changed",
			Target: "chat:" + key, Detail: "chat " + name + " " + onOff(on), At: a.now()})
	})
	if err != nil {
		return err
	}
	return a.done(w, r, "/services/zoom/features", "Chat "+name+" switched "+onOff(on)+".")
}
