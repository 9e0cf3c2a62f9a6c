// Package outbound sends zoombridge's events to host products as signed
// Standard Webhooks (feature X2): an outbox written with each change, durable
// deliveries with retries, and a guard against requests to internal addresses.
package outbound

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// MaxPayload is the largest body an event may have (Standard Webhooks advice: small).
const MaxPayload = 20 << 10

// envelope is the body every endpoint receives.
type envelope struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Publish records an event for the organization's endpoints. st must be bound
// to the transaction of the change (store.InTx), so the event and its
// deliveries are committed or rolled back with it. Type is a dotted name such
// as "person.created"; data is the resource as the API shows it.
//
// The event row is always written (other features read the outbox too, such
// as the chat bot's recording-ready messages); deliveries and their job only
// for the enabled endpoints that subscribe to the type, found in a cached
// lookup. Activity events, which every webhook brings, go through
// ActivityBatch instead, which writes nothing when no endpoint wants them.
func Publish(ctx context.Context, st *store.Store, orgID int64, eventType string, data any, now time.Time) error {
	eps, err := subs.endpoints(ctx, st, orgID, eventType)
	if err != nil {
		return wrap(eventType, err)
	}
	ev, err := eventOf(orgID, eventType, data, now)
	if err != nil {
		return err
	}
	_, err = enqueueEvent(ctx, st, ev, eps, now)
	return wrap(eventType, err)
}

// eventOf is the row of an event: its body, refused over MaxPayload.
func eventOf(orgID int64, eventType string, data any, now time.Time) (store.OutboundEvent, error) {
	body, err := json.Marshal(envelope{Type: eventType, Timestamp: now.UTC(), Data: data})
	if err != nil {
		return store.OutboundEvent{}, wrap(eventType, err)
	}
	if len(body) > MaxPayload {
		return store.OutboundEvent{}, fmt.Errorf("outbound %s: payload of %d bytes exceeds %d", eventType, len(body), MaxPayload)
	}
	return store.OutboundEvent{OrgID: orgID, MsgID: newMsgID(), Type: eventType, Payload: string(body), CreatedAt: now}, nil
}

// enqueueEvent writes an event, a pending delivery per endpoint and the
// deliveries' job, in st's transaction, and returns the deliveries' ids.
func enqueueEvent(ctx context.Context, st *store.Store, ev store.OutboundEvent, endpointIDs []int64, now time.Time) ([]int64, error) {
	var ids []int64
	err := st.InTx(ctx, func(st *store.Store, _ *sql.Tx) (err error) {
		ids, err = enqueueEvents(ctx, st, []store.OutboundEvent{ev}, [][]int64{endpointIDs}, now)
		return err
	})
	return ids, err
}

// enqueueEvents is enqueueEvent for many events, each with its endpoints,
// in a few multi-row statements; call it in the change's transaction.
func enqueueEvents(ctx context.Context, st *store.Store, events []store.OutboundEvent, endpoints [][]int64, now time.Time) ([]int64, error) {
	if len(events) == 0 {
		return nil, nil
	}
	ids, err := st.InsertOutboundEvents(ctx, events)
	if err != nil {
		return nil, err
	}
	var ds []store.OutboundDelivery
	for i, id := range ids {
		for _, ep := range endpoints[i] {
			ds = append(ds, store.OutboundDelivery{OrgID: events[i].OrgID, EndpointID: ep, EventID: id})
		}
	}
	deliveries, err := st.InsertOutboundDeliveryRows(ctx, ds, now)
	if err != nil {
		return nil, err
	}
	return deliveries, enqueueTx(ctx, st, deliveries, time.Time{})
}

func wrap(eventType string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("outbound %s: %w", eventType, err)
}

// newMsgID is the webhook-id: unique per event, the same on every retry.
func newMsgID() string {
	var b [16]byte
	rand.Read(b[:])
	return fmt.Sprintf("msg_%x", b)
}
