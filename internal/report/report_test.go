package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t, err = time.Parse("2006-01-02", s)
	}
	if err != nil {
		panic(err)
	}
	return t
}

// handMade builds a small community whose report is known by heart; see
// TestHandMadeReport for the answers.
func handMade(t *testing.T, db *sqldb.DB) community.Community {
	t.Helper()
	accounts := account.NewStore(db)
	user := func(email, country, typ string) account.User {
		u, err := accounts.CreateUser(ctx, account.NewUser{Email: email, Verified: true, CreatedAt: day("2023-12-01"),
			Profile: account.Profile{Name: strings.Split(email, "@")[0], Country: country, OrganizationType: typ}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	manager := user("manager@example.org", "BR", "government")
	st := community.NewStore(db)
	c, err := st.Create(ctx, community.Input{Slug: "hand-made", Name: "Hand-made", PrimarySDG: 3, Targets: []string{"3.1"}, CreatedAt: day("2024-01-10 09:00")}, manager)
	if err != nil {
		t.Fatal(err)
	}
	add := func(u account.User, joined, left string) {
		t.Helper()
		nm := community.NewMember{UserID: u.ID, JoinedAt: day(joined)}
		if left != "" {
			nm.LeftAt = day(left)
		}
		if _, _, err := st.AddMember(ctx, c, nm, manager); err != nil {
			t.Fatalf("member %s: %v", u.Email, err)
		}
	}
	a := user("a@example.org", "MZ", "ngo")
	b := user("b@example.org", "FR", "academia")
	cc := user("c@example.org", "IN", "government")
	d := user("d@example.org", "", "")
	e := user("e@example.org", "KE", "ngo")
	f := user("f@example.org", "DE", "donor")
	add(a, "2024-01-15 10:00", "")
	add(b, "2024-02-03 10:00", "2024-04-10 10:00") // left...
	add(b, "2024-06-01 10:00", "")                 // ...and came back after the period
	add(f, "2024-02-20 10:00", "")
	add(cc, "2024-03-01 10:00", "2024-05-31 12:00") // left on the last day
	add(d, "2024-05-31 23:00", "")                  // joined on the last day
	add(e, "2024-06-02 10:00", "")                  // after the period

	// Events: two in the period (one on its last evening), one after it,
	// a draft and a cancelled one.
	svc := &event.Service{DB: db, BaseURL: "https://harambee.example", SiteName: "Harambee"}
	by := event.By{User: &manager, Manager: true}
	webinar := func(title, start, status string) event.Event {
		t.Helper()
		s := day(start)
		ev, err := svc.Create(ctx, c.ID, event.Input{Title: title, Kind: event.Webinar, Status: status, StartsAt: s, EndsAt: s.Add(90 * time.Minute),
			TimeZone: "UTC", Languages: []string{"en"}}, manager)
		if err != nil {
			t.Fatalf("event %s: %v", title, err)
		}
		return ev
	}
	register := func(ev event.Event, name, email, country string) event.Registration {
		t.Helper()
		r, err := svc.Register(ctx, ev, event.NewRegistration{Name: name, Email: email, Country: country, OrganizationType: "government"}, by)
		if err != nil {
			t.Fatalf("register %s: %v", email, err)
		}
		return r
	}
	evs := event.NewStore(db)
	e1 := webinar("March webinar", "2024-03-10 10:00", event.Published)
	register(e1, "Ana Souza", "ana@example.org", "BR")
	register(e1, "Kwame Mensah", "kwame@example.org", "GH")
	pedro := register(e1, "Pedro Gómez", "pedro@example.org", "AR")
	if err := svc.Cancel(ctx, e1, pedro.ID, by); err != nil {
		t.Fatal(err)
	}
	// Registering twice with the same address is one registration.
	if _, err := svc.Register(ctx, e1, event.NewRegistration{Name: "Ana S.", Email: "ANA@example.org", Country: "BR"}, by); err == nil {
		t.Fatal("a second registration with the same address was accepted")
	}
	// Kwame joined twice; Lan and a guest never registered.
	zoom := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n" +
		"Ana Souza,ana@example.org,03/10/2024 09:58:12 AM,03/10/2024 11:30:05 AM,92,Yes\n" +
		"Kwame Mensah,kwame@example.org,03/10/2024 10:01:40 AM,03/10/2024 10:45:00 AM,44,Yes\n" +
		"Kwame Mensah,KWAME@example.org,03/10/2024 10:50:02 AM,03/10/2024 11:30:00 AM,40,Yes\n" +
		"Lan Nguyen,lan@example.org,03/10/2024 10:05:00 AM,03/10/2024 11:29:59 AM,85,Yes\n" +
		"Guest Without Email,,03/10/2024 10:10:00 AM,03/10/2024 10:20:00 AM,10,Yes\n"
	if _, err := evs.ImportAttendance(ctx, e1, []byte(zoom), "zoom.csv", manager.ID); err != nil {
		t.Fatal(err)
	}
	if err := evs.SetRecording(ctx, e1.ID, "https://video.example/1", 120); err != nil {
		t.Fatal(err)
	}
	var qs []survey.Question
	for _, q := range survey.Template("en") {
		if q.ID == "relevant" || q.ID == "clear" {
			qs = append(qs, q)
		}
	}
	sv, err := survey.NewStore(db).Save(ctx, e1.ID, qs)
	if err != nil {
		t.Fatal(err)
	}
	// At the boundaries: 3 does not agree, 4 and 5 do.
	for _, a := range [][2]string{{"5", "4"}, {"4", "4"}, {"3", "2"}} {
		if _, err := survey.NewStore(db).Submit(ctx, sv, survey.Submission{Answers: map[string][]string{"relevant": {a[0]}, "clear": {a[1]}}}); err != nil {
			t.Fatal(err)
		}
	}
	e2 := webinar("May webinar", "2024-05-31 20:00", event.Published)
	register(e2, "Ana Souza", "ana@example.org", "BR") // did not come
	sipho := register(e2, "Sipho Dlamini", "sipho@example.org", "ZA")
	if err := evs.MarkAttendance(ctx, e2, sipho.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := evs.SetRecording(ctx, e2.ID, "https://video.example/2", 30); err != nil {
		t.Fatal(err)
	}
	e3 := webinar("June webinar", "2024-06-01 00:00", event.Published)
	register(e3, "Ana Souza", "ana@example.org", "BR")
	webinar("Draft", "2024-04-01 10:00", event.Draft)
	webinar("Cancelled", "2024-04-15 10:00", event.Cancelled)

	// Content, dated by hand: one thread with two replies in the period,
	// a hidden thread, a deleted reply, a thread after the period.
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	thread := func(at string, hidden bool) int64 {
		var id int64
		var h any
		if hidden {
			h = day(at)
		}
		err := db.QueryRow(ctx, `INSERT INTO threads (community_id, author_id, title, body, body_html, language, hidden_at, created_at, last_activity_at)
			VALUES (?, ?, 'T', 'b', '<p>b</p>', 'en', ?, ?, ?) RETURNING id`, c.ID, manager.ID, h, day(at), day(at)).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	t1 := thread("2024-02-01 10:00", false)
	thread("2024-02-02 10:00", true)
	thread("2024-06-05 10:00", false)
	for i, at := range []string{"2024-02-01 11:00", "2024-05-31 22:00", "2024-03-01 10:00"} {
		var deleted any
		if i == 2 {
			deleted = day(at)
		}
		exec("INSERT INTO posts (thread_id, author_id, body, body_html, deleted_at, created_at) VALUES (?, ?, 'r', '<p>r</p>', ?, ?)", t1, manager.ID, deleted, day(at))
	}
	var res int64
	if err := db.QueryRow(ctx, `INSERT INTO resources (community_id, added_by, kind, title, language, created_at, updated_at)
		VALUES (?, ?, 'toolkit', 'Toolkit', 'en', ?, ?) RETURNING id`, c.ID, manager.ID, day("2024-01-01"), day("2024-01-01")).Scan(&res); err != nil {
		t.Fatal(err)
	}
	exec("INSERT INTO resource_sdgs (resource_id, sdg) VALUES (?, 3), (?, 17)", res, res)
	exec("INSERT INTO resource_targets (resource_id, target) VALUES (?, '3.1')", res)

	// Page views: the first and the last day count, the days around them
	// do not; a visitor counts once a day.
	views := []analytics.View{
		{Day: day("2023-12-31"), Path: "/communities/hand-made", Visitor: 1},
		{Day: day("2024-01-01"), Path: "/communities/hand-made", Visitor: 1, ReferrerHost: "google.com"},
		{Day: day("2024-01-01"), Path: "/threads/1", Visitor: 1},
		{Day: day("2024-03-10"), Path: "/communities/hand-made", Visitor: 2, Audience: analytics.Member, Country: "MZ", OrganizationType: "ngo"},
		{Day: day("2024-03-10"), Path: "/communities/hand-made", Visitor: 3},
		{Day: day("2024-03-10"), Path: "/communities/hand-made/events", Visitor: 3, ReferrerHost: "google.com"},
		{Day: day("2024-05-31"), Path: "/communities/hand-made", Visitor: 2, Audience: analytics.Member, Country: "MZ", OrganizationType: "ngo"},
		{Day: day("2024-06-01"), Path: "/communities/hand-made", Visitor: 4},
	}
	for i := range views {
		views[i].CommunityID = c.ID
		if views[i].Audience == "" {
			views[i].Audience = analytics.Anonymous
		}
	}
	views = append(views, analytics.View{Day: day("2024-03-10"), Path: "/solutions", Visitor: 9, Audience: analytics.Anonymous})
	if err := analytics.NewStore(db).InsertViews(ctx, views); err != nil {
		t.Fatal(err)
	}
	c, err = st.ByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func month(list []report.MonthCount) string {
	var parts []string
	for _, m := range list {
		parts = append(parts, fmt.Sprintf("%s:%d", m.Month, m.Count))
	}
	return strings.Join(parts, " ")
}

func pct(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.3f", *v)
}

// TestHandMadeReport checks every figure of a small community's report on
// both engines, and that both give the same report.
func TestHandMadeReport(t *testing.T) {
	reports := map[string]string{}
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		c := handMade(t, db)
		p, err := report.ParsePeriod("2024-01-01", "2024-05-31", c.CreatedAt, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.ForCommunity(ctx, db, c, p)
		if err != nil {
			t.Fatal(err)
		}
		m := r.Members
		tests := []struct{ name, got, want string }{
			// On 31 May: the manager, A, F and D (joined that evening); not
			// B (left in April, back in June), C (left that day) or E.
			{"members.total", fmt.Sprint(m.Total), "4"},
			{"members.by_country", fmt.Sprint(m.ByCountry), "map[BR:1 DE:1 MZ:1]"},
			{"members.without_country", fmt.Sprint(m.WithoutCountry), "1"},
			{"members.by_region", fmt.Sprint(m.ByRegion), "map[002:1 019:1 150:1]"},
			{"members.by_organization_type", fmt.Sprint(m.ByOrganizationType), "map[donor:1 government:1 ngo:1]"},
			{"members.developing_share", pct(m.DevelopingShare), "0.667"},
			{"members.new_by_month", month(m.NewByMonth), "2024-01:2 2024-02:2 2024-03:1 2024-04:0 2024-05:1"},
			{"members.new", fmt.Sprint(m.New), "6"},
			{"members.left_by_month", month(m.LeftByMonth), "2024-01:0 2024-02:0 2024-03:0 2024-04:1 2024-05:1"},
			{"members.by_month", month(m.ByMonth), "2024-01:2 2024-02:4 2024-03:5 2024-04:4 2024-05:4"},
			{"events.count", fmt.Sprint(r.Events.Count), "2"},
			{"events.registrants", fmt.Sprint(r.Events.Registrants), "4"},
			{"events.attendees", fmt.Sprint(r.Events.Attendees), "5"},
			{"events.countries_reached", fmt.Sprint(r.Events.CountriesReached), "3"},
			{"events.countries", fmt.Sprint(r.Events.Countries), "[BR GH ZA]"},
			{"events.recording_views", fmt.Sprint(r.Events.RecordingViews), "150"},
			{"events.cancelled", fmt.Sprint(r.Events.Cancelled), "1"},
			{"events.items", fmt.Sprint(len(r.Events.Items)), "2"},
			{"march funnel", fmt.Sprintf("%d %d %d %d %d %s %d", r.Events.Items[0].Registrants, r.Events.Items[0].Attendees, r.Events.Items[0].RegistrantsAttended,
				r.Events.Items[0].WalkIns, r.Events.Items[0].NoShows, pct(r.Events.Items[0].AttendanceRate), r.Events.Items[0].Countries), "2 4 2 2 0 1.000 2"},
			{"may funnel", fmt.Sprintf("%d %d %d %d %d %s", r.Events.Items[1].Registrants, r.Events.Items[1].Attendees, r.Events.Items[1].RegistrantsAttended,
				r.Events.Items[1].WalkIns, r.Events.Items[1].NoShows, pct(r.Events.Items[1].AttendanceRate)), "2 1 1 0 1 0.500"},
			{"march relevant", pct(r.Events.Items[0].AgreeByQuestion["relevant"]), "0.667"},
			{"march clear", pct(r.Events.Items[0].AgreeByQuestion["clear"]), "0.667"},
			{"may agree", pct(r.Events.Items[1].AgreeShare), "null"},
			{"surveys.responses", fmt.Sprint(r.Surveys.Responses), "3"},
			{"surveys.agree_share", pct(r.Surveys.AgreeShare), "0.667"},
			{"surveys.answers", fmt.Sprint(r.Surveys.Answers), "6"},
			{"content", fmt.Sprintf("%+v", r.Content), "{Threads:1 Posts:2 Resources:1 Solutions:0}"},
			{"page_views.total", fmt.Sprint(r.PageViews.Total), "6"},
			{"page_views.unique_visitors", fmt.Sprint(r.PageViews.UniqueVisitors), "4"},
			{"page_views.by_month", fmt.Sprint(r.PageViews.ByMonth), "[{2024-01 2 1} {2024-02 0 0} {2024-03 3 2} {2024-04 0 0} {2024-05 1 1}]"},
			{"page_views.top_pages", fmt.Sprint(r.PageViews.TopPages), "[{/communities/hand-made 4} {/communities/hand-made/events 1} {/threads/1 1}]"},
			{"page_views.top_referrers", fmt.Sprint(r.PageViews.TopReferrers), "[{google.com 2}]"},
			{"page_views.by_audience", fmt.Sprint(r.PageViews.ByAudience), "map[anonymous:4 member:2]"},
			{"page_views.by_member_country", fmt.Sprint(r.PageViews.MemberCountry), "map[MZ:2]"},
			{"sdgs", fmt.Sprint(r.SDGs), "[{3 0 1 2} {17 0 1 0}]"},
			{"targets", fmt.Sprint(r.Targets), "[{3.1 0 1 2}]"},
			{"exchanges", fmt.Sprintf("%v %v %v %v", r.Exchanges.ByStage, r.Exchanges.Flows, r.Exchanges.SouthSouthShare, r.Exchanges.Outcomes), "map[] [] 0 map[]"},
		}
		for _, tt := range tests {
			if tt.got != tt.want {
				t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
			}
		}
		// The community's own counts agree with the report's.
		if n, err := community.NewStore(db).MembersOn(ctx, c.ID, p.To()); err != nil || n != m.Total {
			t.Errorf("MembersOn the last day: %d, %v; the report says %d", n, err, m.Total)
		}
		r.GeneratedAt = time.Time{}
		r.Community.CreatedAt = time.Time{}
		b, _ := json.Marshal(r)
		reports[db.Dialect().String()] = string(b)

		// A shorter period: only the first day; then only the last. Asked
		// for all at once, several times each, as readers do: reports being
		// computed are shared only between readers of the same period.
		periods := []struct{ from, to, want string }{
			{"2024-01-01", "2024-01-01", "views 2, members 0, events 0"},
			{"2024-05-31", "2024-05-31", "views 1, members 4, events 1"},
			{"2024-06-01", "2024-06-30", "views 1, members 6, events 1"},
		}
		got := make([]string, 3*len(periods))
		var wg sync.WaitGroup
		for i := range got {
			tt := periods[i%len(periods)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, _ := report.ParsePeriod(tt.from, tt.to, c.CreatedAt, time.Now())
				r, err := report.ForCommunity(ctx, db, c, p)
				got[i] = fmt.Sprintf("views %d, members %d, events %d (%v)", r.PageViews.Total, r.Members.Total, r.Events.Count, err)
			}()
		}
		wg.Wait()
		for i, g := range got {
			tt := periods[i%len(periods)]
			if want := tt.want + " (<nil>)"; g != want {
				t.Errorf("%s to %s: %s, want %s", tt.from, tt.to, g, want)
			}
		}
	})
	if len(reports) == 2 && reports["sqlite"] != reports["postgres"] {
		t.Errorf("the engines disagree:\nsqlite   %s\npostgres %s", reports["sqlite"], reports["postgres"])
	}
}

// TestExports: the CSV tables and the PDF of the hand-made report.
func TestExports(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	c := handMade(t, db)
	p, _ := report.ParsePeriod("2024-01-01", "2024-05-31", c.CreatedAt, time.Now())
	r, err := report.ForCommunity(ctx, db, c, p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.WriteZIP(&buf, r); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range z.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	for name, want := range map[string]string{
		"members_by_month.csv":    "month,new,left,members_at_month_end\n2024-01,2,0,2\n2024-02,2,0,4\n2024-03,1,0,5\n2024-04,0,1,4\n2024-05,1,1,4\n",
		"members_by_region.csv":   "region,name,members\n002,Africa,1\n019,Americas,1\n150,Europe,1\n",
		"page_views_by_month.csv": "month,views,visitors\n2024-01,2,1\n2024-02,0,0\n2024-03,3,2\n2024-04,0,0\n2024-05,1,1\n",
		"survey_questions.csv":    "question,answers,agree_share\nrelevant,3,0.6667\nclear,3,0.6667\n",
	} {
		if files[name] != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, files[name], want)
		}
	}
	if !strings.Contains(files["events.csv"], "March webinar,webinar,2024-03-10T10:00:00Z,2,4,2,0,2,1.0000,2,120,3,0.6667,0.6667,0.6667") {
		t.Errorf("events.csv:\n%s", files["events.csv"])
	}
	if len(files) < 15 {
		t.Errorf("%d tables", len(files))
	}
	for _, lang := range []string{"en", "fr"} {
		pdf, err := report.PDF(r, i18n.For(lang), "Harambee")
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 20000 {
			t.Errorf("PDF in %s: %d bytes, %v", lang, len(pdf), err)
		}
	}
	var js bytes.Buffer
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"members", "events", "surveys", "content", "page_views", "exchanges"} {
		if back[k] == nil {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	began := day("2018-02-01 10:00")
	now := day("2026-11-29 12:00")
	tests := []struct {
		from, to         string
		wantFrom, wantTo string
		field, key       string
	}{
		{"", "", "2018-02-01", "2026-11-29", "", ""},
		{"2021-01-01", "2021-12-31", "2021-01-01", "2021-12-31", "", ""},
		{"2021-01-01", "2021-01-01", "2021-01-01", "2021-01-01", "", ""},
		{"", "2021-10-31", "2018-02-01", "2021-10-31", "", ""},
		{"2021-13-01", "", "", "", "from", "report.error.date"},
		{"yesterday", "", "", "", "from", "report.error.date"},
		{"", "2021-02-30", "", "", "to", "report.error.date"},
		{"2021-05-01", "2021-04-30", "", "", "to", "report.error.order"},
		{"2010-01-01", "2021-01-01", "", "", "to", "report.error.span"},
		{"2011-01-02", "2021-01-01", "2011-01-02", "2021-01-01", "", ""},
		{"0001-01-01", "0001-01-02", "", "", "from", "report.error.date"},
	}
	for _, tt := range tests {
		p, err := report.ParsePeriod(tt.from, tt.to, began, now)
		if tt.key != "" {
			ve, ok := validation.As(err)
			if !ok || ve.Fields[tt.field].Key != tt.key {
				t.Errorf("%q..%q: err %v, want %s on %s", tt.from, tt.to, err, tt.key, tt.field)
			}
			continue
		}
		if err != nil || p.From.Format("2006-01-02") != tt.wantFrom || p.LastDay().Format("2006-01-02") != tt.wantTo {
			t.Errorf("%q..%q: %s..%s, %v", tt.from, tt.to, p.From, p.LastDay(), err)
		}
	}
	// Without from, the default never reaches back more than ten years.
	p, err := report.ParsePeriod("", "", day("2001-01-01"), now)
	if err != nil || p.From.Year() != 2016 {
		t.Errorf("default period of an old community: %v, %v", p.From, err)
	}
}

// TestJoinLeaveRejoin: a member who leaves and comes back within the
// period is new once, leaves once and counts again from the month they
// return; one who leaves on the period's last day is not a member on it.
func TestJoinLeaveRejoin(t *testing.T) {
	reports := map[string]string{}
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		accounts := account.NewStore(db)
		user := func(email, country string) account.User {
			u, err := accounts.CreateUser(ctx, account.NewUser{Email: email, Verified: true, CreatedAt: day("2023-11-01"),
				Profile: account.Profile{Name: strings.Split(email, "@")[0], Country: country, OrganizationType: "ngo"}})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		manager := user("manager@example.org", "BR")
		st := community.NewStore(db)
		c, err := st.Create(ctx, community.Input{Slug: "rejoin", Name: "Rejoin", PrimarySDG: 3, CreatedAt: day("2023-12-01")}, manager)
		if err != nil {
			t.Fatal(err)
		}
		x, y, z := user("x@example.org", "MZ"), user("y@example.org", "FR"), user("z@example.org", "IN")
		for _, m := range []struct {
			u            account.User
			joined, left string
		}{
			{x, "2024-01-10 10:00", "2024-02-15 10:00"}, {x, "2024-03-05 10:00", ""}, // left and came back
			{z, "2024-01-20 10:00", "2024-04-30 18:00"}, // left on the last day
			{y, "2024-02-01 10:00", ""},
		} {
			nm := community.NewMember{UserID: m.u.ID, JoinedAt: day(m.joined)}
			if m.left != "" {
				nm.LeftAt = day(m.left)
			}
			if _, _, err := st.AddMember(ctx, c, nm, manager); err != nil {
				t.Fatal(err)
			}
		}
		p, err := report.ParsePeriod("2024-01-01", "2024-04-30", c.CreatedAt, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.ForCommunity(ctx, db, c, p)
		if err != nil {
			t.Fatal(err)
		}
		m := r.Members
		for _, tt := range []struct{ name, got, want string }{
			{"total", fmt.Sprint(m.Total), "3"}, // the manager, X (back) and Y; not Z
			{"by_country", fmt.Sprint(m.ByCountry), "map[BR:1 FR:1 MZ:1]"},
			{"new_by_month", month(m.NewByMonth), "2024-01:2 2024-02:1 2024-03:0 2024-04:0"},
			{"new", fmt.Sprint(m.New), "3"},
			{"left_by_month", month(m.LeftByMonth), "2024-01:0 2024-02:1 2024-03:0 2024-04:1"},
			{"by_month", month(m.ByMonth), "2024-01:3 2024-02:3 2024-03:4 2024-04:3"},
			{"developing_share", pct(m.DevelopingShare), "0.667"},
		} {
			if tt.got != tt.want {
				t.Errorf("members.%s: got %s, want %s", tt.name, tt.got, tt.want)
			}
		}
		r.GeneratedAt, r.Community.CreatedAt = time.Time{}, time.Time{}
		b, _ := json.Marshal(r)
		reports[db.Dialect().String()] = string(b)
	})
	if len(reports) == 2 && reports["sqlite"] != reports["postgres"] {
		t.Errorf("the engines disagree:\nsqlite   %s\npostgres %s", reports["sqlite"], reports["postgres"])
	}
}
