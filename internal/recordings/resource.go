package recordings

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Resource is an artifact as the REST API shows it and outbound events carry it.
type Resource struct {
	ID              int64        `json:"id"`
	Type            string       `json:"type"`
	MeetingID       string       `json:"meeting_id"`
	MeetingUUID     string       `json:"meeting_uuid"`
	Topic           string       `json:"topic"`
	FileType        string       `json:"file_type"`
	FileExtension   string       `json:"file_extension,omitempty"`
	SizeBytes       int64        `json:"size_bytes"`
	DurationSeconds int64        `json:"duration_seconds"`
	MeetingStart    time.Time    `json:"meeting_start"`
	RecordingStart  *time.Time   `json:"recording_start,omitempty"`
	RecordingEnd    *time.Time   `json:"recording_end,omitempty"`
	PlayURL         string       `json:"play_url,omitempty"`
	ZoomState       string       `json:"zoom_state"`
	PersonID        int64        `json:"person_id,omitempty"`
	Deal            *DealRef     `json:"deal"`
	CRMActivity     *ActivityRef `json:"crm_activity"`
	LinkRule        string       `json:"link_rule,omitempty"`
	UnlinkedReason  string       `json:"unlinked_reason,omitempty"`
	Detached        bool         `json:"detached"`
	Summary         *SummaryText `json:"summary,omitempty"`
}

// DealRef and ActivityRef name the CRM records an artifact is linked to.
type DealRef struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"external_id"`
	Name       string `json:"name"`
}

type ActivityRef struct {
	ID         int64  `json:"id"`
	ExternalID string `json:"external_id"`
}

// SummaryText is kept only when the organization opted in.
type SummaryText struct {
	Overview  string   `json:"overview"`
	NextSteps []string `json:"next_steps"`
}

// ResourceOf shows an artifact with the CRM records it links to, read through st.
func ResourceOf(ctx context.Context, st *store.Store, a store.Artifact) (Resource, error) {
	r := Resource{ID: a.ID, Type: a.Kind, MeetingID: a.MeetingID, MeetingUUID: a.MeetingUUID, Topic: a.Topic,
		FileType: a.FileType, FileExtension: a.FileExtension, SizeBytes: a.SizeBytes, MeetingStart: a.MeetingStart,
		PlayURL: a.PlayURL, ZoomState: a.ZoomState, PersonID: a.PersonID, LinkRule: a.Rule, UnlinkedReason: a.UnlinkedReason,
		Detached: a.Detached}
	if !a.RecordingStart.IsZero() {
		r.RecordingStart = &a.RecordingStart
	}
	if !a.RecordingEnd.IsZero() {
		r.RecordingEnd = &a.RecordingEnd
		if !a.RecordingStart.IsZero() && a.Kind != store.ArtifactSummary {
			r.DurationSeconds = int64(a.RecordingEnd.Sub(a.RecordingStart) / time.Second)
		}
	}
	if a.SummaryOverview != "" || len(a.SummaryNextSteps) > 0 {
		r.Summary = &SummaryText{Overview: a.SummaryOverview, NextSteps: a.SummaryNextSteps}
	}
	if a.DealID != 0 {
		d, err := st.DealByID(ctx, a.OrgID, a.DealID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return r, err
		}
		if err == nil {
			r.Deal = &DealRef{ID: d.ID, ExternalID: d.ExternalID, Name: d.Name}
		}
	}
	if a.CRMActivityID != 0 {
		act, err := st.CRMActivityByID(ctx, a.OrgID, a.CRMActivityID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return r, err
		}
		if err == nil {
			r.CRMActivity = &ActivityRef{ID: act.ID, ExternalID: act.ExternalID}
		}
	}
	return r, nil
}

// Outbound event types (feature X2).
const (
	EventCreated  = "artifact.created"
	EventLinked   = "artifact.linked"
	EventMoved    = "artifact.moved"
	EventDetached = "artifact.detached"
	EventDeleted  = "artifact.deleted"
)

// publish records an outbound event of the artifact as it now is, and for
// link changes and deletions an audit entry, in tx's transaction.
func (s *Service) publish(ctx context.Context, tx *store.Store, eventType string, a store.Artifact, actor string) error {
	res, err := ResourceOf(ctx, tx, a)
	if err != nil {
		return err
	}
	now := s.now()
	if err := outbound.Publish(ctx, tx, a.OrgID, eventType, res, now); err != nil {
		return err
	}
	if eventType == EventCreated {
		return nil
	}
	detail := a.Rule + a.UnlinkedReason
	if res.Deal != nil {
		detail = "deal " + res.Deal.ExternalID + " (" + a.Rule + ")"
	}
	if eventType == EventDeleted {
		detail = a.ZoomState
	}
	return tx.Audit(ctx, store.AuditEntry{OrgID: a.OrgID, Actor: actor, Action: eventType,
		Target: "artifact:" + strconv.FormatInt(a.ID, 10), Detail: detail, At: now})
}

// save upserts what Zoom says of an artifact and publishes what a host
// product must learn: a new artifact, one gone from Zoom, one back.
func (s *Service) save(ctx context.Context, tx *store.Store, a store.Artifact) (store.Artifact, error) {
	saved, before, err := tx.UpsertArtifact(ctx, a, s.now())
	if err != nil {
		return saved, err
	}
	present := saved.ZoomState == store.ZoomPresent
	switch {
	case before.ID == 0 && present, before.ID != 0 && before.ZoomState != store.ZoomPresent && present:
		err = s.publish(ctx, tx, EventCreated, saved, "zoom")
	case before.ID != 0 && before.ZoomState == store.ZoomPresent && !present:
		err = s.publish(ctx, tx, EventDeleted, saved, "zoom")
	}
	return saved, err
}
