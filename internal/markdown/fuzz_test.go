package markdown

import (
	"testing"
	"unicode/utf8"
)

func FuzzRender(f *testing.F) {
	for _, s := range xssVectors {
		f.Add(s)
	}
	f.Add("# h\n\n| a |\n|---|\n| b |\n\n![i](https://x/y.png) www.example.org ~~s~~")
	f.Fuzz(func(t *testing.T, s string) {
		out := Render(s)
		if problem := checkSafe(out); problem != "" {
			t.Errorf("Render(%q) = %q: %s", s, out, problem)
		}
	})
}

func FuzzPlain(f *testing.F) {
	for _, s := range xssVectors {
		f.Add(s, 20)
	}
	f.Add("Saúde e bem-estar para todos", 7)
	f.Add("a\xffb", 2)
	f.Fuzz(func(t *testing.T, s string, max int) {
		out := Plain(s, max)
		if !utf8.ValidString(out) {
			t.Errorf("Plain(%q, %d) = %q: not valid UTF-8", s, max, out)
		}
		if max > 0 && utf8.RuneCountInString(out) > max {
			t.Errorf("Plain(%q, %d) = %q: %d runes, want at most %d", s, max, out, utf8.RuneCountInString(out), max)
		}
	})
}
