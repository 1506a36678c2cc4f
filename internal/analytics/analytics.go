// Package analytics counts page views on the server, without cookies,
// scripts or third parties: the path, the community or object the page
// belongs to, the day, the referring host, and whether the visitor is a
// member (with the country and organisation type of a logged-in member's
// profile). Visitors of a day are told apart by a hash of their address and
// browser with a salt that changes every day and is never stored; no
// address, account or time of day is kept.
//
// Counting must not slow pages down: a Recorder takes views into a bounded
// buffer without blocking (a full buffer drops the view and counts the
// drop) and writes them in batches from one goroutine. Raw views older than
// the retention period are rolled up into daily totals (page_view_days),
// the one stored aggregate of the reports; everything else is counted from
// the raw rows when a report asks.
package analytics

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Audiences: who viewed a page.
const (
	Anonymous = "anonymous" // not logged in
	Account   = "account"   // logged in, not a member of the page's community
	Member    = "member"    // a member of the page's community (any logged-in visitor on pages outside communities)
)

// Kinds of object a page belongs to.
const (
	KindCommunity = "community"
	KindThread    = "thread"
	KindResource  = "resource"
	KindEvent     = "event"
	KindSolution  = "solution"
	KindCountry   = "country"
	KindMember    = "member"
)

// maxPathLen bounds a stored path; longer ones are cut.
const maxPathLen = 200

// Hit is one successful page view as the web server saw it. Addr and
// UserAgent only feed the day's visitor hash and are never stored.
type Hit struct {
	At        time.Time
	Path      string // the URL path, without the query
	Referrer  string // the Referer header
	Host      string // the request's host, to leave out the site's own pages as referrers
	Addr      string // the client address
	UserAgent string
	// A logged-in visitor: their account and profile. The account id is
	// used to find whether they are a member of the page's community and
	// for the visitor hash; it is not stored.
	UserID           int64
	Country          string
	OrganizationType string
}

// View is a stored page view.
type View struct {
	Day              time.Time // midnight UTC
	CommunityID      int64     // 0: the page belongs to no community
	Path             string
	ObjectKind       string
	ObjectID         int64
	ReferrerHost     string
	Visitor          int64
	Audience         string
	Country          string
	OrganizationType string
}

// Day returns the UTC day of t at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DayNumber is the number of days from 1970-01-01 to the UTC day of t: how
// page views and their daily totals store their day, since grouping a
// million views by an integer is several times cheaper than by the text
// of a timestamp on SQLite.
func DayNumber(t time.Time) int64 { return Day(t).Unix() / secondsPerDay }

// DayOf returns the day numbered n, at midnight UTC.
func DayOf(n int64) time.Time { return time.Unix(n*secondsPerDay, 0).UTC() }

const secondsPerDay = 24 * 60 * 60

// Target is what a path belongs to: a community by its slug, or an object by
// its kind and id (a thread, a resource, an event belong to a community,
// found when the view is written).
type Target struct {
	Kind string
	Slug string // for communities
	ID   int64
	Code string // for countries
}

// Classify returns the path as it is stored and what it belongs to. Personal
// links carry secrets in their path (a registration or survey token, an
// invitation): only their kind is kept ("/registrations/*").
func Classify(path string) (string, Target) {
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	id := func() int64 {
		if len(parts) < 2 {
			return 0
		}
		n, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || n <= 0 {
			return 0
		}
		return n
	}
	var t Target
	switch parts[0] {
	case "registrations", "surveys", "invitations", "unsubscribe", "certificates", "verify", "password":
		return "/" + parts[0] + "/*", t
	case "communities":
		if len(parts) >= 2 && parts[1] != "" && parts[1] != "new" {
			t = Target{Kind: KindCommunity, Slug: parts[1]}
		}
	case "threads":
		if n := id(); n > 0 {
			t = Target{Kind: KindThread, ID: n}
		}
	case "resources":
		if n := id(); n > 0 {
			t = Target{Kind: KindResource, ID: n}
		}
	case "events":
		if n := id(); n > 0 {
			t = Target{Kind: KindEvent, ID: n}
		}
	case "solutions":
		if n := id(); n > 0 {
			t = Target{Kind: KindSolution, ID: n}
		}
	case "members":
		if n := id(); n > 0 {
			t = Target{Kind: KindMember, ID: n}
		}
	case "countries":
		if len(parts) >= 2 && len(parts[1]) == 2 {
			t = Target{Kind: KindCountry, Code: strings.ToUpper(parts[1])}
		}
	}
	if len(path) > maxPathLen {
		path = path[:maxPathLen]
	}
	return path, t
}

// ReferrerHost returns the host of a Referer header, without "www.", or
// empty when there is none, it is not a web address, or it is the site
// itself (moving between the site's own pages is not a referral).
func ReferrerHost(referrer, siteHost string) string {
	if referrer == "" {
		return ""
	}
	u, err := url.Parse(referrer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	site := strings.ToLower(siteHost)
	if h, _, ok := strings.Cut(site, ":"); ok && !strings.Contains(h, "]") {
		site = h
	}
	if host == strings.TrimPrefix(site, "www.") {
		return ""
	}
	if len(host) > 100 {
		host = host[:100]
	}
	return host
}

// botWords are parts of the user agents of crawlers, link previews,
// monitors, HTTP tools and libraries, lower case. A browser's user agent
// contains none of them.
var botWords = []string{
	"bot", "crawl", "spider", "slurp", "archiver", "preview", "scan", "monitor", "uptime", "pingdom", "check",
	"curl/", "wget", "python", "go-http-client", "java/", "okhttp", "libwww", "lwp-", "httpie", "http_request",
	"axios", "node-fetch", "undici", "got (", "ruby", "php/", "guzzle", "perl", "aiohttp", "httpx", "requests",
	"scrapy", "headless", "phantomjs", "lighthouse", "facebookexternalhit", "embedly", "whatsapp", "feed", "rss",
	"apache-httpclient", "winhttp", "powershell", "postman", "insomnia", "dataprovider", "validator",
}

// Human reports whether a user agent may be a person's browser: it is not
// empty and names no crawler, tool or library.
func Human(userAgent string) bool {
	ua := strings.ToLower(strings.TrimSpace(userAgent))
	if len(ua) < 4 || ua == "mozilla" || ua == "mozilla/5.0" {
		return false
	}
	// Text browsers are people, though Lynx names its library.
	if strings.HasPrefix(ua, "lynx/") || strings.HasPrefix(ua, "w3m/") || strings.HasPrefix(ua, "links (") || strings.HasPrefix(ua, "elinks/") {
		return true
	}
	for _, w := range botWords {
		if strings.Contains(ua, w) {
			return false
		}
	}
	return true
}
