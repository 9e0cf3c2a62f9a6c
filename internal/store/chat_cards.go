package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ChatCard is a meeting card the bot posted, keyed by the meeting instance.
type ChatCard struct {
	ID             int64
	OrgID          int64
	Platform       string
	ConversationID string
	ServiceURL     string
	MessageID      string
	MeetingID      string
	MeetingUUID    string
	Card           string // the card as posted (JSON), to repost as ended
	EndedAt        time.Time
}

// CreateChatCard records a posted meeting card.
func (s *Store) CreateChatCard(ctx context.Context, c ChatCard, now time.Time) (int64, error) {
	return s.insertID(ctx, `INSERT INTO chat_cards (org_id, platform, conversation_id, service_url, message_id, meeting_id, meeting_uuid, card, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.OrgID, c.Platform, c.ConversationID, c.ServiceURL, c.MessageID, c.MeetingID, c.MeetingUUID, c.Card, ms(now))
}

// EndedMeetingCards lists cards not yet marked ended whose meeting instance
// has ended, as the activity sync and webhooks recorded it.
func (s *Store) EndedMeetingCards(ctx context.Context, limit int) ([]ChatCard, error) {
	rows, err := s.query(ctx, `SELECT c.id, c.org_id, c.platform, c.conversation_id, c.service_url, c.message_id, c.meeting_id, c.meeting_uuid, c.card, a.end_at
		FROM chat_cards c JOIN activities a ON a.org_id = c.org_id AND a.kind = 'meeting' AND a.zoom_id = c.meeting_uuid AND a.end_at > 0
		WHERE c.ended_at = 0 ORDER BY c.id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (ChatCard, error) {
		var c ChatCard
		var end int64
		err := r.Scan(&c.ID, &c.OrgID, &c.Platform, &c.ConversationID, &c.ServiceURL, &c.MessageID, &c.MeetingID, &c.MeetingUUID, &c.Card, &end)
		c.EndedAt = fromMS(end)
		return c, err
	})
}

// ClaimEndedChatCard marks a card ended; false when another tick (or
// replica) already did, so each card is updated once.
func (s *Store) ClaimEndedChatCard(ctx context.Context, id int64, endedAt time.Time) (bool, error) {
	res, err := s.exec(ctx, "UPDATE chat_cards SET ended_at = ? WHERE id = ? AND ended_at = 0", ms(endedAt), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReopenChatCard undoes a claim whose update did not reach the chat, so the next tick tries again.
func (s *Store) ReopenChatCard(ctx context.Context, id int64) error {
	_, err := s.exec(ctx, "UPDATE chat_cards SET ended_at = 0 WHERE id = ?", id)
	return err
}

// ChatEventCursor is the last outbound event the bot has handled for an organization.
func (s *Store) ChatEventCursor(ctx context.Context, orgID int64) (int64, error) {
	var id int64
	err := s.queryRow(ctx, "SELECT last_id FROM chat_event_cursors WHERE org_id = ?", orgID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// SetChatEventCursor moves the bot's outbox cursor for an organization.
func (s *Store) SetChatEventCursor(ctx context.Context, orgID, lastID int64, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO chat_event_cursors (org_id, last_id, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at`, orgID, lastID, ms(now))
	return err
}

// ChatOrgs lists the organizations linked to any chat tenant.
func (s *Store) ChatOrgs(ctx context.Context) ([]int64, error) {
	rows, err := s.query(ctx, "SELECT DISTINCT org_id FROM chat_tenants ORDER BY org_id")
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// ClaimRecordingNotice records that the host of a meeting instance is told
// its recording is ready; false when someone already claimed it.
func (s *Store) ClaimRecordingNotice(ctx context.Context, orgID int64, meetingUUID string, now time.Time) (bool, error) {
	res, err := s.exec(ctx, `INSERT INTO chat_recording_notices (org_id, meeting_uuid, created_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id, meeting_uuid) DO NOTHING`, orgID, meetingUUID, ms(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
