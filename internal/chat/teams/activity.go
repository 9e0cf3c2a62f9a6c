// Package teams is the chat bot's Microsoft Teams surface: the Bot Framework
// v3 messaging endpoint (inbound JWTs checked by Verifier), the connector
// client that replies and sends proactive messages through the activity's
// serviceUrl, Adaptive Card rendering of the core's cards, and the Teams app
// package an admin uploads.
package teams

import "encoding/json"

// Activity is the part of a Bot Framework activity the bot reads and writes.
type Activity struct {
	Type         string          `json:"type"`
	ID           string          `json:"id,omitempty"`
	Timestamp    string          `json:"timestamp,omitempty"`
	ServiceURL   string          `json:"serviceUrl,omitempty"`
	ChannelID    string          `json:"channelId,omitempty"`
	From         *Account        `json:"from,omitempty"`
	Conversation *ConvAccount    `json:"conversation,omitempty"`
	Recipient    *Account        `json:"recipient,omitempty"`
	Text         string          `json:"text,omitempty"`
	TextFormat   string          `json:"textFormat,omitempty"`
	ReplyToID    string          `json:"replyToId,omitempty"`
	Entities     []Entity        `json:"entities,omitempty"`
	Attachments  []Attachment    `json:"attachments,omitempty"`
	ChannelData  json.RawMessage `json:"channelData,omitempty"`
}

// Account is a user or bot.
type Account struct {
	ID                string `json:"id"`
	Name              string `json:"name,omitempty"`
	AADObjectID       string `json:"aadObjectId,omitempty"`
	Email             string `json:"email,omitempty"`
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
}

// email is a member's address: the email field, else the UPN (Teams'
// sign-in name, an email address in most tenants).
func (a Account) email() string {
	if a.Email != "" {
		return a.Email
	}
	return a.UserPrincipalName
}

// ConvAccount is the conversation an activity belongs to.
type ConvAccount struct {
	ID               string `json:"id"`
	ConversationType string `json:"conversationType,omitempty"` // personal | groupChat | channel
	TenantID         string `json:"tenantId,omitempty"`
	IsGroup          bool   `json:"isGroup,omitempty"`
}

// Entity is an activity entity; the bot reads mentions.
type Entity struct {
	Type      string   `json:"type"`
	Mentioned *Account `json:"mentioned,omitempty"`
	Text      string   `json:"text,omitempty"`
}

// Attachment carries a card.
type Attachment struct {
	ContentType string `json:"contentType"`
	Content     any    `json:"content"`
}

// channelData is Teams' part of an activity the bot reads.
type channelData struct {
	Tenant struct {
		ID string `json:"id"`
	} `json:"tenant"`
}

// tenant is the Teams tenant an activity comes from.
func (a *Activity) tenant() string {
	var cd channelData
	if len(a.ChannelData) > 0 && json.Unmarshal(a.ChannelData, &cd) == nil && cd.Tenant.ID != "" {
		return cd.Tenant.ID
	}
	if a.Conversation != nil {
		return a.Conversation.TenantID
	}
	return ""
}

// mentionsBot reports whether the activity @mentions its recipient.
func (a *Activity) mentionsBot() bool {
	if a.Recipient == nil {
		return false
	}
	for _, e := range a.Entities {
		if e.Type == "mention" && e.Mentioned != nil && e.Mentioned.ID == a.Recipient.ID {
			return true
		}
	}
	return false
}
