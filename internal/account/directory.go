package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// ProfileFilter narrows a list of people by what their profiles say. The
// site-wide directory and each community's member directory use it.
type ProfileFilter struct {
	Country          string // ISO alpha-2
	Region           string // UN M49 code or English name
	OrganizationType string
	Expertise        string // one tag, compared as TagKey
	Language         string // ISO 639-1
	Query            string // part of the name or organisation
}

// Validate checks the filter values a reader typed or sent and returns them
// in canonical form (upper-case country, M49 region code).
func (f ProfileFilter) Validate() (ProfileFilter, error) {
	var e validation.Error
	if f.Country = strings.TrimSpace(f.Country); f.Country != "" {
		cc, ok := taxonomy.NormalizeCountry(f.Country)
		if !ok {
			e.Add("country", "error.country")
		}
		f.Country = cc
	}
	if f.Region = strings.TrimSpace(f.Region); f.Region != "" {
		code, ok := taxonomy.ParseRegion(f.Region)
		if !ok {
			e.Add("region", "error.region")
		}
		f.Region = code
	}
	if f.OrganizationType = strings.TrimSpace(f.OrganizationType); f.OrganizationType != "" && !taxonomy.ValidOrganizationType(f.OrganizationType) {
		e.Add("organization_type", "error.organization_type")
	}
	if f.Language = strings.ToLower(strings.TrimSpace(f.Language)); f.Language != "" && !taxonomy.ValidLanguage(f.Language) {
		e.Add("language", "error.language", f.Language)
	}
	f.Expertise = TagKey(f.Expertise)
	f.Query = strings.TrimSpace(f.Query)
	if len([]rune(f.Query)) > 100 {
		f.Query = string([]rune(f.Query)[:100])
	}
	return f, e.Err()
}

// Active reports whether any filter is set.
func (f ProfileFilter) Active() bool { return f != ProfileFilter{} }

// Where returns SQL conditions (joined with AND, each starting with " AND ")
// and their arguments for the users table under alias u. A field named in
// skip is left out, so facet counts can be made under the other filters.
func (f ProfileFilter) Where(skip string) (string, []any) {
	var b strings.Builder
	var args []any
	if f.Country != "" && skip != "country" {
		b.WriteString(" AND u.country = ?")
		args = append(args, f.Country)
	}
	if f.Region != "" && skip != "region" {
		cs := taxonomy.RegionCountries(f.Region)
		b.WriteString(" AND u.country IN (" + sqldb.Placeholders(len(cs)) + ")")
		for _, c := range cs {
			args = append(args, c)
		}
	}
	if f.OrganizationType != "" && skip != "organization_type" {
		b.WriteString(" AND u.organization_type = ?")
		args = append(args, f.OrganizationType)
	}
	if f.Expertise != "" && skip != "expertise" {
		b.WriteString(" AND EXISTS (SELECT 1 FROM user_expertise x WHERE x.user_id = u.id AND x.tag_key = ?)")
		args = append(args, f.Expertise)
	}
	if f.Language != "" && skip != "language" {
		b.WriteString(" AND EXISTS (SELECT 1 FROM user_languages l WHERE l.user_id = u.id AND l.language = ?)")
		args = append(args, f.Language)
	}
	if f.Query != "" && skip != "q" {
		like := "%" + escapeLike(strings.ToLower(f.Query)) + "%"
		b.WriteString(` AND (lower(u.name) LIKE ? ESCAPE '\' OR lower(u.organization) LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	return b.String(), args
}

// VisibleTo returns the SQL condition, for users under alias u, that keeps
// the profiles reader may see (see CanSeeProfile); reader is nil for an
// anonymous visitor. Disabled accounts never show.
func VisibleTo(reader *User) (string, []any) {
	switch {
	case reader == nil:
		return " AND u.disabled_at IS NULL AND u.profile_visibility = 'public'", nil
	case reader.Admin:
		return "", nil
	}
	return " AND u.disabled_at IS NULL AND (u.profile_visibility IN ('public', 'members') OR u.id = ?)", []any{reader.ID}
}

// Card is what a directory shows of a person.
type Card struct {
	ID               int64
	Name             string
	Country          string
	Organization     string
	OrganizationType string
	Position         string
}

// Facets are the counts of a directory by country and organisation type,
// each counted under the other filters.
type Facets struct {
	Countries         map[string]int
	Regions           map[string]int // top-level M49 regions, from the country counts
	OrganizationTypes map[string]int
}

// DirectoryPage is one page of a directory with its counts.
type DirectoryPage struct {
	People []Card
	Total  int
	Facets Facets
}

// DirectoryQuery describes a set of people to list: the tables (from, with
// users under alias u), conditions that narrow it (base, each starting with
// " AND ") and their arguments, the reader, and the reader's filters.
// SeeAll lists private profiles too: administrators and a community's
// managers see every member.
type DirectoryQuery struct {
	From     string
	Base     string
	BaseArgs []any
	Reader   *User
	SeeAll   bool
	Filter   ProfileFilter
}

// where returns the WHERE clause and arguments, leaving out the filter named
// by skip.
func (d DirectoryQuery) where(skip string) (string, []any) {
	vis, visArgs := VisibleTo(d.Reader)
	if d.SeeAll {
		vis, visArgs = "", nil
	}
	w, a := d.Filter.Where(skip)
	args := append(append(append([]any{}, d.BaseArgs...), visArgs...), a...)
	return " WHERE 1 = 1" + d.Base + vis + w, args
}

// Where returns the WHERE clause of the whole query and its arguments, for
// callers that select their own columns.
func (d DirectoryQuery) Where() (string, []any) { return d.where("") }

// Facets counts the people of a directory query, and counts them by country,
// region and organisation type, each under the other filters.
func (s *Store) Facets(ctx context.Context, d DirectoryQuery) (int, Facets, error) {
	var total int
	var facets Facets
	w, args := d.where("")
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM "+d.From+w, args...).Scan(&total); err != nil {
		return 0, facets, fmt.Errorf("count directory: %w", err)
	}
	var err error
	if facets.Countries, err = s.countBy(ctx, d, "country", "country"); err != nil {
		return 0, facets, fmt.Errorf("count by country: %w", err)
	}
	if facets.OrganizationTypes, err = s.countBy(ctx, d, "organization_type", "organization_type"); err != nil {
		return 0, facets, fmt.Errorf("count by organisation type: %w", err)
	}
	// Regions are counted under the other filters too: when a region is
	// chosen, the other regions keep their counts. Without one, they add
	// up the countries' counts, which leave out the country filter
	// already (at scale 1, each count reads 100,000 profiles).
	byCountry := facets.Countries
	if d.Filter.Region != "" {
		f := d
		f.Filter.Country = ""
		if byCountry, err = s.countBy(ctx, f, "country", "region"); err != nil {
			return 0, facets, fmt.Errorf("count by region: %w", err)
		}
	}
	facets.Regions = map[string]int{}
	for cc, n := range byCountry {
		if c, ok := taxonomy.CountryByCode(cc); ok && c.Region != "" {
			facets.Regions[c.Region] += n
		}
	}
	return total, facets, nil
}

// countBy counts the people of d by a users column, leaving out the filter
// named by skip.
func (s *Store) countBy(ctx context.Context, d DirectoryQuery, col, skip string) (map[string]int, error) {
	w, args := d.where(skip)
	rows, err := s.q.Query(ctx, "SELECT u."+col+", COUNT(*) FROM "+d.From+w+" AND u."+col+" <> '' GROUP BY u."+col, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, err
		}
		out[v] = n
	}
	return out, rows.Err()
}

// Directory lists a page of people with their counts.
func (s *Store) Directory(ctx context.Context, d DirectoryQuery, limit, offset int) (DirectoryPage, error) {
	var page DirectoryPage
	var err error
	if page.Total, page.Facets, err = s.Facets(ctx, d); err != nil {
		return page, err
	}
	w, args := d.where("")
	rows, err := s.q.Query(ctx, "SELECT u.id, u.name, u.country, u.organization, u.organization_type, u.position FROM "+d.From+w+
		" ORDER BY lower(u.name), u.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	page.People, err = sqldb.Collect(rows, err, ScanCard)
	if err != nil {
		return page, fmt.Errorf("list directory: %w", err)
	}
	return page, nil
}

// ScanCard scans the columns u.id, u.name, u.country, u.organization,
// u.organization_type, u.position.
func ScanCard(r sqldb.Scanner) (Card, error) {
	var c Card
	err := r.Scan(&c.ID, &c.Name, &c.Country, &c.Organization, &c.OrganizationType, &c.Position)
	return c, err
}
