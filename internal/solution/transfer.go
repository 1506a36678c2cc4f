package solution

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Import and export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// Record is a solution as import and export files hold it: in JSON an
// object with these fields, in CSV a row under columns of the same names,
// where list fields are separated by ";" and each contact is
// name|title|organization (|email when there is one). Updated and archived
// are optional: export writes them so that a catalogue re-imports
// identically; without them, an import creates records as updated now and
// leaves the archive state of existing records alone.
type Record struct {
	Title                string          `json:"title"`
	Tagline              string          `json:"tagline"`
	Challenge            string          `json:"challenge"`
	Solution             string          `json:"solution"`
	Results              string          `json:"results"`
	Lessons              string          `json:"lessons"`
	Replicability        string          `json:"replicability"`
	Countries            []string        `json:"countries"`
	Global               bool            `json:"global"`
	Modality             string          `json:"modality"`
	PrimarySDG           int             `json:"primary_sdg"`
	SecondarySDGs        []int           `json:"secondary_sdgs"`
	SDGTargets           []string        `json:"sdg_targets"`
	Status               string          `json:"status"`
	StartDate            string          `json:"start_date"`
	EndDate              string          `json:"end_date"`
	SupportedBy          []string        `json:"supported_by"`
	ImplementingEntities []string        `json:"implementing_entities"`
	Contacts             []RecordContact `json:"contacts"`
	URL                  string          `json:"url"`
	Language             string          `json:"language"`
	Communities          []string        `json:"communities"`
	Archived             *bool           `json:"archived,omitempty"`
	UpdatedAt            string          `json:"updated_at,omitempty"` // RFC 3339

	line     int       // CSV line the record starts on; 0 in JSON
	problems []Problem // values that could not be read as their type
}

// RecordContact is a contact in an import or export file.
type RecordContact struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	Organization string `json:"organization"`
	Email        string `json:"email,omitempty"`
}

// Columns are the CSV columns, in the order export writes them. Import
// takes them in any order and accepts files without some of them; title is
// the one column it needs.
var Columns = []string{
	"title", "tagline", "challenge", "solution", "results", "lessons", "replicability",
	"countries", "global", "modality", "primary_sdg", "secondary_sdgs", "sdg_targets", "status",
	"start_date", "end_date", "supported_by", "implementing_entities", "contacts", "url", "language",
	"communities", "archived", "updated_at",
}

// RecordOf returns a stored solution as a record of an export file.
func RecordOf(x Solution) Record {
	in := x.Input()
	archived := x.Archived()
	r := Record{
		Title: in.Title, Tagline: in.Tagline, Challenge: in.Challenge, Solution: in.Approach, Results: in.Results,
		Lessons: in.Lessons, Replicability: in.Replicability, Countries: in.Countries, Global: in.Global,
		Modality: in.Modality, PrimarySDG: in.PrimarySDG, SecondarySDGs: in.SecondarySDGs, SDGTargets: in.Targets,
		Status: in.Status, StartDate: in.StartDate, EndDate: in.EndDate, SupportedBy: in.SupportedBy,
		ImplementingEntities: in.Implementers, URL: in.URL, Language: in.Language, Communities: in.Communities,
		Archived: &archived, UpdatedAt: x.UpdatedAt.UTC().Format(time.RFC3339),
		Contacts: make([]RecordContact, len(in.Contacts)),
	}
	for i, c := range in.Contacts {
		r.Contacts[i] = RecordContact(c)
	}
	return r
}

// Input returns the record as an editor's input.
func (r Record) Input() Input {
	in := Input{
		Title: r.Title, Tagline: r.Tagline, Challenge: r.Challenge, Approach: r.Solution, Results: r.Results,
		Lessons: r.Lessons, Replicability: r.Replicability, Countries: r.Countries, Global: r.Global,
		Modality: r.Modality, PrimarySDG: r.PrimarySDG, SecondarySDGs: r.SecondarySDGs, Targets: r.SDGTargets,
		Status: r.Status, StartDate: r.StartDate, EndDate: r.EndDate, SupportedBy: r.SupportedBy,
		Implementers: r.ImplementingEntities, URL: r.URL, Language: r.Language, Communities: r.Communities,
	}
	for _, c := range r.Contacts {
		in.Contacts = append(in.Contacts, Contact(c))
	}
	return in
}

// Problem is one thing wrong with an import file: where (the record's
// number, counting from 1, and in CSV its line, the header being line 1),
// which field, and why, as a catalogue message.
type Problem struct {
	Record  int
	Line    int
	Field   string
	Message validation.Message
}

// ImportError lists every problem found in an import file. Nothing of a
// file with problems is imported.
type ImportError struct {
	Problems []Problem
	More     int // problems found beyond those listed
}

// maxProblems bounds the problems an ImportError lists.
const maxProblems = 200

func (e *ImportError) Error() string {
	return fmt.Sprintf("import: %d problems", len(e.Problems)+e.More)
}

func (e *ImportError) add(p Problem) {
	if len(e.Problems) >= maxProblems {
		e.More++
		return
	}
	e.Problems = append(e.Problems, p)
}

func (e *ImportError) err() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Describe returns a problem as one line in the reader's language:
// "line 3, countries: …" or "record 2, title: …".
func (p Problem) Describe(l *i18n.Localizer) string {
	msg := l.T(p.Message.Key, p.Message.Args...)
	var where string
	switch {
	case p.Line > 0:
		where = l.T("solution.import.at_line", p.Line)
	case p.Record > 0:
		where = l.T("solution.import.at_record", p.Record)
	}
	if p.Field != "" {
		where = strings.TrimSpace(where + " " + p.Field)
	}
	if where == "" {
		r, n := utf8.DecodeRuneInString(msg)
		return string(unicode.ToUpper(r)) + msg[n:]
	}
	return where + ": " + msg
}

func fileProblem(key string, args ...any) *ImportError {
	return &ImportError{Problems: []Problem{{Message: validation.Message{Key: key, Args: args}}}}
}

// limitReader fails with ErrTooLarge once more than n bytes were read.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, ErrTooLarge
	}
	return n, err
}

// Read reads an import file in the format (FormatCSV or FormatJSON) and
// checks its structure, not yet its records: a file over limit bytes is
// ErrTooLarge, a malformed one an *ImportError.
func Read(r io.Reader, format string, limit int64) ([]Record, error) {
	r = &limitReader{r: r, n: limit}
	switch format {
	case FormatCSV:
		return ReadCSV(r)
	case FormatJSON:
		return ReadJSON(r)
	}
	return nil, fileProblem("solution.import.format")
}

// ReadJSON reads a JSON array of records.
func ReadJSON(r io.Reader) ([]Record, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if errors.Is(err, ErrTooLarge) {
		return nil, err
	}
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
		if errors.Is(err, io.EOF) {
			return nil, fileProblem("solution.import.empty")
		}
		return nil, fileProblem("solution.import.not_array")
	}
	var records []Record
	var problems ImportError
	for n := 1; dec.More(); n++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			problems.add(Problem{Record: n, Message: validation.Message{Key: "solution.import.json_syntax", Args: []any{dec.InputOffset()}}})
			return nil, &problems
		}
		var rec Record
		rd := json.NewDecoder(bytes.NewReader(raw))
		rd.DisallowUnknownFields()
		if err := rd.Decode(&rec); err != nil {
			rec.problems = append(rec.problems, jsonProblem(n, err))
		}
		records = append(records, rec)
	}
	if _, err := dec.Token(); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		problems.add(Problem{Message: validation.Message{Key: "solution.import.json_syntax", Args: []any{dec.InputOffset()}}})
		return nil, &problems
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		problems.add(Problem{Message: validation.Message{Key: "solution.import.trailing"}})
	}
	if err := problems.err(); err != nil {
		return nil, err
	}
	return records, nil
}

// jsonProblem says what is wrong with record n of a JSON file.
func jsonProblem(n int, err error) Problem {
	var typeErr *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		field, _, _ := strings.Cut(typeErr.Field, ".")
		return Problem{Record: n, Field: field, Message: validation.Message{Key: "solution.import.json_type"}}
	case errors.As(err, &typeErr):
		return Problem{Record: n, Message: validation.Message{Key: "solution.import.json_object"}}
	case errors.As(err, &syntax):
		return Problem{Record: n, Message: validation.Message{Key: "solution.import.json_syntax", Args: []any{syntax.Offset}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Problem{Record: n, Field: name, Message: validation.Message{Key: "solution.import.unknown_field"}}
	}
	return Problem{Record: n, Message: validation.Message{Key: "solution.import.json_object"}}
}

// ReadCSV reads a CSV file with a header row of column names.
func ReadCSV(r io.Reader) ([]Record, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3) // the byte-order mark spreadsheets write
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		if errors.Is(err, io.EOF) {
			return nil, fileProblem("solution.import.empty")
		}
		return nil, csvProblem(err, 0)
	}
	cols := make([]string, len(header))
	var problems ImportError
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		cols[i] = h
		switch {
		case !contains(Columns, h):
			problems.add(Problem{Line: 1, Message: validation.Message{Key: "solution.import.unknown_column", Args: []any{h, strings.Join(Columns, ", ")}}})
		case seen[h]:
			problems.add(Problem{Line: 1, Message: validation.Message{Key: "solution.import.duplicate_column", Args: []any{h}}})
		}
		seen[h] = true
	}
	if !seen["title"] {
		problems.add(Problem{Line: 1, Message: validation.Message{Key: "solution.import.no_title_column"}})
	}
	if err := problems.err(); err != nil {
		return nil, err
	}
	var records []Record
	for n := 1; ; n++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			problems.add(Problem{Record: n, Line: pe.StartLine, Message: validation.Message{Key: "solution.import.field_count", Args: []any{len(row), len(cols)}}})
			continue
		}
		if err != nil {
			problems.add(csvProblem(err, n).Problems[0])
			return nil, &problems
		}
		line, _ := cr.FieldPos(0)
		if blank(row) {
			continue
		}
		rec := recordFromRow(cols, row)
		rec.line = line
		for i := range rec.problems {
			rec.problems[i].Record, rec.problems[i].Line = n, line
		}
		records = append(records, rec)
	}
	if err := problems.err(); err != nil {
		return nil, err
	}
	return records, nil
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvProblem describes a malformed CSV file.
func csvProblem(err error, record int) *ImportError {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fileProblem("solution.import.unreadable")
	}
	key, line, args := "solution.import.csv_syntax", pe.Line, []any{pe.Column}
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		key, line, args = "solution.import.quote", pe.StartLine, []any{pe.Line, pe.Column}
	case errors.Is(pe.Err, csv.ErrBareQuote):
		key = "solution.import.bare_quote"
	}
	return &ImportError{Problems: []Problem{{Record: record, Line: line, Message: validation.Message{Key: key, Args: args}}}}
}

// recordFromRow reads one CSV row; values that cannot be read as their type
// (a number, true or false, a contact) are problems.
func recordFromRow(cols, row []string) Record {
	var r Record
	bad := func(field, key string, args ...any) {
		r.problems = append(r.problems, Problem{Field: field, Message: validation.Message{Key: key, Args: args}})
	}
	list := func(s string) []string {
		var out []string
		for _, v := range strings.Split(s, ";") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	boolean := func(field, s string) bool {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "", "false", "no", "0":
			return false
		case "true", "yes", "1":
			return true
		}
		bad(field, "solution.import.boolean", s)
		return false
	}
	for i, col := range cols {
		v := row[i]
		switch col {
		case "title":
			r.Title = v
		case "tagline":
			r.Tagline = v
		case "challenge":
			r.Challenge = v
		case "solution":
			r.Solution = v
		case "results":
			r.Results = v
		case "lessons":
			r.Lessons = v
		case "replicability":
			r.Replicability = v
		case "countries":
			r.Countries = list(v)
		case "global":
			r.Global = boolean(col, v)
		case "modality":
			r.Modality = v
		case "primary_sdg":
			if v = strings.TrimSpace(v); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					bad(col, "solution.import.number", v)
				}
				r.PrimarySDG = n
			}
		case "secondary_sdgs":
			for _, s := range list(v) {
				n, err := strconv.Atoi(s)
				if err != nil {
					bad(col, "solution.import.number", s)
					continue
				}
				r.SecondarySDGs = append(r.SecondarySDGs, n)
			}
		case "sdg_targets":
			r.SDGTargets = list(v)
		case "status":
			r.Status = v
		case "start_date":
			r.StartDate = v
		case "end_date":
			r.EndDate = v
		case "supported_by":
			r.SupportedBy = list(v)
		case "implementing_entities":
			r.ImplementingEntities = list(v)
		case "contacts":
			for _, c := range list(v) {
				parts := strings.Split(c, "|")
				if len(parts) > 4 {
					bad(col, "solution.import.contact", c)
					continue
				}
				parts = append(parts, "", "", "")
				r.Contacts = append(r.Contacts, RecordContact{Name: parts[0], Title: parts[1], Organization: parts[2], Email: parts[3]})
			}
		case "url":
			r.URL = v
		case "language":
			r.Language = v
		case "communities":
			r.Communities = list(v)
		case "archived":
			a := boolean(col, v)
			if strings.TrimSpace(v) != "" {
				r.Archived = &a
			}
		case "updated_at":
			r.UpdatedAt = strings.TrimSpace(v)
		}
	}
	return r
}

// WriteJSON writes records as an indented JSON array.
func WriteJSON(w io.Writer, list []Solution) error {
	records := make([]Record, len(list))
	for i, x := range list {
		records[i] = RecordOf(x)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(records)
}

// WriteCSV writes records as CSV with a header row of every column.
func WriteCSV(w io.Writer, list []Solution) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, x := range list {
		r := RecordOf(x)
		contacts := make([]string, len(r.Contacts))
		for i, c := range r.Contacts {
			parts := []string{c.Name, c.Title, c.Organization}
			if c.Email != "" {
				parts = append(parts, c.Email)
			}
			contacts[i] = strings.Join(parts, "|")
		}
		row := []string{
			r.Title, r.Tagline, r.Challenge, r.Solution, r.Results, r.Lessons, r.Replicability,
			strings.Join(r.Countries, ";"), strconv.FormatBool(r.Global), r.Modality, strconv.Itoa(r.PrimarySDG),
			strings.Join(itoas(r.SecondarySDGs), ";"), strings.Join(r.SDGTargets, ";"), r.Status,
			r.StartDate, r.EndDate, strings.Join(r.SupportedBy, ";"), strings.Join(r.ImplementingEntities, ";"),
			strings.Join(contacts, ";"), r.URL, r.Language, strings.Join(r.Communities, ";"),
			strconv.FormatBool(*r.Archived), r.UpdatedAt,
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Export writes every record, archived ones included, in the format.
func (s *Store) Export(ctx context.Context, w io.Writer, format string) error {
	list, err := s.All(ctx)
	if err != nil {
		return err
	}
	switch format {
	case FormatCSV:
		return WriteCSV(w, list)
	case FormatJSON:
		return WriteJSON(w, list)
	}
	return fmt.Errorf("export: unknown format %q", format)
}

// ImportSummary says what an import did.
type ImportSummary struct {
	Created, Updated, Unchanged int
}

// prepared is a record of an import file checked and matched to the
// catalogue.
type prepared struct {
	in        Input
	w         written
	existing  int64 // the record it updates, 0 for a new one
	problemAt Problem
}

// Import validates every record of a file first and reports every problem
// (an *ImportError), then, only if there is none, writes them all in one
// transaction. A record whose url, or else title and start date, matches an
// existing record updates it instead of adding a second one.
func (s *Store) Import(ctx context.Context, ed Editor, records []Record) (ImportSummary, error) {
	var problems ImportError
	preps := make([]prepared, len(records))
	byURL, byTitle := map[string]int{}, map[string]int{}
	t := now()
	for i, rec := range records {
		at := Problem{Record: i + 1, Line: rec.line}
		p := prepared{problemAt: at}
		reported := map[string]bool{}
		for _, pr := range rec.problems {
			pr.Record, pr.Line = at.Record, at.Line
			problems.add(pr)
			reported[pr.Field] = true
		}
		in, err := rec.Input().Validate()
		if ve, ok := validation.As(err); ok {
			for _, f := range ve.Names() {
				if !reported[f] {
					problems.add(Problem{Record: at.Record, Line: at.Line, Field: f, Message: ve.Fields[f]})
				}
			}
		}
		p.in = in
		p.w.archived = rec.Archived
		if rec.UpdatedAt != "" {
			u, err := time.Parse(time.RFC3339, rec.UpdatedAt)
			switch {
			case err != nil:
				problems.add(Problem{Record: at.Record, Line: at.Line, Field: "updated_at", Message: validation.Message{Key: "solution.import.time"}})
			case u.After(t.Add(time.Hour)):
				problems.add(Problem{Record: at.Record, Line: at.Line, Field: "updated_at", Message: validation.Message{Key: "solution.import.future"}})
			default:
				p.w.updatedAt = u
			}
		}
		if k := urlKey(in.URL); k != nil {
			if j, dup := byURL[k.(string)]; dup {
				problems.add(Problem{Record: at.Record, Line: at.Line, Field: "url", Message: validation.Message{Key: "solution.import.same_url", Args: []any{j + 1}}})
			}
			byURL[k.(string)] = i
		} else {
			tk := fold(in.Title) + "\x00" + in.StartDate
			if j, dup := byTitle[tk]; dup {
				problems.add(Problem{Record: at.Record, Line: at.Line, Field: "title", Message: validation.Message{Key: "solution.import.same_title", Args: []any{j + 1}}})
			}
			byTitle[tk] = i
		}
		preps[i] = p
	}
	if err := problems.err(); err != nil {
		return ImportSummary{}, err
	}
	var sum ImportSummary
	err := s.inTx(ctx, func(st *Store) error {
		if err := st.match(ctx, preps, &problems); err != nil {
			return err
		}
		if err := problems.err(); err != nil {
			return err
		}
		for _, p := range preps {
			if p.existing == 0 {
				if _, err := st.create(ctx, ed, p.in, p.w); err != nil {
					return importFailure(p.problemAt, err)
				}
				sum.Created++
				continue
			}
			changed, err := st.update(ctx, ed, p.existing, p.in, p.w)
			if err != nil {
				return importFailure(p.problemAt, err)
			}
			if changed {
				sum.Updated++
			} else {
				sum.Unchanged++
			}
		}
		return nil
	})
	return sum, err
}

// importFailure turns a validation error found while writing (a conflict
// the checks before could not see) into a problem of the record.
func importFailure(at Problem, err error) error {
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	var ie ImportError
	for _, f := range ve.Names() {
		ie.add(Problem{Record: at.Record, Line: at.Line, Field: f, Message: ve.Fields[f]})
	}
	return &ie
}

// match finds the existing record each prepared record updates, and checks
// that its url, title and start date clash with no other record and that
// its communities exist. It reads the catalogue with a few queries per few
// hundred records.
func (s *Store) match(ctx context.Context, preps []prepared, problems *ImportError) error {
	type key struct{ title, start string }
	byURL := map[string]int64{}
	byTitle := map[key]int64{}
	var urls, titles []any
	slugs := map[string]bool{}
	for _, p := range preps {
		if k := urlKey(p.in.URL); k != nil {
			urls = append(urls, k)
		}
		titles = append(titles, fold(p.in.Title))
		for _, sl := range p.in.Communities {
			slugs[sl] = true
		}
	}
	for start := 0; start < len(urls); start += idChunk {
		chunk := urls[start:min(start+idChunk, len(urls))]
		rows, err := s.q.Query(ctx, "SELECT url_key, id FROM solutions WHERE url_key IN ("+sqldb.Placeholders(len(chunk))+")", chunk...)
		if err != nil {
			return fmt.Errorf("match imported urls: %w", err)
		}
		for rows.Next() {
			var k string
			var id int64
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return err
			}
			byURL[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for start := 0; start < len(titles); start += idChunk {
		chunk := titles[start:min(start+idChunk, len(titles))]
		rows, err := s.q.Query(ctx, "SELECT title_key, start_month, id FROM solutions WHERE title_key IN ("+sqldb.Placeholders(len(chunk))+")", chunk...)
		if err != nil {
			return fmt.Errorf("match imported titles: %w", err)
		}
		for rows.Next() {
			var k key
			var id int64
			if err := rows.Scan(&k.title, &k.start, &id); err != nil {
				rows.Close()
				return err
			}
			byTitle[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var slugList []string
	for sl := range slugs {
		slugList = append(slugList, sl)
	}
	sort.Strings(slugList)
	known := map[string]bool{}
	for start := 0; start < len(slugList); start += idChunk {
		chunk := slugList[start:min(start+idChunk, len(slugList))]
		rows, err := s.q.Query(ctx, "SELECT slug FROM communities WHERE slug IN ("+sqldb.Placeholders(len(chunk))+")", anys(chunk)...)
		if err != nil {
			return fmt.Errorf("match imported communities: %w", err)
		}
		for rows.Next() {
			var sl string
			if err := rows.Scan(&sl); err != nil {
				rows.Close()
				return err
			}
			known[sl] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	claimed := map[int64]int{} // existing record -> the file's record that updates it
	for i := range preps {
		p := &preps[i]
		at := p.problemAt
		urlID, titleID := int64(0), byTitle[key{fold(p.in.Title), p.in.StartDate}]
		if k := urlKey(p.in.URL); k != nil {
			urlID = byURL[k.(string)]
		}
		p.existing = urlID
		if p.existing == 0 {
			p.existing = titleID
		}
		if titleID != 0 && titleID != p.existing {
			problems.add(Problem{Record: at.Record, Line: at.Line, Field: "title", Message: validation.Message{Key: "solution.error.title_taken", Args: []any{titleID}}})
		}
		if p.existing != 0 {
			if j, dup := claimed[p.existing]; dup {
				problems.add(Problem{Record: at.Record, Line: at.Line, Field: "title", Message: validation.Message{Key: "solution.import.same_record", Args: []any{j, p.existing}}})
			}
			claimed[p.existing] = at.Record
		}
		for _, sl := range p.in.Communities {
			if !known[sl] {
				problems.add(Problem{Record: at.Record, Line: at.Line, Field: "communities", Message: validation.Message{Key: "solution.error.community_unknown", Args: []any{sl}}})
			}
		}
	}
	return nil
}
