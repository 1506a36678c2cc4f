package search

import (
	"context"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestEstimatedCounts checks the bounded count: up to CountBound matches
// are counted exactly; beyond, the total and the facets are estimated from
// the newest CountBound, close to the truth when matches are spread
// evenly, and said to be estimates.
func TestEstimatedCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		const n = CountBound + CountBound/4 // 1,250 matches
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			// Every fifth document does not match, spread evenly; of those
			// that do, half are in Portuguese.
			for i, matched := 1, 0; matched < n; i++ {
				lang, title := "en", "Common words"
				if i%5 == 0 {
					title = "Other words"
				} else if matched++; matched%2 == 0 {
					lang = "pt"
				}
				if err := put(ctx, tx, doc{kind: KindSolution, refID: int64(i), itemType: KindSolution, itemID: int64(i), access: accessAll,
					language: lang, title: title, at: time.Now()}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		st := NewStore(db)
		exact, err := st.Search(ctx, Reader{}, Filter{Text: "common", Language: "pt"}, 5, 0)
		if err != nil {
			t.Fatal(err)
		}
		// Narrowed to Portuguese, 625 match, all within the newest
		// NarrowBound: counted, not estimated.
		if exact.Total != n/2 || exact.Estimated || exact.Capped {
			t.Errorf("common, pt: total %d estimated %v capped %v, want %d exactly", exact.Total, exact.Estimated, exact.Capped, n/2)
		}
		res, err := st.Search(ctx, Reader{}, Filter{Text: "common"}, 5, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Estimated || res.Capped || res.Total < n*9/10 || res.Total > n*11/10 {
			t.Errorf("common: total %d estimated %v capped %v, want about %d, estimated", res.Total, res.Estimated, res.Capped, n)
		}
		for _, v := range res.Facets[FacetLanguage] {
			if v.Count < n/2*8/10 || v.Count > n/2*12/10 {
				t.Errorf("common: language %s counts %d, want about %d", v.Value, v.Count, n/2)
			}
		}
		// The documents have no records to show, so no items: what was
		// ranked is what counts here.
		if res.Ranked != RankBound {
			t.Errorf("common: %d ranked, want %d", res.Ranked, RankBound)
		}
	})
}

// TestNarrowedEstimate checks a filter that few of a common word's matches
// pass: fewer than NarrowSample of its newest CountBound do, so the newest
// NarrowBound matches are read (those of the first read and as many below
// them), and the count of those that pass is scaled to all.
func TestNarrowedEstimate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		const n, every = 6 * CountBound, 20 // 300 in French
		docs := make([]doc, 0, n)
		for i := 1; i <= n; i++ {
			lang := "en"
			if i%every == 0 {
				lang = "fr"
			}
			docs = append(docs, doc{kind: KindSolution, refID: int64(i), itemType: KindSolution, itemID: int64(i), access: accessAll,
				language: lang, title: "Common words", at: time.Now()})
		}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return putAll(ctx, tx, docs) }); err != nil {
			t.Fatal(err)
		}
		st := NewStore(db)
		search := func(how string) {
			t.Helper()
			res, err := st.Search(ctx, Reader{}, Filter{Text: "common", Language: "fr"}, 5, 0)
			if err != nil {
				t.Fatal(err)
			}
			// The newest 2,000 matches hold 100 in French, a run of a
			// third of the ids: about 300 in all.
			if want := n / every; !res.Estimated || res.Total < want*9/10 || res.Total > want*11/10 {
				t.Errorf("common, fr, %s: total %d estimated %v, want about %d, estimated", how, res.Total, res.Estimated, want)
			}
			if want := NarrowBound / every; res.Ranked != want {
				t.Errorf("common, fr, %s: %d ranked, want the %d of the newest %d matches", how, res.Ranked, want, NarrowBound)
			}
		}
		search("read through the full-text index")
		if db.Dialect() != sqldb.Postgres {
			return
		}
		// With statistics, a word in every document is walked newest first,
		// the first thousand and then the next: the same answers.
		if _, err := db.Exec(ctx, "ANALYZE search_docs"); err != nil {
			t.Fatal(err)
		}
		sp, err := st.span(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p := st.plan(ctx, st.matcher(Parse("common"), Reader{}), sp, NarrowBound); p.sparse {
			t.Fatalf("common, analysed: %+v, want a walk newest first", p)
		}
		search("walked newest first")
		// The walk computes the relevance of the documents that pass only,
		// after reading them: the same as the first read's (the documents
		// are alike).
		m, f := st.matcher(Parse("common"), Reader{}), Filter{Text: "common", Language: "fr"}
		first, err := st.candidates(ctx, m, sp, f, 0, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		narrowed, err := st.candidates(ctx, m, sp, f, 0, true, first.counted)
		if err != nil {
			t.Fatal(err)
		}
		want := first.counted[0].rel
		if want <= 0 || len(narrowed.counted) != NarrowBound/every {
			t.Fatalf("relevance %v, %d narrowed; want above 0 and %d", want, len(narrowed.counted), NarrowBound/every)
		}
		for _, c := range narrowed.counted {
			if c.rel != want || c.combo.language != "fr" {
				t.Errorf("narrowed: document %d relevance %v language %q, want %v fr", c.docID, c.rel, c.combo.language, want)
			}
		}
	})
}
