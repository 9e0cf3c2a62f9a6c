package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

// MaxBody caps a delivery's body. Zoom's largest documented events (a
// recording with many files) are a few tens of kilobytes.
const MaxBody = 1 << 20

// App is the Zoom app a delivery is for: the deployment's own app, or an
// organization's Server-to-Server app, each with its own secret token(s).
type App struct {
	Name    string // "deployment" or "org:<id>": stored with the event, scopes its dedup key
	OrgID   int64
	Secrets [][]byte
}

// AppResolver finds the app and secrets for a request.
type AppResolver func(r *http.Request) (App, error)

// Resolver errors: an unknown app is 404; an app without a secret fails
// closed with 503, which also lets Zoom retry once the secret is set.
var (
	ErrUnknownApp = errors.New("unknown_app")
	ErrNoSecret   = errors.New("no_secret")
)

// Receiver is the HTTP side: verify, store, answer.
type Receiver struct {
	st      *store.Store
	log     *slog.Logger
	m       *Metrics
	now     func() time.Time
	commit  *committer
	turns   *writerTurns
	pace    *acceptPace
	maxBody int64
	wait    time.Duration

	inFlight    atomic.Int64 // deliveries admitted and not yet answered
	maxInFlight int64
	commitDelay time.Duration // test-only (Config.CommitDelay)
}

// Handler serves deliveries for the apps resolve finds.
func (rc *Receiver) Handler(resolve AppResolver) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rc.serve(w, r, resolve) })
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request, resolve AppResolver) {
	// Admission first, before any lookup or read: past the bound the answer
	// costs next to nothing, so answers keep leaving within Zoom's deadline
	// however much is offered, and Zoom retries the 503s later.
	if rc.inFlight.Add(1) > rc.maxInFlight {
		rc.inFlight.Add(-1)
		rc.unavailable(w, "overloaded")
		return
	}
	defer rc.inFlight.Add(-1)
	app, err := resolve(r)
	switch {
	case errors.Is(err, ErrUnknownApp):
		rc.reject(w, http.StatusNotFound, "unknown_app")
		return
	case errors.Is(err, ErrNoSecret):
		rc.log.Warn("webhook refused: no webhook secret configured for this app", "path", r.URL.Path)
		rc.reject(w, http.StatusServiceUnavailable, "no_secret")
		return
	case err != nil:
		rc.log.Error("webhook: app lookup failed", "err", err)
		rc.reject(w, http.StatusServiceUnavailable, "unavailable")
		return
	}
	ts, sig := r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature)
	now := rc.now()
	if ts == "" || sig == "" {
		rc.reject(w, http.StatusUnauthorized, ErrMissingHeaders.Error())
		return
	}
	if err := CheckTimestamp(ts, now); err != nil {
		rc.reject(w, http.StatusUnauthorized, err.Error())
		return
	}
	body, status, reason := rc.read(w, r)
	if status != 0 {
		rc.reject(w, status, reason)
		return
	}
	idx, err := VerifySignature(app.Secrets, ts, sig, body)
	if err != nil {
		rc.reject(w, http.StatusUnauthorized, err.Error())
		return
	}
	env, err := ParseEnvelope(body)
	if err != nil {
		rc.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	if env.Event == "endpoint.url_validation" {
		rc.validate(w, app.Secrets[idx], env.PlainToken)
		return
	}
	rc.store(w, r, app, env, body, now)
}

// read reads the whole body up to the cap. A declared length over the cap is
// refused before reading anything; a body that turns out longer is cut off at
// the cap. A slow sender is cut off by the read deadline.
func (rc *Receiver) read(w http.ResponseWriter, r *http.Request) ([]byte, int, string) {
	if r.ContentLength > rc.maxBody {
		return nil, http.StatusRequestEntityTooLarge, "too_large"
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(rc.wait))
	size := r.ContentLength
	if size < 0 {
		size = 4096
	}
	buf := make([]byte, 0, size+1) // +1 so a body of exactly the declared size needs no regrowth to see EOF
	body, err := readAll(http.MaxBytesReader(w, r.Body, rc.maxBody), buf)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, http.StatusRequestEntityTooLarge, "too_large"
	case err != nil:
		return nil, http.StatusBadRequest, "read_error"
	}
	return body, 0, ""
}

func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// validate answers Zoom's url_validation handshake.
func (rc *Receiver) validate(w http.ResponseWriter, secret []byte, plain string) {
	if plain == "" {
		rc.reject(w, http.StatusBadRequest, "invalid_json")
		return
	}
	rc.m.Received.WithLabelValues("url_validation").Inc()
	writeJSON(w, http.StatusOK, map[string]string{"plainToken": plain, "encryptedToken": ValidationToken(secret, plain)})
}

// store puts the event and its processing job in the inbox in one durable
// commit and only then answers 200. Anything that keeps it from being stored
// is a 503: Zoom retries 5xx, but drops an event answered with any 4xx.
func (rc *Receiver) store(w http.ResponseWriter, r *http.Request, app App, env Envelope, body []byte, now time.Time) {
	ev := store.InboxEvent{
		DedupKey:   app.Name + ":" + env.DedupKey,
		App:        app.Name,
		OrgID:      app.OrgID,
		Event:      clean(env.Event, 128),
		EventTS:    env.EventTS,
		AccountID:  clean(env.AccountID, 128),
		Body:       reduce(env.Event, body),
		ReceivedAt: now,
	}
	ctx, cancel := context.WithTimeout(r.Context(), rc.wait)
	defer cancel()
	if rc.commit == nil {
		rc.reject(w, http.StatusServiceUnavailable, "starting")
		return
	}
	_, isNew, err := rc.commit.submit(ctx, ev)
	if err != nil {
		reason := unavailableReason(err)
		if reason == "store_failed" { // overload is counted, not logged line by line
			rc.log.Warn("webhook not stored; answering 503 so Zoom retries", "event", ev.Event, "err", err)
		}
		rc.unavailable(w, reason)
		return
	}
	if isNew {
		rc.m.Received.WithLabelValues("new").Inc()
	} else {
		rc.m.Received.WithLabelValues("duplicate").Inc()
	}
	w.WriteHeader(http.StatusOK)
}

func unavailableReason(err error) string {
	switch {
	case errors.Is(err, ErrShuttingDown):
		return "shutting_down"
	case errors.Is(err, ErrOverloaded):
		return "overloaded"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "timeout"
	}
	return "store_failed"
}

// unavailable answers 503 with Retry-After: Zoom retries 5xx, and drops an
// event answered with any 4xx, so overload is never a 429.
func (rc *Receiver) unavailable(w http.ResponseWriter, reason string) {
	w.Header().Set("Retry-After", "5")
	rc.reject(w, http.StatusServiceUnavailable, reason)
}

// reject answers with status and a body that says no more than the status.
func (rc *Receiver) reject(w http.ResponseWriter, status int, reason string) {
	rc.m.Rejected.WithLabelValues(reason).Inc()
	writeJSON(w, status, map[string]string{"error": http.StatusText(status)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
