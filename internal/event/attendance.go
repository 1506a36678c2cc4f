package event

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/harambee/harambee/internal/validation"
)

// MaxReportBytes is the largest participants report accepted: 20 MB holds
// the report of a meeting of a hundred thousand people.
const MaxReportBytes = 20 << 20

// Formats of participants reports, recognised by their header, never by
// the file's name.
const (
	FormatZoom      = "zoom"       // Zoom's participants CSV, with or without the meeting-data block on top
	FormatTeams     = "teams"      // the Microsoft Teams attendance report, in sections, often UTF-16 and tab-separated
	FormatTeamsList = "teams_list" // the older Teams attendance list: one Joined or Left action per line, no e-mail
)

// ReportRow is one data row of a report, as read: who it is about.
type ReportRow struct {
	Line  int
	Name  string
	Email string // normalised; empty when the report has none
}

// Session is a stretch of time someone spent in the meeting.
type Session struct {
	Name    string
	Email   string
	Joined  time.Time // UTC
	Left    time.Time // UTC
	Seconds int       // the time the report counts; without a duration column, Left - Joined
	Line    int
}

// ParticipantsReport is a participants report read: its format, its data rows (one per
// line, for the counts of what was matched), and the sessions they make up
// (one per row, except in the Teams attendance list, where a Joined and the
// next Left of a person make one).
type ParticipantsReport struct {
	Format   string
	Rows     []ReportRow
	Sessions []Session
}

// ParseOptions say how to read the times of a report.
type ParseOptions struct {
	// Location is the zone of times that carry none: the event's zone,
	// unless the report says otherwise (a header such as "Join Time (UTC)",
	// or an offset on the times).
	Location *time.Location
	// Start and End are the event's; when a date could be read month first
	// or day first, the reading that falls near the event wins.
	Start, End time.Time
}

// reportError is a problem with a report, shown on the file field.
func reportError(key string, args ...any) error { return validation.Field("file", key, args...) }

// ParseReport reads a participants report as Zoom or Microsoft Teams export
// it. It refuses, naming the problem, a file that is too large, empty, in
// an unknown format, without a column it needs, with broken quoting, or
// with a time or duration it cannot read; it never returns part of a file.
func ParseReport(data []byte, opt ParseOptions) (ParticipantsReport, error) {
	if len(data) > MaxReportBytes {
		return ParticipantsReport{}, reportError("event.error.report_too_large", MaxReportBytes>>20)
	}
	text, err := decodeText(data)
	if err != nil {
		return ParticipantsReport{}, err
	}
	if strings.TrimSpace(text) == "" {
		return ParticipantsReport{}, reportError("event.error.report_empty")
	}
	records, lines, err := readRecords(text)
	if err != nil {
		return ParticipantsReport{}, err
	}
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	h, err := findHeader(records)
	if err != nil {
		return ParticipantsReport{}, err
	}
	p := &reportParser{opt: opt, h: h}
	rows := sectionRows(records, lines, h.index)
	if h.actions {
		return p.actionList(rows)
	}
	return p.sessions(rows)
}

// decodeText turns the file into text: UTF-16 with a byte-order mark (the
// Teams report), or without one when it shows by its zero bytes; UTF-8
// with or without a mark; and, failing that, Windows-1252, which
// spreadsheet programs save.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data, xunicode.UseBOM)
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case len(data) >= 4 && data[1] == 0 && data[3] == 0 && data[0] != 0:
		return decodeUTF16(data, xunicode.IgnoreBOM)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", reportError("event.error.report_encoding")
	}
	return string(out), nil
}

func decodeUTF16(data []byte, bom xunicode.BOMPolicy) (string, error) {
	if len(data)%2 != 0 {
		return "", reportError("event.error.report_encoding")
	}
	out, err := xunicode.UTF16(xunicode.LittleEndian, bom).NewDecoder().Bytes(data)
	if err != nil {
		return "", reportError("event.error.report_encoding")
	}
	return string(out), nil
}

// readRecords splits the text into records, tab-separated when the file
// has tabs (Teams), otherwise comma- or semicolon-separated (Zoom, and
// spreadsheets in languages that write decimal commas). Quoting must be
// well formed: a broken quote would silently shift every later column.
func readRecords(text string) ([][]string, []int, error) {
	head := text[:min(len(text), 8192)]
	delim := ','
	switch {
	case strings.Contains(head, "\t"):
		delim = '\t'
	case !strings.Contains(head, ",") && strings.Contains(head, ";"):
		delim = ';'
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1
	var records [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, reportError("event.error.report_quoting", pe.StartLine)
			}
			return nil, nil, reportError("event.error.report_unreadable")
		}
		line, _ := r.FieldPos(0)
		empty := true
		for i := range rec {
			rec[i] = strings.TrimSpace(strings.Map(dropControl, rec[i]))
			empty = empty && rec[i] == ""
		}
		if empty {
			continue
		}
		records = append(records, rec)
		lines = append(lines, line)
	}
	return records, lines, nil
}

func dropControl(r rune) rune {
	if unicode.IsControl(r) || r == '\uFEFF' {
		return -1
	}
	return r
}

// header is the row that names a report's participant columns.
type header struct {
	index                                  int // record index
	name, email, upn, join, leave, minutes int // column indexes, -1 when absent
	duration, action, timestamp            int
	perSession                             bool           // join/leave per session, not first join and last leave
	actions                                bool           // the Teams attendance list
	joinZone, leaveZone                    *time.Location // from the header, when it names a zone
	format                                 string
}

// column names, lower-cased, as the services write them.
var (
	nameCols     = []string{"name (original name)", "name", "full name", "participant", "participant name", "display name"}
	emailCols    = []string{"user email", "email", "e-mail", "email address", "e-mail address"}
	upnCols      = []string{"participant id (upn)", "upn"}
	joinCols     = []string{"join time", "first join", "first join time", "joined at", "join"}
	leaveCols    = []string{"leave time", "last leave", "last leave time", "left at", "leave"}
	minutesCols  = []string{"duration (minutes)", "duration (mins)", "duration(minutes)", "time in session (minutes)"}
	durationCols = []string{"in-meeting duration", "duration", "attendance duration", "time in call"}
	actionCols   = []string{"user action", "action", "activity"}
	stampCols    = []string{"timestamp", "time stamp", "date and time"}
)

// zoneHint finds a zone named in a column header, as in "Join Time (UTC)"
// or "Join time (UTC-03:00)", and returns the header without it.
var zoneHint = regexp.MustCompile(`\s*\((?:utc|gmt)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\)\s*$`)

func cellZone(cell string) (string, *time.Location) {
	m := zoneHint.FindStringSubmatchIndex(cell)
	if m == nil {
		return cell, nil
	}
	sub := zoneHint.FindStringSubmatch(cell)
	return cell[:m[0]], offsetZone(sub[1], sub[2], sub[3])
}

func offsetZone(sign, hours, minutes string) *time.Location {
	if sign == "" {
		return time.UTC
	}
	h, _ := strconv.Atoi(hours)
	m, _ := strconv.Atoi(minutes)
	off := h*3600 + m*60
	if sign == "-" {
		off = -off
	}
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", off)
}

// findHeader picks the participants header: the first one with a time per
// session (Zoom's, or the Teams report's In-Meeting Activities) before one
// with only first join and last leave (the Teams Participants section). A
// file that has some of the columns but not all is refused naming the ones
// it lacks; one with none is of an unknown format.
func findHeader(records [][]string) (header, error) {
	var best *header
	var partial []string
	for i, rec := range records {
		h := header{index: i, name: -1, email: -1, upn: -1, join: -1, leave: -1, minutes: -1, duration: -1, action: -1, timestamp: -1}
		found := 0
		for j, cell := range rec {
			c, zone := cellZone(strings.ToLower(strings.Join(strings.Fields(cell), " ")))
			set := func(dst *int, names []string) bool {
				if *dst == -1 && contains(names, c) {
					*dst = j
					found++
					return true
				}
				return false
			}
			switch {
			case set(&h.name, nameCols), set(&h.email, emailCols), set(&h.upn, upnCols), set(&h.minutes, minutesCols),
				set(&h.duration, durationCols), set(&h.action, actionCols):
			case set(&h.join, joinCols):
				h.joinZone = zone
				h.perSession = !strings.HasPrefix(c, "first")
			case set(&h.leave, leaveCols):
				h.leaveZone = zone
			case set(&h.timestamp, stampCols):
				h.joinZone = zone
			}
		}
		switch {
		case h.name >= 0 && h.join >= 0 && h.leave >= 0:
			h.format = FormatZoom
			if h.upn >= 0 || h.duration >= 0 {
				h.format = FormatTeams
			}
			if best == nil || (h.perSession && !best.perSession) {
				hh := h
				best = &hh
			}
		case h.name >= 0 && h.action >= 0 && h.timestamp >= 0:
			h.actions, h.format, h.perSession = true, FormatTeamsList, true
			if best == nil {
				hh := h
				best = &hh
			}
		case found >= 2 && partial == nil:
			partial = missingColumns(h)
		}
		if best != nil && best.perSession {
			break
		}
	}
	switch {
	case best != nil:
		return *best, nil
	case partial != nil:
		return header{}, reportError("event.error.report_columns", strings.Join(partial, ", "))
	}
	return header{}, reportError("event.error.report_format")
}

// missingColumns names the columns a nearly recognised header lacks, as a
// Zoom report would call them.
func missingColumns(h header) []string {
	var out []string
	if h.name < 0 {
		out = append(out, "Name")
	}
	if h.action >= 0 || h.timestamp >= 0 {
		if h.action < 0 {
			out = append(out, "User Action")
		}
		if h.timestamp < 0 {
			out = append(out, "Timestamp")
		}
		return out
	}
	if h.join < 0 {
		out = append(out, "Join Time")
	}
	if h.leave < 0 {
		out = append(out, "Leave Time")
	}
	return out
}

// dataRow is a record of the header's section with its line in the file.
type dataRow struct {
	line  int
	cells []string
}

// sectionRows returns the records under the header up to the next section
// title (a line with one cell, such as "3. In-Meeting Activities") or the
// end.
func sectionRows(records [][]string, lines []int, at int) []dataRow {
	var out []dataRow
	for i := at + 1; i < len(records); i++ {
		rec := records[i]
		nonEmpty := 0
		for _, c := range rec {
			if c != "" {
				nonEmpty++
			}
		}
		if nonEmpty == 1 && len(rec) == 1 || sectionTitle.MatchString(rec[0]) && nonEmpty == 1 {
			break
		}
		out = append(out, dataRow{line: lines[i], cells: rec})
	}
	return out
}

var sectionTitle = regexp.MustCompile(`^\d+\.\s+\S`)

type reportParser struct {
	opt    ParseOptions
	h      header
	layout string // the time layout that last worked, tried first
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// person reads the name and address of a row.
func (p *reportParser) person(r dataRow) (string, string, error) {
	name := cleanName(cell(r.cells, p.h.name))
	email := validation.NormalizeEmail(cell(r.cells, p.h.email))
	if !validation.ValidEmail(email) {
		email = ""
	}
	if upn := validation.NormalizeEmail(cell(r.cells, p.h.upn)); email == "" && validation.ValidEmail(upn) {
		email = upn
	}
	if name == "" && email == "" {
		return "", "", reportError("event.error.report_no_person", r.line)
	}
	if name == "" {
		name = email
	}
	return name, email, nil
}

// cleanName drops the marks Teams adds to names: "(External)", "(Guest)",
// "(Unverified)".
func cleanName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, mark := range []string{"(external)", "(guest)", "(unverified)"} {
		if strings.HasSuffix(strings.ToLower(s), " "+mark) {
			s = strings.TrimSpace(s[:len(s)-len(mark)])
		}
	}
	return s
}

// sessions reads a report with one session per row (Zoom, Teams report).
func (p *reportParser) sessions(rows []dataRow) (ParticipantsReport, error) {
	rep := ParticipantsReport{Format: p.h.format}
	for _, r := range rows {
		name, email, err := p.person(r)
		if err != nil {
			return ParticipantsReport{}, err
		}
		joined, err := p.time(cell(r.cells, p.h.join), p.h.joinZone, r.line)
		if err != nil {
			return ParticipantsReport{}, err
		}
		left, err := p.time(cell(r.cells, p.h.leave), p.h.leaveZone, r.line)
		if err != nil {
			return ParticipantsReport{}, err
		}
		if left.Before(joined) {
			return ParticipantsReport{}, reportError("event.error.report_left_before_joined", r.line)
		}
		secs := int(left.Sub(joined) / time.Second)
		switch {
		case p.h.minutes >= 0 && cell(r.cells, p.h.minutes) != "":
			m, err := strconv.ParseFloat(strings.ReplaceAll(cell(r.cells, p.h.minutes), ",", "."), 64)
			if err != nil || m < 0 || m > 60*24*31 || math.IsNaN(m) {
				return ParticipantsReport{}, reportError("event.error.report_duration", r.line, cell(r.cells, p.h.minutes))
			}
			secs = int(m * 60)
		case p.h.duration >= 0 && cell(r.cells, p.h.duration) != "":
			d, ok := parseDuration(cell(r.cells, p.h.duration))
			if !ok {
				return ParticipantsReport{}, reportError("event.error.report_duration", r.line, cell(r.cells, p.h.duration))
			}
			secs = d
		}
		rep.Rows = append(rep.Rows, ReportRow{Line: r.line, Name: name, Email: email})
		rep.Sessions = append(rep.Sessions, Session{Name: name, Email: email, Joined: joined, Left: left, Seconds: secs, Line: r.line})
	}
	if len(rep.Rows) == 0 {
		return ParticipantsReport{}, reportError("event.error.report_no_rows")
	}
	return rep, nil
}

// actionList reads the Teams attendance list: each Joined opens a session
// that the person's next Left closes. A session still open at the end of
// the list closes at its last time; a Left with no Joined before it starts
// at the list's first time (the person was there before it began).
func (p *reportParser) actionList(rows []dataRow) (ParticipantsReport, error) {
	rep := ParticipantsReport{Format: FormatTeamsList}
	type action struct {
		name, email string
		join        bool
		at          time.Time
		line        int
	}
	var acts []action
	var first, last time.Time
	for _, r := range rows {
		name, email, err := p.person(r)
		if err != nil {
			return ParticipantsReport{}, err
		}
		var join bool
		switch a := strings.ToLower(cell(r.cells, p.h.action)); {
		case strings.HasPrefix(a, "join"):
			join = true
		case strings.HasPrefix(a, "left"), strings.HasPrefix(a, "leave"):
		default:
			return ParticipantsReport{}, reportError("event.error.report_action", r.line, cell(r.cells, p.h.action))
		}
		at, err := p.time(cell(r.cells, p.h.timestamp), p.h.joinZone, r.line)
		if err != nil {
			return ParticipantsReport{}, err
		}
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
		acts = append(acts, action{name: name, email: email, join: join, at: at, line: r.line})
		rep.Rows = append(rep.Rows, ReportRow{Line: r.line, Name: name, Email: email})
	}
	if len(acts) == 0 {
		return ParticipantsReport{}, reportError("event.error.report_no_rows")
	}
	sort.SliceStable(acts, func(i, j int) bool { return acts[i].at.Before(acts[j].at) })
	open := map[string]action{}
	var order []string
	key := func(a action) string { return personKey(a.email, a.name) }
	for _, a := range acts {
		k := key(a)
		o, isOpen := open[k]
		switch {
		case a.join && isOpen:
			// Joined twice without leaving (a second device): one session.
		case a.join:
			open[k] = a
			order = append(order, k)
		case isOpen:
			rep.Sessions = append(rep.Sessions, Session{Name: o.name, Email: o.email, Joined: o.at, Left: a.at, Seconds: int(a.at.Sub(o.at) / time.Second), Line: o.line})
			delete(open, k)
		default:
			rep.Sessions = append(rep.Sessions, Session{Name: a.name, Email: a.email, Joined: first, Left: a.at, Seconds: int(a.at.Sub(first) / time.Second), Line: a.line})
		}
	}
	for _, k := range order {
		if o, ok := open[k]; ok {
			rep.Sessions = append(rep.Sessions, Session{Name: o.name, Email: o.email, Joined: o.at, Left: last, Seconds: int(last.Sub(o.at) / time.Second), Line: o.line})
			delete(open, k)
		}
	}
	return rep, nil
}

// personKey identifies a person within an event: their address, or their
// name when the report has none.
func personKey(email, name string) string {
	if email != "" {
		return "e:" + email
	}
	return "n:" + NameKey(name)
}

// NameKey is the form in which names are compared: trimmed, inner spaces
// collapsed, lower case.
func NameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// The layouts of times in reports: month first (Zoom, Teams in English),
// then day first (other languages), then ISO. Two-digit years, a comma
// after the date and a 12- or 24-hour clock all occur.
var timeLayouts = func() []string {
	var out []string
	for _, date := range []string{"1/2/2006", "1/2/06", "2/1/2006", "2/1/06", "2.1.2006", "2006-01-02", "2006/01/02"} {
		for _, sep := range []string{" ", ", ", "T"} {
			if sep == "T" && !strings.HasPrefix(date, "2006") {
				continue
			}
			for _, clock := range []string{"3:04:05 PM", "3:04 PM", "15:04:05", "15:04"} {
				out = append(out, date+sep+clock)
			}
		}
	}
	return out
}()

var timeOffset = regexp.MustCompile(`\s*(?:(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?|(Z)|([+-])(\d{2}):?(\d{2}))$`)

// time reads a time of the report: in the zone its header names, else the
// offset it carries, else the event's zone. Of the readings a date allows
// (3/10 is 10 March or 3 October), the one near the event wins.
func (p *reportParser) time(s string, zone *time.Location, line int) (time.Time, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	loc := p.opt.Location
	if zone != nil {
		loc = zone
	}
	if m := timeOffset.FindStringSubmatchIndex(v); m != nil && m[0] > 0 {
		sub := timeOffset.FindStringSubmatch(v)
		switch {
		case sub[4] == "Z":
			loc = time.UTC
		case sub[5] != "":
			loc = offsetZone(sub[5], sub[6], sub[7])
		default:
			loc = offsetZone(sub[1], sub[2], sub[3])
		}
		v = strings.TrimSpace(v[:m[0]])
	}
	v = strings.Join(strings.Fields(v), " ")
	if v == "" {
		return time.Time{}, reportError("event.error.report_time", line, s)
	}
	var firstOK time.Time
	try := func(layout string) (time.Time, bool) {
		t, err := time.ParseInLocation(layout, v, loc)
		if err != nil {
			return time.Time{}, false
		}
		if firstOK.IsZero() {
			firstOK = t
		}
		return t, p.near(t)
	}
	if p.layout != "" {
		if t, ok := try(p.layout); ok {
			return t.UTC(), nil
		}
	}
	for _, layout := range timeLayouts {
		if t, ok := try(layout); ok {
			p.layout = layout
			return t.UTC(), nil
		}
	}
	if !firstOK.IsZero() {
		return firstOK.UTC(), nil
	}
	return time.Time{}, reportError("event.error.report_time", line, s)
}

// near reports whether t falls within a day and a half of the event, or
// whether there is no event to compare with.
func (p *reportParser) near(t time.Time) bool {
	if p.opt.Start.IsZero() {
		return true
	}
	slack := 36 * time.Hour
	return !t.Before(p.opt.Start.Add(-slack)) && !t.After(p.opt.End.Add(slack))
}

var durationParts = regexp.MustCompile(`^(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min|mins)\b)?\s*(?:(\d+)\s*s)?$`)

// parseDuration reads a duration as Teams writes it ("1h 0m 12s", "57m
// 55s", "44m") or as a clock ("00:57:55", "57:55"), in seconds.
func parseDuration(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, false
		}
		total := 0
		for _, x := range parts {
			n, err := strconv.Atoi(x)
			if err != nil || n < 0 || n > 100000 {
				return 0, false
			}
			total = total*60 + n
		}
		return total, true
	}
	m := durationParts.FindStringSubmatch(s)
	if m == nil || s == "" {
		return 0, false
	}
	total := 0
	for i, mult := range []int{3600, 60, 1} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n > 1000000 {
			return 0, false
		}
		total += n * mult
	}
	return total, true
}
