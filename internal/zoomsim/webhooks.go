package zoomsim

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Zoom's delivery rules (docs/zoom-api.md §5.1): answer within 3 seconds;
// retries only after 5xx or transport errors, at +5, +20 and +60 minutes.
var retryDelays = []time.Duration{5 * time.Minute, 20 * time.Minute, 60 * time.Minute}

const (
	deliveryTimeout = 3 * time.Second
	revalidateEvery = 72 * time.Hour
	maxCRCFailures  = 6
)

// hookState is the OAuth app's event subscription and its delivery state.
type hookState struct {
	url, secret string
	events      map[string]bool // nil: every event
	client      *http.Client
	validatedAt time.Time
	failures    int // consecutive failed revalidations
	disabled    bool
	pending     []*work // retries due after the current clock
	log         []Delivery
}

// Delivery is one attempt to deliver a webhook, for tests and /_sim/webhook/log.
type Delivery struct {
	Event     string    `json:"event"`
	RequestID string    `json:"request_id"`
	Attempt   int       `json:"attempt"` // 0 original, 1..3 retries
	At        time.Time `json:"at"`      // sim time it was sent
	Status    int       `json:"status"`  // HTTP status, 0 on transport error
	Error     string    `json:"error,omitempty"`
	Fault     string    `json:"fault,omitempty"` // drop, duplicate
	Body      string    `json:"body"`
}

func newHookState(url, secret string) *hookState {
	return &hookState{
		url: url, secret: secret,
		client: &http.Client{
			Timeout: deliveryTimeout,
			// Zoom does not follow redirects: a 3xx is a failed, unretried delivery.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

func (h *hookState) subscribed(name string) bool {
	if h.url == "" || h.disabled {
		return false
	}
	return name == "app_deauthorized" || h.events == nil || h.events[name]
}

// work is one scheduled send: an event (first try or retry) or a CRC.
type work struct {
	at        time.Time
	seq       int
	ev        *outEvent
	attempt   int
	requestID string
	crc       bool
}

// workQueue keeps work in sim-time order, ties in insertion order.
type workQueue struct {
	items []*work
	seq   int
}

func (q *workQueue) push(ws ...*work) {
	for _, w := range ws {
		q.seq++
		w.seq = q.seq
		q.items = append(q.items, w)
	}
	sort.SliceStable(q.items, func(i, j int) bool {
		if !q.items[i].at.Equal(q.items[j].at) {
			return q.items[i].at.Before(q.items[j].at)
		}
		return q.items[i].seq < q.items[j].seq
	})
}

func (q *workQueue) pop() *work {
	if len(q.items) == 0 {
		return nil
	}
	w := q.items[0]
	q.items = q.items[1:]
	return w
}

func (q *workQueue) len() int { return len(q.items) }

// dueWork takes the retries and the periodic CRC falling in (from, to].
func (h *hookState) dueWork(from, to time.Time) []*work {
	var due, later []*work
	for _, w := range h.pending {
		if w.at.After(to) {
			later = append(later, w)
		} else {
			due = append(due, w)
		}
	}
	h.pending = later
	if h.url != "" && !h.validatedAt.IsZero() {
		for t := h.validatedAt.Add(revalidateEvery); !t.After(to); t = t.Add(revalidateEvery) {
			if t.After(from) {
				due = append(due, &work{at: t, crc: true})
			}
		}
	}
	return due
}

// sign returns Zoom's x-zm-signature for a body sent at ts.
func sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// post sends one signed request with Zoom's headers and returns the status
// (0 on a transport error) and the response body.
func (s *Server) post(url string, ev *outEvent, at time.Time, requestID string) (int, []byte, error) {
	ts := strconv.FormatInt(at.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(ev.body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Zoom Marketplace/1.0a")
	req.Header.Set("x-zm-request-timestamp", ts)
	req.Header.Set("x-zm-signature", sign(s.hooks.secret, ts, ev.body))
	req.Header.Set("x-zm-request-id", requestID)
	req.Header.Set("x-zm-trackingid", s.trackingID())
	req.Header.Set("clientid", s.opts.ClientID)
	resp, err := s.hooks.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(http.MaxBytesReader(nil, resp.Body, 1<<16)) //nolint:errcheck // a short body is fine
	return resp.StatusCode, buf.Bytes(), nil
}

// requestID looks like Zoom's "6009d653_d487_445d_8406_42b654974899".
func requestID() string {
	b := []byte(randomID())
	return strings.ReplaceAll(uuidFromBytes(b), "-", "_")
}

func uuidFromBytes(b []byte) string {
	h := hex.EncodeToString(b)[:32]
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
