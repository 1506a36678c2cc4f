package solution

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

// How similar another solution is to a given one is a sum of parts, whose
// weights follow the order in which practitioners judge a match: what
// exactly it works on (SDG targets), then the goals, then where, then what
// its text says, then the wider area, then how it is run.
//
//	score = 6.0 × shared targets
//	      + 3.0 × shared SDGs other than 17
//	      + 1.0 when both have the same primary SDG (other than 17)
//	      + 0.5 when both serve SDG 17, which almost every South-South record carries
//	      + 2.0 × shared countries, counting at most 3
//	      + 1.5 × text similarity (BM25 of one's terms in the other, divided by the
//	        record's score against itself: 0 to 1)
//	      + 0.8 when, sharing no country, they share a sub-region, the most specific
//	        M49 area of a country (South America, Western Africa), or else 0.4 a
//	        wider area (Latin America and the Caribbean, Americas); 0.4 when both
//	        are global
//	      + 0.2 when both use the same modality (south_south, triangular), on top
//	        of something else shared: a modality alone makes no match
//
// One shared target outweighs any number of shared countries up to the cap,
// one shared SDG outweighs one shared country, and a shared country
// outweighs the most similar text. Only solutions that score above zero are
// listed; archived ones never are.
const (
	weightTarget    = 6.0
	weightSDG       = 3.0
	weightPrimary   = 1.0
	weightSDG17     = 0.5
	weightCountry   = 2.0
	maxCountries    = 3
	weightText      = 1.5
	weightSubRegion = 0.8
	weightRegion    = 0.4
	weightGlobal    = 0.4
	weightModality  = 0.2
	partnershipSDG  = 17
)

// BM25 parameters, and how many of a record's terms (the most telling ones,
// by tf·idf) take part in the text similarity.
const (
	bm25K1    = 1.2
	bm25B     = 0.75
	textTerms = 64
	// minText is the text similarity below which two records only share
	// a few ordinary words: it counts as none.
	minText = 0.05
)

// Reasons, the parts of a similarity score.
const (
	ReasonTarget     = "target"      // Values: the shared targets
	ReasonSDG        = "sdg"         // Values: the shared SDGs other than 17
	ReasonPrimarySDG = "primary_sdg" // Values: the shared primary SDG
	ReasonSDG17      = "sdg17"       // both serve SDG 17
	ReasonCountry    = "country"     // Values: the shared countries
	ReasonText       = "text"        // Values: the text similarity, 0 to 1
	ReasonSubRegion  = "sub_region"  // Values: the most specific shared M49 area
	ReasonRegion     = "region"      // Values: the shared M49 region
	ReasonGlobal     = "global"      // both are global
	ReasonModality   = "modality"    // Values: the shared modality
)

// Reason is one part of a similarity score: what the two records share and
// what it adds to the score.
type Reason struct {
	Code   string
	Values []string
	Score  float64
}

// Match is a similar solution with its score and the reasons for it.
type Match struct {
	Solution Solution // summary
	Score    float64
	Reasons  []Reason
}

// candidate gathers what another record shares with the one compared.
type candidate struct {
	id        int64
	modality  string
	global    bool
	length    int
	start     string
	targets   []string
	sdgs      []int
	primary   bool
	countries []string
	areas     []string
	text      float64
}

// clone returns a copy of c that shares no list with it.
func (c *candidate) clone() *candidate {
	k := *c
	k.targets, k.sdgs = slices.Clone(c.targets), slices.Clone(c.sdgs)
	k.countries, k.areas = slices.Clone(c.countries), slices.Clone(c.areas)
	return &k
}

// Similar ranks every other solution that is not archived by the score
// described above and returns the best limit, most similar first. It
// scores the catalogue held in memory for its version (see catalogue),
// and reads only the record itself, its terms and the matches' summaries.
func (s *Store) Similar(ctx context.Context, id int64, limit int) ([]Match, error) {
	db, ok := s.q.(*sqldb.DB)
	if !ok {
		return s.similar(ctx, nil, 0, id, limit)
	}
	var version int64
	if err := db.QueryRow(ctx, "SELECT version FROM solution_catalogue WHERE id = 1").Scan(&version); err != nil {
		return nil, fmt.Errorf("similar to %d: catalogue version: %w", id, err)
	}
	key := similarKey{db: db, id: id, limit: limit, version: version}
	if m, ok := similarMemo.get(key); ok {
		return m, nil
	}
	// Readers of the same record wait for one computation; computations
	// take turns on the cores, two at a time. Each scores the whole
	// catalogue (3 to 5 ms at 3,000 records; the first after a change
	// reads the catalogue too): when each read it from the database, 32
	// readers of records not yet kept, all at once, had taken the
	// server's memory to 2.2 GB at scale 1.
	v, err, _ := similarFlight.Do(fmt.Sprintf("%p/%d/%d/%d", db, id, limit, version), func() (any, error) {
		if m, ok := similarMemo.get(key); ok {
			return m, nil
		}
		similarSlots <- struct{}{}
		defer func() { <-similarSlots }()
		m, err := s.similar(context.WithoutCancel(ctx), db, version, id, limit)
		if err != nil {
			return nil, err
		}
		similarMemo.put(key, m)
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(v.([]Match)), nil
}

var (
	similarFlight singleflight.Group
	similarSlots  = make(chan struct{}, 2)
)

// similarMemo keeps the similar solutions of the records shown lately, for
// the catalogue's version they were computed at: the catalogue changes
// seldom and is read on every solution page. The version is read on every
// call, so a change anywhere (another instance, a command) is seen at once.
var similarMemo = &memo{entries: map[similarKey][]Match{}}

type similarKey struct {
	db      *sqldb.DB
	id      int64
	limit   int
	version int64
}

// memoSize bounds the memo: past it, it starts again empty (at scale 1,
// 5,000 records of four matches each take about 20 MB).
const memoSize = 2000

type memo struct {
	mu      sync.Mutex
	entries map[similarKey][]Match
}

func (m *memo) get(k similarKey) ([]Match, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	list, ok := m.entries[k]
	return slices.Clone(list), ok
}

func (m *memo) put(k similarKey, list []Match) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) >= memoSize {
		clear(m.entries)
	}
	m.entries[k] = list
}

// similar computes Similar from the catalogue of the version (of db, or
// read through the store's transaction when db is nil).
func (s *Store) similar(ctx context.Context, db *sqldb.DB, version, id int64, limit int) ([]Match, error) {
	self, err := s.Solution(ctx, id)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		return []Match{}, nil
	}
	var cat *catalogue
	if db != nil {
		cat, err = catalogueOf(ctx, db, version)
	} else {
		cat, err = loadCatalogue(ctx, s.q)
	}
	if err != nil {
		return nil, fmt.Errorf("similar to %d: %w", id, err)
	}
	text, err := s.textSimilarity(ctx, cat, id)
	if err != nil {
		return nil, err
	}

	// The best limit, kept in order as the other records are scored: a
	// list of every scored candidate, sorted, was most of the live heap
	// (83 MB in a profile with two computations at 5,000 records). Each
	// record is scored in one reused candidate, without its reasons; only
	// one that enters the best is copied and scored with them.
	type ranked struct {
		m Match
		c *candidate
	}
	before := func(a, b ranked) bool {
		if a.m.Score != b.m.Score {
			return a.m.Score > b.m.Score
		}
		if a.c.text != b.c.text {
			return a.c.text > b.c.text
		}
		if a.c.start != b.c.start {
			return a.c.start > b.c.start
		}
		return a.c.id < b.c.id
	}
	best := make([]ranked, 0, limit+1)
	selfSDGs, sc := self.SDGs(), newScorer(self)
	c := &candidate{}
	for i, r := range cat.records {
		if r.archived || r.id == id {
			continue
		}
		c.id, c.modality, c.global, c.length, c.start, c.text = r.id, r.modality, r.global, r.length, r.start, text[i]
		c.targets = appendShared(c.targets[:0], r.targets, self.Targets)
		c.sdgs = appendShared(c.sdgs[:0], r.sdgs, selfSDGs)
		c.countries = appendShared(c.countries[:0], r.countries, self.Countries)
		c.areas = appendShared(c.areas[:0], r.regions, self.Regions)
		c.primary = self.PrimarySDG != partnershipSDG && r.primary == self.PrimarySDG
		rk := ranked{sc.score(c, false), c}
		if rk.m.Score <= 0 || len(best) == limit && !before(rk, best[limit-1]) {
			continue
		}
		kept := c.clone()
		rk = ranked{sc.score(kept, true), kept}
		rk.m.Solution.ID = kept.id
		at := sort.Search(len(best), func(i int) bool { return before(rk, best[i]) })
		best = slices.Insert(best, at, rk)
		if len(best) > limit {
			best = best[:limit]
		}
	}
	matches := make([]Match, len(best))
	for i, r := range best {
		matches[i] = r.m
	}
	if len(matches) == 0 {
		return []Match{}, nil
	}
	ids := make([]any, len(matches))
	for i, m := range matches {
		ids[i] = m.Solution.ID
	}
	list, err := s.summaries(ctx, "SELECT "+summaryColumns+" FROM solutions s WHERE s.id IN ("+sqldb.Placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, fmt.Errorf("similar to %d: %w", id, err)
	}
	byID := make(map[int64]Solution, len(list))
	for _, x := range list {
		byID[x.ID] = x
	}
	for i := range matches {
		matches[i].Solution = byID[matches[i].Solution.ID]
	}
	return matches, nil
}

// scorer scores candidates against one record, self.
type scorer struct {
	self Solution
	// leaves are the most specific M49 areas of self's countries: a
	// shared one is a sub-region, any other shared area a region.
	leaves map[string]bool
}

func newScorer(self Solution) scorer {
	leaves := map[string]bool{}
	for _, cc := range self.Countries {
		if co, ok := taxonomy.CountryByCode(cc); ok {
			leaves[co.SubRegion] = true
		}
	}
	return scorer{self: self, leaves: leaves}
}

// score adds up what a candidate shares with self, with the reasons when
// asked for.
func (sc scorer) score(c *candidate, reasons bool) Match {
	self := sc.self
	var m Match
	add := func(code string, values []string, points float64) {
		if points > 0 {
			if reasons {
				m.Reasons = append(m.Reasons, Reason{Code: code, Values: values, Score: round(points)})
			}
			m.Score += points
		}
	}
	if len(c.targets) > 0 {
		add(ReasonTarget, sortTargets(c.targets), weightTarget*float64(len(c.targets)))
	}
	var goals []string
	shares17 := false
	sort.Ints(c.sdgs)
	for _, g := range c.sdgs {
		if g == partnershipSDG {
			shares17 = true
		} else {
			goals = append(goals, strconv.Itoa(g))
		}
	}
	add(ReasonSDG, goals, weightSDG*float64(len(goals)))
	if c.primary {
		add(ReasonPrimarySDG, []string{strconv.Itoa(self.PrimarySDG)}, weightPrimary)
	}
	if shares17 {
		add(ReasonSDG17, []string{strconv.Itoa(partnershipSDG)}, weightSDG17)
	}
	if len(c.countries) > 0 {
		sort.Strings(c.countries)
		add(ReasonCountry, c.countries, weightCountry*float64(min(len(c.countries), maxCountries)))
	}
	if c.text > 0 {
		add(ReasonText, []string{strconv.FormatFloat(round(c.text), 'f', -1, 64)}, weightText*c.text)
	}
	switch {
	case len(c.countries) > 0:
	case self.Global && c.global:
		add(ReasonGlobal, nil, weightGlobal)
	case len(c.areas) > 0:
		// The most specific area of a country (Western Africa, South
		// America) makes a sub-region; a wider one (Sub-Saharan Africa,
		// Africa) a region.
		deepest := c.areas[0]
		for _, a := range c.areas {
			if areaDepth(a) > areaDepth(deepest) || areaDepth(a) == areaDepth(deepest) && a < deepest {
				deepest = a
			}
		}
		if sc.leaves[deepest] {
			add(ReasonSubRegion, []string{deepest}, weightSubRegion)
		} else {
			add(ReasonRegion, []string{deepest}, weightRegion)
		}
	}
	if c.modality == self.Modality && m.Score > 0 {
		add(ReasonModality, []string{c.modality}, weightModality)
	}
	m.Score = round(m.Score)
	return m
}

// round keeps three decimals, so that scores read and compare cleanly.
func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// textSimilarity returns the text similarity of every record of the
// catalogue, by its index, to the record id: the BM25 score of the
// record's most telling terms in the other's term counts, divided by the
// record's score against itself, so that it runs from 0 to 1. Document
// frequencies and lengths count every record.
func (s *Store) textSimilarity(ctx context.Context, cat *catalogue, id int64) ([]float64, error) {
	rows, err := s.q.Query(ctx, "SELECT term, tf FROM solution_terms WHERE solution_id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("terms of %d: %w", id, err)
	}
	own := map[string]int{}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return nil, err
		}
		own[t] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	scores := make([]float64, len(cat.records))
	if len(own) == 0 || len(cat.records) == 0 {
		return scores, nil
	}
	df := make(map[string]int, len(own))
	for t := range own {
		df[t] = cat.df(t)
	}
	corpus := TextCorpus{Records: len(cat.records), AvgLen: cat.sumLen / float64(len(cat.records)), DF: df}
	// The record itself counts in the document frequency of its terms: a
	// term found in no other record cannot match.
	for _, t := range corpus.telling(own, 2) {
		for _, p := range cat.postings[t] {
			scores[p.record] += corpus.termScore(t, own[t], int(p.tf), cat.records[p.record].length)
		}
	}
	self := corpus.selfScore(own)
	for i := range scores {
		scores[i] = scaled(scores[i], self)
	}
	return scores, nil
}

// appendShared appends to out the values of list that are in of, in
// list's order.
func appendShared[T comparable](out, list, of []T) []T {
	for _, v := range list {
		if slices.Contains(of, v) {
			out = append(out, v)
		}
	}
	return out
}

// textScores sets each candidate's text similarity to a text given by its
// term counts (own), as textSimilarity describes, reading the catalogue's
// stored term counts. A term takes part only when at least minDF records
// hold it.
func (s *Store) textScores(ctx context.Context, own map[string]int, cands map[int64]*candidate, total int, sumLen float64, minDF int) error {
	if len(own) == 0 || total == 0 {
		return nil
	}
	terms := make([]any, 0, len(own))
	for t := range own {
		terms = append(terms, t)
	}
	df := map[string]int{}
	rows, err := s.q.Query(ctx, "SELECT term, df FROM solution_term_df WHERE term IN ("+sqldb.Placeholders(len(terms))+")", terms...)
	if err != nil {
		return fmt.Errorf("term frequencies: %w", err)
	}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return err
		}
		df[t] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	corpus := TextCorpus{Records: total, AvgLen: sumLen / float64(total), DF: df}
	ranked := corpus.telling(own, minDF)
	if len(ranked) == 0 {
		return nil
	}
	query := make([]any, len(ranked))
	for i, t := range ranked {
		query[i] = t
	}
	rows, err = s.q.Query(ctx, "SELECT solution_id, term, tf FROM solution_terms WHERE term IN ("+sqldb.Placeholders(len(query))+")", query...)
	if err != nil {
		return fmt.Errorf("term postings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var other int64
		var t string
		var tf int
		if err := rows.Scan(&other, &t, &tf); err != nil {
			return err
		}
		if c, ok := cands[other]; ok {
			c.text += corpus.termScore(t, own[t], tf, c.length)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	self := corpus.selfScore(own)
	for _, c := range cands {
		c.text = scaled(c.text, self)
	}
	return nil
}

// String shows a reason as code:values, for logs and tests.
func (r Reason) String() string { return r.Code + ":" + strings.Join(r.Values, ",") }

// Explain says in a sentence, in the reader's language, why a solution is
// similar: "shares SDG 3 and target 3.3; also in Brazil".
func Explain(l *i18n.Localizer, reasons []Reason) string {
	var goals, targets []string
	var parts []string
	for _, r := range reasons {
		switch r.Code {
		case ReasonSDG, ReasonSDG17:
			goals = append(goals, r.Values...)
		case ReasonTarget:
			targets = append(targets, r.Values...)
		}
	}
	sort.Slice(goals, func(i, j int) bool { a, _ := strconv.Atoi(goals[i]); b, _ := strconv.Atoi(goals[j]); return a < b })
	switch {
	case len(goals) > 0 && len(targets) > 0:
		parts = append(parts, l.T("solution.why.shares", l.T("solution.why.and",
			l.N("solution.why.sdgs", len(goals), strings.Join(goals, ", ")), l.N("solution.why.targets", len(targets), strings.Join(targets, ", ")))))
	case len(goals) > 0:
		parts = append(parts, l.T("solution.why.shares", l.N("solution.why.sdgs", len(goals), strings.Join(goals, ", "))))
	case len(targets) > 0:
		parts = append(parts, l.T("solution.why.shares", l.N("solution.why.targets", len(targets), strings.Join(targets, ", "))))
	}
	for _, r := range reasons {
		switch r.Code {
		case ReasonCountry:
			names := make([]string, len(r.Values))
			for i, c := range r.Values {
				names[i] = taxonomy.CountryName(c, l.Lang())
			}
			parts = append(parts, l.N("solution.why.countries", len(names), strings.Join(names, ", ")))
		case ReasonSubRegion, ReasonRegion:
			parts = append(parts, l.T("solution.why.region", taxonomy.RegionName(r.Values[0], l.Lang())))
		case ReasonGlobal:
			parts = append(parts, l.T("solution.why.global"))
		case ReasonText:
			parts = append(parts, l.T("solution.why.text"))
		case ReasonModality:
			parts = append(parts, l.T("solution.why.modality", l.T("solution.modality."+r.Values[0])))
		}
	}
	return strings.Join(parts, l.T("solution.why.separator"))
}
