package teams

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/chat"
	"github.com/zoombridge/zoombridge/internal/store"
)

// PlatformName is the code Teams is stored under.
const PlatformName = "teams"

// channelID is the Bot Framework channel of Microsoft Teams.
const channelID = "msteams"

const maxActivityBytes = 256 << 10

// Config configures the Teams bot.
type Config struct {
	Store     *store.Store
	Core      *chat.Core
	Log       *slog.Logger
	AppID     string
	TenantID  string     // the bot's single tenant; activities from others are ignored ("" accepts any linked tenant)
	Verifier  *Verifier  // nil only with SkipAuth
	SkipAuth  bool       // accept unsigned requests: for Microsoft's local Teams emulator only
	Connector *Connector // replies and proactive messages
}

// Bot is the Teams surface: the messaging endpoint and the chat.Platform.
type Bot struct{ cfg Config }

// New builds the bot. With SkipAuth it says so loudly.
func New(cfg Config) *Bot {
	if cfg.SkipAuth {
		cfg.Log.Error("chat: ZOOMBRIDGE_TEAMS_INSECURE_SKIP_AUTH is on: Teams requests are NOT authenticated. " +
			"Anyone who can reach /chat/teams/messages can act as any Teams user. Use only with a local Teams emulator.")
	}
	return &Bot{cfg: cfg}
}

// Name is the platform's code.
func (b *Bot) Name() string { return PlatformName }

// ServeHTTP is POST /chat/teams/messages: authenticate, then act. Anything
// that fails authentication is 401 and nothing runs.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxActivityBytes))
	if err != nil {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	var a Activity
	if err := json.Unmarshal(body, &a); err != nil || a.Type == "" {
		http.Error(w, "not a Bot Framework activity", http.StatusBadRequest)
		return
	}
	if !b.cfg.SkipAuth {
		if err := b.cfg.Verifier.Verify(r.Context(), r.Header.Get("Authorization"), a.ChannelID, a.ServiceURL); err != nil {
			b.cfg.Log.Warn("chat: teams request refused", "err", err)
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	if a.Type == "message" {
		ctx, cancel := context.WithTimeout(r.Context(), 12*time.Second) // Teams gives up after 15 s
		defer cancel()
		if err := b.message(ctx, &a); err != nil {
			b.cfg.Log.Warn("chat: teams message not handled", "err", err)
		}
	}
	w.WriteHeader(http.StatusOK)
}

// message turns a Teams message into the core's Incoming.
func (b *Bot) message(ctx context.Context, a *Activity) error {
	if a.ChannelID != channelID || a.Conversation == nil || a.From == nil || a.ServiceURL == "" {
		return nil
	}
	conv := chat.Conversation{ID: a.Conversation.ID, ServiceURL: a.ServiceURL, TenantID: a.tenant(),
		Personal: a.Conversation.ConversationType == "personal" || (a.Conversation.ConversationType == "" && !a.Conversation.IsGroup)}
	in := chat.Incoming{Conv: conv, From: chat.User{ID: a.From.ID, Name: a.From.Name}, Text: a.Text, Mentioned: a.mentionsBot()}
	if !conv.Personal && !in.Mentioned {
		return nil // Teams only sends these with resource-specific consent; they are not for the bot
	}
	if b.cfg.TenantID != "" && conv.TenantID != b.cfg.TenantID {
		b.cfg.Log.Warn("chat: message from another Teams tenant ignored", "tenant_id", conv.TenantID)
		return nil
	}
	org, err := b.cfg.Store.ChatTenantOrg(ctx, PlatformName, conv.TenantID)
	if errors.Is(err, store.ErrNotFound) {
		_, err = b.Post(ctx, conv, chat.Card{Code: chat.CodeNotMatched, Title: "This Teams organization is not set up",
			Text: []string{"An admin of your zoombridge organization must link this Microsoft Teams tenant (" + conv.TenantID + ") on zoombridge's Teams page."}})
		return err
	} else if err != nil {
		return err
	}
	in.OrgID = org
	if m, err := b.cfg.Connector.Member(ctx, a.ServiceURL, conv.ID, a.From.ID); err == nil {
		in.From.Email, in.From.Name = m.email(), firstNonEmpty(m.Name, in.From.Name)
	} else {
		b.cfg.Log.Warn("chat: sender's email not found", "err", err)
	}
	return b.cfg.Core.Handle(ctx, b, in)
}

// Members lists a chat's members with their emails (chat.Platform).
func (b *Bot) Members(ctx context.Context, c chat.Conversation) ([]chat.User, error) {
	ms, err := b.cfg.Connector.Members(ctx, c.ServiceURL, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]chat.User, 0, len(ms))
	for _, m := range ms {
		out = append(out, chat.User{ID: m.ID, Name: m.Name, Email: m.email()})
	}
	return out, nil
}

// Post sends a card to a conversation (chat.Platform).
func (b *Bot) Post(ctx context.Context, c chat.Conversation, card chat.Card) (string, error) {
	return b.cfg.Connector.Send(ctx, c.ServiceURL, c.ID, cardActivity(card))
}

// Update replaces a card (chat.Platform).
func (b *Bot) Update(ctx context.Context, c chat.Conversation, id string, card chat.Card) error {
	return b.cfg.Connector.Update(ctx, c.ServiceURL, c.ID, id, cardActivity(card))
}

// Direct sends a card in the bot's personal chat with a user, opening it first if needed (chat.Platform).
func (b *Bot) Direct(ctx context.Context, to store.ChatUser, card chat.Card) (string, error) {
	conv := to.DirectConvID
	if conv == "" {
		var err error
		if conv, err = b.cfg.Connector.CreatePersonal(ctx, to.ServiceURL, to.TenantID, b.botID(), to.UserID); err != nil {
			return "", err
		}
	}
	a := cardActivity(card)
	a.From, a.Recipient = &Account{ID: b.botID()}, &Account{ID: to.UserID, Name: to.Name}
	_, err := b.cfg.Connector.Send(ctx, to.ServiceURL, conv, a)
	return conv, err
}

// botID is the bot's account in Teams: "28:" and its app id.
func (b *Bot) botID() string { return "28:" + b.cfg.AppID }

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
