package library_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

func TestSniff(t *testing.T) {
	docx := func(part string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create(part)
		w.Write([]byte("x"))
		zw.Close()
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		file string
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), "a.pdf", library.TypePDF},
		{"pdf named exe", []byte("%PDF-1.4"), "virus.exe", library.TypePDF},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), "x.png", library.TypePNG},
		{"csv", []byte("email,name\na@b.org,A\n"), "list.csv", library.TypeCSV},
		{"text", []byte("Notes from the webinar\n"), "notes.txt", library.TypeText},
		{"html is text but not html", []byte("<script>alert(1)</script>"), "x.html", library.TypeText},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00"), "setup.pdf", ""},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00"), "x", ""},
		{"docx", docx("word/document.xml"), "report.docx", library.TypeDOCX},
		{"xlsx", docx("xl/workbook.xml"), "data.xlsx", library.TypeXLSX},
		{"zip", docx("readme.txt"), "bundle.zip", library.TypeZIP},
		{"broken zip", []byte("PK\x03\x04garbage"), "x.zip", ""},
	}
	for _, tt := range tests {
		got := library.Sniff(tt.data, tt.file)
		if got == library.TypeZIP {
			got = library.SniffZip(bytes.NewReader(tt.data), int64(len(tt.data)))
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	tests := map[string]string{
		"report.pdf":                      "report.pdf",
		"../../etc/passwd":                "passwd",
		`C:\Users\ana\Relatório.pdf`:      "Relatório.pdf",
		"a\x00b\r\nc.pdf":                 "a_b__c.pdf",
		`"; rm -rf.pdf`:                   "__ rm -rf.pdf",
		"...":                             "file",
		strings.Repeat("a", 200) + ".pdf": strings.Repeat("a", 116) + ".pdf",
	}
	for in, want := range tests {
		if got := library.CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func setup(t *testing.T, db *sqldb.DB) (*library.Store, community.Community, community.Viewer, account.User) {
	t.Helper()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "mgr@example.org", PasswordHash: "x", Verified: true, Profile: account.Profile{Name: "Mgr"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "c", Name: "C"}, u)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := community.NewStore(db).ViewerFor(ctx, c.ID, &u)
	files, _ := storage.NewDir(t.TempDir())
	return library.NewStore(db, files), c, v, u
}

func TestCreateListAndFacets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st, c, v, _ := setup(t, db)
		_, err := st.Create(ctx, c, v, library.Input{Title: "No file", Language: "en"}, nil)
		if ve, ok := validation.As(err); !ok || !ve.Has("url") {
			t.Errorf("a resource without file or link: %v", err)
		}
		_, err = st.Create(ctx, c, v, library.Input{Title: "Bad", Language: "xx", URL: "javascript:alert(1)", Countries: []string{"XX"}, SDGs: []int{18}, Kind: "novel"}, nil)
		if ve, ok := validation.As(err); !ok || strings.Join(ve.Names(), ",") != "countries,kind,language,sdgs,url" {
			t.Errorf("bad metadata: %v", err)
		}
		pdf, err := st.Create(ctx, c, v, library.Input{Kind: "policy_brief", Title: "Eliminating mother-to-child transmission", Language: "en", PublishedOn: "2019-05",
			Countries: []string{"br", "TH"}, SDGs: []int{3}, Topics: []string{"EMTCT"}},
			&library.Upload{Name: "../emtct brief.PDF", Body: strings.NewReader("%PDF-1.7 brief"), Limit: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if pdf.FileType != library.TypePDF || pdf.FileName != "emtct brief.PDF" || pdf.FileSize != 14 || pdf.Year != 2019 {
			t.Errorf("stored %+v", pdf)
		}
		f, _, err := st.OpenFile(ctx, pdf)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if string(b) != "%PDF-1.7 brief" {
			t.Errorf("file content %q", b)
		}
		if _, err := st.Create(ctx, c, v, library.Input{Title: "Exe", Language: "en"}, &library.Upload{Name: "x.pdf", Body: strings.NewReader("MZ\x90\x00"), Limit: 1 << 20}); err == nil {
			t.Error("an executable was accepted")
		}
		_, err = st.Create(ctx, c, v, library.Input{Title: "Big", Language: "en"}, &library.Upload{Name: "big.txt", Body: strings.NewReader(strings.Repeat("a", 2000)), Limit: 1000})
		if !errors.Is(err, library.ErrTooLarge) {
			t.Errorf("an oversized file: %v", err)
		}
		st.Create(ctx, c, v, library.Input{Kind: "recording", Title: "Webinar recording", Language: "pt", URL: "https://www.youtube.com/watch?v=abc", PublishedOn: "2021",
			Countries: []string{"BR"}, SDGs: []int{3, 17}}, nil)
		st.Create(ctx, c, v, library.Input{Kind: "toolkit", Title: "Saúde materna: guia", Language: "pt", URL: "https://example.org/guia", Countries: []string{"MZ"}, SDGs: []int{3}}, nil)

		anon, _ := community.NewStore(db).ViewerFor(ctx, c.ID, nil)
		page, err := st.List(ctx, c, anon, library.Filter{Country: "BR"}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 {
			t.Errorf("country BR: %d", page.Total)
		}
		counts := map[string]int{}
		for _, k := range page.Facets.Country {
			counts[k.Value] = k.Count
		}
		if counts["BR"] != 2 || counts["MZ"] != 1 || counts["TH"] != 1 {
			t.Errorf("country facet under the other filters: %v", page.Facets.Country)
		}
		langs := map[string]int{}
		for _, k := range page.Facets.Language {
			langs[k.Value] = k.Count
		}
		if langs["en"] != 1 || langs["pt"] != 1 {
			t.Errorf("language facet within BR: %v", page.Facets.Language)
		}
		page, _ = st.List(ctx, c, anon, library.Filter{Query: "materna"}, 10, 0)
		if page.Total != 1 {
			t.Errorf("search 'materna': %d", page.Total)
		}
		rel, _ := st.Related(ctx, pdf, 5)
		if len(rel) == 0 || rel[0].Title != "Webinar recording" && rel[0].Title != "Saúde materna: guia" {
			t.Errorf("related: %+v", rel)
		}
	})
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte("%PDF-1.7"), "a.pdf")
	f.Add([]byte("PK\x03\x04"), "a.zip")
	f.Add([]byte{0xff, 0xfe, 0}, "a.txt")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		typ := library.Sniff(data, name)
		if typ == library.TypeZIP {
			library.SniffZip(bytes.NewReader(data), int64(len(data)))
		}
		clean := library.CleanFileName(name)
		if strings.ContainsAny(clean, "/\\\x00\r\n\"") || clean == "" {
			t.Fatalf("CleanFileName(%q) = %q", name, clean)
		}
	})
}
