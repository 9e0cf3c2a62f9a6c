package server

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// The bot's unprompted messages read what other features write: a meeting
// card turns into "ended" once the instance's activity has an end (as the
// webhook processor records it), and an artifact.created recording event in
// the outbox sends the host one direct message per meeting instance.
func TestChatEndedCardAndRecordingReady(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		w := startChatWorld(t, d)
		ctx := context.Background()
		bot := w.srv.URL()
		host := w.sim.Users()[0]
		me, group := "29:"+host.ID, "group-notify"
		w.teams.members[group] = []string{me}
		if c := w.teams.say(bot, me, group, "groupChat", "schedule Retro", true); len(c) != 1 || c[0].Code != "meeting" {
			t.Fatalf("schedule: %+v", c)
		}
		var uuid, number string
		for _, m := range w.sim.MeetingsCreatedByAPI() {
			if m.Topic == "Retro" {
				uuid, number = m.UUID, itoa64(m.ID)
			}
		}
		person, err := w.srv.Store.PersonByEmail(ctx, w.org.ID, host.Email)
		if err != nil {
			t.Fatal(err)
		}
		conns, _ := w.srv.Store.Connections(ctx, w.org.ID)
		now := w.sim.Now()
		if err := w.srv.chat.core.Tick(ctx, w.srv.chatPlatforms()); err != nil {
			t.Fatal(err)
		}
		if c := w.teams.cards(group, 1); len(c) != 0 {
			t.Fatalf("a card changed before its meeting ended: %+v", c)
		}
		if _, err := w.srv.Store.UpsertActivity(ctx, store.Activity{OrgID: w.org.ID, ConnectionID: conns[0].ID, PersonID: person.ID, ZoomUserID: host.ID,
			Kind: "meeting", ZoomID: uuid, ZoomNumber: number, Title: "Retro", StartAt: now, EndAt: now.Add(30 * time.Minute), Source: "webhook"}, now); err != nil {
			t.Fatal(err)
		}

		recording := map[string]any{"id": 1, "type": "zoom_recording", "meeting_id": number, "meeting_uuid": uuid, "topic": "Retro",
			"play_url": "https://zoom.example/rec/play/x", "person_id": person.ID}
		for range 2 { // video and audio of one recording: one message
			if err := w.srv.Store.InTx(ctx, func(tx *store.Store, _ *sql.Tx) error {
				return outbound.Publish(ctx, tx, w.org.ID, "artifact.created", recording, now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 { // a second tick repeats nothing
			if err := w.srv.chat.core.Tick(ctx, w.srv.chatPlatforms()); err != nil {
				t.Fatal(err)
			}
		}
		var stored int
		if err := w.srv.Store.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM chat_cards WHERE card LIKE '%pwd=%' OR card LIKE '%/j/%'").Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("%d stored cards keep the join link (%v)", stored, err)
		}
		ended := w.teams.cards(group, 1)
		if len(ended) != 1 || ended[0].Code != "meeting_ended" || strings.Contains(ended[0].Text, "Action.OpenUrl") {
			t.Fatalf("ended card: %+v", ended)
		}
		var ready []teamsCard
		for _, c := range w.teams.cards("dm-"+me, 0) {
			if c.Code == "recording_ready" {
				ready = append(ready, c)
			}
		}
		if len(ready) != 1 || !strings.Contains(ready[0].Text, "Retro") || !strings.Contains(ready[0].Text, "rec/play/x") {
			t.Fatalf("recording-ready messages: %+v", ready)
		}
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
