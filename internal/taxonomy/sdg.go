package taxonomy

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/sdg.json
var sdgJSON []byte

// Goal is one of the 17 Sustainable Development Goals.
type Goal struct {
	Number int
	Color  string // official colour, "#RRGGBB"
}

// Target is one of the 169 SDG targets, such as "3.3" or "3.b".
type Target struct {
	Code string
	Goal int
}

// sdgData is the parsed content of data/sdg.json.
type sdgData struct {
	goals   []Goal
	short   map[int]map[string]string // goal -> language -> short name
	titles  map[int]map[string]string // goal -> language -> full title
	targets []Target                  // official order
	byGoal  map[int][]Target
	byCode  map[string]Target
	tTitles map[string]map[string]string // target code -> language -> title
	source  string
}

var loadSDG = sync.OnceValue(func() *sdgData {
	d, err := parseSDG(sdgJSON)
	if err != nil {
		// The file is embedded and checked by TestEmbeddedData: this only
		// happens when a broken file was committed without running the tests.
		panic("taxonomy: embedded data/sdg.json: " + err.Error())
	}
	return d
})

var (
	colorRE      = regexp.MustCompile(`^#[0-9A-F]{6}$`)
	targetCodeRE = regexp.MustCompile(`^([1-9][0-9]?)\.([1-9][0-9]?|[a-z])$`)
)

// parseSDG reads and checks the SDG file: 17 goals numbered 1 to 17 with a
// colour and English names, and 169 well-formed targets with English titles.
func parseSDG(b []byte) (*sdgData, error) {
	var raw struct {
		Source string `json:"source"`
		Goals  []struct {
			Number int               `json:"number"`
			Color  string            `json:"color"`
			Short  map[string]string `json:"short"`
			Title  map[string]string `json:"title"`
		} `json:"goals"`
		Targets []struct {
			Code  string            `json:"code"`
			Goal  int               `json:"goal"`
			Title map[string]string `json:"title"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if strings.TrimSpace(raw.Source) == "" {
		return nil, fmt.Errorf("no source")
	}
	if len(raw.Goals) != 17 {
		return nil, fmt.Errorf("%d goals, want 17", len(raw.Goals))
	}
	d := &sdgData{
		short:   make(map[int]map[string]string),
		titles:  make(map[int]map[string]string),
		byGoal:  make(map[int][]Target),
		byCode:  make(map[string]Target),
		tTitles: make(map[string]map[string]string),
		source:  raw.Source,
	}
	for i, g := range raw.Goals {
		if g.Number != i+1 {
			return nil, fmt.Errorf("goal %d at position %d", g.Number, i+1)
		}
		if !colorRE.MatchString(g.Color) {
			return nil, fmt.Errorf("goal %d: bad colour %q", g.Number, g.Color)
		}
		if g.Short["en"] == "" || g.Title["en"] == "" {
			return nil, fmt.Errorf("goal %d: no English name or title", g.Number)
		}
		d.goals = append(d.goals, Goal{Number: g.Number, Color: g.Color})
		d.short[g.Number] = nfc(g.Short)
		d.titles[g.Number] = nfc(g.Title)
	}
	for _, t := range raw.Targets {
		m := targetCodeRE.FindStringSubmatch(t.Code)
		if m == nil {
			return nil, fmt.Errorf("target %q: malformed code", t.Code)
		}
		if n, _ := strconv.Atoi(m[1]); n != t.Goal || t.Goal < 1 || t.Goal > 17 {
			return nil, fmt.Errorf("target %q: goal %d", t.Code, t.Goal)
		}
		if _, dup := d.byCode[t.Code]; dup {
			return nil, fmt.Errorf("target %q: duplicate", t.Code)
		}
		if t.Title["en"] == "" {
			return nil, fmt.Errorf("target %q: no English title", t.Code)
		}
		tg := Target{Code: t.Code, Goal: t.Goal}
		d.targets = append(d.targets, tg)
		d.byCode[t.Code] = tg
		d.tTitles[t.Code] = nfc(t.Title)
	}
	if len(d.targets) != 169 {
		return nil, fmt.Errorf("%d targets, want 169", len(d.targets))
	}
	sort.SliceStable(d.targets, func(i, j int) bool { return targetLess(d.targets[i], d.targets[j]) })
	for _, t := range d.targets {
		d.byGoal[t.Goal] = append(d.byGoal[t.Goal], t)
	}
	for n := 1; n <= 17; n++ {
		if len(d.byGoal[n]) == 0 {
			return nil, fmt.Errorf("goal %d has no targets", n)
		}
	}
	return d, nil
}

// nfc puts texts in Unicode normalisation form C. Most titles in the source
// file are decomposed (an "e" followed by a combining accent), which would
// defeat comparison and search against what people type.
func nfc(texts map[string]string) map[string]string {
	for k, v := range texts {
		texts[k] = norm.NFC.String(v)
	}
	return texts
}

// targetLess orders targets as the UN lists them (TargetCodeLess).
func targetLess(a, b Target) bool { return TargetCodeLess(a.Code, b.Code) }

// TargetCodeLess orders target codes as the UN lists them: by goal, then
// the numbered targets in numeric order, then the lettered (means of
// implementation) targets in alphabetical order: "3.2" before "3.10"
// before "3.a".
func TargetCodeLess(a, b string) bool {
	ag, as, _ := strings.Cut(a, ".")
	bg, bs, _ := strings.Cut(b, ".")
	if agn, bgn := atoiOr(ag, -1), atoiOr(bg, -1); agn != bgn {
		return agn < bgn
	}
	an, aErr := strconv.Atoi(as)
	bn, bErr := strconv.Atoi(bs)
	switch {
	case aErr == nil && bErr == nil:
		return an < bn
	case aErr == nil:
		return true
	case bErr == nil:
		return false
	}
	return as < bs
}

// SortTargetCodes puts target codes in the official order.
func SortTargetCodes(codes []string) {
	sort.Slice(codes, func(i, j int) bool { return TargetCodeLess(codes[i], codes[j]) })
}

func atoiOr(s string, or int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return or
}

// Goals returns the 17 goals in order.
func Goals() []Goal {
	return append([]Goal(nil), loadSDG().goals...)
}

// GoalByNumber returns goal n, and false when n is not 1 to 17.
func GoalByNumber(n int) (Goal, bool) {
	if !ValidGoal(n) {
		return Goal{}, false
	}
	return loadSDG().goals[n-1], true
}

// ValidGoal reports whether n is a goal number, 1 to 17.
func ValidGoal(n int) bool { return n >= 1 && n <= 17 }

// Short returns the goal's short name ("Good health and well-being") in
// lang (en, fr, es, pt, ar, zh, ru; a tag such as "fr-CA" counts as fr),
// falling back to English.
func (g Goal) Short(lang string) string {
	return pick(loadSDG().short[g.Number], lang)
}

// Title returns the goal's full title in lang, falling back to English
// (the data set has no Portuguese titles).
func (g Goal) Title(lang string) string {
	return pick(loadSDG().titles[g.Number], lang)
}

// TextColor returns "#000000" or "#FFFFFF", whichever has the higher WCAG 2
// contrast ratio on the goal's colour. Every official colour reaches at
// least 4.5:1 with one of them (TestTextColorContrast), though for some
// goals that is black where the UN's own icons use white.
func (g Goal) TextColor() string {
	if contrastRatio(g.Color, "#000000") >= contrastRatio(g.Color, "#FFFFFF") {
		return "#000000"
	}
	return "#FFFFFF"
}

// contrastRatio returns the WCAG 2 contrast ratio (1 to 21) between two
// "#RRGGBB" colours; a malformed colour counts as black.
func contrastRatio(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG 2 relative luminance of a "#RRGGBB" colour.
func luminance(hex string) float64 {
	if len(hex) != 7 || hex[0] != '#' {
		return 0
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0
	}
	channel := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(v>>16&0xFF) + 0.7152*channel(v>>8&0xFF) + 0.0722*channel(v&0xFF)
}

// Targets returns the targets of a goal in the official order (numbered
// targets, then lettered ones); nil for an unknown goal.
func Targets(goal int) []Target {
	return append([]Target(nil), loadSDG().byGoal[goal]...)
}

// TargetByCode returns the target with the given code, accepting
// surrounding spaces and upper-case letters ("3.B" finds "3.b").
func TargetByCode(code string) (Target, bool) {
	t, ok := loadSDG().byCode[strings.ToLower(strings.TrimSpace(code))]
	return t, ok
}

// ValidTarget reports whether code is exactly a target code ("3.b", not
// "3.B" or " 3.b"); use TargetByCode to normalise input first.
func ValidTarget(code string) bool {
	_, ok := loadSDG().byCode[code]
	return ok
}

// Title returns the target's title in lang, falling back to English (the
// data set has no Portuguese target titles).
func (t Target) Title(lang string) string {
	return pick(loadSDG().tTitles[t.Code], lang)
}

// SDGSource returns the "source" text of the SDG data set.
func SDGSource() string { return loadSDG().source }

// pick returns the text in lang from names keyed by language, falling back
// to the base language and then to English.
func pick(names map[string]string, lang string) string {
	if s := names[lang]; s != "" {
		return s
	}
	base := baseLang(lang)
	if base == "zh" {
		base = "zh-Hans"
	}
	if s := names[base]; s != "" {
		return s
	}
	return names["en"]
}

// baseLang returns the lower-case primary language subtag of a tag such as
// "pt-BR" or "fr_CA".
func baseLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return lang
}
