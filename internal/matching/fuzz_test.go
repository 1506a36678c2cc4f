package matching_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// FuzzParseParticipants: whatever a form sends, the parser answers a map or
// a validation error, never a panic; a map that then passes validation
// holds only assigned countries and sensible counts.
func FuzzParseParticipants(f *testing.F) {
	for _, s := range []string{"ZW 6, TH 3", "ZW: 6; TH=3\nBR 1", "", "XX 3", "ZW six", "ZW 1 2", ",,;;\n", "ZW -4", "ZW 99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := matching.ParseParticipants(s)
		if err != nil {
			if _, ok := validation.As(err); !ok {
				t.Fatalf("ParseParticipants(%q): %v is not a validation error", s, err)
			}
			return
		}
		c, err := matching.StageChange{Stage: "introduced", Note: "n", Participants: m}.Validate()
		if err != nil {
			if _, ok := validation.As(err); !ok {
				t.Fatalf("Validate: %v", err)
			}
			return
		}
		for cc, n := range c.Participants {
			if !taxonomy.ValidCountry(cc) || n < 1 || n > matching.MaxPeople {
				t.Errorf("%q gave %s: %d", s, cc, n)
			}
		}
	})
}

// FuzzFilters: the list filters and periods refuse with validation errors
// and accept only values they can use.
func FuzzFilters(f *testing.F) {
	f.Add("ZW", "3", "open", "ssc", "2021-01-01", "2021-12-31", "exchange_held", "brokered")
	f.Add("xx", "18", "done", strings.Repeat("a", 200), "2021-13-01", "yesterday", "finished", "mine")
	f.Fuzz(func(t *testing.T, country, sdg, status, community, from, to, stage, mine string) {
		v := url.Values{"country": {country}, "sdg": {sdg}, "status": {status}, "community": {community}, "stage": {stage}, "mine": {mine}, "modality": {status}}
		check := func(name string, err error) {
			if err != nil {
				if _, ok := validation.As(err); !ok {
					t.Fatalf("%s: %v is not a validation error", name, err)
				}
			}
		}
		nf, err := matching.ParseNeedFilter(v)
		check("needs", err)
		if err == nil && (nf.Country != "" && !taxonomy.ValidCountry(nf.Country) || nf.SDG < 0 || nf.SDG > 17) {
			t.Errorf("need filter %+v", nf)
		}
		_, err = matching.ParseOfferFilter(v)
		check("offers", err)
		mf, err := matching.ParseMatchFilter(v)
		check("matches", err)
		if err == nil && mf.Stage != "" && !matching.CanMove("proposed", mf.Stage) && mf.Stage != "proposed" &&
			matching.NextStages(mf.Stage) == nil && mf.Stage != "outcome_reported" && mf.Stage != "declined" {
			t.Errorf("match filter stage %q", mf.Stage)
		}
		a, b, err := matching.ParsePeriod(from, to)
		check("period", err)
		if err == nil && !a.IsZero() && !b.IsZero() && b.Before(a) {
			t.Errorf("period %v to %v", a, b)
		}
	})
}

// FuzzStageChange: any stage change validates or is refused field by field.
func FuzzStageChange(f *testing.F) {
	f.Add("exchange_held", "note", "study_visit", "2026-03-02", "2026-03-06", "adopted", "https://example.org", "WHO", "JP", "un_agency")
	f.Add("", "", "boat", "2026-02-30", "2020-01-01T00:00:00Z", "great", "javascript:alert(1)", "", "ZZ", "ministry")
	f.Fuzz(func(t *testing.T, stage, note, modality, starts, ends, outcome, link, partner, pcountry, ptype string) {
		c := matching.StageChange{Stage: stage, Note: note, Modality: modality, StartsOn: starts, EndsOn: ends, Outcome: outcome,
			Evidence: &matching.EvidenceInput{Text: note, Links: []string{link}}, Partner: &matching.Partner{Name: partner, Country: pcountry, Type: ptype}}
		got, err := c.Validate()
		if err != nil {
			if _, ok := validation.As(err); !ok {
				t.Fatalf("Validate: %v is not a validation error", err)
			}
			return
		}
		if got.Note == "" || got.Partner.Name == "" && (got.Partner.Country != "" || got.Partner.Type != "") {
			t.Errorf("accepted %+v", got)
		}
	})
}
