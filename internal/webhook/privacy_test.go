package webhook_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// Values in Zoom's documented examples (testdata/zoom, zoom-api.md §5.6)
// that are not metadata: passwords and passcodes, the download token, the
// summary's text and link, an operator's email, callers' phone numbers.
var documentedSecrets = []string{"132456", "yNYIS408EJygs7rE5vVsJwXIz4-VW7MH", "abJhbGciOiJIUzUxMiJ9",
	"Mobile app performance issues", "Meeting Summary for my meeting", "docs.example.com/doc/1aBcDeFgHiJkLmNoPqRsTu",
	"admin@example.com", "+12058945456", "+12092592844", "+15104381494", "xxxxxx.old@zoom.us"}

// planted are events carrying known attendee names and emails, passwords,
// chat, transcript and summary text: in types zoombridge uses (in fields it
// does not) and in types it does not use.
func planted(account string) (bodies []string, secrets []string) {
	secrets = []string{"Attendee Ottoline Quarrington", "ottoline.q@outside.example", "pw-Zq81x", "chat: the merger closes friday",
		"transcript: we will lay off", "summary: budget cut by half", "registrant.rex@outside.example", "invitee.ivy@outside.example",
		"passcode-Vv93k", "dl-token-Kx7", "Caller Phone +441632960001"}
	obj := func(event, object string) string {
		return `{"event":"` + event + `","event_ts":1764666000000,"payload":{"account_id":"` + account + `","object":` + object + `}}`
	}
	bodies = []string{
		obj("meeting.participant_joined", `{"uuid":"pj-1","id":"1","host_id":"h","participant":{"user_name":"Attendee Ottoline Quarrington","email":"ottoline.q@outside.example"}}`),
		obj("meeting.chat_message_sent", `{"uuid":"ch-1","id":"1","chat_message":{"message":"chat: the merger closes friday","sender_email":"ottoline.q@outside.example"}}`),
		obj("meeting.created", `{"uuid":"mc-1","id":"1","host_id":"h","password":"pw-Zq81x","settings":{"meeting_invitees":[{"email":"invitee.ivy@outside.example"}]}}`),
		obj("webinar.registration_created", `{"uuid":"wr-1","id":"1","registrant":{"email":"registrant.rex@outside.example","first_name":"Rex"}}`),
		obj("phone.recording_transcript_completed", `{"recordings":[{"id":"r1","transcript":"transcript: we will lay off"}]}`),
		obj("meeting.summary_updated", `{"meeting_uuid":"su-1","meeting_id":1,"edited_summary":{"summary_content":"summary: budget cut by half"}}`),
		// Types zoombridge uses, with content in fields it does not.
		obj("meeting.ended", `{"uuid":"me-1","id":"1","host_id":"h","topic":"Weekly","start_time":"2026-12-01T09:00:00Z","end_time":"2026-12-01T09:30:00Z",`+
			`"password":"pw-Zq81x","participants":[{"name":"Attendee Ottoline Quarrington","email":"ottoline.q@outside.example"}]}`),
		`{"event":"recording.completed","event_ts":1764666000001,"download_token":"dl-token-Kx7","payload":{"account_id":"` + account + `","object":` +
			`{"uuid":"rc-1","id":1,"host_id":"h","password":"pw-Zq81x","recording_play_passcode":"passcode-Vv93k","host_email":"ottoline.q@outside.example",` +
			`"recording_files":[{"id":"f1","file_type":"MP4","download_url":"https://x.example/d?access_token=dl-token-Kx7","play_url":"https://x.example/p"}],` +
			`"participant_audio_files":[{"id":"a1","file_name":"Attendee Ottoline Quarrington"}]}}}`,
		obj("meeting.summary_completed", `{"meeting_uuid":"sc-1","meeting_id":1,"meeting_host_id":"h","summary_content":"summary: budget cut by half",`+
			`"summary_details":[{"label":"x","summary":"transcript: we will lay off"}],"next_steps":["chat: the merger closes friday"]}`),
		obj("phone.callee_ended", `{"call_id":"pc-1","caller":{"phone_number":"Caller Phone +441632960001","name":"ACME caller ID"},`+
			`"callee":{"user_id":"u1","name":"Attendee Ottoline Quarrington","phone_number":"Caller Phone +441632960001"},"ringing_start_time":"2026-12-01T09:00:00Z","call_end_time":"2026-12-01T09:01:00Z"}`),
		obj("user.updated", `{"id":"u1","email":"u1@example.com"},"old_object":{"email":"ottoline.q@outside.example"},"operator":"registrant.rex@outside.example"`),
	}
	return bodies, secrets
}

// Content keys of the emulator's events: their values must never be kept.
var contentKeys = map[string]bool{"password": true, "recording_play_passcode": true, "download_token": true, "summary_content": true,
	"summary_overview": true, "summary": true, "next_steps": true, "summary_title": true, "summary_doc_url": true, "edited_summary": true}

// emulatorSecrets collects the values of content keys in the bodies the emulator delivered.
func emulatorSecrets(t *testing.T, r *simRun) []string {
	t.Helper()
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case string:
			if contentKeys[key] && len(x) >= 6 {
				out = append(out, x)
			}
		}
	}
	for _, d := range r.sim.WebhookLog() {
		var v any
		if json.Unmarshal([]byte(d.Body), &v) == nil {
			walk("", v)
		}
	}
	return out
}

// lockedBuffer is the server's log, written by many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.b.Bytes()...)
}

// TestPrivacyNothingRedactedIsKept is B5: an emulated day of the account
// (meetings, webinars, calls, recordings with passcodes, AI summaries), every
// documented Zoom example and planted events with attendee names and emails,
// passwords, chat, transcript and summary text are received and processed;
// then the SQLite file and its WAL, a pg_dump of the PostgreSQL database and
// the server's log are searched: none of those values is there.
func TestPrivacyNothingRedactedIsKept(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		logs := &lockedBuffer{}
		r := startLoggedSimRun(t, d, logs)
		r.sim.Advance(24 * time.Hour)
		r.settle(t)
		secrets := emulatorSecrets(t, r)
		if len(secrets) < 2 {
			t.Fatalf("the emulated day carried %d content values; the test needs recordings and summaries to mean anything", len(secrets))
		}
		account := r.sim.Options().AccountID
		bodies, mine := planted(account)
		secrets = append(append(secrets, mine...), documentedSecrets...)
		files, err := filepath.Glob("testdata/zoom/*.json")
		must(t, err)
		for _, f := range files {
			b, err := os.ReadFile(f)
			must(t, err)
			bodies = append(bodies, string(b))
			// The same example for the emulated account, so it is processed too.
			bodies = append(bodies, strings.NewReplacer(`"AAAAAABBBB"`, `"`+account+`"`, `"TQTvjT52Tmi_wrhASNNOEw"`, `"`+account+`"`,
				`"dzVA4QmMQfyISoRcpFO8CA"`, `"`+account+`"`, `"Wk9PTV9BQ0NPVU5UX0lE"`, `"`+account+`"`).Replace(string(b)))
		}
		for _, b := range bodies {
			if !json.Valid([]byte(b)) {
				t.Fatalf("test body is not JSON: %s", b)
			}
			if code := deliverTo(t, r.srv.URL()+"/webhooks/zoom", r.sim.Now(), []byte(b)); code != http.StatusOK {
				t.Fatalf("%d for %s", code, b)
			}
		}
		r.settle(t)

		places := map[string][]byte{"log": logs.Bytes()}
		if d == store.Postgres {
			out, err := exec.Command("pg_dump", "--no-owner", r.dbURL).Output()
			must(t, err)
			places["pg_dump"] = out
		} else {
			names, err := filepath.Glob(filepath.Join(r.dataDir, "*.db*"))
			must(t, err)
			if len(names) < 2 {
				t.Fatalf("SQLite files %v: want the database and its WAL", names)
			}
			for _, n := range names {
				b, err := os.ReadFile(n)
				must(t, err)
				places[filepath.Base(n)] = b
			}
		}
		for where, b := range places {
			for _, s := range secrets {
				if bytes.Contains(b, []byte(s)) || bytes.Contains(b, []byte(hex.EncodeToString([]byte(s)))) {
					t.Errorf("%q found in %s", s, where)
				}
			}
		}
		// The scan sees what is kept: the Zoom users' emails are in the database.
		var db []byte
		for where, b := range places {
			if where != "log" {
				db = append(db, b...)
			}
		}
		if u := r.sim.Users()[0].Email; !bytes.Contains(db, []byte(u)) && !bytes.Contains(db, []byte(hex.EncodeToString([]byte(u)))) {
			t.Fatalf("%s not found in the database: the scan reads the wrong thing", u)
		}
	})
}

// deliverTo posts body signed with the webhook secret at the emulator's time.
func deliverTo(t *testing.T, url string, now time.Time, body []byte) int {
	t.Helper()
	ts := strconv.FormatInt(now.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.HeaderTimestamp, ts)
	req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(secret), ts, body))
	code, _ := do(t, req)
	return code
}
