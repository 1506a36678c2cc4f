// Package matching holds country-to-country learning: the needs that
// institutions post (what they must learn: "we must validate the
// elimination of mother-to-child transmission of syphilis by 2027"), the
// offers they make (what they can share: "our ministry led the first
// validation in the region and can host a study visit"), suggestions that
// rank offers, catalogue solutions and members for a need, matches that a
// broker carries through the stages of an exchange, and the figures that
// exchanges produce: flows from the offering country to the requesting
// one, South-South and triangular shares, outcomes.
//
// Who may do what:
//   - Needs and offers are for logged-in members; anonymous readers see
//     neither. A need attached to a community that is not public is seen
//     only by that community's members (and its author and site
//     administrators). Any member may post needs and offers, and attach a
//     need to a public community or to one they belong to.
//   - Brokers are the managers of the community a need is attached to and
//     site administrators (the only brokers of needs attached to no
//     community). Only they propose matches for the need and move them.
//   - Both institutions' contacts (the authors of the need and of the
//     offer, or the contacts of the catalogue solution) are told of every
//     step, through notify.
//
// The stages of a match, in order: proposed, introduced, exchange_planned,
// exchange_held, outcome_reported; or declined. A match moves forward one
// stage at a time, or is declined from any stage before outcome_reported;
// outcome_reported and declined end it. See Store.Move.
package matching

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Modalities of an exchange.
const (
	ModalityStudyVisit   = "study_visit"
	ModalityWebinar      = "webinar"
	ModalityExpertAdvice = "expert_advice"
	ModalityTwinning     = "twinning"
	ModalityDocuments    = "documents"
)

// Modalities lists the modalities in the order forms show them.
var Modalities = []string{ModalityStudyVisit, ModalityWebinar, ModalityExpertAdvice, ModalityTwinning, ModalityDocuments}

// Statuses of a need. Open, matched, in_progress and completed follow its
// matches (see needStatus); closed is the author's or a broker's choice.
const (
	StatusOpen       = "open"
	StatusMatched    = "matched"
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
	StatusClosed     = "closed"
)

// NeedStatuses lists the statuses of needs, in the order of their life.
var NeedStatuses = []string{StatusOpen, StatusMatched, StatusInProgress, StatusCompleted, StatusClosed}

// OfferStatuses: an open offer is suggested and may be matched; a closed
// one (its capacity used, withdrawn) is kept for the record.
var OfferStatuses = []string{StatusOpen, StatusClosed}

// Stages of a match.
const (
	StageProposed        = "proposed"
	StageIntroduced      = "introduced"
	StageExchangePlanned = "exchange_planned"
	StageExchangeHeld    = "exchange_held"
	StageOutcomeReported = "outcome_reported"
	StageDeclined        = "declined"
)

// Pipeline lists the stages of a match in order; Stages adds declined.
var (
	Pipeline = []string{StageProposed, StageIntroduced, StageExchangePlanned, StageExchangeHeld, StageOutcomeReported}
	Stages   = append(slices.Clone(Pipeline), StageDeclined)
)

// Outcomes of an exchange: what the requesting institution did with what
// it learnt.
const (
	OutcomeAdopted  = "adopted"
	OutcomeAdapted  = "adapted"
	OutcomeInformed = "informed"
	OutcomeNoChange = "no_change"
)

// Outcomes lists the outcomes, most change first.
var Outcomes = []string{OutcomeAdopted, OutcomeAdapted, OutcomeInformed, OutcomeNoChange}

// Limits on what records hold.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 10000
	MaxInstitutionLen = 200
	MaxCapacityLen    = 500
	MaxTopics         = 12
	MaxTopicLen       = 60
	MaxTargets        = 30
	MaxLanguages      = 10
	MaxLinked         = 20 // solutions and resources of an offer, resources of evidence
	MaxNoteLen        = 4000
	MaxEvidenceLen    = 10000
	MaxLinks          = 20
	MaxURLLen         = 500
	MaxPartnerLen     = 200
	MaxParticipants   = 60     // countries
	MaxPeople         = 100000 // participants from one country
)

// Details are what needs and offers both say: what about, who, where, and
// how they would exchange. Field names in messages are those of the API.
type Details struct {
	Title       string
	Description string // Markdown
	Institution string
	Country     string   // ISO 3166-1 alpha-2
	SDGs        []int    // with the goals of Targets, which Validate adds
	Targets     []string // "3.3", "3.b"
	Topics      []string // free tags: "congenital syphilis", "validation dossier"
	Languages   []string // ISO 639-1 codes of the languages it can work in
	Modalities  []string
	Language    string // the language the text is written in
}

// fromProfile fills in what a new record leaves empty from its author's
// profile: members post for their own institution, from their country, in
// their language.
func (d Details) fromProfile(author account.User) Details {
	if strings.TrimSpace(d.Institution) == "" {
		d.Institution = author.Organization
	}
	if strings.TrimSpace(d.Country) == "" {
		d.Country = author.Country
	}
	if strings.TrimSpace(d.Language) == "" && author.Language != "" {
		d.Language = author.Language
	}
	return d
}

// validate checks and cleans the details into e.
func (d Details) validate(e *validation.Error) Details {
	d.Title = e.Text("title", d.Title, true, MaxTitleLen)
	d.Description = e.LongText("description", d.Description, true, MaxDescriptionLen)
	d.Institution = e.Text("institution", d.Institution, true, MaxInstitutionLen)
	if strings.TrimSpace(d.Country) == "" {
		e.Add("country", "error.required")
	} else if cc, ok := taxonomy.NormalizeCountry(d.Country); ok {
		d.Country = cc
	} else {
		e.Add("country", "matching.error.country", strings.TrimSpace(d.Country))
	}

	goals := map[int]bool{}
	for _, g := range d.SDGs {
		if !taxonomy.ValidGoal(g) {
			e.Add("sdgs", "matching.error.sdg", g)
			continue
		}
		goals[g] = true
	}
	var targets []string
	for _, code := range d.Targets {
		if strings.TrimSpace(code) == "" {
			continue
		}
		t, ok := taxonomy.TargetByCode(code)
		if !ok {
			e.Add("sdg_targets", "matching.error.target", strings.TrimSpace(code))
			continue
		}
		if !slices.Contains(targets, t.Code) {
			targets = append(targets, t.Code)
		}
		goals[t.Goal] = true // a target implies its goal
	}
	if len(targets) > MaxTargets {
		e.Add("sdg_targets", "error.too_many", MaxTargets)
	}
	taxonomy.SortTargetCodes(targets)
	d.Targets = targets
	d.SDGs = make([]int, 0, len(goals))
	for g := range goals {
		d.SDGs = append(d.SDGs, g)
	}
	sort.Ints(d.SDGs)
	if len(d.SDGs) == 0 && !e.Has("sdgs") && !e.Has("sdg_targets") {
		e.Add("sdgs", "matching.error.sdgs_required")
	}

	d.Topics = cleanTags(e, "topics", d.Topics)
	d.Languages = cleanLanguages(e, "languages", d.Languages)
	d.Modalities = cleanChoices(e, "modalities", d.Modalities, Modalities, "matching.error.modality")

	d.Language = strings.ToLower(strings.TrimSpace(d.Language))
	if d.Language == "" {
		d.Language = "en"
	}
	if !taxonomy.ValidLanguage(d.Language) {
		e.Add("language", "error.language", d.Language)
	}
	return d
}

// cleanTags trims free tags, drops empty ones and those that repeat
// another (compared as account.TagKey), and limits their number and length.
func cleanTags(e *validation.Error, field string, tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		var te validation.Error
		t = te.Text(field, t, false, MaxTopicLen)
		if m, bad := te.Fields[field]; bad {
			e.Add(field, m.Key, m.Args...)
			continue
		}
		if k := account.TagKey(t); t != "" && !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	if len(out) > MaxTopics {
		e.Add(field, "error.too_many", MaxTopics)
	}
	return out
}

// cleanLanguages checks ISO 639-1 codes: lower case, known, once each.
func cleanLanguages(e *validation.Error, field string, langs []string) []string {
	out := make([]string, 0, len(langs))
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" || slices.Contains(out, l) {
			continue
		}
		if !taxonomy.ValidLanguage(l) {
			e.Add(field, "error.language", l)
			continue
		}
		out = append(out, l)
	}
	if len(out) > MaxLanguages {
		e.Add(field, "error.too_many", MaxLanguages)
	}
	return out
}

// cleanChoices checks values against a list, keeping the list's order.
func cleanChoices(e *validation.Error, field string, values, allowed []string, key string) []string {
	chosen := map[string]bool{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !slices.Contains(allowed, v) {
			e.Add(field, key, v, strings.Join(allowed, ", "))
			continue
		}
		chosen[v] = true
	}
	out := make([]string, 0, len(chosen))
	for _, a := range allowed {
		if chosen[a] {
			out = append(out, a)
		}
	}
	return out
}

// NeedInput is a need as its author writes it.
type NeedInput struct {
	Details
	Community      string // slug of the community it is attached to, or empty
	TimeframeStart string // YYYY-MM, optional: when the exchange could start
	TimeframeEnd   string // YYYY-MM, optional: by when it is needed
}

// Validate checks a need and returns it cleaned. The community is only
// checked for its form here; the store finds it and checks who may attach
// a need to it.
func (in NeedInput) Validate() (NeedInput, error) {
	var e validation.Error
	in.Details = in.Details.validate(&e)
	in.Community = strings.ToLower(strings.TrimSpace(in.Community))
	if len(in.Community) > 100 {
		e.Add("community", "matching.error.community_unknown", in.Community)
	}
	var start, end solution.Month
	if in.TimeframeStart = strings.TrimSpace(in.TimeframeStart); in.TimeframeStart != "" {
		var ok bool
		if start, ok = solution.ParseMonth(in.TimeframeStart); !ok {
			e.Add("timeframe_start", "matching.error.month")
		}
	}
	if in.TimeframeEnd = strings.TrimSpace(in.TimeframeEnd); in.TimeframeEnd != "" {
		var ok bool
		if end, ok = solution.ParseMonth(in.TimeframeEnd); !ok {
			e.Add("timeframe_end", "matching.error.month")
		} else if !start.IsZero() && end.Before(start) {
			e.Add("timeframe_end", "matching.error.end_before_start")
		}
	}
	return in, e.Err()
}

// OfferInput is an offer as its author writes it.
type OfferInput struct {
	Details
	Capacity    string  // how much the institution can take on ("two study visits a year")
	SolutionIDs []int64 // catalogue solutions the offer builds on
	ResourceIDs []int64 // library resources that show it
	Status      string  // open (the default) or closed
}

// Validate checks an offer and returns it cleaned. Whether the solutions
// and resources exist is checked by the store.
func (in OfferInput) Validate() (OfferInput, error) {
	var e validation.Error
	in.Details = in.Details.validate(&e)
	in.Capacity = e.Text("capacity", in.Capacity, false, MaxCapacityLen)
	in.SolutionIDs = cleanIDs(&e, "solution_ids", in.SolutionIDs)
	in.ResourceIDs = cleanIDs(&e, "resource_ids", in.ResourceIDs)
	if in.Status = strings.TrimSpace(in.Status); in.Status == "" {
		in.Status = StatusOpen
	}
	in.Status = e.OneOf("status", in.Status, true, OfferStatuses...)
	return in, e.Err()
}

// cleanIDs keeps positive ids once each, in order.
func cleanIDs(e *validation.Error, field string, ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id <= 0 {
			e.Add(field, "matching.error.id", id)
			continue
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > MaxLinked {
		e.Add(field, "error.too_many", MaxLinked)
	}
	return out
}

// Person is who wrote or did something, as lists show them.
type Person struct {
	ID   int64 // 0 when the account is gone
	Name string
}

// CommunityRef is the community a need is attached to.
type CommunityRef struct {
	ID         int64
	Slug       string
	Name       string
	Visibility string
}

// Need is a stored need.
type Need struct {
	ID int64
	Details
	DescriptionHTML string
	Community       *CommunityRef // nil when attached to none
	TimeframeStart  string
	TimeframeEnd    string
	Status          string
	Author          Person
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Input returns the need as its author would write it, to fill an edit
// form.
func (n Need) Input() NeedInput {
	in := NeedInput{Details: n.Details, TimeframeStart: n.TimeframeStart, TimeframeEnd: n.TimeframeEnd}
	if n.Community != nil {
		in.Community = n.Community.Slug
	}
	return in
}

// Offer is a stored offer.
type Offer struct {
	ID int64
	Details
	DescriptionHTML string
	Capacity        string
	SolutionIDs     []int64
	ResourceIDs     []int64
	Status          string
	Author          Person
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Input returns the offer as its author would write it.
func (o Offer) Input() OfferInput {
	return OfferInput{Details: o.Details, Capacity: o.Capacity, SolutionIDs: o.SolutionIDs, ResourceIDs: o.ResourceIDs, Status: o.Status}
}

// institutionKey is the form in which institutions' names are compared:
// lower case, without accents, punctuation collapsed to single spaces, so
// "Ministério da Saúde" and "ministerio da saude" are one institution.
// With the country, it tells whether a need and an offer come from the
// same institution.
func institutionKey(name string) string {
	var b strings.Builder
	space := true
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// validURL reports whether s is an http or https address without spaces.
func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n<>\"")
}
