package solution

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/sqldb"
)

// This file exports the parts of the similarity score that other rankings
// reuse: matching's suggestions for a need score shared targets, SDGs and
// text the way Similar scores them between solutions, and find the
// catalogue's candidates through RelatedTo.

// Weights of the similarity score (see Similar), for rankings built on it.
const (
	WeightTarget   = weightTarget
	WeightSDG      = weightSDG
	WeightSDG17    = weightSDG17
	WeightText     = weightText
	PartnershipSDG = partnershipSDG
)

// Terms counts the terms of a text as the similarity counts a record's:
// words folded (lower case, without accents), the function words of the
// four interface languages, numbers and words under three letters left out,
// a plural "s" dropped from longer words; the title's words count three
// times. Records of other kinds (needs and offers, in matching) count
// theirs with it, so that their texts compare with the catalogue's.
func Terms(title string, texts ...string) map[string]int {
	return termCounts(Input{Title: title, Challenge: strings.Join(texts, "\n\n")})
}

// TextCorpus is a collection of records for the text similarity: how many
// records it holds, their average length in counted terms, and in how many
// records each term appears (terms missing from DF appear in none).
type TextCorpus struct {
	Records int
	AvgLen  float64
	DF      map[string]int
}

// TextDoc is one record of a corpus: its counted terms (those of the query
// are enough) and its length, the sum of all its term counts.
type TextDoc struct {
	Terms  map[string]int
	Length int
}

// Similarity returns the text similarity of a query (counted by Terms) to
// each document, from 0 to 1, as Similar measures it between solutions:
// the BM25 score of the query's most telling terms in the document,
// divided by the query's score against itself, and 0 below the threshold
// at which two texts only share ordinary words. The query is not one of the
// corpus's records.
func (c TextCorpus) Similarity(query map[string]int, docs map[int64]TextDoc) map[int64]float64 {
	out := make(map[int64]float64, len(docs))
	if len(query) == 0 || c.Records == 0 {
		return out
	}
	if c.AvgLen <= 0 {
		c.AvgLen = 1
	}
	ranked := c.telling(query, 1)
	self := c.selfScore(query)
	for id, d := range docs {
		score := 0.0
		for _, t := range ranked {
			if tf := d.Terms[t]; tf > 0 {
				score += c.termScore(t, query[t], tf, d.Length)
			}
		}
		out[id] = scaled(score, self)
	}
	return out
}

// idf is a term's inverse document frequency.
func (c TextCorpus) idf(t string) float64 {
	n, d := float64(c.Records), float64(c.DF[t])
	return math.Log(1 + (n-d+0.5)/(d+0.5))
}

// bm25 weighs a term's count in a document of the length.
func (c TextCorpus) bm25(tf, length int) float64 {
	f := float64(tf)
	return f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*float64(length)/c.AvgLen))
}

// queryWeight saturates a term's count in the query, as BM25 treats the
// document side.
func queryWeight(tf int) float64 {
	f := float64(tf)
	return f * (bm25K1 + 1) / (f + bm25K1)
}

// termScore is what one shared term adds to a document's score.
func (c TextCorpus) termScore(t string, queryTF, tf, length int) float64 {
	return c.idf(t) * queryWeight(queryTF) * c.bm25(tf, length)
}

// telling returns the query's most telling terms: those with the highest
// tf·idf, at most textTerms. A term found in fewer than minDF records
// cannot match, and one in more than half of them says little (its idf is
// near zero) while its postings would be most of the table: both are
// skipped.
func (c TextCorpus) telling(query map[string]int, minDF int) []string {
	type weighted struct {
		term string
		w    float64
	}
	var ranked []weighted
	for t, tf := range query {
		if df := c.DF[t]; df >= minDF && df <= max(2, c.Records/2) {
			ranked = append(ranked, weighted{t, float64(tf) * c.idf(t)})
		}
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].w != ranked[j].w {
			return ranked[i].w > ranked[j].w
		}
		return ranked[i].term < ranked[j].term
	})
	if len(ranked) > textTerms {
		ranked = ranked[:textTerms]
	}
	out := make([]string, len(ranked))
	for i, r := range ranked {
		out[i] = r.term
	}
	return out
}

// selfScore is the query against itself, over all its terms, those found
// nowhere else included: a text that shares only its commonest words with
// another is not similar to it.
func (c TextCorpus) selfScore(query map[string]int) float64 {
	length := 0
	for _, tf := range query {
		length += tf
	}
	score := 0.0
	for t, tf := range query {
		score += c.termScore(t, tf, tf, length)
	}
	return score
}

// scaled turns a document's score into a similarity from 0 to 1.
func scaled(score, self float64) float64 {
	if score <= 0 || self <= 0 {
		return 0
	}
	score = math.Min(1, score/self)
	if score < minText {
		return 0
	}
	return score
}

// Profile is what a record of another kind (a need, in matching) says of
// itself, to find the solutions that share something with it.
type Profile struct {
	SDGs    []int
	Targets []string
	// Topics are free tags, each given as its terms (the keys of Terms): a
	// solution shares a topic when its text holds every one of them.
	Topics [][]string
	// Terms is the profile's text, counted by Terms.
	Terms map[string]int
	// Country is the profile's country: InCountry says which solutions
	// involve it.
	Country string
}

// Related is a solution that shares something with a profile, and what.
type Related struct {
	ID        int64
	Targets   []string // shared targets, in the official order
	SDGs      []int    // shared SDGs, 17 included, in order
	Topics    []int    // indexes of the profile's topics its text holds
	Text      float64  // text similarity to the profile, 0 to 1
	Global    bool
	Language  string // the language the record is written in
	InCountry bool   // it involves the profile's country
}

// RelatedTo returns every solution that is not archived and shares with p
// an SDG target, an SDG other than 17, or a topic, with what it shares and
// its text similarity to p (as Similar measures it between solutions). It
// reads the catalogue through the indexes of targets, SDGs and terms: a
// fixed handful of queries, whatever the catalogue's size.
func (s *Store) RelatedTo(ctx context.Context, p Profile) ([]Related, error) {
	found := map[int64]*Related{}
	get := func(id int64) *Related {
		r, ok := found[id]
		if !ok {
			r = &Related{ID: id}
			found[id] = r
		}
		return r
	}
	collect := func(query string, values []any, add func(id int64, v string)) error {
		if len(values) == 0 {
			return nil
		}
		rows, err := s.q.Query(ctx, fmt.Sprintf(query, sqldb.Placeholders(len(values))), values...)
		if err != nil {
			return fmt.Errorf("solutions related to a profile: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			add(id, v)
		}
		return rows.Err()
	}
	if err := collect("SELECT solution_id, target FROM solution_targets WHERE target IN (%s)", anys(p.Targets),
		func(id int64, v string) { r := get(id); r.Targets = append(r.Targets, v) }); err != nil {
		return nil, err
	}
	if err := collect("SELECT solution_id, CAST(sdg AS TEXT) FROM solution_sdgs WHERE sdg IN (%s)", anys(p.SDGs),
		func(id int64, v string) {
			n, _ := strconv.Atoi(v)
			r := get(id)
			if !contains(itoas(r.SDGs), v) {
				r.SDGs = append(r.SDGs, n)
			}
		}); err != nil {
		return nil, err
	}
	var topicTerms []string
	for _, t := range p.Topics {
		for _, term := range t {
			if !contains(topicTerms, term) {
				topicTerms = append(topicTerms, term)
			}
		}
	}
	held := map[int64]map[string]bool{}
	if err := collect("SELECT solution_id, term FROM solution_terms WHERE term IN (%s)", anys(topicTerms),
		func(id int64, v string) {
			if held[id] == nil {
				held[id] = map[string]bool{}
			}
			held[id][v] = true
		}); err != nil {
		return nil, err
	}
	for id, terms := range held {
		for i, t := range p.Topics {
			all := len(t) > 0
			for _, term := range t {
				all = all && terms[term]
			}
			if all {
				r := get(id)
				r.Topics = append(r.Topics, i)
			}
		}
	}
	// Only a target, a goal other than SDG 17 or a topic makes a candidate:
	// SDG 17 alone is shared by almost every record.
	for id, r := range found {
		goal := false
		for _, g := range r.SDGs {
			goal = goal || g != partnershipSDG
		}
		if len(r.Targets) == 0 && len(r.Topics) == 0 && !goal {
			delete(found, id)
		}
	}
	if len(found) == 0 {
		return []Related{}, nil
	}

	// Which candidates are alive, global, and how long their text is.
	ids := make([]int64, 0, len(found))
	for id := range found {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	cands := make(map[int64]*candidate, len(ids))
	langs := make(map[int64]string, len(ids))
	for start := 0; start < len(ids); start += idChunk {
		chunk := anys(ids[start:min(start+idChunk, len(ids))])
		rows, err := s.q.Query(ctx, "SELECT id, is_global, term_count, language FROM solutions WHERE archived_at IS NULL AND id IN ("+sqldb.Placeholders(len(chunk))+")", chunk...)
		if err != nil {
			return nil, fmt.Errorf("solutions related to a profile: %w", err)
		}
		for rows.Next() {
			c := &candidate{}
			var lang string
			if err := rows.Scan(&c.id, &c.global, &c.length, &lang); err != nil {
				rows.Close()
				return nil, err
			}
			cands[c.id], langs[c.id] = c, lang
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if p.Country != "" {
		if err := collect("SELECT solution_id, country FROM solution_countries WHERE country IN (%s)", []any{p.Country},
			func(id int64, _ string) {
				if r, ok := found[id]; ok {
					r.InCountry = true
				}
			}); err != nil {
			return nil, err
		}
	}
	var total int
	var sumLen float64
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(term_count), 0) FROM solutions").Scan(&total, &sumLen); err != nil {
		return nil, fmt.Errorf("solutions related to a profile: %w", err)
	}
	if err := s.textScores(ctx, p.Terms, cands, total, sumLen, 1); err != nil {
		return nil, err
	}
	out := make([]Related, 0, len(cands))
	for _, id := range ids {
		c, ok := cands[id]
		if !ok {
			continue // archived
		}
		r := found[id]
		r.Global, r.Text, r.Language = c.global, c.text, langs[id]
		sortTargets(r.Targets)
		sort.Ints(r.SDGs)
		out = append(out, *r)
	}
	return out, nil
}

// Summaries returns the summaries of the solutions with the ids (archived
// ones included), in the order of ids; ids that do not exist are left out.
func (s *Store) Summaries(ctx context.Context, ids []int64) ([]Solution, error) {
	if len(ids) == 0 {
		return []Solution{}, nil
	}
	byID := make(map[int64]Solution, len(ids))
	for start := 0; start < len(ids); start += idChunk {
		chunk := anys(ids[start:min(start+idChunk, len(ids))])
		list, err := s.summaries(ctx, "SELECT "+summaryColumns+" FROM solutions s WHERE s.id IN ("+sqldb.Placeholders(len(chunk))+")", chunk...)
		if err != nil {
			return nil, fmt.Errorf("solution summaries: %w", err)
		}
		for _, x := range list {
			byID[x.ID] = x
		}
	}
	out := make([]Solution, 0, len(ids))
	for _, id := range ids {
		if x, ok := byID[id]; ok {
			out = append(out, x)
		}
	}
	return out, nil
}
