package matching

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Figures are what matches and exchanges add up to: the exchanges block of
// the community and site reports (CONTRACT.md), with its JSON names. They
// are counted from the records every time they are asked for; nothing is
// stored.
//
// The matches of a period are those proposed in it (from and to
// inclusive; a zero time leaves that end open). Each counts at the stage
// it had at the end of the period (its last step on or before to):
//
//   - by_stage: every such match by that stage, all six stages listed.
//   - An exchange was held when its match reached exchange_held by the end
//     of the period (outcome_reported comes after it; a match declined
//     after its exchange was held still counts, as the exchange took
//     place). by_target (the targets of the need; an exchange on two
//     targets counts under each), by_modality (every modality listed;
//     "unspecified" when one was never recorded) and flows count held
//     exchanges.
//   - flows: held exchanges from the offering country (an offer's country,
//     or the country chosen from a solution's) to the requesting country
//     (the need's), most first. A match with a global solution has no
//     offering country and makes no flow.
//   - south_south_share: the share of held exchanges between two
//     developing countries (UN M49 classes, see taxonomy.IsDeveloping),
//     from 0 to 1; triangular_share: the share of held exchanges with a
//     supporting partner that is a UN agency, an international
//     organisation or a donor, or that is from a developed country. A
//     triangular exchange between two developing countries counts in both
//     (triangular cooperation is South-South cooperation with a third
//     partner). Both are 0 when no exchange was held.
//   - outcomes: the matches that reached outcome_reported by the end of
//     the period, by their outcome (the four outcomes listed;
//     "unspecified" when a report gave none).
//
// Modality, partner and outcome are the match's as last recorded.
type Figures struct {
	ByStage         map[string]int `json:"by_stage"`
	ByTarget        map[string]int `json:"by_target"`
	ByModality      map[string]int `json:"by_modality"`
	Flows           []Flow         `json:"flows"`
	SouthSouthShare float64        `json:"south_south_share"`
	TriangularShare float64        `json:"triangular_share"`
	Outcomes        map[string]int `json:"outcomes"`

	held, matches, southSouth, triangular int
}

// Flow is the number of held exchanges from one country to another.
type Flow struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// Held returns the number of exchanges held.
func (f Figures) Held() int { return f.held }

// Total returns the number of matches of the period.
func (f Figures) Total() int { return f.matches }

// SouthSouth and Triangular return the numbers behind the shares.
func (f Figures) SouthSouth() int { return f.southSouth }

// Triangular returns the number of triangular exchanges held.
func (f Figures) Triangular() int { return f.triangular }

// CommunityFigures counts the exchanges of a community (those of the needs
// attached to it) proposed from from to to. The community report's
// exchanges block is exactly this value.
func CommunityFigures(ctx context.Context, q sqldb.Querier, communityID int64, from, to time.Time) (Figures, error) {
	f, err := figures(ctx, q, "n.community_id = ?", []any{communityID}, from, to)
	if err != nil {
		return f, fmt.Errorf("exchanges of community %d: %w", communityID, err)
	}
	return f, nil
}

// SiteFigures counts every exchange of the site proposed from from to to,
// whatever community its need is attached to, if any.
func SiteFigures(ctx context.Context, q sqldb.Querier, from, to time.Time) (Figures, error) {
	f, err := figures(ctx, q, "1 = 1", nil, from, to)
	if err != nil {
		return f, fmt.Errorf("exchanges of the site: %w", err)
	}
	return f, nil
}

func figures(ctx context.Context, q sqldb.Querier, scope string, scopeArgs []any, from, to time.Time) (Figures, error) {
	f := Figures{ByStage: map[string]int{}, ByTarget: map[string]int{}, ByModality: map[string]int{}, Flows: []Flow{}, Outcomes: map[string]int{}}
	for _, s := range Stages {
		f.ByStage[s] = 0
	}
	for _, m := range Modalities {
		f.ByModality[m] = 0
	}
	for _, o := range Outcomes {
		f.Outcomes[o] = 0
	}
	where, args := " WHERE "+scope, append([]any(nil), scopeArgs...)
	if !from.IsZero() {
		where += " AND m.created_at >= ?"
		args = append(args, from)
	}
	if !to.IsZero() {
		where += " AND m.created_at <= ?"
		args = append(args, to)
	}
	const base = " FROM matches m JOIN needs n ON n.id = m.need_id LEFT JOIN offers o ON o.id = m.offer_id"

	type record struct {
		from, to, modality, outcome string
		partner                     Partner
		stage                       string
		held                        bool
		targets                     []string
	}
	byID := map[int64]*record{}
	var order []int64
	rows, err := q.Query(ctx, `SELECT m.id, n.country, COALESCE(o.country, m.solution_country), m.modality, m.outcome,
		m.partner_name, m.partner_country, m.partner_type`+base+where, args...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var id int64
		r := &record{}
		if err := rows.Scan(&id, &r.to, &r.from, &r.modality, &r.outcome, &r.partner.Name, &r.partner.Country, &r.partner.Type); err != nil {
			rows.Close()
			return f, err
		}
		byID[id] = r
		order = append(order, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	if len(order) == 0 {
		return f, nil
	}

	// The stage of each match at the end of the period is its last step
	// then; whether it was held, whether any step reached exchange_held.
	stepWhere, stepArgs := where, args
	if !to.IsZero() {
		stepWhere += " AND st.at <= ?"
		stepArgs = append(append([]any(nil), args...), to)
	}
	rows, err = q.Query(ctx, "SELECT m.id, st.stage FROM match_steps st JOIN matches m ON m.id = st.match_id JOIN needs n ON n.id = m.need_id LEFT JOIN offers o ON o.id = m.offer_id"+
		stepWhere+" ORDER BY m.id, st.at, st.id", stepArgs...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var id int64
		var stage string
		if err := rows.Scan(&id, &stage); err != nil {
			rows.Close()
			return f, err
		}
		if r, ok := byID[id]; ok {
			r.stage = stage
			r.held = r.held || stage == StageExchangeHeld
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	rows, err = q.Query(ctx, "SELECT m.id, t.target"+base+" JOIN need_targets t ON t.need_id = n.id"+where, args...)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var id int64
		var target string
		if err := rows.Scan(&id, &target); err != nil {
			rows.Close()
			return f, err
		}
		byID[id].targets = append(byID[id].targets, target)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}

	flows := map[[2]string]int{}
	for _, id := range order {
		r := byID[id]
		if r.stage == "" {
			continue // proposed after the end of the period's steps: cannot happen with from <= created_at <= to
		}
		f.matches++
		f.ByStage[r.stage]++
		if r.stage == StageOutcomeReported {
			if r.outcome == "" {
				f.Outcomes["unspecified"]++
			} else {
				f.Outcomes[r.outcome]++
			}
		}
		if !r.held {
			continue
		}
		f.held++
		for _, t := range r.targets {
			f.ByTarget[t]++
		}
		if r.modality == "" {
			f.ByModality["unspecified"]++
		} else {
			f.ByModality[r.modality]++
		}
		if r.from != "" {
			flows[[2]string{r.from, r.to}]++
		}
		if southSouth(r.from, r.to) {
			f.southSouth++
		}
		if r.partner.Triangular() {
			f.triangular++
		}
	}
	for k, n := range flows {
		f.Flows = append(f.Flows, Flow{From: k[0], To: k[1], Count: n})
	}
	sort.Slice(f.Flows, func(i, j int) bool {
		a, b := f.Flows[i], f.Flows[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.From != b.From {
			return a.From < b.From
		}
		return a.To < b.To
	})
	if f.held > 0 {
		f.SouthSouthShare = float64(f.southSouth) / float64(f.held)
		f.TriangularShare = float64(f.triangular) / float64(f.held)
	}
	return f, nil
}

// ParsePeriod reads the from and to filters of figures: YYYY-MM-DD, both
// days included (to runs to the end of its day), or RFC 3339 times. Empty
// leaves that end open. A value that is neither, or a period that ends
// before it starts, fails validation naming the parameter.
func ParsePeriod(from, to string) (time.Time, time.Time, error) {
	var e validation.Error
	f := parseMoment(&e, "from", from, false)
	t := parseMoment(&e, "to", to, true)
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		e.Add("to", "matching.error.period")
	}
	return f, t, e.Err()
}

func parseMoment(e *validation.Error, field, s string, end bool) time.Time {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil && d.Year() >= 1950 && d.Year() <= 2100 {
		if end {
			return d.AddDate(0, 0, 1).Add(-time.Microsecond)
		}
		return d
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil && t.Year() >= 1950 && t.Year() <= 2100 {
		return t.UTC()
	}
	e.Add(field, "matching.error.date")
	return time.Time{}
}

// ParseParticipants reads participants by country as a form gives them:
// pairs of a country code and a number, separated by commas, semicolons or
// lines ("ZW 6, TH 3" or "ZW: 6"). Empty text is no participant.
func ParseParticipants(s string) (map[string]int, error) {
	out := map[string]int{}
	var e validation.Error
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		fields := strings.Fields(strings.ReplaceAll(strings.ReplaceAll(part, ":", " "), "=", " "))
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			e.Add("participants", "matching.error.participants_format", strings.TrimSpace(part))
			continue
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil {
			e.Add("participants", "matching.error.participants_format", strings.TrimSpace(part))
			continue
		}
		if len(out) > MaxParticipants {
			e.Add("participants", "error.too_many", MaxParticipants)
			break
		}
		out[strings.ToUpper(fields[0])] += min(max(n, -1), MaxPeople+1)
	}
	return out, e.Err()
}
