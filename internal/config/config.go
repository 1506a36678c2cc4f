// Package config holds Harambee's settings, read from command-line flags and
// HARAMBEE_* environment variables (flags win). There is no global
// configuration: a Config is built once per command and passed down.
package config

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
)

// Config is every setting of a Harambee instance.
type Config struct {
	Addr      string // address to listen on
	DB        string // sqlite:PATH or postgres:// URL
	DBReplica string // optional read-only replica for report queries; empty means DB
	Data      string // directory for uploaded files
	Storage   string // where uploaded files go: empty for Data, or an s3:// URL
	BaseURL   string // public address of the site, for links in e-mails
	SMTP      string // smtp://user:pass@host:port; empty keeps mail in the outbox
	MailFrom  string // sender address
	SiteName  string // shown in pages and e-mails
	// TrustProxy makes the server take the client address from
	// X-Forwarded-For, as it must behind a reverse proxy or load balancer;
	// never set it when clients reach the server directly.
	TrustProxy bool
	// MaxUpload is the largest upload or import accepted, in bytes.
	MaxUpload int64
	// AnalyticsRetention is how many days raw page views are kept before
	// they are rolled up into daily totals; 0 leaves it to the
	// administrators' setting (400 days until they change it).
	AnalyticsRetention int
}

// Default returns the settings used when nothing else is given.
func Default() Config {
	return Config{
		Addr:      "127.0.0.1:8080",
		DB:        "sqlite:harambee.db",
		Data:      "data",
		SiteName:  "Harambee",
		MaxUpload: 50 << 20,
	}
}

// flagDef describes one setting: its flag, environment variable and help.
type flagDef struct {
	name, env, usage string
	bind             func(fs *flag.FlagSet, c *Config, env string, usage string)
}

func str(get func(*Config) *string) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, env, usage string) {
		p := get(c)
		if v, ok := os.LookupEnv(env); ok {
			*p = v
		}
		fs.StringVar(p, fsName(fs, env), *p, usage)
	}
}

// fsName recovers the flag name from the variable name: HARAMBEE_DB_REPLICA -> db-replica.
func fsName(_ *flag.FlagSet, env string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(env, "HARAMBEE_")), "_", "-")
}

var defs = map[string]flagDef{
	"addr":       {"addr", "HARAMBEE_ADDR", "address to listen on", str(func(c *Config) *string { return &c.Addr })},
	"db":         {"db", "HARAMBEE_DB", "database: sqlite:PATH or a postgres:// URL", str(func(c *Config) *string { return &c.DB })},
	"db-replica": {"db-replica", "HARAMBEE_DB_REPLICA", "read-only copy of the database for report queries, such as a PostgreSQL hot standby (default: --db)", str(func(c *Config) *string { return &c.DBReplica })},
	"storage":    {"storage", "HARAMBEE_STORAGE", "where uploaded files go: s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION, with credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (default: under --data)", str(func(c *Config) *string { return &c.Storage })},
	"data":       {"data", "HARAMBEE_DATA", "directory for uploaded files", str(func(c *Config) *string { return &c.Data })},
	"base-url":   {"base-url", "HARAMBEE_BASE_URL", "public address of the site, for links in e-mails (default http://ADDR)", str(func(c *Config) *string { return &c.BaseURL })},
	"smtp":       {"smtp", "HARAMBEE_SMTP", "mail server, smtp://user:pass@host:port or smtps://...; without it mail stays in the outbox", str(func(c *Config) *string { return &c.SMTP })},
	"mail-from":  {"mail-from", "HARAMBEE_MAIL_FROM", "sender address of e-mails (default harambee@ and the host of --base-url)", str(func(c *Config) *string { return &c.MailFrom })},
	"site-name":  {"site-name", "HARAMBEE_SITE_NAME", "name of the site in pages and e-mails", str(func(c *Config) *string { return &c.SiteName })},
	"trust-proxy": {"trust-proxy", "HARAMBEE_TRUST_PROXY", "take the client address from X-Forwarded-For (only behind a reverse proxy)", func(fs *flag.FlagSet, c *Config, env, usage string) {
		if v, ok := os.LookupEnv(env); ok {
			c.TrustProxy, _ = strconv.ParseBool(v)
		}
		fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, usage)
	}},
	"analytics-retention": {"analytics-retention", "HARAMBEE_ANALYTICS_RETENTION", "days raw page views are kept before they become daily totals (30-3660; default: the administrators' setting, 400 days)", func(fs *flag.FlagSet, c *Config, env, usage string) {
		if v, ok := os.LookupEnv(env); ok {
			c.AnalyticsRetention, _ = strconv.Atoi(strings.TrimSpace(v))
			if c.AnalyticsRetention == 0 && strings.TrimSpace(v) != "0" && strings.TrimSpace(v) != "" {
				c.AnalyticsRetention = -1 // refused by Check, naming the variable's value
			}
		}
		fs.IntVar(&c.AnalyticsRetention, "analytics-retention", c.AnalyticsRetention, usage)
	}},
	"max-upload": {"max-upload", "HARAMBEE_MAX_UPLOAD", "largest upload or import accepted, in megabytes", func(fs *flag.FlagSet, c *Config, env, usage string) {
		mb := c.MaxUpload >> 20
		if v, ok := os.LookupEnv(env); ok {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				mb = n
			}
		}
		fs.Func("max-upload", usage+fmt.Sprintf(" (default %d)", mb), func(s string) error {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				return fmt.Errorf("want a whole number of megabytes")
			}
			c.MaxUpload = n << 20
			return nil
		})
		c.MaxUpload = mb << 20
	}},
}

// Env returns the environment variable that a flag reads.
func Env(flagName string) string { return defs[flagName].env }

// Bind registers the named settings as flags on fs, with their environment
// variables already applied as defaults, so that a flag given on the command
// line wins.
func (c *Config) Bind(fs *flag.FlagSet, names ...string) {
	for _, n := range names {
		d, ok := defs[n]
		if !ok {
			panic("config: unknown setting " + n)
		}
		d.bind(fs, c, d.env, d.usage+" ["+d.env+"]")
	}
}

// Check validates the settings that the command uses and fills in derived
// defaults (base URL, sender address).
func (c *Config) Check() error {
	if !sqldb.ValidDSN(c.DB) {
		return fmt.Errorf("--db %q: use sqlite:PATH or a postgres:// URL", c.DB)
	}
	if c.DBReplica != "" && (!sqldb.ValidDSN(c.DBReplica) || strings.HasPrefix(c.DBReplica, "sqlite:") != strings.HasPrefix(c.DB, "sqlite:")) {
		return fmt.Errorf("--db-replica %q: use a copy of --db on the same engine (a postgres:// URL of a replica)", redact(c.DBReplica))
	}
	if c.Storage != "" {
		if _, err := storage.Open(c.Storage, "", os.Getenv); err != nil {
			return fmt.Errorf("--storage %q: %v", redact(c.Storage), err)
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--base-url %q: use an absolute http:// or https:// address", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.AnalyticsRetention == -1 {
		return fmt.Errorf("HARAMBEE_ANALYTICS_RETENTION %q: want a whole number of days, between %d and %d", os.Getenv("HARAMBEE_ANALYTICS_RETENTION"), analytics.MinRetention, analytics.MaxRetention)
	}
	if c.AnalyticsRetention != 0 && (c.AnalyticsRetention < analytics.MinRetention || c.AnalyticsRetention > analytics.MaxRetention) {
		return fmt.Errorf("--analytics-retention %d: keep raw page views between %d and %d days", c.AnalyticsRetention, analytics.MinRetention, analytics.MaxRetention)
	}
	if c.SMTP != "" {
		s, err := url.Parse(c.SMTP)
		if err != nil || (s.Scheme != "smtp" && s.Scheme != "smtps") || s.Hostname() == "" {
			return fmt.Errorf("--smtp %q: use smtp://user:pass@host:port or smtps://user:pass@host:port", c.SMTP)
		}
	}
	if c.MailFrom == "" {
		host := u.Hostname()
		if host == "" || host == "127.0.0.1" || host == "::1" {
			host = "localhost"
		}
		c.MailFrom = "harambee@" + host
	}
	return nil
}

// redact hides the password of a URL, so that an error message can show it.
func redact(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return u.Redacted()
	}
	return s
}

// Secure reports whether the site is served over HTTPS, so cookies get the
// Secure attribute.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }
