package cli

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects a process's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The demo's sign-ins stay readable: by default it logs warnings only (not
// each request), and --print-sign-ins prints them again later.
func TestDemoKeepsItsSignInsInSight(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary, "demo", "--addr", "127.0.0.1:0", "--data-dir", dir, "--users", "5")
	cmd.Env = os.Environ() // no ZOOMBRIDGE_LOG_LEVEL: the demo's own default
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() { cmd.Process.Kill(); <-done }()

	var printed []string
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	for len(printed) == 0 || !strings.Contains(printed[len(printed)-1], "--print-sign-ins") {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("demo exited; printed %q; stderr:\n%s", printed, stderr.String())
			}
			printed = append(printed, l)
		case <-deadline:
			t.Fatalf("no sign-in hint within 60 s; printed %q", printed)
		}
	}
	url := listening.FindString(printed[0])
	for _, path := range []string{"/signin", "/team", "/static/app.css", "/healthz"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if strings.Contains(stderr.String(), "http request") {
		t.Errorf("the demo logs each request by default:\n%s", stderr.String())
	}

	again := exec.Command(binary, "demo", "--print-sign-ins", "--data-dir", dir)
	out, err := again.Output()
	if err != nil {
		t.Fatalf("--print-sign-ins: %v", err)
	}
	want := strings.Join(printed[:len(printed)-1], "\n") + "\n"
	if string(out) != want || !strings.Contains(want, "(Owner) with password ") {
		t.Errorf("--print-sign-ins printed\n%s\nwant\n%s", out, want)
	}
}
