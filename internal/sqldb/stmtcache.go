package sqldb

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the read pool's prepared statements by query text, so
// that SQLite parses and plans a query once per connection instead of on
// every call: preparing was 7% of a search over a million posts, and more
// of a page made of a dozen small queries. PostgreSQL needs none: pgx
// keeps its own per connection. The least recently used statement is
// closed once the cache holds max of them (queries with lists of ids vary
// in length) and nobody is starting a query with it.
type stmtCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // of *cachedStmt, most recently used first
	byQuery map[string]*list.Element
}

type cachedStmt struct {
	query   string
	stmt    *sql.Stmt
	users   int  // queries being started with it
	evicted bool // out of the cache: closed when users drops to 0
}

func newStmtCache(max int) *stmtCache {
	return &stmtCache{max: max, order: list.New(), byQuery: map[string]*list.Element{}}
}

// query runs query on pool through its cached statement, preparing it
// first when needed.
func (c *stmtCache) query(ctx context.Context, pool *sql.DB, query string, args []any) (*sql.Rows, error) {
	cs, err := c.acquire(ctx, pool, query)
	if err != nil {
		return nil, err
	}
	// The rows keep what they need of the statement: it may be closed
	// while they are read.
	rows, err := cs.stmt.QueryContext(ctx, args...)
	c.release(cs)
	return rows, err
}

func (c *stmtCache) acquire(ctx context.Context, pool *sql.DB, query string) (*cachedStmt, error) {
	c.mu.Lock()
	if e, ok := c.byQuery[query]; ok {
		c.order.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		c.mu.Unlock()
		return cs, nil
	}
	c.mu.Unlock()
	// Prepared outside the lock: it takes a connection and parses.
	stmt, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byQuery[query]; ok { // prepared meanwhile by another caller
		stmt.Close()
		c.order.MoveToFront(e)
		cs := e.Value.(*cachedStmt)
		cs.users++
		return cs, nil
	}
	cs := &cachedStmt{query: query, stmt: stmt, users: 1}
	c.byQuery[query] = c.order.PushFront(cs)
	for c.order.Len() > c.max {
		e := c.order.Back()
		old := c.order.Remove(e).(*cachedStmt)
		delete(c.byQuery, old.query)
		old.evicted = true
		if old.users == 0 {
			old.stmt.Close()
		}
	}
	return cs, nil
}

// cached returns the cached statement for query, acquired, or nil when
// none is cached; it never prepares one. A transaction on SQLite's single
// writer connection uses it: preparing on the pool there would wait for
// the connection the transaction holds. A nil cache holds none.
func (c *stmtCache) cached(query string) *cachedStmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byQuery[query]
	if !ok {
		return nil
	}
	c.order.MoveToFront(e)
	cs := e.Value.(*cachedStmt)
	cs.users++
	return cs
}

// prepare caches statements for queries, preparing those it has not. One
// that fails is left out, to run unprepared; once ctx is done (the pool
// busy), so are the rest. A nil cache keeps none.
func (c *stmtCache) prepare(ctx context.Context, pool *sql.DB, queries []string) {
	if c == nil {
		return
	}
	for _, q := range queries {
		cs, err := c.acquire(ctx, pool, q)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			continue
		}
		c.release(cs)
	}
}

func (c *stmtCache) release(cs *cachedStmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs.users--
	if cs.evicted && cs.users == 0 {
		cs.stmt.Close()
	}
}

// len returns how many statements are cached.
func (c *stmtCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.order.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.order.Init()
	clear(c.byQuery)
}
