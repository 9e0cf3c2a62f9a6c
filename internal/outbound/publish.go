// Package outbound sends zoombridge's events to host products as signed
// Standard Webhooks (feature X2): an outbox written with each change, durable
// deliveries with retries, and a guard against requests to internal addresses.
package outbound

import (
	"context"
	"crypto/rand"
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
// to the transaction of the change (store.InTx), so the event is committed or
// rolled back with it. Type is a dotted name such as "person.created"; data is
// the resource as the API shows it.
func Publish(ctx context.Context, st *store.Store, orgID int64, eventType string, data any, now time.Time) error {
	body, err := json.Marshal(envelope{Type: eventType, Timestamp: now.UTC(), Data: data})
	if err != nil {
		return fmt.Errorf("outbound %s: %w", eventType, err)
	}
	if len(body) > MaxPayload {
		return fmt.Errorf("outbound %s: payload of %d bytes exceeds %d", eventType, len(body), MaxPayload)
	}
	_, err = st.InsertOutboundEvent(ctx, store.OutboundEvent{
		OrgID: orgID, MsgID: newMsgID(), Type: eventType, Payload: string(body), CreatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("outbound %s: %w", eventType, err)
	}
	return nil
}

// newMsgID is the webhook-id: unique per event, the same on every retry.
func newMsgID() string {
	var b [16]byte
	rand.Read(b[:])
	return fmt.Sprintf("msg_%x", b)
}
