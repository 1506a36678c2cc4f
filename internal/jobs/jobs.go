// Package jobs runs Harambee's background work on River
// (github.com/riverqueue/river): e-mail delivery, digests, reminders and
// periodic clean-ups, durable in the database so that they survive a
// restart, retried with backoff, and on PostgreSQL shared safely by several
// instances (a job is worked by one of them only).
//
// Domain packages enqueue jobs with Insert or ScheduleOnce inside their own
// transaction, so a job exists exactly when the change that causes it was
// committed. The application declares the workers and the periodic jobs in
// one table and runs them with a Queue.
//
// On PostgreSQL River works through riverdatabasesql over the same *sql.DB
// (pgx stdlib) as everything else. On SQLite it works through riversqlite
// over sqldb's single writer connection: River's SQLite driver wants one
// connection, and sharing ours means River's writes queue behind the site's
// in Go instead of failing with "database is locked". Both drivers take a
// *sql.Tx, so one client type serves both engines.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/harambee/harambee/internal/sqldb"
)

// Defaults of a queue started by harambee serve.
const (
	// PollInterval is how often an instance looks for jobs that became due.
	// With River's scheduler (every 5 s) a job scheduled for T runs within
	// a few seconds of T.
	PollInterval = time.Second
	// JobTimeout bounds one attempt of a job; an SMTP exchange takes
	// seconds.
	JobTimeout = time.Minute
	// RescueAfter is how long a job may stay running before River takes it
	// for abandoned (an instance that died mid-job) and runs it again.
	RescueAfter = 5 * time.Minute
	// Workers is how many jobs one instance works at a time.
	Workers = 10
)

// driver returns River's driver for the engine, over pool (nil for a client
// that only inserts inside transactions).
func driver(d sqldb.Dialect, pool *sql.DB) riverdriver.Driver[*sql.Tx] {
	if d == sqldb.SQLite {
		return riversqlite.New(pool)
	}
	return riverdatabasesql.New(pool)
}

// migrationLock is the PostgreSQL advisory lock that makes instances
// starting together apply River's migrations one after the other.
const migrationLock = 4261727

// Migrate creates or updates River's own tables (river_job, river_leader...)
// with River's migrator, and returns how many of its migrations it applied.
// harambee applies them at start, after its own migrations, on both engines;
// River's schema versions are recorded in river_migration.
func Migrate(ctx context.Context, db *sqldb.DB, log *slog.Logger) (int, error) {
	m, err := rivermigrate.New(driver(db.Dialect(), db.WriterSQL()), &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return 0, fmt.Errorf("job queue migrations: %w", err)
	}
	if db.Dialect() == sqldb.Postgres {
		conn, err := db.WriterSQL().Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("job queue migrations: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return 0, fmt.Errorf("job queue migrations: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("job queue migrations: %w", err)
	}
	return len(res.Versions), nil
}

// quiet passes on River's warnings and errors and drops its chatter.
func quiet(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(levelFilter{log.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(attrs), f.min}
}

func (f levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(name), f.min}
}

// Worker registers one kind of job with a queue; make one with Work.
type Worker func(*river.Workers) error

// Work returns the registration of w, a River worker for the job arguments
// of type T.
func Work[T river.JobArgs](w river.Worker[T]) Worker {
	return func(ws *river.Workers) error { return river.AddWorkerSafely(ws, w) }
}

// Periodic is work done at a fixed interval: one row of the table of
// periodic jobs. On PostgreSQL only the instance elected leader enqueues it,
// so it runs once per interval however many instances there are.
type Periodic struct {
	Name     string        // "session_cleanup": unique, shown on the jobs page
	Interval time.Duration // at least a minute
	Run      func(ctx context.Context) error
}

// Options configure a Queue. The zero value gives what harambee serve runs.
type Options struct {
	Workers  []Worker
	Periodic []Periodic
	Log      *slog.Logger
	// PollInterval overrides PollInterval (tests make it shorter).
	PollInterval time.Duration
	// RetryPolicy overrides River's (attempt⁴ seconds: 1 s, 16 s, 81 s...).
	RetryPolicy river.ClientRetryPolicy
	// ID names this instance in River's tables; empty picks a random one.
	ID string
}

// Queue works the jobs of one database.
type Queue struct {
	client *river.Client[*sql.Tx]
}

// New prepares a queue over db with the workers and periodic jobs of opts;
// call Start to run it.
func New(db *sqldb.DB, opts Options) (*Queue, error) {
	workers := river.NewWorkers()
	for _, w := range opts.Workers {
		if err := w(workers); err != nil {
			return nil, fmt.Errorf("job queue: %w", err)
		}
	}
	periodic, err := periodicJobs(workers, opts.Periodic)
	if err != nil {
		return nil, err
	}
	poll := opts.PollInterval
	if poll <= 0 {
		poll = PollInterval
	}
	client, err := river.NewClient(driver(db.Dialect(), db.WriterSQL()), &river.Config{
		ID:           opts.ID,
		Logger:       quiet(opts.Log),
		Workers:      workers,
		PeriodicJobs: periodic,
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: Workers}},
		// A job of a kind this instance has no worker for (an older instance
		// during a rolling upgrade) waits for one that has, instead of
		// failing its attempts here.
		FetchOnlyKnownKinds: true,
		// Poll rather than listen: riverdatabasesql over database/sql has no
		// LISTEN, and on SQLite River's listener would read its notification
		// table on the single writer connection twenty times a second.
		PollOnly:             true,
		FetchPollInterval:    poll,
		FetchCooldown:        min(poll, river.FetchCooldownDefault),
		JobTimeout:           JobTimeout,
		RescueStuckJobsAfter: RescueAfter,
		RetryPolicy:          opts.RetryPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client}, nil
}

// Start starts working jobs in the background until Stop, or until ctx
// ends.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start the job queue: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for those running to finish; when ctx
// ends first, it cancels them (River runs them again later) and returns
// once they have returned.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return q.client.StopAndCancel(stopCtx)
	}
	return fmt.Errorf("stop the job queue: %w", err)
}

// Subscribe returns a channel of the queue's job events (completed, failed,
// cancelled...) and a function that ends the subscription. Tests wait on it
// instead of sleeping.
func (q *Queue) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return q.client.Subscribe(kinds...)
}
