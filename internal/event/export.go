package event

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/validation"
)

// The standard columns of a registrants export; each custom question adds
// one, named answers.KEY.
var ExportColumns = []string{"name", "email", "country", "organization", "organization_type", "status", "waitlist_position",
	"registered_at", "source", "attended", "minutes"}

// DefaultExportColumns are ticked when the export form first shows.
var DefaultExportColumns = []string{"name", "email", "country", "organization", "organization_type", "status", "attended"}

// Table is rows of text under a header, written as CSV or XLSX.
type Table struct {
	Header []string
	Rows   [][]string
}

// RegistrantsTable builds the export of an event's registrations (every
// status) with the columns asked for, in the order given, headed in the
// reader's language.
func (s *Store) RegistrantsTable(ctx context.Context, e Event, columns []string, l *i18n.Localizer) (Table, error) {
	var v validation.Error
	if len(columns) == 0 {
		v.Add("columns", "event.error.no_columns")
	}
	var t Table
	for _, c := range columns {
		switch {
		case contains(ExportColumns, c):
			t.Header = append(t.Header, l.T("event.column."+c))
		case strings.HasPrefix(c, "answers."):
			q, ok := e.Question(strings.TrimPrefix(c, "answers."))
			if !ok {
				v.Add("columns", "event.error.unknown_column", c)
				continue
			}
			t.Header = append(t.Header, q.Text)
		default:
			v.Add("columns", "event.error.unknown_column", c)
		}
	}
	if err := v.Err(); err != nil {
		return t, err
	}
	regs, _, err := s.Registrations(ctx, e.ID, RegistrationsOptions{Status: "all"})
	if err != nil {
		return t, err
	}
	attendees, err := s.Attendees(ctx, e)
	if err != nil {
		return t, err
	}
	byReg := map[int64]Attendee{}
	for _, a := range attendees {
		if a.RegistrationID != 0 {
			byReg[a.RegistrationID] = a
		}
	}
	for _, r := range regs {
		a, attended := byReg[r.ID]
		row := make([]string, 0, len(columns))
		for _, c := range columns {
			var val string
			switch c {
			case "name":
				val = r.Name
			case "email":
				val = r.Email
			case "country":
				val = r.Country
			case "organization":
				val = r.Organization
			case "organization_type":
				val = r.OrganizationType
			case "status":
				val = r.Status
			case "waitlist_position":
				if r.WaitlistPosition > 0 {
					val = strconv.Itoa(r.WaitlistPosition)
				}
			case "registered_at":
				val = r.RegisteredAt.UTC().Format(time.RFC3339)
			case "source":
				val = r.Source
			case "attended":
				val = "no"
				if attended {
					val = "yes"
				}
			case "minutes":
				if attended {
					val = strconv.Itoa(a.Seconds / 60)
				}
			default:
				val = strings.Join(r.Answers[strings.TrimPrefix(c, "answers.")], "; ")
			}
			row = append(row, val)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// SurveyTable builds the export of a survey's responses: one row per
// response, one column per question (likert as 1 to 5, choices joined with
// "; ").
func SurveyTable(sv survey.Survey, responses []survey.Response, l *i18n.Localizer) Table {
	t := Table{Header: []string{l.T("event.column.submitted_at"), l.T("event.column.respondent")}}
	for _, q := range sv.Questions {
		t.Header = append(t.Header, q.ID+": "+q.Text)
	}
	for _, r := range responses {
		row := []string{r.SubmittedAt.UTC().Format(time.RFC3339), r.Email}
		byQ := map[string]survey.Answer{}
		for _, a := range r.Answers {
			byQ[a.QuestionID] = a
		}
		for _, q := range sv.Questions {
			a := byQ[q.ID]
			switch {
			case a.Likert != 0:
				row = append(row, strconv.Itoa(a.Likert))
			case a.Choices != nil:
				row = append(row, strings.Join(a.Choices, "; "))
			default:
				row = append(row, a.Text)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// WriteCSV writes the table as CSV. A cell that a spreadsheet would take
// for a formula (=, +, -, @ first) gets a leading apostrophe, so an export
// opened in a spreadsheet cannot run what a registrant typed.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		safe := make([]string, len(r))
		for i, c := range r {
			safe[i] = defuse(c)
		}
		if err := cw.Write(safe); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteXLSX writes the table as a one-sheet Office Open XML workbook, every
// cell an inline string. The format needs only a zip of five small XML
// files, which the standard library writes; a spreadsheet library would
// add a dozen dependencies for that.
func WriteXLSX(w io.Writer, sheet string, t Table) error {
	z := zip.NewWriter(w)
	put := func(name, content string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, content)
		return err
	}
	files := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + xmlEscape(sheetName(sheet)) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>`},
	}
	for _, f := range files {
		if err := put(f.name, f.content); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	row := func(n int, cells []string, style string) {
		fmt.Fprintf(&b, `<row r="%d">`, n)
		for i, c := range cells {
			fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>`, columnName(i), n, style, xmlEscape(c))
		}
		b.WriteString("</row>")
	}
	row(1, t.Header, ` s="1"`)
	for i, r := range t.Rows {
		row(i+2, r, "")
	}
	b.WriteString("</sheetData></worksheet>")
	if err := put("xl/worksheets/sheet1.xml", b.String()); err != nil {
		return err
	}
	return z.Close()
}

// columnName is a spreadsheet column's letters: A, B... Z, AA, AB...
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// sheetName makes a valid sheet name: at most 31 characters, none of
// []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(strings.TrimSpace(s)); len(r) > 31 {
		s = string(r[:31])
	}
	if strings.TrimSpace(s) == "" {
		return "Sheet1"
	}
	return s
}

// xmlEscape escapes text for XML and drops the characters XML 1.0 cannot
// hold.
func xmlEscape(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
