// Package chat is the chat bot's command core (features T1–T4), independent
// of any chat platform: it parses commands, finds the person and their Zoom
// connection, enforces the admin's switches, calls Zoom and answers with
// platform-neutral cards. A platform (internal/chat/teams) turns its
// messages into Incoming and renders Cards; Slack or Mattermost would be
// other adapters of the same Platform interface.
package chat

import (
	"context"
	"log/slog"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Conversation is where a message came from and where answers go.
type Conversation struct {
	ID         string
	ServiceURL string // where the platform takes replies for this conversation
	TenantID   string
	Personal   bool // a one-to-one chat with the bot
}

// User is a chat user as the platform knows them.
type User struct {
	ID, Name, Email string
}

// Incoming is one message to the bot.
type Incoming struct {
	OrgID     int64
	Conv      Conversation
	From      User
	Text      string // with the platform's mention markup removed
	Mentioned bool   // the message @mentioned the bot
}

// Platform is what a chat surface does for the core.
type Platform interface {
	// Name is the platform's code ("teams"), stored with what the bot records.
	Name() string
	// Members lists the conversation's active members with their emails.
	Members(ctx context.Context, c Conversation) ([]User, error)
	// Post sends a card to a conversation and returns the message's id.
	Post(ctx context.Context, c Conversation, card Card) (string, error)
	// Update replaces a posted card.
	Update(ctx context.Context, c Conversation, messageID string, card Card) error
	// Direct sends a card to one user in a personal chat, opening it if
	// needed; it returns that chat's conversation id.
	Direct(ctx context.Context, to store.ChatUser, card Card) (string, error)
}

// Config is what the core needs from the process.
type Config struct {
	Store     *store.Store
	Log       *slog.Logger
	Now       func() time.Time
	PublicURL string // zoombridge's base URL, for "connect Zoom" links
	ZoomWeb   string // Zoom's web host (https://zoom.us), for links that open Zoom
	// Zoom returns the rate-limited client for a connection.
	Zoom func(c store.Connection) *zoom.Conn
}

// Core handles commands for every platform.
type Core struct{ cfg Config }

// New builds the core.
func New(cfg Config) *Core {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Core{cfg: cfg}
}

// Handle answers one message. Outside a personal chat only messages that
// @mention the bot are commands; anything else is left alone.
func (c *Core) Handle(ctx context.Context, p Platform, in Incoming) error {
	if !in.Conv.Personal && !in.Mentioned {
		return nil
	}
	c.remember(ctx, p, in.OrgID, in.Conv, in.From)
	cmd := Parse(in.Text)
	card := c.run(ctx, p, in, cmd)
	if card == nil {
		return nil
	}
	_, err := p.Post(ctx, in.Conv, *card)
	return err
}

// remember records a chat user so the bot can reach them later by email.
func (c *Core) remember(ctx context.Context, p Platform, orgID int64, conv Conversation, u User) {
	if u.Email == "" || u.ID == "" {
		return
	}
	cu := store.ChatUser{OrgID: orgID, Platform: p.Name(), UserID: u.ID, Email: u.Email, Name: u.Name, TenantID: conv.TenantID, ServiceURL: conv.ServiceURL}
	if conv.Personal {
		cu.DirectConvID = conv.ID
	}
	if err := c.cfg.Store.UpsertChatUser(ctx, cu, c.cfg.Now()); err != nil {
		c.cfg.Log.Warn("chat: chat user not recorded", "err", err)
	}
}

// run dispatches a command; a nil card means the command posted its own answer.
func (c *Core) run(ctx context.Context, p Platform, in Incoming, cmd Command) *Card {
	switch cmd.Name {
	case CmdSchedule:
		return c.schedule(ctx, p, in, cmd)
	case CmdShare:
		return c.share(ctx, p, in, cmd)
	case CmdUpcoming:
		return c.upcoming(ctx, in)
	case CmdCalls:
		return c.calls(ctx, in)
	case CmdVoicemails:
		return c.voicemails(ctx, in)
	case CmdVoicemail:
		return c.voicemail(ctx, in, cmd)
	case CmdSMS:
		return c.smsSessions(ctx, in)
	case CmdWhiteboards:
		return c.whiteboards(ctx, in)
	case CmdShareWhiteboard:
		return c.shareWhiteboard(ctx, in, cmd)
	case CmdHelp:
		return helpCard()
	}
	return unknownCard(cmd.Raw)
}
