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
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/markdown"
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
	Unread     int // the member's unread notifications, for the bell
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

// communityTabs lists a community's tabs the viewer may open.
func communityTabs(p Page, c community.Community, v community.Viewer) []Option {
	base := "/communities/" + c.Slug
	tabs := []Option{{Value: base, Label: p.T("community.tab.home")}}
	if v.CanRead(c) {
		tabs = append(tabs,
			Option{Value: base + "/discussions", Label: p.T("community.tab.discussions")},
			Option{Value: base + "/library", Label: p.T("community.tab.library")},
			Option{Value: base + "/events", Label: p.T("event.tab.community")},
			Option{Value: base + "/members", Label: p.T("community.tab.members")})
	}
	if v.CanModerate() {
		tabs = append(tabs, Option{Value: base + "/moderation", Label: p.T("community.tab.moderation")})
	}
	if v.CanManage() {
		tabs = append(tabs, Option{Value: base + "/manage", Label: p.T("community.tab.manage")},
			Option{Value: base + "/report", Label: p.T("report.tab")})
	}
	return tabs
}

// plainExcerpt is the start of a Markdown text as plain text.
func plainExcerpt(md string, n int) string { return markdown.Plain(md, n) }

func communityListURL(q string, sdg int, focus string) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if sdg != 0 {
		v.Set("sdg", strconv.Itoa(sdg))
	}
	if focus != "" {
		v.Set("focus", focus)
	}
	if len(v) == 0 {
		return "/communities"
	}
	return "/communities?" + v.Encode()
}

func focusKey(s string) string { return account.TagKey(s) }

func communityFormTitle(p CommunityFormPage) string {
	if p.Community != nil {
		return p.T("community.settings_title")
	}
	return p.T("community.create")
}

func communityFormAction(p CommunityFormPage) string {
	if p.Community != nil {
		return "/communities/" + p.Community.Slug + "/manage/settings"
	}
	return "/communities"
}

func visibilityOptions(p Page) []Option {
	out := make([]Option, len(community.Visibilities))
	for i, v := range community.Visibilities {
		out[i] = Option{Value: v, Label: p.T("community.visibility_help." + v)}
	}
	return out
}

func joinPolicyOptions(p Page) []Option {
	out := make([]Option, len(community.JoinPolicies))
	for i, v := range community.JoinPolicies {
		out[i] = Option{Value: v, Label: p.T("community.join_policy." + v)}
	}
	return out
}

func memberCards(ms []community.Member) []account.Card {
	out := make([]account.Card, len(ms))
	for i, m := range ms {
		out[i] = m.Card
	}
	return out
}

func memberRoles(ms []community.Member) map[int64]string {
	out := make(map[int64]string, len(ms))
	for _, m := range ms {
		out[m.ID] = m.Role
	}
	return out
}

func invitationStatus(i community.Invitation) string { return i.Status(time.Now()) }

func regionName(p Page, code string) string {
	if code == "" {
		return ""
	}
	return taxonomy.RegionName(code, p.Lang())
}

func threadFormTitle(p ThreadFormPage) string {
	if p.Editing {
		return p.T("discussion.edit_thread")
	}
	return p.T("discussion.new")
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func reportLink(r discussion.Report) string {
	if r.TargetKind == discussion.KindPost {
		return "/threads/" + itoa(r.ThreadID) + "#post-" + itoa(r.TargetID)
	}
	return "/threads/" + itoa(r.TargetID)
}

func heldLink(h discussion.Held) string {
	if h.Kind == discussion.KindPost {
		return "/threads/" + itoa(h.ThreadID) + "#post-" + itoa(h.ID)
	}
	return "/threads/" + itoa(h.ID)
}

func heldAction(h discussion.Held) string {
	if h.Kind == discussion.KindPost {
		return "/posts/" + itoa(h.ID) + "/moderate"
	}
	return "/threads/" + itoa(h.ID) + "/moderate"
}

func resourceFormTitle(p ResourceFormPage) string {
	if p.Editing {
		return p.T("library.edit")
	}
	return p.T("library.add")
}

// libraryHidden keeps the active facets when the search box is submitted.
func libraryHidden(f library.Filter) []Option {
	var out []Option
	if f.Kind != "" {
		out = append(out, Option{"kind", f.Kind})
	}
	if f.Language != "" {
		out = append(out, Option{"language", f.Language})
	}
	if f.Country != "" {
		out = append(out, Option{"country", f.Country})
	}
	if f.SDG != 0 {
		out = append(out, Option{"sdg", strconv.Itoa(f.SDG)})
	}
	if f.Year != 0 {
		out = append(out, Option{"year", strconv.Itoa(f.Year)})
	}
	return out
}

func sdgValue(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func yearValue(n int) string { return sdgValue(n) }

func sdgLabel(p Page, v string) string {
	n, _ := strconv.Atoi(v)
	if g, ok := taxonomy.GoalByNumber(n); ok {
		return p.T("sdg.option", n, g.Short(p.Lang()))
	}
	return v
}

// fileLabel names a file type the way readers know it.
func fileLabel(typ string) string {
	switch typ {
	case library.TypePDF:
		return "PDF"
	case library.TypeDOCX, library.TypeODT:
		return "DOC"
	case library.TypeXLSX, library.TypeODS:
		return "XLS"
	case library.TypePPTX, library.TypeODP:
		return "PPT"
	case library.TypeCSV:
		return "CSV"
	case library.TypeZIP:
		return "ZIP"
	case library.TypePNG, library.TypeJPEG, library.TypeGIF, library.TypeWebP:
		return "IMG"
	}
	return "TXT"
}

// sizeLabel is a file size in KB or MB, in the reader's number format.
func sizeLabel(p Page, n int64) string {
	if n >= 1<<20 {
		return p.T("library.size_mb", p.L.Decimal(float64(n)/(1<<20)))
	}
	return p.T("library.size_kb", max(1, (n+512)>>10))
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}
