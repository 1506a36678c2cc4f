// Package report computes the impact reports of a community and of the
// whole site, from the raw records every time they are asked for: members
// from their membership periods, events from registrations and attendance,
// satisfaction from survey answers, content from threads, posts, resources
// and solutions, page views from the page-view records (and the daily totals
// of rolled-up days), exchanges from the matching package. Nothing is stored;
// readers who ask for a report while the same one is being computed share
// that computation.
//
// The report renders as JSON (the API's and the command line's), as CSV
// tables in a ZIP file, as a PDF annual report, and as inline SVG charts
// and a world map for the dashboards.
package report

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// MaxSpan is the longest period a report covers.
const MaxSpan = 10

// Period is the span a report covers: from From (inclusive) up to End
// (exclusive). Reports take whole days from the command line, the API and
// the pages ("2021-10-31" runs to the end of that day, UTC).
type Period struct {
	From time.Time
	End  time.Time
}

// key names the period in the key of a report being computed.
func (p Period) key() string {
	return strconv.FormatInt(p.From.UnixNano(), 10) + "-" + strconv.FormatInt(p.End.UnixNano(), 10)
}

// To is the last moment of the period.
func (p Period) To() time.Time { return p.End.Add(-time.Nanosecond) }

// LastDay is the day the period ends on, at midnight UTC.
func (p Period) LastDay() time.Time { return day(p.To()) }

// Months lists the months of the period, "YYYY-MM", oldest first.
func (p Period) Months() []string {
	var out []string
	last := p.To()
	for m := time.Date(p.From.Year(), p.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// parseBound reads a YYYY-MM-DD day or an RFC 3339 time as the contract's
// from/to filters take them; end makes a day run to its end.
func parseBound(s string, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if d, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			return d.AddDate(0, 0, 1), true
		}
		return d, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		t = t.UTC().Truncate(time.Microsecond)
		if end {
			return t.Add(time.Microsecond), true
		}
		return t, true
	}
	return time.Time{}, false
}

// ParsePeriod reads the from and to of a report. Without from the period
// starts on the day the community (or the site) began, but never more than
// MaxSpan years back; without to it ends today. A bad date, a to before
// from or a span over MaxSpan years is a validation error on the field.
func ParsePeriod(from, to string, began, now time.Time) (Period, error) {
	var e validation.Error
	p := Period{From: day(began), End: day(now).AddDate(0, 0, 1)}
	if strings.TrimSpace(to) != "" {
		t, ok := parseBound(to, true)
		if !ok {
			e.Add("to", "report.error.date")
		}
		p.End = t
	}
	if strings.TrimSpace(from) != "" {
		t, ok := parseBound(from, false)
		if !ok {
			e.Add("from", "report.error.date")
		}
		p.From = t
	} else if limit := p.End.AddDate(-MaxSpan, 0, 0); p.From.Before(limit) {
		p.From = limit
	}
	if err := e.Err(); err != nil {
		return p, err
	}
	switch {
	case p.From.Year() < 1900 || p.End.Year() > 9000:
		e.Add("from", "report.error.date")
	case !p.End.After(p.From):
		e.Add("to", "report.error.order")
	case p.End.After(p.From.AddDate(MaxSpan, 0, 0)):
		e.Add("to", "report.error.span", MaxSpan)
	}
	return p, e.Err()
}

// Year is the period of a calendar year, cut at today for the current one.
func Year(y int, now time.Time) Period {
	p := Period{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)}
	if today := day(now).AddDate(0, 0, 1); p.End.After(today) && p.From.Before(today) {
		p.End = today
	}
	return p
}

// MonthCount is a month ("2021-07") and a count.
type MonthCount struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

// Report is the report of a community, or of the whole site when
// Community is nil. The JSON field names are those of CONTRACT.md; the
// fields it does not name are additions.
type Report struct {
	Community   *CommunityRef `json:"community,omitempty"`
	Site        bool          `json:"site,omitempty"`
	From        string        `json:"from"` // YYYY-MM-DD
	To          string        `json:"to"`   // YYYY-MM-DD, inclusive
	GeneratedAt time.Time     `json:"generated_at"`
	Members     Members       `json:"members"`
	Events      Events        `json:"events"`
	Surveys     Surveys       `json:"surveys"`
	Content     Content       `json:"content"`
	PageViews   PageViews     `json:"page_views"`
	Exchanges   Exchanges     `json:"exchanges"`
	SDGs        []SDGCoverage `json:"sdgs"`
	Targets     []TargetCount `json:"targets"`
	// Communities lists every community with its key figures: the site
	// report only.
	Communities []CommunityFigures `json:"communities,omitempty"`

	Period Period `json:"-"`
}

// CommunityRef names the community of a report.
type CommunityRef struct {
	ID        int64     `json:"id"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Members are who belonged, counted on the period's last day, and who came
// and went during it.
type Members struct {
	// Total and the breakdowns count the members on the last day: joined
	// on or before it and not left.
	Total int `json:"total"`
	// New counts people who joined for the first time during the period;
	// a member who left and came back is not new again.
	New        int          `json:"new"`
	NewByMonth []MonthCount `json:"new_by_month"`
	// Left counts departures during the period.
	Left        int          `json:"left"`
	LeftByMonth []MonthCount `json:"left_by_month"`
	// ByMonth is the number of members at the end of each month.
	ByMonth                 []MonthCount   `json:"by_month"`
	ByCountry               map[string]int `json:"by_country"`
	ByRegion                map[string]int `json:"by_region"` // by UN M49 region code: 002 Africa, 019 Americas, 142 Asia, 150 Europe, 009 Oceania
	ByOrganizationType      map[string]int `json:"by_organization_type"`
	WithoutCountry          int            `json:"without_country"`
	WithoutOrganizationType int            `json:"without_organization_type"`
	// DevelopingShare is the share of members with a known country whose
	// country M49 classes as developing; null when none has a country.
	DevelopingShare  *float64 `json:"developing_share"`
	DevelopingSource string   `json:"developing_source"`
}

// Events are the period's published events: each event's distinct
// registrants and attendees summed, the distinct countries of all those
// attendees, recording views, and each event's funnel.
type Events struct {
	Count              int            `json:"count"`
	Registrants        int            `json:"registrants"`
	Attendees          int            `json:"attendees"`
	CountriesReached   int            `json:"countries_reached"`
	RecordingViews     int            `json:"recording_views"`
	Cancelled          int            `json:"cancelled"`
	Countries          []string       `json:"countries"`
	AttendeesByCountry map[string]int `json:"attendees_by_country"` // attendances per country, over all events
	Items              []EventFunnel  `json:"items"`
}

// EventFunnel is one event's figures: registered, attended, answered the
// survey.
type EventFunnel struct {
	ID                  int64     `json:"id"`
	Title               string    `json:"title"`
	Kind                string    `json:"kind"`
	StartsAt            time.Time `json:"starts_at"`
	Registrants         int       `json:"registrants"`
	Attendees           int       `json:"attendees"`
	RegistrantsAttended int       `json:"registrants_attended"`
	NoShows             int       `json:"no_shows"`
	WalkIns             int       `json:"walk_ins"`
	AttendanceRate      *float64  `json:"attendance_rate"`
	Countries           int       `json:"countries"`
	RecordingViews      int       `json:"recording_views"`
	SurveyResponses     int       `json:"survey_responses"`
	// AgreeShare is the share of the event's five-point answers that are 4
	// or 5, and AgreeByQuestion the same per question; null without answers.
	AgreeShare      *float64            `json:"agree_share"`
	AgreeByQuestion map[string]*float64 `json:"agree_by_question"`
}

// Surveys are the post-event surveys of the period's events.
type Surveys struct {
	Responses int `json:"responses"`
	// AgreeShare is the share of every five-point answer that is 4 or 5,
	// from 0 to 1; null when there is no answer.
	AgreeShare *float64        `json:"agree_share"`
	Answers    int             `json:"answers"`
	Questions  []QuestionShare `json:"questions"`
}

// QuestionShare is one five-point question over every survey of the
// period: the standard ones (relevant, clear, useful, apply) first.
type QuestionShare struct {
	ID         string   `json:"id"`
	Answers    int      `json:"answers"`
	AgreeShare *float64 `json:"agree_share"`
}

// Content is what members wrote and shared in the period, as every reader
// sees it (nothing deleted, hidden or held).
type Content struct {
	Threads   int `json:"threads"`
	Posts     int `json:"posts"`
	Resources int `json:"resources"`
	Solutions int `json:"solutions"`
}

// PageViews are the counted views of the community's pages (or the site's).
type PageViews struct {
	Total int `json:"total"`
	// UniqueVisitors adds up each day's distinct visitors.
	UniqueVisitors int            `json:"unique_visitors"`
	ByMonth        []MonthViews   `json:"by_month"`
	TopPages       []PathCount    `json:"top_pages"`
	TopReferrers   []HostCount    `json:"top_referrers"`
	ByAudience     map[string]int `json:"by_audience"`       // anonymous, account, member
	MemberCountry  map[string]int `json:"by_member_country"` // views by logged-in visitors, by their country
	MemberTypes    map[string]int `json:"by_member_organization_type"`
}

// MonthViews is a month's views and the sum of its days' distinct visitors.
type MonthViews struct {
	Month    string `json:"month"`
	Count    int    `json:"count"`
	Visitors int    `json:"visitors"`
}

// PathCount is a page and its views.
type PathCount struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

// HostCount is a referring site and the views it brought.
type HostCount struct {
	Host  string `json:"host"`
	Count int    `json:"count"`
}

// SDGCoverage is how many solutions, resources and events of the period
// serve a goal (events through their community's goals).
type SDGCoverage struct {
	Goal      int `json:"goal"`
	Solutions int `json:"solutions"`
	Resources int `json:"resources"`
	Events    int `json:"events"`
}

// TargetCount is how many solutions, resources and events serve a target.
type TargetCount struct {
	Target    string `json:"target"`
	Solutions int    `json:"solutions"`
	Resources int    `json:"resources"`
	Events    int    `json:"events"`
}

// CommunityFigures are a community's key figures in the site report.
type CommunityFigures struct {
	Slug       string `json:"slug"`
	Name       string `json:"name"`
	Visibility string `json:"visibility"`
	Members    int    `json:"members"`
	NewMembers int    `json:"new_members"`
	Events     int    `json:"events"`
	Attendees  int    `json:"attendees"`
	PageViews  int    `json:"page_views"`
}

// Exchanges are the country-to-country exchanges of the period, as the
// matching capability counts them (CONTRACT.md: an exchange belongs to the
// community its need is attached to; flows count held exchanges from the
// offering country to the requesting one).
type Exchanges struct {
	ByStage         map[string]int `json:"by_stage"`
	ByTarget        map[string]int `json:"by_target"`
	ByModality      map[string]int `json:"by_modality"`
	Flows           []Flow         `json:"flows"`
	SouthSouthShare float64        `json:"south_south_share"`
	TriangularShare float64        `json:"triangular_share"`
	Outcomes        map[string]int `json:"outcomes"`
}

// Flow is a number of held exchanges from one country to another.
type Flow struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// ExchangeSource counts the exchanges of a community (communityID 0: of
// the whole site) in the period.
type ExchangeSource func(ctx context.Context, q sqldb.Querier, communityID int64, p Period) (Exchanges, error)

// ExchangesFrom is the hook of the matching capability (internal/matching):
// set it once, when the application is wired, to the function that counts
// exchanges. While it is nil, reports carry an exchanges block of zeros and
// empty lists.
var ExchangesFrom ExchangeSource

func emptyExchanges() Exchanges {
	return Exchanges{ByStage: map[string]int{}, ByTarget: map[string]int{}, ByModality: map[string]int{}, Flows: []Flow{}, Outcomes: map[string]int{}}
}
