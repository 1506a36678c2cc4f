package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// The cache of rendered pages for anonymous readers.
//
// An anonymous reader of a community, thread, event, resource or solution
// page gets the page as it was rendered for the previous anonymous reader
// in the same language, compressed once, with an ETag: a browser that
// sends it back in If-None-Match gets 304 and no body.
//
// A cached page is keyed by the versions of what it shows, read from the
// database on every request (one indexed query): the version of its
// community and the global one (table content_versions). Every change made
// through the site or the API increments the version of the community it
// belongs to, or the global version when it may show anywhere (a member's
// name, a solution), before its answer is sent. So the next request, on
// this instance or any other sharing the database, misses the cache and
// renders the page anew. What changes with the clock alone (an event that
// has started, "joined this month") is at most cacheTTL old.
//
// Logged-in readers never get a cached page: pages show them their own
// controls.

const (
	cacheTTL        = time.Minute
	cacheBudget     = 32 << 20 // bytes of pages kept, compressed
	cacheMaxPage    = 512 << 10
	globalScope     = "*"
	solutionsPrefix = "/solutions/"
)

// pageCache keeps rendered pages within a memory budget, least recently
// used first out.
type pageCache struct {
	mu     sync.Mutex
	budget int
	size   int
	order  *list.List // of *cachedPage, most recently used first
	byKey  map[string]*list.Element
}

type cachedPage struct {
	key    string
	gz     []byte
	etag   string
	header http.Header // as the page's handler set it
	stored time.Time
}

func newPageCache(budget int) *pageCache {
	return &pageCache{budget: budget, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *pageCache) get(key string, now time.Time) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil
	}
	p := e.Value.(*cachedPage)
	if now.Sub(p.stored) > cacheTTL {
		c.remove(e)
		return nil
	}
	c.order.MoveToFront(e)
	return p
}

func (c *pageCache) put(p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[p.key]; ok {
		c.remove(e)
	}
	c.byKey[p.key] = c.order.PushFront(p)
	c.size += len(p.gz) + len(p.key)
	for c.size > c.budget && c.order.Len() > 1 {
		c.remove(c.order.Back())
	}
}

func (c *pageCache) remove(e *list.Element) {
	p := e.Value.(*cachedPage)
	c.order.Remove(e)
	delete(c.byKey, p.key)
	c.size -= len(p.gz) + len(p.key)
}

// Bytes reports how much the cache holds.
func (c *pageCache) bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// scopeOf returns the content scope of a path: "c" and a community's id
// for the pages and actions of a community and what belongs to it, the
// global scope for the rest. ok is false when the path names a record that
// does not exist.
func scopeOf(ctx context.Context, db *sqldb.DB, path string) (string, bool) {
	lookup, arg, ok := scopeLookup(path)
	if !ok {
		return "", false
	}
	if lookup == "" {
		return globalScope, true
	}
	var id int64
	if err := db.QueryRow(ctx, lookup, arg).Scan(&id); err != nil {
		return "", false
	}
	return "c" + strconv.FormatInt(id, 10), true
}

// scopeLookup returns the query that finds the community a path belongs
// to (as the column id), with its argument; an empty query for the global
// scope. ok is false when the path cannot name a record.
func scopeLookup(path string) (query string, arg any, ok bool) {
	path = strings.TrimPrefix(path, "/api/v1")
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return "", nil, true
	}
	switch parts[0] {
	case "communities":
		return "SELECT id FROM communities WHERE slug = ?", parts[1], true
	case "threads":
		query = "SELECT community_id AS id FROM threads WHERE id = ?"
	case "posts":
		query = "SELECT t.community_id AS id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ?"
	case "events":
		query = "SELECT community_id AS id FROM events WHERE id = ?"
	case "resources":
		query = "SELECT community_id AS id FROM resources WHERE id = ?"
	default:
		return "", nil, true
	}
	id, err := strconv.ParseInt(strings.TrimSuffix(parts[1], ".ics"), 10, 64)
	if err != nil {
		return "", nil, false
	}
	return query, id, true
}

// pageVersions returns the scope of a path with the global version and
// that of the scope, in one query: a cached page costs this query and
// nothing else.
func pageVersions(ctx context.Context, db *sqldb.DB, path string) (scope string, global, own int64, err error) {
	lookup, arg, ok := scopeLookup(path)
	if !ok {
		return "", 0, 0, sqldb.ErrNotFound
	}
	const globalVersion = "COALESCE((SELECT version FROM content_versions WHERE scope = '*'), 0)"
	if lookup == "" {
		err = db.QueryRow(ctx, "SELECT "+globalVersion).Scan(&global)
		return globalScope, global, own, err
	}
	var id int64
	err = db.QueryRow(ctx, "SELECT x.id, "+globalVersion+", COALESCE((SELECT version FROM content_versions WHERE scope = 'c' || x.id), 0) FROM ("+lookup+") x", arg).
		Scan(&id, &global, &own)
	return "c" + strconv.FormatInt(id, 10), global, own, err
}

// bump records that content of scope changed.
func bump(ctx context.Context, db *sqldb.DB, scope string) error {
	_, err := db.Exec(ctx, `INSERT INTO content_versions (scope, version) VALUES (?, 1)
		ON CONFLICT (scope) DO UPDATE SET version = content_versions.version + 1`, scope)
	return err
}

// cacheable tells whether an anonymous GET of path may be served from the
// cache.
func cacheable(path string) bool {
	for _, p := range []string{"/communities/", "/threads/", "/events/", "/resources/", solutionsPrefix} {
		if rest, ok := strings.CutPrefix(path, p); ok && rest != "" {
			// Not the downloads, logos and exports: files, not pages.
			return !strings.HasSuffix(rest, "/download") && !strings.HasSuffix(rest, "/logo") && !strings.Contains(rest, "/export") &&
				rest != "new" && !strings.HasSuffix(rest, "/new") && !strings.HasSuffix(rest, ".ics") && !strings.HasSuffix(rest, ".atom")
		}
	}
	return false
}

// noContent lists the actions that change nothing a page shows to an
// anonymous reader: they do not invalidate the cache.
var noContent = []string{"/login", "/logout", "/register", "/password/", "/language", "/verify", "/unsubscribe/",
	"/notifications", "/settings/tokens", "/settings/notifications", "/settings/password", "/settings/email", "/api/v1/tokens"}

// recorder keeps a rendered answer in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// serveCached answers an anonymous GET from the cache, rendering it with h
// on a miss. It returns false, having written nothing, when the page cannot
// be cached (the versions cannot be read); the caller then serves it as
// usual.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, lang string, h func(w http.ResponseWriter) error) (bool, error) {
	ctx := r.Context()
	scope, global, own, err := pageVersions(ctx, s.db, r.URL.Path)
	if err != nil {
		return false, nil
	}
	key := fmt.Sprintf("%s|%s|%d|%s=%d", lang, r.URL.RequestURI(), global, scope, own)
	now := time.Now()
	p := s.cache.get(key, now)
	if p == nil {
		rec := &recorder{header: http.Header{}}
		if err := h(rec); err != nil {
			return true, err
		}
		if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" || rec.body.Len() > cacheMaxPage {
			// Not a page to keep (an error page, a redirect): pass it on.
			copyHeader(w.Header(), rec.header)
			w.WriteHeader(max(rec.status, http.StatusOK))
			w.Write(rec.body.Bytes())
			return true, nil
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(rec.body.Bytes())
		zw.Close()
		sum := sha256.Sum256(gz.Bytes())
		hdr := rec.header.Clone()
		hdr.Del("Content-Length")
		p = &cachedPage{key: key, gz: gz.Bytes(), header: hdr, stored: now,
			etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
		s.cache.put(p)
	}
	hd := w.Header()
	for k, v := range p.header {
		hd[k] = v
	}
	hd.Set("ETag", p.etag)
	// Browsers may keep the page but ask each time: the 304 costs one
	// small round trip and the reader never sees an old page.
	hd.Set("Cache-Control", "no-cache")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, p.etag) {
		w.WriteHeader(http.StatusNotModified)
		return true, nil
	}
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		hd.Set("Content-Encoding", "gzip")
		hd.Set("Content-Length", strconv.Itoa(len(p.gz)))
		w.WriteHeader(http.StatusOK)
		w.Write(p.gz)
		return true, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gz))
	if err != nil {
		return true, err
	}
	w.WriteHeader(http.StatusOK)
	io.Copy(w, zr)
	return true, nil
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

func copyHeader(to, from http.Header) {
	for k, v := range from {
		to[k] = v
	}
}

// invalidating wraps the site so that every change it makes (a POST, PUT,
// PATCH or DELETE that succeeds) increments the version of what it
// changed, before the answer leaves: the reader who follows the redirect
// sees the change.
func invalidating(db *sqldb.DB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		for _, p := range noContent {
			if strings.HasPrefix(r.URL.Path, p) {
				next.ServeHTTP(w, r)
				return
			}
		}
		next.ServeHTTP(&bumpWriter{ResponseWriter: w, r: r, db: db}, r)
	})
}

// InvalidateOnWrite is invalidating for the JSON API, whose changes show
// on the pages too.
func InvalidateOnWrite(db *sqldb.DB, next http.Handler) http.Handler { return invalidating(db, next) }

type bumpWriter struct {
	http.ResponseWriter
	r      *http.Request
	db     *sqldb.DB
	headed bool
}

func (b *bumpWriter) WriteHeader(code int) {
	if !b.headed {
		b.headed = true
		if code < 400 {
			scope, ok := scopeOf(b.r.Context(), b.db, b.r.URL.Path)
			// Moving a thread changes two communities; a deleted record has
			// no community left to name: both change everything.
			if !ok || strings.HasSuffix(b.r.URL.Path, "/move") {
				scope = globalScope
			}
			bump(context.WithoutCancel(b.r.Context()), b.db, scope)
		}
	}
	b.ResponseWriter.WriteHeader(code)
}

func (b *bumpWriter) Write(p []byte) (int, error) {
	if !b.headed {
		b.WriteHeader(http.StatusOK)
	}
	return b.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (b *bumpWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }
