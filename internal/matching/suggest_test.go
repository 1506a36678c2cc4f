package matching_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

// reasons shows a suggestion's reasons as code:values.
func reasons(s matching.Suggestion) string {
	parts := make([]string, len(s.Reasons))
	for i, r := range s.Reasons {
		parts[i] = r.String()
	}
	return strings.Join(parts, " ")
}

func find(list []matching.Suggestion, kind string, id int64) (int, matching.Suggestion) {
	for i, s := range list {
		if s.Kind == kind && s.ID == id {
			return i, s
		}
	}
	return -1, matching.Suggestion{}
}

func hasReason(s matching.Suggestion, code string) bool {
	return slices.ContainsFunc(s.Reasons, func(r solution.Reason) bool { return r.Code == code })
}

// TestSuggestions is the case: a need on the validation of the
// elimination of mother-to-child transmission of syphilis in Zimbabwe
// sees first the offer of the Thai ministry that led such a validation,
// and every suggestion from abroad before any from Zimbabwe.
func TestSuggestions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := matching.NewStore(db)
		official := person(t, db, "tendai@mohcc.example.org", "ZW", false, "PMTCT")
		thai := person(t, db, "somchai@moph.example.org", "TH", false)
		other := person(t, db, "other@example.org", "ZA", false)
		paho := person(t, db, "mercedes@paho.example.org", "PA", false, "Congenital syphilis", "EMTCT Plus")
		local := person(t, db, "local@uz.example.org", "ZW", false, "syphilis")
		cook := person(t, db, "cook@example.org", "KE", false, "cooking")
		editor := person(t, db, "editor@example.org", "BR", true)

		n := need(t, st, official, matching.NeedInput{Details: matching.Details{
			Title:       "Prepare the validation dossier for the elimination of mother-to-child transmission of syphilis",
			Description: "We must validate the elimination of mother-to-child transmission of syphilis by 2027 and do not know how to prepare the dossier: data quality, laboratory and programme reviews.",
			Institution: "Ministry of Health and Child Care", Country: "ZW", SDGs: []int{3, 17}, Targets: []string{"3.3"},
			Topics: []string{"congenital syphilis", "validation dossier"}, Languages: []string{"en"}, Modalities: []string{matching.ModalityStudyVisit},
		}})
		create := func(who string, d matching.Details, status string) matching.Offer {
			u := other
			switch who {
			case "thai":
				u = thai
			case "local":
				u = local
			case "official":
				u = official
			}
			return offer(t, st, u, matching.OfferInput{Details: d, Status: status})
		}
		thaiOffer := create("thai", matching.Details{
			Title:       "Lessons from the first validation of the elimination of mother-to-child transmission of HIV and syphilis in Asia",
			Description: "Our ministry led the first validation of the elimination of mother-to-child transmission of HIV and syphilis in the region: we can host a study visit on the dossier, the data reviews and the laboratory assessment.",
			Institution: "Ministry of Public Health", Country: "TH", SDGs: []int{3, 17}, Targets: []string{"3.3"},
			Topics: []string{"syphilis", "EMTCT"}, Languages: []string{"en", "th"}, Modalities: []string{matching.ModalityStudyVisit, matching.ModalityExpertAdvice},
		}, "")
		localOffer := create("local", matching.Details{
			Title:       "Congenital syphilis surveillance and the validation dossier",
			Description: "Our university can review the validation dossier and the congenital syphilis surveillance data of the elimination of mother-to-child transmission.",
			Institution: "University of Zimbabwe", Country: "ZW", SDGs: []int{3}, Targets: []string{"3.1", "3.2", "3.3", "3.7"},
			Topics: []string{"congenital syphilis", "validation dossier"}, Languages: []string{"en"}, Modalities: []string{matching.ModalityStudyVisit},
		}, "")
		sameInstitution := create("official", matching.Details{
			Title: "Our PMTCT programme", Description: "Syphilis and HIV testing in antenatal care.",
			Institution: "Ministry of Health and Child Care", Country: "ZW", SDGs: []int{3}, Targets: []string{"3.3"},
		}, "")
		partnershipOnly := create("other", matching.Details{
			Title: "Statistics partnerships", Description: "Capacity for national statistical offices.",
			Institution: "Statistics South Africa", Country: "ZA", SDGs: []int{17}, Targets: []string{"17.18"},
		}, "")
		closedOffer := create("other", matching.Details{
			Title: "Syphilis testing", Description: "Point-of-care syphilis tests.",
			Institution: "National Health Laboratory Service", Country: "ZA", SDGs: []int{3}, Targets: []string{"3.3"},
		}, matching.StatusClosed)
		uhcOffer := create("other", matching.Details{
			Title: "Health financing for universal coverage", Description: "Strategic purchasing and health insurance reforms.",
			Institution: "National Treasury", Country: "ZA", SDGs: []int{3}, Targets: []string{"3.8"}, Languages: []string{"en"},
		}, "")

		sols := solution.NewStore(db)
		ed := solution.Editor{UserID: editor.ID}
		brSol, err := sols.Create(ctx, ed, solution.Input{
			Title: "Rede Cegonha: eliminating congenital syphilis", Challenge: "Congenital syphilis rose in Brazil.",
			Approach: "Rapid syphilis tests in primary care and a national response to congenital syphilis.", Countries: []string{"BR"},
			Modality: "south_south", PrimarySDG: 3, Targets: []string{"3.3"}, Status: "ongoing", Language: "pt",
		})
		if err != nil {
			t.Fatal(err)
		}
		zwSol, err := sols.Create(ctx, ed, solution.Input{
			Title: "Zimbabwe's PMTCT scale-up", Challenge: "HIV transmission to infants.", Approach: "Option B+ in every district.",
			Countries: []string{"ZW", "ZM"}, Modality: "south_south", PrimarySDG: 3, Targets: []string{"3.3"}, Status: "completed", Language: "en",
		})
		if err != nil {
			t.Fatal(err)
		}
		gardens, err := sols.Create(ctx, ed, solution.Input{
			Title: "School gardens", Challenge: "Children go hungry.", Approach: "Gardens in every school.",
			Countries: []string{"KE"}, Modality: "south_south", PrimarySDG: 2, SecondarySDGs: []int{17}, Status: "ongoing", Language: "en",
		})
		if err != nil {
			t.Fatal(err)
		}

		list, err := st.Suggest(ctx, &official, n.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range list {
			t.Logf("%d %s %d %s %s %.3f %s", i, s.Kind, s.ID, s.Country, s.Title, s.Score, reasons(s))
		}
		if len(list) == 0 || list[0].Kind != matching.KindOffer || list[0].ID != thaiOffer.ID {
			t.Fatalf("first suggestion %+v, want the Thai ministry's offer", list[0])
		}
		first := list[0]
		for _, code := range []string{"target:3.3", "sdg:3", "sdg17:17", "topic:congenital syphilis", "language:en", "modality:study_visit", "other_country:TH"} {
			if !strings.Contains(reasons(first), code) {
				t.Errorf("the Thai offer's reasons %q lack %s", reasons(first), code)
			}
		}
		// The score is the sum of its parts, as documented.
		sum := 0.0
		for _, r := range first.Reasons {
			sum += r.Score
		}
		if math.Abs(sum-first.Score) > 0.002 {
			t.Errorf("score %.3f, parts sum to %.3f", first.Score, sum)
		}
		var text float64
		for _, r := range first.Reasons {
			if r.Code == solution.ReasonText {
				fmt.Sscan(r.Values[0], &text)
			}
		}
		if want := 6 + 3 + 0.5 + 2 + 1 + 1 + 1.5*text; text <= 0 || text > 1 || math.Abs(first.Score-want) > 0.002 {
			t.Errorf("score %.3f with text %.3f, want %.3f", first.Score, text, want)
		}

		// Every suggestion from abroad ranks above every one from Zimbabwe,
		// and says so.
		lastAbroad, firstHome := -1, len(list)
		for i, s := range list {
			switch {
			case hasReason(s, matching.ReasonOtherCountry):
				lastAbroad = i
			case hasReason(s, matching.ReasonSameCountry):
				firstHome = min(firstHome, i)
			default:
				t.Errorf("suggestion %d (%s %d) says nothing of its country: %s", i, s.Kind, s.ID, reasons(s))
			}
		}
		if lastAbroad > firstHome {
			t.Errorf("a suggestion from abroad (%d) ranks below one from Zimbabwe (%d)", lastAbroad, firstHome)
		}
		i, loc := find(list, matching.KindOffer, localOffer.ID)
		if i < 0 || !hasReason(loc, matching.ReasonSameCountry) || loc.Score <= first.Score {
			t.Errorf("the Zimbabwean university's offer: at %d, %+v (it scores higher but comes after)", i, loc)
		}
		for _, x := range []struct {
			kind string
			id   int64
			want bool
			why  string
		}{
			{matching.KindOffer, sameInstitution.ID, false, "an offer of the need's own institution"},
			{matching.KindOffer, partnershipOnly.ID, false, "an offer sharing only SDG 17"},
			{matching.KindOffer, closedOffer.ID, false, "a closed offer"},
			{matching.KindOffer, uhcOffer.ID, true, "an offer sharing SDG 3"},
			{matching.KindSolution, brSol.ID, true, "a Brazilian solution on target 3.3"},
			{matching.KindSolution, zwSol.ID, true, "a Zimbabwean solution"},
			{matching.KindSolution, gardens.ID, false, "a solution sharing only SDG 17"},
			{matching.KindMember, paho.ID, true, "a member with expertise in congenital syphilis"},
			{matching.KindMember, local.ID, true, "a Zimbabwean member with expertise in syphilis"},
			{matching.KindMember, cook.ID, false, "a member with unrelated expertise"},
			{matching.KindMember, official.ID, false, "the need's author"},
		} {
			if i, _ := find(list, x.kind, x.id); (i >= 0) != x.want {
				t.Errorf("%s: suggested at %d, want suggested %v", x.why, i, x.want)
			}
		}
		if _, s := find(list, matching.KindSolution, zwSol.ID); !hasReason(s, matching.ReasonSameCountry) || s.Country != "ZM" {
			t.Errorf("the solution in Zimbabwe and Zambia: %+v", s)
		}
		if _, s := find(list, matching.KindSolution, brSol.ID); s.Title != brSol.Title || s.Country != "BR" || hasReason(s, matching.ReasonLanguage) {
			t.Errorf("the Brazilian solution: %+v (written in Portuguese)", s)
		}
		if _, s := find(list, matching.KindMember, paho.ID); reasons(s) != "topic:congenital syphilis language:en other_country:PA" || s.Score != 3 {
			t.Errorf("the PAHO adviser: %s, %.3f", reasons(s), s.Score)
		}
		// The explanation reads in the reader's language.
		if got := matching.Explain(i18n.For("fr"), first.Reasons); !strings.Contains(got, "3.3") || !strings.Contains(got, "Thaïlande") {
			t.Errorf("explanation in French: %q", got)
		}

		if short, _ := st.Suggest(ctx, &official, n.ID, 2); len(short) != 2 || short[0].ID != thaiOffer.ID {
			t.Errorf("limit 2: %d suggestions", len(short))
		}
		// A member who may not see the need does not get its suggestions.
		if _, err := st.Suggest(ctx, nil, n.ID, 5); err == nil {
			t.Error("anonymous suggestions")
		}
	})
}
