package report

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/taxonomy"
)

// Formats a report is exported in.
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
	FormatPDF  = "pdf"
)

// Formats lists the export formats.
var Formats = []string{FormatJSON, FormatCSV, FormatPDF}

// FileName is the name a download of the report takes, without extension:
// harambee-report-SLUG-FROM-TO (or harambee-site-report-...).
func (r Report) FileName() string {
	name := "harambee-site-report"
	if r.Community != nil {
		name = "harambee-report-" + r.Community.Slug
	}
	return name + "-" + r.From + "-" + r.To
}

// WriteJSON writes the report as the API answers it.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// table is one CSV file of the export.
type table struct {
	name string
	head []string
	rows [][]string
}

func itoa(n int) string { return strconv.Itoa(n) }

func shareText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Most first, then by key.
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// tables lays the report out as tables: one per list of the report.
func (r Report) tables() []table {
	scope := "site"
	if r.Community != nil {
		scope = r.Community.Slug
	}
	dev := ""
	if r.Members.DevelopingShare != nil {
		dev = shareText(r.Members.DevelopingShare)
	}
	summary := table{name: "summary", head: []string{"figure", "value"}, rows: [][]string{
		{"scope", scope}, {"from", r.From}, {"to", r.To}, {"generated_at", r.GeneratedAt.UTC().Format(time.RFC3339)},
		{"members", itoa(r.Members.Total)}, {"new_members", itoa(r.Members.New)}, {"members_left", itoa(r.Members.Left)},
		{"member_countries", itoa(len(r.Members.ByCountry))}, {"developing_share", dev}, {"developing_source", r.Members.DevelopingSource},
		{"events", itoa(r.Events.Count)}, {"registrants", itoa(r.Events.Registrants)}, {"attendees", itoa(r.Events.Attendees)},
		{"countries_reached", itoa(r.Events.CountriesReached)}, {"recording_views", itoa(r.Events.RecordingViews)},
		{"survey_responses", itoa(r.Surveys.Responses)}, {"agree_share", shareText(r.Surveys.AgreeShare)},
		{"threads", itoa(r.Content.Threads)}, {"posts", itoa(r.Content.Posts)}, {"resources", itoa(r.Content.Resources)}, {"solutions", itoa(r.Content.Solutions)},
		{"page_views", itoa(r.PageViews.Total)}, {"unique_visitors", itoa(r.PageViews.UniqueVisitors)},
		{"exchanges_south_south_share", strconv.FormatFloat(r.Exchanges.SouthSouthShare, 'f', 4, 64)},
		{"exchanges_triangular_share", strconv.FormatFloat(r.Exchanges.TriangularShare, 'f', 4, 64)},
	}}
	months := table{name: "members_by_month", head: []string{"month", "new", "left", "members_at_month_end"}}
	for i, m := range r.Members.ByMonth {
		months.rows = append(months.rows, []string{m.Month, itoa(r.Members.NewByMonth[i].Count), itoa(r.Members.LeftByMonth[i].Count), itoa(m.Count)})
	}
	countries := table{name: "members_by_country", head: []string{"country", "name", "region", "developing", "members"}}
	for _, cc := range sortedKeys(r.Members.ByCountry) {
		c, _ := taxonomy.CountryByCode(cc)
		countries.rows = append(countries.rows, []string{cc, taxonomy.CountryName(cc, "en"), c.Region, strconv.FormatBool(taxonomy.IsDeveloping(cc)), itoa(r.Members.ByCountry[cc])})
	}
	if r.Members.WithoutCountry > 0 {
		countries.rows = append(countries.rows, []string{"", "unknown", "", "", itoa(r.Members.WithoutCountry)})
	}
	regions := table{name: "members_by_region", head: []string{"region", "name", "members"}}
	for _, code := range sortedKeys(r.Members.ByRegion) {
		regions.rows = append(regions.rows, []string{code, taxonomy.RegionName(code, "en"), itoa(r.Members.ByRegion[code])})
	}
	types := table{name: "members_by_organization_type", head: []string{"organization_type", "members"}}
	for _, t := range sortedKeys(r.Members.ByOrganizationType) {
		types.rows = append(types.rows, []string{t, itoa(r.Members.ByOrganizationType[t])})
	}
	if r.Members.WithoutOrganizationType > 0 {
		types.rows = append(types.rows, []string{"", itoa(r.Members.WithoutOrganizationType)})
	}
	events := table{name: "events", head: []string{"id", "title", "kind", "starts_at", "registrants", "attendees", "registrants_attended", "no_shows",
		"walk_ins", "attendance_rate", "countries", "recording_views", "survey_responses", "agree_share", "relevant", "clear", "useful", "apply"}}
	for _, e := range r.Events.Items {
		events.rows = append(events.rows, []string{strconv.FormatInt(e.ID, 10), e.Title, e.Kind, e.StartsAt.UTC().Format(time.RFC3339),
			itoa(e.Registrants), itoa(e.Attendees), itoa(e.RegistrantsAttended), itoa(e.NoShows), itoa(e.WalkIns), shareText(e.AttendanceRate),
			itoa(e.Countries), itoa(e.RecordingViews), itoa(e.SurveyResponses), shareText(e.AgreeShare),
			shareText(e.AgreeByQuestion["relevant"]), shareText(e.AgreeByQuestion["clear"]), shareText(e.AgreeByQuestion["useful"]), shareText(e.AgreeByQuestion["apply"])})
	}
	attendees := table{name: "attendees_by_country", head: []string{"country", "name", "attendances"}}
	for _, cc := range sortedKeys(r.Events.AttendeesByCountry) {
		attendees.rows = append(attendees.rows, []string{cc, taxonomy.CountryName(cc, "en"), itoa(r.Events.AttendeesByCountry[cc])})
	}
	surveys := table{name: "survey_questions", head: []string{"question", "answers", "agree_share"}}
	for _, q := range r.Surveys.Questions {
		surveys.rows = append(surveys.rows, []string{q.ID, itoa(q.Answers), shareText(q.AgreeShare)})
	}
	views := table{name: "page_views_by_month", head: []string{"month", "views", "visitors"}}
	for _, m := range r.PageViews.ByMonth {
		views.rows = append(views.rows, []string{m.Month, itoa(m.Count), itoa(m.Visitors)})
	}
	pages := table{name: "top_pages", head: []string{"path", "views"}}
	for _, p := range r.PageViews.TopPages {
		pages.rows = append(pages.rows, []string{p.Path, itoa(p.Count)})
	}
	referrers := table{name: "top_referrers", head: []string{"host", "views"}}
	for _, h := range r.PageViews.TopReferrers {
		referrers.rows = append(referrers.rows, []string{h.Host, itoa(h.Count)})
	}
	audience := table{name: "page_views_by_audience", head: []string{"audience", "views"}}
	for _, a := range sortedKeys(r.PageViews.ByAudience) {
		audience.rows = append(audience.rows, []string{a, itoa(r.PageViews.ByAudience[a])})
	}
	sdgs := table{name: "sdg_coverage", head: []string{"goal", "solutions", "resources", "events"}}
	for _, g := range r.SDGs {
		sdgs.rows = append(sdgs.rows, []string{itoa(g.Goal), itoa(g.Solutions), itoa(g.Resources), itoa(g.Events)})
	}
	targets := table{name: "target_coverage", head: []string{"target", "solutions", "resources", "events"}}
	for _, t := range r.Targets {
		targets.rows = append(targets.rows, []string{t.Target, itoa(t.Solutions), itoa(t.Resources), itoa(t.Events)})
	}
	exchanges := table{name: "exchanges", head: []string{"dimension", "value", "count"}}
	for _, d := range []struct {
		name string
		m    map[string]int
	}{{"stage", r.Exchanges.ByStage}, {"target", r.Exchanges.ByTarget}, {"modality", r.Exchanges.ByModality}, {"outcome", r.Exchanges.Outcomes}} {
		for _, k := range sortedKeys(d.m) {
			exchanges.rows = append(exchanges.rows, []string{d.name, k, itoa(d.m[k])})
		}
	}
	flows := table{name: "exchange_flows", head: []string{"from", "to", "count"}}
	for _, f := range r.Exchanges.Flows {
		flows.rows = append(flows.rows, []string{f.From, f.To, itoa(f.Count)})
	}
	out := []table{summary, months, countries, regions, types, events, attendees, surveys, views, pages, referrers, audience, sdgs, targets, exchanges, flows}
	if r.Site {
		communities := table{name: "communities", head: []string{"slug", "name", "visibility", "members", "new_members", "events", "attendees", "page_views"}}
		for _, c := range r.Communities {
			communities.rows = append(communities.rows, []string{c.Slug, c.Name, c.Visibility, itoa(c.Members), itoa(c.NewMembers), itoa(c.Events), itoa(c.Attendees), itoa(c.PageViews)})
		}
		out = append(out, communities)
	}
	return out
}

// WriteZIP writes the report as CSV files, one per table, in a ZIP archive
// (UTF-8, comma-separated, a header row each).
func WriteZIP(w io.Writer, r Report) error {
	z := zip.NewWriter(w)
	for _, t := range r.tables() {
		f, err := z.CreateHeader(&zip.FileHeader{Name: t.name + ".csv", Method: zip.Deflate, Modified: r.GeneratedAt})
		if err != nil {
			return err
		}
		cw := csv.NewWriter(f)
		if err := cw.Write(t.head); err != nil {
			return err
		}
		for _, row := range t.rows {
			for i, v := range row {
				row[i] = csvSafe(v)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write %s: %w", t.name, err)
		}
	}
	return z.Close()
}

// csvSafe keeps a spreadsheet from reading a text (an event's title) as a
// formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' || (s[0] == '-' && len(s) > 1 && (s[1] < '0' || s[1] > '9'))) {
		return "'" + s
	}
	return s
}
