package sqldb

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Dialect is one of the two engines. The few places where their SQL differs
// ask it for the right form.
type Dialect int

const (
	// SQLite is the embedded default.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL.
	Postgres
)

func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// timeLayout is how SQLite stores times: UTC, fixed width, so that text
// comparison is time comparison, and in a form the driver reads back into a
// time.Time for TIMESTAMP columns.
const timeLayout = "2006-01-02 15:04:05.000000+00:00"

// args converts arguments for the engine: SQLite gets times as fixed-width UTC
// text; PostgreSQL gets times in UTC.
// The caller's slice is never modified.
func (d Dialect) args(args []any) []any {
	var out []any
	for i, a := range args {
		var conv any
		switch v := a.(type) {
		case time.Time:
			conv = d.timeArg(v)
		case *time.Time:
			if v != nil {
				conv = d.timeArg(*v)
			}
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = conv
	}
	if out == nil {
		return args
	}
	return out
}

func (d Dialect) timeArg(t time.Time) any {
	if d == SQLite {
		return t.UTC().Format(timeLayout)
	}
	return t.UTC()
}

// Month returns an expression giving the month (YYYY-MM, UTC) of a timestamp
// column or expression, for grouping by month.
func (d Dialect) Month(expr string) string {
	if d == SQLite {
		return "substr(" + expr + ", 1, 7)"
	}
	return "to_char(" + expr + " AT TIME ZONE 'UTC', 'YYYY-MM')"
}

// Day returns an expression giving the day (YYYY-MM-DD, UTC) of a timestamp.
func (d Dialect) Day(expr string) string {
	if d == SQLite {
		return "substr(" + expr + ", 1, 10)"
	}
	return "to_char(" + expr + " AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
}

// IndexedBy returns the clause that makes SQLite read a table through the
// named index, to follow after the table's name; PostgreSQL plans with
// statistics and gets nothing. Use it where SQLite, which keeps none by
// default, would otherwise sort what an index already holds in order.
func (d Dialect) IndexedBy(index string) string {
	if d == SQLite {
		return " INDEXED BY " + index
	}
	return ""
}

// PlanEachTime returns what to put before a query's arguments so that
// PostgreSQL plans it for those arguments on every call (an unnamed
// statement) rather than reusing a plan made for no values in particular,
// as it does for a prepared statement after five calls: for a search, how
// common the words are decides between plans a hundred times apart. Empty
// on SQLite, which plans each statement once, without statistics.
func (d Dialect) PlanEachTime() []any {
	if d == Postgres {
		return []any{pgx.QueryExecModeExec}
	}
	return nil
}

var rewritten sync.Map // query -> PostgreSQL form

// rewrite turns ? placeholders into $1, $2... for PostgreSQL. Question marks
// inside string literals, quoted identifiers and comments are left alone.
func (d Dialect) rewrite(query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := rewritten.Load(query); ok {
		return q.(string)
	}
	q := Rebind(query)
	rewritten.Store(query, q)
	return q
}

// Rebind returns query with each ? placeholder outside literals, quoted
// identifiers and comments replaced by $1, $2 and so on.
func Rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// Copy up to the closing quote; a doubled quote is an escaped one
			// and simply reopens the literal on the next pass.
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+1])
			i += j
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+4])
			i += j + 3
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Time scans a timestamp from an expression (MIN(at), COALESCE(...)),
// which SQLite returns as text since it has no declared type. NULL leaves
// Valid false.
type Time struct {
	Time  time.Time
	Valid bool
}

// Scan implements sql.Scanner.
func (t *Time) Scan(v any) error {
	t.Time, t.Valid = time.Time{}, false
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		t.Time, t.Valid = x.UTC(), true
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("sqldb.Time: cannot scan %T", v)
	}
	for _, layout := range []string{timeLayout, "2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"} {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time, t.Valid = p.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("sqldb.Time: cannot read %q as a time", s)
}
