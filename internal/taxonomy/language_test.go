package taxonomy

import (
	"slices"
	"testing"
)

func TestValidLanguage(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"en", true}, {"fr", true}, {"es", true}, {"pt", true}, {"ar", true},
		{"zh", true}, {"ru", true}, {"sw", true}, {"hi", true}, {"id", true},
		{"am", true}, {"ha", true}, {"yo", true},
		{"xx", false}, {"qq", false}, {"zz", false}, {"english", false},
		{"EN", false}, {" en", false}, {"", false}, {"e", false},
		{"eng", false}, // ISO 639-2, not 639-1
		{"pt-BR", false},
		{"iw", false}, // deprecated for he
		{"in", false}, // deprecated for id
	}
	for _, tt := range tests {
		if got := ValidLanguage(tt.code); got != tt.want {
			t.Errorf("ValidLanguage(%q): got %v, want %v", tt.code, got, tt.want)
		}
	}
	for _, code := range CommonLanguages() {
		if !ValidLanguage(code) {
			t.Errorf("CommonLanguages holds %q: got invalid, want valid", code)
		}
	}
	if got := CommonLanguages()[:4]; !slices.Equal(got, []string{"en", "fr", "es", "pt"}) {
		t.Errorf("CommonLanguages()[:4]: got %v, want the interface languages", got)
	}
}

func TestLanguageNames(t *testing.T) {
	tests := []struct {
		code, lang, want string
	}{
		{"pt", "fr", "portugais"},
		{"pt", "en", "Portuguese"},
		{"sw", "es", "suajili"},
		{"ar", "pt", "árabe"},
		{"fr", "pt-BR", "francês"},
		{"en", "", "English"},
		{"en", "nonsense!", "English"},
		{"xx", "en", "xx"},
	}
	for _, tt := range tests {
		if got := LanguageName(tt.code, tt.lang); got != tt.want {
			t.Errorf("LanguageName(%q, %q): got %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
	self := []struct{ code, want string }{
		{"pt", "português"},
		{"fr", "français"},
		{"es", "español"},
		{"en", "English"},
		{"sw", "Kiswahili"},
		{"xx", "xx"},
	}
	for _, tt := range self {
		if got := LanguageSelfName(tt.code); got != tt.want {
			t.Errorf("LanguageSelfName(%q): got %q, want %q", tt.code, got, tt.want)
		}
	}
}
