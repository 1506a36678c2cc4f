package analytics_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

func TestHuman(t *testing.T) {
	tests := []struct {
		ua   string
		want bool
	}{
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", true},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", true},
		{"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", true},
		{"Lynx/2.9.0dev.12 libwww-FM/2.14", true}, // text browsers are people
		{"w3m/0.5.3", true},
		{"Mozilla/5.0", false},
		{"-", false},
		{"", false},
		{"   ", false},
		{"curl/8.5.0", false},
		{"Wget/1.21.4", false},
		{"python-requests/2.31.0", false},
		{"Python-urllib/3.12", false},
		{"Go-http-client/1.1", false},
		{"Java/17.0.2", false},
		{"okhttp/4.12.0", false},
		{"axios/1.6.0", false},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", false},
		{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", false},
		{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", false},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36", false},
		{"UptimeRobot/2.0", false},
	}
	for _, tt := range tests {
		if got := analytics.Human(tt.ua); got != tt.want {
			t.Errorf("Human(%q) = %v, want %v", tt.ua, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct{ path, stored, target string }{
		{"/", "/", "{  0 }"},
		{"/communities/ssc4c", "/communities/ssc4c", "{community ssc4c 0 }"},
		{"/communities/ssc4c/events/", "/communities/ssc4c/events", "{community ssc4c 0 }"},
		{"/communities/new", "/communities/new", "{  0 }"},
		{"/threads/42", "/threads/42", "{thread  42 }"},
		{"/threads/x", "/threads/x", "{  0 }"},
		{"/events/7", "/events/7", "{event  7 }"},
		{"/resources/9/download", "/resources/9/download", "{resource  9 }"},
		{"/countries/br", "/countries/br", "{country  0 BR}"},
		{"/registrations/abcdef123456", "/registrations/*", "{  0 }"},
		{"/surveys/tok", "/surveys/*", "{  0 }"},
		{"/invitations/tok", "/invitations/*", "{  0 }"},
		{"/unsubscribe/tok", "/unsubscribe/*", "{  0 }"},
	}
	for _, tt := range tests {
		stored, target := analytics.Classify(tt.path)
		if stored != tt.stored || fmt.Sprint(target) != tt.target {
			t.Errorf("Classify(%q) = %q %v, want %q %s", tt.path, stored, target, tt.stored, tt.target)
		}
	}
}

func TestReferrerHost(t *testing.T) {
	tests := []struct{ ref, host, want string }{
		{"https://www.google.com/search?q=health", "harambee.example", "google.com"},
		{"https://harambee.example/communities", "harambee.example", ""},
		{"https://www.harambee.example/communities", "harambee.example:443", ""},
		{"http://127.0.0.1:8080/", "127.0.0.1:8080", ""},
		{"android-app://com.google.android.gm/", "harambee.example", ""},
		{"not a url", "harambee.example", ""},
		{"", "harambee.example", ""},
		{"https://LinkedIn.com/feed", "harambee.example", "linkedin.com"},
	}
	for _, tt := range tests {
		if got := analytics.ReferrerHost(tt.ref, tt.host); got != tt.want {
			t.Errorf("ReferrerHost(%q, %q) = %q, want %q", tt.ref, tt.host, got, tt.want)
		}
	}
}

// stored reads back the page views as "path visitor-index audience".
func stored(t *testing.T, db *sqldb.DB) []analytics.View {
	t.Helper()
	rows, err := db.Query(ctx, "SELECT day, COALESCE(community_id, 0), path, object_kind, COALESCE(object_id, 0), referrer_host, visitor, audience, country, organization_type FROM page_views ORDER BY id")
	views, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (analytics.View, error) {
		var v analytics.View
		var day int64
		err := r.Scan(&day, &v.CommunityID, &v.Path, &v.ObjectKind, &v.ObjectID, &v.ReferrerHost, &v.Visitor, &v.Audience, &v.Country, &v.OrganizationType)
		v.Day = analytics.DayOf(day)
		return v, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return views
}

// TestRecorder: views are written in batches, with their community and
// audience found, the same visitor hashed alike within a day and apart
// across days; a full buffer drops rather than waits; Stop writes what
// is pending.
func TestRecorder(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		accounts := account.NewStore(db)
		u, err := accounts.CreateUser(ctx, account.NewUser{Email: "m@example.org", Verified: true, Profile: account.Profile{Name: "M", Country: "MZ", OrganizationType: "ngo"}})
		if err != nil {
			t.Fatal(err)
		}
		outsider, err := accounts.CreateUser(ctx, account.NewUser{Email: "o@example.org", Verified: true, Profile: account.Profile{Name: "O", Country: "PE"}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "health", Name: "Health"}, u)
		if err != nil {
			t.Fatal(err)
		}
		var thread int64
		if err := db.QueryRow(ctx, `INSERT INTO threads (community_id, title, body, body_html, language, created_at, last_activity_at)
			VALUES (?, 'T', 'b', 'b', 'en', ?, ?) RETURNING id`, c.ID, time.Now(), time.Now()).Scan(&thread); err != nil {
			t.Fatal(err)
		}
		rec := analytics.NewRecorder(db, analytics.RecorderOptions{Buffer: 3, Batch: 2, Interval: time.Hour, Log: slog.New(slog.DiscardHandler)})
		day1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		hits := []analytics.Hit{
			{At: day1, Path: "/communities/health", Addr: "198.51.100.7", UserAgent: "Firefox", Referrer: "https://www.google.com/"},
			{At: day1.Add(time.Hour), Path: fmt.Sprintf("/threads/%d", thread), Addr: "198.51.100.7", UserAgent: "Firefox"},
			{At: day1, Path: "/communities/health/events", UserID: u.ID, Country: "MZ", OrganizationType: "ngo", Addr: "203.0.113.1", UserAgent: "Chrome"},
			{At: day1, Path: "/communities/health", UserID: outsider.ID, Country: "PE", Addr: "203.0.113.2", UserAgent: "Chrome"},
		}
		// Not started: the buffer of three fills and the fourth is dropped.
		for i, h := range hits {
			if ok := rec.Record(h); ok != (i < 3) {
				t.Errorf("view %d taken: %v", i, ok)
			}
		}
		if rec.Dropped() != 1 {
			t.Errorf("dropped %d, want 1", rec.Dropped())
		}
		rec.Start()
		if err := rec.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		rec.Record(hits[3])
		rec.Record(analytics.Hit{At: day1.AddDate(0, 0, 1), Path: "/", Addr: "198.51.100.7", UserAgent: "Firefox"})
		rec.Record(analytics.Hit{At: day1.AddDate(0, 0, 1), Path: "/communities/no-such", Addr: "198.51.100.8", UserAgent: "Firefox"})
		if err := rec.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if rec.Record(hits[0]) {
			t.Error("a stopped recorder took a view")
		}
		views := stored(t, db)
		if len(views) != 6 {
			t.Fatalf("%d views stored, want 6: %+v", len(views), views)
		}
		want := []string{
			fmt.Sprintf("2026-03-01 %d /communities/health community %d google.com anonymous  ", c.ID, c.ID),
			fmt.Sprintf("2026-03-01 %d /threads/%d thread %d  anonymous  ", c.ID, thread, thread),
			fmt.Sprintf("2026-03-01 %d /communities/health/events community %d  member MZ ngo", c.ID, c.ID),
			fmt.Sprintf("2026-03-01 %d /communities/health community %d  account PE ", c.ID, c.ID),
			"2026-03-02 0 /  0  anonymous  ",
			"2026-03-02 0 /communities/no-such  0  anonymous  ",
		}
		for i, v := range views {
			got := fmt.Sprintf("%s %d %s %s %d %s %s %s %s", v.Day.UTC().Format("2006-01-02"), v.CommunityID, v.Path, v.ObjectKind, v.ObjectID, v.ReferrerHost, v.Audience, v.Country, v.OrganizationType)
			if got != want[i] {
				t.Errorf("view %d: %q, want %q", i, got, want[i])
			}
		}
		if views[0].Visitor != views[1].Visitor || views[0].Visitor == views[2].Visitor || views[0].Visitor == views[4].Visitor {
			t.Errorf("visitor hashes: same browser same day %v, other visitor %v, next day %v",
				views[0].Visitor == views[1].Visitor, views[0].Visitor == views[2].Visitor, views[0].Visitor == views[4].Visitor)
		}
	})
}

// TestSharedSalt: instances with the same secret agree on a day's visitor;
// without one, two instances do not (their salts are random).
func TestSharedSalt(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	hashes := func(opt analytics.RecorderOptions) int {
		opt.Log = slog.New(slog.DiscardHandler)
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		for i := 0; i < 2; i++ {
			r := analytics.NewRecorder(db, opt)
			r.Start()
			r.Record(analytics.Hit{At: at, Path: "/", Addr: "198.51.100.7", UserAgent: "Firefox"})
			if err := r.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		db.QueryRow(ctx, "SELECT COUNT(DISTINCT visitor) FROM page_views").Scan(&n)
		db.Exec(ctx, "DELETE FROM page_views")
		return n
	}
	if n := hashes(analytics.RecorderOptions{Secret: []byte("shared secret")}); n != 1 {
		t.Errorf("with a shared secret: %d visitors, want 1", n)
	}
	if n := hashes(analytics.RecorderOptions{}); n != 2 {
		t.Errorf("with random salts: %d visitors, want 2", n)
	}
}

// TestRollup: raw views older than the cut-off become daily totals; the
// figures stay the same; newer views stay raw.
func TestRollup(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		u, _ := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "m@example.org", Verified: true, Profile: account.Profile{Name: "M"}})
		c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "health", Name: "Health"}, u)
		if err != nil {
			t.Fatal(err)
		}
		d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
		var views []analytics.View
		for i, s := range []string{"2025-01-01", "2025-01-01", "2025-01-01", "2025-02-15", "2025-03-01", "2025-03-02"} {
			views = append(views, analytics.View{Day: d(s), CommunityID: c.ID, Path: fmt.Sprintf("/communities/health/p%d", i%2), Visitor: int64(i % 2),
				ReferrerHost: map[bool]string{true: "google.com"}[i%3 == 0], Audience: analytics.Anonymous})
		}
		views = append(views, analytics.View{Day: d("2025-01-01"), Path: "/", Visitor: 0, Audience: analytics.Member, Country: "BR"})
		st := analytics.NewStore(db)
		if err := st.InsertViews(ctx, views); err != nil {
			t.Fatal(err)
		}
		figures := func(id int64) string {
			f, err := st.Figures(ctx, id, d("2025-01-01"), d("2025-04-01"), 5)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%d views, %d visitors, days %v, pages %v, referrers %v, audience %v %v", f.Views, f.Visitors, len(f.Days), f.TopPages, f.TopReferrers, f.Audience, f.MemberCountries)
		}
		before, site := figures(c.ID), figures(0)
		n, err := st.Rollup(ctx, d("2025-03-02"))
		if err != nil || n != 6 {
			t.Fatalf("rolled up %d, %v; want 6", n, err)
		}
		if after := figures(c.ID); after != before {
			t.Errorf("after roll-up:\n%s\nbefore:\n%s", after, before)
		}
		if after := figures(0); after != site {
			t.Errorf("site after roll-up:\n%s\nbefore:\n%s", after, site)
		}
		if n, _ := st.Rollup(ctx, d("2025-03-02")); n != 0 {
			t.Errorf("second roll-up removed %d", n)
		}
		var raw int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM page_views").Scan(&raw)
		if raw != 1 {
			t.Errorf("%d raw views left, want 1 (2 March)", raw)
		}
		if want := "6 views, 5 visitors"; before[:len(want)] != want {
			t.Errorf("figures %s", before)
		}
		// Retention.
		if days, _ := st.Retention(ctx); days != analytics.DefaultRetention {
			t.Errorf("default retention %d", days)
		}
		if err := st.SetRetention(ctx, 10); err == nil {
			t.Error("10 days accepted")
		} else if ve, ok := validation.As(err); !ok || ve.Fields["retention_days"].Key != "report.error.retention" {
			t.Errorf("retention error %v", err)
		}
		if err := st.SetRetention(ctx, 60); err != nil {
			t.Fatal(err)
		}
		// The operator's period (--analytics-retention) wins over the setting.
		if n, err := st.RollupExpired(ctx, d("2025-05-15"), 400); err != nil || n != 0 {
			t.Errorf("roll-up with a fixed 400 days: %d, %v", n, err)
		}
		if n, err := st.RollupExpired(ctx, d("2025-05-15"), 0); err != nil || n != 1 {
			t.Errorf("expired roll-up: %d, %v", n, err)
		}
	})
}

// TestInsertRolledUp: views written as daily totals leave the same totals,
// and the same figures, as the same views written raw and rolled up; a
// second batch of other days adds to them.
func TestInsertRolledUp(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, raw *sqldb.DB) {
		rolled := dbtest.New(t, raw.Dialect())
		var ids []int64
		for _, db := range []*sqldb.DB{raw, rolled} {
			u, _ := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "m@example.org", Verified: true, Profile: account.Profile{Name: "M"}})
			for _, slug := range []string{"health", "water"} {
				c, err := community.NewStore(db).Create(ctx, community.Input{Slug: slug, Name: slug}, u)
				if err != nil {
					t.Fatal(err)
				}
				if db == raw {
					ids = append(ids, c.ID)
				}
			}
		}
		rng := rand.New(rand.NewPCG(5, 6))
		first := time.Date(2024, 12, 30, 0, 0, 0, 0, time.UTC) // across a year's end
		var views []analytics.View
		for day := range 6 {
			for range 50 + 20*day {
				v := analytics.View{Day: first.AddDate(0, 0, day), Path: fmt.Sprintf("/p%d", rng.IntN(8)), Visitor: int64(rng.IntN(30)), Audience: analytics.Anonymous}
				if x := rng.IntN(3); x < 2 {
					v.CommunityID = ids[x]
				}
				if rng.IntN(3) == 0 {
					v.ReferrerHost = []string{"google.com", "un.org"}[rng.IntN(2)]
				}
				if rng.IntN(4) == 0 {
					v.Audience, v.Country, v.OrganizationType = analytics.Member, []string{"BR", "MZ"}[rng.IntN(2)], "ngo"
				}
				views = append(views, v)
			}
		}
		if err := analytics.NewStore(raw).InsertViews(ctx, views); err != nil {
			t.Fatal(err)
		}
		if n, err := analytics.NewStore(raw).Rollup(ctx, first.AddDate(0, 0, 6)); err != nil || n != int64(len(views)) {
			t.Fatalf("rolled up %d of %d: %v", n, len(views), err)
		}
		// Two calls, each of whole days.
		split := 0
		for views[split].Day.Before(first.AddDate(0, 0, 3)) {
			split++
		}
		for _, part := range [][]analytics.View{views[:split], views[split:]} {
			if err := analytics.NewStore(rolled).InsertRolledUp(ctx, part); err != nil {
				t.Fatal(err)
			}
		}
		dump := func(db *sqldb.DB) []string {
			rows, err := db.Query(ctx, "SELECT community_id, day, dimension, value, views FROM page_view_days ORDER BY community_id, day, dimension, value")
			out, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (string, error) {
				var c, d, n int64
				var dim, val string
				err := r.Scan(&c, &d, &dim, &val, &n)
				return fmt.Sprintf("%d %d %s %s %d", c, d, dim, val, n), err
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		want, got := dump(raw), dump(rolled)
		if len(want) < 100 || !slices.Equal(got, want) {
			t.Errorf("daily totals written directly (%d rows):\n%v\nrolled up (%d rows):\n%v", len(got), got, len(want), want)
		}
		for _, id := range append(ids, 0) {
			a, errA := analytics.NewStore(raw).Figures(ctx, id, first, first.AddDate(0, 0, 6), 5)
			b, errB := analytics.NewStore(rolled).Figures(ctx, id, first, first.AddDate(0, 0, 6), 5)
			if errA != nil || errB != nil || fmt.Sprint(a) != fmt.Sprint(b) || a.Views == 0 {
				t.Errorf("community %d: figures %+v (%v), want %+v (%v)", id, b, errB, a, errA)
			}
		}
	})
}

// TestMigrationToDayNumbers: page views and daily totals stored before
// migration 11, with their day as a timestamp, keep their day as a day
// number, across a leap day and a year's end.
func TestMigrationToDayNumbers(t *testing.T) {
	for _, engine := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(engine.String(), func(t *testing.T) {
			db, err := sqldb.Open(ctx, dbtest.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.MigrateTo(ctx, 10); err != nil {
				t.Fatal(err)
			}
			u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "m@example.org", Verified: true, Profile: account.Profile{Name: "M"}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "health", Name: "Health"}, u)
			if err != nil {
				t.Fatal(err)
			}
			d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
			for i, s := range []string{"2024-02-28", "2024-02-28", "2024-02-29", "2024-03-01"} {
				if _, err := db.Exec(ctx, "INSERT INTO page_views (day, community_id, path, visitor, audience) VALUES (?, ?, ?, ?, 'anonymous')", d(s), c.ID, "/communities/health", i); err != nil {
					t.Fatal(err)
				}
			}
			for _, row := range []struct {
				dim   string
				views int
			}{{"path", 5}, {"visitors", 3}} {
				if _, err := db.Exec(ctx, "INSERT INTO page_view_days (community_id, day, dimension, value, views) VALUES (?, ?, ?, ?, ?)", c.ID, d("2023-12-31"), row.dim, map[bool]string{true: "/communities/health"}[row.dim == "path"], row.views); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			f, err := analytics.NewStore(db).Figures(ctx, c.ID, d("2023-12-01"), d("2024-03-31"), 5)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, day := range f.Days {
				got = append(got, fmt.Sprintf("%s %d/%d", day.Day.Format("2006-01-02"), day.Views, day.Visitors))
			}
			if want := "[2023-12-31 5/3 2024-02-28 2/2 2024-02-29 1/1 2024-03-01 1/1]"; fmt.Sprint(got) != want {
				t.Errorf("days after the migration %v, want %s", got, want)
			}
			if want := "[{/communities/health 9}]"; fmt.Sprint(f.TopPages) != want {
				t.Errorf("top pages %v, want %s", f.TopPages, want)
			}
		})
	}
}
