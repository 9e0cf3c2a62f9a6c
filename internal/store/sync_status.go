package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// SyncStatus is what the integration page and the API show of a
// connection's sync (feature D4).
type SyncStatus struct {
	ConnectionID   int64
	State          SyncState // zero before the first pass
	LastPass       SyncPass  // the latest pass, finished or under way; zero when none
	Running        bool      // a pass is under way
	Records        map[string]int
	RecentErrors   int // per-record errors in the last 24 hours
	UnmappedUsers  int // Zoom users of the connection with no person
	MappedUsers    int
	NeverSynced    bool
	ConnectionDown bool // the connection needs reconnecting, so passes wait
}

// SyncStatusOf returns a connection's sync status, only if the connection
// belongs to the organization.
func (s *Store) SyncStatusOf(ctx context.Context, orgID, connID int64, now time.Time) (SyncStatus, error) {
	c, err := s.OrgConnection(ctx, orgID, connID)
	if err != nil {
		return SyncStatus{}, err
	}
	st := SyncStatus{ConnectionID: connID, ConnectionDown: c.Status != StatusActive}
	st.State, err = s.SyncStateOf(ctx, connID)
	switch {
	case errors.Is(err, ErrNotFound):
		st.NeverSynced = true
	case err != nil:
		return st, err
	}
	st.Running = st.State.PassID != 0
	passes, err := s.SyncPasses(ctx, connID, 1)
	if err != nil {
		return st, err
	}
	if len(passes) > 0 {
		st.LastPass = passes[0]
	}
	if st.Records, err = s.ActivityCountsOf(ctx, connID); err != nil {
		return st, err
	}
	// Skipped records of the last 24 hours, but none from before a later
	// pass that finished without one: that pass shows the cause is gone.
	since := ms(now.Add(-24 * time.Hour))
	var clean int64
	err = s.queryRow(ctx, "SELECT COALESCE(MAX(started_at), 0) FROM sync_passes WHERE connection_id = ? AND status = ? AND errors = 0", connID, PassSucceeded).Scan(&clean)
	if err != nil {
		return st, err
	}
	err = s.queryRow(ctx, "SELECT COUNT(*) FROM sync_errors WHERE connection_id = ? AND at >= ?", connID, max(since, clean)).Scan(&st.RecentErrors)
	if err != nil {
		return st, err
	}
	err = s.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN person_id IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END), 0)
		FROM zoom_users WHERE connection_id = ?`, connID).Scan(&st.UnmappedUsers, &st.MappedUsers)
	return st, err
}

// SyncStatuses returns the sync status of every connection of an organization.
func (s *Store) SyncStatuses(ctx context.Context, orgID int64, now time.Time) ([]SyncStatus, error) {
	conns, err := s.Connections(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := make([]SyncStatus, 0, len(conns))
	for _, c := range conns {
		st, err := s.SyncStatusOf(ctx, orgID, c.ID, now)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// ActivityCountsOf counts the stored activities a connection has seen, by kind.
func (s *Store) ActivityCountsOf(ctx context.Context, connID int64) (map[string]int, error) {
	rows, err := s.query(ctx, `SELECT a.kind, COUNT(*) FROM activities a JOIN activity_coverage c ON c.activity_id = a.id
		WHERE c.connection_id = ? GROUP BY a.kind`, connID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{ActivityMeeting: 0, ActivityWebinar: 0, ActivityCall: 0}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, err
		}
		out[kind] = n
	}
	return out, rows.Err()
}

// RelinkActivities points the activities a connection has seen at the person
// their Zoom user maps to now through it (after an email change re-mapped
// it), and reports how many rows changed.
func (s *Store) RelinkActivities(ctx context.Context, connID int64, now time.Time) (int64, error) {
	const person = "(SELECT zu.person_id FROM zoom_users zu WHERE zu.connection_id = ? AND zu.zoom_user_id = activities.zoom_user_id)"
	res, err := s.exec(ctx, "UPDATE activities SET person_id = "+person+`, updated_at = ?
		WHERE id IN (SELECT activity_id FROM activity_coverage WHERE connection_id = ?) AND COALESCE(person_id, 0) <> COALESCE(`+person+", 0)",
		connID, ms(now), connID, connID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Reasons an account or a person is not mapped (feature P2).
const (
	ReasonNoEmail        = "Zoom gives no email for this user"
	ReasonNoPerson       = "no person in the directory has this email"
	ReasonPersonInactive = "the person with this email is deactivated"
	ReasonNoConnection   = "the organization has no Zoom connection"
	ReasonNotImported    = "Zoom users have not been imported yet"
	ReasonNoZoomUser     = "no Zoom user in the connected accounts has this email"
	ReasonZoomInactive   = "their Zoom user is not active"
)

// UnmappedZoomUser is a Zoom user no person maps to, and why.
type UnmappedZoomUser struct {
	ZoomUser
	Reason string
}

// UnmappedZoomUsers lists an organization's Zoom users that map to no person, with the reason, each once.
func (s *Store) UnmappedZoomUsers(ctx context.Context, orgID int64) ([]UnmappedZoomUser, error) {
	rows, err := s.query(ctx, `SELECT `+qualifyCols("zu.", zoomUserCols)+`, COALESCE(p.active, ?) FROM zoom_users zu
		LEFT JOIN people p ON p.org_id = zu.org_id AND p.email_norm = zu.email_norm AND zu.email_norm <> ''
		WHERE zu.org_id = ? AND zu.person_id IS NULL ORDER BY zu.email_norm, zu.connection_id, zu.id`, true, orgID)
	if err != nil {
		return nil, err
	}
	us, err := collect(rows, func(r interface{ Scan(...any) error }) (UnmappedZoomUser, error) {
		var u UnmappedZoomUser
		var person sql.NullInt64
		var updated int64
		var personActive bool
		err := r.Scan(&u.ID, &u.OrgID, &u.ConnectionID, &u.ZoomUserID, &u.ZoomAccountID, &u.Email, &u.DisplayName, &u.UserType,
			&u.Status, &u.PhoneLicensed, &person, &updated, &personActive)
		u.UpdatedAt = fromMS(updated)
		switch {
		case NormEmail(u.Email) == "":
			u.Reason = ReasonNoEmail
		case !personActive:
			u.Reason = ReasonPersonInactive
		default:
			u.Reason = ReasonNoPerson
		}
		return u, err
	})
	return mergeZoomUsers(us, func(u *UnmappedZoomUser) *ZoomUser { return &u.ZoomUser }), err
}

// PersonWithoutZoomUser is an active person no active Zoom user maps to, and why.
type PersonWithoutZoomUser struct {
	Person
	Reason string
}

// PeopleWithoutZoomUser lists an organization's active people that no active
// Zoom user maps to, with the reason.
func (s *Store) PeopleWithoutZoomUser(ctx context.Context, orgID int64) ([]PersonWithoutZoomUser, error) {
	var conns, imported int
	err := s.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM zoom_users zu WHERE zu.connection_id = c.id) THEN 1 ELSE 0 END), 0)
		FROM zoom_connections c WHERE c.org_id = ?`, orgID).Scan(&conns, &imported)
	if err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+qualifyCols("p.", personCols)+`,
		EXISTS (SELECT 1 FROM zoom_users zu WHERE zu.person_id = p.id)
		FROM people p WHERE p.org_id = ? AND p.active = ?
		AND NOT EXISTS (SELECT 1 FROM zoom_users zu WHERE zu.person_id = p.id AND zu.status NOT IN ('inactive', 'pending'))
		ORDER BY p.name, p.id`, orgID, true)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (PersonWithoutZoomUser, error) {
		var p PersonWithoutZoomUser
		var acct sql.NullInt64
		var created, updated int64
		var hasInactive bool
		err := r.Scan(&p.ID, &p.OrgID, &acct, &p.Email, &p.Name, &p.Team, &p.Role, &p.ZoomEnabled, &p.Active, &created, &updated, &hasInactive)
		p.AccountID, p.CreatedAt, p.UpdatedAt = acct.Int64, fromMS(created), fromMS(updated)
		switch {
		case hasInactive:
			p.Reason = ReasonZoomInactive
		case conns == 0:
			p.Reason = ReasonNoConnection
		case imported == 0:
			p.Reason = ReasonNotImported
		default:
			p.Reason = ReasonNoZoomUser
		}
		return p, err
	})
}

// qualifyCols qualifies each column of a comma-separated list with p.
func qualifyCols(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
