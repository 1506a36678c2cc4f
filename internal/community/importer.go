package community

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// ImportColumns are the columns a member CSV file may have; email is
// required, name too for people who have no account yet.
var ImportColumns = []string{"email", "name", "country", "organization", "organization_type", "position", "joined_at", "left_at"}

// Problem is one thing wrong in an imported file: the line (the header is
// line 1), the column when one is to blame, and why.
type Problem struct {
	Line    int
	Column  string
	Message validation.Message
}

// ImportError lists every problem found in a file, none of which was
// imported.
type ImportError struct{ Problems []Problem }

func (e *ImportError) Error() string { return e.Describe(i18n.For("en")) }

// Describe lists the problems in a reader's language, one per line.
func (e *ImportError) Describe(l *i18n.Localizer) string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Column != "" {
			b.WriteString(l.T("import.problem_column", p.Line, p.Column, l.T(p.Message.Key, p.Message.Args...)))
		} else {
			b.WriteString(l.T("import.problem_line", p.Line, l.T(p.Message.Key, p.Message.Args...)))
		}
	}
	return b.String()
}

const maxProblems = 50

// ImportResult says what an import did.
type ImportResult struct {
	Rows           int // data rows read
	Added          int // memberships created
	Created        int // accounts created, unverified
	AlreadyMembers int // rows whose person was already a member
}

// ParseTime reads a date (YYYY-MM-DD, taken as midnight UTC) or an RFC 3339
// time.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// ImportMembers reads a CSV file of members and adds them to the community
// with their join dates, creating unverified accounts for people who have
// none. The whole file is checked first; if any line is wrong nothing is
// imported and every problem is reported with its line and column.
func (s *Store) ImportMembers(ctx context.Context, c Community, r io.Reader, actor account.User) (ImportResult, error) {
	var res ImportResult
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return res, &ImportError{[]Problem{{Line: 1, Message: validation.Message{Key: "import.empty"}}}}
	}
	if err != nil {
		return res, &ImportError{[]Problem{csvProblem(err, 1)}}
	}
	col := map[string]int{}
	var probs []Problem
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, k := range ImportColumns {
			known = known || h == k
		}
		switch {
		case !known:
			probs = append(probs, Problem{Line: 1, Column: h, Message: validation.Message{Key: "import.unknown_column", Args: []any{strings.Join(ImportColumns, ", ")}}})
		case col[h] != 0:
			probs = append(probs, Problem{Line: 1, Column: h, Message: validation.Message{Key: "import.duplicate_column"}})
		}
		col[h] = i + 1
	}
	if col["email"] == 0 {
		probs = append(probs, Problem{Line: 1, Column: "email", Message: validation.Message{Key: "import.missing_column"}})
	}
	if len(probs) > 0 {
		return res, &ImportError{probs}
	}
	get := func(rec []string, name string) string {
		if i := col[name]; i != 0 {
			return strings.TrimSpace(rec[i-1])
		}
		return ""
	}
	type row struct {
		line int
		in   NewMember
	}
	var rows []row
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, csvProblem(err, 0))
			if len(probs) >= maxProblems {
				break
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
				continue
			}
			break // broken quoting: the rest of the file cannot be read reliably
		}
		line, _ := cr.FieldPos(0)
		in := NewMember{Email: get(rec, "email"), Name: get(rec, "name"), Country: get(rec, "country"), Organization: get(rec, "organization"),
			OrganizationType: get(rec, "organization_type"), Position: get(rec, "position")}
		add := func(column, key string, args ...any) {
			probs = append(probs, Problem{Line: line, Column: column, Message: validation.Message{Key: key, Args: args}})
		}
		var e validation.Error
		in.Email = e.Email("email", in.Email, true)
		if e.Has("email") {
			add("email", e.Fields["email"].Key)
		} else if first, dup := seen[in.Email]; dup && get(rec, "left_at") == "" {
			add("email", "import.duplicate_email", first)
		} else if get(rec, "left_at") == "" {
			seen[in.Email] = line
		}
		if in.Country != "" {
			cc, ok := taxonomy.NormalizeCountry(in.Country)
			if !ok {
				add("country", "error.country")
			}
			in.Country = cc
		}
		if in.OrganizationType != "" && !taxonomy.ValidOrganizationType(in.OrganizationType) {
			add("organization_type", "error.organization_type")
		}
		if v := get(rec, "joined_at"); v != "" {
			t, ok := ParseTime(v)
			switch {
			case !ok:
				add("joined_at", "import.bad_date", v)
			case t.After(time.Now()):
				add("joined_at", "community.error.joined_future")
			}
			in.JoinedAt = t
		}
		if v := get(rec, "left_at"); v != "" {
			t, ok := ParseTime(v)
			switch {
			case !ok:
				add("left_at", "import.bad_date", v)
			case in.JoinedAt.IsZero() || !t.After(in.JoinedAt):
				add("left_at", "community.error.left_before_joined")
			}
			in.LeftAt = t
		}
		rows = append(rows, row{line: line, in: in})
		if len(probs) >= maxProblems {
			break
		}
	}
	res.Rows = len(rows)
	if len(probs) > 0 {
		return ImportResult{}, &ImportError{probs}
	}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		for _, r := range rows {
			_, created, err := st.AddMember(ctx, c, r.in, actor)
			if ve, ok := validation.As(err); ok {
				if ve.Has("user") && ve.Fields["user"].Key == "community.error.already_member" {
					res.AlreadyMembers++
					continue
				}
				for _, name := range ve.Names() {
					column := name
					if name == "user" {
						column = "email"
					}
					probs = append(probs, Problem{Line: r.line, Column: column, Message: ve.Fields[name]})
				}
				if len(probs) >= maxProblems {
					break
				}
				continue
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", r.line, err)
			}
			res.Added++
			if created {
				res.Created++
			}
		}
		if len(probs) > 0 {
			return &ImportError{probs}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

func csvProblem(err error, line int) Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			return Problem{Line: pe.Line, Message: validation.Message{Key: "import.field_count"}}
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return Problem{Line: pe.Line, Message: validation.Message{Key: "import.bad_quotes"}}
		}
		return Problem{Line: pe.Line, Message: validation.Message{Key: "import.bad_csv", Args: []any{pe.Err.Error()}}}
	}
	return Problem{Line: line, Message: validation.Message{Key: "import.bad_csv", Args: []any{err.Error()}}}
}
