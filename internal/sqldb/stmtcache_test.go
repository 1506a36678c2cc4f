package sqldb

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestStatementCache: queries through the cache give their results while
// statements are evicted under them, from many goroutines at once, and the
// cache stays within its bound.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.stmts = newStmtCache(4)
	if _, err := db.Exec(ctx, "CREATE TABLE numbers (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 50; i++ {
		if _, err := db.Exec(ctx, "INSERT INTO numbers (n) VALUES (?)", i); err != nil {
			t.Fatal(err)
		}
	}
	// Rows still being read when their statement is evicted.
	rows, err := db.Query(ctx, "SELECT n FROM numbers ORDER BY n")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		var n int
		if err := db.QueryRow(ctx, fmt.Sprintf("SELECT n + %d FROM numbers WHERE n = ?", i), 1).Scan(&n); err != nil || n != 1+i {
			t.Fatalf("query %d: %d, %v", i, n, err)
		}
	}
	sum := 0
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		sum += n
	}
	if err := rows.Err(); err != nil || sum != 50*51/2 {
		t.Fatalf("rows read across an eviction: sum %d, %v", sum, err)
	}
	rows.Close()

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := (g*7 + i) % 12 // more queries than the cache holds
				var n int
				if err := db.QueryRow(ctx, fmt.Sprintf("SELECT n * %d FROM numbers WHERE n = ?", k), i%50+1).Scan(&n); err != nil {
					errs <- err
					return
				}
				if n != k*(i%50+1) {
					errs <- fmt.Errorf("query %d with %d: %d", k, i%50+1, n)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := db.stmts.len(); n > 4 {
		t.Errorf("%d statements cached, bound 4", n)
	}
}

// TestWriterStatementsKept: on SQLite a transaction's statements are kept
// on the writer connection once it commits, and later transactions run
// them from there, with the right results, across evictions and a change
// of the table under them.
func TestWriterStatementsKept(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "writes.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.writes = newStmtCache(3)
	if _, err := db.Exec(ctx, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	insert := func(body string) error {
		return db.InTx(ctx, func(tx *Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO notes (body) VALUES (?)", body)
			return err
		})
	}
	if err := insert("first"); err != nil {
		t.Fatal(err)
	}
	cs := db.writes.cached("INSERT INTO notes (body) VALUES (?)")
	if db.writes.len() != 1 || cs == nil {
		t.Fatalf("after a transaction: %d statements kept, want its insert", db.writes.len())
	}
	db.writes.release(cs)
	// The table changes under the kept statement: SQLite prepares it again.
	if _, err := db.Exec(ctx, "ALTER TABLE notes ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'"); err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO notes (body) VALUES (?)", "second"); err != nil {
			return err
		}
		if len(tx.unprepared) != 0 {
			t.Errorf("the kept insert prepared again: %q", tx.unprepared)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// More statements than the cache holds, each in its own transaction
	// and several in one, the kept ones evicted while in use.
	for i := 0; i < 20; i++ {
		err := db.InTx(ctx, func(tx *Tx) error {
			for j := 0; j < 3; j++ {
				var n int
				if err := tx.QueryRow(ctx, fmt.Sprintf("SELECT COUNT(*) + %d FROM notes", j)).Scan(&n); err != nil {
					return err
				}
				if n != 2+i+j {
					return fmt.Errorf("count %d + %d: %d", i, j, n)
				}
			}
			_, err := tx.Exec(ctx, fmt.Sprintf("INSERT INTO notes (body) VALUES ('note %d')", i%5))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := db.writes.len(); n > 3 {
		t.Errorf("%d statements kept, want at most 3", n)
	}
	var n int
	var extra string
	if err := db.QueryRow(ctx, "SELECT COUNT(*), MIN(extra) FROM notes").Scan(&n, &extra); err != nil || n != 22 || extra != "x" {
		t.Errorf("notes: %d, %q, %v; want 22 with the new column", n, extra, err)
	}
}
