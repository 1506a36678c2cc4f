package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/generate"
	"github.com/harambee/harambee/internal/sqldb"
)

// The tables that grow with the platform: a query of a hot page that reads
// one of them whole gets slower as the data set grows, which the load
// benchmark's p99 at scale 1 against scale 0.01 would show too late.
var bigTables = `posts|threads|memberships|membership_events|page_views|event_registrations|event_attendees|survey_responses|survey_answers|users|resources|solutions|events|search_documents`

var (
	sqliteFullScan   = regexp.MustCompile(`\bSCAN (` + bigTables + `)\b(?: AS \w+)?$`)
	postgresFullScan = regexp.MustCompile(`Seq Scan on (` + bigTables + `)\b`)
)

// knownScans are queries of the hot pages that still read a big table
// whole, each with the reason; the test fails on any other, and on one of
// these once it no longer scans (so that the list shrinks).
var knownScans = map[string]string{
	// Similar solutions (solution.Similar) score every solution of the
	// catalogue against the one shown (5,000 at scale 1), from the
	// catalogue read whole into memory once per version of it.
	"SELECT id, modality, is_global, term_count, start_month, archived_at IS NOT NULL FROM solutions": "similar solutions read the whole catalogue",
}

// TestHotPagesUseIndexes loads each page of the load benchmark's mix on a
// small generated data set, collects every query it runs, and EXPLAINs it:
// on SQLite with EXPLAIN QUERY PLAN, on PostgreSQL with sequential scans
// disabled, so that the planner takes an index whenever one can serve. A
// query that reads a big table whole fails the test.
func TestHotPagesUseIndexes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := generate.Run(ctx, db, generate.Options{Scale: 0.001}); err != nil {
			t.Fatal(err)
		}
		s := newSite(t, db)
		var slug string
		var thread, sol, ev int64
		if err := db.QueryRow(ctx, "SELECT slug FROM communities WHERE visibility = 'public' ORDER BY id LIMIT 1").Scan(&slug); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(ctx, "SELECT thread_id FROM posts GROUP BY thread_id HAVING COUNT(*) >= 50 ORDER BY thread_id LIMIT 1").Scan(&thread); err != nil {
			t.Fatal(err)
		}
		db.QueryRow(ctx, "SELECT MIN(id) FROM solutions").Scan(&sol)
		db.QueryRow(ctx, "SELECT MIN(id) FROM events").Scan(&ev)
		pages := []string{"/", "/communities/" + slug, "/threads/" + strconv.FormatInt(thread, 10), "/communities/" + slug + "/library?kind=toolkit",
			"/solutions/" + strconv.FormatInt(sol, 10), "/events/" + strconv.FormatInt(ev, 10), "/search?q=hospital"}
		memberPages := append(append([]string{}, pages...), "/members?country=BR", "/communities/"+slug+"/report")

		type query struct {
			sql  string
			args []any
			page string
		}
		var (
			mu      sync.Mutex
			queries = map[string]query{}
			page    string
		)
		db.Observe(func(q string, args []any) {
			mu.Lock()
			defer mu.Unlock()
			if _, seen := queries[q]; !seen && isSelect(q) {
				queries[q] = query{q, append([]any(nil), args...), page}
			}
		})
		defer db.Observe(nil)
		anon := s.client()
		for _, p := range pages {
			mu.Lock()
			page = "anonymous " + p
			mu.Unlock()
			wantStatus(t, anon.get(p), http.StatusOK)
		}
		member := s.client()
		wantStatus(t, member.post("/login", url.Values{"email": {generate.AdminEmail}, "password": {generate.Password}}), http.StatusSeeOther)
		for _, p := range memberPages {
			mu.Lock()
			page = "member " + p
			mu.Unlock()
			wantStatus(t, member.get(p), http.StatusOK)
		}
		db.Observe(nil)
		if len(queries) < 10 {
			t.Fatalf("only %d queries seen", len(queries))
		}

		for _, q := range queries {
			plan, err := explain(db, q.sql, q.args)
			if err != nil {
				t.Errorf("%s: EXPLAIN %s: %v", q.page, oneLine(q.sql), err)
				continue
			}
			scans := fullScans(db.Dialect(), plan)
			_, known := knownScans[oneLine(q.sql)]
			switch {
			case len(scans) > 0 && !known:
				t.Errorf("%s reads %s whole:\n%s\nplan:\n%s", q.page, strings.Join(scans, ", "), oneLine(q.sql), plan)
			case len(scans) == 0 && known:
				t.Errorf("%s: a query listed in knownScans uses its indexes now; remove it from the list:\n%s", q.page, oneLine(q.sql))
			}
		}
	})
}

func isSelect(q string) bool {
	u := strings.ToUpper(strings.TrimSpace(q))
	return strings.HasPrefix(u, "SELECT") || strings.HasPrefix(u, "WITH")
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }

// explain returns the query's plan, one step a line.
func explain(db *sqldb.DB, q string, args []any) (string, error) {
	var lines []string
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		prefix := "EXPLAIN QUERY PLAN "
		if db.Dialect() == sqldb.Postgres {
			prefix = "EXPLAIN "
			if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, prefix+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}

func fullScans(d sqldb.Dialect, plan string) []string {
	var out []string
	for _, line := range strings.Split(plan, "\n") {
		line = strings.TrimSpace(line)
		re := sqliteFullScan
		if d == sqldb.Postgres {
			re = postgresFullScan
		}
		if m := re.FindStringSubmatch(line); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}
