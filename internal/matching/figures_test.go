package matching_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestFigures counts hand-made exchanges whose figures are known, on both
// engines.
func TestFigures(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := matching.NewStore(db)
		admin := person(t, db, "admin@example.org", "BR", true)
		author := person(t, db, "author@example.org", "ZA", false)
		c := newCommunity(t, db, admin, "ssc", community.Public)
		elsewhere := newCommunity(t, db, admin, "elsewhere", community.Public)

		needIn := func(country string, slug string, targets ...string) matching.Need {
			in := matching.NeedInput{Details: details("Need of "+country+fmt.Sprint(targets), "Ministry of Health", country, targets...), Community: slug}
			n, err := st.CreateNeedAt(ctx, author, in, day(2020, 1, 1))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		offerIn := func(country string) matching.Offer {
			o, err := st.CreateOfferAt(ctx, author, matching.OfferInput{Details: details("Offer of "+country, "Institute of "+country, country, "3.3")}, day(2020, 1, 1))
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		// exchange proposes a match on the day and moves it through the
		// stages, one a month.
		exchange := func(n matching.Need, o matching.Offer, proposed time.Time, stages []string, change matching.StageChange) matching.Match {
			m, err := st.Propose(ctx, admin, matching.Proposal{NeedID: n.ID, OfferID: o.ID, At: proposed})
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range stages {
				c := change
				c.Stage, c.Note, c.At = s, "step "+s, proposed.AddDate(0, i+1, 0)
				if s != matching.StageOutcomeReported {
					c.Outcome = ""
				}
				if m, err = st.Move(ctx, admin, m.ID, c); err != nil {
					t.Fatalf("move to %s: %v", s, err)
				}
			}
			return m
		}
		zw, mz, ke, gh, sn := needIn("ZW", "ssc", "3.3"), needIn("MZ", "ssc", "3.1", "3.2"), needIn("KE", "ssc", "3.8"), needIn("GH", "ssc", "3.1"), needIn("SN", "ssc", "3.7")
		th, br, br2, jp, in, ma := offerIn("TH"), offerIn("BR"), offerIn("BR"), offerIn("JP"), offerIn("IN"), offerIn("MA")
		held := []string{"introduced", "exchange_planned", "exchange_held"}
		jan := day(2021, 1, 10)
		// 1. Thailand to Zimbabwe, with WHO: South-South and triangular,
		// outcome adopted.
		exchange(zw, th, jan, append(held, "outcome_reported"), matching.StageChange{Modality: "study_visit", Outcome: "adopted",
			Partner: &matching.Partner{Name: "WHO", Type: "un_agency"}})
		// 2. Brazil to Mozambique by webinar, held: South-South.
		exchange(mz, br, jan, held, matching.StageChange{Modality: "webinar"})
		// 3. Japan (developed) to Kenya: neither South-South nor triangular.
		exchange(ke, jp, jan, held, matching.StageChange{Modality: "expert_advice"})
		// 4. India to Ghana, only introduced.
		exchange(gh, in, jan, []string{"introduced"}, matching.StageChange{})
		// 5. Morocco to Senegal, declined at once.
		exchange(sn, ma, jan, []string{"declined"}, matching.StageChange{})
		// 6. Brazil to Mozambique again, held and then declined: the
		// exchange took place; twinning with a Japanese partner:
		// triangular.
		exchange(mz, br2, jan, append(held, "declined"), matching.StageChange{Modality: "twinning",
			Partner: &matching.Partner{Name: "JICA", Country: "JP", Type: "government"}})
		// Elsewhere: another community's exchange, not counted.
		other := needIn("ZW", "elsewhere", "3.3")
		exchange(other, br, jan, held, matching.StageChange{Modality: "webinar"})

		f, err := matching.CommunityFigures(ctx, db, c.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(f)
		want := `{"by_stage":{"declined":2,"exchange_held":2,"exchange_planned":0,"introduced":1,"outcome_reported":1,"proposed":0},` +
			`"by_target":{"3.1":2,"3.2":2,"3.3":1,"3.8":1},` +
			`"by_modality":{"documents":0,"expert_advice":1,"study_visit":1,"twinning":1,"webinar":1},` +
			`"flows":[{"from":"BR","to":"MZ","count":2},{"from":"JP","to":"KE","count":1},{"from":"TH","to":"ZW","count":1}],` +
			`"south_south_share":0.75,"triangular_share":0.5,` +
			`"outcomes":{"adapted":0,"adopted":1,"informed":0,"no_change":0}}`
		if string(b) != want {
			t.Errorf("figures\n got %s\nwant %s", b, want)
		}
		if f.Held() != 4 || f.Total() != 6 {
			t.Errorf("held %d of %d, want 4 of 6", f.Held(), f.Total())
		}
		_ = elsewhere

		// The site counts every community.
		site, err := matching.SiteFigures(ctx, db, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if site.Held() != 5 || site.Flows[0] != (matching.Flow{From: "BR", To: "MZ", Count: 2}) || len(site.Flows) != 4 {
			t.Errorf("site: %d held, flows %v", site.Held(), site.Flows)
		}

		// A period counts the matches proposed in it, at their stage at its
		// end: at the end of February 2021 every match had made one step.
		feb, err := matching.CommunityFigures(ctx, db, c.ID, day(2021, 1, 1), day(2021, 2, 28))
		if err != nil {
			t.Fatal(err)
		}
		if feb.ByStage["introduced"] != 5 || feb.ByStage["declined"] != 1 || feb.Held() != 0 || len(feb.Flows) != 0 || feb.SouthSouthShare != 0 {
			t.Errorf("February: %v, %d held", feb.ByStage, feb.Held())
		}
		if none, _ := matching.CommunityFigures(ctx, db, c.ID, day(2022, 1, 1), time.Time{}); none.Total() != 0 || none.ByStage["proposed"] != 0 || len(none.Flows) != 0 {
			t.Errorf("2022: %d matches", none.Total())
		}

		// The report's hook gives the same figures.
		x, err := matching.Exchanges(ctx, db, c.ID, report.Period{From: day(2020, 1, 1), End: day(2030, 1, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(x.SouthSouthShare-0.75) > 1e-9 || len(x.Flows) != 3 || x.Flows[0] != (report.Flow{From: "BR", To: "MZ", Count: 2}) || x.ByStage["declined"] != 2 {
			t.Errorf("report exchanges %+v", x)
		}
	})
}
