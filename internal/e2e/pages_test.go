package e2e

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/harambee/harambee/internal/i18n"
)

// keyPages are the pages every check reads: the accessibility check, the
// page-weight budgets and the screenshots. A new page is one more line;
// a page that needs records names them in its path ({member}), and
// (*site).seed creates them.
var keyPages = []keyPage{
	{name: "home", path: "/"},
	{name: "login", path: "/login", other: "pt"},
	{name: "register", path: "/register", other: "es"},
	{name: "register-errors", path: "/register", status: 400,
		form: url.Values{"name": {""}, "email": {"not-an-address"}, "password": {"short"}, "country": {""}}},
	{name: "forgot-password", path: "/password/forgot"},
	{name: "profile-edit", path: "/settings/profile", as: asMember},
	{name: "account-settings", path: "/settings/account", as: asMember, other: "es"},
	{name: "tokens", path: "/settings/tokens", as: asMember, other: "pt"},
	{name: "public-profile", path: "/members/{member}"},
	{name: "admin-outbox", path: "/admin/outbox", as: asAdmin},
	{name: "not-found", path: "/no-such-page", status: 404, other: "es"},
}

// keyPage is one page of the table.
type keyPage struct {
	name   string     // names the subtests and the screenshot files
	path   string     // {member} and the like are filled in from the site's records
	as     reader     // who reads the page
	status int        // the status the page answers with; 200 when zero
	other  string     // the language checked besides English; French when empty
	form   url.Values // when set, the page is the answer to this form, typed into the page at path and submitted
}

// reader is who reads a key page.
type reader int

const (
	asAnyone reader = iota // an anonymous visitor
	asMember               // a logged-in member
	asAdmin                // a site administrator
)

// langs are the languages a page is checked in.
func (p keyPage) langs() []string {
	other := p.other
	if other == "" {
		other = "fr"
	}
	return []string{"en", other}
}

func (p keyPage) wantStatus() int {
	if p.status == 0 {
		return 200
	}
	return p.status
}

// site is the server the key pages are read from, with the people and
// records they show. It is started once and shared by the checks, which
// only read.
type site struct {
	*server
	admin  person
	member person
	vars   map[string]string // what fills {member} and the like in paths
}

var shared struct {
	once sync.Once
	site *site
	err  error
}

// keySite returns the shared site of the key pages.
func keySite(t testing.TB) *site {
	t.Helper()
	bin := harambee(t)
	shared.once.Do(func() {
		s, err := launch(bin, filepath.Join(tmpDir, "key-pages"))
		if err != nil {
			shared.err = err
			return
		}
		undoAtExit(func() { s.stop() })
		shared.site = &site{server: s, vars: map[string]string{}}
		shared.err = shared.site.seed()
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("end of the key-pages server log:\n%s", shared.site.logTail(40))
		}
	})
	return shared.site
}

// seed creates what the key pages show: an administrator, a member with a
// full public profile and an API token, and mail in the outbox. It goes
// through the command line and the JSON API, as an operator's script would.
func (s *site) seed() (err error) {
	t := &seedT{}
	defer func() {
		if r := recover(); r != nil {
			if r != errSeed {
				panic(r)
			}
			err = fmt.Errorf("seed the key-pages site: %s\nserver log:\n%s", t.msg, s.logTail(30))
		}
	}()
	s.admin = s.addAdmin(t)
	adminToken := s.token(t, s.admin.Email, "e2e seed")

	s.member = person{Name: "Nomvula Dlamini", Email: "nomvula.dlamini@health.example.org", Password: "umuntu ngumuntu ngabantu"}
	var created struct {
		ID int64 `json:"id"`
	}
	s.api(t, adminToken, "POST", "/api/v1/users", map[string]any{
		"email":              s.member.Email,
		"name":               s.member.Name,
		"password":           s.member.Password,
		"country":            "ZA",
		"organization":       "National Department of Health",
		"organization_type":  "government",
		"position":           "Director, Primary Health Care",
		"languages":          []string{"en", "zu", "pt"},
		"expertise":          []string{"primary health care", "community health workers", "EMTCT"},
		"bio":                "I lead the **ward-based outreach teams** programme and have hosted study visits from Malawi and Mozambique.\n\n- community health workers\n- maternal health",
		"timezone":           "Africa/Johannesburg",
		"profile_visibility": "public",
	}, 201, &created)
	s.member.ID = created.ID
	s.vars["member"] = fmt.Sprint(created.ID)
	s.token(t, s.member.Email, "Monthly report script")

	// Mail in the outbox: a registration and a password reset.
	c := s.client()
	reg := c.fetch(t, "POST", "/register", "fr", url.Values{
		"name": {"Kofi Mensah"}, "email": {"kofi.mensah@ghs.example.org"}, "password": {"a long enough password"}, "country": {"GH"},
	})
	if reg.status != 200 { // after the redirect to "check your e-mail"
		t.Fatalf("register: got status %d, want 200", reg.status)
	}
	c.fetch(t, "POST", "/password/forgot", "en", url.Values{"email": {s.member.Email}})
	return nil
}

// seedT lets the seed use the test helpers outside a test.
type seedT struct {
	testing.TB
	msg string
}

var errSeed = fmt.Errorf("seed failed")

func (t *seedT) Helper()                   {}
func (t *seedT) Skip(args ...any)          { t.Fatal(args...) }
func (t *seedT) Fatal(args ...any)         { t.msg = fmt.Sprint(args...); panic(errSeed) }
func (t *seedT) Fatalf(f string, a ...any) { t.msg = fmt.Sprintf(f, a...); panic(errSeed) }
func (t *seedT) Cleanup(func())            {}

// url is the page's address with its records filled in.
func (s *site) url(p keyPage, lang string) string {
	path := p.path
	for k, v := range s.vars {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	if strings.Contains(path, "{") {
		panic("key page " + p.name + ": no record for " + path)
	}
	if p.form != nil {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + lang
}

// account is the person who reads a page as r, if any.
func (s *site) account(r reader) (person, bool) {
	switch r {
	case asMember:
		return s.member, true
	case asAdmin:
		return s.admin, true
	}
	return person{}, false
}

// show opens a key page in a tab, in a language: a GET of its address, or
// its form filled in and submitted.
func (s *site) show(b *tab, p keyPage, lang string) {
	b.t.Helper()
	b.setLang(lang)
	target := s.url(p, lang)
	var status int64
	if p.form == nil {
		status = b.open(target)
	} else {
		b.open(target + "?lang=" + lang)
		status = b.submitForm(p.form)
	}
	if status != int64(p.wantStatus()) {
		b.t.Fatalf("%s: got status %d, want %d", target, status, p.wantStatus())
	}
}

// tabs opens a tab for each reader of the key pages, logged in as the
// reader; the tabs close when t ends.
func (s *site) tabs(t *testing.T, cfg tabConfig) map[reader]*tab {
	t.Helper()
	tabs := map[reader]*tab{}
	for _, p := range keyPages {
		if _, ok := tabs[p.as]; ok {
			continue
		}
		b := newTab(t, s.server, cfg)
		if who, ok := s.account(p.as); ok {
			logIn(b, who)
		}
		tabs[p.as] = b
	}
	return tabs
}

// msg is a message of the interface in a language, as the pages show it.
func msg(lang, key string, args ...any) string {
	if _, ok := i18n.Message(lang, key); !ok {
		panic("no message " + key + " in " + lang)
	}
	return i18n.For(lang).T(key, args...)
}
