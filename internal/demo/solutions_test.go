package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

func TestDemoSolutions(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		st := solution.NewStore(db)
		all, err := st.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 66 {
			t.Errorf("%d demo solutions, want the model record, five neighbours and about 60 more", len(all))
		}
		model := all[0]
		if model.Title != "Community of Practice on South-South Cooperation for Children" || !model.Global ||
			model.Status != solution.StatusOngoing || model.Start.String() != "2018-02" || model.PrimarySDG != 3 ||
			!slices.Equal(model.SecondarySDGs, []int{17}) || len(model.Contacts) != 3 || model.Contacts[0].Title != "Senior Project Officer" {
			t.Errorf("model record %+v", model)
		}
		health, stale := 0, 0
		langs, goals, regions := map[string]bool{}, map[int]bool{}, map[string]bool{}
		for _, x := range all {
			for _, g := range x.SDGs() {
				goals[g] = true
			}
			if x.PrimarySDG == 3 {
				health++
			}
			if x.Stale(time.Now()) {
				stale++
			}
			langs[x.Language] = true
			for _, r := range x.Regions {
				regions[r] = true
			}
		}
		if health*3 < len(all) {
			t.Errorf("%d of %d solutions on SDG 3, want a third", health, len(all))
		}
		if len(goals) != 17 || len(langs) != 4 || stale == 0 {
			t.Errorf("goals %d, languages %v, stale %d", len(goals), langs, stale)
		}
		for _, r := range taxonomy.Regions() {
			if !regions[r.Code] {
				t.Errorf("no demo solution in region %s", r.Code)
			}
		}

		// The catalogue's "done when": ongoing SDG 3 solutions in Africa,
		// and the model record's similar solutions share its targets or
		// countries before those that share only SDG 17.
		q, _ := solution.ParseQuery(map[string][]string{"sdg": {"3"}, "region": {"002"}, "status": {"ongoing"}})
		res, err := st.Search(ctx, q)
		if err != nil || res.Total < 5 {
			t.Errorf("ongoing SDG 3 in Africa: %v, %d", err, res.Total)
		}
		matches, err := st.Similar(ctx, model.ID, 10)
		if err != nil || len(matches) < 5 {
			t.Fatalf("similar: %v, %d", err, len(matches))
		}
		for _, m := range matches[:5] {
			if !slices.Contains(m.Solution.SDGs(), 3) {
				t.Errorf("similar to the model record: %q (%v) before solutions on SDG 3", m.Solution.Title, m.Reasons)
			}
		}
	})
}
