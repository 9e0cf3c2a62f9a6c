package outbound

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strconv"
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

// activityKey is the activities' upsert key: one activity per Zoom fact
// in an organization, whichever connection brought it.
type activityKey struct {
	org                  int64
	kind, zoom, zoomUser string
}

func keyOf(a store.Activity) activityKey {
	return activityKey{a.OrgID, a.Kind, a.ZoomID, a.ZoomUserID}
}

// ActivityBatch publishes activity.created and activity.updated for a batch
// of upserts. Every webhook brings activities, so what it adds to the ingest
// transaction is kept small: before the upserts one read of what is stored
// under their keys, after them one job per organization that names the
// activities and a fingerprint of each one's earlier state. That job, in the
// delivery queue, reads the activities and writes their events, deliveries
// and delivery job in one transaction, which also completes it: the change
// and its events are committed together (the job is the outbox), and the
// events are written once. A nil batch (no organization of the batch
// subscribes to activity events) costs nothing.
type ActivityBatch struct {
	refs map[int64][]ActivityRef // by organization, each key once, in order
}

// BeforeActivities notes, in the batch's transaction, what is stored under
// the keys of the activities about to be upserted.
func BeforeActivities(ctx context.Context, st *store.Store, as []store.Activity) (*ActivityBatch, error) {
	wanted := map[int64]bool{}
	seen := map[activityKey]bool{}
	var keys []store.Activity
	for _, a := range as {
		want, ok := wanted[a.OrgID]
		if !ok {
			c, err := Wants(ctx, st, a.OrgID, "activity.created")
			if err != nil {
				return nil, err
			}
			u, err := Wants(ctx, st, a.OrgID, "activity.updated")
			if err != nil {
				return nil, err
			}
			want = c || u
			wanted[a.OrgID] = want
		}
		if want && !seen[keyOf(a)] {
			seen[keyOf(a)] = true
			keys = append(keys, a)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	stored, err := st.ActivitiesByKey(ctx, keys)
	if err != nil {
		return nil, err
	}
	before := make(map[activityKey]string, len(stored))
	for _, a := range stored {
		before[keyOf(a)] = fingerprint(a)
	}
	b := &ActivityBatch{refs: map[int64][]ActivityRef{}}
	for _, a := range keys {
		b.refs[a.OrgID] = append(b.refs[a.OrgID], ActivityRef{Kind: a.Kind, ZoomID: a.ZoomID, ZoomUserID: a.ZoomUserID, Before: before[keyOf(a)]})
	}
	return b, nil
}

// Publish queues the batch's events, after its upserts and in their
// transaction. Where no queue works this database (a tool, a test without
// a server) the events are written at once instead.
func (b *ActivityBatch) Publish(ctx context.Context, st *store.Store, now time.Time) error {
	if b == nil {
		return nil
	}
	q, queued := queues.Load(st.DB())
	var params []river.InsertManyParams
	for org, refs := range b.refs {
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
	_, err := q.(Enqueuer).InsertManyTx(ctx, st.Tx(), params)
	return err
}

// activityJobRefs bounds the activities one job publishes.
const activityJobRefs = 500

// ActivityRef names an upserted activity by its key, with the fingerprint
// of what was stored under it before the change ("" when nothing was).
type ActivityRef struct {
	Kind       string `json:"kind"`
	ZoomID     string `json:"zoom_id"`
	ZoomUserID string `json:"zoom_user_id"`
	Before     string `json:"before,omitempty"`
}

// fingerprint condenses what an activity event shows, but its updated_at:
// equal fingerprints, nothing for a host product to learn.
func fingerprint(a store.Activity) string {
	d := Activity(a)
	d.UpdatedAt = ""
	b, _ := json.Marshal(d)
	h := fnv.New64a()
	h.Write(b)
	return strconv.FormatUint(h.Sum64(), 36)
}

// writeActivityEvents writes, in st's transaction, an event for each
// activity of args that is new (activity.created) or shows other values
// than before (activity.updated), with its deliveries and their job, and
// returns how many events it wrote. The events carry the activity as
// stored now, which is what the change left unless a later change (with
// events of its own) came first; an activity deleted since has none.
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
		if r.Before != "" {
			if fingerprint(cur) == r.Before {
				continue
			}
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
