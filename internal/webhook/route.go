package webhook

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// connections are the connections an event reaches: those holding its Zoom
// account through the app that sent it. The deployment's app reaches OAuth
// connections; an organization's Server-to-Server app only that
// organization's S2S connections, so one tenant's app never writes another's data.
func connections(ctx context.Context, tx *store.Store, ev store.InboxEvent) ([]store.Connection, error) {
	if ev.AccountID == "" {
		return nil, nil
	}
	all, err := tx.ConnectionsByZoomAccount(ctx, ev.AccountID)
	if err != nil {
		return nil, err
	}
	var out []store.Connection
	for _, c := range all {
		if ev.OrgID != 0 && (c.OrgID != ev.OrgID || c.Kind != store.KindS2S) {
			continue
		}
		if ev.OrgID == 0 && c.Kind == store.KindS2S {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// covers reports whether a connection sees a Zoom user: a person's own
// connection sees only that person.
func covers(c store.Connection, zoomUserID string) bool {
	return zoomUserID != "" && (c.Kind != store.KindUserOAuth || c.ZoomUserID == zoomUserID)
}

// ingester resolves Zoom users to people and applies the ingestion rules,
// caching organizations for the one event it serves.
type ingester struct {
	ctx     context.Context
	tx      *store.Store
	orgs    map[int64]store.Organization
	conns   map[string][]store.Connection
	persons map[string]int64
	pending []store.Activity // upserts not written yet (flush)
	now     time.Time
}

// connections caches connections() for the events of one batch.
func (in *ingester) connections(ev store.InboxEvent) ([]store.Connection, error) {
	key := ev.AccountID + "\x00" + strconv.FormatInt(ev.OrgID, 10)
	if cs, ok := in.conns[key]; ok {
		return cs, nil
	}
	cs, err := connections(in.ctx, in.tx, ev)
	if err == nil {
		in.conns[key] = cs
	}
	return cs, err
}

// forget drops what a user event may change.
func (in *ingester) forget() {
	in.conns, in.persons = map[string][]store.Connection{}, map[string]int64{}
}

var featureOf = map[string]store.Feature{
	store.ActivityMeeting: store.FeatureMeetings,
	store.ActivityWebinar: store.FeatureWebinars,
	store.ActivityCall:    store.FeaturePhone,
}

// person returns the person whose activity this is, or 0 when it must not be
// ingested: the Zoom user is unknown or unmapped, the person is inactive or
// has the Zoom service off, or the organization has the kind's feature off.
func (in *ingester) person(c store.Connection, zoomUserID, kind string) (int64, error) {
	key := strconv.FormatInt(c.ID, 10) + "\x00" + zoomUserID + "\x00" + kind
	if id, ok := in.persons[key]; ok {
		return id, nil
	}
	id, err := in.resolve(c, zoomUserID, kind)
	if err == nil {
		in.persons[key] = id
	}
	return id, err
}

func (in *ingester) resolve(c store.Connection, zoomUserID, kind string) (int64, error) {
	if !covers(c, zoomUserID) {
		return 0, nil
	}
	var personID int64
	zu, err := in.tx.ZoomUserByZoomID(in.ctx, c.ID, zoomUserID)
	switch {
	case err == nil:
		personID = zu.PersonID
	case errors.Is(err, store.ErrNotFound):
		if c.Kind == store.KindUserOAuth {
			personID = c.PersonID
		}
	default:
		return 0, err
	}
	if personID == 0 {
		return 0, nil
	}
	p, err := in.tx.PersonByID(in.ctx, c.OrgID, personID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil || !p.Active || !p.ZoomEnabled {
		return 0, err
	}
	org, ok := in.orgs[c.OrgID]
	if !ok {
		if org, err = in.tx.OrganizationByID(in.ctx, c.OrgID); err != nil {
			return 0, err
		}
		in.orgs[c.OrgID] = org
	}
	if !org.Enabled(featureOf[kind]) {
		return 0, nil
	}
	return personID, nil
}

// ingest writes a for every connection whose person it is, and reports
// whether any took it. Upserts merge, so a repeat or an out-of-order
// started/ended leaves the same row.
func (in *ingester) ingest(conns []store.Connection, a store.Activity, now time.Time) (bool, error) {
	took := false
	for _, c := range conns {
		pid, err := in.person(c, a.ZoomUserID, a.Kind)
		if err != nil {
			return false, err
		}
		if pid == 0 {
			continue
		}
		a.OrgID, a.ConnectionID, a.PersonID, a.Source = c.OrgID, c.ID, pid, "webhook"
		in.pending = append(in.pending, a)
		took = true
	}
	in.now = now
	return took, nil
}

// flush writes the activities ingest collected, in order: one multi-row
// statement per batch on PostgreSQL instead of a round trip per activity.
// It runs before anything else the batch writes (a user event, the inbox
// marks), so the order of writes is the order of events.
func (in *ingester) flush() error {
	if len(in.pending) == 0 {
		return nil
	}
	tell, err := outbound.WantsActivities(in.ctx, in.tx, in.pending)
	var writes []store.Write
	if err == nil {
		writes, err = in.tx.UpsertActivities(in.ctx, in.pending, in.now, tell)
	}
	if err == nil {
		err = outbound.PublishActivities(in.ctx, in.tx, in.pending, writes, in.now)
	}
	in.pending = in.pending[:0]
	return err
}

func newIngester(ctx context.Context, tx *store.Store) *ingester {
	in := &ingester{ctx: ctx, tx: tx, orgs: map[int64]store.Organization{}}
	in.forget()
	return in
}

// result names the outcome of an activity event.
func result(conns []store.Connection, took bool) string {
	switch {
	case len(conns) == 0:
		return OutcomeNoConnection
	case took:
		return OutcomeApplied
	}
	return OutcomeNotIngested
}
