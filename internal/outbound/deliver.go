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
	"sync"
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

// Attempt makes the attempts the deliveries are due for, at once, records
// them, and either finishes each delivery or schedules its next attempt.
// Deliveries that are not due, or not pending, are left alone (a duplicate
// job, or one a sweep already ran).
func (s *Service) Attempt(ctx context.Context, deliveryIDs ...int64) error {
	now := s.now()
	ds, err := s.st.ClaimOutboundDeliveries(ctx, deliveryIDs, now, now.Add(lease))
	if err != nil || len(ds) == 0 {
		return err
	}
	eps := map[int64]store.OutboundEndpoint{}
	for _, d := range ds {
		if _, ok := eps[d.EndpointID]; ok {
			continue
		}
		if eps[d.EndpointID], err = s.st.OutboundEndpoint(ctx, d.OrgID, d.EndpointID); err != nil {
			return err
		}
	}
	results := make([]result, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds {
		ep := eps[d.EndpointID]
		if !ep.Enabled() {
			results[i] = result{code: ErrCodeDisabled}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.send(ctx, ep, d, now)
		}()
	}
	wg.Wait()
	return s.record(ctx, eps, ds, results, now)
}

// send makes one signed request.
func (s *Service) send(ctx context.Context, ep store.OutboundEndpoint, d store.OutboundDelivery, now time.Time) result {
	secrets, err := s.secrets(ep, now)
	if err != nil {
		s.log.Error("endpoint secret unreadable", "endpoint", ep.ID, "err", err)
		return result{code: ErrCodeConnect}
	}
	body := []byte(d.Payload)
	// The receiver checks webhook-timestamp against its own clock: sign with
	// the wall clock, whatever clock schedules the attempts.
	signedAt := s.wall()
	sig, err := Signature(secrets, d.MsgID, signedAt, body)
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
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(signedAt.Unix(), 10))
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

// record stores the attempts and what follows from them, in one
// transaction: each delivery's new state, its endpoint's (410 disables it,
// five days of failures too, a success ends the streak) and the jobs of the
// next attempts.
func (s *Service) record(ctx context.Context, eps map[int64]store.OutboundEndpoint, ds []store.OutboundDelivery, results []result, now time.Time) error {
	disabled := false
	err := s.st.InTx(ctx, func(st *store.Store, _ *sql.Tx) error {
		retries := map[time.Time][]int64{}
		for i, d := range ds {
			res := results[i]
			status, next := store.DeliveryDelivered, now
			if !res.ok() {
				status, next = s.nextAttempt(d.Attempts, now, res)
			}
			a := store.OutboundAttempt{DeliveryID: d.ID, AttemptedAt: now, Status: res.status, Error: res.code, Duration: res.duration, Response: res.response}
			if err := st.FinishOutboundAttempt(ctx, a, status, next); err != nil {
				return err
			}
			if status == store.DeliveryPending {
				retries[next] = append(retries[next], d.ID)
			}
		}
		// Endpoints after deliveries: disabling one fails its pending deliveries.
		for i, d := range ds {
			gone, err := s.endpointAfter(ctx, st, eps[d.EndpointID], results[i], now)
			if err != nil {
				return err
			}
			disabled = disabled || gone
		}
		// River keeps real time; the due sweep covers a clock that runs otherwise.
		for at, ids := range retries {
			if err := enqueueTx(ctx, st, ids, time.Now().Add(at.Sub(now))); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && disabled {
		subs.forget(s.st, ds[0].OrgID)
	}
	return err
}

// endpointAfter applies an attempt's outcome to its endpoint, and reports
// whether it disabled it.
func (s *Service) endpointAfter(ctx context.Context, st *store.Store, ep store.OutboundEndpoint, res result, now time.Time) (bool, error) {
	switch {
	case res.code == ErrCodeDisabled:
		return false, nil
	case res.ok():
		return false, st.ClearOutboundEndpointFailing(ctx, ep.ID)
	case res.status == http.StatusGone:
		return true, s.disable(ctx, st, ep, "system", DisabledGone)
	}
	since, err := st.MarkOutboundEndpointFailing(ctx, ep.ID, now)
	if err != nil || now.Sub(since) < FailingLimit {
		return false, err
	}
	return true, s.disable(ctx, st, ep, "system", DisabledFailing)
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
