package solution_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

// system is the editor of changes made by the tests themselves.
var system = solution.Editor{Via: solution.ViaImport}

// input returns a valid record to change in each test.
func input(title string) solution.Input {
	return solution.Input{
		Title: title, Tagline: "A tagline", Challenge: "A challenge.", Approach: "How it works.", Results: "What it achieved.",
		Countries: []string{"BR"}, Modality: solution.ModalitySouthSouth, PrimarySDG: 3, SecondarySDGs: []int{17},
		Status: solution.StatusOngoing, StartDate: "2018-02", Language: "en",
	}
}

// create stores a record or fails the test.
func create(t *testing.T, st *solution.Store, in solution.Input) solution.Solution {
	t.Helper()
	x, err := st.Create(ctx, system, in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Title, err)
	}
	return x
}

func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	ve, ok := validation.As(err)
	if !ok {
		t.Fatalf("error %v, want a validation error on %v", err, fields)
	}
	if got := ve.Names(); !reflect.DeepEqual(got, fields) {
		t.Errorf("failing fields %v, want %v", got, fields)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *solution.Input)
		fields []string
	}{
		{"valid", func(in *solution.Input) {}, nil},
		{"no title", func(in *solution.Input) { in.Title = "  " }, []string{"title"}},
		{"unknown country", func(in *solution.Input) { in.Countries = []string{"BR", "XX"} }, []string{"countries"}},
		{"no country", func(in *solution.Input) { in.Countries = nil }, []string{"countries"}},
		{"global and countries", func(in *solution.Input) { in.Global = true }, []string{"countries"}},
		{"unknown SDG", func(in *solution.Input) { in.PrimarySDG = 18 }, []string{"primary_sdg"}},
		{"unknown secondary SDG", func(in *solution.Input) { in.SecondarySDGs = []int{0} }, []string{"secondary_sdgs"}},
		{"unknown target", func(in *solution.Input) { in.Targets = []string{"3.99"} }, []string{"sdg_targets"}},
		{"target of another goal", func(in *solution.Input) { in.Targets = []string{"4.1"} }, []string{"sdg_targets"}},
		{"unknown status", func(in *solution.Input) { in.Status = "paused" }, []string{"status"}},
		{"unknown modality", func(in *solution.Input) { in.Modality = "north_south" }, []string{"modality"}},
		{"bad month", func(in *solution.Input) { in.StartDate = "2018-13" }, []string{"start_date"}},
		{"day given", func(in *solution.Input) { in.StartDate = "2018-02-01" }, []string{"start_date"}},
		{"end before start", func(in *solution.Input) { in.EndDate = "2017-12" }, []string{"end_date"}},
		{"javascript url", func(in *solution.Input) { in.URL = "javascript:alert(1)" }, []string{"url"}},
		{"contact without name or role", func(in *solution.Input) { in.Contacts = []solution.Contact{{Organization: "UNICEF"}} }, []string{"contacts"}},
		{"contact with bad e-mail", func(in *solution.Input) { in.Contacts = []solution.Contact{{Name: "A", Email: "nope"}} }, []string{"contacts"}},
		{"separator in a partner", func(in *solution.Input) { in.SupportedBy = []string{"UNICEF; IPC-IG"} }, []string{"supported_by"}},
		{"unknown language", func(in *solution.Input) { in.Language = "zz" }, []string{"language"}},
		{"bad community slug", func(in *solution.Input) { in.Communities = []string{"Not a slug!"} }, []string{"communities"}},
		{"control character", func(in *solution.Input) { in.Tagline = "bell\a" }, []string{"tagline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input("Title")
			tt.change(&in)
			_, err := in.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("valid record refused: %v", err)
				}
				return
			}
			wantFields(t, err, tt.fields...)
		})
	}

	// Cleaning: codes normalised and sorted, duplicates and the primary goal
	// dropped from the secondary ones, targets in the UN's order.
	in := input(" Title ")
	in.Countries = []string{"mz", "BR", "br"}
	in.SecondarySDGs = []int{17, 3, 5, 17}
	in.Targets = []string{"3.b", "3.3", "5.2", "3.9"}
	in.Language = ""
	got, err := in.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Title" || !slices.Equal(got.Countries, []string{"BR", "MZ"}) || !slices.Equal(got.SecondarySDGs, []int{5, 17}) ||
		!slices.Equal(got.Targets, []string{"3.3", "3.9", "3.b", "5.2"}) || got.Language != "en" {
		t.Errorf("cleaned: %+v", got)
	}
}

func TestCreateReadUpdateArchive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		editor, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "ed@example.org", Editor: true, Verified: true,
			Profile: account.Profile{Name: "Edna Editor"}})
		if err != nil {
			t.Fatal(err)
		}
		ed, err := solution.EditorFor(&editor, solution.ViaWeb)
		if err != nil {
			t.Fatal(err)
		}
		in := input("Kangaroo mother care")
		in.Countries = []string{"KE", "BR"}
		in.Targets = []string{"3.2"}
		in.Challenge = "Preterm babies **die** of cold. <script>alert(1)</script>"
		in.SupportedBy = []string{"UNICEF", "IPC-IG"}
		in.Implementers = []string{"Ministry of Health"}
		in.Contacts = []solution.Contact{{Title: "Programme Manager", Organization: "UNICEF", Email: "PM@unicef.example.org"}}
		in.URL = "https://example.org/kmc"
		x, err := st.Create(ctx, ed, in)
		if err != nil {
			t.Fatal(err)
		}
		if x.ID == 0 || !slices.Equal(x.Countries, []string{"BR", "KE"}) || !slices.Equal(x.SupportedBy, []string{"UNICEF", "IPC-IG"}) ||
			x.Contacts[0].Email != "pm@unicef.example.org" || x.Start.String() != "2018-02" {
			t.Errorf("created %+v", x)
		}
		// Regions at every level: Kenya is in Eastern Africa (014),
		// Sub-Saharan Africa (202) and Africa (002); Brazil in South America
		// (005), Latin America and the Caribbean (419) and the Americas (019).
		if want := []string{"002", "005", "014", "019", "202", "419"}; !slices.Equal(x.Regions, want) {
			t.Errorf("regions %v, want %v", x.Regions, want)
		}
		if !strings.Contains(x.ChallengeHTML, "<strong>die</strong>") || strings.Contains(x.ChallengeHTML, "<script") {
			t.Errorf("challenge HTML %q", x.ChallengeHTML)
		}

		// The same title and start, or the same URL, is a conflict.
		dup := input("KANGAROO mother care")
		_, err = st.Create(ctx, ed, dup)
		if ve, ok := validation.As(err); !ok || !ve.Conflict || !ve.Has("title") {
			t.Errorf("same title and start: %v", err)
		}
		dup = input("Another")
		dup.URL = "https://EXAMPLE.org/kmc/"
		_, err = st.Create(ctx, ed, dup)
		if ve, ok := validation.As(err); !ok || !ve.Conflict || !ve.Has("url") {
			t.Errorf("same URL: %v", err)
		}

		// An update records who changed which fields; saving unchanged does
		// nothing.
		in2 := x.Input()
		in2.Status = solution.StatusCompleted
		in2.EndDate = "2022-06"
		y, err := st.Update(ctx, ed, x.ID, in2)
		if err != nil {
			t.Fatal(err)
		}
		if y.Status != solution.StatusCompleted || y.End.String() != "2022-06" || !y.UpdatedAt.After(x.UpdatedAt) {
			t.Errorf("updated %+v", y)
		}
		z, err := st.Update(ctx, ed, x.ID, y.Input())
		if err != nil || !z.UpdatedAt.Equal(y.UpdatedAt) {
			t.Errorf("unchanged save: %v, updated_at %v -> %v", err, y.UpdatedAt, z.UpdatedAt)
		}
		if err := st.Archive(ctx, ed, x.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.Restore(ctx, system, x.ID); err != nil {
			t.Fatal(err)
		}
		h, err := st.History(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range h {
			got = append(got, fmt.Sprintf("%s %s %s %v", c.Action, c.UserName, c.Via, c.Fields))
		}
		want := []string{
			"restored  import []",
			"archived Edna Editor web []",
			"updated Edna Editor web [status end_date]",
			"created Edna Editor web []",
		}
		if !slices.Equal(got, want) {
			t.Errorf("history\n%q\nwant\n%q", got, want)
		}

		// Records written together, one of them edited in the same
		// transaction: the frequencies are added up as it commits.
		err = db.InTx(ctx, func(tx *sqldb.Tx) error {
			batch := solution.NewStore(tx)
			a, err := batch.Create(ctx, ed, input("Kangaroo care in district hospitals"))
			if err != nil {
				return err
			}
			if _, err := batch.Create(ctx, ed, input("Cash transfers for district clinics")); err != nil {
				return err
			}
			edit := a.Input()
			edit.Title = "Kangaroo care in rural clinics"
			_, err = batch.Update(ctx, ed, a.ID, edit)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		// The document frequencies kept for ranking match the term counts.
		wantDF := map[string]int{}
		rows, err := db.Query(ctx, "SELECT term, COUNT(*) FROM solution_terms GROUP BY term")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var term string
			var n int
			rows.Scan(&term, &n)
			wantDF[term] = n
		}
		rows.Close()
		rows, err = db.Query(ctx, "SELECT term, df FROM solution_term_df WHERE df > 0")
		if err != nil {
			t.Fatal(err)
		}
		gotDF := map[string]int{}
		for rows.Next() {
			var term string
			var n int
			rows.Scan(&term, &n)
			gotDF[term] = n
		}
		rows.Close()
		if !reflect.DeepEqual(gotDF, wantDF) || gotDF["kangaroo"] != 2 || gotDF["rural"] != 1 || gotDF["hospitals"] != 0 {
			t.Errorf("document frequencies %v, want %v", gotDF, wantDF)
		}

		if _, err := st.Solution(ctx, 999); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("missing record: %v", err)
		}
		if _, err := st.Update(ctx, ed, 999, in); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("update of a missing record: %v", err)
		}
	})
}

func TestEditorFor(t *testing.T) {
	member, editor, admin := account.User{ID: 1}, account.User{ID: 2, Editor: true}, account.User{ID: 3, Admin: true}
	if _, err := solution.EditorFor(nil, solution.ViaWeb); !errors.Is(err, account.ErrUnauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
	if _, err := solution.EditorFor(&member, solution.ViaWeb); !errors.Is(err, account.ErrForbidden) {
		t.Errorf("member: %v", err)
	}
	for _, u := range []account.User{editor, admin} {
		if ed, err := solution.EditorFor(&u, solution.ViaAPI); err != nil || ed.UserID != u.ID {
			t.Errorf("%+v: %v", u, err)
		}
	}
}

// facetCounts flattens a facet to "value:count" strings.
func facetCounts(values []solution.FacetValue) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprintf("%s:%d", v.Value, v.Count)
	}
	return out
}

func TestSearchAndFacets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		add := func(title string, countries []string, primary int, secondary []int, status, start, text string) solution.Solution {
			in := input(title)
			in.Countries, in.PrimarySDG, in.SecondarySDGs, in.Status, in.StartDate = countries, primary, secondary, status, start
			if countries == nil {
				in.Global = true
			}
			if text != "" {
				in.Approach = text
			}
			return create(t, st, in)
		}
		kenya := add("Community health volunteers", []string{"KE"}, 3, []int{17}, "ongoing", "2019-01", "Volunteers visit households.")
		add("Milk banks", []string{"BR", "MZ"}, 3, []int{2}, "ongoing", "2015-06", "Bancos de leite humano para recém-nascidos.")
		add("School meals", []string{"GH"}, 2, []int{4}, "completed", "2012-03", "")
		add("Global knowledge network", nil, 17, []int{3}, "ongoing", "2018-02", "")
		add("Solar irrigation", []string{"IN"}, 7, []int{2, 13}, "completed", "2016-09", "")
		archived := add("Old record", []string{"KE"}, 3, nil, "ongoing", "2010-01", "")
		if err := st.Archive(ctx, system, archived.ID); err != nil {
			t.Fatal(err)
		}

		search := func(query string) solution.Result {
			t.Helper()
			v, _ := url.ParseQuery(query)
			q, err := solution.ParseQuery(v)
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			res, err := st.Search(ctx, q)
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return res
		}
		titles := func(res solution.Result) []string {
			var out []string
			for _, x := range res.Items {
				out = append(out, x.Title)
			}
			return out
		}

		res := search("")
		if res.Total != 5 {
			t.Errorf("all: total %d, want 5 (the archived record hidden)", res.Total)
		}
		if got, want := titles(res), []string{"Community health volunteers", "Global knowledge network", "Solar irrigation", "Milk banks", "School meals"}; !slices.Equal(got, want) {
			t.Errorf("newest first: %v", got)
		}
		// A solution counts under every SDG it serves; global has its own
		// country value.
		wantFacet := map[string][]string{
			"sdg":        {"2:3", "3:3", "17:2", "4:1", "7:1", "13:1"},
			"country":    {"BR:1", "GH:1", "IN:1", "KE:1", "MZ:1", "global:1"},
			"status":     {"ongoing:3", "completed:2"},
			"modality":   {"south_south:5"},
			"start_year": {"2012:1", "2015:1", "2016:1", "2018:1", "2019:1"},
		}
		for name, want := range wantFacet {
			if got := facetCounts(res.Facets[name]); !slices.Equal(got, want) {
				t.Errorf("facet %s: %v, want %v", name, got, want)
			}
		}
		if got := facetCounts(res.Facets["region"]); !slices.Contains(got, "002:3") || !slices.Contains(got, "202:3") || !slices.Contains(got, "019:1") {
			t.Errorf("region facet %v: want Africa 3 (Kenya, Mozambique, Ghana), Americas 1", got)
		}

		// Two clicks: SDG 3, then Africa (by name). Each facet is counted
		// under the other filters: the SDG facet under Africa, the region
		// facet under SDG 3.
		res = search("sdg=3&region=Africa")
		if got := titles(res); !slices.Equal(got, []string{"Community health volunteers", "Milk banks"}) {
			t.Errorf("SDG 3 in Africa: %v", got)
		}
		if got := facetCounts(res.Facets["sdg"]); !slices.Equal(got, []string{"2:2", "3:2", "4:1", "17:1"}) {
			t.Errorf("SDG facet under region=Africa: %v", got)
		}
		if got := facetCounts(res.Facets["region"]); !slices.Contains(got, "002:2") || !slices.Contains(got, "019:1") || len(got) != 6 {
			t.Errorf("region facet under sdg=3: %v (want Africa 2, Americas 1: the global one is in no region)", got)
		}
		if got := facetCounts(res.Facets["country"]); !slices.Equal(got, []string{"BR:1", "KE:1", "MZ:1"}) {
			t.Errorf("country facet under SDG 3 and Africa: %v", got)
		}
		// OR within a facet, AND across.
		if res = search("sdg=3&sdg=7"); res.Total != 4 {
			t.Errorf("SDG 3 or 7: %d, want 4", res.Total)
		}
		if res = search("sdg=3&sdg=7&status=completed"); res.Total != 1 {
			t.Errorf("SDG 3 or 7, completed: %d, want 1", res.Total)
		}
		// Global matches no country or region filter, only itself.
		if got := titles(search("country=global")); !slices.Equal(got, []string{"Global knowledge network"}) {
			t.Errorf("country=global: %v", got)
		}
		if got := titles(search("country=KE&country=global")); len(got) != 2 {
			t.Errorf("country=KE or global: %v", got)
		}
		if res = search("region=019&country=GH"); res.Total != 0 {
			t.Errorf("Americas and Ghana: %d", res.Total)
		}
		// A selected value shows even when nothing is left under it.
		if got := facetCounts(search("region=150").Facets["region"]); !slices.Contains(got, "150:0") {
			t.Errorf("selected region without records: %v", got)
		}

		// Text: accents and case ignored, words must all match, at the start
		// of words; title matches rank first.
		if got := titles(search("q=RECEM-NASCIDOS+leite")); !slices.Equal(got, []string{"Milk banks"}) {
			t.Errorf("folded search: %v", got)
		}
		if got := titles(search("q=volunteer")); !slices.Equal(got, []string{"Community health volunteers"}) {
			t.Errorf("prefix search: %v", got)
		}
		if got := titles(search("q=olunteer")); len(got) != 0 {
			t.Errorf("inside a word: %v", got)
		}
		if got := titles(search("q=the+volunteers")); len(got) != 1 {
			t.Errorf("function words ignored: %v", got)
		}
		if got := titles(search("sort=title")); got[0] != "Community health volunteers" || got[4] != "Solar irrigation" {
			t.Errorf("by title: %v", got)
		}
		res = search("")
		q, _ := solution.ParseQuery(url.Values{})
		q.Limit, q.Offset = 2, 2
		page, err := st.Search(ctx, q)
		if err != nil || page.Total != 5 || len(page.Items) != 2 || page.Items[0].ID != res.Items[2].ID {
			t.Errorf("page 2: %v, %+v", err, page)
		}

		// The editors' list of archived records.
		q.Archived, q.Limit, q.Offset = true, 10, 0
		if page, _ = st.Search(ctx, q); page.Total != 1 || page.Items[0].Title != "Old record" {
			t.Errorf("archived list: %+v", page)
		}

		// Country pages.
		byKenya, err := st.ByCountry(ctx, "KE", 10)
		if err != nil || len(byKenya) != 1 || byKenya[0].ID != kenya.ID || !slices.Equal(byKenya[0].SDGs(), []int{3, 17}) {
			t.Errorf("ByCountry KE: %v %+v", err, byKenya)
		}
		goals, err := st.GoalCounts(ctx)
		if err != nil || goals[2] != (solution.GoalCount{SDG: 3, Total: 3, Ongoing: 3}) || goals[1] != (solution.GoalCount{SDG: 2, Total: 3, Ongoing: 1}) {
			t.Errorf("goal counts: %v %+v", err, goals[:3])
		}
	})
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		query  string
		fields []string
	}{
		{"sdg=3&sdg=17&region=002&country=br&status=ongoing&modality=triangular&start_year=2018&sort=title", nil},
		{"region=Latin+America+and+the+Caribbean&country=GLOBAL&sdg=3,17", nil},
		{"sdg=18", []string{"sdg"}},
		{"sdg=three", []string{"sdg"}},
		{"country=XX", []string{"country"}},
		{"region=Atlantis", []string{"region"}},
		{"region=001", []string{"region"}},
		{"status=paused&modality=north_south", []string{"modality", "status"}},
		{"start_year=20", []string{"start_year"}},
		{"sort=random", []string{"sort"}},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		q, err := solution.ParseQuery(v)
		if tt.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.query, err)
			}
			continue
		}
		if ve, ok := validation.As(err); !ok || !slices.Equal(ve.Names(), tt.fields) {
			t.Errorf("%s: %v, want failing %v (%+v)", tt.query, err, tt.fields, q)
		}
	}
	v, _ := url.ParseQuery("region=Africa&country=br&sdg=3,17")
	q, _ := solution.ParseQuery(v)
	if got := q.Values().Encode(); got != "country=BR&region=002&sdg=3&sdg=17" {
		t.Errorf("canonical values %q", got)
	}
}

func TestStale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		fresh := create(t, st, input("Fresh"))
		old := input("Old")
		old.StartDate = "2010-01"
		// An import may carry the time a record was last updated.
		sum, err := st.Import(ctx, system, []solution.Record{recordOf(old, "2023-01-15T10:00:00Z")})
		if err != nil || sum.Created != 1 {
			t.Fatalf("import: %v %+v", err, sum)
		}
		list, total, err := st.Stale(ctx, time.Now(), 10, 0)
		if err != nil || total != 1 || list[0].Title != "Old" || !list[0].Stale(time.Now()) || fresh.Stale(time.Now()) {
			t.Errorf("stale: %v %d %+v", err, total, list)
		}
		// Checked and still right: off the list, and the history says so.
		if err := st.MarkReviewed(ctx, system, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, total, _ = st.Stale(ctx, time.Now(), 10, 0); total != 0 {
			t.Errorf("%d stale after review", total)
		}
		if h, _ := st.History(ctx, list[0].ID); h[0].Action != solution.ActionReviewed {
			t.Errorf("history %+v", h)
		}
		if err := st.MarkReviewed(ctx, system, 999); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("review of a missing record: %v", err)
		}
	})
}

// recordOf returns an input as an import record.
func recordOf(in solution.Input, updatedAt string) solution.Record {
	x := solution.Solution{Title: in.Title, Tagline: in.Tagline, Challenge: in.Challenge, Approach: in.Approach, Results: in.Results,
		Lessons: in.Lessons, Replicability: in.Replicability, Countries: in.Countries, Global: in.Global, Modality: in.Modality,
		PrimarySDG: in.PrimarySDG, SecondarySDGs: in.SecondarySDGs, Targets: in.Targets, Status: in.Status,
		SupportedBy: in.SupportedBy, Implementers: in.Implementers, Contacts: in.Contacts, URL: in.URL, Language: in.Language}
	x.Start, _ = solution.ParseMonth(in.StartDate)
	x.End, _ = solution.ParseMonth(in.EndDate)
	r := solution.RecordOf(x)
	r.Archived, r.UpdatedAt = nil, updatedAt
	return r
}
