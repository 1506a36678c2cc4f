package solution_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/solution"
)

// solutionOf returns a validated input as a stored record would hold it.
func solutionOf(in solution.Input) solution.Solution {
	x := solution.Solution{Title: in.Title, Tagline: in.Tagline, Challenge: in.Challenge, Approach: in.Approach, Results: in.Results,
		Lessons: in.Lessons, Replicability: in.Replicability, Countries: in.Countries, Global: in.Global, Modality: in.Modality,
		PrimarySDG: in.PrimarySDG, SecondarySDGs: in.SecondarySDGs, Targets: in.Targets, Status: in.Status,
		SupportedBy: in.SupportedBy, Implementers: in.Implementers, Contacts: in.Contacts, URL: in.URL, Language: in.Language}
	x.Start, _ = solution.ParseMonth(in.StartDate)
	x.End, _ = solution.ParseMonth(in.EndDate)
	return x
}

// checkReadable fails when reading a file panics or answers anything but
// records, an *ImportError or ErrTooLarge; and when a record that reads and
// validates does not come back the same through the other format's writer
// and reader.
func checkReadable(t *testing.T, records []solution.Record, err error) {
	var ie *solution.ImportError
	if err != nil {
		if !errors.As(err, &ie) && !errors.Is(err, solution.ErrTooLarge) {
			t.Fatalf("unexpected error %T %v", err, err)
		}
		if ie != nil && len(ie.Problems) == 0 {
			t.Fatal("an import error without problems")
		}
		return
	}
	for _, rec := range records {
		in, err := rec.Input().Validate()
		if err != nil {
			continue
		}
		for _, format := range []string{solution.FormatCSV, solution.FormatJSON} {
			var buf bytes.Buffer
			write := solution.WriteCSV
			if format == solution.FormatJSON {
				write = solution.WriteJSON
			}
			if err := write(&buf, []solution.Solution{solutionOf(in)}); err != nil {
				t.Fatalf("write %s: %v", format, err)
			}
			back, err := solution.Read(&buf, format, 1<<30)
			if err != nil || len(back) != 1 {
				t.Fatalf("%s of a valid record does not read back: %v\n%s", format, describe(err), buf.String())
			}
			again, err := back[0].Input().Validate()
			if err != nil || !equalInput(in, again) {
				t.Fatalf("%s round trip changed the record:\n%#v\n%#v\n%v", format, in, again, err)
			}
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("title,challenge,solution,countries,modality,primary_sdg,status\nA,C,S,BR;MZ,south_south,3,ongoing\n")
	f.Add(strings.Join(solution.Columns, ",") + "\n\"T, \"\"quoted\"\"\",tag;line,\"multi\nline\",S,R,L,X,KE,false,triangular,3,17;5,3.3;5.2,completed,2018-02,2020-01,A;B,C,n|t|o|e@example.org;|role|,https://example.org,pt,,true,2024-01-01T00:00:00Z\n")
	f.Add("title\n\"unclosed\n")
	f.Add("title,global\nx,maybe\n")
	f.Add("\uFEFFtitle,contacts\nx,a|b|c|d|e\n")
	f.Fuzz(func(t *testing.T, file string) {
		records, err := solution.Read(strings.NewReader(file), solution.FormatCSV, 1<<20)
		checkReadable(t, records, err)
	})
}

func FuzzReadJSON(f *testing.F) {
	f.Add(`[{"title":"A","challenge":"C","solution":"S","countries":["BR"],"modality":"south_south","primary_sdg":3,"status":"ongoing"}]`)
	f.Add(`[{"title":"G","challenge":"C","solution":"S","global":true,"modality":"triangular","primary_sdg":17,"secondary_sdgs":[3],"sdg_targets":["3.8"],"status":"completed","start_date":"2018-02","end_date":"2019-03","contacts":[{"name":"","title":"Officer","organization":"UNICEF"}],"archived":false,"updated_at":"2024-01-01T00:00:00Z"}]`)
	f.Add(`{"title":"not an array"}`)
	f.Add(`[1, "two", null]`)
	f.Add(`[{"title":"T","primary_sdg":"3"}] trailing`)
	f.Fuzz(func(t *testing.T, file string) {
		records, err := solution.Read(strings.NewReader(file), solution.FormatJSON, 1<<20)
		checkReadable(t, records, err)
	})
}
