package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Sync pass kinds (feature D2).
const (
	PassBackfill    = "backfill"    // when a connection is made: the past 30 days
	PassIncremental = "incremental" // every 15 minutes: since each stream's cursor
	PassSweep       = "sweep"       // "Sync now": the past 30 days again
)

// Sync pass statuses.
const (
	PassRunning   = "running"
	PassSucceeded = "succeeded"
	PassFailed    = "failed"
)

// SyncState is a connection's sync status (feature D4) and schedule.
type SyncState struct {
	ConnectionID     int64
	OrgID            int64
	PassID           int64 // the pass under way, 0 when none
	LastPassID       int64
	BackfilledAt     time.Time
	LastSuccessAt    time.Time
	LastAttemptAt    time.Time
	NextRunAt        time.Time
	SweepRequestedAt time.Time
	APICalls         int64
	RateLimited      int64
	LastError        string
	LastErrorCode    string // internal/connect's problem code; '' when unknown
	LastErrorAt      time.Time
	UpdatedAt        time.Time
}

const syncStateCols = `connection_id, org_id, pass_id, last_pass_id, backfilled_at, last_success_at, last_attempt_at, next_run_at,
	sweep_requested_at, api_calls, rate_limited, last_error, last_error_code, last_error_at, updated_at`

func scanSyncState(row interface{ Scan(...any) error }) (SyncState, error) {
	var s SyncState
	var backfilled, success, attempt, next, sweep, errAt, updated int64
	err := row.Scan(&s.ConnectionID, &s.OrgID, &s.PassID, &s.LastPassID, &backfilled, &success, &attempt, &next,
		&sweep, &s.APICalls, &s.RateLimited, &s.LastError, &s.LastErrorCode, &errAt, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	s.BackfilledAt, s.LastSuccessAt, s.LastAttemptAt, s.NextRunAt = fromMS(backfilled), fromMS(success), fromMS(attempt), fromMS(next)
	s.SweepRequestedAt, s.LastErrorAt, s.UpdatedAt = fromMS(sweep), fromMS(errAt), fromMS(updated)
	return s, err
}

// SyncStateOf returns a connection's sync state; ErrNotFound before its first pass.
func (s *Store) SyncStateOf(ctx context.Context, connID int64) (SyncState, error) {
	return scanSyncState(s.queryRow(ctx, "SELECT "+syncStateCols+" FROM sync_state WHERE connection_id = ?", connID))
}

// ensureSyncState creates the connection's row if it has none.
func (s *Store) ensureSyncState(ctx context.Context, connID int64, now time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO sync_state (connection_id, org_id, updated_at)
		SELECT id, org_id, ? FROM zoom_connections WHERE id = ? ON CONFLICT (connection_id) DO NOTHING`, ms(now), connID)
	return err
}

// RequestSweep records that someone asked for "Sync now": the next pass of
// the connection is a 30-day sweep, even if a pass is under way right now.
func (s *Store) RequestSweep(ctx context.Context, connID int64, now time.Time) error {
	if err := s.ensureSyncState(ctx, connID, now); err != nil {
		return err
	}
	res, err := s.exec(ctx, "UPDATE sync_state SET sweep_requested_at = ?, updated_at = ? WHERE connection_id = ?", ms(now), ms(now), connID)
	return mustAffect(res, err)
}

// ScheduleSync sets when the connection's next incremental pass is due.
func (s *Store) ScheduleSync(ctx context.Context, connID int64, next, now time.Time) error {
	if err := s.ensureSyncState(ctx, connID, now); err != nil {
		return err
	}
	_, err := s.exec(ctx, "UPDATE sync_state SET next_run_at = ?, updated_at = ? WHERE connection_id = ?", ms(next), ms(now), connID)
	return err
}

// DueSyncConnections lists active connections that need a pass: never
// synced, due, asked to sweep, or with a pass left unfinished.
func (s *Store) DueSyncConnections(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.query(ctx, `SELECT c.id FROM zoom_connections c LEFT JOIN sync_state st ON st.connection_id = c.id
		WHERE c.status = ? AND (st.connection_id IS NULL OR st.next_run_at <= ? OR st.sweep_requested_at > 0 OR st.pass_id <> 0)
		ORDER BY COALESCE(st.next_run_at, 0), c.id`, StatusActive, ms(now))
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// NoteSyncError records on the connection's state why its last attempt
// failed: code (internal/connect's problem code, ” when unknown) for the
// words people read, msg for the admin's details.
func (s *Store) NoteSyncError(ctx context.Context, connID int64, code, msg string, now time.Time) error {
	if err := s.ensureSyncState(ctx, connID, now); err != nil {
		return err
	}
	_, err := s.exec(ctx, "UPDATE sync_state SET last_error = ?, last_error_code = ?, last_error_at = ?, updated_at = ? WHERE connection_id = ?", msg, code, ms(now), ms(now), connID)
	return err
}

// SyncPass is one backfill, incremental or sweep pass over a date window.
type SyncPass struct {
	ID              int64
	ConnectionID    int64
	Kind            string
	Status          string
	WindowFrom      time.Time
	WindowTo        time.Time
	StartedAt       time.Time
	FinishedAt      time.Time
	Runs            int
	APICalls        int
	RateLimited     int
	UsersSeen       int
	MeetingsWritten int
	WebinarsWritten int
	CallsWritten    int
	Errors          int
	LastError       string
}

// Written is how many activity rows the pass inserted or changed.
func (p SyncPass) Written() int { return p.MeetingsWritten + p.WebinarsWritten + p.CallsWritten }

const syncPassCols = `id, connection_id, kind, status, window_from, window_to, started_at, finished_at, runs, api_calls,
	rate_limited, users_seen, meetings_written, webinars_written, calls_written, errors, last_error`

func scanSyncPass(row interface{ Scan(...any) error }) (SyncPass, error) {
	var p SyncPass
	var from, to, started, finished int64
	err := row.Scan(&p.ID, &p.ConnectionID, &p.Kind, &p.Status, &from, &to, &started, &finished, &p.Runs, &p.APICalls,
		&p.RateLimited, &p.UsersSeen, &p.MeetingsWritten, &p.WebinarsWritten, &p.CallsWritten, &p.Errors, &p.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	p.WindowFrom, p.WindowTo, p.StartedAt, p.FinishedAt = fromMS(from), fromMS(to), fromMS(started), fromMS(finished)
	return p, err
}

// BeginSyncPass starts a pass and makes it the connection's pass under way.
// A backfill or sweep answers any "Sync now" asked before it began.
func (s *Store) BeginSyncPass(ctx context.Context, connID int64, kind string, from, to, now time.Time) (SyncPass, error) {
	if err := s.ensureSyncState(ctx, connID, now); err != nil {
		return SyncPass{}, err
	}
	id, err := s.insertID(ctx, `INSERT INTO sync_passes (connection_id, kind, window_from, window_to, started_at, runs) VALUES (?, ?, ?, ?, ?, 1)`,
		connID, kind, ms(from), ms(to), ms(now))
	if err != nil {
		return SyncPass{}, err
	}
	set, args := "pass_id = ?, last_attempt_at = ?, updated_at = ?", []any{id, ms(now), ms(now)}
	if kind != PassIncremental {
		set += ", sweep_requested_at = CASE WHEN sweep_requested_at <= ? THEN 0 ELSE sweep_requested_at END"
		args = append(args, ms(now))
	}
	if _, err = s.exec(ctx, "UPDATE sync_state SET "+set+" WHERE connection_id = ?", append(args, connID)...); err != nil {
		return SyncPass{}, err
	}
	return s.SyncPassByID(ctx, id)
}

// ResumeSyncPass counts one more job run working on a pass.
func (s *Store) ResumeSyncPass(ctx context.Context, passID int64, now time.Time) error {
	res, err := s.exec(ctx, "UPDATE sync_passes SET runs = runs + 1 WHERE id = ? AND status = ?", passID, PassRunning)
	if err := mustAffect(res, err); err != nil {
		return err
	}
	_, err = s.exec(ctx, "UPDATE sync_state SET last_attempt_at = ?, updated_at = ? WHERE pass_id = ?", ms(now), ms(now), passID)
	return err
}

// SyncPassByID returns one pass.
func (s *Store) SyncPassByID(ctx context.Context, id int64) (SyncPass, error) {
	return scanSyncPass(s.queryRow(ctx, "SELECT "+syncPassCols+" FROM sync_passes WHERE id = ?", id))
}

// SyncPasses lists a connection's latest passes, newest first.
func (s *Store) SyncPasses(ctx context.Context, connID int64, limit int) ([]SyncPass, error) {
	rows, err := s.query(ctx, "SELECT "+syncPassCols+" FROM sync_passes WHERE connection_id = ? ORDER BY id DESC LIMIT ?", connID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanSyncPass)
}

// SyncUnitsDone lists the units of a pass already done (its checkpoint).
func (s *Store) SyncUnitsDone(ctx context.Context, passID int64) (map[string]bool, error) {
	rows, err := s.query(ctx, "SELECT unit FROM sync_units WHERE pass_id = ?", passID)
	if err != nil {
		return nil, err
	}
	units, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var u string
		return u, r.Scan(&u)
	})
	done := make(map[string]bool, len(units))
	for _, u := range units {
		done[u] = true
	}
	return done, err
}

// SyncCounts is what one unit of a pass wrote.
type SyncCounts struct {
	Users, Meetings, Webinars, Calls int
}

// FinishSyncUnit checkpoints a unit as done and adds what it wrote to the
// pass. A unit finished twice counts once.
func (s *Store) FinishSyncUnit(ctx context.Context, passID int64, unit string, c SyncCounts, now time.Time) error {
	res, err := s.exec(ctx, "INSERT INTO sync_units (pass_id, unit, done_at) VALUES (?, ?, ?) ON CONFLICT (pass_id, unit) DO NOTHING", passID, unit, ms(now))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	_, err = s.exec(ctx, `UPDATE sync_passes SET users_seen = users_seen + ?, meetings_written = meetings_written + ?,
		webinars_written = webinars_written + ?, calls_written = calls_written + ? WHERE id = ?`,
		c.Users, c.Meetings, c.Webinars, c.Calls, passID)
	return err
}

// AddSyncWritten adds activity rows a pass wrote (inserted or changed).
func (s *Store) AddSyncWritten(ctx context.Context, passID int64, c SyncCounts) error {
	if c.Meetings == 0 && c.Webinars == 0 && c.Calls == 0 {
		return nil
	}
	_, err := s.exec(ctx, `UPDATE sync_passes SET meetings_written = meetings_written + ?, webinars_written = webinars_written + ?,
		calls_written = calls_written + ? WHERE id = ?`, c.Meetings, c.Webinars, c.Calls, passID)
	return err
}

// AddSyncUsage adds Zoom API calls made, and 429s met, to a pass and its connection.
func (s *Store) AddSyncUsage(ctx context.Context, passID int64, calls, rateLimited int64) error {
	if calls == 0 && rateLimited == 0 {
		return nil
	}
	if _, err := s.exec(ctx, "UPDATE sync_passes SET api_calls = api_calls + ?, rate_limited = rate_limited + ? WHERE id = ?", calls, rateLimited, passID); err != nil {
		return err
	}
	_, err := s.exec(ctx, `UPDATE sync_state SET api_calls = api_calls + ?, rate_limited = rate_limited + ?
		WHERE connection_id = (SELECT connection_id FROM sync_passes WHERE id = ?)`, calls, rateLimited, passID)
	return err
}

// FinishSyncPass closes a pass, drops its checkpoint and schedules the next
// one. Success also records the time and, for a backfill or sweep, that the
// connection has its 30 days.
func (s *Store) FinishSyncPass(ctx context.Context, passID int64, status string, next, now time.Time) error {
	p, err := s.SyncPassByID(ctx, passID)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, "UPDATE sync_passes SET status = ?, finished_at = ? WHERE id = ?", status, ms(now), passID); err != nil {
		return err
	}
	if _, err := s.exec(ctx, "DELETE FROM sync_units WHERE pass_id = ?", passID); err != nil {
		return err
	}
	set := "pass_id = 0, last_pass_id = ?, next_run_at = ?, updated_at = ?"
	args := []any{passID, ms(next), ms(now)}
	if status == PassSucceeded {
		set += ", last_success_at = ?, last_error = '', last_error_code = '', last_error_at = 0"
		args = append(args, ms(now))
		if p.Kind != PassIncremental {
			set += ", backfilled_at = ?"
			args = append(args, ms(now))
		}
	}
	_, err = s.exec(ctx, "UPDATE sync_state SET "+set+" WHERE connection_id = ? AND pass_id = ?", append(args, p.ConnectionID, passID)...)
	return err
}

// SyncCursor returns how far a stream has synced a Zoom user (zero: never).
func (s *Store) SyncCursor(ctx context.Context, connID int64, stream, zoomUserID string) (time.Time, error) {
	var at int64
	err := s.queryRow(ctx, "SELECT through_at FROM sync_cursors WHERE connection_id = ? AND stream = ? AND zoom_user_id = ?",
		connID, stream, zoomUserID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return fromMS(at), err
}

// SyncCursors returns every cursor of a stream of a connection, by Zoom user.
func (s *Store) SyncCursors(ctx context.Context, connID int64, stream string) (map[string]time.Time, error) {
	rows, err := s.query(ctx, "SELECT zoom_user_id, through_at FROM sync_cursors WHERE connection_id = ? AND stream = ?", connID, stream)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = fromMS(at)
	}
	return out, rows.Err()
}

// AdvanceSyncCursor moves a stream's cursor for a Zoom user forward to through.
func (s *Store) AdvanceSyncCursor(ctx context.Context, connID int64, stream, zoomUserID string, through time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO sync_cursors (connection_id, stream, zoom_user_id, through_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (connection_id, stream, zoom_user_id) DO UPDATE SET through_at = excluded.through_at
		WHERE sync_cursors.through_at < excluded.through_at`, connID, stream, zoomUserID, ms(through))
	return err
}

// ResetSyncCursors forgets a stream's cursors, so the next pass lists 30 days
// for everyone (after its feature was off, say).
func (s *Store) ResetSyncCursors(ctx context.Context, connID int64, stream string) error {
	_, err := s.exec(ctx, "DELETE FROM sync_cursors WHERE connection_id = ? AND stream = ?", connID, stream)
	return err
}
