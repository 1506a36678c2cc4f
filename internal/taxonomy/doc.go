// Package taxonomy holds the reference data that every other package
// validates against and shows: the Sustainable Development Goals and their
// targets, countries and UN M49 regions, development classes of countries,
// organisation types and languages. It reads nothing at run time: the data
// files are embedded and the rest comes from golang.org/x/text.
//
// Sources:
//
//   - SDG goals and targets (data/sdg.json, embedded): goal and target titles
//     from open-sdg/sdg-translations (MIT licence),
//     translations/<lang>/global_goals.yml and global_targets.yml; Portuguese
//     short names as used by the United Nations in Brazil; colours from the
//     UN SDG communication guidelines. The file has no Portuguese titles, so
//     titles fall back to English for pt. See SDGSource.
//   - Development classes (data/m49-development.json, embedded): UN
//     Statistics Division, Standard country or area codes for statistical use
//     (M49), column "Developed / Developing Countries" as published until its
//     removal in 2021, taken from the datasets/country-codes data package
//     (public domain dedication), data/country-codes.csv at its revision of
//     2020-10-15, with the least developed, landlocked developing and small
//     island developing lists. The UN notes that the designation is for
//     statistical convenience and does not express a judgement about the
//     stage reached by a country in the development process. See
//     DevelopmentSource; reports that use it must name it.
//   - Countries (ISO 3166-1 alpha-2), UN M49 regions, their containment and
//     the names of countries, regions and languages: golang.org/x/text
//     (language, language/display, collate), that is CLDR data. Exceptions,
//     each documented where it is declared: the M49 English names of regions
//     and three region names that CLDR lacks or gives to a different area;
//     the M49 placement of nine territories that CLDR files under "Outlying
//     Oceania"; and current names of three countries renamed after x/text's
//     CLDR snapshot (North Macedonia, Eswatini, Türkiye).
//   - Time zones (zones.go, zones_data.go): the IANA time zone database,
//     zone.tab (public domain).
//
// Country.SubRegion is the most specific M49 area of a country, the level
// reports commonly show: an intermediate region where M49 has one (Western
// Africa, South America), otherwise a sub-region (Northern Africa, Southern
// Asia). Sub-Saharan Africa (202) and Latin America and the Caribbean (419)
// are parents of those intermediate regions: ParseRegion, RegionCountries
// and InRegion accept them.
package taxonomy
