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
