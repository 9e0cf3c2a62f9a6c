package outbound

import (
	"context"
	"time"

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

// ActivityBatch tells activity.created from activity.updated for a batch of
// upserts: it notes what was stored before them, and after them publishes
// each activity that is new or changed, writing the batch's events,
// deliveries and job in a few statements. A nil batch (no organization of
// the batch subscribes to activity events) costs nothing.
type ActivityBatch struct {
	before map[activityKey]store.Activity // absent: not stored before
	keys   []store.Activity               // the subscribed activities, each key once
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
	b := &ActivityBatch{before: map[activityKey]store.Activity{}, keys: keys}
	for _, a := range stored {
		b.before[keyOf(a)] = a
	}
	return b, nil
}

// Publish publishes the batch's new and changed activities, once each.
func (b *ActivityBatch) Publish(ctx context.Context, st *store.Store, now time.Time) error {
	if b == nil {
		return nil
	}
	after, err := st.ActivitiesByKey(ctx, b.keys)
	if err != nil {
		return err
	}
	var events []store.OutboundEvent
	var endpoints [][]int64
	for _, cur := range after {
		event := "activity.created"
		if old, ok := b.before[keyOf(cur)]; ok {
			if old == cur {
				continue
			}
			event = "activity.updated"
		}
		eps, err := subs.endpoints(ctx, st, cur.OrgID, event)
		if err != nil {
			return err
		}
		if len(eps) == 0 {
			continue // the endpoints want only the other of created and updated
		}
		ev, err := eventOf(cur.OrgID, event, Activity(cur), now)
		if err != nil {
			return err
		}
		events = append(events, ev)
		endpoints = append(endpoints, eps)
	}
	return enqueueEvents(ctx, st, events, endpoints, now)
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
	return enqueueEvents(ctx, st, events, endpoints, now)
}
