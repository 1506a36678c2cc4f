// Package app wires Harambee together: configuration, database, the web
// pages and the JSON API behind one HTTP server, and its clean shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/httplog"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/jsonapi"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
	"github.com/harambee/harambee/internal/web"
)

// Reports count the exchanges of country-to-country learning through the
// matching capability; report cannot import matching (matching fills in
// report's types), so the hook is set here, once, for every command.
func init() { report.ExchangesFrom = matching.Exchanges }

// OpenDB opens the configured database and brings its schema up to date.
func OpenDB(ctx context.Context, cfg config.Config, log *slog.Logger) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 && log != nil {
		log.Info("database migrated", "migrations", n, "engine", db.Dialect().String())
	}
	// River's tables come from River's own migrator, right after ours.
	if n, err = jobs.Migrate(ctx, db, log); err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 && log != nil {
		log.Info("job queue migrated", "migrations", n)
	}
	return db, nil
}

// Handler returns the whole site: health check, JSON API and pages, behind
// request logging and cross-origin request protection. It counts no page
// views; Serve uses SiteHandler.
func Handler(db *sqldb.DB, cfg config.Config, log *slog.Logger) http.Handler {
	return SiteHandler(db, cfg, log, nil)
}

// SiteHandler is Handler with the pages' views counted by pageViews.
func SiteHandler(db *sqldb.DB, cfg config.Config, log *slog.Logger, pageViews *analytics.Recorder) http.Handler {
	return BackedHandler(db, cfg, log, pageViews, Backends{})
}

// Backends are what an instance uses beside its primary database. The zero
// value sends report queries to the primary and keeps files where
// cfg.Storage says (under cfg.Data by default).
type Backends struct {
	// Reports is a read-only replica for report queries (--db-replica).
	Reports *sqldb.DB
	// Files keeps uploaded files; nil opens the store of cfg.Storage.
	Files storage.Store
}

// OpenBackends opens the report replica and the file store that cfg names
// and checks that they answer, so that a wrong address stops start-up with a
// message. Close the result when the server has stopped.
func OpenBackends(ctx context.Context, db *sqldb.DB, cfg config.Config, log *slog.Logger) (Backends, error) {
	var b Backends
	files, err := storage.Open(cfg.Storage, filepath.Join(cfg.Data, "files"), os.Getenv)
	if err != nil {
		return b, fmt.Errorf("--storage: %w", err)
	}
	if c, ok := files.(interface{ Check(context.Context) error }); ok {
		if err := c.Check(ctx); err != nil {
			return b, err
		}
	}
	b.Files = files
	if cfg.DBReplica == "" {
		return b, nil
	}
	if b.Reports, err = sqldb.OpenReadOnly(ctx, cfg.DBReplica); err != nil {
		return b, fmt.Errorf("--db-replica: %w", err)
	}
	// A replica replays the primary's migrations a moment after it; reports
	// that need a new table fail until it has.
	want, err1 := db.SchemaVersion(ctx)
	var got int
	// Not SchemaVersion, which would create the table it reads.
	err2 := b.Reports.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&got)
	if err := errors.Join(err1, err2); err != nil {
		b.Reports.Close()
		return Backends{}, fmt.Errorf("--db-replica: read the schema version: %w", err)
	}
	if got != want && log != nil {
		log.Warn("the report replica's schema differs from the primary's; reports may fail until it catches up", "replica", got, "primary", want)
	}
	return b, nil
}

// Close closes the report replica.
func (b Backends) Close() error {
	if b.Reports == nil {
		return nil
	}
	return b.Reports.Close()
}

// BackedHandler is SiteHandler with report queries and uploaded files going
// to the backends of b.
func BackedHandler(db *sqldb.DB, cfg config.Config, log *slog.Logger, pageViews *analytics.Recorder, b Backends) http.Handler {
	if b.Files == nil {
		files, err := storage.Open(cfg.Storage, filepath.Join(cfg.Data, "files"), os.Getenv)
		if err != nil {
			// Config.Check refuses such a --storage before any handler is made.
			panic(fmt.Sprintf("app: --storage not checked: %v", err))
		}
		b.Files = files
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if err := db.Ping(ctx); err != nil {
			log.Error("health check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}` + "\n"))
			return
		}
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	// Changes made through the API invalidate the cached pages too.
	mux.Handle("/api/", web.InvalidateOnWrite(db, jsonapi.New(jsonapi.Options{DB: db, Config: cfg, Log: log, Files: b.Files, Reports: b.Reports}).Handler()))
	mux.Handle("/", web.New(web.Options{DB: db, Config: cfg, Log: log, PageViews: pageViews, Files: b.Files, Reports: b.Reports}).Handler())
	// Cross-origin protection refuses state-changing requests that a browser
	// marks as coming from another site (Sec-Fetch-Site, Origin). It needs no
	// token and no cookie, so anonymous pages stay cookie-free.
	cop := http.NewCrossOriginProtection()
	return httplog.Middleware(log)(cop.Handler(mux))
}

// Serve runs the server on ln until ctx ends, then lets requests in flight
// finish and returns.
func Serve(ctx context.Context, ln net.Listener, db *sqldb.DB, cfg config.Config, log *slog.Logger) error {
	if err := i18n.Check(); err != nil {
		return err
	}
	// The report replica and the file store: a wrong address stops here.
	backends, err := OpenBackends(ctx, db, cfg, log)
	if err != nil {
		return err
	}
	defer backends.Close()
	// Page views are written in batches beside the server; stopping writes
	// those still pending. HARAMBEE_ANALYTICS_SECRET, when set (the same on
	// every instance), makes instances agree on each day's visitor salt:
	// see the trade-off in package analytics.
	pageViews := analytics.NewRecorder(db, analytics.RecorderOptions{Secret: []byte(os.Getenv("HARAMBEE_ANALYTICS_SECRET")), Log: log})
	pageViews.Start()
	srv := &http.Server{
		Handler:           BackedHandler(db, cfg, log, pageViews, backends),
		ReadHeaderTimeout: 10 * time.Second,
		// Uploads of up to 50 MB over a slow link take minutes.
		ReadTimeout:    15 * time.Minute,
		WriteTimeout:   15 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	// The job queue runs beside the web server: e-mail delivery, digests,
	// reminders and the periodic clean-up (see jobTable).
	queue, err := StartJobs(ctx, db, cfg, log)
	if err != nil {
		return errors.Join(err, pageViews.Stop(context.WithoutCancel(ctx)))
	}
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL, "engine", db.Dialect().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return errors.Join(err, queue.Stop(context.WithoutCancel(ctx)), pageViews.Stop(context.WithoutCancel(ctx)))
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return errors.Join(fmt.Errorf("shutdown: %w", err), pageViews.Stop(shutdownCtx))
	}
	// Every request has finished: write the page views still pending.
	if err := pageViews.Stop(shutdownCtx); err != nil {
		log.Error("page views not written at shutdown", "err", err)
	}
	// Jobs running finish (a message being sent is sent); those cut short
	// by the deadline run again on the next start.
	if err := queue.Stop(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Run listens on the configured address and serves until ctx ends.
func Run(ctx context.Context, db *sqldb.DB, cfg config.Config, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another program using it? choose another with --addr)", cfg.Addr, err)
	}
	return Serve(ctx, ln, db, cfg, log)
}
