package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
)

// OpenReadOnly opens a database that is only read: a replica that report
// queries go to (harambee serve --db-replica). Every statement through it
// that would write fails, on both engines, whatever the server behind it
// allows, so that a change never lands on a replica by mistake: a PostgreSQL
// hot standby refuses writes anyway, but a logical replica or the primary
// named twice would not.
//
// On PostgreSQL the connections start with default_transaction_read_only;
// on SQLite the file is opened with mode=ro and query_only. It applies no
// migrations: the primary does.
func OpenReadOnly(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLiteReadOnly(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, fmt.Errorf("replica %q: %w", dsn, err)
		}
		q := u.Query()
		q.Set("default_transaction_read_only", "on")
		u.RawQuery = q.Encode()
		db, err := openPostgres(ctx, u.String())
		if err != nil {
			return nil, fmt.Errorf("replica: %w", err)
		}
		return db, nil
	default:
		return nil, fmt.Errorf("replica %q: use sqlite:PATH or a postgres:// URL", dsn)
	}
}

func openSQLiteReadOnly(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("replica: empty path")
	}
	// One pool serves as reader and writer, so Exec goes to a read-only
	// connection too and fails.
	read, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(10000)&_pragma=temp_store(memory)&_pragma=cache_size(-16000)")
	if err != nil {
		return nil, fmt.Errorf("replica: open %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	if err := read.PingContext(ctx); err != nil {
		read.Close()
		return nil, fmt.Errorf("replica: open %s: %w (does the file exist?)", path, err)
	}
	return &DB{dialect: SQLite, read: read, write: read, path: path}, nil
}
