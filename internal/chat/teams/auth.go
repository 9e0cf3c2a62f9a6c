package teams

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// BotFrameworkIssuer issues the tokens channels (Teams among them) send to bots.
const BotFrameworkIssuer = "https://api.botframework.com"

// clockSkew is the Bot Framework's tolerance on exp and nbf.
const clockSkew = 5 * time.Minute

// Verifier checks the JWT a channel sends with each activity, as the Bot
// Framework's own validators do: issuer, audience (the bot's app id), an RS
// signature by a key from the OpenID metadata, that key's endorsements
// naming the activity's channel, and the serviceurl claim naming the
// activity's serviceUrl. It is stricter in one way: exp is required.
type Verifier struct {
	appID string
	keys  *keySet
	now   func() time.Time
}

// VerifierConfig configures a Verifier; MetadataURL defaults to the Bot Framework's.
type VerifierConfig struct {
	AppID       string
	MetadataURL string
	Client      *http.Client
	Now         func() time.Time
}

// NewVerifier builds a Verifier; keys are fetched on first use.
func NewVerifier(c VerifierConfig) *Verifier {
	if c.MetadataURL == "" {
		c.MetadataURL = DefaultOpenIDMetadataURL
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return &Verifier{appID: c.AppID, now: c.Now, keys: &keySet{metadataURL: c.MetadataURL, client: c.Client, now: c.Now}}
}

// ErrUnauthorized wraps every reason a request is refused.
var ErrUnauthorized = errors.New("unauthorized")

// claims are the registered claims plus the Bot Framework's serviceurl.
type claims struct {
	jwt.RegisteredClaims
	ServiceURL string `json:"serviceurl"`
}

// Verify checks an Authorization header for an activity of channelID sent
// with serviceURL. Any failure wraps ErrUnauthorized.
func (v *Verifier) Verify(ctx context.Context, authHeader, channelID, serviceURL string) error {
	raw, ok := strings.CutPrefix(authHeader, "Bearer ")
	if !ok || raw == "" || strings.Contains(raw, " ") {
		return fmt.Errorf("%w: no bearer token", ErrUnauthorized)
	}
	if v.appID == "" || channelID == "" || serviceURL == "" {
		return fmt.Errorf("%w: no app id, channel or service URL to check against", ErrUnauthorized)
	}
	var c claims
	_, err := jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("token names no key")
		}
		key, endorsements, err := v.keys.key(ctx, t, kid)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(endorsements, channelID) {
			return nil, fmt.Errorf("key %s is not endorsed for channel %q", kid, channelID)
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512"}),
		jwt.WithIssuer(BotFrameworkIssuer),
		jwt.WithAudience(v.appID),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(clockSkew),
		jwt.WithTimeFunc(v.now),
	)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrUnauthorized, err)
	}
	if c.ServiceURL != serviceURL {
		return fmt.Errorf("%w: serviceurl claim does not match the activity's serviceUrl", ErrUnauthorized)
	}
	return nil
}
