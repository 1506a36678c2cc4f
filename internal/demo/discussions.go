package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
)

func init() { loaders = append(loaders, loadDiscussions) }

// demoThread is a conversation of the model community: who asked, when,
// and the replies in order (the accepted one marked).
type demoThread struct {
	author, title, body, lang string
	question                  bool
	at                        time.Time
	replies                   []demoReply
}

type demoReply struct {
	author, body string
	accepted     bool
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 13, 0, 0, 0, time.UTC) }

var demoThreads = []demoThread{
	{"tendai.moyo@mohcc.example.org", "Preparing the EMTCT validation dossier: where to start?",
		"We aim to apply for WHO validation of the elimination of mother-to-child transmission of HIV and syphilis by 2023. Which data did your country need first, and how long did the dossier take?",
		"en", true, day(2018, 4, 12), []demoReply{
			{"somchai.prasert@moph.example.org", "In Thailand we started with the **programme indicators** (ANC coverage, HIV and syphilis testing, treatment) for two consecutive years, then the impact indicators. The dossier took about 18 months, most of it on data quality assessment at district level.", true},
			{"mercedes.ocampo@paho.example.org", "PAHO has a regional checklist; I will share it in the library. Start the data quality audit early: it is always the longest step.", false},
			{"tendai.moyo@mohcc.example.org", "Thank you both, this is very helpful. We will plan the data audit for next quarter.", false},
		}},
	{"ana.souza@saude.example.org", "Bancos de leite humano: experiências de implantação",
		"Estamos a apoiar três países na implantação de bancos de leite humano. Alguém tem experiência com o controlo de qualidade em hospitais distritais?",
		"pt", true, day(2018, 7, 3), []demoReply{
			{"pedro.cardoso@fiocruz.example.org", "Na Rede Brasileira usamos um protocolo simplificado de pasteurização e acidez Dornic que funciona bem em hospitais pequenos. Posso enviar o manual.", true},
			{"joao.tembe@misau.example.org", "Em Moçambique começámos pelo Hospital Central de Maputo; a formação das enfermeiras foi o ponto-chave.", false},
		}},
	{"f.diallo@sante.example.org", "Agents de santé communautaire et suivi des grossesses",
		"Au Sénégal, les relais communautaires suivent les femmes enceintes dans les villages. Comment d’autres pays rémunèrent-ils ces agents et évitent-ils les abandons ?",
		"fr", true, day(2018, 10, 22), []demoReply{
			{"hana.tesfaye@moh.example.org", "In Ethiopia health extension workers are salaried civil servants, which keeps turnover low, but it costs the health budget a lot.", false},
			{"mc.uwimana@rbc.example.org", "Au Rwanda, les agents de santé communautaire sont regroupés en coopératives qui reçoivent une prime liée à la performance. Cela a beaucoup réduit les abandons.", true},
		}},
	{"carlos.rojas@minsalud.example.org", "Cooperación Sur-Sur en salud: ¿cómo medir los resultados?",
		"Nuestros donantes piden indicadores de resultado de los intercambios Sur-Sur. ¿Qué indicadores usan ustedes más allá del número de misiones?",
		"es", true, day(2019, 2, 14), []demoReply{
			{"priya.raghavan@phfi.example.org", "We ask each partner to report what changed six months after an exchange: a policy adopted, a protocol adapted, or nothing. It is simple and honest.", true},
			{"lucia.fernandez@msal.example.org", "En Argentina registramos también la adaptación: qué partes del modelo se tomaron y cuáles no.", false},
		}},
	{"grace.wanjiru@amref.example.org", "Adolescent-friendly services in primary care",
		"We are reviewing the standards for adolescent-friendly health services. Which changes made the biggest difference to young people actually coming back?",
		"en", false, day(2019, 6, 5), []demoReply{
			{"aisha.karim@brac.example.org", "Opening hours after school and staff who were trained not to judge. Nothing else came close in our evaluation.", false},
			{"nomvula.dlamini@health.example.org", "School health teams referring directly to the clinic, with a named nurse.", false},
		}},
	{"priya.raghavan@phfi.example.org", "Health financing for universal coverage: experiences with tax-funded schemes",
		"India and Thailand chose tax funding for the poorest. What did other countries learn about targeting and enrolment?",
		"en", false, day(2019, 9, 18), []demoReply{
			{"siti.rahmawati@kemkes.example.org", "Indonesia's national insurance started with premium subsidies for the poor; the hardest part was updating the registry.", false},
		}},
	{"amina.bello@unicef.example.org", "Immunization during COVID-19: keeping routine services open",
		"Routine immunization dropped by a third in some states during the lockdown. What worked to bring children back?",
		"en", true, day(2020, 5, 6), []demoReply{
			{"d.karimova@ssv.example.org", "We sent SMS reminders from the electronic registry and opened extra sessions on Saturdays.", false},
			{"k.mensah@health.example.org", "Community health nurses went door to door with the defaulter lists. Coverage was back within three months.", true},
		}},
	{"lucia.fernandez@msal.example.org", "Salud mental de niños y adolescentes durante la pandemia",
		"Estamos diseñando una línea de apoyo psicológico para adolescentes. ¿Qué experiencias hay con la atención remota?",
		"es", false, day(2020, 11, 9), []demoReply{
			{"m.rahimi@tums.example.org", "In Tehran a telephone line staffed by trained psychology students reached many adolescents; supervision every day was essential.", false},
			{"minjun.kim@koica.example.org", "Korea's school counsellors moved online quickly; privacy at home was the main obstacle.", false},
		}},
	{"joao.tembe@misau.example.org", "Partos institucionais nas zonas rurais",
		"As casas de espera para mulheres grávidas aumentaram os partos institucionais em Moçambique. Que outros países têm experiências semelhantes?",
		"pt", false, day(2021, 3, 2), []demoReply{
			{"y.elamrani@sante.example.org", "Au Maroc, les maisons d’attente ont aussi aidé, surtout quand le transport vers l’hôpital était gratuit.", false},
		}},
	{"mercedes.ocampo@paho.example.org", "Congenital syphilis: point-of-care testing in antenatal care",
		"Several countries introduced dual HIV/syphilis rapid tests. Did it change treatment rates in the same visit?",
		"en", true, day(2021, 8, 17), []demoReply{
			{"samuel.okafor@who.example.org", "Yes: in the WHO African Region pilots, same-day treatment rose from about 50% to over 90% where benzathine penicillin was in stock.", true},
			{"somchai.prasert@moph.example.org", "Stock-outs of benzathine penicillin were our main problem too.", false},
		}},
}

// demoResource is an item of the model community's library.
type demoResource struct {
	adder, kind, title, summary, lang, published, publisher string
	countries                                               []string
	sdgs                                                    []int
	topics                                                  []string
}

var demoResources = []demoResource{
	{"mercedes.ocampo@paho.example.org", "toolkit", "Checklist for the validation of EMTCT of HIV and syphilis", "Step-by-step checklist of the programme, impact and human-rights criteria, with the data each one needs.", "en", "2018-06", "Pan American Health Organization", []string{"TH", "CU", "BR"}, []int{3}, []string{"EMTCT", "validation"}},
	{"somchai.prasert@moph.example.org", "case_study", "Thailand: the first Asian country to eliminate mother-to-child transmission of HIV and syphilis", "How Thailand integrated testing into antenatal care and reached elimination in 2016.", "en", "2018-03", "Ministry of Public Health, Thailand", []string{"TH"}, []int{3}, []string{"EMTCT"}},
	{"pedro.cardoso@fiocruz.example.org", "toolkit", "Manual de implantação de bancos de leite humano", "Procedimentos de coleta, pasteurização e controlo de qualidade para bancos de leite humano.", "pt", "2018-09", "Fundação Oswaldo Cruz", []string{"BR", "MZ", "AO", "CV"}, []int{3, 17}, []string{"bancos de leite humano", "nutrição"}},
	{"isabel.monteiro@ipcig.example.org", "policy_brief", "South-South cooperation for children: lessons from ten countries", "What made exchanges between ministries last, and what made them stop.", "en", "2019-04", "IPC-IG and UNICEF", nil, []int{3, 17}, []string{"South-South cooperation"}},
	{"isabel.monteiro@ipcig.example.org", "policy_brief", "Cooperação Sul-Sul para a infância: lições de dez países", "Versão portuguesa do resumo de política.", "pt", "2019-04", "IPC-IG e UNICEF", nil, []int{3, 17}, []string{"cooperação Sul-Sul"}},
	{"isabel.monteiro@ipcig.example.org", "policy_brief", "Coopération Sud-Sud pour les enfants : enseignements de dix pays", "Version française de la note d’orientation.", "fr", "2019-04", "IPC-IG et UNICEF", nil, []int{3, 17}, []string{"coopération Sud-Sud"}},
	{"isabel.monteiro@ipcig.example.org", "policy_brief", "Cooperación Sur-Sur para la niñez: lecciones de diez países", "Versión en español del resumen de políticas.", "es", "2019-04", "IPC-IG y UNICEF", nil, []int{3, 17}, []string{"cooperación Sur-Sur"}},
	{"hana.tesfaye@moh.example.org", "evaluation", "Evaluation of Ethiopia's Health Extension Programme", "An evaluation of coverage, quality and costs of the programme after fifteen years.", "en", "2019-11", "Federal Ministry of Health, Ethiopia", []string{"ET"}, []int{3}, []string{"community health workers", "primary health care"}},
	{"mc.uwimana@rbc.example.org", "case_study", "Mutuelles de santé au Rwanda : couverture et financement", "Comment l’assurance maladie communautaire a atteint plus de 80 % de la population.", "fr", "2019-07", "Rwanda Biomedical Centre", []string{"RW"}, []int{3}, []string{"couverture sanitaire universelle", "financement"}},
	{"priya.raghavan@phfi.example.org", "publication", "Tax-funded health insurance for the poor: evidence from India", "Enrolment, use and financial protection in the first years of a national scheme.", "en", "2020-02", "Public Health Foundation of India", []string{"IN"}, []int{3, 1}, []string{"health financing", "universal health coverage"}},
	{"f.diallo@sante.example.org", "toolkit", "Guide des relais communautaires pour le suivi de la grossesse", "Fiches de visite à domicile, signes de danger et orientation vers le poste de santé.", "fr", "2018-12", "Ministère de la Santé et de l’Action sociale, Sénégal", []string{"SN"}, []int{3}, []string{"santé maternelle", "agents communautaires"}},
	{"carlos.rojas@minsalud.example.org", "publication", "Indicadores para medir los resultados de la cooperación Sur-Sur en salud", "Propuesta de indicadores de resultado y de adaptación de los intercambios.", "es", "2019-08", "Ministerio de Salud y Protección Social, Colombia", []string{"CO", "AR", "MX"}, []int{17, 3}, []string{"cooperación Sur-Sur", "monitoreo y evaluación"}},
	{"amina.bello@unicef.example.org", "presentation", "Keeping routine immunization going during COVID-19", "Slides from the webinar on immunization recovery strategies.", "en", "2020-06", "UNICEF Nigeria", []string{"NG", "GH", "UZ"}, []int{3}, []string{"immunization", "COVID-19 response"}},
	{"amina.bello@unicef.example.org", "recording", "Webinar recording: immunization during COVID-19", "Full recording of the June 2020 webinar.", "en", "2020-06", "", []string{"NG"}, []int{3}, []string{"immunization"}},
	{"lucia.fernandez@msal.example.org", "toolkit", "Guía de atención remota en salud mental para adolescentes", "Protocolos, derivación y autocuidado del equipo.", "es", "2021-02", "Ministerio de Salud, Argentina", []string{"AR"}, []int{3}, []string{"salud mental", "adolescentes"}},
	{"m.rahimi@tums.example.org", "publication", "Child and adolescent mental health services during the pandemic: a rapid review", "What countries did to keep services going, and what the first evaluations show.", "en", "2021-06", "Tehran University of Medical Sciences", []string{"IR", "AR", "CN", "IN", "KR", "TH"}, []int{3}, []string{"mental health", "COVID-19 response"}},
	{"joao.tembe@misau.example.org", "case_study", "Casas de espera para mulheres grávidas em Moçambique", "Efeito das casas de espera na saúde materna e nos partos institucionais em três províncias.", "pt", "2021-04", "Ministério da Saúde, Moçambique", []string{"MZ"}, []int{3}, []string{"saúde materna", "partos institucionais"}},
	{"samuel.okafor@who.example.org", "evaluation", "Dual HIV/syphilis rapid tests in antenatal care: results of pilots", "Same-day treatment rates before and after the introduction of dual tests.", "en", "2021-09", "WHO Regional Office for Africa", []string{"ZW", "ZM", "MW", "KE"}, []int{3}, []string{"EMTCT", "congenital syphilis"}},
	{"grace.wanjiru@amref.example.org", "toolkit", "Standards for adolescent-friendly health services", "A checklist to assess and improve services for young people.", "en", "2019-05", "Amref Health Africa", []string{"KE", "UG", "TZ"}, []int{3, 5}, []string{"adolescent health"}},
	{"siti.rahmawati@kemkes.example.org", "case_study", "Posyandu: community health posts and stunting in Indonesia", "Monthly growth monitoring and counselling in villages.", "en", "2020-01", "Ministry of Health, Indonesia", []string{"ID"}, []int{2, 3}, []string{"nutrition", "stunting"}},
	{"rafael.mendoza@minsa.example.org", "case_study", "Reducción de la anemia infantil en el Perú", "Suplementación, consejería y visitas domiciliarias en la sierra.", "es", "2019-10", "Ministerio de Salud, Perú", []string{"PE"}, []int{2, 3}, []string{"anemia infantil", "nutrición"}},
	{"y.elamrani@sante.example.org", "publication", "Audit des décès maternels au Maroc : dix ans d’expérience", "Comment la surveillance des décès maternels a guidé les réformes.", "fr", "2018-11", "Ministère de la Santé, Maroc", []string{"MA"}, []int{3}, []string{"mortalité maternelle"}},
	{"esther.nakato@mak.example.org", "publication", "Implementation research on maternal health in East Africa", "A review of what implementation research changed in practice.", "en", "2020-09", "Makerere University School of Public Health", []string{"UG", "KE", "TZ", "RW"}, []int{3}, []string{"implementation research", "maternal health"}},
	{"lan.nguyen@moh.example.org", "toolkit", "Early essential newborn care: coaching guide", "Coaching sessions for the first embrace and early breastfeeding.", "en", "2018-08", "Ministry of Health, Viet Nam", []string{"VN", "PH", "LA", "KH"}, []int{3}, []string{"newborn care"}},
	{"emilie.kabore@sante.example.org", "toolkit", "La méthode mère kangourou en pratique", "Guide pour les maternités de district.", "fr", "2019-03", "Ministère de la Santé, Burkina Faso", []string{"BF", "ML", "SN"}, []int{3}, []string{"soins néonatals"}},
	{"ousmane.traore@sante.example.org", "evaluation", "Évaluation de la gratuité des soins obstétricaux au Mali", "Utilisation des services et dépenses des ménages avant et après la gratuité.", "fr", "2020-03", "Direction générale de la Santé, Mali", []string{"ML"}, []int{3}, []string{"santé de la reproduction", "financement"}},
	{"rosa.quispe@salud.example.org", "case_study", "Parto culturalmente adecuado en Ecuador", "Adaptación de los servicios de parto a las prácticas de las comunidades indígenas.", "es", "2020-07", "Ministerio de Salud Pública, Ecuador", []string{"EC", "BO", "PE"}, []int{3, 10}, []string{"salud intercultural", "salud materna"}},
	{"camila.herrera@unfpa.example.org", "dataset", "Indicadores de salud reproductiva adolescente, 2015-2020", "Datos por departamento de embarazo adolescente y uso de anticonceptivos.", "es", "2021-01", "UNFPA Bolivia", []string{"BO"}, []int{3, 5}, []string{"salud reproductiva", "adolescentes"}},
	{"aisha.karim@brac.example.org", "evaluation", "Community health workers and newborn survival in Bangladesh", "Results of a cluster-randomised evaluation of home visits.", "en", "2019-12", "BRAC", []string{"BD"}, []int{3}, []string{"newborn care", "community health workers"}},
	{"minjun.kim@koica.example.org", "policy_brief", "Triangular cooperation in health: what donors learned", "How triangular partnerships can support South-South exchanges without steering them.", "en", "2020-10", "Korea International Cooperation Agency", []string{"KR"}, []int{17}, []string{"triangular cooperation"}},
	{"li.wei@cdc.example.org", "publication", "Maternal mortality surveillance in China, 1996-2018", "How the national surveillance system was built and used.", "en", "2019-06", "National Center for Women and Children's Health", []string{"CN"}, []int{3}, []string{"maternal mortality", "health information systems"}},
	{"d.karimova@ssv.example.org", "presentation", "Effective perinatal care in Uzbekistan", "Presentation on the national roll-out of effective perinatal care.", "en", "2018-05", "Ministry of Health, Uzbekistan", []string{"UZ"}, []int{3}, []string{"perinatal care", "quality of care"}},
	{"nomvula.dlamini@health.example.org", "toolkit", "Integrated school health: referral pathways", "Forms and pathways linking school health teams and clinics.", "en", "2020-02", "National Department of Health, South Africa", []string{"ZA"}, []int{3, 4}, []string{"school health"}},
	{"sione.taufa@health.example.org", "case_study", "Nurse-led primary care in small island states", "How Tonga staffs its outer-island health centres.", "en", "2021-05", "Ministry of Health, Tonga", []string{"TO", "FJ", "WS"}, []int{3}, []string{"nursing", "small island health systems"}},
	{"farida.haidari@ngo.example.org", "toolkit", "Midwifery training in fragile settings", "Curriculum and mentoring for community midwives.", "en", "2019-09", "Afghan Midwives Association", []string{"AF"}, []int{3, 5}, []string{"midwifery"}},
	{"leila.haddad@ipc.example.org", "publication", "Health services for refugee children: a regional review", "Access, financing and coordination in host countries.", "en", "2020-12", "American University of Beirut", []string{"LB", "JO"}, []int{3, 10}, []string{"refugee health"}},
	{"tendai.moyo@mohcc.example.org", "presentation", "Zimbabwe's path towards EMTCT validation", "Progress on programme indicators and the data quality audit.", "en", "2021-07", "Ministry of Health and Child Care, Zimbabwe", []string{"ZW"}, []int{3}, []string{"EMTCT", "validation"}},
	{"k.mensah@health.example.org", "case_study", "CHPS: community-based health planning and services in Ghana", "Twenty years of bringing primary care to villages.", "en", "2018-10", "Ghana Health Service", []string{"GH"}, []int{3}, []string{"primary health care", "community health workers"}},
	{"ana.souza@saude.example.org", "policy_brief", "Estratégia Saúde da Família: lições para a cooperação", "O que outros países podem adaptar do modelo brasileiro de atenção primária.", "pt", "2020-04", "Ministério da Saúde, Brasil", []string{"BR", "MZ", "AO"}, []int{3, 17}, []string{"atenção primária", "cooperação Sul-Sul"}},
	{"thomas.becker@unicef.example.org", "recording", "Webinar recording: South-South cooperation for child rights", "Recording of the 2019 webinar with speakers from Brazil, India and South Africa.", "en", "2019-11", "UNICEF", []string{"BR", "IN", "ZA"}, []int{17, 16}, []string{"child rights"}},
}

// loadDiscussions gives the model community its conversations and library.
func loadDiscussions(ctx context.Context, tx *sqldb.Tx) error {
	cs := community.NewStore(tx)
	c, err := cs.BySlug(ctx, ModelSlug)
	if err != nil {
		return err
	}
	accounts := account.NewStore(tx)
	users := map[string]account.User{}
	user := func(email string) (account.User, community.Viewer, error) {
		u, ok := users[email]
		if !ok {
			if u, err = accounts.UserByEmail(ctx, email); err != nil {
				return u, community.Viewer{}, fmt.Errorf("demo user %s: %w", email, err)
			}
			users[email] = u
		}
		v, err := cs.ViewerFor(ctx, c.ID, &u)
		return u, v, err
	}
	st := discussion.NewStore(tx)
	for _, dt := range demoThreads {
		_, v, err := user(dt.author)
		if err != nil {
			return err
		}
		th, err := st.CreateThread(ctx, c, v, discussion.NewThread{Title: dt.title, Body: dt.body, Language: dt.lang, IsQuestion: dt.question, CreatedAt: dt.at})
		if err != nil {
			return fmt.Errorf("demo thread %q: %w", dt.title, err)
		}
		for i, rep := range dt.replies {
			u, v, err := user(rep.author)
			if err != nil {
				return err
			}
			o := discussion.Opened{Thread: th, Community: c, Viewer: v}
			p, err := st.Reply(ctx, o, rep.body, 0, dt.at.Add(time.Duration(i+1)*26*time.Hour))
			if err != nil {
				return fmt.Errorf("demo reply to %q: %w", dt.title, err)
			}
			if rep.accepted {
				author, av, _ := user(dt.author)
				_ = author
				if err := st.Accept(ctx, discussion.Opened{Thread: th, Community: c, Viewer: av}, p.ID); err != nil {
					return err
				}
			}
			_ = u
		}
	}
	// Links only: the demo has no files to upload, and nothing is fetched
	// from the linked sites.
	lib := library.NewStore(tx, storage.Lazy(""))
	for i, dr := range demoResources {
		_, v, err := user(dr.adder)
		if err != nil {
			return err
		}
		link := fmt.Sprintf("https://resources.example.org/ssc4c/%d", i+1)
		if dr.kind == "recording" {
			link = fmt.Sprintf("https://www.youtube.com/watch?v=demo%04d", i+1)
		}
		at, _ := time.Parse("2006-01", dr.published)
		_, err = lib.Create(ctx, c, v, library.Input{Kind: dr.kind, Title: dr.title, Summary: dr.summary, Language: dr.lang, PublishedOn: dr.published,
			Publisher: dr.publisher, URL: link, Countries: dr.countries, SDGs: dr.sdgs, Topics: dr.topics, CreatedAt: at.Add(72 * time.Hour)}, nil)
		if err != nil {
			return fmt.Errorf("demo resource %q: %w", dr.title, err)
		}
	}
	return nil
}
