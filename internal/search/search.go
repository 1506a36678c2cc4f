// Package search is Harambee's site-wide search: one index of everything a
// reader may find (threads with their replies, library resources,
// solutions, events, communities, members' profiles), kept in the same
// transaction as the records, on each engine's own full-text machinery:
// SQLite's FTS5 and PostgreSQL's tsvector with a GIN index.
//
// Results are filtered by what the reader may see in SQL, before anything
// is counted, so that neither results, totals nor facet counts reveal that
// something hidden exists. Ranking scores title matches above body
// matches, scores the query as an exact phrase too, and gently favours
// recent and well-received content; it ranks within a bounded candidate set
// (the newest RankBound matches), and counts at most CountBound matches
// exactly, estimating beyond, so that a word common to a million posts
// costs no more than a rarer one.
package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Bounds of one search.
const (
	// CountBound is the most matches counted exactly, the newest ones, for
	// the total and the facets. When more match, the total and the facet
	// counts are estimated from them: scaled by how much of the index the
	// counted matches span.
	CountBound = 1_000
	// MaxCount is the most results a total tells: an estimate beyond it
	// reads "more than 10,000".
	MaxCount = 10_000
	// NarrowBound is the most matches of the words read to find those
	// that pass the facet filters, when more than CountBound match and
	// fewer than NarrowSample of the newest CountBound pass them (with
	// more, and more than NarrowBound estimated in all, those are sample
	// enough).
	NarrowBound  = 2 * CountBound
	NarrowSample = 250
	// RankBound is the most matches ranked: the newest ones. An older
	// document that matches only a very common word may not be ranked at
	// all; narrowing the search (another word, a facet) brings it back.
	RankBound = 500
)

// Facets, which are also the names of the filters that narrow them.
const (
	FacetType      = "type"
	FacetCommunity = "community"
	FacetSDG       = "sdg"
	FacetCountry   = "country"
	FacetLanguage  = "language"
	FacetYear      = "year"
)

// FacetNames lists the facets in the order pages show them.
var FacetNames = []string{FacetType, FacetCommunity, FacetSDG, FacetCountry, FacetLanguage, FacetYear}

// Reader is who searches: what they may see follows from it.
type Reader struct {
	UserID int64 // 0 for an anonymous reader
	Admin  bool  // site administrators see every community's content
}

// Filter is a search: the words typed and one value per facet at most.
type Filter struct {
	Text      string
	Type      string
	Community string // a community's slug
	SDG       int
	Country   string
	Language  string
	Year      int
}

// ParseFilter reads a search from a query string, as the page and the API
// take it: q, type, community, sdg, country, language and year. The words
// are never refused (see Parse); a facet value that cannot exist is a
// validation error naming its filter.
func ParseFilter(v url.Values) (Filter, error) {
	var e validation.Error
	f := Filter{Text: cut(v.Get("q"))}
	if t := strings.TrimSpace(v.Get(FacetType)); t != "" {
		if contains(Types, t) {
			f.Type = t
		} else {
			e.Add(FacetType, "error.one_of", strings.Join(Types, ", "))
		}
	}
	if c := strings.ToLower(strings.TrimSpace(v.Get(FacetCommunity))); c != "" {
		// A slug names a community or none: an unknown one finds nothing.
		if len(c) <= 60 {
			f.Community = c
		} else {
			e.Add(FacetCommunity, "search.error.community")
		}
	}
	if s := strings.TrimSpace(v.Get(FacetSDG)); s != "" {
		if n, err := strconv.Atoi(s); err == nil && taxonomy.ValidGoal(n) {
			f.SDG = n
		} else {
			e.Add(FacetSDG, "error.sdg")
		}
	}
	if s := strings.TrimSpace(v.Get(FacetCountry)); s != "" {
		if cc, ok := taxonomy.NormalizeCountry(s); ok {
			f.Country = cc
		} else {
			e.Add(FacetCountry, "error.country")
		}
	}
	if s := strings.ToLower(strings.TrimSpace(v.Get(FacetLanguage))); s != "" {
		if len(s) <= 8 && taxonomy.ValidLanguage(s) {
			f.Language = s
		} else {
			e.Add(FacetLanguage, "search.error.language")
		}
	}
	if s := strings.TrimSpace(v.Get(FacetYear)); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1900 && n <= 2200 {
			f.Year = n
		} else {
			e.Add(FacetYear, "search.error.year")
		}
	}
	// The filter holds the valid values even with an error, so a page can
	// leave out what it cannot use and still answer.
	return f, e.Err()
}

// Get returns the value of one facet's filter, empty when unset.
func (f Filter) Get(facet string) string {
	switch facet {
	case FacetType:
		return f.Type
	case FacetCommunity:
		return f.Community
	case FacetSDG:
		if f.SDG != 0 {
			return strconv.Itoa(f.SDG)
		}
	case FacetCountry:
		return f.Country
	case FacetLanguage:
		return f.Language
	case FacetYear:
		if f.Year != 0 {
			return strconv.Itoa(f.Year)
		}
	}
	return ""
}

// With returns the filter with one facet set to value, or cleared with "".
func (f Filter) With(facet, value string) Filter {
	switch facet {
	case FacetType:
		f.Type = value
	case FacetCommunity:
		f.Community = value
	case FacetSDG:
		f.SDG, _ = strconv.Atoi(value)
	case FacetCountry:
		f.Country = value
	case FacetLanguage:
		f.Language = value
	case FacetYear:
		f.Year, _ = strconv.Atoi(value)
	}
	return f
}

// Narrowed reports whether any facet filter is set.
func (f Filter) Narrowed() bool {
	for _, name := range FacetNames {
		if f.Get(name) != "" {
			return true
		}
	}
	return false
}

// Values returns the search as a query string, for links that keep it.
func (f Filter) Values() url.Values {
	v := url.Values{}
	if f.Text != "" {
		v.Set("q", f.Text)
	}
	for _, name := range FacetNames {
		if s := f.Get(name); s != "" {
			v.Set(name, s)
		}
	}
	return v
}

// Item is one result.
type Item struct {
	Type      string // thread, resource, solution, event, community, profile
	ID        int64
	PostID    int64  // the reply that matched best, for a thread
	Title     string // plain text
	URL       string
	Snippet   string // HTML: escaped text with the matches in <mark>
	Community string // the community's name, for content inside one
	Language  string
	Date      time.Time
	Score     float64
	// Restricted: held or hidden content (or a hidden reply), which only
	// the community's moderators and its author find.
	Restricted bool
}

// FacetValue is one value of a facet and how many results have it; Label
// names communities (other values are named by the pages).
type FacetValue struct {
	Value string
	Count int
	Label string
}

// Result is a page of results with the total and the facets.
type Result struct {
	Query Query
	Items []Item
	// Total is the number of results. When more than CountBound
	// documents matched, Total and the facet counts are Estimated from the
	// newest CountBound; when the estimate passes MaxCount, the result is
	// Capped and Total is MaxCount: "more than 10,000".
	Total     int
	Estimated bool
	Capped    bool
	// Ranked is how many results can be paged through: at most the
	// results among the newest RankBound matches.
	Ranked int
	// Facets holds, for each facet name, its values most frequent first,
	// each counted under the other filters. A selected value appears even
	// when nothing is left under it, so it can be removed.
	Facets map[string][]FacetValue
}

// Store searches through a database or a transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that searches through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// Search returns a page of the results of a search for a reader, with the
// total and the facets. An empty query (nothing to look for once parsed)
// finds nothing. Whatever the words, it answers results or none, never a
// syntax error.
func (s *Store) Search(ctx context.Context, r Reader, f Filter, limit, offset int) (Result, error) {
	res := Result{Query: Parse(f.Text), Items: []Item{}, Facets: map[string][]FacetValue{}}
	if limit <= 0 {
		limit = 20
	}
	if res.Query.Empty() {
		return res, nil
	}
	communityID := int64(0)
	if f.Community != "" {
		if err := s.q.QueryRow(ctx, "SELECT id FROM communities WHERE slug = ?", f.Community).Scan(&communityID); err != nil && !isNotFound(err) {
			return res, fmt.Errorf("search: community %q: %w", f.Community, err)
		}
		if communityID == 0 {
			communityID = -1 // no such community: nothing matches
		}
	}
	m := s.matcher(res.Query, r)
	ids, err := s.span(ctx)
	if err != nil {
		return res, err
	}
	first, err := s.candidates(ctx, m, ids, f, communityID, false, nil)
	if err != nil {
		return res, err
	}
	all, scale := first.counted, first.scale
	res.Facets, res.Total = countFacets(combine(all), f, communityID, scale)
	res.Estimated = scale > 1
	// The ranked pool: the newest matches that pass every filter.
	pool := make([]candidate, 0, min(len(all), RankBound))
	for _, c := range all {
		if c.combo.matches(f, communityID, "") {
			pool = append(pool, c)
		}
	}
	if scale > 1 && f.Narrowed() && (len(pool) < NarrowSample || estimate(len(pool), scale) <= NarrowBound) {
		// The newest of all matches hold too few of the narrowed ones to
		// estimate their number or to rank, or so few match in all that
		// they may be counted exactly: count and rank those on their own.
		narrowed, nscale := first.wide, first.wideScale
		if narrowed == nil {
			nread, err := s.candidates(ctx, m, ids, f, communityID, true, all)
			if err != nil {
				return res, err
			}
			narrowed, nscale = nread.counted, nread.scale
		} else {
			narrowed = slices.DeleteFunc(narrowed, func(c candidate) bool { return !c.combo.matches(f, communityID, "") })
		}
		n := 0
		for _, c := range combine(narrowed) {
			n += c.items
		}
		res.Total, res.Estimated = estimate(n, nscale), nscale > 1
		pool = narrowed
	}
	if res.Total > MaxCount {
		res.Total, res.Capped = MaxCount, true
	}
	if res.Facets[FacetCommunity], err = s.labelCommunities(ctx, res.Facets[FacetCommunity], f.Community); err != nil {
		return res, err
	}
	if res.Total == 0 {
		return res, nil
	}
	hits, ranked, err := s.rank(ctx, m, pool[:min(len(pool), RankBound)], limit, max(0, offset))
	if err != nil {
		return res, err
	}
	res.Ranked = ranked
	if res.Items, err = s.hydrate(ctx, res.Query, hits); err != nil {
		return res, err
	}
	return res, nil
}

func isNotFound(err error) bool { return errors.Is(err, sqldb.ErrNotFound) }

// matcher is what a search's SQL needs to find the reader's matches: the
// words, and the permission filter with its arguments. matchesQuery and
// narrowedQuery build the rest.
type matcher struct {
	dialect  sqldb.Dialect
	query    Query
	perm     string
	permArgs []any
}

func (s *Store) matcher(q Query, r Reader) matcher {
	m := matcher{dialect: s.q.Dialect(), query: q}
	m.perm, m.permArgs = permission(r)
	return m
}

// plan is how to find the newest matches above an id (the floor): on
// PostgreSQL sparse reads the matches of the era of the floor and those
// after it through the GIN index, by the rarest term only (rare), and
// tests the whole query on those; dense walks the documents newest first.
// SQLite's full-text index reads matches newest first in every case.
type plan struct {
	floor  int64
	last   int64 // the newest id
	sparse bool
	rare   string // the tsquery of the rarest term, for a sparse read
	// all makes a sparse read ask the GIN index for every word (and the
	// eras) rather than the rarest only: it then returns the documents
	// that hold them all.
	all bool
	// bounded stops the read at last, below the newest id: the matches
	// above it were read before (a narrowed search's second read).
	bounded bool
}

// eraBits sizes the eras of the index on PostgreSQL: each document's
// tsvector holds the era of its id (id >> eraBits) as a lexeme that no
// text can make, '~30' (migrations 0013 and 0016). A sparse read asks the
// GIN index for the rarest term and the eras above the floor together:
// the index intersects the two inside itself, so a word in 20,000
// documents costs the few thousand of its newest eras, not all of them (a
// bitmap of every match, then of every id above the floor, was 25 ms on a
// million).
const (
	eraBits = 15
	maxEras = 16 // past this many, the eras narrow the read too little
)

// firstEra is the era of the first id above the floor.
func (p plan) firstEra() int64 { return (p.floor + 1) >> eraBits }

// eras returns the tsquery of the eras from the floor's to the newest, or
// "" when the read goes below the first id or spans too many eras.
func (p plan) eras() string {
	if p.floor < 1 {
		return ""
	}
	from, to := p.firstEra(), p.last>>eraBits
	if to-from+1 > maxEras {
		return ""
	}
	var b strings.Builder
	for e := from; e <= to; e++ {
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		fmt.Fprintf(&b, "'~%d'", e)
	}
	return b.String()
}

// text returns the FROM clause and the condition on documents d that
// holds for matches of the words above the floor (on PostgreSQL sparse,
// in the eras from the floor's on), with its arguments.
func (m matcher) text(p plan) (from, cond string, args []any) {
	if m.dialect == sqldb.SQLite {
		cond, args = "search_fts MATCH ? AND d.id > ?", []any{m.query.fts5(), p.floor}
		return " FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid", cond + p.top("search_fts.rowid", &args), args
	}
	whole := m.query.tsquery()
	if !p.sparse {
		// A walk newest first, which the planner would otherwise replace
		// with the GIN index's matches of every term (for "maternal
		// health", 50,000 documents) to sort: IS TRUE hides the words from
		// the index.
		args = []any{whole, p.floor}
		return " FROM search_docs d", "(d.tsv @@ to_tsquery('simple', ?)) IS TRUE AND d.id > ?" + p.top("d.id", &args), args
	}
	read := cmp.Or(p.rare, whole)
	if p.all {
		read = whole
	}
	cond, args = "d.tsv @@ to_tsquery('simple', ?)", []any{read}
	if eras := p.eras(); eras != "" {
		cond, args = "d.tsv @@ (to_tsquery('simple', ?) && CAST(? AS tsquery))", []any{read, eras}
	}
	if read != whole {
		// IS TRUE keeps the whole query out of the index scan: the GIN
		// index would otherwise read the matches of every term, 300,000
		// for "health" on a million posts, to intersect them.
		cond += " AND (d.tsv @@ to_tsquery('simple', ?)) IS TRUE"
		args = append(args, whole)
	}
	return " FROM search_docs d", cond + p.top("d.id", &args), args
}

// top returns the condition on the id column that stops a bounded read at
// the plan's last id, with its argument added to args, or "".
func (p plan) top(column string, args *[]any) string {
	if !p.bounded {
		return ""
	}
	*args = append(*args, p.last)
	return " AND " + column + " <= ?"
}

// matchesQuery returns the query of the newest limit matches above the
// plan's floor that the reader may see, with its arguments, in the form
// read takes.
func (m matcher) matchesQuery(p plan, limit int) (string, []any) {
	cols, args := m.columns()
	from, cond, targs := m.text(p)
	args = append(append(append(args, targs...), m.permArgs...), limit)
	if m.dialect == sqldb.SQLite {
		return m.lines(cols + from + " WHERE " + cond + " AND " + m.perm + " ORDER BY search_fts.rowid DESC LIMIT ?"), args
	}
	if p.sparse {
		// OFFSET 0: planned apart, without the order that would make the
		// planner walk newest first (a CTE would do it too, but copies
		// every row: 10 ms for 2,000 matches).
		return m.lines("SELECT * FROM (" + cols + from + " WHERE " + cond + " AND " + m.perm + " OFFSET 0) m ORDER BY id DESC LIMIT ?"), args
	}
	return m.lines(cols + from + " WHERE " + cond + " AND " + m.perm + " ORDER BY d.id DESC LIMIT ?"), args
}

// narrowedQuery returns the query of a window, the words' newest size
// matches above the plan's floor, whoever may see them: the lines of those
// of them that the reader may see and that pass the filters, then one line
// that tells how many the window holds and their span (see windowLine), in
// the form read takes.
func (m matcher) narrowedQuery(p plan, f Filter, communityID int64, size int) (string, []any) {
	cols, cargs := m.columns()
	w, fargs := filters(f, communityID, "")
	if m.dialect == sqldb.SQLite {
		// The window's ids from the full-text index alone, then their
		// documents. SQLite would rather read every document newest first
		// and look each up in the window, to save sorting (measured: 410
		// ms); its CROSS JOIN keeps the order written.
		args := []any{m.query.fts5(), p.floor}
		window := "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH ? AND rowid > ?" + p.top("rowid", &args) + " ORDER BY rowid DESC LIMIT ?"
		passing := m.lines(cols + " FROM w CROSS JOIN search_docs d ON d.id = w.id WHERE " + m.perm + w + " ORDER BY d.id DESC LIMIT ?")
		args = append(append(append(append(append(args, size), cargs...), m.permArgs...), fargs...), CountBound+1)
		return "WITH w AS MATERIALIZED (" + window + ") SELECT concat_ws(char(10), NULLIF((" + passing + "), ''), (SELECT " + windowLine + " FROM w))", args
	}
	// PostgreSQL reads each of the window's documents once, with whether
	// it passes: a window of ids joined to their documents looked each up
	// again (3 ms of 6 for a thousand). A walk newest first hands each
	// document up as it goes, so the relevance is computed for those that
	// pass only (a tenth, for a goal); a sparse read sorts its matches
	// first, and would carry each one's tsvector through the sort.
	from, cond, targs := m.text(p)
	pass := "(" + m.perm + w + ") AS pass"
	line, window, args := matchLine, "SELECT * FROM ("+cols+", "+pass+from+" WHERE "+cond+" OFFSET 0) x ORDER BY id DESC LIMIT ?", cargs // see matchesQuery
	if !p.sparse {
		rel, rargs := tsRank(m.query)
		line, window, args = "concat_ws('|', id, "+rel+", line)", "SELECT d.id, d.tsv, d.line, "+pass+from+" WHERE "+cond+" ORDER BY d.id DESC LIMIT ?", rargs
	}
	args = append(append(append(append(args, m.permArgs...), fargs...), targs...), size)
	return "SELECT concat_ws(" + m.newline() + ", string_agg(CASE WHEN pass THEN " + line + " END, " + m.newline() + "), " +
		windowLine + ") FROM (" + window + ") d", args
}

// permission is the SQL condition on documents d that keeps what the reader
// may see: content of members-only and private communities for their
// members, communities themselves unless private to others, profiles by
// their visibility, drafts for the community's managers, held and hidden
// content for the community's moderators and its author. Site
// administrators see everything the index shows anyone. Deleted content
// is not in the index.
func permission(r Reader) (string, []any) {
	const open = `(d.community_id IS NULL
		OR d.community_id IN (SELECT id FROM communities WHERE visibility = 'public')
		OR d.access = 'listed' AND d.community_id IN (SELECT id FROM communities WHERE visibility = 'members')`
	switch {
	case r.Admin:
		return "d.access <> 'none'", nil
	case r.UserID == 0:
		return "d.access IN ('all', 'listed') AND " + open + ")", nil
	}
	return `(d.access IN ('all', 'listed', 'members') OR d.access IN ('owner', 'moderators') AND d.owner_id = ?
		OR d.access = 'managers' AND d.community_id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL AND role = 'manager')
		OR d.access = 'moderators' AND d.community_id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL AND role IN ('moderator', 'manager')))
		AND ` + open + `
		OR d.community_id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))`, []any{r.UserID, r.UserID, r.UserID, r.UserID}
}

// filters returns the conditions of the facet filters on documents d,
// leaving out the facet named skip.
func filters(f Filter, communityID int64, skip string) (string, []any) {
	var b strings.Builder
	var args []any
	if f.Type != "" && skip != FacetType {
		b.WriteString(" AND d.item_type = ?")
		args = append(args, f.Type)
	}
	if communityID != 0 && skip != FacetCommunity {
		b.WriteString(" AND d.community_id = ?")
		args = append(args, communityID)
	}
	if f.SDG != 0 && skip != FacetSDG {
		b.WriteString(" AND d.sdgs LIKE ?")
		args = append(args, "% "+strconv.Itoa(f.SDG)+" %")
	}
	if f.Country != "" && skip != FacetCountry {
		b.WriteString(" AND d.countries LIKE ?")
		args = append(args, "% "+f.Country+" %")
	}
	if f.Language != "" && skip != FacetLanguage {
		b.WriteString(" AND d.language = ?")
		args = append(args, f.Language)
	}
	if f.Year != 0 && skip != FacetYear {
		b.WriteString(" AND d.year = ?")
		args = append(args, f.Year)
	}
	return b.String(), args
}

// combo is a combination of facet values and how many results have it.
type combo struct {
	typ, language, sdgs, countries string
	community                      int64
	year                           int
	items                          int
}

// candidate is a match the reader may see: what ranking needs, the record
// its result is made of, and the facet values it is counted under.
type candidate struct {
	docID, itemID int64
	at            int64
	boost         float64
	rel           float64 // on PostgreSQL, how well it matches, read with it
	kind          string
	refID         int64
	restricted    bool // held or hidden: moderators and the author only
	combo         combo
}

// parse reads the record and the facet values of a match from
// "kind|ref_id|access|type|community|language|year|sdgs|countries".
func (c *candidate) parse(s string) error {
	var parts [9]string
	rest := s
	for i := range parts[:8] {
		var ok bool
		if parts[i], rest, ok = strings.Cut(rest, "|"); !ok {
			return fmt.Errorf("facets %q", s)
		}
	}
	parts[8] = rest
	var err1, err2, err3 error
	c.kind, c.restricted = parts[0], parts[2] == accessModerators
	c.refID, err1 = strconv.ParseInt(parts[1], 10, 64)
	c.combo.typ, c.combo.language, c.combo.sdgs, c.combo.countries = parts[3], parts[5], parts[7], parts[8]
	c.combo.community, err2 = strconv.ParseInt(parts[4], 10, 64)
	c.combo.year, err3 = strconv.Atoi(parts[6])
	return errors.Join(err1, err2, err3)
}

// columns returns the columns a match is read with from documents d, with
// their arguments: id, rel, and the line of its record and facet values,
// which lines joins into one text with them (see matchLine). rel is how
// well it matches: on PostgreSQL ts_rank, title weighted above body,
// doubled for the exact phrase, about a microsecond a row read (computed
// later for the rows kept, it needs the tsvector carried through the sort:
// slower); SQLite weighs the ranked candidates later (see relevance).
func (m matcher) columns() (string, []any) {
	if m.dialect == sqldb.SQLite {
		return "SELECT d.id, 1.0 AS rel, d.line", nil
	}
	rel, args := tsRank(m.query)
	return "SELECT d.id, " + rel + " AS rel, d.line", args
}

// matchLine is the SQL of a match (see columns) as a line of text,
// "id|rel|item_id|at|boost|kind|ref_id|access|type|community|language|
// year|sdgs|countries" (see parseLine). All after rel is kept with each
// document in a generated column (migration 0017): building it from the
// columns as it was read was half the read of a common word's thousand
// matches on SQLite (5.7 ms of it), a third on PostgreSQL (1.5 ms).
const matchLine = "concat_ws('|', id, rel, line)"

// windowLine is the SQL, over the ids of a window, of the line that tells
// how many it holds and their span, in the form of a match's line with no
// record: "n|0|low|high|0|". An aggregate: SQLite's narrowed read takes it
// from its window w, PostgreSQL's in the pass that reads the matches.
const windowLine = "concat_ws('|', COUNT(*), 0, COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), 0, '')"

// lines returns a query of matches (see columns) that returns them as one
// text, a line each, for read.
func (m matcher) lines(query string) string {
	return "SELECT COALESCE(string_agg(" + matchLine + ", " + m.newline() + "), '') FROM (" + query + ") r"
}

// newline is the SQL of a line feed.
func (m matcher) newline() string {
	if m.dialect == sqldb.Postgres {
		return `E'\n'`
	}
	return "char(10)"
}

// tsRank returns PostgreSQL's relevance of documents d to a query, with
// its arguments: ts_rank with the title weighted above the tags and the
// body, doubled when the query's words appear as the exact phrase. It
// comes in billionths, as an integer: PostgreSQL writes a float as text
// more slowly (0.45 ms for a thousand matches), and ts_rank's own
// precision is a ten-millionth.
func tsRank(q Query) (string, []any) {
	rel, args := "CAST(ts_rank('{0.1, 0.1, 0.2, 1.0}', d.tsv, to_tsquery('simple', ?), 1) AS DOUBLE PRECISION) * 1e9", []any{q.tsquery()}
	if p := q.tsPhraseQuery(); p != "" {
		rel += " * CASE WHEN d.tsv @@ to_tsquery('simple', ?) THEN 2 ELSE 1 END"
		args = append(args, p)
	}
	return "CAST(" + rel + " AS BIGINT)", args
}

// candidates returns the newest CountBound matches the reader may see,
// newest first, with one more when there are more. scale is 1 when every
// match was read; when more matched, it is how many times larger the
// index's span of ids is than the span read, the factor by which counts
// are estimated. The same rows serve for the counts, the facets and the
// ranking: each match is read once, and never more than CountBound of
// them, however common the words (each costs a step through the full-text
// index and a lookup of its document: about 5 µs on SQLite). ids is the
// index's span (span), read once for the search.
//
// With narrowed, the facet filters apply too, to the newest NarrowBound
// matches of the words only: a filter that few matches pass (a language,
// a goal) would otherwise read every match of a common word to find a
// thousand that pass. The count of those that do is scaled like the rest.
// after, when not empty, holds the newest matches already read (newest
// first, every one the reader may see above the oldest of them): the
// narrowed read then starts below them and counts them as the newest part
// of its window, rather than read them again (for "community" narrowed
// to a goal on a million posts, half the second read).
func (s *Store) candidates(ctx context.Context, m matcher, ids idSpan, f Filter, communityID int64, narrowed bool, after []candidate) (matches, error) {
	if ids.last == 0 {
		return matches{scale: 1}, nil
	}
	want, limit := CountBound+1, CountBound+1
	walk := ids // the span of ids the read walks down
	if narrowed {
		want = NarrowBound
		if len(after) > 0 {
			walk.last = after[len(after)-1].docID - 1
			want = max(1, NarrowBound-len(after))
		}
	}
	p := s.plan(ctx, m, walk, want)
	p.bounded = walk.last < ids.last
	if !narrowed && m.dialect == sqldb.Postgres && f.Narrowed() {
		// A narrowed search may need the newest NarrowBound matches (see
		// Search): when they are read through the GIN index, most of the
		// cost is the index's, paid once for both if read now.
		if wide := s.plan(ctx, m, ids, NarrowBound); wide.sparse {
			p, limit = wide, NarrowBound
		}
	}
	var out []candidate
	var windowFull bool
	var low, high int64 // the window's span, when narrowed
	for round := 0; ; round++ {
		if round > 0 {
			// Fewer above the floor than estimated: the words are rarer
			// than the statistics said, and the walk newest first would
			// test ever more documents for few matches.
			p.floor, p.sparse = walk.widen(p.floor), m.dialect == sqldb.Postgres
		}
		var query string
		var args []any
		if narrowed {
			query, args = m.narrowedQuery(p, f, communityID, want)
		} else {
			query, args = m.matchesQuery(p, limit)
		}
		n := -1
		var err error
		out, err = s.read(ctx, m.dialect, query, args)
		if err != nil {
			return matches{}, fmt.Errorf("search: matches: %w", err)
		}
		for _, c := range out {
			if c.combo.typ == "" { // the window's row
				n, low, high = int(c.docID), c.itemID, c.at
			}
		}
		if narrowed {
			out = slices.DeleteFunc(out, func(c candidate) bool { return c.combo.typ == "" })
			if windowFull = n == want; windowFull || p.floor < ids.first {
				break
			}
			continue
		}
		if len(out) > CountBound || p.floor < ids.first {
			break
		}
	}
	if narrowed {
		if len(after) > 0 {
			// The window reaches up to the newest of the matches read
			// before, and those of them that pass the filters are its
			// newest.
			high = after[0].docID
			kept := slices.DeleteFunc(slices.Clone(after), func(c candidate) bool { return !c.combo.matches(f, communityID, "") })
			out = append(kept, out...)
		}
		out = out[:min(len(out), CountBound+1)]
	}
	// The matches read are the newest: a run of ids, whose share of the
	// index's ids says what share of all matches they are.
	scale := func(high, low int64) float64 {
		return max(1.0001, float64(ids.last-ids.first+1)/float64(high-low+1))
	}
	var got matches
	if limit > CountBound+1 {
		// The newest limit matches, or every match above the floor (the
		// read's eras may reach below it, and hold only some there).
		got.wide, got.wideScale = out, 1.0
		switch {
		case len(out) == limit:
			got.wideScale = scale(out[0].docID, out[len(out)-1].docID)
		case p.floor >= ids.first:
			got.wide = slices.DeleteFunc(slices.Clone(out), func(c candidate) bool { return c.docID <= p.floor })
			got.wideScale = scale(ids.last, p.floor+1)
		}
		out = out[:min(len(out), CountBound+1)]
	}
	// The span read: the matches themselves when there are more than
	// CountBound, the window of the words' newest matches when narrowed.
	got.counted, got.scale = out, 1
	switch {
	case len(out) > CountBound:
		got.scale = scale(out[0].docID, out[len(out)-1].docID)
	case narrowed && windowFull:
		got.scale = scale(high, low)
	}
	return got, nil
}

// read runs a query of matches that returns them as one text, a line
// each, joined by the server (see lines), and returns them newest first.
// Reading a thousand rows through database/sql, then collecting their
// garbage, was a third of a search's time on PostgreSQL (5 ms of the
// client's processor per search on a million posts), and measured again
// with pgx's binary rows, a fifth slower than the text; on SQLite a third
// of the read of a common word's thousand matches (7.8 ms, 5.2 as text).
func (s *Store) read(ctx context.Context, d sqldb.Dialect, query string, args []any) ([]candidate, error) {
	var text string
	err := s.q.QueryRow(ctx, query, append(d.PlanEachTime(), args...)...).Scan(&text)
	if err != nil {
		return nil, err
	}
	out := make([]candidate, 0, strings.Count(text, "\n")+1)
	for line := range strings.Lines(text) {
		var c candidate
		if err := c.parseLine(strings.TrimSuffix(line, "\n")); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b candidate) int { return cmp.Compare(b.docID, a.docID) })
	return out, nil
}

// parseLine reads a match from "id|rel|item_id|at|boost|facets" (see
// matchLine, and parse for the facets; none on a window's line: see
// windowLine).
func (c *candidate) parseLine(line string) error {
	var fields [5]string
	rest := line
	for i := range fields {
		var ok bool
		if fields[i], rest, ok = strings.Cut(rest, "|"); !ok {
			return fmt.Errorf("match %q", line)
		}
	}
	var errs [5]error
	c.docID, errs[0] = strconv.ParseInt(fields[0], 10, 64)
	c.rel, errs[1] = strconv.ParseFloat(fields[1], 64)
	c.itemID, errs[2] = strconv.ParseInt(fields[2], 10, 64)
	c.at, errs[3] = strconv.ParseInt(fields[3], 10, 64)
	c.boost, errs[4] = strconv.ParseFloat(fields[4], 64)
	if err := errors.Join(errs[:]...); err != nil {
		return fmt.Errorf("match %q: %w", line, err)
	}
	if rest == "" {
		return nil
	}
	return c.parse(rest)
}

// matches are the newest matches the reader may see, newest first, as
// candidates read them: at most CountBound+1 counted (the total and the
// facets are counted from them), and scale, how many times more match in
// all (1: all were read). wide holds, for a narrowed search on
// PostgreSQL read through the GIN index, up to NarrowBound of them, from
// which the narrowed results are counted with wideScale.
type matches struct {
	counted   []candidate
	scale     float64
	wide      []candidate
	wideScale float64
}

// idSpan is the first and last id of the index.
type idSpan struct{ first, last int64 }

// span reads the index's span of ids: two steps down the primary key.
func (s *Store) span(ctx context.Context) (idSpan, error) {
	var sp idSpan
	err := s.q.QueryRow(ctx, "SELECT COALESCE((SELECT MIN(id) FROM search_docs), 0), COALESCE((SELECT MAX(id) FROM search_docs), 0)").Scan(&sp.first, &sp.last)
	if err != nil {
		return sp, fmt.Errorf("search: count: %w", err)
	}
	return sp, nil
}

// widen returns a floor eight times further down, or below the first id.
func (sp idSpan) widen(floor int64) int64 {
	return max(sp.first-1, sp.last-(sp.last-floor)*8)
}

// plan returns how to find the newest want matches of the words. SQLite's
// full-text index reads a word's documents newest first and stops when it
// has enough, so it needs no plan: the floor is below every id.
// PostgreSQL's GIN index returns every match in no order, and its planner,
// which thinks testing a document against the words cheap, walks the
// documents newest first testing each even for a word in one post in a
// hundred (0.2 s on a million posts). So its statistics of the words
// decide, by what each way would cost: for a rare term the matches are
// read through the GIN index by that term (sparse); for a common one the
// walk newest first is short. The floor, where the newest want
// matches probably reach with a margin (the terms taken as independent),
// keeps either short; when fewer are found above it, the caller widens it.
func (s *Store) plan(ctx context.Context, m matcher, sp idSpan, want int) plan {
	below := plan{floor: sp.first - 1, last: sp.last}
	if m.dialect != sqldb.Postgres {
		return below
	}
	st, ok := s.wordStats(ctx)
	if !ok {
		// No statistics (the index was never analysed: autovacuum has not
		// come yet, or is off): walk the newest documents as if the words
		// were in one in ten; rarer ones widen the floor and are read
		// sparse. Reading every match of a common word sparse instead took
		// 13 seconds for "health" on a million posts.
		if reach := int64(20 * want); sp.last-sp.first+1 > reach {
			return plan{floor: sp.last - reach, last: sp.last}
		}
		below.sparse = true
		return below
	}
	rarest, share := 2.0, 1.0 // the first term is the rarest so far
	var rare Term
	for _, t := range m.query.Must {
		ts := st.term(t)
		share *= ts
		if ts < rarest {
			rarest, rare = ts, t
		}
	}
	// The rarest term serves a sparse read now, or after a widening.
	p := plan{rare: tsTerm(rare), last: sp.last}
	docs := float64(sp.last - sp.first + 1)
	reach := min(docs, 2*float64(want)/max(share, 1e-9))
	if reach < docs {
		p.floor = sp.last - int64(reach)
	} else {
		p.floor = sp.first - 1
	}
	// What each read costs at most, in steps of the GIN index, as
	// measured on a million documents (BenchmarkSearch): a sparse read
	// takes the matches of the rarest term from the GIN index (fewer when
	// the eras narrow them) and tests those above the floor, about half a
	// step each; a dense walk reads and tests about as many documents as
	// it must to find want matches, two and a half steps each. So a word
	// in one document in fifty is read sparse, and one in ten dense.
	sparse := rarest*docs + 0.5*reach
	dense := 2.5 * min(docs, float64(want)/max(share, 1e-9))
	p.sparse = sparse < dense
	// Within a few eras, the GIN index can also intersect every word (and
	// a phrase's words) with the eras inside itself, and return only the
	// documents that hold them all, about 17 steps each: "maternal health"
	// 5.3 ms where the walk newest first took 12.5 and the rarest word's
	// read 9.4, the phrase "antenatal care" 6 ms against 14. For two common
	// words the walk stays shorter.
	if p.floor >= sp.first && p.eras() != "" {
		span := float64(p.last - p.firstEra()<<eraBits + 1)
		if all := 17 * share * span; all < min(sparse, dense) {
			p.sparse, p.all = true, true
		}
	}
	return p
}

// term estimates, from PostgreSQL's statistics of the index (the most
// common words and the share of documents holding each), at most what
// share of the documents hold a term: a phrase counts as its rarest word
// (the planner's own estimate of a phrase is a guess, a hundred times too
// low for "antenatal care"), alternatives add up, a word the statistics do
// not list counts as a tenth of the least common they do, a prefix as
// every document.
func (st *wordStats) term(t Term) float64 {
	sum := 0.0
	for _, p := range t.Alts {
		rarest := 1.0
		for _, w := range p.Words {
			if p.Prefix {
				rarest = 1
				break
			}
			f, ok := st.freq[w]
			if !ok {
				f = st.least / 10
			}
			rarest = min(rarest, f)
		}
		sum += rarest
	}
	return min(1, sum)
}

// wordStats are the most common words of the index and the share of
// documents that hold each, as PostgreSQL's statistics keep them.
type wordStats struct {
	freq  map[string]float64
	least float64 // the least share listed: any other word is rarer
	read  time.Time
}

// wordStatsCache keeps them for a while per database: reading pg_stats
// takes 9 ms, and they change only when the table is analysed.
var wordStatsCache sync.Map // *sqldb.DB -> *wordStats

const wordStatsAge = 10 * time.Minute

func (s *Store) wordStats(ctx context.Context) (*wordStats, bool) {
	db, cacheable := s.q.(*sqldb.DB)
	if cacheable {
		if v, ok := wordStatsCache.Load(db); ok && time.Since(v.(*wordStats).read) < wordStatsAge {
			return v.(*wordStats), true
		}
	}
	rows, err := s.q.Query(ctx, `SELECT COALESCE(x.e, ''), x.f FROM pg_stats s,
			unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS x(e, f)
		WHERE s.schemaname = current_schema() AND s.tablename = 'search_docs' AND s.attname = 'tsv'`)
	st := &wordStats{freq: map[string]float64{}, least: 1, read: time.Now()}
	// After the words' shares come the least and the greatest of them
	// (and, in newer versions, the share of empty documents), paired with
	// no word.
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var e string
		var f float64
		if err := r.Scan(&e, &f); err != nil {
			return err
		}
		if e != "" {
			st.freq[e] = f
			st.least = min(st.least, f)
		}
		return nil
	})
	if err != nil || len(st.freq) == 0 {
		return nil, false
	}
	if cacheable {
		wordStatsCache.Store(db, st)
	}
	return st, true
}

// estimate scales a count of the matches counted to all matches, to two
// significant digits (an estimate should not look exact).
func estimate(n int, scale float64) int {
	if scale <= 1 {
		return n
	}
	e := float64(n) * scale
	unit := 1.0
	for e/unit >= 100 {
		unit *= 10
	}
	return max(n, int(math.Round(e/unit)*unit))
}

// combine counts matches by combination of facet values (a few hundred at
// most), from which countFacets counts each facet under the other
// filters: items, not documents, so that a thread and its replies count
// once.
func combine(cands []candidate) []combo {
	type item struct {
		combo
		typ string
		id  int64
	}
	index := map[combo]int{}
	seen := map[item]bool{}
	var out []combo
	for _, c := range cands {
		k := c.combo
		k.items = 0
		it := item{k, c.combo.typ, c.itemID}
		if seen[it] {
			continue
		}
		seen[it] = true
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, k)
		}
		out[i].items++
	}
	return out
}

// matches reports whether a combination passes the filter, leaving out the
// facet named skip.
func (c combo) matches(f Filter, communityID int64, skip string) bool {
	return (f.Type == "" || skip == FacetType || c.typ == f.Type) &&
		(communityID == 0 || skip == FacetCommunity || c.community == communityID) &&
		(f.SDG == 0 || skip == FacetSDG || strings.Contains(c.sdgs, " "+strconv.Itoa(f.SDG)+" ")) &&
		(f.Country == "" || skip == FacetCountry || strings.Contains(c.countries, " "+f.Country+" ")) &&
		(f.Language == "" || skip == FacetLanguage || c.language == f.Language) &&
		(f.Year == 0 || skip == FacetYear || c.year == f.Year)
}

// countFacets counts every facet under the other filters, and the total
// under all of them, from the combinations, estimated with scale.
func countFacets(combos []combo, f Filter, communityID int64, scale float64) (map[string][]FacetValue, int) {
	out := make(map[string][]FacetValue, len(FacetNames))
	total := 0
	for _, c := range combos {
		if c.matches(f, communityID, "") {
			total += c.items
		}
	}
	for _, name := range FacetNames {
		counts := map[string]int{}
		for _, c := range combos {
			if !c.matches(f, communityID, name) {
				continue
			}
			switch name {
			case FacetType:
				counts[c.typ] += c.items
			case FacetCommunity:
				if c.community != 0 {
					counts[strconv.FormatInt(c.community, 10)] += c.items
				}
			case FacetSDG:
				for _, g := range strings.Fields(c.sdgs) {
					counts[g] += c.items
				}
			case FacetCountry:
				for _, cc := range strings.Fields(c.countries) {
					counts[cc] += c.items
				}
			case FacetLanguage:
				if c.language != "" {
					counts[c.language] += c.items
				}
			case FacetYear:
				if c.year != 0 {
					counts[strconv.Itoa(c.year)] += c.items
				}
			}
		}
		values := make([]FacetValue, 0, len(counts))
		for v, n := range counts {
			values = append(values, FacetValue{Value: v, Count: estimate(n, scale)})
		}
		if sel := f.Get(name); sel != "" && name != FacetCommunity && counts[sel] == 0 {
			values = append(values, FacetValue{Value: sel})
		}
		sortFacet(values)
		out[name] = values
	}
	return out, estimate(total, scale)
}

// sortFacet orders values most frequent first, then by value (numbers in
// numeric order, years newest first).
func sortFacet(values []FacetValue) {
	sort.Slice(values, func(i, j int) bool {
		a, b := values[i], values[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		an, aErr := strconv.Atoi(a.Value)
		bn, bErr := strconv.Atoi(b.Value)
		if aErr == nil && bErr == nil {
			return an < bn
		}
		return a.Value < b.Value
	})
}

// labelCommunities turns the community facet's ids into slugs, labelled
// with the communities' names; the selected slug stays even when nothing
// is left under it.
func (s *Store) labelCommunities(ctx context.Context, values []FacetValue, selected string) ([]FacetValue, error) {
	var ids []any
	for _, v := range values {
		id, _ := strconv.ParseInt(v.Value, 10, 64)
		ids = append(ids, id)
	}
	names := map[string][2]string{}
	if len(ids) > 0 {
		rows, err := s.q.Query(ctx, "SELECT CAST(id AS TEXT), slug, name FROM communities WHERE id IN ("+sqldb.Placeholders(len(ids))+")", ids...)
		if err != nil {
			return nil, fmt.Errorf("search: community names: %w", err)
		}
		for rows.Next() {
			var id, slug, name string
			if err := rows.Scan(&id, &slug, &name); err != nil {
				rows.Close()
				return nil, err
			}
			names[id] = [2]string{slug, name}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	found := false
	for i, v := range values {
		n := names[v.Value]
		values[i].Value, values[i].Label = n[0], n[1]
		found = found || n[0] == selected
	}
	if selected != "" && !found {
		values = append(values, FacetValue{Value: selected, Label: selected})
	}
	return values, nil
}

// hit is a ranked result before its text is loaded.
type hit struct {
	docID         int64
	typ, kind     string
	itemID, refID int64
	score         float64
	restricted    bool // held or hidden: moderators and the author only
}

// rank returns a page of results, best first, from the candidates (the
// newest RankBound matches that pass every filter), and how many results
// those hold. A thread's replies count as the thread, once, with its best
// score.
func (s *Store) rank(ctx context.Context, m matcher, cands []candidate, limit, offset int) ([]hit, int, error) {
	if len(cands) == 0 {
		return nil, 0, nil
	}
	rel, err := s.relevance(ctx, m, cands)
	if err != nil {
		return nil, 0, fmt.Errorf("search: rank: %w", err)
	}
	// Gently favoured: up to 30% for what is new (halved after a year), up
	// to 30% for what was well received.
	now := float64(time.Now().Unix())
	type key struct {
		typ string
		id  int64
	}
	best := map[key]int{}
	var hits []hit
	for _, c := range cands {
		score := rel[c.docID] * (1 + 0.3/(1+math.Abs(now-float64(c.at))/31557600)) * (1 + 0.3*c.boost)
		h := hit{docID: c.docID, typ: c.combo.typ, kind: c.kind, itemID: c.itemID, refID: c.refID, score: score, restricted: c.restricted}
		k := key{h.typ, h.itemID}
		if i, ok := best[k]; !ok {
			best[k] = len(hits)
			hits = append(hits, h)
		} else if better(h, hits[i]) {
			hits[i] = h
		}
	}
	sort.Slice(hits, func(i, j int) bool { return better(hits[i], hits[j]) })
	ranked := len(hits)
	if offset >= len(hits) {
		return nil, ranked, nil
	}
	return hits[offset:min(len(hits), offset+limit)], ranked, nil
}

// better orders hits: higher score first, then the newer.
func better(a, b hit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.docID > b.docID
}

// relevance scores how well each candidate matches the words, by document
// id. PostgreSQL ranked them as it read them (see columns). SQLite's
// bm25() would first count every document holding each word, a walk of
// the whole index for a common word (47% of the search's time on a
// million posts), so the score is built from where the words occur
// instead: in the title (x3), in the extra field of authors, places and
// tags (x1.5), and the whole query as a phrase (x2), each found by a
// full-text query limited to the candidates' span of ids.
func (s *Store) relevance(ctx context.Context, m matcher, cands []candidate) (map[int64]float64, error) {
	rel := make(map[int64]float64, len(cands))
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.docID
		rel[c.docID] = c.rel
	}
	if m.dialect == sqldb.Postgres {
		return rel, nil
	}
	low, high := ids[len(ids)-1], ids[0]
	weigh := func(match string, factor float64) error {
		rows, err := s.q.Query(ctx, "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid >= ? AND rowid <= ?", match, low, high)
		return sqldb.Each(rows, err, func(r sqldb.Scanner) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			if v, ok := rel[id]; ok {
				rel[id] = v * factor
			}
			return nil
		})
	}
	if err := weigh("{title} : "+m.query.fts5(), 3); err != nil {
		return nil, err
	}
	if err := weigh("{extra} : "+m.query.fts5(), 1.5); err != nil {
		return nil, err
	}
	if p, ok := m.query.phrase(); ok {
		if err := weigh(ftsPhrase(p), 2); err != nil {
			return nil, err
		}
	}
	return rel, nil
}

// Matching returns a condition on a column of record ids that holds for
// the records of one kind whose indexed text matches a query (every word
// also as the start of longer words: see everyPrefix), in every
// state the index keeps (archived solutions too), with its arguments; ok
// is false when the query looks for nothing. Capabilities with their own
// lists (the solutions catalogue) filter by it.
func Matching(d sqldb.Dialect, kind, column, text string) (cond string, args []any, ok bool) {
	q := Parse(text).everyPrefix()
	if q.Empty() {
		return "", nil, false
	}
	if d == sqldb.Postgres {
		return column + " IN (SELECT d.ref_id FROM search_docs d WHERE d.tsv @@ to_tsquery('simple', ?) AND d.kind = ?)", []any{q.tsquery(), kind}, true
	}
	return column + " IN (SELECT d.ref_id FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.kind = ?)",
		[]any{q.fts5(), kind}, true
}

// Ranked returns the ids of the records of one kind whose text matches a
// query, best first (title above text, exact phrase first), at most limit;
// more reports that there were more.
func Ranked(ctx context.Context, db sqldb.Querier, kind, text string, limit int) (ids []int64, more bool, err error) {
	q := Parse(text).everyPrefix()
	if q.Empty() {
		return nil, false, nil
	}
	var query string
	var args []any
	if db.Dialect() == sqldb.Postgres {
		rel, rargs := tsRank(q)
		query = "SELECT d.ref_id FROM search_docs d WHERE d.tsv @@ to_tsquery('simple', ?) AND d.kind = ? ORDER BY " + rel + " DESC, d.ref_id DESC LIMIT ?"
		args = append(append([]any{q.tsquery(), kind}, rargs...), limit+1)
	} else {
		query = `SELECT d.ref_id FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
			WHERE search_fts MATCH ? AND d.kind = ? ORDER BY bm25(search_fts, 10.0, 1.0, 2.0), d.ref_id DESC LIMIT ?`
		args = []any{q.fts5(), kind, limit + 1}
	}
	rows, err := db.Query(ctx, query, args...)
	ids, err = sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, false, fmt.Errorf("search %s: %w", kind, err)
	}
	if len(ids) > limit {
		return ids[:limit], true, nil
	}
	return ids, false, nil
}
