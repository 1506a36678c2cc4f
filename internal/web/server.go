// Package web serves Harambee's HTML pages: thin handlers over the domain
// packages, rendered with the templ components of package view. Every page
// works without JavaScript; every action is a form POST followed by a
// redirect.
package web

import (
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
)

// Options are what the web pages need from the application.
type Options struct {
	DB     *sqldb.DB
	Config config.Config
	Log    *slog.Logger
	// Files keeps uploaded files; without it they go to a directory under
	// Config.Data.
	Files storage.Store
	// PageViews counts page views; nil counts none.
	PageViews *analytics.Recorder
	// Reports is the read-only database that report queries go to (a
	// replica, --db-replica); nil sends them to DB.
	Reports *sqldb.DB
}

// Server holds the dependencies of the page handlers.
type Server struct {
	db       *sqldb.DB
	reports  *sqldb.DB // report queries only: a read-only replica, or db
	cfg      config.Config
	log      *slog.Logger
	accounts *account.Service
	notifier *notify.Notifier
	files    storage.Store
	static   *staticFiles
	// countrySections are the parts other capabilities add to the country
	// pages, in order.
	countrySections []CountrySection
	// feedSources add entries of other capabilities to community feeds.
	feedSources []FeedSource
	// pageViews counts the views of pages anyone may open (report.go).
	pageViews *analytics.Recorder
	// cache keeps rendered pages for anonymous readers (pagecache.go).
	cache *pageCache
}

// New returns the web server for the options.
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
	return &Server{
		files:    files,
		db:       opts.DB,
		reports:  reports,
		cfg:      opts.Config,
		log:      log,
		accounts: &account.Service{DB: opts.DB, BaseURL: opts.Config.BaseURL, SiteName: opts.Config.SiteName},
		notifier: &notify.Notifier{BaseURL: opts.Config.BaseURL, SiteName: opts.Config.SiteName},
		static:   newStaticFiles(),

		pageViews: opts.PageViews,
		cache:     newPageCache(cacheBudget),
	}
}

// Handler returns every page route behind the web middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	return securityHeaders(compress(invalidating(s.db, mux)))
}
