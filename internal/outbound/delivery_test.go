package outbound_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// within reports whether got is want give or take the schedule's 10% jitter.
func within(got, want time.Duration) bool {
	slack := want / 10
	return got >= want-slack && got <= want+slack
}

// TestFailuresRetryOnScheduleUntilDelivered: 500, 500, 500 then 200 is
// delivered on the fourth attempt, each attempt at its scheduled offset.
func TestFailuresRetryOnScheduleUntilDelivered(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		rcv := newReceiver(t, f.clock, status(500), status(500), status(500), status(200))
		ep, _, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL + "/hook"})
		must(t, err)
		f.publish(t, "person.created", map[string]any{"id": 7})

		rcv.wait(t, 1) // at once, by the job the change committed
		for n := 1; n < 4; n++ {
			dl := f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Attempts == n && d.LastStatus == 500 })
			if dl.Status != store.DeliveryPending {
				t.Fatalf("after attempt %d: %s, want pending", n, dl.Status)
			}
			f.clock.Set(dl.NextAttemptAt)
			// As the periodic sweep does in production, sweep again until the
			// attempt goes out: a sweep that races the previous attempt's job
			// finishing can find the delivery still claimed (seen on PostgreSQL).
			for try := 0; ; try++ {
				_, err := f.svc.Sweep(ctx, f.clock.Now())
				must(t, err)
				if rcv.within(n+1, 2*time.Second) {
					break
				}
				if try == 10 {
					f.waitDelivery(t, rcv, n+1) // fails, listing the jobs and deliveries
				}
			}
		}
		dl := f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Status != store.DeliveryPending })
		if dl.Status != store.DeliveryDelivered || dl.Attempts != 4 || dl.LastStatus != 200 {
			t.Fatalf("delivery %+v, want delivered on the fourth attempt", dl)
		}
		got := rcv.requests()
		if len(got) != 4 {
			t.Fatalf("%d requests, want 4", len(got))
		}
		offsets := []time.Duration{0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute}
		for i := 1; i < 4; i++ {
			if gap := got[i].at.Sub(got[i-1].at); !within(gap, offsets[i]) {
				t.Errorf("attempt %d came %s after the one before, want %s ± 10%%", i+1, gap, offsets[i])
			}
		}
		attempts, err := f.st.OutboundAttempts(ctx, dl.ID)
		must(t, err)
		if len(attempts) != 4 || attempts[0].Status != 500 || attempts[0].Error != outbound.ErrCodeStatus || attempts[0].Response != "Internal Server Error" || attempts[3].Status != 200 {
			t.Fatalf("delivery log %+v", attempts)
		}
		// Every attempt is the same message: one webhook-id, the body as published.
		for _, r := range got {
			if r.header.Get("webhook-id") != got[0].header.Get("webhook-id") || !strings.HasPrefix(r.header.Get("webhook-signature"), "v1,") ||
				!strings.Contains(string(r.body), `"type":"person.created"`) || r.path != "/hook" {
				t.Fatalf("request %+v", r)
			}
		}
	})
}

// TestGoneDisablesEndpoint: a 410 ends the delivery, disables the endpoint
// with its reason in the audit log, and later events are not sent to it.
func TestGoneDisablesEndpoint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		rcv := newReceiver(t, f.clock, status(http.StatusGone))
		ep, _, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL})
		must(t, err)
		f.publish(t, "person.created", map[string]any{"id": 1})
		dl := f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Status != store.DeliveryPending })
		if dl.Status != store.DeliveryFailed || dl.Attempts != 1 {
			t.Fatalf("delivery %+v, want failed after one attempt", dl)
		}
		ep, err = f.st.OutboundEndpoint(ctx, f.org.ID, ep.ID)
		must(t, err)
		if ep.Enabled() || ep.DisabledReason != outbound.DisabledGone {
			t.Fatalf("endpoint %+v, want disabled as gone", ep)
		}
		log, err := f.st.AuditLog(ctx, f.org.ID, 10)
		must(t, err)
		if log[0].Action != "webhook_endpoint.disabled" || log[0].Detail != outbound.DisabledGone {
			t.Fatalf("audit log %+v", log[0])
		}
		f.publish(t, "person.updated", map[string]any{"id": 1})
		ds, err := f.st.OutboundDeliveries(ctx, f.org.ID, ep.ID, "", 0, 10)
		must(t, err)
		if len(ds) != 1 {
			t.Fatalf("%d deliveries to a disabled endpoint, want the first only", len(ds))
		}
	})
}

// TestRedirectIsAFailure: a 302 is not followed; it is a failed attempt,
// retried on schedule.
func TestRedirectIsAFailure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		rcv := newReceiver(t, f.clock, func(w http.ResponseWriter) {
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(http.StatusFound)
		})
		ep, _, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL + "/hook"})
		must(t, err)
		f.publish(t, "person.created", map[string]any{"id": 1})
		dl := f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Attempts == 1 && d.LastStatus != 0 })
		if dl.Status != store.DeliveryPending || dl.LastStatus != 302 || dl.LastError != outbound.ErrCodeRedirect || !within(dl.NextAttemptAt.Sub(t0), 5*time.Second) {
			t.Fatalf("delivery %+v, want a failed attempt retried in 5 s", dl)
		}
		for _, r := range rcv.requests() {
			if r.path != "/hook" {
				t.Fatalf("the redirect to %s was followed", r.path)
			}
		}
	})
}

// TestRetryAfterHonoured: a 503 or 429 with Retry-After (seconds or a date)
// moves the next attempt to when the receiver asked.
func TestRetryAfterHonoured(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		rcv := newReceiver(t, f.clock,
			func(w http.ResponseWriter) { w.Header().Set("Retry-After", "120"); w.WriteHeader(503) },
			func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", t0.Add(120*time.Second+time.Hour).Format(http.TimeFormat))
				w.WriteHeader(429)
			},
			status(204))
		ep, _, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL})
		must(t, err)
		f.publish(t, "person.created", map[string]any{"id": 1})
		dl := f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Attempts == 1 && d.LastStatus == 503 })
		if want := t0.Add(120 * time.Second); !dl.NextAttemptAt.Equal(want) {
			t.Fatalf("after a 503 with Retry-After: 120 the next attempt is at %s, want %s", dl.NextAttemptAt, want)
		}
		f.clock.Set(dl.NextAttemptAt)
		_, err = f.svc.Sweep(ctx, f.clock.Now())
		must(t, err)
		dl = f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Attempts == 2 && d.LastStatus == 429 })
		if want := t0.Add(120*time.Second + time.Hour); !dl.NextAttemptAt.Equal(want) {
			t.Fatalf("after a 429 with a Retry-After date the next attempt is at %s, want %s", dl.NextAttemptAt, want)
		}
		// Not before: a sweep a minute early sends nothing.
		_, err = f.svc.Sweep(ctx, dl.NextAttemptAt.Add(-time.Minute))
		must(t, err)
		f.clock.Set(dl.NextAttemptAt)
		_, err = f.svc.Sweep(ctx, f.clock.Now())
		must(t, err)
		dl = f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Status == store.DeliveryDelivered })
		if got := rcv.requests(); len(got) != 3 || got[2].at != t0.Add(120*time.Second+time.Hour) {
			t.Fatalf("requests %d, last at %v", len(got), got[len(got)-1].at)
		}
	})
}

// TestFiveDaysOfFailuresDisable: an endpoint that fails every attempt for
// five days is disabled, its pending deliveries end, and the audit log says so.
func TestFiveDaysOfFailuresDisable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		f := newFixture(t, d)
		ctx := context.Background()
		// Failing throughout: the retry jobs River schedules in real time may
		// add attempts between the emulated days; every one of them fails.
		var fails []func(http.ResponseWriter)
		for range 20 {
			fails = append(fails, status(500))
		}
		rcv := newReceiver(t, f.clock, fails...)
		ep, _, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL})
		must(t, err)
		f.publish(t, "person.created", map[string]any{"id": 1})
		f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Attempts == 1 && d.LastStatus == 500 })

		// Four days on, the next attempt fails too: still enabled.
		f.clock.Set(t0.Add(4 * 24 * time.Hour))
		_, err = f.svc.Sweep(ctx, f.clock.Now())
		must(t, err)
		f.delivery(t, ep.ID, func(d store.OutboundDelivery) bool { return d.Attempts >= 2 })
		if ep, _ = f.st.OutboundEndpoint(ctx, f.org.ID, ep.ID); !ep.Enabled() {
			t.Fatal("disabled after four days")
		}
		// Five days after the first failure: disabled, the delivery ended.
		f.clock.Set(t0.Add(outbound.FailingLimit))
		var dl store.OutboundDelivery
		for deadline := time.Now().Add(20 * time.Second); ; {
			_, err = f.svc.Sweep(ctx, f.clock.Now()) // again if a sweep raced a job still holding the delivery
			must(t, err)
			ds, err := f.st.OutboundDeliveries(ctx, f.org.ID, ep.ID, "", 0, 10)
			must(t, err)
			if dl = ds[0]; dl.Status != store.DeliveryPending || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if dl.Status != store.DeliveryFailed || dl.Attempts < 3 {
			t.Fatalf("delivery %s, want failed", dl.Status)
		}
		ep, err = f.st.OutboundEndpoint(ctx, f.org.ID, ep.ID)
		must(t, err)
		if ep.Enabled() || ep.DisabledReason != outbound.DisabledFailing {
			t.Fatalf("endpoint %+v, want disabled as failing", ep)
		}
		log, err := f.st.AuditLog(ctx, f.org.ID, 1)
		must(t, err)
		if log[0].Action != "webhook_endpoint.disabled" || log[0].Detail != outbound.DisabledFailing || log[0].Actor != "system" {
			t.Fatalf("audit %+v", log[0])
		}
		banner, err := f.st.DisabledOutboundEndpoints(ctx, f.org.ID, outbound.DisabledFailing)
		must(t, err)
		if len(banner) != 1 {
			t.Fatalf("%d endpoints for the Owner's banner", len(banner))
		}
	})
}
