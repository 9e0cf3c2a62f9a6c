package zoomsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// zoomTime is Zoom's REST date-time form: UTC with a Z and no fraction.
const zoomTime = "2006-01-02T15:04:05Z"

func ztime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(zoomTime)
}

// compactJSON encodes like JavaScript's JSON.stringify: no HTML escaping and no
// trailing newline. Rivet verifies webhook signatures over
// JSON.stringify(JSON.parse(body)), so bodies must round-trip byte for byte.
func compactJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("zoomsim: encoding %T: %v", v, err)) // our own types always encode
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(compactJSON(v)) //nolint:errcheck // client went away
}

// zoomError is the REST error body: {"code":N,"message":"..."}.
type zoomError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// apiErr is an error a handler answers with; status is the HTTP status.
type apiErr struct {
	status int
	body   zoomError
}

func (e *apiErr) Error() string {
	return fmt.Sprintf("%d/%d %s", e.status, e.body.Code, e.body.Message)
}

func newAPIErr(status, code int, format string, args ...any) *apiErr {
	return &apiErr{status: status, body: zoomError{Code: code, Message: fmt.Sprintf(format, args...)}}
}

func writeAPIErr(w http.ResponseWriter, e *apiErr) { writeJSON(w, e.status, e.body) }

// Errors Zoom documents (docs/zoom-api.md §4); constructors keep messages in one place.
func errInvalidToken() *apiErr { return newAPIErr(401, 124, "Invalid access token.") }
func errExpiredToken() *apiErr { return newAPIErr(401, 124, "Access token is expired.") }
func errQueryToken() *apiErr {
	return newAPIErr(401, 124, "Invalid access token, this access token is not supported as query parameter string.")
}
func errUserNotFound(id string) *apiErr { return newAPIErr(404, 1001, "User does not exist: %s.", id) }
func errMeetingNotFound(id string) *apiErr {
	return newAPIErr(404, 3001, "Meeting %s is not found or has expired.", id)
}
func errNoAccess() *apiErr {
	return newAPIErr(403, 3001, "Authenticated user has not permitted access to the targeted resource.")
}
func errBadPageToken() *apiErr {
	return newAPIErr(400, 300, "The next page token is invalid or expired.")
}
func errValidation(msg string) *apiErr { return newAPIErr(400, 300, "%s", msg) }
func errNoPermission() *apiErr         { return newAPIErr(400, 200, "No permission.") }

// oauthError is the token endpoint's error body: {"reason":"...","error":"..."}.
type oauthError struct {
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

func writeOAuthErr(w http.ResponseWriter, reason, code string) {
	writeJSON(w, http.StatusBadRequest, oauthError{Reason: reason, Error: code})
}
