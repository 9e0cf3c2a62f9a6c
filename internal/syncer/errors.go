package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// How a unit's error is handled:
//   - a rate limit (the limiter's, or Zoom's 429) stops the unit's stream and
//     the job snoozes until the limit lifts; other streams go on meanwhile;
//   - a lost grant (revoked, needs reconnect, disconnected) ends the pass;
//   - Zoom refusing one record (unknown user, no Phone licence, deleted
//     meeting) is recorded, the unit is skipped, and the pass goes on;
//   - Zoom refusing the whole stream (a scope not granted, Phone not on the
//     account, reports not on the plan) is recorded once and the stream
//     stops for this pass;
//   - anything else (5xx, network, database) fails the run for River to retry
//     with backoff; the checkpoint keeps what was done.

// stopStream stops a stream until at.
type stopStream struct {
	at    time.Time
	cause error
}

func (e *stopStream) Error() string {
	return fmt.Sprintf("stream stopped until %s: %v", e.at.UTC().Format(time.RFC3339), e.cause)
}
func (e *stopStream) Unwrap() error { return e.cause }

// isGrantGone reports whether err means only a reconnect can help.
func isGrantGone(err error) bool {
	var oe *zoom.OAuthError
	var ae *zoom.APIError
	return err != nil && (errors.Is(err, zoom.ErrNeedsReconnect) || errors.Is(err, store.ErrNotFound) ||
		errors.As(err, &oe) || errors.As(err, &ae) && ae.Status == http.StatusUnauthorized)
}

// classify handles a unit's error; nil means it was recorded and the unit
// counts as done.
func (p *pass) classify(ctx context.Context, u unit, err error) error {
	if at, ok := zoom.RateLimitedUntil(err, time.Now()); ok {
		return &stopStream{at: at, cause: err}
	}
	var ae *zoom.APIError
	if ctx.Err() != nil || isGrantGone(err) || !errors.As(err, &ae) || ae.Status >= 500 {
		return err
	}
	if reason := streamRefused(u.stream, ae); reason != "" {
		return p.stopStreamForPass(ctx, u, ae, reason)
	}
	rec := store.SyncError{ConnectionID: p.conn.ID, PassID: p.sp.ID, Stream: u.stream, ZoomUserID: u.user.ZoomUserID,
		Ref: zoomDay(u.from) + ".." + zoomDay(u.to), Code: ae.Code, Message: ae.Message, At: p.s.now()}
	if reason := notApplicable(u.stream, ae); reason != "" {
		rec.Message = reason + " (Zoom: " + ae.Message + ")"
		if err := p.s.st.SkipSyncUser(ctx, p.conn.ID, u.stream, u.user.ZoomUserID, reason, p.s.now().Add(p.s.cfg.SkipFor)); err != nil {
			return err
		}
		if err := p.notePhoneLicence(ctx, p.s.st, u, false); err != nil {
			return err
		}
	}
	return p.s.st.RecordSyncError(ctx, rec)
}

const reasonNoPhone = "no Zoom Phone licence"

// notApplicable names why Zoom refused a stream for one user, when that
// will not change soon; such users are left alone for SkipFor.
func notApplicable(stream string, ae *zoom.APIError) string {
	if stream == streamCalls && ae.Status == http.StatusNotFound {
		// Zoom Phone answers 404 "User does not exist" for users without a licence.
		return reasonNoPhone
	}
	return ""
}

// streamRefused names why Zoom refused a stream for the whole connection.
func streamRefused(stream string, ae *zoom.APIError) string {
	switch {
	case ae.Code == 4711 || ae.Code == 4700:
		return "the connection lacks a scope " + stream + " need: reconnect Zoom to grant it"
	case ae.Status == http.StatusForbidden && stream == streamCalls:
		return "Zoom Phone is not enabled on this Zoom account"
	case ae.Status == http.StatusForbidden || ae.Code == 200:
		return "Zoom does not allow this connection to read " + stream + " (plan or permission)"
	}
	return ""
}

// stopStreamForPass records, once, that a stream cannot run on this
// connection, and lets the stream's remaining units pass without calls.
func (p *pass) stopStreamForPass(ctx context.Context, u unit, ae *zoom.APIError, reason string) error {
	p.mu.Lock()
	if p.refused == nil {
		p.refused = map[string]bool{}
	}
	first := !p.refused[u.stream]
	p.refused[u.stream] = true
	p.mu.Unlock()
	if !first {
		return nil
	}
	return p.s.st.RecordSyncError(ctx, store.SyncError{ConnectionID: p.conn.ID, PassID: p.sp.ID, Stream: u.stream,
		Code: ae.Code, Message: reason + " (Zoom: " + ae.Message + ")", At: p.s.now()})
}

func (p *pass) streamIsRefused(stream string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused[stream]
}

// notePhoneLicence keeps the Zoom user's Phone licence as the calls stream
// found it (Zoom's user list does not carry it).
func (p *pass) notePhoneLicence(ctx context.Context, st *store.Store, u unit, licensed bool) error {
	if u.stream != streamCalls || u.user.PhoneLicensed == licensed {
		return nil
	}
	zu := u.user
	zu.PhoneLicensed = licensed
	_, err := st.UpsertZoomUser(ctx, zu, p.s.now())
	return err
}

func zoomDay(t time.Time) string { return t.UTC().Format("2006-01-02") }
