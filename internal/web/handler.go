package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/httplog"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

// visit is what a handler knows about the request beyond *http.Request: who
// is reading, in which language. It is passed as an argument, not hidden in
// the context.
type visit struct {
	user    *account.User // nil for anonymous readers
	session string        // the session token, when logged in
	l       *i18n.Localizer
}

// handler is a page handler. It returns an error instead of writing one;
// the wrapper turns it into the right status and page.
type handler func(w http.ResponseWriter, r *http.Request, v *visit) error

const (
	langCookie   = "lang"
	maxFormBytes = 1 << 20
)

// page serves a route anyone may use.
func (s *Server) page(h handler) http.Handler { return s.wrap(h, roleAnyone) }

// member serves a route for logged-in members; others are sent to log in.
func (s *Server) member(h handler) http.Handler { return s.wrap(h, roleMember) }

// admin serves a route for site administrators; other members get 403.
func (s *Server) admin(h handler) http.Handler { return s.wrap(h, roleAdmin) }

type role int

const (
	roleAnyone role = iota
	roleMember
	roleAdmin
)

func (s *Server) wrap(h handler, need role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := &visit{}
		if c, err := r.Cookie(account.SessionCookie); err == nil && c.Value != "" {
			u, err := account.NewStore(s.db).SessionUser(r.Context(), c.Value)
			switch {
			case err == nil:
				v.user, v.session = &u, c.Value
			case !errors.Is(err, account.ErrUnauthenticated):
				s.fail(w, r, v, err)
				return
			}
		}
		var saved, member string
		if c, err := r.Cookie(langCookie); err == nil {
			saved = c.Value
		}
		if v.user != nil {
			member = v.user.Language
		}
		v.l = i18n.For(i18n.Negotiate(r.Header.Get("Accept-Language"), r.URL.Query().Get("lang"), member, saved))
		r = r.WithContext(i18n.WithLocalizer(r.Context(), v.l))
		w.Header().Add("Vary", "Cookie, Accept-Language")
		if v.user != nil {
			w.Header().Set("Cache-Control", "private, no-cache")
		}

		// Page views of the pages anyone may open (report.go).
		var counted *statusWriter
		if need == roleAnyone && s.pageViews != nil && r.Method == http.MethodGet {
			counted = &statusWriter{ResponseWriter: w}
			w = counted
		}
		var err error
		switch {
		case need >= roleMember && v.user == nil:
			err = account.ErrUnauthenticated
		case need == roleAdmin && !v.user.Admin:
			err = account.ErrForbidden
		default:
			// Forms are small; uploads (multipart) set their own, larger
			// limit in their handler.
			if r.Method == http.MethodPost && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
				r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			}
			// Anonymous readers of the main pages: from the page cache
			// (pagecache.go).
			if need == roleAnyone && v.user == nil && r.Method == http.MethodGet && s.cache != nil && cacheable(r.URL.Path) {
				served := false
				if served, err = s.serveCached(w, r, v.l.Lang(), func(w http.ResponseWriter) error { return h(w, r, v) }); served {
					break
				}
			}
			err = h(w, r, v)
		}
		if err != nil {
			s.fail(w, r, v, err)
		} else if counted != nil {
			s.countView(r, v, counted)
		}
	})
}

// fail answers an error with the page that explains it.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if v.l == nil {
		v.l = i18n.For(i18n.Default)
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The reader went away (a dropped mobile connection, a closed
		// tab): nobody to answer, nothing failed on our side. The access
		// log records it as 499, as nginx does, not as a server error.
		w.WriteHeader(statusClientClosed)
		return
	}
	var maxBytes *http.MaxBytesError
	status, title, msg := http.StatusInternalServerError, "error.500_title", "error.500_text"
	switch {
	case errors.Is(err, account.ErrUnauthenticated):
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		status, title, msg = http.StatusUnauthorized, "error.401_title", "error.401_text"
	case errors.Is(err, sqldb.ErrNotFound):
		status, title, msg = http.StatusNotFound, "error.404_title", "error.404_text"
	case errors.Is(err, account.ErrForbidden):
		status, title, msg = http.StatusForbidden, "error.403_title", "error.403_text"
	case errors.As(err, &maxBytes):
		status, title, msg = http.StatusRequestEntityTooLarge, "error.413_title", "error.413_text"
	case errors.Is(err, errBadRequest):
		status, title, msg = http.StatusBadRequest, "error.400_title", "error.400_text"
	default:
		if _, ok := validation.As(err); ok {
			// A form handler that did not catch its own validation error:
			// still the client's mistake, not ours.
			status, title, msg = http.StatusBadRequest, "error.400_title", "error.400_text"
			break
		}
		s.log.Error("page failed", "request_id", httplog.ID(r.Context()), "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := view.ErrorPage{Page: s.pageFor(r, v), Status: status, Title: v.l.T(title), Message: v.l.T(msg)}
	s.render(w, r, status, view.Error(p))
}

// statusClientClosed is the status logged for a request whose reader left
// before its answer was ready.
const statusClientClosed = 499

// errBadRequest marks a request no form could have sent (a malformed id).
var errBadRequest = errors.New("bad request")

// pageFor fills in what every page needs.
func (s *Server) pageFor(r *http.Request, v *visit) view.Page {
	p := view.Page{L: v.l, User: v.user, Stylesheet: s.static.url("style.css"), SiteName: s.cfg.SiteName, Unread: s.unread(r, v)}
	q := r.URL.Query()
	if done := q.Get("done"); done != "" {
		if msg, ok := i18n.Message(v.l.Lang(), "flash."+done); ok {
			p.Flash = msg
		}
	}
	if r.Method == http.MethodGet {
		q.Del("lang")
		q.Del("done")
		p.Path = r.URL.Path
		if len(q) > 0 {
			p.Path += "?" + q.Encode()
		}
	}
	return p
}

// render writes a component as the response.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	ctx := r.Context()
	if status == http.StatusBadRequest || status == http.StatusConflict || status == http.StatusUnprocessableEntity {
		// A refused form: its title says there are errors.
		ctx = view.Refused(ctx)
	}
	if err := c.Render(ctx, w); err != nil && !errors.Is(err, context.Canceled) {
		s.log.Error("render failed", "request_id", httplog.ID(r.Context()), "path", r.URL.Path, "err", err)
	}
}

// redirect answers a form POST by sending the browser on to a page; done
// names the confirmation the page shows (flash.DONE in the catalogues).
func redirect(w http.ResponseWriter, r *http.Request, to, done string) {
	if done != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "done=" + url.QueryEscape(done)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath returns next when it is a path on this site, "/" otherwise, so
// that a crafted ?next= cannot send a member to another site.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// formFrom returns what was posted, and the messages of a validation error
// in the reader's language; other errors are returned for the caller to
// pass on.
func formFrom(r *http.Request, l *i18n.Localizer, err error) (view.Form, error) {
	f := view.Form{Values: r.PostForm}
	if f.Values == nil {
		f.Values = url.Values{}
	}
	if err == nil {
		return f, nil
	}
	ve, ok := validation.As(err)
	if !ok {
		return f, err
	}
	f.Errors = make(map[string]string, len(ve.Fields))
	for name, m := range ve.Fields {
		f.Errors[name] = l.T(m.Key, m.Args...)
	}
	return f, nil
}

// clientAddr is the address log-in limits count against: the connection's
// peer, or behind a trusted proxy the last address it added.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if a := strings.TrimSpace(parts[len(parts)-1]); a != "" {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
