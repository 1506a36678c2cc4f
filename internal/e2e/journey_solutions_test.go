package e2e

import (
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/taxonomy"
)

func TestJourneySolutions(t *testing.T) { journey(t, solutionsJourney) }

// solutionsJourney: a reader, not logged in, narrows the solutions
// catalogue to good health (SDG 3) and a country with its facets, opens a
// record, and from its table of similar solutions opens another.
func solutionsJourney(t *testing.T, j *journeyRun) {
	admin := j.addAdmin(t)
	adminToken := j.token(t, admin.Email, "journey seed")
	for _, x := range healthSolutions {
		j.addSolution(t, adminToken, x)
	}
	en := func(key string, args ...any) string { return msg("en", key, args...) }
	health, _ := taxonomy.GoalByNumber(3)
	var sdg3, inMozambique []string
	for _, x := range healthSolutions {
		if x.PrimarySDG == 3 {
			sdg3 = append(sdg3, x.Title)
			if strings.Contains(strings.Join(x.Countries, " "), "MZ") {
				inMozambique = append(inMozambique, x.Title)
			}
		}
	}
	first, second := healthSolutions[0].Title, healthSolutions[1].Title

	r := j.tab(t)
	r.open("/")
	r.clickLink(en("nav.solutions"))
	r.see(msgN("en", "solution.results_count", len(healthSolutions)))

	// Good health and well-being, in the facet of goals.
	r.clickLinkIn(en("solution.facet.sdg"), en("sdg.option", 3, health.Short("en")))
	r.see(msgN("en", "solution.results_count", len(sdg3)))
	for _, title := range sdg3 {
		r.see(title)
	}
	if r.shows(healthSolutions[4].Title) {
		t.Errorf("after choosing SDG 3, the catalogue still lists %q (SDG %d)", healthSolutions[4].Title, healthSolutions[4].PrimarySDG)
	}

	// Then Mozambique, in the facet of countries.
	r.clickLinkIn(en("solution.facet.country"), taxonomy.CountryName("MZ", "en"))
	r.see(msgN("en", "solution.results_count", len(inMozambique)))
	r.see(en("solution.remove_filter", en("sdg.option", 3, health.Short("en"))))

	// The reader opens a record...
	r.clickLink(first)
	if got := eval[string](r, `document.querySelector('h1').textContent.trim()`); got != first {
		t.Fatalf("the record's heading is %q, want %q", got, first)
	}
	r.see(en("solution.similar"))
	similar := eval[[]string](r, `[...document.querySelectorAll('section[aria-labelledby="h-similar"] table a')].map(a => a.textContent.trim())`)
	found := false
	for _, s := range similar {
		found = found || s == second
	}
	if !found {
		t.Fatalf("the similar solutions of %q are %q; want %q among them", first, similar, second)
	}

	// ...and from its similar solutions, the one like it.
	r.clickLinkIn(en("solution.similar"), second)
	if got := eval[string](r, `document.querySelector('h1').textContent.trim()`); got != second {
		t.Fatalf("after following the similar solution, the heading is %q, want %q", got, second)
	}
	r.see(healthSolutions[1].Tagline)
}
