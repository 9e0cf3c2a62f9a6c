package webhook_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/webhook"
)

// TestKill9AfterAckLosesNothing runs the real binary, sends a burst of
// events, SIGKILLs it right after the last 200, and checks that every
// acknowledged event is on disk and is processed after a restart.
func TestKill9AfterAckLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the zoombridge binary")
	}
	bin := binary(t)
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		dataDir, dbURL := t.TempDir(), ""
		if d == store.Postgres {
			dbURL = testdb.NewPostgresURL(t)
		}
		env := binaryEnv(dataDir, dbURL)
		ctx := context.Background()

		// First start: migrations; then an organization whose connection holds the account.
		proc, url := startBinary(t, bin, env)
		st, conn := seedKillOrg(t, dbURL, dataDir)

		const n = 60
		acked := sendBurst(t, url, n)
		must(t, proc.Process.Signal(syscall.SIGKILL)) // right after the last 200
		proc.Wait()
		if len(acked) != n {
			t.Fatalf("%d of %d deliveries acknowledged", len(acked), n)
		}
		stored, processed, err := st.InboxCounts(ctx)
		must(t, err)
		t.Logf("%s: at the kill %d events acknowledged, %d stored, %d of them processed", d, n, stored, processed)
		if stored != n {
			t.Fatalf("acknowledged %d events but %d are on disk after SIGKILL", n, stored)
		}

		proc, _ = startBinary(t, bin, env)
		defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			_, processed, err = st.InboxCounts(ctx)
			must(t, err)
			if processed == n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a minute after the restart %d of %d events are processed", processed, n)
			}
		}
		as, err := st.ConnectionActivities(ctx, conn.ID)
		must(t, err)
		if len(as) != n {
			t.Fatalf("%d activities after restart, want %d", len(as), n)
		}
	})
}

var build struct {
	once sync.Once
	bin  string
	err  error
	out  []byte
}

// binary builds the zoombridge binary once for the package's tests.
func binary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "zoombridge-webhook-test")
		if err != nil {
			build.err = err
			return
		}
		build.bin = filepath.Join(dir, "zoombridge")
		build.out, build.err = exec.Command("go", "build", "-o", build.bin, "github.com/zoombridge/zoombridge/cmd/zoombridge").CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("go build: %v\n%s", build.err, build.out)
	}
	return build.bin
}

// binaryEnv is the environment of a `zoombridge serve` on dataDir, or on the
// PostgreSQL database dbURL when it is not empty.
func binaryEnv(dataDir, dbURL string, more ...string) []string {
	return append(append(os.Environ(), "ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR="+dataDir, "ZOOMBRIDGE_DATABASE_URL="+dbURL,
		"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET="+secret, "ZOOMBRIDGE_ENCRYPTION_KEY="+strings.Repeat("cd", 32), "ZOOMBRIDGE_LOG_LEVEL=warn"), more...)
}

// seedKillOrg opens the binary's database (migrated by its first start) and
// adds an organization whose connection holds the account sendBurst uses.
func seedKillOrg(t *testing.T, dbURL, dataDir string) (*store.Store, store.Connection) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, filepath.Join(dataDir, "zoombridge.db"))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	org, err := st.CreateOrganization(ctx, "Kill", "kill", t0)
	must(t, err)
	_, err = st.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: "alice@example.com"}, t0)
	must(t, err)
	conn, err := st.CreateConnection(ctx, store.Connection{OrgID: org.ID, Kind: store.KindAccountOAuth, ZoomAccountID: "AAAAAABBBB"}, t0)
	must(t, err)
	_, err = st.UpsertZoomUser(ctx, store.ZoomUser{OrgID: org.ID, ConnectionID: conn.ID, ZoomUserID: "x1yCzABCDEfg23HiJKl4mN", Email: "alice@example.com"}, t0)
	must(t, err)
	return st, conn
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

// sendBurst posts n distinct signed meeting.ended events from 8 concurrent
// senders, each up to 20 times while it fails or is answered 503, and
// returns the ones answered 200.
func sendBurst(t *testing.T, url string, n int) []int {
	var mu sync.Mutex
	var acked []int
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				// A 503 (the server's answer when a commit would miss
				// Zoom's deadline, as on a loaded machine) is retried, as
				// Zoom does, but sooner.
				for try := 1; try <= 20; try++ {
					resp, err := http.DefaultClient.Do(burstRequest(url, "kill", i))
					if err == nil {
						resp.Body.Close()
						if resp.StatusCode == http.StatusOK {
							mu.Lock()
							acked = append(acked, i)
							mu.Unlock()
							break
						}
						if resp.StatusCode != http.StatusServiceUnavailable {
							break
						}
					}
					time.Sleep(time.Duration(try) * 50 * time.Millisecond)
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return acked
}

// burstRequest is a signed meeting.ended delivery of the meeting with uuid
// "<prefix>-<i>==", hosted by the Zoom user seedKillOrg maps.
func burstRequest(url, prefix string, i int) *http.Request {
	body := []byte(fmt.Sprintf(`{"event":"meeting.ended","event_ts":%d,"payload":{"account_id":"AAAAAABBBB","object":{"id":"%d","uuid":"%s-%d==","host_id":"x1yCzABCDEfg23HiJKl4mN","topic":"Burst %d","type":2,"start_time":"2026-11-02T08:00:00Z","end_time":"2026-11-02T08:30:00Z","duration":30}}}`, 1762070400000+i, 9000+i, prefix, i, i))
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, url+"/webhooks/zoom", bytes.NewReader(body))
	req.Header.Set(webhook.HeaderTimestamp, ts)
	req.Header.Set(webhook.HeaderSignature, webhook.Sign([]byte(secret), ts, body))
	return req
}
