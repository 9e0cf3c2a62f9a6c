package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// DefaultOpenIDMetadataURL is where the Bot Framework publishes the keys that
// sign the tokens channels send to bots.
const DefaultOpenIDMetadataURL = "https://login.botframework.com/v1/.well-known/openidconfiguration"

// Key refresh: Microsoft rotates its signing keys with notice, so a day-old set
// is fresh enough; a token naming a key we do not hold triggers one early
// refresh, at most every refreshFloor, so forged kids cannot hammer the URL.
const (
	keysMaxAge   = 24 * time.Hour
	refreshFloor = 5 * time.Minute
	maxKeysBody  = 1 << 20
)

// keySet caches the signing keys of an OpenID metadata document with each
// key's endorsements (the channels it may sign for).
type keySet struct {
	metadataURL string
	client      *http.Client
	now         func() time.Time

	mu           sync.Mutex
	kf           keyfunc.Keyfunc
	endorsements map[string][]string
	fetched      time.Time // last successful refresh
	tried        time.Time // last attempt, successful or not
}

// errUnknownKey is a token signed by a key that is not in the set.
var errUnknownKey = errors.New("signing key not in the OpenID metadata key set")

// key returns the verification key and endorsements for kid, refreshing the
// set when it is old or does not know kid.
func (k *keySet) key(ctx context.Context, token *jwt.Token, kid string) (any, []string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	_, known := k.endorsements[kid]
	floor := refreshFloor
	if k.kf == nil {
		floor = 10 * time.Second // no keys at all: retry sooner
	}
	due := k.tried.IsZero() || now.Sub(k.tried) >= floor
	if (k.kf == nil || !known || now.Sub(k.fetched) > keysMaxAge) && due {
		if err := k.refresh(ctx, now); err != nil && k.kf == nil {
			return nil, nil, err
		}
	}
	if k.kf == nil {
		return nil, nil, errors.New("no signing keys yet")
	}
	ends, known := k.endorsements[kid]
	if !known {
		return nil, nil, errUnknownKey
	}
	key, err := k.kf.KeyfuncCtx(ctx)(token)
	return key, ends, err
}

// refresh fetches the metadata document, then its jwks_uri. A failed refresh
// keeps the previous set.
func (k *keySet) refresh(ctx context.Context, now time.Time) error {
	k.tried = now
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := k.getJSON(ctx, k.metadataURL, &meta); err != nil {
		return fmt.Errorf("openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return errors.New("openid metadata: no jwks_uri")
	}
	var raw json.RawMessage
	if err := k.getJSON(ctx, meta.JWKSURI, &raw); err != nil {
		return fmt.Errorf("signing keys: %w", err)
	}
	var set struct {
		Keys []struct {
			KID          string   `json:"kid"`
			Endorsements []string `json:"endorsements"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return fmt.Errorf("signing keys: %w", err)
	}
	kf, err := keyfunc.NewJWKSetJSON(raw)
	if err != nil {
		return fmt.Errorf("signing keys: %w", err)
	}
	ends := make(map[string][]string, len(set.Keys))
	for _, key := range set.Keys {
		if key.KID != "" {
			ends[key.KID] = key.Endorsements
		}
	}
	k.kf, k.endorsements, k.fetched = kf, ends, now
	return nil
}

func (k *keySet) getJSON(ctx context.Context, url string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, maxKeysBody)).Decode(into)
}
