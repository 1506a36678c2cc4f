package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestReportFromReplica: harambee report --db-replica computes the report
// from the replica (here a copy taken before a member joined, so the
// figures show which database answered); the community is looked up on
// the primary.
func TestReportFromReplica(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "live.db")
	if code, _, errOut := harambee(t, "", "user", "add", "--email", "m@example.org", "--name", "M", "--db", dsn); code != 0 {
		t.Fatal(errOut)
	}
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, _ := account.NewStore(db).UserByEmail(ctx, "m@example.org")
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "health", Name: "Health", PrimarySDG: 3}, m)
	if err != nil {
		t.Fatal(err)
	}
	replica := filepath.Join(dir, "replica.db")
	if err := db.Backup(ctx, replica); err != nil {
		t.Fatal(err)
	}
	late, _ := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "late@example.org", Verified: true, Profile: account.Profile{Name: "Late"}})
	if err := community.NewStore(db).Join(ctx, c, late); err != nil {
		t.Fatal(err)
	}
	total := func(args ...string) int {
		t.Helper()
		code, out, errOut := harambee(t, "", append([]string{"report", "--community", "health", "--db", dsn}, args...)...)
		if code != 0 {
			t.Fatalf("report %v: exit %d, %s", args, code, errOut)
		}
		var rep struct{ Members struct{ Total int } }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Members.Total
	}
	if got := total(); got != 2 {
		t.Errorf("report from the primary: %d members, want 2", got)
	}
	if got := total("--db-replica", "sqlite:"+replica); got != 1 {
		t.Errorf("report from the replica: %d members, want 1 (the copy's)", got)
	}
	code, _, errOut := harambee(t, "", "report", "--community", "health", "--db", dsn, "--db-replica", "postgres://127.0.0.1/x")
	if code != 2 || !strings.Contains(errOut, "--db-replica") {
		t.Errorf("a replica on another engine: exit %d, %q", code, errOut)
	}
}

// TestScaleFlags: serve takes --storage and --db-replica and refuses a
// wrong one with a one-line usage error that hides the secret.
func TestScaleFlags(t *testing.T) {
	code, out, _ := harambee(t, "", "serve", "-h")
	for _, want := range []string{"--storage", "HARAMBEE_STORAGE", "--db-replica", "HARAMBEE_DB_REPLICA"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("serve -h lacks %s", want)
		}
	}
	if _, out, _ := harambee(t, "", "report", "-h"); !strings.Contains(out, "--db-replica") {
		t.Error("report -h lacks --db-replica")
	}
	for _, bad := range []string{"/var/files", "s3://Bucket", "s3://k:topsecret@files?endpoint=ftp://x"} {
		code, out, errOut := harambee(t, "", "serve", "--storage", bad)
		if code != 2 || out != "" || !strings.Contains(errOut, "--storage") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || strings.Contains(errOut, "topsecret") {
			t.Errorf("--storage %s: exit %d, stderr %q", bad, code, errOut)
		}
	}
	t.Setenv("HARAMBEE_STORAGE", "s3://Bad_Bucket")
	if code, _, errOut := harambee(t, "", "serve"); code != 2 || !strings.Contains(errOut, "Bad_Bucket") {
		t.Errorf("HARAMBEE_STORAGE ignored: exit %d, %q", code, errOut)
	}
}
