package taxonomy

import (
	"slices"
	"sort"
	"testing"
)

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) != 249 {
		t.Fatalf("got %d countries, want 249", len(cs))
	}
	if !sort.SliceIsSorted(cs, func(i, j int) bool { return cs[i].Code < cs[j].Code }) {
		t.Errorf("got countries out of code order")
	}
	codes := make(map[string]bool)
	for _, c := range cs {
		codes[c.Code] = true
	}
	for _, code := range []string{"BR", "MZ", "CI", "KR", "PS", "SS", "TL", "AQ", "TW", "GB", "CW", "SX", "BQ", "AX"} {
		if !codes[code] {
			t.Errorf("%s: got absent, want present", code)
		}
	}
	for _, code := range []string{"XK", "UK", "EU", "UN", "AN", "CS", "YU", "SU", "TP", "ZR", "BU", "DD", "FX", "NT", "QO", "ZZ"} {
		if codes[code] {
			t.Errorf("%s: got present, want absent", code)
		}
	}
}

func TestCountryByCode(t *testing.T) {
	tests := []struct {
		code, region, sub string
		ok                bool
	}{
		{"BR", "019", "005", true},
		{"MZ", "002", "014", true},
		{"CI", "002", "011", true},
		{"EG", "002", "015", true},
		{"MX", "019", "013", true},
		{"HT", "019", "029", true},
		{"US", "019", "021", true},
		{"IN", "142", "034", true},
		{"VN", "142", "035", true},
		{"NO", "150", "154", true},
		{"FJ", "009", "054", true},
		{"IO", "002", "014", true}, // M49, where CLDR says Outlying Oceania
		{"UM", "009", "057", true},
		{"BV", "019", "005", true},
		{"AQ", "", "", true},
		{"br", "", "", false},
		{"XK", "", "", false},
	}
	for _, tt := range tests {
		c, ok := CountryByCode(tt.code)
		if ok != tt.ok || c.Region != tt.region || c.SubRegion != tt.sub {
			t.Errorf("CountryByCode(%q): got %+v, %v, want region %q sub-region %q, %v", tt.code, c, ok, tt.region, tt.sub, tt.ok)
		}
	}
}

func TestCountryValidation(t *testing.T) {
	tests := []struct {
		name, in string
		norm     string
		ok       bool
		valid    bool // ValidCountry(in)
	}{
		{"valid", "BR", "BR", true, true},
		{"lower case", "br", "BR", true, false},
		{"mixed case and spaces", " mZ\t", "MZ", true, false},
		{"user-assigned XX", "XX", "", false, false},
		{"user-assigned QQ", "QQ", "", false, false},
		{"unknown region ZZ", "ZZ", "", false, false},
		{"Kosovo XK (user-assigned)", "XK", "", false, false},
		{"reserved EU", "EU", "", false, false},
		{"reserved UN", "UN", "", false, false},
		{"reserved UK", "uk", "", false, false},
		{"reserved AC", "AC", "", false, false},
		{"reserved CP", "CP", "", false, false},
		{"reserved DG", "DG", "", false, false},
		{"reserved EA", "EA", "", false, false},
		{"reserved IC", "IC", "", false, false},
		{"reserved TA", "TA", "", false, false},
		{"deprecated AN", "AN", "", false, false},
		{"deprecated ZR", "ZR", "", false, false},
		{"deprecated TP", "TP", "", false, false},
		{"deprecated YU", "YU", "", false, false},
		{"empty", "", "", false, false},
		{"three letters", "BRA", "", false, false},
		{"numeric", "076", "", false, false},
		{"region code", "002", "", false, false},
		{"one letter", "B", "", false, false},
		{"non-ASCII", "BŔ", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeCountry(tt.in)
			if got != tt.norm || ok != tt.ok {
				t.Errorf("NormalizeCountry(%q): got %q, %v, want %q, %v", tt.in, got, ok, tt.norm, tt.ok)
			}
			if v := ValidCountry(tt.in); v != tt.valid {
				t.Errorf("ValidCountry(%q): got %v, want %v", tt.in, v, tt.valid)
			}
		})
	}
}

func TestCountryName(t *testing.T) {
	tests := []struct {
		code, lang, want string
	}{
		{"CI", "en", "Côte d’Ivoire"},
		{"CI", "fr", "Côte d’Ivoire"},
		{"CI", "es", "Côte d’Ivoire"},
		{"CI", "pt", "Costa do Marfim"},
		{"BR", "en", "Brazil"},
		{"BR", "fr", "Brésil"},
		{"BR", "es", "Brasil"},
		{"BR", "pt", "Brasil"},
		{"MZ", "fr", "Mozambique"},
		{"MZ", "pt", "Moçambique"},
		{"EG", "fr", "Égypte"},
		{"ZA", "es", "Sudáfrica"},
		{"DE", "pt-BR", "Alemanha"},
		{"DE", "fr-CA", "Allemagne"},
		{"SZ", "en", "Eswatini"},
		{"MK", "fr", "Macédoine du Nord"},
		{"TR", "en", "Türkiye"},
		{"TR", "fr", "Turquie"},
		{"br", "en", "Brazil"},
		{"BR", "", "Brazil"},
		{"BR", "not a language", "Brazil"},
		{"XX", "en", "XX"},
		{"", "en", ""},
		{"nope", "fr", "nope"},
	}
	for _, tt := range tests {
		if got := CountryName(tt.code, tt.lang); got != tt.want {
			t.Errorf("CountryName(%q, %q): got %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
	for _, c := range Countries() {
		for _, lang := range []string{"en", "fr", "es", "pt"} {
			if n := CountryName(c.Code, lang); n == "" || n == c.Code {
				t.Errorf("CountryName(%q, %q): got %q, want a name", c.Code, lang, n)
			}
		}
	}
}

func TestSortCountries(t *testing.T) {
	tests := []struct {
		lang string
		in   []string
		want []string
	}{
		// Égypte and Équateur under E with Espagne, not after Zambie.
		{"fr", []string{"ZM", "ES", "EG", "DK", "EC", "FJ"}, []string{"DK", "EG", "EC", "ES", "FJ", "ZM"}},
		{"en", []string{"ZM", "EG", "DK", "FJ", "AL"}, []string{"AL", "DK", "EG", "FJ", "ZM"}},
		// Estados Unidos, Etiópia, Índia, Irã, Islândia.
		{"pt", []string{"IR", "IN", "IS", "US", "ET"}, []string{"US", "ET", "IN", "IR", "IS"}},
		{"es", nil, nil},
	}
	for _, tt := range tests {
		got := slices.Clone(tt.in)
		SortCountries(got, tt.lang)
		if !slices.Equal(got, tt.want) {
			t.Errorf("SortCountries(%v, %q): got %v, want %v", tt.in, tt.lang, got, tt.want)
		}
	}
}
