package matching

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

// How well an offer, a catalogue solution or a member answers a need is a
// sum of parts. It reuses the similarity score of the solutions catalogue
// (solution.Similar: its weights, its BM25 text similarity, its SDG 17
// rule) for what a need shares with the others, and adds what only an
// exchange has, working languages and modalities:
//
//	score = 6.0 × shared SDG targets                (solution.WeightTarget)
//	      + 3.0 × shared SDGs other than 17         (solution.WeightSDG)
//	      + 0.5 when both serve SDG 17              (solution.WeightSDG17)
//	      + 2.0 × shared topics, counting at most 3
//	      + 1.5 × text similarity, 0 to 1          (solution.WeightText)
//	      + 1.0 when they share a working language
//	      + 1.0 when an offer proposes a modality the need prefers
//
// A topic of the need is shared by an offer with a topic of the same words
// or whose words hold all of the other's ("syphilis" and "congenital
// syphilis"), by a member with such an expertise tag, and by a solution
// whose text holds all its words; words compare as solution.Terms counts
// them. Text similarity compares the need's title, description and topics
// with an offer's (among all offers) or a solution's (among the
// catalogue). A solution's language is the one its record is written in;
// solutions have no modality of exchange; members share only topics and
// languages, since profiles carry no goals.
//
// Only open offers, solutions that are not archived and members the reader
// may see (not the need's author) that share an SDG target, an SDG other
// than 17, or a topic with the need are suggested, and never an offer of
// the need's own institution. The point is learning across borders: every
// suggestion from another country ranks above every one from the
// requesting country (for a solution: one that involves it), with global
// solutions and members of no stated country between them. Reasons say
// which (other_country, same_country, global), at 0 points. Within each of
// these tiers, the highest score comes first; ties go to the closer text,
// then offers before solutions before members, then the oldest record.
const (
	weightTopic    = 2.0
	maxTopics      = 3
	weightLanguage = 1.0
	weightModality = 1.0
)

// Reasons of a suggestion, beyond those of solution.Similar (target, sdg,
// sdg17, text).
const (
	ReasonTopic        = "topic"         // Values: the need's shared topics
	ReasonLanguage     = "language"      // Values: the shared languages
	ReasonModality     = "modality"      // Values: the shared modalities
	ReasonOtherCountry = "other_country" // Values: the candidate's country or countries
	ReasonSameCountry  = "same_country"  // Values: the requesting country
	ReasonGlobal       = "global"        // a global solution
)

// Tiers of suggestions, best first.
const (
	tierAbroad = iota
	tierUnknown
	tierSameCountry
)

// Suggestion is an offer, a solution or a member that could answer a need,
// with its score and the parts of it.
type Suggestion struct {
	Kind        string // KindOffer, KindSolution or KindMember
	ID          int64
	Title       string // a member's name
	Country     string // the offering country; for a solution its first country other than the need's
	Countries   []string
	Institution string // an offer's institution, a member's organisation
	Score       float64
	Reasons     []solution.Reason
	MatchID     int64 // the match already proposed with the need, if any

	tier int
	text float64
}

// DefaultSuggestions and MaxSuggestions bound the suggestions of a need.
const (
	DefaultSuggestions = 10
	MaxSuggestions     = 50
)

// topicTerms returns the words of a topic as solution.Terms counts them.
func topicTerms(topic string) []string {
	return sortedKeys(solution.Terms(topic))
}

// topicsMatch reports whether two topics, given as their words, are one:
// one holds every word of the other.
func topicsMatch(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, w := range a {
		if !slices.Contains(b, w) {
			return false
		}
	}
	return true
}

// tagTerms remembers the words of tags: many members and offers share
// tags, and counting words is most of the work of a suggestion.
type tagTerms map[string][]string

func (c tagTerms) of(tag string) []string {
	w, ok := c[tag]
	if !ok {
		w = topicTerms(tag)
		c[tag] = w
	}
	return w
}

// sharedTopics returns the need's topics that one of tags matches.
func sharedTopics(need []string, needTerms [][]string, tags []string, words tagTerms) []string {
	var out []string
	for i, t := range need {
		for _, tag := range tags {
			if topicsMatch(needTerms[i], words.of(tag)) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// scored builds a suggestion's reasons and score.
type scored struct {
	s Suggestion
}

func (b *scored) add(code string, values []string, points float64) {
	if points > 0 || code == ReasonOtherCountry || code == ReasonSameCountry || code == ReasonGlobal {
		b.s.Reasons = append(b.s.Reasons, solution.Reason{Code: code, Values: values, Score: round(points)})
		b.s.Score += points
	}
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }

// common scores what a candidate shares with the need: targets, SDGs,
// topics, text, languages and modalities.
func (b *scored) common(n Need, targets []string, sdgs []int, topics []string, text float64, langs, modalities []string) {
	if len(targets) > 0 {
		b.add(solution.ReasonTarget, targets, solution.WeightTarget*float64(len(targets)))
	}
	var goals []string
	shares17 := false
	for _, g := range sdgs {
		if g == solution.PartnershipSDG {
			shares17 = true
		} else {
			goals = append(goals, strconv.Itoa(g))
		}
	}
	b.add(solution.ReasonSDG, goals, solution.WeightSDG*float64(len(goals)))
	if shares17 {
		b.add(solution.ReasonSDG17, []string{strconv.Itoa(solution.PartnershipSDG)}, solution.WeightSDG17)
	}
	if len(topics) > 0 {
		b.add(ReasonTopic, topics, weightTopic*float64(min(len(topics), maxTopics)))
	}
	if text > 0 {
		b.add(solution.ReasonText, []string{strconv.FormatFloat(round(text), 'f', -1, 64)}, solution.WeightText*text)
		b.s.text = text
	}
	if shared := intersect(n.Languages, langs); len(shared) > 0 {
		b.add(ReasonLanguage, shared, weightLanguage)
	}
	if shared := intersect(n.Modalities, modalities); len(shared) > 0 {
		b.add(ReasonModality, shared, weightModality)
	}
}

// place puts the suggestion in its tier and says why.
func (b *scored) place(n Need, tier int, countries []string) {
	b.s.tier = tier
	switch tier {
	case tierAbroad:
		b.add(ReasonOtherCountry, countries, 0)
	case tierSameCountry:
		b.add(ReasonSameCountry, []string{n.Country}, 0)
	}
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func intersectInts(a, b []int) []int {
	var out []int
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// sharesEnough reports whether a candidate shares a target, an SDG other
// than 17 or a topic: nothing else makes a suggestion.
func sharesEnough(targets []string, sdgs []int, topics []string) bool {
	if len(targets) > 0 || len(topics) > 0 {
		return true
	}
	for _, g := range sdgs {
		if g != solution.PartnershipSDG {
			return true
		}
	}
	return false
}

// Suggest returns the offers, catalogue solutions and members that best
// answer a need the reader may see, best first (see the score above), at
// most limit of them.
func (s *Store) Suggest(ctx context.Context, reader *account.User, needID int64, limit int) ([]Suggestion, error) {
	n, err := s.Need(ctx, reader, needID)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		return []Suggestion{}, nil
	}
	terms := solution.Terms(n.Title, n.Description, strings.Join(n.Topics, ". "))
	topics := make([][]string, len(n.Topics))
	for i, t := range n.Topics {
		topics[i] = topicTerms(t)
	}
	var all []Suggestion
	offers, err := s.suggestOffers(ctx, n, terms, topics)
	if err != nil {
		return nil, err
	}
	all = append(all, offers...)
	sols, err := s.suggestSolutions(ctx, n, terms, topics)
	if err != nil {
		return nil, err
	}
	all = append(all, sols...)
	members, err := s.suggestMembers(ctx, *reader, n, topics)
	if err != nil {
		return nil, err
	}
	all = append(all, members...)

	kindOrder := map[string]int{KindOffer: 0, KindSolution: 1, KindMember: 2}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		switch {
		case a.tier != b.tier:
			return a.tier < b.tier
		case a.Score != b.Score:
			return a.Score > b.Score
		case a.text != b.text:
			return a.text > b.text
		case a.Kind != b.Kind:
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		return a.ID < b.ID
	})
	if len(all) > limit {
		all = all[:limit]
	}
	if err := s.completeSuggestions(ctx, n, all); err != nil {
		return nil, err
	}
	return all, nil
}

// suggestOffers scores the open offers that share something with the need.
func (s *Store) suggestOffers(ctx context.Context, n Need, terms map[string]int, topics [][]string) ([]Suggestion, error) {
	ids := map[int64]bool{}
	collect := func(query string, values []any) error {
		if len(values) == 0 {
			return nil
		}
		rows, err := s.q.Query(ctx, fmt.Sprintf(query, sqldb.Placeholders(len(values))), values...)
		found, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		for _, id := range found {
			ids[id] = true
		}
		return err
	}
	var words []any
	for _, t := range topics {
		for _, w := range t {
			words = append(words, w)
		}
	}
	var goals []any
	for _, g := range n.SDGs {
		if g != solution.PartnershipSDG {
			goals = append(goals, g)
		}
	}
	for _, c := range []struct {
		query  string
		values []any
	}{
		{"SELECT offer_id FROM offer_targets WHERE target IN (%s)", anys(n.Targets)},
		{"SELECT offer_id FROM offer_sdgs WHERE sdg IN (%s)", goals},
		{"SELECT DISTINCT offer_id FROM offer_terms WHERE term IN (%s)", words},
	} {
		if err := collect(c.query, c.values); err != nil {
			return nil, fmt.Errorf("offers for need %d: %w", n.ID, err)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	idList := make([]int64, 0, len(ids))
	for id := range ids {
		idList = append(idList, id)
	}
	sort.Slice(idList, func(i, j int) bool { return idList[i] < idList[j] })
	var offers []Offer
	lengths := map[int64]int{}
	err := eachChunk(idList, func(args []any) error {
		list, err := s.offers(ctx, "SELECT "+offerColumns+" FROM "+offerFrom+" WHERE o.status = 'open' AND o.id IN ("+sqldb.Placeholders(len(args))+")", args...)
		if err != nil {
			return err
		}
		offers = append(offers, list...)
		rows, err := s.q.Query(ctx, "SELECT id, term_count FROM offers WHERE id IN ("+sqldb.Placeholders(len(args))+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var l int
			if err := rows.Scan(&id, &l); err != nil {
				return err
			}
			lengths[id] = l
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("offers for need %d: %w", n.ID, err)
	}
	text, err := s.offerText(ctx, terms, lengths)
	if err != nil {
		return nil, fmt.Errorf("offers for need %d: %w", n.ID, err)
	}
	var out []Suggestion
	tagWords := tagTerms{}
	for _, o := range offers {
		if o.Country == n.Country && institutionKey(o.Institution) == institutionKey(n.Institution) {
			continue
		}
		targets := intersect(o.Targets, n.Targets)
		sdgs := intersectInts(n.SDGs, o.SDGs)
		shared := sharedTopics(n.Topics, topics, o.Topics, tagWords)
		if !sharesEnough(targets, sdgs, shared) {
			continue
		}
		b := scored{s: Suggestion{Kind: KindOffer, ID: o.ID, Title: o.Title, Country: o.Country, Countries: []string{o.Country}, Institution: o.Institution}}
		b.common(n, targets, sdgs, shared, text[o.ID], o.Languages, o.Modalities)
		tier := tierAbroad
		if o.Country == n.Country {
			tier = tierSameCountry
		}
		b.place(n, tier, []string{o.Country})
		b.s.Score = round(b.s.Score)
		out = append(out, b.s)
	}
	return out, nil
}

// offerText measures the text similarity of the need to offers, among all
// offers, as the catalogue measures it among solutions.
func (s *Store) offerText(ctx context.Context, terms map[string]int, lengths map[int64]int) (map[int64]float64, error) {
	if len(terms) == 0 || len(lengths) == 0 {
		return map[int64]float64{}, nil
	}
	corpus := solution.TextCorpus{DF: map[string]int{}}
	var sum float64
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(term_count), 0) FROM offers").Scan(&corpus.Records, &sum); err != nil {
		return nil, err
	}
	if corpus.Records > 0 {
		corpus.AvgLen = sum / float64(corpus.Records)
	}
	query := anys(sortedKeys(terms))
	rows, err := s.q.Query(ctx, "SELECT term, COUNT(*) FROM offer_terms WHERE term IN ("+sqldb.Placeholders(len(query))+") GROUP BY term", query...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t string
		var n int
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return nil, err
		}
		corpus.DF[t] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	docs := make(map[int64]solution.TextDoc, len(lengths))
	for id, l := range lengths {
		docs[id] = solution.TextDoc{Terms: map[string]int{}, Length: l}
	}
	rows, err = s.q.Query(ctx, "SELECT offer_id, term, tf FROM offer_terms WHERE term IN ("+sqldb.Placeholders(len(query))+")", query...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t string
		var tf int
		if err := rows.Scan(&id, &t, &tf); err != nil {
			return nil, err
		}
		if d, ok := docs[id]; ok {
			d.Terms[t] = tf
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return corpus.Similarity(terms, docs), nil
}

// suggestSolutions scores the catalogue's solutions that share something
// with the need.
func (s *Store) suggestSolutions(ctx context.Context, n Need, terms map[string]int, topics [][]string) ([]Suggestion, error) {
	related, err := solution.NewStore(s.q).RelatedTo(ctx, solution.Profile{
		SDGs: n.SDGs, Targets: n.Targets, Topics: topics, Terms: terms, Country: n.Country,
	})
	if err != nil {
		return nil, fmt.Errorf("solutions for need %d: %w", n.ID, err)
	}
	out := make([]Suggestion, 0, len(related))
	for _, r := range related {
		var shared []string
		for _, i := range r.Topics {
			shared = append(shared, n.Topics[i])
		}
		b := scored{s: Suggestion{Kind: KindSolution, ID: r.ID}}
		b.common(n, r.Targets, r.SDGs, shared, r.Text, []string{r.Language}, nil)
		switch {
		case r.InCountry:
			b.place(n, tierSameCountry, nil)
		case r.Global:
			b.s.tier = tierUnknown
			b.add(ReasonGlobal, nil, 0)
		default:
			b.s.tier = tierAbroad // its countries are added with its summary
		}
		b.s.Score = round(b.s.Score)
		out = append(out, b.s)
	}
	return out, nil
}

// suggestMembers scores the members with an expertise tag that matches a
// topic of the need, among those the reader may see.
func (s *Store) suggestMembers(ctx context.Context, reader account.User, n Need, topics [][]string) ([]Suggestion, error) {
	if len(topics) == 0 {
		return nil, nil
	}
	cond, args := account.VisibleTo(&reader)
	rows, err := s.q.Query(ctx, `SELECT u.id, u.name, u.country, u.organization, x.tag FROM user_expertise x JOIN users u ON u.id = x.user_id
		WHERE u.id <> ? AND u.email_verified_at IS NOT NULL AND u.disabled_at IS NULL`+cond+` ORDER BY u.id, x.position`,
		append([]any{n.Author.ID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("members for need %d: %w", n.ID, err)
	}
	type member struct {
		s    Suggestion
		tags []string
	}
	var order []int64
	byID := map[int64]*member{}
	for rows.Next() {
		var m member
		var tag string
		if err := rows.Scan(&m.s.ID, &m.s.Title, &m.s.Country, &m.s.Institution, &tag); err != nil {
			rows.Close()
			return nil, err
		}
		cur, ok := byID[m.s.ID]
		if !ok {
			m.s.Kind = KindMember
			cur = &m
			byID[m.s.ID] = cur
			order = append(order, m.s.ID)
		}
		cur.tags = append(cur.tags, tag)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var cands []*member
	tagWords := tagTerms{}
	var candIDs []int64
	shared := map[int64][]string{}
	for _, id := range order {
		m := byID[id]
		if t := sharedTopics(n.Topics, topics, m.tags, tagWords); len(t) > 0 {
			shared[id] = t
			cands = append(cands, m)
			candIDs = append(candIDs, id)
		}
	}
	langs := map[int64][]string{}
	err = eachChunk(candIDs, func(args []any) error {
		rows, err := s.q.Query(ctx, "SELECT user_id, language FROM user_languages WHERE user_id IN ("+sqldb.Placeholders(len(args))+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var l string
			if err := rows.Scan(&id, &l); err != nil {
				return err
			}
			langs[id] = append(langs[id], l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("members for need %d: %w", n.ID, err)
	}
	out := make([]Suggestion, 0, len(cands))
	for _, m := range cands {
		b := scored{s: m.s}
		b.common(n, nil, nil, shared[m.s.ID], 0, langs[m.s.ID], nil)
		switch {
		case m.s.Country == "":
			b.s.tier = tierUnknown
		case m.s.Country == n.Country:
			b.place(n, tierSameCountry, nil)
		default:
			b.place(n, tierAbroad, []string{m.s.Country})
		}
		if m.s.Country != "" {
			b.s.Countries = []string{m.s.Country}
		}
		b.s.Score = round(b.s.Score)
		out = append(out, b.s)
	}
	return out, nil
}

// completeSuggestions fills in the titles and countries of the solutions
// among the chosen suggestions, and the matches already proposed.
func (s *Store) completeSuggestions(ctx context.Context, n Need, list []Suggestion) error {
	var ids []int64
	for _, x := range list {
		if x.Kind == KindSolution {
			ids = append(ids, x.ID)
		}
	}
	sols, err := solution.NewStore(s.q).Summaries(ctx, ids)
	if err != nil {
		return err
	}
	byID := map[int64]solution.Solution{}
	for _, x := range sols {
		byID[x.ID] = x
	}
	rows, err := s.q.Query(ctx, "SELECT id, COALESCE(offer_id, 0), COALESCE(solution_id, 0) FROM matches WHERE need_id = ?", n.ID)
	if err != nil {
		return err
	}
	matched := map[string]int64{}
	for rows.Next() {
		var id, o, sol int64
		if err := rows.Scan(&id, &o, &sol); err != nil {
			rows.Close()
			return err
		}
		if o != 0 {
			matched[KindOffer+strconv.FormatInt(o, 10)] = id
		} else {
			matched[KindSolution+strconv.FormatInt(sol, 10)] = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range list {
		x := &list[i]
		x.MatchID = matched[x.Kind+strconv.FormatInt(x.ID, 10)]
		if x.Kind != KindSolution {
			continue
		}
		sol := byID[x.ID]
		x.Title, x.Countries = sol.Title, sol.Countries
		for _, cc := range sol.Countries {
			if cc != n.Country {
				x.Country = cc
				break
			}
		}
		if x.tier == tierAbroad {
			x.Reasons = append(x.Reasons, solution.Reason{Code: ReasonOtherCountry, Values: sol.Countries})
		}
	}
	return nil
}

func anys[T any](list []T) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = v
	}
	return out
}

// Explain says in a sentence, in the reader's language, why a suggestion
// fits a need: "shares target 3.3 and SDG 3; topics: congenital syphilis;
// similar text; offers a study visit; works in English; from Thailand,
// another country".
func Explain(l *i18n.Localizer, reasons []solution.Reason) string {
	var parts []string
	for _, r := range reasons {
		switch r.Code {
		case solution.ReasonTarget:
			parts = append(parts, l.N("matching.why.targets", len(r.Values), strings.Join(r.Values, ", ")))
		case solution.ReasonSDG:
			parts = append(parts, l.N("matching.why.sdgs", len(r.Values), strings.Join(r.Values, ", ")))
		case solution.ReasonSDG17:
			parts = append(parts, l.T("matching.why.sdg17"))
		case ReasonTopic:
			parts = append(parts, l.N("matching.why.topics", len(r.Values), strings.Join(r.Values, ", ")))
		case solution.ReasonText:
			parts = append(parts, l.T("matching.why.text"))
		case ReasonLanguage:
			names := make([]string, len(r.Values))
			for i, c := range r.Values {
				names[i] = taxonomy.LanguageName(c, l.Lang())
			}
			parts = append(parts, l.T("matching.why.languages", strings.Join(names, ", ")))
		case ReasonModality:
			names := make([]string, len(r.Values))
			for i, m := range r.Values {
				names[i] = l.T("matching.modality." + m)
			}
			parts = append(parts, l.T("matching.why.modalities", strings.Join(names, ", ")))
		case ReasonOtherCountry:
			names := make([]string, len(r.Values))
			for i, c := range r.Values {
				names[i] = taxonomy.CountryName(c, l.Lang())
			}
			parts = append(parts, l.T("matching.why.other_country", strings.Join(names, ", ")))
		case ReasonSameCountry:
			parts = append(parts, l.T("matching.why.same_country"))
		case ReasonGlobal:
			parts = append(parts, l.T("matching.why.global"))
		}
	}
	return strings.Join(parts, l.T("matching.why.separator"))
}
