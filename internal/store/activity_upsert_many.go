package store

import (
	"context"
	"strings"
	"time"
)

// upsertManyRows bounds the rows of one multi-row upsert (17 parameters each).
const upsertManyRows = 64

// UpsertActivities applies UpsertActivity to each of as, in order, with the
// same result. On PostgreSQL it sends one multi-row statement per up to 64
// activities instead of a round trip each. PostgreSQL refuses a statement
// that merges into one row twice, so a key's second occurrence goes in a
// later statement ("wave"), after its first: rows of one key keep their
// order, rows of different keys do not depend on each other. On SQLite,
// where a statement costs no round trip, each is run through the cached
// single-row statement.
func (s *Store) UpsertActivities(ctx context.Context, as []Activity, now time.Time) error {
	if s.dialect != Postgres {
		for _, a := range as {
			if _, err := s.UpsertActivity(ctx, a, now); err != nil {
				return err
			}
		}
		return nil
	}
	type key struct {
		conn            int64
		kind, zoom, usr string
	}
	var waves [][]Activity
	seen := map[key]int{}
	for _, a := range as {
		k := key{a.ConnectionID, a.Kind, a.ZoomID, a.ZoomUserID}
		w := seen[k]
		seen[k] = w + 1
		if w == len(waves) {
			waves = append(waves, nil)
		}
		waves[w] = append(waves[w], a)
	}
	for _, wave := range waves {
		for len(wave) > 0 {
			part := wave[:min(upsertManyRows, len(wave))]
			wave = wave[len(part):]
			args := make([]any, 0, 17*len(part))
			for _, a := range part {
				args = append(args, a.OrgID, a.ConnectionID, nullID(a.PersonID), a.ZoomUserID, a.Kind, a.ZoomID, a.ZoomNumber,
					a.Title, ms(a.StartAt), ms(a.EndAt), a.DurationSeconds, a.ParticipantsCount, a.Direction, a.CallerName, a.Device, a.Source, ms(now))
			}
			if _, err := s.exec(ctx, upsertActivitiesSQL(len(part)), args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// upsertActivitiesSQL is upsertActivitySQL with rows value lists.
func upsertActivitiesSQL(rows int) string {
	const one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	return strings.Replace(upsertActivitySQL, "VALUES "+one, "VALUES "+one+strings.Repeat(", "+one, rows-1), 1)
}
