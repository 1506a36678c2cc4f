package taxonomy

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

//go:embed data/m49-development.json
var developmentJSON []byte

type developmentData struct {
	source                                                 string
	developing, developed, least, landlocked, smallIslands map[string]bool
}

var loadDevelopment = sync.OnceValue(func() *developmentData {
	d, err := parseDevelopment(developmentJSON)
	if err != nil {
		// Checked by TestEmbeddedData; see loadSDG.
		panic("taxonomy: embedded data/m49-development.json: " + err.Error())
	}
	return d
})

// parseDevelopment reads the development classes and checks that every code
// is an assigned country and that no country is both developing and
// developed. The other three lists are kept as published: they are not
// subsets of "developing" (Moldova and North Macedonia are landlocked
// developing countries that the same column classed as developed).
func parseDevelopment(b []byte) (*developmentData, error) {
	var raw struct {
		Source                string   `json:"source"`
		Developing            []string `json:"developing"`
		Developed             []string `json:"developed"`
		LeastDeveloped        []string `json:"least_developed"`
		LandlockedDeveloping  []string `json:"landlocked_developing"`
		SmallIslandDeveloping []string `json:"small_island_developing"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if strings.TrimSpace(raw.Source) == "" {
		return nil, fmt.Errorf("no source")
	}
	d := &developmentData{source: raw.Source}
	for _, l := range []struct {
		name  string
		codes []string
		set   *map[string]bool
	}{
		{"developing", raw.Developing, &d.developing},
		{"developed", raw.Developed, &d.developed},
		{"least_developed", raw.LeastDeveloped, &d.least},
		{"landlocked_developing", raw.LandlockedDeveloping, &d.landlocked},
		{"small_island_developing", raw.SmallIslandDeveloping, &d.smallIslands},
	} {
		if len(l.codes) == 0 {
			return nil, fmt.Errorf("%s: empty", l.name)
		}
		*l.set = make(map[string]bool, len(l.codes))
		for _, c := range l.codes {
			if !ValidCountry(c) {
				return nil, fmt.Errorf("%s: %q is not an assigned country code", l.name, c)
			}
			(*l.set)[c] = true
		}
	}
	for c := range d.developed {
		if d.developing[c] {
			return nil, fmt.Errorf("%s is both developing and developed", c)
		}
	}
	return d, nil
}

// IsDeveloping reports whether M49 classed the country as developing. A
// country in neither class (Antarctica, Taiwan, which M49 does not list
// separately) is neither developing nor developed. code is normalised as by
// NormalizeCountry.
func IsDeveloping(code string) bool { return inClass(loadDevelopment().developing, code) }

// IsDeveloped reports whether M49 classed the country as developed.
func IsDeveloped(code string) bool { return inClass(loadDevelopment().developed, code) }

// IsLeastDeveloped reports whether the country is among the least
// developed countries (LDC) of the M49 list.
func IsLeastDeveloped(code string) bool { return inClass(loadDevelopment().least, code) }

// IsLandlockedDeveloping reports whether the country is among the
// landlocked developing countries (LLDC) of the M49 list.
func IsLandlockedDeveloping(code string) bool { return inClass(loadDevelopment().landlocked, code) }

// IsSmallIslandDeveloping reports whether the country is among the small
// island developing states (SIDS) of the M49 list.
func IsSmallIslandDeveloping(code string) bool {
	return inClass(loadDevelopment().smallIslands, code)
}

// DevelopmentSource returns the "source" text of the development classes,
// with the UN's caveat, to be named in reports that use them.
func DevelopmentSource() string { return loadDevelopment().source }

func inClass(set map[string]bool, code string) bool {
	c, ok := NormalizeCountry(code)
	return ok && set[c]
}
