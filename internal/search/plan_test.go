package search

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// putSolutions indexes documents from to to with body, and okapi in every
// one whose number divides by every.
func putSolutions(t *testing.T, db *sqldb.DB, from, to int, body string, every int) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *sqldb.Tx) error {
		for i := from; i <= to; i++ {
			b := body
			if i%every == 0 {
				b += " okapi"
			}
			if err := put(context.Background(), tx, doc{kind: KindSolution, refID: int64(i), itemType: KindSolution, itemID: int64(i),
				access: accessAll, title: fmt.Sprintf("Solution %d", i), body: b, at: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPlanFollowsWordStatistics: on PostgreSQL, with the index analysed, a
// word few documents hold is read through the GIN index by its rarest term
// (sparse) and a common one by a walk newest first above a floor near the
// newest ids; a query of prefixes only, which the statistics cannot tell,
// still names its first term. Searches answer the same either way.
func TestPlanFollowsWordStatistics(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t, sqldb.Postgres)
	putSolutions(t, db, 1, 600, "common words here", 100)
	st := NewStore(db)
	sp, err := st.span(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Before any statistics, a walk of the newest documents, which widens
	// to a sparse read when the words are rarer.
	if p := st.plan(ctx, st.matcher(Parse("common"), Reader{}), sp, 20); p.sparse || p.floor != sp.last-400 {
		t.Errorf("without statistics: %+v, want a walk above %d", p, sp.last-400)
	}
	if res, err := st.Search(ctx, Reader{}, Filter{Text: "okapi"}, 5, 0); err != nil || res.Total != 6 {
		t.Errorf("okapi without statistics: %d results, %v; want 6", res.Total, err)
	}
	if _, err := db.Exec(ctx, "ANALYZE search_docs"); err != nil {
		t.Fatal(err)
	}
	// Twenty wanted of 600 documents, as a thousand of a million: a word
	// in every document is then found sooner by a walk than by reading
	// all its matches.
	plan := func(text string) plan {
		return st.plan(ctx, st.matcher(Parse(text), Reader{}), sp, 20)
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

// TestPlanReadsEveryWordWithinEras: on PostgreSQL, two words that are
// each uncommon and whose newest matches lie within a few eras are read
// through the GIN index together (it returns only the documents holding
// both), while two common words are still walked newest first; the
// results are the same, and a phrase of the two finds its own.
func TestPlanReadsEveryWordWithinEras(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t, sqldb.Postgres)
	putSolutions(t, db, 1, 300, "common words here", 1000)
	// The newer half in eras 3 and after.
	if _, err := db.Exec(ctx, "SELECT setval(pg_get_serial_sequence('search_docs', 'id'), 100000)"); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		for i := 301; i <= 600; i++ {
			body := "common words here"
			if i%10 == 0 {
				body += " maternal health"
			} else if i%7 == 0 {
				body += " maternal"
			}
			if err := put(ctx, tx, doc{kind: KindSolution, refID: int64(i), itemType: KindSolution, itemID: int64(i),
				access: accessAll, title: fmt.Sprintf("Solution %d", i), body: body, at: time.Now()}); err != nil {
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
		return st.plan(ctx, st.matcher(Parse(text), Reader{}), sp, 20)
	}
	p := plan("maternal health")
	if !p.sparse || !p.all || p.eras() == "" {
		t.Errorf("maternal health: %+v, want every word read through the GIN index within the eras", p)
	}
	if _, cond, _ := st.matcher(Parse("maternal health"), Reader{}).text(p); strings.Contains(cond, "IS TRUE") {
		t.Errorf("maternal health: the words are kept out of the index scan: %s", cond)
	}
	if p := plan("common words"); p.sparse || p.all {
		t.Errorf("common words: %+v, want a walk newest first", p)
	}
	for text, want := range map[string]int{"maternal health": 30, `"maternal health"`: 30, "common words": 600} {
		res, err := st.Search(ctx, Reader{}, Filter{Text: text}, 5, 0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != want {
			t.Errorf("%s: %d results, want %d", text, res.Total, want)
		}
	}
}

// TestErasOnPostgres: every document holds the era of its id, once, also
// when written again and when it was written under migration 0013's eras
// of 2^16 ids; a sparse read above a floor finds the word's matches of the
// floor's era and after, and none older.
func TestErasOnPostgres(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dbtest.DSN(t, sqldb.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateTo(ctx, 15); err != nil {
		t.Fatal(err)
	}
	write := func(from, to int) { putSolutions(t, db, from, to, "words", 10) }
	// Documents written under eras of 2^16 ids, before migration 16: ids
	// 65,531 to 65,580, those from 65,536 of era 1, of era 2 after it.
	if _, err := db.Exec(ctx, "SELECT setval(pg_get_serial_sequence('search_docs', 'id'), 65530)"); err != nil {
		t.Fatal(err)
	}
	write(1, 50)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The next documents get ids of era 9.
	if _, err := db.Exec(ctx, "SELECT setval(pg_get_serial_sequence('search_docs', 'id'), 300000)"); err != nil {
		t.Fatal(err)
	}
	write(51, 100)
	write(10, 10) // written again: keeps its id, and its era
	var wrong int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs d
		WHERE ARRAY(SELECT lexeme FROM unnest(d.tsv) WHERE lexeme LIKE '~%') <> ARRAY['~' || (d.id >> ?)]`, eraBits).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d documents without exactly the era of their id", wrong)
	}
	st := NewStore(db)
	sp, err := st.span(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := st.matcher(Parse("okapi"), Reader{})
	p := plan{floor: 300020, last: sp.last, sparse: true, rare: "('okapi')"}
	if got := p.eras(); got != "'~9'" { // 300,021 >> 15

		t.Fatalf("eras above %d: %q", p.floor, got)
	}
	from, cond, args := m.text(p)
	rows, err := db.Query(ctx, "SELECT d.ref_id"+from+" WHERE "+cond+" ORDER BY d.ref_id", args...)
	refs, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int, error) {
		var id int
		return id, r.Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{60, 70, 80, 90, 100}; fmt.Sprint(refs) != fmt.Sprint(want) {
		t.Errorf("okapi in era 9: %v, want %v (the newest era's matches, none of eras 1 to 3)", refs, want)
	}
	if p.floor = 0; p.eras() != "" {
		t.Errorf("a read of everything names eras: %q", p.eras())
	}
}
