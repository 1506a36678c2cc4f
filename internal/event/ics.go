package event

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/harambee/harambee/internal/markdown"
)

// CalendarOptions say how a calendar file is written.
type CalendarOptions struct {
	BaseURL string    // the site's address: event links and the UID's domain
	Name    string    // the calendar's name, for a feed (X-WR-CALNAME)
	Now     time.Time // DTSTAMP; zero for now
	// JoinURL puts the join link in the file: only for the personal file of
	// a registrant with a seat. No calendar file holds anything about who
	// registered or attended.
	JoinURL bool
}

// Calendar writes events as an iCalendar file (RFC 5545): CRLF line
// endings, lines folded at 75 octets, text escaped. Each event keeps the
// same UID for its whole life and its SEQUENCE grows with every change, so
// that calendar programs update the entry they already have; a cancelled
// event says STATUS:CANCELLED. Times are written in UTC, which every
// program converts to its reader's zone, across daylight-saving changes.
func Calendar(events []Event, opt CalendarOptions) []byte {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	var b calendarWriter
	b.line("BEGIN:VCALENDAR")
	b.line("VERSION:2.0")
	b.line("PRODID:-//Harambee//Events//EN")
	b.line("CALSCALE:GREGORIAN")
	b.line("METHOD:PUBLISH")
	if opt.Name != "" {
		b.prop("X-WR-CALNAME", escapeText(opt.Name))
	}
	base := strings.TrimRight(opt.BaseURL, "/")
	domain := "harambee.invalid"
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	for _, e := range events {
		page := base + "/events/" + strconv.FormatInt(e.ID, 10)
		b.line("BEGIN:VEVENT")
		b.prop("UID", cleanURI("event-"+strconv.FormatInt(e.ID, 10)+"@"+domain))
		b.prop("DTSTAMP", icsTime(now))
		b.prop("SEQUENCE", strconv.Itoa(e.Sequence))
		b.prop("DTSTART", icsTime(e.StartsAt))
		b.prop("DTEND", icsTime(e.EndsAt))
		b.prop("SUMMARY", escapeText(e.Title))
		desc := markdown.Plain(e.Description, 3000)
		location := page
		if opt.JoinURL && e.JoinURL != "" {
			location = e.JoinURL
			desc = strings.TrimSpace(desc + "\n\n" + e.JoinURL)
		}
		desc = strings.TrimSpace(desc + "\n\n" + page)
		b.prop("DESCRIPTION", escapeText(desc))
		b.prop("LOCATION", escapeText(location))
		b.prop("URL;VALUE=URI", cleanURI(page))
		status := "CONFIRMED"
		switch e.Status {
		case Cancelled:
			status = "CANCELLED"
		case Draft:
			status = "TENTATIVE"
		}
		b.prop("STATUS", status)
		b.prop("CATEGORIES", escapeText(strings.ToUpper(e.Kind)))
		if !e.CreatedAt.IsZero() {
			b.prop("CREATED", icsTime(e.CreatedAt))
		}
		if !e.UpdatedAt.IsZero() {
			b.prop("LAST-MODIFIED", icsTime(e.UpdatedAt))
		}
		b.line("END:VEVENT")
	}
	b.line("END:VCALENDAR")
	return b.Bytes()
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// calendarWriter writes content lines with CRLF, folded at 75 octets.
type calendarWriter struct{ bytes.Buffer }

func (w *calendarWriter) prop(name, value string) { w.line(name + ":" + value) }

// line writes one content line, folded as RFC 5545 section 3.1 says: no
// line longer than 75 octets, a continuation starting with a space, and no
// UTF-8 character split between two lines.
func (w *calendarWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.WriteString(s[:cut])
		w.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.WriteString(s)
	w.WriteString("\r\n")
}

// cleanURI keeps an address to characters a content line may hold: no
// control characters, no broken UTF-8.
func cleanURI(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// escapeText escapes a TEXT value: backslash, semicolon, comma and line
// breaks; other control characters are dropped.
func escapeText(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n':
			b.WriteString(`\n`)
		case unicode.IsControl(r) || r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
