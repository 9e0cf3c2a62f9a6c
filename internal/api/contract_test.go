package api_test

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/outbound"
)

// client is an HTTP client whose answers are checked against the contract.
func client(t testing.TB) *http.Client { return contracttest.Client(t) }

// The check is real: a person with one field the document does not describe
// fails it, while the same answer without the field passes.
func TestContractRefusesAnUndescribedField(t *testing.T) {
	t.Parallel()
	person := map[string]any{"id": 1, "email": "ada@example.com", "name": "Ada", "team": "Eng", "access_level": "admin",
		"zoom_enabled": true, "active": true, "zoom_user_ids": []string{"zu-1"}, "created_at": "2026-11-02T09:00:00Z", "updated_at": "2026-11-02T09:00:00Z"}
	header := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Etag": {`"abc"`},
		"Ratelimit-Limit": {"600"}, "Ratelimit-Remaining": {"599"}, "Ratelimit-Reset": {"1"}}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:1/api/v1/people/1", nil)
	good, _ := json.Marshal(person)
	if err := contracttest.Check(req, 200, header, good); err != nil {
		t.Fatalf("a described person fails the check: %v", err)
	}
	person["password_hash"] = "x"
	bad, _ := json.Marshal(person)
	if err := contracttest.Check(req, 200, header, bad); err == nil {
		t.Fatal("a person with an undescribed field passes the check")
	}
	if err := contracttest.Check(req, 418, header, good); err == nil {
		t.Fatal("an undocumented status passes the check")
	}
	header.Del("Ratelimit-Remaining")
	if err := contracttest.Check(req, 200, header, good); err == nil {
		t.Fatal("an answer without RateLimit-Remaining passes the check")
	}

	delete(person, "password_hash")
	event := map[string]any{"type": "person.created", "timestamp": "2026-11-02T09:00:00Z", "data": person}
	good, _ = json.Marshal(event)
	if err := contracttest.CheckEvent(good); err != nil {
		t.Fatalf("a described event fails the check: %v", err)
	}
	event["extra"] = 1
	bad, _ = json.Marshal(event)
	if err := contracttest.CheckEvent(bad); err == nil {
		t.Fatal("an event with an undescribed field passes the check")
	}
}

// The webhooks section describes exactly the event types zoombridge
// publishes, and the test event.
func TestOpenAPIWebhooksAreTheEventTypes(t *testing.T) {
	t.Parallel()
	var described []string
	for name := range contracttest.Document().Webhooks {
		described = append(described, name)
	}
	published := append(slices.Clone(outbound.EventTypes), outbound.TestEventType)
	slices.Sort(described)
	slices.Sort(published)
	if !slices.Equal(described, published) {
		t.Fatalf("webhooks section %v, published event types %v", described, published)
	}
}

// kin-openapi is for tests: the binary does not link it (nor anything of
// contracttest's).
func TestTheBinaryLeavesKinOpenAPIOut(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "github.com/zoombridge/zoombridge/cmd/zoombridge").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/getkin/") || strings.HasSuffix(pkg, "/contracttest") {
			t.Errorf("the binary links %s", pkg)
		}
	}
}
