package library

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Filter narrows a community's library. Each facet takes one value.
type Filter struct {
	Kind     string
	Language string
	Country  string
	SDG      int
	Year     int
	Query    string
}

// Validate checks filter values a reader sent and returns them clean.
func (f Filter) Validate() (Filter, error) {
	var e validation.Error
	if f.Kind != "" {
		e.OneOf("kind", f.Kind, false, Kinds...)
	}
	if f.Language = strings.ToLower(strings.TrimSpace(f.Language)); f.Language != "" && !taxonomy.ValidLanguage(f.Language) {
		e.Add("language", "error.language", f.Language)
	}
	if f.Country != "" {
		cc, ok := taxonomy.NormalizeCountry(f.Country)
		if !ok {
			e.Add("country", "error.country")
		}
		f.Country = cc
	}
	if f.SDG != 0 && !taxonomy.ValidGoal(f.SDG) {
		e.Add("sdg", "error.sdg")
	}
	if f.Year != 0 && (f.Year < 1900 || f.Year > 3000) {
		e.Add("year", "library.error.year")
	}
	f.Query = strings.TrimSpace(f.Query)
	if r := []rune(f.Query); len(r) > 200 {
		f.Query = string(r[:200])
	}
	return f, e.Err()
}

// Count is a facet value with how many resources carry it.
type Count struct {
	Value string
	Count int
}

// Facets are the counts of a library's resources by each filter, each
// counted under the other filters, most frequent first.
type Facets struct {
	Kind, Language, Country, SDG, Year []Count
}

// Page is a page of a library with its counts.
type Page struct {
	Resources []Resource
	Total     int
	Facets    Facets
}

// where returns the conditions on resources r for the filter, leaving out
// the facet named by skip.
func (f Filter) where(skip string) (string, []any) {
	var b strings.Builder
	var args []any
	if f.Kind != "" && skip != "kind" {
		b.WriteString(" AND r.kind = ?")
		args = append(args, f.Kind)
	}
	if f.Language != "" && skip != "language" {
		b.WriteString(" AND r.language = ?")
		args = append(args, f.Language)
	}
	if f.Country != "" && skip != "country" {
		b.WriteString(" AND r.id IN (SELECT resource_id FROM resource_countries WHERE country = ?)")
		args = append(args, f.Country)
	}
	if f.SDG != 0 && skip != "sdg" {
		b.WriteString(" AND r.id IN (SELECT resource_id FROM resource_sdgs WHERE sdg = ?)")
		args = append(args, f.SDG)
	}
	if f.Year != 0 && skip != "year" {
		b.WriteString(" AND r.year = ?")
		args = append(args, f.Year)
	}
	if f.Query != "" {
		for _, w := range strings.Fields(strings.ToLower(f.Query)) {
			like := "%" + escapeLike(w) + "%"
			b.WriteString(` AND (lower(r.title) LIKE ? ESCAPE '\' OR lower(r.summary) LIKE ? ESCAPE '\' OR lower(r.authors) LIKE ? ESCAPE '\')`)
			args = append(args, like, like, like)
		}
	}
	return b.String(), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// visibility is the condition on resources r for what the viewer sees.
func visibility(v community.Viewer) (string, []any) {
	if v.CanModerate() {
		return " AND r.deleted_at IS NULL", nil
	}
	if v.User == nil {
		return " AND r.deleted_at IS NULL AND r.hidden_at IS NULL", nil
	}
	return " AND r.deleted_at IS NULL AND (r.hidden_at IS NULL OR r.added_by = ?)", []any{v.User.ID}
}

// List returns a page of a community's library as the viewer may see it,
// newest first, with the facet counts. The text query is a simple word
// match until the site-wide search index takes it over.
func (s *Store) List(ctx context.Context, c community.Community, v community.Viewer, f Filter, limit, offset int) (Page, error) {
	vis, visArgs := visibility(v)
	base := " WHERE r.community_id = ?" + vis
	baseArgs := append([]any{c.ID}, visArgs...)
	var p Page
	w, args := f.where("")
	args = append(append([]any{}, baseArgs...), args...)
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM resources r"+base+w, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("count library of %d: %w", c.ID, err)
	}
	rows, err := s.q.Query(ctx, "SELECT "+resourceColumns+resourceFrom+base+w+" ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if p.Resources, err = sqldb.Collect(rows, err, scanResource); err != nil {
		return p, fmt.Errorf("list library of %d: %w", c.ID, err)
	}
	ptrs := make([]*Resource, len(p.Resources))
	for i := range p.Resources {
		ptrs[i] = &p.Resources[i]
	}
	if err := s.loadLists(ctx, ptrs); err != nil {
		return p, err
	}
	facet := func(skip, sel, join string) ([]Count, error) {
		w, args := f.where(skip)
		rows, err := s.q.Query(ctx, "SELECT "+sel+", COUNT(*) FROM resources r"+join+base+w+" GROUP BY "+sel,
			append(append([]any{}, baseArgs...), args...)...)
		out, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (Count, error) {
			var c Count
			var v any
			err := r.Scan(&v, &c.Count)
			switch x := v.(type) {
			case int64:
				c.Value = strconv.FormatInt(x, 10)
			case []byte:
				c.Value = string(x)
			case string:
				c.Value = x
			}
			return c, err
		})
		sort.SliceStable(out, func(i, j int) bool {
			if out[i].Count != out[j].Count {
				return out[i].Count > out[j].Count
			}
			return out[i].Value < out[j].Value
		})
		return out, err
	}
	if p.Facets.Kind, err = facet("kind", "r.kind", ""); err == nil {
		if p.Facets.Language, err = facet("language", "r.language", ""); err == nil {
			if p.Facets.Country, err = facet("country", "x.country", " JOIN resource_countries x ON x.resource_id = r.id"); err == nil {
				if p.Facets.SDG, err = facet("sdg", "x.sdg", " JOIN resource_sdgs x ON x.resource_id = r.id"); err == nil {
					p.Facets.Year, err = facet("year", "r.year", "")
				}
			}
		}
	}
	if err != nil {
		return p, fmt.Errorf("count library facets of %d: %w", c.ID, err)
	}
	p.Facets.Year = dropEmpty(p.Facets.Year)
	return p, nil
}

func dropEmpty(cs []Count) []Count {
	out := cs[:0]
	for _, c := range cs {
		if c.Value != "" {
			out = append(out, c)
		}
	}
	return out
}

// CountBetween counts a community's resources that every reader sees,
// added in a period; reports use it.
func (s *Store) CountBetween(ctx context.Context, communityID int64, from, to time.Time) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM resources WHERE community_id = ? AND deleted_at IS NULL AND hidden_at IS NULL AND created_at >= ? AND created_at < ?",
		communityID, from, to).Scan(&n)
	return n, err
}
