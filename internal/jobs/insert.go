package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/harambee/harambee/internal/sqldb"
)

// inserters are River clients that only insert, one per engine. They hold
// no connection (every insert goes through the caller's transaction) and no
// setting, so domain code that holds only a transaction can enqueue work
// without a client being passed down to it.
var inserters = map[sqldb.Dialect]func() (*river.Client[*sql.Tx], error){
	sqldb.SQLite:   sync.OnceValues(func() (*river.Client[*sql.Tx], error) { return newInserter(sqldb.SQLite) }),
	sqldb.Postgres: sync.OnceValues(func() (*river.Client[*sql.Tx], error) { return newInserter(sqldb.Postgres) }),
}

func newInserter(d sqldb.Dialect) (*river.Client[*sql.Tx], error) {
	return river.NewClient(driver(d, nil), &river.Config{Logger: slog.New(slog.DiscardHandler)})
}

// Insert enqueues a job in tx: it becomes visible to the queue when tx
// commits and vanishes if tx rolls back. opts may be nil; job arguments may
// carry their own defaults (River's JobArgsWithInsertOpts). With unique
// options, a duplicate is skipped and the result says so
// (UniqueSkippedAsDuplicate).
func Insert(ctx context.Context, tx *sqldb.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	client, err := inserters[tx.Dialect()]()
	if err != nil {
		return nil, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	res, err := client.InsertTx(ctx, tx.SQL(), args, opts)
	if err != nil {
		return nil, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return res, nil
}

// ScheduleOnce enqueues a job to run at the time at, once: a second call
// with equal arguments (for example the same registration and reminder)
// is skipped while the first is waiting, running, retrying or recently
// completed, so include in the arguments whatever makes the job distinct,
// such as the time itself. A time already past is not scheduled at all: a
// reminder that was due before the person registered is not sent. It
// reports whether it scheduled the job.
//
// River keeps completed jobs for a day, so a worker whose effect must
// happen once over a longer span still records what it did (the outbox,
// the digest log) and checks it before acting.
func ScheduleOnce(ctx context.Context, tx *sqldb.Tx, args river.JobArgs, at time.Time) (bool, error) {
	if !at.After(time.Now()) {
		return false, nil
	}
	res, err := Insert(ctx, tx, args, &river.InsertOpts{
		ScheduledAt: at,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	})
	if err != nil {
		return false, err
	}
	return !res.UniqueSkippedAsDuplicate, nil
}
