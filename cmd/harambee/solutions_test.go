package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

const solutionsCSV = `title,tagline,challenge,solution,countries,global,modality,primary_sdg,secondary_sdgs,sdg_targets,status,start_date,contacts
"Milk banks, Brazil",Human milk for preterm babies,"Preterm babies
lack milk.",Pasteurised donor milk.,BR;MZ,false,triangular,3,2;17,3.2,ongoing,2015-06,Ana Souza|Coordinator|Fiocruz;|Programme Officer|UNICEF
Community of practice,,Isolation,A network.,,true,south_south,3,17,,ongoing,2018-02,
`

func TestImportExportSolutions(t *testing.T) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		t.Run(d.String(), func(t *testing.T) {
			dir := t.TempDir()
			dsn := dbtest.DSN(t, d)
			file := filepath.Join(dir, "catalogue.csv")
			os.WriteFile(file, []byte(solutionsCSV), 0o600)

			// Flags after the file, as the contract allows.
			code, out, errOut := harambee(t, "", "import", "solutions", file, "--db", dsn)
			if code != 0 || out != "" || !strings.Contains(errOut, "2 created") {
				t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			code, out, errOut = harambee(t, "", "import", "solutions", "--db", dsn, file)
			if code != 0 || !strings.Contains(errOut, "0 created, 0 updated, 2 unchanged") {
				t.Errorf("import again: exit %d, %q", code, errOut)
			}

			code, out, errOut = harambee(t, "", "export", "solutions", "--db", dsn)
			if code != 0 || errOut != "" {
				t.Fatalf("export: exit %d, %q", code, errOut)
			}
			var records []map[string]any
			if err := json.Unmarshal([]byte(out), &records); err != nil || len(records) != 2 || records[0]["title"] != "Milk banks, Brazil" {
				t.Fatalf("export is not the catalogue as JSON: %v\n%s", err, out)
			}
			code, csvOut, _ := harambee(t, "", "export", "solutions", "--format", "csv", "--db", dsn)
			if code != 0 || !strings.HasPrefix(csvOut, strings.Join(solution.Columns, ",")+"\n") ||
				!strings.Contains(csvOut, "Ana Souza|Coordinator|Fiocruz;|Programme Officer|UNICEF") {
				t.Errorf("CSV export: exit %d\n%s", code, csvOut)
			}

			// The CSV export imports into an empty database and exports the
			// same.
			again := filepath.Join(dir, "again.csv")
			os.WriteFile(again, []byte(csvOut), 0o600)
			empty := dbtest.DSN(t, d)
			if code, _, errOut := harambee(t, "", "import", "solutions", again, "--db", empty); code != 0 {
				t.Fatalf("re-import: %s", errOut)
			}
			if _, csv2, _ := harambee(t, "", "export", "solutions", "--format", "csv", "--db", empty); csv2 != csvOut {
				t.Errorf("export after re-import differs:\n%s\n---\n%s", csvOut, csv2)
			}
		})
	}
}

func TestImportSolutionsRefuses(t *testing.T) {
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "h.db")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(strings.Replace(solutionsCSV, "BR;MZ", "BR;XX", 1)), 0o600)
	code, out, errOut := harambee(t, "", "import", "solutions", bad, "--db", dsn)
	if code != 1 || out != "" || !strings.Contains(errOut, "nothing was changed") || !strings.Contains(errOut, "line 2 countries: “XX” is not a country code") {
		t.Errorf("bad file: exit %d, %q", code, errOut)
	}
	if _, out, _ := harambee(t, "", "export", "solutions", "--db", dsn); strings.TrimSpace(out) != "[]" {
		t.Errorf("after a refused import the catalogue holds %s", out)
	}

	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, []byte("["+strings.Repeat(" ", 2<<20)+"]"), 0o600)
	code, _, errOut = harambee(t, "", "import", "solutions", big, "--max-upload", "1", "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "limit") {
		t.Errorf("file over the limit: exit %d, %q", code, errOut)
	}

	for _, args := range [][]string{
		{"import", "solutions"},
		{"import", "solutions", filepath.Join(dir, "catalogue.xml")},
		{"export", "solutions", "--format", "xml"},
	} {
		code, out, errOut := harambee(t, "", append(args, "--db", dsn)...)
		if code != 2 || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, errOut)
		}
	}
	if code, _, errOut := harambee(t, "", "import", "solutions", filepath.Join(dir, "missing.csv"), "--db", dsn); code != 1 || !strings.Contains(errOut, "missing.csv") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
}
