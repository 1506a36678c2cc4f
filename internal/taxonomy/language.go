package taxonomy

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// commonLanguages are offered first in language pickers: the interface
// languages, the other UN official languages, then languages widely used
// in the global South.
var commonLanguages = []string{
	"en", "fr", "es", "pt", "ar", "zh", "ru",
	"sw", "hi", "id", "bn", "ur", "fa", "tr", "vi", "th", "ms",
	"ha", "am", "yo", "ig", "zu", "so", "ne", "ta", "ko", "ja", "de", "it",
}

// ValidLanguage reports whether code is exactly an ISO 639-1 two-letter
// language code, in lower case, that x/text knows by an English name ("pt",
// "sw"; not "xx", "PT", "english", or deprecated codes such as "iw").
func ValidLanguage(code string) bool {
	_, ok := parseLanguage(code)
	return ok
}

func parseLanguage(code string) (language.Base, bool) {
	if len(code) != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z' {
		return language.Base{}, false
	}
	// Parse, unlike ParseBase, replaces deprecated codes ("iw" becomes
	// "he"), which are then rejected as not canonical.
	t, err := language.Parse(code)
	if err != nil {
		return language.Base{}, false
	}
	b, _ := t.Base()
	if t.String() != code || b.String() != code {
		return language.Base{}, false
	}
	return b, display.English.Languages().Name(b) != ""
}

// LanguageName returns the name of language code in lang ("pt", "fr" gives
// "portugais"), falling back to English; an invalid code is returned as it
// is.
func LanguageName(code, lang string) string {
	b, ok := parseLanguage(code)
	if !ok {
		return code
	}
	if t, err := language.Parse(lang); err == nil {
		if namer := display.Languages(t); namer != nil {
			if n := namer.Name(b); n != "" {
				return n
			}
		}
	}
	return display.English.Languages().Name(b)
}

// LanguageSelfName returns the name of a language in that language ("pt"
// gives "português"), for pickers that readers of any language can use;
// the English name when x/text has none, an invalid code as it is.
func LanguageSelfName(code string) string {
	b, ok := parseLanguage(code)
	if !ok {
		return code
	}
	if n := display.Self.Name(b); n != "" {
		return n
	}
	return display.English.Languages().Name(b)
}

// CommonLanguages returns a short ordered list of language codes for
// pickers: en fr es pt ar zh ru, then widely spoken languages of the South.
func CommonLanguages() []string {
	return append([]string(nil), commonLanguages...)
}
