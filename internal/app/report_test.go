package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestReportAccess: who may read a community's report, through the API
// and the dashboard, and the refusals of bad periods and formats.
func TestReportAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		other := f.user("other-manager@example.org", false)
		oc, err := community.NewStore(db).Create(ctx, community.Input{Slug: "other", Name: "Other"}, other)
		if err != nil {
			t.Fatal(err)
		}
		_ = oc
		// A site editor edits the solutions catalogue: no community's report.
		editor := f.user("editor@example.org", false)
		if err := account.NewStore(db).SetEditor(ctx, editor.ID, true); err != nil {
			t.Fatal(err)
		}
		api := map[string]*client{
			"anonymous": f.client(), "member": f.apiClient(f.member), "outsider": f.apiClient(f.outsider),
			"other manager": f.apiClient(other), "manager": f.apiClient(f.manager), "admin": f.apiClient(f.admin),
			"editor": f.apiClient(editor),
		}
		base := "/api/v1/communities/open-health/report"
		tests := []struct {
			who, path string
			status    int
			want      string
		}{
			{"anonymous", base, 401, `"unauthorized"`},
			{"member", base, 403, `"forbidden"`},
			{"outsider", base, 403, `"forbidden"`},
			{"other manager", base, 403, `"forbidden"`},
			{"other manager", "/api/v1/communities/secret-group/report", 404, `"not_found"`},
			{"editor", base, 403, `"forbidden"`},
			{"editor", "/api/v1/site/report", 403, `"forbidden"`},
			{"other manager", "/api/v1/site/report", 403, `"forbidden"`},
			{"manager", base + "?format=pdf&from=2024-02-31", 400, `"from"`},
			{"manager", base, 200, `"new_by_month"`},
			{"admin", base, 200, `"developing_source"`},
			{"manager", "/api/v1/communities/no-such/report", 404, `"not_found"`},
			{"manager", base + "?from=2024-13-01", 400, `"from"`},
			{"manager", base + "?from=2024-02-01&to=2024-01-31", 400, `"to"`},
			{"manager", base + "?from=2010-01-01&to=2024-01-01", 400, `10 years`},
			{"manager", base + "?to=not-a-day", 400, `"to"`},
			{"manager", base + "?format=xlsx", 400, `"format"`},
			{"manager", base + "?from=2024-01-01&to=2024-12-31", 200, `"to": "2024-12-31"`},
			{"member", "/api/v1/site/report", 403, `"forbidden"`},
			{"admin", "/api/v1/site/report", 200, `"communities"`},
			{"admin", "/api/v1/site/report?from=x", 400, `"from"`},
		}
		for _, tt := range tests {
			r := api[tt.who].get(tt.path)
			if r.StatusCode != tt.status || !strings.Contains(strings.ReplaceAll(r.body, `":"`, `": "`), strings.ReplaceAll(tt.want, `":"`, `": "`)) {
				t.Errorf("%s GET %s: %d, want %d with %s\n%.300s", tt.who, tt.path, r.StatusCode, tt.status, tt.want, r.body)
			}
		}
		// The report's JSON carries the contract's blocks.
		var rep map[string]any
		decodeJSON(t, api["manager"].get(base), &rep)
		for block, fields := range map[string][]string{
			"members":    {"total", "new_by_month", "by_country", "by_region", "by_organization_type", "developing_share"},
			"events":     {"count", "registrants", "attendees", "countries_reached", "recording_views"},
			"surveys":    {"responses", "agree_share"},
			"content":    {"threads", "posts", "resources"},
			"page_views": {"total", "unique_visitors", "by_month", "top_pages"},
			"exchanges":  {"by_stage", "by_target", "by_modality", "flows", "south_south_share", "triangular_share", "outcomes"},
		} {
			for _, field := range fields {
				if _, ok := rep[block].(map[string]any)[field]; !ok {
					t.Errorf("report lacks %s.%s", block, field)
				}
			}
		}
		// Downloads.
		for format, ctype := range map[string]string{"csv": "application/zip", "pdf": "application/pdf"} {
			r := api["manager"].get(base + "?format=" + format)
			if r.StatusCode != 200 || r.Header.Get("Content-Type") != ctype || !strings.Contains(r.Header.Get("Content-Disposition"), "harambee-report-open-health-") {
				t.Errorf("format %s: %d %s %s", format, r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
			}
		}

		// The dashboard: managers and administrators; members 403;
		// anonymous readers are sent to log in.
		pages := map[string]*client{"member": f.loggedIn("member@example.org"), "manager": f.loggedIn("manager@example.org"), "admin": f.loggedIn("admin@example.org"),
			"other manager": f.loggedIn("other-manager@example.org"), "editor": f.loggedIn("editor@example.org")}
		// Forbidden, one case per role that is not the community's manager
		// or an administrator.
		for _, who := range []string{"member", "other manager", "editor"} {
			for _, path := range []string{"/communities/open-health/report", "/communities/open-health/report/export?format=pdf", "/admin/report", "/admin/report/export?format=csv"} {
				if r := pages[who].get(path); r.StatusCode != http.StatusForbidden {
					t.Errorf("%s GET %s: %d, want 403", who, path, r.StatusCode)
				}
			}
			if r := pages[who].post("/communities/open-health/report/impact", url.Values{"published": {"on"}, "figures": {"members"}}); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s publishing the impact page: %d, want 403", who, r.StatusCode)
			}
		}
		if r := f.client().get("/communities/open-health/report/export?format=pdf"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous download: %d, want a redirect to log in", r.StatusCode)
		}
		// Bad downloads say what is wrong, in the reader's language.
		for _, tt := range []struct{ query, want string }{
			{"format=pdf&from=2024-13-01", "Write a date as YYYY-MM-DD"},
			{"format=pdf&from=2024-05-01&to=2024-04-01", "The end of the period must come after its start."},
			{"format=csv&from=2010-01-01&to=2024-01-01", "10 years at most"},
			{"format=xlsx", "Choose a format: pdf, csv or json."},
			{"format=xlsx&lang=fr", "Choisissez un format"},
		} {
			r := pages["manager"].get("/communities/open-health/report/export?" + tt.query)
			if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, tt.want) {
				t.Errorf("download %s: %d, want 400 with %q", tt.query, r.StatusCode, tt.want)
			}
		}
		if r := f.client().get("/communities/open-health/report"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous dashboard: %d", r.StatusCode)
		}
		if r := pages["member"].get("/communities/open-health/report"); r.StatusCode != http.StatusForbidden {
			t.Errorf("member dashboard: %d", r.StatusCode)
		}
		if r := pages["member"].get("/admin/report"); r.StatusCode != http.StatusForbidden {
			t.Errorf("member site dashboard: %d", r.StatusCode)
		}
		r := pages["manager"].get("/communities/open-health/report")
		wantStatus(t, r, 200)
		for _, want := range []string{"<svg", `role="img"`, "<details>", "Annual report (PDF)", `href="/communities/open-health/report"`, "Public impact page"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if strings.Contains(r.body, "<script") {
			t.Error("the dashboard carries a script")
		}
		if r := pages["manager"].get("/communities/open-health/report?from=2024-05-01&to=2024-04-01"); r.StatusCode != 400 || !strings.Contains(r.body, "The end of the period must come after its start.") {
			t.Errorf("bad period on the dashboard: %d", r.StatusCode)
		}
		if r := pages["manager"].get("/communities/open-health/report?year=2024&lang=fr"); r.StatusCode != 200 && r.StatusCode != 400 {
			t.Errorf("dashboard by year: %d", r.StatusCode)
		}
		r = pages["manager"].get("/communities/open-health/report/export?format=pdf")
		if r.StatusCode != 200 || !strings.HasPrefix(r.body, "%PDF-") {
			t.Errorf("PDF download: %d", r.StatusCode)
		}
		if r := pages["manager"].get("/communities/open-health/report/export?format=doc"); r.StatusCode != 400 {
			t.Errorf("unknown format download: %d", r.StatusCode)
		}
		wantStatus(t, pages["admin"].get("/admin/report"), 200)
		r = pages["admin"].get("/admin/report/export?format=csv")
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/zip" {
			t.Errorf("site CSV: %d", r.StatusCode)
		}
		wantStatus(t, pages["admin"].post("/admin/report/retention", url.Values{"retention_days": {"10"}}), 400)
		wantStatus(t, pages["admin"].post("/admin/report/retention", url.Values{"retention_days": {"90"}}), 303)
		if days, _ := analytics.NewStore(db).Retention(ctx); days != 90 {
			t.Errorf("retention: %d", days)
		}
	})
}

// TestImpactPage: off by default (404), then only what the manager
// published, for anyone.
func TestImpactPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		anon := f.client()
		if r := anon.get("/communities/open-health/impact"); r.StatusCode != 404 {
			t.Fatalf("unpublished impact page: %d", r.StatusCode)
		}
		if r := anon.get("/api/v1/communities/open-health/impact"); r.StatusCode != 404 {
			t.Errorf("unpublished impact API: %d", r.StatusCode)
		}
		member := f.loggedIn("member@example.org")
		if r := member.post("/communities/open-health/report/impact", url.Values{"published": {"on"}, "figures": {"members"}}); r.StatusCode != 403 {
			t.Errorf("a member publishing: %d", r.StatusCode)
		}
		manager := f.loggedIn("manager@example.org")
		r := manager.post("/communities/open-health/report/impact", url.Values{"published": {"on"}, "figures": {"bogus"}})
		if r.StatusCode != 400 || !strings.Contains(r.body, "bogus is not a figure that can be published.") {
			t.Errorf("a bad figure: %d", r.StatusCode)
		}
		r = manager.post("/communities/open-health/report/impact", url.Values{"published": {"on"}, "figures": {"members", "member_countries"}})
		wantStatus(t, r, 303)
		r = anon.get("/communities/open-health/impact")
		wantStatus(t, r, 200)
		figures := regexp.MustCompile(`<br>([^<]+)</li>`).FindAllStringSubmatch(r.body, -1)
		if len(figures) != 2 || figures[0][1] != "members" || figures[1][1] != "countries of members" {
			t.Errorf("the public page shows other figures than those published: %q", figures)
		}
		if len(r.Header.Values("Set-Cookie")) > 0 {
			t.Error("the public page set a cookie")
		}
		var j struct {
			Published bool
			Values    []struct{ Figure string }
		}
		decodeJSON(t, anon.get("/api/v1/communities/open-health/impact"), &j)
		if !j.Published || len(j.Values) != 2 || j.Values[0].Figure != "members" {
			t.Errorf("impact API: %+v", j)
		}
		// A members-only community's page stays closed to outsiders.
		api := f.apiClient(f.manager)
		wantStatus(t, api.json("PUT", "/api/v1/communities/wash/impact", map[string]any{"published": true, "figures": []string{"events"}}), 200)
		if r := anon.get("/communities/wash/impact"); r.StatusCode != 404 {
			t.Errorf("members-only impact page to anonymous: %d", r.StatusCode)
		}
		// Withdrawn: gone again.
		wantStatus(t, api.json("PUT", "/api/v1/communities/open-health/impact", map[string]any{"published": false}), 200)
		if r := anon.get("/communities/open-health/impact"); r.StatusCode != 404 {
			t.Errorf("withdrawn impact page: %d", r.StatusCode)
		}
	})
}

// TestPageViewCounting: successful pages viewed by people are counted,
// without a cookie; crawlers, tools, the API, assets, health checks,
// errors and personal links are not counted as such.
func TestPageViewCounting(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		rec := analytics.NewRecorder(db, analytics.RecorderOptions{Log: slog.New(slog.DiscardHandler)})
		rec.Start()
		defer rec.Stop(ctx)
		cfg := config.Default()
		cfg.BaseURL = "http://harambee.test"
		cfg.Data = t.TempDir()
		srv := httptest.NewServer(app.SiteHandler(db, cfg, slog.New(slog.DiscardHandler), rec))
		defer srv.Close()
		const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
		get := func(path, ua string, header ...string) *http.Response {
			t.Helper()
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			if ua != "" {
				req.Header.Set("User-Agent", ua)
			}
			for i := 0; i+1 < len(header); i += 2 {
				req.Header.Set(header[i], header[i+1])
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp
		}
		for _, p := range []string{"/communities/open-health", "/communities/open-health/discussions", "/"} {
			if resp := get(p, firefox, "Referer", "https://www.google.com/search?q=x"); resp.StatusCode != 200 || len(resp.Header.Values("Set-Cookie")) > 0 {
				t.Errorf("%s: %d, cookies %v", p, resp.StatusCode, resp.Header.Values("Set-Cookie"))
			}
		}
		get("/communities/open-health", firefox, "Referer", srv.URL+"/communities") // from the site itself
		// A browser showing again the page it kept (304 from the page cache)
		// is a view too.
		etag := get("/communities/open-health/events", firefox).Header.Get("ETag")
		if resp := get("/communities/open-health/events", firefox, "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation with ETag %q: %d, want 304", etag, resp.StatusCode)
		}
		// Not counted:
		get("/communities/open-health", "curl/8.5.0")
		get("/communities/open-health", "python-requests/2.31")
		get("/communities/open-health", "Go-http-client/1.1")
		get("/communities/open-health", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
		get("/communities/open-health", "")
		get("/communities/open-health", firefox, "Sec-Purpose", "prefetch")
		get("/communities/no-such-community", firefox)
		get("/api/v1/communities/open-health", firefox)
		get("/healthz", firefox)
		get("/communities/open-health/manage", firefox)  // a redirect to log in
		get("/registrations/secret-token-1234", firefox) // 404: not counted
		// A member's view.
		member := f.loggedIn("member@example.org")
		jar := member.http.Jar
		req, _ := http.NewRequest("GET", srv.URL+"/communities/open-health/library", nil)
		req.Header.Set("User-Agent", firefox)
		for _, c := range jar.Cookies(mustURL(f.srv.URL)) {
			req.AddCookie(c)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if err := rec.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(ctx, "SELECT path, COALESCE(community_id, 0), referrer_host, audience, country FROM page_views ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var path, ref, aud, cc string
			var cid int64
			rows.Scan(&path, &cid, &ref, &aud, &cc)
			got = append(got, strings.Join([]string{path, map[bool]string{true: "c", false: "-"}[cid == f.public.ID], ref, aud, cc}, " "))
		}
		rows.Close()
		want := []string{
			"/communities/open-health c google.com anonymous ",
			"/communities/open-health/discussions c google.com anonymous ",
			"/ - google.com anonymous ",
			"/communities/open-health c  anonymous ",
			"/communities/open-health/events c  anonymous ",
			"/communities/open-health/events c  anonymous ",
			"/communities/open-health/library c  member MZ",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("page views:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		var visitors int
		db.QueryRow(ctx, "SELECT COUNT(DISTINCT visitor) FROM page_views").Scan(&visitors)
		if visitors != 2 {
			t.Errorf("distinct visitors: %d, want 2 (one browser, one member)", visitors)
		}
	})
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}

// TestDashboardWeight: the model-sized dashboard stays within the page
// budget (60 KB compressed) with its charts and map.
func TestDashboardWeight(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	f := newCommunityFixture(t, db)
	views := make([]analytics.View, 0, 4000)
	countries := []string{"BR", "MZ", "IN", "CN", "ZA", "KE", "AR", "MX", "FR", "US", "GH", "NG", "ID", "VN", "EG"}
	start := time.Now().AddDate(-9, 0, 0)
	for i := 0; i < 4000; i++ {
		views = append(views, analytics.View{Day: start.AddDate(0, 0, i%3000), CommunityID: f.public.ID, Path: "/threads/" + string(rune('a'+i%20)),
			Visitor: int64(i), Audience: analytics.Member, Country: countries[i%len(countries)]})
	}
	if err := analytics.NewStore(db).InsertViews(ctx, views); err != nil {
		t.Fatal(err)
	}
	manager := f.loggedIn("manager@example.org")
	req, _ := http.NewRequest("GET", f.srv.URL+"/communities/open-health/report?map=members", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	for _, c := range manager.http.Jar.Cookies(mustURL(f.srv.URL)) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	compressed, _ := io.ReadAll(resp.Body)
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(zr)
	t.Logf("dashboard: %d bytes, %d compressed", len(html), len(compressed))
	if resp.StatusCode != 200 || len(compressed) > 60<<10 {
		t.Errorf("dashboard: status %d, %d bytes compressed (budget 60 KB)", resp.StatusCode, len(compressed))
	}
}

// BenchmarkPageDelivery serves a community's page to a browser with and
// without page-view counting, on SQLite (where writes contend most: one
// writer). Counting only hands the view to the recorder's buffer; the
// batches are written beside the requests, so the two times should not
// differ measurably.
func BenchmarkPageDelivery(b *testing.B) {
	db := dbtest.New(b, sqldb.SQLite)
	manager, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "manager@bench.example", Verified: true, Profile: account.Profile{Name: "Manager"}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := community.NewStore(db).Create(ctx, community.Input{Slug: "open-health", Name: "Open health", PrimarySDG: 3, Description: "About **health**"}, manager); err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.BaseURL = "http://harambee.test"
	cfg.Data = b.TempDir()
	log := slog.New(slog.DiscardHandler)
	const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	serve := func(b *testing.B, h http.Handler) {
		i := 0
		for b.Loop() {
			i++
			req := httptest.NewRequest("GET", "/communities/open-health", nil)
			req.Header.Set("User-Agent", firefox)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			req.RemoteAddr = "198.51.100." + strconv.Itoa(i%250) + ":4000"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	}
	b.Run("uncounted", func(b *testing.B) {
		serve(b, app.SiteHandler(db, cfg, log, nil))
	})
	b.Run("counted", func(b *testing.B) {
		rec := analytics.NewRecorder(db, analytics.RecorderOptions{Log: log})
		rec.Start()
		serve(b, app.SiteHandler(db, cfg, log, rec))
		b.StopTimer()
		if err := rec.Stop(ctx); err != nil {
			b.Fatal(err)
		}
		var n int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM page_views").Scan(&n)
		b.ReportMetric(float64(rec.Dropped()), "dropped")
		if n == 0 {
			b.Error("no page view was written")
		}
	})
}
