package vault

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zoombridge/zoombridge/internal/config"
)

// KeyFile is the name of the generated key inside the data directory.
const KeyFile = "encryption.key"

// Load returns the Vault for a deployment. An explicit key
// (ZOOMBRIDGE_ENCRYPTION_KEY or _FILE) always wins. Without one, a SQLite
// deployment generates a key once into DataDir/encryption.key (mode 0600) and
// reuses it on every start. PostgreSQL deployments may run several replicas
// that must share one key, and a key generated on one machine's disk would
// silently differ on the next, so there an explicit key is required.
func Load(cfg config.Config) (*Vault, error) {
	if len(cfg.EncryptionKey) > 0 {
		return New(cfg.EncryptionKey)
	}
	if cfg.DatabaseURL != "" {
		return nil, errors.New("ZOOMBRIDGE_ENCRYPTION_KEY: required with ZOOMBRIDGE_DATABASE_URL (every replica must share one key; generate one with: openssl rand -hex 32)")
	}
	key, err := loadOrCreateKey(filepath.Join(cfg.DataDir, KeyFile))
	if err != nil {
		return nil, err
	}
	return New(key)
}

// loadOrCreateKey reads the hex key at path, or creates it. The key is written
// to a temporary file and hard-linked into place, which fails if the name
// exists, so two processes starting at once cannot each keep a different key:
// the loser reads the winner's, and nobody ever reads a half-written file.
func loadOrCreateKey(path string) ([]byte, error) {
	if key, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	// CreateTemp makes the file 0600 under a unique name; it becomes the key
	// only through the Link below.
	f, err := os.CreateTemp(filepath.Dir(path), ".encryption.key.*")
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	tmp := f.Name()
	_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	// Link fails if another process created the key first; then use theirs.
	if err := os.Link(tmp, path); err != nil {
		os.Remove(tmp)
		if errors.Is(err, fs.ErrExist) {
			return readKey(path)
		}
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	os.Remove(tmp)
	return key, nil
}

func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("encryption key %s: %w", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("encryption key %s: want %d bytes as hex; the file is damaged (restoring it from backup is the only way to read existing tokens)", path, KeySize)
	}
	return key, nil
}
