package zoomsim

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// runWork performs one scheduled send and schedules its retry; it returns
// the number of HTTP requests made. Retries due by `to` join q so one Advance
// delivers everything that falls in its window.
func (s *Server) runWork(w *work, to time.Time, q *workQueue) int {
	if w.crc {
		_ = s.revalidate(w.at) // a failed revalidation is recorded by revalidate itself
		return 1
	}
	s.mu.Lock()
	if !s.hooks.subscribed(w.ev.name) {
		s.mu.Unlock()
		return 0
	}
	url := s.hooks.url
	if w.requestID == "" {
		w.requestID = requestID()
	}
	fault := ""
	if w.attempt == 0 {
		fault = s.faults.webhookFault(w.ev.name, s.clk.now)
	}
	s.mu.Unlock()
	if fault == "drop" {
		s.record(Delivery{Event: w.ev.name, RequestID: w.requestID, At: w.at, Fault: fault, Body: string(w.ev.body)})
		return 0
	}
	sends := 1
	if fault == "duplicate" {
		sends = 2
	}
	for i := range sends {
		status, _, err := s.post(url, w.ev, w.at, w.requestID)
		d := Delivery{Event: w.ev.name, RequestID: w.requestID, Attempt: w.attempt, At: w.at, Status: status, Body: string(w.ev.body)}
		if err != nil {
			d.Error = err.Error()
		}
		if i > 0 {
			d.Fault = fault
		}
		s.record(d)
		if i == 0 && (err != nil || status >= 500) && w.attempt < len(retryDelays) {
			s.scheduleRetry(w, to, q)
		}
	}
	return sends
}

func (s *Server) scheduleRetry(w *work, to time.Time, q *workQueue) {
	next := &work{at: w.at.Add(retryDelays[w.attempt]), ev: w.ev, attempt: w.attempt + 1, requestID: w.requestID}
	if q != nil && !next.at.After(to) {
		q.push(next)
		return
	}
	s.mu.Lock()
	s.hooks.pending = append(s.hooks.pending, next)
	s.mu.Unlock()
}

func (s *Server) record(d Delivery) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks.log = append(s.hooks.log, d)
	if len(s.hooks.log) > 10000 {
		s.hooks.log = s.hooks.log[len(s.hooks.log)-5000:]
	}
}

// deliverNow sends events at the current sim time, in order, before returning.
func (s *Server) deliverNow(evs []*outEvent) {
	if len(evs) == 0 {
		return
	}
	s.advMu.Lock()
	defer s.advMu.Unlock()
	for _, ev := range evs {
		s.mu.Lock()
		now := s.clk.now
		s.mu.Unlock()
		s.runWork(&work{at: now, ev: ev}, now, nil)
	}
}

// deliverSoon sends events without holding up the caller (an OAuth answer).
func (s *Server) deliverSoon(evs []*outEvent) {
	if len(evs) > 0 {
		go s.deliverNow(evs)
	}
}

// SetWebhookURL subscribes the OAuth app's events to url after the
// endpoint.url_validation handshake succeeds, as Zoom refuses to save an
// endpoint that fails it. An empty url unsubscribes.
func (s *Server) SetWebhookURL(url string) error {
	s.advMu.Lock()
	defer s.advMu.Unlock()
	s.mu.Lock()
	now := s.clk.now
	if url == "" {
		s.hooks.url, s.hooks.pending = "", nil
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	if err := s.crc(url, now); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks.url, s.hooks.validatedAt, s.hooks.failures, s.hooks.disabled = url, now, 0, false
	return nil
}

// SetWebhookEvents limits the subscription to the named events (nil: all).
func (s *Server) SetWebhookEvents(events []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if events == nil {
		s.hooks.events = nil
		return
	}
	s.hooks.events = map[string]bool{}
	for _, e := range events {
		s.hooks.events[e] = true
	}
}

// ValidateWebhook runs the url_validation handshake now, as the "Validate"
// button and the 72-hour check do; six failures in a row disable the subscription.
func (s *Server) ValidateWebhook() error {
	s.advMu.Lock()
	defer s.advMu.Unlock()
	s.mu.Lock()
	now := s.clk.now
	s.mu.Unlock()
	return s.revalidate(now)
}

func (s *Server) revalidate(at time.Time) error {
	s.mu.Lock()
	url := s.hooks.url
	s.mu.Unlock()
	if url == "" {
		return errors.New("zoomsim: no webhook URL subscribed")
	}
	err := s.crc(url, at)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.hooks.validatedAt, s.hooks.failures, s.hooks.disabled = at, 0, false
		return nil
	}
	s.hooks.failures++
	s.hooks.disabled = s.hooks.failures >= maxCRCFailures
	return err
}

// crc sends endpoint.url_validation and checks the answer:
// {"plainToken", "encryptedToken": hex(HMAC-SHA256(secret, plainToken))}.
func (s *Server) crc(url string, at time.Time) error {
	plain := randomID()[:22]
	ev := urlValidationEvent(plain, at)
	id := requestID()
	status, body, err := s.post(url, ev, at, id)
	d := Delivery{Event: ev.name, RequestID: id, At: at, Status: status, Body: string(ev.body)}
	if err != nil {
		d.Error = err.Error()
	}
	s.record(d)
	if err != nil {
		return fmt.Errorf("zoomsim: url validation of %s: %w", url, err)
	}
	var got struct{ PlainToken, EncryptedToken string }
	want := hexHMAC(s.hooks.secret, plain)
	if status != 200 || json.Unmarshal(body, &got) != nil || got.PlainToken != plain ||
		!hmac.Equal([]byte(got.EncryptedToken), []byte(want)) {
		return fmt.Errorf("zoomsim: url validation of %s failed (status %d, body %.200q)", url, status, body)
	}
	return nil
}

// WebhookLog returns every delivery attempt so far, oldest first.
func (s *Server) WebhookLog() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.hooks.log...)
}
