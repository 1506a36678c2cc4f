package demo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/sqldb"
)

// The model community's needs, offers and matches: about 25 needs and 30
// offers, fifteen matches at every stage, flows to show, and suggestions
// that put the Thai ministry's validation experience first for
// Zimbabwe's syphilis dossier.
func TestDemoExchanges(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		admin, err := account.NewStore(db).UserByEmail(ctx, demo.AdminEmail)
		if err != nil {
			t.Fatal(err)
		}
		st := matching.NewStore(db)
		needs, needTotal, err := st.Needs(ctx, &admin, matching.NeedFilter{Community: demo.ModelSlug}, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, offerTotal, err := st.Offers(ctx, &admin, matching.OfferFilter{}, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if needTotal < 20 || needTotal > 30 || offerTotal < 25 || offerTotal > 35 {
			t.Errorf("%d needs and %d offers, want about 25 and 30", needTotal, offerTotal)
		}
		focus := map[string]bool{"3.1": true, "3.2": true, "3.3": true, "3.8": true}
		onFocus := 0
		for _, n := range needs {
			if slices.ContainsFunc(n.Targets, func(t string) bool { return focus[t] }) {
				onFocus++
			}
		}
		if onFocus*4 < len(needs)*3 {
			t.Errorf("%d of %d needs on the model community's targets, want most", onFocus, len(needs))
		}

		matches, total, err := st.Matches(ctx, &admin, matching.MatchFilter{Community: demo.ModelSlug}, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if total != 15 {
			t.Errorf("%d matches, want 15", total)
		}
		byStage := map[string]int{}
		held := 0
		for _, m := range matches {
			byStage[m.Stage]++
			if m.Held() {
				held++
			}
			for i, s := range m.History {
				if s.Note == "" || s.By.Name == "" || (i > 0 && s.At.Before(m.History[i-1].At)) {
					t.Errorf("match %d: step %d %+v has no note, no author or is out of order", m.ID, i, s)
				}
			}
			if m.Stage == matching.StageOutcomeReported && (m.Outcome == "" || m.Evidence.Text == "") {
				t.Errorf("match %d reports no outcome or evidence", m.ID)
			}
			if m.Held() && (m.Modality == "" || len(m.Participants) == 0) {
				t.Errorf("match %d was held without modality or participants", m.ID)
			}
		}
		for _, s := range matching.Stages {
			if byStage[s] < 2 {
				t.Errorf("%d matches at stage %s, want at least two at every stage (%v)", byStage[s], s, byStage)
			}
		}

		// The flows the model community's report shows add up to the
		// exchanges held, with South-South and triangular ones among them.
		c, err := community.NewStore(db).BySlug(ctx, demo.ModelSlug)
		if err != nil {
			t.Fatal(err)
		}
		f, err := matching.CommunityFigures(ctx, db, c.ID, c.CreatedAt, c.CreatedAt.AddDate(10, 0, 0))
		if err != nil {
			t.Fatal(err)
		}
		flows := 0
		for _, fl := range f.Flows {
			flows += fl.Count
		}
		if f.Held() != held || flows != held || f.Total() != 15 || f.SouthSouthShare == 0 || f.TriangularShare == 0 {
			t.Errorf("figures: %d held (want %d), flows %d, %d matches, shares %.2f/%.2f", f.Held(), held, flows, f.Total(), f.SouthSouthShare, f.TriangularShare)
		}
		if !slices.Contains(f.Flows, matching.Flow{From: "TH", To: "ZW", Count: 1}) {
			t.Errorf("no flow from Thailand to Zimbabwe in %v", f.Flows)
		}

		// Zimbabwe's need on syphilis validation: other countries first,
		// the Thai ministry's offer among the first.
		zw := needs[slices.IndexFunc(needs, func(n matching.Need) bool { return n.Country == "ZW" && slices.Contains(n.Targets, "3.3") })]
		list, err := st.Suggest(ctx, &admin, zw.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		thai := slices.IndexFunc(list, func(s matching.Suggestion) bool { return s.Kind == matching.KindOffer && s.Country == "TH" })
		if thai < 0 || thai > 2 {
			t.Errorf("the Thai offer is suggestion %d of %v", thai, list)
		}
		for i := 1; i < len(list); i++ {
			if list[i-1].Country == "ZW" && list[i].Country != "ZW" && list[i].Country != "" {
				t.Errorf("suggestion %d from Zimbabwe ranks above one from %s", i-1, list[i].Country)
			}
		}
	})
}
