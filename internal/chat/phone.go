package chat

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Zoom Phone in chat (T3): recent calls, voicemails and SMS sessions as
// metadata with links into Zoom; a voicemail's transcript only to its owner,
// in a personal chat, fetched when asked and never stored.

const listSize = 10

var errEnough = errors.New("enough")

// calls lists the sender's calls of the past week.
func (c *Core) calls(ctx context.Context, in Incoming) *Card {
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeaturePhone)
	if card != nil {
		return card
	}
	now := c.cfg.Now()
	var logs []zoom.CallLog
	err := a.api.CallHistory(ctx, a.userRef(), now.AddDate(0, 0, -7), now, func(p *zoom.CallHistoryPage) error {
		logs = append(logs, p.CallLogs...)
		return errEnough // the first page holds the newest calls
	})
	if err != nil && !errors.Is(err, errEnough) {
		return c.zoomFailed(err)
	}
	loc := c.orgZone(ctx, in.OrgID)
	out := &Card{Code: CodeCalls, Title: "Your recent Zoom Phone calls", Actions: []Action{{Title: "Open Zoom Phone", URL: c.cfg.ZoomWeb + "/pbx/page/telephone/callLog"}}}
	for i, l := range logs {
		if i == listSize {
			break
		}
		who, arrow := l.CalleeName, "to"
		if l.Direction == "inbound" {
			who, arrow = l.CallerName, "from"
		}
		out.Items = append(out.Items, Item{Title: fmt.Sprintf("%s %s", arrow, orDash(who)),
			Detail: fmt.Sprintf("%s · %s · %s", showTime(l.StartTime.Time, loc), showSeconds(l.TalkTime), l.Result)})
	}
	if len(out.Items) == 0 {
		out.Text = []string{"No calls in the past week."}
	}
	return out
}

// voicemails lists the sender's latest voicemails, numbered for "voicemail N".
func (c *Core) voicemails(ctx context.Context, in Incoming) *Card {
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeaturePhone)
	if card != nil {
		return card
	}
	vms, err := a.api.Voicemails(ctx, a.userRef(), listSize)
	if err != nil {
		return c.zoomFailed(err)
	}
	loc := c.orgZone(ctx, in.OrgID)
	out := &Card{Code: CodeVoicemails, Title: "Your voicemails", Actions: []Action{{Title: "Open in Zoom", URL: c.cfg.ZoomWeb + "/pbx/page/telephone/voicemail"}}}
	for i, v := range vms {
		out.Items = append(out.Items, Item{Title: fmt.Sprintf("%d. %s (%s)", i+1, orDash(v.CallerName), v.CallerNumber),
			Detail: fmt.Sprintf("%s · %s · %s", showTime(v.DateTime.Time, loc), showSeconds(v.Duration), v.Status)})
	}
	if len(out.Items) == 0 {
		out.Text = []string{"No voicemails."}
	} else {
		out.Text = []string{"Say **voicemail 1** in our personal chat to read its transcript."}
	}
	return out
}

// voicemail shows one voicemail's transcript to its owner in a personal chat.
// The transcript goes from Zoom to the chat and is not kept.
func (c *Core) voicemail(ctx context.Context, in Incoming, cmd Command) *Card {
	if !in.Conv.Personal {
		return problem(CodePersonalOnly, "Only in our personal chat", "Voicemail transcripts are shown only to you, in your personal chat with me.")
	}
	if len(cmd.Args) != 1 {
		return problem(CodeBadInput, "Which voicemail?", "Say **voicemail 1** for the newest; **voicemails** lists them.")
	}
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeaturePhone)
	if card != nil {
		return card
	}
	vms, err := a.api.Voicemails(ctx, a.userRef(), listSize)
	if err != nil {
		return c.zoomFailed(err)
	}
	v, ok := pickOne(vms, cmd.Args[0], func(v zoom.Voicemail) string { return v.ID })
	if !ok {
		return problem(CodeNotFound, "No such voicemail", "**voicemails** lists yours with their numbers.")
	}
	d, err := a.api.VoicemailWithTranscript(ctx, v.ID)
	if err != nil {
		return c.zoomFailed(err)
	}
	text := d.Transcription.Content
	if text == "" {
		text = "Zoom has no transcript for this voicemail."
	}
	return &Card{Code: CodeTranscript, Title: "Voicemail from " + orDash(v.CallerName),
		Facts: []Fact{{"When", showTime(v.DateTime.Time, c.orgZone(ctx, in.OrgID))}, {"Length", showSeconds(v.Duration)}, {"Number", v.CallerNumber}},
		Text:  []string{text}}
}

// smsSessions lists the sender's latest SMS conversations: who and when.
func (c *Core) smsSessions(ctx context.Context, in Incoming) *Card {
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeaturePhone)
	if card != nil {
		return card
	}
	ss, err := a.api.SMSSessions(ctx, a.userRef(), listSize)
	if err != nil {
		return c.zoomFailed(err)
	}
	loc := c.orgZone(ctx, in.OrgID)
	out := &Card{Code: CodeSMS, Title: "Your SMS conversations", Actions: []Action{{Title: "Open in Zoom", URL: c.cfg.ZoomWeb + "/pbx/page/telephone/sms"}}}
	for _, s := range ss {
		var with []string
		for _, p := range s.Participants {
			if !p.IsSessionOwner {
				with = append(with, orDash(p.DisplayName)+" ("+p.PhoneNumber+")")
			}
		}
		out.Items = append(out.Items, Item{Title: "with " + listOf(with), Detail: "last message " + showTime(s.LastAccessTime.Time, loc)})
	}
	if len(out.Items) == 0 {
		out.Text = []string{"No SMS conversations."}
	}
	return out
}

// pickOne finds an item by its 1-based number in the list or by its id.
func pickOne[T any](xs []T, arg string, id func(T) string) (T, bool) {
	if n, err := strconv.Atoi(arg); err == nil && n >= 1 && n <= len(xs) {
		return xs[n-1], true
	}
	for _, x := range xs {
		if id(x) == arg {
			return x, true
		}
	}
	var zero T
	return zero, false
}

func showSeconds(s int) string {
	d := time.Duration(s) * time.Second
	if d < time.Minute {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}
