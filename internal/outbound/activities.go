package outbound

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Wants reports whether an enabled endpoint of the organization subscribes
// to the event type: a publisher whose data costs a query asks first.
func Wants(ctx context.Context, st *store.Store, orgID int64, eventType string) (bool, error) {
	eps, err := subs.endpoints(ctx, st, orgID, eventType)
	return len(eps) > 0, err
}

// PublishActivities queues activity.created and activity.updated for what
// an upsert batch wrote (writes[i] is what the upsert did to as[i], told
// apart where WantsActivities said so), in the batch's transaction. Every
// webhook brings activities, so what it adds to the ingest path is one job
// per organization naming the written activities, each once: no read, since
// the upserts report what they wrote. That job, in the delivery queue, reads
// the activities and writes their events, deliveries and delivery job in one
// transaction, which also completes it: the change and its events are
// committed together (the job is the outbox), and the events are written
// once. An organization no endpoint of which subscribes to activity events
// costs nothing. Where no queue works this database (a tool, a test without
// a server) the events are written at once instead.
func PublishActivities(ctx context.Context, st *store.Store, as []store.Activity, writes []store.Write, now time.Time) error {
	refs, err := writtenRefs(ctx, st, as, writes)
	if err != nil || len(refs) == 0 {
		return err
	}
	q, queued := queues.Load(st.DB())
	var params []river.InsertManyParams
	for org, refs := range refs {
		for len(refs) > 0 {
			part := refs[:min(len(refs), activityJobRefs)]
			refs = refs[len(part):]
			args := ActivityEventsArgs{OrgID: org, At: now.UTC(), Activities: part}
			if !queued || st.Tx() == nil {
				if _, err := writeActivityEvents(ctx, st, args); err != nil {
					return err
				}
				continue
			}
			params = append(params, river.InsertManyParams{Args: args})
		}
	}
	if len(params) == 0 {
		return nil
	}
	_, err = q.(Enqueuer).InsertManyTx(ctx, st.Tx(), params)
	return err
}

// WantsActivities reports whether an organization of as subscribes to
// activity.created or activity.updated: whether the upserts of as must tell
// inserted rows from changed ones (store.UpsertActivities' tell).
func WantsActivities(ctx context.Context, st *store.Store, as []store.Activity) (bool, error) {
	asked := map[int64]bool{}
	for _, a := range as {
		if asked[a.OrgID] {
			continue
		}
		asked[a.OrgID] = true
		if want, err := wantsActivities(ctx, st, a.OrgID); want || err != nil {
			return want, err
		}
	}
	return false, nil
}

func wantsActivities(ctx context.Context, st *store.Store, orgID int64) (bool, error) {
	c, err := Wants(ctx, st, orgID, "activity.created")
	if err != nil || c {
		return c, err
	}
	return Wants(ctx, st, orgID, "activity.updated")
}

// activityKey is the activities' upsert key: one activity per Zoom fact
// in an organization, whichever connection brought it.
type activityKey struct {
	org                  int64
	kind, zoom, zoomUser string
}

func keyOf(a store.Activity) activityKey {
	return activityKey{a.OrgID, a.Kind, a.ZoomID, a.ZoomUserID}
}

// writtenRefs names, by organization and in order, each activity the batch
// wrote, once: created when any of its upserts inserted it (its events then
// show where the batch left it), of organizations that subscribe.
func writtenRefs(ctx context.Context, st *store.Store, as []store.Activity, writes []store.Write) (map[int64][]ActivityRef, error) {
	wanted := map[int64]bool{}
	at := map[activityKey]int{} // index in refs[org]
	refs := map[int64][]ActivityRef{}
	for i, a := range as {
		// Written, not told apart: no organization of the batch subscribed
		// when it began (a subscription made since then counts from the next).
		if writes[i] == store.Unwritten || writes[i] == store.Written {
			continue
		}
		want, ok := wanted[a.OrgID]
		if !ok {
			var err error
			if want, err = wantsActivities(ctx, st, a.OrgID); err != nil {
				return nil, err
			}
			wanted[a.OrgID] = want
		}
		if !want {
			continue
		}
		k := keyOf(a)
		if j, ok := at[k]; ok {
			refs[a.OrgID][j].Updated = refs[a.OrgID][j].Updated && writes[i] != store.Inserted
			continue
		}
		at[k] = len(refs[a.OrgID])
		refs[a.OrgID] = append(refs[a.OrgID], ActivityRef{Kind: a.Kind, ZoomID: a.ZoomID, ZoomUserID: a.ZoomUserID, Updated: writes[i] == store.Changed})
	}
	return refs, nil
}

// activityJobRefs bounds the activities one job publishes.
const activityJobRefs = 500

// ActivityRef names a written activity by its key, and whether the write
// changed a stored row (activity.updated) rather than inserting it.
type ActivityRef struct {
	Kind       string `json:"kind"`
	ZoomID     string `json:"zoom_id"`
	ZoomUserID string `json:"zoom_user_id"`
	Updated    bool   `json:"updated,omitempty"`
	// Before is what jobs queued by earlier versions carry instead of
	// Updated: a fingerprint of the row before the change, "" when new.
	Before string `json:"before,omitempty"`
}

// writeActivityEvents writes, in st's transaction, an event for each
// activity of args, activity.created or activity.updated, with its
// deliveries and their job, and returns how many events it wrote. The
// events carry the activity as stored now, which is what the change left
// unless a later change (with events of its own) came first; an activity
// deleted since has none.
func writeActivityEvents(ctx context.Context, st *store.Store, args ActivityEventsArgs) (int, error) {
	keys := make([]store.Activity, len(args.Activities))
	for i, r := range args.Activities {
		keys[i] = store.Activity{OrgID: args.OrgID, Kind: r.Kind, ZoomID: r.ZoomID, ZoomUserID: r.ZoomUserID}
	}
	stored, err := st.ActivitiesByKey(ctx, keys)
	if err != nil {
		return 0, err
	}
	current := make(map[activityKey]store.Activity, len(stored))
	for _, a := range stored {
		current[keyOf(a)] = a
	}
	var events []store.OutboundEvent
	var endpoints [][]int64
	for i, r := range args.Activities {
		cur, ok := current[keyOf(keys[i])]
		if !ok {
			continue
		}
		event := "activity.created"
		if r.Updated || r.Before != "" {
			event = "activity.updated"
		}
		eps, err := subs.endpoints(ctx, st, args.OrgID, event)
		if err != nil {
			return 0, err
		}
		if len(eps) == 0 {
			continue // the endpoints want only the other of created and updated
		}
		ev, err := eventOf(args.OrgID, event, Activity(cur), args.At)
		if err != nil {
			return 0, err
		}
		events = append(events, ev)
		endpoints = append(endpoints, eps)
	}
	_, err = enqueueEvents(ctx, st, events, endpoints, args.At)
	return len(events), err
}

// PublishActivitiesDeleted publishes activity.deleted for activities a
// deletion removed (what store.PurgeConnection and store.DeleteZoomUser
// return), in the deleting transaction: nothing when no endpoint of the
// organization subscribes.
func PublishActivitiesDeleted(ctx context.Context, st *store.Store, orgID int64, deleted []store.DeletedActivity, now time.Time) error {
	if len(deleted) == 0 {
		return nil
	}
	eps, err := subs.endpoints(ctx, st, orgID, "activity.deleted")
	if err != nil || len(eps) == 0 {
		return err
	}
	events := make([]store.OutboundEvent, len(deleted))
	endpoints := make([][]int64, len(deleted))
	for i, a := range deleted {
		if events[i], err = eventOf(orgID, "activity.deleted", ActivityDeletedData{ID: a.ID, PersonID: a.PersonID, Kind: a.Kind, ZoomID: a.ZoomID}, now); err != nil {
			return err
		}
		endpoints[i] = eps
	}
	_, err = enqueueEvents(ctx, st, events, endpoints, now)
	return err
}
