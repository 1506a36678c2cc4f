package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestNewMemberJourney walks the foundation's "done when": a visitor
// registers, the administrator finds the verification link in the outbox,
// the member verifies, logs in, fills in the profile in French and calls the
// API with a token.
func TestNewMemberJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.user("admin@example.org", true)
		admin := s.loggedIn("admin@example.org")
		visitor := s.client()

		wantStatus(t, visitor.get("/register"), 200)
		r := visitor.post("/register", url.Values{"name": {"Fatoumata Diallo"}, "email": {"Fatou.Diallo@Sante.example.org"}, "password": {"une phrase secrète"}, "country": {"SN"}})
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/register/sent" {
			t.Fatalf("after registering: redirect to %q", loc)
		}

		// The administrator reads the outbox and opens the message.
		r = admin.get("/admin/outbox")
		wantStatus(t, r, 200)
		m := regexp.MustCompile(`href="(/admin/outbox/\d+)"`).FindStringSubmatch(r.body)
		if m == nil || !strings.Contains(r.body, "fatou.diallo@sante.example.org") {
			t.Fatalf("the outbox does not list the verification message:\n%s", r.body)
		}
		r = admin.get(m[1])
		wantStatus(t, r, 200)
		link := regexp.MustCompile(`href="http://harambee.test(/verify\?token=[^"]+)"`).FindStringSubmatch(r.body)
		if link == nil {
			t.Fatalf("no verification link in the message:\n%s", r.body)
		}

		// Logging in before verifying is refused with a way out.
		r = visitor.post("/login", url.Values{"email": {"fatou.diallo@sante.example.org"}, "password": {"une phrase secrète"}})
		wantStatus(t, r, http.StatusForbidden)
		if !strings.Contains(r.body, `action="/verify/resend"`) {
			t.Error("the log-in page does not offer to resend the link")
		}

		wantStatus(t, visitor.get(strings.ReplaceAll(link[1], "&amp;", "&")), 200)
		r = visitor.post("/login", url.Values{"email": {"FATOU.DIALLO@sante.example.org"}, "password": {"une phrase secrète"}, "next": {"/settings/profile"}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.Header.Get("Location") != "/settings/profile" {
			t.Errorf("after log-in: redirect to %q, want /settings/profile", r.Header.Get("Location"))
		}
		cookie := r.Header.Get("Set-Cookie")
		for _, attr := range []string{"harambee_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("session cookie %q lacks %s", cookie, attr)
			}
		}

		// The profile form, in French.
		r = visitor.get("/settings/profile?lang=fr")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `<html lang="fr"`) || !strings.Contains(r.body, i18n.For("fr").T("profile.edit_title")) {
			t.Fatalf("the profile page is not in French")
		}
		form := url.Values{
			"name": {"Fatoumata Diallo"}, "position": {"Cheffe de division"}, "organization": {"Ministère de la Santé"},
			"organization_type": {"government"}, "country": {"SN"}, "languages": {"fr", "wo", "en"},
			"expertise": {"santé maternelle, PTME"}, "bio": {"**Vingt ans** de santé publique."},
			"timezone": {"Africa/Dakar"}, "language": {"fr"}, "visibility": {"public"},
		}
		r = visitor.post("/settings/profile", form)
		wantStatus(t, r, http.StatusSeeOther)
		r = visitor.get(r.Header.Get("Location"))
		if !strings.Contains(r.body, i18n.For("fr").T("flash.profile_saved")) {
			t.Error("no French confirmation after saving")
		}

		// A bad field comes back with its message next to it, in French.
		form.Set("country", "XX")
		r = visitor.post("/settings/profile", form)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, `id="e-country"`) || !strings.Contains(r.body, i18n.For("fr").T("error.country")) || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Error("the country error is not shown next to its field in French")
		}

		// The API, with a token made on the settings page.
		r = visitor.post("/settings/tokens", url.Values{"name": {"script"}})
		wantStatus(t, r, 200)
		token := regexp.MustCompile(`hmb_[a-z2-7]+`).FindString(r.body)
		if token == "" {
			t.Fatal("the new token is not shown")
		}
		api := s.client()
		api.token = token
		r = api.get("/api/v1/me")
		wantStatus(t, r, 200)
		var me struct {
			Email, Name, Country, Region, Organization, Language, Position string
			Languages, Expertise                                           []string
		}
		decodeJSON(t, r, &me)
		if me.Email != "fatou.diallo@sante.example.org" || me.Country != "SN" || me.Region != "002" || me.Language != "fr" ||
			strings.Join(me.Languages, ",") != "en,fr,wo" || strings.Join(me.Expertise, "|") != "santé maternelle|PTME" {
			t.Errorf("GET /api/v1/me = %+v", me)
		}

		// Log out ends the session.
		wantStatus(t, visitor.post("/logout", nil), http.StatusSeeOther)
		r = visitor.get("/settings/profile")
		wantStatus(t, r, http.StatusSeeOther)
		if !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
			t.Errorf("after log-out, settings redirect to %q", r.Header.Get("Location"))
		}
	})
}

func TestAnonymousPagesSetNoCookie(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		u := s.user("public@example.org", false)
		c := s.client()
		c.lang = "pt-BR,pt;q=0.9"
		for _, path := range []string{"/", "/login", "/register", "/password/forgot", "/members/" + strconv.FormatInt(u.ID, 10), "/no/such/page", "/healthz", "/api/openapi.json", "/?lang=fr"} {
			r := c.get(path)
			if sc := r.Header.Values("Set-Cookie"); len(sc) > 0 {
				t.Errorf("GET %s set cookies %v", path, sc)
			}
		}
	})
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.user("ana@example.org", false)
		c := s.loggedIn("ana@example.org")
		req, _ := http.NewRequest("POST", s.srv.URL+"/settings/tokens", strings.NewReader("name=evil"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST: status %d, want 403", resp.StatusCode)
		}
		var n int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM api_tokens").Scan(&n)
		if n != 0 {
			t.Error("the cross-site POST created a token")
		}
		// The same POST from the site itself works.
		req.Header.Set("Origin", s.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Body = http.NoBody
		resp, err = c.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("same-origin POST: status %d, want 200", resp.StatusCode)
		}
	})
}

// TestRouteAccess checks every route that needs a role with each kind of
// caller: the least privilege the route needs, and a refusal for the rest.
func TestRouteAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.user("admin@example.org", true)
		member := s.user("member@example.org", false)
		private := s.user("private@example.org", false)
		account.NewStore(db).UpdateProfile(ctx, private.ID, account.Profile{Name: "Private", Visibility: account.VisibilityPrivate})
		membersOnly := s.user("members@example.org", false)
		account.NewStore(db).UpdateProfile(ctx, membersOnly.ID, account.Profile{Name: "Members only", Visibility: account.VisibilityMembers})
		clients := map[string]*client{
			"anonymous": s.client(),
			"member":    s.loggedIn("member@example.org"),
			"admin":     s.loggedIn("admin@example.org"),
		}
		id := func(u account.User) string { return strconv.FormatInt(u.ID, 10) }
		tests := []struct {
			method, path string
			want         map[string]int
		}{
			{"GET", "/admin", map[string]int{"anonymous": 303, "member": 403, "admin": 200}},
			{"GET", "/admin/outbox", map[string]int{"anonymous": 303, "member": 403, "admin": 200}},
			{"GET", "/admin/outbox/1", map[string]int{"anonymous": 303, "member": 403, "admin": 404}},
			{"GET", "/settings/profile", map[string]int{"anonymous": 303, "member": 200, "admin": 200}},
			{"GET", "/settings/account", map[string]int{"anonymous": 303, "member": 200, "admin": 200}},
			{"GET", "/settings/tokens", map[string]int{"anonymous": 303, "member": 200, "admin": 200}},
			{"POST", "/settings/tokens", map[string]int{"anonymous": 401, "member": 200, "admin": 200}},
			{"POST", "/settings/tokens/999/revoke", map[string]int{"anonymous": 401, "member": 404, "admin": 404}},
			{"GET", "/members/" + id(member), map[string]int{"anonymous": 200, "member": 200, "admin": 200}},
			{"GET", "/members/" + id(membersOnly), map[string]int{"anonymous": 404, "member": 200, "admin": 200}},
			{"GET", "/members/" + id(private), map[string]int{"anonymous": 404, "member": 404, "admin": 200}},
			{"GET", "/members/abc", map[string]int{"anonymous": 404, "member": 404, "admin": 404}},
			{"GET", "/api/v1/me", map[string]int{"anonymous": 401, "member": 200, "admin": 200}},
			{"GET", "/api/v1/users", map[string]int{"anonymous": 401, "member": 403, "admin": 200}},
			{"POST", "/api/v1/users", map[string]int{"anonymous": 401, "member": 403, "admin": 400}},
			{"GET", "/api/v1/users/" + id(private), map[string]int{"anonymous": 404, "member": 404, "admin": 200}},
			{"GET", "/api/v1/users/" + id(membersOnly), map[string]int{"anonymous": 404, "member": 200, "admin": 200}},
		}
		for _, tt := range tests {
			for who, want := range tt.want {
				c := clients[who]
				var r response
				if tt.method == "GET" {
					r = c.get(tt.path)
				} else if strings.HasPrefix(tt.path, "/api/") {
					r = c.json(tt.method, tt.path, "{}")
				} else {
					r = c.post(tt.path, url.Values{})
				}
				if r.StatusCode != want {
					t.Errorf("%s %s as %s: status %d, want %d", tt.method, tt.path, who, r.StatusCode, want)
				}
			}
		}
	})
}

func TestLanguageChoice(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		u := s.user("ana@example.org", false)
		htmlLang := regexp.MustCompile(`<html lang="(\w+)"`)
		lang := func(c *client, path string) string {
			m := htmlLang.FindStringSubmatch(c.get(path).body)
			if m == nil {
				t.Fatalf("GET %s: no <html lang>", path)
			}
			return m[1]
		}
		anon := s.client()
		if got := lang(anon, "/"); got != "en" {
			t.Errorf("no preference: %s, want en", got)
		}
		anon.lang = "es-CO,es;q=0.9,en;q=0.5"
		if got := lang(anon, "/"); got != "es" {
			t.Errorf("Accept-Language es-CO: %s, want es", got)
		}
		if got := lang(anon, "/?lang=pt"); got != "pt" {
			t.Errorf("?lang=pt: %s, want pt", got)
		}
		// The switcher saves a visitor's choice in a cookie, set by the POST.
		r := anon.post("/language", url.Values{"lang": {"fr"}, "next": {"/login"}})
		wantStatus(t, r, http.StatusSeeOther)
		if r.Header.Get("Location") != "/login" {
			t.Errorf("switcher returns to %q, want /login", r.Header.Get("Location"))
		}
		if got := lang(anon, "/"); got != "fr" {
			t.Errorf("after choosing French: %s", got)
		}
		if r := anon.post("/language", url.Values{"lang": {"de"}}); r.StatusCode != 400 {
			t.Errorf("unsupported language: status %d, want 400", r.StatusCode)
		}
		if r := anon.post("/language", url.Values{"lang": {"pt"}, "next": {"https://evil.example/"}}); r.Header.Get("Location") != "/" {
			t.Errorf("switcher followed an outside next: %q", r.Header.Get("Location"))
		}
		// A member's setting beats the browser; ?lang= beats both.
		account.NewStore(db).SetLanguage(ctx, u.ID, "pt")
		member := s.loggedIn("ana@example.org")
		member.lang = "es"
		if got := lang(member, "/"); got != "pt" {
			t.Errorf("member setting pt, browser es: %s", got)
		}
		if got := lang(member, "/?lang=en"); got != "en" {
			t.Errorf("?lang=en for a member: %s", got)
		}
	})
}

func TestLoginPageLimitsAttempts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.user("ana@example.org", false)
		c := s.client()
		wrong := url.Values{"email": {"ana@example.org"}, "password": {"not the password"}}
		unknown := url.Values{"email": {"nobody@example.org"}, "password": {"not the password"}}
		r1, r2 := c.post("/login", wrong), c.post("/login", unknown)
		if r1.StatusCode != 401 || r2.StatusCode != 401 {
			t.Fatalf("wrong password %d, unknown address %d; want 401 for both", r1.StatusCode, r2.StatusCode)
		}
		msg := regexp.MustCompile(`role="alert"><p>([^<]+)</p>`)
		if a, b := msg.FindString(r1.body), msg.FindString(r2.body); a == "" || a != b {
			t.Errorf("messages differ: %q vs %q", a, b)
		}
		for range 4 {
			c.post("/login", wrong)
		}
		r := c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {"a good long passphrase"}})
		wantStatus(t, r, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on 429")
		}
	})
}

func TestPasswordResetPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.user("ana@example.org", false)
		c := s.client()
		known := c.post("/password/forgot", url.Values{"email": {"ana@example.org"}})
		unknown := c.post("/password/forgot", url.Values{"email": {"nobody@example.org"}})
		wantStatus(t, known, 200)
		if strip(known.body) != strip(unknown.body) {
			t.Error("the answer differs for an address without an account")
		}
		var text string
		db.QueryRow(ctx, "SELECT text_body FROM outbox WHERE to_address = ?", "ana@example.org").Scan(&text)
		link := regexp.MustCompile(`http://harambee.test(/password/reset\?token=\S+)`).FindStringSubmatch(text)
		if link == nil {
			t.Fatalf("no reset link in %q", text)
		}
		wantStatus(t, c.get(link[1]), 200)
		token := strings.TrimPrefix(link[1], "/password/reset?token=")
		tok, _ := url.QueryUnescape(token)
		r := c.post("/password/reset", url.Values{"token": {tok}, "password": {"short"}})
		wantStatus(t, r, 400)
		r = c.post("/password/reset", url.Values{"token": {tok}, "password": {"my new long passphrase"}})
		wantStatus(t, r, http.StatusSeeOther)
		wantStatus(t, c.get(link[1]), 400)
		r = c.post("/login", url.Values{"email": {"ana@example.org"}, "password": {"my new long passphrase"}})
		wantStatus(t, r, http.StatusSeeOther)
	})
}

// strip removes the per-request parts of a page (none today) so two answers
// can be compared.
func strip(s string) string { return s }

func TestMarkupInProfileIsInert(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		u := s.user("ana@example.org", false)
		_, err := account.NewStore(db).UpdateProfile(ctx, u.ID, account.Profile{
			Name:         `Ana <script>alert(1)</script>`,
			Organization: `"><img src=x onerror=alert(1)>`,
			Bio:          "[click](javascript:alert(1)) <iframe src=//evil></iframe> <b onmouseover=alert(1)>x</b>",
			Visibility:   account.VisibilityPublic,
			Expertise:    []string{`<svg onload=alert(1)>`},
		})
		if err != nil {
			t.Fatal(err)
		}
		body := s.client().get("/members/" + strconv.FormatInt(u.ID, 10)).body
		for _, bad := range []string{"<script>alert", "<img src=x", "javascript:", "<iframe", "onmouseover=", "<svg onload"} {
			if strings.Contains(body, bad) {
				t.Errorf("the profile page contains %q", bad)
			}
		}
		if !strings.Contains(body, "Ana &lt;script&gt;") {
			t.Error("the name is not shown escaped")
		}
	})
}

func TestHealthz(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		r := s.client().get("/healthz")
		wantStatus(t, r, 200)
		if strings.TrimSpace(r.body) != `{"status":"ok"}` {
			t.Errorf("body %q", r.body)
		}
		db.Close()
		wantStatus(t, s.client().get("/healthz"), http.StatusServiceUnavailable)
	})
}

func TestPagesAreCompressed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		req, _ := http.NewRequest("GET", s.srv.URL+"/register", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
		}
		css := regexp.MustCompile(`href="(/static/style\.[0-9a-f]+\.css)"`).FindStringSubmatch(s.client().get("/").body)
		if css == nil {
			t.Fatal("no fingerprinted stylesheet")
		}
		r := s.client().get(css[1])
		wantStatus(t, r, 200)
		if !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("stylesheet Cache-Control %q", r.Header.Get("Cache-Control"))
		}
	})
}
