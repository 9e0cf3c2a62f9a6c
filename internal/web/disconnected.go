package web

import (
	"context"
	"errors"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// disconnected says when and by whom Zoom was last disconnected, for the
// pages that would otherwise say Zoom is not connected yet.
type disconnected struct {
	At time.Time
	By string // a person's name or email, or "Zoom" when the app was removed there
}

// lastDisconnected is the organization's latest disconnection of one of
// kinds (any when none), or nil when there was none.
func (a *App) lastDisconnected(ctx context.Context, orgID int64, tz *time.Location, kinds ...string) (*disconnected, error) {
	d, err := a.st.LastDisconnection(ctx, orgID, kinds...)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	by := d.ActorName
	switch {
	case d.Actor == "zoom":
		by = "Zoom (the app was removed in Zoom)"
	case by == "":
		by = "a person no longer in the directory"
	}
	return &disconnected{At: d.At.In(tz), By: by}, nil
}
