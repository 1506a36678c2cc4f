package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' FROM t WHERE a = ?", "SELECT '?' FROM t WHERE a = $1"},
		{"SELECT 'it''s ?' , ? FROM t", "SELECT 'it''s ?' , $1 FROM t"},
		{`SELECT "odd?name" FROM t WHERE x = ?`, `SELECT "odd?name" FROM t WHERE x = $1`},
		{"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"},
		{"SELECT /* a ? b */ ?", "SELECT /* a ? b */ $1"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
		{"SELECT ? /* open ?", "SELECT $1 /* open ?"},
		{"INSERT INTO t (a, b, c) VALUES (?, ?, ?)", "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)"},
	}
	for _, tt := range tests {
		if got := sqldb.Rebind(tt.in); got != tt.want {
			t.Errorf("Rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://x", "harambee.db", "sqlite:"} {
		if _, err := sqldb.Open(context.Background(), dsn); err == nil {
			t.Errorf("Open(%q) succeeded, want an error", dsn)
		}
		if sqldb.ValidDSN(dsn) {
			t.Errorf("ValidDSN(%q) = true, want false", dsn)
		}
	}
}

func TestStore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `CREATE TABLE things (id `+idType(db)+`, name TEXT NOT NULL UNIQUE, at TIMESTAMP`+tz(db)+` NOT NULL, ok BOOLEAN NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2021, 7, 14, 13, 0, 0, 123456000, time.FixedZone("BRT", -3*3600))

		t.Run("insert returning and read back", func(t *testing.T) {
			var id int64
			if err := db.QueryRow(ctx, "INSERT INTO things (name, at, ok) VALUES (?, ?, ?) RETURNING id", "a", at, true).Scan(&id); err != nil {
				t.Fatal(err)
			}
			var got time.Time
			var ok bool
			if err := db.QueryRow(ctx, "SELECT at, ok FROM things WHERE id = ?", id).Scan(&got, &ok); err != nil {
				t.Fatal(err)
			}
			if !got.Equal(at) || !ok {
				t.Errorf("got %v %v, want %v true", got, ok, at)
			}
		})
		t.Run("missing row is ErrNotFound", func(t *testing.T) {
			var name string
			err := db.QueryRow(ctx, "SELECT name FROM things WHERE id = ?", 999).Scan(&name)
			if !errors.Is(err, sqldb.ErrNotFound) {
				t.Errorf("got %v, want ErrNotFound", err)
			}
		})
		t.Run("duplicate is ErrConflict", func(t *testing.T) {
			_, err := db.Exec(ctx, "INSERT INTO things (name, at, ok) VALUES (?, ?, ?)", "a", at, false)
			if !errors.Is(err, sqldb.ErrConflict) {
				t.Errorf("got %v, want ErrConflict", err)
			}
		})
		t.Run("times compare as times", func(t *testing.T) {
			var n int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM things WHERE at > ? AND at < ?", at.Add(-time.Microsecond), at.Add(time.Second)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("got %d rows in range, want 1", n)
			}
			var month string
			if err := db.QueryRow(ctx, "SELECT "+db.Dialect().Month("at")+" FROM things").Scan(&month); err != nil {
				t.Fatal(err)
			}
			if month != "2021-07" {
				t.Errorf("month = %q, want 2021-07", month)
			}
		})
		t.Run("rollback on error", func(t *testing.T) {
			boom := errors.New("boom")
			err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				if _, err := tx.Exec(ctx, "INSERT INTO things (name, at, ok) VALUES (?, ?, ?)", "b", at, false); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("got %v, want boom", err)
			}
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM things WHERE name = 'b'").Scan(&n)
			if n != 0 {
				t.Errorf("rolled back row is there")
			}
		})
		t.Run("concurrent writers all succeed", func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make(chan error, 40)
			for i := range 40 {
				wg.Go(func() {
					errs <- db.InTx(ctx, func(tx *sqldb.Tx) error {
						var n int
						if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM things").Scan(&n); err != nil {
							return err
						}
						_, err := tx.Exec(ctx, "INSERT INTO things (name, at, ok) VALUES (?, ?, ?)", fmt.Sprintf("c%d", i), at, true)
						return err
					})
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("concurrent write: %v", err)
				}
			}
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM things WHERE name LIKE 'c%'").Scan(&n)
			if n != 40 {
				t.Errorf("got %d rows, want 40", n)
			}
		})
	})
}

func TestMigrateIsIdempotentAndRefusesNewer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
		}
		v, _ := db.SchemaVersion(ctx)
		if _, err := db.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", v+1, "future", time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err == nil {
			t.Error("Migrate on a newer database succeeded, want an error")
		}
	})
}

func idType(db *sqldb.DB) string {
	if db.Dialect() == sqldb.Postgres {
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	}
	return "INTEGER PRIMARY KEY"
}

func tz(db *sqldb.DB) string {
	if db.Dialect() == sqldb.Postgres {
		return "TZ"
	}
	return ""
}

func TestTimeScansExpressions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `CREATE TABLE at_times (at TIMESTAMP`+tz(db)+` NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		early := time.Date(2019, 3, 1, 8, 30, 0, 0, time.UTC)
		db.Exec(ctx, "INSERT INTO at_times (at) VALUES (?), (?)", early, early.Add(48*time.Hour))
		var min, none sqldb.Time
		if err := db.QueryRow(ctx, "SELECT MIN(at) FROM at_times").Scan(&min); err != nil {
			t.Fatal(err)
		}
		if !min.Valid || !min.Time.Equal(early) {
			t.Errorf("MIN(at) = %+v, want %v", min, early)
		}
		if err := db.QueryRow(ctx, "SELECT MIN(at) FROM at_times WHERE at > ?", early.Add(1000*time.Hour)).Scan(&none); err != nil || none.Valid {
			t.Errorf("MIN over no rows = %+v, %v; want not valid", none, err)
		}
	})
}

// TestPostgresWithoutJIT: connections turn JIT compilation and parallel
// workers off unless the URL asks for them.
func TestPostgresWithoutJIT(t *testing.T) {
	db := dbtest.New(t, sqldb.Postgres)
	for setting, want := range map[string]string{"jit": "off", "max_parallel_workers_per_gather": "0"} {
		var got string
		if err := db.QueryRow(context.Background(), "SHOW "+setting).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", setting, got, want)
		}
	}
}

// TestTransactionStatements: statements a transaction runs over and over
// (kept prepared on SQLite) give the right results, also when a row of a
// query is still unread as the same query runs again, and past the number
// kept.
func TestTransactionStatements(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "CREATE TABLE tx_items (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			for i := 1; i <= 300; i++ {
				if _, err := tx.Exec(ctx, "INSERT INTO tx_items (id, v) VALUES (?, ?)", i, fmt.Sprint("v", i)); err != nil {
					return err
				}
			}
			for i := 301; i <= 400; i++ {
				var id int64
				if err := tx.QueryRow(ctx, "INSERT INTO tx_items (id, v) VALUES (?, ?) RETURNING id", i, fmt.Sprint("v", i)).Scan(&id); err != nil || id != int64(i) {
					return fmt.Errorf("returning %d: %d, %v", i, id, err)
				}
			}
			// On SQLite, the first row is read after the same query ran
			// again (PostgreSQL's connection reads one result at a time).
			if db.Dialect() == sqldb.SQLite {
				const q = "SELECT v FROM tx_items WHERE id = ?"
				first := tx.QueryRow(ctx, q, 7)
				var second, v string
				if err := tx.QueryRow(ctx, q, 8).Scan(&second); err != nil {
					return err
				}
				if err := first.Scan(&v); err != nil || v != "v7" || second != "v8" {
					return fmt.Errorf("interleaved: %q, %q, %v", v, second, err)
				}
			}
			// More distinct queries than are kept.
			for n := 1; n <= 150; n++ {
				args := make([]any, n)
				for i := range args {
					args[i] = i + 1
				}
				var count int
				if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM tx_items WHERE id IN ("+sqldb.Placeholders(n)+")", args...).Scan(&count); err != nil || count != n {
					return fmt.Errorf("%d ids: %d, %v", n, count, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM tx_items").Scan(&n); err != nil || n != 400 {
			t.Errorf("%d rows after commit, %v", n, err)
		}
	})
}

// TestBeforeCommit checks that work deferred to the commit runs once per
// key, after the transaction's own work and before it is committed, that
// deferred work may defer more, that its error rolls everything back, and
// that the transaction keeps one value per key (Local).
func TestBeforeCommit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "CREATE TABLE tallies (name TEXT PRIMARY KEY, n BIGINT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "CREATE TABLE entries (id BIGINT PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		// tally counts the entries, as a summary of the transaction's rows.
		tally := func(tx *sqldb.Tx, name string) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := tx.Exec(ctx, `INSERT INTO tallies (name, n) SELECT ?, COUNT(*) FROM entries WHERE TRUE
					ON CONFLICT (name) DO UPDATE SET n = tallies.n + 1000 * excluded.n`, name)
				return err
			}
		}
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			for i := 1; i <= 5; i++ {
				if _, err := tx.Exec(ctx, "INSERT INTO entries (id) VALUES (?)", i); err != nil {
					return err
				}
				// The transaction keeps one value per key.
				seen := tx.Local("seen", func() any { return &[]int{} }).(*[]int)
				if *seen = append(*seen, i); len(*seen) != i {
					return fmt.Errorf("entry %d: the transaction's value holds %v", i, *seen)
				}
				tx.BeforeCommit("entries", func(ctx context.Context) error {
					if err := tally(tx, "entries")(ctx); err != nil {
						return err
					}
					tx.BeforeCommit("then", tally(tx, "then"))
					return nil
				})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tallies := func() map[string]int {
			t.Helper()
			rows, err := db.Query(ctx, "SELECT name, n FROM tallies")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]int{}
			for rows.Next() {
				var name string
				var n int
				if err := rows.Scan(&name, &n); err != nil {
					t.Fatal(err)
				}
				out[name] = n
			}
			return out
		}
		// Once each, with all five entries written: a second run would
		// have added 5,000.
		if got := tallies(); got["entries"] != 5 || got["then"] != 5 || len(got) != 2 {
			t.Errorf("tallies %v, want entries 5 and then 5", got)
		}
		failed := errors.New("deferred work failed")
		err = db.InTx(ctx, func(tx *sqldb.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO entries (id) VALUES (6)"); err != nil {
				return err
			}
			tx.BeforeCommit("fails", func(context.Context) error { return failed })
			return nil
		})
		if !errors.Is(err, failed) {
			t.Fatalf("commit with failing deferred work: %v", err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM entries").Scan(&n); err != nil || n != 5 {
			t.Errorf("%d entries after a rolled-back transaction, want 5 (%v)", n, err)
		}
	})
}

// TestInsertRowsAndAtCommit checks that rows past one statement's bound on
// parameters are all written, with the clause that follows the values, and
// that work asked for at commit outside a transaction is done at once.
func TestInsertRowsAndAtCommit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "CREATE TABLE words (word TEXT PRIMARY KEY, n BIGINT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		rows := make([][]any, 1000) // 2,000 parameters: three statements
		for i := range rows {
			rows[i] = []any{fmt.Sprint("w", i%700), 1}
		}
		upsert := " ON CONFLICT (word) DO UPDATE SET n = words.n + excluded.n"
		if err := sqldb.InsertRows(ctx, db, "words", "word, n", rows[:700], upsert); err != nil {
			t.Fatal(err)
		}
		if err := sqldb.InsertRows(ctx, db, "words", "word, n", rows[700:], upsert); err != nil {
			t.Fatal(err)
		}
		var words, total int
		if err := db.QueryRow(ctx, "SELECT COUNT(*), SUM(n) FROM words").Scan(&words, &total); err != nil || words != 700 || total != 1000 {
			t.Errorf("%d words counted %d times (%v), want 700 and 1000", words, total, err)
		}
		done := false
		if err := sqldb.AtCommit(ctx, db, "now", func(context.Context, sqldb.Querier) error { done = true; return nil }); err != nil || !done {
			t.Errorf("outside a transaction: done %v, %v", done, err)
		}
	})
}
