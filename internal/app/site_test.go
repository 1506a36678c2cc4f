package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

var ctx = context.Background()

// site is a running Harambee on a test database, reached over real HTTP.
type site struct {
	t   *testing.T
	db  *sqldb.DB
	srv *httptest.Server
}

func newSite(t *testing.T, db *sqldb.DB) *site {
	t.Helper()
	cfg := config.Default()
	cfg.BaseURL = "http://harambee.test"
	cfg.Data = t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(app.Handler(db, cfg, log))
	t.Cleanup(srv.Close)
	return &site{t: t, db: db, srv: srv}
}

// client is a browser: it keeps cookies and does not follow redirects, so
// tests see each answer.
type client struct {
	s     *site
	http  *http.Client
	token string // bearer token for API calls
	lang  string // Accept-Language
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is an answer with its body read.
type response struct {
	*http.Response
	body string
}

func (c *client) do(method, path string, body io.Reader, contentType string) response {
	c.s.t.Helper()
	req, err := http.NewRequest(method, c.s.srv.URL+path, body)
	if err != nil {
		c.s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Response: resp, body: string(b)}
}

func (c *client) get(path string) response { return c.do("GET", path, nil, "") }

func (c *client) post(path string, form url.Values) response {
	return c.do("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func (c *client) json(method, path string, body any) response {
	var r io.Reader
	if s, ok := body.(string); ok {
		r = strings.NewReader(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = strings.NewReader(string(b))
	}
	return c.do(method, path, r, "application/json")
}

// user creates a verified account and returns it.
func (s *site) user(email string, admin bool) account.User {
	s.t.Helper()
	u, err := account.NewStore(s.db).CreateUser(ctx, account.NewUser{
		Email: email, Password: "a good long passphrase", Admin: admin, Verified: true,
		Profile: account.Profile{Name: strings.Split(email, "@")[0], Country: "MZ", Visibility: account.VisibilityPublic},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// loggedIn returns a browser logged in as the account.
func (s *site) loggedIn(email string) *client {
	s.t.Helper()
	c := s.client()
	r := c.post("/login", url.Values{"email": {email}, "password": {"a good long passphrase"}})
	if r.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("log in as %s: status %d", email, r.StatusCode)
	}
	return c
}

// apiClient returns a client that calls the API with a token of the account.
func (s *site) apiClient(u account.User) *client {
	s.t.Helper()
	_, token, err := account.NewStore(s.db).CreateToken(ctx, u.ID, "test")
	if err != nil {
		s.t.Fatal(err)
	}
	c := s.client()
	c.token = token
	return c
}

func decodeJSON(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.StatusCode != want {
		body := r.body
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, body)
	}
}

// TestReaderWhoLeftIsNotAServerError checks that a request whose reader
// went away before its page was ready is logged as 499, not as a failure of
// ours: a dropped mobile connection is common and no one should be paged
// for it.
func TestReaderWhoLeftIsNotAServerError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		cfg := config.Default()
		cfg.BaseURL = "http://harambee.test"
		cfg.Data = t.TempDir()
		var logged strings.Builder
		h := app.Handler(db, cfg, slog.New(slog.NewTextHandler(&logged, nil)))
		gone, cancel := context.WithCancel(ctx)
		cancel()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/communities", nil).WithContext(gone))
		if rec.Code != 499 || strings.Contains(logged.String(), "level=ERROR") {
			t.Errorf("status %d, log:\n%s", rec.Code, logged.String())
		}
		// The same page for a reader still there is served.
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/communities", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("status %d for a reader still there", rec.Code)
		}
	})
}
