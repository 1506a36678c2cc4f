package search

import (
	"context"
	"fmt"
	"html"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/sqldb"
)

// snippetWords is how many words a snippet shows around the matches.
const snippetWords = 32

// highlighter finds the words of a text that a query looks for.
type highlighter struct {
	exact  map[string]bool
	prefix []string
}

func newHighlighter(q Query) highlighter {
	h := highlighter{exact: map[string]bool{}}
	for _, p := range q.Words() {
		for i, w := range p.Words {
			if p.Prefix && i == len(p.Words)-1 {
				h.prefix = append(h.prefix, w)
			} else {
				h.exact[w] = true
			}
		}
	}
	return h
}

func (h highlighter) match(word string) bool {
	f := Fold(word)
	if h.exact[f] {
		return true
	}
	for _, p := range h.prefix {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// span is a word of a text, by byte offsets.
type span struct {
	start, end int
	match      bool
}

func (h highlighter) spans(text string) []span {
	var out []span
	start := -1
	for i, r := range text {
		word := isWordRune(r) && r != utf8.RuneError
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, span{start: start, end: i, match: h.match(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start: start, end: len(text), match: h.match(text[start:])})
	}
	return out
}

// Highlight returns text as HTML, escaped, with the words the query looks
// for in <mark>.
func Highlight(text string, q Query) string {
	h := newHighlighter(q)
	return render(text, h.spans(text), 0, len(text))
}

func render(text string, spans []span, from, to int) string {
	var b strings.Builder
	at := from
	for _, s := range spans {
		if !s.match || s.start < from || s.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	return b.String()
}

// Snippet returns the part of a plain text where the query's words are
// densest, about snippetWords words, as HTML with the matches in <mark>;
// the start of the text when none of them is in it (the match was in the
// title or elsewhere).
func Snippet(text string, q Query) string {
	h := newHighlighter(q)
	spans := h.spans(text)
	if len(spans) <= snippetWords {
		return render(text, spans, 0, len(text))
	}
	best, bestN := 0, -1
	for i := range spans {
		if !spans[i].match {
			continue
		}
		n := 0
		for j := i; j < len(spans) && j < i+snippetWords; j++ {
			if spans[j].match {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	first := max(0, best-4)
	if bestN < 0 {
		first = 0
	}
	last := min(len(spans), first+snippetWords) - 1
	from, to := spans[first].start, spans[last].end
	if first == 0 {
		from = 0
	}
	if last == len(spans)-1 {
		to = len(text)
	}
	out := render(text, spans, from, to)
	if from > 0 {
		out = "… " + out
	}
	if to < len(text) {
		out += " …"
	}
	return out
}

// hydrate loads the titles and texts of a page of results, every kind of
// document on the page in one query.
func (s *Store) hydrate(ctx context.Context, q Query, hits []hit) ([]Item, error) {
	items := make([]Item, len(hits))
	byKind := map[string][]any{}
	for i, h := range hits {
		items[i] = Item{Type: h.typ, ID: h.itemID, Score: h.score, Restricted: h.restricted}
		byKind[h.typ] = append(byKind[h.typ], h.itemID)
		if h.kind == KindPost {
			items[i].PostID = h.refID
			byKind[KindPost] = append(byKind[KindPost], h.refID)
		}
	}
	type loaded struct {
		title, text, community, language string
		at                               time.Time
		slug                             string
	}
	found := map[string]map[int64]loaded{}
	columns := map[string]string{
		KindThread: `t.id, t.title, t.body, c.name, t.language, t.created_at, '' FROM threads t JOIN communities c ON c.id = t.community_id WHERE t.id IN `,
		KindPost:   `id, '', body, '', '', created_at, '' FROM posts WHERE id IN `,
		KindResource: `r.id, r.title, r.summary || ' ' || r.authors, c.name, r.language, r.created_at, ''
			FROM resources r JOIN communities c ON c.id = r.community_id WHERE r.id IN `,
		KindSolution: `s.id, s.title, s.tagline || '

' || t.challenge || '

' || t.solution || '

' || t.results, '', s.language, s.updated_at, ''
			FROM solutions s JOIN solution_texts t ON t.solution_id = s.id WHERE s.id IN `,
		KindEvent:     `e.id, e.title, e.description, c.name, e.language, e.starts_at, '' FROM events e JOIN communities c ON c.id = e.community_id WHERE e.id IN `,
		KindCommunity: `id, name, description, '', language, created_at, slug FROM communities WHERE id IN `,
		KindProfile: `id, name, position || '
' || organization || '

' || bio, '', '', created_at, '' FROM users WHERE id IN `,
	}
	// One query for every kind on the page, in an order that keeps its
	// text the same for the same kinds: a round trip each was a third of
	// the loading on PostgreSQL (1.9 ms, 1.25 in one).
	var parts []string
	var args []any
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		if cols, ok := columns[kind]; ok {
			ids := byKind[kind]
			parts = append(parts, "SELECT '"+kind+"', "+cols+"("+sqldb.Placeholders(len(ids))+")")
			args = append(args, ids...)
		}
	}
	if len(parts) > 0 {
		rows, err := s.q.Query(ctx, strings.Join(parts, " UNION ALL "), args...)
		err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
			var kind string
			var id int64
			var l loaded
			if err := r.Scan(&kind, &id, &l.title, &l.text, &l.community, &l.language, &l.at, &l.slug); err != nil {
				return err
			}
			if found[kind] == nil {
				found[kind] = map[int64]loaded{}
			}
			found[kind][id] = l
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("search: load results: %w", err)
		}
	}
	out := items[:0]
	for _, it := range items {
		l, ok := found[it.Type][it.ID]
		if !ok {
			continue // removed since it was indexed: leave it out
		}
		it.Title, it.Community, it.Language, it.Date = l.title, l.community, l.language, l.at
		text := l.text
		if it.PostID != 0 {
			if p, ok := found[KindPost][it.PostID]; ok {
				text, it.Date = p.text, p.at
			}
		}
		it.Snippet = Snippet(markdown.Plain(text, 0), q)
		it.URL = itemURL(it.Type, it.ID, l.slug, it.PostID)
		out = append(out, it)
	}
	return out, nil
}

// itemURL is the page of a result.
func itemURL(typ string, id int64, slug string, postID int64) string {
	switch typ {
	case KindThread:
		u := "/threads/" + strconv.FormatInt(id, 10)
		if postID != 0 {
			u += "#post-" + strconv.FormatInt(postID, 10)
		}
		return u
	case KindResource:
		return "/resources/" + strconv.FormatInt(id, 10)
	case KindSolution:
		return "/solutions/" + strconv.FormatInt(id, 10)
	case KindEvent:
		return "/events/" + strconv.FormatInt(id, 10)
	case KindCommunity:
		return "/communities/" + slug
	case KindProfile:
		return "/members/" + strconv.FormatInt(id, 10)
	}
	return "/"
}
