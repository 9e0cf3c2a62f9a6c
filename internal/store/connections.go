package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Connection kinds (features C1, C2).
const (
	KindAccountOAuth = "account_oauth"
	KindS2S          = "s2s"
	KindUserOAuth    = "user_oauth"
)

// Connection statuses.
const (
	StatusActive         = "active"
	StatusNeedsReconnect = "needs_reconnect"
)

// Connection is one Zoom authorization held for an organization. The *Enc
// fields are vault ciphertext; this package never sees plaintext secrets.
type Connection struct {
	ID               int64
	OrgID            int64
	Kind             string
	PersonID         int64
	ZoomAccountID    string
	ZoomUserID       string
	Email            string
	DisplayName      string
	PlanType         int
	PhoneLicensed    bool
	Scopes           string
	Status           string
	StatusReason     string
	ClientID         string
	ClientSecretEnc  []byte
	WebhookSecretEnc []byte
	AccessTokenEnc   []byte
	RefreshTokenEnc  []byte
	TokenExpiresAt   time.Time
	RefreshedAt      time.Time
	CreatedBy        int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

const connCols = `id, org_id, kind, person_id, zoom_account_id, zoom_user_id, email, display_name, plan_type,
	phone_licensed, scopes, status, status_reason, client_id, client_secret_enc, webhook_secret_enc,
	access_token_enc, refresh_token_enc, token_expires_at, refreshed_at, created_by, created_at, updated_at`

func scanConn(row interface{ Scan(...any) error }) (Connection, error) {
	var c Connection
	var person, createdBy sql.NullInt64
	var exp, refreshed, created, updated int64
	err := row.Scan(&c.ID, &c.OrgID, &c.Kind, &person, &c.ZoomAccountID, &c.ZoomUserID, &c.Email, &c.DisplayName, &c.PlanType,
		&c.PhoneLicensed, &c.Scopes, &c.Status, &c.StatusReason, &c.ClientID, &c.ClientSecretEnc, &c.WebhookSecretEnc,
		&c.AccessTokenEnc, &c.RefreshTokenEnc, &exp, &refreshed, &createdBy, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	c.PersonID, c.CreatedBy = person.Int64, createdBy.Int64
	c.TokenExpiresAt, c.RefreshedAt, c.CreatedAt, c.UpdatedAt = fromMS(exp), fromMS(refreshed), fromMS(created), fromMS(updated)
	return c, err
}

// CreateConnection stores a new connection and returns it with its id.
func (s *Store) CreateConnection(ctx context.Context, c Connection, now time.Time) (Connection, error) {
	if c.Status == "" {
		c.Status = StatusActive
	}
	id, err := s.insertID(ctx, `INSERT INTO zoom_connections (org_id, kind, person_id, zoom_account_id, zoom_user_id, email, display_name,
		plan_type, phone_licensed, scopes, status, status_reason, client_id, client_secret_enc, webhook_secret_enc,
		access_token_enc, refresh_token_enc, token_expires_at, refreshed_at, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.OrgID, c.Kind, nullID(c.PersonID), c.ZoomAccountID, c.ZoomUserID, c.Email, c.DisplayName,
		c.PlanType, c.PhoneLicensed, c.Scopes, c.Status, c.StatusReason, c.ClientID, c.ClientSecretEnc, c.WebhookSecretEnc,
		c.AccessTokenEnc, c.RefreshTokenEnc, ms(c.TokenExpiresAt), ms(c.RefreshedAt), nullID(c.CreatedBy), ms(now), ms(now))
	if err != nil {
		return Connection{}, err
	}
	return s.ConnectionByID(ctx, id)
}

// ConnectionByID returns one connection, whatever its organization (for jobs).
func (s *Store) ConnectionByID(ctx context.Context, id int64) (Connection, error) {
	return scanConn(s.queryRow(ctx, "SELECT "+connCols+" FROM zoom_connections WHERE id = ?", id))
}

// OrgConnection returns a connection only if it belongs to the organization.
func (s *Store) OrgConnection(ctx context.Context, orgID, id int64) (Connection, error) {
	return scanConn(s.queryRow(ctx, "SELECT "+connCols+" FROM zoom_connections WHERE id = ? AND org_id = ?", id, orgID))
}

// Connections lists an organization's connections, oldest first.
func (s *Store) Connections(ctx context.Context, orgID int64) ([]Connection, error) {
	rows, err := s.query(ctx, "SELECT "+connCols+" FROM zoom_connections WHERE org_id = ? ORDER BY id", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanConn)
}

// AllConnections lists every connection of every organization (for schedulers).
func (s *Store) AllConnections(ctx context.Context) ([]Connection, error) {
	rows, err := s.query(ctx, "SELECT "+connCols+" FROM zoom_connections ORDER BY id")
	if err != nil {
		return nil, err
	}
	return collect(rows, scanConn)
}

// ConnectionsByZoomAccount finds the connections that hold a Zoom account, for routing webhooks.
func (s *Store) ConnectionsByZoomAccount(ctx context.Context, zoomAccountID string) ([]Connection, error) {
	rows, err := s.query(ctx, "SELECT "+connCols+" FROM zoom_connections WHERE zoom_account_id = ? ORDER BY id", zoomAccountID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanConn)
}

// SaveTokens stores freshly issued tokens (ciphertext) and marks the connection active.
func (s *Store) SaveTokens(ctx context.Context, id int64, accessEnc, refreshEnc []byte, expires, now time.Time, scopes string) error {
	res, err := s.exec(ctx, `UPDATE zoom_connections SET access_token_enc = ?, refresh_token_enc = ?, token_expires_at = ?,
		refreshed_at = ?, scopes = ?, status = ?, status_reason = '', updated_at = ? WHERE id = ?`,
		accessEnc, refreshEnc, ms(expires), ms(now), scopes, StatusActive, ms(now), id)
	return mustAffect(res, err)
}

// SetConnectionStatus records why a connection needs attention (or that it is fine again).
func (s *Store) SetConnectionStatus(ctx context.Context, id int64, status, reason string, now time.Time) error {
	res, err := s.exec(ctx, "UPDATE zoom_connections SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?", status, reason, ms(now), id)
	return mustAffect(res, err)
}

// DeleteConnection removes a connection, its tokens and what no other
// connection covers (PurgeConnection, which also counts what went).
func (s *Store) DeleteConnection(ctx context.Context, id int64) error {
	_, err := s.PurgeConnection(ctx, id)
	return err
}
