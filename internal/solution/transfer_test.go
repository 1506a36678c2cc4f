package solution_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

// catalogue stores records that exercise every field and every character a
// file format can trip on: quotes, commas, semicolons, line breaks,
// Markdown, accents, pipes in text, global records, archived ones.
func catalogue(t *testing.T, st *solution.Store) {
	t.Helper()
	a := input(`Bancos de leite humano: "a rede", Brasil & África`)
	a.Tagline = "Leite humano, pasteurizado; para recém-nascidos"
	a.Challenge = "Line one,\nline \"two\"; three\n\n* a list | with a pipe\n* **bold**"
	a.Approach = "How it works, with a [link](https://example.org/a?b=1&c=2)."
	a.Results = "1,200 babies; 93% \"better\""
	a.Lessons = "Lessons\r\nwith a Windows line break"
	a.Replicability = "Needs a lab."
	a.Countries = []string{"BR", "MZ", "AO"}
	a.Modality = solution.ModalityTriangular
	a.SecondarySDGs = []int{2, 17}
	a.Targets = []string{"3.2", "2.2"}
	a.EndDate = "2023-11"
	a.Status = solution.StatusCompleted
	a.SupportedBy = []string{"Fiocruz", "ABC, the Brazilian Cooperation Agency"}
	a.Implementers = []string{"Ministério da Saúde"}
	a.Contacts = []solution.Contact{
		{Name: "Ana Souza", Title: "Coordenadora", Organization: "Fiocruz", Email: "ana@fiocruz.example.org"},
		{Title: "Programme Officer", Organization: "UNICEF"},
	}
	a.URL = "https://example.org/milk"
	a.Language = "pt"
	create(t, st, a)

	b := input("Community of Practice on South-South Cooperation for Children")
	b.Countries, b.Global = nil, true
	b.Targets = []string{"3.8"}
	b.StartDate = ""
	create(t, st, b)

	c := input("Archived one")
	c.Countries = []string{"KE"}
	x := create(t, st, c)
	if err := st.Archive(ctx, system, x.ID); err != nil {
		t.Fatal(err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	for _, format := range []string{solution.FormatCSV, solution.FormatJSON} {
		t.Run(format, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
				src := solution.NewStore(db)
				catalogue(t, src)
				var first bytes.Buffer
				if err := src.Export(ctx, &first, format); err != nil {
					t.Fatal(err)
				}

				// Into an empty database, on the same engine.
				dst := solution.NewStore(dbtest.New(t, db.Dialect()))
				records, err := solution.Read(bytes.NewReader(first.Bytes()), format, 1<<20)
				if err != nil {
					t.Fatalf("read the export: %v", describe(err))
				}
				sum, err := dst.Import(ctx, system, records)
				if err != nil || sum.Created != 3 {
					t.Fatalf("import: %v %+v", describe(err), sum)
				}
				var second bytes.Buffer
				if err := dst.Export(ctx, &second, format); err != nil {
					t.Fatal(err)
				}
				if first.String() != second.String() {
					t.Errorf("export after import differs:\n%s\n---\n%s", first.String(), second.String())
				}
				all, _ := src.All(ctx)
				again, _ := dst.All(ctx)
				for i := range all {
					a, b := all[i], again[i]
					if !equalInput(a.Input(), b.Input()) || a.Archived() != b.Archived() || !a.UpdatedAt.Truncate(1e9).Equal(b.UpdatedAt) ||
						a.ChallengeHTML != b.ChallengeHTML {
						t.Errorf("record %d differs:\n%+v\n%+v", i, a, b)
					}
				}

				// Importing the same file again updates nothing and adds
				// nothing: records are matched by url, or title and start.
				sum, err = dst.Import(ctx, system, records)
				if err != nil || sum != (solution.ImportSummary{Unchanged: 3}) {
					t.Errorf("second import: %v %+v", describe(err), sum)
				}
			})
		})
	}
}

func equalInput(a, b solution.Input) bool { return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b) }

// describe spells out an import error for test failures.
func describe(err error) string {
	var ie *solution.ImportError
	if !errors.As(err, &ie) {
		return fmt.Sprint(err)
	}
	var lines []string
	for _, p := range ie.Problems {
		lines = append(lines, p.Describe(i18n.For("en")))
	}
	return strings.Join(lines, "\n")
}

func TestImportUpdatesByURLOrTitle(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		byURL := input("Old title")
		byURL.URL = "https://example.org/one"
		one := create(t, st, byURL)
		two := create(t, st, input("Matched by title"))

		renamed := input("New title")
		renamed.URL = "https://example.org/one/"
		renamed.Status = solution.StatusCompleted
		sameTitle := input("MATCHED BY TITLE")
		sameTitle.Tagline = "A new tagline"
		fresh := input("Brand new")
		sum, err := st.Import(ctx, system, []solution.Record{recordOf(renamed, ""), recordOf(sameTitle, ""), recordOf(fresh, "")})
		if err != nil || sum != (solution.ImportSummary{Created: 1, Updated: 2}) {
			t.Fatalf("import: %v %+v", describe(err), sum)
		}
		if x, _ := st.Solution(ctx, one.ID); x.Title != "New title" || x.Status != solution.StatusCompleted {
			t.Errorf("matched by url: %+v", x)
		}
		if x, _ := st.Solution(ctx, two.ID); x.Tagline != "A new tagline" {
			t.Errorf("matched by title and start: %+v", x)
		}
		if n, _ := st.Count(ctx); n != 3 {
			t.Errorf("%d records, want 3", n)
		}
		h, _ := st.History(ctx, one.ID)
		if h[0].Action != solution.ActionUpdated || h[0].Via != solution.ViaImport || !slices.Equal(h[0].Fields, []string{"title", "status", "url"}) {
			t.Errorf("history after import: %+v", h[0])
		}
	})
}

func TestImportRefusesBadFiles(t *testing.T) {
	header := strings.Join(solution.Columns[:16], ",")
	good := `"Milk banks",,Challenge,Solution,,,,BR,false,south_south,3,17,3.2,ongoing,2018-02,`
	tests := []struct {
		name   string
		format string
		file   string
		want   []string // problems, as described in English
	}{
		{"wrong header", "csv", "name,place\nx,y\n", []string{`line 1: the column “name” is not one this file format has`, `line 1: the column “place”`, "line 1: the file has no title column"}},
		{"duplicate column", "csv", "title,title\nx,y\n", []string{"line 1: the column “title” appears twice"}},
		{"unbalanced quotes", "csv", header + "\n" + good + "\n\"Unclosed,x\n", []string{"line 3: a quoted value starting on this line is not closed"}},
		{"bare quote", "csv", header + "\n" + `Mil"k,` + "\n", []string{`line 2: a quote (") at column 4`}},
		{"wrong number of fields", "csv", header + "\n" + good + "\nonly,three,fields\n" + good + ",extra\n", []string{
			"line 3: this line has 3 values, the header has 16", "line 4: this line has 17 values, the header has 16"}},
		{"bad values", "csv", header + "\n" + strings.Replace(strings.Replace(good, ",BR,", ",XX;BR,", 1), ",3,17,", ",three,17,", 1) + "\n", []string{
			"line 2 primary_sdg: “three” is not a whole number", "line 2 countries: “XX” is not a country code"}},
		{"multi-line values keep their line numbers", "csv", header + "\n\"A\nB\",,C,S,,,,BR,false,south_south,3,,,ongoing,,\n\"Bad\",,C,S,,,,BR,false,south_south,3,,,paused,,\n", []string{
			"line 4 status: Choose one of: ongoing, completed."}},
		{"end before start", "json", `[{"title":"T","challenge":"C","solution":"S","countries":["BR"],"modality":"south_south","primary_sdg":3,"status":"ongoing","start_date":"2018-02","end_date":"2017-01"}]`, []string{
			"record 1 end_date: The end date is before the start date."}},
		{"unknown SDG, target and modality", "json", `[{"title":"T","challenge":"C","solution":"S","countries":["BR"],"modality":"north","primary_sdg":18,"sdg_targets":["3.3"],"status":"done"}]`, []string{
			"record 1 modality:", "record 1 primary_sdg: 18 is not an SDG", "record 1 status:"}},
		{"not an array", "json", `{"title":"T"}`, []string{"The file must hold a JSON array"}},
		{"empty", "json", ``, []string{"The file is empty"}},
		{"wrong type", "json", `[{"title":"T","primary_sdg":"3"}]`, []string{"record 1 primary_sdg: this value has the wrong type"}},
		{"unknown field", "json", `[{"title":"T","colour":"red"}]`, []string{"record 1 colour: this file format has no such field"}},
		{"broken JSON", "json", `[{"title":"T"},`, []string{"record 2: the JSON is malformed"}},
		{"duplicate records in one file", "json", `[` + jsonRecord("Same") + `,` + jsonRecord("same") + `]`, []string{"record 2 title: record 1 has the same title and start date"}},
	}
	// One database per engine for every case: a refused import leaves it as
	// it was, which each case checks.
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		create(t, st, input("Existing"))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				records, err := solution.Read(strings.NewReader(tt.file), tt.format, 1<<20)
				if err == nil {
					_, err = st.Import(ctx, system, records)
				}
				var ie *solution.ImportError
				if !errors.As(err, &ie) {
					t.Fatalf("err %v, want an import error", err)
				}
				got := describe(err)
				for _, w := range tt.want {
					if !strings.Contains(got, w) {
						t.Errorf("problems\n%s\nlack %q", got, w)
					}
				}
				if n, _ := st.Count(ctx); n != 1 {
					t.Errorf("%d records after a refused import, want 1: nothing half-imported", n)
				}
			})
		}
	})
}

func jsonRecord(title string) string {
	return `{"title":"` + title + `","challenge":"C","solution":"S","countries":["BR"],"modality":"south_south","primary_sdg":3,"status":"ongoing","start_date":"2018-02"}`
}

func TestImportAllOrNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := solution.NewStore(db)
		// The third record clashes with an existing one on the database side
		// only: its url belongs to one record, its title and start to
		// another. Nothing of the file may stay.
		a := input("Holder of the url")
		a.URL = "https://example.org/x"
		create(t, st, a)
		create(t, st, input("Holder of the title"))
		clash := input("Holder of the title")
		clash.URL = "https://example.org/x"
		records := []solution.Record{recordOf(input("New one"), ""), recordOf(input("New two"), ""), recordOf(clash, "")}
		_, err := st.Import(ctx, system, records)
		if !strings.Contains(describe(err), "record 3 title") {
			t.Errorf("err %s", describe(err))
		}
		if n, _ := st.Count(ctx); n != 2 {
			t.Errorf("%d records, want 2", n)
		}
	})
}

func TestImportTooLarge(t *testing.T) {
	big := strings.NewReader("[" + strings.Repeat(" ", 2000) + "]")
	if _, err := solution.Read(big, solution.FormatJSON, 1000); !errors.Is(err, solution.ErrTooLarge) {
		t.Errorf("JSON over the limit: %v", err)
	}
	big = strings.NewReader("title\n" + strings.Repeat("x\n", 1000))
	if _, err := solution.Read(big, solution.FormatCSV, 1000); !errors.Is(err, solution.ErrTooLarge) {
		t.Errorf("CSV over the limit: %v", err)
	}
	if _, err := solution.Read(strings.NewReader("title\nx\n"), solution.FormatCSV, 8); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
	var ie *solution.ImportError
	if _, err := solution.Read(strings.NewReader("x"), "xml", 100); !errors.As(err, &ie) {
		t.Errorf("unknown format: %v", err)
	}
}

func TestCSVByteOrderMarkAndBlankRows(t *testing.T) {
	file := "\uFEFFTitle,challenge,solution,countries,modality,primary_sdg,status\nA,C,S,BR,south_south,3,ongoing\n,,,,,,\n"
	records, err := solution.ReadCSV(strings.NewReader(file))
	if err != nil || len(records) != 1 || records[0].Title != "A" {
		t.Fatalf("%v %+v", describe(err), records)
	}
}
