package demo

import (
	"context"
	"fmt"

	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

func init() { loaders = append(loaders, loadSolutions) }

// demoSolution is a record of the demo catalogue, written short.
type demoSolution struct {
	title, tagline, challenge, solution, results string
	lessons, replicability                       string
	countries                                    []string // nil: global
	triangular                                   bool
	sdgs                                         []int // primary first
	targets                                      []string
	completed                                    bool
	start, end                                   string
	supporters, implementers                     []string
	contacts                                     []solution.RecordContact
	lang                                         string
	communities                                  []string
	url                                          string
	updated                                      string // RFC 3339: a record nobody has updated since
}

// role is a contact known by role only.
func role(title, org string) solution.RecordContact {
	return solution.RecordContact{Title: title, Organization: org}
}

// loadSolutions builds the demo catalogue through the import, as an editor
// would: the model community's own record, the records a catalogue lists
// next to it, and records across every region and goal, a third of them on
// health (SDG 3), in English, French, Spanish and Portuguese. Links to
// communities that the demo does not have are left out.
func loadSolutions(ctx context.Context, tx *sqldb.Tx) error {
	known := map[string]bool{}
	rows, err := tx.Query(ctx, "SELECT slug FROM communities")
	if err != nil {
		return fmt.Errorf("demo solutions: %w", err)
	}
	for rows.Next() {
		var slug string
		if err := rows.Scan(&slug); err != nil {
			rows.Close()
			return err
		}
		known[slug] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	records := make([]solution.Record, len(demoSolutions))
	for i, d := range demoSolutions {
		r := solution.Record{
			Title: d.title, Tagline: d.tagline, Challenge: d.challenge, Solution: d.solution, Results: d.results,
			Lessons: d.lessons, Replicability: d.replicability,
			Countries: d.countries, Global: d.countries == nil, Modality: solution.ModalitySouthSouth,
			PrimarySDG: d.sdgs[0], SecondarySDGs: d.sdgs[1:], SDGTargets: d.targets, Status: solution.StatusOngoing,
			StartDate: d.start, EndDate: d.end, SupportedBy: d.supporters, ImplementingEntities: d.implementers,
			Contacts: d.contacts, Language: d.lang, URL: d.url, UpdatedAt: d.updated,
		}
		if d.triangular {
			r.Modality = solution.ModalityTriangular
		}
		if d.completed {
			r.Status = solution.StatusCompleted
		}
		if r.Language == "" {
			r.Language = "en"
		}
		for _, c := range d.communities {
			if known[c] {
				r.Communities = append(r.Communities, c)
			}
		}
		records[i] = r
	}
	if _, err := solution.NewStore(tx).Import(ctx, solution.Editor{Via: solution.ViaDemo}, records); err != nil {
		return fmt.Errorf("demo solutions: %w", err)
	}
	return nil
}

var (
	unicef        = "United Nations Children's Fund (UNICEF)"
	ipcig         = "International Policy Center for Inclusive Growth (IPC-IG)"
	who           = "World Health Organization (WHO)"
	unfpa         = "United Nations Population Fund (UNFPA)"
	undp          = "United Nations Development Programme (UNDP)"
	unossc        = "United Nations Office for South-South Cooperation (UNOSSC)"
	fao           = "Food and Agriculture Organization of the United Nations (FAO)"
	wfp           = "World Food Programme (WFP)"
	ifad          = "International Fund for Agricultural Development (IFAD)"
	paho          = "Pan American Health Organization (PAHO)"
	abc           = "Brazilian Cooperation Agency (ABC)"
	fiocruz       = "Oswaldo Cruz Foundation (Fiocruz)"
	tica          = "Thailand International Cooperation Agency (TICA)"
	apc           = "Presidential Agency for International Cooperation of Colombia (APC-Colombia)"
	amexcid       = "Mexican Agency for International Development Cooperation (AMEXCID)"
	agcid         = "Chilean Agency for International Development Cooperation (AGCID)"
	tika          = "Turkish Cooperation and Coordination Agency (TİKA)"
	koica         = "Korea International Cooperation Agency (KOICA)"
	jica          = "Japan International Cooperation Agency (JICA)"
	giz           = "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)"
	isdb          = "Islamic Development Bank (IsDB)"
	moroccoAgency = "Moroccan Agency for International Cooperation (AMCI)"
)

// demoSolutions is the catalogue. Its first six records are the model
// community's own and those a catalogue lists next to it.
var demoSolutions = []demoSolution{
	{
		title:   "Community of Practice on South-South Cooperation for Children",
		tagline: "Global online communities of practice to promote South-South and Triangular Cooperation for health outcomes",
		challenge: "Ministries, NGOs, universities and UN agencies in many countries work on the same health problems for children — " +
			"primary health care; reproductive, maternal, newborn and child health; the elimination of mother-to-child transmission " +
			"of HIV and syphilis; universal health coverage — but practitioners rarely hear of each other's solutions. What one " +
			"country learned the hard way stays in a report another country never reads, and exchanges depend on the few people " +
			"who happen to meet at conferences.",
		solution: "A global online **community of practice**, run jointly by UNICEF and the International Policy Center for Inclusive " +
			"Growth since 2018, where government officials, policymakers, experts, civil society and UN staff:\n\n" +
			"* share solutions, good practices and lessons learned on a knowledge-sharing platform;\n" +
			"* meet in thematic webinars in several languages, with recordings and materials for those on slow connections;\n" +
			"* ask each other for experience, and are put in touch with peers who solved the same problem;\n" +
			"* answer post-webinar surveys, so that each webinar improves on the last.",
		results: "In its first years: 191 members (about four new members a month) and 6,800 page views; 10 thematic webinars with more " +
			"than 2,300 registrants and 1,200 attendees from 57 countries, and 1,400 views of the recordings. In post-webinar surveys, " +
			"93% agreed the webinar was relevant to their work and 97% found it clear and well structured.",
		lessons: "Webinars draw people in; the community keeps them when members answer each other's questions between webinars. " +
			"Recordings and short summaries matter as much as the live session for members on expensive connections.",
		replicability: "Needs a host institution with convening power, a facilitator's time each week, and partners in the countries " +
			"to suggest speakers. The format travels to any theme where practitioners in several countries face the same problem.",
		sdgs: []int{3, 17}, targets: []string{"3.1", "3.2", "3.3", "3.8", "17.9"}, triangular: true, start: "2018-02",
		supporters: []string{unicef, ipcig}, implementers: []string{unicef, ipcig},
		contacts:    []solution.RecordContact{role("Senior Project Officer", "IPC-IG"), role("Programme Manager", "UNICEF"), role("Programme Officer", "UNICEF")},
		communities: []string{ModelSlug}, url: "https://ssc4c.example.org/",
	},
	{
		title:   "A Billion Brains: Smarter Children, Healthier Economies",
		tagline: "High Level Meeting on South-South Cooperation for Child Rights",
		challenge: "Investment in early childhood development pays back many times over, yet ministers of finance and planning in " +
			"developing countries seldom hear the evidence from peers who have made the investment.",
		solution: "A high-level meeting where ministers and senior officials from countries of Asia, Africa and Latin America " +
			"presented how they financed early childhood programmes, and agreed on South-South exchanges to follow up.",
		results: "Ministers and officials from 30 countries took part; the declaration adopted at the meeting set out commitments " +
			"on child rights and on peer exchanges between the participating governments.",
		sdgs: []int{17}, targets: []string{"17.9"}, completed: true, start: "2017-06", end: "2017-12",
		supporters: []string{unicef}, implementers: []string{unicef, unossc},
		contacts: []solution.RecordContact{role("Programme Manager, South-South Cooperation", "UNICEF")},
	},
	{
		title:   "ACP Business-friendly",
		tagline: "Supporting business-friendly and inclusive national and regional policies, and strengthening productive capabilities and value chains",
		challenge: "Small and medium enterprises in African, Caribbean and Pacific countries struggle with unpredictable regulations, " +
			"weak business support services and limited access to regional value chains.",
		solution: "A programme that helps governments and regional economic communities reform business regulations through " +
			"peer learning between ACP countries, and supports value-chain development in selected sectors with matching grants " +
			"and technical assistance.",
		results: "Regulatory reforms under way in more than 20 countries; value-chain support in agro-processing, tourism and light manufacturing.",
		sdgs:    []int{8, 17}, targets: []string{"8.2", "8.3", "17.11"}, triangular: true, start: "2020-01",
		supporters: []string{"European Union", "Organisation of African, Caribbean and Pacific States (OACPS)"},
		implementers: []string{"International Trade Centre (ITC)", "United Nations Conference on Trade and Development (UNCTAD)",
			"United Nations Industrial Development Organization (UNIDO)", "World Bank Group"},
		contacts: []solution.RecordContact{role("Programme Coordinator", "OACPS")},
	},
	{
		title:   "Adaptation for Smallholder Agriculture Programme",
		tagline: "Better working conditions for smallholder farmers through good practices and new technologies",
		challenge: "Smallholder farmers produce much of the food eaten in developing countries and are the first to lose harvests " +
			"to droughts, floods and shifting seasons, with little access to the technologies that would protect them.",
		solution: "A programme that channels climate finance into smallholder agriculture projects: climate-resilient seeds, water " +
			"harvesting, weather information by text message, and exchanges between farmer organisations of different countries " +
			"facing the same climate risks.",
		results: "Several million smallholder farmers reached in more than 40 countries; farmer-to-farmer exchanges between Africa, Asia and Latin America.",
		sdgs:    []int{13, 8, 11, 15}, targets: []string{"13.1", "15.3"}, start: "2012-09",
		supporters: []string{ifad}, implementers: []string{ifad, "National agricultural ministries"},
		contacts: []solution.RecordContact{role("Lead Climate Specialist", "IFAD")},
	},
	{
		title:   "Addressing the Philippine Dairy Sector Challenges",
		tagline: "Knowledge exchange between Argentina and the Philippines to improve local dairy production",
		challenge: "The Philippines imports almost all the milk it consumes; local dairy farms are small, with low yields and little " +
			"access to feed, breeding and cold-chain know-how.",
		solution: "Argentine dairy experts train Philippine technicians and farmers in pasture management, animal nutrition, " +
			"artificial insemination and milk quality, and Philippine technicians visit Argentine cooperatives.",
		results:   "Technicians trained in three regions; pilot farms reported higher milk yields per cow within two years.",
		countries: []string{"AR", "PH"}, sdgs: []int{8, 17}, targets: []string{"8.2", "17.9"}, start: "2019-03",
		supporters: []string{"Argentine Fund for International Cooperation (FO.AR)"}, implementers: []string{"National Dairy Authority of the Philippines", "Instituto Nacional de Tecnología Agropecuaria (INTA)"},
		contacts: []solution.RecordContact{role("Cooperation Officer", "FO.AR")},
	},
	{
		title:   "Addressing the Transboundary Dimensions of the 2030 Agenda through Regional Economic Cooperation and Integration in Asia and the Pacific",
		tagline: "Co-deployment of ICT and transport infrastructure corridors in Central Asia",
		challenge: "Landlocked Central Asian countries pay high costs for international connectivity; fibre-optic cables and roads " +
			"are built separately, each with its own excavation and permits.",
		solution: "Studies and policy dialogue that helped governments plan the co-deployment of fibre-optic cables along road and " +
			"railway corridors, with model agreements for cross-border infrastructure sharing.",
		results:   "Feasibility studies for corridors across five countries and a regional policy framework adopted by participating governments.",
		countries: []string{"KZ", "KG", "TJ", "TM", "UZ"}, sdgs: []int{9, 13, 17}, targets: []string{"9.1", "9.c", "17.6"},
		completed: true, start: "2017-01", end: "2020-12",
		supporters: []string{"United Nations Development Account"}, implementers: []string{"Economic and Social Commission for Asia and the Pacific (ESCAP)"},
		contacts: []solution.RecordContact{role("Economic Affairs Officer", "ESCAP")},
	},

	// Health (SDG 3).
	{
		title: "Rede Global de Bancos de Leite Humano", tagline: "Bancos de leite humano para recém-nascidos prematuros e de baixo peso",
		challenge: "Recém-nascidos prematuros e de baixo peso morrem de infecções e desnutrição quando não recebem leite humano, e muitas mães não conseguem amamentar nas primeiras semanas.",
		solution:  "Bancos de leite humano coletam, pasteurizam e distribuem leite doado a UTIs neonatais, com controle de qualidade de baixo custo desenvolvido no Brasil e transferido a outros países por meio de cooperação técnica.",
		results:   "Mais de 200 bancos de leite no Brasil e uma rede que se estende a mais de 20 países da América Latina, da África e da Europa.",
		countries: []string{"BR", "MZ", "AO", "CV", "CO", "UY"}, sdgs: []int{3, 2, 17}, targets: []string{"3.2", "2.2"}, start: "2015-06", triangular: true,
		supporters: []string{abc, unicef}, implementers: []string{fiocruz, "Ministérios da Saúde dos países parceiros"},
		contacts: []solution.RecordContact{{Name: "Coordenação da rBLH", Title: "Coordenadora", Organization: "Fiocruz", Email: "rblh@fiocruz.example.org"}},
		lang:     "pt", communities: []string{ModelSlug}, url: "https://rblh.example.org/",
	},
	{
		title: "Eliminating mother-to-child transmission of HIV and syphilis: Thailand shares its validation experience", tagline: "Peer support for countries preparing their EMTCT validation dossier",
		challenge: "Countries close to eliminating mother-to-child transmission of HIV and syphilis find the validation process demanding: data quality, laboratory systems and human rights assessments must all meet global criteria.",
		solution:  "Thai programme managers who led the first validation in Asia coach peers through mock assessments, data reviews and site visits to antenatal clinics and laboratories.",
		results:   "Four countries in Asia and the Pacific prepared dossiers with Thai support; two were validated.",
		countries: []string{"TH", "MY", "LK", "MN"}, sdgs: []int{3, 17}, targets: []string{"3.3", "3.1"}, start: "2017-03", triangular: true,
		supporters: []string{tica, unicef, who}, implementers: []string{"Department of Health, Ministry of Public Health of Thailand"},
		contacts: []solution.RecordContact{role("Medical Officer", "Ministry of Public Health, Thailand")}, communities: []string{ModelSlug},
	},
	{
		title: "Cuba–Caribbean exchange on eliminating congenital syphilis", tagline: "Antenatal screening and same-day treatment learned from the first country validated",
		challenge: "Congenital syphilis still causes stillbirths and newborn deaths in the Caribbean, although testing and treatment cost little.",
		solution:  "Cuban specialists advise health ministries on universal antenatal screening, same-day penicillin treatment, partner notification and surveillance, and host study visits to Cuban polyclinics.",
		results:   "Screening coverage above 95% of pregnant women in participating islands; cases of congenital syphilis falling each year.",
		countries: []string{"CU", "JM", "DO", "GY"}, sdgs: []int{3}, targets: []string{"3.3", "3.2"}, start: "2016-01", triangular: true,
		supporters: []string{paho}, implementers: []string{"Ministerio de Salud Pública de Cuba"},
		contacts: []solution.RecordContact{role("Advisor, Family and Community Health", "PAHO")}, communities: []string{ModelSlug},
	},
	{
		title: "Health Extension Programme: learning from Ethiopia", tagline: "Salaried community health workers in every rural kebele",
		challenge: "Rural communities far from health centres lacked basic preventive care, and mothers gave birth at home without skilled help.",
		solution:  "Ethiopia trained and salaried two health extension workers per rural village, each running a health post with 16 packages of preventive care; study tours let other African ministries see the model at work.",
		results:   "More than 38,000 health extension workers deployed; delegations from eight countries adapted parts of the model.",
		countries: []string{"ET", "MW", "RW", "SS"}, sdgs: []int{3}, targets: []string{"3.1", "3.2", "3.8"}, start: "2014-05",
		supporters: []string{unicef}, implementers: []string{"Federal Ministry of Health of Ethiopia"},
		contacts: []solution.RecordContact{role("Health Extension Programme Advisor", "Federal Ministry of Health")}, communities: []string{ModelSlug},
	},
	{
		title: "Community-based health insurance: Rwanda's Mutuelles de santé", tagline: "Health coverage for rural households through community-based insurance",
		challenge: "Out-of-pocket payments kept the poorest households away from health centres and pushed families into poverty when someone fell ill.",
		solution:  "Community-based health insurance with contributions scaled to household income categories, subsidies for the poorest and a national risk pool; Rwandan officials share the design with peers in study visits and webinars.",
		results:   "Coverage above 80% of the population; several African countries drew on the model for their own schemes.",
		countries: []string{"RW", "BI", "CD"}, sdgs: []int{3, 1}, targets: []string{"3.8", "1.3"}, start: "2013-07",
		supporters: []string{"Rwanda Social Security Board"}, implementers: []string{"Rwanda Biomedical Centre"},
		contacts: []solution.RecordContact{role("Division Manager, Community Health", "Rwanda Biomedical Centre")}, communities: []string{ModelSlug},
	},
	{
		title: "Kangaroo mother care from Colombia to West Africa", tagline: "Skin-to-skin care for preterm babies where incubators are scarce",
		challenge: "Preterm and low-birthweight babies die of cold and infection in hospitals that have too few incubators.",
		solution:  "Colombian neonatologists who pioneered kangaroo mother care train hospital teams in continuous skin-to-skin contact, exclusive breastfeeding and early discharge with follow-up.",
		results:   "Twelve hospitals in three countries run kangaroo units; mortality among babies under 2,000 g fell in each of them.",
		countries: []string{"CO", "SN", "ML", "CI"}, sdgs: []int{3}, targets: []string{"3.2"}, start: "2016-09",
		supporters: []string{apc, unicef}, implementers: []string{"Fundación Canguro"},
		contacts: []solution.RecordContact{role("Directora", "Fundación Canguro")}, communities: []string{ModelSlug},
	},
	{
		title: "Soins essentiels du nouveau-né : échanges entre le Viet Nam et l'Afrique de l'Ouest", tagline: "Les premiers gestes qui sauvent les nouveau-nés, enseignés par des pairs",
		challenge: "Dans de nombreuses maternités, les nouveau-nés sont séparés de leur mère, le cordon est coupé trop tôt et l'allaitement retardé, faute de pratiques à jour.",
		solution:  "Des formateurs vietnamiens en soins essentiels précoces du nouveau-né accompagnent des équipes de maternité du Burkina Faso et du Niger : coaching au poste, auto-évaluation des pratiques et visites croisées.",
		results:   "Quarante maternités formées ; le contact peau à peau immédiat est passé de moins de 20 % à plus de 70 % des naissances suivies.",
		countries: []string{"VN", "BF", "NE"}, sdgs: []int{3}, targets: []string{"3.2"}, start: "2019-01", triangular: true,
		supporters: []string{who, jica}, implementers: []string{"Ministère de la Santé du Burkina Faso", "Ministère de la Santé publique du Niger"},
		contacts: []solution.RecordContact{role("Point focal santé néonatale", "OMS Burkina Faso")}, lang: "fr",
	},
	{
		title: "Audit des décès maternels : l'expérience du Maroc partagée en Afrique francophone", tagline: "Comprendre chaque décès maternel pour éviter le suivant",
		challenge: "Les décès maternels sont mal recensés et rarement analysés ; les mêmes causes évitables se répètent d'une maternité à l'autre.",
		solution:  "Le Maroc partage son système de surveillance des décès maternels et de riposte : notification obligatoire, revue confidentielle de chaque décès et plans d'action suivis au niveau régional.",
		results:   "Six pays ont adapté les outils d'audit ; des comités régionaux de revue fonctionnent dans trois d'entre eux.",
		countries: []string{"MA", "MR", "TN", "SN", "GN"}, sdgs: []int{3}, targets: []string{"3.1"}, start: "2018-04",
		supporters: []string{moroccoAgency, unfpa}, implementers: []string{"Ministère de la Santé et de la Protection sociale du Maroc"},
		contacts: []solution.RecordContact{role("Chef de service de la santé maternelle", "Ministère de la Santé, Maroc")}, lang: "fr", communities: []string{ModelSlug},
	},
	{
		title: "Parto culturalmente adecuado en los Andes", tagline: "Servicios de maternidad que respetan las prácticas de las mujeres indígenas",
		challenge: "Muchas mujeres indígenas de los Andes evitan dar a luz en los establecimientos de salud, donde no pueden elegir la posición del parto ni estar acompañadas.",
		solution:  "Ecuador y Perú comparten su norma de parto culturalmente adecuado: parto vertical, acompañamiento familiar, casas de espera materna y trabajo conjunto con parteras tradicionales.",
		results:   "El parto institucional en las comunidades participantes pasó del 40 % a más del 75 % en cinco años.",
		countries: []string{"EC", "PE", "BO"}, sdgs: []int{3, 5, 10}, targets: []string{"3.1", "3.7"}, start: "2014-02",
		supporters: []string{unfpa}, implementers: []string{"Ministerio de Salud Pública del Ecuador", "Ministerio de Salud del Perú"},
		contacts: []solution.RecordContact{role("Especialista en Salud Intercultural", "Ministerio de Salud Pública del Ecuador")}, lang: "es",
	},
	{
		title: "Chile Crece Contigo: protección integral a la primera infancia", tagline: "Un sistema que acompaña a cada niño desde el embarazo hasta los nueve años",
		challenge: "Los servicios para la primera infancia estaban dispersos entre salud, educación y protección social, y los niños más vulnerables quedaban fuera.",
		solution:  "Un sistema intersectorial que parte del control prenatal y articula visitas domiciliarias, estimulación temprana y prestaciones sociales; Chile lo comparte con países de la región mediante asistencia técnica.",
		results:   "Cobertura universal de los niños atendidos en la red pública de salud; cuatro países adaptaron componentes del sistema.",
		countries: []string{"CL", "PY", "SV", "DO"}, sdgs: []int{3, 1, 4}, targets: []string{"3.2", "1.3", "4.2"}, start: "2012-01",
		supporters: []string{agcid, unicef}, implementers: []string{"Ministerio de Desarrollo Social y Familia de Chile"},
		contacts: []solution.RecordContact{role("Coordinadora de Cooperación", "AGCID")}, lang: "es", communities: []string{"proteccion-social-infancia"},
		updated: "2023-03-14T09:00:00Z",
	},
	{
		title: "ASHA community health activists: India's experience shared with South Asian neighbours", tagline: "A trained woman volunteer in every village, linked to the health system",
		challenge: "Rural women did not use antenatal care, institutional delivery or immunisation services, often because nobody local connected them to the system.",
		solution:  "Accredited social health activists chosen by their villages receive training and performance-based incentives for accompanying pregnant women, promoting immunisation and newborn care; Indian trainers support programme design in Nepal and Bangladesh.",
		results:   "About one million activists in India; curricula adapted for female community health volunteers in two neighbouring countries.",
		countries: []string{"IN", "NP", "BD"}, sdgs: []int{3, 5}, targets: []string{"3.1", "3.2", "3.b"}, start: "2015-11",
		supporters: []string{"Ministry of Health and Family Welfare of India"}, implementers: []string{"National Health Systems Resource Centre"},
		contacts: []solution.RecordContact{role("Senior Consultant, Community Processes", "National Health Systems Resource Centre")},
	},
	{
		title: "Posyandu: integrated village health posts", tagline: "Monthly community posts for growth monitoring, immunisation and family planning",
		challenge: "Child stunting and missed immunisations persisted in villages where health centres were far away.",
		solution:  "Monthly village health posts run by trained volunteers with midwives from the health centre offer weighing, immunisation, vitamin A, family planning and counselling; Indonesia hosts study visits for Pacific and African countries.",
		results:   "Around 300,000 posts across Indonesia; Timor-Leste and Fiji piloted the approach.",
		countries: []string{"ID", "TL", "FJ"}, sdgs: []int{3, 2}, targets: []string{"3.b", "3.7", "2.2"}, start: "2016-04", triangular: true,
		supporters: []string{"Ministry of Health of Indonesia", unicef}, implementers: []string{"Ministry of Health of Indonesia"},
		contacts: []solution.RecordContact{role("Head of Child Health Section", "Ministry of Health, Indonesia")},
	},
	{
		title: "Community-based Health Planning and Services (CHPS): Ghana and Sierra Leone", tagline: "Bringing primary health care to the doorstep through community health officers",
		challenge: "After the Ebola epidemic, Sierra Leone needed to rebuild trust in primary health care in rural chiefdoms.",
		solution:  "Ghanaian health managers share the CHPS model — resident community health officers, community health committees and household visits — and help Sierra Leone design its community health programme.",
		results:   "Sierra Leone's national community health worker policy draws on CHPS; joint supervision visits held in four districts.",
		countries: []string{"GH", "SL"}, sdgs: []int{3}, targets: []string{"3.8", "3.d"}, start: "2017-08",
		supporters: []string{who}, implementers: []string{"Ghana Health Service", "Ministry of Health and Sanitation of Sierra Leone"},
		contacts: []solution.RecordContact{role("Deputy Director, Family Health", "Ghana Health Service")}, communities: []string{ModelSlug},
	},
	{
		title: "Oral rehydration and zinc: scaling up from Bangladesh", tagline: "Home treatment of childhood diarrhoea taught household by household",
		challenge: "Diarrhoea remained a leading killer of young children although oral rehydration salts and zinc cost a few cents.",
		solution:  "Community workers trained in Bangladesh's door-to-door approach teach mothers to prepare oral rehydration solution and give zinc; private pharmacies stock low-cost packs.",
		results:   "Use of ORS and zinc in treated episodes rose above 60% in pilot districts of two countries.",
		countries: []string{"BD", "PK", "AF"}, sdgs: []int{3, 6}, targets: []string{"3.2"}, start: "2013-05", completed: true, end: "2019-12",
		supporters: []string{unicef}, implementers: []string{"BRAC"},
		contacts: []solution.RecordContact{role("Programme Manager, Maternal, Neonatal and Child Health", "BRAC")},
		updated:  "2023-06-02T10:00:00Z",
	},
	{
		title: "Artemisinin-based malaria treatment: China–Comoros mass drug administration", tagline: "Mass treatment and follow-up that cut malaria on three islands",
		challenge: "Malaria was the first cause of hospital admissions in the Comoros.",
		solution:  "Chinese experts and Comorian health workers organised rounds of mass drug administration with artemisinin combinations, followed by case detection and vector control.",
		results:   "Malaria cases on the three islands fell by more than 90% within a few years.",
		countries: []string{"CN", "KM"}, sdgs: []int{3}, targets: []string{"3.3"}, start: "2007-11", completed: true, end: "2014-06",
		supporters: []string{"Government of China"}, implementers: []string{"Guangzhou University of Chinese Medicine", "Ministry of Health of the Comoros"},
		contacts: []solution.RecordContact{role("Malaria Programme Coordinator", "Ministry of Health, Comoros")},
		updated:  "2022-11-20T08:00:00Z",
	},
	{
		title: "Family Health Strategy teams: Brazil and Mozambique", tagline: "Multidisciplinary primary care teams responsible for a defined population",
		challenge: "Mozambique's primary care relied on overcrowded health centres with no follow-up of households.",
		solution:  "Brazilian family health experts supported the design of community health teams, training of trainers and information systems adapted from Brazil's Family Health Strategy.",
		results:   "Pilot teams in two provinces cover 150,000 people; community health worker training curriculum revised.",
		countries: []string{"BR", "MZ"}, sdgs: []int{3}, targets: []string{"3.8", "3.c"}, start: "2016-03",
		supporters: []string{abc}, implementers: []string{fiocruz, "Ministério da Saúde de Moçambique"},
		contacts: []solution.RecordContact{role("Director Nacional Adjunto de Saúde Pública", "Ministério da Saúde, Moçambique")}, communities: []string{ModelSlug},
	},
	{
		title: "Adolescent-friendly health services in Southern Africa", tagline: "Clinics where young people get contraception and HIV services without judgement",
		challenge: "Adolescents avoided clinics where staff judged them, and HIV infections and early pregnancies stayed high among young women.",
		solution:  "South Africa, Zambia and Zimbabwe exchange standards, training and youth-led assessments for adolescent-friendly services, with peer educators in clinics and schools.",
		results:   "More than 300 clinics accredited; visits by adolescents doubled in assessed facilities.",
		countries: []string{"ZA", "ZM", "ZW"}, sdgs: []int{3, 5}, targets: []string{"3.7", "3.3", "5.6"}, start: "2018-07",
		supporters: []string{unfpa}, implementers: []string{"National Department of Health of South Africa"},
		contacts: []solution.RecordContact{role("Director, Child, Youth and School Health", "National Department of Health")},
	},
	{
		title: "Planification familiale en Afrique de l'Ouest : le Partenariat de Ouagadougou", tagline: "Neuf pays francophones qui progressent ensemble vers leurs objectifs de planification familiale",
		challenge: "Les besoins non satisfaits en planification familiale restaient parmi les plus élevés au monde en Afrique de l'Ouest francophone.",
		solution:  "Les pays du partenariat partagent leurs plans chiffrés, leurs innovations (délégation des tâches, distribution à base communautaire) et se réunissent chaque année pour faire le point.",
		results:   "Plus de deux millions d'utilisatrices supplémentaires de méthodes modernes en une décennie.",
		countries: []string{"BJ", "BF", "CI", "GN", "ML", "MR", "NE", "SN", "TG"}, sdgs: []int{3, 5}, targets: []string{"3.7", "5.6"}, start: "2011-02",
		supporters: []string{unfpa}, implementers: []string{"Unité de coordination du Partenariat de Ouagadougou"},
		contacts: []solution.RecordContact{role("Chargée de programme", "Unité de coordination")}, lang: "fr",
	},
	{
		title: "Immunisation supply chains: cold chain exchange between Nigeria and Pakistan", tagline: "Solar fridges and stock data to stop missed vaccinations",
		challenge: "Vaccines spoiled or ran out at remote health facilities, so children missed doses.",
		solution:  "Supply chain managers compare solar-powered fridges, temperature monitoring and electronic stock systems, and Pakistan adapted Nigeria's dashboard of stock-outs.",
		results:   "Stock-outs in pilot districts fell by half within a year.",
		countries: []string{"NG", "PK"}, sdgs: []int{3, 7}, targets: []string{"3.b", "3.8"}, start: "2020-02",
		supporters: []string{unicef}, implementers: []string{"National Primary Health Care Development Agency of Nigeria", "Federal Directorate of Immunization of Pakistan"},
		contacts: []solution.RecordContact{role("Health Specialist", "UNICEF Nigeria")},
	},
	{
		title: "Universal health coverage: Thailand's benefit package design shared with Asian peers", tagline: "Health technology assessment to decide what universal coverage pays for",
		challenge: "Countries extending coverage must decide which medicines and services to include with limited budgets.",
		solution:  "Thailand's health technology assessment programme trains analysts from neighbouring countries and reviews their first assessments.",
		results:   "Assessment units created in three countries; benefit packages revised with cost-effectiveness evidence.",
		countries: []string{"TH", "ID", "VN", "BT"}, sdgs: []int{3}, targets: []string{"3.8"}, start: "2015-10",
		supporters: []string{"International Decision Support Initiative"}, implementers: []string{"Health Intervention and Technology Assessment Program (HITAP)"},
		contacts: []solution.RecordContact{role("Senior Researcher", "HITAP")},
	},
	{
		title: "Cliniques mobiles pour les éleveurs nomades du Sahel", tagline: "Vacciner ensemble les enfants et le bétail",
		challenge: "Les familles nomades du Sahel sont rarement atteintes par les centres de santé fixes, et leurs enfants sont parmi les moins vaccinés.",
		solution:  "Des équipes vétérinaires et de santé humaine voyagent ensemble et vaccinent enfants et animaux le même jour, une approche échangée entre le Tchad, le Niger et le Mali.",
		results:   "La couverture vaccinale des enfants des groupes nomades participants est passée de moins de 20 % à plus de 60 %.",
		countries: []string{"TD", "NE", "ML"}, sdgs: []int{3, 2}, targets: []string{"3.b"}, start: "2017-10", lang: "fr",
		supporters: []string{"Direction du développement et de la coopération suisse (DDC)"}, implementers: []string{"Ministère de la Santé publique du Tchad"},
		contacts: []solution.RecordContact{role("Coordonnateur Une seule santé", "Ministère de la Santé publique du Tchad")},
	},
	{
		title: "Tuberculosis: community-supported treatment in the Andes", tagline: "Promotoras who accompany patients through six months of treatment",
		challenge: "Patients with tuberculosis abandoned treatment when they felt better, fuelling drug resistance.",
		solution:  "Peru shares its community promoter model — daily observed treatment near home, nutritional support and contact tracing — with Bolivia and Paraguay.",
		results:   "Treatment success above 85% in participating health networks; contact tracing found hundreds of new cases early.",
		countries: []string{"PE", "BO", "PY"}, sdgs: []int{3, 1}, targets: []string{"3.3"}, start: "2016-06",
		supporters: []string{paho}, implementers: []string{"Ministerio de Salud del Perú"},
		contacts: []solution.RecordContact{role("National Tuberculosis Programme Coordinator", "Ministerio de Salud del Perú")},
	},
	{
		title: "HPV vaccination through schools: Rwanda's experience", tagline: "Protecting girls against cervical cancer with a school-based campaign",
		challenge: "Cervical cancer is the first cause of cancer deaths among women in much of Africa.",
		solution:  "Rwanda vaccinated girls in schools, with community leaders and teachers informing parents, and shares its planning and consent approach with Malawi and Zambia.",
		results:   "Coverage above 90% of eligible girls in Rwanda; school-based campaigns launched in two more countries.",
		countries: []string{"RW", "MW", "ZM"}, sdgs: []int{3, 5}, targets: []string{"3.4", "3.b"}, start: "2018-05",
		supporters: []string{"Gavi, the Vaccine Alliance"}, implementers: []string{"Rwanda Biomedical Centre"},
		contacts: []solution.RecordContact{role("Vaccine-Preventable Diseases Programme Manager", "Rwanda Biomedical Centre")},
	},
	{
		title: "Telemedicina para la atención primaria rural", tagline: "Especialistas a distancia para los centros de salud rurales",
		challenge: "Los pacientes rurales viajaban días para ver a un especialista, y muchos no llegaban nunca.",
		solution:  "Chile comparte con Paraguay su red de telemedicina: electrocardiogramas y retinografías a distancia, interconsultas y formación de equipos rurales.",
		results:   "Más de 40.000 teleconsultas al año en Paraguay; menos traslados innecesarios.",
		countries: []string{"CL", "PY"}, sdgs: []int{3, 9}, targets: []string{"3.8", "9.c"}, start: "2019-10", lang: "es",
		supporters: []string{agcid}, implementers: []string{"Ministerio de Salud Pública y Bienestar Social del Paraguay"},
		contacts: []solution.RecordContact{role("Coordinadora de Telesalud", "Ministerio de Salud Pública y Bienestar Social")},
	},
	{
		title: "Oxygen for children with pneumonia", tagline: "Pulse oximeters and oxygen concentrators in district hospitals",
		challenge: "Children with severe pneumonia died in district hospitals that could neither measure nor supply oxygen.",
		solution:  "Malawi and Nepal exchange how they introduced pulse oximetry at triage, solar-powered oxygen concentrators and biomedical technician training.",
		results:   "Case fatality from severe pneumonia fell by a third in participating hospitals.",
		countries: []string{"MW", "NP"}, sdgs: []int{3, 7}, targets: []string{"3.2", "3.8"}, start: "2020-01",
		supporters: []string{unicef, who}, implementers: []string{"Ministry of Health of Malawi", "Ministry of Health and Population of Nepal"},
		contacts: []solution.RecordContact{role("Child Health Specialist", "UNICEF Malawi")}, communities: []string{ModelSlug},
	},
	{
		title: "Roma health mediators in the Western Balkans", tagline: "Mediators from the community who connect Roma families with health services",
		challenge: "Roma children in informal settlements are less often vaccinated and Roma women less often receive antenatal care, partly for lack of documents and trust.",
		solution:  "Trained Roma women work as health mediators between settlements and primary care centres, helping with registration, appointments and health education; Serbia's programme is shared with North Macedonia and Albania.",
		results:   "Some 75 mediators at work; immunisation coverage of Roma children in covered settlements rose markedly.",
		countries: []string{"RS", "MK", "AL"}, sdgs: []int{3, 10}, targets: []string{"3.8", "10.2"}, start: "2018-09",
		supporters: []string{unicef}, implementers: []string{"Ministry of Health of Serbia"},
		contacts: []solution.RecordContact{role("Coordinator of Roma Health Mediators", "Ministry of Health of Serbia")},
	},
	{
		title: "Caribbean Wellness Day and sugar-sweetened beverage taxes", tagline: "Small island states sharing policies against non-communicable diseases",
		challenge: "Diabetes, heart disease and hypertension cause most deaths in the Caribbean, and sugary drinks are cheap and heavily marketed.",
		solution:  "Caribbean governments exchange the design of taxes on sugar-sweetened beverages, front-of-package labelling and school nutrition policies, building on Barbados' tax.",
		results:   "Four countries adopted or raised beverage taxes; a regional labelling standard was drafted.",
		countries: []string{"BB", "JM", "TT", "DM"}, sdgs: []int{3, 12}, targets: []string{"3.4"}, start: "2019-05",
		supporters: []string{paho}, implementers: []string{"Caribbean Public Health Agency (CARPHA)"},
		contacts: []solution.RecordContact{role("Advisor, Non-communicable Diseases", "PAHO")},
	},

	// Poverty, hunger, education, gender and the other goals.
	{
		title: "Conditional cash transfers: Brazil's Bolsa Família shared with African governments", tagline: "Cash for poor families, tied to school attendance and health check-ups",
		challenge: "Poor families kept children out of school to work and missed health check-ups, passing poverty to the next generation.",
		solution:  "Brazilian officials share how Bolsa Família targets families through a social registry, pays women by bank card and follows up school and health conditions, through study visits and joint design workshops.",
		results:   "Cash transfer programmes in Ghana and Senegal drew on the design; the social policy dialogue continues through IPC-IG.",
		countries: []string{"BR", "GH", "SN"}, sdgs: []int{1, 10, 4}, targets: []string{"1.3", "10.4"}, start: "2011-04", triangular: true,
		supporters: []string{abc, undp}, implementers: []string{ipcig, "Ministério do Desenvolvimento e Assistência Social do Brasil"},
		contacts: []solution.RecordContact{role("Research Coordinator, Social Protection", "IPC-IG")}, communities: []string{"proteccion-social-infancia"},
	},
	{
		title: "Cadastro Único: registro social para programas sociais", tagline: "Um cadastro único das famílias de baixa renda para todos os programas sociais",
		challenge: "Cada programa social mantinha a própria lista de beneficiários, com duplicidades e famílias pobres que não eram encontradas.",
		solution:  "O Brasil compartilha a metodologia do Cadastro Único — entrevistas domiciliares, base nacional integrada e atualização periódica — com governos que montam seus registros sociais.",
		results:   "Angola e Cabo Verde lançaram registros sociais inspirados no Cadastro Único, com apoio técnico brasileiro.",
		countries: []string{"BR", "AO", "CV"}, sdgs: []int{1, 16}, targets: []string{"1.3", "16.6"}, start: "2016-08", lang: "pt",
		supporters: []string{abc}, implementers: []string{"Ministério do Desenvolvimento e Assistência Social do Brasil"},
		contacts: []solution.RecordContact{role("Coordenadora de Cooperação Internacional", "Ministério do Desenvolvimento e Assistência Social")},
	},
	{
		title: "Prospera: transferencias condicionadas de México a Centroamérica", tagline: "Asistencia técnica para diseñar programas de transferencias con corresponsabilidades",
		challenge: "Los países del norte de Centroamérica buscaban reducir la pobreza extrema rural con programas bien focalizados y evaluados.",
		solution:  "México compartió el diseño, la focalización y los sistemas de evaluación de Prospera con los ministerios de desarrollo social de Guatemala y Honduras.",
		results:   "Dos programas nacionales rediseñados con evaluaciones de impacto desde su inicio.",
		countries: []string{"MX", "GT", "HN"}, sdgs: []int{1, 4}, targets: []string{"1.3", "4.1"}, start: "2013-01", completed: true, end: "2019-06", lang: "es",
		supporters: []string{amexcid}, implementers: []string{"Secretaría de Bienestar de México"},
		contacts: []solution.RecordContact{role("Directora de Cooperación Técnica", "AMEXCID")},
	},
	{
		title: "Graduation out of ultra-poverty: BRAC's approach in East Africa", tagline: "Assets, training and coaching that lift the poorest households for good",
		challenge: "The poorest households are too poor to benefit from microcredit and fall back into destitution after one-off aid.",
		solution:  "A sequenced package — a productive asset such as livestock, a consumption stipend, savings, training and two years of weekly coaching — adapted from Bangladesh to Kenya and Uganda.",
		results:   "Most participating households kept higher incomes and assets years after the programme ended.",
		countries: []string{"BD", "KE", "UG"}, sdgs: []int{1, 8}, targets: []string{"1.1", "1.4"}, start: "2016-01",
		supporters: []string{"BRAC International"}, implementers: []string{"BRAC Uganda", "BRAC Kenya"},
		contacts: []solution.RecordContact{role("Programme Manager, Ultra-Poor Graduation", "BRAC")},
	},
	{
		title: "Home-grown school feeding: Brazil's experience for Africa", tagline: "School meals bought from local family farmers",
		challenge: "School meals relied on imported food while local smallholders had no stable market for their harvests.",
		solution:  "Through a centre of excellence against hunger, Brazil shares how its national school feeding programme buys at least 30% of food from family farmers, with menus by nutritionists and community oversight.",
		results:   "Six African countries adopted school feeding policies with local purchase; pilot schools buy from thousands of smallholders.",
		countries: []string{"BR", "ET", "MW", "NE", "GM"}, sdgs: []int{2, 4, 1}, targets: []string{"2.1", "2.3", "4.1"}, start: "2011-11", triangular: true,
		supporters: []string{wfp, abc}, implementers: []string{"WFP Centre of Excellence against Hunger"},
		contacts: []solution.RecordContact{role("Programme Officer", "WFP Centre of Excellence against Hunger")},
	},
	{
		title: "Purchase from Africans for Africa (PAA Africa)", tagline: "Institutional food purchases from smallholders for school meals",
		challenge: "Smallholders in Africa lacked predictable buyers, and school feeding programmes could not source locally.",
		solution:  "A pilot in five countries bought food from smallholder farmer groups for school meals, with training in production and organisation, inspired by Brazil's Food Acquisition Programme.",
		results:   "Thousands of smallholders sold to schools; lessons fed into national home-grown school feeding policies.",
		countries: []string{"ET", "MW", "MZ", "NE", "SN"}, sdgs: []int{2, 1}, targets: []string{"2.3", "1.1"}, start: "2012-02", completed: true, end: "2016-12", triangular: true,
		supporters: []string{abc, "UK Department for International Development"}, implementers: []string{fao, wfp},
		contacts: []solution.RecordContact{role("Programme Coordinator", "FAO")}, updated: "2023-01-30T12:00:00Z",
	},
	{
		title: "Quinua resiliente: Bolivia y Perú comparten semillas y saberes", tagline: "Variedades de quinua adaptadas a la sequía y a las heladas",
		challenge: "Las sequías y heladas más frecuentes en el Altiplano ponen en riesgo la cosecha de quinua de las familias campesinas.",
		solution:  "Institutos de investigación y organizaciones campesinas de Bolivia y Perú intercambian variedades tolerantes, bancos comunitarios de semillas y calendarios agroclimáticos.",
		results:   "Más de 3.000 familias usan variedades mejoradas; 15 bancos comunitarios de semillas en funcionamiento.",
		countries: []string{"BO", "PE"}, sdgs: []int{2, 13}, targets: []string{"2.4", "2.5"}, start: "2018-03", lang: "es",
		supporters: []string{fao}, implementers: []string{"Instituto Nacional de Innovación Agropecuaria y Forestal (INIAF)", "Instituto Nacional de Innovación Agraria (INIA)"},
		contacts: []solution.RecordContact{role("Oficial de Programa", "FAO Bolivia")},
	},
	{
		title: "System of Rice Intensification: Asian expertise for West African rice farmers", tagline: "More rice with less water and seed",
		challenge: "West Africa imports much of its rice while local yields stay low and irrigation water is scarce.",
		solution:  "Rice specialists from India and Viet Nam train extension agents and farmers in Mali and Senegal in transplanting young seedlings, wider spacing and alternate wetting and drying.",
		results:   "Yields on participating plots rose by a third on average, with less irrigation water.",
		countries: []string{"IN", "VN", "ML", "SN"}, sdgs: []int{2, 6}, targets: []string{"2.3", "2.4", "6.4"}, start: "2017-06",
		supporters: []string{"Africa Rice Center"}, implementers: []string{"Institut d'économie rurale du Mali"},
		contacts: []solution.RecordContact{role("Agronomist", "Africa Rice Center")},
	},
	{
		title: "Rice-fish farming from Bangladesh to Madagascar", tagline: "Fish raised in rice fields for food and income",
		challenge: "Rural families in Madagascar lack protein, and rice fields produce only one crop.",
		solution:  "Bangladeshi fish farmers and researchers train Malagasy farmers to stock fish in rice fields, produce fingerlings locally and market the surplus.",
		results:   "Over 2,000 households practise rice-fish farming, with both rice yields and fish catches up.",
		countries: []string{"BD", "MG"}, sdgs: []int{2, 14}, targets: []string{"2.3", "14.b"}, start: "2019-02", triangular: true,
		supporters: []string{fao, ifad}, implementers: []string{"WorldFish", "Ministère de l'Agriculture, de l'Élevage et de la Pêche de Madagascar"},
		contacts: []solution.RecordContact{role("Aquaculture Specialist", "WorldFish")},
	},
	{
		title: "Escuela Nueva: aprendizaje activo en escuelas rurales multigrado", tagline: "Un modelo colombiano de escuela rural adaptado en Asia y América Latina",
		challenge: "En las escuelas rurales un solo docente atiende a varios grados a la vez, con métodos pensados para aulas urbanas.",
		solution:  "Guías de autoaprendizaje, gobierno escolar estudiantil y formación docente entre pares, compartidos por Colombia con ministerios de educación de Viet Nam, Guatemala y Paraguay.",
		results:   "El modelo llega a miles de escuelas fuera de Colombia; en Viet Nam se adoptó en más de 1.400 escuelas.",
		countries: []string{"CO", "VN", "GT", "PY"}, sdgs: []int{4}, targets: []string{"4.1", "4.c"}, start: "2012-05", lang: "es",
		supporters: []string{apc}, implementers: []string{"Fundación Escuela Nueva"},
		contacts: []solution.RecordContact{role("Directora Ejecutiva", "Fundación Escuela Nueva")},
	},
	{
		title: "Teacher training by radio and tablets in the Pacific islands", tagline: "Reaching teachers on remote islands",
		challenge: "Teachers on remote Pacific islands have almost no access to in-service training.",
		solution:  "Fiji, Solomon Islands and Vanuatu share radio lessons for teachers and offline tablets loaded with training modules, updated when boats bring new content.",
		results:   "Over 1,500 teachers completed modules; literacy assessments improved in participating schools.",
		countries: []string{"FJ", "SB", "VU"}, sdgs: []int{4, 9}, targets: []string{"4.c", "9.c"}, start: "2019-08",
		supporters: []string{"Pacific Community (SPC)"}, implementers: []string{"Ministries of Education of Fiji, Solomon Islands and Vanuatu"},
		contacts: []solution.RecordContact{role("Education Adviser", "Pacific Community")},
	},
	{
		title: "Éducation préscolaire communautaire au Sénégal et au Bénin", tagline: "Des cases des tout-petits gérées par les communautés",
		challenge: "Peu d'enfants des zones rurales ont accès à l'éducation préscolaire avant l'entrée à l'école primaire.",
		solution:  "Le Sénégal partage son modèle de « cases des tout-petits » : des espaces communautaires d'éveil animés par des éducatrices formées, avec la participation des mères et des grands-mères.",
		results:   "Le Bénin a ouvert 120 centres communautaires inspirés du modèle ; la préparation à l'école des enfants s'est améliorée.",
		countries: []string{"SN", "BJ"}, sdgs: []int{4, 5}, targets: []string{"4.2"}, start: "2018-10", lang: "fr",
		supporters: []string{unicef}, implementers: []string{"Agence nationale de la petite enfance et de la case des tout-petits (ANPECTP)"},
		contacts: []solution.RecordContact{role("Directrice de la coopération", "ANPECTP")},
	},
	{
		title: "Alfabetización de personas adultas «Yo, sí puedo»", tagline: "Un método audiovisual para enseñar a leer y escribir",
		challenge: "Millones de personas adultas en América Latina no sabían leer ni escribir.",
		solution:  "Clases por video con facilitadores de la comunidad, combinando números y letras, aplicadas en campañas nacionales de alfabetización con asesoría cubana.",
		results:   "Bolivia y Nicaragua se declararon libres de analfabetismo tras sus campañas nacionales.",
		countries: []string{"CU", "BO", "NI"}, sdgs: []int{4}, targets: []string{"4.6"}, start: "2006-03", completed: true, end: "2012-12", lang: "es",
		supporters: []string{"Instituto Pedagógico Latinoamericano y Caribeño (IPLAC)"}, implementers: []string{"Ministerios de Educación de Bolivia y Nicaragua"},
		contacts: []solution.RecordContact{role("Asesora pedagógica", "IPLAC")}, updated: "2022-09-05T09:00:00Z",
	},
	{
		title: "Mata Masu Dubara : groupes d'épargne des femmes au Niger et au Burkina Faso", tagline: "« Les femmes en mouvement » épargnent et se prêtent entre elles",
		challenge: "Les femmes rurales n'ont pas accès aux banques et dépendent de prêteurs usuriers.",
		solution:  "Des groupes de vingt à trente femmes épargnent chaque semaine et se prêtent à tour de rôle ; le modèle nigérien est diffusé au Burkina Faso par des animatrices formées.",
		results:   "Des centaines de milliers de femmes membres ; de nombreux groupes financent des activités génératrices de revenus.",
		countries: []string{"NE", "BF"}, sdgs: []int{5, 1}, targets: []string{"5.5", "1.4"}, start: "2015-03", lang: "fr",
		supporters: []string{"CARE International"}, implementers: []string{"Fédérations nationales des groupements Mata Masu Dubara"},
		contacts: []solution.RecordContact{role("Responsable de programme", "CARE Niger")},
	},
	{
		title: "One-stop crisis centres for survivors of gender-based violence", tagline: "Medical, legal and psychosocial help in one hospital",
		challenge: "Survivors of violence had to tell their story again at the police, the hospital and the court, and many gave up.",
		solution:  "Hospital-based crisis centres bring doctors, police, lawyers and counsellors together; Malaysia's model was adapted in Bangladesh and Nepal.",
		results:   "Centres in 40 hospitals; case follow-up through to court improved.",
		countries: []string{"MY", "BD", "NP"}, sdgs: []int{5, 16, 3}, targets: []string{"5.2", "16.1"}, start: "2014-09",
		supporters: []string{unfpa}, implementers: []string{"Ministry of Women and Children Affairs of Bangladesh"},
		contacts: []solution.RecordContact{role("Gender Specialist", "UNFPA Bangladesh")},
	},
	{
		title: "Casa da Mulher Brasileira: serviços integrados para mulheres em situação de violência", tagline: "Acolhimento, delegacia, juizado e apoio psicossocial num só lugar",
		challenge: "Mulheres em situação de violência percorriam vários serviços dispersos e muitas desistiam antes de obter proteção.",
		solution:  "Centros que reúnem acolhimento, delegacia especializada, juizado, defensoria e apoio à autonomia econômica; a experiência é compartilhada com Cabo Verde e Moçambique.",
		results:   "Cabo Verde abriu um centro integrado piloto com apoio técnico brasileiro.",
		countries: []string{"BR", "CV", "MZ"}, sdgs: []int{5, 16}, targets: []string{"5.2", "16.3"}, start: "2019-11", lang: "pt",
		supporters: []string{abc}, implementers: []string{"Ministério das Mulheres do Brasil"},
		contacts: []solution.RecordContact{role("Assessora Internacional", "Ministério das Mulheres")},
	},
	{
		title: "Fit for School: WASH in schools from the Philippines to South-East Asia", tagline: "Daily group handwashing and toothbrushing in primary schools",
		challenge: "Diarrhoea, worms and tooth decay keep children out of school where toilets and handwashing facilities are lacking.",
		solution:  "Simple, low-cost group handwashing facilities and daily routines run by teachers, with a three-star approach to improve school WASH step by step; shared by the Philippines with Cambodia, Lao PDR and Indonesia.",
		results:   "More than 10,000 schools use the approach; absenteeism fell in monitored schools.",
		countries: []string{"PH", "KH", "LA", "ID"}, sdgs: []int{6, 3, 4}, targets: []string{"6.2", "4.a"}, start: "2016-05", triangular: true,
		supporters: []string{giz}, implementers: []string{"Department of Education of the Philippines", "SEAMEO INNOTECH"},
		contacts: []solution.RecordContact{role("Programme Manager", "GIZ Fit for School")}, communities: []string{"wash-in-schools"},
	},
	{
		title: "Community-led total sanitation from Bangladesh to Africa", tagline: "Communities decide to end open defecation",
		challenge: "Subsidised latrines went unused while open defecation spread disease.",
		solution:  "Facilitators trigger community reflection on open defecation; communities build their own latrines and declare themselves open-defecation-free. Bangladeshi practitioners trained facilitators in Ethiopia, Kenya and Zambia.",
		results:   "Tens of thousands of villages certified open-defecation-free across the participating countries.",
		countries: []string{"BD", "ET", "KE", "ZM"}, sdgs: []int{6, 3}, targets: []string{"6.2"}, start: "2010-07",
		supporters: []string{unicef}, implementers: []string{"Community-Led Total Sanitation Foundation"},
		contacts: []solution.RecordContact{role("WASH Specialist", "UNICEF")}, communities: []string{"wash-in-schools"},
	},
	{
		title: "Cisternas no semiárido: água de chuva para famílias rurais", tagline: "Tecnologias sociais de captação de água da chuva",
		challenge: "Famílias do semiárido passavam meses sem água potável durante a estação seca.",
		solution:  "Cisternas de placas construídas por pedreiros da própria comunidade armazenam a água da chuva para beber e produzir; a experiência brasileira foi levada ao Senegal e a Moçambique.",
		results:   "Mais de um milhão de cisternas no Brasil; projetos-piloto com centenas de cisternas nos países parceiros.",
		countries: []string{"BR", "SN", "MZ"}, sdgs: []int{6, 2}, targets: []string{"6.1", "6.4"}, start: "2014-04", lang: "pt", triangular: true,
		supporters: []string{abc, fao}, implementers: []string{"Articulação Semiárido Brasileiro (ASA)"},
		contacts: []solution.RecordContact{role("Coordenador de Projetos", "ASA")},
	},
	{
		title: "Juntas de agua rural en Centroamérica", tagline: "Comunidades que gestionan su propio sistema de agua potable",
		challenge: "Los sistemas de agua rurales se deterioraban por falta de mantenimiento y de tarifas suficientes.",
		solution:  "Honduras comparte con Nicaragua, El Salvador y Guatemala su modelo de juntas administradoras de agua: estatutos, tarifas, cloración y asociaciones municipales de juntas.",
		results:   "Más de 500 juntas fortalecidas; la continuidad del servicio mejoró en la mayoría de ellas.",
		countries: []string{"HN", "NI", "SV", "GT"}, sdgs: []int{6}, targets: []string{"6.1", "6.b"}, start: "2017-02", lang: "es",
		supporters: []string{"Agencia Española de Cooperación Internacional para el Desarrollo (AECID)"}, implementers: []string{"Asociación Hondureña de Juntas Administradoras de Agua (AHJASA)"},
		contacts: []solution.RecordContact{role("Coordinador técnico", "AHJASA")},
	},
	{
		title: "Solar power for rural health centres", tagline: "Reliable electricity for deliveries at night and vaccine fridges",
		challenge: "Rural health centres without electricity conducted night deliveries by torchlight and could not keep vaccines cold.",
		solution:  "Indian solar engineers and health planners help Tanzania and Uganda design solar systems sized to health centre needs, with local technicians trained for maintenance.",
		results:   "300 health centres solarised; night-time deliveries in facilities increased.",
		countries: []string{"IN", "TZ", "UG"}, sdgs: []int{7, 3}, targets: []string{"7.1", "3.8"}, start: "2019-06",
		supporters: []string{"International Solar Alliance"}, implementers: []string{"SELCO Foundation"},
		contacts: []solution.RecordContact{role("Programme Lead, Health and Energy", "SELCO Foundation")}, communities: []string{"climate-health"},
	},
	{
		title: "Barefoot solar engineers", tagline: "Grandmothers from rural villages trained as solar engineers",
		challenge: "Remote villages in Africa and the Pacific have no grid electricity and no technicians to maintain solar equipment.",
		solution:  "Middle-aged women chosen by their villages spend six months at a training centre in India learning to install and repair solar lighting, then electrify their own villages.",
		results:   "More than a thousand women trained from over 80 countries; thousands of households lit.",
		countries: []string{"IN", "SL", "LR", "TZ", "FJ"}, sdgs: []int{7, 5}, targets: []string{"7.1", "5.5"}, start: "2008-01", triangular: true,
		supporters: []string{"Government of India (ITEC)", undp}, implementers: []string{"Barefoot College"},
		contacts: []solution.RecordContact{role("Director, International Programmes", "Barefoot College")},
	},
	{
		title: "Biodigestores familiares en el Altiplano", tagline: "Gas para cocinar y abono a partir del estiércol",
		challenge: "Las familias rurales cocinan con leña y bosta, con humo dentro de la vivienda y deforestación alrededor.",
		solution:  "Biodigestores tubulares de bajo costo, adaptados al frío por técnicos bolivianos y peruanos, producen biogás para cocinar y biol para los cultivos.",
		results:   "Más de 1.000 biodigestores instalados; menos leña consumida y mejores rendimientos con el biol.",
		countries: []string{"BO", "PE"}, sdgs: []int{7, 13, 3}, targets: []string{"7.1", "3.9"}, start: "2015-09", lang: "es",
		supporters: []string{giz}, implementers: []string{"Programa de Biodigestores de Bolivia"},
		contacts: []solution.RecordContact{role("Responsable técnico", "Programa de Biodigestores")},
	},
	{
		title: "Apprentissage et emploi des jeunes : échanges Maroc–Tunisie", tagline: "Former en entreprise les jeunes sans qualification",
		challenge: "Le chômage des jeunes diplômés et non diplômés reste élevé, et les formations répondent mal aux besoins des entreprises.",
		solution:  "Les agences de formation professionnelle du Maroc et de la Tunisie partagent leurs dispositifs d'apprentissage en entreprise, de certification et de suivi de l'insertion.",
		results:   "Deux nouvelles filières d'apprentissage en Tunisie et un référentiel commun de tutorat en entreprise.",
		countries: []string{"MA", "TN"}, sdgs: []int{8, 4}, targets: []string{"8.6", "4.4"}, start: "2019-04", lang: "fr",
		supporters: []string{moroccoAgency}, implementers: []string{"Office de la formation professionnelle et de la promotion du travail (OFPPT)"},
		contacts: []solution.RecordContact{role("Responsable de la coopération", "OFPPT")},
	},
	{
		title: "Mobile money for the unbanked: lessons from Kenya", tagline: "Payments and savings by mobile phone",
		challenge: "Most adults had no bank account and paid high costs to send money home.",
		solution:  "Regulators and operators from Tanzania and Afghanistan learned from Kenya's regulatory approach to mobile money: agent networks, trust accounts and proportionate customer identification.",
		results:   "Mobile money accounts grew quickly in both countries after regulations were adopted.",
		countries: []string{"KE", "TZ", "AF"}, sdgs: []int{8, 1, 9}, targets: []string{"8.10", "1.4"}, start: "2012-03",
		supporters: []string{"Alliance for Financial Inclusion"}, implementers: []string{"Central Bank of Kenya"},
		contacts: []solution.RecordContact{role("Head of Financial Inclusion", "Central Bank of Kenya")},
	},
	{
		title: "Digital public infrastructure: open-source identity and payments", tagline: "Shared building blocks for digital services",
		challenge: "Governments build the same digital systems — identity, payments, data exchange — again and again, often locked into a single vendor.",
		solution:  "India shares open-source identity and payment platforms with the Philippines, Morocco and Sierra Leone, with peer advice on data protection and governance.",
		results:   "Two national identity systems built on the open-source platform; millions of people registered.",
		countries: []string{"IN", "PH", "MA", "SL"}, sdgs: []int{9, 16, 17}, targets: []string{"9.c", "16.9", "17.8"}, start: "2020-09",
		supporters: []string{undp}, implementers: []string{"Modular Open Source Identity Platform (MOSIP)"},
		contacts: []solution.RecordContact{role("Country Engagement Lead", "MOSIP")},
	},
	{
		title: "Inclusión de personas con discapacidad en la protección social", tagline: "Pensiones y servicios para personas con discapacidad y sus cuidadores",
		challenge: "Las personas con discapacidad y sus familias quedaban fuera de los programas sociales o recibían montos insuficientes.",
		solution:  "Chile y Ecuador intercambian sus sistemas de calificación de la discapacidad, de pensiones no contributivas y de apoyo a cuidadores.",
		results:   "Ecuador ajustó su bono para cuidadores y Chile su instrumento de calificación a partir del intercambio.",
		countries: []string{"CL", "EC"}, sdgs: []int{10, 1}, targets: []string{"10.2", "1.3"}, start: "2020-03", lang: "es",
		supporters: []string{agcid}, implementers: []string{"Servicio Nacional de la Discapacidad (SENADIS)"},
		contacts: []solution.RecordContact{role("Jefa de Relaciones Internacionales", "SENADIS")}, communities: []string{"proteccion-social-infancia"},
	},
	{
		title: "Cheaper remittances in South-East Asia", tagline: "Price comparison and digital channels for migrant workers",
		challenge: "Migrant workers paid up to 10% of what they sent home in fees.",
		solution:  "Central banks of the region share remittance price comparison websites, rules for digital remittance providers and financial literacy for migrants before departure.",
		results:   "Average costs on covered corridors fell below 5%.",
		countries: []string{"PH", "ID", "MY", "KH"}, sdgs: []int{10, 17}, targets: []string{"10.c"}, start: "2018-01",
		supporters: []string{"ASEAN Secretariat"}, implementers: []string{"Bangko Sentral ng Pilipinas"},
		contacts: []solution.RecordContact{role("Financial Inclusion Officer", "Bangko Sentral ng Pilipinas")},
	},
	{
		title: "Orçamento participativo: de Porto Alegre aos municípios africanos", tagline: "Cidadãos decidem parte dos investimentos municipais",
		challenge: "Os moradores dos bairros pobres não participavam das decisões sobre os investimentos da cidade.",
		solution:  "Assembleias de bairro escolhem prioridades e delegados acompanham a execução; municípios de Moçambique e Cabo Verde adaptaram a metodologia com apoio de cidades brasileiras.",
		results:   "Dezenas de municípios com orçamento participativo; obras escolhidas pelos moradores concluídas.",
		countries: []string{"BR", "MZ", "CV"}, sdgs: []int{11, 16}, targets: []string{"11.3", "16.7"}, start: "2010-05", lang: "pt",
		supporters: []string{"Prefeitura de Porto Alegre"}, implementers: []string{"Associação Nacional dos Municípios de Moçambique"},
		contacts: []solution.RecordContact{role("Coordenadora de Relações Internacionais", "Prefeitura de Porto Alegre")},
	},
	{
		title: "Bus rapid transit: from Bogotá to Dar es Salaam", tagline: "Dedicated bus lanes that cut commuting times",
		challenge: "Congested roads made commutes take hours and kept the poor far from jobs.",
		solution:  "Colombian planners shared the design, operation and fare integration of Bogotá's bus rapid transit with Dar es Salaam.",
		results:   "Dar es Salaam's first phase carries some 200,000 passengers a day, halving travel times on the corridor.",
		countries: []string{"CO", "TZ"}, sdgs: []int{11, 9, 13}, targets: []string{"11.2", "9.1"}, start: "2012-10", completed: true, end: "2018-06",
		supporters: []string{"World Bank"}, implementers: []string{"TransMilenio S.A.", "Dar Rapid Transit Agency"},
		contacts: []solution.RecordContact{role("Director of Planning", "Dar Rapid Transit Agency")},
	},
	{
		title: "Baan Mankong: community-led upgrading of informal settlements", tagline: "Slum communities plan and build their own secure housing",
		challenge: "Families in informal settlements lived under threat of eviction in unsafe housing.",
		solution:  "Flexible loans and grants to community savings groups that negotiate land, plan and rebuild; Thailand's model inspired programmes in Cambodia, Sri Lanka and Nepal.",
		results:   "More than 100,000 households in Thailand; community funds set up in three neighbouring countries.",
		countries: []string{"TH", "KH", "LK", "NP"}, sdgs: []int{11, 1}, targets: []string{"11.1", "1.4"}, start: "2009-01",
		supporters: []string{"Asian Coalition for Housing Rights"}, implementers: []string{"Community Organizations Development Institute (CODI)"},
		contacts: []solution.RecordContact{role("Director", "CODI")},
	},
	{
		title: "Hermetic bags against post-harvest losses", tagline: "Airtight storage that protects grain without chemicals",
		challenge: "Farmers lost a large share of their grain to insects during storage and sold at harvest when prices were lowest.",
		solution:  "Airtight triple-layer bags, manufactured locally, with demonstrations by farmer organisations; Ghana, Benin and Burkina Faso exchange distribution models.",
		results:   "Storage losses below 2% in bags; farmers sold later at better prices.",
		countries: []string{"GH", "BJ", "BF"}, sdgs: []int{12, 2}, targets: []string{"12.3", "2.3"}, start: "2016-07",
		supporters: []string{fao}, implementers: []string{"Farmer organisations of Ghana, Benin and Burkina Faso"},
		contacts: []solution.RecordContact{role("Post-harvest Specialist", "FAO Ghana")},
	},
	{
		title: "Gestión integral de residuos sólidos en municipios del Caribe", tagline: "Separación en la fuente, reciclaje y cierre de vertederos a cielo abierto",
		challenge: "Los vertederos a cielo abierto contaminan el agua y el aire de las ciudades costeras del Caribe.",
		solution:  "Municipios de República Dominicana, Cuba y Costa Rica intercambian planes de gestión de residuos, asociaciones con recicladores de base y rellenos sanitarios regionales.",
		results:   "Tres vertederos cerrados y programas de reciclaje con recicladores organizados en seis municipios.",
		countries: []string{"DO", "CU", "CR"}, sdgs: []int{12, 11}, targets: []string{"12.5", "11.6"}, start: "2019-09", lang: "es",
		supporters: []string{undp}, implementers: []string{"Federación Dominicana de Municipios (FEDOMU)"},
		contacts: []solution.RecordContact{role("Coordinadora ambiental", "FEDOMU")},
	},
	{
		title: "Cyclone early warning: Bangladesh shares its preparedness programme", tagline: "Volunteers, shelters and warnings that save lives",
		challenge: "Cyclones killed hundreds of thousands along low-lying coasts where warnings did not reach villages.",
		solution:  "Bangladesh's cyclone preparedness programme — tens of thousands of volunteers, flag signals, megaphones and shelters — is shared with Mozambique and Madagascar.",
		results:   "Volunteer networks trained in cyclone-prone districts of both countries; evacuation drills held each season.",
		countries: []string{"BD", "MZ", "MG"}, sdgs: []int{13, 11}, targets: []string{"13.1", "11.5"}, start: "2018-11",
		supporters: []string{"World Meteorological Organization"}, implementers: []string{"Bangladesh Red Crescent Society"},
		contacts: []solution.RecordContact{role("Head of Disaster Management", "Bangladesh Red Crescent Society")}, communities: []string{"climate-health"},
	},
	{
		title: "Climate-resilient health facilities in the Pacific", tagline: "Health centres that keep working through cyclones and droughts",
		challenge: "Cyclones and sea-level rise damage health facilities on Pacific islands just when communities need them most.",
		solution:  "Pacific health ministries share assessment tools, building standards, water and power backup and emergency plans for health facilities.",
		results:   "Vulnerability assessments of 120 facilities; retrofits completed in 30.",
		countries: []string{"FJ", "TO", "VU", "KI"}, sdgs: []int{13, 3}, targets: []string{"13.1", "3.d"}, start: "2020-06", triangular: true,
		supporters: []string{who, koica}, implementers: []string{"Ministry of Health and Medical Services of Fiji"},
		contacts: []solution.RecordContact{role("Climate and Health Officer", "WHO Pacific")}, communities: []string{"climate-health"},
	},
	{
		title: "Accès direct à la finance climatique pour les pays du Sahel", tagline: "Accréditer les institutions nationales auprès des fonds climat",
		challenge: "Les pays sahéliens accèdent difficilement aux fonds climat, faute d'institutions nationales accréditées.",
		solution:  "Le Sénégal, premier pays accrédité de la sous-région, accompagne ses voisins dans la préparation des dossiers d'accréditation et de projets.",
		results:   "Deux institutions nationales accréditées et quatre projets d'adaptation financés.",
		countries: []string{"SN", "BF", "ML", "NE"}, sdgs: []int{13, 17}, targets: []string{"13.a", "17.3"}, start: "2016-02", completed: true, end: "2021-12", lang: "fr",
		supporters: []string{undp}, implementers: []string{"Centre de suivi écologique (CSE)"},
		contacts: []solution.RecordContact{role("Directeur technique", "Centre de suivi écologique")}, updated: "2023-10-10T08:00:00Z",
	},
	{
		title: "Locally managed marine areas in Melanesia", tagline: "Villages protecting their own reefs and fisheries",
		challenge: "Overfishing depleted reefs on which coastal villages depend for food.",
		solution:  "Communities set tabu areas and fishing rules using customary tenure, with simple monitoring; Fiji's network shares the approach with Solomon Islands, Vanuatu and Papua New Guinea.",
		results:   "Hundreds of community-managed areas; fish stocks recovered inside many tabu zones.",
		countries: []string{"FJ", "SB", "VU", "PG"}, sdgs: []int{14, 1}, targets: []string{"14.2", "14.b"}, start: "2013-06",
		supporters: []string{"Secretariat of the Pacific Regional Environment Programme (SPREP)"}, implementers: []string{"Locally Managed Marine Area Network"},
		contacts: []solution.RecordContact{role("Network Coordinator", "LMMA Network")},
	},
	{
		title: "Seaweed farming for coastal women: Zanzibar and Indonesia", tagline: "Better seaweed varieties and processing for women farmers",
		challenge: "Women seaweed farmers earned little from raw seaweed, and warmer seas killed their crops.",
		solution:  "Indonesian researchers share heat-tolerant varieties and deep-water farming techniques, and help women's groups process seaweed into soap and food.",
		results:   "Incomes of participating women's groups doubled; new varieties tested on four sites.",
		countries: []string{"TZ", "ID"}, sdgs: []int{14, 5}, targets: []string{"14.7", "5.a"}, start: "2021-01",
		supporters: []string{fao}, implementers: []string{"Zanzibar Seaweed Cluster Initiative"},
		contacts: []solution.RecordContact{role("Coordinator", "Zanzibar Seaweed Cluster Initiative")},
	},
	{
		title: "Restauración de paisajes forestales en Centroamérica", tagline: "Sistemas agroforestales y pago por servicios ambientales",
		challenge: "La deforestación y la degradación de suelos amenazan el agua y los medios de vida rurales.",
		solution:  "Costa Rica comparte su programa de pago por servicios ambientales y Guatemala su programa de incentivos forestales con Honduras.",
		results:   "Más de 20.000 hectáreas en restauración en los tres países.",
		countries: []string{"CR", "GT", "HN"}, sdgs: []int{15, 13}, targets: []string{"15.2", "15.3"}, start: "2018-06", lang: "es",
		supporters: []string{"Comisión Centroamericana de Ambiente y Desarrollo (CCAD)"}, implementers: []string{"Fondo Nacional de Financiamiento Forestal (FONAFIFO)"},
		contacts: []solution.RecordContact{role("Jefe de Cooperación", "FONAFIFO")},
	},
	{
		title: "Great Green Wall: drylands restoration across the Sahel", tagline: "Restoring degraded land from Senegal to Djibouti",
		challenge: "Desertification degrades farmland and pushes young people to migrate.",
		solution:  "Sahelian countries exchange restoration techniques — half-moons, zaï pits, farmer-managed natural regeneration — and Chinese experts share sand-control methods.",
		results:   "Millions of hectares under restoration; community nurseries and gardens along the wall.",
		countries: []string{"SN", "NE", "ML", "CN"}, sdgs: []int{15, 13, 1}, targets: []string{"15.3"}, start: "2012-01",
		supporters: []string{"Pan-African Agency of the Great Green Wall"}, implementers: []string{"National Great Green Wall agencies"},
		contacts: []solution.RecordContact{role("Technical Director", "Pan-African Agency of the Great Green Wall")},
	},
	{
		title: "Community forestry: Nepal's forest user groups", tagline: "Forests handed back to the communities that use them",
		challenge: "State-managed forests were degrading while communities had no stake in protecting them.",
		solution:  "Forest user groups manage and benefit from local forests under approved plans; Nepali practitioners advise Lao PDR on community forestry rules.",
		results:   "Forest cover recovered in Nepal's middle hills; Lao PDR piloted village forestry in two provinces.",
		countries: []string{"NP", "LA"}, sdgs: []int{15, 1}, targets: []string{"15.2"}, start: "2015-12",
		supporters: []string{"RECOFTC"}, implementers: []string{"Federation of Community Forestry Users Nepal (FECOFUN)"},
		contacts: []solution.RecordContact{role("Programme Officer", "RECOFTC")},
	},
	{
		title: "Birth registration by mobile phone", tagline: "Registering newborns where registry offices are far away",
		challenge: "Millions of children had no birth certificate, which later kept them out of school and services.",
		solution:  "Health workers and village officials register births by mobile phone; Uganda's system informed pilots in Pakistan and Senegal.",
		results:   "Birth registration of under-fives more than doubled in pilot districts.",
		countries: []string{"UG", "PK", "SN"}, sdgs: []int{16, 3}, targets: []string{"16.9"}, start: "2014-10",
		supporters: []string{unicef}, implementers: []string{"Uganda Registration Services Bureau"},
		contacts: []solution.RecordContact{role("Child Protection Specialist", "UNICEF Uganda")},
	},
	{
		title: "Cooperación electoral entre organismos electorales de América Latina", tagline: "Observación, capacitación y tecnología electoral entre pares",
		challenge: "Los organismos electorales necesitan mejorar la confianza en los resultados con recursos limitados.",
		solution:  "El Instituto Nacional Electoral de México comparte capacitación de funcionarios, sistemas de resultados preliminares y observación con organismos de la región.",
		results:   "Sistemas de resultados preliminares adoptados en dos países y programas de capacitación conjuntos.",
		countries: []string{"MX", "GT", "HN", "PY"}, sdgs: []int{16}, targets: []string{"16.7", "16.6"}, start: "2014-06", lang: "es",
		supporters: []string{amexcid}, implementers: []string{"Instituto Nacional Electoral (INE)"},
		contacts: []solution.RecordContact{role("Coordinador de Asuntos Internacionales", "INE")},
	},
	{
		title: "South-South knowledge platform for development solutions", tagline: "A global platform where countries find partners and solutions",
		challenge: "Countries looking for South-South partners do not know who has solved their problem.",
		solution:  "An online platform that gathers solutions, partners and experts, with a matchmaking service that connects requests from governments to providers in other developing countries.",
		results:   "Hundreds of solutions documented and dozens of matches between countries each year.",
		sdgs:      []int{17}, targets: []string{"17.6", "17.9"}, start: "2019-09",
		supporters: []string{unossc}, implementers: []string{unossc},
		contacts: []solution.RecordContact{role("Knowledge Management Specialist", "UNOSSC")},
	},
	{
		title: "Fortalecimiento estadístico: Colombia y las oficinas de estadística del Caribe", tagline: "Censos, encuestas y registros administrativos de calidad",
		challenge: "Las oficinas nacionales de estadística pequeñas carecen de personal para producir los indicadores de los ODS.",
		solution:  "El DANE de Colombia capacita a estadísticos del Caribe en muestreo, censos y uso de registros administrativos, con pasantías en Bogotá.",
		results:   "Tres oficinas produjeron nuevos indicadores de los ODS con métodos compartidos.",
		countries: []string{"CO", "JM", "TT", "HT"}, sdgs: []int{17, 16}, targets: []string{"17.18", "17.19"}, start: "2019-02", lang: "es",
		supporters: []string{apc}, implementers: []string{"Departamento Administrativo Nacional de Estadística (DANE)"},
		contacts: []solution.RecordContact{role("Jefa de Cooperación Internacional", "DANE")},
	},
	{
		title: "Home visiting for early childhood development in Eastern Europe", tagline: "Nurses who visit young families at home",
		challenge: "Developmental delays and family difficulties were detected late, when young children reached school.",
		solution:  "Patronage nurses trained in early childhood development visit families with babies and young children; Moldova, Ukraine and Georgia share curricula and supervision tools.",
		results:   "Over 3,000 nurses trained; earlier referral of children with developmental delays.",
		countries: []string{"MD", "UA", "GE"}, sdgs: []int{4, 3}, targets: []string{"4.2", "3.2"}, start: "2017-04",
		supporters: []string{unicef}, implementers: []string{"Ministry of Health of the Republic of Moldova"},
		contacts: []solution.RecordContact{role("Early Childhood Development Officer", "UNICEF Moldova")},
	},
	{
		title: "Education in emergencies for refugee-hosting communities", tagline: "Double-shift schools and catch-up classes for refugee children",
		challenge: "Public schools in host communities could not absorb the number of refugee children.",
		solution:  "Jordan, Lebanon and Türkiye exchange practices: double-shift schooling, accelerated learning, teacher training and psychosocial support.",
		results:   "Hundreds of thousands of refugee children enrolled in public schools.",
		countries: []string{"JO", "LB", "TR"}, sdgs: []int{4, 16}, targets: []string{"4.1", "4.5"}, start: "2014-09",
		supporters: []string{unicef}, implementers: []string{"Ministry of Education of Jordan", "Ministry of Education and Higher Education of Lebanon"},
		contacts: []solution.RecordContact{role("Education Specialist", "UNICEF MENA")},
	},
	{
		title: "Water-saving irrigation in North Africa and the Middle East", tagline: "Drip irrigation and water user associations",
		challenge: "Agriculture uses most of the scarce water in the region, much of it lost in open-channel irrigation.",
		solution:  "Morocco's national irrigation water-saving programme shares subsidies for drip irrigation and water user associations with Jordan and Egypt.",
		results:   "Water use per hectare down by a third on converted farms.",
		countries: []string{"MA", "JO", "EG"}, sdgs: []int{6, 2}, targets: []string{"6.4", "2.4"}, start: "2016-11",
		supporters: []string{isdb}, implementers: []string{"Ministry of Agriculture of Morocco"},
		contacts: []solution.RecordContact{role("Head of Irrigation", "Ministry of Agriculture, Morocco")},
	},
	{
		title: "Teacher professional development in Central Asia", tagline: "School-based teacher learning communities",
		challenge: "Teachers in Central Asia had few chances to update their methods after initial training.",
		solution:  "Kazakhstan's centres of excellence share school-based professional learning, lesson study and mentoring with Kyrgyzstan and Uzbekistan.",
		results:   "Lesson study groups in 400 schools; mentoring adopted in national teacher policies.",
		countries: []string{"KZ", "KG", "UZ"}, sdgs: []int{4}, targets: []string{"4.c", "4.1"}, start: "2018-02", triangular: true,
		supporters: []string{tika, "Asian Development Bank"}, implementers: []string{"Centre of Excellence, Nazarbayev Intellectual Schools"},
		contacts: []solution.RecordContact{role("International Projects Manager", "Nazarbayev Intellectual Schools")},
	},
}
