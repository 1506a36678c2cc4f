// Package dbtest hands tests a migrated database of their own, on SQLite and,
// when HARAMBEE_TEST_POSTGRES holds a URL, on PostgreSQL, so that every store
// test runs on both engines.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/sqldb"
)

// PostgresEnv names the variable that holds the PostgreSQL URL for tests.
const PostgresEnv = "HARAMBEE_TEST_POSTGRES"

// Run runs fn once per engine, as the subtests "sqlite" and "postgres", each
// with a fresh, migrated database. Without HARAMBEE_TEST_POSTGRES the
// PostgreSQL subtest is skipped, and says so.
func Run(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh, migrated database on the engine, closed and removed
// when the test ends. It skips the test for PostgreSQL when
// HARAMBEE_TEST_POSTGRES is unset.
func New(t testing.TB, d sqldb.Dialect) *sqldb.DB {
	t.Helper()
	dsn := DSN(t, d)
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	// River's tables, as harambee serve creates them at start: messages
	// and other work are enqueued in the same transaction as their cause.
	if _, err := jobs.Migrate(context.Background(), db, nil); err != nil {
		t.Fatalf("migrate the job queue of the test database: %v", err)
	}
	return db
}

// DSN returns the address of a new, empty database on the engine: a file in
// the test's temporary directory for SQLite, a schema of its own for
// PostgreSQL (dropped when the test ends).
func DSN(t testing.TB, d sqldb.Dialect) string {
	t.Helper()
	if d == sqldb.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL test skipped: set %s to a postgres:// URL to run it", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
