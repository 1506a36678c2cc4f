package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // bad flags or arguments
)

// command is one subcommand of harambee.
type command struct {
	name    string // "user add"
	summary string
	usage   string // the arguments after the name
	flags   []string
	run     func(ctx context.Context, env *cmdEnv) error
	// configure adds flags of the command's own.
	configure func(fs *flag.FlagSet, env *cmdEnv)
	nargs     int // positional arguments required
}

// cmdEnv is what a running command has: its settings, arguments and streams.
type cmdEnv struct {
	cfg    config.Config
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger

	email, name, country, out    string
	community                    string
	format                       string
	from, to                     string
	admin, editor, passwordStdin bool
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

var commands = []*command{
	{name: "serve", summary: "run the server", flags: []string{"addr", "db", "data", "base-url", "smtp", "mail-from", "db-replica", "storage", "site-name", "trust-proxy", "max-upload", "analytics-retention"}, run: runServe},
	{name: "demo", summary: "load the demo data set into an empty database, then run the server", flags: []string{"addr", "db", "data", "base-url", "smtp", "mail-from", "site-name", "analytics-retention"}, run: runDemo},
	{name: "migrate", summary: "bring the database schema up to date", flags: []string{"db"}, run: runMigrate},
	{name: "user add", summary: "create a verified, active account (sends no e-mail)", flags: []string{"db"}, run: runUserAdd,
		configure: func(fs *flag.FlagSet, env *cmdEnv) {
			fs.StringVar(&env.email, "email", "", "e-mail address (required)")
			fs.StringVar(&env.name, "name", "", "full name (required)")
			fs.StringVar(&env.country, "country", "", "country, ISO 3166-1 alpha-2 (BR, MZ...)")
			fs.BoolVar(&env.admin, "admin", false, "make the account a site administrator")
			fs.BoolVar(&env.editor, "editor", false, "let the account edit the solutions catalogue")
			fs.BoolVar(&env.passwordStdin, "password-stdin", false, "read the password from the first line of standard input; without it the account has no password until its owner resets it")
		}},
	{name: "token create", summary: "create an API token for an account and print it", flags: []string{"db"}, run: runTokenCreate,
		configure: func(fs *flag.FlagSet, env *cmdEnv) {
			fs.StringVar(&env.email, "email", "", "e-mail address of the account (required)")
			fs.StringVar(&env.name, "name", "cli", "what the token is for")
		}},
	{name: "import members", summary: "import a community's members from a CSV file (email, name, country, organization, organization_type, position, joined_at)", usage: " FILE.csv", nargs: 1, flags: []string{"db"}, run: runImportMembers,
		configure: func(fs *flag.FlagSet, env *cmdEnv) {
			fs.StringVar(&env.community, "community", "", "slug of the community (required)")
		}},
	{name: "import solutions", summary: "import solutions from a CSV or JSON file into the catalogue; nothing is imported if any record has a problem", usage: " FILE.csv|FILE.json", nargs: 1, flags: []string{"db", "max-upload"}, run: runImportSolutions},
	{name: "export solutions", summary: "write the whole solutions catalogue to standard output, as JSON or CSV", flags: []string{"db"}, run: runExportSolutions,
		configure: func(fs *flag.FlagSet, env *cmdEnv) {
			fs.StringVar(&env.format, "format", "json", "csv or json")
		}},
	{name: "report", summary: "write a community's impact report (JSON, a ZIP of CSV tables, or the PDF annual report)", flags: []string{"db", "db-replica"}, run: runReport,
		configure: configureReport},
	{name: "backup", summary: "write a consistent copy of a SQLite database while the server runs", flags: []string{"db"}, run: runBackup,
		configure: func(fs *flag.FlagSet, env *cmdEnv) {
			fs.StringVar(&env.out, "out", "", "file to write the copy to; it must not exist (required)")
		}},
	{name: "reindex", summary: "rebuild the search index from the records (it is kept up to date as they change)", flags: []string{"db"}, run: runReindex},
	{name: "generate", summary: "fill an empty database with the reference data set of the performance work", flags: []string{"db"}, run: runGenerate, configure: configureGenerate},
	{name: "bench", summary: "load a running server with the benchmark's mix and report throughput, latency and memory", flags: []string{"db"}, run: runBench, configure: configureBench},
}

func findCommand(args []string) (*command, []string) {
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):]
		}
	}
	return nil, args
}

// run runs harambee with args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, _ := findCommand(args[1:]); c != nil {
				c.printUsage(stdout)
				return exitOK
			}
		}
		printHelp(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, rest := findCommand(args)
	if c == nil {
		fmt.Fprintf(stderr, "harambee: unknown command %q (run harambee help)\n", strings.Join(args[:min(len(args), 2)], " "))
		return exitUsage
	}
	env := &cmdEnv{cfg: config.Default(), stdin: stdin, stdout: stdout, stderr: stderr}
	if c.name == "demo" {
		env.cfg.DB = "sqlite:harambee-demo.db"
	}
	fs := flag.NewFlagSet("harambee "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env.cfg.Bind(fs, c.flags...)
	if c.configure != nil {
		c.configure(fs, env)
	}
	pos, err := parseInterleaved(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		c.printUsage(stdout)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "harambee %s: %v (run harambee %s -h)\n", c.name, err, c.name)
		return exitUsage
	}
	if len(pos) != c.nargs {
		fmt.Fprintf(stderr, "harambee %s: unexpected argument %q (run harambee %s -h)\n", c.name, strings.Join(pos, " "), c.name)
		return exitUsage
	}
	env.args = pos
	if err := env.cfg.Check(); err != nil {
		fmt.Fprintf(stderr, "harambee %s: %v\n", c.name, err)
		return exitUsage
	}
	env.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := c.run(ctx, env); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "harambee %s: %s\n", c.name, ue.msg)
			return exitUsage
		}
		fmt.Fprintf(stderr, "harambee %s: %v\n", c.name, err)
		return exitError
	}
	return exitOK
}

// parseInterleaved parses flags that stand before, between or after the
// positional arguments, as "import solutions FILE --db DSN" needs.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "harambee: communities of practice for South-South and triangular cooperation")
	fmt.Fprintln(w, "\nUsage: harambee COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun harambee COMMAND -h for the flags of a command. Every flag also reads an")
	fmt.Fprintln(w, "environment variable (HARAMBEE_DB for --db...); a flag given wins.")
}

func (c *command) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: harambee %s [flags]%s\n\n%s.\n\nFlags:\n", c.name, c.usage, strings.ToUpper(c.summary[:1])+c.summary[1:])
	env := &cmdEnv{cfg: config.Default()}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	env.cfg.Bind(fs, c.flags...)
	if c.configure != nil {
		c.configure(fs, env)
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	sort.Strings(names)
	for _, n := range names {
		f := fs.Lookup(n)
		def := ""
		if f.DefValue != "" && f.DefValue != "false" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%-12s %s%s\n", n, f.Usage, def)
	}
}

// serverMemoryLimit returns the soft limit of the Go heap of a server on
// engine d whose operator sets none (GOMEMLIMIT, which wins): the garbage
// collector works harder as the heap nears it rather than letting it grow
// to twice what is live. What a server keeps is bounded (rendered pages 32
// MB, the solutions catalogue and its memo, the statements it prepares);
// the rest is garbage of the requests in flight, which at 225 requests a
// second took the resident memory to 383 MB at scale 1 on SQLite. SQLite's
// page cache lives in the process too, beside the heap: 128 MiB kept it
// at 192-256 MB. A server on PostgreSQL keeps no database pages: without
// a limit it stayed at 260 MB, and 128 MiB cost it a fifth of its
// requests a second; with 192 MiB it served 389 a second within 213 MB.
func serverMemoryLimit(d sqldb.Dialect) int64 {
	if d == sqldb.Postgres {
		return 192 << 20
	}
	return 128 << 20
}

// limitMemory sets serverMemoryLimit unless GOMEMLIMIT is set.
func limitMemory(d sqldb.Dialect) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serverMemoryLimit(d))
	}
}

func runServe(ctx context.Context, env *cmdEnv) error {
	// A mail server URL that cannot work stops start-up before anything
	// else, as a usage error.
	if _, err := app.MailSender(env.cfg); err != nil {
		return usageError{err.Error()}
	}
	db, err := app.OpenDB(ctx, env.cfg, env.log)
	if err != nil {
		return err
	}
	defer db.Close()
	limitMemory(db.Dialect())
	return app.Run(ctx, db, env.cfg, env.log)
}

func runDemo(ctx context.Context, env *cmdEnv) error {
	if _, err := app.MailSender(env.cfg); err != nil {
		return usageError{err.Error()}
	}
	db, err := app.OpenDB(ctx, env.cfg, env.log)
	if err != nil {
		return err
	}
	defer db.Close()
	limitMemory(db.Dialect())
	loaded, err := demo.Load(ctx, db)
	if err != nil {
		return fmt.Errorf("load the demo data: %w", err)
	}
	if loaded {
		env.log.Info("demo data loaded")
	} else {
		env.log.Info("the database already has data; demo data not loaded")
	}
	fmt.Fprintf(env.stderr, "\nHarambee demo: open %s\nLog in as the demo administrator: %s / %s\n\n", env.cfg.BaseURL, demo.AdminEmail, demo.AdminPassword)
	return app.Run(ctx, db, env.cfg, env.log)
}

func runMigrate(ctx context.Context, env *cmdEnv) error {
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "database schema at version %d\n", v)
	return nil
}

func runUserAdd(ctx context.Context, env *cmdEnv) error {
	if env.email == "" || env.name == "" {
		return usageError{"--email and --name are required"}
	}
	var password string
	if env.passwordStdin {
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the password from standard input: %w", err)
		}
		password = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if password == "" {
			return usageError{"--password-stdin: standard input holds no password"}
		}
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{
		Email: env.email, Password: password, Admin: env.admin, Editor: env.editor, Verified: true,
		Profile: account.Profile{Name: env.name, Country: env.country},
	})
	if err != nil {
		return describe(err)
	}
	role := "member"
	if u.Admin {
		role = "administrator"
	}
	fmt.Fprintf(env.stderr, "created %s %d: %s <%s>\n", role, u.ID, u.Name, u.Email)
	return nil
}

func runTokenCreate(ctx context.Context, env *cmdEnv) error {
	if env.email == "" {
		return usageError{"--email is required"}
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	st := account.NewStore(db)
	u, err := st.UserByEmail(ctx, env.email)
	if err != nil {
		return fmt.Errorf("no account has the e-mail address %s (create one with harambee user add)", validation.NormalizeEmail(env.email))
	}
	_, token, err := st.CreateToken(ctx, u.ID, env.name)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, token)
	fmt.Fprintf(env.stderr, "token created for %s; it is shown only this once\n", u.Email)
	return nil
}

func runBackup(ctx context.Context, env *cmdEnv) error {
	if env.out == "" {
		return usageError{"--out is required"}
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, env.out); err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "backup written to %s\n", env.out)
	return nil
}

// describe turns a validation error into a message that names each field,
// in English: the command line's language.
func describe(err error) error {
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	l := i18n.For("en")
	var parts []string
	for _, name := range ve.Names() {
		m := ve.Fields[name]
		parts = append(parts, "--"+strings.ReplaceAll(name, "_", "-")+": "+l.T(m.Key, m.Args...))
	}
	msg := strings.Join(parts, "; ")
	if ve.Conflict {
		return errors.New(msg)
	}
	return usageError{msg}
}
