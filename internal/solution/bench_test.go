package solution_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

// benchCatalogue fills a database with n generated records: a third on
// SDG 3, countries from every region, texts drawn from a vocabulary of a
// few hundred words.
func benchCatalogue(b *testing.B, d sqldb.Dialect, n int) (*solution.Store, []int64) {
	b.Helper()
	db := dbtest.New(b, d)
	st := solution.NewStore(db)
	r := rand.New(rand.NewPCG(1, 2))
	var countries []string
	for _, c := range taxonomy.Countries() {
		if c.Region != "" {
			countries = append(countries, c.Code)
		}
	}
	vocab := strings.Fields(`health maternal newborn child immunisation vaccine nutrition stunting school teacher
		water sanitation hygiene solar energy climate drought flood farmer seed rice milk dairy fish forest land
		women girls violence registration identity payment mobile bank cash transfer pension disability youth
		employment apprenticeship road transport city housing waste recycling coast reef ocean community volunteer
		clinic hospital nurse midwife doctor insurance coverage medicine laboratory data statistics census survey
		training exchange visit peer network platform ministry municipality cooperative association programme`)
	words := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(out, " ")
	}
	records := make([]solution.Record, n)
	for i := range records {
		primary := 1 + r.IntN(17)
		if i%3 == 0 {
			primary = 3
		}
		secondary := []int{1 + r.IntN(17)}
		if secondary[0] == primary {
			secondary = nil
		}
		var targets []string
		for _, t := range taxonomy.Targets(primary)[:1+r.IntN(3)] {
			targets = append(targets, t.Code)
		}
		cs := []string{countries[r.IntN(len(countries))], countries[r.IntN(len(countries))]}
		if cs[0] == cs[1] {
			cs = cs[:1]
		}
		records[i] = solution.Record{
			Title: fmt.Sprintf("Solution %d: %s", i, words(5)), Tagline: words(10), Challenge: words(60), Solution: words(120),
			Results: words(40), Countries: cs, Modality: solution.Modalities[r.IntN(2)], PrimarySDG: primary,
			SecondarySDGs: secondary, SDGTargets: targets, Status: solution.Statuses[r.IntN(2)],
			StartDate: fmt.Sprintf("%d-%02d", 2005+r.IntN(20), 1+r.IntN(12)), Language: "en",
		}
		if i%25 == 0 {
			records[i].Countries, records[i].Global = nil, true
		}
	}
	if _, err := st.Import(ctx, system, records); err != nil {
		b.Fatal(describe(err))
	}
	all, err := st.All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, len(all))
	for i, x := range all {
		ids[i] = x.ID
	}
	return st, ids
}

const benchRecords = 3000

func benchEngines(b *testing.B, fn func(b *testing.B, st *solution.Store, ids []int64)) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(d.String(), func(b *testing.B) {
			st, ids := benchCatalogue(b, d, benchRecords)
			b.ResetTimer()
			fn(b, st, ids)
		})
	}
}

// BenchmarkSearch is a browse page: a page of results and every facet,
// with the "ongoing SDG 3 in Africa" filters and a search word.
func BenchmarkSearch(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *solution.Store, _ []int64) {
		for _, query := range []string{"", "sdg=3&status=ongoing&region=002", "q=health+clinic&sdg=3"} {
			v, _ := url.ParseQuery(query)
			q, err := solution.ParseQuery(v)
			if err != nil {
				b.Fatal(err)
			}
			q.Limit = 20
			b.Run(strings.ReplaceAll(query, "&", "+"), func(b *testing.B) {
				for b.Loop() {
					if _, err := st.Search(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkSimilar ranks every record against one, as the first reader of
// each solution page has it done: every call asks for a record and a
// length of list not asked for before, so that none is answered from the
// memo (the catalogue itself is read once).
func BenchmarkSimilar(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *solution.Store, ids []int64) {
		i := 0
		for b.Loop() {
			if _, err := st.Similar(ctx, ids[(i*97)%len(ids)], 5+i/len(ids)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
