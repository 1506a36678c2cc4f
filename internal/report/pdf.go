package report

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
)

// PDF lays the report out as an annual report on A4 pages in the reader's
// language: a title page, the key figures, charts and the world map, the
// tables, and the list of events with their figures.
func PDF(r Report, l *i18n.Localizer, siteName string) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(r.GeneratedAt)
	pdf.SetModificationDate(r.GeneratedAt)
	title := l.T("report.pdf.site_title")
	if r.Community != nil {
		title = r.Community.Name
	}
	pdf.SetTitle(l.T("report.pdf.title")+": "+title, true)
	pdf.SetAuthor(siteName, true)
	pdf.SetCreator(siteName, true)
	pdf.AddUTF8FontFromBytes("body", "", event.Font())
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	period := l.T("report.period_value", l.Date(r.Period.From), l.Date(r.Period.LastDay()))
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("body", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, title+" · "+period+" · "+strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	num := func(n int) string { return l.Number(int64(n)) }
	pct := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return l.Percent(*v)
	}
	text := func(size float64, h float64, s string, r, g, b int) {
		pdf.SetFont("body", "", size)
		pdf.SetTextColor(r, g, b)
		pdf.MultiCell(0, h, s, "", "L", false)
	}
	heading := func(s string) {
		if pdf.GetY() > 250 {
			pdf.AddPage()
		}
		pdf.Ln(4)
		text(15, 8, s, 11, 83, 148)
		pdf.Ln(1)
	}

	// Title page.
	pdf.AddPage()
	pdf.SetY(70)
	text(12, 6, siteName, 90, 90, 90)
	pdf.Ln(4)
	text(28, 13, l.T("report.pdf.title"), 11, 83, 148)
	pdf.Ln(2)
	text(20, 10, title, 0, 0, 0)
	pdf.Ln(6)
	text(13, 7, period, 40, 40, 40)
	pdf.SetY(250)
	text(9, 5, l.T("report.pdf.generated", l.Date(r.GeneratedAt)), 90, 90, 90)
	text(9, 5, l.T("report.pdf.method"), 90, 90, 90)

	// Key figures.
	pdf.AddPage()
	heading(l.T("report.key_figures"))
	figures := keyFigures(r, l)
	const cols, boxW, boxH = 3, 56.6, 24
	for i, f := range figures {
		x := 18 + float64(i%cols)*(boxW+2)
		y := pdf.GetY()
		if i%cols == 0 && i > 0 {
			y += boxH + 2
			pdf.SetY(y)
		}
		pdf.SetDrawColor(201, 209, 217)
		pdf.SetFillColor(243, 246, 249)
		pdf.Rect(x, y, boxW, boxH, "FD")
		pdf.SetXY(x+3, y+3)
		pdf.SetFont("body", "", 17)
		pdf.SetTextColor(11, 83, 148)
		pdf.CellFormat(boxW-6, 8, f.Value, "", 2, "L", false, 0, "")
		pdf.SetX(x + 3)
		pdf.SetFont("body", "", 8.5)
		pdf.SetTextColor(40, 40, 40)
		pdf.MultiCell(boxW-6, 4, f.Label, "", "L", false)
		pdf.SetY(y)
	}
	pdf.SetY(pdf.GetY() + boxH + 6)
	if r.Members.DevelopingSource != "" {
		text(7.5, 3.8, l.T("report.developing_note", r.Members.DevelopingSource), 90, 90, 90)
	}

	// Charts.
	heading(l.T("report.chart.members"))
	monthly := func(vals []int, line bool) {
		const x0, w, h = 30.0, 158.0, 45.0
		y0 := pdf.GetY() + 2
		maxV := 0.0
		for _, v := range vals {
			maxV = math.Max(maxV, float64(v))
		}
		maxV = niceMax(maxV)
		pdf.SetDrawColor(140, 150, 160)
		pdf.SetFont("body", "", 7)
		pdf.SetTextColor(60, 60, 60)
		for i := 0; i <= 2; i++ {
			gy := y0 + h - h*float64(i)/2
			pdf.Line(x0, gy, x0+w, gy)
			pdf.SetXY(x0-14, gy-2)
			pdf.CellFormat(12, 4, l.Number(int64(maxV*float64(i)/2)), "", 0, "R", false, 0, "")
		}
		if len(vals) == 0 {
			pdf.SetY(y0 + h + 8)
			return
		}
		step := w / float64(len(vals))
		pdf.SetFillColor(47, 127, 193)
		pdf.SetDrawColor(47, 127, 193)
		var prev fpdf.PointType
		for i, v := range vals {
			bh := float64(v) / maxV * h
			if line {
				pt := fpdf.PointType{X: x0 + step*(float64(i)+.5), Y: y0 + h - bh}
				if i > 0 {
					pdf.SetLineWidth(.6)
					pdf.Line(prev.X, prev.Y, pt.X, pt.Y)
					pdf.SetLineWidth(.2)
				}
				prev = pt
			} else if bh > 0 {
				pdf.Rect(x0+step*float64(i)+step*.1, y0+h-bh, step*.8, bh, "F")
			}
		}
		// Year labels under January (and the first month).
		for i, m := range r.Members.ByMonth {
			if i == 0 || strings.HasSuffix(m.Month, "-01") {
				pdf.SetXY(x0+step*float64(i), y0+h+1)
				pdf.CellFormat(12, 4, m.Month[:4], "", 0, "L", false, 0, "")
			}
		}
		pdf.SetY(y0 + h + 8)
	}
	values := func(ms []MonthCount) []int {
		out := make([]int, len(ms))
		for i, m := range ms {
			out[i] = m.Count
		}
		return out
	}
	monthly(values(r.Members.ByMonth), true)
	heading(l.T("report.chart.new_members"))
	monthly(values(r.Members.NewByMonth), false)
	heading(l.T("report.chart.page_views"))
	pv := make([]int, len(r.PageViews.ByMonth))
	for i, m := range r.PageViews.ByMonth {
		pv[i] = m.Count
	}
	monthly(pv, false)

	// The world map of members.
	pdf.AddPage()
	heading(l.T("report.map.members"))
	drawMap(pdf, r.Members.ByCountry, 18, pdf.GetY()+2, 174)
	pdf.SetY(pdf.GetY() + 174*float64(worldMapHeight)/worldMapWidth + 8)
	classes := mapClasses(r.Members.ByCountry)
	pdf.SetFont("body", "", 8)
	pdf.SetTextColor(40, 40, 40)
	for _, cl := range classes {
		rr, gg, bb := hexRGB(cl.Colour)
		pdf.SetFillColor(rr, gg, bb)
		pdf.Rect(pdf.GetX(), pdf.GetY()+.5, 4, 4, "F")
		label := l.Number(int64(cl.Min))
		if cl.Max != cl.Min {
			label += "–" + l.Number(int64(cl.Max))
		}
		pdf.SetX(pdf.GetX() + 5)
		pdf.CellFormat(22, 5, label, "", 0, "L", false, 0, "")
	}
	pdf.Ln(8)

	// Tables.
	table := func(head []string, widths []float64, rows [][]string) {
		pdf.SetFont("body", "", 8.5)
		pdf.SetFillColor(243, 246, 249)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetDrawColor(201, 209, 217)
		for i, h := range head {
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(widths[i], 6, h, "B", 0, align, true, 0, "")
		}
		pdf.Ln(-1)
		for _, row := range rows {
			if pdf.GetY() > 270 {
				pdf.AddPage()
			}
			for i, v := range row {
				align := "R"
				if i == 0 {
					align = "L"
					if w := pdf.GetStringWidth(v); w > widths[0]-2 {
						for len([]rune(v)) > 1 && pdf.GetStringWidth(v+"…") > widths[0]-2 {
							rs := []rune(v)
							v = string(rs[:len(rs)-1])
						}
						v += "…"
					}
				}
				pdf.CellFormat(widths[i], 5.5, v, "B", 0, align, false, 0, "")
			}
			pdf.Ln(-1)
		}
		pdf.Ln(2)
	}
	heading(l.T("report.members.by_region"))
	var rows [][]string
	for _, code := range sortedKeys(r.Members.ByRegion) {
		rows = append(rows, []string{taxonomy.RegionName(code, l.Lang()), num(r.Members.ByRegion[code])})
	}
	table([]string{l.T("report.column.region"), l.T("report.column.members")}, []float64{120, 54}, rows)
	heading(l.T("report.members.by_organization_type"))
	rows = nil
	for _, t := range sortedKeys(r.Members.ByOrganizationType) {
		rows = append(rows, []string{l.T("orgtype." + t), num(r.Members.ByOrganizationType[t])})
	}
	table([]string{l.T("report.column.organization_type"), l.T("report.column.members")}, []float64{120, 54}, rows)
	heading(l.T("report.members.by_country"))
	rows = nil
	for _, cc := range sortedKeys(r.Members.ByCountry) {
		rows = append(rows, []string{taxonomy.CountryName(cc, l.Lang()), num(r.Members.ByCountry[cc])})
	}
	table([]string{l.T("report.column.country"), l.T("report.column.members")}, []float64{120, 54}, rows)

	// Events.
	pdf.AddPage()
	heading(l.T("report.events.title"))
	rows = nil
	for _, e := range r.Events.Items {
		rows = append(rows, []string{e.StartsAt.UTC().Format("2006-01-02") + "  " + e.Title, num(e.Registrants), num(e.Attendees), pct(e.AttendanceRate),
			num(e.Countries), num(e.RecordingViews), pct(e.AgreeShare)})
	}
	table([]string{l.T("report.column.event"), l.T("report.column.registrants"), l.T("report.column.attendees"), l.T("report.column.rate"),
		l.T("report.column.countries"), l.T("report.column.views"), l.T("report.column.agree")}, []float64{74, 18, 18, 16, 16, 16, 16}, rows)
	heading(l.T("report.surveys.title"))
	rows = nil
	for _, q := range r.Surveys.Questions {
		rows = append(rows, []string{questionLabel(l, q.ID), num(q.Answers), pct(q.AgreeShare)})
	}
	table([]string{l.T("report.column.question"), l.T("report.column.answers"), l.T("report.column.agree")}, []float64{110, 32, 32}, rows)

	// Page views and content.
	heading(l.T("report.page_views.top_pages"))
	rows = nil
	for _, p := range r.PageViews.TopPages {
		rows = append(rows, []string{p.Path, num(p.Count)})
	}
	table([]string{l.T("report.column.page"), l.T("report.column.views")}, []float64{140, 34}, rows)
	heading(l.T("report.content.title"))
	table([]string{l.T("report.column.content"), l.T("report.column.count")}, []float64{140, 34}, [][]string{
		{l.T("report.content.threads"), num(r.Content.Threads)}, {l.T("report.content.posts"), num(r.Content.Posts)},
		{l.T("report.content.resources"), num(r.Content.Resources)}, {l.T("report.content.solutions"), num(r.Content.Solutions)},
	})
	if len(r.SDGs) > 0 {
		heading(l.T("report.sdgs.title"))
		rows = nil
		for _, g := range r.SDGs {
			label := strconv.Itoa(g.Goal)
			if goal, ok := taxonomy.GoalByNumber(g.Goal); ok {
				label = l.T("sdg.option", g.Goal, goal.Short(l.Lang()))
			}
			rows = append(rows, []string{label, num(g.Solutions), num(g.Resources), num(g.Events)})
		}
		table([]string{l.T("report.column.goal"), l.T("report.content.solutions"), l.T("report.content.resources"), l.T("report.events.title")}, []float64{92, 27, 27, 28}, rows)
	}
	if r.Site && len(r.Communities) > 0 {
		heading(l.T("report.communities.title"))
		rows = nil
		for _, c := range r.Communities {
			rows = append(rows, []string{c.Name, num(c.Members), num(c.NewMembers), num(c.Events), num(c.Attendees), num(c.PageViews)})
		}
		table([]string{l.T("report.column.community"), l.T("report.column.members"), l.T("report.column.new"), l.T("report.events.title"),
			l.T("report.column.attendees"), l.T("report.column.views")}, []float64{74, 20, 20, 20, 20, 20}, rows)
	}

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("lay out the annual report: %w", err)
	}
	return buf.Bytes(), nil
}

// Figure is one key figure: its value, formatted, and what it counts.
type Figure struct {
	Key   string // its name, as managers choose figures for the public page
	Value string
	Label string
}

// FigureKeys are the names of the key figures, in order.
var FigureKeys = []string{"members", "new_members", "member_countries", "developing_share", "events", "registrants", "attendees",
	"countries_reached", "recording_views", "agree_share", "page_views", "unique_visitors", "threads", "resources", "solutions"}

// keyFigures lists the key figures of a report in the reader's language.
func keyFigures(r Report, l *i18n.Localizer) []Figure {
	num := func(n int) string { return l.Number(int64(n)) }
	pct := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return l.Percent(*v)
	}
	values := map[string]string{
		"members": num(r.Members.Total), "new_members": num(r.Members.New), "member_countries": num(len(r.Members.ByCountry)),
		"developing_share": pct(r.Members.DevelopingShare), "events": num(r.Events.Count), "registrants": num(r.Events.Registrants),
		"attendees": num(r.Events.Attendees), "countries_reached": num(r.Events.CountriesReached), "recording_views": num(r.Events.RecordingViews),
		"agree_share": pct(r.Surveys.AgreeShare), "page_views": num(r.PageViews.Total), "unique_visitors": num(r.PageViews.UniqueVisitors),
		"threads": num(r.Content.Threads + r.Content.Posts), "resources": num(r.Content.Resources), "solutions": num(r.Content.Solutions),
	}
	out := make([]Figure, 0, len(FigureKeys))
	for _, k := range FigureKeys {
		out = append(out, Figure{Key: k, Value: values[k], Label: l.T("report.figure." + k)})
	}
	return out
}

// KeyFigures lists the report's key figures, or those named in only, in
// the reader's language.
func KeyFigures(r Report, l *i18n.Localizer, only []string) []Figure {
	all := keyFigures(r, l)
	if only == nil {
		return all
	}
	want := map[string]bool{}
	for _, k := range only {
		want[k] = true
	}
	out := all[:0:0]
	for _, f := range all {
		if want[f.Key] {
			out = append(out, f)
		}
	}
	return out
}

// questionLabel names a survey question: the standard ones by their
// translated short name, others by their id.
func questionLabel(l *i18n.Localizer, id string) string {
	if msg, ok := i18n.Message(l.Lang(), "survey.short."+id); ok {
		return msg
	}
	return id
}

// QuestionLabel names a survey question in the reader's language.
func QuestionLabel(l *i18n.Localizer, id string) string { return questionLabel(l, id) }

func hexRGB(h string) (int, int, int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(h, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

// drawMap draws the world map shaded by counts, width w mm wide at x, y.
func drawMap(pdf *fpdf.Fpdf, counts map[string]int, x, y, w float64) {
	s := w / worldMapWidth
	classes := mapClasses(counts)
	fill := func(colour string, d string) {
		rr, gg, bb := hexRGB(colour)
		pdf.SetFillColor(rr, gg, bb)
		for _, ring := range parsePath(d) {
			pts := make([]fpdf.PointType, len(ring))
			for i, p := range ring {
				pts[i] = fpdf.PointType{X: x + p[0]*s, Y: y + (p[1]-worldMapTop)*s}
			}
			pdf.Polygon(pts, "F")
		}
	}
	fill(mapEmpty, worldMapLand)
	codes := make([]string, 0, len(worldMapPaths))
	for cc := range worldMapPaths {
		codes = append(codes, cc)
	}
	sort.Strings(codes)
	for _, cc := range codes {
		colour := mapEmpty
		if n := counts[cc]; n > 0 {
			for _, cl := range classes {
				if n >= cl.Min && n <= cl.Max {
					colour = cl.Colour
				}
			}
		}
		fill(colour, worldMapPaths[cc])
	}
}

// parsePath reads the path data the map script writes: M x y, then
// relative moves (l dx dy ...), h, v and z.
func parsePath(d string) [][][2]float64 {
	var rings [][][2]float64
	var cur [][2]float64
	var x, y float64
	cmd := byte(0)
	var nums []float64
	flush := func() {
		switch cmd {
		case 'M':
			if len(nums) >= 2 {
				x, y = nums[0], nums[1]
				cur = [][2]float64{{x, y}}
			}
		case 'l':
			for i := 0; i+1 < len(nums); i += 2 {
				x, y = x+nums[i], y+nums[i+1]
				cur = append(cur, [2]float64{x, y})
			}
		case 'h':
			for _, n := range nums {
				x += n
				cur = append(cur, [2]float64{x, y})
			}
		case 'v':
			for _, n := range nums {
				y += n
				cur = append(cur, [2]float64{x, y})
			}
		}
		nums = nums[:0]
	}
	i := 0
	for i < len(d) {
		c := d[i]
		switch {
		case c == 'M' || c == 'l' || c == 'h' || c == 'v':
			flush()
			cmd = c
			i++
		case c == 'z':
			flush()
			if len(cur) > 2 {
				rings = append(rings, cur)
			}
			cur = nil
			cmd = 0
			i++
		case c == '-' || (c >= '0' && c <= '9') || c == '.':
			j := i + 1
			for j < len(d) && (d[j] >= '0' && d[j] <= '9' || d[j] == '.') {
				j++
			}
			n, _ := strconv.ParseFloat(d[i:j], 64)
			nums = append(nums, n)
			i = j
		default:
			i++
		}
	}
	return rings
}
