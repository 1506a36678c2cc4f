// Package account holds the people who use Harambee: their accounts and
// profiles, passwords, sessions, API tokens, and the one-time links that
// verify an e-mail address or reset a password.
package account

import (
	"errors"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Profile visibility: who may see a member's profile page.
const (
	VisibilityPublic  = "public"  // anyone, also without an account
	VisibilityMembers = "members" // people who are logged in
	VisibilityPrivate = "private" // the member and site administrators
)

// Visibilities lists the profile visibilities, most open first.
var Visibilities = []string{VisibilityPublic, VisibilityMembers, VisibilityPrivate}

// Limits on what a profile holds.
const (
	MaxNameLen         = 100
	MaxOrganizationLen = 200
	MaxPositionLen     = 200
	MaxBioLen          = 4000
	MaxLanguages       = 10
	MaxExpertise       = 20
	MaxTagLen          = 60
	MinPasswordLen     = 10
	MaxPasswordLen     = 256
)

// Errors of the log-in and link flows. Handlers show each as a translated
// message; none says whether an e-mail address has an account.
var (
	ErrInvalidCredentials = errors.New("wrong e-mail or password")
	ErrTooManyAttempts    = errors.New("too many log-in attempts")
	ErrNotVerified        = errors.New("e-mail address not verified")
	ErrDisabled           = errors.New("account disabled")
	ErrInvalidLink        = errors.New("link invalid, used or expired")
	ErrUnauthenticated    = errors.New("not logged in")
	ErrForbidden          = errors.New("not allowed")
)

// User is an account with its profile.
type User struct {
	ID         int64
	Email      string
	VerifiedAt *time.Time
	Admin      bool
	Editor     bool // may edit the solutions catalogue
	DisabledAt *time.Time
	Profile
	CreatedAt time.Time
	UpdatedAt time.Time

	passwordHash string
}

// Verified reports whether the member has confirmed their e-mail address.
func (u User) Verified() bool { return u.VerifiedAt != nil }

// HasPassword reports whether a password was ever set; imported accounts have
// none until their owner resets it.
func (u User) HasPassword() bool { return u.passwordHash != "" }

// CanEditCatalogue reports whether the member may create and edit records
// of the solutions catalogue: site administrators and editors.
func (u User) CanEditCatalogue() bool { return u.Admin || u.Editor }

// Location returns the member's time zone, UTC when none is set.
func (u User) Location() *time.Location {
	if u.TimeZone != "" {
		if loc, err := time.LoadLocation(u.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Profile is what a member tells others about themselves.
type Profile struct {
	Name             string
	Country          string // ISO 3166-1 alpha-2, or empty
	Organization     string
	OrganizationType string // taxonomy.OrganizationTypes, or empty
	Position         string
	Bio              string // Markdown
	BioHTML          string // Bio rendered and sanitised, kept so a page view does not render it
	TimeZone         string // IANA, or empty for UTC
	Language         string // interface language, or empty to follow the browser
	Visibility       string
	Languages        []string // languages the member works in (ISO 639-1)
	Expertise        []string // free tags
}

// Region returns the UN M49 region and sub-region of the member's country.
func (p Profile) Region() (region, subRegion string) {
	c, ok := taxonomy.CountryByCode(p.Country)
	if !ok {
		return "", ""
	}
	return c.Region, c.SubRegion
}

// Validate checks a profile and returns it cleaned: trimmed text, upper-case
// country, languages and tags without duplicates.
func (p Profile) Validate() (Profile, error) {
	var e validation.Error
	p = p.check(&e)
	return p, e.Err()
}

func (p Profile) check(e *validation.Error) Profile {
	p.Name = e.Text("name", p.Name, true, MaxNameLen)
	if p.Country = strings.TrimSpace(p.Country); p.Country != "" {
		cc, ok := taxonomy.NormalizeCountry(p.Country)
		if !ok {
			e.Add("country", "error.country")
		}
		p.Country = cc
	}
	p.Organization = e.Text("organization", p.Organization, false, MaxOrganizationLen)
	p.OrganizationType = strings.TrimSpace(p.OrganizationType)
	if p.OrganizationType != "" && !taxonomy.ValidOrganizationType(p.OrganizationType) {
		e.Add("organization_type", "error.organization_type")
	}
	p.Position = e.Text("position", p.Position, false, MaxPositionLen)
	p.Bio = e.LongText("bio", p.Bio, false, MaxBioLen)
	if p.TimeZone = strings.TrimSpace(p.TimeZone); p.TimeZone != "" {
		if !taxonomy.ValidTimeZone(p.TimeZone) {
			e.Add("timezone", "error.timezone")
		}
	}
	if p.Language = strings.TrimSpace(p.Language); p.Language != "" && !i18n.Supported(p.Language) {
		e.Add("language", "error.one_of", strings.Join(i18n.Languages, ", "))
	}
	if p.Visibility == "" {
		p.Visibility = VisibilityMembers
	}
	p.Visibility = e.OneOf("visibility", p.Visibility, true, Visibilities...)

	langs := make([]string, 0, len(p.Languages))
	seen := map[string]bool{}
	for _, l := range p.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" || seen[l] {
			continue
		}
		if !taxonomy.ValidLanguage(l) {
			e.Add("languages", "error.language", l)
			continue
		}
		seen[l] = true
		langs = append(langs, l)
	}
	if len(langs) > MaxLanguages {
		e.Add("languages", "error.too_many", MaxLanguages)
	}
	p.Languages = langs

	tags := make([]string, 0, len(p.Expertise))
	seenTag := map[string]bool{}
	for _, t := range p.Expertise {
		var te validation.Error
		t = te.Text("expertise", t, false, MaxTagLen)
		if te.Err() != nil {
			e.Add("expertise", te.Fields["expertise"].Key, te.Fields["expertise"].Args...)
			continue
		}
		k := TagKey(t)
		if t == "" || seenTag[k] {
			continue
		}
		seenTag[k] = true
		tags = append(tags, t)
	}
	if len(tags) > MaxExpertise {
		e.Add("expertise", "error.too_many", MaxExpertise)
	}
	p.Expertise = tags
	return p
}

// TagKey is the form in which free tags are compared: trimmed, lower case,
// inner spaces collapsed, so "Health Systems" and "health  systems" are one.
func TagKey(tag string) string {
	return strings.ToLower(strings.Join(strings.Fields(tag), " "))
}

// NewUser is what it takes to create an account.
type NewUser struct {
	Email    string
	Password string // may be empty for accounts created by administrators or imports; Register requires it
	Profile
	Admin    bool
	Editor   bool
	Verified bool // created by an administrator or the CLI: no verification mail

	// CreatedAt, when set, dates an account imported with its history (a
	// community's members since 2018); otherwise it is now.
	CreatedAt time.Time

	// PasswordHash, when set, is used instead of hashing Password: the demo
	// and the data generator give thousands of accounts one precomputed hash.
	PasswordHash string
}

// Validate checks a new account and returns it cleaned.
func (n NewUser) Validate() (NewUser, error) {
	var e validation.Error
	n.Email = e.Email("email", n.Email, true)
	n.Profile = n.Profile.check(&e)
	if n.Password != "" {
		checkPassword(&e, "password", n.Password, n.Email)
	}
	return n, e.Err()
}

// checkPassword enforces the password rules: long enough, not absurdly long,
// not the e-mail address.
func checkPassword(e *validation.Error, field, pw, email string) {
	switch n := len([]rune(pw)); {
	case pw == "":
		e.Add(field, "error.required")
	case n < MinPasswordLen:
		e.Add(field, "error.password_short", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		e.Add(field, "error.too_long", MaxPasswordLen)
	case strings.EqualFold(strings.TrimSpace(pw), email):
		e.Add(field, "error.password_email")
	}
}

// CanSeeProfile reports whether reader (nil for an anonymous visitor) may see
// member's profile. Members who are disabled or have not verified their
// address are seen only by themselves and administrators.
func CanSeeProfile(reader *User, member User) bool {
	if reader != nil && (reader.ID == member.ID || reader.Admin) {
		return true
	}
	if member.DisabledAt != nil {
		return false
	}
	switch member.Visibility {
	case VisibilityPublic:
		return true
	case VisibilityMembers:
		return reader != nil
	}
	return false
}
