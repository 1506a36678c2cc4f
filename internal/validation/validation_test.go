package validation

import (
	"strings"
	"testing"
)

func TestValidEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"ana@saude.gov.br", true},
		{"k.mensah@health.example.org", true},
		{"first+tag@example.co.mz", true},
		{"josé@ministério.gov.br", true},
		{"", false},
		{"plain", false},
		{"@example.org", false},
		{"ana@", false},
		{"ana@localhost", false},
		{"ana@@example.org", false},
		{"ana smith@example.org", false},
		{"Ana <ana@example.org>", false},
		{"ana@example..org", false},
		{".ana@example.org", false},
		{"ana.@example.org", false},
		{"ana@-example.org", false},
		{"ana@example.org\r\nBcc: x@y.org", false},
		{strings.Repeat("a", 65) + "@example.org", false},
		{"a@" + strings.Repeat("b", 250) + ".org", false},
	}
	for _, tt := range tests {
		if got := ValidEmail(tt.in); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestEmailNormalises(t *testing.T) {
	var e Error
	if got := e.Email("email", "  K.Mensah@Health.Example.ORG ", true); got != "k.mensah@health.example.org" {
		t.Errorf("got %q, want k.mensah@health.example.org", got)
	}
	if e.Err() != nil {
		t.Errorf("unexpected error %v", e.Err())
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		required bool
		max      int
		wantKey  string
	}{
		{"fine", "  Maria  ", true, 10, ""},
		{"missing", "   ", true, 10, "error.required"},
		{"optional empty", "", false, 10, ""},
		{"too long in runes", "ããããããããããã", true, 10, "error.too_long"},
		{"ten accented runes fit", "ãããããããããã", true, 10, ""},
		{"control", "a\x00b", true, 10, "error.invalid_text"},
		{"newline", "a\nb", true, 10, "error.invalid_text"},
		{"invalid utf8", "a\xffb", true, 10, "error.invalid_text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Error
			e.Text("f", tt.value, tt.required, tt.max)
			got := e.Fields["f"].Key
			if got != tt.wantKey {
				t.Errorf("got key %q, want %q", got, tt.wantKey)
			}
		})
	}
}

func TestFirstReasonKept(t *testing.T) {
	var e Error
	e.Add("name", "error.required")
	e.Add("name", "error.too_long", 5)
	if e.Fields["name"].Key != "error.required" {
		t.Errorf("got %q, want the first reason", e.Fields["name"].Key)
	}
	if e.Err() == nil {
		t.Error("Err() = nil with a failing field")
	}
	var empty Error
	if empty.Err() != nil {
		t.Error("Err() != nil without failing fields")
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"ana@saude.gov.br", "", "a@b", "Ana <a@b.org>", "\x00@x.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e Error
		got := e.Email("email", s, true)
		if e.Err() == nil {
			if strings.ContainsAny(got, "\r\n ") || got != strings.ToLower(got) || !strings.Contains(got, "@") {
				t.Fatalf("accepted %q as %q", s, got)
			}
		}
	})
}
