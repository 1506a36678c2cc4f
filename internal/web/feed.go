package web

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/markdown"
)

// atomFeed is an Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Link      atomLink   `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Author    atomPerson `xml:"author"`
	Category  *struct {
		Term string `xml:"term,attr"`
	} `xml:"category,omitempty"`
	Summary atomText `xml:"summary"`

	at time.Time
}

// FeedSource lets a capability add entries to community feeds (events).
type FeedSource func(r *http.Request, communityID int64, limit int) ([]FeedEntry, error)

// FeedEntry is one item of a community feed.
type FeedEntry struct {
	Kind      string // thread, resource, event
	ID        int64
	Path      string // /threads/12
	Title     string
	Summary   string // plain text
	Author    string
	Published time.Time
	Updated   time.Time
}

const feedEntries = 30

// feed serves a community's Atom feed: new threads, resources and events,
// newest first, with ids that never change. Only what an anonymous reader of
// the community may see goes in, so a feed never leaks what is hidden, held
// or deleted; a members-only or private community's feed needs a member's
// session.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.readable(r, v)
	if err != nil {
		return err
	}
	threads, err := discussion.NewStore(s.db).Recent(r.Context(), c.ID, feedEntries)
	if err != nil {
		return err
	}
	resources, err := library.NewStore(s.db, s.files).Recent(r.Context(), c.ID, feedEntries)
	if err != nil {
		return err
	}
	var entries []FeedEntry
	for _, t := range threads {
		up := t.CreatedAt
		if t.EditedAt != nil {
			up = *t.EditedAt
		}
		entries = append(entries, FeedEntry{Kind: "thread", ID: t.ID, Path: "/threads/" + strconv.FormatInt(t.ID, 10), Title: t.Title,
			Summary: markdown.Plain(t.Body, 500), Author: t.AuthorName, Published: t.CreatedAt, Updated: up})
	}
	for _, res := range resources {
		entries = append(entries, FeedEntry{Kind: "resource", ID: res.ID, Path: "/resources/" + strconv.FormatInt(res.ID, 10), Title: res.Title,
			Summary: markdown.Plain(res.Summary, 500), Author: res.AddedByName, Published: res.CreatedAt, Updated: res.UpdatedAt})
	}
	for _, src := range s.feedSources {
		more, err := src(r, c.ID, feedEntries)
		if err != nil {
			return err
		}
		entries = append(entries, more...)
	}
	sort.Slice(entries, func(i, j int) bool {
		if !entries[i].Published.Equal(entries[j].Published) {
			return entries[i].Published.After(entries[j].Published)
		}
		return entries[i].Kind+strconv.FormatInt(entries[i].ID, 10) < entries[j].Kind+strconv.FormatInt(entries[j].ID, 10)
	})
	if len(entries) > feedEntries {
		entries = entries[:feedEntries]
	}
	base := s.cfg.BaseURL
	host := "localhost"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	tag := "tag:" + host + "," + c.CreatedAt.UTC().Format("2006-01-02") + ":"
	f := atomFeed{
		Lang: c.Language, ID: tag + "communities/" + c.Slug, Title: c.Name,
		Updated: c.UpdatedAt.UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + "/communities/" + c.Slug + "/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/communities/" + c.Slug},
		},
		Author: atomPerson{Name: c.Name},
	}
	latest := c.UpdatedAt
	for _, e := range entries {
		if e.Updated.After(latest) {
			latest = e.Updated
		}
		author := e.Author
		if author == "" {
			author = c.Name
		}
		f.Entries = append(f.Entries, atomEntry{
			ID: tag + e.Kind + "/" + strconv.FormatInt(e.ID, 10), Title: atomText{Type: "text", Body: e.Title},
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: base + e.Path},
			Published: e.Published.UTC().Format(time.RFC3339), Updated: e.Updated.UTC().Format(time.RFC3339),
			Author: atomPerson{Name: author}, Summary: atomText{Type: "text", Body: e.Summary},
			Category: &struct {
				Term string `xml:"term,attr"`
			}{Term: e.Kind},
		})
	}
	f.Updated = latest.UTC().Format(time.RFC3339)
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	if v.user != nil {
		w.Header().Set("Cache-Control", "private, max-age=300")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(f)
}
