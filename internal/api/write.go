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
	maxBody         = 1 << 20
	maxIdemKey      = 255
	idempotencyTerm = 24 * time.Hour
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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Message: "the body is larger than 1 MiB"}
	} else if err != nil {
		return &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body could not be read"}
	}
	idem := r.Header.Get("Idempotency-Key")
	if _, given := r.Header["Idempotency-Key"]; given && !validIdemKey(idem) {
		return &Error{Status: http.StatusBadRequest, Code: "bad_parameter", Parameter: "Idempotency-Key",
			Message: "Idempotency-Key: 1 to 255 printable ASCII characters"}
	}
	fp := fingerprint(r, body)
	rec := &recorder{header: http.Header{}}
	var kept *store.IdempotentResponse
	err = a.store.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		c.st = tx
		if idem != "" {
			k, claimed, err := tx.ClaimIdempotencyKey(r.Context(), c.key.ID, idem, fp, c.now, c.now.Add(-idempotencyTerm))
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
	switch {
	case err != nil:
		return err
	case kept != nil && kept.Fingerprint != fp:
		return &Error{Status: http.StatusUnprocessableEntity, Code: "idempotency_key_reused", Parameter: "Idempotency-Key",
			Message: "this Idempotency-Key was used for a different request in the last 24 hours"}
	case kept != nil:
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
	for k, vs := range rec.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
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

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
