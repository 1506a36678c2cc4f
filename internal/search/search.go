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
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
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
	CountBound = 2_000
	// MaxCount is the most results a total tells: an estimate beyond it
	// reads "more than 10,000".
	MaxCount = 10_000
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
	combos, scale, err := s.combos(ctx, m, f, communityID, false)
	if err != nil {
		return res, err
	}
	res.Facets, res.Total = countFacets(combos, f, communityID, scale)
	res.Estimated = scale > 1
	if scale > 1 && f.Narrowed() {
		// The sample of all matches may hold too few of the narrowed ones:
		// count those on their own.
		narrowed, nscale, err := s.combos(ctx, m, f, communityID, true)
		if err != nil {
			return res, err
		}
		n := 0
		for _, c := range narrowed {
			n += c.items
		}
		res.Total, res.Estimated = estimate(n, nscale), nscale > 1
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
	hits, ranked, err := s.rank(ctx, m, f, communityID, limit, max(0, offset))
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

// matcher is the part of a search's SQL that finds the reader's matches:
// the FROM clause, the text condition and the permission filter, with
// their arguments, and the column that orders matches newest first.
type matcher struct {
	dialect sqldb.Dialect
	from    string
	where   string
	args    []any
	newest  string
	query   Query
}

func (s *Store) matcher(q Query, r Reader) matcher {
	m := matcher{dialect: s.q.Dialect(), query: q}
	if m.dialect == sqldb.Postgres {
		m.from = " FROM search_docs d"
		m.where = " WHERE d.tsv @@ to_tsquery('simple', ?)"
		m.args = []any{q.tsquery()}
		m.newest = "d.id DESC"
	} else {
		m.from = " FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid"
		m.where = " WHERE search_fts MATCH ?"
		m.args = []any{q.fts5()}
		m.newest = "search_fts.rowid DESC"
	}
	perm, args := permission(r)
	m.where += " AND " + perm
	m.args = append(m.args, args...)
	return m
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

// combos counts the newest CountBound matches the reader may see by every
// combination of facet values at once (a few hundred rows at most), from
// which countFacets counts each facet under the other filters. With
// narrowed, the facet filters apply; otherwise none does. scale is 1 when
// every match was counted; when more matched, it is how many times larger
// the index's span of ids is than the counted matches' span, the factor by
// which counts are estimated.
func (s *Store) combos(ctx context.Context, m matcher, f Filter, communityID int64, narrowed bool) ([]combo, float64, error) {
	where, args := m.where, append([]any{}, m.args...)
	if narrowed {
		w, a := filters(f, communityID, "")
		where += w
		args = append(args, a...)
	}
	rows, err := s.q.Query(ctx, combosSQL(m, where), append(args, CountBound+1)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search: count: %w", err)
	}
	defer rows.Close()
	var out []combo
	docs := 0
	var low, high int64
	for rows.Next() {
		var c combo
		var n int
		var lo, hi int64
		if err := rows.Scan(&c.typ, &c.community, &c.language, &c.year, &c.sdgs, &c.countries, &c.items, &n, &lo, &hi); err != nil {
			return nil, 0, fmt.Errorf("search: count: %w", err)
		}
		docs += n
		if low == 0 || lo < low {
			low = lo
		}
		high = max(high, hi)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search: count: %w", err)
	}
	rows.Close()
	if docs <= CountBound {
		return out, 1, nil
	}
	// The matches counted are the newest: a run of ids, whose share of the
	// index's ids says what share of all matches they are.
	var first, last int64
	// Two subqueries: each is one step down the primary key.
	if err := s.q.QueryRow(ctx, "SELECT (SELECT MIN(id) FROM search_docs), (SELECT MAX(id) FROM search_docs)").Scan(&first, &last); err != nil {
		return nil, 0, fmt.Errorf("search: count: %w", err)
	}
	return out, max(1.0001, float64(last-first+1)/float64(high-low+1)), nil
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

// combosSQL counts the newest matches by combination of facet values.
func combosSQL(m matcher, where string) string {
	// The newest matches on both engines: PostgreSQL could stop at any
	// CountBound matches unsorted, but those come in no order of ids
	// (parallel workers scan the table in pieces), and the estimate needs
	// a run of them. Its ranking sorts every match by id anyway.
	order := " ORDER BY " + m.newest
	// One grouping by combination, counting items (a thread and its
	// replies are one, and share their combination) and documents.
	return `SELECT h.item_type, COALESCE(h.community_id, 0), h.language, COALESCE(h.year, 0), h.sdgs, h.countries,
			COUNT(DISTINCT h.item_id), COUNT(*), MIN(h.id), MAX(h.id)
		FROM (SELECT d.id, d.item_type, d.item_id, d.community_id, d.language, d.year, d.sdgs, d.countries` + m.from + where + order + ` LIMIT ?) h
		GROUP BY h.item_type, h.community_id, h.language, h.year, h.sdgs, h.countries`
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

// rank returns a page of results, best first, from the newest RankBound
// matches that pass every filter, and how many results those hold. A
// thread's replies count as the thread, once, with its best score.
func (s *Store) rank(ctx context.Context, m matcher, f Filter, communityID int64, limit, offset int) ([]hit, int, error) {
	w, fargs := filters(f, communityID, "")
	args := append(append([]any{}, m.args...), fargs...)
	var scored string
	if m.dialect == sqldb.Postgres {
		// The rank is computed on the bounded candidates only: the LIMIT
		// of the first CTE comes before it.
		rel := "ts_rank('{0.1, 0.1, 0.2, 1.0}', tsv, to_tsquery('simple', ?), 1)"
		args = append(args, RankBound, m.query.tsquery())
		if p := m.query.tsPhraseQuery(); p != "" {
			rel = "(" + rel + " * CASE WHEN tsv @@ to_tsquery('simple', ?) THEN 2.0 ELSE 1.0 END)"
			args = append(args, p)
		}
		scored = `WITH hits AS MATERIALIZED (
				SELECT d.id, d.item_type, d.item_id, d.kind, d.ref_id, d.access, d.at, d.boost, d.tsv` + m.from + m.where + w + `
				ORDER BY ` + m.newest + ` LIMIT ?
			), relevant AS (
				SELECT id, item_type, item_id, kind, ref_id, access, at, boost, ` + rel + ` AS rel FROM hits
			)`
	} else {
		args = append(args, RankBound)
		scored = `WITH relevant AS (
				SELECT d.id, d.item_type, d.item_id, d.kind, d.ref_id, d.access, d.at, d.boost, -bm25(search_fts, 10.0, 1.0, 2.0) AS rel` + m.from + m.where + w + `
				ORDER BY ` + m.newest + ` LIMIT ?
			)`
	}
	// Gently favoured: up to 30% for what is new (halved after a year), up
	// to 30% for what was well received.
	args = append(args, time.Now().Unix(), limit, offset)
	rows, err := s.q.Query(ctx, scored+`, scored AS (
			SELECT id, item_type, item_id, kind, ref_id, access,
				rel * (1.0 + 0.3 / (1.0 + ABS(? - at) / 31557600.0)) * (1.0 + 0.3 * boost) AS score
			FROM relevant
		), best AS (
			SELECT id, item_type, item_id, kind, ref_id, access, score,
				ROW_NUMBER() OVER (PARTITION BY item_type, item_id ORDER BY score DESC, id DESC) AS n
			FROM scored
		)
		SELECT id, item_type, item_id, kind, ref_id, access = 'moderators', score, COUNT(*) OVER () FROM best WHERE n = 1
		ORDER BY score DESC, id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("search: rank: %w", err)
	}
	defer rows.Close()
	var out []hit
	ranked := 0
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.docID, &h.typ, &h.itemID, &h.kind, &h.refID, &h.restricted, &h.score, &ranked); err != nil {
			return nil, 0, fmt.Errorf("search: rank: %w", err)
		}
		out = append(out, h)
	}
	return out, ranked, rows.Err()
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
		rel := "ts_rank('{0.1, 0.1, 0.2, 1.0}', d.tsv, to_tsquery('simple', ?), 1)"
		args = []any{q.tsquery(), kind, q.tsquery()}
		if p := q.tsPhraseQuery(); p != "" {
			rel += " * CASE WHEN d.tsv @@ to_tsquery('simple', ?) THEN 2.0 ELSE 1.0 END"
			args = append(args, p)
		}
		query = "SELECT d.ref_id FROM search_docs d WHERE d.tsv @@ to_tsquery('simple', ?) AND d.kind = ? ORDER BY " + rel + " DESC, d.ref_id DESC LIMIT ?"
		args = append(args, limit+1)
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
