package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/bench"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/generate"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/web"
)

// TestBenchSmoke runs the benchmark for a moment against a real server on
// a tiny generated data set: every route of the mix answers without error,
// and the report carries its figures as a table and as JSON.
func TestBenchSmoke(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := generate.Run(ctx, db, generate.Options{Scale: 0.001}); err != nil {
			t.Fatal(err)
		}
		cfg := config.Default()
		cfg.Data = t.TempDir()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		srv := httptest.NewServer(app.Handler(db, cfg, log))
		defer srv.Close()
		site := web.New(web.Options{DB: db, Config: cfg, Log: log})
		rep, err := bench.Run(ctx, bench.Config{BaseURL: srv.URL, DB: db, Duration: 1500 * time.Millisecond, Solo: 200 * time.Millisecond,
			Clients: 4, Email: generate.AdminEmail, Password: generate.Password, RenderLimit: site.CommunityHomeFromMemory, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Errors != 0 {
			t.Errorf("%d errors: %v", rep.Errors, rep.ErrorSamples)
		}
		seen := map[string]bool{}
		for _, r := range rep.Routes {
			seen[r.Route] = r.Requests > 0 && r.P99 >= r.P50
		}
		for _, route := range []string{"anon community", "anon thread", "write post", "write registration"} {
			if !seen[route] {
				t.Errorf("route %q was not measured (routes: %+v)", route, rep.Routes)
			}
		}
		if len(rep.Solo) < 5 || rep.Render == nil || rep.Render.LimitRPS <= 0 {
			t.Errorf("limits not measured: solo %+v, render %+v", rep.Solo, rep.Render)
		}
		var table, js bytes.Buffer
		rep.WriteTable(&table)
		if !strings.Contains(table.String(), "anon thread") || !strings.Contains(table.String(), "ratio") {
			t.Errorf("table:\n%s", table.String())
		}
		if err := rep.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		var back bench.Report
		if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Requests != rep.Requests {
			t.Errorf("JSON report: %v, %d requests, want %d", err, back.Requests, rep.Requests)
		}
	})
}

// TestMain lets this test binary serve the bare limit when the benchmark
// starts it again for that (bench.ServeBare).
func TestMain(m *testing.M) {
	if bench.ServeBare() {
		return
	}
	os.Exit(m.Run())
}
