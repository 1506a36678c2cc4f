package demo

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/taxonomy"
)

func init() { loaders = append(loaders, loadEvents) }

// MentalHealthWebinar is the title of the model community's July 2021
// webinar, the one whose survey found 93% agreeing it was relevant and 97%
// that it was clear and well structured.
const MentalHealthWebinar = "Leveraging South-South and Triangular Cooperation in Advancing Child and Adolescent Mental Health in the Context of COVID-19"

// demoWebinar is one of the model community's webinars: what it was, and
// how many people its raw records hold. Nothing here is stored as a
// total: the registrations, the participants report and the survey
// responses are generated, and the reports count them.
type demoWebinar struct {
	title, description string
	day                string // YYYY-MM-DD; every webinar ran 09:00-10:30 Brasília time
	registrants        int    // registrations
	attendees          int    // registrants who joined; walk-ins come on top
	walkIns            int
	views              int
	format             string // the participants report, as exported: zoom or teams
	responses          int    // survey responses
	relevant, clear    int    // of them, how many agreed (4 or 5)
	speakers           []event.Speaker
}

var demoWebinars = []demoWebinar{
	{title: "Community health workers for mothers and newborns: what Ethiopia, Brazil and India learned", day: "2018-05-16",
		description: "Health extension workers in Ethiopia, community health agents in Brazil and ASHAs in India reach mothers and newborns where they live. Three programme managers compare recruitment, supervision, pay and the results for maternal and newborn survival.",
		registrants: 210, attendees: 108, walkIns: 4, views: 95, format: event.FormatZoom, responses: 41, relevant: 37, clear: 38,
		speakers: []event.Speaker{{Name: "Hana Tesfaye", Title: "Health Extension Programme Advisor", Organization: "Federal Ministry of Health", Country: "ET"},
			{Name: "Ana Paula Souza", Title: "Coordenadora de Saúde da Criança", Organization: "Ministério da Saúde", Country: "BR"},
			{Name: "Ravi Shankar Pillai", Title: "Senior Consultant, Community Processes", Organization: "National Health Systems Resource Centre", Country: "IN"}}},
	{title: "Eliminating mother-to-child transmission of HIV and syphilis: the road to validation", day: "2018-09-19",
		description: "Thailand was the first country in Asia validated for eliminating mother-to-child transmission of HIV and syphilis. What did the dossier take, and what are Cuba and the Caribbean learning from it?",
		registrants: 245, attendees: 124, walkIns: 4, views: 160, format: event.FormatZoom, responses: 47, relevant: 43, clear: 44,
		speakers: []event.Speaker{{Name: "Somchai Prasert", Title: "Medical Officer", Organization: "Ministry of Public Health", Country: "TH"},
			{Name: "Mercedes Ocampo", Title: "Advisor, Family and Community Health", Organization: "Pan American Health Organization", Country: "PA"},
			{Name: "Samuel Okafor", Title: "Technical Officer", Organization: "WHO Regional Office for Africa", Country: "CG"}}},
	{title: "Water, sanitation and hygiene in schools and health facilities: South-South lessons", day: "2018-11-28",
		description: "Toilets that keep working, handwashing stations in every ward, menstrual hygiene in schools: how Kenya, Bangladesh and Peru financed and maintained WASH services.",
		registrants: 180, attendees: 93, walkIns: 3, views: 110, format: event.FormatZoom, responses: 33, relevant: 29, clear: 30,
		speakers: []event.Speaker{{Name: "Grace Wanjiru", Title: "Technical Lead", Organization: "Amref Health Africa", Country: "KE"},
			{Name: "Farhana Rahman", Title: "WASH Specialist", Organization: "Department of Public Health Engineering", Country: "BD"},
			{Name: "Rafael Mendoza", Title: "Director de Intervenciones Estratégicas", Organization: "Ministerio de Salud", Country: "PE"}}},
	{title: "Financing primary health care on the road to universal health coverage", day: "2019-03-20",
		description: "Results-based financing in Rwanda, community health insurance in Ghana and the Family Health Strategy in Brazil: what made primary health care affordable, and for whom.",
		registrants: 230, attendees: 114, walkIns: 4, views: 140, format: event.FormatZoom, responses: 44, relevant: 40, clear: 41,
		speakers: []event.Speaker{{Name: "Marie-Claire Uwimana", Title: "Division Manager", Organization: "Rwanda Biomedical Centre", Country: "RW"},
			{Name: "Kwame Mensah", Title: "Deputy Director, Family Health", Organization: "Ghana Health Service", Country: "GH"},
			{Name: "Pedro Alves Cardoso", Title: "Pesquisador em Saúde Global", Organization: "Fundação Oswaldo Cruz", Country: "BR"}}},
	{title: "Human milk banks: a Brazilian innovation shared across the South", day: "2019-06-26",
		description: "The Global Network of Human Milk Banks grew out of South-South cooperation. Brazil, Mozambique and Cabo Verde on setting up banks, training staff and keeping quality.",
		registrants: 205, attendees: 105, walkIns: 4, views: 150, format: event.FormatZoom, responses: 40, relevant: 37, clear: 37,
		speakers: []event.Speaker{{Name: "Pedro Alves Cardoso", Title: "Pesquisador em Saúde Global", Organization: "Fundação Oswaldo Cruz", Country: "BR"},
			{Name: "Amélia Cossa", Title: "Neonatologista", Organization: "Hospital Central de Maputo", Country: "MZ"},
			{Name: "Helena Monteiro", Title: "Coordenadora de Saúde Materno-Infantil", Organization: "Ministério da Saúde", Country: "CV"}}},
	{title: "South-South and triangular cooperation for children: how partnerships are built", day: "2019-10-23",
		description: "From the first request to an exchange that changes policy: cooperation agencies of Brazil, Mexico and the Republic of Korea on brokering, funding and following up South-South and triangular projects for children.",
		registrants: 220, attendees: 111, walkIns: 4, views: 120, format: event.FormatZoom, responses: 42, relevant: 38, clear: 39,
		speakers: []event.Speaker{{Name: "Isabel Monteiro", Title: "Senior Project Officer", Organization: "International Policy Centre for Inclusive Growth", Country: "BR", Role: event.RoleModerator},
			{Name: "Kim Min-jun", Title: "Health Programme Officer", Organization: "Korea International Cooperation Agency", Country: "KR"},
			{Name: "Gabriela Hernández", Title: "Directora de Cooperación Técnica", Organization: "Mexican Agency for International Development Cooperation", Country: "MX"},
			{Name: "Thomas Becker", Title: "Programme Manager, South-South Cooperation", Organization: "UNICEF Headquarters", Country: "US"}}},
	{title: "COVID-19: keeping essential maternal and child health services running", day: "2020-04-22",
		description: "As health systems turned to COVID-19, antenatal care, deliveries and immunization fell. Ministries from four regions on what kept essential services open.",
		registrants: 310, attendees: 154, walkIns: 6, views: 210, format: event.FormatTeams, responses: 60, relevant: 55, clear: 56,
		speakers: []event.Speaker{{Name: "Nomvula Dlamini", Title: "Director, Child, Youth and School Health", Organization: "National Department of Health", Country: "ZA"},
			{Name: "Nguyen Thi Lan", Title: "Senior Officer", Organization: "Ministry of Health", Country: "VN"},
			{Name: "Lucía Fernández", Title: "Coordinadora de Salud Mental Infanto-Juvenil", Organization: "Ministerio de Salud", Country: "AR"}}},
	{title: "Water, sanitation and hygiene in the COVID-19 response", day: "2020-09-16",
		description: "Handwashing became the first line of defence. Utilities and ministries of Senegal, Indonesia and Bolivia on reaching informal settlements, schools and health facilities.",
		registrants: 230, attendees: 116, walkIns: 5, views: 135, format: event.FormatTeams, responses: 44, relevant: 40, clear: 41,
		speakers: []event.Speaker{{Name: "Fatou Diop", Title: "Directrice de l'Assainissement", Organization: "Ministère de l'Eau et de l'Assainissement", Country: "SN"},
			{Name: "Dewi Lestari", Title: "WASH Programme Manager", Organization: "Ministry of Health", Country: "ID"},
			{Name: "Camila Herrera", Title: "Oficial de Salud Sexual y Reproductiva", Organization: "UNFPA Bolivia", Country: "BO"}}},
	{title: "Immunization in the time of COVID-19: protecting routine vaccination", day: "2021-03-17",
		description: "Catch-up campaigns, outreach and supply chains under lockdown: how Pakistan, Nigeria and Colombia protected routine immunization while preparing COVID-19 vaccination.",
		registrants: 240, attendees: 120, walkIns: 6, views: 130, format: event.FormatTeams, responses: 46, relevant: 42, clear: 43,
		speakers: []event.Speaker{{Name: "Ayesha Malik", Title: "Deputy Programme Manager, EPI", Organization: "Ministry of National Health Services", Country: "PK"},
			{Name: "Chinedu Okafor", Title: "Director, Disease Control and Immunization", Organization: "National Primary Health Care Development Agency", Country: "NG"},
			{Name: "Andrés Gómez", Title: "Coordinador del Programa Ampliado de Inmunizaciones", Organization: "Ministerio de Salud y Protección Social", Country: "CO"}}},
	{title: MentalHealthWebinar, day: "2021-07-14",
		description: "The pandemic closed schools and isolated families; children's and adolescents' mental health suffered. Speakers from Argentina, China, India, Iran, the Republic of Korea and Thailand share how they adapted services, trained teachers and health workers, and cooperated across the South.",
		registrants: 260, attendees: 132, walkIns: 6, views: 150, format: event.FormatZoom, responses: 58, relevant: 54, clear: 56,
		speakers: []event.Speaker{{Name: "Lucía Fernández", Title: "Coordinadora de Salud Mental Infanto-Juvenil", Organization: "Ministerio de Salud", Country: "AR"},
			{Name: "Wang Fang", Title: "Professor of Child Psychiatry", Organization: "Peking University Sixth Hospital", Country: "CN"},
			{Name: "Deepa Menon", Title: "Additional Professor of Child and Adolescent Psychiatry", Organization: "National Institute of Mental Health and Neurosciences", Country: "IN"},
			{Name: "Mahnaz Rahimi", Title: "Professor of Child and Adolescent Psychiatry", Organization: "Tehran University of Medical Sciences", Country: "IR"},
			{Name: "Kim Min-jun", Title: "Health Programme Officer", Organization: "Korea International Cooperation Agency", Country: "KR"},
			{Name: "Malee Boonmee", Title: "Director, Child and Adolescent Mental Health Bureau", Organization: "Department of Mental Health", Country: "TH"},
			{Name: "Isabel Monteiro", Title: "Senior Project Officer", Organization: "International Policy Centre for Inclusive Growth", Country: "BR", Role: event.RoleModerator}}},
}

// DemoAttendeeCountries is how many countries the model community's
// webinars reached: every country of the name book (59) but the two whose
// registrants, in this data set, never joined.
const DemoAttendeeCountries = 57

// neverJoined are the countries whose registrants never joined a webinar.
var neverJoined = map[string]bool{"DK": true, "WS": true}

// guest is a person who registered without an account.
type guest struct {
	name, email, country, org, orgType, lang string
}

// guestBook makes up registrants from the name book, deterministically,
// and keeps them so that some come back to later webinars.
type guestBook struct {
	rng       *rand.Rand
	countries []int           // name book indexes, repeated by weight
	seen      map[string]bool // addresses given out
	pool      []guest         // people who registered before
	inPool    map[string]bool
}

func newGuestBook(rng *rand.Rand) *guestBook {
	g := &guestBook{rng: rng, seen: map[string]bool{}, inPool: map[string]bool{}}
	for i, b := range nameBook {
		for range b.Weight {
			g.countries = append(g.countries, i)
		}
	}
	return g
}

var guestOrgs = map[string][]string{
	"ngo":               {"Community Health Alliance", "Mothers and Newborns Network", "Child Rights Coalition", "Save the Children", "Plan International"},
	"academia":          {"School of Public Health", "Faculty of Medicine", "Institute of Child Health"},
	"un_agency":         {"UNICEF", "WHO", "UNFPA", "UNDP"},
	"international_org": {"African Union Commission", "Pan American Health Organization", "Islamic Development Bank", "International Policy Centre for Inclusive Growth"},
	"donor":             {"Korea International Cooperation Agency", "Brazilian Cooperation Agency", "Thailand International Cooperation Agency"},
	"private_sector":    {"Health Supply Partners"},
	"media":             {"Health Reporters Network"},
	"other":             {"Independent consultant"},
}

// invent makes up a guest from a country of the name book.
func (g *guestBook) invent(book int) guest {
	b := nameBook[book]
	given := strings.Fields(b.Given)
	family := strings.Fields(b.Family)
	first, last := given[g.rng.IntN(len(given))], family[g.rng.IntN(len(family))]
	typ := "other"
	n := g.rng.IntN(100)
	for _, o := range orgTypeMix {
		if n < o.weight {
			typ = o.typ
			break
		}
		n -= o.weight
	}
	country := taxonomy.CountryName(b.Country, "en")
	org := ministries["en"]
	if m, ok := ministries[b.Lang]; ok {
		org = m
	}
	if list := guestOrgs[typ]; typ != "government" {
		org = list[g.rng.IntN(len(list))]
		if typ == "ngo" || typ == "academia" || typ == "un_agency" {
			org += ", " + country
		}
	}
	local := asciiFold(first) + "." + asciiFold(last)
	email := local + "@webmail." + strings.ToLower(b.Country) + ".example.org"
	for i := 2; g.seen[email]; i++ {
		email = fmt.Sprintf("%s%d@webmail.%s.example.org", local, i, strings.ToLower(b.Country))
	}
	g.seen[email] = true
	lang := b.Lang
	if lang != "fr" && lang != "es" && lang != "pt" {
		lang = "en"
	}
	return guest{name: first + " " + last, email: email, country: b.Country, org: org, orgType: typ, lang: lang}
}

// draw returns n different guests for one webinar: about a fifth come
// back from earlier webinars, the rest are new. The first webinar has
// someone from every country of the name book.
func (g *guestBook) draw(n int, first bool) []guest {
	var out []guest
	picked := map[string]bool{}
	if first {
		for i := range nameBook {
			out = append(out, g.invent(i))
		}
	}
	for len(out) < n {
		var x guest
		if len(g.pool) > 0 && g.rng.IntN(5) == 0 {
			x = g.pool[g.rng.IntN(len(g.pool))]
		} else {
			x = g.invent(g.countries[g.rng.IntN(len(g.countries))])
		}
		if picked[x.email] {
			continue
		}
		picked[x.email] = true
		out = append(out, x)
	}
	for _, x := range out {
		if !g.inPool[x.email] {
			g.inPool[x.email] = true
			g.pool = append(g.pool, x)
		}
	}
	return out
}

// loadEvents creates the model community's ten webinars with their raw
// records: registrations (guests, and members who later joined the
// community), the participants reports as Zoom and Teams export them,
// imported through the importer, and the survey responses. Every webinar
// is in the past, so nothing is mailed.
func loadEvents(ctx context.Context, tx *sqldb.Tx) error {
	model, err := community.NewStore(tx).BySlug(ctx, ModelSlug)
	if err != nil {
		return fmt.Errorf("demo events: %w", err)
	}
	isabel, err := account.NewStore(tx).UserByEmail(ctx, "isabel.monteiro@ipcig.example.org")
	if err != nil {
		return fmt.Errorf("demo events: %w", err)
	}
	members, err := memberJoins(ctx, tx, model.ID)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2021, 714))
	book := newGuestBook(rng)
	svc := &event.Service{DB: tx, BaseURL: "https://harambee.example", SiteName: "Harambee"}
	st := event.NewStore(tx)
	brasilia, _ := time.LoadLocation("America/Sao_Paulo")
	reached := map[string]bool{} // countries some attendee came from so far
	for i, w := range demoWebinars {
		day, _ := time.ParseInLocation("2006-01-02", w.day, brasilia)
		start := day.Add(9 * time.Hour)
		speakers := append([]event.Speaker{{Name: "Isabel Monteiro", Title: "Senior Project Officer", Organization: "International Policy Centre for Inclusive Growth",
			Country: "BR", Role: event.RoleModerator}}, w.speakers...)
		if hasModerator(w.speakers) {
			speakers = w.speakers
		}
		slug := strings.ToLower(strings.ReplaceAll(w.day, "-", ""))
		e, err := svc.Create(ctx, model.ID, event.Input{
			Title: w.title, Description: w.description, Language: "en", Kind: event.Webinar, Status: event.Published,
			StartsAt: start, EndsAt: start.Add(90 * time.Minute), TimeZone: "America/Sao_Paulo",
			Languages: []string{"en"}, Interpretation: interpretation(i), JoinURL: "https://zoom.example.org/j/8" + slug,
			Speakers: speakers, Materials: []event.Material{{Title: "Presentations (PDF)", URL: "https://ssc4c.example.org/webinars/" + slug + "/slides.pdf"}},
			Questions: []event.Question{{Key: "sector", Text: "Which sector do you work in?", Type: event.SingleChoice, Required: true,
				Options: []string{"Health", "Education", "Social protection", "Water and sanitation", "Other"}}},
		}, isabel)
		if err != nil {
			return fmt.Errorf("demo webinar %d: %w", i+1, err)
		}
		if err := st.SetRecording(ctx, e.ID, "https://video.example.org/ssc4c/"+slug, w.views); err != nil {
			return err
		}
		// Registrants: members who joined the community after this webinar
		// (it brought them), then guests.
		converts := membersJoiningAfter(members, start, 6+i%4)
		guests := book.draw(w.registrants-len(converts), i == 0)
		type registrant struct {
			guest
			member bool
		}
		var regs []registrant
		for _, m := range converts {
			regs = append(regs, registrant{guest: guest{name: m.Name, email: m.Email, country: m.Country, org: m.Organization, orgType: m.OrganizationType, lang: "en"}, member: true})
		}
		for _, g := range guests {
			regs = append(regs, registrant{guest: g})
		}
		sectors := []string{"Health", "Health", "Health", "Education", "Social protection", "Water and sanitation", "Other"}
		if strings.Contains(w.title, "sanitation") || strings.Contains(w.title, "Water") {
			sectors = []string{"Water and sanitation", "Water and sanitation", "Health", "Education", "Other"}
		}
		list := make([]event.NewRegistration, len(regs))
		for j, r := range regs {
			list[j] = event.NewRegistration{Name: r.name, Email: r.email, Country: r.country, Organization: r.org,
				OrganizationType: r.orgType, Language: r.lang, RegisteredAt: start.Add(-time.Duration(21*24-j*(21*24)/len(regs)) * time.Hour),
				Answers: map[string][]string{"sector": {sectors[rng.IntN(len(sectors))]}}}
		}
		if _, err := st.ImportRegistrations(ctx, e, list); err != nil {
			return fmt.Errorf("demo webinar %d registrations: %w", i+1, err)
		}
		// Who joined: every member who registered, one registrant of each
		// country not reached yet, then others at random; never anyone
		// from the countries that never joined.
		var joined []guest
		chosen := map[int]bool{}
		for j, r := range regs {
			if r.member {
				joined, chosen[j] = append(joined, r.guest), true
			}
		}
		for j, r := range regs {
			if len(joined) < w.attendees && !chosen[j] && !neverJoined[r.country] && !reached[r.country] {
				reached[r.country] = true
				joined, chosen[j] = append(joined, r.guest), true
			}
		}
		for len(joined) < w.attendees {
			j := rng.IntN(len(regs))
			if chosen[j] || neverJoined[regs[j].country] {
				continue
			}
			joined, chosen[j] = append(joined, regs[j].guest), true
		}
		report := participantsReport(rng, w.format, start, joined, w.walkIns, i)
		if _, err := st.ImportAttendance(ctx, e, report, "participants.csv", isabel.ID); err != nil {
			return fmt.Errorf("demo webinar %d attendance: %w", i+1, err)
		}
		if err := surveyResponses(ctx, tx, rng, e, w, joined, start); err != nil {
			return fmt.Errorf("demo webinar %d survey: %w", i+1, err)
		}
	}
	// One webinar to come, four weeks after the demo is loaded, so that
	// registration can be tried. It is created without reminders: the demo
	// schedules no work and sends no mail.
	day := time.Now().In(brasilia).AddDate(0, 0, 28)
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, brasilia)
	_, err = st.Create(ctx, model.ID, event.Input{
		Title: "Climate change and child health: South-South responses", Language: "en", Kind: event.Webinar, Status: event.Published,
		Description: "Heat waves, floods and new disease patterns threaten children first. Health ministries of Bangladesh, Mozambique and Fiji " +
			"present how they prepare facilities and surveillance, and what they learned from each other.",
		StartsAt: start, EndsAt: start.Add(90 * time.Minute), TimeZone: "America/Sao_Paulo", Languages: []string{"en"},
		Interpretation: []string{"fr", "es", "pt"}, JoinURL: "https://zoom.example.org/j/8climate", Capacity: 300,
		Speakers: []event.Speaker{{Name: "Farhana Rahman", Title: "WASH Specialist", Organization: "Department of Public Health Engineering", Country: "BD"},
			{Name: "Amélia Cossa", Title: "Neonatologista", Organization: "Hospital Central de Maputo", Country: "MZ"},
			{Name: "Litia Naivalu", Title: "Climate and Health Coordinator", Organization: "Ministry of Health and Medical Services", Country: "FJ"},
			{Name: "Isabel Monteiro", Title: "Senior Project Officer", Organization: "International Policy Centre for Inclusive Growth", Country: "BR", Role: event.RoleModerator}},
		Questions: []event.Question{{Key: "sector", Text: "Which sector do you work in?", Type: event.SingleChoice, Required: true,
			Options: []string{"Health", "Education", "Social protection", "Water and sanitation", "Other"}}},
	}, isabel)
	if err != nil {
		return fmt.Errorf("demo upcoming webinar: %w", err)
	}
	return nil
}

func hasModerator(list []event.Speaker) bool {
	for _, s := range list {
		if s.Role == event.RoleModerator {
			return true
		}
	}
	return false
}

// interpretation: from 2019 the webinars had French, Spanish and
// Portuguese interpretation; before, Portuguese only.
func interpretation(i int) []string {
	if i >= 3 {
		return []string{"fr", "es", "pt"}
	}
	return []string{"pt"}
}

// memberJoins returns the model community's members with when they joined,
// in order.
func memberJoins(ctx context.Context, tx *sqldb.Tx, communityID int64) ([]joinedMember, error) {
	rows, err := tx.Query(ctx, `SELECT u.id, m.joined_at FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.community_id = ? ORDER BY m.joined_at, u.id`, communityID)
	type idAt struct {
		id int64
		at time.Time
	}
	list, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (idAt, error) {
		var x idAt
		return x, r.Scan(&x.id, &x.at)
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, x := range list {
		ids[i] = x.id
	}
	users, err := account.NewStore(tx).UsersByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]account.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	out := make([]joinedMember, 0, len(list))
	for _, x := range list {
		out = append(out, joinedMember{User: byID[x.id], JoinedAt: x.at})
	}
	return out, nil
}

type joinedMember struct {
	account.User
	JoinedAt time.Time
}

// membersJoiningAfter picks up to n members who joined within three months
// after t, from countries whose people joined webinars.
func membersJoiningAfter(members []joinedMember, t time.Time, n int) []joinedMember {
	var out []joinedMember
	for _, m := range members {
		if len(out) == n {
			break
		}
		if m.JoinedAt.After(t.Add(24*time.Hour)) && m.JoinedAt.Before(t.AddDate(0, 3, 0)) && inNameBook(m.Country) && !neverJoined[m.Country] {
			out = append(out, m)
		}
	}
	return out
}

func inNameBook(cc string) bool {
	for _, b := range nameBook {
		if b.Country == cc {
			return true
		}
	}
	return false
}

// participantsReport writes who joined as the meeting service exported
// it: Zoom's participants CSV (in Brasília time) or the Teams attendance
// report (UTF-16, tab-separated, in sections). About one in eight left
// and joined again; walk-ins who did not register come on top.
func participantsReport(rng *rand.Rand, format string, start time.Time, joined []guest, walkIns, seed int) []byte {
	type row struct {
		name, email string
		in, out     time.Time
	}
	var rows []row
	end := start.Add(90 * time.Minute)
	for _, g := range joined {
		in := start.Add(time.Duration(rng.IntN(12)-3) * time.Minute).Add(time.Duration(rng.IntN(60)) * time.Second)
		stay := time.Duration(45+rng.IntN(50)) * time.Minute
		out := in.Add(stay)
		if last := end.Add(time.Duration(rng.IntN(5)) * time.Minute); out.After(last) {
			out = last
		}
		if rng.IntN(8) == 0 && out.Sub(in) > 30*time.Minute {
			// Left and came back: two sessions.
			gap := in.Add(out.Sub(in) / 2)
			rows = append(rows, row{g.name, g.email, in, gap}, row{g.name, g.email, gap.Add(time.Duration(1+rng.IntN(6)) * time.Minute), out})
			continue
		}
		rows = append(rows, row{g.name, g.email, in, out})
	}
	for k := range walkIns {
		in := start.Add(time.Duration(5+rng.IntN(30)) * time.Minute)
		email := ""
		if k%2 == 0 {
			email = fmt.Sprintf("guest%d.%d@walkin.example.org", seed, k)
		}
		rows = append(rows, row{fmt.Sprintf("Guest %d-%d", seed+1, k+1), email, in, in.Add(time.Duration(15+rng.IntN(50)) * time.Minute)})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].in.Before(rows[j].in) })
	brasilia, _ := time.LoadLocation("America/Sao_Paulo")
	var b strings.Builder
	if format == event.FormatTeams {
		teams := func(t time.Time) string { return t.In(brasilia).Format("1/2/06, 3:04:05 PM") }
		fmt.Fprintf(&b, "1. Summary\r\nMeeting title\tWebinar\r\nAttended participants\t%d\r\nStart time\t%s\r\nEnd time\t%s\r\n\r\n", len(rows), teams(start), teams(end))
		b.WriteString("2. Participants\r\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\r\n")
		type summary struct {
			first, last time.Time
			total       time.Duration
		}
		byPerson, order := map[string]*summary{}, []row{}
		for _, r := range rows {
			k := r.name + "\x00" + r.email
			if s, ok := byPerson[k]; ok {
				s.last, s.total = r.out, s.total+r.out.Sub(r.in)
				continue
			}
			byPerson[k] = &summary{r.in, r.out, r.out.Sub(r.in)}
			order = append(order, r)
		}
		for _, r := range order {
			s := byPerson[r.name+"\x00"+r.email]
			fmt.Fprintf(&b, "%s\t%s\t%s\t%dm %ds\t%s\t%s\tAttendee\r\n", r.name, teams(s.first), teams(s.last), int(s.total.Minutes()), int(s.total.Seconds())%60, r.email, r.email)
		}
		b.WriteString("\r\n")
		b.WriteString("3. In-Meeting Activities\r\nName\tJoin Time\tLeave Time\tDuration\tEmail\tRole\r\n")
		for _, r := range rows {
			d := r.out.Sub(r.in)
			fmt.Fprintf(&b, "%s\t%s\t%s\t%dm %ds\t%s\tAttendee\r\n", r.name, teams(r.in), teams(r.out), int(d.Minutes()), int(d.Seconds())%60, r.email)
		}
		data, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(b.String()))
		return data
	}
	w := csv.NewWriter(&b)
	w.Write([]string{"Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"})
	zoom := func(t time.Time) string { return t.In(brasilia).Format("01/02/2006 03:04:05 PM") }
	for _, r := range rows {
		w.Write([]string{r.name, r.email, zoom(r.in), zoom(r.out), fmt.Sprint(int(r.out.Sub(r.in).Minutes() + 0.5)), "Yes"})
	}
	w.Flush()
	return []byte(b.String())
}

var demoComments = []string{
	"Very practical examples; I will share the slides with my team.",
	"Please run a follow-up session on financing.",
	"The interpretation into French made it possible for our whole unit to follow.",
	"More time for questions next time, please.",
	"Hearing from a country with a context like ours was the most useful part.",
	"Could the community connect us with the Brazilian team for a study visit?",
}

// surveyResponses answers the standard survey for w.responses attendees,
// a few days after the webinar; exactly w.relevant of them agree it was
// relevant and w.clear that it was clear and well structured.
func surveyResponses(ctx context.Context, tx *sqldb.Tx, rng *rand.Rand, e event.Event, w demoWebinar, joined []guest, start time.Time) error {
	surveys := survey.NewStore(tx)
	sv, err := surveys.Save(ctx, e.ID, survey.Template("en"))
	if err != nil {
		return err
	}
	agreeing := func(n, agree int) []string {
		out := make([]string, n)
		for i := range out {
			switch {
			case i < agree && rng.IntN(10) < 6:
				out[i] = "5"
			case i < agree:
				out[i] = "4"
			default:
				out[i] = []string{"3", "3", "2", "1"}[rng.IntN(4)]
			}
		}
		rng.Shuffle(n, func(a, b int) { out[a], out[b] = out[b], out[a] })
		return out
	}
	relevant, clear := agreeing(w.responses, w.relevant), agreeing(w.responses, w.clear)
	useful, apply := agreeing(w.responses, w.relevant-2), agreeing(w.responses, w.relevant-4)
	respondents := rng.Perm(len(joined))[:w.responses]
	for k, idx := range respondents {
		answers := map[string][]string{"relevant": {relevant[k]}, "clear": {clear[k]}, "useful": {useful[k]}, "apply": {apply[k]}}
		if rng.IntN(4) == 0 {
			answers["comments"] = []string{demoComments[rng.IntN(len(demoComments))]}
		}
		if _, err := surveys.Submit(ctx, sv, survey.Submission{Answers: answers, Email: joined[idx].email, Source: survey.SourceManager,
			SubmittedAt: start.Add(time.Duration(2+rng.IntN(120)) * time.Hour)}); err != nil {
			return err
		}
	}
	return nil
}
