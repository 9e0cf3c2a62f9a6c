// Package config reads zoombridge's configuration from ZOOMBRIDGE_* environment
// variables (secrets also from *_FILE) into one validated Config.
package config

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything a zoombridge process needs to start.
type Config struct {
	Addr        string // HTTP listen address
	DataDir     string // SQLite file, generated keys, demo state
	DatabaseURL string // postgres://... ; empty means SQLite in DataDir
	PublicURL   string // how browsers and Zoom reach this server
	LogLevel    string
	LogFormat   string // text | json

	// EncryptionKey is 32 bytes for AES-256-GCM; empty means generate one in DataDir.
	EncryptionKey []byte

	ZoomClientID      string
	ZoomClientSecret  string
	ZoomWebhookSecret string
	ZoomRedirectURL   string
	ZoomOAuthURL      string // https://zoom.us
	ZoomAPIURL        string // https://api.zoom.us/v2

	JobWorkers        int
	ShutdownTimeout   time.Duration
	HousekeepingEvery time.Duration

	// SMTPURL sends booking emails: smtp://user:password@host:587?from=ADDRESS; empty sends none.
	SMTPURL            string
	WebhookMaxInFlight int // deliveries handled at once; past it 503 at once
	APIRateLimit       int // REST API requests a minute per key

	// Test-only knobs (off by default): a slow disk and a slow processor.
	TestCommitDelay, TestProcessDelay time.Duration
	// The Microsoft Teams bot (internal/chat/teams); off while TeamsAppID is empty.
	TeamsAppID          string
	TeamsAppPassword    string
	TeamsTenantID       string
	TeamsOpenIDMetadata string // where the Bot Framework's signing keys are published
	TeamsTokenURL       string // client-credentials token endpoint; {tenant} is replaced
	// TeamsInsecureSkipAuth accepts unsigned Teams requests, for Microsoft's
	// local Teams emulator only; logged loudly when on.
	TeamsInsecureSkipAuth bool

	// WebhookAllowCIDRs are internal networks outbound webhook endpoints may
	// reach (the SSRF guard refuses them otherwise).
	WebhookAllowCIDRs []netip.Prefix
	// OutboundRetention is how long outbound webhook deliveries that finished,
	// and events none still needs, are kept.
	OutboundRetention time.Duration
}

// Var documents one environment variable, for --help and the README.
type Var struct {
	Name, Default, Help string
	Secret              bool // also read from Name_FILE
}

// Vars lists every variable Load reads, in the order they are documented.
var Vars = []Var{
	{Name: "ZOOMBRIDGE_ADDR", Default: "127.0.0.1:8080", Help: "HTTP listen address (serve)"},
	{Name: "ZOOMBRIDGE_DATA_DIR", Default: "./zoombridge-data", Help: "directory for the SQLite file and generated keys"},
	{Name: "ZOOMBRIDGE_DATABASE_URL", Default: "(SQLite in the data dir)", Help: "postgres://... to share work between replicas"},
	{Name: "ZOOMBRIDGE_PUBLIC_URL", Default: "http://ADDR", Help: "external base URL, used in OAuth redirects and links"},
	{Name: "ZOOMBRIDGE_LOG_LEVEL", Default: "info", Help: "debug, info, warn or error"},
	{Name: "ZOOMBRIDGE_LOG_FORMAT", Default: "text", Help: "text or json"},
	{Name: "ZOOMBRIDGE_ENCRYPTION_KEY", Default: "(generated in the data dir)", Help: "32 bytes, hex or base64: AES-256-GCM key for tokens and secrets", Secret: true},
	{Name: "ZOOMBRIDGE_ZOOM_CLIENT_ID", Help: "the deployment's Zoom OAuth app client id"},
	{Name: "ZOOMBRIDGE_ZOOM_CLIENT_SECRET", Help: "the deployment's Zoom OAuth app client secret", Secret: true},
	{Name: "ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET", Help: "secret token of the app's event subscription; webhooks are refused without it", Secret: true},
	{Name: "ZOOMBRIDGE_ZOOM_REDIRECT_URL", Default: "PUBLIC_URL/oauth/zoom/callback", Help: "OAuth redirect URL registered with the Zoom app"},
	{Name: "ZOOMBRIDGE_ZOOM_OAUTH_URL", Default: "https://zoom.us", Help: "Zoom OAuth host (the emulator's in tests and the demo)"},
	{Name: "ZOOMBRIDGE_ZOOM_API_URL", Default: "https://api.zoom.us/v2", Help: "Zoom REST base URL"},
	{Name: "ZOOMBRIDGE_JOB_WORKERS", Default: "10", Help: "concurrent background jobs per process"},
	{Name: "ZOOMBRIDGE_SHUTDOWN_TIMEOUT", Default: "10s", Help: "longest graceful shutdown before jobs are cancelled"},
	{Name: "ZOOMBRIDGE_HOUSEKEEPING_INTERVAL", Default: "1h", Help: "period of the housekeeping job (runs once per period across replicas)"},
	{Name: "ZOOMBRIDGE_SMTP_URL", Help: "smtp://user:password@host:587?from=ADDRESS (smtps:// for TLS from the start): sends booking emails", Secret: true},
	{Name: "ZOOMBRIDGE_API_RATE_LIMIT", Default: "600", Help: "REST API requests a minute per API key (per client address without one), per process"},
	{Name: "ZOOMBRIDGE_WEBHOOK_MAX_INFLIGHT", Default: "1024", Help: "webhook deliveries handled at once; past it 503 with Retry-After at once"},
	{Name: "ZOOMBRIDGE_TEST_COMMIT_DELAY", Default: "0", Help: "tests only: stall every webhook inbox commit this long (a slow disk)"},
	{Name: "ZOOMBRIDGE_TEST_PROCESS_DELAY", Default: "0", Help: "tests only: pause before every webhook processing chunk (a slow processor)"},
	{Name: "ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS", Help: "comma-separated networks (e.g. 10.1.0.0/16) outbound webhooks may reach though internal"},
	{Name: "ZOOMBRIDGE_OUTBOUND_RETENTION", Default: "30d", Help: "how long finished outbound webhook deliveries (the delivery log) and their events are kept, e.g. 7d or 36h"},
	{Name: "ZOOMBRIDGE_TEAMS_APP_ID", Help: "Microsoft app id of the Teams bot (Azure Bot, single tenant); the bot is off without it"},
	{Name: "ZOOMBRIDGE_TEAMS_APP_PASSWORD", Help: "client secret of that app", Secret: true},
	{Name: "ZOOMBRIDGE_TEAMS_TENANT_ID", Help: "Microsoft Entra tenant of the bot; Teams messages from other tenants are ignored"},
	{Name: "ZOOMBRIDGE_TEAMS_OPENID_METADATA_URL", Default: "https://login.botframework.com/v1/.well-known/openidconfiguration", Help: "where the Bot Framework publishes the keys that sign Teams requests"},
	{Name: "ZOOMBRIDGE_TEAMS_TOKEN_URL", Default: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token", Help: "token endpoint for the bot's replies ({tenant} is the tenant id)"},
	{Name: "ZOOMBRIDGE_TEAMS_INSECURE_SKIP_AUTH", Default: "false", Help: "accept unsigned Teams requests: only for Microsoft's local Teams emulator, never in production"},
}

// Load reads the configuration from env (KEY=VALUE pairs, as os.Environ returns).
// The first bad value stops it with an error naming the variable and the problem.
func Load(env []string) (Config, error) {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "ZOOMBRIDGE_") {
			m[k] = v
		}
	}
	r := reader{env: m}
	c := Config{
		Addr:              r.str("ZOOMBRIDGE_ADDR", "127.0.0.1:8080"),
		DataDir:           r.str("ZOOMBRIDGE_DATA_DIR", "./zoombridge-data"),
		DatabaseURL:       r.str("ZOOMBRIDGE_DATABASE_URL", ""),
		PublicURL:         r.str("ZOOMBRIDGE_PUBLIC_URL", ""),
		LogLevel:          r.str("ZOOMBRIDGE_LOG_LEVEL", "info"),
		LogFormat:         r.str("ZOOMBRIDGE_LOG_FORMAT", "text"),
		ZoomClientID:      r.str("ZOOMBRIDGE_ZOOM_CLIENT_ID", ""),
		ZoomClientSecret:  r.secret("ZOOMBRIDGE_ZOOM_CLIENT_SECRET"),
		ZoomWebhookSecret: r.secret("ZOOMBRIDGE_ZOOM_WEBHOOK_SECRET"),
		ZoomRedirectURL:   r.str("ZOOMBRIDGE_ZOOM_REDIRECT_URL", ""),
		ZoomOAuthURL:      r.str("ZOOMBRIDGE_ZOOM_OAUTH_URL", "https://zoom.us"),
		ZoomAPIURL:        r.str("ZOOMBRIDGE_ZOOM_API_URL", "https://api.zoom.us/v2"),
		JobWorkers:        r.int("ZOOMBRIDGE_JOB_WORKERS", 10),
		ShutdownTimeout:   r.duration("ZOOMBRIDGE_SHUTDOWN_TIMEOUT", 10*time.Second),
		HousekeepingEvery: r.duration("ZOOMBRIDGE_HOUSEKEEPING_INTERVAL", time.Hour),
		SMTPURL:           r.secret("ZOOMBRIDGE_SMTP_URL"),

		WebhookMaxInFlight:    r.int("ZOOMBRIDGE_WEBHOOK_MAX_INFLIGHT", 1024),
		APIRateLimit:          r.int("ZOOMBRIDGE_API_RATE_LIMIT", 600),
		TestCommitDelay:       r.duration("ZOOMBRIDGE_TEST_COMMIT_DELAY", 0),
		TestProcessDelay:      r.duration("ZOOMBRIDGE_TEST_PROCESS_DELAY", 0),
		TeamsAppID:            r.str("ZOOMBRIDGE_TEAMS_APP_ID", ""),
		TeamsAppPassword:      r.secret("ZOOMBRIDGE_TEAMS_APP_PASSWORD"),
		TeamsTenantID:         r.str("ZOOMBRIDGE_TEAMS_TENANT_ID", ""),
		TeamsOpenIDMetadata:   r.str("ZOOMBRIDGE_TEAMS_OPENID_METADATA_URL", "https://login.botframework.com/v1/.well-known/openidconfiguration"),
		TeamsTokenURL:         r.str("ZOOMBRIDGE_TEAMS_TOKEN_URL", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
		TeamsInsecureSkipAuth: r.bool("ZOOMBRIDGE_TEAMS_INSECURE_SKIP_AUTH"),
		WebhookAllowCIDRs:     r.prefixes("ZOOMBRIDGE_WEBHOOK_ALLOW_CIDRS"),
		OutboundRetention:     r.days("ZOOMBRIDGE_OUTBOUND_RETENTION", 30*24*time.Hour),
	}
	if key := r.secret("ZOOMBRIDGE_ENCRYPTION_KEY"); key != "" && r.err == nil {
		c.EncryptionKey, r.err = parseKey(key)
	}
	if r.err != nil {
		return Config{}, r.err
	}
	return c, c.Validate()
}

// Validate checks values that flags may also have set.
func (c *Config) Validate() error {
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return fmt.Errorf("ZOOMBRIDGE_DATABASE_URL: want postgres://user@host:port/db, got %q", redactURL(c.DatabaseURL))
		}
	}
	if c.DataDir == "" {
		return fmt.Errorf("ZOOMBRIDGE_DATA_DIR: must not be empty")
	}
	if _, _, err := splitHostPort(c.Addr); err != nil {
		return fmt.Errorf("ZOOMBRIDGE_ADDR: %v", err)
	}
	for name, v := range map[string]string{"ZOOMBRIDGE_ZOOM_OAUTH_URL": c.ZoomOAuthURL, "ZOOMBRIDGE_ZOOM_API_URL": c.ZoomAPIURL, "ZOOMBRIDGE_PUBLIC_URL": c.PublicURL, "ZOOMBRIDGE_ZOOM_REDIRECT_URL": c.ZoomRedirectURL,
		"ZOOMBRIDGE_TEAMS_OPENID_METADATA_URL": c.TeamsOpenIDMetadata, "ZOOMBRIDGE_TEAMS_TOKEN_URL": c.TeamsTokenURL} {
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s: want an http(s) URL, got %q", name, v)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("ZOOMBRIDGE_LOG_LEVEL: want debug, info, warn or error, got %q", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("ZOOMBRIDGE_LOG_FORMAT: want text or json, got %q", c.LogFormat)
	}
	if c.JobWorkers < 1 || c.JobWorkers > 1000 {
		return fmt.Errorf("ZOOMBRIDGE_JOB_WORKERS: want 1 to 1000, got %d", c.JobWorkers)
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("ZOOMBRIDGE_SHUTDOWN_TIMEOUT: must be positive")
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" || u.Query().Get("from") == "" {
			return fmt.Errorf("ZOOMBRIDGE_SMTP_URL: want smtp://user:password@host:587?from=ADDRESS")
		}
	}
	if c.APIRateLimit < 1 {
		return fmt.Errorf("ZOOMBRIDGE_API_RATE_LIMIT: want a positive number of requests a minute, got %d", c.APIRateLimit)
	}
	if c.WebhookMaxInFlight < 0 {
		return fmt.Errorf("ZOOMBRIDGE_WEBHOOK_MAX_INFLIGHT: want a positive number, got %d", c.WebhookMaxInFlight)
	}
	if c.HousekeepingEvery < time.Second {
		return fmt.Errorf("ZOOMBRIDGE_HOUSEKEEPING_INTERVAL: must be at least 1s")
	}
	if c.OutboundRetention < time.Hour {
		return fmt.Errorf("ZOOMBRIDGE_OUTBOUND_RETENTION: must be at least 1h, got %s", c.OutboundRetention)
	}
	return nil
}

// Finish fills values derived from others once flags have been applied.
func (c *Config) Finish() {
	if c.PublicURL == "" {
		host, port, _ := splitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.PublicURL = "http://" + host + ":" + port
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.ZoomRedirectURL == "" {
		c.ZoomRedirectURL = c.PublicURL + "/oauth/zoom/callback"
	}
}

// SQLitePath is the database file used when no DatabaseURL is set.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "zoombridge.db") }

type reader struct {
	env map[string]string
	err error
}

func (r *reader) str(name, def string) string {
	if v, ok := r.env[name]; ok {
		return strings.TrimSpace(v)
	}
	return def
}

// secret reads NAME, or the file NAME_FILE names (trailing newline trimmed).
func (r *reader) secret(name string) string {
	v, direct := r.env[name]
	path, fromFile := r.env[name+"_FILE"]
	switch {
	case direct && fromFile:
		r.fail(fmt.Errorf("%s and %s_FILE: set only one", name, name))
	case fromFile:
		b, err := os.ReadFile(path)
		if err != nil {
			r.fail(fmt.Errorf("%s_FILE: %v", name, err))
			return ""
		}
		return strings.TrimRight(string(b), "\r\n")
	}
	return v
}

func (r *reader) bool(name string) bool {
	switch v := strings.ToLower(r.str(name, "")); v {
	case "", "0", "false", "no", "off":
		return false
	case "1", "true", "yes", "on":
		return true
	default:
		r.fail(fmt.Errorf("%s: want true or false, got %q", name, v))
		return false
	}
}

func (r *reader) int(name string, def int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.fail(fmt.Errorf("%s: want a whole number, got %q", name, v))
	}
	return n
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(fmt.Errorf("%s: want a duration such as 10s or 1h, got %q", name, v))
	}
	return d
}

// days is duration that also takes whole days, such as 30d.
func (r *reader) days(name string, def time.Duration) time.Duration {
	v := r.str(name, "")
	if n, ok := strings.CutSuffix(v, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d < 0 {
			r.fail(fmt.Errorf("%s: want days such as 30d, or a duration such as 36h, got %q", name, v))
		}
		return time.Duration(d) * 24 * time.Hour
	}
	return r.duration(name, def)
}

// prefixes reads comma-separated CIDR networks.
func (r *reader) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, f := range strings.Split(r.str(name, ""), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			r.fail(fmt.Errorf("%s: want networks such as 10.1.0.0/16, got %q", name, f))
			return nil
		}
		out = append(out, p.Masked())
	}
	return out
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func parseKey(s string) ([]byte, error) {
	for _, dec := range []func(string) ([]byte, error){hex.DecodeString, base64.StdEncoding.DecodeString, base64.RawURLEncoding.DecodeString} {
		if b, err := dec(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, fmt.Errorf("ZOOMBRIDGE_ENCRYPTION_KEY: want 32 bytes as 64 hex digits or base64")
}

func splitHostPort(addr string) (string, string, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", "", fmt.Errorf("want HOST:PORT, got %q", addr)
	}
	host, port := strings.Trim(addr[:i], "[]"), addr[i+1:]
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", "", fmt.Errorf("want HOST:PORT with a port number, got %q", addr)
	}
	return host, port, nil
}

// redactURL hides a password in a database URL before it is shown.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
