// Package validation carries what is wrong with some input back to the
// person who sent it: each field with a message key from the catalogues, so a
// form shows the message next to the field and the API answers error.fields,
// both in the reader's language.
package validation

import (
	"errors"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Message is a catalogue key and the arguments of its text.
type Message struct {
	Key  string
	Args []any
}

// Error lists the fields that failed and why. Conflict marks input that is
// well formed but clashes with what exists (an e-mail already in use), which
// the API answers with 409 instead of 400.
type Error struct {
	Fields   map[string]Message
	Conflict bool
}

// Error lists the failing fields, for logs.
func (e *Error) Error() string {
	names := e.Names()
	return "invalid " + strings.Join(names, ", ")
}

// Names returns the failing fields, sorted.
func (e *Error) Names() []string {
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	return names
}

// Add records why field failed, keeping the first reason given for it.
func (e *Error) Add(field, key string, args ...any) {
	if e.Fields == nil {
		e.Fields = make(map[string]Message)
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = Message{Key: key, Args: args}
	}
}

// Has reports whether field failed.
func (e *Error) Has(field string) bool {
	_, ok := e.Fields[field]
	return ok
}

// Err returns e when any field failed, nil otherwise.
func (e *Error) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Field returns an error for one field.
func Field(field, key string, args ...any) *Error {
	e := &Error{}
	e.Add(field, key, args...)
	return e
}

// Conflict returns a conflict on one field.
func Conflict(field, key string, args ...any) *Error {
	e := Field(field, key, args...)
	e.Conflict = true
	return e
}

// As returns the validation error inside err, if any.
func As(err error) (*Error, bool) {
	var v *Error
	ok := errors.As(err, &v)
	return v, ok
}

// Text checks a single-line text field: trims it, requires it when required,
// limits its length in characters and refuses control characters. It returns
// the trimmed text.
func (e *Error) Text(field, value string, required bool, maxLen int) string {
	value = strings.TrimSpace(value)
	switch {
	case value == "" && required:
		e.Add(field, "error.required")
	case !utf8.ValidString(value):
		e.Add(field, "error.invalid_text")
	case utf8.RuneCountInString(value) > maxLen:
		e.Add(field, "error.too_long", maxLen)
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		e.Add(field, "error.invalid_text")
	}
	return value
}

// LongText checks a multi-line text field (Markdown): like Text, but line
// breaks and tabs are allowed.
func (e *Error) LongText(field, value string, required bool, maxLen int) string {
	value = strings.TrimSpace(strings.ReplaceAll(value, "\r\n", "\n"))
	switch {
	case value == "" && required:
		e.Add(field, "error.required")
	case !utf8.ValidString(value):
		e.Add(field, "error.invalid_text")
	case utf8.RuneCountInString(value) > maxLen:
		e.Add(field, "error.too_long", maxLen)
	case strings.IndexFunc(value, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0:
		e.Add(field, "error.invalid_text")
	}
	return value
}

// OneOf checks that value is one of allowed (or empty when not required).
func (e *Error) OneOf(field, value string, required bool, allowed ...string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		if required {
			e.Add(field, "error.required")
		}
		return value
	}
	for _, a := range allowed {
		if value == a {
			return value
		}
	}
	e.Add(field, "error.one_of", strings.Join(allowed, ", "))
	return value
}

// NormalizeEmail trims an e-mail address and lower-cases it: addresses are
// compared without regard to case everywhere (accounts, registrations,
// attendance).
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// Email checks an e-mail address and returns it normalised. It accepts the
// plain addr-spec that people type (name@example.org), not a display name.
func (e *Error) Email(field, value string, required bool) string {
	value = NormalizeEmail(value)
	if value == "" {
		if required {
			e.Add(field, "error.required")
		}
		return value
	}
	if !ValidEmail(value) {
		e.Add(field, "error.email")
	}
	return value
}

// ValidEmail reports whether s looks like a deliverable address: one @, a
// local part and a domain with a dot, no spaces, quotes, brackets or control
// characters, and no more than 254 bytes.
func ValidEmail(s string) bool {
	if len(s) > 254 || !utf8.ValidString(s) {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	if strings.ContainsAny(s, " \t\r\n\"'<>()[]\\,;:") {
		return false
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return false
	}
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
	}
	return true
}
