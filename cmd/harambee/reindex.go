package main

import (
	"context"
	"fmt"
	"time"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/search"
)

// runReindex rebuilds the search index from the records, in one
// transaction: searches keep answering from the old index until it is done.
// The index is kept up to date as records change; this is for after a
// restore, an upgrade that changes what is indexed, or any doubt.
func runReindex(ctx context.Context, env *cmdEnv) error {
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	n, err := search.Rebuild(ctx, db, func(done int) { fmt.Fprintf(env.stderr, "%d records read\n", done) })
	if err != nil {
		return fmt.Errorf("rebuild the search index: %w (the old index is unchanged)", err)
	}
	fmt.Fprintf(env.stderr, "search index rebuilt from %d records in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
