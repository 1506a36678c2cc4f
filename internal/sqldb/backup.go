package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ErrBackupUnsupported is returned by Backup on PostgreSQL, which is backed
// up with its own tools (pg_dump).
var ErrBackupUnsupported = errors.New("backup: harambee backs up SQLite databases only; for PostgreSQL use pg_dump (see the README)")

// Backup writes a consistent copy of a SQLite database to path with VACUUM
// INTO, which reads one snapshot while the server goes on writing. It refuses
// to overwrite an existing file.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return ErrBackupUnsupported
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists; choose another file or remove it first", path)
	}
	// A connection of its own: the readers refuse writes (even to another
	// file) and the writer must stay free for the running server.
	conn, err := sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
