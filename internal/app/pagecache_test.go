package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestAnonymousPageCache: anonymous readers get pages from the cache, with
// an ETag and 304 on a match; a change made through the site or the API
// shows at once on the next anonymous request, on this instance and on
// another one sharing the database; a logged-in reader never gets the
// anonymous page.
func TestAnonymousPageCache(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		// A second instance on the same database, with its own cache.
		cfg := config.Default()
		cfg.Data = t.TempDir()
		other := httptest.NewServer(app.Handler(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
		defer other.Close()

		owner := s.user("owner@example.org", false)
		s.user("reader@example.org", false)
		c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "cache", Name: "Cache community", Description: "About caching.",
			Language: "en", Visibility: community.Public, JoinPolicy: community.Open, PrimarySDG: 3}, owner)
		if err != nil {
			t.Fatal(err)
		}
		th, err := discussion.NewStore(db).CreateThread(ctx, c, community.Viewer{User: &owner, Role: community.RoleManager},
			discussion.NewThread{Title: "Which registry first?", Body: "Tell us.", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/threads/" + strconv.FormatInt(th.ID, 10)
		anon := s.client()
		get := func(base, path, etag string) (*http.Response, string) {
			t.Helper()
			req, _ := http.NewRequest("GET", base+path, nil)
			if etag != "" {
				req.Header.Set("If-None-Match", etag)
			}
			resp, err := anon.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}

		first, body := get(s.srv.URL, path, "")
		etag := first.Header.Get("ETag")
		if first.StatusCode != 200 || etag == "" || !strings.Contains(body, "Which registry first?") {
			t.Fatalf("first anonymous read: %d, ETag %q", first.StatusCode, etag)
		}
		if len(first.Cookies()) != 0 {
			t.Errorf("an anonymous page set cookies: %v", first.Cookies())
		}
		again, _ := get(s.srv.URL, path, etag)
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match with the page's ETag: %d, want 304", again.StatusCode)
		}
		// Warm the other instance's cache too.
		if r, body := get(other.URL, path, ""); r.StatusCode != 200 || !strings.Contains(body, "Which registry first?") {
			t.Fatalf("other instance: %d", r.StatusCode)
		}

		// A reply through the site: the next anonymous read shows it, here
		// and on the other instance, and the old ETag no longer matches.
		member := s.loggedIn("owner@example.org")
		wantStatus(t, member.post(path+"/posts", url.Values{"body": {"Start with the birth registry."}}), http.StatusSeeOther)
		for _, base := range []string{s.srv.URL, other.URL} {
			r, body := get(base, path, etag)
			if r.StatusCode != 200 || !strings.Contains(body, "Start with the birth registry.") {
				t.Errorf("%s after a reply: %d, reply shown %v", base, r.StatusCode, strings.Contains(body, "Start with the birth registry."))
			}
		}

		// A change through the API, and the community page.
		home := "/communities/cache"
		if r, _ := get(other.URL, home, ""); r.StatusCode != 200 {
			t.Fatalf("community page: %d", r.StatusCode)
		}
		api := s.apiClient(owner)
		wantStatus(t, api.json("PATCH", "/api/v1/threads/"+strconv.FormatInt(th.ID, 10), map[string]string{"title": "Which civil registry first?", "body": "Tell us."}), http.StatusOK)
		if _, body := get(other.URL, path, ""); !strings.Contains(body, "Which civil registry first?") {
			t.Errorf("the other instance does not show the title changed through the API")
		}
		if _, body := get(other.URL, home, ""); !strings.Contains(body, "Which civil registry first?") {
			t.Errorf("the community page does not show the title changed through the API")
		}

		// The thread moved to another community: the cached page names the
		// new one, and from then on a change in the new community (not
		// the old) is what makes it render anew.
		if _, err := community.NewStore(db).Create(ctx, community.Input{Slug: "archive", Name: "Registry archive", Description: "Older questions.",
			Language: "en", Visibility: community.Public, JoinPolicy: community.Open, PrimarySDG: 16}, owner); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, member.post(path+"/move", url.Values{"community": {"archive"}}), http.StatusSeeOther)
		if _, body := get(other.URL, path, ""); !strings.Contains(body, "Registry archive") {
			t.Errorf("the other instance's thread page does not name the community it moved to")
		}
		wantStatus(t, member.post(path+"/posts", url.Values{"body": {"Moved here, still open."}}), http.StatusSeeOther)
		if _, body := get(other.URL, path, ""); !strings.Contains(body, "Moved here, still open.") {
			t.Errorf("the other instance does not show a reply made after the move")
		}

		// A logged-in reader gets the page made for them, never the cached one.
		reader := s.loggedIn("reader@example.org")
		r := reader.get(path)
		if r.StatusCode != 200 || r.Header.Get("ETag") != "" || !strings.Contains(r.body, `action="/logout"`) || strings.Contains(r.Header.Get("Cache-Control"), "public") {
			t.Errorf("logged-in read: %d, ETag %q, Cache-Control %q", r.StatusCode, r.Header.Get("ETag"), r.Header.Get("Cache-Control"))
		}
		if _, body := get(s.srv.URL, path, ""); strings.Contains(body, "reader@example.org") || strings.Contains(body, `action="/logout"`) {
			t.Errorf("the anonymous page shows a logged-in reader's page")
		}
	})
}
