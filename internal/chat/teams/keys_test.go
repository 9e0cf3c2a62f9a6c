package teams

import (
	"context"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Keys are fetched once and reused; a token naming an unknown key refreshes
// the set at most every refreshFloor, and a day-old set is refreshed.
func TestKeysCachedAndRefreshed(t *testing.T) {
	ks := newKeyServer(t, []servedKey{{"A", []string{"msteams"}}}, "C")
	now := time.Now()
	clock := func() time.Time { return now }
	v := NewVerifier(VerifierConfig{AppID: testAppID, MetadataURL: ks.metadataURL(), Now: clock})
	claims := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": BotFrameworkIssuer, "aud": testAppID, "serviceurl": testServiceURL, "exp": now.Add(time.Hour).Unix()}
	}
	verify := func(kid string) error {
		return v.Verify(context.Background(), "Bearer "+ks.sign(t, jwt.SigningMethodRS256, kid, claims()), "msteams", testServiceURL)
	}
	for range 5 {
		if err := verify("A"); err != nil {
			t.Fatal(err)
		}
	}
	if got := ks.hits.Load(); got != 1 {
		t.Fatalf("metadata fetched %d times for 5 tokens, want 1", got)
	}
	for range 5 {
		if err := verify("C"); err == nil {
			t.Fatal("token by an unpublished key accepted")
		}
	}
	if got := ks.hits.Load(); got != 1 {
		t.Fatalf("unknown keys within %v refetched the metadata %d times, want none", refreshFloor, got-1)
	}
	now = now.Add(refreshFloor + time.Second)
	verify("C")
	if got := ks.hits.Load(); got != 2 {
		t.Fatalf("an unknown key after %v: %d fetches, want 2", refreshFloor, got)
	}
	now = now.Add(keysMaxAge + time.Second)
	if err := verify("A"); err != nil {
		t.Fatal(err)
	}
	if got := ks.hits.Load(); got != 3 {
		t.Fatalf("a day-old key set was not refreshed: %d fetches, want 3", got)
	}
}
