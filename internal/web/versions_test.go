package web

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestContentVersions checks what a cached page is keyed by: the scope of
// its path, kept in memory until a global change, and the versions, read
// anew for every request but shared by requests that arrive while a read
// runs.
func TestContentVersions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "m@example.org", Verified: true, Profile: account.Profile{Name: "M"}})
		if err != nil {
			t.Fatal(err)
		}
		cs := community.NewStore(db)
		var cs2 [2]community.Community
		for i, slug := range []string{"one", "two"} {
			if cs2[i], err = cs.Create(ctx, community.Input{Slug: slug, Name: slug, PrimarySDG: 3}, u); err != nil {
				t.Fatal(err)
			}
		}
		one, two := cs2[0], cs2[1]
		ds := discussion.NewStore(db)
		v1, _ := cs.ViewerFor(ctx, one.ID, &u)
		th, err := ds.CreateThread(ctx, one, v1, discussion.NewThread{Title: "Where", Body: "Here."})
		if err != nil {
			t.Fatal(err)
		}
		path := "/threads/" + strconv.FormatInt(th.ID, 10)
		scopeOne, scopeTwo := "c"+strconv.FormatInt(one.ID, 10), "c"+strconv.FormatInt(two.ID, 10)

		var reads atomic.Int64
		var hold chan struct{} // when set, the next read of versions waits for it
		started := make(chan struct{}, 1)
		var holdMu sync.Mutex
		db.Observe(func(query string, _ []any) {
			if !strings.HasPrefix(query, "SELECT scope, version") {
				return
			}
			reads.Add(1)
			holdMu.Lock()
			h := hold
			hold = nil
			holdMu.Unlock()
			if h != nil {
				started <- struct{}{}
				<-h
			}
		})
		defer db.Observe(nil)

		v := newContentVersions(db)
		check := func(wantScope string, wantGlobal, wantOwn int64) {
			t.Helper()
			scope, global, own, err := v.page(ctx, path)
			if err != nil || scope != wantScope || global != wantGlobal || own != wantOwn {
				t.Fatalf("page(%s) = %s, %d, %d, %v; want %s, %d, %d", path, scope, global, own, err, wantScope, wantGlobal, wantOwn)
			}
		}
		check(scopeOne, 0, 0)
		if err := bump(ctx, db, scopeOne); err != nil {
			t.Fatal(err)
		}
		check(scopeOne, 0, 1)
		if n := reads.Load(); n != 1 {
			t.Errorf("%d reads of the versions; the scope, once known, needs one a request", n)
		}
		if _, _, _, err := v.page(ctx, "/threads/999999"); err == nil {
			t.Error("a thread that does not exist has a scope")
		}

		// The thread moves (through another instance: only the database
		// knows): the global version changes, and the scope follows.
		if _, err := db.Exec(ctx, "UPDATE threads SET community_id = ? WHERE id = ?", two.ID, th.ID); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{globalScope, scopeTwo, scopeTwo} {
			if err := bump(ctx, db, s); err != nil {
				t.Fatal(err)
			}
		}
		check(scopeTwo, 1, 2)

		// Requests that arrive while a read runs share the next one, and
		// see what was committed before they arrived.
		reads.Store(0)
		h := make(chan struct{})
		holdMu.Lock()
		hold = h
		holdMu.Unlock()
		first := make(chan error, 1)
		go func() {
			_, _, _, err := v.page(ctx, path)
			first <- err
		}()
		<-started // the first read has started
		if err := bump(ctx, db, scopeTwo); err != nil {
			t.Fatal(err)
		}
		const waiting = 8
		owns := make(chan int64, waiting)
		for range waiting {
			go func() {
				_, _, own, err := v.page(ctx, path)
				if err != nil {
					t.Error(err)
				}
				owns <- own
			}()
		}
		for {
			v.mu.Lock()
			n := 0
			if v.next != nil {
				n = v.next.requests
			}
			v.mu.Unlock()
			if n == waiting {
				break
			}
			runtime.Gosched()
		}
		close(h)
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		for range waiting {
			if own := <-owns; own != 3 {
				t.Errorf("a request that came after the change read version %d, want 3", own)
			}
		}
		if n := reads.Load(); n != 2 {
			t.Errorf("%d reads for %d requests that came during one: want 2", n, waiting+1)
		}
	})
}
