package cli

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/zoombridge/zoombridge/internal/browsertest"
	"github.com/zoombridge/zoombridge/internal/jobs"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// These tests run the real binary, as an operator would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zoombridge-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "zoombridge")
	out, err := exec.Command("go", "build", "-o", binary, "github.com/zoombridge/zoombridge/cmd/zoombridge").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building zoombridge: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	browsertest.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

var key = "ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("5a", 32)

// run runs the binary to completion and returns its exit code and stderr.
func run(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() { <-ctx.Done(); cmd.Process.Kill() }()
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), stderr.String()
		}
		t.Fatal(err)
	}
	return 0, stderr.String()
}

func TestStartErrorsAreOneLineAndNonZero(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, []byte("x"), 0o600)
	cases := []struct {
		name, want string
		env        []string
	}{
		{"not a postgres url", "ZOOMBRIDGE_DATABASE_URL", []string{"ZOOMBRIDGE_DATABASE_URL=mysql://root@localhost/db", key}},
		{"postgres unreachable", "postgres 127.0.0.1:1", []string{"ZOOMBRIDGE_DATABASE_URL=postgres://nobody@127.0.0.1:1/none", key}},
		{"data dir is a file", notDir, []string{"ZOOMBRIDGE_DATA_DIR=" + notDir}},
		{"data dir under a file", "not a directory", []string{"ZOOMBRIDGE_DATA_DIR=" + filepath.Join(notDir, "sub")}},
		{"bad duration", "ZOOMBRIDGE_SHUTDOWN_TIMEOUT", []string{"ZOOMBRIDGE_SHUTDOWN_TIMEOUT=soon"}},
		{"bad key", "ZOOMBRIDGE_ENCRYPTION_KEY", []string{"ZOOMBRIDGE_ENCRYPTION_KEY=short"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, stderr := run(t, append(c.env, "ZOOMBRIDGE_ADDR=127.0.0.1:0"), "serve")
			if code == 0 {
				t.Fatal("exit code 0")
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], c.want) {
				t.Fatalf("want one line naming %q, got:\n%s", c.want, stderr)
			}
		})
	}
}

// proc is a running zoombridge process.
type proc struct {
	cmd   *exec.Cmd
	url   string
	exit  chan error
	lines chan string // stdout after the line with the URL
}

var listening = regexp.MustCompile(`(http://127\.0\.0\.1:\d+)`)

func start(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, exit: make(chan error, 1), lines: make(chan string, 100)}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := listening.FindString(sc.Text()); m != "" {
			p.url = m
			break
		}
	}
	if p.url == "" {
		cmd.Process.Kill()
		t.Fatalf("%v printed no URL", args)
	}
	go func() {
		for sc.Scan() {
			select {
			case p.lines <- sc.Text():
			default: // nobody reads them
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { p.exit <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill(); <-p.exit })
	return p
}

func (p *proc) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(p.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestDemoAnswersHealthReadyAndMetrics(t *testing.T) {
	p := start(t, []string{"ZOOMBRIDGE_LOG_LEVEL=warn"}, "demo", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	for path, want := range map[string]string{"/healthz": `"ok"`, "/readyz": `"ready"`, "/metrics": "zoombridge_http_requests_total"} {
		code, body := p.get(t, path)
		if path == "/metrics" {
			code, body = p.get(t, path) // the first scrape counts the requests before it
		}
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d %q, want 200 with %q", path, code, body, want)
		}
	}
}

func TestSIGTERMStopsGracefully(t *testing.T) {
	p := start(t, []string{key}, "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exit:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 seconds after SIGTERM")
	}
	p.exit <- nil // for the cleanup
}

// TestReplicasShareWork runs two serve processes on one PostgreSQL database.
func TestReplicasShareWork(t *testing.T) {
	url := testdb.NewPostgresURL(t)
	env := []string{key, "ZOOMBRIDGE_DATABASE_URL=" + url, "ZOOMBRIDGE_HOUSEKEEPING_INTERVAL=1s"}
	a := start(t, env, "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	b := start(t, env, "serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Jobs enqueued through either replica's queue are worked by whichever is free.
	client, err := river.NewClient(riverdatabasesql.New(db), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := client.Insert(context.Background(), jobs.HousekeepingArgs{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	pids := map[string]bool{fmt.Sprint(a.cmd.Process.Pid): true, fmt.Sprint(b.cmd.Process.Pid): true}
	waitUntil(t, func() bool {
		return count(t, db, "SELECT count(*) FROM river_job WHERE kind = 'housekeeping' AND state <> 'completed'") == 0
	})
	rows, err := db.Query("SELECT DISTINCT runner FROM housekeeping_runs")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r string
		rows.Scan(&r)
		if !pids[r[strings.LastIndex(r, "-")+1:]] {
			t.Fatalf("job run by unknown runner %q", r)
		}
	}
	rows.Close()

	// The periodic job: over several periods it runs once per period in all,
	// not once per process (that would be about twice as many runs).
	db.Exec("DELETE FROM housekeeping_runs")
	from := time.Now()
	time.Sleep(6 * time.Second)
	runs := count(t, db, "SELECT count(*) FROM housekeeping_runs")
	periods := int(time.Since(from) / time.Second)
	t.Logf("%d housekeeping runs in %d one-second periods across two replicas", runs, periods)
	// At most one per period (a busy machine may delay one past its period,
	// never double it), and it keeps running.
	if runs < 2 || runs > periods+1 {
		t.Fatalf("%d runs in %d periods: want at most one per period across both replicas, and several", runs, periods)
	}
	// And when one replica stops, the other carries on.
	a.cmd.Process.Signal(syscall.SIGTERM)
	<-a.exit
	a.exit <- nil
	if _, err := client.Insert(context.Background(), jobs.HousekeepingArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool {
		return count(t, db, "SELECT count(*) FROM river_job WHERE state NOT IN ('completed')") == 0
	})
	if code, _ := b.get(t, "/readyz"); code != 200 {
		t.Fatalf("remaining replica not ready: %d", code)
	}
}

func count(t *testing.T, db *sql.DB, q string) int {
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitUntil polls cond for at most a minute.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out after a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// line waits up to 20 seconds for a line of the process's output matching re
// and returns its first submatch (or the whole match).
func (p *proc) line(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l := <-p.lines:
			if m := re.FindStringSubmatch(l); m != nil {
				return m[len(m)-1]
			}
		case <-timeout:
			t.Fatalf("no output line matching %s", re)
		}
	}
}
