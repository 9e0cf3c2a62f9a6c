package outbound_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/api/contracttest"
	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestKill9BetweenCommitAndDeliveryDelivers runs the real binary, commits a
// change that publishes an event (a test event through the API), SIGKILLs
// the process while the delivery's request is at the receiver unanswered,
// and checks that after a restart the event is delivered, with its webhook-id.
func TestKill9BetweenCommitAndDeliveryDelivers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the zoombridge binary")
	}
	bin := filepath.Join(t.TempDir(), "zoombridge")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/zoombridge/zoombridge/cmd/zoombridge").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		dataDir, dbURL := t.TempDir(), ""
		if d == store.Postgres {
			dbURL = testdb.NewPostgresURL(t)
		}
		env := append(os.Environ(), "ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR="+dataDir, "ZOOMBRIDGE_DATABASE_URL="+dbURL,
			"ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("cd", 32), "ZOOMBRIDGE_LOG_LEVEL=warn", "ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8")

		// The receiver holds its first request unanswered; later ones get 200.
		var mu sync.Mutex
		var ids []string
		arrived, release := make(chan struct{}, 10), make(chan struct{})
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			mu.Lock()
			ids = append(ids, r.Header.Get("webhook-id"))
			first := len(ids) == 1
			mu.Unlock()
			arrived <- struct{}{}
			if first {
				<-release
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
		defer rcv.Close()
		defer close(release)

		proc, url := startBinary(t, bin, env) // migrates
		st, err := store.Open(ctx, dbURL, filepath.Join(dataDir, "zoombridge.db"))
		must(t, err)
		defer st.Close()
		org, err := st.CreateOrganization(ctx, "Kill", "kill", time.Now())
		must(t, err)
		key, err := api.NewKeys(st, nil).Create(ctx, people.Actor{OrgID: org.ID, Name: "test", Role: store.RoleOwner}, "kill test", api.ScopeRead, api.ScopeWrite)
		must(t, err)

		var ep struct{ ID int64 }
		call(t, url, key.Plaintext, "/api/v1/webhook-endpoints", `{"url":"`+rcv.URL+`/hook"}`, http.StatusCreated, &ep)
		var dl struct{ ID int64 }
		call(t, url, key.Plaintext, "/api/v1/webhook-endpoints/"+itoa(ep.ID)+"/test", ``, http.StatusAccepted, &dl)
		wait(t, arrived, "the first attempt")
		must(t, proc.Process.Signal(syscall.SIGKILL)) // the attempt is under way, its answer not recorded
		proc.Wait()
		got, err := st.OutboundDelivery(ctx, org.ID, dl.ID)
		must(t, err)
		if got.Status != store.DeliveryPending {
			t.Fatalf("after the kill the delivery is %s, want pending", got.Status)
		}

		proc, _ = startBinary(t, bin, env)
		defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
		wait(t, arrived, "the attempt after the restart")
		deadline := time.Now().Add(30 * time.Second)
		for got.Status != store.DeliveryDelivered {
			if time.Now().After(deadline) {
				t.Fatalf("delivery %+v not recorded as delivered", got)
			}
			time.Sleep(20 * time.Millisecond)
			got, err = st.OutboundDelivery(ctx, org.ID, dl.ID)
			must(t, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(ids) != 2 || ids[0] != ids[1] || ids[0] != got.MsgID {
			t.Fatalf("webhook-ids %v, want the delivery's %s twice", ids, got.MsgID)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// wait returns when a request arrives; the restart's lease and sweep take up to a minute.
func wait(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(90 * time.Second):
		t.Fatalf("%s never reached the receiver", what)
	}
}

// call POSTs body to the API and decodes the answer.
func call(t *testing.T, base, key, path, body string, want int, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := contracttest.Client(t).Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d %s, want %d", path, resp.StatusCode, b, want)
	}
	must(t, json.Unmarshal(b, out))
}

// startBinary runs `zoombridge serve` and returns once it listens.
func startBinary(t *testing.T, bin string, env []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	cmd.Stderr = os.Stderr
	must(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), " listening on "); ok {
			go io.Copy(io.Discard, stdout)
			return cmd, strings.Fields(rest)[0]
		}
	}
	t.Fatalf("zoombridge serve did not start: %v", sc.Err())
	return nil, ""
}
