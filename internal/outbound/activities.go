package outbound

import (
	"context"
	"errors"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Wants reports whether an enabled endpoint of the organization subscribes
// to the event type: a publisher whose data costs a query asks first.
func Wants(ctx context.Context, st *store.Store, orgID int64, eventType string) (bool, error) {
	eps, err := subs.endpoints(ctx, st, orgID, eventType)
	return len(eps) > 0, err
}

type activityKey struct {
	conn                 int64
	kind, zoom, zoomUser string
}

func keyOf(a store.Activity) activityKey {
	return activityKey{a.ConnectionID, a.Kind, a.ZoomID, a.ZoomUserID}
}

// ActivityBatch tells activity.created from activity.updated for a batch of
// upserts: it notes what was stored before them, and after them publishes
// each activity that is new or changed. A nil batch (no organization of the
// batch subscribes to activity events) costs nothing.
type ActivityBatch struct {
	before map[activityKey]*store.Activity // nil value: not stored before
	order  []store.Activity
}

// BeforeActivities notes, in the batch's transaction, what is stored under
// the keys of the activities about to be upserted.
func BeforeActivities(ctx context.Context, st *store.Store, as []store.Activity) (*ActivityBatch, error) {
	var b *ActivityBatch
	wanted := map[int64]bool{}
	for _, a := range as {
		want, seen := wanted[a.OrgID]
		if !seen {
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
		if !want {
			continue
		}
		if b == nil {
			b = &ActivityBatch{before: map[activityKey]*store.Activity{}}
		}
		k := keyOf(a)
		if _, ok := b.before[k]; ok {
			continue
		}
		old, err := st.ActivityByKey(ctx, a.ConnectionID, a.Kind, a.ZoomID, a.ZoomUserID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			b.before[k] = nil
		case err != nil:
			return nil, err
		default:
			b.before[k] = &old
		}
		b.order = append(b.order, a)
	}
	return b, nil
}

// Publish publishes the batch's new and changed activities, once each.
func (b *ActivityBatch) Publish(ctx context.Context, st *store.Store, now time.Time) error {
	if b == nil {
		return nil
	}
	var deliveries []int64
	for _, a := range b.order {
		cur, err := st.ActivityByKey(ctx, a.ConnectionID, a.Kind, a.ZoomID, a.ZoomUserID)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted later in the batch
		}
		if err != nil {
			return err
		}
		old := b.before[keyOf(a)]
		event := "activity.created"
		if old != nil {
			if *old == cur {
				continue
			}
			event = "activity.updated"
		}
		ids, err := publish(ctx, st, cur.OrgID, event, Activity(cur), now, false)
		if err != nil {
			return err
		}
		deliveries = append(deliveries, ids...)
	}
	return enqueueTx(ctx, st, deliveries, time.Time{})
}

// PublishActivitiesDeleted publishes activity.deleted for a Zoom user's
// activities that are about to be deleted, in the deleting transaction.
func PublishActivitiesDeleted(ctx context.Context, st *store.Store, orgID, connID int64, zoomUserID string, now time.Time) error {
	if want, err := Wants(ctx, st, orgID, "activity.deleted"); err != nil || !want {
		return err
	}
	as, err := st.ZoomUserActivities(ctx, connID, zoomUserID)
	if err != nil {
		return err
	}
	for _, a := range as {
		if err := Publish(ctx, st, orgID, "activity.deleted", ActivityDeletedData{ID: a.ID, PersonID: a.PersonID, Kind: a.Kind, ZoomID: a.ZoomID}, now); err != nil {
			return err
		}
	}
	return nil
}
