package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// OutboundEndpoint is a host product's URL that receives an organization's
// events (feature X2). Secrets are sealed by the vault.
type OutboundEndpoint struct {
	ID              int64
	OrgID           int64
	URL             string
	Description     string
	EventTypes      []string // empty: every type
	SecretEnc       []byte
	PrevSecretEnc   []byte // signs beside SecretEnc until PrevSecretUntil
	PrevSecretUntil time.Time
	DisabledAt      time.Time // zero while enabled
	DisabledReason  string    // a code: "manual", "gone", "failing"
	FailingSince    time.Time // first failure since the last success
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Enabled reports whether the endpoint receives deliveries.
func (e OutboundEndpoint) Enabled() bool { return e.DisabledAt.IsZero() }

// Wants reports whether the endpoint subscribes to an event type.
func (e OutboundEndpoint) Wants(eventType string) bool {
	if len(e.EventTypes) == 0 {
		return true
	}
	for _, t := range e.EventTypes {
		if t == eventType {
			return true
		}
	}
	return false
}

const outboundEndpointCols = "id, org_id, url, description, event_types, secret_enc, prev_secret_enc, prev_secret_until, disabled_at, disabled_reason, failing_since, created_at, updated_at"

func scanOutboundEndpoint(row interface{ Scan(...any) error }) (OutboundEndpoint, error) {
	var e OutboundEndpoint
	var types string
	var until, disabled, failing, created, updated int64
	err := row.Scan(&e.ID, &e.OrgID, &e.URL, &e.Description, &types, &e.SecretEnc, &e.PrevSecretEnc, &until, &disabled, &e.DisabledReason, &failing, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	e.EventTypes = strings.Fields(types)
	e.PrevSecretUntil, e.DisabledAt, e.FailingSince, e.CreatedAt, e.UpdatedAt = fromMS(until), fromMS(disabled), fromMS(failing), fromMS(created), fromMS(updated)
	return e, err
}

// CreateOutboundEndpoint stores an endpoint; SecretEnc is sealed for its id,
// so the caller seals it in the same transaction with seal(id).
func (s *Store) CreateOutboundEndpoint(ctx context.Context, e OutboundEndpoint, seal func(id int64) ([]byte, error), now time.Time) (OutboundEndpoint, error) {
	id, err := s.insertID(ctx, "INSERT INTO outbound_endpoints (org_id, url, description, event_types, secret_enc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.OrgID, e.URL, e.Description, strings.Join(e.EventTypes, " "), []byte{}, ms(now), ms(now))
	if err != nil {
		return OutboundEndpoint{}, err
	}
	enc, err := seal(id)
	if err != nil {
		return OutboundEndpoint{}, err
	}
	if _, err := s.exec(ctx, "UPDATE outbound_endpoints SET secret_enc = ? WHERE id = ?", enc, id); err != nil {
		return OutboundEndpoint{}, err
	}
	return s.OutboundEndpoint(ctx, e.OrgID, id)
}

// OutboundEndpoint returns one of an organization's endpoints.
func (s *Store) OutboundEndpoint(ctx context.Context, orgID, id int64) (OutboundEndpoint, error) {
	return scanOutboundEndpoint(s.queryRow(ctx, "SELECT "+outboundEndpointCols+" FROM outbound_endpoints WHERE id = ? AND org_id = ?", id, orgID))
}

// OutboundEndpoints lists an organization's endpoints, oldest first.
func (s *Store) OutboundEndpoints(ctx context.Context, orgID int64) ([]OutboundEndpoint, error) {
	rows, err := s.query(ctx, "SELECT "+outboundEndpointCols+" FROM outbound_endpoints WHERE org_id = ? ORDER BY id", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOutboundEndpoint)
}

// UpdateOutboundEndpoint changes the URL, description and filter.
func (s *Store) UpdateOutboundEndpoint(ctx context.Context, e OutboundEndpoint, now time.Time) error {
	res, err := s.exec(ctx, "UPDATE outbound_endpoints SET url = ?, description = ?, event_types = ?, updated_at = ? WHERE id = ? AND org_id = ?",
		e.URL, e.Description, strings.Join(e.EventTypes, " "), ms(now), e.ID, e.OrgID)
	return mustAffect(res, err)
}

// RotateOutboundSecret makes enc the secret; the old one signs too until until.
func (s *Store) RotateOutboundSecret(ctx context.Context, orgID, id int64, enc, prevEnc []byte, until, now time.Time) error {
	res, err := s.exec(ctx, "UPDATE outbound_endpoints SET secret_enc = ?, prev_secret_enc = ?, prev_secret_until = ?, updated_at = ? WHERE id = ? AND org_id = ?",
		enc, prevEnc, ms(until), ms(now), id, orgID)
	return mustAffect(res, err)
}

// SetOutboundEndpointDisabled disables (reason non-empty) or enables an
// endpoint; enabling clears its failure streak. It reports whether the state changed.
func (s *Store) SetOutboundEndpointDisabled(ctx context.Context, orgID, id int64, reason string, now time.Time) (bool, error) {
	var res sql.Result
	var err error
	if reason == "" {
		res, err = s.exec(ctx, "UPDATE outbound_endpoints SET disabled_at = 0, disabled_reason = '', failing_since = 0, updated_at = ? WHERE id = ? AND org_id = ? AND disabled_at <> 0", ms(now), id, orgID)
	} else {
		res, err = s.exec(ctx, "UPDATE outbound_endpoints SET disabled_at = ?, disabled_reason = ?, updated_at = ? WHERE id = ? AND org_id = ? AND disabled_at = 0", ms(now), reason, ms(now), id, orgID)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// MarkOutboundEndpointFailing starts an endpoint's failure streak if none
// runs, and returns when it started.
func (s *Store) MarkOutboundEndpointFailing(ctx context.Context, id int64, now time.Time) (time.Time, error) {
	if _, err := s.exec(ctx, "UPDATE outbound_endpoints SET failing_since = ? WHERE id = ? AND failing_since = 0", ms(now), id); err != nil {
		return time.Time{}, err
	}
	var since int64
	err := s.queryRow(ctx, "SELECT failing_since FROM outbound_endpoints WHERE id = ?", id).Scan(&since)
	return fromMS(since), err
}

// ClearOutboundEndpointFailing ends an endpoint's failure streak.
func (s *Store) ClearOutboundEndpointFailing(ctx context.Context, id int64) error {
	_, err := s.exec(ctx, "UPDATE outbound_endpoints SET failing_since = 0 WHERE id = ? AND failing_since <> 0", id)
	return err
}

// DeleteOutboundEndpoint removes an endpoint with its deliveries.
func (s *Store) DeleteOutboundEndpoint(ctx context.Context, orgID, id int64) error {
	res, err := s.exec(ctx, "DELETE FROM outbound_endpoints WHERE id = ? AND org_id = ?", id, orgID)
	return mustAffect(res, err)
}

// OutboundSubscriptions lists the enabled endpoints of an organization with
// their filters (what Publish fans an event out to).
func (s *Store) OutboundSubscriptions(ctx context.Context, orgID int64) ([]OutboundEndpoint, error) {
	rows, err := s.query(ctx, "SELECT id, event_types FROM outbound_endpoints WHERE org_id = ? AND disabled_at = 0 ORDER BY id", orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (OutboundEndpoint, error) {
		e := OutboundEndpoint{OrgID: orgID}
		var types string
		err := r.Scan(&e.ID, &types)
		e.EventTypes = strings.Fields(types)
		return e, err
	})
}

// DisabledOutboundEndpoints lists endpoints disabled for a reason, for the Owner's banner.
func (s *Store) DisabledOutboundEndpoints(ctx context.Context, orgID int64, reason string) ([]OutboundEndpoint, error) {
	rows, err := s.query(ctx, "SELECT "+outboundEndpointCols+" FROM outbound_endpoints WHERE org_id = ? AND disabled_at <> 0 AND disabled_reason = ? ORDER BY id", orgID, reason)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOutboundEndpoint)
}
