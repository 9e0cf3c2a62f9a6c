package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultsNeedNoEnvironment(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Finish()
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "" || c.ZoomAPIURL != "https://api.zoom.us/v2" || c.ShutdownTimeout != 10*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
	if c.PublicURL != "http://127.0.0.1:8080" || c.ZoomRedirectURL != "http://127.0.0.1:8080/oauth/zoom/callback" {
		t.Fatalf("derived URLs: %q %q", c.PublicURL, c.ZoomRedirectURL)
	}
}

// TestOutboundRetentionTakesDays: the outbox retention is 30 days unless
// set, in days or as a duration.
func TestOutboundRetentionTakesDays(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 30 * 24 * time.Hour, "7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, " 90d ": 90 * 24 * time.Hour} {
		c, err := Load([]string{"ZOOMBRIDGE_OUTBOUND_RETENTION=" + v})
		if err != nil || c.OutboundRetention != want {
			t.Errorf("%q: %s, %v; want %s", v, c.OutboundRetention, err, want)
		}
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]string{
		"ZOOMBRIDGE_DATABASE_URL=mysql://x/y":          "ZOOMBRIDGE_DATABASE_URL",
		"ZOOMBRIDGE_DATABASE_URL=postgres://:pw@/":     "ZOOMBRIDGE_DATABASE_URL",
		"ZOOMBRIDGE_ADDR=8080":                         "ZOOMBRIDGE_ADDR",
		"ZOOMBRIDGE_JOB_WORKERS=many":                  "ZOOMBRIDGE_JOB_WORKERS",
		"ZOOMBRIDGE_JOB_WORKERS=0":                     "ZOOMBRIDGE_JOB_WORKERS",
		"ZOOMBRIDGE_SHUTDOWN_TIMEOUT=later":            "ZOOMBRIDGE_SHUTDOWN_TIMEOUT",
		"ZOOMBRIDGE_LOG_LEVEL=loud":                    "ZOOMBRIDGE_LOG_LEVEL",
		"ZOOMBRIDGE_ZOOM_API_URL=ftp://zoom":           "ZOOMBRIDGE_ZOOM_API_URL",
		"ZOOMBRIDGE_ENCRYPTION_KEY=tooshort":           "ZOOMBRIDGE_ENCRYPTION_KEY",
		"ZOOMBRIDGE_ZOOM_CLIENT_SECRET_FILE=/nonexist": "ZOOMBRIDGE_ZOOM_CLIENT_SECRET_FILE",
		"ZOOMBRIDGE_HOUSEKEEPING_INTERVAL=10ms":        "ZOOMBRIDGE_HOUSEKEEPING_INTERVAL",
		"ZOOMBRIDGE_API_RATE_LIMIT=0":                  "ZOOMBRIDGE_API_RATE_LIMIT",
		"ZOOMBRIDGE_API_RATE_LIMIT=lots":               "ZOOMBRIDGE_API_RATE_LIMIT",
		"ZOOMBRIDGE_OUTBOUND_RETENTION=a month":        "ZOOMBRIDGE_OUTBOUND_RETENTION",
		"ZOOMBRIDGE_OUTBOUND_RETENTION=xd":             "ZOOMBRIDGE_OUTBOUND_RETENTION",
		"ZOOMBRIDGE_OUTBOUND_RETENTION=0d":             "ZOOMBRIDGE_OUTBOUND_RETENTION",
		"ZOOMBRIDGE_OUTBOUND_RETENTION=10m":            "ZOOMBRIDGE_OUTBOUND_RETENTION",
	}
	for kv, name := range cases {
		_, err := Load([]string{kv})
		if err == nil || !strings.HasPrefix(err.Error(), name+":") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line starting %q", kv, err, name)
		}
	}
}

func TestDatabasePasswordIsNotEchoed(t *testing.T) {
	_, err := Load([]string{"ZOOMBRIDGE_DATABASE_URL=mysql://u:hunter2@h/db"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %v shows the password", err)
	}
}

func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("s3cret\n"), 0o600)
	key := filepath.Join(dir, "key")
	os.WriteFile(key, []byte(strings.Repeat("0f", 32)+"\n"), 0o600)
	c, err := Load([]string{"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET_FILE=" + secret, "ZOOMBRIDGE_ENCRYPTION_KEY_FILE=" + key})
	if err != nil {
		t.Fatal(err)
	}
	if c.ZoomWebhookSecret != "s3cret" || len(c.EncryptionKey) != 32 || c.EncryptionKey[0] != 0x0f {
		t.Fatalf("got secret %q key %x", c.ZoomWebhookSecret, c.EncryptionKey)
	}
	if _, err := Load([]string{"ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET=a", "ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET_FILE=" + secret}); err == nil {
		t.Fatal("both a value and a _FILE were accepted")
	}
}
