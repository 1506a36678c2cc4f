package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits on what a reader types. Longer input is cut, never refused: a
// search box answers whatever is pasted into it.
const (
	MaxQueryLen   = 200 // runes read from the query
	maxTerms      = 12  // terms kept (words, phrases, OR groups)
	maxPhraseLen  = 8   // words kept in one quoted phrase
	maxAlts       = 4   // alternatives kept in one OR group
	minPrefixRune = 2   // a word* this long or longer matches longer words
)

// Query is what a reader typed, parsed: terms that must all match, terms
// that must not, each made of alternatives (a OR b), each alternative a
// phrase of one or more folded words. Its words hold only letters and
// digits, so rendering it for an engine cannot produce a syntax error nor
// inject anything.
type Query struct {
	Must []Term
	Not  []Term
}

// Term is one condition of a query: any of its phrases matches.
type Term struct{ Alts []Phrase }

// Phrase is words in a row. A single word of two letters or more typed
// with a * after it also matches the words that start with it (search as
// you type: "vaccin*" finds "vaccines" and "vacinação"). Words without it
// match whole words only: a prefix makes both engines gather every match
// of every word it starts, which costs as much as the words are common,
// where a whole word is read newest first and only as far as needed.
type Phrase struct {
	Words  []string
	Prefix bool
	quoted bool
}

// Empty reports whether the query asks for nothing: an empty search shows
// nothing rather than everything, and so does a query of exclusions only.
func (q Query) Empty() bool { return len(q.Must) == 0 }

// Words returns the words the query looks for, for highlighting.
func (q Query) Words() []Phrase {
	var out []Phrase
	for _, t := range q.Must {
		out = append(out, t.Alts...)
	}
	return out
}

// Parse reads a query as people type it: words, all of which must match;
// word* for the words that start with it; "quoted phrases"; -word or
// -"phrase" to exclude; OR (upper case) between two terms for either. Case and accents are ignored; function words (the,
// de, para...) are dropped unless the query has nothing else. Any other
// character separates words: the syntax of the engines (*, :, NEAR, ^,
// parentheses) means nothing here, and invalid UTF-8 is a separator.
func Parse(s string) Query {
	s = cut(s)
	var q Query
	type raw struct {
		words  []string
		quoted bool
		neg    bool
		or     bool // an OR stood before it
		star   bool // a * right after it: a prefix
	}
	var terms []raw
	pendingOr := false
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			end := strings.IndexByte(s[i+1:], '"')
			body := ""
			if end < 0 {
				body, i = s[i+1:], len(s)
			} else {
				body, i = s[i+1:i+1+end], i+end+2
			}
			if w := words(body); len(w) > 0 {
				terms = append(terms, raw{words: w, quoted: true, or: pendingOr})
			}
			pendingOr = false
			continue
		case r == '-' && (i == 0 || isSpaceByte(s[i-1])):
			// An exclusion: the term right after the minus sign.
			j := i + 1
			if j < len(s) && s[j] == '"' {
				end := strings.IndexByte(s[j+1:], '"')
				body := ""
				if end < 0 {
					body, i = s[j+1:], len(s)
				} else {
					body, i = s[j+1:j+1+end], j+end+2
				}
				if w := words(body); len(w) > 0 {
					terms = append(terms, raw{words: w, quoted: true, neg: true})
				}
				pendingOr = false
				continue
			}
			end := j
			for end < len(s) {
				r, n := utf8.DecodeRuneInString(s[end:])
				if !isWordRune(r) || r == utf8.RuneError && n == 1 {
					break
				}
				end += n
			}
			if w := words(s[j:end]); len(w) > 0 {
				terms = append(terms, raw{words: w, neg: true})
			}
			pendingOr = false
			i = max(end, j)
			continue
		case isWordRune(r) && !(r == utf8.RuneError && size == 1):
			end := i
			for end < len(s) {
				r, n := utf8.DecodeRuneInString(s[end:])
				if !isWordRune(r) || r == utf8.RuneError && n == 1 {
					break
				}
				end += n
			}
			token := s[i:end]
			i = end
			if token == "OR" && len(terms) > 0 {
				pendingOr = true
				continue
			}
			star := end < len(s) && s[end] == '*'
			for _, w := range words(token) {
				terms = append(terms, raw{words: []string{w}, or: pendingOr, star: star})
				pendingOr = false
			}
			continue
		}
		i += size
	}
	// Function words go, unless nothing else is left to look for.
	content := false
	for _, t := range terms {
		if !t.neg && (t.quoted || !stopwords[t.words[0]]) {
			content = true
		}
	}
	for _, t := range terms {
		if len(t.words) > maxPhraseLen {
			t.words = t.words[:maxPhraseLen]
		}
		if content && !t.quoted && !t.neg && stopwords[t.words[0]] {
			continue
		}
		p := Phrase{Words: t.words, Prefix: t.star && !t.quoted && utf8.RuneCountInString(t.words[0]) >= minPrefixRune, quoted: t.quoted}
		switch {
		case t.neg:
			if len(q.Not) < maxTerms {
				q.Not = append(q.Not, Term{Alts: []Phrase{p}})
			}
		case t.or && len(q.Must) > 0:
			last := &q.Must[len(q.Must)-1]
			if len(last.Alts) < maxAlts && !hasPhrase(last.Alts, p) {
				last.Alts = append(last.Alts, p)
			}
		default:
			if len(q.Must) < maxTerms && !hasTerm(q.Must, p) {
				q.Must = append(q.Must, Term{Alts: []Phrase{p}})
			}
		}
	}
	return q
}

// everyPrefix returns the query with every word that was not quoted also
// matching the words that start with it, as if typed with a *: for lists
// small enough that a prefix costs little (the solutions catalogue), where
// "volunteer" should find "volunteers".
func (q Query) everyPrefix() Query {
	out := Query{Not: q.Not}
	for _, t := range q.Must {
		alts := make([]Phrase, len(t.Alts))
		for i, p := range t.Alts {
			if !p.quoted && len(p.Words) == 1 && utf8.RuneCountInString(p.Words[0]) >= minPrefixRune {
				p.Prefix = true
			}
			alts[i] = p
		}
		out.Must = append(out.Must, Term{Alts: alts})
	}
	return out
}

func hasPhrase(list []Phrase, p Phrase) bool {
	for _, x := range list {
		if x.Prefix == p.Prefix && strings.Join(x.Words, " ") == strings.Join(p.Words, " ") {
			return true
		}
	}
	return false
}

func hasTerm(list []Term, p Phrase) bool {
	for _, t := range list {
		if len(t.Alts) == 1 && hasPhrase(t.Alts, p) {
			return true
		}
	}
	return false
}

// cut keeps the first MaxQueryLen runes of s, with invalid bytes turned
// into spaces.
func cut(s string) string {
	if len(s) > 4*MaxQueryLen {
		s = s[:4*MaxQueryLen]
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s) && n < MaxQueryLen; n++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(' ')
		} else {
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '(' }

// isWordRune reports whether r belongs to a word: letters, digits, and the
// marks that accents are made of.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// words splits text into folded words: letters and digits, case and
// accents removed. It is how both the query and the highlighter see text.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) || r == utf8.RuneError }) {
		if f := Fold(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Fold lowers a word and removes its accents, as both engines' indexes do
// (SQLite's unicode61 tokenizer with remove_diacritics 2, PostgreSQL's
// unaccent): "Saúde" gives "saude". Letters that unaccent spells out (ß,
// æ, œ, ø...) are spelled out the same way, on both engines.
func Fold(w string) string {
	if plainASCII(w) {
		return strings.ToLower(w) // no accents to remove: most words, read for every snippet
	}
	return foldUnicode(w)
}

// foldUnicode is Fold for any word.
func foldUnicode(w string) string {
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range norm.NFKD.String(w) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if s, ok := spelled[r]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(r)
			}
		}
	}
	// Scripts whose letters decompose (Hangul) come back together.
	return norm.NFC.String(b.String())
}

// plainASCII reports whether w holds ASCII letters and digits only, which
// fold to themselves in lower case.
func plainASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// spelled are the letters without a decomposition that unaccent replaces
// by plain ones. SQLite's tokenizer leaves them; the index folds the text
// it stores (see foldText) so that both engines agree.
var spelled = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'þ': "th", 'ł': "l", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŀ': "l",
}

// indexText is text as the index stores it: its words, in order, separated
// by single spaces, with the letters of spelled spelled out. Both engines
// then cut it into the same words as Parse does, and fold them (SQLite's
// tokenizer and PostgreSQL's unaccent) as Fold does.
func indexText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch {
		case isWordRune(r) && r != utf8.RuneError:
			if r >= 0x80 {
				if sp, ok := spelled[unicode.ToLower(r)]; ok {
					b.WriteString(sp)
					space = false
					continue
				}
			}
			b.WriteRune(r)
			space = false
		case !space:
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// stopwords are function words of English, French, Spanish and Portuguese
// that say nothing about what a text is about, folded.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be by for from has have in is it its of on or that the this to was were will with
		au aux avec ce ces dans de des du elle en et est il ils la le les leur mais ne par pas pour qui que sa se ses son sur un une
		al con del el en es las lo los para por que se su sus un una y o
		ao aos as com da das de do dos e em na nas no nos o os ou para pela pelo por que se um uma l d qu`) {
		stopwords[Fold(w)] = true
	}
}

// fts5 renders the query as an FTS5 MATCH expression. Every word is quoted,
// so no input reaches FTS5's own syntax. A query of two or more words also
// scores the whole of it as a phrase, so exact phrases rank first.
func (q Query) fts5() string {
	var b strings.Builder
	b.WriteString("(")
	for i, t := range q.Must {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(ftsTerm(t))
	}
	if p, ok := q.phrase(); ok {
		b.WriteString(" OR ")
		b.WriteString(ftsPhrase(p))
	}
	b.WriteString(")")
	for _, t := range q.Not {
		b.WriteString(" NOT ")
		b.WriteString(ftsTerm(t))
	}
	return b.String()
}

func ftsTerm(t Term) string {
	if len(t.Alts) == 1 {
		return ftsPhrase(t.Alts[0])
	}
	parts := make([]string, len(t.Alts))
	for i, p := range t.Alts {
		parts[i] = ftsPhrase(p)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

func ftsPhrase(p Phrase) string {
	s := `"` + strings.Join(p.Words, " ") + `"`
	if p.Prefix {
		s += "*"
	}
	return s
}

// phrase returns the query's words as one phrase when it has two or more
// single words and no alternatives: the phrase that ranks first.
func (q Query) phrase() (Phrase, bool) {
	var p Phrase
	if len(q.Must) < 2 {
		return p, false
	}
	for _, t := range q.Must {
		if len(t.Alts) != 1 || len(t.Alts[0].Words) != 1 {
			return p, false
		}
		p.Words = append(p.Words, t.Alts[0].Words[0])
		p.Prefix = t.Alts[0].Prefix
	}
	return p, true
}

// tsquery renders the query for PostgreSQL's to_tsquery: lexemes quoted,
// prefixes marked :*, phrases joined with <->. Words hold only letters and
// digits, so the result always parses.
func (q Query) tsquery() string {
	var parts []string
	for _, t := range q.Must {
		parts = append(parts, tsTerm(t))
	}
	for _, t := range q.Not {
		parts = append(parts, "!"+tsTerm(t))
	}
	return strings.Join(parts, " & ")
}

// tsPhraseQuery is the whole query as a phrase, for the ranking bonus; empty
// when there is none.
func (q Query) tsPhraseQuery() string {
	if p, ok := q.phrase(); ok {
		return tsPhrase(p)
	}
	return ""
}

func tsTerm(t Term) string {
	parts := make([]string, len(t.Alts))
	for i, p := range t.Alts {
		parts[i] = tsPhrase(p)
	}
	return "(" + strings.Join(parts, " | ") + ")"
}

func tsPhrase(p Phrase) string {
	parts := make([]string, len(p.Words))
	for i, w := range p.Words {
		parts[i] = "'" + w + "'"
		if p.Prefix && i == len(p.Words)-1 {
			parts[i] += ":*"
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " <-> ") + ")"
}
