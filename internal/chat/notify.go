package chat

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/riverqueue/river"
)

// What the bot says without being asked: a meeting card that turns into
// "ended" when its instance ends (the activity sync and webhooks record the
// end), and a direct message to the host when a recording is ready (the
// recordings feature publishes artifact.created to the outbound_events
// outbox, which the bot reads with its own cursor). Both are data the
// other features already write; the bot only reads them.

// EventArtifactCreated is the outbound event the recordings feature publishes.
const EventArtifactCreated = "artifact.created"

// Platforms are the chat surfaces the bot answers on, by Platform.Name.
type Platforms map[string]Platform

// Tick updates ended meeting cards and sends recording-ready messages.
func (c *Core) Tick(ctx context.Context, ps Platforms) error {
	return errors.Join(c.endCards(ctx, ps), c.recordingsReady(ctx, ps))
}

func (c *Core) endCards(ctx context.Context, ps Platforms) error {
	cards, err := c.cfg.Store.EndedMeetingCards(ctx, 100)
	if err != nil {
		return err
	}
	for _, rec := range cards {
		p := ps[rec.Platform]
		var card Card
		if p == nil || json.Unmarshal([]byte(rec.Card), &card) != nil {
			continue
		}
		card.Code, card.Title, card.Actions = CodeMeetingEnded, "Ended: "+card.Title, nil
		card.Text = append([]string{"This meeting ended at " + showTime(rec.EndedAt, c.orgZone(ctx, rec.OrgID)) + "."}, card.Text...)
		ok, err := c.cfg.Store.ClaimEndedChatCard(ctx, rec.ID, rec.EndedAt)
		if err != nil {
			return err
		}
		if !ok {
			continue // another tick has it
		}
		if err := p.Update(ctx, Conversation{ID: rec.ConversationID, ServiceURL: rec.ServiceURL}, rec.MessageID, card); err != nil {
			c.cfg.Log.Warn("chat: ended meeting card not updated; trying again next tick", "card_id", rec.ID, "err", err)
			if err := c.cfg.Store.ReopenChatCard(ctx, rec.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// artifact is the part of an artifact.created event the bot reads.
type artifact struct {
	Type        string `json:"type"`
	MeetingID   string `json:"meeting_id"`
	MeetingUUID string `json:"meeting_uuid"`
	Topic       string `json:"topic"`
	PlayURL     string `json:"play_url"`
	PersonID    int64  `json:"person_id"`
}

func (c *Core) recordingsReady(ctx context.Context, ps Platforms) error {
	orgs, err := c.cfg.Store.ChatOrgs(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, org := range orgs {
		errs = append(errs, c.orgRecordings(ctx, ps, org))
	}
	return errors.Join(errs...)
}

func (c *Core) orgRecordings(ctx context.Context, ps Platforms, orgID int64) error {
	after, err := c.cfg.Store.ChatEventCursor(ctx, orgID)
	if err != nil {
		return err
	}
	evs, err := c.cfg.Store.OutboundEvents(ctx, orgID, after, 200)
	if err != nil || len(evs) == 0 {
		return err
	}
	for _, ev := range evs {
		if ev.Type != EventArtifactCreated {
			continue
		}
		var env struct {
			Data artifact `json:"data"`
		}
		if json.Unmarshal([]byte(ev.Payload), &env) != nil || env.Data.Type != "zoom_recording" || env.Data.PersonID == 0 || env.Data.MeetingUUID == "" {
			continue
		}
		c.recordingReady(ctx, ps, orgID, env.Data)
	}
	return c.cfg.Store.SetChatEventCursor(ctx, orgID, evs[len(evs)-1].ID, c.cfg.Now())
}

// recordingReady tells the host once per meeting instance, on every platform
// where the bot has met them.
func (c *Core) recordingReady(ctx context.Context, ps Platforms, orgID int64, a artifact) {
	host, err := c.cfg.Store.PersonByID(ctx, orgID, a.PersonID)
	if err != nil || !host.Active {
		return
	}
	settings, err := c.cfg.Store.ChatSettings(ctx, orgID)
	if err != nil || !settings.Meetings {
		return
	}
	users, err := c.cfg.Store.ChatUsersByEmail(ctx, orgID, host.Email)
	if err != nil || len(users) == 0 {
		return
	}
	if ok, err := c.cfg.Store.ClaimRecordingNotice(ctx, orgID, a.MeetingUUID, c.cfg.Now()); err != nil || !ok {
		return
	}
	card := Card{Code: CodeRecordingReady, Title: "Your recording is ready: " + a.Topic,
		Text: []string{"Zoom finished processing the cloud recording of your meeting."}, Facts: []Fact{{"Meeting ID", a.MeetingID}}}
	if a.PlayURL != "" {
		card.Actions = []Action{{Title: "Open recording", URL: a.PlayURL}}
	}
	for _, u := range users {
		if p := ps[u.Platform]; p != nil {
			c.direct(ctx, p, orgID, u, card)
		}
	}
}

// TickArgs is the periodic job that runs Tick.
type TickArgs struct{}

// Kind names the job.
func (TickArgs) Kind() string { return "chat_tick" }

// TickWorker runs Tick.
type TickWorker struct {
	river.WorkerDefaults[TickArgs]
	Core      *Core
	Platforms Platforms
}

// Work runs one tick.
func (w *TickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	return w.Core.Tick(ctx, w.Platforms)
}

// TickPeriodic runs the tick every interval (15 s keeps a recording-ready
// message well within a minute of Zoom's event).
func TickPeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return TickArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
	}, &river.PeriodicJobOpts{RunOnStart: true})
}
