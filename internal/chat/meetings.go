package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// schedule creates a Zoom meeting hosted by the sender with every member of
// the chat invited, posts its card, and tells each invitee and the
// organizer in a direct message (T1).
func (c *Core) schedule(ctx context.Context, p Platform, in Incoming, cmd Command) *Card {
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeatureMeetings)
	if card != nil {
		return card
	}
	loc := c.orgZone(ctx, in.OrgID)
	now := c.cfg.Now()
	req, err := parseSchedule(cmd.Args, now, loc)
	if err != nil {
		return problem(CodeBadInput, "I could not read that", err.Error())
	}
	members, err := c.members(ctx, p, in)
	if err != nil {
		c.cfg.Log.Warn("chat: members not listed", "platform", p.Name(), "err", err)
		return problem(CodeZoomError, "I could not list this chat's members", "Try again in a minute.")
	}
	nm := zoom.NewMeeting{Topic: req.topic, Type: 2, Duration: int(req.duration.Minutes()), Timezone: loc.String()}
	if nm.Topic == "" {
		nm.Topic = firstName(a.person.Name, in.From.Name) + "'s meeting"
	}
	start := req.start
	if start.IsZero() {
		start = now
	}
	nm.StartTime = start.UTC().Format("2006-01-02T15:04:05Z")
	for _, m := range members {
		nm.Settings.MeetingInvitees = append(nm.Settings.MeetingInvitees, zoom.Invitee{Email: m.Email})
	}
	created, err := a.api.CreateChatMeeting(ctx, a.userRef(), nm)
	if err != nil {
		return c.zoomFailed(err)
	}
	// The card is keyed by the instance: the UUID Zoom gives the meeting's
	// next occurrence (the create answer has none).
	m, err := a.api.Meeting(ctx, strconv.FormatInt(created.ID, 10))
	if err != nil {
		c.cfg.Log.Warn("chat: created meeting not read back; its card will not update when it ends", "meeting_id", created.ID, "err", err)
		m = created
	}
	mc := meetingCard(m, a.person.Name, len(members), loc)
	c.post(ctx, p, in, mc, m)
	c.notifyInvitees(ctx, p, in, members, m, a.person.Name, loc)
	return nil
}

// members lists the chat's members with an email; in a personal chat, the sender.
func (c *Core) members(ctx context.Context, p Platform, in Incoming) ([]User, error) {
	if in.Conv.Personal {
		return []User{in.From}, nil
	}
	all, err := p.Members(ctx, in.Conv)
	if err != nil {
		return nil, err
	}
	var out []User
	seen := map[string]bool{}
	for _, m := range all {
		e := store.NormEmail(m.Email)
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		out = append(out, m)
		c.remember(ctx, p, in.OrgID, Conversation{ServiceURL: in.Conv.ServiceURL, TenantID: in.Conv.TenantID}, m)
	}
	return out, nil
}

// post sends a meeting card to the chat and records it for the ended update.
func (c *Core) post(ctx context.Context, p Platform, in Incoming, card Card, m zoom.ScheduledMeeting) {
	id, err := p.Post(ctx, in.Conv, card)
	if err != nil {
		c.cfg.Log.Warn("chat: meeting card not posted", "err", err)
		return
	}
	if m.UUID == "" {
		return
	}
	// Kept to repost as ended, without the join link: it carries the meeting's passcode.
	card.Actions = nil
	body, _ := json.Marshal(card)
	_, err = c.cfg.Store.CreateChatCard(ctx, store.ChatCard{OrgID: in.OrgID, Platform: p.Name(), ConversationID: in.Conv.ID,
		ServiceURL: in.Conv.ServiceURL, MessageID: id, MeetingID: strconv.FormatInt(m.ID, 10), MeetingUUID: m.UUID, Card: string(body)}, c.cfg.Now())
	if err != nil {
		c.cfg.Log.Warn("chat: meeting card not recorded", "err", err)
	}
}

// notifyInvitees sends each member a direct message: "invited" to the
// others, "scheduled" to the organizer.
func (c *Core) notifyInvitees(ctx context.Context, p Platform, in Incoming, members []User, m zoom.ScheduledMeeting, organizer string, loc *time.Location) {
	for _, u := range members {
		card := meetingCard(m, organizer, len(members), loc)
		card.Code, card.Title = CodeInvited, "You're invited: "+m.Topic
		card.Text = []string{organizer + " invited you to a Zoom meeting from a chat."}
		if u.ID == in.From.ID {
			card.Code, card.Title = CodeScheduled, "You scheduled: "+m.Topic
			card.Text = []string{fmt.Sprintf("Your Zoom meeting is scheduled and %d people were invited.", len(members))}
		}
		c.direct(ctx, p, in.OrgID, store.ChatUser{OrgID: in.OrgID, Platform: p.Name(), UserID: u.ID, Email: u.Email, Name: u.Name,
			TenantID: in.Conv.TenantID, ServiceURL: in.Conv.ServiceURL}, card)
	}
}

// direct sends a personal message and remembers the personal chat it went to.
func (c *Core) direct(ctx context.Context, p Platform, orgID int64, to store.ChatUser, card Card) {
	if known, err := c.cfg.Store.ChatUsersByEmail(ctx, orgID, to.Email); err == nil {
		for _, k := range known {
			if k.Platform == to.Platform && k.UserID == to.UserID {
				to.DirectConvID = k.DirectConvID
			}
		}
	}
	conv, err := p.Direct(ctx, to, card)
	if err != nil {
		c.cfg.Log.Warn("chat: direct message not sent", "platform", p.Name(), "err", err)
		return
	}
	if conv != to.DirectConvID {
		to.DirectConvID = conv
		if err := c.cfg.Store.UpsertChatUser(ctx, to, c.cfg.Now()); err != nil {
			c.cfg.Log.Warn("chat: personal chat not recorded", "err", err)
		}
	}
}

// share posts one of the sender's meetings to the chat.
func (c *Core) share(ctx context.Context, p Platform, in Incoming, cmd Command) *Card {
	if len(cmd.Args) == 0 {
		return problem(CodeBadInput, "Which meeting?", "Say **share** and the meeting ID, such as share 812 3456 7890.")
	}
	id := strings.Join(cmd.Args, "")
	id = strings.NewReplacer("-", "", " ", "").Replace(id)
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return problem(CodeBadInput, "That is not a meeting ID", "A Zoom meeting ID is 9 to 11 digits.")
	}
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeatureMeetings)
	if card != nil {
		return card
	}
	m, err := a.api.Meeting(ctx, id)
	if err != nil {
		return c.zoomFailed(err)
	}
	if m.HostID != "" && m.HostID != a.zu.ZoomUserID {
		return problem(CodeNotFound, "Not your meeting", "You can share meetings you host.")
	}
	c.post(ctx, p, in, meetingCard(m, a.person.Name, len(m.Settings.MeetingInvitees), c.orgZone(ctx, in.OrgID)), m)
	return nil
}

// upcoming lists the sender's next meetings.
func (c *Core) upcoming(ctx context.Context, in Incoming) *Card {
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeatureMeetings)
	if card != nil {
		return card
	}
	ms, err := a.api.UpcomingMeetings(ctx, a.userRef())
	if err != nil {
		return c.zoomFailed(err)
	}
	loc := c.orgZone(ctx, in.OrgID)
	out := &Card{Code: CodeUpcoming, Title: "Your upcoming Zoom meetings"}
	for i, m := range ms {
		if i == 10 {
			break
		}
		out.Items = append(out.Items, Item{Title: m.Topic, Detail: showTime(m.StartTime.Time, loc) + " · " + strconv.FormatInt(m.ID, 10), URL: m.JoinURL})
	}
	if len(out.Items) == 0 {
		out.Text = []string{"Nothing scheduled. Say **schedule** to start one."}
	}
	return out
}

// meetingCard shows a meeting with its join link.
func meetingCard(m zoom.ScheduledMeeting, organizer string, invited int, loc *time.Location) Card {
	c := Card{Code: CodeMeeting, Title: m.Topic, Facts: []Fact{
		{"When", showTime(m.StartTime.Time, loc)},
		{"Duration", showDuration(time.Duration(m.Duration) * time.Minute)},
		{"Organizer", organizer},
		{"Meeting ID", strconv.FormatInt(m.ID, 10)},
	}}
	if invited > 0 {
		c.Facts = append(c.Facts, Fact{"Invited", strconv.Itoa(invited)})
	}
	if m.JoinURL != "" {
		c.Actions = []Action{{Title: "Join", URL: m.JoinURL}}
	}
	return c
}

// orgZone is the organization's display zone (UTC when unset or unknown).
func (c *Core) orgZone(ctx context.Context, orgID int64) *time.Location {
	tz, err := c.cfg.Store.OrgTimezone(ctx, orgID)
	if err != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	return loc
}

func firstName(names ...string) string {
	for _, n := range names {
		if f := strings.Fields(n); len(f) > 0 {
			return f[0]
		}
	}
	return "Zoom"
}
