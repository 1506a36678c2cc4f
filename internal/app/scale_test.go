package app_test

// Several instances behind a load balancer (issue 11, item 5): two
// instances on one database, reports from a read-only replica, uploads on an
// S3-compatible object store. Messages sent once by two instances are
// checked by TestTwoInstancesOnePostgres (notify_test.go).

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage/storagetest"
)

// serveInstance runs one instance on dsn as harambee serve does (app.Serve:
// its own connection pools, page views, job queue and whatever it keeps in
// memory), on a listener of its own, until the test ends.
func serveInstance(t *testing.T, dsn string, edit func(*config.Config)) *site {
	t.Helper()
	db, addr := startServe(t, dsn, edit)
	// The test's requests reach the instance through the site's srv.URL.
	return &site{t: t, db: db, srv: &httptest.Server{URL: "http://" + addr}}
}

// startServe runs app.Serve on dsn until the test or benchmark ends and
// returns the instance's database and address.
func startServe(t testing.TB, dsn string, edit func(*config.Config)) (*sqldb.DB, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB, cfg.Addr, cfg.BaseURL, cfg.Data = dsn, ln.Addr().String(), baseURL, t.TempDir()
	if edit != nil {
		edit(&cfg)
	}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	db, err := app.OpenDB(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	serveCtx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(serveCtx, ln, db, cfg, slog.New(slog.DiscardHandler)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("instance on %s stopped with %v", cfg.Addr, err)
		}
		db.Close()
	})
	return db, cfg.Addr
}

// via is the same browser (same cookies) sent to another instance, as a
// load balancer does between two requests.
func (c *client) via(s *site) *client {
	cp := *c
	cp.s = s
	return &cp
}

// page fetches a page twice (the second time from any page cache), checks
// it says want, and returns its ETag, if any.
func page(t *testing.T, c *client, path, want string) string {
	t.Helper()
	var etag string
	for range 2 {
		r := c.get(path)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, want) {
			t.Fatalf("GET %s lacks %q", path, want)
		}
		etag = r.Header.Get("ETag")
	}
	return etag
}

// fresh checks that a page shows want at once, also to a browser that
// revalidates the copy it had (If-None-Match with the old ETag).
func fresh(t *testing.T, c *client, path, oldETag, want string) {
	t.Helper()
	r := c.get(path)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, want) {
		t.Errorf("GET %s right after the change lacks %q", path, want)
	}
	if oldETag == "" {
		return
	}
	req, _ := http.NewRequest("GET", c.s.srv.URL+path, nil)
	req.Header.Set("If-None-Match", oldETag)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
		t.Errorf("GET %s with the ETag from before the change: %d, want 200 with %q", path, resp.StatusCode, want)
	}
}

// TestTwoInstancesOneDatabase: two instances on one database behind a load
// balancer share sessions and log-in limits, and a change made through one
// is seen at once through the other, cached pages included. CI runs it on
// PostgreSQL, the engine for several instances; on SQLite it shows two
// processes on one file on one host (a rolling restart) behave the same.
func TestTwoInstancesOneDatabase(t *testing.T) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			dsn := dbtest.DSN(t, d)
			a := serveInstance(t, dsn, nil)
			b := serveInstance(t, dsn, nil)
			manager := a.user("manager@example.org", false)
			a.user("member@example.org", false)
			_, err := community.NewStore(a.db).Create(ctx, community.Input{Slug: "open-health", Name: "Open health", Visibility: community.Public,
				JoinPolicy: community.Open, PrimarySDG: 3, Description: "Primary health care in practice.", Language: "en"}, manager)
			if err != nil {
				t.Fatal(err)
			}

			// A session made through one instance is valid on the other, and
			// logging out through the other ends it on both.
			onA := a.loggedIn("member@example.org")
			onB := onA.via(b)
			r := onB.get("/settings/account")
			wantStatus(t, r, http.StatusOK)
			if !strings.Contains(r.body, "member@example.org") {
				t.Error("instance B does not know the member logged in through A")
			}
			wantStatus(t, onB.post("/communities/open-health/join", nil), http.StatusSeeOther)
			if r := onA.get("/communities/open-health"); !strings.Contains(r.body, `action="/communities/open-health/leave"`) {
				t.Error("instance A does not show the membership made through B")
			}

			// Log-in failures count across both: five wrong passwords, some
			// through each, lock the account on both.
			guesser := a.client()
			wrong := url.Values{"email": {"manager@example.org"}, "password": {"not the password"}}
			for i := range 5 {
				wantStatus(t, guesser.via([]*site{a, b}[i%2]).post("/login", wrong), http.StatusUnauthorized)
			}
			right := url.Values{"email": {"manager@example.org"}, "password": {"a good long passphrase"}}
			for _, s := range []*site{a, b} {
				wantStatus(t, s.client().post("/login", right), http.StatusTooManyRequests)
			}
			if _, err := a.db.Exec(ctx, "DELETE FROM login_failures"); err != nil {
				t.Fatal(err)
			}
			mgr := b.loggedIn("manager@example.org")

			// Anonymous readers have the pages of B in their caches (the
			// server's and their own).
			anon := b.client()
			homeTag := page(t, anon, "/communities/open-health", "Primary health care in practice.")
			listTag := page(t, anon, "/communities/open-health/discussions", "Open health")

			// A community edit through A: B shows it at once.
			form := url.Values{"name": {"Open health"}, "description": {"Now also universal health coverage."}, "language": {"en"},
				"visibility": {community.Public}, "join_policy": {community.Open}, "primary_sdg": {"3"}}
			wantStatus(t, mgr.via(a).post("/communities/open-health/manage/settings", form), http.StatusSeeOther)
			fresh(t, anon, "/communities/open-health", homeTag, "Now also universal health coverage.")

			// A new thread through A: B lists it at once.
			r = onA.post("/communities/open-health/discussions", url.Values{"title": {"Costing community health workers"},
				"body": {"Who has a costing model?"}, "language": {"en"}})
			wantStatus(t, r, http.StatusSeeOther)
			thread := strings.Split(r.Header.Get("Location"), "?")[0]
			fresh(t, anon, "/communities/open-health/discussions", listTag, "Costing community health workers")
			threadTag := page(t, anon.via(a), thread, "Who has a costing model?")
			apiTag := page(t, anon.via(a), "/api/v1/threads/"+strings.TrimPrefix(thread, "/threads/"), "Who has a costing model?")

			// A reply through B: A shows it at once, on the page and in the API.
			wantStatus(t, mgr.post(thread+"/posts", url.Values{"body": {"Mozambique costed its APEs in 2019."}}), http.StatusSeeOther)
			fresh(t, anon.via(a), thread, threadTag, "Mozambique costed its APEs in 2019.")
			fresh(t, anon.via(a), "/api/v1/threads/"+strings.TrimPrefix(thread, "/threads/"), apiTag, "Mozambique costed its APEs in 2019.")
			fresh(t, anon, "/communities/open-health/feed.atom", "", "Costing community health workers")

			// A reply through B's API: A's cached thread page shows it at once.
			threadTag = page(t, anon.via(a), thread, "Mozambique costed its APEs in 2019.")
			api := b.apiClient(manager)
			wantStatus(t, api.json("POST", "/api/v1"+thread+"/posts", map[string]any{"body": "Ghana too, with its CHPS zones."}), http.StatusCreated)
			fresh(t, anon.via(a), thread, threadTag, "Ghana too, with its CHPS zones.")

			// Logging out through B ends the session on A too.
			wantStatus(t, onB.post("/logout", nil), http.StatusSeeOther)
			if r := onA.get("/settings/profile"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("after logging out through B, A answers %d (Location %q), want a redirect to /login", r.StatusCode, r.Header.Get("Location"))
			}
		})
	}
}

// TestReportsFromReplica: with a read-only replica, every report page,
// export and API answer works, computed from the replica; nothing the
// reports do writes (a write through the replica's pool fails).
func TestReportsFromReplica(t *testing.T) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			dsn := dbtest.DSN(t, d)
			cfg := config.Default()
			cfg.DB, cfg.BaseURL, cfg.Data = dsn, baseURL, t.TempDir()
			db, err := app.OpenDB(ctx, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			f := newCommunityFixture(t, db)
			member := f.user("early@example.org", false)
			if _, _, err := community.NewStore(db).AddMember(ctx, f.public, community.NewMember{UserID: member.ID}, f.manager); err != nil {
				t.Fatal(err)
			}

			// The replica: on SQLite a copy taken now, which then lags
			// behind the primary, so the reports show they come from it; on
			// PostgreSQL a second, read-only pool on the same database,
			// whose connections carry a name we look for afterwards.
			var replicaDSN, appName string
			if d == sqldb.SQLite {
				copyPath := filepath.Join(t.TempDir(), "replica.db")
				if err := db.Backup(ctx, copyPath); err != nil {
					t.Fatal(err)
				}
				replicaDSN = "sqlite:" + copyPath
			} else {
				b := make([]byte, 6)
				rand.Read(b)
				appName = "harambee-reports-" + hex.EncodeToString(b)
				replicaDSN = dsn + "&application_name=" + appName
			}
			rcfg := cfg
			rcfg.DBReplica = replicaDSN
			if err := rcfg.Check(); err != nil {
				t.Fatal(err)
			}
			backends, err := app.OpenBackends(ctx, db, rcfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { backends.Close() })
			if _, err := backends.Reports.Exec(ctx, "UPDATE communities SET name = 'written to the replica'"); err == nil {
				t.Fatal("a write through the replica's pool succeeded")
			}
			srv := httptest.NewServer(app.BackedHandler(db, rcfg, slog.New(slog.DiscardHandler), nil, backends))
			t.Cleanup(srv.Close)
			rs := &site{t: t, db: db, srv: srv}

			// A member joins after the copy was taken.
			late := f.user("late@example.org", false)
			if _, _, err := community.NewStore(db).AddMember(ctx, f.public, community.NewMember{UserID: late.ID}, f.manager); err != nil {
				t.Fatal(err)
			}

			total := func(s *site) int {
				var rep struct{ Members struct{ Total int } }
				decodeJSON(t, s.apiClient(f.manager).get("/api/v1/communities/open-health/report"), &rep)
				return rep.Members.Total
			}
			// manager and member from the fixture, early, then late.
			wantPrimary, wantReplica := 4, 4
			if d == sqldb.SQLite {
				wantReplica = 3
			}
			if got := total(f.site); got != wantPrimary {
				t.Errorf("report from the primary: %d members, want %d", got, wantPrimary)
			}
			if got := total(rs); got != wantReplica {
				t.Errorf("report from the replica: %d members, want %d", got, wantReplica)
			}

			// Every report route answers through the replica.
			wantStatus(t, rs.client().do("PUT", "/api/v1/communities/open-health/impact", strings.NewReader(`{"published":true}`), "application/json"), http.StatusUnauthorized)
			wantStatus(t, rs.apiClient(f.manager).json("PUT", "/api/v1/communities/open-health/impact", map[string]any{"published": true}), http.StatusOK)
			mgr, admin := rs.loggedIn("manager@example.org"), rs.loggedIn("admin@example.org")
			for _, tt := range []struct {
				c    *client
				path string
			}{
				{mgr, "/communities/open-health/report"},
				{mgr, "/communities/open-health/report?year=2026"},
				{mgr, "/communities/open-health/report/export?format=csv"},
				{mgr, "/communities/open-health/report/export?format=pdf"},
				{mgr, "/communities/open-health/report/export?format=json"},
				{rs.client(), "/communities/open-health/impact"},
				{admin, "/admin/report"},
				{admin, "/admin/report/export?format=csv"},
				{rs.apiClient(f.admin), "/api/v1/site/report"},
				{rs.client(), "/api/v1/communities/open-health/impact"},
			} {
				if r := tt.c.get(tt.path); r.StatusCode != http.StatusOK {
					t.Errorf("GET %s through the replica: %d\n%.300s", tt.path, r.StatusCode, r.body)
				}
			}
			if d == sqldb.Postgres {
				// Each connection shows the last statement it ran.
				rows, err := db.Query(ctx, "SELECT query FROM pg_stat_activity WHERE application_name = ?", appName)
				queries, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (string, error) {
					var q string
					return q, s.Scan(&q)
				})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("replica connections last ran %.200q", queries)
				if !slices.ContainsFunc(queries, func(q string) bool { return strings.Contains(q, " FROM ") }) {
					t.Errorf("no connection of the replica's pool ran a report query: %q", queries)
				}
			}
		})
	}
}

// TestUploadsOnS3: with --storage on an S3 bucket, a resource uploaded
// through the pages and another through the API land in the bucket (not on
// the instance's disk), are downloaded whole and by range through either of
// two instances, and a deleted resource's file leaves the bucket.
func TestUploadsOnS3(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s3 := storagetest.StartS3(t, "harambee-uploads")
		data := t.TempDir()
		newInstance := func() *site {
			cfg := config.Default()
			cfg.BaseURL, cfg.Data, cfg.Storage = baseURL, data, s3.URL
			if err := cfg.Check(); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(app.Handler(db, cfg, slog.New(slog.DiscardHandler)))
			t.Cleanup(srv.Close)
			return &site{t: t, db: db, srv: srv}
		}
		a, b := newInstance(), newInstance()
		f := newCommunityFixture(t, db)
		pdf := []byte("%PDF-1.7\n" + strings.Repeat("costing toolkit ", 4000))
		body, ctype := multipartBody(t, map[string][]string{"title": {"School WASH costing toolkit"}, "kind": {"toolkit"}, "language": {"en"}},
			"file", "toolkit.pdf", pdf)
		r := a.loggedIn("manager@example.org").do("POST", "/communities/wash/library", body, ctype)
		wantStatus(t, r, http.StatusSeeOther)
		resource := strings.Split(r.Header.Get("Location"), "?")[0]

		body, ctype = multipartBody(t, map[string][]string{"title": {"Data"}, "language": {"pt"}, "kind": {"dataset"}}, "file", "dados.csv", []byte("a,b\n1,2\n"))
		r = a.apiClient(f.manager).do("POST", "/api/v1/communities/wash/resources", body, ctype)
		wantStatus(t, r, http.StatusCreated)
		var created struct{ ID int64 }
		decodeJSON(t, r, &created)

		objects := s3.Objects(t)
		sizes := map[int64]bool{}
		for _, n := range objects {
			sizes[n] = true
		}
		if len(objects) != 2 || !sizes[int64(len(pdf))] || !sizes[8] {
			t.Errorf("objects in the bucket: %v, want the PDF (%d bytes) and the CSV (8 bytes)", objects, len(pdf))
		}
		if m, _ := filepath.Glob(filepath.Join(data, "*")); len(m) != 0 {
			t.Errorf("files written to the data directory: %v", m)
		}

		member := b.loggedIn("member@example.org")
		r = member.get(resource + "/download")
		wantStatus(t, r, http.StatusOK)
		if r.body != string(pdf) || r.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download through B: %d bytes, %s", len(r.body), r.Header.Get("Content-Type"))
		}
		// A download resumed on a slow link asks for the rest.
		req, _ := http.NewRequest("GET", b.srv.URL+resource+"/download", nil)
		req.Header.Set("Range", "bytes=9-24")
		resp, err := member.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || string(part) != "costing toolkit " {
			t.Errorf("range download: %d %q", resp.StatusCode, part)
		}
		wantStatus(t, b.loggedIn("outsider@example.org").get(resource+"/download"), http.StatusForbidden)

		// ZIP uploads are opened to tell an office document from an
		// archive; a refused one leaves nothing in the bucket.
		api := b.apiClient(f.manager)
		body, ctype = multipartBody(t, map[string][]string{"title": {"Broken"}, "language": {"en"}}, "file", "broken.zip", []byte("PK\x03\x04garbage"))
		wantAPIError(t, api.do("POST", "/api/v1/communities/wash/resources", body, ctype), http.StatusBadRequest, "validation_failed", "file")
		var docx bytes.Buffer
		zw := zip.NewWriter(&docx)
		w, _ := zw.Create("word/document.xml")
		w.Write([]byte("<w:document/>"))
		zw.Close()
		body, ctype = multipartBody(t, map[string][]string{"title": {"Minutes"}, "language": {"en"}}, "file", "minutes.docx", docx.Bytes())
		r = api.do("POST", "/api/v1/communities/wash/resources", body, ctype)
		wantStatus(t, r, http.StatusCreated)
		if !strings.Contains(r.body, "wordprocessingml") {
			t.Errorf("a Word document stored on S3 was not recognised: %s", r.body)
		}
		if n := len(s3.Objects(t)); n != 3 {
			t.Errorf("the bucket holds %d objects, want 3 (the refused ZIP removed)", n)
		}
		r = api.get("/api/v1/resources/" + strconv.FormatInt(created.ID, 10))
		wantStatus(t, r, http.StatusOK)
	})
}
