package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// userObject is the object of user.* events. user.updated carries only the
// changed fields (and id), so every field is optional.
type userObject struct {
	ID          string          `json:"id"`
	Email       *string         `json:"email"`
	FirstName   *string         `json:"first_name"`
	LastName    *string         `json:"last_name"`
	DisplayName *string         `json:"display_name"`
	Type        json.RawMessage `json:"type"`
	Status      *string         `json:"status"`
}

var userStatus = map[string]string{"created": "active", "activated": "active", "deactivated": "inactive"}

// user applies user.created/updated/activated/deactivated/deleted to the
// Zoom users of each connection holding the account (feature P5). Per Zoom
// user, an event older than one already applied, or any event after the
// user's deletion, changes nothing, so order and repeats do not matter.
func (p *Processor) user(ctx context.Context, tx *store.Store, ev store.InboxEvent) (string, error) {
	action := strings.TrimPrefix(ev.Event, "user.")
	if _, ok := userStatus[action]; !ok && action != "updated" && action != "deleted" {
		return OutcomeUnhandled, nil
	}
	var o userObject
	if !decodePayload(ev.Body, &o, nil) || o.ID == "" {
		return OutcomeMalformed, nil
	}
	conns, err := connections(ctx, tx, ev)
	if err != nil || len(conns) == 0 {
		return OutcomeNoConnection, err
	}
	outcome := OutcomeNotIngested
	for _, c := range conns {
		if !covers(c, o.ID) {
			continue
		}
		ts, deleted, err := tx.ZoomUserMark(ctx, c.ID, o.ID)
		if err != nil {
			return "", err
		}
		if deleted || ev.EventTS < ts {
			if outcome != OutcomeApplied {
				outcome = OutcomeStale
			}
			continue
		}
		applied, err := p.applyUser(ctx, tx, c, ev, action, o)
		if err != nil {
			return "", err
		}
		if applied {
			outcome = OutcomeApplied
			if err := tx.MarkZoomUser(ctx, c.ID, o.ID, ev.EventTS, action == "deleted"); err != nil {
				return "", err
			}
		}
	}
	return outcome, nil
}

func (p *Processor) applyUser(ctx context.Context, tx *store.Store, c store.Connection, ev store.InboxEvent, action string, o userObject) (bool, error) {
	if action == "deleted" {
		deleted, err := tx.DeleteZoomUser(ctx, c.ID, o.ID)
		if err != nil {
			return false, err
		}
		return true, outbound.PublishActivitiesDeleted(ctx, tx, c.OrgID, deleted, p.now())
	}
	zu, err := tx.ZoomUserByZoomID(ctx, c.ID, o.ID)
	if errors.Is(err, store.ErrNotFound) {
		if o.Email == nil {
			return false, nil // nothing to map by; the next sync brings the user
		}
		zu, err = store.ZoomUser{OrgID: c.OrgID, ConnectionID: c.ID, ZoomUserID: o.ID, ZoomAccountID: ev.AccountID, Status: "active"}, nil
	}
	if err != nil {
		return false, err
	}
	if o.Email != nil {
		zu.Email = *o.Email
	}
	switch {
	case o.DisplayName != nil:
		zu.DisplayName = *o.DisplayName
	case o.FirstName != nil && o.LastName != nil:
		zu.DisplayName = strings.TrimSpace(*o.FirstName + " " + *o.LastName)
	case zu.DisplayName == "" && o.FirstName != nil:
		zu.DisplayName = *o.FirstName
	}
	if n := number(o.Type); n > 0 {
		zu.UserType = int(n)
	}
	if o.Status != nil {
		zu.Status = *o.Status
	}
	if s := userStatus[action]; s != "" {
		zu.Status = s
	}
	_, err = tx.UpsertZoomUser(ctx, zu, p.now())
	return err == nil, err
}
