package solution

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Facets, which are also the names of the filters that narrow them.
const (
	FacetSDG       = "sdg"
	FacetCountry   = "country"
	FacetRegion    = "region"
	FacetStatus    = "status"
	FacetModality  = "modality"
	FacetStartYear = "start_year"
)

// FacetNames lists the facets in the order pages show them.
var FacetNames = []string{FacetSDG, FacetRegion, FacetCountry, FacetStatus, FacetModality, FacetStartYear}

// Sort orders of a list.
const (
	SortRelevance = "relevance" // best match of the search words; needs Text
	SortNewest    = "newest"    // most recently started first
	SortTitle     = "title"     // by title, accents ignored
)

// Sorts lists the sort orders.
var Sorts = []string{SortRelevance, SortNewest, SortTitle}

// Limits on a query.
const (
	maxQueryLen     = 200
	maxFilterValues = 20
)

// Query narrows, sorts and pages the catalogue. Within one filter the values
// are alternatives (SDG 3 or SDG 17); the filters combine (SDG 3 in Africa).
type Query struct {
	Text       string   // words that must all appear, at the start of words, accents and case ignored
	SDGs       []int    // served as primary or secondary goal
	Countries  []string // ISO codes; Global matches global solutions
	Regions    []string // M49 codes; a region matches solutions in any area inside it
	Statuses   []string
	Modalities []string
	StartYears []int
	Sort       string // SortRelevance (the default with Text), SortNewest (the default without), SortTitle
	Archived   bool   // list archived records instead of the others (editors)
	Limit      int
	Offset     int
}

// ParseQuery reads the filters and sort order from a query string, as both
// the page and the API take them: q, sdg, country, region, status, modality,
// start_year (each may repeat, or list values separated by commas) and sort.
// Regions are M49 codes (002) or English names (Africa); countries are ISO
// codes or "global". Values it does not know fail validation, by filter.
func ParseQuery(v url.Values) (Query, error) {
	var e validation.Error
	var q Query
	q.Text = e.Text("q", v.Get("q"), false, maxQueryLen)
	values := func(name string) []string {
		var out []string
		for _, raw := range v[name] {
			for _, s := range strings.Split(raw, ",") {
				if s = strings.TrimSpace(s); s != "" && !contains(out, s) {
					out = append(out, s)
				}
			}
		}
		if len(out) > maxFilterValues {
			e.Add(name, "error.too_many", maxFilterValues)
			return nil
		}
		return out
	}
	bad := func(name, value string) { e.Add(name, "solution.error.filter", value) }
	for _, s := range values(FacetSDG) {
		if n, err := strconv.Atoi(s); err == nil && taxonomy.ValidGoal(n) {
			q.SDGs = appendUnique(q.SDGs, n)
		} else {
			bad(FacetSDG, s)
		}
	}
	for _, s := range values(FacetCountry) {
		if strings.EqualFold(s, Global) {
			q.Countries = appendUnique(q.Countries, Global)
		} else if cc, ok := taxonomy.NormalizeCountry(s); ok {
			q.Countries = appendUnique(q.Countries, cc)
		} else {
			bad(FacetCountry, s)
		}
	}
	for _, s := range values(FacetRegion) {
		if code, ok := taxonomy.ParseRegion(s); ok {
			q.Regions = appendUnique(q.Regions, code)
		} else {
			bad(FacetRegion, s)
		}
	}
	for _, s := range values(FacetStatus) {
		if contains(Statuses, s) {
			q.Statuses = appendUnique(q.Statuses, s)
		} else {
			bad(FacetStatus, s)
		}
	}
	for _, s := range values(FacetModality) {
		if contains(Modalities, s) {
			q.Modalities = appendUnique(q.Modalities, s)
		} else {
			bad(FacetModality, s)
		}
	}
	for _, s := range values(FacetStartYear) {
		if n, err := strconv.Atoi(s); err == nil && n >= MinYear && n <= MaxYear {
			q.StartYears = appendUnique(q.StartYears, n)
		} else {
			bad(FacetStartYear, s)
		}
	}
	q.Sort = e.OneOf("sort", v.Get("sort"), false, Sorts...)
	return q, e.Err()
}

func appendUnique[T comparable](list []T, v T) []T {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// Values returns the query's filters and sort order as a query string
// (paging left out), for links that keep them.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	for _, g := range q.SDGs {
		v.Add(FacetSDG, strconv.Itoa(g))
	}
	for _, r := range q.Regions {
		v.Add(FacetRegion, r)
	}
	for _, c := range q.Countries {
		v.Add(FacetCountry, c)
	}
	v[FacetStatus] = append([]string(nil), q.Statuses...)
	v[FacetModality] = append([]string(nil), q.Modalities...)
	for _, y := range q.StartYears {
		v.Add(FacetStartYear, strconv.Itoa(y))
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	for k, vals := range v {
		if len(vals) == 0 {
			delete(v, k)
		}
	}
	return v
}

// Filtered reports whether any filter or search words narrow the list.
func (q Query) Filtered() bool {
	return q.Text != "" || len(q.SDGs)+len(q.Countries)+len(q.Regions)+len(q.Statuses)+len(q.Modalities)+len(q.StartYears) > 0
}

// Selected returns the values of one filter as strings, as facets hold them.
func (q Query) Selected(facet string) []string {
	switch facet {
	case FacetSDG:
		return itoas(q.SDGs)
	case FacetCountry:
		return q.Countries
	case FacetRegion:
		return q.Regions
	case FacetStatus:
		return q.Statuses
	case FacetModality:
		return q.Modalities
	case FacetStartYear:
		return itoas(q.StartYears)
	}
	return nil
}

func itoas(ns []int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = strconv.Itoa(n)
	}
	return out
}

func anys[T any](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}

// matched holds the records whose text matches a query's words, found once
// per search in the site-wide index (internal/search), so that the count,
// the page and each facet do not search the text again. When there are
// too many to list, the condition is left to the database.
type matched struct {
	active bool
	text   string
	ids    []any         // nil: use the index's condition
	rank   map[int64]int // position of each id, best first
	none   bool          // no record matches
}

// maxMatchedIDs bounds the ids a search passes to the other queries.
const maxMatchedIDs = 10000

// condition returns the condition that a record's text matches the query:
// every word at the start of a word, accents and case ignored, "phrases"
// in order, -words left out.
func (m matched) condition(d sqldb.Dialect) (string, []any) {
	if m.ids != nil {
		return "s.id IN (" + sqldb.Placeholders(len(m.ids)) + ")", m.ids
	}
	cond, args, _ := search.Matching(d, search.KindSolution, "s.id", m.text)
	return cond, args
}

// matchText finds the records whose text matches the query, best first, in
// the site-wide search index.
func (s *Store) matchText(ctx context.Context, text string) (matched, error) {
	m := matched{text: text}
	ids, more, err := search.Ranked(ctx, s.q, search.KindSolution, text, maxMatchedIDs)
	if err != nil {
		return m, fmt.Errorf("search solutions: %w", err)
	}
	if _, _, ok := search.Matching(s.q.Dialect(), search.KindSolution, "s.id", text); !ok {
		return m, nil
	}
	m.active = true
	switch {
	case len(ids) == 0:
		m.none = true
	case !more:
		m.rank = make(map[int64]int, len(ids))
		for i, id := range ids {
			m.ids = append(m.ids, id)
			m.rank[id] = i
		}
	}
	return m, nil
}

// where returns the conditions of the query on solutions s, leaving out the
// filter named skip: each facet is counted under the other filters.
func (q Query) where(d sqldb.Dialect, text matched, skip string) (string, []any) {
	conds := []string{"s.archived_at IS NULL"}
	if q.Archived {
		conds[0] = "s.archived_at IS NOT NULL"
	}
	var args []any
	if text.active {
		c, a := text.condition(d)
		conds = append(conds, c)
		args = append(args, a...)
	}
	if skip != FacetSDG && len(q.SDGs) > 0 {
		conds = append(conds, "s.id IN (SELECT solution_id FROM solution_sdgs WHERE sdg IN ("+sqldb.Placeholders(len(q.SDGs))+"))")
		args = append(args, anys(q.SDGs)...)
	}
	if skip != FacetCountry && len(q.Countries) > 0 {
		var codes []any
		global := false
		for _, c := range q.Countries {
			if c == Global {
				global = true
			} else {
				codes = append(codes, c)
			}
		}
		var alt []string
		if len(codes) > 0 {
			alt = append(alt, "s.id IN (SELECT solution_id FROM solution_countries WHERE country IN ("+sqldb.Placeholders(len(codes))+"))")
			args = append(args, codes...)
		}
		if global {
			alt = append(alt, "s.is_global")
		}
		conds = append(conds, "("+strings.Join(alt, " OR ")+")")
	}
	if skip != FacetRegion && len(q.Regions) > 0 {
		conds = append(conds, "s.id IN (SELECT solution_id FROM solution_regions WHERE region IN ("+sqldb.Placeholders(len(q.Regions))+"))")
		args = append(args, anys(q.Regions)...)
	}
	if skip != FacetStatus && len(q.Statuses) > 0 {
		conds = append(conds, "s.status IN ("+sqldb.Placeholders(len(q.Statuses))+")")
		args = append(args, anys(q.Statuses)...)
	}
	if skip != FacetModality && len(q.Modalities) > 0 {
		conds = append(conds, "s.modality IN ("+sqldb.Placeholders(len(q.Modalities))+")")
		args = append(args, anys(q.Modalities)...)
	}
	if skip != FacetStartYear && len(q.StartYears) > 0 {
		conds = append(conds, "s.start_year IN ("+sqldb.Placeholders(len(q.StartYears))+")")
		args = append(args, anys(q.StartYears)...)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// FacetValue is one value of a facet and how many records have it.
type FacetValue struct {
	Value string
	Count int
}

// Result is a page of the catalogue with its facets.
type Result struct {
	Items []Solution // summaries
	Total int
	// Facets holds, for each facet name, its values most frequent first,
	// each counted under the other filters of the query. A value selected
	// in the query appears even when none of the records left have it.
	Facets map[string][]FacetValue
}

// Search returns a page of the records that match the query, with the
// facets. It runs a fixed number of queries whatever the number of records:
// the words searched once, one GROUP BY per facet (those on the record's own
// columns together, with the total, when they can be), the page and the
// lists of the page's records.
func (s *Store) Search(ctx context.Context, q Query) (Result, error) {
	res := Result{Items: []Solution{}, Facets: map[string][]FacetValue{}}
	text, err := s.matchText(ctx, q.Text)
	if err != nil {
		return Result{}, err
	}
	if text.none {
		// Nothing holds the words: every count is zero, and the values the
		// reader selected still show, so they can be removed.
		for _, name := range FacetNames {
			res.Facets[name] = []FacetValue{}
			for _, sel := range q.Selected(name) {
				res.Facets[name] = append(res.Facets[name], FacetValue{Value: sel})
			}
		}
		return res, nil
	}
	d := s.q.Dialect()
	facets, total, err := s.facets(ctx, q, text)
	if err != nil {
		return Result{}, err
	}
	res.Facets, res.Total = facets, total
	where, args := q.where(d, text, "")
	if total < 0 {
		if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM solutions s"+where, args...).Scan(&res.Total); err != nil {
			return Result{}, fmt.Errorf("count solutions: %w", err)
		}
	}
	order := " ORDER BY s.start_month DESC, s.id DESC"
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	switch {
	case q.Sort == SortTitle:
		order = " ORDER BY s.title_key, s.id"
	case q.Sort == SortNewest || !text.active || text.rank == nil:
	default:
		// Best match first, as the index ranks them: words in the title
		// or the tagline above words in the text, the exact phrase first.
		return s.byRank(ctx, res, where, args, text.rank, limit, max(0, q.Offset))
	}
	items, err := s.summaries(ctx, "SELECT "+summaryColumns+" FROM solutions s"+where+order+" LIMIT ? OFFSET ?",
		append(args, limit, max(0, q.Offset))...)
	if err != nil {
		return Result{}, fmt.Errorf("list solutions: %w", err)
	}
	if items != nil {
		res.Items = items
	}
	return res, nil
}

// facetQueries are the GROUP BY queries of the facets; WHERE stands for the
// query's conditions without the facet's own filter.
var facetQueries = map[string]string{
	FacetSDG:       "SELECT x.sdg, COUNT(*) FROM solution_sdgs x JOIN solutions s ON s.id = x.solution_id WHERE GROUP BY x.sdg",
	FacetCountry:   "SELECT x.country, COUNT(*) FROM solution_countries x JOIN solutions s ON s.id = x.solution_id WHERE GROUP BY x.country",
	FacetRegion:    "SELECT x.region, COUNT(*) FROM solution_regions x JOIN solutions s ON s.id = x.solution_id WHERE GROUP BY x.region",
	FacetStatus:    "SELECT s.status, COUNT(*) FROM solutions s WHERE GROUP BY s.status",
	FacetModality:  "SELECT s.modality, COUNT(*) FROM solutions s WHERE GROUP BY s.modality",
	FacetStartYear: "SELECT s.start_year, COUNT(*) FROM solutions s WHERE AND s.start_year IS NOT NULL GROUP BY s.start_year",
}

// ownFacets are counted on the record's own columns. When none of them is
// filtered, each is counted under the same conditions, and one GROUP BY
// over all of them (with the global flag and the total) answers them all.
var ownFacets = []string{FacetStatus, FacetModality, FacetStartYear}

// facets counts every facet, each under the query's other filters, and
// returns the total the query matches. A handful of GROUP BY queries
// whatever the number of records.
func (s *Store) facets(ctx context.Context, q Query, text matched) (map[string][]FacetValue, int, error) {
	d := s.q.Dialect()
	full, fullArgs := q.where(d, text, "")
	counts := map[string]map[string]int{}
	shared := map[string]bool{}
	for _, name := range ownFacets {
		if w, _ := q.where(d, text, name); w == full {
			shared[name] = true
		}
	}
	countryWhere, _ := q.where(d, text, FacetCountry)
	globalShared := countryWhere == full
	total := -1
	if len(shared) > 0 || globalShared {
		rows, err := s.q.Query(ctx, "SELECT s.status, s.modality, COALESCE(s.start_year, 0), s.is_global, COUNT(*) FROM solutions s"+full+
			" GROUP BY s.status, s.modality, s.start_year, s.is_global", fullArgs...)
		if err != nil {
			return nil, 0, fmt.Errorf("facets: %w", err)
		}
		total = 0
		add := func(facet, value string, n int) {
			if counts[facet] == nil {
				counts[facet] = map[string]int{}
			}
			counts[facet][value] += n
		}
		for rows.Next() {
			var status, modality string
			var year, n int
			var global bool
			if err := rows.Scan(&status, &modality, &year, &global, &n); err != nil {
				rows.Close()
				return nil, 0, err
			}
			total += n
			add(FacetStatus, status, n)
			add(FacetModality, modality, n)
			if year != 0 {
				add(FacetStartYear, strconv.Itoa(year), n)
			}
			if global {
				add(Global, Global, n)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, 0, err
		}
	}
	out := make(map[string][]FacetValue, len(FacetNames))
	for _, name := range FacetNames {
		var values []FacetValue
		if shared[name] {
			for v, n := range counts[name] {
				values = append(values, FacetValue{Value: v, Count: n})
			}
		} else {
			where, args := q.where(d, text, name)
			query := strings.Replace(facetQueries[name], " WHERE ", where+" ", 1)
			rows, err := s.q.Query(ctx, query, args...)
			values, err = sqldb.Collect(rows, err, func(sc sqldb.Scanner) (FacetValue, error) {
				var v FacetValue
				err := sc.Scan(&v.Value, &v.Count)
				return v, err
			})
			if err != nil {
				return nil, 0, fmt.Errorf("facet %s: %w", name, err)
			}
		}
		if name == FacetCountry {
			n, ok := counts[Global][Global]
			if !globalShared {
				where, args := q.where(d, text, name)
				if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM solutions s"+where+" AND s.is_global", args...).Scan(&n); err != nil {
					return nil, 0, fmt.Errorf("facet %s: %w", name, err)
				}
				ok = true
			}
			if ok && n > 0 {
				values = append(values, FacetValue{Value: Global, Count: n})
			}
		}
		for _, sel := range q.Selected(name) {
			found := false
			for _, v := range values {
				found = found || v.Value == sel
			}
			if !found {
				values = append(values, FacetValue{Value: sel})
			}
		}
		sortFacet(values)
		if values == nil {
			values = []FacetValue{}
		}
		out[name] = values
	}
	return out, total, nil
}

// sortFacet orders values most frequent first, then by value (numbers in
// numeric order).
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

// GoalCount is how many records serve a goal, and how many of those are
// ongoing.
type GoalCount struct {
	SDG     int
	Total   int
	Ongoing int
}

// GoalCounts returns, for each of the 17 goals, how many records serve it
// and how many of those are ongoing: the catalogue's front page.
func (s *Store) GoalCounts(ctx context.Context) ([]GoalCount, error) {
	out := make([]GoalCount, 17)
	for i := range out {
		out[i].SDG = i + 1
	}
	rows, err := s.q.Query(ctx, `SELECT x.sdg, s.status, COUNT(*) FROM solution_sdgs x JOIN solutions s ON s.id = x.solution_id
		WHERE s.archived_at IS NULL GROUP BY x.sdg, s.status`)
	if err != nil {
		return nil, fmt.Errorf("count solutions by goal: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g, n int
		var status string
		if err := rows.Scan(&g, &status, &n); err != nil {
			return nil, err
		}
		if g < 1 || g > 17 {
			continue
		}
		out[g-1].Total += n
		if status == StatusOngoing {
			out[g-1].Ongoing += n
		}
	}
	return out, rows.Err()
}

// FacetLabel names a facet value in the reader's language: "Good health
// and well-being" for SDG 3, "Africa" for 002.
func FacetLabel(l *i18n.Localizer, facet, value string) string {
	switch facet {
	case FacetSDG:
		n, _ := strconv.Atoi(value)
		if g, ok := taxonomy.GoalByNumber(n); ok {
			return g.Short(l.Lang())
		}
	case FacetCountry:
		if value == Global {
			return l.T("solution.global")
		}
		return taxonomy.CountryName(value, l.Lang())
	case FacetRegion:
		return taxonomy.RegionName(value, l.Lang())
	case FacetStatus:
		return l.T("solution.status." + value)
	case FacetModality:
		return l.T("solution.modality." + value)
	}
	return value
}

// byRank fills in a page of the records that pass the conditions, in the
// order of rank (the index's, best first).
func (s *Store) byRank(ctx context.Context, res Result, where string, args []any, rank map[int64]int, limit, offset int) (Result, error) {
	rows, err := s.q.Query(ctx, "SELECT s.id FROM solutions s"+where, args...)
	ids, err := sqldb.Collect(rows, err, func(sc sqldb.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return Result{}, fmt.Errorf("list solutions: %w", err)
	}
	sort.Slice(ids, func(i, j int) bool { return rank[ids[i]] < rank[ids[j]] })
	if offset >= len(ids) {
		return res, nil
	}
	page := ids[offset:min(len(ids), offset+limit)]
	items, err := s.summaries(ctx, "SELECT "+summaryColumns+" FROM solutions s WHERE s.id IN ("+sqldb.Placeholders(len(page))+")", anys(page)...)
	if err != nil {
		return Result{}, fmt.Errorf("list solutions: %w", err)
	}
	sort.Slice(items, func(i, j int) bool { return rank[items[i].ID] < rank[items[j].ID] })
	res.Items = items
	return res, nil
}
