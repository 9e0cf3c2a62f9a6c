package outbound

import (
	"context"
	"encoding/json"
	"fmt"
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
		body, err := json.Marshal(envelope{Type: event, Timestamp: now.UTC(), Data: Activity(cur)})
		if err != nil {
			return err
		}
		if len(body) > MaxPayload {
			return fmt.Errorf("outbound %s: payload of %d bytes exceeds %d", event, len(body), MaxPayload)
		}
		events = append(events, store.OutboundEvent{OrgID: cur.OrgID, MsgID: newMsgID(), Type: event, Payload: string(body), CreatedAt: now})
		endpoints = append(endpoints, eps)
	}
	if len(events) == 0 {
		return nil
	}
	ids, err := st.InsertOutboundEvents(ctx, events)
	if err != nil {
		return err
	}
	var ds []store.OutboundDelivery
	for i, id := range ids {
		for _, ep := range endpoints[i] {
			ds = append(ds, store.OutboundDelivery{OrgID: events[i].OrgID, EndpointID: ep, EventID: id})
		}
	}
	deliveries, err := st.InsertOutboundDeliveryRows(ctx, ds, now)
	if err != nil {
		return err
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
