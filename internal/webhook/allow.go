package webhook

import "strings"

// Privacy by construction (feature A4): before an event is written to the
// inbox, its body is cut to the fields its processing needs. The allow-list
// is data: a tree of fields per event type. A field with a nil subtree keeps
// a scalar value (string, number, boolean, null) and drops an object or
// array; a field with a subtree keeps an object cut to it, or an array of
// such objects. Everything else goes, whatever Zoom adds later: passwords,
// attendees, chat, transcript and summary text, download tokens. Types
// zoombridge does not use keep only the envelope (type, account, time); the
// dedup key is derived from the whole body before it is cut.
type fields map[string]fields

// envelope is what every stored event keeps.
var envelope = fields{"event": nil, "event_ts": nil, "payload": {"account_id": nil}}

// withObject is the envelope with payload.object cut to obj.
func withObject(obj fields) fields {
	return fields{"event": nil, "event_ts": nil, "payload": {"account_id": nil, "object": obj}}
}

var (
	// meeting.started/ended, webinar.started/ended: instanceObject.
	instanceFields = fields{"id": nil, "uuid": nil, "host_id": nil, "topic": nil, "start_time": nil, "end_time": nil}
	// phone.caller_ended/callee_ended: callEndedObject; only the caller's name is shown.
	partyFields     = fields{"user_id": nil, "device_type": nil, "device_name": nil}
	callEndedFields = fields{"call_id": nil, "ringing_start_time": nil, "call_end_time": nil,
		"caller": {"user_id": nil, "name": nil, "device_type": nil, "device_name": nil}, "callee": partyFields}
	// phone.*_call_history_completed and *_call_log_completed: callHistoryObject.
	// An outbound call's callee is shown by name, else by the number Zoom
	// gives in callee_number (legacy logs) or callee_ext_number (an
	// extension); callee_did_number, a line's own phone number, is not kept.
	callHistoryFields = fields{"user_id": nil, "call_logs": {"call_id": nil, "direction": nil, "caller_name": nil, "caller_device_type": nil,
		"callee_name": nil, "callee_ext_number": nil, "callee_number": nil, "callee_device_type": nil,
		"start_time": nil, "end_time": nil, "date_time": nil, "call_end_time": nil, "duration": nil}}
	// user.*: userObject, a Zoom user of the organization's own account.
	userFields = fields{"id": nil, "email": nil, "first_name": nil, "last_name": nil, "display_name": nil, "type": nil, "status": nil}
	// recording.completed|transcript_completed|trashed|deleted|recovered: the
	// recording's metadata and its files, never a password, passcode or
	// download token (internal/recordings reads these).
	recordingFields = fields{"id": nil, "uuid": nil, "host_id": nil, "account_id": nil, "topic": nil, "start_time": nil, "duration": nil,
		"recording_files": {"id": nil, "file_type": nil, "file_extension": nil, "file_size": nil, "recording_start": nil, "recording_end": nil,
			"play_url": nil, "status": nil, "recording_type": nil}}
	// recording.renamed: the new name (old_object is not needed).
	renamedFields = fields{"id": nil, "uuid": nil, "host_id": nil, "topic": nil}
	// meeting.summary_*: which meeting and when, never the summary's text.
	summaryFields = fields{"meeting_uuid": nil, "meeting_id": nil, "meeting_host_id": nil, "meeting_topic": nil, "meeting_start_time": nil, "meeting_end_time": nil,
		"summary_start_time": nil, "summary_end_time": nil, "summary_created_time": nil, "summary_last_modified_time": nil}
)

// allowed is the allow-list per event type; other types keep the envelope.
// Features add their events here (and their processing in apply).
var allowed = map[string]fields{
	"meeting.started":                     withObject(instanceFields),
	"meeting.ended":                       withObject(instanceFields),
	"webinar.started":                     withObject(instanceFields),
	"webinar.ended":                       withObject(instanceFields),
	"phone.caller_ended":                  withObject(callEndedFields),
	"phone.callee_ended":                  withObject(callEndedFields),
	"phone.caller_call_history_completed": withObject(callHistoryFields),
	"phone.callee_call_history_completed": withObject(callHistoryFields),
	"phone.caller_call_log_completed":     withObject(callHistoryFields),
	"phone.callee_call_log_completed":     withObject(callHistoryFields),
	"user.created":                        withObject(userFields),
	"user.updated":                        withObject(userFields),
	"user.activated":                      withObject(userFields),
	"user.deactivated":                    withObject(userFields),
	"user.deleted":                        withObject(userFields),
	"recording.completed":                 withObject(recordingFields),
	"recording.transcript_completed":      withObject(recordingFields),
	"meeting.summary_completed":           withObject(summaryFields),
	"meeting.summary_updated":             withObject(summaryFields),
	"recording.trashed":                   withObject(recordingFields),
	"recording.deleted":                   withObject(recordingFields),
	"recording.recovered":                 withObject(recordingFields),
	"recording.renamed":                   withObject(renamedFields),
	"meeting.summary_trashed":             withObject(summaryFields),
	"meeting.summary_deleted":             withObject(summaryFields),
	"meeting.summary_recovered":           withObject(summaryFields),
	// Its fields sit in payload; event_ts is there too in Zoom's current example.
	"app_deauthorized": {"event": nil, "event_ts": nil, "payload": {"account_id": nil, "user_id": nil, "client_id": nil,
		"deauthorization_time": nil, "event_ts": nil}},
}

// AllowedFields lists the dotted paths an event type keeps ("payload.object.uuid"),
// for documentation and tests.
func AllowedFields(event string) []string {
	var out []string
	var walk func(prefix string, f fields)
	walk = func(prefix string, f fields) {
		for k, sub := range f {
			if sub == nil {
				out = append(out, prefix+k)
			} else {
				walk(prefix+k+".", sub)
			}
		}
	}
	walk("", allowListOf(event))
	return out
}

func allowListOf(event string) fields {
	if f, ok := allowed[event]; ok {
		return f
	}
	return envelope
}

// reduce returns the body of a verified event cut to its type's allow-list.
func reduce(event string, body []byte) []byte {
	return cut(body, allowListOf(event), make([]byte, 0, len(body)/2))
}

// cut appends to out the JSON object b keeps under f.
func cut(b []byte, f fields, out []byte) []byte {
	out = append(out, '{')
	n := 0
	eachMember(b, func(key []byte, _, vs, ve int) bool {
		sub, ok := lookup(f, key)
		if !ok {
			return true
		}
		v := b[vs:ve]
		mark := len(out)
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, key...)
		out = append(out, ':')
		switch {
		case len(v) == 0:
			out = out[:mark]
			return true
		case v[0] == '{' && sub != nil:
			out = cut(v, sub, out)
		case v[0] == '[' && sub != nil:
			out = cutArray(v, sub, out)
		case v[0] == '{' || v[0] == '[':
			out = out[:mark] // a structure where a scalar is allowed
			return true
		case sub != nil:
			out = out[:mark] // a scalar where a structure is allowed
			return true
		default:
			out = append(out, v...)
		}
		n++
		return true
	})
	return append(out, '}')
}

// cutArray appends the objects of array b cut to f; other elements go.
func cutArray(b []byte, f fields, out []byte) []byte {
	out = append(out, '[')
	n := 0
	for i := skipSpace(b, 1); i < len(b) && b[i] != ']'; {
		end := skipValue(b, i)
		if b[i] == '{' {
			if n > 0 {
				out = append(out, ',')
			}
			out = cut(b[i:end], f, out)
			n++
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return append(out, ']')
}

// lookup finds a raw key (quotes included) in f as encoding/json matches
// names: ASCII case-insensitively. An escaped key matches nothing.
func lookup(f fields, rawKey []byte) (fields, bool) {
	if len(rawKey) < 2 {
		return nil, false
	}
	k := string(rawKey[1 : len(rawKey)-1])
	if sub, ok := f[k]; ok {
		return sub, true
	}
	for name, sub := range f {
		if strings.EqualFold(name, k) {
			return sub, true
		}
	}
	return nil, false
}
