package store

import (
	"context"
	"time"
)

// Recording problems a rep's pass last met, as codes (feature C6, C3).
const (
	RecordingProblemBasic        = "plan_basic"    // the Zoom user's plan has no cloud recording
	RecordingProblemMissingScope = "missing_scope" // the connection lacks a recording scope
)

// RecordingPerson is a person's recordings state: the Sync Recordings switch
// (R5) and the incremental pass's cursor.
type RecordingPerson struct {
	PersonID    int64
	OrgID       int64
	SyncEnabled bool
	SyncedUntil time.Time // recordings up to here are known
	LastSyncAt  time.Time
	LastSweepAt time.Time
	LastProblem string
}

// RecordingPersonOf returns the person's state; a person never seen has sync on.
func (s *Store) RecordingPersonOf(ctx context.Context, orgID, personID int64) (RecordingPerson, error) {
	r := RecordingPerson{PersonID: personID, OrgID: orgID, SyncEnabled: true}
	var until, last, sweep int64
	err := notFound(s.queryRow(ctx, `SELECT sync_enabled, synced_until, last_sync_at, last_sweep_at, last_problem
		FROM recording_people WHERE person_id = ? AND org_id = ?`, personID, orgID).Scan(&r.SyncEnabled, &until, &last, &sweep, &r.LastProblem))
	if err == ErrNotFound {
		return r, nil
	}
	r.SyncedUntil, r.LastSyncAt, r.LastSweepAt = fromMS(until), fromMS(last), fromMS(sweep)
	return r, err
}

func (s *Store) ensureRecordingPerson(ctx context.Context, orgID, personID int64, now time.Time) error {
	if err := s.checkPerson(ctx, orgID, personID, "rep"); err != nil {
		return err
	}
	_, err := s.exec(ctx, `INSERT INTO recording_people (person_id, org_id, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (person_id) DO NOTHING`, personID, orgID, ms(now))
	return err
}

// SetRecordingSync turns a person's Sync Recordings switch on or off.
func (s *Store) SetRecordingSync(ctx context.Context, orgID, personID int64, on bool, now time.Time) error {
	if err := s.ensureRecordingPerson(ctx, orgID, personID, now); err != nil {
		return err
	}
	_, err := s.exec(ctx, "UPDATE recording_people SET sync_enabled = ?, updated_at = ? WHERE person_id = ? AND org_id = ?", on, ms(now), personID, orgID)
	return err
}

// RecordRecordingPass notes a pass over a person's recordings: its problem
// code ("" when none), and on success the time its listing covered up to.
// A sweep also sets LastSweepAt.
func (s *Store) RecordRecordingPass(ctx context.Context, orgID, personID int64, coveredUntil time.Time, problem string, sweep bool, now time.Time) error {
	if err := s.ensureRecordingPerson(ctx, orgID, personID, now); err != nil {
		return err
	}
	q := "UPDATE recording_people SET last_problem = ?, last_sync_at = ?, updated_at = ?"
	args := []any{problem, ms(now), ms(now)}
	if !coveredUntil.IsZero() {
		q += ", synced_until = ?"
		args = append(args, ms(coveredUntil))
	}
	if sweep {
		q += ", last_sweep_at = ?"
		args = append(args, ms(now))
	}
	_, err := s.exec(ctx, q+" WHERE person_id = ? AND org_id = ?", append(args, personID, orgID)...)
	return err
}

// KeepSummaryText reports whether the organization keeps AI summary text (off by default).
func (s *Store) KeepSummaryText(ctx context.Context, orgID int64) (bool, error) {
	var on bool
	err := notFound(s.queryRow(ctx, "SELECT keep_summary_text FROM recording_org_settings WHERE org_id = ?", orgID).Scan(&on))
	if err == ErrNotFound {
		return false, nil
	}
	return on, err
}

// SetKeepSummaryText turns keeping AI summary text on or off; turning it off
// erases the text already kept.
func (s *Store) SetKeepSummaryText(ctx context.Context, orgID int64, on bool, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO recording_org_settings (org_id, keep_summary_text, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET keep_summary_text = excluded.keep_summary_text, updated_at = excluded.updated_at`, orgID, on, ms(now))
	if err != nil || on {
		return err
	}
	_, err = s.exec(ctx, "UPDATE artifacts SET summary_overview = '', summary_next_steps = '', updated_at = ? WHERE org_id = ? AND kind = ?",
		ms(now), orgID, ArtifactSummary)
	return err
}
