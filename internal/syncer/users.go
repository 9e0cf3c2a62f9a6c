package syncer

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// importUsers brings the connection's Zoom users in and maps them to people
// by normalized email (store.UpsertZoomUser); a changed email re-maps, and
// activities follow their Zoom user to the person it maps to now. Users no
// longer on the account are forgotten with their activities, as user.deleted
// does (each activity that goes publishes activity.deleted). A per-person connection sees only its own user.
func (p *pass) importUsers(ctx context.Context) (int, error) {
	known, err := p.s.st.ZoomUsersOfConnection(ctx, p.conn.ID)
	if err != nil {
		return 0, err
	}
	byID := make(map[string]store.ZoomUser, len(known))
	for _, u := range known {
		byID[u.ZoomUserID] = u
	}
	var listed []zoom.User
	if p.conn.Kind == store.KindUserOAuth {
		me, err := p.zc.Me(ctx)
		if err != nil {
			return 0, err
		}
		listed = append(listed, me)
	} else {
		for _, status := range []string{"active", "inactive", "pending"} {
			err := p.zc.Users(ctx, status, func(pg *zoom.UsersPage) error {
				for _, u := range pg.Users {
					if u.Status == "" {
						u.Status = status
					}
					listed = append(listed, u)
				}
				return nil
			})
			if err != nil {
				return 0, err
			}
		}
	}
	phone, err := p.phoneUsers(ctx)
	if err != nil {
		return 0, err
	}
	skips, err := p.s.st.SyncSkips(ctx, p.conn.ID, streamCalls, p.s.now())
	if err != nil {
		return 0, err
	}
	now := p.s.now()
	err = p.s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		seen := map[string]bool{}
		for _, u := range listed {
			seen[u.ID] = true
			zu := p.zoomUser(u, byID[u.ID])
			if phone != nil {
				zu.PhoneLicensed = phone[u.ID]
				if err := p.skipUnlicensed(ctx, tx, zu, skips[u.ID] != ""); err != nil {
					return err
				}
			}
			if _, err := tx.UpsertZoomUser(ctx, zu, now); err != nil {
				return err
			}
		}
		for id := range byID {
			if !seen[id] && p.conn.Kind != store.KindUserOAuth {
				deleted, err := tx.DeleteZoomUser(ctx, p.conn.ID, id)
				if err != nil {
					return err
				}
				if err := outbound.PublishActivitiesDeleted(ctx, tx, p.conn.OrgID, deleted, now); err != nil {
					return err
				}
			}
		}
		_, err := tx.RelinkActivities(ctx, p.conn.ID, now)
		return err
	})
	return len(listed), err
}

// phoneUsers lists who has a Zoom Phone licence (Zoom's user list does not
// say), so the calls stream asks only about them. nil means unknown: Phone is
// off for the organization, or Zoom would not list them (no Phone on the
// account, a scope not granted, a per-person connection); the calls stream
// then learns licences user by user.
func (p *pass) phoneUsers(ctx context.Context) (map[string]bool, error) {
	if !p.org.PhoneEnabled || p.conn.Kind == store.KindUserOAuth {
		return nil, nil
	}
	licensed := map[string]bool{}
	err := p.zc.PhoneUsers(ctx, func(pg *zoom.PhoneUsersPage) error {
		for _, u := range pg.Users {
			licensed[u.ID] = true
		}
		return nil
	})
	var ae *zoom.APIError
	if _, limited := zoom.RateLimitedUntil(err, time.Now()); err != nil && !limited && !isGrantGone(err) &&
		errors.As(err, &ae) && ae.Status < 500 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return licensed, nil
}

// skipUnlicensed keeps the calls stream off users without a Phone licence,
// and on again for those who got one.
func (p *pass) skipUnlicensed(ctx context.Context, tx *store.Store, zu store.ZoomUser, skipped bool) error {
	switch {
	case !zu.PhoneLicensed && !skipped:
		return tx.SkipSyncUser(ctx, p.conn.ID, streamCalls, zu.ZoomUserID, reasonNoPhone, p.s.now().Add(p.s.cfg.SkipFor))
	case zu.PhoneLicensed && skipped:
		return tx.ClearSyncSkip(ctx, p.conn.ID, streamCalls, zu.ZoomUserID)
	}
	return nil
}

// zoomUser is our row for a Zoom user; what Zoom's list does not say (the
// Phone licence) is kept from before.
func (p *pass) zoomUser(u zoom.User, before store.ZoomUser) store.ZoomUser {
	return store.ZoomUser{OrgID: p.conn.OrgID, ConnectionID: p.conn.ID, ZoomUserID: u.ID, ZoomAccountID: p.conn.ZoomAccountID,
		Email: u.Email, DisplayName: u.Name(), UserType: u.Type, Status: u.Status, PhoneLicensed: before.PhoneLicensed}
}

// plan lists the units still to do, by stream: for each Zoom user mapped to
// an active person whose Zoom service is on, each stream whose feature is
// on and that applies to them.
func (p *pass) plan(ctx context.Context, done map[string]bool) (map[string][]unit, error) {
	users, err := p.syncedUsers(ctx)
	if err != nil {
		return nil, err
	}
	plan := map[string][]unit{}
	for _, stream := range p.streams() {
		skips, err := p.s.st.SyncSkips(ctx, p.conn.ID, stream, p.s.now())
		if err != nil {
			return nil, err
		}
		cursors, err := p.s.st.SyncCursors(ctx, p.conn.ID, stream)
		if err != nil {
			return nil, err
		}
		every := p.dueEvery(stream, len(users))
		for _, u := range users {
			un := unit{stream: stream, user: u, from: p.sp.WindowFrom, to: p.sp.WindowTo}
			if done[un.key()] || skips[u.ZoomUserID] != "" {
				continue
			}
			if c := cursors[u.ZoomUserID]; p.sp.Kind == store.PassIncremental && !c.IsZero() {
				if p.sp.WindowTo.Sub(c) < every {
					continue // listed recently enough; webhooks cover the meantime
				}
				un.from = later(c.Add(-p.s.cfg.Overlap), p.sp.WindowFrom)
			}
			plan[stream] = append(plan[stream], un)
		}
	}
	return plan, nil
}

// streams lists the streams whose feature is on for the organization.
func (p *pass) streams() []string {
	var out []string
	if p.org.MeetingsEnabled {
		out = append(out, streamMeetings)
	}
	if p.org.WebinarsEnabled {
		out = append(out, streamWebinars)
	}
	if p.org.PhoneEnabled {
		out = append(out, streamCalls)
	}
	return out
}

// dueEvery is how stale a stream's cursor may get before an incremental
// pass lists it again: Every, or for the Heavy meeting reports (two a user)
// as often as HeavyDaily allows across the connection's users.
func (p *pass) dueEvery(stream string, users int) time.Duration {
	every := p.s.cfg.Every
	if stream == streamMeetings && users > 0 {
		perDay := p.s.cfg.HeavyDaily / (2 * users)
		if perDay < 1 {
			return 24 * time.Hour
		}
		every = max(every, 24*time.Hour/time.Duration(perDay))
	}
	// A little slack, so a pass that starts a few seconds early still lists.
	return every - every/10
}

// syncedUsers are the connection's Zoom users whose activity is ingested:
// mapped to an active person with the Zoom service on.
func (p *pass) syncedUsers(ctx context.Context) ([]store.ZoomUser, error) {
	zus, err := p.s.st.ZoomUsersOfConnection(ctx, p.conn.ID)
	if err != nil {
		return nil, err
	}
	people, err := p.s.st.People(ctx, p.conn.OrgID)
	if err != nil {
		return nil, err
	}
	on := map[int64]bool{}
	for _, pr := range people {
		on[pr.ID] = pr.Active && pr.ZoomEnabled
	}
	var out []store.ZoomUser
	for _, u := range zus {
		if u.PersonID != 0 && on[u.PersonID] && u.Status != "pending" {
			out = append(out, u)
		}
	}
	return out, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
