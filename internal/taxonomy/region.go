package taxonomy

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Region is a UN M49 area: one of the five regions, a sub-region or an
// intermediate region. Parent is the code of the area that holds it, empty
// for the five regions.
type Region struct {
	Code   string
	Parent string
}

type m49Area struct {
	code, parent, name string // name: the M49 English name
	region             language.Region
}

// m49Areas lists, in the M49 order, the areas that hold countries. World
// (001) is left out on purpose: it is not a useful filter. The M49
// intermediate region Channel Islands (830, in Northern Europe) is left out
// because x/text does not know it; Guernsey and Jersey belong to Northern
// Europe (154).
var m49Areas = []m49Area{
	{code: "002", name: "Africa"},
	{code: "015", parent: "002", name: "Northern Africa"},
	{code: "202", parent: "002", name: "Sub-Saharan Africa"},
	{code: "014", parent: "202", name: "Eastern Africa"},
	{code: "017", parent: "202", name: "Middle Africa"},
	{code: "018", parent: "202", name: "Southern Africa"},
	{code: "011", parent: "202", name: "Western Africa"},
	{code: "019", name: "Americas"},
	{code: "419", parent: "019", name: "Latin America and the Caribbean"},
	{code: "029", parent: "419", name: "Caribbean"},
	{code: "013", parent: "419", name: "Central America"},
	{code: "005", parent: "419", name: "South America"},
	{code: "021", parent: "019", name: "Northern America"},
	{code: "142", name: "Asia"},
	{code: "143", parent: "142", name: "Central Asia"},
	{code: "030", parent: "142", name: "Eastern Asia"},
	{code: "035", parent: "142", name: "South-eastern Asia"},
	{code: "034", parent: "142", name: "Southern Asia"},
	{code: "145", parent: "142", name: "Western Asia"},
	{code: "150", name: "Europe"},
	{code: "151", parent: "150", name: "Eastern Europe"},
	{code: "154", parent: "150", name: "Northern Europe"},
	{code: "039", parent: "150", name: "Southern Europe"},
	{code: "155", parent: "150", name: "Western Europe"},
	{code: "009", name: "Oceania"},
	{code: "053", parent: "009", name: "Australia and New Zealand"},
	{code: "054", parent: "009", name: "Melanesia"},
	{code: "057", parent: "009", name: "Micronesia"},
	{code: "061", parent: "009", name: "Polynesia"},
}

// regionNames holds the names of M49 areas where x/text has none or names
// a different area (CLDR's 419 is Latin America alone, its 053 Australasia).
// English names always come from m49Areas.
var regionNames = map[string]map[string]string{
	"202": {"fr": "Afrique subsaharienne", "es": "África subsahariana", "pt": "África Subsaariana"},
	"419": {"fr": "Amérique latine et Caraïbes", "es": "América Latina y el Caribe", "pt": "América Latina e Caribe"},
	"053": {"fr": "Australie et Nouvelle-Zélande", "es": "Australia y Nueva Zelandia", "pt": "Austrália e Nova Zelândia"},
}

var m49ByCode = func() map[string]*m49Area {
	m := make(map[string]*m49Area, len(m49Areas))
	for i := range m49Areas {
		a := &m49Areas[i]
		// Every code above is an M49 group in x/text (TestM49Areas).
		a.region, _ = language.ParseRegion(a.code)
		m[a.code] = a
	}
	return m
}()

// m49Names maps lower-case English names to codes: the M49 names and, as
// aliases, x/text's English names ("Latin America", "Southeast Asia").
var m49Names = sync.OnceValue(func() map[string]string {
	m := make(map[string]string)
	for _, a := range m49Areas {
		m[strings.ToLower(a.name)] = a.code
	}
	for _, a := range m49Areas {
		alias := strings.ToLower(display.English.Regions().Name(a.region))
		if _, taken := m[alias]; alias != "" && !taken {
			m[alias] = a.code
		}
	}
	return m
})

// m49Leaves returns the areas that hold no other area, in M49 order.
func m49Leaves() []*m49Area {
	parents := make(map[string]bool)
	for _, a := range m49Areas {
		parents[a.parent] = true
	}
	var leaves []*m49Area
	for i := range m49Areas {
		if !parents[m49Areas[i].code] {
			leaves = append(leaves, &m49Areas[i])
		}
	}
	return leaves
}

// Regions returns the five M49 regions: 002 Africa, 019 Americas, 142 Asia,
// 150 Europe, 009 Oceania.
func Regions() []Region {
	return SubRegions("")
}

// SubRegions returns the areas directly inside region, in M49 order: for
// "002" Northern Africa (015) and Sub-Saharan Africa (202); for "202" its
// four intermediate regions. region may be anything ParseRegion accepts.
// It returns nil for an unknown region or one with nothing inside.
func SubRegions(region string) []Region {
	if region != "" {
		var ok bool
		if region, ok = ParseRegion(region); !ok {
			return nil
		}
	}
	var rs []Region
	for _, a := range m49Areas {
		if a.parent == region {
			rs = append(rs, Region{Code: a.code, Parent: a.parent})
		}
	}
	return rs
}

// ParseRegion returns the M49 code of a region, sub-region or intermediate
// region given by its three-digit code ("002") or its English name in any
// case ("Africa", "eastern africa", "Latin America and the Caribbean").
// World (001) and areas that are not listed in M49 as holding countries
// are not accepted.
func ParseRegion(s string) (code string, ok bool) {
	s = strings.Join(strings.Fields(s), " ")
	if _, ok := m49ByCode[s]; ok {
		return s, true
	}
	code, ok = m49Names()[strings.ToLower(s)]
	return code, ok
}

// RegionName returns the name of an M49 area in lang: the M49 English name
// for English and as the fallback, otherwise x/text's name. An unknown code
// is returned as it is.
func RegionName(code, lang string) string {
	a, ok := m49ByCode[code]
	if !ok {
		return code
	}
	base := baseLang(lang)
	if base == "en" {
		return a.name
	}
	if n := regionNames[code][base]; n != "" {
		return n
	}
	if namer, ok := regionNamer(lang); ok {
		if n := namer.Name(a.region); n != "" {
			return n
		}
	}
	return a.name
}

// RegionCountries returns the codes of the countries inside a region at
// any depth, sorted; region may be anything ParseRegion accepts.
func RegionCountries(region string) []string {
	code, ok := ParseRegion(region)
	if !ok {
		return nil
	}
	return append([]string(nil), loadCountries().members[code]...)
}

// InRegion reports whether country lies inside region at any depth;
// country is normalised as by NormalizeCountry and region may be anything
// ParseRegion accepts.
func InRegion(country, region string) bool {
	c, ok := NormalizeCountry(country)
	if !ok {
		return false
	}
	r, ok := ParseRegion(region)
	if !ok {
		return false
	}
	for p := loadCountries().byCode[c].SubRegion; p != ""; p = m49ByCode[p].parent {
		if p == r {
			return true
		}
	}
	return false
}
