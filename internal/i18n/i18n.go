// Package i18n chooses the reader's language and translates interface text
// through message catalogues in English, French, Spanish and Portuguese.
//
// The catalogues are JSON files under locales/LANG/, one per area of the
// interface (account.json, community.json...), each a flat object of message
// keys and texts. Texts take fmt verbs with explicit indexes (%[1]s) so that a
// translation may reorder them. Plural forms are two keys, KEY.one and
// KEY.other, chosen by N.
package i18n

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Languages are the interface languages, English first: it is the fallback.
var Languages = []string{"en", "fr", "es", "pt"}

// Default is the language used when nothing else decides.
const Default = "en"

//go:embed locales
var localeFiles embed.FS

var (
	loadOnce   sync.Once
	catalogues map[string]map[string]string
	loadErr    error
	localizers map[string]*Localizer
	matcher    = language.NewMatcher([]language.Tag{language.English, language.French, language.Spanish, language.Portuguese})
)

func load() {
	catalogues, loadErr = readCatalogues(localeFiles)
	localizers = make(map[string]*Localizer, len(Languages))
	for _, lang := range Languages {
		localizers[lang] = &Localizer{
			lang:    lang,
			msgs:    catalogues[lang],
			printer: message.NewPrinter(language.MustParse(lang)),
		}
	}
}

// readCatalogues reads every locales/LANG/*.json file; a key defined twice
// for one language is an error.
func readCatalogues(fsys fs.FS) (map[string]map[string]string, error) {
	out := make(map[string]map[string]string)
	for _, lang := range Languages {
		msgs := make(map[string]string)
		dir := path.Join("locales", lang)
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", lang, err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			var file map[string]string
			if err := json.Unmarshal(b, &file); err != nil {
				return nil, fmt.Errorf("catalogue %s/%s: %w", lang, e.Name(), err)
			}
			for k, v := range file {
				if _, dup := msgs[k]; dup {
					return nil, fmt.Errorf("catalogue %s: key %q defined twice", lang, k)
				}
				msgs[k] = v
			}
		}
		out[lang] = msgs
	}
	return out, nil
}

// Check reports a catalogue that failed to load; the server calls it at
// start so a broken catalogue stops it instead of showing keys.
func Check() error {
	loadOnce.Do(load)
	return loadErr
}

// Keys returns every key of a language's catalogue, sorted, for tests.
func Keys(lang string) []string {
	loadOnce.Do(load)
	keys := make([]string, 0, len(catalogues[lang]))
	for k := range catalogues[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Message returns the raw text of key in lang and whether it exists.
func Message(lang, key string) (string, bool) {
	loadOnce.Do(load)
	s, ok := catalogues[lang][key]
	return s, ok
}

// Supported reports whether lang is an interface language.
func Supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// For returns the localizer of an interface language, English for anything
// else.
func For(lang string) *Localizer {
	loadOnce.Do(load)
	if l, ok := localizers[lang]; ok {
		return l
	}
	return localizers[Default]
}

// Negotiate picks the interface language: the first of the explicit choices
// (?lang=, then the member's setting, then a visitor's saved choice) that is
// supported, otherwise the best match for the Accept-Language header.
func Negotiate(acceptLanguage string, choices ...string) string {
	for _, c := range choices {
		if c = strings.ToLower(strings.TrimSpace(c)); Supported(c) {
			return c
		}
	}
	if acceptLanguage == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[idx]
}

// Localizer translates into one language.
type Localizer struct {
	lang    string
	msgs    map[string]string
	printer *message.Printer
}

// Lang is the localizer's language code.
func (l *Localizer) Lang() string { return l.lang }

// T returns the text of key, with args formatted into it. A missing key falls
// back to English, then to the key itself (a test keeps that from shipping).
func (l *Localizer) T(key string, args ...any) string {
	s, ok := l.msgs[key]
	if !ok {
		if s, ok = catalogues[Default][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	return l.printer.Sprintf(s, args...)
}

// N returns the plural form of key for n: KEY.one or KEY.other. n is passed as
// the first argument, before args.
func (l *Localizer) N(key string, n int, args ...any) string {
	form := ".other"
	if l.one(n) {
		form = ".one"
	}
	return l.T(key+form, append([]any{n}, args...)...)
}

// one tells whether n takes the singular: French and Portuguese use it for 0
// and 1, English and Spanish for 1 only.
func (l *Localizer) one(n int) bool {
	switch l.lang {
	case "fr", "pt":
		return n == 0 || n == 1
	}
	return n == 1
}

// Number formats an integer with the language's digit grouping.
func (l *Localizer) Number(n int64) string { return l.printer.Sprintf("%d", n) }

// Decimal formats a number with one decimal, with the language's decimal
// separator ("2.5" in English, "2,5" in French).
func (l *Localizer) Decimal(f float64) string { return l.printer.Sprintf("%.1f", f) }

// Percent formats a share from 0 to 1 as a whole percentage ("93%", "93 %").
func (l *Localizer) Percent(share float64) string {
	return l.T("format.percent", int(share*100+0.5))
}

// Date formats a day in the reader's language ("14 July 2021").
func (l *Localizer) Date(t time.Time) string {
	// The year goes in as text: as a number it would get digit grouping.
	return l.T("format.date", t.Day(), l.T(fmt.Sprintf("month.%d", int(t.Month()))), strconv.Itoa(t.Year()))
}

// Month formats a month and year ("July 2021").
func (l *Localizer) Month(t time.Time) string {
	return l.T("format.month", l.T(fmt.Sprintf("month.%d", int(t.Month()))), strconv.Itoa(t.Year()))
}

// DateTime formats a moment in loc ("14 July 2021, 14:00").
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return l.T("format.datetime", l.Date(t), t.Format("15:04"))
}

type ctxKey struct{}

// WithLocalizer returns a context that carries the reader's localizer, for
// the templates' T calls.
func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the reader's localizer, English when none is set.
func FromContext(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(ctxKey{}).(*Localizer); ok {
		return l
	}
	return For(Default)
}

// T translates key for the reader whose localizer ctx carries.
func T(ctx context.Context, key string, args ...any) string {
	return FromContext(ctx).T(key, args...)
}
