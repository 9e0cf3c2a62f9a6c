package outbound

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// RotationOverlap is how long the previous secret keeps signing after a
// rotation, so receivers can switch without losing a delivery.
const RotationOverlap = 24 * time.Hour

// Reasons an endpoint is disabled.
const (
	DisabledManual  = "manual"  // someone turned it off
	DisabledGone    = "gone"    // it answered 410 Gone
	DisabledFailing = "failing" // five days of failed deliveries
)

// FailingLimit is how long an endpoint may fail before it is disabled.
const FailingLimit = 5 * 24 * time.Hour

// ErrEventType is a filter naming something that is not an event type.
var ErrEventType = errors.New("outbound: event types are dotted lower-case names such as person.created")

// ErrDescription is a description over 500 characters.
var ErrDescription = errors.New("outbound: the description is longer than 500 characters")

// Endpoint is what a caller may set on an endpoint.
type Endpoint struct {
	URL         string
	Description string
	EventTypes  []string // empty: every type
}

func (s *Service) check(ctx context.Context, in Endpoint) (Endpoint, error) {
	u, err := s.guard.CheckURL(ctx, strings.TrimSpace(in.URL))
	if err != nil {
		return in, err
	}
	in.URL = u.String()
	if len(in.Description) > 500 {
		return in, ErrDescription
	}
	seen := map[string]bool{}
	var types []string
	for _, t := range in.EventTypes {
		if t = strings.TrimSpace(t); t == "" || seen[t] {
			continue
		}
		if !typeName.MatchString(t) {
			return in, fmt.Errorf("%w (got %q)", ErrEventType, t)
		}
		seen[t] = true
		types = append(types, t)
	}
	in.EventTypes = types
	return in, nil
}

// CreateEndpoint checks and saves an endpoint, and returns it with its
// signing secret, which is shown this once.
func (s *Service) CreateEndpoint(ctx context.Context, orgID int64, actor string, in Endpoint) (store.OutboundEndpoint, string, error) {
	in, err := s.check(ctx, in)
	if err != nil {
		return store.OutboundEndpoint{}, "", err
	}
	secret := NewSecret()
	var ep store.OutboundEndpoint
	err = s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		ep, err = st.CreateOutboundEndpoint(ctx, store.OutboundEndpoint{OrgID: orgID, URL: in.URL, Description: in.Description, EventTypes: in.EventTypes},
			func(id int64) ([]byte, error) { return s.vault.SealString(secret, sealAAD(id)) }, s.now())
		if err != nil {
			return err
		}
		return s.audit(ctx, st, orgID, actor, "webhook_endpoint.created", ep, ep.URL)
	})
	subs.forget(s.st, orgID)
	return ep, secret, err
}

// UpdateEndpoint changes an endpoint's URL, description and filter.
func (s *Service) UpdateEndpoint(ctx context.Context, orgID, id int64, actor string, in Endpoint) (store.OutboundEndpoint, error) {
	in, err := s.check(ctx, in)
	if err != nil {
		return store.OutboundEndpoint{}, err
	}
	var ep store.OutboundEndpoint
	err = s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		ep = store.OutboundEndpoint{ID: id, OrgID: orgID, URL: in.URL, Description: in.Description, EventTypes: in.EventTypes}
		if err := st.UpdateOutboundEndpoint(ctx, ep, s.now()); err != nil {
			return err
		}
		if ep, err = st.OutboundEndpoint(ctx, orgID, id); err != nil {
			return err
		}
		return s.audit(ctx, st, orgID, actor, "webhook_endpoint.updated", ep, ep.URL)
	})
	subs.forget(s.st, orgID)
	return ep, err
}

// RotateSecret gives an endpoint a new secret, returned this once; the old
// one signs beside it for RotationOverlap.
func (s *Service) RotateSecret(ctx context.Context, orgID, id int64, actor string) (string, error) {
	secret := NewSecret()
	now := s.now()
	err := s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		ep, err := st.OutboundEndpoint(ctx, orgID, id)
		if err != nil {
			return err
		}
		enc, err := s.vault.SealString(secret, sealAAD(id))
		if err != nil {
			return err
		}
		if err := st.RotateOutboundSecret(ctx, orgID, id, enc, ep.SecretEnc, now.Add(RotationOverlap), now); err != nil {
			return err
		}
		return s.audit(ctx, st, orgID, actor, "webhook_endpoint.secret_rotated", ep, "")
	})
	return secret, err
}

// SetEnabled turns an endpoint on or off by hand. Turning it off ends its
// pending deliveries as failed (they can be replayed); turning it on ends
// its failure streak.
func (s *Service) SetEnabled(ctx context.Context, orgID, id int64, actor string, on bool) error {
	err := s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		ep, err := st.OutboundEndpoint(ctx, orgID, id)
		if err != nil {
			return err
		}
		if !on {
			return s.disable(ctx, st, ep, actor, DisabledManual)
		}
		changed, err := st.SetOutboundEndpointDisabled(ctx, orgID, id, "", s.now())
		if err != nil || !changed {
			return err
		}
		return s.audit(ctx, st, orgID, actor, "webhook_endpoint.enabled", ep, "")
	})
	subs.forget(s.st, orgID)
	return err
}

// disable turns an endpoint off for a reason, in st's transaction.
func (s *Service) disable(ctx context.Context, st *store.Store, ep store.OutboundEndpoint, actor, reason string) error {
	changed, err := st.SetOutboundEndpointDisabled(ctx, ep.OrgID, ep.ID, reason, s.now())
	if err != nil || !changed {
		return err
	}
	if err := st.FailPendingOutboundDeliveries(ctx, ep.ID, ErrCodeDisabled, s.now()); err != nil {
		return err
	}
	return s.audit(ctx, st, ep.OrgID, actor, "webhook_endpoint.disabled", ep, reason)
}

// DeleteEndpoint removes an endpoint and its delivery log.
func (s *Service) DeleteEndpoint(ctx context.Context, orgID, id int64, actor string) error {
	err := s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		ep, err := st.OutboundEndpoint(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := st.DeleteOutboundEndpoint(ctx, orgID, id); err != nil {
			return err
		}
		return s.audit(ctx, st, orgID, actor, "webhook_endpoint.deleted", ep, ep.URL)
	})
	subs.forget(s.st, orgID)
	return err
}

// ErrDisabled is a replay or test event for a disabled endpoint.
var ErrDisabled = errors.New("outbound: the endpoint is disabled")

// Replay sends a delivery's event to its endpoint again, as a new delivery
// with the same webhook-id (receivers that saw it can tell).
func (s *Service) Replay(ctx context.Context, orgID, deliveryID int64) (int64, error) {
	d, err := s.st.OutboundDelivery(ctx, orgID, deliveryID)
	if err != nil {
		return 0, err
	}
	ids, err := s.redeliver(ctx, orgID, d.EndpointID, []int64{d.EventID})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// ReplayFailed sends again every event whose delivery to the endpoint
// failed since a time, and returns how many.
func (s *Service) ReplayFailed(ctx context.Context, orgID, endpointID int64, since time.Time) (int, error) {
	events, err := s.st.FailedOutboundEvents(ctx, orgID, endpointID, since)
	if err != nil {
		return 0, err
	}
	ids, err := s.redeliver(ctx, orgID, endpointID, events)
	return len(ids), err
}

func (s *Service) redeliver(ctx context.Context, orgID, endpointID int64, events []int64) ([]int64, error) {
	var out []int64
	err := s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		ep, err := st.OutboundEndpoint(ctx, orgID, endpointID)
		if err != nil {
			return err
		}
		if !ep.Enabled() {
			return ErrDisabled
		}
		for _, ev := range events {
			ids, err := st.InsertOutboundDeliveries(ctx, orgID, ev, []int64{endpointID}, s.now())
			if err != nil {
				return err
			}
			out = append(out, ids...)
		}
		return enqueueTx(ctx, st, out, time.Time{})
	})
	return out, err
}

// SendTest sends a webhook.test event to one endpoint and returns its delivery.
func (s *Service) SendTest(ctx context.Context, orgID, endpointID int64) (int64, error) {
	ep, err := s.st.OutboundEndpoint(ctx, orgID, endpointID)
	if err != nil {
		return 0, err
	}
	if !ep.Enabled() {
		return 0, ErrDisabled
	}
	now := s.now()
	ev, err := eventOf(orgID, TestEventType, map[string]any{"endpoint_id": ep.ID}, now)
	if err != nil {
		return 0, err
	}
	ids, err := enqueueEvent(ctx, s.st, ev, []int64{ep.ID}, now)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}
