package solution

import (
	"sort"
	"sync"

	"github.com/harambee/harambee/internal/taxonomy"
)

// areaParents maps every M49 area to the area that holds it ("" for the
// five regions).
var areaParents = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	var walk func(parent string)
	walk = func(parent string) {
		for _, r := range taxonomy.SubRegions(parent) {
			m[r.Code] = parent
			walk(r.Code)
		}
	}
	walk("")
	return m
})

// regionsOf returns the M49 areas that hold the countries, at every level
// (Eastern Africa, Sub-Saharan Africa and Africa for Kenya), sorted.
func regionsOf(countries []string) []string {
	parents := areaParents()
	seen := map[string]bool{}
	for _, cc := range countries {
		c, ok := taxonomy.CountryByCode(cc)
		if !ok {
			continue
		}
		for a := c.SubRegion; a != ""; a = parents[a] {
			seen[a] = true
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// areaDepth is 1 for a region, 2 for a sub-region, 3 for an intermediate
// region.
func areaDepth(code string) int {
	d := 0
	parents := areaParents()
	for a := code; a != ""; a = parents[a] {
		d++
	}
	return d
}
