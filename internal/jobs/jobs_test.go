package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/sqldb"
)

var ctx = context.Background()

// noteArgs asks the test worker to write a note.
type noteArgs struct {
	Text string `json:"text"`
}

func (noteArgs) Kind() string { return "test.note" }

// noteWorker writes each note to the notes table in its own transaction,
// as real workers write their effects, and fails the first failures attempts.
type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	db       *sqldb.DB
	failures int
	attempts atomic.Int64
}

func (w *noteWorker) Work(ctx context.Context, job *river.Job[noteArgs]) error {
	w.attempts.Add(1)
	if job.Attempt <= w.failures {
		return fmt.Errorf("attempt %d fails on purpose", job.Attempt)
	}
	return w.db.InTx(ctx, func(tx *sqldb.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO test_notes (text) VALUES (?)", job.Args.Text)
		return err
	})
}

func notesTable(t *testing.T, db *sqldb.DB) {
	t.Helper()
	if _, err := db.Exec(ctx, "CREATE TABLE test_notes (text TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
}

func notes(t *testing.T, db *sqldb.DB) map[string]int {
	t.Helper()
	rows, err := db.Query(ctx, "SELECT text FROM test_notes")
	texts, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (string, error) {
		var v string
		return v, s.Scan(&v)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, v := range texts {
		out[v]++
	}
	return out
}

// fastRetry retries at once, so tests of retries take no time.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(10 * time.Millisecond) }

func start(t *testing.T, db *sqldb.DB, opts jobs.Options) *jobs.Queue {
	t.Helper()
	if opts.PollInterval == 0 {
		opts.PollInterval = 20 * time.Millisecond
	}
	if opts.RetryPolicy == nil {
		opts.RetryPolicy = fastRetry{}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	q, err := jobs.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	qctx, cancel := context.WithCancel(ctx)
	if err := q.Start(qctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
		defer stop()
		if err := q.Stop(stopCtx); err != nil {
			t.Errorf("stop: %v", err)
		}
		cancel()
	})
	return q
}

// waitEvents reads n events of the kinds wanted, failing after a while.
func waitEvents(t *testing.T, events <-chan *river.Event, n int) []*river.Event {
	t.Helper()
	var got []*river.Event
	// An upper bound, not a pause: under the race detector SQLite is ten
	// times slower.
	timeout := time.After(2 * time.Minute)
	for len(got) < n {
		select {
		case e := <-events:
			got = append(got, e)
		case <-timeout:
			t.Fatalf("got %d job events, want %d", len(got), n)
		}
	}
	return got
}

func insert(t *testing.T, db *sqldb.DB, args river.JobArgs, opts *river.InsertOpts) {
	t.Helper()
	if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		_, err := jobs.Insert(ctx, tx, args, opts)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestInsertIsTransactional: a job inserted in a transaction that rolls
// back never runs; one in a transaction that commits runs once.
func TestInsertIsTransactional(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		notesTable(t, db)
		w := &noteWorker{db: db}
		errRollback := errors.New("roll back")
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			if _, err := jobs.Insert(ctx, tx, noteArgs{Text: "rolled back"}, nil); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
		insert(t, db, noteArgs{Text: "committed"}, nil)
		q := start(t, db, jobs.Options{Workers: []jobs.Worker{jobs.Work(w)}})
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		waitEvents(t, events, 1)
		if got := notes(t, db); got["committed"] != 1 || got["rolled back"] != 0 || len(got) != 1 {
			t.Errorf("notes %v, want only the committed one, once", got)
		}
		counts, err := jobs.Counts(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if counts["completed"] != 1 || len(counts) != 1 {
			t.Errorf("job states %v, want one completed job", counts)
		}
	})
}

// TestRetriesThenSucceeds: a failing job is tried again until it works, and
// its errors are on the jobs page's listing.
func TestRetriesThenSucceeds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		notesTable(t, db)
		w := &noteWorker{db: db, failures: 2}
		insert(t, db, noteArgs{Text: "third time lucky"}, nil)
		q := start(t, db, jobs.Options{Workers: []jobs.Worker{jobs.Work(w)}})
		events, cancel := q.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		waitEvents(t, events, 1)
		if n := w.attempts.Load(); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
		list, total, err := jobs.List(ctx, db, "completed", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(list) != 1 {
			t.Fatalf("listed %d of %d completed jobs, want 1", len(list), total)
		}
		j := list[0]
		if j.Kind != "test.note" || j.Attempt != 3 || j.LastError != "attempt 2 fails on purpose" || j.FinalizedAt == nil ||
			j.Args != `{"text":"third time lucky"}` && j.Args != `{"text": "third time lucky"}` {
			t.Errorf("listed %+v", j)
		}
		if _, _, err := jobs.List(ctx, db, "bogus", 10, 0); err == nil {
			t.Error("an unknown state is accepted")
		}
	})
}

// TestJobsSurviveRestart: a job that failed while one instance ran is done
// by the next one, once.
func TestJobsSurviveRestart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		notesTable(t, db)
		insert(t, db, noteArgs{Text: "survivor"}, nil)
		first, err := jobs.New(db, jobs.Options{
			Workers:      []jobs.Worker{jobs.Work(&noteWorker{db: db, failures: 1})},
			PollInterval: 20 * time.Millisecond,
			// Retry only much later: the next instance must pick it up.
			RetryPolicy: retryAt{time.Now().Add(-time.Second)},
			Log:         slog.New(slog.DiscardHandler),
		})
		if err != nil {
			t.Fatal(err)
		}
		events, cancel := first.Subscribe(river.EventKindJobFailed)
		if err := first.Start(ctx); err != nil {
			t.Fatal(err)
		}
		waitEvents(t, events, 1)
		cancel()
		if err := first.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if got := notes(t, db); len(got) != 0 {
			t.Fatalf("notes %v before the restart", got)
		}
		w := &noteWorker{db: db}
		second := start(t, db, jobs.Options{Workers: []jobs.Worker{jobs.Work(w)}})
		done, cancel := second.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		waitEvents(t, done, 1)
		if got := notes(t, db); got["survivor"] != 1 || len(got) != 1 {
			t.Errorf("notes %v, want the survivor once", got)
		}
	})
}

// retryAt schedules every retry at a fixed time.
type retryAt struct{ at time.Time }

func (r retryAt) NextRetry(*rivertype.JobRow) time.Time { return r.at }

// TestScheduleOnce: a job scheduled for a time runs at that time, not
// before and within seconds after; the same job scheduled twice runs once;
// one scheduled in the past is not scheduled at all.
func TestScheduleOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		notesTable(t, db)
		at := time.Now().Add(1500 * time.Millisecond)
		var scheduled []bool
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			for _, args := range []noteArgs{{"reminder 24h"}, {"reminder 24h"}} {
				ok, err := jobs.ScheduleOnce(ctx, tx, args, at)
				if err != nil {
					return err
				}
				scheduled = append(scheduled, ok)
			}
			ok, err := jobs.ScheduleOnce(ctx, tx, noteArgs{"too late"}, time.Now().Add(-time.Minute))
			scheduled = append(scheduled, ok)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if scheduled[0] != true || scheduled[1] != false || scheduled[2] != false {
			t.Fatalf("scheduled %v, want [true false false]", scheduled)
		}
		// The duplicate from another transaction, as a second instance would
		// insert it, is skipped too.
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			ok, err := jobs.ScheduleOnce(ctx, tx, noteArgs{"reminder 24h"}, at)
			if ok {
				t.Error("a second transaction scheduled the same job again")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		list, _, err := jobs.List(ctx, db, "scheduled", 10, 0)
		if err != nil || len(list) != 1 {
			t.Fatalf("scheduled jobs %v (%v), want 1", list, err)
		}
		w := &noteWorker{db: db}
		q := start(t, db, jobs.Options{Workers: []jobs.Worker{jobs.Work(w)}})
		events, cancel := q.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		e := waitEvents(t, events, 1)[0]
		ran := *e.Job.AttemptedAt
		if ran.Before(at.Add(-jobsTimePrecision)) {
			t.Errorf("ran at %v, before its time %v", ran, at)
		}
		if late := ran.Sub(at); late > 15*time.Second {
			t.Errorf("ran %v after its time", late)
		}
		t.Logf("ran %v after its time", ran.Sub(at).Round(time.Millisecond))
		if got := notes(t, db); got["reminder 24h"] != 1 || len(got) != 1 {
			t.Errorf("notes %v, want the reminder once", got)
		}
	})
}

// River stores times to the millisecond on SQLite.
const jobsTimePrecision = time.Millisecond

// TestPeriodicRunsOnStart: a row of the periodic table runs when the queue
// starts, and a table with a bad row is refused.
func TestPeriodicRunsOnStart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ran := make(chan string, 4)
		q := start(t, db, jobs.Options{Periodic: []jobs.Periodic{
			{Name: "test.tick", Interval: time.Hour, Run: func(context.Context) error { ran <- "tick"; return nil }},
		}})
		select {
		case <-ran:
		case <-time.After(30 * time.Second):
			t.Fatal("the periodic job did not run on start")
		}
		_ = q
		list, _, err := jobs.List(ctx, db, "", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Kind != "periodic" {
			t.Errorf("jobs %+v, want one periodic job", list)
		}
	})
	for _, bad := range [][]jobs.Periodic{
		{{Name: "", Interval: time.Hour, Run: func(context.Context) error { return nil }}},
		{{Name: "fast", Interval: time.Second, Run: func(context.Context) error { return nil }}},
		{{Name: "twice", Interval: time.Hour, Run: func(context.Context) error { return nil }}, {Name: "twice", Interval: time.Hour, Run: func(context.Context) error { return nil }}},
	} {
		if _, err := jobs.New(dbtest.New(t, sqldb.SQLite), jobs.Options{Periodic: bad}); err == nil {
			t.Errorf("periodic table %+v accepted", bad)
		}
	}
}

// TestTwoInstancesShareTheQueue: on PostgreSQL, two instances working the
// same queue do every job exactly once between them.
func TestTwoInstancesShareTheQueue(t *testing.T) {
	dsn := dbtest.DSN(t, sqldb.Postgres)
	open := func() *sqldb.DB {
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db1, db2 := open(), open()
	if _, err := db1.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, db := range []*sqldb.DB{db1, db2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := jobs.Migrate(ctx, db, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	notesTable(t, db1)
	const n = 200
	err := db1.InTx(ctx, func(tx *sqldb.Tx) error {
		for i := range n {
			if _, err := jobs.Insert(ctx, tx, noteArgs{Text: fmt.Sprint(i)}, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := &noteWorker{db: db1}, &noteWorker{db: db2}
	q1 := start(t, db1, jobs.Options{Workers: []jobs.Worker{jobs.Work(w1)}})
	q2 := start(t, db2, jobs.Options{Workers: []jobs.Worker{jobs.Work(w2)}})
	e1, cancel1 := q1.Subscribe(river.EventKindJobCompleted)
	defer cancel1()
	e2, cancel2 := q2.Subscribe(river.EventKindJobCompleted)
	defer cancel2()
	done := 0
	timeout := time.After(60 * time.Second)
	for done < n {
		select {
		case <-e1:
		case <-e2:
		case <-timeout:
			t.Fatalf("%d of %d jobs done", done, n)
		}
		done++
	}
	got := notes(t, db1)
	for i := range n {
		if got[fmt.Sprint(i)] != 1 {
			t.Errorf("job %d done %d times", i, got[fmt.Sprint(i)])
		}
	}
	a1, a2 := w1.attempts.Load(), w2.attempts.Load()
	if a1+a2 != n {
		t.Errorf("%d + %d attempts, want %d", a1, a2, n)
	}
	t.Logf("instance 1 did %d jobs, instance 2 did %d", a1, a2)
}

// TestSQLiteJobsAndWebWrites: on SQLite, jobs that write while the site
// writes too (many transactions at once, some enqueuing jobs) all succeed:
// River shares the single writer connection, so nothing fails with
// "database is locked".
func TestSQLiteJobsAndWebWrites(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	notesTable(t, db)
	w := &noteWorker{db: db}
	q := start(t, db, jobs.Options{Workers: []jobs.Worker{jobs.Work(w)}})
	events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	const writers, each = 8, 50
	begin := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- db.InTx(ctx, func(tx *sqldb.Tx) error {
					if _, err := tx.Exec(ctx, "INSERT INTO test_notes (text) VALUES (?)", fmt.Sprintf("web %d-%d", g, i)); err != nil {
						return err
					}
					_, err := jobs.Insert(ctx, tx, noteArgs{Text: fmt.Sprintf("job %d-%d", g, i)}, nil)
					return err
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a write failed: %v", err)
		}
	}
	for _, e := range waitEvents(t, events, writers*each) {
		if e.Kind != river.EventKindJobCompleted {
			t.Errorf("job %d: %s: %v", e.Job.ID, e.Kind, e.Job.Errors)
		}
	}
	t.Logf("%d web transactions and %d jobs in %v", writers*each, writers*each, time.Since(begin).Round(time.Millisecond))
	got := notes(t, db)
	if len(got) != 2*writers*each {
		t.Errorf("%d distinct notes, want %d", len(got), 2*writers*each)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("note %q written %d times", k, n)
		}
	}
}

// otherArgs is a job kind the instance below has no worker for.
type otherArgs struct{}

func (otherArgs) Kind() string { return "test.other" }

// TestUnknownKindsWait: an instance leaves alone the jobs it has no worker
// for (those of a newer version, during a rolling upgrade), rather than
// failing their attempts.
func TestUnknownKindsWait(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) { unknownKindsWait(t, db) })
}

func unknownKindsWait(t *testing.T, db *sqldb.DB) {
	notesTable(t, db)
	insert(t, db, otherArgs{}, nil)
	insert(t, db, noteArgs{Text: "known"}, nil)
	q := start(t, db, jobs.Options{Workers: []jobs.Worker{jobs.Work(&noteWorker{db: db})}})
	events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if e := waitEvents(t, events, 1)[0]; e.Job.Kind != "test.note" || e.Kind != river.EventKindJobCompleted {
		t.Fatalf("first event: %s of %s", e.Kind, e.Job.Kind)
	}
	list, _, err := jobs.List(ctx, db, "available", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Kind != "test.other" || list[0].Attempt != 0 {
		t.Errorf("available jobs %+v, want the unknown one untouched", list)
	}
}
