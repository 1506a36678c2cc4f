package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Job is a row of River's job table as the administrators' page shows it.
type Job struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	ScheduledAt time.Time
	AttemptedAt *time.Time
	FinalizedAt *time.Time
	Args        string // JSON
	LastError   string // the error of the latest failed attempt
}

// States are River's job states, in the order of a job's life: available
// (queued), scheduled (waiting for its time), running, retryable (failed,
// waiting to be tried again), then completed, cancelled (given up for good,
// such as a message the mail server refused) or discarded (out of
// attempts). Pending is for jobs waiting on others, which Harambee does not
// use.
var States = []string{"available", "scheduled", "running", "retryable", "completed", "cancelled", "discarded", "pending"}

// ValidState reports whether s is one of States.
func ValidState(s string) bool {
	for _, v := range States {
		if v == s {
			return true
		}
	}
	return false
}

// Counts returns how many jobs are in each state.
func Counts(ctx context.Context, q sqldb.Querier) (map[string]int, error) {
	rows, err := q.Query(ctx, "SELECT state, COUNT(*) FROM river_job GROUP BY state")
	type count struct {
		state string
		n     int
	}
	counts, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (count, error) {
		var c count
		return c, s.Scan(&c.state, &c.n)
	})
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	out := make(map[string]int, len(States))
	for _, c := range counts {
		out[c.state] = c.n
	}
	return out, nil
}

// List returns a page of jobs in a state (every state when empty), with
// how many there are: scheduled jobs soonest first, others newest first.
func List(ctx context.Context, q sqldb.Querier, state string, limit, offset int) ([]Job, int, error) {
	if state != "" && !ValidState(state) {
		return nil, 0, fmt.Errorf("list jobs: unknown state %q", state)
	}
	where, order, args := "", "id DESC", []any{}
	if state != "" {
		where, args = " WHERE state = ?", append(args, state)
		if state == "scheduled" {
			order = "scheduled_at, id"
		}
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM river_job"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count jobs: %w", err)
	}
	// River keeps arguments and errors as JSON: jsonb (and an array of
	// them for errors) on PostgreSQL, binary JSONB blobs on SQLite.
	argsText, lastError := "args::text", "COALESCE(errors[array_length(errors, 1)]->>'error', '')"
	if q.Dialect() == sqldb.SQLite {
		argsText, lastError = "json(args)", "COALESCE(json_extract(errors, '$[#-1].error'), '')"
	}
	rows, err := q.Query(ctx, `SELECT id, kind, state, attempt, max_attempts, created_at, scheduled_at, attempted_at, finalized_at, `+
		argsText+`, `+lastError+` FROM river_job`+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	jobs, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (Job, error) {
		var j Job
		err := s.Scan(&j.ID, &j.Kind, &j.State, &j.Attempt, &j.MaxAttempts, &j.CreatedAt, &j.ScheduledAt, &j.AttemptedAt, &j.FinalizedAt, &j.Args, &j.LastError)
		return j, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list jobs: %w", err)
	}
	return jobs, total, nil
}
