package syncer

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// The three activity streams. Each maps Zoom's records to activities by the
// shared data rules (the webhook processor writes the same rows): keyed by
// (connection, kind, Zoom id, Zoom user), metadata only, never who attended.

const sourceSync = "sync"

// userPath is how a Zoom user is named in a path: per-person connections
// must say "me".
func (p *pass) userPath(u store.ZoomUser) string {
	if p.conn.Kind == store.KindUserOAuth {
		return "me"
	}
	return u.ZoomUserID
}

// meetings lists the meetings the user hosted that ended in the window: the
// report's "past" (two or more participants) and "pastOne" (the host alone).
// A per-person connection may not read reports and goes meeting by meeting.
func (p *pass) meetings(ctx context.Context, u unit) (int, error) {
	if p.conn.Kind == store.KindUserOAuth {
		return p.meetingsOfMe(ctx, u)
	}
	n := 0
	for _, typ := range []string{zoom.ReportPast, zoom.ReportPastOne} {
		err := p.zc.ReportMeetings(ctx, p.userPath(u.user), typ, u.from, u.to, func(pg *zoom.ReportMeetingsPage) error {
			acts := make([]store.Activity, 0, len(pg.Meetings))
			for _, m := range pg.Meetings {
				acts = append(acts, p.meetingActivity(u.user, m))
			}
			w, err := p.write(ctx, acts)
			n += w
			return err
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (p *pass) meetingActivity(zu store.ZoomUser, m zoom.ReportMeeting) store.Activity {
	a := p.activity(zu, store.ActivityMeeting, m.UUID)
	a.ZoomNumber, a.Title, a.ParticipantsCount = m.Number(), m.Topic, m.ParticipantsCount
	a.StartAt, a.EndAt = m.StartTime.Time, m.EndTime.Time
	a.DurationSeconds = seconds(a.StartAt, a.EndAt, m.Duration*60)
	return a
}

// meetingsOfMe is the hosted meetings of a per-person connection's user:
// the meeting numbers that have run (Medium), each recurring number's
// instances (Medium), and each instance in the window's details (Light) for
// its end and participant count.
func (p *pass) meetingsOfMe(ctx context.Context, u unit) (int, error) {
	var listed []zoom.ListedMeeting
	err := p.zc.PreviousMeetings(ctx, "me", u.from, func(pg *zoom.ListedMeetingsPage) error {
		listed = append(listed, pg.Meetings...)
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range listed {
		ins := []zoom.PastInstance{{UUID: m.UUID, StartTime: m.StartTime}}
		if m.Recurring() {
			if ins, err = p.zc.PastMeetingInstances(ctx, m.ID); err != nil {
				if err := p.recordItem(ctx, u, m.Number(), err); err != nil {
					return n, err
				}
				continue
			}
		}
		var acts []store.Activity
		for _, in := range ins {
			if !in.StartTime.IsZero() && (in.StartTime.Before(u.from.Add(-24*time.Hour)) || in.StartTime.After(u.to)) {
				continue // the listed start is the schedule's; the details below have the real one
			}
			pm, err := p.zc.PastMeeting(ctx, in.UUID)
			if err != nil {
				if err := p.recordItem(ctx, u, in.UUID, err); err != nil {
					return n, err
				}
				continue
			}
			if pm.StartTime.Before(u.from) || pm.StartTime.After(u.to) || pm.EndTime.IsZero() {
				continue
			}
			acts = append(acts, p.pastMeetingActivity(u.user, pm))
		}
		w, err := p.write(ctx, acts)
		n += w
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (p *pass) pastMeetingActivity(zu store.ZoomUser, m zoom.PastMeeting) store.Activity {
	a := p.activity(zu, store.ActivityMeeting, m.UUID)
	a.ZoomNumber, a.Title, a.ParticipantsCount = strconv.FormatInt(m.ID, 10), m.Topic, m.ParticipantsCount
	a.StartAt, a.EndAt = m.StartTime.Time, m.EndTime.Time
	a.DurationSeconds = seconds(a.StartAt, a.EndAt, m.Duration*60)
	return a
}

// webinars lists the user's webinars and, for each, the instances that ran
// in the window.
func (p *pass) webinars(ctx context.Context, u unit) (int, error) {
	var ws []zoom.Webinar
	err := p.zc.Webinars(ctx, p.userPath(u.user), "", func(pg *zoom.WebinarsPage) error {
		ws = append(ws, pg.Webinars...)
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, w := range ws {
		// A one-off webinar that starts after the window cannot have run in it.
		if w.Type == 5 && w.StartTime.After(u.to) {
			continue
		}
		ins, err := p.zc.PastWebinarInstances(ctx, w.ID)
		if err != nil {
			if err := p.recordItem(ctx, u, strconv.FormatInt(w.ID, 10), err); err != nil {
				return n, err
			}
			continue
		}
		var acts []store.Activity
		for _, in := range ins {
			if in.StartTime.Before(u.from) || in.StartTime.After(u.to) {
				continue
			}
			a := p.activity(u.user, store.ActivityWebinar, in.UUID)
			a.ZoomNumber, a.Title, a.StartAt = strconv.FormatInt(w.ID, 10), w.Topic, in.StartTime.Time
			if err := p.webinarEnd(ctx, u, &a); err != nil {
				return n, err
			}
			acts = append(acts, a)
		}
		w, err := p.write(ctx, acts)
		n += w
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// webinarEnd fills in when a webinar instance ended, from its report (the
// instances list has only the start). Where the report endpoint is not
// served, the end stays unknown until webinar.ended brings it.
func (p *pass) webinarEnd(ctx context.Context, u unit, a *store.Activity) error {
	if p.noWebinarReport.Load() {
		return nil
	}
	r, err := p.zc.WebinarReport(ctx, a.ZoomID)
	var ae *zoom.APIError
	if zoom.IsUnknownEndpoint(err) || errors.As(err, &ae) && streamRefused(u.stream, ae) != "" {
		p.noWebinarReport.Store(true) // not served, or not for this connection (a per-person one has no report scope)
		return nil
	}
	if err != nil {
		return p.recordItem(ctx, u, a.ZoomID, err)
	}
	a.EndAt, a.ParticipantsCount = r.EndTime.Time, r.ParticipantsCount
	if !r.StartTime.IsZero() {
		a.StartAt = r.StartTime.Time
	}
	a.DurationSeconds = seconds(a.StartAt, a.EndAt, r.Duration*60)
	return nil
}

// calls lists the user's Zoom Phone call history: one activity per leg, so
// an internal call between two mapped people is one activity for each.
func (p *pass) calls(ctx context.Context, u unit) (int, error) {
	n := 0
	err := p.zc.CallHistory(ctx, p.userPath(u.user), u.from, u.to, func(pg *zoom.CallHistoryPage) error {
		acts := make([]store.Activity, 0, len(pg.CallLogs))
		for _, c := range pg.CallLogs {
			acts = append(acts, p.callActivity(u.user, c))
		}
		w, err := p.write(ctx, acts)
		n += w
		return err
	})
	return n, err
}

func (p *pass) callActivity(zu store.ZoomUser, c zoom.CallLog) store.Activity {
	id := c.CallID
	if id == "" {
		id = c.ID
	}
	a := p.activity(zu, store.ActivityCall, id)
	a.StartAt, a.EndAt = c.StartTime.Time, c.EndTime.Time
	a.DurationSeconds = seconds(a.StartAt, a.EndAt, 0)
	a.CallerName = c.CallerName
	a.Direction = c.Direction
	if a.Direction == "" {
		a.Direction = "inbound"
		if store.NormEmail(c.CallerEmail) == store.NormEmail(zu.Email) {
			a.Direction = "outbound"
		}
	}
	a.Device = c.CalleeDeviceType
	if a.Direction == "outbound" {
		a.Device = c.CallerDeviceType
		a.Callee = store.CalleeOf(c.CalleeName, c.CalleeDidNumber, c.CalleeExtNumber)
	}
	return a
}

func (p *pass) activity(zu store.ZoomUser, kind, zoomID string) store.Activity {
	return store.Activity{OrgID: p.conn.OrgID, ConnectionID: p.conn.ID, PersonID: zu.PersonID, ZoomUserID: zu.ZoomUserID,
		Kind: kind, ZoomID: zoomID, Source: sourceSync}
}

// seconds is end - start when both are known, else fallback.
func seconds(start, end time.Time, fallback int) int {
	if !start.IsZero() && !end.IsZero() && !end.Before(start) {
		return int(end.Sub(start) / time.Second)
	}
	return fallback
}

// write upserts one page of activities in one transaction and reports how
// many rows it inserted or changed (none, when the page is already stored).
// The pass counts them in the same commit, so its counts stay exact however
// often a unit is interrupted and listed again.
func (p *pass) write(ctx context.Context, acts []store.Activity) (int, error) {
	if len(acts) == 0 {
		return 0, nil
	}
	n := 0
	now := p.s.now()
	err := p.s.st.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
		n = 0
		var c store.SyncCounts
		tell, err := outbound.WantsActivities(ctx, tx, acts)
		if err != nil {
			return err
		}
		up, err := tx.PrepareActivityUpsert(ctx, tell) // a page is up to 300 rows: parse the merge once
		if err != nil {
			return err
		}
		defer up.Close()
		writes := make([]store.Write, len(acts))
		for i, a := range acts {
			if writes[i], err = up.Upsert(ctx, a, now); err != nil {
				return err
			}
			if writes[i] != store.Unwritten {
				n++
				switch a.Kind {
				case store.ActivityMeeting:
					c.Meetings++
				case store.ActivityWebinar:
					c.Webinars++
				case store.ActivityCall:
					c.Calls++
				}
			}
		}
		if err := outbound.PublishActivities(ctx, tx, acts, writes, now); err != nil {
			return err
		}
		return tx.AddSyncWritten(ctx, p.sp.ID, c)
	})
	return n, err
}

// recordItem records one record's error inside a unit (a webinar deleted
// since it was listed) and lets the unit go on; errors that are not about
// the record are returned.
func (p *pass) recordItem(ctx context.Context, u unit, ref string, err error) error {
	var ae *zoom.APIError
	if _, limited := zoom.RateLimitedUntil(err, time.Now()); limited || !errors.As(err, &ae) || ae.Status >= 500 || isGrantGone(err) {
		return err
	}
	return p.s.st.RecordSyncError(ctx, store.SyncError{ConnectionID: p.conn.ID, PassID: p.sp.ID, Stream: u.stream,
		ZoomUserID: u.user.ZoomUserID, Ref: ref, Code: ae.Code, Message: ae.Message, At: p.s.now()})
}
