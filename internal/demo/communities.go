package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

// ModelSlug is the model community: South-South Cooperation for Children.
const ModelSlug = "ssc4c"

// The model community's history: created in February 2018, 191 members on
// 31 October 2021 after about four new members a month (and a few who left).
var (
	modelStart   = time.Date(2018, 2, 1, 10, 0, 0, 0, time.UTC)
	modelEnd     = time.Date(2021, 10, 29, 16, 0, 0, 0, time.UTC)
	ModelMembers = 191
)

func init() { loaders = append(loaders, loadCommunities) }

// loadCommunities creates the model community with its 191 members and
// three smaller communities on other goals.
func loadCommunities(ctx context.Context, tx *sqldb.Tx) error {
	accounts := account.NewStore(tx)
	byEmail := func(email string) (account.User, error) { return accounts.UserByEmail(ctx, email) }
	isabel, err := byEmail("isabel.monteiro@ipcig.example.org")
	if err != nil {
		return err
	}
	thomas, err := byEmail("thomas.becker@unicef.example.org")
	if err != nil {
		return err
	}
	st := community.NewStore(tx)
	model, err := st.Create(ctx, community.Input{
		Slug: ModelSlug, Name: "South-South Cooperation for Children", Language: "en",
		Description: "A global community of practice where practitioners from ministries, NGOs, universities and UN agencies share " +
			"solutions, good practices and lessons learned on **South-South and triangular cooperation for children**.\n\n" +
			"Run jointly by UNICEF and the International Policy Centre for Inclusive Growth (IPC-IG) since 2018, it focuses on " +
			"primary health care; reproductive, maternal, newborn and child health; the elimination of mother-to-child transmission " +
			"of HIV and syphilis; universal health coverage; and health systems strengthening.\n\n" +
			"Members meet in thematic webinars, ask each other for experience, and build a library of policy briefs, toolkits and evaluations.",
		Visibility: community.Public, JoinPolicy: community.Open, PrimarySDG: 3, SecondarySDGs: []int{17},
		Targets: []string{"3.1", "3.2", "3.3", "3.8"},
		FocusAreas: []string{"Primary health care", "Reproductive, maternal, newborn and child health",
			"Elimination of mother-to-child transmission of HIV and syphilis", "Universal health coverage", "Health systems strengthening"},
		CreatedAt: modelStart,
	}, isabel)
	if err != nil {
		return fmt.Errorf("model community: %w", err)
	}

	rng := rand.New(rand.NewPCG(2018, 191))
	gen := newPeopleGenerator(rng, accounts)

	// Members in the order they joined: the hand-made demo people first
	// among them, spread over the years with everyone generated.
	var existing []account.User
	for _, p := range people {
		if p.OrgType == "private_sector" || p.OrgType == "media" {
			continue
		}
		u, err := byEmail(p.Email)
		if err != nil {
			return err
		}
		if u.ID != isabel.ID {
			existing = append(existing, u)
		}
	}
	const leavers = 6
	// Isabel joined on creation, six left, and one of them came back.
	total := ModelMembers - 1 + leavers - 1
	joiners := make([]account.User, 0, total)
	joiners = append(joiners, thomas)
	for _, u := range existing {
		if u.ID != thomas.ID {
			joiners = append(joiners, u)
		}
	}
	for len(joiners) < total {
		u, err := gen.next(ctx, modelStart.Add(modelEnd.Sub(modelStart)/time.Duration(total)*time.Duration(len(joiners))))
		if err != nil {
			return err
		}
		joiners = append(joiners, u)
	}
	// Shuffle all but Thomas so the hand-made people join at various times.
	rest := joiners[1:]
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	handMade := map[int64]bool{}
	for _, u := range existing {
		handMade[u.ID] = true
	}
	// Those who leave are made-up members, so that everyone the demo's
	// discussions and webinars name is still a member.
	leaves := func(i int) bool { return i%33 == 17 && len(joiners)-i > 10 && !handMade[joiners[i].ID] }
	span := modelEnd.Sub(modelStart)
	for i, u := range joiners {
		at := modelStart.Add(span/time.Duration(total+1)*time.Duration(i+1) + time.Duration(rng.IntN(48))*time.Hour)
		role := community.RoleMember
		switch {
		case i == 0:
			role = community.RoleManager
		case i == 3 || i == 40:
			role = community.RoleModerator
		}
		nm := community.NewMember{UserID: u.ID, Role: role, JoinedAt: at}
		// A few members left again; one of them came back later.
		if leaves(i) {
			nm.LeftAt = at.Add(time.Duration(60+rng.IntN(200)) * 24 * time.Hour)
			if nm.LeftAt.After(modelEnd) {
				nm.LeftAt = modelEnd.Add(-24 * time.Hour)
			}
		}
		if _, _, err := st.AddMember(ctx, model, nm, isabel); err != nil {
			return fmt.Errorf("model community member %d: %w", i, err)
		}
	}
	// The one who came back.
	for i, u := range joiners {
		if leaves(i) {
			if _, _, err := st.AddMember(ctx, model, community.NewMember{UserID: u.ID, JoinedAt: time.Date(2021, 6, 14, 9, 0, 0, 0, time.UTC)}, isabel); err != nil {
				return fmt.Errorf("model community returning member: %w", err)
			}
			break
		}
	}

	if err := loadSmallCommunities(ctx, tx, rng, joiners, gen); err != nil {
		return err
	}
	return nil
}

// loadSmallCommunities adds three smaller communities, one of each
// visibility, with members drawn from the same people.
func loadSmallCommunities(ctx context.Context, tx *sqldb.Tx, rng *rand.Rand, pool []account.User, gen *peopleGenerator) error {
	accounts := account.NewStore(tx)
	st := community.NewStore(tx)
	smalls := []struct {
		creator string
		in      community.Input
		members int
	}{
		{"grace.wanjiru@amref.example.org", community.Input{
			Slug: "wash-in-schools", Name: "Water, Sanitation and Hygiene in Schools", Language: "en",
			Description: "Practitioners who bring safe water, toilets and handwashing to schools compare designs, costs and how to keep facilities working.",
			Visibility:  community.Members, JoinPolicy: community.Request, PrimarySDG: 6, SecondarySDGs: []int{3, 4},
			Targets: []string{"6.1", "6.2", "4.a"}, FocusAreas: []string{"School sanitation", "Menstrual hygiene", "Operation and maintenance"},
			CreatedAt: time.Date(2019, 5, 6, 9, 0, 0, 0, time.UTC),
		}, 42},
		{"carlos.rojas@minsalud.example.org", community.Input{
			Slug: "proteccion-social-infancia", Name: "Protección social para la infancia", Language: "es",
			Description: "Comunidad de práctica sobre transferencias monetarias, registros sociales y sistemas de protección social sensibles a la niñez en América Latina y más allá.",
			Visibility:  community.Public, JoinPolicy: community.Open, PrimarySDG: 1, SecondarySDGs: []int{10, 17},
			Targets: []string{"1.3", "10.4"}, FocusAreas: []string{"Transferencias monetarias", "Registros sociales", "Protección social"},
			CreatedAt: time.Date(2020, 1, 20, 14, 0, 0, 0, time.UTC),
		}, 36},
		{"somchai.prasert@moph.example.org", community.Input{
			Slug: "climate-health", Name: "Climate-resilient health systems", Language: "en",
			Description: "A working group of ministries preparing health facilities and surveillance for heat, floods and climate-sensitive diseases.",
			Visibility:  community.Private, JoinPolicy: community.Invite, PrimarySDG: 13, SecondarySDGs: []int{3},
			Targets: []string{"13.1", "3.d"}, FocusAreas: []string{"Heat and health", "Resilient facilities", "Early warning"},
			CreatedAt: time.Date(2021, 3, 8, 8, 0, 0, 0, time.UTC),
		}, 12},
	}
	for _, sm := range smalls {
		creator, err := accounts.UserByEmail(ctx, sm.creator)
		if err != nil {
			return err
		}
		c, err := st.Create(ctx, sm.in, creator)
		if err != nil {
			return fmt.Errorf("community %s: %w", sm.in.Slug, err)
		}
		picked := map[int64]bool{creator.ID: true}
		span := time.Date(2021, 10, 28, 0, 0, 0, 0, time.UTC).Sub(sm.in.CreatedAt)
		for n := 1; n < sm.members; {
			u := pool[rng.IntN(len(pool))]
			if picked[u.ID] {
				continue
			}
			picked[u.ID] = true
			at := sm.in.CreatedAt.Add(span / time.Duration(sm.members) * time.Duration(n))
			if _, _, err := st.AddMember(ctx, c, community.NewMember{UserID: u.ID, JoinedAt: at}, creator); err != nil {
				return fmt.Errorf("community %s member: %w", sm.in.Slug, err)
			}
			n++
		}
		if sm.in.JoinPolicy == community.Request {
			// Two people wait for the manager, so the manage tab has
			// something to decide.
			for n := 0; n < 2; {
				u := pool[rng.IntN(len(pool))]
				if picked[u.ID] {
					continue
				}
				picked[u.ID] = true
				if _, err := st.CreateRequest(ctx, c, u, "I work on school health in my country and would like to learn from your experience."); err != nil {
					return fmt.Errorf("community %s request: %w", sm.in.Slug, err)
				}
				n++
			}
		}
	}
	return nil
}

// peopleGenerator makes up members from the name book, with profiles that
// fit their country and organisation.
type peopleGenerator struct {
	rng       *rand.Rand
	accounts  *account.Store
	countries []int // name book indexes, repeated by weight
	seen      map[string]int
}

func newPeopleGenerator(rng *rand.Rand, accounts *account.Store) *peopleGenerator {
	g := &peopleGenerator{rng: rng, accounts: accounts, seen: map[string]int{}}
	for i, b := range nameBook {
		for range b.Weight {
			g.countries = append(g.countries, i)
		}
	}
	return g
}

var orgTypeMix = []struct {
	typ    string
	weight int
}{
	{"government", 46}, {"ngo", 15}, {"academia", 12}, {"un_agency", 12}, {"international_org", 6},
	{"donor", 4}, {"private_sector", 1}, {"media", 1}, {"other", 3},
}

var expertisePool = []string{
	"maternal health", "newborn care", "immunization", "EMTCT", "primary health care", "health financing",
	"community health workers", "nutrition", "adolescent health", "universal health coverage",
	"health information systems", "WASH", "child protection", "social protection", "monitoring and evaluation",
	"South-South cooperation", "mental health", "COVID-19 response", "supply chain", "quality of care",
}

var positions = map[string][]string{
	"en": {"Director of Family Health", "Programme Officer, Maternal Health", "Head of Primary Health Care", "Technical Adviser", "National EMTCT Coordinator", "Health Planner", "Child Health Specialist", "Monitoring and Evaluation Officer"},
	"fr": {"Directeur de la Santé familiale", "Chargée de programme, santé maternelle", "Chef du service des soins de santé primaires", "Conseiller technique", "Coordonnatrice nationale PTME", "Planificateur sanitaire", "Spécialiste de la santé de l'enfant", "Responsable suivi-évaluation"},
	"es": {"Director de Salud Familiar", "Oficial de Programa, Salud Materna", "Jefa de Atención Primaria", "Asesor Técnico", "Coordinadora Nacional ETMI", "Planificador en Salud", "Especialista en Salud Infantil", "Responsable de Monitoreo y Evaluación"},
	"pt": {"Diretor de Saúde da Família", "Oficial de Programa, Saúde Materna", "Chefe de Atenção Primária", "Assessor Técnico", "Coordenadora Nacional de PTV", "Planificador de Saúde", "Especialista em Saúde Infantil", "Responsável de Monitoria e Avaliação"},
}

var ministries = map[string]string{"en": "Ministry of Health", "fr": "Ministère de la Santé", "es": "Ministerio de Salud", "pt": "Ministério da Saúde"}

var ngoNames = []string{"Community Health Alliance", "Mothers and Newborns Network", "Child Rights Coalition", "Action for Adolescent Health", "Partners in Primary Care", "Health Equity Initiative"}

func (g *peopleGenerator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *peopleGenerator) orgType() string {
	n := g.rng.IntN(100)
	for _, o := range orgTypeMix {
		if n < o.weight {
			return o.typ
		}
		n -= o.weight
	}
	return "other"
}

// next makes up one member, created at the given time.
func (g *peopleGenerator) next(ctx context.Context, created time.Time) (account.User, error) {
	b := nameBook[g.countries[g.rng.IntN(len(g.countries))]]
	given, family := g.pick(strings.Fields(b.Given)), g.pick(strings.Fields(b.Family))
	country := taxonomy.CountryName(b.Country, "en")
	typ := g.orgType()
	posLang := b.Lang
	if _, ok := positions[posLang]; !ok {
		posLang = "en"
	}
	var org, domain string
	switch typ {
	case "government":
		org = ministries[posLang]
		if org == "" {
			org = ministries["en"]
		}
		domain = "health.gov"
	case "ngo":
		org, domain = g.pick(ngoNames)+" "+country, "ngo"
	case "academia":
		org, domain = "School of Public Health, University of "+country, "university"
	case "un_agency":
		org = g.pick([]string{"UNICEF ", "WHO Country Office, ", "UNFPA "}) + country
		domain = "un"
	case "international_org":
		org, domain = g.pick([]string{"International Policy Centre for Inclusive Growth", "African Union Commission", "Pan American Health Organization", "Islamic Development Bank"}), "intl"
	case "donor":
		org, domain = g.pick([]string{"Korea International Cooperation Agency", "Brazilian Cooperation Agency", "Mexican Agency for International Development Cooperation", "Thailand International Cooperation Agency"}), "cooperation"
	case "private_sector":
		org, domain = "Health Supply Partners", "company"
	case "media":
		org, domain = "Health Reporters Network", "press"
	default:
		org, domain = "Independent consultant", "mail"
	}
	email := asciiFold(given) + "." + asciiFold(family)
	if n := g.seen[email]; n > 0 {
		g.seen[email] = n + 1
		email = fmt.Sprintf("%s%d", email, n+1)
	} else {
		g.seen[email] = 1
	}
	email += "@" + domain + "." + strings.ToLower(b.Country) + ".example.org"
	langs := []string{b.Lang}
	if b.Lang != "en" {
		langs = append(langs, "en")
	}
	if g.rng.IntN(4) == 0 {
		langs = append(langs, g.pick([]string{"fr", "es", "pt"}))
	}
	var tags []string
	for len(tags) < 2+g.rng.IntN(2) {
		t := g.pick(expertisePool)
		dup := false
		for _, x := range tags {
			dup = dup || x == t
		}
		if !dup {
			tags = append(tags, t)
		}
	}
	vis := account.VisibilityPublic
	switch n := g.rng.IntN(20); {
	case n == 0:
		vis = account.VisibilityPrivate
	case n < 6:
		vis = account.VisibilityMembers
	}
	ui := ""
	if b.Lang == "fr" || b.Lang == "es" || b.Lang == "pt" {
		ui = b.Lang
	}
	tz := ""
	if zones := taxonomy.CountryTimeZones(b.Country); len(zones) > 0 {
		tz = zones[0]
	}
	return g.accounts.CreateUser(ctx, account.NewUser{
		Email: email, PasswordHash: sharedHash, Verified: true, CreatedAt: created,
		Profile: account.Profile{
			Name: given + " " + family, Country: b.Country, Organization: org, OrganizationType: typ,
			Position: g.pick(positions[posLang]), Languages: langs, Expertise: tags, Visibility: vis, Language: ui, TimeZone: tz,
		},
	})
}

var foldAccents = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// asciiFold turns a name into the local part of a made-up address:
// "Aïssata N'Guessan" -> "aissata" and "nguessan".
func asciiFold(s string) string {
	out, _, _ := transform.String(foldAccents, strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r == ' ' || r == '-' {
			return '-'
		}
		return -1
	}, out)
}
