package chat

import (
	"fmt"
	"strings"
)

// Code says what a card is, for programs and tests; the words may change.
type Code string

// Card codes.
const (
	CodeMeeting        Code = "meeting"       // a meeting card posted to a chat
	CodeMeetingEnded   Code = "meeting_ended" // the same card once the instance ended
	CodeInvited        Code = "invited"       // direct message to an invitee
	CodeScheduled      Code = "scheduled"     // direct message to the organizer
	CodeUpcoming       Code = "upcoming"      // the person's upcoming meetings
	CodeCalls          Code = "calls"         // recent Zoom Phone calls
	CodeVoicemails     Code = "voicemails"    // voicemail list
	CodeTranscript     Code = "voicemail_transcript"
	CodeSMS            Code = "sms_sessions"
	CodeWhiteboards    Code = "whiteboards"
	CodeWhiteboard     Code = "whiteboard" // one whiteboard shared as a link
	CodeRecordingReady Code = "recording_ready"
	CodeHelp           Code = "help"
	CodeUnknown        Code = "unknown_command"
	CodeNotMatched     Code = "not_matched"   // no zoombridge person with the sender's email
	CodeNotConnected   Code = "not_connected" // no Zoom connection covers them
	CodeNotApproved    Code = "not_approved"  // Zoom admin has not approved the app
	CodeFeatureOff     Code = "feature_off"   // the admin switched the feature off
	CodeNoPhoneLicence Code = "no_phone_licence"
	CodePersonalOnly   Code = "personal_only" // asked in a shared chat what only a personal chat shows
	CodeNotFound       Code = "not_found"
	CodeBadInput       Code = "bad_input"
	CodeZoomError      Code = "zoom_error"
)

// Card is a platform-neutral answer: a title, paragraphs, facts, list
// items and link buttons. Platforms render it (Teams: an Adaptive Card).
type Card struct {
	Code    Code
	Title   string
	Text    []string
	Facts   []Fact
	Items   []Item
	Actions []Action
}

// Fact is a name and value shown side by side.
type Fact struct{ Name, Value string }

// Item is one row of a list, optionally a link.
type Item struct{ Title, Detail, URL string }

// Action is a button that opens a URL.
type Action struct{ Title, URL string }

func helpCard() *Card {
	return &Card{Code: CodeHelp, Title: "Zoom for your chats", Text: []string{
		"**schedule** [topic] [at 15:30 | at 2026-12-03 09:00 | in 30m] [for 45m]: a Zoom meeting with everyone in this chat invited.",
		"**share** <meeting ID>: post one of your meetings here. **upcoming**: your next meetings.",
		"**calls**, **voicemails**, **voicemail** <number> (transcript, in our personal chat only), **sms**: your Zoom Phone, as metadata.",
		"**whiteboards**, **whiteboard share** <number>: your Zoom Whiteboards, shared as a link.",
		"In a group chat or channel, @mention me first.",
	}}
}

func unknownCard(raw string) *Card {
	c := helpCard()
	c.Code, c.Title = CodeUnknown, fmt.Sprintf("I don't know %q", truncate(raw, 40))
	return c
}

func problem(code Code, title string, text ...string) *Card {
	return &Card{Code: code, Title: title, Text: text}
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// listOf joins names as "a, b and c".
func listOf(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
