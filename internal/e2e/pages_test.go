package e2e

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
	{name: "notification-settings", path: "/settings/notifications", as: asMember, other: "es"},
	{name: "notifications", path: "/notifications", as: asMember, other: "pt"},
	{name: "public-profile", path: "/members/{member}"},
	{name: "member-directory", path: "/members", as: asMember, other: "es"},
	{name: "country", path: "/countries/ZA", other: "pt"},

	{name: "communities", path: "/communities"},
	{name: "community", path: "/communities/{community}", other: "es"},
	{name: "community-member", path: "/communities/{community}", as: asMember, other: "pt"},
	{name: "community-members", path: "/communities/{community}/members", other: "pt"},
	{name: "community-manage", path: "/communities/{community}/manage", as: asMember},
	{name: "discussions", path: "/communities/{community}/discussions", as: asMember, other: "es"},
	{name: "thread", path: "/threads/{thread}", as: asMember},
	{name: "thread-visitor", path: "/threads/{thread}", other: "pt"},
	{name: "new-thread-errors", path: "/communities/{community}/discussions/new", as: asMember, status: 400, other: "es",
		action: "/communities/{community}/discussions", form: url.Values{"title": {""}, "body": {""}}},
	{name: "library", path: "/communities/{community}/library"},
	{name: "resource", path: "/resources/{resource}", other: "es"},

	{name: "events", path: "/events", other: "pt"},
	{name: "community-events", path: "/communities/{community}/events", as: asMember},
	{name: "event", path: "/events/{event}", as: asMember, other: "pt"},
	{name: "event-registration", path: "/events/{event}", other: "es"},
	{name: "event-registration-errors", path: "/events/{event}", status: 400,
		action: "/events/{event}/register", form: url.Values{"name": {""}, "email": {"not-an-address"}, "country": {""}}},
	{name: "registration", path: "/registrations/{registration}", other: "pt"},
	{name: "new-event", path: "/communities/{community}/events/new", as: asMember},
	{name: "event-registrations", path: "/events/{event}/registrations", as: asMember, other: "es"},
	{name: "event-attendance", path: "/events/{past-event}/attendance", as: asMember},
	{name: "event-survey", path: "/events/{past-event}/survey", as: asMember, other: "pt"},
	{name: "event-report", path: "/events/{past-event}/report", as: asMember, other: "es"},
	{name: "survey", path: "/surveys/{survey}", other: "pt"},

	{name: "solutions", path: "/solutions"},
	{name: "solutions-sdg3", path: "/solutions?sdg=3", other: "es"},
	{name: "solution", path: "/solutions/{solution}", other: "pt"},

	{name: "search", path: "/search?q=community+health+workers"},
	{name: "search-member", path: "/search?q=health&type=thread", as: asMember, other: "pt"},
	{name: "search-nothing", path: "/search?q=xylophone+quintessence", other: "es"},

	{name: "community-report", path: "/communities/{community}/report", as: asMember},
	{name: "community-impact", path: "/communities/{community}/impact", other: "es"},
	{name: "site-report", path: "/admin/report", as: asAdmin, other: "pt"},

	{name: "needs", path: "/needs", as: asMember},
	{name: "need", path: "/needs/{need}", as: asMember, other: "pt"},
	{name: "new-need-errors", path: "/needs/new", as: asMember, status: 400, other: "es",
		action: "/needs", form: url.Values{"title": {""}, "description": {""}}},
	{name: "offers", path: "/offers", as: asMember, other: "es"},
	{name: "offer", path: "/offers/{offer}", as: asMember},
	{name: "matches", path: "/matches", as: asMember, other: "pt"},
	{name: "match", path: "/matches/{match}", as: asMember, other: "es"},
	{name: "exchanges", path: "/exchanges", as: asMember},

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
	action string     // where the form posts, when not to path
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

// seed creates what the key pages show: an administrator; a member with a
// full public profile and an API token, who manages a community with a
// question answered and accepted, a resource, a webinar to come (for which
// she registered) and one past, with its attendance, survey and answers;
// the solutions catalogue; and mail in the outbox. It goes through the
// command line and the JSON API, as an operator's script would.
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
	s.addPerson(t, adminToken, &s.member, map[string]any{
		"country":            "ZA",
		"organization":       "National Department of Health",
		"organization_type":  "government",
		"position":           "Director, Primary Health Care",
		"languages":          []string{"en", "zu", "pt"},
		"expertise":          []string{"primary health care", "community health workers", "EMTCT"},
		"bio":                "I lead the **ward-based outreach teams** programme and have hosted study visits from Malawi and Mozambique.\n\n- community health workers\n- maternal health",
		"timezone":           "Africa/Johannesburg",
		"profile_visibility": "public",
	})
	s.vars["member"] = fmt.Sprint(s.member.ID)
	s.token(t, s.member.Email, "Monthly report script")
	memberToken := s.token(t, s.member.Email, "e2e seed")

	colleague := person{Name: "Ana Souza", Email: "ana.souza@saude.example.org", Password: "saúde para todos e todas"}
	s.addPerson(t, adminToken, &colleague, map[string]any{
		"country": "BR", "organization": "Fiocruz", "organization_type": "academia", "position": "Researcher",
		"languages": []string{"pt", "en", "es"}, "profile_visibility": "members",
	})
	colleagueToken := s.token(t, colleague.Email, "e2e seed")

	// A community the member manages, with a colleague in it.
	slug := s.addCommunity(t, adminToken, map[string]any{
		"slug": "primary-health-care", "name": "Primary health care in the Global South", "language": "en",
		"description": "Ministries of health, universities and civil society share how they bring **primary health care** " +
			"to every household: community health workers, maternal health, and the elimination of mother-to-child transmission of HIV.",
		"visibility": "public", "join_policy": "open", "primary_sdg": 3, "secondary_sdgs": []int{5, 17},
		"sdg_targets": []string{"3.1", "3.8"}, "focus_areas": []string{"community health workers", "maternal health", "EMTCT"},
	})
	s.vars["community"] = slug
	s.addToCommunity(t, adminToken, slug, s.member.ID, "manager")
	s.addToCommunity(t, adminToken, slug, colleague.ID, "member")

	// A question, answered by the colleague, the answer accepted.
	thread := s.addThread(t, memberToken, slug, "How do you keep community health workers in rural districts?",
		"Our ward-based outreach teams lose a third of their community health workers each year. "+
			"What has worked for you: stipends, career paths, supervision?", true)
	s.vars["thread"] = fmt.Sprint(thread)
	answer := s.addReply(t, colleagueToken, thread, "In Brazil, **community health agents** are hired by the municipality, "+
		"with a salary and a supervisor in the family health team. Turnover fell once they had a contract.")
	s.addReply(t, memberToken, thread, "Thank you, Ana: we will bring this to the provincial departments.")
	s.api(t, memberToken, "PATCH", fmt.Sprintf("/api/v1/threads/%d", thread), map[string]any{"accepted_post_id": answer}, 200, nil)
	s.addThread(t, colleagueToken, slug, "Study visit to Recife in May", "Who would like to join a study visit to the family health teams of Recife?", false)

	// A resource of the library, a link to a toolkit.
	resource := s.create(t, memberToken, "/api/v1/communities/"+slug+"/resources", map[string]any{
		"kind": "toolkit", "title": "Community health worker programme toolkit",
		"summary": "How to plan, train, pay and supervise **community health workers**, with examples from South Africa, Brazil and Mozambique.",
		"authors": "National Department of Health; Fiocruz", "publisher": "National Department of Health", "published_on": "2023",
		"language": "en", "countries": []string{"ZA", "BR", "MZ"}, "sdgs": []int{3}, "topics": []string{"community health workers", "training"},
		"licence": "CC BY 4.0", "url": "https://www.health.example.org/chw-toolkit",
	})
	s.vars["resource"] = fmt.Sprint(resource)

	// A webinar to come, for which the member registered, with a guest
	// the manager registered.
	loc, _ := time.LoadLocation("Africa/Johannesburg")
	day := time.Now().In(loc).AddDate(0, 0, 30)
	start := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, loc)
	event := s.create(t, memberToken, "/api/v1/communities/"+slug+"/events", map[string]any{
		"title": "Keeping community health workers: what works", "kind": "webinar", "status": "published",
		"description": "Three programmes share how they **pay, train and supervise** community health workers.",
		"language":    "en", "timezone": "Africa/Johannesburg",
		"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(90 * time.Minute).Format(time.RFC3339),
		"languages": []string{"en", "pt"}, "interpretation_languages": []string{"fr"}, "capacity": 150,
		"join_url": "https://zoom.example.org/j/81234567890",
		"speakers": []map[string]any{
			{"name": "Nomvula Dlamini", "title": "Director, Primary Health Care", "organization": "National Department of Health", "country": "ZA", "role": "speaker"},
			{"name": "Ana Souza", "title": "Researcher", "organization": "Fiocruz", "country": "BR", "role": "speaker"},
			{"name": "Kofi Mensah", "organization": "Ghana Health Service", "country": "GH", "role": "moderator"},
		},
		"materials": []map[string]any{{"title": "Community health worker programme toolkit", "resource_id": resource}},
		"questions": []map[string]any{{"id": "role", "text": "What is your role?", "type": "single_choice",
			"options": []string{"Policy maker", "Health worker", "Researcher", "Other"}, "required": false}},
	})
	s.vars["event"] = fmt.Sprint(event)
	own := s.register(t, memberToken, event, map[string]any{"name": s.member.Name, "email": s.member.Email, "country": "ZA",
		"organization": "National Department of Health", "organization_type": "government", "answers": map[string]any{"role": "Policy maker"}})
	token, ok := strings.CutPrefix(own.URL, s.URL+"/registrations/")
	if !ok {
		t.Fatalf("the member's registration has no personal link: %q", own.URL)
	}
	s.vars["registration"] = token
	s.register(t, memberToken, event, map[string]any{"name": "Kwame Mensah", "email": "k.mensah@health.example.org",
		"country": "GH", "organization": "Ghana Health Service", "organization_type": "government"})

	// A webinar that took place, with its attendance, survey and answers.
	past := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, loc).AddDate(0, 0, -60)
	pastEvent := s.create(t, memberToken, "/api/v1/communities/"+slug+"/events", map[string]any{
		"title": "Eliminating mother-to-child transmission of HIV", "kind": "webinar", "status": "published",
		"language": "en", "timezone": "Africa/Johannesburg", "languages": []string{"en"},
		"starts_at": past.Format(time.RFC3339), "ends_at": past.Add(90 * time.Minute).Format(time.RFC3339),
		"speakers": []map[string]any{{"name": "Nomvula Dlamini", "organization": "National Department of Health", "country": "ZA", "role": "speaker"}},
	})
	s.vars["past-event"] = fmt.Sprint(pastEvent)
	registrants := []struct{ name, email, country, orgType string }{
		{"Ana Souza", "ana.souza@saude.example.org", "BR", "academia"},
		{"Kwame Mensah", "k.mensah@health.example.org", "GH", "government"},
		{"Thi Lan Nguyen", "lan.nguyen@moh.example.org", "VN", "government"},
		{"Chipo Banda", "chipo.banda@ngo.example.org", "MW", "ngo"},
	}
	for _, r := range registrants {
		s.register(t, memberToken, pastEvent, map[string]any{"name": r.name, "email": r.email, "country": r.country,
			"organization_type": r.orgType, "registered_at": past.AddDate(0, 0, -7).Format("2006-01-02")})
	}
	s.importAttendance(t, memberToken, pastEvent, "participants.csv", zoomReport([]zoomRow{
		{"Ana Souza", "ana.souza@saude.example.org", past.Add(-2 * time.Minute), past.Add(90 * time.Minute)},
		{"Kwame Mensah", "K.Mensah@health.example.org", past.Add(time.Minute), past.Add(45 * time.Minute)},
		{"Kwame Mensah", "k.mensah@health.example.org", past.Add(50 * time.Minute), past.Add(89 * time.Minute)},
		{"Nguyen, Thi Lan", "lan.nguyen@moh.example.org", past.Add(5 * time.Minute), past.Add(88 * time.Minute)},
		{"Guest Without Email", "", past.Add(10 * time.Minute), past.Add(20 * time.Minute)},
	}))
	s.api(t, memberToken, "PUT", fmt.Sprintf("/api/v1/events/%d/recording", pastEvent),
		map[string]any{"url": "https://video.example.org/emtct-webinar", "views": 212}, 200, nil)
	var sv struct {
		OpenLink string `json:"open_link"`
	}
	s.api(t, memberToken, "PUT", fmt.Sprintf("/api/v1/events/%d/survey", pastEvent), map[string]any{
		"open_link": true,
		"questions": []map[string]any{
			{"id": "relevant", "text": "The webinar was relevant to my work.", "type": "likert5", "required": true},
			{"id": "clear", "text": "The speakers were clear and the webinar well structured.", "type": "likert5"},
			{"id": "useful", "text": "I can use what I learned.", "type": "likert5"},
			{"id": "apply", "text": "I intend to apply it in the next six months.", "type": "likert5"},
			{"id": "topics", "text": "Which topics should come next?", "type": "choice", "multiple": true,
				"options": []string{"Financing", "Supervision", "Digital tools"}},
			{"id": "comments", "text": "Anything else?", "type": "text"},
		},
	}, 200, &sv)
	survey, ok := strings.CutPrefix(sv.OpenLink, s.URL+"/surveys/")
	if !ok {
		t.Fatalf("the survey has no open link: %q", sv.OpenLink)
	}
	s.vars["survey"] = survey
	for i, a := range [][]any{{5, 4, 5, 4, []string{"Financing"}, "Very useful, thank you."}, {4, 4, 3, 5, []string{"Supervision", "Digital tools"}, ""}} {
		s.api(t, memberToken, "POST", fmt.Sprintf("/api/v1/events/%d/survey/responses", pastEvent), map[string]any{
			"email":   registrants[i].email,
			"answers": map[string]any{"relevant": a[0], "clear": a[1], "useful": a[2], "apply": a[3], "topics": a[4], "comments": a[5]},
		}, 201, nil)
	}

	// The solutions catalogue.
	for i, x := range healthSolutions {
		id := s.addSolution(t, adminToken, x)
		if i == 0 {
			s.vars["solution"] = fmt.Sprint(id)
		}
	}

	// The community's impact page, published by its manager.
	s.api(t, memberToken, "PUT", "/api/v1/communities/"+slug+"/impact", map[string]any{"published": true}, 200, nil)

	// Country-to-country learning: the colleague's need, in the community
	// the member brokers as its manager; the member's offer, with the first
	// solution and the toolkit; and the match the member proposed.
	need := s.create(t, colleagueToken, "/api/v1/needs", map[string]any{
		"title": "Supervising community health workers in remote municipalities",
		"description": "Our state health secretariat wants to learn how other ministries **supervise and pay** community health workers " +
			"in districts far from any hospital.",
		"institution": "Fiocruz", "country": "BR", "sdgs": []int{3}, "sdg_targets": []string{"3.8", "3.c"},
		"topics": []string{"community health workers", "supervision"}, "languages": []string{"pt", "en"},
		"modalities": []string{"study_visit", "expert_advice"}, "language": "en", "community": slug,
	})
	s.vars["need"] = fmt.Sprint(need)
	offer := s.create(t, memberToken, "/api/v1/offers", map[string]any{
		"title":       "Study visits to the ward-based outreach teams of Gauteng",
		"description": "We host delegations for a week with the **ward-based outreach teams**: supervision, stipends and data.",
		"institution": "National Department of Health", "country": "ZA", "sdgs": []int{3}, "sdg_targets": []string{"3.8"},
		"topics": []string{"community health workers", "supervision"}, "languages": []string{"en", "pt"},
		"modalities": []string{"study_visit", "webinar"}, "language": "en", "capacity": "Two delegations a year",
		"solution_ids": []int64{mustAtoi(s.vars["solution"])}, "resource_ids": []int64{resource},
	})
	s.vars["offer"] = fmt.Sprint(offer)
	match := s.create(t, memberToken, "/api/v1/matches", map[string]any{"need_id": need, "offer_id": offer,
		"note": "Both work on supervision of community health workers; a study visit in May would suit."})
	s.vars["match"] = fmt.Sprint(match)

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

// mustAtoi reads a number the seed wrote itself.
func mustAtoi(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

// expand fills the records into a path of the table ({member} and the
// like).
func (s *site) expand(p keyPage, path string) string {
	for k, v := range s.vars {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	if strings.Contains(path, "{") {
		panic("key page " + p.name + ": no record for " + path)
	}
	return path
}

// url is the page's address with its records filled in.
func (s *site) url(p keyPage, lang string) string {
	path := s.expand(p, p.path)
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

// pageWorkers is how many sets of tabs read the key pages at once: the
// checks mostly wait for the browser and the server, so two overlap well
// even on two cores; more only queue for the CPU, and on a busy machine
// run into the time limits of each step.
const pageWorkers = 2

// eachKeyPage runs check on every key page in each of its languages, as
// subtests of t named page/language. The pages are shared out among
// pageWorkers workers, each with a tab per reader, logged in as the reader;
// the tabs close when t ends. (The subtests are not parallel tests: the
// workers call t.Run themselves, so they overlap whatever -parallel says.)
func (s *site) eachKeyPage(t *testing.T, cfg tabConfig, check func(t *testing.T, b *tab, p keyPage, lang string)) {
	t.Helper()
	type item struct {
		p    keyPage
		lang string
	}
	work := make(chan item)
	var wg sync.WaitGroup
	for range pageWorkers {
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				t.Run(it.p.name+"/"+it.lang, func(t *testing.T) {
					check(t, tabs[it.p.as].in(t), it.p, it.lang)
				})
			}
		}()
	}
	for _, p := range keyPages {
		for _, lang := range p.langs() {
			work <- item{p, lang}
		}
	}
	close(work)
	wg.Wait()
}

// msg is a message of the interface in a language, as the pages show it.
func msg(lang, key string, args ...any) string {
	if _, ok := i18n.Message(lang, key); !ok {
		panic("no message " + key + " in " + lang)
	}
	return i18n.For(lang).T(key, args...)
}

// msgN is a message with a count in a language (plural forms).
func msgN(lang, key string, n int, args ...any) string {
	if _, ok := i18n.Message(lang, key+".other"); !ok {
		panic("no message " + key + ".other in " + lang)
	}
	return i18n.For(lang).N(key, n, args...)
}
