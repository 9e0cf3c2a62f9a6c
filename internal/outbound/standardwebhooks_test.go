package outbound_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/outbound"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestStandardWebhooksLibraryVerifiesDeliveries hands real deliveries to the
// Standard Webhooks reference library (conformance/src/outbound.ts, npm
// standardwebhooks 1.1.1): each is accepted as sent, under the new and the
// old secret during a rotation, and rejected with its body tampered or its
// timestamp ten minutes old.
func TestStandardWebhooksLibraryVerifiesDeliveries(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs the Node conformance script")
	}
	conf, _ := filepath.Abs("../../conformance")
	if _, err := os.Stat(filepath.Join(conf, "node_modules", "standardwebhooks")); err != nil {
		t.Fatalf("conformance npm packages missing (cd conformance && npm ci): %v", err)
	}
	// `npm run build` generates the API client types the suite's other
	// scripts import, then compiles (tsc alone fails on a fresh clone).
	tsc := exec.Command("npm", "run", "--silent", "build")
	tsc.Dir = conf
	if out, err := tsc.CombinedOutput(); err != nil {
		t.Fatalf("tsc: %v\n%s", err, out)
	}

	f := newFixture(t, store.SQLite)
	ctx := context.Background()
	rcv := newReceiver(t, f.clock)
	ep, secret, err := f.svc.CreateEndpoint(ctx, f.org.ID, "test", outbound.Endpoint{URL: rcv.URL})
	must(t, err)
	now := time.Now() // the library checks timestamps against the real clock
	f.clock.Set(now)
	f.publish(t, "person.created", map[string]any{"id": 1, "name": "Zoë"})
	rcv.wait(t, 1)
	newSecret, err := f.svc.RotateSecret(ctx, f.org.ID, ep.ID, "test")
	must(t, err)
	f.publish(t, "person.updated", map[string]any{"id": 1})
	rcv.wait(t, 2)
	f.clock.Set(now.Add(-10 * time.Minute))
	f.publish(t, "person.deactivated", map[string]any{"id": 1})
	rcv.wait(t, 3)

	got := rcv.requests()
	type delivery struct {
		Name    string            `json:"name"`
		Secret  string            `json:"secret"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
	}
	byType := map[string]received{}
	for _, r := range got {
		var ev struct{ Type string }
		must(t, json.Unmarshal(r.body, &ev))
		byType[ev.Type] = r
	}
	cases := []struct {
		name, secret, event string
		asSent              string // "ok", or the start of the library's refusal
	}{
		{"signed", secret, "person.created", "ok"},
		{"rotation, new secret", newSecret, "person.updated", "ok"},
		{"rotation, old secret", secret, "person.updated", "ok"},
		{"other secret", outbound.NewSecret(), "person.created", "No matching signature"},
		{"ten minutes old", newSecret, "person.deactivated", "Message timestamp too old"},
	}
	var in strings.Builder
	for _, c := range cases {
		r := byType[c.event]
		h := map[string]string{}
		for _, k := range []string{"webhook-id", "webhook-timestamp", "webhook-signature"} {
			h[k] = r.header.Get(k)
		}
		b, _ := json.Marshal(delivery{c.name, c.secret, h, string(r.body)})
		in.Write(append(b, '\n'))
	}
	cmd := exec.Command("node", filepath.Join(conf, "dist", "outbound.js"))
	cmd.Stdin = strings.NewReader(in.String())
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for i := 0; sc.Scan(); i++ {
		var v struct{ Name, AsSent, Tampered string }
		must(t, json.Unmarshal(sc.Bytes(), &v))
		c := cases[i]
		if v.Name != c.name || !strings.HasPrefix(v.AsSent, c.asSent) {
			t.Errorf("%s: the library says %q, want %q", c.name, v.AsSent, c.asSent)
		}
		if v.Tampered == "ok" {
			t.Errorf("%s: the library accepts a tampered body", c.name)
		}
		if i == len(cases)-1 {
			return
		}
	}
	t.Fatalf("the script answered for fewer than %d deliveries:\n%s", len(cases), out)
}
