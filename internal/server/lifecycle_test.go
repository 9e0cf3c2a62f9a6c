package server

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// holdArgs is a test job that runs until released or cancelled.
type holdArgs struct{ N int }

func (holdArgs) Kind() string { return "test_hold" }

type holdWorker struct {
	river.WorkerDefaults[holdArgs]
	started chan int
	release chan struct{}
	done    *atomic.Int64
}

func (w *holdWorker) Work(ctx context.Context, job *river.Job[holdArgs]) error {
	select {
	case w.started <- job.Args.N:
	default:
	}
	select {
	case <-w.release:
		w.done.Add(1)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func testConfig(t testing.TB, dbURL string) config.Config {
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir(), "ZOOMBRIDGE_DATABASE_URL=" + dbURL,
		"ZOOMBRIDGE_ENCRYPTION_KEY=" + strings.Repeat("ab", 32)})
	if err != nil {
		t.Fatal(err)
	}
	cfg.ShutdownTimeout = 2 * time.Second
	return cfg
}

// TestShutdownWhileJobsRunLosesNoJob stops a server while its jobs are running
// (as SIGTERM does), restarts it on the same database and sees every job complete.
func TestShutdownWhileJobsRunLosesNoJob(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		url := ""
		if d == store.Postgres {
			url = testdb.NewPostgresURL(t)
		}
		cfg := testConfig(t, url)
		const jobs = 8
		var done atomic.Int64
		start := func(release chan struct{}, started chan int) *Server {
			srv, err := Open(context.Background(), cfg, Options{
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
				ExtraWorkers: func(w *river.Workers) {
					river.AddWorker(w, &holdWorker{started: started, release: release, done: &done})
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			return srv
		}

		started := make(chan int, jobs)
		first := start(make(chan struct{}), started)
		err := first.Store.InTx(context.Background(), func(_ *store.Store, tx *sql.Tx) error {
			for i := 0; i < jobs; i++ {
				if _, err := first.Jobs.InsertTx(context.Background(), tx, holdArgs{N: i}, &river.InsertOpts{MaxAttempts: 5}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		<-started // at least one job is running: now "SIGTERM"
		ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := first.Shutdown(ctx); err != nil {
			t.Logf("shutdown: %v", err)
		}
		if done.Load() != 0 {
			t.Fatalf("%d held jobs completed before release", done.Load())
		}

		release := make(chan struct{})
		close(release)
		second := start(release, make(chan int, jobs))
		defer second.Shutdown(context.Background())
		waitFor(t, func() bool { return countJobs(t, second, "completed") == jobs })
		if got := done.Load(); got != jobs {
			t.Fatalf("workers completed %d jobs, want %d", got, jobs)
		}
	})
}

func countJobs(t *testing.T, s *Server, state string) int {
	var n int
	q := "SELECT count(*) FROM river_job WHERE kind = 'test_hold' AND state = ?"
	if s.Store.Dialect() == store.Postgres {
		q = "SELECT count(*) FROM river_job WHERE kind = 'test_hold' AND state = $1"
	}
	if err := s.Store.DB().QueryRow(q, state).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds, for at most a minute.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReadyzNeedsMigrations(t *testing.T) {
	cfg := testConfig(t, "")
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	srv, err := Open(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code := get(t, srv.URL()+"/readyz"); code != 200 {
		t.Fatalf("readyz = %d on a migrated database", code)
	}
	if _, err := srv.Store.DB().Exec("DELETE FROM schema_migrations"); err != nil {
		t.Fatal(err)
	}
	if code := get(t, srv.URL()+"/readyz"); code != 503 {
		t.Fatalf("readyz = %d with migrations pending, want 503", code)
	}
}
