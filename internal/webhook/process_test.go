package webhook_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// fixture is an organization whose connections hold the Zoom accounts of
// Zoom's documented examples, with the examples' hosts and phone users mapped
// to people.
type fixture struct {
	org                     store.Organization
	alice, bob, carol, jill store.Person
	meetings, legacy, phone store.Connection // accounts AAAAAABBBB, Wk9PTV9BQ0NPVU5UX0lE, TQTvjT52Tmi_wrhASNNOEw
}

func (h *harness) fixture(slug string) *fixture {
	h.t.Helper()
	f := &fixture{}
	var err error
	f.org, err = h.st.CreateOrganization(h.ctx, "Org "+slug, slug, t0)
	must(h.t, err)
	person := func(email string) store.Person {
		p, err := h.st.CreatePerson(h.ctx, store.Person{OrgID: f.org.ID, Email: email, Name: email}, t0)
		must(h.t, err)
		return p
	}
	f.alice, f.bob, f.carol, f.jill = person("alice@example.com"), person("bob@example.com"), person("carol@example.com"), person("jchill@example.com")
	conn := func(account, admin string, users map[string]string) store.Connection {
		c, err := h.st.CreateConnection(h.ctx, store.Connection{OrgID: f.org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: account,
			ZoomUserID: admin, AccessTokenEnc: []byte{1}, RefreshTokenEnc: []byte{2}}, t0)
		must(h.t, err)
		for id, email := range users {
			_, err := h.st.UpsertZoomUser(h.ctx, store.ZoomUser{OrgID: f.org.ID, ConnectionID: c.ID, ZoomUserID: id, ZoomAccountID: account,
				Email: email, UserType: 2, Status: "active"}, t0)
			must(h.t, err)
		}
		return c
	}
	f.meetings = conn("AAAAAABBBB", "admin-1", map[string]string{"x1yCzABCDEfg23HiJKl4mN": "Alice@Example.com"})
	f.legacy = conn("Wk9PTV9BQ0NPVU5UX0lE", "admin-2", map[string]string{"Wk9PTV9VU0VSX0lE": "alice@example.com"})
	f.phone = conn("TQTvjT52Tmi_wrhASNNOEw", "admin-3", map[string]string{"DnEopNmXQEGU2uvvzjgojw": "bob@example.com",
		"IqoQmDRqS-aIoXqV_FZ88w": "carol@example.com"})
	return f
}

func (h *harness) activities(conn store.Connection) map[string]store.Activity {
	h.t.Helper()
	as, err := h.st.ConnectionActivities(h.ctx, conn.ID)
	must(h.t, err)
	out := map[string]store.Activity{}
	for _, a := range as {
		out[a.Kind+"/"+a.ZoomID+"/"+a.ZoomUserID] = a
	}
	return out
}

func at(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }

// TestDocumentedExamplesAreStoredAndProcessed delivers each of Zoom's
// documented example payloads, signed, and checks what processing made of it.
func TestDocumentedExamplesAreStoredAndProcessed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d)
		f := h.fixture("examples")
		events := []string{"meeting.started", "meeting.ended", "webinar.ended", "phone.callee_ended", "phone.caller_ended",
			"phone.caller_call_log_completed", "user.created", "user.updated", "user.deactivated",
			"recording.completed", "recording.transcript_completed", "meeting.summary_completed"}
		for _, e := range events {
			if code := h.deliver(example(t, e)); code != http.StatusOK {
				t.Fatalf("%s: got %d, want 200", e, code)
			}
		}
		h.processAll()
		want := map[string]string{"meeting.started": "applied", "meeting.ended": "applied", "webinar.ended": "applied",
			"phone.callee_ended": "applied", "phone.caller_ended": "applied", "phone.caller_call_log_completed": "applied",
			"user.created": "applied", "user.updated": "applied", "user.deactivated": "applied",
			"recording.completed": "stored", "recording.transcript_completed": "stored", "meeting.summary_completed": "stored"}
		for _, ev := range h.inbox() {
			if ev.ProcessedAt.IsZero() || ev.Outcome != want[ev.Event] {
				t.Errorf("%s: processed %v, outcome %q, want %q", ev.Event, ev.ProcessedAt, ev.Outcome, want[ev.Event])
			}
		}
		if n := value(h.svc.Metrics.Processed.WithLabelValues("applied")); n != 9 {
			t.Errorf("processed{outcome=applied} = %v, want 9", n)
		}

		m := h.activities(f.meetings)
		meeting := m["meeting/4444AAAiAAAAAiAiAiiAii==/x1yCzABCDEfg23HiJKl4mN"]
		if meeting.PersonID != f.alice.ID || meeting.Title != "My Meeting" || meeting.ZoomNumber != "1234567890" ||
			!meeting.StartAt.Equal(at("2021-07-13T21:44:51Z")) || !meeting.EndAt.Equal(at("2021-07-13T23:00:51Z")) ||
			meeting.DurationSeconds != 4560 || meeting.Source != "webhook" {
			t.Errorf("meeting.ended gave %+v", meeting)
		}
		webinar := m["webinar/4444AAAiAAAAAiAiAiiAii==/x1yCzABCDEfg23HiJKl4mN"]
		if webinar.Title != "My Webinar" || webinar.DurationSeconds != 4560 || webinar.PersonID != f.alice.ID {
			t.Errorf("webinar.ended gave %+v", webinar)
		}
		started := h.activities(f.legacy)["meeting/Wk9PTV9NRUVUSU5HX0lE/Wk9PTV9VU0VSX0lE"]
		if started.PersonID != f.alice.ID || !started.StartAt.Equal(at("2021-07-13T21:44:51Z")) || !started.EndAt.IsZero() || started.DurationSeconds != 0 {
			t.Errorf("meeting.started gave %+v (the scheduled duration must not be used)", started)
		}

		calls := h.activities(f.phone)
		callee := calls["call/6998252113337041462/DnEopNmXQEGU2uvvzjgojw"]
		if callee.PersonID != f.bob.ID || callee.Direction != "inbound" || callee.Device != "MAC_Client(5.7.5.1123)" ||
			callee.DurationSeconds != 16 || !callee.StartAt.Equal(at("2021-08-19T21:12:28Z")) {
			t.Errorf("phone.callee_ended gave %+v", callee)
		}
		caller := calls["call/6997939173429971528/DnEopNmXQEGU2uvvzjgojw"]
		if caller.PersonID != f.bob.ID || caller.Direction != "outbound" || caller.DurationSeconds != 69 {
			t.Errorf("phone.caller_ended gave %+v", caller)
		}
		logged := calls["call/6971668473388011511/IqoQmDRqS-aIoXqV_FZ88w"]
		if logged.PersonID != f.carol.ID || logged.Direction != "inbound" || logged.CallerName != "usersubsetting0001@testapi.com" || logged.DurationSeconds != 5 {
			t.Errorf("phone.caller_call_log_completed gave %+v", logged)
		}
		if len(calls) != 3 {
			t.Errorf("%d call activities, want 3 (sides without a Zoom user are not ingested): %v", len(calls), calls)
		}

		jill, err := h.st.ZoomUserByZoomID(h.ctx, f.meetings.ID, "abcD3ojfdbjfg")
		must(t, err)
		if jill.PersonID != f.jill.ID || jill.DisplayName != "Jill Chill" || jill.Status != "inactive" || jill.UserType != 3 {
			t.Errorf("user.created then deactivated gave %+v", jill)
		}
		updated, err := h.st.ZoomUserByZoomID(h.ctx, f.meetings.ID, "eUblMKLnTMKX0pVvNAlA0Q")
		must(t, err)
		if updated.Email != "xxxxxx@zoom.us" {
			t.Errorf("user.updated gave %+v", updated)
		}

		// user.deleted removes the Zoom user and what was synced for it; a
		// late user.created (Zoom retried it) does not bring it back.
		h.deliver(example(t, "user.deleted"))
		h.now.Add(1000)
		h.deliver([]byte(strings.Replace(string(example(t, "user.created")), `"creation_type"`, `"retried":true,"creation_type"`, 1)))
		h.processAll()
		if _, err := h.st.ZoomUserByZoomID(h.ctx, f.meetings.ID, "abcD3ojfdbjfg"); err != store.ErrNotFound {
			t.Fatalf("deleted Zoom user came back: %v", err)
		}
	})
}
