package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ChatSettings are the admin's switches for what the chat bot offers (T2).
type ChatSettings struct {
	Meetings, Phone, Whiteboard bool
}

// ChatSettings returns an organization's chat switches, all on until an admin changes one.
func (s *Store) ChatSettings(ctx context.Context, orgID int64) (ChatSettings, error) {
	c := ChatSettings{true, true, true}
	err := s.queryRow(ctx, "SELECT meetings_enabled, phone_enabled, whiteboard_enabled FROM chat_settings WHERE org_id = ?", orgID).
		Scan(&c.Meetings, &c.Phone, &c.Whiteboard)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	return c, err
}

// SetChatSettings saves an organization's chat switches.
func (s *Store) SetChatSettings(ctx context.Context, orgID int64, c ChatSettings, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO chat_settings (org_id, meetings_enabled, phone_enabled, whiteboard_enabled, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET meetings_enabled = excluded.meetings_enabled, phone_enabled = excluded.phone_enabled,
		whiteboard_enabled = excluded.whiteboard_enabled, updated_at = excluded.updated_at`, orgID, c.Meetings, c.Phone, c.Whiteboard, ms(now))
	return err
}

// ChatTenantOrg returns the organization a platform's tenant belongs to.
func (s *Store) ChatTenantOrg(ctx context.Context, platform, tenantID string) (int64, error) {
	var org int64
	err := s.queryRow(ctx, "SELECT org_id FROM chat_tenants WHERE platform = ? AND tenant_id = ?", platform, tenantID).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return org, err
}

// ChatTenants lists the tenants linked to an organization on a platform.
func (s *Store) ChatTenants(ctx context.Context, orgID int64, platform string) ([]string, error) {
	rows, err := s.query(ctx, "SELECT tenant_id FROM chat_tenants WHERE org_id = ? AND platform = ? ORDER BY tenant_id", orgID, platform)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var t string
		return t, r.Scan(&t)
	})
}

// LinkChatTenant makes a platform's tenant belong to an organization (a
// tenant belongs to one organization; linking it again moves it).
func (s *Store) LinkChatTenant(ctx context.Context, orgID int64, platform, tenantID string, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO chat_tenants (platform, tenant_id, org_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (platform, tenant_id) DO UPDATE SET org_id = excluded.org_id`, platform, tenantID, orgID, ms(now))
	return err
}

// UnlinkChatTenant removes a tenant from an organization.
func (s *Store) UnlinkChatTenant(ctx context.Context, orgID int64, platform, tenantID string) error {
	_, err := s.exec(ctx, "DELETE FROM chat_tenants WHERE org_id = ? AND platform = ? AND tenant_id = ?", orgID, platform, tenantID)
	return err
}

// ChatUser is someone the bot has seen in a chat, and where to reach them.
type ChatUser struct {
	OrgID        int64
	Platform     string
	UserID       string // the platform's id for the user in this bot's chats
	Email        string
	Name         string
	TenantID     string
	ServiceURL   string
	DirectConvID string // the bot's personal conversation with them, once known
}

// UpsertChatUser records a chat user; an empty DirectConvID keeps the known one.
func (s *Store) UpsertChatUser(ctx context.Context, u ChatUser, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO chat_users (org_id, platform, user_id, email, name, tenant_id, service_url, direct_conv_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, platform, user_id) DO UPDATE SET email = excluded.email, name = excluded.name, tenant_id = excluded.tenant_id,
		service_url = excluded.service_url, updated_at = excluded.updated_at,
		direct_conv_id = CASE WHEN excluded.direct_conv_id = '' THEN chat_users.direct_conv_id ELSE excluded.direct_conv_id END`,
		u.OrgID, u.Platform, u.UserID, NormEmail(u.Email), u.Name, u.TenantID, u.ServiceURL, u.DirectConvID, ms(now))
	return err
}

// ChatUsersByEmail finds the chat users with an email in an organization.
func (s *Store) ChatUsersByEmail(ctx context.Context, orgID int64, email string) ([]ChatUser, error) {
	rows, err := s.query(ctx, `SELECT org_id, platform, user_id, email, name, tenant_id, service_url, direct_conv_id FROM chat_users
		WHERE org_id = ? AND email = ? ORDER BY updated_at DESC`, orgID, NormEmail(email))
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (ChatUser, error) {
		var u ChatUser
		return u, r.Scan(&u.OrgID, &u.Platform, &u.UserID, &u.Email, &u.Name, &u.TenantID, &u.ServiceURL, &u.DirectConvID)
	})
}

// ZoomUsersOfPerson lists the Zoom users mapped to a person, through any connection.
func (s *Store) ZoomUsersOfPerson(ctx context.Context, orgID, personID int64) ([]ZoomUser, error) {
	rows, err := s.query(ctx, "SELECT "+zoomUserCols+" FROM zoom_users WHERE org_id = ? AND person_id = ? ORDER BY id", orgID, personID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanZoomUser)
}
