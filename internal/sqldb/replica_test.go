package sqldb_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestReadOnlyPoolRefusesWrites: a second, read-only pool on the same
// database (as --db-replica opens it) reads what the primary wrote, and
// every kind of write through it fails, leaving the data as it was.
func TestReadOnlyPoolRefusesWrites(t *testing.T) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			ctx := context.Background()
			dsn := dbtest.DSN(t, d)
			primary, err := sqldb.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer primary.Close()
			if _, err := primary.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			if _, err := primary.Exec(ctx, "INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES (?, ?, '', ?, ?)", "ana@example.org", "Ana", now, now); err != nil {
				t.Fatal(err)
			}
			replica, err := sqldb.OpenReadOnly(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer replica.Close()

			var name string
			if err := replica.QueryRow(ctx, "SELECT name FROM users WHERE email = ?", "ana@example.org").Scan(&name); err != nil || name != "Ana" {
				t.Fatalf("read through the replica: %q, %v", name, err)
			}
			writes := map[string]func() error{
				"update": func() error {
					_, err := replica.Exec(ctx, "UPDATE users SET name = ? WHERE email = ?", "Changed", "ana@example.org")
					return err
				},
				"insert returning": func() error {
					var id int64
					return replica.QueryRow(ctx, "INSERT INTO users (email, name, password_hash, created_at, updated_at) VALUES (?, ?, '', ?, ?) RETURNING id", "bo@example.org", "Bo", now, now).Scan(&id)
				},
				"delete in a transaction": func() error {
					return replica.InTx(ctx, func(tx *sqldb.Tx) error {
						_, err := tx.Exec(ctx, "DELETE FROM users")
						return err
					})
				},
				"create table": func() error {
					_, err := replica.Exec(ctx, "CREATE TABLE sneaky (id INTEGER)")
					return err
				},
			}
			for what, write := range writes {
				err := write()
				if err == nil {
					t.Errorf("%s through the replica succeeded", what)
				}
				t.Logf("%s: %v", what, err)
			}
			var n int
			if err := primary.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE name = 'Ana'").Scan(&n); err != nil || n != 1 {
				t.Errorf("after the refused writes: %d users named Ana (%v), want 1", n, err)
			}
			if err := primary.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil || n != 1 {
				t.Errorf("after the refused writes: %d users (%v), want 1", n, err)
			}
		})
	}
}

func TestOpenReadOnlyNeedsAnExistingFile(t *testing.T) {
	if _, err := sqldb.OpenReadOnly(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("a replica that does not exist was opened")
	}
	if _, err := sqldb.OpenReadOnly(context.Background(), "mysql://x"); err == nil {
		t.Error("an unknown engine was accepted")
	}
}
