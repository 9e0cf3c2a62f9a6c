package outbound

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Schedule is when each attempt is made, after the one before it: at once,
// then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h later, each delay with
// jitter. After the last, the delivery has failed.
var Schedule = []time.Duration{0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 10 * time.Hour}

// lease holds a claimed delivery while its attempt runs; a process that
// dies mid-attempt leaves it to the due sweep once the lease ends.
const lease = AttemptTimeout + 5*time.Second

// maxRetryAfter caps how far a Retry-After header can push an attempt.
const maxRetryAfter = 24 * time.Hour

// Error codes of an attempt (OutboundAttempt.Error, OutboundDelivery.LastError).
const (
	ErrCodeStatus   = "status"            // answered, but not 2xx
	ErrCodeRedirect = "redirect"          // answered 3xx: redirects are not followed
	ErrCodeTimeout  = "timeout"           // no answer within AttemptTimeout
	ErrCodeConnect  = "connect"           // could not connect or the connection broke
	ErrCodeAddress  = "address_refused"   // the SSRF guard refused the dialed address
	ErrCodeDisabled = "endpoint_disabled" // not sent: the endpoint was disabled
)

// result is what one attempt learnt.
type result struct {
	status     int
	code       string
	duration   time.Duration
	response   string
	retryAfter time.Duration // from a 429 or 503
}

func (r result) ok() bool { return r.code == "" }

// Attempt makes the attempt a delivery is due for, records it, and either
// finishes the delivery or schedules the next attempt. A delivery that is
// not due, or not pending, is left alone (a duplicate job, or one a sweep
// already ran).
func (s *Service) Attempt(ctx context.Context, deliveryID int64) error {
	now := s.now()
	d, err := s.st.ClaimOutboundDelivery(ctx, deliveryID, now, now.Add(lease))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	ep, err := s.st.OutboundEndpoint(ctx, d.OrgID, d.EndpointID)
	if err != nil {
		return err
	}
	res := result{code: ErrCodeDisabled}
	if ep.Enabled() {
		res = s.send(ctx, ep, d, now)
	}
	return s.record(ctx, ep, d, now, res)
}

// send makes one signed request.
func (s *Service) send(ctx context.Context, ep store.OutboundEndpoint, d store.OutboundDelivery, now time.Time) result {
	secrets, err := s.secrets(ep, now)
	if err != nil {
		s.log.Error("endpoint secret unreadable", "endpoint", ep.ID, "err", err)
		return result{code: ErrCodeConnect}
	}
	body := []byte(d.Payload)
	sig, err := Signature(secrets, d.MsgID, now, body)
	if err != nil {
		return result{code: ErrCodeConnect}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return result{code: ErrCodeConnect}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "zoombridge-webhooks/1")
	req.Header.Set(HeaderID, d.MsgID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, sig)
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return result{code: failureCode(err), duration: time.Since(start)}
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	res := result{status: resp.StatusCode, duration: time.Since(start), response: printable(head)}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		res.code = ErrCodeRedirect
	default:
		res.code = ErrCodeStatus
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			res.retryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
		}
	}
	return res
}

func failureCode(err error) string {
	var ae *AddressError
	var ne net.Error
	switch {
	case errors.As(err, &ae):
		return ErrCodeAddress
	case errors.As(err, &ne) && ne.Timeout():
		return ErrCodeTimeout
	}
	return ErrCodeConnect
}

// retryAfter reads a Retry-After of seconds or an HTTP date; zero when absent or bad.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// printable keeps the answer's head storable as text in both databases.
func printable(b []byte) string {
	s := strings.ToValidUTF8(string(b), string(utf8.RuneError))
	return strings.ReplaceAll(s, "\x00", "")
}

// record stores the attempt and what follows from it, in one transaction:
// the delivery's new state, the endpoint's (410 disables it, five days of
// failures too, a success ends the streak) and the next attempt's job.
func (s *Service) record(ctx context.Context, ep store.OutboundEndpoint, d store.OutboundDelivery, now time.Time, res result) error {
	status, next := store.DeliveryDelivered, now
	if !res.ok() {
		status, next = s.nextAttempt(d.Attempts, now, res)
	}
	a := store.OutboundAttempt{DeliveryID: d.ID, AttemptedAt: now, Status: res.status, Error: res.code, Duration: res.duration, Response: res.response}
	err := s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		if err := st.FinishOutboundAttempt(ctx, a, status, next); err != nil {
			return err
		}
		switch {
		case res.code == ErrCodeDisabled:
			return nil
		case res.ok():
			return st.ClearOutboundEndpointFailing(ctx, ep.ID)
		case res.status == http.StatusGone:
			return s.disable(ctx, st, ep, "system", DisabledGone)
		}
		since, err := st.MarkOutboundEndpointFailing(ctx, ep.ID, now)
		if err != nil {
			return err
		}
		if now.Sub(since) >= FailingLimit {
			return s.disable(ctx, st, ep, "system", DisabledFailing)
		}
		if status == store.DeliveryPending {
			// River keeps real time; the due sweep covers a clock that runs otherwise.
			return enqueueTx(ctx, st, []int64{d.ID}, time.Now().Add(next.Sub(now)))
		}
		return nil
	})
	if err == nil && ep.Enabled() && (res.status == http.StatusGone || !res.ok()) {
		subs.forget(s.st, ep.OrgID) // it may have been disabled
	}
	return err
}

// nextAttempt is the state after a failed attempt: pending again at the
// scheduled (or asked for) time, or failed after the last attempt.
func (s *Service) nextAttempt(attempts int, now time.Time, res result) (string, time.Time) {
	if res.code == ErrCodeDisabled || res.status == http.StatusGone || attempts >= len(Schedule) {
		return store.DeliveryFailed, now
	}
	if res.retryAfter > 0 {
		return store.DeliveryPending, now.Add(res.retryAfter)
	}
	return store.DeliveryPending, now.Add(s.jitter(Schedule[attempts]))
}
