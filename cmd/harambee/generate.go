package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/generate"
)

// generateScale is the --scale of harambee generate.
var generateScale float64

func configureGenerate(fs *flag.FlagSet, env *cmdEnv) {
	fs.Float64Var(&generateScale, "scale", 0, "size of the data set: 1 is 200 communities, 100,000 members, 1,000,000 posts... (required; 0.01 and 0.1 are the same shape, smaller)")
}

// runGenerate fills an empty database with the reference data set of the
// performance work, then says how long each part took.
func runGenerate(ctx context.Context, env *cmdEnv) error {
	if generateScale <= 0 {
		return usageError{"--scale is required and must be above 0 (1 is the reference size)"}
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	made, err := generate.Run(ctx, db, generate.Options{Scale: generateScale, Progress: func(stage string, n int, took time.Duration) {
		fmt.Fprintf(env.stderr, "%-45s %9d records in %s\n", stage, n, took.Round(time.Millisecond))
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "generated scale %v on %s in %s: %+v\n", generateScale, db.Dialect(), time.Since(start).Round(time.Second), made)
	return nil
}
