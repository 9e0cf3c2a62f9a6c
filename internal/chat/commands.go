package chat

import (
	"regexp"
	"strings"
)

// CommandName is what a message asks the bot to do.
type CommandName string

// The bot's commands (docs/chat.md lists them with examples).
const (
	CmdHelp            CommandName = "help"
	CmdSchedule        CommandName = "schedule"
	CmdShare           CommandName = "share"
	CmdUpcoming        CommandName = "upcoming"
	CmdCalls           CommandName = "calls"
	CmdVoicemails      CommandName = "voicemails"
	CmdVoicemail       CommandName = "voicemail"
	CmdSMS             CommandName = "sms"
	CmdWhiteboards     CommandName = "whiteboards"
	CmdShareWhiteboard CommandName = "whiteboard"
	CmdUnknown         CommandName = ""
)

// Command is a parsed message: the command and its arguments.
type Command struct {
	Name CommandName
	Args []string
	Raw  string
}

var mentionMarkup = regexp.MustCompile(`(?s)<at>.*?</at>`)

// StripMentions removes Teams-style <at>…</at> mentions from a message.
func StripMentions(text string) string { return mentionMarkup.ReplaceAllString(text, " ") }

// Parse reads a message's first word as the command ("share 123", "whiteboard share 2").
func Parse(text string) Command {
	raw := strings.TrimSpace(StripMentions(text))
	words := strings.Fields(raw)
	if len(words) == 0 {
		return Command{Name: CmdHelp, Raw: raw}
	}
	name := CommandName(strings.ToLower(strings.Trim(words[0], "/!.,:")))
	args := words[1:]
	switch name {
	case CmdHelp, CmdSchedule, CmdShare, CmdUpcoming, CmdCalls, CmdVoicemails, CmdVoicemail, CmdSMS, CmdWhiteboards:
	case "whiteboard", "wb":
		name = CmdShareWhiteboard
		if len(args) > 0 && strings.EqualFold(args[0], "share") {
			args = args[1:]
		}
		if len(args) == 0 {
			name = CmdWhiteboards
		}
	case "meetings":
		name = CmdUpcoming
	case "texts":
		name = CmdSMS
	default:
		name = CmdUnknown
	}
	return Command{Name: name, Args: args, Raw: raw}
}
