package search

import (
	"context"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// FuzzParse checks that whatever a reader types, the parsed query holds
// only words of letters and digits, and that both engines answer it with
// results or none, never an error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`"saude materna"`, `malaria -nets`, `vaccines OR nets`, `"unbalanced`, `NEAR(a b)`, `title:x`, `a*`, `(((`,
		`'; DROP TABLE search_docs; --`, "\xff\xfe", `!a & b | c`, `-"a b" c`, `OR`, `the de la`, `ß æ œ`, strings.Repeat(`"a" `, 100)} {
		f.Add(s)
	}
	dbs := []*sqldb.DB{dbtest.New(f, sqldb.SQLite)}
	if os.Getenv(dbtest.PostgresEnv) != "" {
		dbs = append(dbs, dbtest.New(f, sqldb.Postgres))
	}
	ctx := context.Background()
	for _, db := range dbs {
		if err := put(ctx, db, doc{kind: KindSolution, refID: 1, itemType: KindSolution, itemID: 1, access: accessAll,
			title: "Saúde materna", body: "Malaria bed nets and vaccines"}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		for _, list := range [][]Term{q.Must, q.Not} {
			for _, term := range list {
				for _, p := range term.Alts {
					for _, w := range p.Words {
						if w == "" || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
							t.Fatalf("Parse(%q): word %q", s, w)
						}
					}
				}
			}
		}
		if len(q.Must) > maxTerms || len(q.Not) > maxTerms {
			t.Fatalf("Parse(%q): %d and %d terms", s, len(q.Must), len(q.Not))
		}
		for _, db := range dbs {
			for _, r := range []Reader{{}, {UserID: 1}, {UserID: 1, Admin: true}} {
				if _, err := NewStore(db).Search(ctx, r, Filter{Text: s}, 20, 0); err != nil {
					t.Fatalf("%s: search %q: %v", db.Dialect(), s, err)
				}
			}
			if _, _, err := Ranked(ctx, db, KindSolution, s, 10); err != nil {
				t.Fatalf("%s: ranked %q: %v", db.Dialect(), s, err)
			}
		}
	})
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, fts, ts string
	}{
		{"Saúde materna", `("saude" AND "materna" OR "saude materna")`, `('saude') & ('materna')`},
		{"saúde mat*", `("saude" AND "mat"* OR "saude mat"*)`, `('saude') & ('mat':*)`},
		{`"saude da mulher" -hiv`, `("saude da mulher") NOT "hiv"`, `(('saude' <-> 'da' <-> 'mulher')) & !('hiv')`},
		{"vaccines OR nets malaria", `(("vaccines" OR "nets") AND "malaria")`, `('vaccines' | 'nets') & ('malaria')`},
		{"vaccin* OR net*", `(("vaccin"* OR "net"*))`, `('vaccin':* | 'net':*)`},
		{"the malaria", `("malaria")`, `('malaria')`},
		{"the", `("the")`, `('the')`},
		{"a*", `("a")`, `('a')`},
		{"covid-19", `("covid" AND "19" OR "covid 19")`, `('covid') & ('19')`},
		{"NEAR(a b) title:x", `("near" AND "b" AND "title" AND "x" OR "near b title x")`, `('near') & ('b') & ('title') & ('x')`},
		{"Straße", `("strasse")`, `('strasse')`},
		{`"unbalanced quote`, `("unbalanced quote")`, `(('unbalanced' <-> 'quote'))`},
		{"-only", "", ""},
		{`*:&|!()`, "", ""},
	}
	for _, tt := range tests {
		q := Parse(tt.in)
		if q.Empty() {
			if tt.fts != "" {
				t.Errorf("Parse(%q) is empty", tt.in)
			}
			continue
		}
		if got := q.fts5(); got != tt.fts {
			t.Errorf("Parse(%q).fts5() = %s, want %s", tt.in, got, tt.fts)
		}
		if got := q.tsquery(); got != tt.ts {
			t.Errorf("Parse(%q).tsquery() = %s, want %s", tt.in, got, tt.ts)
		}
	}
}

// FuzzFold checks that the shortcut for plain ASCII words folds them as
// the whole of Unicode's folding does.
func FuzzFold(f *testing.F) {
	for _, w := range []string{"Saúde", "HIV", "Straße", "maternal", "COVID19", "ÆSIR", "x-ray", ""} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := Fold(w), foldUnicode(w); got != want {
			t.Errorf("Fold(%q) = %q, want %q", w, got, want)
		}
	})
}
