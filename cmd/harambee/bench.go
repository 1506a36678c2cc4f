package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/bench"
	"github.com/harambee/harambee/internal/generate"
	"github.com/harambee/harambee/internal/web"
)

// benchFlags are the options of harambee bench.
var benchFlags struct {
	url, email, password, jsonOut string
	exclude                       string
	duration, solo                time.Duration
	clients, pid                  int
}

func configureBench(fs *flag.FlagSet, env *cmdEnv) {
	fs.StringVar(&benchFlags.url, "url", "http://127.0.0.1:8080", "the running server to load (loopback only)")
	fs.DurationVar(&benchFlags.duration, "duration", 2*time.Minute, "length of the mixed run")
	fs.DurationVar(&benchFlags.solo, "solo", 5*time.Second, "length of each single-page run and of each bare limit run")
	fs.IntVar(&benchFlags.clients, "clients", 32, "concurrent clients")
	fs.IntVar(&benchFlags.pid, "pid", 0, "process id of the server, to report its peak memory")
	fs.StringVar(&benchFlags.email, "email", generate.AdminEmail, "account the logged-in readers use")
	fs.StringVar(&benchFlags.password, "password", generate.Password, "its password")
	fs.StringVar(&benchFlags.jsonOut, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&benchFlags.exclude, "exclude", "", "routes to leave out of the mixed run, comma-separated (\"community report\")")
}

// runBench loads a running server with the benchmark's mix and prints the
// table (and the JSON report with --json).
func runBench(ctx context.Context, env *cmdEnv) error {
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	site := web.New(web.Options{DB: db, Config: env.cfg, Log: slog.New(slog.DiscardHandler)})
	fmt.Fprintf(env.stderr, "loading %s with %d clients for %s (and %s per single-page run)...\n", benchFlags.url, benchFlags.clients, benchFlags.duration, benchFlags.solo)
	rep, err := bench.Run(ctx, bench.Config{
		BaseURL: benchFlags.url, DB: db, Duration: benchFlags.duration, Solo: benchFlags.solo, Clients: benchFlags.clients,
		PID: benchFlags.pid, Email: benchFlags.email, Password: benchFlags.password, RenderLimit: site.CommunityHomeFromMemory, Seed: 11,
		Exclude: strings.FieldsFunc(benchFlags.exclude, func(r rune) bool { return r == ',' }),
	})
	if err != nil {
		return err
	}
	rep.WriteTable(env.stdout)
	if benchFlags.jsonOut != "" {
		f, err := os.Create(benchFlags.jsonOut)
		if err != nil {
			return err
		}
		defer f.Close()
		return rep.WriteJSON(f)
	}
	return nil
}
