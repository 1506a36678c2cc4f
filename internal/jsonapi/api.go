// Package jsonapi serves the JSON API under /api/v1: the same domain calls
// and validation as the web pages, answered as JSON, with bearer tokens, one
// error envelope and one way to page lists. The OpenAPI document in
// openapi.json describes every route; a test keeps the two in step.
package jsonapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/httplog"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
)

// Options are what the API needs from the application.
type Options struct {
	DB     *sqldb.DB
	Config config.Config
	Log    *slog.Logger
	// Files keeps uploaded files; without it they go to a directory under
	// Config.Data.
	Files storage.Store
	// Reports is the read-only database that report queries go to (a
	// replica, --db-replica); nil sends them to DB.
	Reports *sqldb.DB
}

// Server holds the dependencies of the API handlers.
type Server struct {
	files   storage.Store
	db      *sqldb.DB
	reports *sqldb.DB // report queries only: a read-only replica, or db
	cfg     config.Config
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []string // "METHOD /path" of every /api/v1 route, for the OpenAPI test
}

// New returns the API server.
func New(opts Options) *Server {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	files := opts.Files
	if files == nil {
		files = storage.Lazy(filepath.Join(opts.Config.Data, "files"))
	}
	reports := opts.Reports
	if reports == nil {
		reports = opts.DB
	}
	s := &Server{files: files, db: opts.DB, reports: reports, cfg: opts.Config, log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Write(OpenAPI())
	})
	s.register()
	s.mux.HandleFunc("/api/", s.noRoute)
	return s
}

// Handler returns the API.
func (s *Server) Handler() http.Handler { return s.mux }

// Routes returns the "METHOD /path" pattern of every /api/v1 route.
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// call is what a handler knows about the request beyond *http.Request: who
// calls (nil when anonymous) and in which language to answer.
type call struct {
	user *account.User
	l    *i18n.Localizer
}

type handler func(w http.ResponseWriter, r *http.Request, c *call) error

// access says who may call a route. Routes that an anonymous reader may use
// still see the caller when a token is given.
type access int

const (
	anyone access = iota
	member
	admin
)

func (s *Server) handle(pattern string, need access, h handler) {
	s.handleLimited(pattern, need, h, false)
}

// handleUpload registers a route that takes a file, as the raw body or in a
// multipart form: it sets its own size limit instead of the 1 MiB of JSON.
func (s *Server) handleUpload(pattern string, need access, h handler) {
	s.handleLimited(pattern, need, h, true)
}

func (s *Server) handleLimited(pattern string, need access, h handler, upload bool) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{}
		user, err := s.authenticate(r)
		if user != nil {
			c.user = user
		}
		var memberLang string
		if user != nil {
			memberLang = user.Language
		}
		c.l = i18n.For(i18n.Negotiate(r.Header.Get("Accept-Language"), r.URL.Query().Get("lang"), memberLang))
		w.Header().Set("Cache-Control", "no-store")
		switch {
		case err != nil:
		case need >= member && c.user == nil:
			err = account.ErrUnauthenticated
		case need == admin && !c.user.Admin:
			err = account.ErrForbidden
		default:
			if !upload {
				r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			}
			err = h(w, r, c)
		}
		if err != nil {
			s.fail(w, r, c, err)
		}
	}))
}

// authenticate finds the caller from a bearer token, or else the session
// cookie of a logged-in browser. A token that is given but wrong is an
// error, even on routes that anonymous readers may use.
func (s *Server) authenticate(r *http.Request) (*account.User, error) {
	st := account.NewStore(s.db)
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return nil, account.ErrUnauthenticated
		}
		u, err := st.TokenUser(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return nil, err
		}
		return &u, nil
	}
	if c, err := r.Cookie(account.SessionCookie); err == nil && c.Value != "" {
		u, err := st.SessionUser(r.Context(), c.Value)
		if errors.Is(err, account.ErrUnauthenticated) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &u, nil
	}
	return nil, nil
}

// noRoute answers requests that match no route: 405 when the path exists
// with another method, 404 otherwise, both in the error envelope.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	c := &call{l: i18n.For(i18n.Negotiate(r.Header.Get("Accept-Language"), r.URL.Query().Get("lang")))}
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", c.l.T("api.method_not_allowed", strings.Join(allowed, ", ")), nil)
		return
	}
	writeError(w, http.StatusNotFound, "not_found", c.l.T("api.not_found"), nil)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	return enc.Encode(v)
}

// logError logs an unexpected failure with the request id.
func (s *Server) logError(r *http.Request, err error) {
	s.log.Error("api failed", "request_id", httplog.ID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
}
