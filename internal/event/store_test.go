package event_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

// fixture is a community with its manager, and the service that sends
// event mail.
type fixture struct {
	db      *sqldb.DB
	manager account.User
	c       community.Community
	svc     *event.Service
}

func newFixture(t *testing.T, db *sqldb.DB) *fixture {
	t.Helper()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "manager@example.org", Verified: true,
		Profile: account.Profile{Name: "Isabel Monteiro", Country: "BR"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "ssc", Name: "South-South Cooperation", PrimarySDG: 3}, u)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, manager: u, c: c, svc: &event.Service{DB: db, BaseURL: "https://harambee.example", SiteName: "Harambee"}}
}

// webinar creates a published webinar starting at start (UTC) for an hour
// and a half, with the changes mod makes to it.
func (f *fixture) webinar(t *testing.T, start time.Time, mod func(*event.Input)) event.Event {
	t.Helper()
	in := event.Input{Title: "Maternal health webinar", Kind: event.Webinar, Status: event.Published, StartsAt: start,
		EndsAt: start.Add(90 * time.Minute), TimeZone: "UTC", Languages: []string{"en"}, JoinURL: "https://zoom.example/j/123"}
	if mod != nil {
		mod(&in)
	}
	e, err := f.svc.Create(ctx, f.c.ID, in, f.manager)
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e
}

func guest(name, email, country string) event.NewRegistration {
	return event.NewRegistration{Name: name, Email: email, Country: country, OrganizationType: "government"}
}

func wantKey(t *testing.T, err error, field, key string) *validation.Error {
	t.Helper()
	ve, ok := validation.As(err)
	if !ok {
		t.Fatalf("err = %v, want %s on %s", err, key, field)
	}
	if got := ve.Fields[field].Key; got != key {
		t.Errorf("%s: key %q, want %q (%v)", field, got, key, ve.Fields)
	}
	return ve
}

func outbox(t *testing.T, db *sqldb.DB, to string) []mail.Message {
	t.Helper()
	msgs, _, err := mail.NewOutbox(db).List(ctx, to, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestValidate(t *testing.T) {
	start := time.Date(2030, 3, 10, 13, 0, 0, 0, time.UTC)
	good := event.Input{Title: "A webinar", StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "America/Sao_Paulo"}
	tests := []struct {
		name   string
		mod    func(*event.Input)
		fields []string
	}{
		{"good", func(*event.Input) {}, nil},
		{"no title", func(in *event.Input) { in.Title = " " }, []string{"title"}},
		{"ends first", func(in *event.Input) { in.EndsAt = start.Add(-time.Minute) }, []string{"ends_at"}},
		{"too long", func(in *event.Input) { in.EndsAt = start.Add(40 * 24 * time.Hour) }, []string{"ends_at"}},
		{"bad zone", func(in *event.Input) { in.TimeZone = "Mars/Olympus" }, []string{"timezone"}},
		{"bad kind and status", func(in *event.Input) { in.Kind, in.Status = "party", "live" }, []string{"kind", "status"}},
		{"bad url", func(in *event.Input) { in.JoinURL = "javascript:alert(1)" }, []string{"join_url"}},
		{"capacity", func(in *event.Input) { in.Capacity = -1 }, []string{"capacity"}},
		{"deadline after end", func(in *event.Input) { in.RegistrationDeadline = start.Add(2 * time.Hour) }, []string{"registration_deadline"}},
		{"share", func(in *event.Input) { in.CertificateShare = 101 }, []string{"certificate_share"}},
		{"languages", func(in *event.Input) { in.Languages = []string{"xx-yy"} }, []string{"languages"}},
		{"speaker", func(in *event.Input) { in.Speakers = []event.Speaker{{}, {Title: "Minister", Country: "XX"}} }, []string{"speakers.1.name", "speakers.1.country"}},
		{"question", func(in *event.Input) {
			in.Questions = []event.Question{{Key: "email", Text: "E-mail again", Type: event.ShortText}, {Key: "Bad Key", Text: "x", Type: event.SingleChoice, Options: []string{"only"}}}
		}, []string{"questions.0.id", "questions.1.id", "questions.1.options"}},
	}
	for _, tt := range tests {
		in := good
		tt.mod(&in)
		_, err := in.Validate()
		ve, _ := validation.As(err)
		if tt.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		for _, f := range tt.fields {
			if ve == nil || !ve.Has(f) {
				t.Errorf("%s: no error on %s (%v)", tt.name, f, err)
			}
		}
	}
}

// TestWaitingList: a full event puts people on the waiting list in order,
// and a cancellation gives the first of them the seat, who is told.
func TestWaitingList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := f.webinar(t, time.Now().Add(72*time.Hour), func(in *event.Input) { in.Capacity = 2 })
		var regs []event.Registration
		for i, name := range []string{"Ana Souza", "Kwame Mensah", "Nguyen Thi Lan", "Fatima Diallo"} {
			r, err := f.svc.Register(ctx, e, guest(name, fmt.Sprintf("p%d@example.org", i), "BR"), event.By{})
			if err != nil {
				t.Fatal(err)
			}
			regs = append(regs, r)
		}
		for i, want := range []struct {
			status string
			pos    int
		}{{event.StatusRegistered, 0}, {event.StatusRegistered, 0}, {event.StatusWaitlisted, 1}, {event.StatusWaitlisted, 2}} {
			if regs[i].Status != want.status || regs[i].WaitlistPosition != want.pos {
				t.Errorf("registration %d: %s #%d, want %s #%d", i, regs[i].Status, regs[i].WaitlistPosition, want.status, want.pos)
			}
		}
		if m := outbox(t, db, "p2@example.org"); len(m) != 1 || !strings.Contains(m[0].Text, "number 1 on the waiting list") {
			t.Errorf("the waiting-list confirmation: %+v", m)
		}
		// The same address in another case is the same person: 409.
		_, err := f.svc.Register(ctx, e, guest("Ana again", " P0@Example.ORG ", "BR"), event.By{})
		if ve := wantKey(t, err, "email", "event.error.already_registered"); !ve.Conflict {
			t.Error("a second registration is not a conflict")
		}
		if err := f.svc.Cancel(ctx, e, regs[1].ID, event.By{}); err != nil {
			t.Fatal(err)
		}
		st := event.NewStore(db)
		got, _, err := st.Registrations(ctx, e.ID, event.RegistrationsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		summary := ""
		for _, r := range got {
			summary += fmt.Sprintf("%s:%s:%d ", r.Name, r.Status, r.WaitlistPosition)
		}
		if want := "Ana Souza:registered:0 Nguyen Thi Lan:registered:0 Fatima Diallo:waitlisted:1 "; summary != want {
			t.Errorf("after a cancellation: %s, want %s", summary, want)
		}
		msgs := outbox(t, db, "p2@example.org")
		if len(msgs) != 2 || msgs[0].Category != event.CategoryPromotion {
			t.Fatalf("the promoted person was not told: %+v", msgs)
		}
		full, err := mail.NewOutbox(db).Message(ctx, msgs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Attachments) != 1 || !bytes.Contains(full.Attachments[0].Data, []byte("BEGIN:VCALENDAR")) ||
			!bytes.Contains(full.Attachments[0].Data, []byte("zoom.example")) {
			t.Errorf("the promotion carries no calendar file with the join link")
		}
		// Registering again after cancelling reopens the registration, at
		// the end of the queue.
		r, err := f.svc.Register(ctx, e, guest("Kwame Mensah", "p1@example.org", "GH"), event.By{})
		if err != nil || r.Status != event.StatusWaitlisted || r.WaitlistPosition != 2 || r.Country != "GH" {
			t.Errorf("registering again: %+v, %v", r, err)
		}
		// More seats promote the waiting list in order.
		in := event.InputOf(e)
		in.Capacity = 10
		if _, err := f.svc.Update(ctx, e.ID, in); err != nil {
			t.Fatal(err)
		}
		if e2, _ := st.ByID(ctx, e.ID); e2.Registered != 4 || e2.Waitlisted != 0 {
			t.Errorf("after adding seats: %d registered, %d waiting", e2.Registered, e2.Waitlisted)
		}
	})
}

// TestRegistrationRules: self-registration closes at the deadline and at
// the start; managers may register anyone at any time; cancelled events
// take no one.
func TestRegistrationRules(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		now := time.Now()
		past := f.webinar(t, now.Add(-30*24*time.Hour), nil)
		closed := f.webinar(t, now.Add(48*time.Hour), func(in *event.Input) { in.RegistrationDeadline = now.Add(-time.Hour) })
		cancelled := f.webinar(t, now.Add(48*time.Hour), func(in *event.Input) { in.Status = event.Cancelled })
		draft := f.webinar(t, now.Add(48*time.Hour), func(in *event.Input) { in.Status = event.Draft })
		open := f.webinar(t, now.Add(48*time.Hour), func(in *event.Input) {
			in.Questions = []event.Question{{Key: "sector", Text: "Sector", Type: event.SingleChoice, Options: []string{"Health", "Education"}, Required: true},
				{Key: "topics", Text: "Topics", Type: event.MultipleChoice, Options: []string{"HIV", "Nutrition"}},
				{Key: "first", Text: "First time?", Type: event.YesNo}}
		})
		by := event.By{}
		manager := event.By{User: &f.manager, Manager: true}
		_, err := f.svc.Register(ctx, past, guest("A", "a@example.org", "BR"), by)
		wantKey(t, err, "event", "event.error.started")
		_, err = f.svc.Register(ctx, closed, guest("A", "a@example.org", "BR"), by)
		wantKey(t, err, "event", "event.error.deadline_passed")
		_, err = f.svc.Register(ctx, cancelled, guest("A", "a@example.org", "BR"), manager)
		wantKey(t, err, "event", "event.error.cancelled")
		_, err = f.svc.Register(ctx, draft, guest("A", "a@example.org", "BR"), by)
		wantKey(t, err, "event", "event.error.not_published")

		// History: a manager registers someone for a past event, dated in
		// 2019; no mail goes out for it.
		r, err := f.svc.Register(ctx, past, event.NewRegistration{Name: "Old Timer", Email: "old@example.org",
			RegisteredAt: time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)}, manager)
		if err != nil || r.Source != event.SourceManager || r.RegisteredAt.Year() != 2019 {
			t.Errorf("history registration: %+v, %v", r, err)
		}
		if m := outbox(t, db, "old@example.org"); len(m) != 0 {
			t.Errorf("history sent %d messages", len(m))
		}

		// Custom answers: required, among the options.
		in := guest("Ana", "ana@example.org", "BR")
		_, err = f.svc.Register(ctx, open, in, by)
		wantKey(t, err, "answers.sector", "event.error.answer_required")
		in.Answers = map[string][]string{"sector": {"Health", "Education"}}
		_, err = f.svc.Register(ctx, open, in, by)
		wantKey(t, err, "answers.sector", "event.error.one_answer")
		in.Answers = map[string][]string{"sector": {"Health"}, "topics": {"HIV", "Sports"}}
		_, err = f.svc.Register(ctx, open, in, by)
		wantKey(t, err, "answers.topics", "event.error.no_such_option")
		in.Answers = map[string][]string{"sector": {"Health"}, "unknown": {"x"}}
		_, err = f.svc.Register(ctx, open, in, by)
		wantKey(t, err, "answers.unknown", "event.error.unknown_question")
		in.Answers = map[string][]string{"sector": {"Health"}, "topics": {"HIV", "Nutrition"}, "first": {"yes"}}
		in.Country = ""
		_, err = f.svc.Register(ctx, open, in, by)
		wantKey(t, err, "country", "error.required")
		in.Country = "br"
		r, err = f.svc.Register(ctx, open, in, by)
		if err != nil || fmt.Sprint(r.Answers) != "map[first:[yes] sector:[Health] topics:[HIV Nutrition]]" || r.Country != "BR" {
			t.Errorf("registration with answers: %+v, %v", r, err)
		}
		msgs := outbox(t, db, "ana@example.org")
		if len(msgs) != 1 || msgs[0].Category != event.CategoryRegistration || !strings.Contains(msgs[0].Text, "/registrations/"+r.Token) {
			t.Errorf("confirmation: %+v", msgs)
		}
		if got, err := event.NewStore(db).ByToken(ctx, r.Token); err != nil || got.ID != r.ID {
			t.Errorf("ByToken: %v", err)
		}
		// A member registering themselves is linked to their account.
		u, _ := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "member@example.org", Verified: true, Profile: account.Profile{Name: "Member"}})
		r, err = f.svc.Register(ctx, open, event.NewRegistration{Name: "Member", Email: "MEMBER@example.org", Country: "MZ",
			Answers: map[string][]string{"sector": {"Education"}}}, event.By{User: &u})
		if err != nil || r.UserID != u.ID {
			t.Errorf("member registration: %+v, %v", r, err)
		}
		if mine, err := event.NewStore(db).ForUser(ctx, open.ID, u); err != nil || mine.ID != r.ID {
			t.Errorf("ForUser: %v", err)
		}
	})
}

// TestChangesTellRegistrants: a new time and a cancellation reach
// registrants, with a calendar file whose SEQUENCE grew.
func TestChangesTellRegistrants(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := f.webinar(t, time.Now().Add(10*24*time.Hour), nil)
		if _, err := f.svc.Register(ctx, e, guest("Ana", "ana@example.org", "BR"), event.By{}); err != nil {
			t.Fatal(err)
		}
		in := event.InputOf(e)
		in.StartsAt, in.EndsAt = in.StartsAt.Add(time.Hour), in.EndsAt.Add(time.Hour)
		moved, err := f.svc.Update(ctx, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if moved.Sequence != e.Sequence+1 {
			t.Errorf("SEQUENCE %d after a change, want %d", moved.Sequence, e.Sequence+1)
		}
		in.Status = event.Cancelled
		if _, err := f.svc.Update(ctx, e.ID, in); err != nil {
			t.Fatal(err)
		}
		msgs := outbox(t, db, "ana@example.org")
		var cats []string
		for _, m := range msgs {
			cats = append(cats, m.Category)
		}
		if fmt.Sprint(cats) != "[event_cancelled event_change event_registration]" {
			t.Errorf("messages %v", cats)
		}
		m, _ := mail.NewOutbox(db).Message(ctx, msgs[0].ID)
		ics := string(m.Attachments[0].Data)
		if !strings.Contains(ics, "STATUS:CANCELLED") || !strings.Contains(ics, "SEQUENCE:2") {
			t.Errorf("cancellation calendar:\n%s", ics)
		}
	})
}

// TestImportAttendance imports the sample reports: rows matched by address
// then name, a person who joined twice counted once, walk-ins kept, and a
// second import of the same file changing nothing.
func TestImportAttendance(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		manager := event.By{User: &f.manager, Manager: true}
		// The Zoom sample: 10 March 2026, times in the event's zone (UTC
		// here).
		zoom := f.webinar(t, time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), nil)
		for _, g := range []event.NewRegistration{
			guest("Ana Souza", "ana.souza@saude.example.org", "BR"),
			guest("Kwame Mensah", "k.mensah@health.example.org", "GH"),
			guest("Nguyen, Thi Lan", "lan@other.example.org", "VN"), // matched by exact name
			guest("Nobody Came", "absent@example.org", "MZ"),
		} {
			if _, err := f.svc.Register(ctx, zoom, g, manager); err != nil {
				t.Fatal(err)
			}
		}
		st := event.NewStore(db)
		data, _ := os.ReadFile("testdata/zoom-participants.csv")
		res, err := st.ImportAttendance(ctx, zoom, data, "zoom.csv", f.manager.ID)
		if err != nil {
			t.Fatal(err)
		}
		if res != (event.ImportResult{Format: event.FormatZoom, Rows: 5, Matched: 4, Unmatched: 1, Attendees: 4}) {
			t.Errorf("import: %+v", res)
		}
		count := func(table string) int {
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
			return n
		}
		before := [3]int{count("event_attendees"), count("event_attendance_sessions"), count("event_attendance_imports")}
		again, err := st.ImportAttendance(ctx, zoom, data, "zoom.csv", f.manager.ID)
		if err != nil || again != res {
			t.Errorf("second import: %+v, %v", again, err)
		}
		if after := [3]int{count("event_attendees"), count("event_attendance_sessions"), count("event_attendance_imports")}; after != before {
			t.Errorf("importing again changed the records: %v -> %v", before, after)
		}
		att, err := st.Attendees(ctx, zoom)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range att {
			got[a.Name] = fmt.Sprintf("%s/%d/%v", a.Country, a.Seconds/60, a.RegistrationID != 0)
		}
		want := map[string]string{"Ana Souza": "BR/92/true", "Kwame Mensah": "GH/84/true", "Nguyen, Thi Lan": "VN/85/true", "Guest Without Email": "/10/false"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("attendees %v, want %v", got, want)
		}
		rep, err := st.Report(ctx, zoom)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Registrants != 4 || rep.Attendees != 4 || rep.RegistrantsAttended != 3 || rep.WalkIns != 1 || rep.AttendanceRate != 0.75 ||
			event.DistinctCountries(rep.AttendeeCountries) != 3 || event.DistinctCountries(rep.RegistrantCountries) != 4 {
			t.Errorf("report %+v", rep)
		}

		// A broken report imports nothing at all.
		broken := append(append([]byte{}, data...), []byte("\"Unclosed,x@example.org,03/10/2026 10:10:00 AM,03/10/2026 10:20:00 AM,10,Yes\n")...)
		_, err = st.ImportAttendance(ctx, zoom, broken, "broken.csv", f.manager.ID)
		wantKey(t, err, "file", "event.error.report_quoting")
		if after := [3]int{count("event_attendees"), count("event_attendance_sessions"), count("event_attendance_imports")}; after != before {
			t.Errorf("a refused report changed the records")
		}

		// The Teams report (UTF-16, sections) and the legacy list (names
		// only) of the 12 March webinar.
		teams := f.webinar(t, time.Date(2026, 3, 12, 14, 0, 0, 0, time.UTC), func(in *event.Input) { in.Title = "Teams webinar" })
		for _, g := range []event.NewRegistration{guest("Ana Souza", "ana.souza@saude.example.org", "BR"), guest("Kwame Mensah", "K.Mensah@health.example.org", "GH")} {
			if _, err := f.svc.Register(ctx, teams, g, manager); err != nil {
				t.Fatal(err)
			}
		}
		data, _ = os.ReadFile("testdata/teams-attendance-report.tsv")
		if res, err = st.ImportAttendance(ctx, teams, data, "report.tsv", f.manager.ID); err != nil {
			t.Fatal(err)
		}
		if res != (event.ImportResult{Format: event.FormatTeams, Rows: 4, Matched: 3, Unmatched: 1, Attendees: 3}) {
			t.Errorf("teams import: %+v", res)
		}
		data, _ = os.ReadFile("testdata/teams-attendance-list-legacy.tsv")
		if res, err = st.ImportAttendance(ctx, teams, data, "list.tsv", f.manager.ID); err != nil {
			t.Fatal(err)
		}
		if res != (event.ImportResult{Format: event.FormatTeamsList, Rows: 6, Matched: 6, Unmatched: 0, Attendees: 2}) {
			t.Errorf("legacy import: %+v", res)
		}
		// The same sessions from the two reports are one each.
		att, _ = st.Attendees(ctx, teams)
		if len(att) != 3 {
			t.Fatalf("%d attendees after both Teams reports, want 3", len(att))
		}
		for _, a := range att {
			if a.Name == "Kwame Mensah" && (a.Sessions != 2 || a.Seconds != 26*60+50+29*60+12) {
				t.Errorf("Kwame: %d sessions, %d s", a.Sessions, a.Seconds)
			}
		}
	})
}

// TestMarkAttendanceAndCertificates: attendance by hand, the certificate
// threshold, and a certificate anyone can check by its code.
func TestMarkAttendanceAndCertificates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		manager := event.By{User: &f.manager, Manager: true}
		e := f.webinar(t, time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), func(in *event.Input) { in.EndsAt = in.StartsAt.Add(100 * time.Minute) })
		st := event.NewStore(db)
		data, _ := os.ReadFile("testdata/zoom-participants.csv")
		if _, err := st.ImportAttendance(ctx, e, data, "zoom.csv", f.manager.ID); err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.Register(ctx, e, guest("By Phone", "phone@example.org", "MZ"), manager)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.MarkAttendance(ctx, e, r.ID, true); err != nil {
			t.Fatal(err)
		}
		a, err := st.AttendeeForRegistration(ctx, e, r)
		if err != nil || !a.Manual || a.Share(e) != 1 {
			t.Fatalf("marked attendance: %+v, %v", a, err)
		}
		att, _ := st.Attendees(ctx, e)
		eligible := map[string]bool{}
		for _, a := range att {
			eligible[a.Name] = a.Eligible(e)
		}
		// 100 minutes: Ana 92, Kwame 84, Lan 85 pass 60%; the guest's 10 do not.
		if fmt.Sprint(eligible) != "map[By Phone:true Guest Without Email:false Kwame Mensah:true Nguyen, Thi Lan:true Ana Souza:true]" &&
			!(eligible["Ana Souza"] && eligible["Kwame Mensah"] && !eligible["Guest Without Email"] && eligible["By Phone"]) {
			t.Errorf("eligible %v", eligible)
		}
		var guestA, ana event.Attendee
		for _, a := range att {
			switch a.Name {
			case "Guest Without Email":
				guestA = a
			case "Ana Souza":
				ana = a
			}
		}
		if _, err := st.IssueCertificate(ctx, e, guestA); !errors.Is(err, event.ErrNotEligible) {
			t.Errorf("10 minutes of 100 got a certificate: %v", err)
		}
		c, err := st.IssueCertificate(ctx, e, ana)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := st.IssueCertificate(ctx, e, ana)
		if again.Code != c.Code {
			t.Error("a second download issued a new certificate")
		}
		check, err := st.CertificateByCode(ctx, strings.ToLower(strings.ReplaceAll(c.Code, "-", "")))
		if err != nil || check.Name != "Ana Souza" || check.Event.ID != e.ID || check.Seconds != 92*60 {
			t.Errorf("check by code: %+v, %v", check, err)
		}
		if _, err := st.CertificateByCode(ctx, "AAAA-BBBB-CCCC"); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("unknown code: %v", err)
		}
		pdf, err := event.CertificatePDF(c, i18n.For("pt"), "https://harambee.example/certificates/"+c.Code, "Harambee")
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 1000 {
			t.Errorf("certificate PDF: %d bytes, %v", len(pdf), err)
		}
		// Unmarking removes the attendance marked by hand.
		if err := st.MarkAttendance(ctx, e, r.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AttendeeForRegistration(ctx, e, r); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("unmarked attendee still there: %v", err)
		}
	})
}

// TestExport: the registrants export holds the columns asked for, with
// custom answers, safe for spreadsheets, as CSV and XLSX.
func TestExport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := f.webinar(t, time.Now().Add(24*time.Hour), func(in *event.Input) {
			in.Questions = []event.Question{{Key: "sector", Text: "Sector", Type: event.ShortText}}
		})
		in := guest("=HYPERLINK(\"http://evil\")", "x@example.org", "BR")
		in.Answers = map[string][]string{"sector": {"Health, nutrition"}}
		if _, err := f.svc.Register(ctx, e, in, event.By{}); err != nil {
			t.Fatal(err)
		}
		st := event.NewStore(db)
		_, err := st.RegistrantsTable(ctx, e, []string{"name", "password"}, i18n.For("en"))
		wantKey(t, err, "columns", "event.error.unknown_column")
		table, err := st.RegistrantsTable(ctx, e, []string{"email", "name", "answers.sector", "attended"}, i18n.For("fr"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := event.WriteCSV(&buf, table); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(rows) != fmt.Sprint([][]string{{"E-mail", "Nom", "Sector", "Présent·e"}, {"x@example.org", "'=HYPERLINK(\"http://evil\")", "Health, nutrition", "no"}}) {
			t.Errorf("csv %q", rows)
		}
		buf.Reset()
		if err := event.WriteXLSX(&buf, "Inscriptions", table); err != nil {
			t.Fatal(err)
		}
		z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, zf := range z.File {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			names[zf.Name] = string(b)
		}
		sheet := names["xl/worksheets/sheet1.xml"]
		if names["[Content_Types].xml"] == "" || !strings.Contains(sheet, "Health, nutrition") || !strings.Contains(sheet, "=HYPERLINK(&#34;http://evil&#34;)") ||
			!strings.Contains(sheet, `r="D2"`) {
			t.Errorf("xlsx sheet: %s", sheet)
		}
	})
}

// TestRemindersHook: publishing an event schedules its reminders a day and
// an hour before; the worker sends each once, to registrants with a seat.
func TestRemindersHook(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := f.webinar(t, time.Now().Add(72*time.Hour), func(in *event.Input) { in.Capacity = 1 })
		var n int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'event_reminder'").Scan(&n)
		if n != 2 {
			t.Errorf("%d reminders scheduled, want 2", n)
		}
		f.webinar(t, time.Now().Add(-72*time.Hour), nil)
		db.QueryRow(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'event_reminder'").Scan(&n)
		if n != 2 {
			t.Errorf("a past event scheduled reminders (%d)", n)
		}
		for _, g := range []event.NewRegistration{guest("Seat", "seat@example.org", "BR"), guest("Waiting", "wait@example.org", "BR")} {
			if _, err := f.svc.Register(ctx, e, g, event.By{}); err != nil {
				t.Fatal(err)
			}
		}
		w := &event.ReminderWorker{DB: db, BaseURL: "https://harambee.example", SiteName: "Harambee"}
		job := &river.Job[event.ReminderArgs]{Args: event.ReminderArgs{EventID: e.ID, Lead: "day", StartsAt: e.StartsAt}}
		for range 2 {
			if err := w.Work(ctx, job); err != nil {
				t.Fatal(err)
			}
		}
		if m := outbox(t, db, "seat@example.org"); len(m) != 2 || m[0].Category != event.CategoryReminder {
			t.Errorf("the registrant with a seat got %d messages", len(m))
		}
		if m := outbox(t, db, "wait@example.org"); len(m) != 1 {
			t.Errorf("the waiting registrant got a reminder")
		}
		// A job for a start that moved does nothing.
		stale := &river.Job[event.ReminderArgs]{Args: event.ReminderArgs{EventID: e.ID, Lead: "hour", StartsAt: e.StartsAt.Add(time.Hour)}}
		if err := w.Work(ctx, stale); err != nil {
			t.Fatal(err)
		}
		if m := outbox(t, db, "seat@example.org"); len(m) != 2 {
			t.Error("a stale reminder was sent")
		}
	})
}

// TestListsAndFilters: lists by time, kind, language and SDG, and who sees
// which events.
func TestListsAndFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		now := time.Now()
		f.webinar(t, now.Add(48*time.Hour), func(in *event.Input) { in.Title = "Soon"; in.Languages = []string{"fr"} })
		f.webinar(t, now.Add(24*time.Hour), func(in *event.Input) { in.Title = "Sooner"; in.Kind = event.Training })
		f.webinar(t, now.Add(-48*time.Hour), func(in *event.Input) { in.Title = "Past" })
		f.webinar(t, now.Add(24*time.Hour), func(in *event.Input) { in.Title = "Draft"; in.Status = event.Draft })
		other, _ := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "o@example.org", Verified: true, Profile: account.Profile{Name: "O"}})
		private, _ := community.NewStore(db).Create(ctx, community.Input{Slug: "secret", Name: "Secret", Visibility: community.Private, JoinPolicy: community.Invite, PrimarySDG: 6}, other)
		if _, err := f.svc.Create(ctx, private.ID, event.Input{Title: "Hidden", StartsAt: now.Add(time.Hour), EndsAt: now.Add(2 * time.Hour), TimeZone: "UTC"}, other); err != nil {
			t.Fatal(err)
		}
		st := event.NewStore(db)
		titles := func(opt event.ListOptions) string {
			list, total, err := st.List(ctx, opt)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, l := range list {
				out = append(out, l.Title)
			}
			return fmt.Sprintf("%d %v", total, out)
		}
		tests := []struct {
			opt  event.ListOptions
			want string
		}{
			{event.ListOptions{When: event.Upcoming}, "2 [Sooner Soon]"},
			{event.ListOptions{When: event.Past}, "1 [Past]"},
			{event.ListOptions{}, "3 [Soon Sooner Past]"},
			{event.ListOptions{Kind: event.Training}, "1 [Sooner]"},
			{event.ListOptions{Language: "fr"}, "1 [Soon]"},
			{event.ListOptions{SDG: 3, When: event.Past}, "1 [Past]"},
			{event.ListOptions{SDG: 6}, "0 []"},
			{event.ListOptions{Reader: &other, SDG: 6}, "1 [Hidden]"},
			{event.ListOptions{CommunityID: f.c.ID, Drafts: true, When: event.Upcoming}, "3 [Sooner Draft Soon]"},
			{event.ListOptions{From: now.Add(36 * time.Hour)}, "1 [Soon]"},
			{event.ListOptions{To: now}, "1 [Past]"},
		}
		for _, tt := range tests {
			if got := titles(tt.opt); got != tt.want {
				t.Errorf("%+v: %s, want %s", tt.opt, got, tt.want)
			}
		}
		if recent, err := st.Recent(ctx, f.c.ID, 10); err != nil || len(recent) != 3 || recent[0].Title != "Past" {
			t.Errorf("recent: %d, %v", len(recent), err)
		}
	})
}

// TestSpeakersByCountry: the country pages' events.
func TestSpeakersByCountry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.webinar(t, time.Now(), func(in *event.Input) {
			in.Speakers = []event.Speaker{{Name: "Lucía Fernández", Country: "AR"}, {Name: "Somchai Prasert", Country: "th"}, {Name: "Kim Min-jun", Country: "KR", Role: event.RoleModerator}}
		})
		list, err := event.NewStore(db).WithSpeakersFrom(ctx, "TH", nil, 10)
		if err != nil || len(list) != 1 || len(list[0].Speakers) != 1 || list[0].Speakers[0].Name != "Somchai Prasert" {
			t.Errorf("speakers from TH: %+v, %v", list, err)
		}
		if list, _ := event.NewStore(db).WithSpeakersFrom(ctx, "BR", nil, 10); len(list) != 0 {
			t.Error("an event without Brazilian speakers listed for BR")
		}
	})
}

// TestCommunityFigures: what the community report reads, summed from each
// event's records.
func TestCommunityFigures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		manager := event.By{User: &f.manager, Manager: true}
		st := event.NewStore(db)
		data, _ := os.ReadFile("testdata/zoom-participants.csv")
		for i, day := range []int{10, 11} {
			e := f.webinar(t, time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC), nil)
			for _, g := range []event.NewRegistration{guest("Ana Souza", "ana.souza@saude.example.org", "BR"), guest("Kwame Mensah", "k.mensah@health.example.org", "GH")} {
				if _, err := f.svc.Register(ctx, e, g, manager); err != nil {
					t.Fatal(err)
				}
			}
			if i == 0 {
				if _, err := st.ImportAttendance(ctx, e, data, "z.csv", 0); err != nil {
					t.Fatal(err)
				}
				if err := st.SetRecording(ctx, e.ID, "https://youtube.example/v", 120); err != nil {
					t.Fatal(err)
				}
				sv, err := survey.NewStore(db).Save(ctx, e.ID, survey.Template("en"))
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range []string{"5", "4", "2"} {
					if _, err := survey.NewStore(db).Submit(ctx, sv, survey.Submission{Answers: map[string][]string{"relevant": {v}, "clear": {v}, "useful": {v}, "apply": {v}}}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		fig, err := st.CommunityFigures(ctx, f.c.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		share := fmt.Sprintf("%.3f", fig.AgreeShare)
		if fig.Events != 2 || fig.Registrants != 4 || fig.Attendees != 4 || fig.CountriesReached() != 2 || fig.RecordingViews != 120 ||
			fig.SurveyResponses != 3 || share != "0.667" {
			t.Errorf("figures %+v (agree %s)", fig, share)
		}
		fig, _ = st.CommunityFigures(ctx, f.c.ID, time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), time.Time{})
		if fig.Events != 1 || fig.Attendees != 0 || fig.Registrants != 2 {
			t.Errorf("figures from 11 March: %+v", fig)
		}
	})
}

// TestDST: times typed in a zone that changes its clocks are stored right,
// and shown right in any zone.
func TestDST(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		day, clock string
		wantUTC    string
	}{
		{"2021-11-06", "09:00", "2021-11-06T13:00:00Z"}, // EDT, UTC-4
		{"2021-11-08", "09:00", "2021-11-08T14:00:00Z"}, // EST, UTC-5
		{"2021-03-14", "02:30", "2021-03-14T07:30:00Z"}, // the skipped hour moves on, as the clocks do
	}
	for _, tt := range tests {
		got, ok := event.LocalTime(tt.day, tt.clock, ny)
		if !ok || got.UTC().Format(time.RFC3339) != tt.wantUTC {
			t.Errorf("%s %s New York = %s, want %s", tt.day, tt.clock, got.UTC().Format(time.RFC3339), tt.wantUTC)
		}
	}
	start, _ := event.LocalTime("2021-11-08", "09:00", ny)
	e := event.Event{StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "America/New_York"}
	geneva, _ := time.LoadLocation("Europe/Zurich")
	if got := event.When(i18n.For("en"), e, geneva); got != "8 November 2021, 15:00–16:00 Zurich" {
		t.Errorf("in Zurich: %q", got)
	}
	if got := event.When(i18n.For("en"), e, e.Location()); got != "8 November 2021, 09:00–10:00 New York" {
		t.Errorf("in New York: %q", got)
	}
}

func TestRecordingValidation(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := f.webinar(t, time.Now(), nil)
		st := event.NewStore(db)
		wantKey(t, st.SetRecording(ctx, e.ID, "ftp://x", 3), "url", "event.error.url")
		wantKey(t, st.SetRecording(ctx, e.ID, "https://youtube.example/v", -1), "views", "event.error.views")
		if err := st.SetRecording(ctx, 99999, "https://youtube.example/v", 1); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("unknown event: %v", err)
		}
	})
}

// TestImportRegistrations: a history list goes in whole or not at all,
// with the row of each problem named.
func TestImportRegistrations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := f.webinar(t, time.Date(2019, 5, 16, 12, 0, 0, 0, time.UTC), func(in *event.Input) {
			in.Questions = []event.Question{{Key: "sector", Text: "Sector", Type: event.SingleChoice, Options: []string{"Health", "Education"}}}
		})
		st := event.NewStore(db)
		list := []event.NewRegistration{
			{Name: "Ana", Email: "ana@example.org", Country: "BR", RegisteredAt: time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC), Answers: map[string][]string{"sector": {"Health"}}},
			{Name: "Kwame", Email: "KWAME@example.org", Country: "GH"},
			{Name: "", Email: "ana@example.org", Country: "XX"},
		}
		_, err := st.ImportRegistrations(ctx, e, list)
		ve, ok := validation.As(err)
		if !ok || !ve.Has("registrations.2.name") || !ve.Has("registrations.2.email") || !ve.Has("registrations.2.country") {
			t.Fatalf("a bad row: %v", err)
		}
		n, err := st.ImportRegistrations(ctx, e, list[:2])
		if err != nil || n != 2 {
			t.Fatalf("import: %d, %v", n, err)
		}
		regs, _, _ := st.Registrations(ctx, e.ID, event.RegistrationsOptions{})
		if len(regs) != 2 || regs[0].Email != "ana@example.org" || regs[0].RegisteredAt.Year() != 2019 || fmt.Sprint(regs[0].Answers) != "map[sector:[Health]]" ||
			regs[1].Email != "kwame@example.org" || regs[0].Token == regs[1].Token {
			t.Errorf("imported %+v", regs)
		}
		_, err = st.ImportRegistrations(ctx, e, []event.NewRegistration{{Name: "Kwame", Email: "kwame@example.org"}})
		if ve, ok := validation.As(err); !ok || !ve.Conflict || !ve.Has("registrations.0.email") {
			t.Errorf("importing someone registered: %v", err)
		}
		if m := outbox(t, db, "ana@example.org"); len(m) != 0 {
			t.Error("an import sent mail")
		}
	})
}

// TestSurveyMail: an hour after a webinar its attendees get the survey, and
// three days later those who have not answered get one reminder; nobody
// gets a third message, and a webinar of last month mails nobody.
func TestSurveyMail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		manager := event.By{User: &f.manager, Manager: true}
		st, surveys := event.NewStore(db), survey.NewStore(db)
		now := time.Now().UTC()
		attended := func(e event.Event, g event.NewRegistration) {
			t.Helper()
			r, err := f.svc.Register(ctx, e, g, manager)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.MarkAttendance(ctx, e, r.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		recent := f.webinar(t, now.Add(-3*time.Hour), nil) // ended 90 minutes ago
		attended(recent, guest("Ana Souza", "ana@example.org", "BR"))
		attended(recent, guest("Kwame Mensah", "kwame@example.org", "GH"))
		if _, err := f.svc.Register(ctx, recent, guest("Absent", "absent@example.org", "MZ"), manager); err != nil {
			t.Fatal(err)
		}
		old := f.webinar(t, now.Add(-30*24*time.Hour), nil)
		attended(old, guest("Old Attendee", "old@example.org", "IN"))
		soon := f.webinar(t, now.Add(-80*time.Minute), func(in *event.Input) { in.EndsAt = now.Add(-30 * time.Minute) })
		attended(soon, guest("Still Warm", "warm@example.org", "KE"))
		for _, e := range []event.Event{recent, old, soon} {
			if _, err := surveys.Save(ctx, e.ID, survey.Template("en")); err != nil {
				t.Fatal(err)
			}
		}
		surveyMail := func(who string) int {
			t.Helper()
			n := 0
			for _, m := range outbox(t, db, who) {
				if m.Category == event.CategorySurvey {
					n++
				}
			}
			return n
		}

		n, err := f.svc.SendSurveyMail(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("first pass sent %d (%v), want the 2 attendees of the recent webinar", n, err)
		}
		if n, _ := f.svc.SendSurveyMail(ctx, now.Add(time.Minute)); n != 0 {
			t.Errorf("a second pass sent %d messages again", n)
		}
		for who, want := range map[string]int{"ana@example.org": 1, "kwame@example.org": 1, "absent@example.org": 0, "old@example.org": 0, "warm@example.org": 0} {
			if got := surveyMail(who); got != want {
				t.Errorf("%s got %d survey messages, want %d", who, got, want)
			}
		}

		// Ana answers through her link; three days on, Kwame is reminded.
		sv, _ := surveys.ForEvent(ctx, recent.ID)
		inv, err := surveys.InvitationFor(ctx, sv.ID, "ana@example.org")
		if err != nil {
			t.Fatal(err)
		}
		answers := map[string][]string{"relevant": {"5"}, "clear": {"5"}, "useful": {"4"}, "apply": {"4"}}
		if _, err := surveys.Submit(ctx, sv, survey.Submission{Answers: answers, InvitationID: inv.ID, Email: inv.Email, Source: "invitation"}); err != nil {
			t.Fatal(err)
		}
		later := now.Add(event.SurveyRemindAfter + time.Hour)
		if n, err := f.svc.SendSurveyMail(ctx, later); err != nil || n != 2 {
			t.Errorf("three days on: %d sent (%v), want Kwame's reminder and the late webinar's invitation", n, err)
		}
		if n, _ := f.svc.SendSurveyMail(ctx, later.Add(event.SurveyRemindAfter+time.Hour)); n != 1 {
			t.Errorf("six days on: %d sent, want only the late webinar's reminder", n)
		}
		if n, _ := f.svc.SendSurveyMail(ctx, later.Add(3*event.SurveyRemindAfter)); n != 0 {
			t.Errorf("a third message went out (%d)", n)
		}
		for who, want := range map[string]int{"ana@example.org": 1, "kwame@example.org": 2, "warm@example.org": 2} {
			if got := surveyMail(who); got != want {
				t.Errorf("%s got %d survey messages, want %d", who, got, want)
			}
		}
		m := outbox(t, db, "kwame@example.org")
		if !strings.Contains(m[0].Text, "/surveys/") {
			t.Errorf("the reminder has no personal link:\n%s", m[0].Text)
		}

		// The manager's button: invitations and the one reminder, never more.
		if n, _ := f.svc.InviteToSurvey(ctx, recent, sv); n != 0 {
			t.Errorf("the button sent %d messages to people already reminded", n)
		}
	})
}
