package taxonomy

import (
	"sort"
	"strings"
	"time"
)

// TimeZones returns the IANA time zones people live in (zone.tab: one or
// more per country, no aliases), sorted by name.
func TimeZones() []string {
	out := make([]string, 0, len(zoneTab)+1)
	for _, z := range zoneTab {
		out = append(out, z.Zone)
	}
	out = append(out, "UTC")
	sort.Strings(out)
	return out
}

// CountryTimeZones returns the time zones of a country, for suggesting one.
func CountryTimeZones(country string) []string {
	var out []string
	for _, z := range zoneTab {
		if z.Country == country {
			out = append(out, z.Zone)
		}
	}
	return out
}

// ValidTimeZone reports whether name is an IANA zone that the embedded
// database knows ("America/Sao_Paulo", "UTC"); "Local" and "" are not.
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" || strings.ContainsAny(name, " \\") || strings.HasPrefix(name, "/") {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}
