package report_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
)

// Scale of the generated data set of BenchmarkCommunityReport.
const (
	benchPageViews     = 1_000_000
	benchRegistrations = 100_000
	benchEvents        = 100
	benchMembers       = 5_000
)

// generate fills a database with one community whose records are those of a
// large, busy community over four years: members who join (and some who
// leave), a hundred webinars with their registrations and attendees, and a
// million page views, all in a few INSERT ... SELECT statements over a
// series of numbers.
func generate(tb testing.TB, db *sqldb.DB, views, registrations int) community.Community {
	tb.Helper()
	manager, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "manager@bench.example", Verified: true, Profile: account.Profile{Name: "Manager", Country: "BR"}})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "bench", Name: "Benchmark", PrimarySDG: 3, CreatedAt: day("2021-01-01")}, manager)
	if err != nil {
		tb.Fatal(err)
	}
	d := db.Dialect()
	series := func(n int) string {
		if d == sqldb.Postgres {
			return fmt.Sprintf("WITH s(n) AS (SELECT generate_series(1, %d)) ", n)
		}
		return fmt.Sprintf("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d) ", n)
	}
	// dayOf is the timestamp of the day "2021-01-01 + expr days".
	dayOf := func(expr string) string {
		if d == sqldb.Postgres {
			return "(TIMESTAMPTZ '2021-01-01 00:00:00+00' + (" + expr + ") * INTERVAL '1 day')"
		}
		return "strftime('%Y-%m-%d 00:00:00.000000+00:00', '2021-01-01', (" + expr + ") || ' days')"
	}
	const countries = "'BRMZINCNZAKEARMXFRUSGHNGIDVNEGPEBDPHTHCO'"
	country := func(expr string) string { return "substr(" + countries + ", ((" + expr + ") % 20) * 2 + 1, 2)" }
	run := func(what, q string) {
		tb.Helper()
		start := time.Now()
		if _, err := db.Exec(ctx, q); err != nil {
			tb.Fatalf("generate %s: %v", what, err)
		}
		tb.Logf("generated %s in %s", what, time.Since(start).Round(time.Millisecond))
	}
	run("members", series(benchMembers)+`INSERT INTO users (email, name, country, organization_type, created_at, updated_at)
		SELECT 'u' || n || '@bench.example', 'Member ' || n, `+country("n")+`, CASE n % 3 WHEN 0 THEN 'government' WHEN 1 THEN 'ngo' ELSE 'academia' END, `+dayOf("n % 1400")+", "+dayOf("n % 1400")+" FROM s")
	run("memberships", fmt.Sprintf(`INSERT INTO memberships (community_id, user_id, role, joined_at, left_at)
		SELECT %d, id, 'member', %s, CASE WHEN id %% 20 = 0 THEN %s ELSE NULL END FROM users WHERE email LIKE '%%@bench.example' AND id <> %d`,
		c.ID, dayOf("id % 1400"), dayOf("id % 1400 + 60"), manager.ID))
	run("events", series(benchEvents)+fmt.Sprintf(`INSERT INTO events (community_id, title, language, kind, status, starts_at, ends_at, timezone, recording_views, created_at, updated_at)
		SELECT %d, 'Webinar ' || n, 'en', 'webinar', 'published', %s, %s, 'UTC', n * 7, %s, %s FROM s`, c.ID, dayOf("n * 14"), dayOf("n * 14 + 1"), dayOf("n * 14 - 30"), dayOf("n * 14 - 30")))
	var firstEvent int64
	if err := db.QueryRow(ctx, "SELECT MIN(id) FROM events WHERE community_id = ?", c.ID).Scan(&firstEvent); err != nil {
		tb.Fatal(err)
	}
	run("registrations", series(registrations)+fmt.Sprintf(`INSERT INTO event_registrations (event_id, name, email, country, organization_type, status, source, token, registered_at, updated_at)
		SELECT %d + n %% %d, 'Person ' || n, 'r' || n || '@bench.example', %s, 'government', CASE WHEN n %% 25 = 0 THEN 'cancelled' ELSE 'registered' END, 'form', 'tok' || n, %s, %s FROM s`,
		firstEvent, benchEvents, country("n"), dayOf("(n % 100) * 14 - 10"), dayOf("(n % 100) * 14 - 10")))
	run("attendees", `INSERT INTO event_attendees (event_id, person_key, registration_id, name, email, created_at)
		SELECT event_id, 'e:' || email, id, name, email, registered_at FROM event_registrations WHERE id % 2 = 0`)
	run("page views", series(views)+fmt.Sprintf(`INSERT INTO page_views (day, community_id, path, object_kind, object_id, referrer_host, visitor, audience, country, organization_type)
		SELECT %d + n %% 1460, %d, CASE WHEN n %% 4 = 0 THEN '/communities/bench' ELSE '/threads/' || (n %% 500) END, 'thread', n %% 500,
		CASE WHEN n %% 5 = 0 THEN 'google.com' WHEN n %% 7 = 0 THEN 'linkedin.com' ELSE '' END, ((n %% 600) * 119) %% 600,
		CASE n %% 3 WHEN 0 THEN 'member' ELSE 'anonymous' END, CASE n %% 3 WHEN 0 THEN %s ELSE '' END, CASE n %% 3 WHEN 0 THEN 'ngo' ELSE '' END FROM s`,
		analytics.DayNumber(day("2021-01-01")), c.ID, country("n")))
	if d == sqldb.Postgres {
		// What autovacuum does on its own soon after a bulk load (since
		// PostgreSQL 13 for tables that are only inserted into): the
		// statistics, and the visibility map that lets an index-only scan
		// skip the table.
		run("statistics", "VACUUM ANALYZE page_views, event_registrations, event_attendees, events, memberships, users")
	}
	c, err = community.NewStore(db).ByID(ctx, c.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkCommunityReport computes the whole report of a community with a
// million page views and a hundred thousand registrations, over its four
// years. Target: under a second on two cores, on both engines. "raw" reads
// the million page views themselves; "rolled-up" reads them after the
// daily roll-up of all but the last 400 days, as a platform running for
// four years holds them.
func BenchmarkCommunityReport(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(d.String(), func(b *testing.B) {
			db := dbtest.New(b, d)
			c := generate(b, db, benchPageViews, benchRegistrations)
			p, err := report.ParsePeriod("2021-01-01", "2024-12-31", c.CreatedAt, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			run := func(b *testing.B) {
				var r report.Report
				for b.Loop() {
					if r, err = report.ForCommunity(ctx, db, c, p); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(r.PageViews.Total), "page_views")
				b.ReportMetric(float64(r.Events.Registrants), "registrants")
				if r.PageViews.Total != benchPageViews || r.Events.Count != benchEvents {
					b.Errorf("report of %d page views and %d events", r.PageViews.Total, r.Events.Count)
				}
			}
			b.Run("raw", run)
			start := time.Now()
			n, err := analytics.NewStore(db).Rollup(ctx, day("2024-12-31").AddDate(0, 0, -400))
			if err != nil {
				b.Fatal(err)
			}
			if d == sqldb.Postgres {
				if _, err := db.Exec(ctx, "VACUUM ANALYZE page_views, page_view_days"); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("rolled up %d page views in %s", n, time.Since(start).Round(time.Millisecond))
			b.Run("rolled-up", run)
		})
	}
}

// TestGenerator runs the generator at a small scale, so that it stays
// correct between benchmark runs.
func TestGenerator(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		c := generate(t, db, 3000, 1000)
		p, _ := report.ParsePeriod("2021-01-01", "2024-12-31", c.CreatedAt, time.Now())
		r, err := report.ForCommunity(ctx, db, c, p)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprintf("%d views, %d events, %d registrants, %d attendees, %d members", r.PageViews.Total, r.Events.Count, r.Events.Registrants, r.Events.Attendees, r.Members.Total)
		if !strings.HasPrefix(got, "3000 views, 100 events, 960 registrants, 500 attendees") || r.Members.Total < 4000 {
			t.Errorf("generated: %s", got)
		}
	})
}
