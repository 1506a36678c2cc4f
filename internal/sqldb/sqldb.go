// Package sqldb opens the database Harambee keeps everything in (SQLite by
// default, PostgreSQL when a site grows), hides the few differences between the
// two engines, applies the embedded migrations and runs transactions.
//
// Queries are written once, with ? placeholders, in the SQL both engines
// share; sqldb rewrites the placeholders for PostgreSQL. On SQLite, reads go to
// a pool of read-only connections and writes to a single writer connection, so
// that concurrent writes queue in Go instead of failing with "database is
// locked".
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound is returned when a row that was asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write breaks a unique constraint, such as a
// second account with the same e-mail address.
var ErrConflict = errors.New("conflict")

// Querier runs queries: a *DB outside a transaction, a *Tx inside one. Stores
// hold a Querier so the same code runs in and out of transactions.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *Row
	Dialect() Dialect
}

// DB is an open database.
type DB struct {
	dialect Dialect
	read    *sql.DB // SQLite: read-only pool; PostgreSQL: the only pool
	write   *sql.DB // SQLite: one connection; PostgreSQL: same as read
	path    string  // SQLite file path, for backups and messages
	// observer, when set, is told every query run through Query and
	// QueryRow: the EXPLAIN test collects the queries of the hot pages
	// with it.
	observer atomic.Pointer[func(query string, args []any)]
	// stmts holds the read pool's prepared statements on SQLite; nil on
	// PostgreSQL.
	stmts *stmtCache
	// writes holds the statements prepared on SQLite's writer connection,
	// kept across transactions: a transaction prepared each statement it
	// ran, a quarter of the time of writing a reply (each one a parse of
	// its SQL). A transaction uses those already cached (sql.Tx.Stmt reuses
	// a statement prepared on its connection); the others are prepared on
	// the pool once the transaction is over, when the connection is free.
	// nil on PostgreSQL, whose driver keeps its own.
	writes *stmtCache
}

// Observe calls fn with every query run through Query and QueryRow, until
// Observe(nil). Tests use it; it costs one atomic load per query otherwise.
func (db *DB) Observe(fn func(query string, args []any)) {
	if fn == nil {
		db.observer.Store(nil)
		return
	}
	db.observer.Store(&fn)
}

// Open opens the database named by dsn ("sqlite:PATH" or a postgres:// URL).
// It does not apply migrations; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	default:
		return nil, fmt.Errorf("database %q: use sqlite:PATH or a postgres:// URL", dsn)
	}
}

// ValidDSN reports whether dsn names an engine Harambee can open, so that
// commands can reject a bad --db before doing anything else.
func ValidDSN(dsn string) bool {
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return p != ""
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		_, err := url.Parse(dsn)
		return err == nil
	}
	return false
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create directory: %w", err)
		}
	}
	// synchronous=FULL: a registration acknowledged is a registration kept,
	// even on power loss. busy_timeout covers the rare writer from another
	// process (a backup, the CLI while the server runs).
	//
	// Page caches: 16 MB for the writer, whose transactions touch the same
	// index pages again and again, 8 MB for each reader. The readers'
	// misses are served from the operating system's file cache; each
	// megabyte here is counted again per connection in the server's
	// memory (five connections of 16 MB each were 80 MB of the 345 MB peak
	// of the ten-minute run at scale 1).
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(memory)"
	write, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_txlock=immediate&_pragma=cache_size(-16000)&"+common)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// Open the writer first: it creates the file and switches it to WAL,
	// which the read-only connections need.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)&_pragma=cache_size(-8000)&"+common)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(0)
	read.SetConnMaxLifetime(0)
	if err := read.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &DB{dialect: SQLite, read: read, write: write, path: path, stmts: newStmtCache(stmtCacheSize), writes: newStmtCache(writeStmtCacheSize)}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	// No JIT compilation and no parallel workers unless the operator asks
	// for them in the URL. JIT: the report's groupings of a million page
	// views cross its cost threshold and spent 70 ms compiling to save less
	// (measured on PostgreSQL 16), and no query of a page is long enough to
	// gain from it. Parallel workers: a request's query that the planner
	// wrongly thinks long (a phrase, whose share it underestimates a
	// hundredfold) started two workers to walk the newest documents, 169 ms
	// where one process took 19 (a search over a million posts); the cores
	// serve other requests better.
	if u, err := url.Parse(dsn); err == nil {
		q := u.Query()
		for name, value := range map[string]string{"jit": "off", "max_parallel_workers_per_gather": "0"} {
			if !q.Has(name) {
				q.Set(name, value)
			}
		}
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(24)
	db.SetMaxIdleConns(24)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &DB{dialect: Postgres, read: db, write: db}, nil
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.stmts != nil {
		db.stmts.close()
	}
	if db.writes != nil {
		db.writes.close()
	}
	err := db.read.Close()
	if db.write != db.read {
		err = errors.Join(err, db.write.Close())
	}
	return err
}

// Dialect tells which engine this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// WriterSQL returns the pool that writes: on SQLite the single writer
// connection, on PostgreSQL the only pool. The job queue (River) works
// through it, so that on SQLite its writes queue behind ours in Go instead
// of failing with "database is locked". Queries through it bypass the
// placeholder rewriting and time conversion of Exec and Query.
func (db *DB) WriterSQL() *sql.DB { return db.write }

// Ping checks that the database answers, for /healthz.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Exec runs a statement that changes data.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.write.ExecContext(ctx, db.dialect.rewrite(query), db.dialect.args(args)...)
	return res, translate(err)
}

// Query runs a query; statements that write (INSERT ... RETURNING) go to the
// writer.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if fn := db.observer.Load(); fn != nil {
		(*fn)(query, args)
	}
	pool := db.pool(query)
	if db.stmts != nil && pool == db.read {
		rows, err := db.stmts.query(ctx, pool, query, db.dialect.args(args))
		return rows, translate(err)
	}
	rows, err := pool.QueryContext(ctx, db.dialect.rewrite(query), db.dialect.args(args)...)
	return rows, translate(err)
}

// stmtCacheSize is how many prepared statements the read pool keeps: the
// queries of every page and more, each prepared on up to four connections.
// writeStmtCacheSize is the writer's: the statements of every kind of
// change, on its one connection.
const (
	stmtCacheSize      = 400
	writeStmtCacheSize = 200
)

// QueryRow runs a query that returns at most one row.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *Row {
	rows, err := db.Query(ctx, query, args...)
	return &Row{rows: rows, err: err}
}

// pool picks the connection pool for a statement: reads go to the read pool,
// anything else to the single writer.
func (db *DB) pool(query string) *sql.DB {
	if db.read == db.write || isRead(query) {
		return db.read
	}
	return db.write
}

// isRead reports whether a statement only reads. It looks at the first
// keyword, and for WITH at whether a data-changing keyword follows.
func isRead(query string) bool {
	q := strings.TrimSpace(query)
	word, _, _ := strings.Cut(q, " ")
	switch strings.ToUpper(strings.TrimRight(word, "\n\t(")) {
	case "SELECT", "EXPLAIN", "VALUES":
		return true
	case "WITH":
		u := strings.ToUpper(q)
		return !strings.Contains(u, "INSERT ") && !strings.Contains(u, "UPDATE ") && !strings.Contains(u, "DELETE ")
	}
	return false
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling
// back otherwise. On SQLite the transaction starts with BEGIN IMMEDIATE on the
// single writer connection, so it never fails half-way for a lock.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", translate(err))
	}
	tx := &Tx{tx: sqlTx, dialect: db.dialect, writes: db.writes}
	if db.dialect == SQLite {
		tx.prepared = map[string]*txStmt{}
	}
	err = fn(tx)
	// Work deferred to the commit runs last, in the order it was asked
	// for, and may defer more.
	for i := 0; err == nil && i < len(tx.beforeCommit); i++ {
		err = tx.beforeCommit[i](ctx)
	}
	if err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	if len(tx.unprepared) > 0 {
		// Only if the writer is free within a moment: another transaction
		// may have taken it, and a request should not wait for that one
		// to end. The statements are kept after a later transaction then.
		wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), writePrepareWait)
		db.writes.prepare(wait, db.write, tx.unprepared)
		cancel()
	}
	return nil
}

// writePrepareWait is how long a transaction that committed waits for the
// writer connection to keep the statements it prepared.
const writePrepareWait = 2 * time.Millisecond

// Tx is a transaction in progress.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	// prepared holds, on SQLite, the statements this transaction ran
	// through Exec and QueryRow, by query: one that writes thousands of
	// rows (an import, the generator) runs a few statements over and over,
	// and SQLite would parse each every time (a third of the generator's
	// time for the posts). PostgreSQL's driver keeps its own per
	// connection. They close with the transaction.
	prepared map[string]*txStmt
	// writes is the writer connection's statements kept across
	// transactions (see DB.writes); unprepared the queries this
	// transaction prepared that it did not find there.
	writes     *stmtCache
	unprepared []string
	// beforeCommit is the work BeforeCommit deferred, once per key.
	beforeCommit []func(context.Context) error
	deferred     map[string]bool
	locals       map[string]any
}

// Local returns the value the transaction keeps under key, made by create
// the first time it is asked for: what the work deferred by BeforeCommit
// sums up, such as the words a batch of records added.
func (tx *Tx) Local(key string, create func() any) any {
	if v, ok := tx.locals[key]; ok {
		return v
	}
	if tx.locals == nil {
		tx.locals = map[string]any{}
	}
	v := create()
	tx.locals[key] = v
	return v
}

// BeforeCommit defers fn to the end of the transaction, just before it
// commits (and fn's error rolls it back): once per key, however often it is
// asked for. Work that sums up what the transaction changed, such as a
// count of members, is then done once for an import of thousands of rows
// instead of once per row.
func (tx *Tx) BeforeCommit(key string, fn func(ctx context.Context) error) {
	if tx.deferred[key] {
		return
	}
	if tx.deferred == nil {
		tx.deferred = map[string]bool{}
	}
	tx.deferred[key] = true
	tx.beforeCommit = append(tx.beforeCommit, fn)
}

// txStmt is a statement prepared in a transaction. A statement is one
// cursor: while a QueryRow's row is unread (open), the same query runs
// unprepared; after a Query, whose rows the caller reads at will, it stays
// open.
type txStmt struct {
	stmt *sql.Stmt
	open bool
}

// maxPrepared bounds the statements a transaction keeps: queries with lists
// of ids vary in length; past the bound, they run unprepared.
const maxPrepared = 100

// stmt returns the transaction's prepared statement for query, or nil when
// it keeps none or it is open.
func (tx *Tx) stmt(ctx context.Context, query string) (*txStmt, error) {
	if tx.prepared == nil {
		return nil, nil
	}
	if st, ok := tx.prepared[query]; ok {
		if st.open {
			return nil, nil
		}
		return st, nil
	}
	if len(tx.prepared) >= maxPrepared {
		return nil, nil
	}
	if cs := tx.writes.cached(query); cs != nil {
		// The transaction's own statement over the one kept on its
		// connection; it closes with the transaction, the kept one stays
		// open (database/sql counts it as in use until then).
		st := tx.tx.StmtContext(ctx, cs.stmt)
		tx.writes.release(cs)
		tx.prepared[query] = &txStmt{stmt: st}
		return tx.prepared[query], nil
	}
	st, err := tx.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	tx.prepared[query] = &txStmt{stmt: st}
	tx.unprepared = append(tx.unprepared, query)
	return tx.prepared[query], nil
}

// Dialect tells which engine this is.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// SQL returns the underlying transaction, so that the job queue can insert
// jobs in the same transaction as the change that causes them.
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

// Exec runs a statement inside the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = tx.dialect.rewrite(query)
	st, err := tx.stmt(ctx, query)
	if err != nil {
		return nil, translate(err)
	}
	var res sql.Result
	if st != nil {
		res, err = st.stmt.ExecContext(ctx, tx.dialect.args(args)...)
	} else {
		res, err = tx.tx.ExecContext(ctx, query, tx.dialect.args(args)...)
	}
	return res, translate(err)
}

// Query runs a query inside the transaction. Its rows are read at will, so
// a prepared statement serves the first call of a query only, and stays
// taken until the transaction ends (a statement is one cursor): that call
// is a transaction's only one in most, which write a record or a few.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := tx.dialect.rewrite(query)
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, translate(err)
	}
	if st == nil {
		rows, err := tx.tx.QueryContext(ctx, q, tx.dialect.args(args)...)
		return rows, translate(err)
	}
	st.open = true
	rows, err := st.stmt.QueryContext(ctx, tx.dialect.args(args)...)
	return rows, translate(err)
}

// QueryRow runs a query that returns at most one row inside the transaction.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *Row {
	q := tx.dialect.rewrite(query)
	st, err := tx.stmt(ctx, q)
	if err != nil {
		return &Row{err: translate(err)}
	}
	if st == nil {
		rows, err := tx.tx.QueryContext(ctx, q, tx.dialect.args(args)...)
		return &Row{rows: rows, err: translate(err)}
	}
	rows, err := st.stmt.QueryContext(ctx, tx.dialect.args(args)...)
	if err != nil {
		return &Row{err: translate(err)}
	}
	st.open = true
	return &Row{rows: rows, done: func() { st.open = false }}
}

// Row is the result of QueryRow. Unlike *sql.Row, its Scan reports a missing
// row as ErrNotFound and a broken unique constraint as ErrConflict.
type Row struct {
	rows *sql.Rows
	err  error
	done func() // when read, for a transaction's prepared statement
}

// Scan copies the row's columns into dest and closes the row.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	if r.done != nil {
		defer r.done()
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return translate(err)
		}
		return ErrNotFound
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return translate(r.rows.Close())
}

// translate turns driver errors that callers act on into ErrConflict, keeping
// the driver's message for the logs.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var sqliteErr *sqlite.Error
	if errors.As(err, &sqliteErr) {
		switch sqliteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		}
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return err
}

// Scanner is a row to scan: *sql.Rows or *Row, so that one scan function
// serves both a single row and a list.
type Scanner interface{ Scan(dest ...any) error }

// Collect reads every row with scan and closes rows. It takes Query's two
// results as they come: Collect(db.Query(...)) would need a tuple, so callers
// write rows, err := db.Query(...); Collect(rows, err, scan).
func Collect[T any](rows *sql.Rows, err error, scan func(Scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, translate(rows.Err())
}

// Each calls fn for every row and closes rows; like Collect, it takes the
// error of the query so that a call reads Each(q.Query(...), fn).
func Each(rows *sql.Rows, err error, fn func(Scanner) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// Placeholders returns "?, ?, ?" for n values, for IN lists.
func Placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Rows returns the placeholders of n rows of a multi-row VALUES list, each
// of cols values: "(?, ?), (?, ?)".
func Rows(n, cols int) string {
	row := "(" + Placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// maxRowParams bounds the parameters of one statement of InsertRows: far
// under either engine's limit.
const maxRowParams = 900

// InsertRows inserts rows, each a value per column, into table with as few
// multi-row statements as the parameter bound allows. then, when not
// empty, follows the values (an ON CONFLICT clause).
func InsertRows(ctx context.Context, q Querier, table, columns string, rows [][]any, then string) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := max(1, maxRowParams/width)
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(chunk)*width)
		for _, r := range chunk {
			args = append(args, r...)
		}
		if _, err := q.Exec(ctx, "INSERT INTO "+table+" ("+columns+") VALUES "+Rows(len(chunk), width)+then, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// AtCommit runs fn once per key as q's transaction commits (see
// Tx.BeforeCommit), or at once when q is not a transaction: work that sums
// up a change, such as a count, done once for a batch of changes.
func AtCommit(ctx context.Context, q Querier, key string, fn func(ctx context.Context, q Querier) error) error {
	if tx, ok := q.(*Tx); ok {
		tx.BeforeCommit(key, func(ctx context.Context) error { return fn(ctx, tx) })
		return nil
	}
	return fn(ctx, q)
}

// Atomic runs fn in a transaction: a new one when q is the database, the
// caller's own when q is already a transaction. Store methods that write
// several rows use it, so they are atomic whether or not their caller opened
// a transaction.
func Atomic(ctx context.Context, q Querier, fn func(tx *Tx) error) error {
	switch v := q.(type) {
	case *Tx:
		return fn(v)
	case *DB:
		return v.InTx(ctx, fn)
	}
	return fmt.Errorf("sqldb: cannot start a transaction on %T", q)
}
