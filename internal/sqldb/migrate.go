package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrations live in migrations/sqlite and migrations/postgres, one numbered
// file per change in each (0001_foundation.sql), applied in order, each in its
// own transaction. A landed migration is never edited: a change is a new file.
//
//go:embed migrations
var migrationFiles embed.FS

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the migrations for the engine, in order.
func (d Dialect) Migrations() ([]Migration, error) {
	dir := path.Join("migrations", d.String())
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with its number, like 0001_name.sql", name)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion returns the number of the newest migration applied, 0 for an
// empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if err := db.ensureMigrationTable(ctx); err != nil {
		return 0, err
	}
	var v int
	err := db.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

func (db *DB) ensureMigrationTable(ctx context.Context) error {
	_, err := db.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL
	)`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

// Migrate applies every migration the database lacks and returns how many it
// applied. It refuses a database that a newer Harambee has migrated, since
// this binary would not know its tables.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	return db.MigrateTo(ctx, -1)
}

// MigrateTo applies the migrations the database lacks up to and including
// version (all of them when version is negative), so that a test can fill
// an older schema and check what a later migration does with its rows.
func (db *DB) MigrateTo(ctx context.Context, version int) (int, error) {
	migrations, err := db.dialect.Migrations()
	if err != nil {
		return 0, err
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if current > len(migrations) {
		return 0, fmt.Errorf("the database is at schema version %d but this harambee knows only %d: run a newer harambee", current, len(migrations))
	}
	applied := 0
	if version >= 0 && version < len(migrations) {
		migrations = migrations[:version]
	}
	for _, m := range migrations[min(current, len(migrations)):] {
		did, err := db.apply(ctx, m)
		if err != nil {
			return applied, err
		}
		if did {
			applied++
		}
	}
	return applied, nil
}

// apply runs one migration in its own transaction. On PostgreSQL an advisory
// lock makes instances that start together take turns; the one that comes
// second sees the migration applied and skips it.
func (db *DB) apply(ctx context.Context, m Migration) (bool, error) {
	did := false
	err := db.InTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(4261726)"); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, time.Now()); err != nil {
			return err
		}
		did = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("migration %s: %w", m.Name, err)
	}
	return did, nil
}
