package web

import (
	"context"
	"strconv"
	"sync"

	"github.com/harambee/harambee/internal/sqldb"
)

// contentVersions tells a cached page's scope and the versions it is keyed
// by (see pagecache.go) at the cost of less than one query a request.
//
// The scope of a path (which community a thread belongs to) is kept in
// memory: it changes only when a thread moves or a record is deleted, and
// both increment the global version, which clears what is kept. The
// versions themselves are read from the database for every request, so
// that a change committed by any instance shows at once, but concurrent
// requests share one read: a request waits for a read that starts after it
// arrived (the one running may have started before and miss a change
// committed since), and every request that arrives while one read runs
// shares the next. Under load one read serves many requests; alone, a
// request costs one read, as before. Reading versions was 70% of the time
// of serving a cached page.
type contentVersions struct {
	db *sqldb.DB

	mu      sync.Mutex
	reading bool          // a read runs
	next    *versionsRead // the read that requests arriving now share; nil until one waits
	scopes  map[string]string
	global  int64 // the global version scopes were found at
}

// versionsRead is one read of the versions of the scopes its requests need.
type versionsRead struct {
	scopes   map[string]bool
	requests int // how many wait for it
	done     chan struct{}
	got      map[string]int64
	err      error
}

// maxKeptScopes bounds the scopes kept in memory: past it they are
// forgotten and found again.
const maxKeptScopes = 100_000

func newContentVersions(db *sqldb.DB) *contentVersions {
	return &contentVersions{db: db, scopes: map[string]string{}}
}

// page returns the scope of a path with the global version and that of the
// scope. err is sqldb.ErrNotFound when the path names no record.
func (v *contentVersions) page(ctx context.Context, path string) (scope string, global, own int64, err error) {
	lookup, arg, ok := scopeLookup(path)
	if !ok {
		return "", 0, 0, sqldb.ErrNotFound
	}
	if lookup == "" {
		scope = globalScope
	} else {
		v.mu.Lock()
		scope = v.scopes[path]
		v.mu.Unlock()
	}
	if scope != "" {
		got, err := v.read(ctx, scope)
		if err != nil {
			return "", 0, 0, err
		}
		v.mu.Lock()
		known := scope == globalScope || v.global == got[globalScope]
		v.mu.Unlock()
		if known {
			return scope, got[globalScope], got[scope], nil
		}
	}
	// Unknown, or kept from before a global change: the scope and both
	// versions in one query, as one snapshot.
	scope, global, own, err = pageVersions(ctx, v.db, lookup, arg)
	if err != nil {
		return "", 0, 0, err
	}
	v.mu.Lock()
	if v.global != global || len(v.scopes) >= maxKeptScopes {
		clear(v.scopes)
		v.global = global
	}
	v.scopes[path] = scope
	v.mu.Unlock()
	return scope, global, own, nil
}

// read returns the versions of the global scope and of scope, from a read
// that started after the call.
func (v *contentVersions) read(ctx context.Context, scope string) (map[string]int64, error) {
	v.mu.Lock()
	r := v.next
	if r == nil {
		r = &versionsRead{scopes: map[string]bool{globalScope: true}, done: make(chan struct{})}
		v.next = r
	}
	r.scopes[scope] = true
	r.requests++
	if !v.reading {
		// Nothing runs: this request starts the read now.
		v.reading, v.next = true, nil
		v.mu.Unlock()
		v.run(r)
	} else {
		v.mu.Unlock()
	}
	select {
	case <-r.done:
		return r.got, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run reads the versions of r's scopes, then starts the read that waited
// behind it, if any.
func (v *contentVersions) run(r *versionsRead) {
	args := make([]any, 0, len(r.scopes))
	for s := range r.scopes {
		args = append(args, s)
	}
	rows, err := v.db.Query(context.Background(), "SELECT scope, version FROM content_versions WHERE scope IN ("+sqldb.Placeholders(len(args))+")", args...)
	r.got = make(map[string]int64, len(args))
	r.err = sqldb.Each(rows, err, func(row sqldb.Scanner) error {
		var s string
		var n int64
		if err := row.Scan(&s, &n); err != nil {
			return err
		}
		r.got[s] = n
		return nil
	})
	close(r.done)
	v.mu.Lock()
	next := v.next
	v.next = nil
	v.reading = next != nil
	v.mu.Unlock()
	if next != nil {
		go v.run(next)
	}
}

// pageVersions returns the scope of a record (a query of scopeLookup) with
// the global version and that of the scope, in one query.
func pageVersions(ctx context.Context, db *sqldb.DB, lookup string, arg any) (scope string, global, own int64, err error) {
	var id int64
	err = db.QueryRow(ctx, `SELECT x.id, COALESCE((SELECT version FROM content_versions WHERE scope = '*'), 0),
			COALESCE((SELECT version FROM content_versions WHERE scope = 'c' || x.id), 0) FROM (`+lookup+`) x`, arg).
		Scan(&id, &global, &own)
	return "c" + strconv.FormatInt(id, 10), global, own, err
}
