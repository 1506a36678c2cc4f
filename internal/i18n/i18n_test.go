package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestCataloguesLoad(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if len(Keys("en")) < 100 {
		t.Errorf("only %d English keys", len(Keys("en")))
	}
}

var placeholder = regexp.MustCompile(`%\[\d+\][a-z]|%%`)

func placeholders(s string) string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return strings.Join(p, " ")
}

// TestCataloguesComplete fails when a language lacks a key, has one English
// does not, leaves a text empty, or loses or adds a placeholder.
func TestCataloguesComplete(t *testing.T) {
	en := map[string]bool{}
	for _, k := range Keys("en") {
		en[k] = true
	}
	for _, lang := range Languages[1:] {
		have := map[string]bool{}
		for _, k := range Keys(lang) {
			have[k] = true
			if !en[k] {
				t.Errorf("%s has key %q that English lacks", lang, k)
			}
		}
		for k := range en {
			if !have[k] {
				t.Errorf("%s lacks key %q", lang, k)
				continue
			}
			tr, _ := Message(lang, k)
			orig, _ := Message("en", k)
			if strings.TrimSpace(tr) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
			if placeholders(tr) != placeholders(orig) {
				t.Errorf("%s: %q has placeholders %q, English has %q", lang, k, placeholders(tr), placeholders(orig))
			}
		}
	}
	for k := range en {
		if base, ok := strings.CutSuffix(k, ".one"); ok && !en[base+".other"] {
			t.Errorf("%q has no .other form", k)
		}
	}
}

// TestSourceKeysExist fails when the code asks for a message key that no
// catalogue defines. It reads every string literal of the Go and templ
// sources that looks like a key of a known area ("error.email"); literals
// ending in "." or "_" are prefixes completed at run time.
func TestSourceKeysExist(t *testing.T) {
	known := map[string]bool{}
	areas := map[string]bool{}
	for _, k := range Keys("en") {
		known[k] = true
		areas[strings.SplitN(k, ".", 2)[0]] = true
	}
	literal := regexp.MustCompile(`"([a-z][a-z0-9_]*)\.([A-Za-z0-9_.]*)"`)
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		name := d.Name()
		if d.IsDir() || strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") ||
			!(strings.HasSuffix(name, ".go") || strings.HasSuffix(name, ".templ")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			area, rest := m[1], m[2]
			if !areas[area] || strings.Contains(rest, "/") {
				continue
			}
			key := area + "." + rest
			if rest == "" || strings.HasSuffix(key, ".") || strings.HasSuffix(key, "_") {
				continue
			}
			checked++
			if !known[key] && !(known[key+".one"] && known[key+".other"]) {
				t.Errorf("%s uses message key %q, which the catalogues lack", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("only %d keys found in the sources: is the scan broken?", checked)
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept  string
		choices []string
		want    string
	}{
		{"", nil, "en"},
		{"fr-FR,fr;q=0.9,en;q=0.8", nil, "fr"},
		{"pt-BR", nil, "pt"},
		{"pt-MZ,pt;q=0.9", nil, "pt"},
		{"es-419", nil, "es"},
		{"de-DE,de;q=0.9", nil, "en"},
		{"de-DE,de;q=0.9,es;q=0.5", nil, "es"},
		{"garbage;;;", nil, "en"},
		{"fr", []string{"pt"}, "pt"},
		{"fr", []string{"", "es"}, "es"},
		{"fr", []string{"xx", ""}, "fr"},
		{"fr", []string{" ES "}, "es"},
	}
	for _, tt := range tests {
		if got := Negotiate(tt.accept, tt.choices...); got != tt.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.accept, tt.choices, got, tt.want)
		}
	}
}

func TestFormats(t *testing.T) {
	d := time.Date(2021, 7, 14, 17, 0, 0, 0, time.UTC)
	brt := time.FixedZone("BRT", -3*3600)
	tests := []struct {
		lang, date, month, datetime string
	}{
		{"en", "14 July 2021", "July 2021", "14 July 2021, 14:00"},
		{"fr", "14 juillet 2021", "juillet 2021", "14 juillet 2021, 14:00"},
		{"es", "14 de julio de 2021", "julio de 2021", "14 de julio de 2021, 14:00"},
		{"pt", "14 de julho de 2021", "julho de 2021", "14 de julho de 2021, 14:00"},
	}
	for _, tt := range tests {
		l := For(tt.lang)
		if got := l.Date(d); got != tt.date {
			t.Errorf("%s Date = %q, want %q", tt.lang, got, tt.date)
		}
		if got := l.Month(d); got != tt.month {
			t.Errorf("%s Month = %q, want %q", tt.lang, got, tt.month)
		}
		if got := l.DateTime(d, brt); !strings.HasPrefix(got, tt.date) || !strings.HasSuffix(got, "14:00") {
			t.Errorf("%s DateTime = %q, want %q", tt.lang, got, tt.datetime)
		}
	}
	if got := For("en").Number(2300); got != "2,300" {
		t.Errorf("en Number(2300) = %q", got)
	}
	if got := For("pt").Number(2300); got != "2.300" {
		t.Errorf("pt Number(2300) = %q", got)
	}
	if got := For("fr").Decimal(2.54); got != "2,5" {
		t.Errorf("fr Decimal(2.54) = %q", got)
	}
	if got := For("en").Percent(0.934); got != "93%" {
		t.Errorf("en Percent = %q", got)
	}
}

func TestPlural(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		form string
	}{{"en", 0, "other"}, {"en", 1, "one"}, {"en", 2, "other"}, {"fr", 0, "one"}, {"fr", 1, "one"}, {"fr", 2, "other"}, {"pt", 0, "one"}, {"es", 0, "other"}}
	for _, c := range cases {
		want := For(c.lang).T("admin.users_count."+c.form, c.n)
		if got := For(c.lang).N("admin.users_count", c.n); got != want {
			t.Errorf("%s N(%d) = %q, want the %s form %q", c.lang, c.n, got, c.form, want)
		}
	}
}

func TestMissingKeyFallsBack(t *testing.T) {
	if got := For("fr").T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
	if For("de").Lang() != "en" {
		t.Error("an unsupported language does not fall back to English")
	}
}
