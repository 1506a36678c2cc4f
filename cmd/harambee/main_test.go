package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// harambee runs the command line in-process and returns its exit status and
// output.
func harambee(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := harambee(t, "", "help")
	if code != 0 {
		t.Errorf("help: exit %d", code)
	}
	for _, c := range []string{"serve", "demo", "migrate", "user add", "token create", "backup"} {
		if !strings.Contains(out, c) {
			t.Errorf("help does not mention %q", c)
		}
	}
	code, out, _ = harambee(t, "", "user", "add", "-h")
	if code != 0 || !strings.Contains(out, "--password-stdin") || !strings.Contains(out, "HARAMBEE_DB") {
		t.Errorf("user add -h: exit %d\n%s", code, out)
	}
	code, out, _ = harambee(t, "", "serve", "--help")
	if code != 0 || !strings.Contains(out, "--addr") || !strings.Contains(out, "HARAMBEE_ADDR") {
		t.Errorf("serve --help: exit %d\n%s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, ""},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"serve", "--bogus"}, "bogus"},
		{[]string{"serve", "--db", "mysql://x"}, "--db"},
		{[]string{"serve", "--base-url", "not a url"}, "--base-url"},
		{[]string{"serve", "--smtp", "http://mail.example.org"}, "--smtp"},
		{[]string{"serve", "--smtp", "smtp://mail.example.org:99999"}, "--smtp"},
		{[]string{"serve", "--smtp", "smtp://mail.example.org", "--mail-from", "not an address"}, "--mail-from"},
		{[]string{"migrate", "extra"}, "unexpected argument"},
		{[]string{"user", "add", "--name", "X"}, "--email"},
		{[]string{"token", "create"}, "--email"},
		{[]string{"backup"}, "--out"},
	}
	for _, tt := range tests {
		code, out, errOut := harambee(t, "", tt.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", tt.args, code)
		}
		if len(tt.args) > 0 {
			if out != "" {
				t.Errorf("%v wrote to stdout: %q", tt.args, out)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("%v: stderr %q, want one line naming %q", tt.args, errOut, tt.want)
			}
		}
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	t.Setenv("HARAMBEE_DB", "mysql://from-env")
	code, _, errOut := harambee(t, "", "migrate")
	if code != 2 || !strings.Contains(errOut, "mysql://from-env") {
		t.Errorf("HARAMBEE_DB ignored: exit %d, %q", code, errOut)
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	if code, _, errOut := harambee(t, "", "migrate", "--db", dsn); code != 0 {
		t.Errorf("a flag does not win over the environment: exit %d, %q", code, errOut)
	}
}

func TestUserAddAndTokenCreate(t *testing.T) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			dsn := dbtest.DSN(t, d)
			code, out, errOut := harambee(t, "s3cret passphrase\nignored second line\n", "user", "add", "--email", "Admin@Example.org", "--name", "Site Admin", "--country", "mz", "--admin", "--password-stdin", "--db", dsn)
			if code != 0 || out != "" || !strings.Contains(errOut, "admin@example.org") {
				t.Fatalf("user add: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			// Flags after a positional word and the same address again.
			code, _, errOut = harambee(t, "", "user", "add", "--db", dsn, "--email", "ADMIN@example.org", "--name", "Again")
			if code != 1 || !strings.Contains(errOut, "already") {
				t.Errorf("duplicate user add: exit %d, %q", code, errOut)
			}
			code, _, errOut = harambee(t, "", "user", "add", "--db", dsn, "--email", "not-an-address", "--name", "X", "--country", "XX")
			if code != 2 || !strings.Contains(errOut, "--email") || !strings.Contains(errOut, "--country") {
				t.Errorf("invalid user add: exit %d, %q", code, errOut)
			}

			db, err := sqldb.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			svc := &account.Service{DB: db}
			u, err := svc.Login(context.Background(), "admin@example.org", "s3cret passphrase", "127.0.0.1")
			if err != nil || !u.Admin || !u.Verified() || u.Country != "MZ" {
				t.Errorf("log in as the created admin: %v, %+v", err, u)
			}

			code, out, errOut = harambee(t, "", "token", "create", "--email", "ADMIN@example.org", "--db", dsn)
			if code != 0 {
				t.Fatalf("token create: exit %d, %q", code, errOut)
			}
			lines := strings.Split(out, "\n")
			if len(lines) != 2 || lines[1] != "" || !strings.HasPrefix(lines[0], "hmb_") {
				t.Fatalf("token create stdout %q, want the token alone on one line", out)
			}
			if tu, err := account.NewStore(db).TokenUser(context.Background(), lines[0]); err != nil || tu.ID != u.ID {
				t.Errorf("the printed token does not open the account: %v", err)
			}
			code, out, errOut = harambee(t, "", "token", "create", "--email", "nobody@example.org", "--db", dsn)
			if code != 1 || out != "" || !strings.Contains(errOut, "nobody@example.org") {
				t.Errorf("token for an unknown address: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	if code, _, errOut := harambee(t, "", "user", "add", "--email", "a@example.org", "--name", "A", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(dir, "copy.db")
	if code, _, errOut := harambee(t, "", "backup", "--out", out, "--db", dsn); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	db, err := sqldb.Open(context.Background(), "sqlite:"+out)
	if err != nil {
		t.Fatal(err)
	}
	n, err := account.NewStore(db).CountUsers(context.Background())
	db.Close()
	if err != nil || n != 1 {
		t.Errorf("the copy has %d users (%v), want 1", n, err)
	}
	if code, _, errOut := harambee(t, "", "backup", "--out", out, "--db", dsn); code != 1 || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over an existing file: exit %d, %q", code, errOut)
	}
	if pg := os.Getenv(dbtest.PostgresEnv); pg != "" {
		code, _, errOut := harambee(t, "", "backup", "--out", filepath.Join(dir, "pg.db"), "--db", dbtest.DSN(t, sqldb.Postgres))
		if code != 1 || !strings.Contains(errOut, "pg_dump") {
			t.Errorf("backup on PostgreSQL: exit %d, %q", code, errOut)
		}
	}
}

func TestImportMembers(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "h.db")
	if code, _, errOut := harambee(t, "", "user", "add", "--email", "mgr@example.org", "--name", "Manager", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	mgr, _ := account.NewStore(db).UserByEmail(context.Background(), "mgr@example.org")
	if _, err := community.NewStore(db).Create(context.Background(), community.Input{Slug: "ssc4c", Name: "SSC4C"}, mgr); err != nil {
		t.Fatal(err)
	}
	db.Close()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("email,name,joined_at\na@example.org,A,2018-02-10\nb@example.org,B,10/02/2018\n"), 0o600)
	code, out, errOut := harambee(t, "", "import", "members", bad, "--community", "ssc4c", "--db", dsn)
	if code != 1 || out != "" || !strings.Contains(errOut, "line 3, column joined_at") || !strings.Contains(errOut, "nothing was imported") {
		t.Errorf("bad file: exit %d, stderr %q", code, errOut)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("email,name,country,organization_type,joined_at\na@example.org,A,MZ,government,2018-02-10\nb@example.org,B,BR,ngo,2018-03-01\n"), 0o600)
	code, _, errOut = harambee(t, "", "import", "members", "--db", dsn, "--community", "ssc4c", good)
	if code != 0 || !strings.Contains(errOut, "2 members added (2 new accounts, unverified)") {
		t.Errorf("good file: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := harambee(t, "", "import", "members", good, "--db", dsn); code != 2 || !strings.Contains(errOut, "--community") {
		t.Errorf("without --community: exit %d, %q", code, errOut)
	}
	if code, _, errOut := harambee(t, "", "import", "members", good, "--community", "nope", "--db", dsn); code != 1 || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown community: exit %d, %q", code, errOut)
	}
}

// TestServerMemoryLimit: a server gets a soft limit on its heap unless the
// operator set one with GOMEMLIMIT, with more room on PostgreSQL, whose
// database pages are not in the server's process.
func TestServerMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	t.Setenv("GOMEMLIMIT", "")
	for d, want := range map[sqldb.Dialect]int64{sqldb.SQLite: 128 << 20, sqldb.Postgres: 192 << 20} {
		debug.SetMemoryLimit(math.MaxInt64)
		limitMemory(d)
		if got := debug.SetMemoryLimit(-1); got != want {
			t.Errorf("%s without GOMEMLIMIT: limit %d MiB, want %d", d, got>>20, want>>20)
		}
	}

	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30) // what the runtime read from it at start
	limitMemory(sqldb.SQLite)
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("with GOMEMLIMIT=1GiB: limit %d, want the operator's", got)
	}
}
