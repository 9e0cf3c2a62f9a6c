// Package zoom is zoombridge's client for Zoom: OAuth, the REST API under /v2
// and its rate limits. Base URLs are configuration, so tests and the demo point
// it at the emulator (internal/zoomsim).
package zoom

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// TokenSource gives the client a valid access token for one connection.
// internal/connect implements it over the token vault.
type TokenSource interface {
	// AccessToken returns a token that is valid now, refreshing first if needed.
	AccessToken(ctx context.Context) (string, error)
	// TokenRejected tells the source Zoom refused token (401, code 124), so the
	// next AccessToken must not return it again.
	TokenRejected(ctx context.Context, token string)
}

// ErrNeedsReconnect means the connection's grant is gone (revoked, rotated
// away, app removed): only the person reconnecting can fix it.
var ErrNeedsReconnect = errors.New("zoom connection needs reconnect")

// APIError is an error answer from Zoom's REST API.
type APIError struct {
	Status        int    // HTTP status
	Code          int    `json:"code"`
	Message       string `json:"message"`
	TrackingID    string // x-zm-trackingid, for Zoom support
	RateLimitType string // X-RateLimit-Type on 429s: QPS or Daily-limit
	RetryAt       time.Time
}

func (e *APIError) Error() string {
	return fmt.Sprintf("zoom api: HTTP %d code %d: %s", e.Status, e.Code, e.Message)
}

// OAuthError is an error answer from Zoom's OAuth token endpoint.
type OAuthError struct {
	Status      int
	Kind        string `json:"error"`  // invalid_grant, invalid_client, invalid_request ...
	Reason      string `json:"reason"` // Zoom's words, e.g. "Invalid Token!"
	Description string `json:"error_description"`
}

func (e *OAuthError) Error() string {
	return fmt.Sprintf("zoom oauth: HTTP %d %s: %s", e.Status, e.Kind, e.Reason)
}
