package report

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Charts are drawn on the server as inline SVG: no script, no request,
// a few kilobytes each. Colours meet 3:1 against both the light and the
// dark page background (WCAG 2.1, non-text contrast); text and axes take
// the page's own colour (currentColor). Every chart is an image with a
// title and a description; the pages put its figures in a table beside it.

// Series colours, each at least 3.7:1 against the light and the dark
// backgrounds.
var seriesColours = []string{"#2f7fc1", "#b8652a", "#2e8b57"}

const axisColour = "#8c96a0" // 3:1 against both backgrounds

// Bar is one labelled value of a chart.
type Bar struct {
	Label string // shown under the axis (may be empty to skip a label)
	Title string // the value's text for the tooltip: "July 2021: 12"
	Value float64
}

// Chart describes a chart's accessible name and how it writes numbers.
type Chart struct {
	ID     string // unique on the page, for aria-labelledby
	Title  string
	Desc   string
	Format func(float64) string // axis labels
}

func esc(s string) string { return html.EscapeString(s) }

func (c Chart) open(b *strings.Builder, w, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" font-family="system-ui, sans-serif" font-size="12">`, w, h, esc(c.ID), esc(c.ID))
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
}

func (c Chart) format(v float64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// niceAxis returns the top of a value axis at or above v and the step
// between its gridlines: 1, 2, 2.5 or 5 times a power of ten, three to
// five steps in all. Counts (whole) never get a fractional step.
func niceAxis(v float64, whole bool) (top, step float64) {
	if v <= 0 {
		v = 1
	}
	raw := v / 4
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * p
		if whole && (step < 1 || (m == 2.5 && p < 10)) {
			continue
		}
		if step >= raw {
			break
		}
	}
	if whole && step < 1 {
		step = 1
	}
	return math.Ceil(v/step-1e-9) * step, step
}

// niceMax is the top of the axis niceAxis draws for counts.
func niceMax(v float64) float64 {
	top, _ := niceAxis(v, true)
	return top
}

// Columns draws vertical bars, one per value (months, typically), with a
// value axis of three gridlines. line draws the values as a line with the
// area under it instead (a total over time).
func Columns(c Chart, bars []Bar, line bool) string {
	const w, h, left, right, top, bottom = 640, 240, 48, 8, 10, 34
	var b strings.Builder
	c.open(&b, w, h)
	maxV := 0.0
	for _, bar := range bars {
		maxV = math.Max(maxV, bar.Value)
	}
	maxV, tick := niceAxis(maxV, true)
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	y := func(v float64) float64 { return float64(top) + ph - v/maxV*ph }
	for v := 0.0; v <= maxV+tick/2; v += tick {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="%s"/>`, left, w-right, y(v), y(v), axisColour, map[bool]string{true: "1", false: ".5"}[v == 0])
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="currentColor">%s</text>`, left-6, y(v)+4, esc(c.format(v)))
	}
	n := len(bars)
	if n == 0 {
		b.WriteString("</svg>")
		return b.String()
	}
	step := pw / float64(n)
	if line {
		var pts strings.Builder
		for i, bar := range bars {
			fmt.Fprintf(&pts, "%.1f,%.1f ", float64(left)+step*(float64(i)+.5), y(bar.Value))
		}
		first, last := float64(left)+step*.5, float64(left)+step*(float64(n)-.5)
		fmt.Fprintf(&b, `<polygon points="%.1f,%.1f %s%.1f,%.1f" fill="%s" fill-opacity=".25"/>`, first, y(0), pts.String(), last, y(0), seriesColours[0])
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"/>`, strings.TrimSpace(pts.String()), seriesColours[0])
	}
	gap := math.Min(step*.2, 4)
	for i, bar := range bars {
		x := float64(left) + step*float64(i)
		if !line {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
				x+gap/2, y(bar.Value), math.Max(step-gap, 1), float64(top)+ph-y(bar.Value), seriesColours[0], esc(bar.Title))
		} else {
			// An invisible column per point, for its tooltip.
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%.1f" fill="transparent"><title>%s</title></rect>`, x, top, step, ph, esc(bar.Title))
		}
		if bar.Label != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="start" fill="currentColor">%s</text>`, x+gap/2, h-bottom+16, esc(bar.Label))
			fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s"/>`, x, x, h-bottom, h-bottom+5, axisColour)
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// Group is one row of a grouped bar chart: an event with its registrants,
// attendees and survey responses, or its agreement shares.
type Group struct {
	Label  string
	Values []float64
	Titles []string // tooltip of each value
	Texts  []string // written at the end of each bar; empty: the value, formatted
}

// Rows draws horizontal grouped bars: one group per row, one bar per
// series, with a legend. max fixes the scale (1 for shares), or 0 to take
// it from the values.
func Rows(c Chart, series []string, groups []Group, maxV float64) string {
	// Each group's label stands on its own line above its bars, so long
	// event titles need no left margin and are not cut at the edge.
	const w, left, right, top, labelH = 640, 8, 52, 30, 17.0
	barH, gapH := 10.0, 10.0
	groupH := labelH + barH*float64(len(series)) + gapH
	h := top + int(groupH*float64(len(groups))) + 22
	var b strings.Builder
	c.open(&b, w, h)
	tick := .25
	if maxV <= 0 {
		for _, g := range groups {
			for _, v := range g.Values {
				maxV = math.Max(maxV, v)
			}
		}
		maxV, tick = niceAxis(maxV, true)
	}
	// Legend.
	x := float64(left)
	for i, s := range series {
		fmt.Fprintf(&b, `<rect x="%.1f" y="6" width="12" height="12" fill="%s"/><text x="%.1f" y="16" fill="currentColor">%s</text>`, x, seriesColours[i%len(seriesColours)], x+16, esc(s))
		x += 30 + float64(len([]rune(s)))*6.5
	}
	pw := float64(w - left - right)
	for v := 0.0; v <= maxV+tick/2; v += tick {
		gx := float64(left) + pw*v/maxV
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="%s" stroke-width=".5"/>`, gx, gx, top-4, h-20, axisColour)
		anchor := "middle"
		if v == 0 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="%s" fill="currentColor">%s</text>`, gx, h-6, anchor, esc(c.format(v)))
	}
	for gi, g := range groups {
		gy := float64(top) + groupH*float64(gi)
		label := []rune(g.Label)
		if len(label) > 96 {
			label = append(label[:95], '…')
		}
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" fill="currentColor">%s<title>%s</title></text>`, left, gy+12, esc(string(label)), esc(g.Label))
		for si, v := range g.Values {
			title := ""
			if si < len(g.Titles) {
				title = g.Titles[si]
			}
			by := gy + labelH + barH*float64(si)
			bw := math.Max(v/maxV*pw, 0)
			fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`,
				left, by, bw, barH-1, seriesColours[si%len(seriesColours)], esc(title))
			text := c.format(v)
			if si < len(g.Texts) && g.Texts[si] != "" {
				text = g.Texts[si]
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="currentColor">%s</text>`, float64(left)+bw+4, by+barH-1.5, esc(text))
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// Shades of the map, light to dark, and the colour of countries with none.
var mapShades = []string{"#d4e4f4", "#9ec5e8", "#6baed6", "#3a85c5", "#1f5f9e"}

const mapEmpty = "#c9d1d9"

// MapClass is one class of the map's legend: counts from Min to Max.
type MapClass struct {
	Min, Max int
	Colour   string
}

// mapClasses splits counts into up to five classes of roughly equal
// numbers of countries.
func mapClasses(counts map[string]int) []MapClass {
	var vals []int
	for _, n := range counts {
		if n > 0 {
			vals = append(vals, n)
		}
	}
	if len(vals) == 0 {
		return nil
	}
	sort.Ints(vals)
	k := min(len(mapShades), len(vals))
	var out []MapClass
	lo := vals[0]
	for i := 1; i <= k; i++ {
		hi := vals[len(vals)*i/k-1]
		if hi < lo {
			continue
		}
		out = append(out, MapClass{Min: lo, Max: hi})
		lo = hi + 1
	}
	for i := range out {
		// Spread the shades over the classes, the darkest for the most.
		out[i].Colour = mapShades[len(mapShades)-len(out)+i]
	}
	return out
}

// WorldMap draws the countries shaded by count, with a legend. name names a
// country in the reader's language, for the tooltips.
func WorldMap(c Chart, counts map[string]int, name func(code string) string) string {
	classes := mapClasses(counts)
	var b strings.Builder
	legendH := 44
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 %d %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" font-family="system-ui, sans-serif" font-size="22">`,
		worldMapTop, worldMapWidth, worldMapHeight+legendH, esc(c.ID), esc(c.ID))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	fmt.Fprintf(&b, `<g stroke="#fff" stroke-width=".4" stroke-linejoin="round"><path d="%s" fill="%s"/>`, worldMapLand, mapEmpty)
	codes := make([]string, 0, len(worldMapPaths))
	for cc := range worldMapPaths {
		codes = append(codes, cc)
	}
	sort.Strings(codes)
	// Countries without a count share one path: fewer bytes.
	var empty strings.Builder
	for _, cc := range codes {
		n := counts[cc]
		if n <= 0 {
			empty.WriteString(worldMapPaths[cc])
			continue
		}
		colour := mapShades[len(mapShades)-1]
		for _, cl := range classes {
			if n >= cl.Min && n <= cl.Max {
				colour = cl.Colour
				break
			}
		}
		fmt.Fprintf(&b, `<path d="%s" fill="%s"><title>%s: %s</title></path>`, worldMapPaths[cc], colour, esc(name(cc)), esc(c.format(float64(n))))
	}
	fmt.Fprintf(&b, `<path d="%s" fill="%s"/></g>`, empty.String(), mapEmpty)
	// Legend, under the map.
	ly := worldMapTop + worldMapHeight + 12
	x := 10
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="24" height="24" fill="%s"/><text x="%d" y="%d" fill="currentColor">0</text>`, x, ly, mapEmpty, x+30, ly+20)
	x += 70
	for _, cl := range classes {
		label := c.format(float64(cl.Min))
		if cl.Max != cl.Min {
			label += "–" + c.format(float64(cl.Max))
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="24" height="24" fill="%s"/><text x="%d" y="%d" fill="currentColor">%s</text>`, x, ly, cl.Colour, x+30, ly+20, esc(label))
		x += 56 + len([]rune(label))*13
	}
	b.WriteString("</svg>")
	return b.String()
}
