package app_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
)

// evUpload sends a file as the part named file of a multipart form.
func (c *client) evUpload(path, name string, data []byte) response {
	c.s.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	part.Write(data)
	w.Close()
	return c.do("POST", path, &body, w.FormDataContentType())
}

// evLocation is where a redirect goes.
func evLocation(t *testing.T, r response) string {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s %s: status %d, want a redirect\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, excerpt(r.body, "error"))
	}
	return r.Header.Get("Location")
}

// evID reads the event id of a path such as /events/12?done=...
func evID(t *testing.T, loc string) string {
	t.Helper()
	m := regexp.MustCompile(`^/events/(\d+)`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("no event in %q", loc)
	}
	return m[1]
}

// evForm is the web form of a webinar in São Paulo time on day at 14:00.
func evForm(day string) url.Values {
	return url.Values{
		"title": {"Financing primary health care: lessons from Brazil and Ghana"}, "kind": {"webinar"}, "status": {"published"},
		"description": {"Practitioners compare **results-based financing**."}, "language": {"en"}, "timezone": {"America/Sao_Paulo"},
		"start_date": {day}, "start_time": {"14:00"}, "end_time": {"15:30"}, "languages": {"en", "pt"}, "interpretation_languages": {"fr"},
		"join_url": {"https://zoom.example/j/81234567890"}, "certificate_share": {"60"},
		"speakers.0.role": {"speaker"}, "speakers.0.name": {"Ana Paula Souza"}, "speakers.0.title": {"Coordinator"}, "speakers.0.organization": {"Ministério da Saúde"}, "speakers.0.country": {"BR"},
		"speakers.1.role": {"moderator"}, "speakers.1.name": {"Kwame Mensah"}, "speakers.1.title": {""}, "speakers.1.organization": {""}, "speakers.1.country": {"GH"},
		"speakers.2.role": {"speaker"}, "speakers.2.name": {""}, "speakers.2.title": {""}, "speakers.2.organization": {""}, "speakers.2.country": {""},
		"materials.0.title": {"Slides"}, "materials.0.url": {"https://example.org/slides.pdf"},
		"questions.0.id": {"sector"}, "questions.0.text": {"Which sector do you work in?"}, "questions.0.type": {"single_choice"},
		"questions.0.options": {"Health\r\nEducation\r\nSocial protection"}, "questions.0.required": {"1"},
		"questions.1.id": {""}, "questions.1.text": {""}, "questions.1.type": {"short_text"}, "questions.1.options": {""},
	}
}

var evCountries = []string{"BR", "MZ", "GH", "IN", "VN", "AR"}

// TestEventJourney is the "done when": a manager creates a webinar
// in São Paulo time, 30 people register, the manager imports a Zoom report
// in which some joined twice and some never registered, sends the survey,
// and the report shows the right attendee count, countries and agree
// shares.
func TestEventJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		mgr := f.loggedIn("manager@example.org")
		day := time.Now().AddDate(0, 0, 10).Format("2006-01-02")

		wantStatus(t, mgr.get("/communities/open-health/events/new"), 200)
		bad := evForm(day)
		bad.Set("end_time", "13:00")
		bad.Set("speakers.2.country", "XX")
		bad.Set("speakers.2.name", "Somebody")
		r := mgr.post("/communities/open-health/events", bad)
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, "The end must come after the start.") || !strings.Contains(r.body, "Choose a country from the list") {
			t.Errorf("the refused form does not say why\n%s", excerpt(r.body, "error"))
		}
		loc := evLocation(t, mgr.post("/communities/open-health/events", evForm(day)))
		id := evID(t, loc)
		e, err := event.NewStore(db).ByID(ctx, mustInt(t, id))
		if err != nil {
			t.Fatal(err)
		}
		sp, _ := time.LoadLocation("America/Sao_Paulo")
		if got := e.StartsAt.In(sp).Format("2006-01-02 15:04"); got != day+" 14:00" || e.TimeZone != "America/Sao_Paulo" ||
			e.EndsAt.Sub(e.StartsAt) != 90*time.Minute || len(e.Speakers) != 2 || len(e.Questions) != 1 {
			t.Fatalf("created %+v (starts %s São Paulo)", e, got)
		}
		page := f.client().get("/events/" + id)
		wantStatus(t, page, 200)
		for _, want := range []string{"Financing primary health care", "14:00–15:30 Sao Paulo", "17:00–18:30 UTC", "Ana Paula Souza", "Kwame Mensah",
			"Which sector do you work in?", "Interpretation into"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the event page lacks %q", want)
			}
		}
		if strings.Contains(page.body, "zoom.example") {
			t.Error("the join link is shown to an anonymous reader")
		}

		// 30 people register through the form, as guests.
		tokens := map[string]string{}
		for i := range 30 {
			email := fmt.Sprintf("person%02d@example.org", i)
			form := url.Values{"name": {fmt.Sprintf("Person %02d", i)}, "email": {email}, "country": {evCountries[i%len(evCountries)]},
				"organization": {"Ministry"}, "organization_type": {"government"}, "answers.sector": {"Health"}}
			loc := evLocation(t, f.client().post("/events/"+id+"/register", form))
			if !strings.HasPrefix(loc, "/registrations/") || !strings.Contains(loc, "done=event_registered") {
				t.Fatalf("registration %d went to %s", i, loc)
			}
			tokens[email] = strings.TrimPrefix(strings.Split(loc, "?")[0], "/registrations/")
		}
		r = f.client().get("/registrations/" + tokens["person00@example.org"])
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "https://zoom.example/j/81234567890") || !strings.Contains(r.body, "Cancel my registration") {
			t.Error("the personal page lacks the join link or the cancel button")
		}
		ics := f.client().get("/registrations/" + tokens["person00@example.org"] + "/calendar.ics")
		if !strings.Contains(ics.body, "zoom.example") || !strings.Contains(ics.Header.Get("Content-Type"), "text/calendar") {
			t.Error("the registrant's calendar file lacks the join link")
		}
		msgs, _, _ := mail.NewOutbox(db).List(ctx, "person05@example.org", 5, 0)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "You are registered") {
			t.Errorf("confirmation mail: %+v", msgs)
		}
		r = f.client().post("/events/"+id+"/register", url.Values{"name": {"Again"}, "email": {"PERSON01@example.org"}, "country": {"BR"}, "answers.sector": {"Health"}})
		wantStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.body, "already registered") {
			t.Error("a second registration does not say why it was refused")
		}

		// The Zoom report: registrants 0-19 attended, 0-2 left and came
		// back, 19 appears under another address (matched by name), two
		// walk-ins; 10-29 never came.
		var csv strings.Builder
		csv.WriteString("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n")
		d, _ := time.Parse("2006-01-02", day)
		stamp := func(h, m int) string {
			return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, time.UTC).Format("01/02/2006 03:04:05 PM")
		}
		for i := range 20 {
			email := fmt.Sprintf("Person%02d@Example.org", i)
			if i == 19 {
				email = "p19.personal@mail.example.org"
			}
			if i < 3 {
				fmt.Fprintf(&csv, "Person %02d,%s,%s,%s,30,No\n", i, email, stamp(14, 0), stamp(14, 30))
				fmt.Fprintf(&csv, "Person %02d,%s,%s,%s,55,No\n", i, email, stamp(14, 35), stamp(15, 30))
				continue
			}
			fmt.Fprintf(&csv, "Person %02d,%s,%s,%s,88,No\n", i, email, stamp(14, 2), stamp(15, 30))
		}
		csv.WriteString("\"Diallo, Fatima\",fatima@walkin.example.org," + stamp(14, 10) + "," + stamp(15, 0) + ",50,Yes\n")
		csv.WriteString("Phone caller,," + stamp(14, 20) + "," + stamp(14, 50) + ",30,Yes\n")
		r = mgr.evUpload("/events/"+id+"/attendance", "participants_81234567890.csv", []byte(csv.String()))
		loc = evLocation(t, r)
		r = mgr.get(loc)
		if !strings.Contains(r.body, "The report had 25 rows: 23 matched to a registration and 2 not; 22 people attended.") {
			t.Errorf("import result not shown\n%s", excerpt(r.body, "report had"))
		}
		api := f.apiClient(f.manager)
		r = api.do("POST", "/api/v1/events/"+id+"/attendance", strings.NewReader(csv.String()), "text/csv")
		wantStatus(t, r, 200)
		var res struct{ Rows, Matched, Unmatched, Attendees int }
		decodeJSON(t, r, &res)
		if res.Rows != 25 || res.Matched != 23 || res.Unmatched != 2 || res.Attendees != 22 {
			t.Errorf("API import of the same report: %+v", res)
		}

		// The survey: the standard template, invitations to attendees with
		// an address, answers through the personal links.
		r = mgr.get("/events/" + id + "/survey")
		wantStatus(t, r, 200)
		form := url.Values{}
		for i, q := range []struct{ id, typ string }{{"relevant", "likert5"}, {"clear", "likert5"}, {"useful", "likert5"}, {"apply", "likert5"}, {"comments", "text"}} {
			pre := "questions." + strconv.Itoa(i) + "."
			form.Set(pre+"id", q.id)
			form.Set(pre+"type", q.typ)
			form.Set(pre+"text", "Statement "+q.id)
			if q.typ == "likert5" {
				form.Set(pre+"required", "1")
			}
		}
		form.Set("questions.5.id", "")
		form.Set("questions.5.text", "")
		evLocation(t, mgr.post("/events/"+id+"/survey", form))
		evLocation(t, mgr.post("/events/"+id+"/survey/invite", nil))
		var links []string
		for i := range 20 {
			msgs, _, _ := mail.NewOutbox(db).List(ctx, fmt.Sprintf("person%02d@example.org", i), 5, 0)
			if i == 19 {
				msgs, _, _ = mail.NewOutbox(db).List(ctx, "person19@example.org", 5, 0)
			}
			for _, m := range msgs {
				if m.Category == event.CategorySurvey {
					links = append(links, regexp.MustCompile(`/surveys/[A-Za-z0-9_-]+`).FindString(m.Text))
				}
			}
		}
		if walkIn, _, _ := mail.NewOutbox(db).List(ctx, "fatima@walkin.example.org", 5, 0); len(walkIn) != 1 {
			t.Errorf("the walk-in with an address got %d invitations", len(walkIn))
		}
		if len(links) != 20 {
			t.Fatalf("%d survey invitations to registrants who attended, want 20", len(links))
		}
		// Ten answer: relevant 8 of 10 agree, clear 9 of 10.
		relevant := []string{"5", "5", "4", "4", "5", "4", "5", "4", "2", "3"}
		clear := []string{"5", "5", "5", "4", "4", "4", "5", "4", "4", "1"}
		for i := range 10 {
			wantStatus(t, f.client().get(links[i]), 200)
			r := f.client().post(links[i], url.Values{"answers.relevant": {relevant[i]}, "answers.clear": {clear[i]}, "answers.useful": {"4"},
				"answers.apply": {"5"}, "answers.comments": {"Thank you"}})
			wantStatus(t, r, 200)
			if !strings.Contains(r.body, "your answers were recorded") {
				t.Fatal("no thanks after answering")
			}
		}
		r = f.client().post(links[0], url.Values{"answers.relevant": {"1"}, "answers.clear": {"1"}, "answers.useful": {"1"}, "answers.apply": {"1"}})
		wantStatus(t, r, http.StatusConflict)
		r = f.client().post(links[11], url.Values{"answers.relevant": {"7"}, "answers.clear": {"4"}, "answers.useful": {"4"}, "answers.apply": {"4"}})
		wantStatus(t, r, http.StatusBadRequest)

		// The report.
		r = api.get("/api/v1/events/" + id + "/report")
		wantStatus(t, r, 200)
		var rep struct {
			Registrants         int            `json:"registrants"`
			Attendees           int            `json:"attendees"`
			AttendanceRate      float64        `json:"attendance_rate"`
			RegistrantCountries int            `json:"registrant_countries"`
			AttendeeCountries   int            `json:"attendee_countries"`
			ByCountry           map[string]int `json:"by_country"`
			ByOrganizationType  map[string]int `json:"by_organization_type"`
			RecordingViews      int            `json:"recording_views"`
			Survey              struct {
				Responses int
				Questions []struct {
					ID         string
					AgreeShare *float64 `json:"agree_share"`
				}
			}
		}
		decodeJSON(t, r, &rep)
		shares := map[string]float64{}
		for _, q := range rep.Survey.Questions {
			if q.AgreeShare != nil {
				shares[q.ID] = *q.AgreeShare
			}
		}
		// Attendees 0-19 come from the six countries in turn: BR 4, MZ 4,
		// GH 3, IN 3, VN 3, AR 3; the walk-ins have none.
		if rep.Registrants != 30 || rep.Attendees != 22 || fmt.Sprintf("%.3f", rep.AttendanceRate) != "0.667" || rep.RegistrantCountries != 6 ||
			rep.AttendeeCountries != 6 || fmt.Sprint(rep.ByCountry) != "map[AR:3 BR:4 GH:3 IN:3 MZ:4 VN:3]" || rep.ByOrganizationType["government"] != 20 ||
			rep.Survey.Responses != 10 || shares["relevant"] != 0.8 || shares["clear"] != 0.9 || shares["useful"] != 1 {
			t.Errorf("report %+v, shares %v\n%s", rep, shares, r.body)
		}
		r = mgr.get("/events/" + id + "/report")
		wantStatus(t, r, 200)
		for _, want := range []string{"Attendance rate", "67%", "Answered the survey", "Brazil", "Mozambique", "80%", "90%"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the report tab lacks %q", want)
			}
		}
		r = mgr.get("/events/" + id + "/survey")
		for _, want := range []string{"45%", "Attendees who have not answered", "fatima@walkin.example.org", "Thank you"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the results page lacks %q\n%s", want, excerpt(r.body, "Response rate"))
			}
		}
		r = mgr.get("/events/" + id + "/survey/results.csv")
		if lines := strings.Count(strings.TrimSpace(r.body), "\n"); r.StatusCode != 200 || lines != 10 {
			t.Errorf("survey CSV: status %d, %d data lines", r.StatusCode, lines)
		}
		r = mgr.get("/events/" + id + "/registrations/export?format=csv&columns=name&columns=country&columns=answers.sector&columns=attended")
		if !strings.HasPrefix(r.body, "Name,Country,Which sector do you work in?,Attended\n") || strings.Count(r.body, ",yes\n") != 20 {
			t.Errorf("registrants CSV:\n%s", r.body[:min(len(r.body), 300)])
		}
		r = mgr.get("/events/" + id + "/registrations/export?format=xlsx&columns=name&columns=email")
		if r.StatusCode != 200 || !bytes.HasPrefix([]byte(r.body), []byte("PK")) {
			t.Errorf("registrants XLSX: status %d", r.StatusCode)
		}

		// Everyone's certificate: Person 03 stayed 88 of 90 minutes.
		r = f.client().get("/registrations/" + tokens["person03@example.org"])
		if !strings.Contains(r.body, "/registrations/"+tokens["person03@example.org"]+"/certificate") {
			t.Fatal("no certificate link for an attendee present long enough")
		}
		r = f.client().get("/registrations/" + tokens["person03@example.org"] + "/certificate")
		if r.StatusCode != 200 || !strings.HasPrefix(r.body, "%PDF-") {
			t.Fatalf("certificate: status %d", r.StatusCode)
		}
		code := regexp.MustCompile(`certificate-([A-Z0-9-]+)\.pdf`).FindStringSubmatch(r.Header.Get("Content-Disposition"))
		if code == nil {
			t.Fatalf("no code in %q", r.Header.Get("Content-Disposition"))
		}
		r = f.client().get("/certificates/" + code[1])
		if r.StatusCode != 200 || !strings.Contains(r.body, "Person 03") || !strings.Contains(r.body, "This certificate is genuine.") {
			t.Errorf("certificate check: status %d", r.StatusCode)
		}
		wantStatus(t, f.client().get("/registrations/"+tokens["person25@example.org"]+"/certificate"), http.StatusForbidden)
		wantStatus(t, f.client().get("/certificates/ZZZZ-ZZZZ-ZZZZ"), http.StatusNotFound)

		// The country pages list events with speakers from the country.
		r = f.client().get("/countries/GH")
		if !strings.Contains(r.body, "Events with speakers from this country") || !strings.Contains(r.body, "Financing primary health care") {
			t.Error("the country page does not list the event")
		}
		// The community's feed and calendar.
		if r := f.client().get("/communities/open-health/feed.atom"); r.StatusCode == 200 && !strings.Contains(r.body, "/events/"+id) {
			t.Error("the community feed lacks the event")
		}
		cal := f.client().get("/communities/open-health/events.ics")
		if !strings.Contains(cal.body, "SUMMARY:Financing primary health care") || strings.Contains(cal.body, "example.org") {
			t.Errorf("community calendar:\n%s", cal.body)
		}
	})
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// evCreate creates an event through the API and returns its id.
func evCreate(t *testing.T, c *client, slug string, body map[string]any) string {
	t.Helper()
	r := c.json("POST", "/api/v1/communities/"+slug+"/events", body)
	wantStatus(t, r, http.StatusCreated)
	var e struct{ ID int64 }
	decodeJSON(t, r, &e)
	return strconv.FormatInt(e.ID, 10)
}

func evBody(title string, start time.Time, extra map[string]any) map[string]any {
	b := map[string]any{"title": title, "starts_at": start.UTC().Format(time.RFC3339), "ends_at": start.Add(time.Hour).UTC().Format(time.RFC3339),
		"timezone": "Africa/Maputo", "kind": "webinar", "languages": []string{"en"}, "join_url": "https://meet.example/x"}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// TestEventPermissions: who may read and write what, for every role, on
// public, members-only and private communities and on drafts.
func TestEventPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		api := f.apiClient(f.manager)
		soon := time.Now().Add(7 * 24 * time.Hour)
		pub := evCreate(t, api, "open-health", evBody("Public webinar", soon, nil))
		draft := evCreate(t, api, "open-health", evBody("Draft webinar", soon, map[string]any{"status": "draft"}))
		wash := evCreate(t, api, "wash", evBody("Members webinar", soon, nil))
		secret := evCreate(t, api, "secret-group", evBody("Secret webinar", soon, nil))
		e, _ := event.NewStore(db).ByID(ctx, mustInt(t, pub))
		someone, err := (&event.Service{DB: db}).Register(ctx, e, event.NewRegistration{Name: "Someone", Email: "someone@example.org", Country: "BR"}, event.By{})
		if err != nil {
			t.Fatal(err)
		}
		rid := strconv.FormatInt(someone.ID, 10)

		web := map[string]*client{"anonymous": f.client(), "outsider": f.loggedIn("outsider@example.org"), "member": f.loggedIn("member@example.org"),
			"manager": f.loggedIn("manager@example.org"), "admin": f.loggedIn("admin@example.org")}
		apis := map[string]*client{"anonymous": f.client(), "outsider": f.apiClient(f.outsider), "member": f.apiClient(f.member),
			"manager": api, "admin": f.apiClient(f.admin)}
		noWrite := map[string]int{"anonymous": 401, "outsider": 403, "member": 403}
		noPage := map[string]int{"anonymous": 303, "outsider": 403, "member": 403, "manager": 200, "admin": 200}
		tests := []struct {
			method, path string
			want         map[string]int
		}{
			{"GET", "/events/" + pub, map[string]int{"anonymous": 200, "outsider": 200, "member": 200}},
			{"GET", "/events/" + pub + ".ics", map[string]int{"anonymous": 200}},
			{"GET", "/events/" + draft, map[string]int{"anonymous": 404, "outsider": 404, "member": 404, "manager": 200, "admin": 200}},
			{"GET", "/events/" + wash, map[string]int{"anonymous": 403, "outsider": 403, "member": 200, "admin": 200}},
			{"GET", "/events/" + secret, map[string]int{"anonymous": 404, "outsider": 404, "member": 200}},
			{"GET", "/events/" + secret + ".ics", map[string]int{"anonymous": 404}},
			{"GET", "/communities/wash/events", map[string]int{"anonymous": 403, "member": 200}},
			{"GET", "/communities/secret-group/events.ics", map[string]int{"outsider": 404, "member": 200}},
			{"GET", "/events/" + pub + "/edit", noPage},
			{"GET", "/events/" + pub + "/registrations", noPage},
			{"GET", "/events/" + pub + "/registrations/export?columns=name", noPage},
			{"GET", "/events/" + pub + "/registrations/" + rid, noPage},
			{"GET", "/events/" + pub + "/attendance", noPage},
			{"GET", "/events/" + pub + "/survey", noPage},
			{"GET", "/events/" + pub + "/report", noPage},
			{"GET", "/communities/open-health/events/new", noPage},
			{"POST", "/communities/open-health/events", noWrite},
			{"POST", "/events/" + pub + "/edit", noWrite},
			{"POST", "/events/" + pub + "/registrations", noWrite},
			{"POST", "/events/" + pub + "/registrations/" + rid, noWrite},
			{"POST", "/events/" + pub + "/registrations/" + rid + "/delete", noWrite},
			{"POST", "/events/" + pub + "/attendance", noWrite},
			{"POST", "/events/" + pub + "/attendance/" + rid, noWrite},
			{"POST", "/events/" + pub + "/recording", noWrite},
			{"POST", "/events/" + pub + "/survey", noWrite},
			{"POST", "/events/" + pub + "/survey/invite", noWrite},
			{"POST", "/events/" + pub + "/survey/open-link", noWrite},
			{"POST", "/events/" + pub + "/survey/respond", noWrite},
			{"POST", "/events/" + wash + "/register", map[string]int{"anonymous": 403, "outsider": 403}},
			{"POST", "/events/" + secret + "/register", map[string]int{"anonymous": 404}},
			{"POST", "/events/" + draft + "/register", map[string]int{"member": 404}},
			{"GET", "/api/v1/events/" + pub, map[string]int{"anonymous": 200}},
			{"GET", "/api/v1/events/" + draft, map[string]int{"anonymous": 404, "member": 404, "manager": 200}},
			{"GET", "/api/v1/events/" + wash, map[string]int{"anonymous": 403, "outsider": 403, "member": 200}},
			{"GET", "/api/v1/events/" + secret, map[string]int{"anonymous": 404, "outsider": 404}},
			{"GET", "/api/v1/communities/wash/events", map[string]int{"anonymous": 403, "member": 200}},
			{"GET", "/api/v1/communities/secret-group/events", map[string]int{"outsider": 404, "member": 200}},
			{"POST", "/api/v1/communities/open-health/events", noWrite},
			{"PATCH", "/api/v1/events/" + pub, noWrite},
			{"GET", "/api/v1/events/" + pub + "/registrations", map[string]int{"anonymous": 401, "outsider": 403, "member": 403, "manager": 200, "admin": 200}},
			{"PATCH", "/api/v1/events/" + pub + "/registrations/" + rid, noWrite},
			{"DELETE", "/api/v1/events/" + pub + "/registrations/" + rid, noWrite},
			{"POST", "/api/v1/events/" + pub + "/attendance", noWrite},
			{"GET", "/api/v1/events/" + pub + "/attendance", noWrite},
			{"PUT", "/api/v1/events/" + pub + "/recording", noWrite},
			{"PUT", "/api/v1/events/" + pub + "/survey", noWrite},
			{"GET", "/api/v1/events/" + pub + "/survey/results", noWrite},
			{"POST", "/api/v1/events/" + pub + "/survey/invitations", noWrite},
			{"GET", "/api/v1/events/" + pub + "/report", noWrite},
			{"POST", "/api/v1/events/" + wash + "/registrations", map[string]int{"anonymous": 401, "outsider": 403}},
		}
		for _, tt := range tests {
			for who, want := range tt.want {
				var r response
				switch {
				case strings.HasPrefix(tt.path, "/api/"):
					body := map[string]any{"title": "x"}
					if strings.HasSuffix(tt.path, "/attendance") && tt.method == "POST" {
						r = apis[who].do("POST", tt.path, strings.NewReader("Name,Email,Join Time,Leave Time\n"), "text/csv")
						break
					}
					if tt.method == "GET" {
						r = apis[who].get(tt.path)
					} else {
						r = apis[who].json(tt.method, tt.path, body)
					}
				case tt.method == "GET":
					r = web[who].get(tt.path)
				default:
					r = web[who].post(tt.path, url.Values{"name": {"X"}, "email": {"x@example.org"}, "country": {"BR"}, "present": {"1"}, "title": {"Changed"}})
				}
				if r.StatusCode != want {
					t.Errorf("%s %s as %s: status %d, want %d", tt.method, tt.path, who, r.StatusCode, want)
				}
			}
		}
		// Nothing the refused writes tried changed the event.
		if e, _ := event.NewStore(db).ByID(ctx, mustInt(t, pub)); e.Title != "Public webinar" || e.Registered != 1 {
			t.Errorf("after refused writes: %q, %d registered", e.Title, e.Registered)
		}
		// A member registers themselves through the API, not someone else.
		mem := apis["member"]
		wantAPIError(t, mem.json("POST", "/api/v1/events/"+pub+"/registrations", map[string]any{"email": "other@example.org", "name": "Other", "country": "BR"}), 403, "forbidden")
		r := mem.json("POST", "/api/v1/events/"+pub+"/registrations", map[string]any{"country": "MZ"})
		wantStatus(t, r, http.StatusCreated)
		if !strings.Contains(r.body, `"email":"member@example.org"`) || !strings.Contains(r.body, `"status":"registered"`) || !strings.Contains(r.body, `"url":"http://harambee.test/registrations/`) {
			t.Errorf("self-registration: %s", r.body)
		}
		r = mem.get("/api/v1/events/" + pub)
		if !strings.Contains(r.body, `"join_url":"https://meet.example/x"`) {
			t.Error("a registrant does not see the join link")
		}
		if r := apis["outsider"].get("/api/v1/events/" + pub); strings.Contains(r.body, "join_url") {
			t.Error("someone not registered sees the join link")
		}
		// A member who did not attend cannot answer the survey.
		wantStatus(t, api.json("PUT", "/api/v1/events/"+pub+"/survey", map[string]any{"questions": []map[string]any{{"id": "relevant", "text": "Relevant", "type": "likert5"}}}), 200)
		wantAPIError(t, mem.json("POST", "/api/v1/events/"+pub+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": 5}}), 403, "forbidden")
	})
}

// TestEventBadInput: what a client can send wrong is refused with a 4xx
// that says why.
func TestEventBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		api := f.apiClient(f.manager)
		soon := time.Now().Add(7 * 24 * time.Hour)
		wantAPIError(t, api.json("POST", "/api/v1/communities/open-health/events", map[string]any{"title": "", "starts_at": "tomorrow", "timezone": "Nowhere/Town",
			"kind": "party", "capacity": -2, "join_url": "ftp://x"}), 400, "validation_failed", "title", "starts_at", "timezone", "kind", "capacity", "join_url")
		wantAPIError(t, api.json("POST", "/api/v1/communities/open-health/events", `{"title": "x",`), 400, "malformed_json")
		wantAPIError(t, api.json("POST", "/api/v1/communities/open-health/events", map[string]any{"title": "x", "starts_at": 5}), 400, "validation_failed", "starts_at")
		wantAPIError(t, api.get("/api/v1/communities/open-health/events?from=yesterday&kind=party"), 400, "validation_failed", "from", "kind")
		id := evCreate(t, api, "open-health", evBody("Webinar", soon, map[string]any{"capacity": 1,
			"questions": []map[string]any{{"id": "first", "text": "First time?", "type": "yes_no", "required": true}}}))

		// Registration: the waiting list, 409 for the same address, 400 for
		// a missing answer.
		reg := func(email string) response {
			return api.json("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"name": "N", "email": email, "country": "BR", "answers": map[string]any{"first": true}})
		}
		r := reg("a@example.org")
		wantStatus(t, r, 201)
		r = reg("b@example.org")
		wantStatus(t, r, 201)
		if !strings.Contains(r.body, `"status":"waitlisted"`) || !strings.Contains(r.body, `"waitlist_position":1`) {
			t.Errorf("a full event: %s", r.body)
		}
		wantAPIError(t, reg(" A@Example.org"), 409, "conflict", "email")
		wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"name": "N", "email": "c@example.org"}), 400, "validation_failed", "answers.first")
		wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"name": "N", "email": "c@example.org", "answers": map[string]any{"first": map[string]any{}}}), 400, "validation_failed", "answers.first")
		wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/registrations", map[string]any{"name": "N", "email": "not-an-address"}), 400, "validation_failed", "email")

		// The first cancels through their personal link; the second gets
		// the seat.
		var first struct{ URL string }
		decodeJSON(t, api.json("GET", "/api/v1/events/"+id+"/registrations?status=registered", nil), &struct{}{})
		regs, _, _ := event.NewStore(db).Registrations(ctx, mustInt(t, id), event.RegistrationsOptions{})
		first.URL = "/registrations/" + regs[0].Token
		wantStatus(t, f.client().post(first.URL+"/cancel", nil), http.StatusSeeOther)
		r = api.get("/api/v1/events/" + id + "/registrations")
		if !strings.Contains(r.body, `"email":"b@example.org"`) || !strings.Contains(r.body, `"status":"registered"`) || strings.Contains(r.body, "waitlisted") {
			t.Errorf("after the cancellation: %s", r.body)
		}

		// A cancelled event and a closed one.
		closed := evCreate(t, api, "open-health", evBody("Closed", soon, map[string]any{"registration_deadline": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}))
		wantAPIError(t, f.apiClient(f.member).json("POST", "/api/v1/events/"+closed+"/registrations", map[string]any{"country": "BR"}), 409, "conflict", "event")
		r = f.client().post("/events/"+closed+"/register", url.Values{"name": {"N"}, "email": {"n@example.org"}, "country": {"BR"}})
		if r.StatusCode != http.StatusOK && !strings.Contains(r.body, "has closed") {
			t.Errorf("the closed form: %d", r.StatusCode)
		}
		wantStatus(t, api.json("PATCH", "/api/v1/events/"+closed, map[string]any{"status": "cancelled"}), 200)
		wantAPIError(t, api.json("POST", "/api/v1/events/"+closed+"/registrations", map[string]any{"name": "N", "email": "n@example.org"}), 409, "conflict", "event")

		// Attendance reports that cannot be read.
		head := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
		for _, tt := range []struct{ name, body, says string }{
			{"unknown format", "Title,Author\nA,B\n", "not a participants report"},
			{"missing columns", "Name (Original Name),User Email,Duration (Minutes)\nAna,a@example.org,5\n", "Join Time, Leave Time"},
			{"broken quoting", head + "\"Ana,a@example.org,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,60\n", "broken on line 2"},
		} {
			r := api.do("POST", "/api/v1/events/"+id+"/attendance", strings.NewReader(tt.body), "text/csv")
			e := wantAPIError(t, r, 400, "validation_failed", "file")
			if !strings.Contains(e.Error.Fields["file"], tt.says) {
				t.Errorf("%s: %q does not say %q", tt.name, e.Error.Fields["file"], tt.says)
			}
		}
		big := head + strings.Repeat("x", event.MaxReportBytes)
		wantAPIError(t, api.evUpload("/api/v1/events/"+id+"/attendance", "big.csv", []byte(big)), 413, "too_large")
		r = f.loggedIn("manager@example.org").evUpload("/events/"+id+"/attendance", "big.csv", []byte(big))
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "larger than 20 MB") {
			t.Errorf("a 20 MB upload on the page: %d", r.StatusCode)
		}
		r = f.loggedIn("manager@example.org").evUpload("/events/"+id+"/attendance", "books.csv", []byte("Title,Author\nA,B\n"))
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.body, "not a participants report") {
			t.Errorf("an unknown report on the page: %d", r.StatusCode)
		}
		var n int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM event_attendees").Scan(&n)
		if n != 0 {
			t.Errorf("refused reports left %d attendees", n)
		}

		// Surveys: bad questions, answers out of range.
		wantAPIError(t, api.json("PUT", "/api/v1/events/"+id+"/survey", map[string]any{"questions": []map[string]any{{"id": "Bad Id", "text": "x", "type": "stars"}}}),
			400, "validation_failed", "questions.0.id", "questions.0.type")
		wantStatus(t, api.json("PUT", "/api/v1/events/"+id+"/survey", map[string]any{"questions": []map[string]any{
			{"id": "relevant", "text": "Relevant", "type": "likert5", "required": true},
			{"id": "role", "text": "Role", "type": "choice", "options": []string{"Government", "NGO"}}}}), 200)
		for _, answer := range []any{6, 0, 4.5, "agree", []int{4}} {
			wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": answer}}), 400, "validation_failed", "answers.relevant")
		}
		wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": 4, "role": "Donor"}}), 400, "validation_failed", "answers.role")
		wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": 4, "nope": 1}}), 400, "validation_failed", "answers.nope")
		r = api.json("POST", "/api/v1/events/"+id+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": 4, "role": "NGO"}, "email": "a@example.org", "submitted_at": "2026-01-02"})
		wantStatus(t, r, 201)
		wantAPIError(t, api.json("POST", "/api/v1/events/"+id+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": 4}, "email": "A@example.org"}), 409, "conflict")
		wantAPIError(t, api.json("PUT", "/api/v1/events/"+id+"/recording", map[string]any{"url": "https://youtube.example/v", "views": -1}), 400, "validation_failed", "views")
		wantAPIError(t, api.get("/api/v1/events/99999"), 404, "not_found")
		wantAPIError(t, api.get("/api/v1/events/abc"), 404, "not_found")
		wantStatus(t, f.client().get("/events/abc"), 404)
		wantStatus(t, f.client().get("/events/99999.ics"), 404)
		wantStatus(t, f.client().get("/surveys/nonsense"), 404)
		wantStatus(t, f.client().get("/registrations/nonsense"), 404)
	})
}

// TestEventCalendar: the calendar files are valid iCalendar: CRLF, folded
// at 75 octets, text escaped, a UID that stays, a SEQUENCE that grows, a
// cancellation marked, and nothing about participants.
func TestEventCalendar(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		api := f.apiClient(f.manager)
		soon := time.Now().Add(3 * 24 * time.Hour)
		long := "Saúde materna, neonatal e infantil; cooperação Sul-Sul \\ triangular: " + strings.Repeat("lições aprendidas, ", 6)
		id := evCreate(t, api, "open-health", evBody(long, soon, map[string]any{"description": "Line one\nLine two, with a comma; and a semicolon"}))
		evCreate(t, api, "open-health", evBody("Long ago", time.Now().AddDate(-2, 0, 0), nil))
		evCreate(t, api, "open-health", evBody("Hidden draft", soon, map[string]any{"status": "draft"}))
		e, _ := event.NewStore(db).ByID(ctx, mustInt(t, id))
		if _, err := (&event.Service{DB: db}).Register(ctx, e, event.NewRegistration{Name: "Private Person", Email: "private.person@example.org", Country: "BR"}, event.By{}); err != nil {
			t.Fatal(err)
		}
		get := func(path string) string {
			r := f.client().get(path)
			wantStatus(t, r, 200)
			if ct := r.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
			return r.body
		}
		check := func(name, body string) map[string]string {
			t.Helper()
			if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") || !strings.HasSuffix(body, "\r\n") {
				t.Errorf("%s: a line does not end in CRLF", name)
			}
			for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
				if len(line) > 75 || !utf8.ValidString(line) {
					t.Errorf("%s: line of %d octets (or a split character): %q", name, len(line), line)
				}
			}
			if strings.Contains(body, "private.person") || strings.Contains(body, "Private Person") || strings.Contains(body, "meet.example") {
				t.Errorf("%s holds participant data or the join link", name)
			}
			props := map[string]string{}
			for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n ", ""), "\r\n") {
				k, v, _ := strings.Cut(line, ":")
				props[k] = v
			}
			return props
		}
		first := check("event", get("/events/"+id+".ics"))
		if first["BEGIN"] != "VEVENT" || first["VERSION"] != "2.0" || first["STATUS"] != "CONFIRMED" || first["SEQUENCE"] != "0" ||
			first["UID"] != "event-"+id+"@harambee.test" || first["DTSTAMP"] == "" || first["DTSTART"] != e.StartsAt.UTC().Format("20060102T150405Z") {
			t.Errorf("calendar properties %v", first)
		}
		if !strings.Contains(first["SUMMARY"], `Sul-Sul \\ triangular: lições aprendidas\, `) || !strings.HasPrefix(first["DESCRIPTION"], `Line one Line two\, with a comma\; and a semicolon`) {
			t.Errorf("escaping: %q / %q", first["SUMMARY"], first["DESCRIPTION"])
		}
		wantStatus(t, api.json("PATCH", "/api/v1/events/"+id, map[string]any{"title": "Shorter title"}), 200)
		second := check("changed", get("/events/"+id+".ics"))
		wantStatus(t, api.json("PATCH", "/api/v1/events/"+id, map[string]any{"status": "cancelled"}), 200)
		third := check("cancelled", get("/events/"+id+".ics"))
		if second["UID"] != first["UID"] || second["SEQUENCE"] != "1" || third["SEQUENCE"] != "2" || third["STATUS"] != "CANCELLED" {
			t.Errorf("after changes: UID %s, SEQUENCE %s then %s, STATUS %s", second["UID"], second["SEQUENCE"], third["SEQUENCE"], third["STATUS"])
		}
		cal := get("/communities/open-health/events.ics")
		check("community", cal)
		if !strings.Contains(cal, "X-WR-CALNAME:Community open-health") || !strings.Contains(cal, "Shorter title") || strings.Contains(cal, "Long ago") ||
			strings.Contains(cal, "Hidden draft") {
			t.Errorf("community calendar:\n%s", cal)
		}
	})
}

// TestEventDST: an event typed in Zurich time just after the clocks went
// forward is shown right in Zurich, in São Paulo and in UTC.
func TestEventDST(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		account.NewStore(db).UpdateProfile(ctx, f.manager.ID, account.Profile{Name: "manager", Country: "CH", TimeZone: "Europe/Zurich", Visibility: "public"})
		account.NewStore(db).UpdateProfile(ctx, f.member.ID, account.Profile{Name: "member", Country: "BR", TimeZone: "America/Sao_Paulo", Visibility: "public"})
		mgr := f.loggedIn("manager@example.org")
		form := evForm("2030-03-31") // Zurich moves to summer time on 31 March 2030
		form.Set("timezone", "Europe/Zurich")
		form.Set("start_time", "10:00")
		form.Set("end_time", "11:00")
		id := evID(t, evLocation(t, mgr.post("/communities/open-health/events", form)))
		e, _ := event.NewStore(db).ByID(ctx, mustInt(t, id))
		if got := e.StartsAt.UTC().Format(time.RFC3339); got != "2030-03-31T08:00:00Z" {
			t.Errorf("10:00 Zurich on 31 March 2030 stored as %s, want 08:00 UTC (CEST)", got)
		}
		tests := []struct {
			who  *client
			want []string
		}{
			{mgr, []string{"31 March 2030, 10:00–11:00 Zurich"}},
			{f.loggedIn("member@example.org"), []string{"31 March 2030, 10:00–11:00 Zurich", "31 March 2030, 05:00–06:00 Sao Paulo"}},
			{f.client(), []string{"31 March 2030, 10:00–11:00 Zurich", "31 March 2030, 08:00–09:00 UTC"}},
		}
		for i, tt := range tests {
			r := tt.who.get("/events/" + id)
			for _, w := range tt.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("reader %d: the page lacks %q", i, w)
				}
			}
		}
		// The week before, Zurich is an hour closer to UTC.
		form.Set("start_date", "2030-03-24")
		id = evID(t, evLocation(t, mgr.post("/communities/open-health/events", form)))
		if r := f.client().get("/events/" + id); !strings.Contains(r.body, "24 March 2030, 09:00–10:00 UTC") {
			t.Errorf("before the change: %s", excerpt(r.body, "UTC"))
		}
		// The edit form shows the times as they were typed.
		if r := mgr.get("/events/" + id + "/edit"); !strings.Contains(r.body, `value="10:00"`) || !strings.Contains(r.body, `value="2030-03-24"`) {
			t.Error("the edit form does not show the event's own times")
		}
	})
}

// TestEventLists: the site-wide list, a community's tab, the comparison
// of surveys, in other languages too.
func TestEventLists(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		api := f.apiClient(f.manager)
		soon := time.Now().Add(3 * 24 * time.Hour)
		evCreate(t, api, "open-health", evBody("Coming webinar", soon, map[string]any{"languages": []string{"pt"}}))
		past := evCreate(t, api, "open-health", evBody("Past training", time.Now().AddDate(0, -2, 0), map[string]any{"kind": "training"}))
		evCreate(t, api, "wash", evBody("Members-only webinar", soon, nil))
		r := f.client().get("/events")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "Coming webinar") || strings.Contains(r.body, "Members-only webinar") || strings.Contains(r.body, "Past training") {
			t.Error("the upcoming list is wrong")
		}
		r = f.client().get("/events?when=past&kind=training")
		if !strings.Contains(r.body, "Past training") || !strings.Contains(r.body, "1 event") {
			t.Error("the past list filtered by kind is wrong")
		}
		if r := f.client().get("/events?language=pt&lang=pt"); !strings.Contains(r.body, "Coming webinar") || !strings.Contains(r.body, "Eventos e webinars") {
			t.Error("the list by language, in Portuguese")
		}
		if r := f.loggedIn("member@example.org").get("/events"); !strings.Contains(r.body, "Members-only webinar") {
			t.Error("a member does not see the members-only community's event")
		}
		r = f.client().get("/communities/open-health/events?lang=fr")
		if !strings.Contains(r.body, "Coming webinar") || !strings.Contains(r.body, "Past training") || !strings.Contains(r.body, "À venir") {
			t.Error("the community's events tab")
		}
		if !strings.Contains(f.client().get("/communities/open-health").body, `href="/communities/open-health/events"`) {
			t.Error("the community has no Events tab")
		}
		var list struct {
			Items []struct {
				ID    int64
				Title string
			}
			Total int
		}
		decodeJSON(t, f.client().get("/api/v1/communities/open-health/events"), &list)
		if list.Total != 2 || list.Items[0].Title != "Coming webinar" {
			t.Errorf("API list newest first: %+v", list)
		}
		decodeJSON(t, f.client().get("/api/v1/communities/open-health/events?kind=training&to="+time.Now().Format("2006-01-02")), &list)
		if list.Total != 1 || strconv.FormatInt(list.Items[0].ID, 10) != past {
			t.Errorf("API list filtered: %+v", list)
		}
		// The standard questions compared across webinars.
		wantStatus(t, api.json("PUT", "/api/v1/events/"+past+"/survey", map[string]any{"questions": []map[string]any{
			{"id": "relevant", "text": "Relevant", "type": "likert5"}, {"id": "clear", "text": "Clear", "type": "likert5"}}}), 200)
		for _, v := range []int{5, 4, 4, 2} {
			wantStatus(t, api.json("POST", "/api/v1/events/"+past+"/survey/responses", map[string]any{"answers": map[string]any{"relevant": v, "clear": 5}}), 201)
		}
		r = f.client().get("/communities/open-health/surveys")
		if !strings.Contains(r.body, "Past training") || !strings.Contains(r.body, "75%") || !strings.Contains(r.body, "100%") {
			t.Errorf("comparison table\n%s", excerpt(r.body, "Past training"))
		}
	})
}

// TestEventHistoryImport: a manager enters a past webinar with its
// registrations, attendance and answers through the pages, and no one
// receives mail about it.
func TestEventHistoryImport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		mgr := f.loggedIn("manager@example.org")
		form := evForm("2019-07-14")
		id := evID(t, evLocation(t, mgr.post("/communities/open-health/events", form)))
		r := mgr.post("/events/"+id+"/registrations", url.Values{"name": {"Ana Souza"}, "email": {"ana@example.org"}, "country": {"BR"},
			"registered_at": {"2019-07-01"}, "answers.sector": {"Health"}})
		evLocation(t, r)
		r = mgr.post("/events/"+id+"/registrations", url.Values{"name": {"Ana again"}, "email": {"ANA@example.org"}, "answers.sector": {"Health"}})
		wantStatus(t, r, http.StatusConflict)
		regs, _, _ := event.NewStore(db).Registrations(ctx, mustInt(t, id), event.RegistrationsOptions{})
		if len(regs) != 1 || regs[0].RegisteredAt.Format("2006-01-02") != "2019-07-01" {
			t.Fatalf("history registration %+v", regs)
		}
		rid := strconv.FormatInt(regs[0].ID, 10)
		evLocation(t, mgr.post("/events/"+id+"/attendance/"+rid, url.Values{"present": {"1"}}))
		evLocation(t, mgr.post("/events/"+id+"/recording", url.Values{"url": {"https://youtube.example/watch?v=1"}, "views": {"240"}}))
		evLocation(t, mgr.post("/events/"+id+"/survey", url.Values{"questions.0.id": {"relevant"}, "questions.0.text": {"Relevant"}, "questions.0.type": {"likert5"}}))
		evLocation(t, mgr.post("/events/"+id+"/survey/respond", url.Values{"email": {"ana@example.org"}, "submitted_at": {"2019-07-15"}, "answers.relevant": {"5"}}))
		r = mgr.post("/events/"+id+"/survey/respond", url.Values{"answers.relevant": {"9"}})
		wantStatus(t, r, http.StatusBadRequest)
		r = mgr.post("/events/"+id+"/registrations/"+rid, url.Values{"name": {"Ana Paula Souza"}, "email": {"ana@example.org"}, "country": {"BR"},
			"status": {"registered"}, "answers.sector": {"Education"}})
		evLocation(t, r)
		r = mgr.get("/events/" + id + "/report")
		for _, want := range []string{"100%", "240"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the report of the imported webinar lacks %q", want)
			}
		}
		if e, _ := event.NewStore(db).ByID(ctx, mustInt(t, id)); e.RecordingViews != 240 {
			t.Errorf("views %d", e.RecordingViews)
		}
		msgs, _, _ := mail.NewOutbox(db).List(ctx, "ana@example.org", 10, 0)
		if len(msgs) != 0 {
			t.Errorf("importing history sent %d messages", len(msgs))
		}
		evLocation(t, mgr.post("/events/"+id+"/registrations/"+rid+"/delete", nil))
		if _, total, _ := event.NewStore(db).Registrations(ctx, mustInt(t, id), event.RegistrationsOptions{Status: "all"}); total != 0 {
			t.Error("the registration was not removed")
		}
	})
}
