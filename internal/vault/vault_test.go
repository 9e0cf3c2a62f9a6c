package vault_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/vault"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, vault.KeySize) }

func TestSealOpenRoundTripAndBinding(t *testing.T) {
	t.Parallel()
	v, err := vault.New(testKey(7))
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("eyJhbGciOi-access-token")
	aad := vault.AAD("zoom_connections", "access_token", "42")
	if aad != "zoom_connections.access_token:42" {
		t.Fatalf("AAD = %q", aad)
	}
	ct, err := v.Seal(secret, aad)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, secret) {
		t.Fatal("ciphertext contains the plaintext")
	}
	got, err := v.Open(ct, aad)
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	// Same plaintext twice gives different ciphertexts (fresh nonce).
	ct2, _ := v.Seal(secret, aad)
	if bytes.Equal(ct, ct2) {
		t.Fatal("two seals of the same value are identical: nonce reused")
	}
	// Moved to another row or column: refused.
	for _, other := range []string{"zoom_connections.access_token:43", "zoom_connections.refresh_token:42"} {
		if _, err := v.Open(ct, other); !errors.Is(err, vault.ErrOpen) {
			t.Errorf("Open with aad %q = %v, want ErrOpen", other, err)
		}
	}
	// Another key: refused.
	w, _ := vault.New(testKey(8))
	if _, err := w.Open(ct, aad); !errors.Is(err, vault.ErrOpen) {
		t.Errorf("Open with another key = %v, want ErrOpen", err)
	}
	// Tampered: refused.
	bad := bytes.Clone(ct)
	bad[len(bad)-1] ^= 1
	if _, err := v.Open(bad, aad); !errors.Is(err, vault.ErrOpen) {
		t.Errorf("Open tampered = %v", err)
	}
	if _, err := v.Open(ct[:5], aad); !errors.Is(err, vault.ErrOpen) {
		t.Errorf("Open truncated = %v", err)
	}
}

func TestStringHelpers(t *testing.T) {
	t.Parallel()
	v, _ := vault.New(testKey(1))
	b, err := v.SealString("", "x")
	if err != nil || b != nil {
		t.Fatalf("SealString empty = %v, %v", b, err)
	}
	b, _ = v.SealString("s3cret", "x")
	s, err := v.OpenString(b, "x")
	if err != nil || s != "s3cret" {
		t.Fatalf("OpenString = %q, %v", s, err)
	}
	if s, err := v.OpenString(nil, "x"); s != "" || err != nil {
		t.Fatalf("OpenString(nil) = %q, %v", s, err)
	}
}

func TestNewRejectsShortKey(t *testing.T) {
	t.Parallel()
	if _, err := vault.New(make([]byte, 16)); err == nil {
		t.Fatal("16-byte key accepted")
	}
}

func TestLoadGeneratesKeyOnceForSQLite(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	cfg := config.Config{DataDir: dir}
	// Several processes' worth of concurrent first starts agree on one key.
	var wg sync.WaitGroup
	vs := make([]*vault.Vault, 8)
	errs := make([]error, 8)
	for i := range vs {
		wg.Go(func() { vs[i], errs[i] = vault.Load(cfg) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Load %d: %v", i, err)
		}
	}
	ct, _ := vs[0].Seal([]byte("x"), "a")
	for i, v := range vs {
		if _, err := v.Open(ct, "a"); err != nil {
			t.Fatalf("vault %d has another key", i)
		}
	}
	path := filepath.Join(dir, vault.KeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only the key (temp files left behind?)", len(entries))
	}
	// A restart reuses it.
	again, err := vault.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.Open(ct, "a"); err != nil {
		t.Fatal("restart generated a new key: existing tokens would be unreadable")
	}
}

func TestLoadExplicitKeyWins(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := config.Config{DataDir: dir, EncryptionKey: testKey(3), DatabaseURL: "postgres://x@h/db"}
	v, err := vault.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := vault.New(testKey(3))
	ct, _ := v.Seal([]byte("x"), "a")
	if _, err := ref.Open(ct, "a"); err != nil {
		t.Fatal("explicit key not used")
	}
	if _, err := os.Stat(filepath.Join(dir, vault.KeyFile)); err == nil {
		t.Fatal("a key file was generated although a key was given")
	}
}

func TestLoadPostgresNeedsExplicitKey(t *testing.T) {
	t.Parallel()
	_, err := vault.Load(config.Config{DataDir: t.TempDir(), DatabaseURL: "postgres://x@h/db"})
	if err == nil || !strings.Contains(err.Error(), "ZOOMBRIDGE_ENCRYPTION_KEY") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want a one-line error naming ZOOMBRIDGE_ENCRYPTION_KEY", err)
	}
}

func TestLoadRejectsDamagedKeyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, vault.KeyFile), []byte(hex.EncodeToString([]byte("short"))), 0o600)
	if _, err := vault.Load(config.Config{DataDir: dir}); err == nil {
		t.Fatal("damaged key file accepted (would silently replace the key)")
	}
}

// BenchmarkSealOpen seals and opens a Zoom-sized token (about 700 bytes).
func BenchmarkSealOpen(b *testing.B) {
	v, _ := vault.New(testKey(9))
	tok := bytes.Repeat([]byte("eyJhbGciOiJIUzUxMiJ9."), 33)
	aad := vault.AAD("zoom_connections", "access_token", "42")
	b.SetBytes(int64(len(tok)))
	for b.Loop() {
		ct, err := v.Seal(tok, aad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Open(ct, aad); err != nil {
			b.Fatal(err)
		}
	}
}
