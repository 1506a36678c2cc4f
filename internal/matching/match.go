package matching

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Kinds of what a need is matched with.
const (
	KindOffer    = "offer"
	KindSolution = "solution"
	KindMember   = "member" // suggestions only: members are contacted, not matched
)

// NeedRef is the need of a match, as the match shows it.
type NeedRef struct {
	ID          int64
	Title       string
	Country     string // the requesting country
	Institution string
	AuthorID    int64
	Community   *CommunityRef
}

// Source is what a need is matched with: an offer or a catalogue solution.
type Source struct {
	Kind        string // KindOffer or KindSolution
	ID          int64
	Title       string
	Institution string // an offer's; empty for a solution
	Country     string // the offering country
	AuthorID    int64  // an offer's author; 0 for a solution
	Language    string
}

// Partner is a third party that supports an exchange between two
// countries: a UN agency, an international organisation, a donor, a
// ministry of a third country.
type Partner struct {
	Name    string
	Country string // ISO 3166-1 alpha-2, optional
	Type    string // an organisation type (taxonomy.OrganizationTypes), optional
}

// Triangular reports whether the partner makes an exchange triangular: it
// is an international organisation, a UN agency or a donor, or it is from
// a developed country (UN M49).
func (p Partner) Triangular() bool {
	if p.Name == "" {
		return false
	}
	switch p.Type {
	case taxonomy.OrgUNAgency, taxonomy.OrgInternationalOrg, taxonomy.OrgDonor:
		return true
	}
	return p.Country != "" && taxonomy.IsDeveloped(p.Country)
}

// Evidence is what shows the outcome of an exchange: a text (Markdown),
// links, and resources of a library.
type Evidence struct {
	Text        string
	HTML        string
	Links       []string
	ResourceIDs []int64
}

// Exchange is what a match produced: how and when the exchange ran, who
// took part, who supported it, and what came of it.
type Exchange struct {
	Modality     string
	StartsOn     string         // YYYY-MM-DD
	EndsOn       string         // YYYY-MM-DD
	Participants map[string]int // people by country
	Partner      Partner
	Outcome      string
	Evidence     Evidence
}

// Step is one step of a match: the stage it reached, when, why and who.
type Step struct {
	Stage string
	At    time.Time
	Note  string
	By    Person
}

// Match is a need put together with an offer or a solution, at a stage of
// the pipeline, with the exchange it produced and its history.
type Match struct {
	ID     int64
	Need   NeedRef
	Source Source
	Stage  string
	Exchange
	ProposedBy Person
	History    []Step // oldest first
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// From is the offering country; To the requesting one.
func (m Match) From() string { return m.Source.Country }

// To is the requesting country.
func (m Match) To() string { return m.Need.Country }

// Open reports whether the match may still move.
func (m Match) Open() bool { return len(NextStages(m.Stage)) > 0 }

// Next lists the stages the match may move to.
func (m Match) Next() []string { return NextStages(m.Stage) }

// Held reports whether the exchange took place: the match reached
// exchange_held (it may have been declined after that, when no outcome
// will be reported).
func (m Match) Held() bool {
	if stageRank(m.Stage) >= stageRank(StageExchangeHeld) {
		return true
	}
	for _, s := range m.History {
		if s.Stage == StageExchangeHeld {
			return true
		}
	}
	return false
}

// SouthSouth reports whether both countries are developing (UN M49).
func (m Match) SouthSouth() bool { return southSouth(m.From(), m.To()) }

// Triangular reports whether a supporting partner makes the exchange
// triangular (see Partner.Triangular).
func (m Match) Triangular() bool { return m.Partner.Triangular() }

func southSouth(from, to string) bool {
	return from != "" && to != "" && taxonomy.IsDeveloping(from) && taxonomy.IsDeveloping(to)
}

// stageRank is a stage's place in the pipeline; declined and unknown
// stages are -1.
func stageRank(stage string) int { return slices.Index(Pipeline, stage) }

// NextStages lists the stages a match at stage may move to: the next
// stage of the pipeline, and declined, from any stage before
// outcome_reported. Outcome reported and declined end a match.
func NextStages(stage string) []string {
	r := stageRank(stage)
	if r < 0 || r >= len(Pipeline)-1 {
		return nil
	}
	return []string{Pipeline[r+1], StageDeclined}
}

// CanMove reports whether a match at stage from may move to stage to.
func CanMove(from, to string) bool { return slices.Contains(NextStages(from), to) }

// --- Reading matches ---

const matchColumns = `m.id, m.need_id, n.title, n.country, n.institution, COALESCE(n.created_by, 0),
	COALESCE(c.id, 0), COALESCE(c.slug, ''), COALESCE(c.name, ''), COALESCE(c.visibility, ''),
	COALESCE(m.offer_id, 0), COALESCE(m.solution_id, 0), COALESCE(o.title, s.title, ''), COALESCE(o.institution, ''),
	COALESCE(o.country, m.solution_country), COALESCE(o.created_by, 0), COALESCE(o.language, s.language, ''),
	m.stage, m.modality, m.starts_on, m.ends_on, m.outcome, m.evidence, m.evidence_html,
	m.partner_name, m.partner_country, m.partner_type, COALESCE(m.proposed_by, 0), COALESCE(pu.name, ''), m.created_at, m.updated_at`

const matchFrom = `matches m JOIN needs n ON n.id = m.need_id LEFT JOIN communities c ON c.id = n.community_id
	LEFT JOIN offers o ON o.id = m.offer_id LEFT JOIN solutions s ON s.id = m.solution_id
	LEFT JOIN users pu ON pu.id = m.proposed_by`

func scanMatch(sc sqldb.Scanner) (Match, error) {
	var m Match
	var c CommunityRef
	var offerID, solutionID int64
	err := sc.Scan(&m.ID, &m.Need.ID, &m.Need.Title, &m.Need.Country, &m.Need.Institution, &m.Need.AuthorID,
		&c.ID, &c.Slug, &c.Name, &c.Visibility,
		&offerID, &solutionID, &m.Source.Title, &m.Source.Institution, &m.Source.Country, &m.Source.AuthorID, &m.Source.Language,
		&m.Stage, &m.Modality, &m.StartsOn, &m.EndsOn, &m.Outcome, &m.Evidence.Text, &m.Evidence.HTML,
		&m.Partner.Name, &m.Partner.Country, &m.Partner.Type, &m.ProposedBy.ID, &m.ProposedBy.Name, &m.CreatedAt, &m.UpdatedAt)
	if c.ID != 0 {
		m.Need.Community = &c
	}
	if offerID != 0 {
		m.Source.Kind, m.Source.ID = KindOffer, offerID
	} else {
		m.Source.Kind, m.Source.ID = KindSolution, solutionID
	}
	return m, err
}

// matches loads the matches of a query of matchColumns from matchFrom,
// with their participants, evidence and history.
func (s *Store) matches(ctx context.Context, query string, args ...any) ([]Match, error) {
	rows, err := s.q.Query(ctx, query, args...)
	list, err := sqldb.Collect(rows, err, scanMatch)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Match, len(list))
	ids := make([]int64, len(list))
	for i := range list {
		m := &list[i]
		byID[m.ID], ids[i] = m, m.ID
		m.Participants, m.Evidence.Links, m.Evidence.ResourceIDs, m.History = map[string]int{}, []string{}, []int64{}, []Step{}
	}
	err = eachChunk(ids, func(args []any) error {
		in := "(" + sqldb.Placeholders(len(args)) + ")"
		rows, err := s.q.Query(ctx, "SELECT match_id, country, people FROM match_participants WHERE match_id IN "+in, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var cc string
			var n int
			if err := rows.Scan(&id, &cc, &n); err != nil {
				rows.Close()
				return err
			}
			byID[id].Participants[cc] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = s.q.Query(ctx, "SELECT match_id, url FROM match_links WHERE match_id IN "+in+" ORDER BY match_id, position", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var u string
			if err := rows.Scan(&id, &u); err != nil {
				rows.Close()
				return err
			}
			byID[id].Evidence.Links = append(byID[id].Evidence.Links, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = s.q.Query(ctx, "SELECT match_id, resource_id FROM match_resources WHERE match_id IN "+in+" ORDER BY match_id, position", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, rid int64
			if err := rows.Scan(&id, &rid); err != nil {
				rows.Close()
				return err
			}
			byID[id].Evidence.ResourceIDs = append(byID[id].Evidence.ResourceIDs, rid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = s.q.Query(ctx, `SELECT st.match_id, st.stage, st.at, st.note, COALESCE(st.by_user, 0), st.by_name
			FROM match_steps st WHERE st.match_id IN `+in+` ORDER BY st.match_id, st.at, st.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var st Step
			if err := rows.Scan(&id, &st.Stage, &st.At, &st.Note, &st.By.ID, &st.By.Name); err != nil {
				return err
			}
			byID[id].History = append(byID[id].History, st)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load match details: %w", err)
	}
	return list, nil
}

// matchByID loads a match whoever asks.
func (s *Store) matchByID(ctx context.Context, id int64) (Match, error) {
	list, err := s.matches(ctx, "SELECT "+matchColumns+" FROM "+matchFrom+" WHERE m.id = ?", id)
	if err != nil {
		return Match{}, fmt.Errorf("load match %d: %w", id, err)
	}
	if len(list) == 0 {
		return Match{}, fmt.Errorf("match %d: %w", id, sqldb.ErrNotFound)
	}
	return list[0], nil
}

// needOf is the part of a need that visibility and brokering look at.
func needOf(m Match) Need {
	return Need{ID: m.Need.ID, Community: m.Need.Community, Author: Person{ID: m.Need.AuthorID}}
}

// Match returns a match the reader may see: those of the needs the reader
// may see.
func (s *Store) Match(ctx context.Context, reader *account.User, id int64) (Match, error) {
	if reader == nil {
		return Match{}, account.ErrUnauthenticated
	}
	m, err := s.matchByID(ctx, id)
	if err != nil {
		return Match{}, err
	}
	ok, err := s.canSee(ctx, *reader, needOf(m))
	if err != nil {
		return Match{}, err
	}
	if !ok {
		return Match{}, fmt.Errorf("match %d: %w", id, sqldb.ErrNotFound)
	}
	return m, nil
}

// CanMoveMatch reports whether u brokers the match's need.
func (s *Store) CanMoveMatch(ctx context.Context, u *account.User, m Match) (bool, error) {
	return s.CanBroker(ctx, u, needOf(m))
}

// MatchFilter narrows a list of matches.
type MatchFilter struct {
	NeedID     int64
	OfferID    int64
	SolutionID int64
	Stage      string
	Community  string // slug
	Country    string // offering or requesting
	Held       bool   // only exchanges that took place
	// Brokered keeps the matches the reader brokers (all of them for site
	// administrators); Involving those of the reader's own needs and
	// offers. With both, either will do.
	Brokered  bool
	Involving bool
}

// ParseMatchFilter reads the filters of a list of matches: stage,
// community, country, need_id, offer_id, solution_id, held (only
// exchanges that took place), and mine (brokered or involving the caller).
func ParseMatchFilter(v url.Values) (MatchFilter, error) {
	var e validation.Error
	f := MatchFilter{Country: parseCountry(&e, v.Get("country"))}
	if f.Stage = strings.TrimSpace(v.Get("stage")); f.Stage != "" && !slices.Contains(Stages, f.Stage) {
		e.Add("stage", "matching.error.stage_unknown", f.Stage, strings.Join(Stages, ", "))
	}
	f.Community = strings.ToLower(strings.TrimSpace(v.Get("community")))
	if len(f.Community) > 100 {
		e.Add("community", "matching.error.community_unknown", f.Community[:100])
	}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"need_id", &f.NeedID}, {"offer_id", &f.OfferID}, {"solution_id", &f.SolutionID}} {
		if s := strings.TrimSpace(v.Get(p.name)); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				e.Add(p.name, "matching.error.id_param")
				continue
			}
			*p.dst = n
		}
	}
	switch v.Get("held") {
	case "":
	case "true", "1":
		f.Held = true
	default:
		e.Add("held", "error.one_of", "true, 1")
	}
	switch v.Get("mine") {
	case "":
	case "brokered":
		f.Brokered = true
	case "involving":
		f.Involving = true
	case "true", "1":
		f.Brokered, f.Involving = true, true
	default:
		e.Add("mine", "error.one_of", "brokered, involving, true")
	}
	return f, e.Err()
}

// Matches returns a page of the matches the reader may see that pass the
// filter, most recently changed first, and how many there are.
func (s *Store) Matches(ctx context.Context, reader *account.User, f MatchFilter, limit, offset int) ([]Match, int, error) {
	if reader == nil {
		return nil, 0, account.ErrUnauthenticated
	}
	where, args := needsVisibleTo(*reader)
	add := func(cond string, a ...any) {
		where += " AND " + cond
		args = append(args, a...)
	}
	if f.NeedID != 0 {
		add("m.need_id = ?", f.NeedID)
	}
	if f.OfferID != 0 {
		add("m.offer_id = ?", f.OfferID)
	}
	if f.SolutionID != 0 {
		add("m.solution_id = ?", f.SolutionID)
	}
	if f.Stage != "" {
		add("m.stage = ?", f.Stage)
	}
	if f.Community != "" {
		add("c.slug = ?", f.Community)
	}
	if f.Country != "" {
		add("(n.country = ? OR COALESCE(o.country, m.solution_country) = ?)", f.Country, f.Country)
	}
	if f.Held {
		add("m.id IN (SELECT match_id FROM match_steps WHERE stage = ?)", StageExchangeHeld)
	}
	brokered := `n.community_id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL AND role = 'manager')`
	involving := `(n.created_by = ? OR o.created_by = ?)`
	switch {
	case f.Brokered && f.Involving && !reader.Admin:
		add("("+brokered+" OR "+involving+")", reader.ID, reader.ID, reader.ID)
	case f.Brokered && !reader.Admin:
		add(brokered, reader.ID)
	case f.Involving && !f.Brokered:
		add(involving, reader.ID, reader.ID)
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM "+matchFrom+" WHERE 1 = 1"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count matches: %w", err)
	}
	list, err := s.matches(ctx, "SELECT "+matchColumns+" FROM "+matchFrom+" WHERE 1 = 1"+where+" ORDER BY m.updated_at DESC, m.id DESC LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list matches: %w", err)
	}
	return list, total, nil
}

// --- Proposing ---

// Proposal is a broker's proposal of a match: a need with an offer or a
// solution of the catalogue.
type Proposal struct {
	NeedID     int64
	OfferID    int64
	SolutionID int64
	// Country is the offering country of a match with a solution, one of
	// the solution's countries; empty: the first (by code) other than the
	// requesting country.
	Country string
	Note    string
	At      time.Time // zero: now; the demo dates its history
}

// Validate checks the form of a proposal.
func (p Proposal) Validate() (Proposal, error) {
	var e validation.Error
	if p.NeedID <= 0 {
		e.Add("need_id", "error.required")
	}
	switch {
	case p.OfferID < 0 || p.SolutionID < 0:
		e.Add("offer_id", "matching.error.offer_or_solution")
	case (p.OfferID == 0) == (p.SolutionID == 0):
		e.Add("offer_id", "matching.error.offer_or_solution")
	}
	p.Note = e.LongText("note", p.Note, false, MaxNoteLen)
	if p.Country = strings.TrimSpace(p.Country); p.Country != "" {
		cc, ok := taxonomy.NormalizeCountry(p.Country)
		if !ok {
			e.Add("country", "matching.error.country", p.Country)
		}
		p.Country = cc
	}
	return p, e.Err()
}

// Propose records a broker's proposal and tells both institutions'
// contacts. Refused: a need the broker may not see or that does not exist,
// or that is closed (400); a member who does not broker it (403); an offer
// that does not exist or is closed, an archived solution, one of the
// need's own institution (400); a pair already proposed (409).
func (s *Store) Propose(ctx context.Context, broker account.User, p Proposal) (Match, error) {
	p, err := p.Validate()
	if err != nil {
		return Match{}, err
	}
	n, err := s.Need(ctx, &broker, p.NeedID)
	if errors.Is(err, sqldb.ErrNotFound) {
		return Match{}, validation.Field("need_id", "matching.error.need_unknown", p.NeedID)
	}
	if err != nil {
		return Match{}, err
	}
	if ok, err := s.CanBroker(ctx, &broker, n); err != nil {
		return Match{}, err
	} else if !ok {
		return Match{}, account.ErrForbidden
	}
	if n.Status == StatusClosed {
		return Match{}, validation.Field("need_id", "matching.error.need_closed")
	}
	at := At{p.At}.time()
	var id int64
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := s.with(tx)
		var offerID, solutionID any
		country := ""
		var existing int64
		switch {
		case p.OfferID != 0:
			o, err := st.offerByID(ctx, p.OfferID)
			switch {
			case errors.Is(err, sqldb.ErrNotFound):
				return validation.Field("offer_id", "matching.error.offer_unknown", p.OfferID)
			case err != nil:
				return err
			case o.Status != StatusOpen:
				return validation.Field("offer_id", "matching.error.offer_closed")
			case o.Country == n.Country && institutionKey(o.Institution) == institutionKey(n.Institution):
				return validation.Field("offer_id", "matching.error.same_institution", n.Institution)
			}
			offerID = o.ID
			err = tx.QueryRow(ctx, "SELECT id FROM matches WHERE need_id = ? AND offer_id = ?", n.ID, o.ID).Scan(&existing)
			if err == nil {
				return validation.Conflict("offer_id", "matching.error.already_proposed", existing)
			}
			if !errors.Is(err, sqldb.ErrNotFound) {
				return err
			}
		default:
			x, err := solution.NewStore(tx).Solution(ctx, p.SolutionID)
			switch {
			case errors.Is(err, sqldb.ErrNotFound) || err == nil && x.Archived():
				return validation.Field("solution_id", "matching.error.solution_unknown", p.SolutionID)
			case err != nil:
				return err
			}
			if slices.Contains(x.Countries, n.Country) {
				for _, im := range x.Implementers {
					if institutionKey(im) == institutionKey(n.Institution) {
						return validation.Field("solution_id", "matching.error.same_institution", n.Institution)
					}
				}
			}
			switch {
			case p.Country != "" && !slices.Contains(x.Countries, p.Country):
				return validation.Field("country", "matching.error.solution_country", p.Country)
			case p.Country != "":
				country = p.Country
			default:
				for _, cc := range x.Countries { // sorted by code
					if cc != n.Country {
						country = cc
						break
					}
				}
				if country == "" && len(x.Countries) > 0 {
					country = x.Countries[0]
				}
			}
			solutionID = x.ID
			err = tx.QueryRow(ctx, "SELECT id FROM matches WHERE need_id = ? AND solution_id = ?", n.ID, x.ID).Scan(&existing)
			if err == nil {
				return validation.Conflict("solution_id", "matching.error.already_proposed", existing)
			}
			if !errors.Is(err, sqldb.ErrNotFound) {
				return err
			}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO matches (need_id, offer_id, solution_id, solution_country, stage, proposed_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.ID, offerID, solutionID, country, StageProposed, broker.ID, at, at).Scan(&id); err != nil {
			if errors.Is(err, sqldb.ErrConflict) {
				return validation.Conflict("offer_id", "matching.error.already_proposed", 0)
			}
			return fmt.Errorf("propose match for need %d: %w", n.ID, err)
		}
		if err := addStep(ctx, tx, id, StageProposed, p.Note, broker, at); err != nil {
			return err
		}
		if err := refreshNeedStatus(ctx, tx, n.ID, at); err != nil {
			return err
		}
		m, err := st.matchByID(ctx, id)
		if err != nil {
			return err
		}
		return st.tell(ctx, tx, m, broker, StageProposed, p.Note)
	})
	if err != nil {
		return Match{}, err
	}
	return s.matchByID(ctx, id)
}

// addStep records a step of a match.
func addStep(ctx context.Context, tx *sqldb.Tx, matchID int64, stage, note string, by account.User, at time.Time) error {
	_, err := tx.Exec(ctx, "INSERT INTO match_steps (match_id, stage, note, by_user, by_name, at) VALUES (?, ?, ?, ?, ?, ?)",
		matchID, stage, note, by.ID, by.Name, at)
	if err != nil {
		return fmt.Errorf("record step %s of match %d: %w", stage, matchID, err)
	}
	return nil
}

// --- Moving ---

// EvidenceInput is the evidence of an outcome as a broker gives it.
type EvidenceInput struct {
	Text        string
	Links       []string
	ResourceIDs []int64
}

// StageChange is a broker's move of a match to another stage, with a note
// and, optionally, details of the exchange. Details left empty (nil for
// the lists and the evidence and partner) keep what the match holds; given
// ones replace it.
type StageChange struct {
	Stage        string
	Note         string
	Modality     string
	StartsOn     string // YYYY-MM-DD, or an RFC 3339 time whose UTC day counts
	EndsOn       string
	Participants map[string]int
	Outcome      string
	Evidence     *EvidenceInput
	Partner      *Partner
	At           time.Time // zero: now; the demo dates its history
}

// Validate checks a stage change for its form; whether the move is allowed
// from the match's stage is for Move to say.
func (c StageChange) Validate() (StageChange, error) {
	var e validation.Error
	switch c.Stage = strings.TrimSpace(c.Stage); {
	case c.Stage == "":
		e.Add("stage", "error.required")
	case !slices.Contains(Stages, c.Stage):
		e.Add("stage", "matching.error.stage_unknown", c.Stage, strings.Join(Stages, ", "))
	}
	c.Note = e.LongText("note", c.Note, true, MaxNoteLen)
	if c.Modality = strings.TrimSpace(c.Modality); c.Modality != "" && !slices.Contains(Modalities, c.Modality) {
		e.Add("modality", "matching.error.modality", c.Modality, strings.Join(Modalities, ", "))
	}
	c.StartsOn = parseDay(&e, "starts_on", c.StartsOn)
	c.EndsOn = parseDay(&e, "ends_on", c.EndsOn)
	if c.Participants != nil {
		clean := make(map[string]int, len(c.Participants))
		for cc, n := range c.Participants {
			code, ok := taxonomy.NormalizeCountry(cc)
			switch {
			case !ok:
				e.Add("participants", "matching.error.participants_country", cc)
			case n < 1 || n > MaxPeople:
				e.Add("participants", "matching.error.participants_count", code, MaxPeople)
			default:
				clean[code] += n
			}
		}
		if len(clean) > MaxParticipants {
			e.Add("participants", "error.too_many", MaxParticipants)
		}
		c.Participants = clean
	}
	if c.Outcome = strings.TrimSpace(c.Outcome); c.Outcome != "" && !slices.Contains(Outcomes, c.Outcome) {
		e.Add("outcome", "matching.error.outcome", c.Outcome, strings.Join(Outcomes, ", "))
	}
	if c.Evidence != nil {
		ev := *c.Evidence
		ev.Text = e.LongText("evidence", ev.Text, false, MaxEvidenceLen)
		links := make([]string, 0, len(ev.Links))
		for _, l := range ev.Links {
			if l = strings.TrimSpace(l); l == "" || slices.Contains(links, l) {
				continue
			}
			if len(l) > MaxURLLen || !validURL(l) {
				e.Add("evidence", "matching.error.link", l)
				continue
			}
			links = append(links, l)
		}
		if len(links) > MaxLinks {
			e.Add("evidence", "error.too_many", MaxLinks)
		}
		ev.Links = links
		ev.ResourceIDs = cleanIDs(&e, "evidence", ev.ResourceIDs)
		c.Evidence = &ev
	}
	if c.Partner != nil {
		p := *c.Partner
		p.Name = e.Text("partner", p.Name, false, MaxPartnerLen)
		if p.Country = strings.TrimSpace(p.Country); p.Country != "" {
			cc, ok := taxonomy.NormalizeCountry(p.Country)
			if !ok {
				e.Add("partner", "matching.error.partner_country", p.Country)
			}
			p.Country = cc
		}
		if p.Type = strings.TrimSpace(p.Type); p.Type != "" && !taxonomy.ValidOrganizationType(p.Type) {
			e.Add("partner", "matching.error.partner_type", p.Type, strings.Join(taxonomy.OrganizationTypes(), ", "))
		}
		if p.Name == "" && (p.Country != "" || p.Type != "") {
			e.Add("partner", "matching.error.partner_name")
		}
		c.Partner = &p
	}
	return c, e.Err()
}

// parseDay reads a day as YYYY-MM-DD, or an RFC 3339 time (its day in
// UTC), and returns it as YYYY-MM-DD.
func parseDay(e *validation.Error, field, s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil && t.Year() >= 1950 && t.Year() <= 2100 {
		return t.Format(time.DateOnly)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil && t.Year() >= 1950 && t.Year() <= 2100 {
		return t.UTC().Format(time.DateOnly)
	}
	e.Add(field, "matching.error.day")
	return s
}

// Move moves a match to another stage, records the step with its note and
// who made it, saves the details of the exchange that come with it, and
// tells both institutions' contacts. Refused, with nothing changed: a
// match the broker may not see (not found); a member who does not broker
// its need (account.ErrForbidden); an unknown stage or a bad detail (a
// validation error); a move that is not to the next stage or to declined,
// or from a match that ended (a conflict on the field stage). Only stage
// and note are required (CONTRACT.md): an outcome reported without an
// outcome counts as "unspecified" in the figures.
func (s *Store) Move(ctx context.Context, broker account.User, id int64, c StageChange) (Match, error) {
	m, err := s.Match(ctx, &broker, id)
	if err != nil {
		return Match{}, err
	}
	if ok, err := s.CanMoveMatch(ctx, &broker, m); err != nil {
		return Match{}, err
	} else if !ok {
		return Match{}, account.ErrForbidden
	}
	if c, err = c.Validate(); err != nil {
		return Match{}, err
	}
	if err := moveAllowed(m.Stage, c.Stage); err != nil {
		return Match{}, err
	}
	ex := m.Exchange
	if c.Modality != "" {
		ex.Modality = c.Modality
	}
	if c.StartsOn != "" {
		ex.StartsOn = c.StartsOn
	}
	if c.EndsOn != "" {
		ex.EndsOn = c.EndsOn
	}
	if ex.StartsOn != "" && ex.EndsOn != "" && ex.EndsOn < ex.StartsOn {
		return Match{}, validation.Field("ends_on", "matching.error.ends_before_starts")
	}
	if c.Outcome != "" {
		ex.Outcome = c.Outcome
	}
	if c.Partner != nil {
		ex.Partner = *c.Partner
	}
	if c.Evidence != nil {
		ex.Evidence = Evidence{Text: c.Evidence.Text, HTML: markdown.Render(c.Evidence.Text), Links: c.Evidence.Links, ResourceIDs: c.Evidence.ResourceIDs}
	}
	at := At{c.At}.time()
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		// The stage is checked again inside the transaction, so that two
		// brokers moving the same match at once cannot both succeed.
		res, err := tx.Exec(ctx, `UPDATE matches SET stage = ?, modality = ?, starts_on = ?, ends_on = ?, outcome = ?,
			evidence = ?, evidence_html = ?, partner_name = ?, partner_country = ?, partner_type = ?, updated_at = ?
			WHERE id = ? AND stage = ?`,
			c.Stage, ex.Modality, ex.StartsOn, ex.EndsOn, ex.Outcome, ex.Evidence.Text, ex.Evidence.HTML,
			ex.Partner.Name, ex.Partner.Country, ex.Partner.Type, at, m.ID, m.Stage)
		if err != nil {
			return fmt.Errorf("move match %d: %w", m.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return validation.Conflict("stage", "matching.error.stage_changed")
		}
		if c.Participants != nil {
			if _, err := tx.Exec(ctx, "DELETE FROM match_participants WHERE match_id = ?", m.ID); err != nil {
				return err
			}
			var rows [][]any
			for _, cc := range sortedKeys(c.Participants) {
				rows = append(rows, []any{m.ID, cc, c.Participants[cc]})
			}
			if err := sqldb.InsertRows(ctx, tx, "match_participants", "match_id, country, people", rows, ""); err != nil {
				return err
			}
		}
		if c.Evidence != nil {
			if err := checkResources(ctx, tx, c.Evidence.ResourceIDs); err != nil {
				return err
			}
			for _, t := range []string{"match_links", "match_resources"} {
				if _, err := tx.Exec(ctx, "DELETE FROM "+t+" WHERE match_id = ?", m.ID); err != nil {
					return err
				}
			}
			var rows [][]any
			for i, l := range c.Evidence.Links {
				rows = append(rows, []any{m.ID, i, l})
			}
			if err := sqldb.InsertRows(ctx, tx, "match_links", "match_id, position, url", rows, ""); err != nil {
				return err
			}
			rows = rows[:0]
			for i, r := range c.Evidence.ResourceIDs {
				rows = append(rows, []any{m.ID, r, i})
			}
			if err := sqldb.InsertRows(ctx, tx, "match_resources", "match_id, resource_id, position", rows, ""); err != nil {
				return err
			}
		}
		if err := addStep(ctx, tx, m.ID, c.Stage, c.Note, broker, at); err != nil {
			return err
		}
		if err := refreshNeedStatus(ctx, tx, m.Need.ID, at); err != nil {
			return err
		}
		moved, err := s.with(tx).matchByID(ctx, m.ID)
		if err != nil {
			return err
		}
		return s.with(tx).tell(ctx, tx, moved, broker, c.Stage, c.Note)
	})
	if err != nil {
		return Match{}, err
	}
	return s.matchByID(ctx, id)
}

// moveAllowed explains, as a conflict on the field stage, why a match at
// stage from cannot move to stage to.
func moveAllowed(from, to string) error {
	switch next := NextStages(from); {
	case CanMove(from, to):
		return nil
	case len(next) == 0:
		return validation.Conflict("stage", "matching.error.stage_ended", from)
	case from == to:
		return validation.Conflict("stage", "matching.error.stage_same", from, next[0])
	default:
		return validation.Conflict("stage", "matching.error.stage_order", from, to, next[0])
	}
}

// checkResources fails validation when evidence names a resource that
// does not exist.
func checkResources(ctx context.Context, q sqldb.Querier, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := checkLinks(ctx, q, OfferInput{ResourceIDs: ids})
	if ve, ok := validation.As(err); ok {
		m := ve.Fields["resource_ids"]
		return validation.Field("evidence", m.Key, m.Args...)
	}
	return err
}

// tell notifies both institutions' contacts of a step: the need's author,
// and the offer's author or the catalogue solution's contacts with an
// e-mail address. The broker who made the step is not told of it.
func (s *Store) tell(ctx context.Context, tx *sqldb.Tx, m Match, actor account.User, stage, note string) error {
	if s.notifier == nil {
		return nil
	}
	base := notify.Message{
		Category:   notify.CategoryExchange,
		Subject:    notify.T("matching.mail.subject."+stage, m.Need.Title),
		Paragraphs: []notify.Text{notify.T("matching.mail.intro."+stage, actor.Name, m.Need.Title, m.Need.Institution, m.Source.Title)},
		Action:     notify.T("matching.mail.action"),
		URL:        "/matches/" + strconv.FormatInt(m.ID, 10),
	}
	if m.Need.Community != nil {
		base.CommunityID = m.Need.Community.ID
	}
	if note != "" {
		base.Paragraphs = append(base.Paragraphs, notify.T("matching.mail.note", note))
	}
	told := map[int64]bool{actor.ID: true}
	for _, uid := range []int64{m.Need.AuthorID, m.Source.AuthorID} {
		if uid == 0 || told[uid] {
			continue
		}
		told[uid] = true
		msg := base
		msg.UserID = uid
		if _, err := s.notifier.Send(ctx, tx, msg); err != nil {
			return fmt.Errorf("tell user %d of match %d: %w", uid, m.ID, err)
		}
	}
	if m.Source.Kind == KindSolution {
		x, err := solution.NewStore(tx).Solution(ctx, m.Source.ID)
		if err != nil {
			return err
		}
		for _, c := range x.Contacts {
			if c.Email == "" || strings.EqualFold(c.Email, actor.Email) {
				continue
			}
			msg := base
			msg.Email, msg.Name, msg.Language = c.Email, c.Name, x.Language
			if _, err := s.notifier.Send(ctx, tx, msg); err != nil {
				return fmt.Errorf("tell %s of match %d: %w", c.Email, m.ID, err)
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
