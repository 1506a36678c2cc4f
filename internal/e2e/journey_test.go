package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/taxonomy"
)

// A journey is a task a member completes from start to end, in a real
// browser against the real binary on a fresh database. Each journey is one
// test that runs it twice: with JavaScript, and with JavaScript off (every
// action must work as a plain form POST then a redirect).
//
// To add a journey, write a func(t *testing.T, j *journeyRun) with the tab
// helpers (open, clickLink, press, fill, choose, check, see, logIn) and a
// test that passes it to journey:
//
//	func TestJourneyJoinCommunity(t *testing.T) { journey(t, joinCommunityJourney) }

// journeyRun is what a journey works with: a fresh server, and tabs that
// browse with JavaScript on or off.
type journeyRun struct {
	*server
	noScript bool
}

// tab opens a browser tab on the journey's server, as one more person.
func (j *journeyRun) tab(t *testing.T) *tab {
	return newTab(t, j.server, tabConfig{NoScript: j.noScript})
}

// journey runs a journey with JavaScript and without it, each on a server
// of its own.
func journey(t *testing.T, run func(t *testing.T, j *journeyRun)) {
	t.Parallel()
	browser(t) // skip before starting servers when there is no browser
	for _, mode := range []struct {
		name     string
		noScript bool
	}{{"javascript", false}, {"no-javascript", true}} {
		t.Run(mode.name, func(t *testing.T) {
			run(t, &journeyRun{server: startServer(t), noScript: mode.noScript})
		})
	}
}

func TestJourneyAccount(t *testing.T) { journey(t, accountJourney) }

// accountJourney: a visitor registers; the verification link, read by an
// administrator in the outbox, is followed; the new member logs in, switches
// the site to French in the footer, fills in the profile, saves it, sees the
// French confirmation and the public profile, and logs out.
func accountJourney(t *testing.T, j *journeyRun) {
	admin := j.addAdmin(t)
	visitor := person{Name: "Thandiwe Nkosi", Email: "Thandiwe.Nkosi@Health.example.org", Password: "ubuntu is a long passphrase"}
	en := func(key string, args ...any) string { return msg("en", key, args...) }
	fr := func(key string, args ...any) string { return msg("fr", key, args...) }

	// A visitor registers.
	v := j.tab(t)
	v.open("/")
	v.clickLink(en("nav.register"))
	v.fill(en("field.name"), visitor.Name)
	v.fill(en("field.email"), visitor.Email)
	v.fill(en("field.password"), visitor.Password)
	v.choose(en("field.country"), taxonomy.CountryName("ZA", "en"))
	v.press(en("register.submit"))
	v.see(en("register.sent_title"))

	// Until the address is verified, logging in is refused.
	logInAs(v, visitor)
	v.see(en("login.unverified"))

	// The message waits in the outbox; an administrator reads it there.
	a := j.tab(t)
	logIn(a, admin)
	a.clickLink(en("nav.admin"))
	a.clickLink(en("admin.outbox"))
	a.fill(en("outbox.filter_to"), strings.ToLower(visitor.Email))
	a.press(en("form.filter"))
	a.see(strings.ToLower(visitor.Email))
	a.clickLink(firstLinkText(a, "table a[href^='/admin/outbox/']"))
	link := a.href(`^` + regexp.QuoteMeta(j.URL) + `/verify\?token=`)

	// The visitor follows the link, and logs in.
	v.open(link)
	v.see(en("verify.done_title"))
	logInAs(v, visitor)
	v.see(en("home.welcome", visitor.Name))

	// The member switches the site to French with the switcher in the
	// footer, and fills in the profile in French.
	v.press("Français")
	if got := v.lang(); got != "fr" {
		t.Fatalf("after choosing Français the page is in %q, want fr", got)
	}
	v.see(fr("home.welcome", visitor.Name))
	v.clickLink(fr("nav.settings"))
	v.see(fr("profile.edit_title"))
	v.fill(fr("field.position"), "Directrice des soins de santé primaires")
	v.fill(fr("field.organization"), "Ministère de la Santé")
	v.choose(fr("field.organization_type"), fr("orgtype.government"))
	v.check(taxonomy.LanguageName("fr", "fr"))
	v.check(taxonomy.LanguageName("zu", "fr"))
	v.fill(fr("field.expertise"), "soins de santé primaires, agents de santé communautaires")
	v.fill(fr("field.bio"), "Je coordonne les **équipes de proximité** dans la province du Gauteng.")
	v.choose(fr("field.timezone"), "Africa/Johannesburg")
	v.check(fr("visibility.public"))
	v.press(fr("form.save"))
	v.see(fr("flash.profile_saved"))

	// The saved profile, as others see it.
	v.clickLink(fr("nav.profile"))
	profile := v.path()
	v.see("Ministère de la Santé")
	v.see("équipes de proximité")
	v.see(taxonomy.CountryName("ZA", "fr"))

	// The member logs out; the public profile stays visible to anyone.
	v.press(fr("nav.logout"))
	lang := v.lang()
	v.see(msg(lang, "flash.logged_out"))
	if !v.exists("link", msg(lang, "nav.login")) {
		t.Fatalf("after logging out there is no %q link", msg(lang, "nav.login"))
	}
	v.open(profile)
	v.see(visitor.Name)
	v.see("Ministère de la Santé")
	if v.open("/settings/profile"); !strings.HasPrefix(v.path(), "/login") {
		t.Errorf("after logging out, /settings/profile shows %s, want the log-in page", v.path())
	}
}

// firstLinkText is the text of the first link the CSS selector finds.
func firstLinkText(b *tab, css string) string {
	b.t.Helper()
	s := eval[string](b, `(function () { const a = document.querySelector(`+jsString(css)+`); return a ? a.textContent.trim() : ''; })()`)
	if s == "" {
		b.t.Fatalf("no link %s on %s:\n%s", css, b.where(), b.mainText())
	}
	return s
}
