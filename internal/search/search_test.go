package search_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

var ctx = context.Background()

// site is a small site with something of every kind, in every state, each
// carrying the word "zebra" so that one search meets them all.
type site struct {
	db                                  *sqldb.DB
	admin, manager, member, outsider    account.User
	public, membersOnly, private        community.Community
	openThread, memThread, privThread   discussion.Thread
	hiddenThread, deletedThread         discussion.Thread
	heldThread                          discussion.Thread
	openResource, hiddenResource        library.Resource
	publishedEvent, draftEvent          event.Event
	activeSolution, archivedSolution    solution.Solution
	publicProfile, membersProfile, self account.User
}

func newSite(t *testing.T, db *sqldb.DB) *site {
	t.Helper()
	s := &site{db: db}
	as := account.NewStore(db)
	user := func(email, name, visibility string, admin bool) account.User {
		t.Helper()
		u, err := as.CreateUser(ctx, account.NewUser{Email: email, PasswordHash: "x", Verified: true, Admin: admin,
			Profile: account.Profile{Name: name, Visibility: visibility, Bio: "Works on road crossings.", Country: "KE"}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	s.admin = user("admin@example.org", "Ada Admin", "private", true)
	s.manager = user("manager@example.org", "Mariana Gestora", "private", false)
	s.member = user("member@example.org", "Kwame Member", "private", false)
	s.outsider = user("outsider@example.org", "Olu Outsider", "private", false)
	s.publicProfile = user("public@example.org", "Zebra Public Person", "public", false)
	s.membersProfile = user("members@example.org", "Zebra Members Person", "members", false)
	s.self = user("self@example.org", "Zebra Private Person", "private", false)

	cs := community.NewStore(db)
	mk := func(slug, visibility string, hold bool) community.Community {
		t.Helper()
		c, err := cs.Create(ctx, community.Input{Slug: slug, Name: "Zebra " + slug, Description: "All about zebra " + slug,
			Visibility: visibility, JoinPolicy: community.Invite, PrimarySDG: 3, SecondarySDGs: []int{17}, HoldFirstPosts: hold}, s.manager)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	s.public, s.membersOnly, s.private = mk("open", community.Public, true), mk("closed", community.Members, false), mk("secret", community.Private, false)
	for _, c := range []community.Community{s.public, s.membersOnly, s.private} {
		if _, _, err := cs.AddMember(ctx, c, community.NewMember{UserID: s.member.ID, Role: community.RoleMember}, s.manager); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := cs.AddMember(ctx, s.public, community.NewMember{UserID: s.outsider.ID, Role: community.RoleMember}, s.manager); err != nil {
		t.Fatal(err)
	}
	viewer := func(c community.Community, u *account.User) community.Viewer {
		v, err := cs.ViewerFor(ctx, c.ID, u)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ds := discussion.NewStore(db)
	thread := func(c community.Community, u *account.User, title, body string) discussion.Thread {
		t.Helper()
		c, _ = cs.ByID(ctx, c.ID)
		th, err := ds.CreateThread(ctx, c, viewer(c, u), discussion.NewThread{Title: title, Body: body, Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	s.openThread = thread(s.public, &s.manager, "Zebra open thread", "Antenatal syphilis testing in the open.")
	s.memThread = thread(s.membersOnly, &s.manager, "Zebra members thread", "Only members read this.")
	s.privThread = thread(s.private, &s.manager, "Zebra private thread", "Only members know this exists.")
	s.hiddenThread = thread(s.public, &s.manager, "Zebra hidden thread", "Hidden by a moderator.")
	s.deletedThread = thread(s.public, &s.manager, "Zebra deleted thread", "Deleted by its author.")
	// The outsider's first thread in a community that holds first posts.
	s.heldThread = thread(s.public, &s.outsider, "Zebra held thread", "Waiting for approval.")
	if !s.heldThread.Held {
		t.Fatal("the outsider's first thread is not held")
	}
	mod := func(id int64) discussion.Opened {
		o, err := ds.Open(ctx, id, &s.manager)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if err := ds.ModerateThread(ctx, mod(s.hiddenThread.ID), discussion.ActionHide); err != nil {
		t.Fatal(err)
	}
	if err := ds.DeleteThread(ctx, mod(s.deletedThread.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := ds.Reply(ctx, mod(s.openThread.ID), "A zebra reply about prevention of mother-to-child transmission.", 0, time.Time{}); err != nil {
		t.Fatal(err)
	}
	hiddenReply, err := ds.Reply(ctx, mod(s.openThread.ID), "A hidden reply mentioning okapi.", 0, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.ModeratePost(ctx, mod(s.openThread.ID), hiddenReply, discussion.ActionHide); err != nil {
		t.Fatal(err)
	}

	ls := library.NewStore(db, nil)
	resource := func(title, summary, lang string) library.Resource {
		t.Helper()
		r, err := ls.Create(ctx, s.public, viewer(s.public, &s.manager), library.Input{Kind: "toolkit", Title: title, Summary: summary,
			Language: lang, URL: "https://example.org/" + lang, Countries: []string{"MZ"}, SDGs: []int{3}, PublishedOn: "2021"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	s.openResource = resource("Guia de saúde materna", "Zebra: cuidados pré-natais em Moçambique.", "pt")
	s.hiddenResource = resource("Zebra hidden resource", "Hidden.", "en")
	o, err := ls.Open(ctx, s.hiddenResource.ID, &s.manager)
	if err != nil {
		t.Fatal(err)
	}
	if err := ls.SetHidden(ctx, o, true); err != nil {
		t.Fatal(err)
	}

	es := event.NewStore(db)
	ev := func(title, status string) event.Event {
		t.Helper()
		start := time.Now().Add(240 * time.Hour).UTC().Truncate(time.Hour)
		e, err := es.Create(ctx, s.public.ID, event.Input{Title: title, Description: "A zebra webinar.", Language: "fr", Kind: "webinar",
			Status: status, StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "UTC"}, s.manager)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	s.publishedEvent = ev("Webinaire zèbre", "published")
	s.draftEvent = ev("Zebra draft webinar", "draft")

	ss := solution.NewStore(db)
	sol := func(title string) solution.Solution {
		t.Helper()
		x, err := ss.Create(ctx, solution.Editor{Via: solution.ViaImport}, solution.Input{Title: title, Tagline: "Zebra tagline",
			Challenge: "A challenge.", Approach: "How it works.", Results: "Results.", Countries: []string{"BR"}, Modality: solution.ModalitySouthSouth,
			PrimarySDG: 3, Status: solution.StatusOngoing, StartDate: "2018-02", Language: "es"})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	s.activeSolution = sol("Bancos de leche humana")
	s.archivedSolution = sol("Archived zebra solution")
	if err := ss.Archive(ctx, solution.Editor{Via: solution.ViaImport}, s.archivedSolution.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) search(t *testing.T, u *account.User, query string) search.Result {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	f, err := search.ParseFilter(v)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var r search.Reader
	if u != nil {
		r = search.Reader{UserID: u.ID, Admin: u.Admin}
	}
	res, err := search.NewStore(s.db).Search(ctx, r, f, 100, 0)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return res
}

// found lists the results as "type:title", sorted.
func found(res search.Result) []string {
	var out []string
	for _, it := range res.Items {
		out = append(out, it.Type+":"+it.Title)
	}
	sort.Strings(out)
	return out
}

func facet(res search.Result, name string) []string {
	var out []string
	for _, v := range res.Facets[name] {
		out = append(out, fmt.Sprintf("%s:%d", v.Value, v.Count))
	}
	return out
}

func TestVisibility(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		public := []string{
			"community:Zebra closed", "community:Zebra open",
			"event:Webinaire zèbre",
			"profile:Zebra Public Person",
			"resource:Guia de saúde materna",
			"solution:Bancos de leche humana",
			"thread:Zebra open thread",
		}
		with := func(extra ...string) []string {
			out := append(append([]string{}, public...), extra...)
			sort.Strings(out)
			return out
		}
		tests := []struct {
			name string
			user *account.User
			want []string
		}{
			{"anonymous", nil, public},
			// Logged in: members' profiles, their own private profile; a
			// member of the open community only, so not the others' content.
			// The outsider's held thread: its author finds it.
			{"outsider", &s.outsider, with("profile:Zebra Members Person", "thread:Zebra held thread")},
			{"member", &s.member, with("profile:Zebra Members Person", "community:Zebra secret", "thread:Zebra members thread", "thread:Zebra private thread")},
			{"own private profile", &s.self, with("profile:Zebra Members Person", "profile:Zebra Private Person")},
			// Moderators find held and hidden content, to act on it.
			{"manager", &s.manager, with("profile:Zebra Members Person", "community:Zebra secret", "thread:Zebra members thread",
				"thread:Zebra private thread", "event:Zebra draft webinar", "thread:Zebra hidden thread", "thread:Zebra held thread",
				"resource:Zebra hidden resource")},
			{"admin", &s.admin, with("profile:Zebra Members Person", "profile:Zebra Private Person", "community:Zebra secret",
				"thread:Zebra members thread", "thread:Zebra private thread", "event:Zebra draft webinar", "thread:Zebra hidden thread",
				"thread:Zebra held thread", "resource:Zebra hidden resource")},
		}
		for _, tt := range tests {
			res := s.search(t, tt.user, "q=zebra")
			for _, it := range res.Items {
				if hidden := strings.Contains(it.Title, "hidden") || strings.Contains(it.Title, "held"); it.Restricted != hidden {
					t.Errorf("%s: %q marked held or hidden: %v", tt.name, it.Title, it.Restricted)
				}
			}
			if got := found(res); !slices.Equal(got, tt.want) {
				t.Errorf("%s: found\n%v\nwant\n%v", tt.name, got, tt.want)
			}
			if res.Total != len(tt.want) || res.Capped {
				t.Errorf("%s: total %d (capped %v), want %d", tt.name, res.Total, res.Capped, len(tt.want))
			}
			// Counts never tell of what the reader may not see.
			n := 0
			for _, v := range res.Facets[search.FacetType] {
				n += v.Count
			}
			if n != len(tt.want) {
				t.Errorf("%s: type facet %v adds up to %d, want %d", tt.name, facet(res, search.FacetType), n, len(tt.want))
			}
			for _, v := range res.Facets[search.FacetCommunity] {
				if v.Value == "secret" && !slices.Contains(tt.want, "community:Zebra secret") {
					t.Errorf("%s: the community facet names the private community", tt.name)
				}
				if v.Value == "closed" && v.Count != 1 && !slices.Contains(tt.want, "thread:Zebra members thread") {
					t.Errorf("%s: the community facet counts %d in the members-only community, want its own page only", tt.name, v.Count)
				}
			}
		}
		// Held and hidden content is found and counted by the community's
		// moderators (and its author) only; deleted content and archived
		// solutions by no one, moderators and administrators included.
		for _, u := range []*account.User{nil, &s.member, &s.outsider, &s.manager, &s.admin} {
			for _, q := range []string{"q=hidden", "q=deleted", "q=held", "q=okapi", "q=archived"} {
				var want []string
				switch {
				case u == &s.manager || u == &s.admin:
					// The open thread's hidden reply mentions "hidden".
					want = map[string][]string{"q=hidden": {"resource:Zebra hidden resource", "thread:Zebra hidden thread", "thread:Zebra open thread"},
						"q=held": {"thread:Zebra held thread"}, "q=okapi": {"thread:Zebra open thread"}}[q]
				case u == &s.outsider && q == "q=held":
					want = []string{"thread:Zebra held thread"}
				}
				res := s.search(t, u, q)
				for _, it := range res.Items {
					// Found only through held or hidden text: marked so.
					if q != "q=archived" && !it.Restricted {
						t.Errorf("%s: %s %q is not marked as held or hidden", q, it.Type, it.Title)
					}
				}
				if !slices.Equal(found(res), want) || res.Total != len(want) {
					who := "anonymous"
					if u != nil {
						who = u.Email
					}
					t.Errorf("%s %s: %v (total %d), want %v", who, q, found(res), res.Total, want)
				}
			}
		}
		// A member of the members-only community finds its thread; an
		// outsider does not, not even in the counts.
		if res := s.search(t, &s.member, "q=members+thread"); !slices.Contains(found(res), "thread:Zebra members thread") {
			t.Errorf("member: %v", found(res))
		}
		res := s.search(t, &s.outsider, "q=members+thread")
		if res.Total != 0 || len(res.Items) != 0 || len(res.Facets[search.FacetCommunity]) != 0 {
			t.Errorf("outsider: %v total %d facets %v", found(res), res.Total, res.Facets)
		}
		// Filtering by a community one may not read gives nothing.
		if res := s.search(t, nil, "q=zebra&community=secret"); res.Total != 0 || len(res.Items) != 0 {
			t.Errorf("anonymous in the private community: %v", found(res))
		}
	})
}

func TestIndexFollowsChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		ds := discussion.NewStore(db)
		o, err := ds.Open(ctx, s.hiddenThread.ID, &s.manager)
		if err != nil {
			t.Fatal(err)
		}
		if err := ds.ModerateThread(ctx, o, discussion.ActionUnhide); err != nil {
			t.Fatal(err)
		}
		if got := found(s.search(t, nil, "q=hidden+thread")); !slices.Equal(got, []string{"thread:Zebra hidden thread"}) {
			t.Errorf("shown again: %v", got)
		}
		// Moving a thread to the private community takes it out of public
		// results.
		private, _ := community.NewStore(db).ViewerFor(ctx, s.private.ID, &s.manager)
		o, _ = ds.Open(ctx, s.openThread.ID, &s.manager)
		if err := ds.MoveThread(ctx, o, s.private, private); err != nil {
			t.Fatal(err)
		}
		if res := s.search(t, nil, "q=antenatal"); res.Total != 0 {
			t.Errorf("moved to a private community, still found: %v", found(res))
		}
		if res := s.search(t, &s.member, "q=antenatal"); res.Total != 1 {
			t.Errorf("moved: the member does not find it: %v", found(res))
		}
		// A reply is found as its thread, with the reply's words.
		res := s.search(t, &s.member, "q=prevention")
		if len(res.Items) != 1 || res.Items[0].Type != "thread" || res.Items[0].PostID == 0 || !strings.Contains(res.Items[0].URL, "#post-") {
			t.Fatalf("reply: %+v", res.Items)
		}
		// Shown with the thread's title and community, the reply's words
		// and date (each kind loaded in the same query).
		if it := res.Items[0]; it.Title == "" || it.Community != s.private.Name || !strings.Contains(it.Snippet, "<mark>prevention</mark>") ||
			time.Since(it.Date) > time.Hour || it.Date.After(time.Now()) {
			t.Errorf("reply: title %q, community %q, snippet %q, date %v", it.Title, it.Community, it.Snippet, it.Date)
		}
		// A community going private takes its content and itself out.
		o, _ = ds.Open(ctx, s.hiddenThread.ID, &s.manager)
		if _, err := ds.Reply(ctx, o, "A reply about tetanus vaccination.", 0, time.Time{}); err != nil {
			t.Fatal(err)
		}
		cs := community.NewStore(db)
		c, _ := cs.ByID(ctx, s.public.ID)
		in := community.Input{Name: c.Name, Description: c.Description, Visibility: community.Private, JoinPolicy: c.JoinPolicy, PrimarySDG: 4}
		if _, err := cs.Update(ctx, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := found(s.search(t, nil, "q=zebra")); slices.Contains(got, "resource:Guia de saúde materna") || slices.Contains(got, "community:Zebra open") {
			t.Errorf("private now, still found: %v", got)
		}
		// The goals of a community follow to its content, in the filter
		// and in the counts of the goal facet.
		if got := found(s.search(t, &s.member, "q=webinaire&sdg=4")); !slices.Equal(got, []string{"event:Webinaire zèbre"}) {
			t.Errorf("new goal of the community: %v", got)
		}
		if facet := s.search(t, &s.member, "q=webinaire").Facets[search.FacetSDG]; !slices.Contains(facet, search.FacetValue{Value: "4", Count: 1}) {
			t.Errorf("new goal of the community: goal facet %+v, want 4 counted once", facet)
		}
		// ...to its threads, found by their own words and by their replies'.
		for _, q := range []string{"q=hidden+moderator", "q=tetanus"} {
			if got := found(s.search(t, &s.member, q+"&sdg=4")); !slices.Equal(got, []string{"thread:Zebra hidden thread"}) {
				t.Errorf("new goal of the community, %s: %v", q, got)
			}
			if got := found(s.search(t, &s.member, q+"&sdg=17")); len(got) != 0 {
				t.Errorf("old goal of the community, %s: %v", q, got)
			}
		}
		// A rebuilt index finds what the live one found.
		before := found(s.search(t, &s.admin, "q=zebra"))
		if _, err := search.Rebuild(ctx, db, nil); err != nil {
			t.Fatal(err)
		}
		if after := found(s.search(t, &s.admin, "q=zebra")); !slices.Equal(before, after) {
			t.Errorf("after rebuild:\n%v\nbefore:\n%v", after, before)
		}
	})
}

func TestLanguagesAndFacets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		for _, q := range []string{"saude materna", "SAÚDE MATERNA", "saúde", "Moçambique", "mocambique", "Mozambique", "leche", "zebre", "zèbre"} {
			res := s.search(t, nil, "q="+url.QueryEscape(q))
			if res.Total == 0 {
				t.Errorf("%q finds nothing", q)
			}
		}
		if got := found(s.search(t, nil, "q=saude+materna")); !slices.Contains(got, "resource:Guia de saúde materna") {
			t.Errorf("saude materna: %v", got)
		}
		res := s.search(t, nil, "q=zebra")
		if got, want := facet(res, search.FacetLanguage), []string{"en:3", "es:1", "fr:1", "pt:1"}; !slices.Equal(got, want) {
			t.Errorf("language facet %v, want %v", got, want)
		}
		if got := found(s.search(t, nil, "q=zebra&language=pt")); !slices.Equal(got, []string{"resource:Guia de saúde materna"}) {
			t.Errorf("language=pt: %v", got)
		}
		// Each facet counts under the other filters; the selected value
		// stays.
		res = s.search(t, nil, "q=zebra&type=resource")
		if got := facet(res, search.FacetType); !slices.Contains(got, "resource:1") || !slices.Contains(got, "thread:1") {
			t.Errorf("type facet under type=resource: %v", got)
		}
		if got := facet(res, search.FacetCountry); !slices.Equal(got, []string{"MZ:1"}) {
			t.Errorf("country facet under type=resource: %v", got)
		}
		if res.Total != 1 {
			t.Errorf("type=resource: total %d", res.Total)
		}
		res = s.search(t, nil, "q=zebra&sdg=3&year=2021")
		if got := found(res); !slices.Equal(got, []string{"resource:Guia de saúde materna"}) {
			t.Errorf("sdg=3&year=2021: %v", got)
		}
		if got := facet(s.search(t, nil, "q=zebra&country=BR"), search.FacetCountry); !slices.Contains(got, "BR:1") || !slices.Contains(got, "MZ:1") {
			t.Errorf("country facet: %v", got)
		}
		// Nothing left: the selected value is still listed, at zero.
		res = s.search(t, nil, "q=zebra&country=GH")
		if res.Total != 0 || !slices.Contains(facet(res, search.FacetCountry), "GH:0") {
			t.Errorf("country=GH: total %d, facet %v", res.Total, facet(res, search.FacetCountry))
		}
	})
}

func TestRanking(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		cs := community.NewStore(db)
		c, _ := cs.ByID(ctx, s.public.ID)
		v, _ := cs.ViewerFor(ctx, c.ID, &s.manager)
		ds := discussion.NewStore(db)
		mk := func(title, body string) {
			if _, err := ds.CreateThread(ctx, c, v, discussion.NewThread{Title: title, Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		mk("Cold chain logistics", "How do you keep vaccines cold? Malaria bed nets came up too.")
		mk("Malaria bed nets", "Distribution of long-lasting nets.")
		mk("Notes", "Words: bed, the, malaria, some nets, and more notes.")
		mk("Community health workers", "On malaria and bed nets in schools, with community health.")
		if db.Dialect() == sqldb.Postgres {
			// With statistics, PostgreSQL plans each search from how common
			// its words are: the same answers must come.
			if _, err := db.Exec(ctx, "ANALYZE search_docs"); err != nil {
				t.Fatal(err)
			}
		}
		first := func(q string) string {
			res := s.search(t, nil, "q="+url.QueryEscape(q))
			if len(res.Items) == 0 {
				return ""
			}
			return res.Items[0].Title
		}
		if got := first("malaria"); got != "Malaria bed nets" {
			t.Errorf("title match first: %q", got)
		}
		if got := first("bed nets"); got != "Malaria bed nets" {
			t.Errorf("phrase in the title first: %q", got)
		}
		if got := first(`"malaria and bed nets"`); got != "Community health workers" {
			t.Errorf("exact phrase: %q", got)
		}
		if res := s.search(t, nil, "q=malaria+-nets"); len(res.Items) != 0 {
			t.Errorf("malaria -nets: %v", found(res))
		}
		if got := found(s.search(t, nil, "q=vaccines+OR+distribution")); len(got) != 2 {
			t.Errorf("OR: %v", got)
		}
		// Search as you type: the start of a word is enough.
		if got := first("malar*"); got != "Malaria bed nets" {
			t.Errorf("prefix: %q", got)
		}
		if res := s.search(t, nil, "q=malar"); len(res.Items) != 0 {
			t.Errorf("without *, whole words only: %v", found(res))
		}
		// Of two equal threads, the one readers found helpful comes first,
		// though older, and the favour follows the mark when taken back.
		older, err := ds.CreateThread(ctx, c, v, discussion.NewThread{Title: "Cholera vaccination campaigns", Body: "Oral vaccine logistics."})
		if err != nil {
			t.Fatal(err)
		}
		newer, err := ds.CreateThread(ctx, c, v, discussion.NewThread{Title: "Cholera vaccination campaigns", Body: "Oral vaccine logistics."})
		if err != nil {
			t.Fatal(err)
		}
		firstID := func() int64 {
			res := s.search(t, nil, "q=cholera+vaccination")
			if len(res.Items) != 2 {
				t.Fatalf("cholera: %v", found(res))
			}
			return res.Items[0].ID
		}
		if got := firstID(); got != newer.ID {
			t.Errorf("equal threads: the newer should come first, got %d", got)
		}
		o, err := ds.Open(ctx, older.ID, &s.member)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ds.ToggleHelpful(ctx, o, discussion.KindThread, older.ID); err != nil {
			t.Fatal(err)
		}
		if got := firstID(); got != older.ID {
			t.Errorf("marked helpful: the older thread should come first, got %d", got)
		}
		if _, err := ds.ToggleHelpful(ctx, o, discussion.KindThread, older.ID); err != nil {
			t.Fatal(err)
		}
		if got := firstID(); got != newer.ID {
			t.Errorf("mark taken back: the newer thread should come first again, got %d", got)
		}
	})
}

func TestSnippet(t *testing.T) {
	q := search.Parse("saude materna")
	got := search.Snippet("A <b>guia</b> de Saúde materna & infantil", q)
	want := "A &lt;b&gt;guia&lt;/b&gt; de <mark>Saúde</mark> <mark>materna</mark> &amp; infantil"
	if got != want {
		t.Errorf("snippet\n%s\nwant\n%s", got, want)
	}
	long := strings.Repeat("filler words here ", 40) + "the saúde materna part " + strings.Repeat("more filler ", 40)
	got = search.Snippet(long, q)
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") || !strings.Contains(got, "<mark>saúde</mark> <mark>materna</mark>") {
		t.Errorf("long snippet: %s", got)
	}
}

func TestBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		for _, q := range badQueries {
			f := search.Filter{Text: q}
			for _, r := range []search.Reader{{}, {UserID: s.member.ID}, {UserID: s.admin.ID, Admin: true}} {
				if _, err := search.NewStore(db).Search(ctx, r, f, 20, 0); err != nil {
					t.Errorf("%q: %v", q, err)
				}
			}
		}
	})
}

var badQueries = []string{
	`"`, `""`, `"zebra`, `zebra"`, `"zebra" "`, `*`, `zebra*`, `*zebra`, `(`, `)`, `(zebra`, `zebra)`, `NEAR(zebra thread)`, `zebra NEAR thread`,
	`title:zebra`, `:`, `-`, `--`, `-zebra`, `- zebra`, `zebra -`, `&`, `|`, `!`, `zebra & thread`, `zebra | thread`, `!zebra`, `zebra <-> thread`,
	`'`, `''`, `zebra'`, `\`, `\'`, `'; DROP TABLE search_docs; --`, `" OR 1=1 --`, `zebra') OR ('1'='1`, "zebra\x00thread", "\xff\xfe",
	"zeb\xc3ra", `OR`, `OR OR`, `zebra OR`, `OR zebra`, `AND`, `NOT`, `zebra NOT thread`, `^zebra`, `{title}: zebra`, `zebra:*`, `a:*`,
	`the`, `de la`, `ß`, `ﬁ`, `½`, `²`, `e\u0301`, `𝔷𝔢𝔟𝔯𝔞`, `日本語`, `العربية`, strings.Repeat("zebra ", 500), strings.Repeat(`"`, 301),
	strings.Repeat("(", 1000), strings.Repeat("a", 5000),
}

// TestNewReplyIndexedAsIndexPost checks that a reply indexed as it is
// written, from what its writer holds, has the document IndexPost makes by
// reading it back: plain, held, and in a hidden thread, one by one and
// several at once.
func TestNewReplyIndexedAsIndexPost(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		ds := discussion.NewStore(db)
		open := func(id int64, u *account.User) discussion.Opened {
			t.Helper()
			o, err := ds.Open(ctx, id, u)
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		var posts []discussion.Post
		for _, w := range []struct {
			thread int64
			author *account.User
			body   string
		}{
			{s.openThread.ID, &s.manager, "Saúde **materna**: a reply by a manager."},
			{s.openThread.ID, &s.outsider, "A first reply, held for approval."},
			{s.hiddenThread.ID, &s.manager, "A moderator's reply in a hidden thread."},
		} {
			p, err := ds.Reply(ctx, open(w.thread, w.author), w.body, 0, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			posts = append(posts, p)
		}
		// Replies written together have the same documents.
		o := open(s.openThread.ID, &s.manager)
		outsider := open(s.openThread.ID, &s.outsider).Viewer
		batch, err := ds.ReplyAll(ctx, o.Thread, o.Community, []discussion.NewReply{
			{Viewer: o.Viewer, Body: "Saúde materna, in a batch."}, {Viewer: outsider, Body: "Held, in a batch."}})
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, batch...)
		if !posts[1].Held || !posts[4].Held {
			t.Fatal("the outsider's replies are not held")
		}
		restricted := map[int]bool{1: true, 2: true, 4: true}
		document := documents(t, db)
		for i, p := range posts {
			written := document(search.KindPost, p.ID)
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return search.IndexPost(ctx, tx, p.ID) }); err != nil {
				t.Fatal(err)
			}
			if read := document(search.KindPost, p.ID); written != read {
				t.Errorf("reply %d: indexed when written\n%s\nindexed by IndexPost\n%s", i, written, read)
			}
			if want := []string{" 3 17 |", "|moderators|"}; !strings.Contains(written, want[0]) || restricted[i] != strings.Contains(written, want[1]) {
				t.Errorf("reply %d: %s", i, written)
			}
		}
	})
}

// TestNewThreadIndexedAsIndexThread checks that a thread indexed as it is
// created, from what its writer holds, has the document IndexThread makes
// by reading it back: plain and held.
func TestNewThreadIndexedAsIndexThread(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		document := documents(t, db)
		for i, th := range []discussion.Thread{s.openThread, s.heldThread} {
			written := document(search.KindThread, th.ID)
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return search.IndexThread(ctx, tx, th.ID) }); err != nil {
				t.Fatal(err)
			}
			if read := document(search.KindThread, th.ID); written != read {
				t.Errorf("thread %d: indexed when created\n%s\nindexed by IndexThread\n%s", i, written, read)
			}
			if want := []string{" 3 17 |", "|moderators|"}; !strings.Contains(written, want[0]) || th.Held != strings.Contains(written, want[1]) {
				t.Errorf("thread %d: %s", i, written)
			}
		}
	})
}

// documents returns what the index holds of a document, its words with
// their fields and positions included, as one line.
func documents(t *testing.T, db *sqldb.DB) func(kind string, id int64) string {
	// The full-text table keeps no text: its words, fields and positions
	// show through a vocabulary table.
	text := "CAST(d.tsv AS TEXT)"
	if db.Dialect() == sqldb.SQLite {
		if _, err := db.Exec(ctx, "CREATE VIRTUAL TABLE search_vocab USING fts5vocab('search_fts', 'instance')"); err != nil {
			t.Fatal(err)
		}
		text = "(SELECT group_concat(w, ' ') FROM (SELECT term || ':' || col || ':' || offset AS w FROM search_vocab WHERE doc = d.id ORDER BY col, offset))"
	}
	return func(kind string, id int64) string {
		t.Helper()
		var row string
		err := db.QueryRow(ctx, `SELECT d.item_type || '|' || d.item_id || '|' || COALESCE(d.community_id, 0) || '|' || d.access || '|' ||
				COALESCE(d.owner_id, 0) || '|' || d.language || '|' || COALESCE(d.year, 0) || '|' || d.sdgs || '|' || d.countries || '|' ||
				d.at || '|' || d.boost || '|' || `+text+` FROM search_docs d WHERE d.kind = ? AND d.ref_id = ?`, kind, id).Scan(&row)
		if err != nil {
			t.Fatalf("%s %d: %v", kind, id, err)
		}
		return row
	}
}

// TestRescoreInTransaction checks that members added together in one
// transaction leave their community's document with the score of all of
// them, as IndexCommunity computes it from the records.
func TestRescoreInTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		boost := func() float64 {
			t.Helper()
			var b float64
			if err := db.QueryRow(ctx, "SELECT boost FROM search_docs WHERE kind = 'community' AND ref_id = ?", s.membersOnly.ID).Scan(&b); err != nil {
				t.Fatal(err)
			}
			return b
		}
		before := boost()
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			for i := range 20 {
				_, _, err := community.NewStore(tx).AddMember(ctx, s.membersOnly, community.NewMember{Email: fmt.Sprintf("joiner%d@example.org", i),
					Name: fmt.Sprintf("Joiner %d", i)}, s.manager)
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		written := boost()
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return search.IndexCommunity(ctx, tx, s.membersOnly.ID) }); err != nil {
			t.Fatal(err)
		}
		if written <= before || written != boost() {
			t.Errorf("boost %v before, %v after twenty members joined, %v from the records", before, written, boost())
		}
	})
}
