package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// PeriodicArgs are the arguments of every periodic job: the name of its row
// in the table. One River worker runs them all, so that a row of the table
// is all a periodic job needs.
type PeriodicArgs struct {
	Name string `json:"name"`
}

// Kind is the River job kind of periodic jobs.
func (PeriodicArgs) Kind() string { return "periodic" }

// InsertOpts gives periodic jobs a few attempts: the next run comes soon
// anyway.
func (PeriodicArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type periodicWorker struct {
	river.WorkerDefaults[PeriodicArgs]
	run map[string]func(context.Context) error
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[PeriodicArgs]) error {
	run, ok := w.run[job.Args.Name]
	if !ok {
		// A job left by a version that had this row: nothing to do.
		return river.JobCancel(fmt.Errorf("no periodic job named %q", job.Args.Name))
	}
	return run(ctx)
}

// periodicJobs registers the periodic worker and turns the table into
// River's periodic jobs. Each run is unique within its interval, so a new
// leader, or a restart, does not run a job twice in one interval.
func periodicJobs(workers *river.Workers, table []Periodic) ([]*river.PeriodicJob, error) {
	if len(table) == 0 {
		return nil, nil
	}
	w := &periodicWorker{run: make(map[string]func(context.Context) error, len(table))}
	var out []*river.PeriodicJob
	for _, p := range table {
		if p.Name == "" || p.Run == nil || p.Interval < time.Minute {
			return nil, fmt.Errorf("periodic job %q: it needs a name, a function and an interval of at least a minute", p.Name)
		}
		if _, dup := w.run[p.Name]; dup {
			return nil, fmt.Errorf("periodic job %q declared twice", p.Name)
		}
		w.run[p.Name] = p.Run
		args, interval := PeriodicArgs{Name: p.Name}, p.Interval
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) {
				return args, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: interval}}
			},
			&river.PeriodicJobOpts{ID: p.Name, RunOnStart: true}))
	}
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return out, nil
}
