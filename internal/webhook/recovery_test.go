package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// The events acknowledged before a SIGKILL that struck while processing are
// all processed within 5 s of the restart (R18, SQLite): the sweep the dead
// process left marked running is taken up at start, not after River's
// ten-minute stuck-job rescue. Processing is slowed (a test-only knob: a
// pause before each chunk) so the kill lands mid-sweep, with events only
// that sweep covered.
func TestKillDuringProcessingRecoversWithinSecondsOfRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the zoombridge binary")
	}
	bin := binary(t)
	dataDir := t.TempDir()
	proc, url := startBinary(t, bin, binaryEnv(dataDir, "", "ZOOMBRIDGE_TEST_PROCESS_DELAY=1m"))
	st, conn := seedKillOrg(t, "", dataDir)

	const n = 800
	acked := sendBurst(t, url, n)
	if len(acked) != n {
		t.Fatalf("%d of %d deliveries acknowledged", len(acked), n)
	}
	waitRunningSweep(t, st, fmt.Sprintf("-%d", proc.Process.Pid))
	must(t, proc.Process.Signal(syscall.SIGKILL))
	proc.Wait()
	stranded := strandedAtKill(t, st, "")
	t.Logf("at the kill: %d events only the killed process's running sweep covered", stranded)

	proc, _ = startBinary(t, bin, binaryEnv(dataDir, ""))
	restarted := time.Now()
	defer func() { proc.Process.Signal(syscall.SIGTERM); proc.Wait() }()
	waitProcessed(t, st, conn, n, restarted.Add(5*time.Second))
	t.Logf("all %d processed %v after the restart", n, time.Since(restarted).Round(time.Millisecond))
}

// On PostgreSQL, with one of two replicas SIGKILLed mid-sweep and not
// restarted, the other processes every acknowledged event within 30 s. The
// slowed replica starts first and takes the sweep of the first event; the
// other starts once that sweep runs, so what only it covers is left to the
// lease rescue.
func TestReplicaKilledDuringProcessingIsRescuedByTheOther(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the zoombridge binary")
	}
	bin := binary(t)
	dbURL := testdb.NewPostgresURL(t)
	victim, url := startBinary(t, bin, binaryEnv(t.TempDir(), dbURL, "ZOOMBRIDGE_TEST_PROCESS_DELAY=1m"))
	st, conn := seedKillOrg(t, dbURL, "")

	// One event alone first: its commit queues the sweep the victim takes,
	// and no later commit's sweep reaches below it (ids only grow).
	resp, err := http.DefaultClient.Do(burstRequest(url, "first", 0))
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("first delivery: %d", resp.StatusCode)
	}
	suffix := fmt.Sprintf("-%d", victim.Process.Pid)
	waitRunningSweep(t, st, suffix)
	const n = 400
	if acked := sendBurst(t, url, n); len(acked) != n {
		t.Fatalf("%d of %d deliveries acknowledged", len(acked), n)
	}
	survivor, _ := startBinary(t, bin, binaryEnv(t.TempDir(), dbURL))
	defer func() { survivor.Process.Signal(syscall.SIGTERM); survivor.Wait() }()
	must(t, victim.Process.Signal(syscall.SIGKILL))
	victim.Wait()
	killed := time.Now()
	stranded := strandedAtKill(t, st, suffix)
	t.Logf("at the kill: %d events only the killed replica's running sweep covered", stranded)

	waitProcessed(t, st, conn, n+1, killed.Add(30*time.Second))
	t.Logf("all %d processed %v after the kill", n+1, time.Since(killed).Round(time.Millisecond))
}

// waitRunningSweep waits until a sweep is running in the process whose
// worker id ends in suffix.
func waitRunningSweep(t *testing.T, st *store.Store, suffix string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		for _, j := range sweepJobs(t, st) {
			if j.state == "running" && strings.HasSuffix(j.holder(), suffix) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no sweep started within a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type sweepJob struct {
	id, after int64
	state     string
	by        []string
}

func sweepJobs(t *testing.T, st *store.Store) []sweepJob {
	t.Helper()
	rows, err := st.DB().QueryContext(context.Background(), "SELECT id, args, state, attempted_by FROM river_job WHERE kind = 'webhook_sweep' ORDER BY id")
	must(t, err)
	defer rows.Close()
	var out []sweepJob
	for rows.Next() {
		var j sweepJob
		var args, by []byte
		must(t, rows.Scan(&j.id, &args, &j.state, &by))
		var a struct {
			AfterID int64 `json:"after_id"`
		}
		must(t, json.Unmarshal(args, &a))
		j.after = a.AfterID
		if st.Dialect() == store.Postgres { // text[]: {a,b}
			s := strings.Trim(string(by), "{}")
			if s != "" {
				j.by = strings.Split(s, ",")
			}
		} else if len(by) > 0 {
			must(t, json.Unmarshal(by, &j.by))
		}
		out = append(out, j)
	}
	must(t, rows.Err())
	return out
}

func (j sweepJob) holder() string {
	if len(j.by) == 0 {
		return ""
	}
	return j.by[len(j.by)-1]
}

// strandedAtKill counts the pending events that only a sweep left running by
// the killed process (holder ending in suffix; any on SQLite) covers: those
// no other unfinished sweep reaches. Without recovery they would wait for
// River's stuck-job rescue. It fails the test when there are none, since then
// the kill did not exercise recovery.
func strandedAtKill(t *testing.T, st *store.Store, suffix string) int {
	t.Helper()
	var low int64 = -1 // the lowest after_id of a sweep still to run elsewhere
	running := false
	for _, j := range sweepJobs(t, st) {
		switch {
		case j.state == "running" && strings.HasSuffix(j.holder(), suffix):
			running = true
		case j.state == "available" || j.state == "running" || j.state == "retryable":
			if low < 0 || j.after < low {
				low = j.after
			}
		}
	}
	if !running {
		t.Fatal("no sweep of the killed process was running: the kill did not strike mid-processing")
	}
	q := "SELECT COUNT(*) FROM webhook_inbox WHERE processed_at = 0"
	if low >= 0 {
		q += fmt.Sprintf(" AND id <= %d", low)
	}
	var n int
	must(t, st.DB().QueryRowContext(context.Background(), q).Scan(&n))
	if n == 0 {
		t.Fatal("no event was left to the killed process's sweep alone: the kill did not exercise recovery")
	}
	return n
}

// waitProcessed waits until all n events are processed into activities,
// failing at deadline.
func waitProcessed(t *testing.T, st *store.Store, conn store.Connection, n int64, deadline time.Time) {
	t.Helper()
	ctx := context.Background()
	for {
		stored, processed, err := st.InboxCounts(ctx)
		must(t, err)
		if stored != n {
			t.Fatalf("%d events acknowledged, %d stored", n, stored)
		}
		if processed == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d acknowledged events processed by the deadline", processed, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	as, err := st.ConnectionActivities(ctx, conn.ID)
	must(t, err)
	if int64(len(as)) != n {
		t.Fatalf("%d activities, want %d", len(as), n)
	}
}
