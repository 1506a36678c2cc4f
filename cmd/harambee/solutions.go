package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/solution"
)

// runImportSolutions imports a catalogue file. Every record is checked
// first; if any has a problem, each is listed on standard error and nothing
// is imported. Records whose url, or title and start date, match existing
// ones update them.
func runImportSolutions(ctx context.Context, env *cmdEnv) error {
	file := env.args[0]
	var format string
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		format = solution.FormatCSV
	case ".json":
		format = solution.FormatJSON
	default:
		return usageError{fmt.Sprintf("%s: name a .csv or .json file", file)}
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer f.Close()
	limit := env.cfg.MaxUpload
	if info, err := f.Stat(); err == nil && info.Size() > limit {
		return fmt.Errorf("%s is %d MB, more than the %d MB limit: split it, or raise the limit with --max-upload", file, info.Size()>>20, limit>>20)
	}
	records, err := solution.Read(bufio.NewReader(f), format, limit)
	if err != nil {
		return importFailure(file, err, limit)
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := solution.NewStore(db).Import(ctx, solution.Editor{Via: solution.ViaImport}, records)
	if err != nil {
		return importFailure(file, err, limit)
	}
	fmt.Fprintf(env.stderr, "imported %s: %d created, %d updated, %d unchanged\n", file, sum.Created, sum.Updated, sum.Unchanged)
	return nil
}

// importFailure lists the problems of a refused file, one a line, in
// English: the command line's language.
func importFailure(file string, err error, limit int64) error {
	var ie *solution.ImportError
	switch {
	case errors.As(err, &ie):
		l := i18n.For("en")
		lines := []string{fmt.Sprintf("%s was not imported; nothing was changed. Correct these problems and run the import again:", file)}
		for _, p := range ie.Problems {
			lines = append(lines, "  "+p.Describe(l))
		}
		if ie.More > 0 {
			lines = append(lines, fmt.Sprintf("  and %d more problems", ie.More))
		}
		return errors.New(strings.Join(lines, "\n"))
	case errors.Is(err, solution.ErrTooLarge):
		return fmt.Errorf("%s is larger than the %d MB limit: split it, or raise the limit with --max-upload", file, limit>>20)
	}
	return fmt.Errorf("import %s: %w", file, err)
}

// runExportSolutions writes every record, archived ones included, to
// standard output; the file imports back into any Harambee.
func runExportSolutions(ctx context.Context, env *cmdEnv) error {
	if env.format != solution.FormatCSV && env.format != solution.FormatJSON {
		return usageError{fmt.Sprintf("--format %q: use csv or json", env.format)}
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	w := bufio.NewWriter(env.stdout)
	if err := solution.NewStore(db).Export(ctx, w, env.format); err != nil {
		return err
	}
	return w.Flush()
}
