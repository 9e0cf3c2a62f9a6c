package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

const (
	maxBody    = 1 << 20
	maxIdemKey = 255
)

// replayedHeaders are the headers of a kept answer sent again on a replay.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

// write runs a writing route in one transaction. The answer is buffered and
// sent only after the commit, so a client never sees a success that was
// rolled back. With an Idempotency-Key (documented on every POST, honoured on
// any write) the key is claimed in the same transaction and the answer kept
// with the effect: a retry, or a concurrent request that waited on the
// claim, gets that answer again and causes nothing; the same key with another
// request is a 422. Errors are not kept (their transaction rolls back): a
// retry runs again.
func (a *API) write(w http.ResponseWriter, r *http.Request, rt route, c *call) error {
	body, idem, err := readWrite(w, r)
	if err != nil {
		return err
	}
	fp := fingerprint(r, body)
	rec := &recorder{header: http.Header{}}
	var kept *store.IdempotentResponse
	err = a.store.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		c.st = tx
		if idem != "" {
			k, claimed, err := tx.ClaimIdempotencyKey(r.Context(), c.key.ID, idem, fp, c.wall, c.wall.Add(-store.IdempotencyKept))
			if err != nil || !claimed {
				kept = &k
				return err
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := rt.handler(rec, r, c); err != nil {
			return err
		}
		if idem == "" {
			return nil
		}
		return a.keep(r.Context(), tx, c.key.ID, idem, fp, rec)
	})
	if err != nil {
		return err
	}
	if kept != nil {
		return replay(w, *kept, fp)
	}
	rec.send(w)
	return nil
}

// readWrite reads a write's body and its Idempotency-Key ("" when none).
func readWrite(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, "", &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Message: "the body is larger than 1 MiB"}
	} else if err != nil {
		return nil, "", &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body could not be read"}
	}
	idem := r.Header.Get("Idempotency-Key")
	if _, given := r.Header["Idempotency-Key"]; given && !validIdemKey(idem) {
		return nil, "", &Error{Status: http.StatusBadRequest, Code: "bad_parameter", Parameter: "Idempotency-Key",
			Message: "Idempotency-Key: 1 to 255 printable ASCII characters"}
	}
	return body, idem, nil
}

// replay sends a kept answer again, or refuses a key used for another request.
func replay(w http.ResponseWriter, kept store.IdempotentResponse, fp string) error {
	if kept.Fingerprint != fp {
		return &Error{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused", Parameter: "Idempotency-Key",
			Message: "this Idempotency-Key was used for a different request in the last 24 hours"}
	}
	var hs map[string]string
	if err := json.Unmarshal([]byte(kept.Headers), &hs); err != nil {
		return err
	}
	for k, v := range hs {
		w.Header().Set(k, v)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(kept.Status)
	w.Write(kept.Body)
	return nil
}

// inFlight is how long a write outside the transaction holds its
// Idempotency-Key before a retry may take it over: longer than its Zoom
// calls can take.
const inFlight = 2 * time.Minute

// writeOutside runs a write that calls Zoom (outsideTx) without holding the
// database across the call. Its Idempotency-Key is claimed in a commit of
// its own first, and the answer saved after: a retry gets the kept answer;
// a retry while the first request still runs gets 409
// idempotency_key_in_use (try again shortly); a failed request releases the
// key. Only a process that dies between Zoom's answer and saving it leaves
// the key to be taken over after inFlight, and then a retry acts again.
func (a *API) writeOutside(w http.ResponseWriter, r *http.Request, rt route, c *call) error {
	body, idem, err := readWrite(w, r)
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if idem == "" {
		return rt.handler(w, r, c)
	}
	ctx, fp := r.Context(), fingerprint(r, body)
	kept, claimed, err := a.store.ClaimIdempotencyKey(ctx, c.key.ID, idem, fp, c.wall, c.wall.Add(-store.IdempotencyKept))
	if err != nil {
		return err
	}
	if !claimed && kept.Status == 0 && kept.Fingerprint == fp {
		if claimed, err = a.store.RetakeIdempotencyKey(ctx, c.key.ID, idem, fp, c.wall.Add(-inFlight), c.wall); err != nil {
			return err
		}
		if !claimed {
			w.Header().Set("Retry-After", "1")
			return &Error{Status: http.StatusConflict, Code: "idempotency_key_in_use", Parameter: "Idempotency-Key",
				Message: "a request with this Idempotency-Key is still being answered; retry in a moment"}
		}
	}
	if !claimed {
		return replay(w, kept, fp)
	}
	rec := &recorder{header: http.Header{}}
	if err := rt.handler(rec, r, c); err != nil {
		if rerr := a.store.ReleaseIdempotencyKey(context.WithoutCancel(ctx), c.key.ID, idem); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	if err := a.keep(context.WithoutCancel(ctx), a.store, c.key.ID, idem, fp, rec); err != nil {
		return err
	}
	rec.send(w)
	return nil
}

func (a *API) keep(ctx context.Context, tx *store.Store, keyID int64, idem, fp string, rec *recorder) error {
	hs := map[string]string{}
	for _, k := range replayedHeaders {
		if v := rec.header.Get(k); v != "" {
			hs[k] = v
		}
	}
	headers, _ := json.Marshal(hs)
	return tx.SaveIdempotentResponse(ctx, store.IdempotentResponse{KeyID: keyID, Key: idem, Fingerprint: fp,
		Status: rec.status, Headers: string(headers), Body: rec.body.Bytes()})
}

// fingerprint identifies a request for Idempotency-Key reuse: its method,
// path (with query) and body.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.RequestURI() + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func validIdemKey(k string) bool {
	if k == "" || len(k) > maxIdemKey {
		return false
	}
	for i := range len(k) {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder buffers a handler's answer until its transaction commits.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

// send writes the buffered answer to w.
func (r *recorder) send(w http.ResponseWriter) {
	for k, vs := range r.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
