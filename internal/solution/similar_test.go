package solution_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

// record builds a record for the ranking tests: only what the case is about
// differs, the rest is neutral filler that every record shares.
type record struct {
	title     string
	countries []string
	primary   int
	secondary []int
	targets   []string
	modality  string
	text      string
}

func (r record) input() solution.Input {
	in := input(r.title)
	in.Countries, in.PrimarySDG, in.SecondarySDGs, in.Targets = r.countries, r.primary, r.secondary, r.targets
	if r.countries == nil {
		in.Global = true
	}
	in.Modality = solution.ModalitySouthSouth
	if r.modality != "" {
		in.Modality = r.modality
	}
	// Only the title and the text of the case: no filler words that every
	// record would share.
	in.Challenge = r.title
	in.Approach = r.text
	if in.Approach == "" {
		in.Approach = r.title
	}
	in.Results, in.Tagline = "", ""
	return in
}

// similarTitles ranks the others against the first record and returns their
// titles, best first.
func similarTitles(t *testing.T, st *solution.Store, records []record) ([]string, []solution.Match) {
	t.Helper()
	var first int64
	for i, r := range records {
		x := create(t, st, r.input())
		if i == 0 {
			first = x.ID
		}
	}
	matches, err := st.Similar(ctx, first, 10)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, m := range matches {
		titles = append(titles, m.Solution.Title)
	}
	return titles, matches
}

func TestSimilarRanking(t *testing.T) {
	tests := []struct {
		name    string
		records []record // the first is the one compared; the others in the expected order
		absent  []string // records that must not be listed at all
	}{
		{
			name: "a shared target beats a shared SDG 17",
			records: []record{
				{title: "EMTCT in Brazil", countries: []string{"BR"}, primary: 3, secondary: []int{17}, targets: []string{"3.3"}},
				{title: "HIV testing in Thailand", countries: []string{"TH"}, primary: 3, targets: []string{"3.3"}},
				{title: "Trade corridors", countries: []string{"KZ"}, primary: 9, secondary: []int{17}},
			},
		},
		{
			name: "the same target beats the same goal",
			records: []record{
				{title: "Newborn care", countries: []string{"GH"}, primary: 3, targets: []string{"3.2"}},
				{title: "Neonatal units", countries: []string{"VN"}, primary: 3, targets: []string{"3.2"}},
				{title: "Health insurance", countries: []string{"RW"}, primary: 3, targets: []string{"3.8"}},
			},
		},
		{
			name: "a shared SDG beats a shared country",
			records: []record{
				{title: "Mother and child health", countries: []string{"MZ"}, primary: 3},
				{title: "Primary care in Peru", countries: []string{"PE"}, primary: 3},
				{title: "Roads in Mozambique", countries: []string{"MZ"}, primary: 9},
			},
		},
		{
			name: "a shared country beats similar text",
			records: []record{
				{title: "Milk banks", countries: []string{"BR"}, primary: 2, text: "Human milk banks collect, pasteurise and distribute breast milk to preterm newborns."},
				{title: "Seeds in Brazil", countries: []string{"BR"}, primary: 15},
				{title: "Milk banks abroad", countries: []string{"IN"}, primary: 5, text: "Human milk banks collect, pasteurise and distribute breast milk to preterm newborns in hospitals."},
			},
		},
		{
			name: "similar text beats a shared region",
			records: []record{
				{title: "Cash transfers", countries: []string{"MX"}, primary: 1, text: "Conditional cash transfers to poor families tied to school attendance and health visits."},
				{title: "Transfers elsewhere", countries: []string{"PH"}, primary: 10, text: "Conditional cash transfers to poor families tied to school attendance."},
				{title: "Forests nearby", countries: []string{"GT"}, primary: 15},
			},
		},
		{
			name: "a shared sub-region beats a wider shared area",
			records: []record{
				{title: "Fisheries", countries: []string{"SN"}, primary: 14},
				{title: "Western neighbour", countries: []string{"ML"}, primary: 7},
				{title: "Eastern neighbour", countries: []string{"KE"}, primary: 11},
				{title: "Far away", countries: []string{"JP"}, primary: 6},
			},
			absent: []string{"Far away"},
		},
		{
			name: "the modality breaks a tie",
			records: []record{
				{title: "Water utilities", countries: []string{"UY"}, primary: 6, modality: solution.ModalityTriangular},
				{title: "Sanitation triangular", countries: []string{"NP"}, primary: 6, modality: solution.ModalityTriangular},
				{title: "Sanitation bilateral", countries: []string{"LK"}, primary: 6},
			},
		},
		{
			name: "nothing shared, not listed; a modality alone is not a match",
			records: []record{
				{title: "Tax administration", countries: []string{"CO"}, primary: 16},
				{title: "Same country", countries: []string{"CO"}, primary: 4},
				{title: "Unrelated", countries: []string{"JP"}, primary: 12},
			},
			absent: []string{"Unrelated"},
		},
		{
			name: "two global solutions share their scope",
			records: []record{
				{title: "Global network", primary: 17},
				{title: "Global platform", primary: 12},
				{title: "Local project", countries: []string{"AR"}, primary: 12},
			},
			absent: []string{"Local project"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
				st := solution.NewStore(db)
				got, matches := similarTitles(t, st, tt.records)
				var want []string
				for _, r := range tt.records[1:] {
					if !slices.Contains(tt.absent, r.title) {
						want = append(want, r.title)
					}
				}
				if !slices.Equal(got, want) {
					var why []string
					for _, m := range matches {
						why = append(why, fmt.Sprintf("%s %.3f %v", m.Solution.Title, m.Score, m.Reasons))
					}
					t.Errorf("ranked %q, want %q\n%s", got, want, strings.Join(why, "\n"))
				}
			})
		})
	}
}

func TestSimilarReasons(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		self := create(t, st, record{title: "EMTCT", countries: []string{"BR", "CU"}, primary: 3, secondary: []int{17}, targets: []string{"3.3", "3.1"}}.input())
		other := create(t, st, record{title: "Syphilis", countries: []string{"BR", "TH"}, primary: 3, secondary: []int{17}, targets: []string{"3.3"}}.input())
		archived := create(t, st, record{title: "Archived twin", countries: []string{"BR", "CU"}, primary: 3, secondary: []int{17}, targets: []string{"3.3", "3.1"}}.input())
		if err := st.Archive(ctx, system, archived.ID); err != nil {
			t.Fatal(err)
		}
		matches, err := st.Similar(ctx, self.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) != 1 || matches[0].Solution.ID != other.ID {
			t.Fatalf("matches %+v, want only %d (archived records are never similar)", matches, other.ID)
		}
		m := matches[0]
		var codes []string
		sum := 0.0
		for _, r := range m.Reasons {
			codes = append(codes, r.String())
			sum += r.Score
		}
		for _, want := range []string{"target:3.3", "sdg:3", "primary_sdg:3", "sdg17:17", "country:BR", "modality:south_south"} {
			if !slices.Contains(codes, want) {
				t.Errorf("reasons %v lack %s", codes, want)
			}
		}
		if d := sum - m.Score; d > 0.01 || d < -0.01 {
			t.Errorf("reasons add up to %.3f, score %.3f", sum, m.Score)
		}
		if m.Solution.Title != "Syphilis" || !slices.Equal(m.Solution.Countries, []string{"BR", "TH"}) || m.Solution.Status != "ongoing" {
			t.Errorf("summary %+v", m.Solution)
		}
		got := solution.Explain(i18n.For("en"), m.Reasons)
		if !strings.HasPrefix(got, "shares SDGs 3, 17 and target 3.3; also in Brazil") {
			t.Errorf("explanation %q", got)
		}
		if fr := solution.Explain(i18n.For("fr"), m.Reasons); !strings.Contains(fr, "Brésil") {
			t.Errorf("French explanation %q", fr)
		}
		if none, _ := st.Similar(ctx, self.ID, 0); len(none) != 0 {
			t.Errorf("limit 0 gave %d", len(none))
		}
	})
}

// TestSimilarKeptUntilTheCatalogueChanges checks that similar solutions are
// computed once for an unchanged catalogue (the second call reads only its
// version), and again, with the change, after a record is edited through
// the store or a transaction of several changes commits.
func TestSimilarKeptUntilTheCatalogueChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		self := create(t, st, record{title: "Community health workers in Kenya", countries: []string{"KE"}, primary: 3}.input())
		near := create(t, st, record{title: "Community health workers in Uganda", countries: []string{"UG"}, primary: 3}.input())
		far := create(t, st, record{title: "School feeding in Peru", countries: []string{"PE"}, primary: 2}.input())
		var queries int
		db.Observe(func(string, []any) { queries++ })
		defer db.Observe(nil)
		similar := func() ([]string, int) {
			t.Helper()
			queries = 0
			matches, err := st.Similar(ctx, self.ID, 5)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, m := range matches {
				titles = append(titles, m.Solution.Title)
			}
			return titles, queries
		}
		first, n := similar()
		if len(first) == 0 || first[0] != near.Title || n < 5 {
			t.Fatalf("first call: %q in %d queries", first, n)
		}
		again, n := similar()
		if !slices.Equal(again, first) || n != 1 {
			t.Errorf("second call on an unchanged catalogue: %q in %d queries, want %q in 1", again, n, first)
		}

		// Peru's record becomes Kenya's: it now shares the country.
		in := far.Input()
		in.Countries = []string{"KE"}
		in.PrimarySDG = 3
		if _, err := st.Update(ctx, system, far.ID, in); err != nil {
			t.Fatal(err)
		}
		changed, n := similar()
		if len(changed) == 0 || changed[0] != far.Title || n < 5 {
			t.Errorf("after an edit: %q in %d queries, want %q first, computed again", changed, n, far.Title)
		}

		// Archived in a transaction that commits later: seen after it.
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			return solution.NewStore(tx).Archive(ctx, system, far.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if after, _ := similar(); slices.Contains(after, far.Title) {
			t.Errorf("after archiving %q: %q", far.Title, after)
		}
	})
}
