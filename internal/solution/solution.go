// Package solution holds the solutions catalogue: South-South and triangular
// good practices, each a catalogue record (challenge, solution, results,
// countries, SDGs and targets, status, period, partners, contacts), with
// faceted browsing, a ranking of similar solutions, a change history, and
// import and export as CSV and JSON.
//
// Every write goes through Input.Validate; the web pages, the JSON API, the
// command line import and the demo all call the same Store methods.
package solution

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Statuses of a solution.
const (
	StatusOngoing   = "ongoing"
	StatusCompleted = "completed"
)

// Modalities of cooperation.
const (
	ModalitySouthSouth = "south_south"
	ModalityTriangular = "triangular"
)

// Statuses and Modalities list the allowed values, in the order forms show
// them.
var (
	Statuses   = []string{StatusOngoing, StatusCompleted}
	Modalities = []string{ModalitySouthSouth, ModalityTriangular}
)

// Global is the value of the country filter and facet that stands for
// solutions marked global: they are in no country and no region.
const Global = "global"

// Limits on what a record holds.
const (
	MaxTitleLen     = 200
	MaxTaglineLen   = 300
	MaxTextLen      = 20000 // challenge, solution, results
	MaxNotesLen     = 10000 // lessons, replicability
	MaxNameLen      = 200   // partner and contact names, titles, organisations
	MaxURLLen       = 500
	MaxPartners     = 30
	MaxContacts     = 20
	MaxTargets      = 60
	MaxCommunities  = 20
	MinYear         = 1950
	MaxYear         = 2100
	staleAfterYears = 1
)

// Contact is someone to ask about a solution, by name or by role.
type Contact struct {
	Name         string // a person's name; may be empty when Title names the role
	Title        string // role or job title ("Programme Manager")
	Organization string
	Email        string // shown only to logged-in members
}

// Month is a calendar month, enough for a project period ("2018-02"). The
// zero Month means not known.
type Month struct {
	Year  int
	Month time.Month
}

var monthRE = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})$`)

// ParseMonth reads "YYYY-MM"; it reports false for anything else, and for
// years outside MinYear to MaxYear.
func ParseMonth(s string) (Month, bool) {
	m := monthRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Month{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if y < MinYear || y > MaxYear || mo < 1 || mo > 12 {
		return Month{}, false
	}
	return Month{Year: y, Month: time.Month(mo)}, true
}

// IsZero reports whether the month is unknown.
func (m Month) IsZero() bool { return m.Year == 0 }

// String returns "YYYY-MM", or "" for the zero Month.
func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}

// Time returns the first day of the month, in UTC.
func (m Month) Time() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

// Before reports whether m is earlier than o.
func (m Month) Before(o Month) bool {
	return m.Year < o.Year || m.Year == o.Year && m.Month < o.Month
}

// Input is a solution as an editor writes it, with the field names of the
// API and of import files. Validate checks and cleans it.
type Input struct {
	Title         string
	Tagline       string
	Challenge     string // Markdown: the problem the solution answers
	Approach      string // Markdown: the solution itself, how it works ("solution")
	Results       string // Markdown: evidence and figures
	Lessons       string // Markdown, optional: lessons learned
	Replicability string // Markdown, optional: what it takes to adapt it elsewhere
	Countries     []string
	Global        bool // in no particular country: for every country, or worldwide
	Modality      string
	PrimarySDG    int
	SecondarySDGs []int
	Targets       []string // "3.3", "3.b"
	Status        string
	StartDate     string // YYYY-MM
	EndDate       string // YYYY-MM
	SupportedBy   []string
	Implementers  []string // implementing entities
	Contacts      []Contact
	URL           string
	Language      string   // ISO 639-1 code of the language the record is written in
	Communities   []string // slugs of the communities that showcase it
}

// Fields of Input by their API names, in the order of a record, for change
// histories and messages.
var fieldNames = []string{
	"title", "tagline", "challenge", "solution", "results", "lessons", "replicability",
	"countries", "global", "modality", "primary_sdg", "secondary_sdgs", "sdg_targets", "status",
	"start_date", "end_date", "supported_by", "implementing_entities", "contacts", "url", "language", "communities",
}

// field returns the value of the field with the API name, for comparison.
func (in Input) field(name string) any {
	switch name {
	case "title":
		return in.Title
	case "tagline":
		return in.Tagline
	case "challenge":
		return in.Challenge
	case "solution":
		return in.Approach
	case "results":
		return in.Results
	case "lessons":
		return in.Lessons
	case "replicability":
		return in.Replicability
	case "countries":
		return strings.Join(in.Countries, ";")
	case "global":
		return in.Global
	case "modality":
		return in.Modality
	case "primary_sdg":
		return in.PrimarySDG
	case "secondary_sdgs":
		return fmt.Sprint(in.SecondarySDGs)
	case "sdg_targets":
		return strings.Join(in.Targets, ";")
	case "status":
		return in.Status
	case "start_date":
		return in.StartDate
	case "end_date":
		return in.EndDate
	case "supported_by":
		return strings.Join(in.SupportedBy, "\x00")
	case "implementing_entities":
		return strings.Join(in.Implementers, "\x00")
	case "contacts":
		return fmt.Sprintf("%q", in.Contacts)
	case "url":
		return in.URL
	case "language":
		return in.Language
	case "communities":
		return strings.Join(in.Communities, ";")
	}
	panic("solution: unknown field " + name)
}

// changedFields lists the fields, by API name, in which two cleaned inputs
// differ.
func changedFields(old, new Input) []string {
	var out []string
	for _, f := range fieldNames {
		if old.field(f) != new.field(f) {
			out = append(out, f)
		}
	}
	return out
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Validate checks a record and returns it cleaned: text trimmed, country
// codes upper case and sorted, SDGs and targets without duplicates and in
// the official order, months as YYYY-MM, the language in lower case (English
// when none is given). Fields that fail carry API names (primary_sdg,
// sdg_targets...) and catalogue keys.
func (in Input) Validate() (Input, error) {
	var e validation.Error
	in.Title = e.Text("title", in.Title, true, MaxTitleLen)
	in.Tagline = e.Text("tagline", in.Tagline, false, MaxTaglineLen)
	in.Challenge = e.LongText("challenge", in.Challenge, true, MaxTextLen)
	in.Approach = e.LongText("solution", in.Approach, true, MaxTextLen)
	in.Results = e.LongText("results", in.Results, false, MaxTextLen)
	in.Lessons = e.LongText("lessons", in.Lessons, false, MaxNotesLen)
	in.Replicability = e.LongText("replicability", in.Replicability, false, MaxNotesLen)

	countries := make([]string, 0, len(in.Countries))
	for _, c := range in.Countries {
		if strings.TrimSpace(c) == "" {
			continue
		}
		cc, ok := taxonomy.NormalizeCountry(c)
		if !ok {
			e.Add("countries", "solution.error.country", strings.TrimSpace(c))
			continue
		}
		if !slices.Contains(countries, cc) {
			countries = append(countries, cc)
		}
	}
	sort.Strings(countries)
	in.Countries = countries
	switch {
	case in.Global && len(countries) > 0:
		e.Add("countries", "solution.error.global_and_countries")
	case !in.Global && len(countries) == 0 && !e.Has("countries"):
		e.Add("countries", "solution.error.countries_required")
	}

	in.Modality = e.OneOf("modality", in.Modality, true, Modalities...)
	in.Status = e.OneOf("status", in.Status, true, Statuses...)

	switch {
	case in.PrimarySDG == 0:
		e.Add("primary_sdg", "error.required")
	case !taxonomy.ValidGoal(in.PrimarySDG):
		e.Add("primary_sdg", "solution.error.sdg", in.PrimarySDG)
	}
	secondary := make([]int, 0, len(in.SecondarySDGs))
	for _, g := range in.SecondarySDGs {
		if !taxonomy.ValidGoal(g) {
			e.Add("secondary_sdgs", "solution.error.sdg", g)
			continue
		}
		if g != in.PrimarySDG && !slices.Contains(secondary, g) {
			secondary = append(secondary, g)
		}
	}
	sort.Ints(secondary)
	in.SecondarySDGs = secondary

	targets := make([]string, 0, len(in.Targets))
	for _, code := range in.Targets {
		if strings.TrimSpace(code) == "" {
			continue
		}
		t, ok := taxonomy.TargetByCode(code)
		switch {
		case !ok:
			e.Add("sdg_targets", "solution.error.target", strings.TrimSpace(code))
			continue
		case t.Goal != in.PrimarySDG && !slices.Contains(secondary, t.Goal) && !e.Has("primary_sdg"):
			e.Add("sdg_targets", "solution.error.target_goal", t.Code, t.Goal)
			continue
		}
		if !slices.Contains(targets, t.Code) {
			targets = append(targets, t.Code)
		}
	}
	if len(targets) > MaxTargets {
		e.Add("sdg_targets", "error.too_many", MaxTargets)
	}
	in.Targets = sortTargets(targets)

	var start, end Month
	if in.StartDate = strings.TrimSpace(in.StartDate); in.StartDate != "" {
		var ok bool
		if start, ok = ParseMonth(in.StartDate); !ok {
			e.Add("start_date", "solution.error.month")
		}
	}
	if in.EndDate = strings.TrimSpace(in.EndDate); in.EndDate != "" {
		var ok bool
		if end, ok = ParseMonth(in.EndDate); !ok {
			e.Add("end_date", "solution.error.month")
		} else if !start.IsZero() && end.Before(start) {
			e.Add("end_date", "solution.error.end_before_start")
		}
	}

	in.SupportedBy = names(&e, "supported_by", in.SupportedBy)
	in.Implementers = names(&e, "implementing_entities", in.Implementers)

	contacts := make([]Contact, 0, len(in.Contacts))
	for i, c := range in.Contacts {
		var ce validation.Error
		c.Name = ce.Text("name", c.Name, false, MaxNameLen)
		c.Title = ce.Text("title", c.Title, false, MaxNameLen)
		c.Organization = ce.Text("organization", c.Organization, false, MaxNameLen)
		c.Email = ce.Email("email", c.Email, false)
		if c == (Contact{}) {
			continue
		}
		switch {
		case ce.Has("email"):
			e.Add("contacts", "solution.error.contact_email", i+1)
		case ce.Err() != nil:
			e.Add("contacts", "solution.error.contact_text", i+1, MaxNameLen)
		case c.Name == "" && c.Title == "":
			e.Add("contacts", "solution.error.contact_who", i+1)
		case strings.ContainsAny(c.Name+c.Title+c.Organization, "|;"):
			e.Add("contacts", "solution.error.contact_separator", i+1)
		}
		contacts = append(contacts, c)
	}
	if len(contacts) > MaxContacts {
		e.Add("contacts", "error.too_many", MaxContacts)
	}
	in.Contacts = contacts

	if in.URL = strings.TrimSpace(in.URL); in.URL != "" {
		u, err := url.Parse(in.URL)
		switch {
		case len(in.URL) > MaxURLLen:
			e.Add("url", "error.too_long", MaxURLLen)
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(in.URL, " \t\r\n<>\""):
			e.Add("url", "solution.error.url")
		}
	}

	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	if in.Language == "" {
		in.Language = "en"
	}
	if !taxonomy.ValidLanguage(in.Language) {
		e.Add("language", "error.language", in.Language)
	}

	slugs := make([]string, 0, len(in.Communities))
	for _, s := range in.Communities {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" || slices.Contains(slugs, s) {
			continue
		}
		if !slugRE.MatchString(s) || len(s) > 100 {
			e.Add("communities", "solution.error.community", s)
			continue
		}
		slugs = append(slugs, s)
	}
	if len(slugs) > MaxCommunities {
		e.Add("communities", "error.too_many", MaxCommunities)
	}
	in.Communities = slugs
	return in, e.Err()
}

// names checks a list of organisation names: trimmed, without duplicates,
// without the ";" that separates list items in CSV files.
func names(e *validation.Error, field string, list []string) []string {
	out := make([]string, 0, len(list))
	for _, n := range list {
		var ne validation.Error
		n = ne.Text(field, n, false, MaxNameLen)
		if m, bad := ne.Fields[field]; bad {
			e.Add(field, m.Key, m.Args...)
			continue
		}
		if n == "" || slices.Contains(out, n) {
			continue
		}
		if strings.Contains(n, ";") {
			e.Add(field, "solution.error.separator")
			continue
		}
		out = append(out, n)
	}
	if len(out) > MaxPartners {
		e.Add(field, "error.too_many", MaxPartners)
	}
	return out
}

// sortTargets orders target codes as the UN lists them: by goal, numbered
// targets in numeric order, then lettered ones.
func sortTargets(codes []string) []string {
	taxonomy.SortTargetCodes(codes)
	return codes
}

// Community is a community that showcases a solution.
type Community struct {
	ID         int64
	Slug       string
	Name       string
	Visibility string // public, members or private
}

// Solution is a stored catalogue record. Lists (browse, similar, country
// pages) fill in the summary: everything but the long texts, partners,
// contacts and communities.
type Solution struct {
	ID                                                                       int64
	Title, Tagline                                                           string
	Challenge, Approach, Results, Lessons, Replicability                     string // Markdown
	ChallengeHTML, ApproachHTML, ResultsHTML, LessonsHTML, ReplicabilityHTML string // rendered and sanitised
	Countries                                                                []string
	Global                                                                   bool
	Regions                                                                  []string // M49 areas of the countries, every level
	Modality                                                                 string
	PrimarySDG                                                               int
	SecondarySDGs                                                            []int
	Targets                                                                  []string
	Status                                                                   string
	Start, End                                                               Month
	SupportedBy, Implementers                                                []string
	Contacts                                                                 []Contact
	URL                                                                      string
	Language                                                                 string
	Communities                                                              []Community
	ArchivedAt                                                               *time.Time
	CreatedAt, UpdatedAt                                                     time.Time
}

// SDGs returns every goal the solution serves, the primary one first.
func (s Solution) SDGs() []int {
	return append([]int{s.PrimarySDG}, s.SecondarySDGs...)
}

// Archived reports whether the record was archived.
func (s Solution) Archived() bool { return s.ArchivedAt != nil }

// Stale reports whether the record has not been updated for a year, so
// that editors check it is still right.
func (s Solution) Stale(now time.Time) bool {
	return s.UpdatedAt.Before(now.AddDate(-staleAfterYears, 0, 0))
}

// Input returns the record as an editor would write it, to fill in an edit
// form or to compare with a change.
func (s Solution) Input() Input {
	in := Input{
		Title: s.Title, Tagline: s.Tagline, Challenge: s.Challenge, Approach: s.Approach, Results: s.Results,
		Lessons: s.Lessons, Replicability: s.Replicability, Countries: nonNil(s.Countries), Global: s.Global,
		Modality: s.Modality, PrimarySDG: s.PrimarySDG, SecondarySDGs: s.SecondarySDGs, Targets: nonNil(s.Targets),
		Status: s.Status, StartDate: s.Start.String(), EndDate: s.End.String(),
		SupportedBy: nonNil(s.SupportedBy), Implementers: nonNil(s.Implementers), Contacts: s.Contacts,
		URL: s.URL, Language: s.Language,
	}
	if in.SecondarySDGs == nil {
		in.SecondarySDGs = []int{}
	}
	if in.Contacts == nil {
		in.Contacts = []Contact{}
	}
	in.Communities = []string{}
	for _, c := range s.Communities {
		in.Communities = append(in.Communities, c.Slug)
	}
	return in
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Editor is who makes a change: a member allowed to edit the catalogue, or
// the system (UserID 0) for command-line imports and the demo. Via says
// through what: web, api, import or demo.
type Editor struct {
	UserID int64
	Via    string
}

// Ways a change is made, as the history shows them.
const (
	ViaWeb    = "web"
	ViaAPI    = "api"
	ViaImport = "import"
	ViaDemo   = "demo"
)

// EditorFor returns the editor a member acts as, or an error: not logged in
// (account.ErrUnauthenticated) or not allowed to edit the catalogue
// (account.ErrForbidden). Only site administrators and members with the
// editor role may change the catalogue.
func EditorFor(u *account.User, via string) (Editor, error) {
	if u == nil {
		return Editor{}, account.ErrUnauthenticated
	}
	if !u.CanEditCatalogue() {
		return Editor{}, account.ErrForbidden
	}
	return Editor{UserID: u.ID, Via: via}, nil
}

// CanEdit reports whether a reader (nil when anonymous) may edit the
// catalogue, to show or hide the editing links.
func CanEdit(u *account.User) bool { return u != nil && u.CanEditCatalogue() }

// Change is one entry of a record's history.
type Change struct {
	At       time.Time
	Action   string   // created, updated, archived, restored, reviewed
	Fields   []string // for updates, the fields that changed (API names)
	Via      string
	UserID   int64 // 0 for the system
	UserName string
}

// Actions recorded in the history.
const (
	ActionCreated  = "created"
	ActionUpdated  = "updated"
	ActionArchived = "archived"
	ActionRestored = "restored"
	ActionReviewed = "reviewed" // checked and found still right
)

// ErrTooLarge is returned for an import file over the size limit.
var ErrTooLarge = errors.New("file too large")
