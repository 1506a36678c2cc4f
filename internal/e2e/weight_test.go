package e2e

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// The budgets of every key page (CONTRACT.md): members read Harambee on
// slow, metered connections.
const (
	htmlBudget  = 60 << 10 // the HTML over the wire, compressed
	assetBudget = 40 << 10 // the page's own CSS and scripts together, compressed
	// Fingerprinted assets never change under their name, so browsers may
	// keep them for a year.
	minAssetMaxAge = 365 * 24 * time.Hour
)

// TestPageWeight measures every key page over plain HTTP, as a browser on a
// slow connection would fetch it (asking for gzip), and fails when a page
// goes over its budget, asks for anything from another host, loads a web
// font, or is served uncompressed or without long-lived fingerprinted
// assets. It needs no browser.
func TestPageWeight(t *testing.T) {
	t.Parallel()
	s := keySite(t)
	clients := map[reader]*webClient{}
	assets := map[string]*assetCheck{}
	var report []string
	for _, p := range keyPages {
		for _, lang := range p.langs() {
			t.Run(p.name+"/"+lang, func(t *testing.T) {
				c, ok := clients[p.as]
				if !ok {
					c = s.client()
					if who, ok := s.account(p.as); ok {
						c.login(t, who)
					}
					clients[p.as] = c
				}
				target := s.url(p, lang)
				method := "GET"
				if p.form != nil {
					method = "POST"
					if p.action != "" {
						target = s.expand(p, p.action)
					}
				}
				f := c.fetch(t, method, target, lang, p.form)
				if f.status != p.wantStatus() {
					t.Fatalf("%s %s: got status %d, want %d", method, target, f.status, p.wantStatus())
				}
				if enc := f.header.Get("Content-Encoding"); enc != "gzip" && enc != "br" {
					t.Errorf("%s %s: not compressed although the client accepts gzip (Content-Encoding %q)", method, target, enc)
				}
				if !strings.Contains(f.header.Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s %s: no Vary: Accept-Encoding, so a cache could serve gzip to a client that did not ask for it", method, target)
				}

				pageURL, _ := url.Parse(s.URL + target)
				refs, err := resources(f.body, pageURL)
				if err != nil {
					t.Fatalf("%s: %v", target, err)
				}
				var assetWire, assetBody, files int
				for _, r := range refs {
					u := r.url
					switch {
					case u.Scheme == "data":
						continue
					case u.Host != pageURL.Host:
						t.Errorf("%s asks for %s from another host: %s", target, r.kind, u)
						continue
					case isFont(u.Path) || r.kind == "font":
						t.Errorf("%s loads a web font: %s (use the system fonts)", target, u)
						continue
					}
					a, ok := assets[u.String()]
					if !ok {
						a = checkAsset(t, c, u, map[string]bool{})
						assets[u.String()] = a
					}
					for _, e := range a.errs {
						t.Errorf("%s (%s of %s)", e, r.kind, target)
					}
					if r.kind == "stylesheet" || r.kind == "script" {
						assetWire += a.wire
						assetBody += a.body
						files += a.files
					}
				}
				line := fmt.Sprintf("%-26s HTML %6s compressed (%7s), CSS+JS %6s compressed (%7s) in %d file(s)",
					p.name+"/"+lang, kb(len(f.wire)), kb(len(f.body)), kb(assetWire), kb(assetBody), files)
				report = append(report, line)
				if len(f.wire) > htmlBudget {
					t.Errorf("%s: the HTML is %s compressed, over its budget of %s\n%s", target, kb(len(f.wire)), kb(htmlBudget), line)
				}
				if assetWire > assetBudget {
					t.Errorf("%s: its CSS and scripts are %s compressed, over their budget of %s\n%s", target, kb(assetWire), kb(assetBudget), line)
				}
			})
		}
	}
	t.Logf("page weights (budgets: HTML %s, CSS+JS %s, compressed):\n%s", kb(htmlBudget), kb(assetBudget), strings.Join(report, "\n"))
}

// TestUncompressedWhenNotAccepted checks the other half of content
// negotiation: a client that does not accept gzip gets plain text.
func TestUncompressedWhenNotAccepted(t *testing.T) {
	s := keySite(t)
	c := s.client()
	req := c.s.URL + "/login"
	resp, err := c.http.Get(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if enc := resp.Header.Get("Content-Encoding"); enc != "" {
		t.Errorf("GET /login without Accept-Encoding: got Content-Encoding %q, want none", enc)
	}
	if !bytes.Contains(b, []byte("<html")) {
		t.Errorf("GET /login without Accept-Encoding: the body is not plain HTML")
	}
}

// ref is something a page makes the browser fetch.
type ref struct {
	kind string // stylesheet, script, image, font, icon...
	url  *url.URL
}

// resources lists what loading a page fetches: stylesheets, scripts,
// images, icons, frames, preloads, and url() in inline styles.
func resources(page []byte, base *url.URL) ([]ref, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	var refs []ref
	add := func(kind, raw string) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return
		}
		u, err := base.Parse(raw)
		if err != nil {
			return
		}
		refs = append(refs, ref{kind: kind, url: u})
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, at := range n.Attr {
				a[at.Key] = at.Val
			}
			switch n.Data {
			case "link":
				rels := strings.Fields(strings.ToLower(a["rel"]))
				for _, rel := range rels {
					switch rel {
					case "stylesheet":
						add("stylesheet", a["href"])
					case "preload", "modulepreload", "prefetch", "prerender":
						kind := a["as"]
						if rel == "modulepreload" {
							kind = "script"
						}
						add(kind, a["href"])
					case "icon", "apple-touch-icon", "manifest", "preconnect", "dns-prefetch", "mask-icon":
						add(rel, a["href"])
					}
				}
			case "script":
				add("script", a["src"])
			case "img", "source", "video", "audio", "embed", "iframe", "track", "input":
				add(n.Data, a["src"])
				add(n.Data, a["poster"])
				for _, c := range strings.Split(a["srcset"], ",") {
					if f := strings.Fields(c); len(f) > 0 {
						add(n.Data, f[0])
					}
				}
			case "object":
				add("object", a["data"])
			case "style":
				if n.FirstChild != nil {
					for _, u := range cssURLs(n.FirstChild.Data) {
						add("style url()", u)
					}
				}
			}
			if st, ok := a["style"]; ok {
				for _, u := range cssURLs(st) {
					add("style url()", u)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return refs, nil
}

var (
	cssURL     = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)`)
	cssImport  = regexp.MustCompile(`@import\s+(?:url\()?\s*['"]([^'"]+)['"]`)
	fontFace   = regexp.MustCompile(`(?i)@font-face`)
	fingerprnt = regexp.MustCompile(`[.-][0-9a-f]{8,}\.[a-z0-9]+$`)
)

func cssURLs(css string) []string {
	var out []string
	for _, m := range cssURL.FindAllStringSubmatch(css, -1) {
		out = append(out, m[1])
	}
	for _, m := range cssImport.FindAllStringSubmatch(css, -1) {
		out = append(out, m[1])
	}
	return out
}

func isFont(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".woff", ".woff2", ".ttf", ".otf", ".eot":
		return true
	}
	return false
}

// assetCheck is what was measured and found wrong about one asset (and what
// it imports).
type assetCheck struct {
	wire, body, files int
	errs              []string
}

// checkAsset fetches one of the site's own assets and checks that it is
// compressed, cached for long under a fingerprinted name, and (for CSS)
// loads no font and nothing from another host.
func checkAsset(t *testing.T, c *webClient, u *url.URL, seen map[string]bool) *assetCheck {
	t.Helper()
	a := &assetCheck{files: 1}
	seen[u.String()] = true
	f := c.fetch(t, "GET", u.String(), "", nil)
	if f.status != 200 {
		a.errs = append(a.errs, fmt.Sprintf("%s: status %d", u.Path, f.status))
		return a
	}
	a.wire, a.body = len(f.wire), len(f.body)
	ct := f.header.Get("Content-Type")
	text := strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") || strings.Contains(ct, "json") || strings.Contains(ct, "svg")
	if enc := f.header.Get("Content-Encoding"); text && enc != "gzip" && enc != "br" {
		a.errs = append(a.errs, fmt.Sprintf("%s (%s) is not compressed although the client accepts gzip", u.Path, ct))
	}
	if age := maxAge(f.header.Get("Cache-Control")); age < minAssetMaxAge {
		a.errs = append(a.errs, fmt.Sprintf("%s is cached for %s (Cache-Control %q), want at least %s", u.Path, age, f.header.Get("Cache-Control"), minAssetMaxAge))
	}
	if !fingerprnt.MatchString(path.Base(u.Path)) {
		a.errs = append(a.errs, fmt.Sprintf("%s has no fingerprint (content hash) in its name, so it cannot be cached for long", u.Path))
	}
	if strings.HasPrefix(ct, "text/css") {
		css := string(f.body)
		if fontFace.MatchString(css) {
			a.errs = append(a.errs, fmt.Sprintf("%s declares a web font (@font-face); use the system fonts", u.Path))
		}
		for _, raw := range cssURLs(css) {
			v, err := u.Parse(strings.TrimSpace(raw))
			switch {
			case err != nil || v.Scheme == "data":
			case v.Host != u.Host:
				a.errs = append(a.errs, fmt.Sprintf("%s asks for %s from another host", u.Path, v))
			case isFont(v.Path):
				a.errs = append(a.errs, fmt.Sprintf("%s loads a web font: %s", u.Path, v.Path))
			case !seen[v.String()] && cssImport.MatchString(css) && strings.HasSuffix(v.Path, ".css"):
				sub := checkAsset(t, c, v, seen)
				a.wire, a.body, a.files = a.wire+sub.wire, a.body+sub.body, a.files+sub.files
				a.errs = append(a.errs, sub.errs...)
			}
		}
	}
	return a
}

// maxAge reads max-age from a Cache-Control header.
func maxAge(cc string) time.Duration {
	for _, d := range strings.Split(cc, ",") {
		d = strings.TrimSpace(strings.ToLower(d))
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			n, err := strconv.Atoi(v)
			if err == nil {
				return time.Duration(n) * time.Second
			}
		}
	}
	return 0
}

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// kb formats a size in kilobytes.
func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }
