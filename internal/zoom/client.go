package zoom

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Category is Zoom's rate-limit label of an endpoint.
type Category string

const (
	Light             Category = "Light"
	Medium            Category = "Medium"
	Heavy             Category = "Heavy"
	ResourceIntensive Category = "Resource-intensive"
)

// Limiter paces calls per Zoom account and category. Every call waits on it,
// and every answer is shown to it, so it can follow Zoom's headers.
type Limiter interface {
	// Wait blocks until a call of cat on the account may start.
	Wait(ctx context.Context, account string, cat Category) error
	// Observe learns from an answer's status and headers (X-RateLimit-*, Retry-After).
	Observe(account string, cat Category, status int, h http.Header)
}

// NoLimit lets every call through; for tools and tests that want raw behaviour.
type NoLimit struct{}

func (NoLimit) Wait(context.Context, string, Category) error { return nil }
func (NoLimit) Observe(string, Category, int, http.Header)   {}

// maxBody caps what the client reads of one answer.
const maxBody = 16 << 20

// Client calls Zoom's REST API at one base URL.
type Client struct {
	base string
	hc   *http.Client
	lim  Limiter
}

// NewHTTPClient is an http.Client hardened for calling Zoom: timeouts on every
// phase, no unbounded waits.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 20 * time.Second,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
		},
	}
}

// NewClient returns a client for apiBaseURL (https://api.zoom.us/v2, or the
// emulator's URL()+"/v2"). A nil hc gets NewHTTPClient; a nil lim, NoLimit.
func NewClient(apiBaseURL string, hc *http.Client, lim Limiter) *Client {
	if hc == nil {
		hc = NewHTTPClient()
	}
	if lim == nil {
		lim = NoLimit{}
	}
	return &Client{base: strings.TrimRight(apiBaseURL, "/"), hc: hc, lim: lim}
}

// Conn is the client acting for one connection: its tokens, its Zoom account.
type Conn struct {
	c       *Client
	ts      TokenSource
	account string
	calls   atomic.Int64
	limited atomic.Int64
}

// For binds the client to a connection's token source and Zoom account id
// (the rate-limit key: limits are per account, shared by every app and user).
func (c *Client) For(ts TokenSource, zoomAccountID string) *Conn {
	return &Conn{c: c, ts: ts, account: zoomAccountID}
}

// Calls reports how many HTTP calls this Conn made, and how many met a 429.
func (c *Conn) Calls() (calls, rateLimited int64) { return c.calls.Load(), c.limited.Load() }

// Get calls GET path?q and decodes the JSON answer into out.
func (c *Conn) Get(ctx context.Context, path string, q url.Values, cat Category, out any) error {
	return c.do(ctx, http.MethodGet, path, q, nil, cat, out)
}

// Send calls method path with body as JSON and decodes the answer into out (if not nil).
func (c *Conn) Send(ctx context.Context, method, path string, body any, cat Category, out any) error {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	return c.do(ctx, method, path, nil, raw, cat, out)
}

func (c *Conn) do(ctx context.Context, method, path string, q url.Values, body []byte, cat Category, out any) error {
	for attempt := 0; ; attempt++ {
		err := c.once(ctx, method, path, q, body, cat, out)
		var tokErr *rejectedToken
		if errors.As(err, &tokErr) && attempt == 0 {
			// Zoom refused a token we believed valid (revoked, or clock skew):
			// drop it and try once more with a fresh one.
			c.ts.TokenRejected(ctx, tokErr.token)
			continue
		}
		if errors.As(err, &tokErr) {
			return tokErr.APIError
		}
		return err
	}
}

type rejectedToken struct {
	*APIError
	token string
}

func (c *Conn) once(ctx context.Context, method, path string, q url.Values, body []byte, cat Category, out any) error {
	if err := c.c.lim.Wait(ctx, c.account, cat); err != nil {
		return err
	}
	token, err := c.ts.AccessToken(ctx)
	if err != nil {
		return err
	}
	u := c.c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "zoombridge")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.calls.Add(1)
	resp, err := c.c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("zoom %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("zoom %s %s: reading answer: %w", method, path, err)
	}
	if len(data) > maxBody {
		return fmt.Errorf("zoom %s %s: answer larger than %d bytes", method, path, maxBody)
	}
	c.c.lim.Observe(c.account, cat, resp.StatusCode, resp.Header)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil || len(bytes.TrimSpace(data)) == 0 {
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("zoom %s %s: decoding answer: %w", method, path, err)
		}
		return nil
	}
	apiErr := decodeAPIError(resp, data)
	if resp.StatusCode == http.StatusTooManyRequests {
		c.limited.Add(1)
	}
	if resp.StatusCode == http.StatusUnauthorized && apiErr.Code == 124 {
		return &rejectedToken{APIError: apiErr, token: token}
	}
	return apiErr
}

func decodeAPIError(resp *http.Response, data []byte) *APIError {
	e := &APIError{Status: resp.StatusCode}
	if json.Unmarshal(data, e) != nil || e.Message == "" {
		e.Message = strings.TrimSpace(string(data))
		if len(e.Message) > 200 {
			e.Message = e.Message[:200]
		}
	}
	e.Status = resp.StatusCode
	e.TrackingID = resp.Header.Get("x-zm-trackingid")
	e.RateLimitType = resp.Header.Get("X-RateLimit-Type")
	e.RetryAt = RetryAt(resp.Header, time.Now())
	return e
}

// RetryAt reads Retry-After, which Zoom sends as seconds or, for daily
// limits, as an ISO-8601 instant. Zero when absent or unreadable.
func RetryAt(h http.Header, now time.Time) time.Time {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return now.Add(time.Duration(secs) * time.Second)
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", http.TimeFormat} {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// IsRateLimited reports whether err is Zoom's 429.
func IsRateLimited(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusTooManyRequests
}

// IsNotFound reports whether err is Zoom saying the thing (user, meeting) does not exist.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Status == http.StatusNotFound || e.Code == 1001 || e.Code == 3001)
}
