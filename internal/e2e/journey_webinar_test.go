package e2e

import (
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/taxonomy"
)

func TestJourneyWebinar(t *testing.T) { journey(t, webinarJourney) }

// webinarJourney: a community manager creates a webinar through the pages;
// a guest, not logged in, registers and downloads the calendar file; after
// the webinar the manager uploads Zoom's participants report and reads
// the number of attendees on the report tab.
func webinarJourney(t *testing.T, j *journeyRun) {
	admin := j.addAdmin(t)
	adminToken := j.token(t, admin.Email, "journey seed")
	manager := person{Name: "Lerato Mokoena", Email: "lerato.mokoena@health.example.org", Password: "a webinar a month keeps us learning"}
	j.addPerson(t, adminToken, &manager, map[string]any{"country": "ZA", "organization": "National Department of Health",
		"organization_type": "government", "timezone": "Africa/Johannesburg"})
	slug := j.addCommunity(t, adminToken, map[string]any{
		"slug": "maternal-health", "name": "Maternal health", "language": "en", "visibility": "public", "join_policy": "open", "primary_sdg": 3,
	})
	j.addToCommunity(t, adminToken, slug, manager.ID, "manager")
	en := func(key string, args ...any) string { return msg("en", key, args...) }

	const (
		zone  = "Africa/Johannesburg"
		title = "Midwife-led care: lessons from Malawi and South Africa"
	)
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	d := time.Now().In(loc).AddDate(0, 0, 21)
	start := time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, loc)

	// The manager creates the webinar with the community's form.
	m := j.tab(t)
	logIn(m, manager)
	m.open("/communities/" + slug)
	m.clickLinkIn(en("community.tabs"), en("event.tab.community"))
	m.clickLink(en("event.create"))
	m.fill(en("event.field.title"), title)
	m.check(en("event.kind.webinar"))
	m.fill(en("field.description"), "Two programmes share how **midwives** lead antenatal and delivery care.")
	m.choose(en("event.field.timezone"), zone)
	m.fill(en("event.field.start_date"), start.Format("2006-01-02"))
	m.fill(en("event.field.start_time"), "14:00")
	m.fill(en("event.field.end_time"), "15:30")
	m.fill(en("event.field.join_url"), "https://zoom.example.org/j/81234567890")
	m.check(en("event.status_help.published"))
	m.press(en("form.save"))
	m.see(en("flash.event_created"))
	m.see(title)
	eventPath := strings.SplitN(m.path(), "?", 2)[0]
	var eventID int64
	if _, err := fmt.Sscanf(eventPath, "/events/%d", &eventID); err != nil {
		t.Fatalf("after creating the webinar, the page is %s, want /events/ID", m.path())
	}

	// A guest, not logged in, registers.
	guest := person{Name: "Chikondi Phiri", Email: "chikondi.phiri@midwives.example.org"}
	g := j.tab(t)
	g.open("/events")
	g.clickLink(title)
	g.fill(en("field.name"), guest.Name)
	g.fill(en("field.email"), guest.Email)
	g.choose(en("field.country"), taxonomy.CountryName("MW", "en"))
	g.choose(en("field.organization_type"), en("orgtype.ngo"))
	g.press(en("event.register"))
	g.see(en("flash.event_registered"))
	g.see(en("event.you_registered"))

	// The guest downloads the calendar file the page offers.
	ics := g.href(`/registrations/[^/]+/calendar\.ics$`)
	resp, err := direct.Get(ics)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: status %d", ics, resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/calendar" {
		t.Errorf("the calendar file is %q, want text/calendar", resp.Header.Get("Content-Type"))
	}
	cal := strings.ReplaceAll(string(body), "\r\n ", "") // unfold long lines (RFC 5545)
	for _, want := range []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT", "SUMMARY:" + calendarText(title), "END:VEVENT", "https://zoom.example.org/j/81234567890"} {
		if !strings.Contains(cal, want) {
			t.Errorf("the calendar file lacks %q:\n%s", want, cal)
		}
	}

	// Someone else registered by e-mail with the manager.
	managerToken := j.token(t, manager.Email, "journey seed")
	j.register(t, managerToken, eventID, map[string]any{"name": "Kwame Mensah", "email": "k.mensah@health.example.org", "country": "GH"})

	// After the webinar, the manager uploads Zoom's participants report,
	// exported with the meeting's data on top: the guest (twice: the
	// connection dropped), Kwame, someone who had not registered, and a
	// telephone guest without an address.
	report := zoomExport("812 3456 7890", "Midwife-led care", manager.Email, start.Add(-5*time.Minute), start.Add(92*time.Minute), []zoomRow{
		{guest.Name, strings.ToUpper(guest.Email[:1]) + guest.Email[1:], start.Add(-2 * time.Minute), start.Add(40 * time.Minute)},
		{guest.Name, guest.Email, start.Add(44 * time.Minute), start.Add(90 * time.Minute)},
		{"Kwame Mensah", "k.mensah@health.example.org", start.Add(3 * time.Minute), start.Add(85 * time.Minute)},
		{"Nguyen, Thi Lan", "lan.nguyen@moh.example.org", start.Add(5 * time.Minute), start.Add(60 * time.Minute)},
		{"Guest Without Email", "", start.Add(10 * time.Minute), start.Add(20 * time.Minute)},
	})
	file := filepath.Join(t.TempDir(), "participants_81234567890.csv")
	if err := os.WriteFile(file, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	m.open(eventPath)
	m.clickLinkIn(en("event.tabs"), en("event.tab.attendance"))
	m.upload(en("event.import_file"), file)
	m.press(en("event.import"))
	m.see(en("flash.attendance_imported"))
	m.see(en("event.import_result", 5, 3, 2, 4))

	// The report tab counts four attendees, one of them a walk-in.
	m.clickLinkIn(en("event.tabs"), en("event.tab.report"))
	if got := m.fact(en("event.report.attendees")); !strings.HasPrefix(got, "4") {
		t.Errorf("the report tab shows %q attendees, want 4", got)
	}
	if got := m.fact(en("event.report.registrants")); !strings.HasPrefix(got, "2") {
		t.Errorf("the report tab shows %q registrants, want 2", got)
	}
}

// calendarText escapes text as iCalendar writes it (RFC 5545, 3.3.11).
func calendarText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}
