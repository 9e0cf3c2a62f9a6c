package store

import (
	"context"
	"strings"
	"time"
)

// upsertManyRows bounds the rows of one multi-row upsert (18 parameters each).
const upsertManyRows = 64

// factKey names a Zoom fact: one activity row.
type factKey struct {
	org             int64
	kind, zoom, usr string
}

func keyOf(a Activity) factKey { return factKey{a.OrgID, a.Kind, a.ZoomID, a.ZoomUserID} }

// sameFact reports whether b repeats a for another connection: the same
// fact with the same fields, which needs only its coverage recorded.
func sameFact(a, b Activity) bool {
	a.ConnectionID, b.ConnectionID = 0, 0
	return a == b
}

// UpsertActivities applies UpsertActivity to each of as, in order, with the
// same result, and returns what it did to each (writes[i] for as[i]);
// unless tell, a write is reported as Written, which costs less. An
// activity that repeats the one before it for another connection (a webhook
// seen through two connections) only adds coverage. On PostgreSQL it sends
// one multi-row statement per up to 64 activities instead of a round trip
// each, and one for their coverage. PostgreSQL refuses a statement that
// merges into one row twice, so a key's second occurrence goes in a later
// statement ("wave"), after its first: rows of one key keep their order, rows
// of different keys do not depend on each other. On SQLite, where a
// statement costs no round trip, each is run through the cached single-row
// statements. PostgreSQL always tells: there the RETURNING is nothing next
// to the round trip.
func (s *Store) UpsertActivities(ctx context.Context, as []Activity, now time.Time, tell bool) ([]Write, error) {
	writes := make([]Write, len(as))
	if s.dialect != Postgres {
		for i, a := range as {
			var err error
			if i > 0 && sameFact(as[i-1], a) {
				_, err = s.exec(ctx, coverActivitySQL, coverArgs(a)...)
			} else {
				writes[i], err = s.upsertActivity(ctx, a, now, tell)
			}
			if err != nil {
				return nil, err
			}
		}
		return writes, nil
	}
	var waves [][]int // indexes into as
	seen := map[factKey]int{}
	for i, a := range as {
		if i > 0 && sameFact(as[i-1], a) {
			continue
		}
		k := keyOf(a)
		w := seen[k]
		seen[k] = w + 1
		if w == len(waves) {
			waves = append(waves, nil)
		}
		waves[w] = append(waves[w], i)
	}
	for _, wave := range waves {
		for len(wave) > 0 {
			part := wave[:min(upsertManyRows, len(wave))]
			wave = wave[len(part):]
			if err := s.upsertPart(ctx, as, part, writes, now); err != nil {
				return nil, err
			}
		}
	}
	return writes, s.coverMany(ctx, as)
}

// upsertPart upserts as[i] for each i of part (keys all different) in one
// statement and sets writes[i] from the rows it returns: only those written.
func (s *Store) upsertPart(ctx context.Context, as []Activity, part []int, writes []Write, now time.Time) error {
	args := make([]any, 0, 18*len(part))
	at := make(map[factKey]int, len(part))
	for _, i := range part {
		args = append(args, upsertArgs(as[i], now)...)
		at[keyOf(as[i])] = i
	}
	rows, err := s.q.QueryContext(ctx, s.rebind(upsertActivitiesSQL(len(part))), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k factKey
		var revision int64
		if err := rows.Scan(&k.org, &k.kind, &k.zoom, &k.usr, &revision); err != nil {
			return err
		}
		writes[at[k]] = written(revision)
	}
	return rows.Err()
}

// coverMany records the coverage of as on PostgreSQL in statements of up to
// 200 rows; repeats are dropped first (ON CONFLICT DO NOTHING also takes them).
func (s *Store) coverMany(ctx context.Context, as []Activity) error {
	type cover struct {
		k    factKey
		conn int64
	}
	done := map[cover]bool{}
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		const one = "(?::BIGINT, ?::TEXT, ?::TEXT, ?::TEXT, ?::BIGINT)"
		q := `INSERT INTO activity_coverage (activity_id, connection_id) SELECT a.id, v.c FROM activities a
			JOIN (VALUES ` + one + strings.Repeat(", "+one, len(args)/5-1) + `) AS v(o, k, z, u, c)
			ON a.org_id = v.o AND a.kind = v.k AND a.zoom_id = v.z AND a.zoom_user_id = v.u ON CONFLICT DO NOTHING`
		_, err := s.exec(ctx, q, args...)
		args = args[:0]
		return err
	}
	for _, a := range as {
		c := cover{keyOf(a), a.ConnectionID}
		if done[c] {
			continue
		}
		done[c] = true
		args = append(args, a.OrgID, a.Kind, a.ZoomID, a.ZoomUserID, a.ConnectionID)
		if len(args) == 5*200 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// upsertActivitiesSQL is upsertActivitySQL with rows value lists, returning
// the key and revision of each row it wrote.
func upsertActivitiesSQL(rows int) string {
	const one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	return strings.Replace(upsertActivitySQL, "VALUES "+one, "VALUES "+one+strings.Repeat(", "+one, rows-1), 1) +
		" RETURNING org_id, kind, zoom_id, zoom_user_id, revision"
}
