// Package view holds Harambee's pages as compiled templ components: a
// layout, small reusable parts and one component per page. Every page takes
// a struct that embeds Page.
package view

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
)

// Page is what every page knows about the request: who reads it, in which
// language and time zone, where it is, and a message from the last action.
type Page struct {
	L          *i18n.Localizer
	User       *account.User // nil for anonymous readers
	Path       string        // path and query of this page, for the language switcher
	Flash      string        // a confirmation to show once ("Profile saved")
	Stylesheet string        // fingerprinted URL of the stylesheet
	SiteName   string
}

// Lang is the page's language code.
func (p Page) Lang() string { return p.L.Lang() }

// T translates a key in the page's language.
func (p Page) T(key string, args ...any) string { return p.L.T(key, args...) }

// Loc is the reader's time zone.
func (p Page) Loc() *time.Location {
	if p.User != nil {
		return p.User.Location()
	}
	return time.UTC
}

// LoggedIn reports whether a member reads the page.
func (p Page) LoggedIn() bool { return p.User != nil }

// Admin reports whether a site administrator reads the page.
func (p Page) Admin() bool { return p.User != nil && p.User.Admin }

// Form carries what was typed into a form and what was wrong with it, so a
// refused form comes back filled in with each message next to its field.
type Form struct {
	Values url.Values
	Errors map[string]string // field -> translated message
}

// Get returns the value typed into a field.
func (f Form) Get(name string) string { return f.Values.Get(name) }

// Error returns the message of a field, empty when it is fine.
func (f Form) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether any field failed.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// T is the translation function the components call.
func T(ctx context.Context, key string, args ...any) string { return i18n.T(ctx, key, args...) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// countryName is the name of a country in the page's language.
func countryName(p Page, code string) string { return taxonomy.CountryName(code, p.Lang()) }

// Option is one choice of a select list.
type Option struct {
	Value, Label string
}

// CountryOptions lists every country by its name in the reader's language.
func CountryOptions(lang string) []Option {
	cs := taxonomy.Countries()
	codes := make([]string, len(cs))
	for i, c := range cs {
		codes[i] = c.Code
	}
	taxonomy.SortCountries(codes, lang)
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Value: c, Label: taxonomy.CountryName(c, lang)}
	}
	return out
}

// langSwitchNext is where the language switcher returns to.
func langSwitchNext(p Page) string {
	if p.Path == "" {
		return "/"
	}
	return p.Path
}

// describedBy lists the ids of a field's hint and error for aria-describedby.
func describedBy(f Form, name, hint string) string {
	ids := ""
	if hint != "" {
		ids = "h-" + name
	}
	if f.Error(name) != "" {
		if ids != "" {
			ids += " "
		}
		ids += "e-" + name
	}
	return ids
}

// languageChoices are the interface languages, each named in itself.
var languageChoices = []Option{
	{Value: "en", Label: "English"},
	{Value: "fr", Label: "Français"},
	{Value: "es", Label: "Español"},
	{Value: "pt", Label: "Português"},
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// joinNonEmpty joins the parts that are not empty.
func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// languageList names languages in the reader's language, comma-separated.
func languageList(p Page, codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = taxonomy.LanguageName(c, p.Lang())
	}
	return strings.Join(names, ", ")
}
