package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/sqldb"
)

// The file is named so that it loads after the solutions catalogue: offers
// link to the catalogue's records.
func init() { loaders = append(loaders, loadSouthSouth) }

// demoNeed is a need of the model community, written short.
type demoNeed struct {
	key, author, title, description string
	targets, topics, languages      []string
	modalities                      []string
	from, to                        string // timeframe, YYYY-MM
}

// demoOffer is an offer of a demo member, written short.
type demoOffer struct {
	key, author, title, description string
	targets, topics, languages      []string
	modalities                      []string
	capacity                        string
	solution                        string // title of a catalogue record it builds on
}

// demoMatch is a match of the model community carried to stage, with the
// details of its exchange.
type demoMatch struct {
	need, offer string
	proposed    string // YYYY-MM-DD
	broker      string
	stage       string // the last stage reached
	declinedAt  string // the stage after which it was declined
	notes       map[string]string
	change      matching.StageChange
}

const (
	isabelEmail = "isabel.monteiro@ipcig.example.org"
	thomasEmail = "thomas.becker@unicef.example.org"
)

// demoNeeds are the model community's needs, on its focus areas: primary
// health care, maternal, newborn and child health, the elimination of
// mother-to-child transmission, universal health coverage, health systems.
var demoNeeds = []demoNeed{
	{"zw-syphilis", "tendai.moyo@mohcc.example.org", "Prepare the dossier to validate the elimination of mother-to-child transmission of syphilis",
		"Zimbabwe must validate the elimination of mother-to-child transmission of **syphilis** by 2027. We have the programme data but have never " +
			"prepared a validation dossier: which indicators, which data quality reviews, how to organise the national validation committee.",
		[]string{"3.3"}, []string{"congenital syphilis", "EMTCT validation", "validation dossier"}, []string{"en"}, []string{"study_visit", "expert_advice"}, "2021-03", "2022-12"},
	{"mz-anc", "joao.tembe@misau.example.org", "Syphilis testing in antenatal care in rural districts",
		"Only half of pregnant women in rural districts are tested for syphilis at their first antenatal visit. We want to learn how others brought " +
			"point-of-care tests and same-day treatment to every antenatal clinic.",
		[]string{"3.3", "3.1"}, []string{"congenital syphilis", "antenatal care", "point-of-care testing"}, []string{"pt", "en"}, []string{"documents", "expert_advice"}, "2021-01", "2021-12"},
	{"bi-rbf", "jb.ndayishimiye@sante.example.org", "Results-based financing for maternal health in health centres",
		"Burundi wants to tie part of health centres' budgets to deliveries attended by skilled staff and to antenatal visits. " +
			"How do others verify results without drowning health centres in paperwork?",
		[]string{"3.1", "3.8"}, []string{"results-based financing", "maternal health"}, []string{"fr"}, []string{"study_visit", "twinning"}, "2021-04", ""},
	{"et-registers", "hana.tesfaye@moh.example.org", "Digital registers for health extension workers",
		"Our health extension workers keep a dozen paper registers. We look for an institution that moved community health workers to a " +
			"digital register and can say what it cost and what went wrong.",
		[]string{"3.c", "3.8"}, []string{"community health workers", "digital health", "health extension workers"}, []string{"en"}, []string{"webinar", "expert_advice"}, "2021-02", "2021-11"},
	{"af-midwives", "farida.haidari@ngo.example.org", "Train midwives in emergency obstetric care in remote provinces",
		"Midwives in remote provinces meet obstetric emergencies alone. We need a training model, with mentoring, that works where " +
			"supervisors can visit only twice a year.",
		[]string{"3.1", "3.c"}, []string{"midwifery", "emergency obstetric care"}, []string{"en", "fa"}, []string{"twinning", "study_visit"}, "2021-01", ""},
	{"ml-mdsr", "ousmane.traore@sante.example.org", "Maternal death surveillance and response in every region",
		"Mali notifies fewer than half of its maternal deaths. We want to set up maternal death surveillance and response, with reviews " +
			"that lead to action in the facilities concerned.",
		[]string{"3.1"}, []string{"maternal death surveillance", "maternal mortality"}, []string{"fr"}, []string{"study_visit", "expert_advice"}, "2020-09", "2021-12"},
	{"la-anaemia", "bui.hai@ngo.example.org", "Cut anaemia among children under three",
		"Anaemia affects four in ten young children in the provinces where we work. We want to learn from a multisector plan that reduced it.",
		[]string{"2.2", "3.2"}, []string{"anaemia", "child nutrition"}, []string{"en", "fr"}, []string{"expert_advice", "documents"}, "2020-10", ""},
	{"to-nurses", "sione.taufa@health.example.org", "Keep nurses in the outer islands",
		"Nurses posted to the outer islands leave within two years. Which incentives and career paths kept health workers in remote posts elsewhere?",
		[]string{"3.c"}, []string{"health workforce retention", "nursing"}, []string{"en"}, []string{"webinar", "expert_advice"}, "2021-05", ""},
	{"uz-perinatal", "d.karimova@ssv.example.org", "Effective perinatal care in regional maternity hospitals",
		"We are introducing evidence-based perinatal care protocols in regional maternity hospitals and need coaching methods that change daily practice.",
		[]string{"3.1", "3.2"}, []string{"perinatal care", "quality of care", "newborn care"}, []string{"ru", "en"}, []string{"study_visit"}, "2021-02", "2021-12"},
	{"bf-milk", "emilie.kabore@sante.example.org", "Set up human milk banks in neonatal units",
		"Premature babies in our neonatal units often have no breast milk. We want to open a first human milk bank in Ouagadougou and learn how to run it safely.",
		[]string{"3.2"}, []string{"human milk banks", "newborn care"}, []string{"fr"}, []string{"study_visit", "twinning"}, "2020-06", "2021-06"},
	{"ke-youth", "grace.wanjiru@amref.example.org", "Youth-friendly reproductive health services in county clinics",
		"Young people avoid county clinics. We want to make reproductive health services youth-friendly and measure whether more young people come.",
		[]string{"3.7"}, []string{"adolescent health", "reproductive health"}, []string{"en", "sw"}, []string{"webinar", "study_visit"}, "2021-03", ""},
	{"pe-amazon", "rafael.mendoza@minsa.example.org", "Reduce newborn deaths in the Amazon region",
		"Newborn mortality in the Amazon region is twice the national rate. We look for experience with newborn care in remote river communities.",
		[]string{"3.2"}, []string{"newborn care", "intercultural health"}, []string{"es"}, []string{"study_visit"}, "2021-06", ""},
	{"pe-childbirth", "rafael.mendoza@minsa.example.org", "Culturally appropriate childbirth in Andean communities",
		"Indigenous women in the Andes still give birth at home far from care. We want to adapt our maternity services to their practices.",
		[]string{"3.1"}, []string{"intercultural health", "culturally appropriate childbirth"}, []string{"es", "qu"}, []string{"study_visit"}, "2020-05", "2021-05"},
	{"gh-chps", "k.mensah@health.example.org", "Keep community health zones running with less donor funding",
		"Donor funding for our community-based health planning and services zones is ending. How did others finance community health workers from the national budget?",
		[]string{"3.8"}, []string{"community health workers", "health financing", "primary health care"}, []string{"en"}, []string{"study_visit", "expert_advice"}, "2021-01", ""},
	{"sn-dual", "f.diallo@sante.example.org", "Dual HIV and syphilis rapid tests for pregnant women",
		"Senegal will introduce dual HIV/syphilis rapid tests in antenatal care. We need advice on training, supply and quality control.",
		[]string{"3.3"}, []string{"congenital syphilis", "dual rapid tests", "EMTCT"}, []string{"fr"}, []string{"expert_advice", "documents"}, "2020-11", "2021-10"},
	{"ma-enquiries", "y.elamrani@sante.example.org", "Confidential enquiries into maternal deaths at regional level",
		"Our maternal death audits are done facility by facility. We want regional confidential enquiries that compare causes and care across facilities.",
		[]string{"3.1"}, []string{"maternal death audit", "maternal mortality"}, []string{"fr", "ar"}, []string{"twinning"}, "2020-08", ""},
	{"rw-digital", "mc.uwimana@rbc.example.org", "Digital enrolment for community-based health insurance",
		"Households enrol in community-based health insurance on paper every year. We want to move enrolment and payment to mobile phones.",
		[]string{"3.8"}, []string{"community health insurance", "digital health"}, []string{"fr", "en"}, []string{"expert_advice", "webinar"}, "2020-09", ""},
	{"ng-sepsis", "amina.bello@unicef.example.org", "Newborn sepsis management at community level in northern states",
		"Where families cannot reach a hospital, how can community health workers treat possible serious bacterial infection in newborns safely?",
		[]string{"3.2"}, []string{"newborn care", "community health workers"}, []string{"en", "ha"}, []string{"study_visit"}, "2021-04", ""},
	{"id-posyandu", "siti.rahmawati@kemkes.example.org", "Linking village health posts to district dashboards",
		"Growth monitoring data from our village health posts stays on paper. We want it in district dashboards to target stunting.",
		[]string{"3.2", "2.2"}, []string{"health information systems", "stunting"}, []string{"en", "id"}, []string{"expert_advice"}, "2021-03", ""},
	{"co-rural", "carlos.rojas@minsalud.example.org", "Primary health care teams for rural territories",
		"Colombia wants multidisciplinary primary care teams responsible for the population of each rural territory, visiting households.",
		[]string{"3.8"}, []string{"primary health care", "community health workers"}, []string{"es"}, []string{"study_visit"}, "2020-07", ""},
	{"lb-refugees", "leila.haddad@ipc.example.org", "Maternal and child health services for refugees in host communities",
		"Municipal clinics serve refugee and host families alike. We need models that finance maternal and child care for both without parallel systems.",
		[]string{"3.1", "3.8"}, []string{"refugee health", "primary health care"}, []string{"ar", "en"}, []string{"expert_advice", "webinar"}, "2021-02", ""},
	{"bo-adolescents", "camila.herrera@unfpa.example.org", "Prevent adolescent pregnancy in rural municipalities",
		"One in five adolescent girls in rural municipalities is a mother. We look for programmes that combined schools and health services.",
		[]string{"3.7"}, []string{"adolescent pregnancy", "reproductive health", "adolescent health"}, []string{"es"}, []string{"study_visit", "webinar"}, "2021-01", ""},
	{"vn-hepb", "lan.nguyen@moh.example.org", "Eliminate mother-to-child transmission of hepatitis B",
		"Viet Nam adds hepatitis B to its EMTCT programme: birth-dose vaccination and antiviral treatment of pregnant women with high viral load.",
		[]string{"3.3"}, []string{"hepatitis B", "EMTCT"}, []string{"vi", "en"}, []string{"expert_advice"}, "2021-06", ""},
	{"br-breastfeeding", "ana.souza@saude.example.org", "Breastfeeding-friendly workplaces in the public sector",
		"We want every public employer to offer breastfeeding rooms and flexible hours, and look for countries that made it a rule.",
		[]string{"3.2"}, []string{"breastfeeding"}, []string{"pt", "es"}, []string{"expert_advice", "documents"}, "2021-04", ""},
	{"ml-emonc", "ousmane.traore@sante.example.org", "Emergency obstetric and newborn care in conflict-affected regions",
		"Health centres in the north lost staff and supplies. We need ways to keep emergency obstetric and newborn care running through insecurity.",
		[]string{"3.1", "3.2"}, []string{"emergency obstetric care", "newborn care"}, []string{"fr"}, []string{"expert_advice", "twinning"}, "2021-05", ""},
}

// demoOffers are what demo members' institutions can share.
var demoOffers = []demoOffer{
	{"th-emtct", "somchai.prasert@moph.example.org", "Study visit: how Thailand validated the elimination of mother-to-child transmission of HIV and syphilis",
		"Our ministry led the first validation in Asia, in 2016. We host study visits on the **validation dossier**: indicators, data quality " +
			"assessments, the national validation committee and the laboratory quality programme.",
		[]string{"3.3"}, []string{"EMTCT validation", "congenital syphilis", "validation dossier"}, []string{"en", "th"},
		[]string{"study_visit", "expert_advice", "documents"}, "Two delegations a year, up to six people each",
		"Eliminating mother-to-child transmission of HIV and syphilis: Thailand shares its validation experience"},
	{"pa-emtct-plus", "mercedes.ocampo@paho.example.org", "EMTCT Plus framework and tools for congenital syphilis",
		"PAHO shares the EMTCT Plus framework, its monitoring tools and the experience of the countries of the Americas validated for eliminating congenital syphilis.",
		[]string{"3.3"}, []string{"congenital syphilis", "EMTCT", "dual rapid tests"}, []string{"es", "en", "pt"},
		[]string{"webinar", "documents", "expert_advice"}, "Webinars on request; documents in three languages",
		"Cuba–Caribbean exchange on eliminating congenital syphilis"},
	{"br-milk", "pedro.cardoso@fiocruz.example.org", "Human milk banks: the Brazilian network's method and training",
		"The Brazilian network of human milk banks trains teams to collect, pasteurise and distribute donated milk at low cost, and twins new banks with experienced ones.",
		[]string{"3.2"}, []string{"human milk banks", "newborn care", "breastfeeding"}, []string{"pt", "es", "en", "fr"},
		[]string{"study_visit", "twinning", "documents"}, "Three twinnings a year", "Rede Global de Bancos de Leite Humano"},
	{"bf-kmc", "emilie.kabore@sante.example.org", "Kangaroo mother care training for district hospitals",
		"Our national kangaroo mother care centre trains district hospital teams in skin-to-skin care for preterm babies, in French.",
		[]string{"3.2"}, []string{"kangaroo mother care", "newborn care"}, []string{"fr"}, []string{"twinning", "study_visit"}, "Two teams a quarter",
		"Kangaroo mother care from Colombia to West Africa"},
	{"rw-cbhi", "mc.uwimana@rbc.example.org", "Community-based health insurance: Rwanda's Mutuelles de santé",
		"We share how Rwanda enrols nine in ten households in community-based health insurance, with contributions by income category.",
		[]string{"3.8"}, []string{"community health insurance", "health financing"}, []string{"fr", "en"}, []string{"study_visit", "expert_advice"}, "",
		"Community-based health insurance: Rwanda's Mutuelles de santé"},
	{"et-hep", "hana.tesfaye@moh.example.org", "Ethiopia's health extension programme: training and supervision",
		"Study visits to health posts and the training of salaried health extension workers: selection, one-year training, supervision and career paths.",
		[]string{"3.8", "3.c"}, []string{"health extension workers", "community health workers", "primary health care"}, []string{"en"}, []string{"study_visit"},
		"Four study visits a year", "Health Extension Programme: learning from Ethiopia"},
	{"in-asha", "ravi.pillai@nhsrc.example.org", "ASHA community health activists: incentives, supervision and digital tools",
		"India's National Health Systems Resource Centre shares how a million ASHAs are paid by results, supervised and equipped with mobile registers.",
		[]string{"3.c", "3.8"}, []string{"community health workers", "digital health", "supervision"}, []string{"en", "hi"}, []string{"study_visit", "webinar", "expert_advice"},
		"", "ASHA community health activists: India's experience shared with South Asian neighbours"},
	{"gh-chps", "k.mensah@health.example.org", "Community-based health planning and services (CHPS)",
		"Ghana shares how CHPS zones bring community health officers to every community, and how districts plan them.",
		[]string{"3.8"}, []string{"community health workers", "primary health care"}, []string{"en"}, []string{"study_visit", "webinar"}, "",
		"Community-based Health Planning and Services (CHPS): Ghana and Sierra Leone"},
	{"za-school", "nomvula.dlamini@health.example.org", "Integrated school health programme",
		"South Africa's school health teams screen learners, provide reproductive health education and refer to youth-friendly clinics.",
		[]string{"3.7"}, []string{"school health", "adolescent health", "reproductive health"}, []string{"en"}, []string{"webinar", "documents"}, "",
		"Adolescent-friendly health services in Southern Africa"},
	{"ma-mdsr", "y.elamrani@sante.example.org", "Morocco's maternal death surveillance system",
		"Since 2009 every maternal death in Morocco is notified and reviewed. We share the forms, the circuit of notification and the regional committees.",
		[]string{"3.1"}, []string{"maternal death surveillance", "maternal death audit", "maternal mortality"}, []string{"fr", "ar", "en"},
		[]string{"study_visit", "expert_advice"}, "One delegation a semester", "Audit des décès maternels : l'expérience du Maroc partagée en Afrique francophone"},
	{"pe-anaemia", "rafael.mendoza@minsa.example.org", "Peru's multisector plan against child anaemia",
		"Peru cut anaemia in young children through a plan that joined health, social programmes and municipalities. We share its design and results.",
		[]string{"2.2", "3.2"}, []string{"anaemia", "child nutrition"}, []string{"es"}, []string{"expert_advice", "documents"}, "", ""},
	{"id-posyandu", "siti.rahmawati@kemkes.example.org", "Posyandu: village health posts for growth monitoring",
		"Indonesia's posyandu are monthly village posts run by volunteers for growth monitoring, immunisation and nutrition counselling.",
		[]string{"2.2"}, []string{"stunting", "child nutrition", "community health workers"}, []string{"en", "id"}, []string{"study_visit", "webinar"}, "",
		"Posyandu: integrated village health posts"},
	{"vn-eenc", "lan.nguyen@moh.example.org", "Early essential newborn care: coaching at scale",
		"Viet Nam coached staff of every maternity hospital in early essential newborn care, with a method of clinical coaching and quality review.",
		[]string{"3.2"}, []string{"newborn care", "perinatal care", "quality of care"}, []string{"en", "vi"}, []string{"study_visit", "twinning"}, "",
		"Soins essentiels du nouveau-né : échanges entre le Viet Nam et l'Afrique de l'Ouest"},
	{"cn-mmr", "li.wei@cdc.example.org", "Maternal mortality surveillance: thirty years of a national system",
		"China's national maternal mortality surveillance system covers every province. We share its sampling, its reviews and its data quality checks.",
		[]string{"3.1"}, []string{"maternal mortality", "maternal death surveillance", "health information systems"}, []string{"zh", "en"},
		[]string{"study_visit", "documents"}, "", ""},
	{"bd-newborn", "aisha.karim@brac.example.org", "Community health workers in newborn care: BRAC's approach",
		"BRAC's community health workers visit mothers after birth, recognise danger signs and manage newborn infections under supervision.",
		[]string{"3.2"}, []string{"newborn care", "community health workers"}, []string{"en", "bn"}, []string{"study_visit"}, "", ""},
	{"mx-evaluation", "mariana.gutierrez@ins.example.org", "Impact evaluation of nutrition and health programmes",
		"Our institute evaluates national programmes. We advise ministries on designing an evaluation before a programme starts.",
		[]string{"2.2", "3.8"}, []string{"program evaluation", "child nutrition"}, []string{"es", "en"}, []string{"expert_advice", "webinar"}, "", ""},
	{"ar-mental", "lucia.fernandez@msal.example.org", "Child and adolescent mental health services in a network",
		"Argentina organised child and adolescent mental health care in networks of primary care, schools and hospitals. We share the model.",
		[]string{"3.4"}, []string{"child mental health", "adolescent mental health"}, []string{"es", "en", "pt"}, []string{"webinar", "expert_advice"}, "", ""},
	{"ir-mental", "m.rahimi@tums.example.org", "Training primary care staff in child and adolescent mental health",
		"A six-week course for primary care doctors and nurses on recognising and managing common mental disorders in children.",
		[]string{"3.4"}, []string{"child mental health", "school health"}, []string{"en", "fa"}, []string{"webinar", "expert_advice"}, "", ""},
	{"kr-triangular", "minjun.kim@koica.example.org", "Co-financing triangular exchanges on maternal and child health",
		"KOICA co-finances study visits and twinnings between developing countries on maternal and child health, as a triangular partner.",
		[]string{"17.9", "3.1"}, []string{"triangular cooperation", "maternal health"}, []string{"en", "ko"}, []string{"study_visit", "twinning"}, "", ""},
	{"cg-who", "samuel.okafor@who.example.org", "Peer review of EMTCT validation dossiers",
		"WHO's regional office reviews draft EMTCT validation dossiers and connects countries with validated peers.",
		[]string{"3.3"}, []string{"EMTCT validation", "validation dossier", "congenital syphilis"}, []string{"en", "fr"}, []string{"expert_advice", "webinar"}, "", ""},
	{"ec-childbirth", "rosa.quispe@salud.example.org", "Culturally appropriate childbirth: Ecuador's norm and training",
		"Ecuador's norm on culturally appropriate childbirth lets women choose the position, company and drinks of their labour. We train maternity teams.",
		[]string{"3.1"}, []string{"culturally appropriate childbirth", "intercultural health"}, []string{"es", "qu"}, []string{"study_visit", "webinar"}, "",
		"Parto culturalmente adecuado en los Andes"},
	{"zw-pmtct", "tendai.moyo@mohcc.example.org", "Rolling out lifelong HIV treatment for pregnant women",
		"Zimbabwe was among the first to offer lifelong treatment to every pregnant woman with HIV. We share the roll-out and its follow-up.",
		[]string{"3.3"}, []string{"HIV", "EMTCT"}, []string{"en"}, []string{"study_visit"}, "", ""},
	{"sn-bajenu", "f.diallo@sante.example.org", "Community godmothers for maternal health",
		"Senegal's bajenu gox, respected women of the neighbourhood, accompany pregnant women to antenatal care and delivery.",
		[]string{"3.1"}, []string{"maternal health", "community health workers"}, []string{"fr"}, []string{"study_visit"}, "", ""},
	{"br-rede", "ana.souza@saude.example.org", "Rede Cegonha: Brazil's network for maternal and newborn care",
		"Brazil organised care from pregnancy to the child's second year in regional networks with guaranteed places for delivery.",
		[]string{"3.1", "3.2"}, []string{"maternal health", "newborn care", "quality of care"}, []string{"pt", "es"}, []string{"study_visit", "documents"}, "", ""},
	{"ke-midwives", "grace.wanjiru@amref.example.org", "Training midwives with e-learning and mentoring",
		"Amref trains midwives in emergency obstetric care through mobile e-learning and mentoring by phone, where trainers cannot travel.",
		[]string{"3.1", "3.c"}, []string{"midwifery", "emergency obstetric care"}, []string{"en", "sw"}, []string{"webinar", "twinning"}, "", ""},
	{"in-uhc", "priya.raghavan@phfi.example.org", "Designing benefit packages for universal health coverage",
		"We advise on health technology assessment and costing to decide what publicly financed insurance pays for.",
		[]string{"3.8"}, []string{"universal health coverage", "health financing", "digital health"}, []string{"en", "hi"}, []string{"expert_advice", "webinar"}, "",
		"Universal health coverage: Thailand's benefit package design shared with Asian peers"},
	{"mz-apes", "joao.tembe@misau.example.org", "Mozambique's community health workers (APEs)",
		"The APE programme trains polyvalent community health workers for communities far from a health facility. We share its curriculum and supervision.",
		[]string{"3.8"}, []string{"community health workers", "primary health care"}, []string{"pt", "en"}, []string{"study_visit"}, "", ""},
	{"th-ucs", "somchai.prasert@moph.example.org", "Thailand's Universal Coverage Scheme",
		"Twenty years of universal coverage: how Thailand financed it, paid providers and protected households from catastrophic spending.",
		[]string{"3.8"}, []string{"universal health coverage", "health financing"}, []string{"en"}, []string{"study_visit", "webinar"}, "", ""},
	{"co-telemedicine", "carlos.rojas@minsalud.example.org", "Telemedicine for rural primary care",
		"Colombia connects rural health centres with specialists by telemedicine. We share the regulation and the operating model.",
		[]string{"3.8"}, []string{"digital health", "primary health care"}, []string{"es"}, []string{"webinar", "expert_advice"}, "",
		"Telemedicina para la atención primaria rural"},
	{"ug-research", "esther.nakato@mak.example.org", "Implementation research for programme managers",
		"A short course, with mentoring, that teaches maternal and child health programme managers to study why interventions work or not.",
		[]string{"3.1", "3.8"}, []string{"implementation research", "maternal health"}, []string{"en"}, []string{"webinar", "twinning"}, "", ""},
}

// demoMatches are fifteen matches of the model community, at every stage:
// two proposed, two introduced, two planned, three held, four with an
// outcome reported and two declined.
var demoMatches = []demoMatch{
	{need: "zw-syphilis", offer: "th-emtct", proposed: "2021-01-18", broker: isabelEmail, stage: matching.StageOutcomeReported,
		notes: map[string]string{
			matching.StageProposed:        "Thailand led the first validation in Asia; Zimbabwe prepares its dossier for 2027.",
			matching.StageIntroduced:      "Both teams met online and agreed on a study visit to Bangkok.",
			matching.StageExchangePlanned: "Five days in Bangkok with the national validation committee; WHO covers the flights.",
			matching.StageExchangeHeld:    "Five officials from Harare and three Thai experts worked through the dossier chapter by chapter.",
			matching.StageOutcomeReported: "Zimbabwe adapted Thailand's data quality assessment and submitted its pre-validation report.",
		},
		change: matching.StageChange{Modality: matching.ModalityStudyVisit, StartsOn: "2021-06-07", EndsOn: "2021-06-11",
			Participants: map[string]int{"ZW": 5, "TH": 3}, Outcome: matching.OutcomeAdapted,
			Partner: &matching.Partner{Name: "World Health Organization", Type: "un_agency"},
			Evidence: &matching.EvidenceInput{Text: "The pre-validation report cites the **data quality assessment** adapted from Thailand's.",
				Links: []string{"https://example.org/zimbabwe/emtct-pre-validation-report"}}}},
	{need: "bf-milk", offer: "br-milk", proposed: "2020-07-15", broker: isabelEmail, stage: matching.StageOutcomeReported,
		notes: map[string]string{
			matching.StageProposed:        "The Brazilian network twins new milk banks with experienced ones.",
			matching.StageIntroduced:      "Fiocruz and the ministry agreed on a twinning with the Recife milk bank.",
			matching.StageExchangePlanned: "A twinning over six months, with two visits.",
			matching.StageExchangeHeld:    "Three nurses trained in Recife; a Brazilian team helped open the bank.",
			matching.StageOutcomeReported: "Ouagadougou's first human milk bank opened in the national teaching hospital.",
		},
		change: matching.StageChange{Modality: matching.ModalityTwinning, StartsOn: "2020-11-02", EndsOn: "2021-04-30",
			Participants: map[string]int{"BF": 6, "BR": 4}, Outcome: matching.OutcomeAdopted,
			Evidence: &matching.EvidenceInput{Text: "The bank collected milk from 120 donors in its first three months.",
				Links: []string{"https://example.org/burkina-faso/human-milk-bank"}}}},
	{need: "ml-mdsr", offer: "ma-mdsr", proposed: "2020-07-01", broker: isabelEmail, stage: matching.StageOutcomeReported,
		notes: map[string]string{
			matching.StageProposed:        "Morocco reviews every maternal death since 2009, in French.",
			matching.StageIntroduced:      "The two directorates met at the regional meeting in Dakar.",
			matching.StageExchangePlanned: "Study visit to Rabat and two regions; KOICA co-finances.",
			matching.StageExchangeHeld:    "Seven Malian officials visited the regional committees.",
			matching.StageOutcomeReported: "Mali used the visit to inform its surveillance guide; regional committees are not yet set up.",
		},
		change: matching.StageChange{Modality: matching.ModalityStudyVisit, StartsOn: "2021-02-15", EndsOn: "2021-02-19",
			Participants: map[string]int{"ML": 7, "MA": 4}, Outcome: matching.OutcomeInformed,
			Partner:  &matching.Partner{Name: "Korea International Cooperation Agency", Country: "KR", Type: "donor"},
			Evidence: &matching.EvidenceInput{Text: "The national guide on maternal death surveillance cites Morocco's notification circuit."}}},
	{need: "pe-childbirth", offer: "ec-childbirth", proposed: "2020-11-02", broker: thomasEmail, stage: matching.StageOutcomeReported,
		notes: map[string]string{
			matching.StageProposed:        "Ecuador's norm answers Peru's question almost word for word.",
			matching.StageIntroduced:      "The two ministries exchanged their norms.",
			matching.StageExchangePlanned: "Webinars for the maternity teams of Puno and Cusco.",
			matching.StageExchangeHeld:    "Three webinars, 140 participants.",
			matching.StageOutcomeReported: "Peru adopted a technical norm on culturally appropriate childbirth.",
		},
		change: matching.StageChange{Modality: matching.ModalityWebinar, StartsOn: "2021-03-09", EndsOn: "2021-03-23",
			Participants: map[string]int{"PE": 130, "EC": 10}, Outcome: matching.OutcomeAdopted,
			Evidence: &matching.EvidenceInput{Text: "Technical norm on culturally appropriate childbirth, approved by ministerial resolution."}}},
	{need: "sn-dual", offer: "pa-emtct-plus", proposed: "2020-12-01", broker: isabelEmail, stage: matching.StageExchangeHeld,
		notes: map[string]string{
			matching.StageProposed:        "PAHO's tools cover dual rapid tests and their quality control.",
			matching.StageIntroduced:      "PAHO agreed to run a webinar in French.",
			matching.StageExchangePlanned: "Two webinars for the national programme and the regions.",
			matching.StageExchangeHeld:    "Two webinars held; the outcome will be reported after the first quarter of testing.",
		},
		change: matching.StageChange{Modality: matching.ModalityWebinar, StartsOn: "2021-05-11", EndsOn: "2021-05-18",
			Participants: map[string]int{"SN": 45, "PA": 3}}},
	{need: "la-anaemia", offer: "pe-anaemia", proposed: "2020-09-15", broker: thomasEmail, stage: matching.StageExchangeHeld,
		notes: map[string]string{
			matching.StageProposed:        "Peru's plan cut anaemia by joining health and social programmes.",
			matching.StageIntroduced:      "The Lao Women's Union and the Peruvian ministry met online, with interpretation.",
			matching.StageExchangePlanned: "Expert advice over three months on a provincial plan.",
			matching.StageExchangeHeld:    "Four working sessions on the provincial plan.",
		},
		change: matching.StageChange{Modality: matching.ModalityExpertAdvice, StartsOn: "2021-03-01", EndsOn: "2021-05-31",
			Participants: map[string]int{"LA": 8, "PE": 2}, Partner: &matching.Partner{Name: "UNICEF", Type: "un_agency"}}},
	{need: "rw-digital", offer: "in-uhc", proposed: "2020-12-20", broker: isabelEmail, stage: matching.StageExchangeHeld,
		notes: map[string]string{
			matching.StageProposed:        "The foundation advises on digital enrolment in publicly financed insurance.",
			matching.StageIntroduced:      "First call between the two teams.",
			matching.StageExchangePlanned: "A webinar on enrolment by mobile phone.",
			matching.StageExchangeHeld:    "Webinar held with the insurance scheme's district managers.",
		},
		change: matching.StageChange{Modality: matching.ModalityWebinar, StartsOn: "2021-04-20",
			Participants: map[string]int{"RW": 25, "IN": 2}}},
	{need: "gh-chps", offer: "et-hep", proposed: "2021-03-01", broker: isabelEmail, stage: matching.StageExchangePlanned,
		notes: map[string]string{
			matching.StageProposed:        "Ethiopia pays its health extension workers from the national budget.",
			matching.StageIntroduced:      "Both ministries agreed on a study visit.",
			matching.StageExchangePlanned: "Study visit to Amhara region in November.",
		},
		change: matching.StageChange{Modality: matching.ModalityStudyVisit, StartsOn: "2021-11-08", EndsOn: "2021-11-12"}},
	{need: "uz-perinatal", offer: "vn-eenc", proposed: "2021-04-06", broker: thomasEmail, stage: matching.StageExchangePlanned,
		notes: map[string]string{
			matching.StageProposed:        "Viet Nam's coaching method changed daily practice in every maternity hospital.",
			matching.StageIntroduced:      "Introduced at the regional perinatal meeting.",
			matching.StageExchangePlanned: "A twinning between Hanoi and Samarkand maternity hospitals.",
		},
		change: matching.StageChange{Modality: matching.ModalityTwinning, StartsOn: "2021-12-01"}},
	{need: "et-registers", offer: "in-asha", proposed: "2021-05-10", broker: isabelEmail, stage: matching.StageIntroduced,
		notes: map[string]string{
			matching.StageProposed:   "India moved a million ASHAs to mobile registers.",
			matching.StageIntroduced: "The two teams exchanged their register forms.",
		}},
	{need: "af-midwives", offer: "ke-midwives", proposed: "2021-06-01", broker: isabelEmail, stage: matching.StageIntroduced,
		notes: map[string]string{
			matching.StageProposed:   "Amref's mentoring by phone suits provinces supervisors rarely reach.",
			matching.StageIntroduced: "Introduced by e-mail; a first call is set.",
		}},
	{need: "ng-sepsis", offer: "bd-newborn", proposed: "2021-08-16", broker: thomasEmail, stage: matching.StageProposed,
		notes: map[string]string{matching.StageProposed: "BRAC's community health workers manage newborn infections under supervision."}},
	{need: "mz-anc", offer: "pa-emtct-plus", proposed: "2021-09-06", broker: isabelEmail, stage: matching.StageProposed,
		notes: map[string]string{matching.StageProposed: "PAHO's documents exist in Portuguese."}},
	{need: "ma-enquiries", offer: "cn-mmr", proposed: "2020-10-05", broker: isabelEmail, stage: matching.StageDeclined, declinedAt: matching.StageIntroduced,
		notes: map[string]string{
			matching.StageProposed:   "China reviews maternal deaths by region.",
			matching.StageIntroduced: "Both institutions met online.",
			matching.StageDeclined:   "No common working language for a twinning; Morocco will look in French-speaking countries.",
		}},
	{need: "co-rural", offer: "mz-apes", proposed: "2021-01-25", broker: thomasEmail, stage: matching.StageDeclined, declinedAt: matching.StageProposed,
		notes: map[string]string{
			matching.StageProposed: "Mozambique's APEs serve communities far from a facility.",
			matching.StageDeclined: "Colombia prefers teams led by professionals; the family health teams of Brazil fit better.",
		}},
}

// demoExchangesStart dates the first need; needs and offers follow every
// week or two.
var demoExchangesStart = time.Date(2020, 3, 2, 9, 30, 0, 0, time.UTC)

// loadSouthSouth adds the model community's needs, offers and matches,
// through the matching store (which sends nothing without a notifier).
func loadSouthSouth(ctx context.Context, tx *sqldb.Tx) error {
	accounts := account.NewStore(tx)
	users := map[string]account.User{}
	user := func(email string) (account.User, error) {
		if u, ok := users[email]; ok {
			return u, nil
		}
		u, err := accounts.UserByEmail(ctx, email)
		if err != nil {
			return u, fmt.Errorf("demo exchanges: %s: %w", email, err)
		}
		users[email] = u
		return u, nil
	}
	st := matching.NewStore(tx)
	needs := map[string]matching.Need{}
	for i, d := range demoNeeds {
		u, err := user(d.author)
		if err != nil {
			return err
		}
		n, err := st.CreateNeedAt(ctx, u, matching.NeedInput{
			Details: matching.Details{Title: d.title, Description: d.description, Targets: d.targets, Topics: d.topics,
				Languages: d.languages, Modalities: d.modalities, Language: "en"},
			Community: ModelSlug, TimeframeStart: d.from, TimeframeEnd: d.to,
		}, demoExchangesStart.AddDate(0, 0, 13*i))
		if err != nil {
			return fmt.Errorf("demo need %s: %w", d.key, err)
		}
		needs[d.key] = n
	}
	offers := map[string]matching.Offer{}
	for i, d := range demoOffers {
		u, err := user(d.author)
		if err != nil {
			return err
		}
		var solutions []int64
		if d.solution != "" {
			var id int64
			if err := tx.QueryRow(ctx, "SELECT id FROM solutions WHERE title = ?", d.solution).Scan(&id); err != nil {
				return fmt.Errorf("demo offer %s: solution %q: %w", d.key, d.solution, err)
			}
			solutions = []int64{id}
		}
		o, err := st.CreateOfferAt(ctx, u, matching.OfferInput{
			Details: matching.Details{Title: d.title, Description: d.description, Targets: d.targets, Topics: d.topics,
				Languages: d.languages, Modalities: d.modalities, Language: "en"},
			Capacity: d.capacity, SolutionIDs: solutions,
		}, demoExchangesStart.AddDate(0, 0, 11*i+5))
		if err != nil {
			return fmt.Errorf("demo offer %s: %w", d.key, err)
		}
		offers[d.key] = o
	}
	for _, d := range demoMatches {
		broker, err := user(d.broker)
		if err != nil {
			return err
		}
		at, err := time.Parse(time.DateOnly, d.proposed)
		if err != nil {
			return fmt.Errorf("demo match %s/%s: %w", d.need, d.offer, err)
		}
		at = at.Add(10 * time.Hour)
		n, o := needs[d.need], offers[d.offer]
		m, err := st.Propose(ctx, broker, matching.Proposal{NeedID: n.ID, OfferID: o.ID, Note: d.notes[matching.StageProposed], At: at})
		if err != nil {
			return fmt.Errorf("demo match %s/%s: %w", d.need, d.offer, err)
		}
		for _, stage := range demoStages(d) {
			at = demoStepDate(d, stage, at)
			c := matching.StageChange{Stage: stage, Note: d.notes[stage], At: at}
			switch stage {
			case matching.StageExchangePlanned, matching.StageExchangeHeld:
				c.Modality, c.StartsOn, c.EndsOn, c.Participants, c.Partner = d.change.Modality, d.change.StartsOn, d.change.EndsOn, d.change.Participants, d.change.Partner
			case matching.StageOutcomeReported:
				c.Outcome, c.Evidence = d.change.Outcome, d.change.Evidence
			}
			if m, err = st.Move(ctx, broker, m.ID, c); err != nil {
				return fmt.Errorf("demo match %s/%s to %s: %w", d.need, d.offer, stage, err)
			}
		}
	}
	return nil
}

// demoStepDate dates a step of a demo match that follows a step at prev:
// a few weeks later, and an exchange held only once it has ended.
func demoStepDate(d demoMatch, stage string, prev time.Time) time.Time {
	switch stage {
	case matching.StageIntroduced:
		return prev.AddDate(0, 0, 28)
	case matching.StageExchangeHeld:
		at := prev.AddDate(0, 0, 35)
		end := d.change.EndsOn
		if end == "" {
			end = d.change.StartsOn
		}
		if t, err := time.Parse(time.DateOnly, end); err == nil && at.Before(t.AddDate(0, 0, 3)) {
			at = t.AddDate(0, 0, 3).Add(14 * time.Hour)
		}
		return at
	case matching.StageOutcomeReported:
		return prev.AddDate(0, 0, 60)
	}
	return prev.AddDate(0, 0, 35)
}

// demoStages lists the moves of a demo match after its proposal.
func demoStages(d demoMatch) []string {
	last := d.stage
	if d.stage == matching.StageDeclined {
		last = d.declinedAt
	}
	var out []string
	for _, s := range matching.Pipeline[1:] {
		if matching.StageProposed == last {
			break
		}
		out = append(out, s)
		if s == last {
			break
		}
	}
	if d.stage == matching.StageDeclined {
		out = append(out, matching.StageDeclined)
	}
	return out
}
