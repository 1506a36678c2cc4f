package e2e

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// What the journeys and the key pages need is created as an operator's
// script would: accounts and tokens with the command line, everything else
// through the JSON API. Nothing here writes to the database directly.

// addPerson creates a verified account with a profile through the
// administrators' API (POST /api/v1/users), and sets p.ID.
func (s *server) addPerson(t testing.TB, adminToken string, p *person, profile map[string]any) {
	t.Helper()
	body := map[string]any{"email": p.Email, "name": p.Name, "password": p.Password}
	for k, v := range profile {
		body[k] = v
	}
	var out struct {
		ID int64 `json:"id"`
	}
	s.api(t, adminToken, "POST", "/api/v1/users", body, 201, &out)
	p.ID = out.ID
}

// create POSTs a record to the API and returns its id.
func (s *server) create(t testing.TB, token, path string, body any) int64 {
	t.Helper()
	var out struct {
		ID int64 `json:"id"`
	}
	s.api(t, token, "POST", path, body, 201, &out)
	if out.ID == 0 {
		t.Fatalf("POST %s: the answer has no id", path)
	}
	return out.ID
}

// addCommunity creates a community (the caller becomes its manager) and
// returns its slug.
func (s *server) addCommunity(t testing.TB, token string, fields map[string]any) string {
	t.Helper()
	var out struct {
		Slug string `json:"slug"`
	}
	s.api(t, token, "POST", "/api/v1/communities", fields, 201, &out)
	return out.Slug
}

// addToCommunity makes an account a member of a community with a role
// ("member", "moderator" or "manager"), as its manager.
func (s *server) addToCommunity(t testing.TB, managerToken, slug string, userID int64, role string) {
	t.Helper()
	s.api(t, managerToken, "POST", "/api/v1/communities/"+slug+"/members", map[string]any{"user_id": userID, "role": role}, 201, nil)
}

// addThread starts a discussion and returns its id.
func (s *server) addThread(t testing.TB, token, slug, title, body string, question bool) int64 {
	t.Helper()
	return s.create(t, token, "/api/v1/communities/"+slug+"/threads",
		map[string]any{"title": title, "body": body, "language": "en", "is_question": question})
}

// addReply answers a thread and returns the reply's id.
func (s *server) addReply(t testing.TB, token string, thread int64, body string) int64 {
	t.Helper()
	return s.create(t, token, fmt.Sprintf("/api/v1/threads/%d/posts", thread), map[string]any{"body": body})
}

// registration is what the API answers about a registration: the personal
// link (url) when the caller registered themselves.
type registration struct {
	ID  int64  `json:"id"`
	URL string `json:"url"`
}

// register registers someone for an event: the caller, or anyone when the
// caller manages the event's community.
func (s *server) register(t testing.TB, token string, event int64, body map[string]any) registration {
	t.Helper()
	var out registration
	s.api(t, token, "POST", fmt.Sprintf("/api/v1/events/%d/registrations", event), body, 201, &out)
	return out
}

// importAttendance sends a participants report to the API as a multipart
// upload, as a manager's script would.
func (s *server) importAttendance(t testing.TB, token string, event int64, name, report string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, report)
	mw.Close()
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/events/%d/attendance", s.URL, event), &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := direct.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 {
		t.Fatalf("import the attendance of event %d: status %d: %s", event, resp.StatusCode, b)
	}
}

// zoomRow is a line of a Zoom participants report.
type zoomRow struct {
	Name, Email  string
	Joined, Left time.Time // in the meeting's zone, as Zoom writes them
}

// zoomReport writes a participants report the way Zoom exports it (the
// shape of the sample in the shared data, with these people).
func zoomReport(rows []zoomRow) string {
	const layout = "01/02/2006 03:04:05 PM"
	var sb strings.Builder
	sb.WriteString("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n")
	for _, r := range rows {
		name := r.Name
		if strings.ContainsAny(name, ",\"") {
			name = `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		}
		fmt.Fprintf(&sb, "%s,%s,%s,%s,%d,Yes\n", name, r.Email, r.Joined.Format(layout), r.Left.Format(layout), int(r.Left.Sub(r.Joined).Minutes()))
	}
	return sb.String()
}

// zoomExport writes a participants report as Zoom exports it "with meeting
// data" (the shape of zoom-participants-with-meeting-data.csv in the
// shared data): the meeting's block first, a blank line, then the
// participants, with Windows line ends.
func zoomExport(meetingID, topic, host string, start, end time.Time, rows []zoomRow) string {
	const layout = "01/02/2006 03:04:05 PM"
	var sb strings.Builder
	sb.WriteString("Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n")
	fmt.Fprintf(&sb, "%s,%s,%s,%s,%s,%d,%d\n\n", meetingID, topic, start.Format(layout), end.Format(layout), host,
		int(end.Sub(start).Minutes()), len(rows))
	sb.WriteString(zoomReport(rows))
	return strings.ReplaceAll(sb.String(), "\n", "\r\n")
}

// solutionRecord is a record of the solutions catalogue as the API takes
// it.
type solutionRecord struct {
	Title, Tagline, Challenge, Solution, Results string
	Countries                                    []string
	PrimarySDG                                   int
	SecondarySDGs                                []int
	Targets                                      []string
	Status, Start                                string
	Implementers                                 []string
}

// addSolution adds a record to the catalogue and returns its id.
func (s *server) addSolution(t testing.TB, editorToken string, x solutionRecord) int64 {
	t.Helper()
	status := x.Status
	if status == "" {
		status = "ongoing"
	}
	return s.create(t, editorToken, "/api/v1/solutions", map[string]any{
		"title": x.Title, "tagline": x.Tagline, "challenge": x.Challenge, "solution": x.Solution, "results": x.Results,
		"countries": x.Countries, "modality": "south_south", "primary_sdg": x.PrimarySDG, "secondary_sdgs": x.SecondarySDGs,
		"sdg_targets": x.Targets, "status": status, "start_date": x.Start, "implementing_entities": x.Implementers,
		"supported_by": []string{"UN Office for South-South Cooperation"}, "language": "en",
		"contacts": []map[string]any{{"name": "Programme office", "organization": x.Implementers[0], "email": "programme@example.org"}},
	})
}

// healthSolutions are records of the catalogue about health (SDG 3) and
// other goals: the first two are close to each other (community health
// workers, Brazil and Mozambique), so that each lists the other among its
// similar solutions.
var healthSolutions = []solutionRecord{
	{
		Title:   "Community health workers bring primary care to rural Mozambique",
		Tagline: "Brazil's family health strategy adapted to Mozambican districts",
		Challenge: "Rural districts of Mozambique had one clinician for tens of thousands of people; " +
			"mothers and children walked for hours to reach primary health care.",
		Solution: "The Ministry of Health trained **community health workers** (agentes polivalentes elementares) with " +
			"Brazil's family health strategy: home visits, maternal health, malaria and immunisation follow-up.",
		Results:      "Coverage of primary health care visits rose in the pilot districts; community health workers now serve remote villages.",
		Countries:    []string{"MZ", "BR"},
		PrimarySDG:   3,
		Targets:      []string{"3.8", "3.c"},
		Start:        "2016-03",
		Implementers: []string{"Ministry of Health of Mozambique", "Fiocruz"},
	},
	{
		Title:   "Family health teams: sharing Brazil's community health agent model",
		Tagline: "Community health agents and primary care teams, from Brazil to Mozambique",
		Challenge: "Countries wished to extend primary health care to rural families without enough doctors " +
			"or nurses in remote districts.",
		Solution: "Brazil shared its family health teams and **community health agents** model with Mozambique: " +
			"training curricula for community health workers, supervision and home visits for maternal and child health.",
		Results:       "Mozambique adopted the curriculum for community health workers in its national programme.",
		Countries:     []string{"BR", "MZ"},
		PrimarySDG:    3,
		SecondarySDGs: []int{17},
		Targets:       []string{"3.8"},
		Start:         "2014-06",
		Implementers:  []string{"Ministry of Health of Brazil"},
	},
	{
		Title:         "Mobile clinics for maternal health in Malawi",
		Tagline:       "Antenatal care that travels to rural communities",
		Challenge:     "Pregnant women in rural Malawi had few antenatal visits.",
		Solution:      "Mobile clinics, staffed by midwives trained in India, visit villages every month.",
		Countries:     []string{"MW", "IN"},
		PrimarySDG:    3,
		SecondarySDGs: []int{5},
		Targets:       []string{"3.1"},
		Start:         "2019-01",
		Implementers:  []string{"Ministry of Health of Malawi"},
	},
	{
		Title:         "Telemedicine network for rural district hospitals in Ghana",
		Tagline:       "Specialists consult from the capital",
		Challenge:     "District hospitals in Ghana lacked specialists.",
		Solution:      "A telemedicine network, built with India's experience, links district hospitals to teaching hospitals.",
		Countries:     []string{"GH", "IN"},
		PrimarySDG:    3,
		SecondarySDGs: []int{9},
		Start:         "2018-09",
		Status:        "completed",
		Implementers:  []string{"Ghana Health Service"},
	},
	{
		Title:         "Solar-powered water pumps for villages of the Sahel",
		Tagline:       "Clean water without diesel",
		Challenge:     "Villages in Niger and Mali relied on diesel pumps or hand pumps.",
		Solution:      "Solar pumps and water committees, with technicians trained in Senegal.",
		Countries:     []string{"NE", "ML", "SN"},
		PrimarySDG:    6,
		SecondarySDGs: []int{7},
		Start:         "2017-04",
		Implementers:  []string{"Sahel Water Partnership"},
	},
	{
		Title:         "School feeding with produce from family farmers",
		Tagline:       "Home-grown school meals",
		Challenge:     "Schools bought food from far away while nearby farmers lacked buyers.",
		Solution:      "Brazil's school feeding law inspired Ghana to buy from smallholder farmers for school meals.",
		Countries:     []string{"GH", "BR"},
		PrimarySDG:    2,
		SecondarySDGs: []int{4},
		Start:         "2015-02",
		Implementers:  []string{"Ghana School Feeding Programme"},
	},
}
