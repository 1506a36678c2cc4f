package taxonomy

import (
	"slices"
	"testing"

	"golang.org/x/text/language"
)

// TestM49Areas checks every listed M49 code against x/text: it is a group,
// its parent holds every country it holds, and every country outside
// m49Placement lies in exactly one leaf area.
func TestM49Areas(t *testing.T) {
	for _, a := range m49Areas {
		r, err := language.ParseRegion(a.code)
		if err != nil || !r.IsGroup() || r.String() != a.code {
			t.Errorf("%s: got %v, %v from x/text, want an M49 group", a.code, r, err)
			continue
		}
		if a.parent == "" {
			continue
		}
		// x/text answers Contains for countries, not always for groups
		// (202 holds countries, not the groups 011 and 014).
		parent := m49ByCode[a.parent].region
		n := 0
		for _, c := range Countries() {
			cr := language.MustParseRegion(c.Code)
			if r.Contains(cr) {
				n++
				if !parent.Contains(cr) {
					t.Errorf("%s: got %s outside its parent %s, want inside", a.code, c.Code, a.parent)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: got no country inside, want some", a.code)
		}
	}
	leaves := m49Leaves()
	for _, c := range Countries() {
		if _, ok := m49Placement[c.Code]; ok {
			continue
		}
		var in []string
		for _, l := range leaves {
			if l.region.Contains(language.MustParseRegion(c.Code)) {
				in = append(in, l.code)
			}
		}
		if len(in) != 1 {
			t.Errorf("%s: got in leaf areas %v, want exactly one", c.Code, in)
		}
	}
	for code, leaf := range m49Placement {
		if c, ok := CountryByCode(code); !ok || c.SubRegion != leaf {
			t.Errorf("%s: got %+v, want sub-region %q", code, c, leaf)
		}
	}
}

func TestRegions(t *testing.T) {
	var got []string
	for _, r := range Regions() {
		got = append(got, r.Code)
		if r.Parent != "" {
			t.Errorf("%s: got parent %q, want none", r.Code, r.Parent)
		}
	}
	if want := []string{"002", "019", "142", "150", "009"}; !slices.Equal(got, want) {
		t.Errorf("Regions(): got %v, want %v", got, want)
	}
	tests := []struct {
		region string
		want   []string
	}{
		{"002", []string{"015", "202"}},
		{"Africa", []string{"015", "202"}},
		{"202", []string{"014", "017", "018", "011"}},
		{"019", []string{"419", "021"}},
		{"419", []string{"029", "013", "005"}},
		{"142", []string{"143", "030", "035", "034", "145"}},
		{"150", []string{"151", "154", "039", "155"}},
		{"009", []string{"053", "054", "057", "061"}},
		{"014", nil},
		{"001", nil},
		{"nowhere", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range SubRegions(tt.region) {
			got = append(got, r.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("SubRegions(%q): got %v, want %v", tt.region, got, tt.want)
		}
	}
	total := 0
	for _, r := range Regions() {
		total += len(RegionCountries(r.Code))
	}
	if total != 248 { // every country but Antarctica
		t.Errorf("countries in the five regions: got %d, want 248", total)
	}
}

func TestParseRegion(t *testing.T) {
	tests := []struct {
		in   string
		code string
		ok   bool
	}{
		{"002", "002", true},
		{" 002 ", "002", true},
		{"419", "419", true},
		{"011", "011", true},
		{"Africa", "002", true},
		{"africa", "002", true},
		{"AFRICA", "002", true},
		{"Eastern Africa", "014", true},
		{"eastern  africa", "014", true},
		{"Sub-Saharan Africa", "202", true},
		{"Latin America and the Caribbean", "419", true},
		{"latin america", "419", true}, // x/text's name, as an alias
		{"South-eastern Asia", "035", true},
		{"Southeast Asia", "035", true},
		{"Northern America", "021", true},
		{"Australia and New Zealand", "053", true},
		{"Oceania", "009", true},
		{"001", "", false},
		{"World", "", false},
		{"2", "", false},
		{"02", "", false},
		{"0002", "", false},
		{"003", "", false}, // CLDR's North America, not an M49 area in use
		{"North America", "", false},
		{"QO", "", false},
		{"EU", "", false},
		{"BR", "", false},
		{"Atlantis", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		code, ok := ParseRegion(tt.in)
		if code != tt.code || ok != tt.ok {
			t.Errorf("ParseRegion(%q): got %q, %v, want %q, %v", tt.in, code, ok, tt.code, tt.ok)
		}
	}
}

func TestRegionName(t *testing.T) {
	tests := []struct {
		code, lang, want string
	}{
		{"002", "en", "Africa"},
		{"002", "fr", "Afrique"},
		{"002", "es", "África"},
		{"002", "pt", "África"},
		{"419", "en", "Latin America and the Caribbean"},
		{"419", "fr", "Amérique latine et Caraïbes"},
		{"202", "pt", "África Subsaariana"},
		{"035", "en", "South-eastern Asia"},
		{"035", "fr", "Asie du Sud-Est"},
		{"014", "es", "África oriental"},
		{"014", "", "Eastern Africa"},
		{"014", "xx", "Eastern Africa"},
		{"001", "en", "001"},
		{"nope", "fr", "nope"},
	}
	for _, tt := range tests {
		if got := RegionName(tt.code, tt.lang); got != tt.want {
			t.Errorf("RegionName(%q, %q): got %q, want %q", tt.code, tt.lang, got, tt.want)
		}
	}
	for _, a := range m49Areas {
		for _, lang := range []string{"en", "fr", "es", "pt"} {
			if got := RegionName(a.code, lang); got == "" || got == a.code {
				t.Errorf("RegionName(%q, %q): got %q, want a name", a.code, lang, got)
			}
		}
	}
}

func TestRegionCountries(t *testing.T) {
	africa := RegionCountries("002")
	if !slices.IsSorted(africa) {
		t.Errorf("RegionCountries(002): got %v, want sorted", africa)
	}
	tests := []struct {
		region, country string
		want            bool
	}{
		{"002", "NG", true},
		{"002", "BR", false},
		{"002", "EG", true},
		{"202", "EG", false},
		{"202", "MZ", true},
		{"011", "NG", true},
		{"014", "NG", false},
		{"019", "BR", true},
		{"419", "BR", true},
		{"419", "US", false},
		{"021", "US", true},
		{"142", "CN", true},
		{"145", "TR", true},
		{"150", "NO", true},
		{"009", "FJ", true},
		{"009", "AQ", false},
	}
	for _, tt := range tests {
		if got := slices.Contains(RegionCountries(tt.region), tt.country); got != tt.want {
			t.Errorf("RegionCountries(%q) holds %s: got %v, want %v", tt.region, tt.country, got, tt.want)
		}
		if got := InRegion(tt.country, tt.region); got != tt.want {
			t.Errorf("InRegion(%q, %q): got %v, want %v", tt.country, tt.region, got, tt.want)
		}
	}
	if got := InRegion("ng", "africa"); !got {
		t.Errorf(`InRegion("ng", "africa"): got false, want true`)
	}
	for _, in := range [][2]string{{"XX", "002"}, {"NG", "001"}, {"NG", ""}, {"", "002"}} {
		if InRegion(in[0], in[1]) {
			t.Errorf("InRegion(%q, %q): got true, want false", in[0], in[1])
		}
	}
	if got := RegionCountries("001"); got != nil {
		t.Errorf("RegionCountries(001): got %v, want nil", got)
	}
	if got := len(RegionCountries("Western Africa")); got != 17 {
		t.Errorf("RegionCountries(Western Africa): got %d countries, want 17", got)
	}
}
