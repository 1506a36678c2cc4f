package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestPlanFollowsWordStatistics: on PostgreSQL, with the index analysed, a
// word few documents hold is read through the GIN index by its rarest term
// (sparse) and a common one by a walk newest first above a floor near the
// newest ids; a query of prefixes only, which the statistics cannot tell,
// still names its first term. Searches answer the same either way.
func TestPlanFollowsWordStatistics(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t, sqldb.Postgres)
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		for i := 1; i <= 600; i++ {
			body := "common words here"
			if i%100 == 0 {
				body += " okapi"
			}
			if err := put(ctx, tx, doc{kind: KindSolution, refID: int64(i), itemType: KindSolution, itemID: int64(i), access: accessAll,
				title: fmt.Sprintf("Solution %d", i), body: body, at: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "ANALYZE search_docs"); err != nil {
		t.Fatal(err)
	}
	st := NewStore(db)
	sp, err := st.span(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan := func(text string) plan {
		return st.plan(ctx, st.matcher(Parse(text), Reader{}), sp, CountBound+1)
	}
	if p := plan("okapi"); !p.sparse || p.floor >= sp.first || p.rare != "('okapi')" {
		t.Errorf("okapi: %+v, want sparse from below the first id", p)
	}
	if p := plan("common"); p.sparse {
		t.Errorf("common: %+v, want a walk newest first", p)
	}
	if p := plan("common okapi"); !p.sparse || p.rare != "('okapi')" {
		t.Errorf("common okapi: %+v, want sparse by okapi", p)
	}
	if p := plan("comm* wor*"); p.rare == "" || p.rare == "()" {
		t.Errorf("prefixes: %+v, want the first term", p)
	}
	for text, want := range map[string]int{"okapi": 6, "common okapi": 6, "common": 600, "comm* wor*": 600} {
		res, err := st.Search(ctx, Reader{}, Filter{Text: text}, 5, 0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("%s: %d results, want %d", text, res.Total, want)
		}
	}
}
