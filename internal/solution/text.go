package solution

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/harambee/harambee/internal/markdown"
)

// fold lower-cases s, removes accents and turns everything but letters and
// digits into single spaces: "Saúde da Criança" gives "saude da crianca".
// Search text is stored folded and queries are folded the same way, so that
// a reader who types without accents still finds accented words.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// searchable returns folded text with a space before every word and one at
// the end, so that LIKE '% word%' matches words that begin with "word".
func searchable(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if f := fold(p); f != "" {
			b.WriteByte(' ')
			b.WriteString(f)
		}
	}
	b.WriteByte(' ')
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Term weights: a word in the title counts three times, in the tagline
// twice, elsewhere once, so that what a record is about outweighs what it
// mentions in passing.
const (
	titleRepeat   = 3
	taglineRepeat = 2
	maxTermLen    = 40
)

// termCounts returns the counted terms of a record's text, the input of the
// BM25 text similarity: folded words without function words, a plural "s"
// dropped from longer words ("systems" and "system" are one term), numbers
// and one- or two-letter words left out.
func termCounts(in Input) map[string]int {
	tf := map[string]int{}
	add := func(text string, times int) {
		for _, w := range strings.Fields(fold(text)) {
			if t := stem(w); t != "" {
				tf[t] += times
			}
		}
	}
	add(in.Title, titleRepeat)
	add(in.Tagline, taglineRepeat)
	for _, md := range []string{in.Challenge, in.Approach, in.Results, in.Lessons, in.Replicability} {
		add(markdown.Plain(md, 0), 1)
	}
	return tf
}

// stem reduces a folded word to the term it counts as, or "" to skip it.
func stem(w string) string {
	if len(w) < 3 || len(w) > maxTermLen || stopwords[w] || isNumber(w) {
		return ""
	}
	if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		w = w[:len(w)-1]
	}
	return w
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// stopwords are function words of the four interface languages, folded.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{
		// English
		`a an and are as at be been but by for from had has have in into is it its of on or our
		that the their them there these they this those to was were which while who will with
		within without also more most other over such than through under up via we you your can
		not all any each both between during after before about across per how what when where`,
		// French
		`au aux avec ce ces cette dans de des du elle en est et il ils la le les leur leurs lui
		mais ne nos notre ou par pas pour qu que qui sa se ses son sont sur un une vos votre plus
		entre afin ainsi comme dont sans sous tout tous toutes été être avoir fait`,
		// Spanish
		`al como con de del el en entre es esta este estos la las lo los mas para pero por que se
		sin sobre su sus un una uno unos unas y o e ha han fue son ser sus cada desde hasta tambien`,
		// Portuguese
		`ao aos as com como da das de do dos e em entre era esta este foi mais mas na nas no nos
		o os ou para pela pelas pelo pelos por que se sem seu seus sua suas um uma umas uns ser sao
		tambem cada desde ate`,
	} {
		for _, w := range strings.Fields(list) {
			m[fold(w)] = true
		}
	}
	return m
}()
