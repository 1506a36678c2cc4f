package taxonomy

import (
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is an assigned ISO 3166-1 alpha-2 country or area with its UN M49
// placement. Region is one of the five M49 regions ("002" Africa) and
// SubRegion the most specific M49 area that holds it: the intermediate
// region where M49 has one ("014" Eastern Africa, "005" South America),
// otherwise the sub-region ("015" Northern Africa, "034" Southern Asia).
// Both are empty for Antarctica, which M49 places in no region.
type Country struct {
	Code      string
	Region    string
	SubRegion string
}

// notCountries are codes that x/text accepts as countries but ISO 3166-1
// does not assign: exceptionally reserved codes (AC, CP, CQ, DG, EA, EU,
// EZ, IC, TA, UK, UN) and the user-assigned XK (Kosovo), which ISO has not
// assigned.
var notCountries = map[string]bool{
	"AC": true, "CP": true, "CQ": true, "DG": true, "EA": true, "EU": true,
	"EZ": true, "IC": true, "TA": true, "UK": true, "UN": true, "XK": true,
}

// m49Placement gives the M49 area of the few countries that CLDR (and so
// x/text) files under "Outlying Oceania" (QO), which is not an M49 area.
var m49Placement = map[string]string{
	"BV": "005", // Bouvet Island: South America
	"GS": "005", // South Georgia and the South Sandwich Islands: South America
	"CC": "053", // Cocos (Keeling) Islands: Australia and New Zealand
	"CX": "053", // Christmas Island
	"HM": "053", // Heard Island and McDonald Islands
	"IO": "014", // British Indian Ocean Territory: Eastern Africa
	"TF": "014", // French Southern Territories: Eastern Africa
	"UM": "057", // United States Minor Outlying Islands: Micronesia
	"AQ": "",    // Antarctica: no M49 region
}

// countryNames replaces x/text's names where its CLDR snapshot predates a
// country's change of name; the texts are those of current CLDR.
var countryNames = map[string]map[string]string{
	"MK": {"en": "North Macedonia", "fr": "Macédoine du Nord", "es": "Macedonia del Norte", "pt": "Macedônia do Norte"},
	"SZ": {"en": "Eswatini", "fr": "Eswatini", "es": "Esuatini", "pt": "Essuatíni"},
	"TR": {"en": "Türkiye"},
}

type countryData struct {
	list    []Country
	byCode  map[string]Country
	members map[string][]string // M49 area -> countries in it at any depth, sorted
}

// loadCountries enumerates the countries x/text knows. The enumeration
// cannot fail at run time; TestCountries checks that it finds exactly 249.
var loadCountries = sync.OnceValue(func() *countryData {
	d := &countryData{byCode: make(map[string]Country), members: make(map[string][]string)}
	leaves := m49Leaves()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if !assigned(code) {
				continue
			}
			c := Country{Code: code}
			leaf, placed := m49Placement[code]
			if !placed {
				r := language.MustParseRegion(code)
				for _, l := range leaves {
					if l.region.Contains(r) {
						leaf = l.code
						break
					}
				}
			}
			if leaf != "" {
				c.SubRegion = leaf
				for p := leaf; p != ""; p = m49ByCode[p].parent {
					c.Region = p
					d.members[p] = append(d.members[p], code)
				}
			}
			d.list = append(d.list, c)
			d.byCode[code] = c
		}
	}
	return d
})

// assigned reports whether x/text knows code as a current ISO 3166-1
// country: it parses, is a country, is not a deprecated code (which
// canonicalises to its successor or, when it split, has no name) and is
// not reserved or user-assigned.
func assigned(code string) bool {
	if notCountries[code] {
		return false
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() || r.IsPrivateUse() {
		return false
	}
	if r.Canonicalize().String() != code {
		return false
	}
	return display.English.Regions().Name(r) != ""
}

// Countries returns every assigned ISO 3166-1 alpha-2 country and area
// (249 of them), sorted by code.
func Countries() []Country {
	return append([]Country(nil), loadCountries().list...)
}

// CountryByCode returns the country with exactly this code (upper case).
func CountryByCode(code string) (Country, bool) {
	c, ok := loadCountries().byCode[code]
	return c, ok
}

// ValidCountry reports whether code is exactly an assigned ISO 3166-1
// alpha-2 code in upper case ("BR"; not "br", "XX" or "UK").
func ValidCountry(code string) bool {
	_, ok := loadCountries().byCode[code]
	return ok
}

// NormalizeCountry trims and upper-cases s and reports whether the result is
// an assigned country code: "br" gives "BR", true.
func NormalizeCountry(s string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(s))
	if !ValidCountry(code) {
		return "", false
	}
	return code, true
}

// CountryName returns the name of the country in lang ("CI", "fr" gives
// "Côte d’Ivoire"), falling back to English; an unknown code is returned as
// it is.
func CountryName(code, lang string) string {
	c, ok := NormalizeCountry(code)
	if !ok {
		return code
	}
	base := baseLang(lang)
	if n := countryNames[c][base]; n != "" {
		return n
	}
	r := language.MustParseRegion(c)
	if namer, ok := regionNamer(lang); ok {
		if n := namer.Name(r); n != "" {
			return n
		}
	}
	if n := countryNames[c]["en"]; n != "" {
		return n
	}
	return display.English.Regions().Name(r)
}

// SortCountries sorts country codes in place by their names in lang, with
// the language's collation rules ("Égypte" sorts under E in French).
func SortCountries(codes []string, lang string) {
	type keyed struct{ code, name string }
	ks := make([]keyed, len(codes))
	for i, c := range codes {
		ks[i] = keyed{c, CountryName(c, lang)}
	}
	col := collate.New(language.Make(lang))
	sort.SliceStable(ks, func(i, j int) bool {
		if c := col.CompareString(ks[i].name, ks[j].name); c != 0 {
			return c < 0
		}
		return ks[i].code < ks[j].code
	})
	for i, k := range ks {
		codes[i] = k.code
	}
}

var commonNamers = sync.OnceValue(func() map[string]display.Namer {
	m := make(map[string]display.Namer)
	for _, l := range []string{"en", "fr", "es", "pt"} {
		m[l] = display.Regions(language.Make(l))
	}
	return m
})

// regionNamer returns the x/text namer of regions for lang, and false when
// x/text has no data for it.
func regionNamer(lang string) (display.Namer, bool) {
	if n, ok := commonNamers()[lang]; ok {
		return n, true
	}
	t, err := language.Parse(lang)
	if err != nil {
		return nil, false
	}
	n := display.Regions(t)
	return n, n != nil
}
