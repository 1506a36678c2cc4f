package taxonomy

import (
	"strings"
	"testing"
)

func FuzzNormalizeCountry(f *testing.F) {
	for _, s := range []string{"BR", "br", " mz ", "XX", "XK", "", "BRA", "ß", "\xff\xfe", "ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := NormalizeCountry(s)
		if ok != ValidCountry(code) {
			t.Errorf("NormalizeCountry(%q) = %q, %v, but ValidCountry(%q) = %v", s, code, ok, code, !ok)
		}
		if ok && code != strings.ToUpper(strings.TrimSpace(s)) {
			t.Errorf("NormalizeCountry(%q) = %q, want the trimmed upper-case input", s, code)
		}
		if !ok && code != "" {
			t.Errorf("NormalizeCountry(%q) = %q, false, want an empty code", s, code)
		}
		_ = CountryName(s, s)
		_ = InRegion(s, s)
	})
}

func FuzzParseRegion(f *testing.F) {
	for _, s := range []string{"002", "Africa", "latin america and the caribbean", "001", "2", "", " 019 ", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := ParseRegion(s)
		if !ok {
			if code != "" {
				t.Errorf("ParseRegion(%q) = %q, false, want an empty code", s, code)
			}
			return
		}
		if _, known := m49ByCode[code]; !known {
			t.Errorf("ParseRegion(%q) = %q, not a listed M49 area", s, code)
		}
		if again, ok := ParseRegion(code); !ok || again != code {
			t.Errorf("ParseRegion(%q) = %q, %v, want the code itself", code, again, ok)
		}
		if len(RegionCountries(code)) == 0 {
			t.Errorf("ParseRegion(%q) = %q, which holds no country", s, code)
		}
		_ = RegionName(s, s)
		_ = SubRegions(s)
	})
}
