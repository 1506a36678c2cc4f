package report

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
)

// Page geometry of the annual report, in millimetres (A4).
const (
	pdfMargin = 18.0
	pdfWidth  = 210.0 - 2*pdfMargin // the text width
	pdfBottom = 297.0 - 20          // where content stops, above the footer
)

// Colours of the annual report: the site's blue, greys for text and lines.
var (
	pdfBlue  = [3]int{11, 83, 148}
	pdfText  = [3]int{33, 37, 41}
	pdfMuted = [3]int{90, 96, 104}
	pdfLine  = [3]int{201, 209, 217}
	pdfPale  = [3]int{243, 246, 249}
)

// annual lays out one annual report.
type annual struct {
	pdf *fpdf.Fpdf
	r   Report
	l   *i18n.Localizer
}

// PDF lays the report out as an annual report on A4 pages in the reader's
// language: a title page, the key figures, each chart with its table (the
// members over time and per month, the world maps of members and of event
// attendees, each event's funnel and satisfaction, page views), the tables
// of members, surveys, content and goals, and the list of events with
// their figures. A block that does not fit on what is left of a page
// starts a new one: charts are never cut.
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
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, 297-pdfBottom)
	period := l.T("report.period_value", l.Date(r.Period.From), l.Date(r.Period.LastDay()))
	pdf.SetFooterFunc(func() {
		if pdf.PageNo() == 1 {
			return
		}
		pdf.SetY(-13)
		pdf.SetFont("body", "", 7.5)
		pdf.SetTextColor(pdfMuted[0], pdfMuted[1], pdfMuted[2])
		pdf.CellFormat(pdfWidth-12, 5, title+" · "+l.T("report.pdf.title")+" · "+period, "T", 0, "L", false, 0, "")
		pdf.CellFormat(12, 5, strconv.Itoa(pdf.PageNo()), "T", 0, "R", false, 0, "")
	})
	a := &annual{pdf: pdf, r: r, l: l}
	a.titlePage(siteName, title, period)
	a.keyFigures()
	a.members()
	a.events()
	a.pageViews()
	a.content()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("lay out the annual report: %w", err)
	}
	return buf.Bytes(), nil
}

func (a *annual) num(n int) string { return a.l.Number(int64(n)) }

func (a *annual) pct(v *float64) string {
	if v == nil {
		return "–"
	}
	return a.l.Percent(*v)
}

func (a *annual) colour(c [3]int) { a.pdf.SetTextColor(c[0], c[1], c[2]) }

func (a *annual) text(size, h float64, s string, c [3]int) {
	a.pdf.SetFont("body", "", size)
	a.colour(c)
	a.pdf.MultiCell(0, h, s, "", "L", false)
}

// room starts a new page unless h millimetres are left on this one.
func (a *annual) room(h float64) {
	if a.pdf.GetY()+h > pdfBottom {
		a.pdf.AddPage()
	}
}

// heading writes a section's heading, on a new page when the block that
// follows it (need millimetres) would not fit under it.
func (a *annual) heading(s string, need float64) {
	a.room(14 + need)
	if a.pdf.GetY() > pdfMargin+1 {
		a.pdf.Ln(5)
	}
	a.text(15, 7, s, pdfBlue)
	a.pdf.Ln(1.5)
}

// subheading is a chart's or a table's title.
func (a *annual) subheading(s string, need float64) {
	a.room(9 + need)
	a.pdf.Ln(2)
	a.text(10.5, 5.5, s, pdfText)
	a.pdf.Ln(1)
}

func (a *annual) note(s string) {
	a.text(7.5, 3.6, s, pdfMuted)
}

func (a *annual) titlePage(siteName, title, period string) {
	pdf := a.pdf
	pdf.AddPage()
	pdf.SetFillColor(pdfBlue[0], pdfBlue[1], pdfBlue[2])
	pdf.Rect(0, 0, 210, 118, "F")
	pdf.SetXY(pdfMargin, 40)
	a.text(12, 6, siteName, [3]int{214, 228, 244})
	pdf.Ln(6)
	a.text(30, 13, a.l.T("report.pdf.title"), [3]int{255, 255, 255})
	pdf.Ln(3)
	a.text(19, 9, title, [3]int{255, 255, 255})
	pdf.Ln(4)
	a.text(13, 7, period, [3]int{214, 228, 244})
	// The headline figures, large, under the band.
	pdf.SetY(136)
	r := a.r
	head := []Figure{
		{Value: a.num(r.Members.Total), Label: a.l.T("report.figure.members")},
		{Value: a.num(r.Events.Count), Label: a.l.T("report.figure.events")},
		{Value: a.num(r.Events.Attendees), Label: a.l.T("report.figure.attendees")},
		{Value: a.num(r.Events.CountriesReached), Label: a.l.T("report.figure.countries_reached")},
	}
	const w = pdfWidth / 4
	for i, f := range head {
		x := pdfMargin + float64(i)*w
		pdf.SetXY(x, 136)
		pdf.SetFont("body", "", 24)
		a.colour(pdfBlue)
		pdf.CellFormat(w-4, 11, f.Value, "", 2, "L", false, 0, "")
		pdf.SetX(x)
		pdf.SetFont("body", "", 9)
		a.colour(pdfText)
		pdf.MultiCell(w-4, 4.2, f.Label, "", "L", false)
	}
	pdf.SetY(258)
	a.note(a.l.T("report.pdf.generated", a.l.Date(r.GeneratedAt)))
	a.note(a.l.T("report.pdf.method"))
}

func (a *annual) keyFigures() {
	pdf := a.pdf
	pdf.AddPage()
	a.heading(a.l.T("report.key_figures"), 30)
	const cols, gap = 3, 3.0
	const boxW, boxH = (pdfWidth - gap*(cols-1)) / cols, 23.0
	y := pdf.GetY()
	for i, f := range keyFigures(a.r, a.l) {
		if i > 0 && i%cols == 0 {
			y += boxH + gap
		}
		x := pdfMargin + float64(i%cols)*(boxW+gap)
		pdf.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
		pdf.SetFillColor(pdfPale[0], pdfPale[1], pdfPale[2])
		pdf.Rect(x, y, boxW, boxH, "FD")
		pdf.SetXY(x+3.5, y+3)
		pdf.SetFont("body", "", 17)
		a.colour(pdfBlue)
		pdf.CellFormat(boxW-7, 8, f.Value, "", 2, "L", false, 0, "")
		pdf.SetX(x + 3.5)
		pdf.SetFont("body", "", 8.5)
		a.colour(pdfText)
		pdf.MultiCell(boxW-7, 3.9, f.Label, "", "L", false)
	}
	pdf.SetY(y + boxH + 5)
	if a.r.Members.DevelopingSource != "" {
		a.note(a.l.T("report.developing_note", a.r.Members.DevelopingSource))
	}
}

// axis returns the top of a value axis and its step, as the dashboard's
// charts draw them.
func axis(v float64) (float64, float64) { return niceAxis(v, true) }

// monthChart draws monthly values as columns (or a line, for a total over
// time), with the years under each January, 55 mm high in all.
func (a *annual) monthChart(months []string, vals []int, line bool) {
	pdf := a.pdf
	const x0, h = pdfMargin + 12, 42.0
	const w = pdfWidth - 12
	a.room(h + 10)
	y0 := pdf.GetY() + 2
	maxV := 0.0
	for _, v := range vals {
		maxV = math.Max(maxV, float64(v))
	}
	top, step := axis(maxV)
	pdf.SetFont("body", "", 7)
	a.colour(pdfMuted)
	pdf.SetLineWidth(.15)
	for v := 0.0; v <= top+step/2; v += step {
		gy := y0 + h - h*v/top
		pdf.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
		if v == 0 {
			pdf.SetDrawColor(140, 150, 160)
		}
		pdf.Line(x0, gy, x0+w, gy)
		pdf.SetXY(x0-13, gy-2)
		pdf.CellFormat(11, 4, a.l.Number(int64(v)), "", 0, "R", false, 0, "")
	}
	if len(vals) > 0 {
		stepX := w / float64(len(vals))
		pdf.SetFillColor(47, 127, 193)
		pdf.SetDrawColor(47, 127, 193)
		var prev fpdf.PointType
		var poly []fpdf.PointType
		for i, v := range vals {
			bh := float64(v) / top * h
			if line {
				pt := fpdf.PointType{X: x0 + stepX*(float64(i)+.5), Y: y0 + h - bh}
				if i > 0 {
					pdf.SetLineWidth(.7)
					pdf.Line(prev.X, prev.Y, pt.X, pt.Y)
				}
				poly = append(poly, pt)
				prev = pt
			} else if bh > 0 {
				pdf.Rect(x0+stepX*float64(i)+stepX*.12, y0+h-bh, stepX*.76, bh, "F")
			}
		}
		if line && len(poly) > 1 {
			pdf.SetAlpha(.2, "Normal")
			area := append([]fpdf.PointType{{X: poly[0].X, Y: y0 + h}}, poly...)
			area = append(area, fpdf.PointType{X: poly[len(poly)-1].X, Y: y0 + h})
			pdf.Polygon(area, "F")
			pdf.SetAlpha(1, "Normal")
		}
		pdf.SetLineWidth(.2)
		a.colour(pdfMuted)
		for i, m := range months {
			label := ""
			switch {
			case len(months) <= 14:
				t, _ := time.Parse("2006-01", m)
				label = a.shortMonth(int(t.Month()))
			case i == 0 || strings.HasSuffix(m, "-01"):
				label = m[:4]
			}
			if label != "" {
				pdf.Line(x0+stepX*float64(i), y0+h, x0+stepX*float64(i), y0+h+1.2)
				pdf.SetXY(x0+stepX*float64(i), y0+h+1)
				pdf.CellFormat(14, 4, label, "", 0, "L", false, 0, "")
			}
		}
	}
	pdf.SetY(y0 + h + 7)
}

// shortMonth is a month's name cut to three letters, or four where three
// would not tell it from another month (juin, juillet).
func (a *annual) shortMonth(m int) string {
	name := []rune(a.l.T("month." + strconv.Itoa(m)))
	if len(name) <= 4 {
		return string(name)
	}
	for o := 1; o <= 12; o++ {
		other := []rune(a.l.T("month." + strconv.Itoa(o)))
		if o != m && len(other) >= 3 && string(other[:3]) == string(name[:3]) {
			return string(name[:4])
		}
	}
	return string(name[:3])
}

// yearGrid is the table of a monthly chart: a row per year, a column per
// month, and the year's total.
func (a *annual) yearGrid(months []string, vals []int) {
	byYear := map[string][]string{}
	var years []string
	sums := map[string]int{}
	for i, m := range months {
		y := m[:4]
		if byYear[y] == nil {
			byYear[y] = make([]string, 12)
			years = append(years, y)
		}
		mo, _ := strconv.Atoi(m[5:])
		byYear[y][mo-1] = a.num(vals[i])
		sums[y] += vals[i]
	}
	cols := []column{{head: a.l.T("report.column.year"), w: 14}}
	for m := 1; m <= 12; m++ {
		cols = append(cols, column{head: a.shortMonth(m), w: 12, right: true})
	}
	cols = append(cols, column{head: a.l.T("report.column.total"), w: pdfWidth - 14 - 144, right: true})
	var rows [][]string
	for _, y := range years {
		rows = append(rows, append(append([]string{y}, byYear[y]...), a.num(sums[y])))
	}
	a.table(cols, rows, 7)
}

// column is a column of a table: its heading, width, and whether its
// values are numbers (set to the right).
type column struct {
	head  string
	w     float64
	right bool
}

// table draws a table whose first column may wrap over lines; its head is
// repeated on each new page.
func (a *annual) table(cols []column, rows [][]string, size float64) {
	pdf := a.pdf
	lineH := size * .47
	head := func() {
		pdf.SetFont("body", "", size)
		a.colour(pdfMuted)
		pdf.SetFillColor(pdfPale[0], pdfPale[1], pdfPale[2])
		pdf.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
		lines := 1
		split := make([][]string, len(cols))
		for i, c := range cols {
			split[i] = pdfLines(pdf, c.head, c.w-1.6)
			lines = max(lines, len(split[i]))
		}
		h := float64(lines)*lineH + 2
		a.room(h + lineH + 2)
		x, y := pdfMargin, pdf.GetY()
		for i, c := range cols {
			pdf.Rect(x, y, c.w, h, "F")
			for j, s := range split[i] {
				pdf.SetXY(x+.8, y+1+float64(j)*lineH)
				align := "L"
				if c.right {
					align = "R"
				}
				pdf.CellFormat(c.w-1.6, lineH, s, "", 0, align, false, 0, "")
			}
			x += c.w
		}
		pdf.Line(pdfMargin, y+h, pdfMargin+sumWidths(cols), y+h)
		pdf.SetY(y + h)
	}
	head()
	pdf.SetFont("body", "", size)
	a.colour(pdfText)
	for _, row := range rows {
		first := pdfLines(pdf, row[0], cols[0].w-1.6)
		if len(first) > 3 {
			first = first[:3]
			first[2] += "…"
		}
		h := float64(len(first))*lineH + 1.6
		if pdf.GetY()+h > pdfBottom {
			pdf.AddPage()
			head()
			pdf.SetFont("body", "", size)
			a.colour(pdfText)
		}
		x, y := pdfMargin, pdf.GetY()
		for i, c := range cols {
			cell := []string{""}
			if i == 0 {
				cell = first
			} else if i < len(row) {
				cell = []string{row[i]}
			}
			for j, s := range cell {
				pdf.SetXY(x+.8, y+.8+float64(j)*lineH)
				align := "L"
				if c.right {
					align = "R"
				}
				pdf.CellFormat(c.w-1.6, lineH, s, "", 0, align, false, 0, "")
			}
			x += c.w
		}
		pdf.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
		pdf.Line(pdfMargin, y+h, pdfMargin+sumWidths(cols), y+h)
		pdf.SetY(y + h)
	}
	pdf.Ln(2)
}

func sumWidths(cols []column) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.w
	}
	return w
}

// pdfLines splits a text into the lines it takes in a width, in the
// current font.
func pdfLines(pdf *fpdf.Fpdf, s string, w float64) []string {
	if s == "" {
		return []string{""}
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if pdf.GetStringWidth(try) <= w || line == "" {
			line = try
			continue
		}
		lines = append(lines, line)
		line = word
	}
	lines = append(lines, line)
	for i, l := range lines {
		// A single word wider than the column is cut.
		for pdf.GetStringWidth(l) > w && len([]rune(l)) > 1 {
			rs := []rune(l)
			l = string(rs[:len(rs)-2]) + "…"
		}
		lines[i] = l
	}
	return lines
}

// countTable lays a tally out in as many side-by-side column pairs as
// fit (name, count), most first, to keep long lists (countries) short.
func (a *annual) countTable(head string, m map[string]int, name func(string) string, pairs int) {
	keys := sortedKeys(m)
	if len(keys) == 0 {
		a.note(a.l.T("report.none"))
		return
	}
	pairs = max(1, min(pairs, (len(keys)+7)/8))
	per := (len(keys) + pairs - 1) / pairs
	const gap = 6.0
	w := (pdfWidth - gap*float64(pairs-1)) / float64(pairs)
	var cols []column
	for p := 0; p < pairs; p++ {
		first := w - 16
		if p > 0 {
			cols = append(cols, column{w: gap})
		}
		cols = append(cols, column{head: head, w: first}, column{head: a.l.T("report.column.count"), w: 16, right: true})
	}
	var rows [][]string
	for i := 0; i < per; i++ {
		var row []string
		for p := 0; p < pairs; p++ {
			if p > 0 {
				row = append(row, "")
			}
			if k := p*per + i; k < len(keys) {
				row = append(row, name(keys[k]), a.num(m[keys[k]]))
			} else {
				row = append(row, "", "")
			}
		}
		rows = append(rows, row)
	}
	// Only the first column wraps: keep each name on one line.
	a.flatTable(cols, rows)
}

// flatTable is table without wrapping, for tables of several column
// pairs.
func (a *annual) flatTable(cols []column, rows [][]string) {
	pdf := a.pdf
	const size, rowH = 8.0, 4.8
	head := func() {
		a.room(rowH * 3)
		pdf.SetFont("body", "", size)
		a.colour(pdfMuted)
		pdf.SetFillColor(pdfPale[0], pdfPale[1], pdfPale[2])
		x := pdfMargin
		for _, c := range cols {
			if c.head != "" {
				align := "L"
				if c.right {
					align = "R"
				}
				pdf.SetXY(x, pdf.GetY())
				pdf.CellFormat(c.w, rowH+1, " "+c.head+" ", "", 0, align, true, 0, "")
			}
			x += c.w
		}
		pdf.Ln(rowH + 1)
	}
	head()
	a.colour(pdfText)
	pdf.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
	for _, row := range rows {
		if pdf.GetY()+rowH > pdfBottom {
			pdf.AddPage()
			head()
			a.colour(pdfText)
		}
		x, y := pdfMargin, pdf.GetY()
		for i, c := range cols {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			if c.head != "" {
				for pdf.GetStringWidth(v) > c.w-1.6 && len([]rune(v)) > 1 {
					rs := []rune(v)
					v = string(rs[:len(rs)-2]) + "…"
				}
				align := "L"
				if c.right {
					align = "R"
				}
				pdf.SetXY(x, y)
				pdf.CellFormat(c.w, rowH, " "+v+" ", "B", 0, align, false, 0, "")
			}
			x += c.w
		}
		pdf.SetY(y + rowH)
	}
	pdf.Ln(2)
}

// bars draws horizontal grouped bars: each group's label on its own line,
// then one bar per series with its value written at its end.
func (a *annual) bars(series []string, groups []Group, share bool) {
	pdf := a.pdf
	const barH, labelH, gapH = 2.8, 4.2, 2.4
	groupH := labelH + barH*float64(len(series)) + gapH
	maxV, step := 1.0, .25
	if !share {
		for _, g := range groups {
			for _, v := range g.Values {
				maxV = math.Max(maxV, v)
			}
		}
		maxV, step = axis(maxV)
	}
	const x0, w = pdfMargin, pdfWidth - 14
	// Legend.
	a.room(8 + groupH*2)
	pdf.SetFont("body", "", 8)
	x := x0
	for i, s := range series {
		rr, gg, bb := hexRGB(seriesColours[i%len(seriesColours)])
		pdf.SetFillColor(rr, gg, bb)
		pdf.Rect(x, pdf.GetY()+.8, 3.2, 3.2, "F")
		a.colour(pdfText)
		pdf.SetXY(x+4.2, pdf.GetY())
		pdf.CellFormat(pdf.GetStringWidth(s)+2, 4.8, s, "", 0, "L", false, 0, "")
		x += 10 + pdf.GetStringWidth(s)
	}
	pdf.Ln(7)
	format := func(v float64) string {
		if share {
			return a.l.Percent(v)
		}
		return a.l.Number(int64(v + .5))
	}
	grid := func(y0, y1 float64) {
		pdf.SetDrawColor(pdfLine[0], pdfLine[1], pdfLine[2])
		pdf.SetLineWidth(.15)
		pdf.SetFont("body", "", 6.5)
		a.colour(pdfMuted)
		for v := 0.0; v <= maxV+step/2; v += step {
			gx := x0 + w*v/maxV
			pdf.Line(gx, y0, gx, y1)
			pdf.SetXY(gx-8, y1+.5)
			pdf.CellFormat(16, 3, format(v), "", 0, "C", false, 0, "")
		}
		pdf.SetLineWidth(.2)
	}
	// Page by page: the gridlines of the groups that fit, then the groups
	// over them.
	for i := 0; i < len(groups); {
		n := int((pdfBottom - 5 - pdf.GetY()) / groupH)
		if n < 1 {
			pdf.AddPage()
			continue
		}
		n = min(n, len(groups)-i)
		top := pdf.GetY()
		grid(top, top+groupH*float64(n))
		pdf.SetY(top)
		for _, g := range groups[i : i+n] {
			y := pdf.GetY()
			pdf.SetFillColor(255, 255, 255)
			pdf.SetFont("body", "", 7.5)
			a.colour(pdfText)
			label := g.Label
			for pdf.GetStringWidth(label) > pdfWidth && len([]rune(label)) > 1 {
				rs := []rune(label)
				label = string(rs[:len(rs)-2]) + "…"
			}
			pdf.SetXY(x0, y)
			pdf.CellFormat(pdf.GetStringWidth(label)+1, labelH, label, "", 0, "L", true, 0, "")
			pdf.SetFont("body", "", 6.5)
			for si, v := range g.Values {
				rr, gg, bb := hexRGB(seriesColours[si%len(seriesColours)])
				pdf.SetFillColor(rr, gg, bb)
				by := y + labelH + barH*float64(si)
				bw := math.Max(v/maxV*w, 0)
				if bw > 0 {
					pdf.Rect(x0, by+.2, bw, barH-.5, "F")
				}
				text := format(v)
				if si < len(g.Texts) && g.Texts[si] != "" {
					text = g.Texts[si]
				}
				pdf.SetFillColor(255, 255, 255)
				pdf.SetXY(x0+bw+.8, by)
				pdf.CellFormat(pdf.GetStringWidth(text)+1, barH, text, "", 0, "L", true, 0, "")
			}
			pdf.SetY(y + groupH)
		}
		i += n
		pdf.SetY(pdf.GetY() + 5) // the axis labels
	}
	pdf.Ln(2)
}

// worldMap draws a map of counts by country with its legend.
func (a *annual) worldMap(counts map[string]int) {
	pdf := a.pdf
	h := pdfWidth * float64(worldMapHeight) / worldMapWidth
	a.room(h + 10)
	y := pdf.GetY() + 1
	drawMap(pdf, counts, pdfMargin, y, pdfWidth)
	pdf.SetY(y + h + 2)
	pdf.SetFont("body", "", 7.5)
	a.colour(pdfText)
	x := pdfMargin
	legend := func(colour, label string) {
		rr, gg, bb := hexRGB(colour)
		pdf.SetFillColor(rr, gg, bb)
		pdf.Rect(x, pdf.GetY()+.6, 3.5, 3.5, "F")
		pdf.SetXY(x+4.5, pdf.GetY())
		pdf.CellFormat(20, 4.6, label, "", 0, "L", false, 0, "")
		x += 7 + pdf.GetStringWidth(label) + 4
	}
	legend(mapEmpty, "0")
	for _, cl := range mapClasses(counts) {
		label := a.l.Number(int64(cl.Min))
		if cl.Max != cl.Min {
			label += "–" + a.l.Number(int64(cl.Max))
		}
		legend(cl.Colour, label)
	}
	pdf.Ln(7)
}

func (a *annual) months() []string {
	out := make([]string, len(a.r.Members.ByMonth))
	for i, m := range a.r.Members.ByMonth {
		out[i] = m.Month
	}
	return out
}

func counts(ms []MonthCount) []int {
	out := make([]int, len(ms))
	for i, m := range ms {
		out[i] = m.Count
	}
	return out
}

func (a *annual) members() {
	r, l := a.r, a.l
	title := l.T("report.members.title")
	if r.Site {
		title = l.T("report.accounts.title")
	}
	a.heading(title, 60)
	a.text(9.5, 4.8, l.T("report.members.summary", a.num(r.Members.Total), l.Date(r.Period.LastDay()), a.num(r.Members.New), a.num(r.Members.Left)), pdfText)
	chart := l.T("report.chart.members")
	if r.Site {
		chart = l.T("report.chart.accounts")
	}
	a.subheading(chart, 52)
	a.monthChart(a.months(), counts(r.Members.ByMonth), true)
	a.subheading(l.T("report.chart.new_members"), 52)
	a.monthChart(a.months(), counts(r.Members.NewByMonth), false)
	a.yearGrid(a.months(), counts(r.Members.NewByMonth))

	a.subheading(l.T("report.map.members"), pdfWidth*float64(worldMapHeight)/worldMapWidth+8)
	a.worldMap(r.Members.ByCountry)
	a.text(9, 4.6, l.T("report.members.developing", a.pct(r.Members.DevelopingShare)), pdfText)

	a.subheading(l.T("report.members.by_region"), 30)
	var rows [][]string
	for _, code := range sortedKeys(r.Members.ByRegion) {
		rows = append(rows, []string{taxonomy.RegionName(code, l.Lang()), a.num(r.Members.ByRegion[code])})
	}
	a.table([]column{{head: l.T("report.column.region"), w: 120}, {head: l.T("report.column.members"), w: pdfWidth - 120, right: true}}, rows, 8.5)
	a.subheading(l.T("report.members.by_organization_type"), 30)
	rows = nil
	for _, t := range sortedKeys(r.Members.ByOrganizationType) {
		rows = append(rows, []string{l.T("orgtype." + t), a.num(r.Members.ByOrganizationType[t])})
	}
	a.table([]column{{head: l.T("report.column.organization_type"), w: 120}, {head: l.T("report.column.members"), w: pdfWidth - 120, right: true}}, rows, 8.5)
	a.subheading(l.T("report.members.by_country"), 30)
	a.countTable(l.T("report.column.country"), r.Members.ByCountry, func(cc string) string { return taxonomy.CountryName(cc, l.Lang()) }, 3)
}

func (a *annual) events() {
	r, l := a.r, a.l
	pdf := a.pdf
	pdf.AddPage()
	a.heading(l.T("report.events.title"), 20)
	a.text(9.5, 4.8, l.T("report.events.summary", a.num(r.Events.Count), a.num(r.Events.Registrants), a.num(r.Events.Attendees),
		a.num(r.Events.CountriesReached), a.num(r.Events.RecordingViews)), pdfText)
	if len(r.Events.Items) == 0 {
		a.note(l.T("report.events.none"))
		return
	}
	// The list of events with their figures.
	a.subheading(l.T("report.events.table"), 30)
	var rows [][]string
	for _, e := range r.Events.Items {
		rows = append(rows, []string{l.Date(e.StartsAt) + " · " + e.Title, a.num(e.Registrants), a.num(e.Attendees), a.num(e.NoShows), a.pct(e.AttendanceRate),
			a.num(e.Countries), a.num(e.RecordingViews), a.num(e.SurveyResponses), a.pct(e.AgreeByQuestion["relevant"]), a.pct(e.AgreeByQuestion["clear"])})
	}
	rows = append(rows, []string{l.T("report.column.total"), a.num(r.Events.Registrants), a.num(r.Events.Attendees), "", "", a.num(r.Events.CountriesReached),
		a.num(r.Events.RecordingViews), a.num(r.Surveys.Responses), a.pct(questionShare(r, "relevant")), a.pct(questionShare(r, "clear"))})
	const n = 15.4
	a.table([]column{{head: l.T("report.column.event"), w: pdfWidth - 9*n}, {head: l.T("report.column.registrants"), w: n, right: true},
		{head: l.T("report.column.attendees"), w: n, right: true}, {head: l.T("report.column.no_shows"), w: n, right: true},
		{head: l.T("report.column.rate"), w: n, right: true}, {head: l.T("report.column.countries"), w: n, right: true},
		{head: l.T("report.column.views"), w: n, right: true}, {head: l.T("report.column.responses"), w: n, right: true},
		{head: questionLabel(l, "relevant"), w: n, right: true}, {head: questionLabel(l, "clear"), w: n, right: true}}, rows, 7.5)

	var funnel, satisfaction []Group
	for _, e := range r.Events.Items {
		label := l.Date(e.StartsAt) + " · " + e.Title
		funnel = append(funnel, Group{Label: label, Values: []float64{float64(e.Registrants), float64(e.Attendees), float64(e.SurveyResponses)}})
		g := Group{Label: label}
		for _, q := range []string{"relevant", "clear"} {
			v, text := 0.0, "–"
			if sh := e.AgreeByQuestion[q]; sh != nil {
				v, text = *sh, l.Percent(*sh)
			}
			g.Values, g.Texts = append(g.Values, v), append(g.Texts, text)
		}
		satisfaction = append(satisfaction, g)
	}
	a.subheading(l.T("report.chart.funnel"), 40)
	a.bars([]string{l.T("report.column.registrants"), l.T("report.column.attendees"), l.T("report.column.responses")}, funnel, false)
	a.subheading(l.T("report.chart.satisfaction"), 40)
	a.bars([]string{questionLabel(l, "relevant"), questionLabel(l, "clear")}, satisfaction, true)

	if len(r.Events.AttendeesByCountry) > 0 {
		a.subheading(l.T("report.map.attendees"), pdfWidth*float64(worldMapHeight)/worldMapWidth+8)
		a.worldMap(r.Events.AttendeesByCountry)
		a.countTable(l.T("report.column.country"), r.Events.AttendeesByCountry, func(cc string) string { return taxonomy.CountryName(cc, l.Lang()) }, 3)
	}
	a.subheading(l.T("report.surveys.title"), 20)
	a.text(9, 4.6, l.T("report.surveys.summary", a.num(r.Surveys.Responses), a.pct(r.Surveys.AgreeShare)), pdfText)
	rows = nil
	for _, q := range r.Surveys.Questions {
		rows = append(rows, []string{questionLabel(l, q.ID), a.num(q.Answers), a.pct(q.AgreeShare)})
	}
	if len(rows) > 0 {
		a.table([]column{{head: l.T("report.column.question"), w: 110}, {head: l.T("report.column.answers"), w: 32, right: true},
			{head: l.T("report.column.agree"), w: pdfWidth - 142, right: true}}, rows, 8.5)
	}
}

// questionShare is the agreement with one standard question over the
// period's surveys.
func questionShare(r Report, id string) *float64 {
	for _, q := range r.Surveys.Questions {
		if q.ID == id {
			return q.AgreeShare
		}
	}
	return nil
}

func (a *annual) pageViews() {
	r, l := a.r, a.l
	a.heading(l.T("report.page_views.title"), 60)
	a.text(9.5, 4.8, l.T("report.page_views.summary", a.num(r.PageViews.Total), a.num(r.PageViews.UniqueVisitors)), pdfText)
	a.subheading(l.T("report.chart.page_views"), 52)
	views := make([]int, len(r.PageViews.ByMonth))
	for i, m := range r.PageViews.ByMonth {
		views[i] = m.Count
	}
	a.monthChart(a.months(), views, false)
	a.yearGrid(a.months(), views)
	a.subheading(l.T("report.page_views.top_pages"), 20)
	var rows [][]string
	for _, p := range r.PageViews.TopPages {
		rows = append(rows, []string{p.Path, a.num(p.Count)})
	}
	if len(rows) == 0 {
		a.note(l.T("report.none"))
	} else {
		a.table([]column{{head: l.T("report.column.page"), w: 140}, {head: l.T("report.column.views"), w: pdfWidth - 140, right: true}}, rows, 8.5)
	}
	a.note(l.T("report.page_views.privacy"))
}

func (a *annual) content() {
	r, l := a.r, a.l
	a.heading(l.T("report.content.title"), 40)
	a.table([]column{{head: l.T("report.column.content"), w: 140}, {head: l.T("report.column.count"), w: pdfWidth - 140, right: true}}, [][]string{
		{l.T("report.content.threads"), a.num(r.Content.Threads)}, {l.T("report.content.posts"), a.num(r.Content.Posts)},
		{l.T("report.content.resources"), a.num(r.Content.Resources)}, {l.T("report.content.solutions"), a.num(r.Content.Solutions)},
	}, 8.5)
	cov := []column{{head: l.T("report.column.goal"), w: pdfWidth - 3*24}, {head: l.T("report.content.solutions"), w: 24, right: true},
		{head: l.T("report.content.resources"), w: 24, right: true}, {head: l.T("report.events.title"), w: 24, right: true}}
	a.subheading(l.T("report.sdgs.title"), 20)
	if len(r.SDGs) == 0 {
		a.note(l.T("report.none"))
	} else {
		var rows [][]string
		for _, g := range r.SDGs {
			label := strconv.Itoa(g.Goal)
			if goal, ok := taxonomy.GoalByNumber(g.Goal); ok {
				label = l.T("sdg.option", g.Goal, goal.Short(l.Lang()))
			}
			rows = append(rows, []string{label, a.num(g.Solutions), a.num(g.Resources), a.num(g.Events)})
		}
		a.table(cov, rows, 8.5)
	}
	if len(r.Targets) > 0 {
		a.subheading(l.T("report.targets.title"), 20)
		var rows [][]string
		for _, t := range r.Targets {
			rows = append(rows, []string{t.Target, a.num(t.Solutions), a.num(t.Resources), a.num(t.Events)})
		}
		cov[0].head = l.T("report.column.target")
		a.table(cov, rows, 8.5)
	}
	if sumCounts(r.Exchanges.ByStage) > 0 {
		a.subheading(l.T("report.exchanges.title"), 20)
		a.countTable(l.T("report.column.stage"), r.Exchanges.ByStage, func(s string) string { return stageLabel(l, s) }, 2)
	}
	if r.Site && len(r.Communities) > 0 {
		a.heading(l.T("report.communities.title"), 30)
		var rows [][]string
		for _, c := range r.Communities {
			rows = append(rows, []string{c.Name, a.num(c.Members), a.num(c.NewMembers), a.num(c.Events), a.num(c.Attendees), a.num(c.PageViews)})
		}
		a.table([]column{{head: l.T("report.column.community"), w: pdfWidth - 5*20}, {head: l.T("report.column.members"), w: 20, right: true},
			{head: l.T("report.column.new"), w: 20, right: true}, {head: l.T("report.events.title"), w: 20, right: true},
			{head: l.T("report.column.attendees"), w: 20, right: true}, {head: l.T("report.column.views"), w: 20, right: true}}, rows, 8)
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// stageLabel names a stage of an exchange in the reader's language.
func stageLabel(l *i18n.Localizer, stage string) string {
	if msg, ok := i18n.Message(l.Lang(), "matching.stage."+stage); ok {
		return msg
	}
	return stage
}

// StageLabel names a stage of an exchange in the reader's language.
func StageLabel(l *i18n.Localizer, stage string) string { return stageLabel(l, stage) }

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
