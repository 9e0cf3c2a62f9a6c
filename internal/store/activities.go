package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Activity kinds.
const (
	ActivityMeeting = "meeting"
	ActivityWebinar = "webinar"
	ActivityCall    = "call"
)

// Activity is one hosted meeting, hosted webinar or Zoom Phone call of a person.
// Metadata only: a participant count, never who (feature A4).
type Activity struct {
	ID    int64
	OrgID int64
	// ConnectionID, written, is the connection that saw the activity; read,
	// the one holding the row, one of those that saw it (ActivityCoverage).
	ConnectionID      int64
	PersonID          int64
	ZoomUserID        string
	Kind              string
	ZoomID            string
	ZoomNumber        string
	Title             string
	StartAt           time.Time
	EndAt             time.Time
	DurationSeconds   int
	ParticipantsCount int
	Direction         string
	CallerName        string
	Callee            string // an outbound call's callee: name, else number (CalleeOf)
	Device            string
	Source            string
	UpdatedAt         time.Time
}

const activityCols = `a.id, a.org_id, a.connection_id, a.person_id, a.zoom_user_id, a.kind, a.zoom_id, a.zoom_number, a.title,
	a.start_at, a.end_at, a.duration_seconds, a.participants_count, a.direction, a.caller_name, a.callee, a.device, a.source, a.updated_at`

func scanActivity(row interface{ Scan(...any) error }) (Activity, error) {
	var a Activity
	var person sql.NullInt64
	var start, end, updated int64
	err := row.Scan(&a.ID, &a.OrgID, &a.ConnectionID, &person, &a.ZoomUserID, &a.Kind, &a.ZoomID, &a.ZoomNumber, &a.Title,
		&start, &end, &a.DurationSeconds, &a.ParticipantsCount, &a.Direction, &a.CallerName, &a.Callee, &a.Device, &a.Source, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	a.PersonID, a.StartAt, a.EndAt, a.UpdatedAt = person.Int64, fromMS(start), fromMS(end), fromMS(updated)
	return a, err
}

// pick keeps the stored value unless the incoming one is set, so partial
// records (a webhook's started, then its ended, in any order) merge to one state.
func pick(col, zero string) string {
	return col + " = CASE WHEN excluded." + col + " <> " + zero + " THEN excluded." + col + " ELSE activities." + col + " END"
}

func changed(col, zero string) string {
	return "(excluded." + col + " <> " + zero + " AND excluded." + col + " <> activities." + col + ")"
}

var mergeCols = [][2]string{{"zoom_number", "''"}, {"title", "''"}, {"start_at", "0"}, {"end_at", "0"}, {"duration_seconds", "0"},
	{"participants_count", "0"}, {"direction", "''"}, {"caller_name", "''"}, {"callee", "''"}, {"device", "''"}}

var upsertActivitySQL = func() string {
	var set, where []string
	for _, c := range mergeCols {
		set = append(set, pick(c[0], c[1]))
		where = append(where, changed(c[0], c[1]))
	}
	return `INSERT INTO activities (org_id, connection_id, person_id, zoom_user_id, kind, zoom_id, zoom_number, title, start_at, end_at,
		duration_seconds, participants_count, direction, caller_name, callee, device, source, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, kind, zoom_id, zoom_user_id) DO UPDATE SET ` + strings.Join(set, ", ") +
		`, person_id = excluded.person_id, updated_at = excluded.updated_at, revision = activities.revision + 1
		WHERE ` + strings.Join(where, " OR ") + ` OR COALESCE(activities.person_id, 0) <> COALESCE(excluded.person_id, 0)`
}()

// upsertActivityOneSQL upserts one row and returns its revision: a row only
// when the upsert wrote it, revision 1 when it inserted it. On SQLite the
// RETURNING adds some 10-15 % to the upsert, so it is used only where
// inserted and changed rows must be told apart (outbound activity events).
var upsertActivityOneSQL = upsertActivitySQL + " RETURNING revision"

// Write is what an upsert did to its activity's row.
type Write uint8

const (
	Unwritten Write = iota // nothing it shows changed: no write
	Inserted               // a new row
	Changed                // a stored row merged to other values
	Written                // Inserted or Changed, not told apart (not asked to)
)

// runUpsert runs one upsert and reports its write: told, through query and
// the revision its RETURNING gives (no row: nothing written), or not,
// through exec and the rows it affected.
func runUpsert(tell bool, query func() *sql.Row, exec func() (sql.Result, error)) (Write, error) {
	if !tell {
		res, err := exec()
		if err != nil {
			return Unwritten, asConflict(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return Unwritten, err
		}
		return Written, nil
	}
	var revision int64
	switch err := query().Scan(&revision); {
	case errors.Is(err, sql.ErrNoRows):
		return Unwritten, nil
	case err != nil:
		return Unwritten, asConflict(err)
	}
	return written(revision), nil
}

// written is the write that left a row at revision.
func written(revision int64) Write {
	if revision == 1 {
		return Inserted
	}
	return Changed
}

// coverActivitySQL records that a connection has seen an activity (by its fact key).
const coverActivitySQL = `INSERT INTO activity_coverage (activity_id, connection_id)
	SELECT id, ? FROM activities WHERE org_id = ? AND kind = ? AND zoom_id = ? AND zoom_user_id = ? ON CONFLICT DO NOTHING`

func upsertArgs(a Activity, now time.Time) []any {
	return []any{a.OrgID, a.ConnectionID, nullID(a.PersonID), a.ZoomUserID, a.Kind, a.ZoomID, a.ZoomNumber,
		a.Title, ms(a.StartAt), ms(a.EndAt), a.DurationSeconds, a.ParticipantsCount, a.Direction, a.CallerName, a.Callee, a.Device, a.Source, ms(now)}
}

// CalleeOf is whom an outbound call reached, as Zoom gives it: the callee's
// name, else the first number given; "" when Zoom gives neither.
func CalleeOf(name string, numbers ...string) string {
	for _, v := range append([]string{name}, numbers...) {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func coverArgs(a Activity) []any {
	return []any{a.ConnectionID, a.OrgID, a.Kind, a.ZoomID, a.ZoomUserID}
}

// UpsertActivity inserts or merges an activity keyed by its Zoom fact
// (organization, kind, Zoom id, Zoom user): one row however many connections
// see it, and a.ConnectionID is recorded among those that have. Set fields of
// a win; unset ones keep what is stored. It reports whether it inserted the
// row, changed it or wrote nothing (a pass that changes nothing writes nothing).
func (s *Store) UpsertActivity(ctx context.Context, a Activity, now time.Time) (Write, error) {
	return s.upsertActivity(ctx, a, now, true)
}

// upsertActivity is UpsertActivity; unless tell, a write is reported as
// Written, which spares the RETURNING.
func (s *Store) upsertActivity(ctx context.Context, a Activity, now time.Time, tell bool) (Write, error) {
	args := upsertArgs(a, now)
	w, err := runUpsert(tell,
		func() *sql.Row { return s.q.QueryRowContext(ctx, s.rebind(upsertActivityOneSQL), args...) },
		func() (sql.Result, error) { return s.q.ExecContext(ctx, s.rebind(upsertActivitySQL), args...) })
	if err != nil {
		return w, err
	}
	_, err = s.exec(ctx, coverActivitySQL, coverArgs(a)...)
	return w, err
}

// ActivityFilter selects visible activities of one organization.
type ActivityFilter struct {
	OrgID    int64
	PersonID int64 // 0: everyone
	// People narrows to these people when not nil (a team's rows): the
	// person/start index then reads their days, not the organization's.
	People   []int64
	From, To time.Time
	Kinds    []string
	AfterID  int64 // keyset pagination by (start_at, id): pass the last row's id
	AfterAt  time.Time
	Limit    int
	ID       int64 // 0: any
	// ByUpdated orders by (updated_at, id) instead, AfterAt being an
	// updated_at, for incremental readers; UpdatedSince is inclusive and
	// UpdatedBefore exclusive.
	ByUpdated                   bool
	UpdatedSince, UpdatedBefore time.Time
}

// Activities lists visible activities ordered by start time: only of mapped
// people whose Zoom service is on, and only of kinds whose feature is on.
func (s *Store) Activities(ctx context.Context, f ActivityFilter) ([]Activity, error) {
	org := "a.org_id = ?"
	if f.People != nil {
		// The unary plus keeps SQLite (no statistics) from reading the
		// organization's whole range through org/start: a few people's
		// days are found through person/start.
		org = "+a.org_id = ?"
	}
	q := "SELECT " + activityCols + ` FROM activities a JOIN people p ON p.id = a.person_id JOIN organizations o ON o.id = a.org_id
		WHERE ` + org + ` AND p.zoom_enabled = ? AND p.active = ?
		AND (a.kind <> 'meeting' OR o.meetings_enabled = ?) AND (a.kind <> 'call' OR o.phone_enabled = ?) AND (a.kind <> 'webinar' OR o.webinars_enabled = ?)`
	args := []any{f.OrgID, true, true, true, true, true}
	if f.PersonID != 0 {
		q += " AND a.person_id = ?"
		args = append(args, f.PersonID)
	}
	if f.People != nil {
		if len(f.People) == 0 {
			return nil, nil
		}
		q += " AND a.person_id IN (?" + strings.Repeat(", ?", len(f.People)-1) + ")"
		for _, id := range f.People {
			args = append(args, id)
		}
	}
	if f.ID != 0 {
		q += " AND a.id = ?"
		args = append(args, f.ID)
	}
	if !f.From.IsZero() {
		q += " AND a.start_at >= ?"
		args = append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		q += " AND a.start_at < ?"
		args = append(args, ms(f.To))
	}
	if !f.UpdatedSince.IsZero() {
		q += " AND a.updated_at >= ?"
		args = append(args, ms(f.UpdatedSince))
	}
	if !f.UpdatedBefore.IsZero() {
		q += " AND a.updated_at < ?"
		args = append(args, ms(f.UpdatedBefore))
	}
	if len(f.Kinds) > 0 {
		q += " AND a.kind IN (?" + strings.Repeat(", ?", len(f.Kinds)-1) + ")"
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	key := "a.start_at"
	if f.ByUpdated {
		key = "a.updated_at"
	}
	if f.AfterID != 0 {
		q += " AND (" + key + " > ? OR (" + key + " = ? AND a.id > ?))"
		args = append(args, ms(f.AfterAt), ms(f.AfterAt), f.AfterID)
	}
	q += " ORDER BY " + key + ", a.id"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanActivity)
}

// ConnectionActivities lists every stored activity a connection has seen, visible or not (for checks and purges).
func (s *Store) ConnectionActivities(ctx context.Context, connID int64) ([]Activity, error) {
	rows, err := s.query(ctx, "SELECT "+activityCols+` FROM activities a JOIN activity_coverage c ON c.activity_id = a.id
		WHERE c.connection_id = ? ORDER BY a.start_at, a.id`, connID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanActivity)
}

// ActivityCoverage lists the connections that have seen an activity.
func (s *Store) ActivityCoverage(ctx context.Context, activityID int64) ([]int64, error) {
	rows, err := s.query(ctx, "SELECT connection_id FROM activity_coverage WHERE activity_id = ? ORDER BY connection_id", activityID)
	if err != nil {
		return nil, err
	}
	return collectIDs(rows)
}
