package generate

import (
	"math/rand/v2"
	"strings"
)

// The words the reference data set is written with: real-looking sentences
// of a community of practice in its four languages, so that pages, search
// snippets and Markdown rendering cost what they cost on real content.

var firstNames = []string{"Amina", "Tendai", "Priya", "Carlos", "Ana", "Fatou", "Somchai", "Grace", "Lucía", "João",
	"Hana", "Siti", "Kwame", "Marie-Claire", "Dilnoza", "Mehdi", "Nomvula", "Youssef", "Aisha", "Pedro",
	"Minjun", "Farhana", "Samuel", "Mercedes", "Thabo", "Ayesha", "Juan", "Chiara", "Olumide", "Mai"}

var lastNames = []string{"Bello", "Moyo", "Raghavan", "Rojas", "Souza", "Diallo", "Prasert", "Wanjiru", "Fernández", "Tembe",
	"Tesfaye", "Rahmawati", "Mensah", "Uwimana", "Karimova", "Rahimi", "Dlamini", "El Amrani", "Karim", "Cardoso",
	"Kim", "Rahman", "Okafor", "Ocampo", "Nkosi", "Malik", "Pérez", "Nguyen", "Adeyemi", "Tran"}

// Countries of the global South mostly, where the members come from.
var countries = []string{"BR", "MZ", "AO", "ZA", "KE", "ET", "NG", "GH", "SN", "RW", "TZ", "UG", "ZW", "IN", "BD", "PK",
	"TH", "ID", "VN", "PH", "CN", "AR", "CO", "MX", "PE", "CL", "EC", "MA", "EG", "TN", "UZ", "IR", "KR", "FR", "US", "GB"}

var orgTypes = []string{"government", "government", "government", "ngo", "ngo", "academia", "un_agency", "international_org", "private_sector", "donor", "media", "other"}

var positions = []string{"Programme officer", "Director", "Health specialist", "Researcher", "Policy adviser", "Consultant", "Coordinator", "Technical lead"}

var languages = []string{"en", "en", "en", "fr", "es", "pt"}

var topics = []string{"Primary health care", "Maternal and newborn health", "Immunization", "Nutrition", "Social protection",
	"Water and sanitation", "Education", "Early childhood", "Health financing", "Community health workers",
	"Digital health", "Climate and health", "Gender equality", "Child protection", "Universal health coverage", "Cash transfers"}

var nouns = map[string][]string{
	"en": {"community health workers", "the district hospital", "antenatal care", "the national registry", "cash transfers", "school meals",
		"the immunization programme", "routine data", "the ministry of health", "mobile clinics", "the referral system", "adolescent services"},
	"fr": {"les agents de santé communautaire", "l’hôpital de district", "les consultations prénatales", "le registre national",
		"les transferts monétaires", "les cantines scolaires", "le programme de vaccination", "le ministère de la santé"},
	"es": {"los agentes comunitarios", "el hospital distrital", "el control prenatal", "el registro social", "las transferencias monetarias",
		"la alimentación escolar", "el programa de vacunación", "el ministerio de salud"},
	"pt": {"os agentes comunitários de saúde", "o hospital distrital", "o pré-natal", "o cadastro único", "as transferências de renda",
		"a merenda escolar", "o programa de imunização", "o ministério da saúde"},
}

var frames = map[string][]string{
	"en": {"How did your country organise %s?", "We are reviewing %s and would value your experience.", "In our province %s made the biggest difference.",
		"The evaluation of %s showed **clear gains** in coverage.", "What does it cost to scale up %s?", "Has anyone linked %s with the social registry?",
		"Our team documented lessons on %s in a short brief.", "The main obstacle with %s was staff turnover.", "Funding for %s came from the national budget."},
	"fr": {"Comment votre pays a-t-il organisé %s ?", "Nous revoyons %s et votre expérience nous aiderait.", "Dans notre région, %s a tout changé.",
		"L’évaluation de %s montre des **progrès nets**.", "Quel est le coût de %s à grande échelle ?"},
	"es": {"¿Cómo organizó su país %s?", "Estamos revisando %s y su experiencia nos ayudaría.", "En nuestra provincia %s marcó la diferencia.",
		"La evaluación de %s mostró **mejoras claras**.", "¿Cuánto cuesta ampliar %s?"},
	"pt": {"Como o seu país organizou %s?", "Estamos a rever %s e a vossa experiência ajudaria.", "Na nossa província %s fez a diferença.",
		"A avaliação de %s mostrou **ganhos claros**.", "Quanto custa ampliar %s?"},
}

// sentence writes one sentence in lang.
func sentence(rng *rand.Rand, lang string) string {
	f := frames[lang][rng.IntN(len(frames[lang]))]
	n := nouns[lang][rng.IntN(len(nouns[lang]))]
	return strings.Replace(f, "%s", n, 1)
}

// paragraph writes between min and max sentences in lang.
func paragraph(rng *rand.Rand, lang string, min, max int) string {
	n := min + rng.IntN(max-min+1)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = sentence(rng, lang)
	}
	return strings.Join(parts, " ")
}

// title writes a short title in lang, without Markdown.
func title(rng *rand.Rand, lang string) string {
	s := strings.ReplaceAll(sentence(rng, lang), "**", "")
	return strings.TrimSpace(s)
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }
