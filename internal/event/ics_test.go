package event

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// checkCalendar fails unless cal is well-formed iCalendar text: CRLF line
// endings only, no line over 75 octets, continuations starting with a
// space, no character split across lines.
func checkCalendar(t *testing.T, cal string) {
	t.Helper()
	if !strings.HasSuffix(cal, "\r\n") || strings.Contains(strings.ReplaceAll(cal, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(cal, "\r\n", ""), "\r") {
		t.Fatalf("line endings are not all CRLF: %q", cal)
	}
	for _, line := range strings.Split(strings.TrimSuffix(cal, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Fatalf("a character split across lines: %q", line)
		}
	}
}

// unfold joins folded lines back.
func unfold(cal string) string { return strings.ReplaceAll(cal, "\r\n ", "") }

func TestCalendarText(t *testing.T) {
	start := time.Date(2021, 7, 14, 12, 0, 0, 0, time.UTC)
	e := Event{ID: 7, Title: "Saúde mental; crianças, adolescentes \\ COVID-19 — " + strings.Repeat("ação ", 30), Description: "Line one\nLine two, with **bold**",
		Status: Cancelled, StartsAt: start, EndsAt: start.Add(90 * time.Minute), Sequence: 3, Kind: Webinar, JoinURL: "https://zoom.example/j/1"}
	cal := string(Calendar([]Event{e}, CalendarOptions{BaseURL: "https://harambee.example/", Now: start}))
	checkCalendar(t, cal)
	u := unfold(cal)
	for _, want := range []string{"UID:event-7@harambee.example\r\n", "SEQUENCE:3\r\n", "STATUS:CANCELLED\r\n", "DTSTART:20210714T120000Z\r\n",
		"DTEND:20210714T133000Z\r\n", "DTSTAMP:20210714T120000Z\r\n", `SUMMARY:Saúde mental\; crianças\, adolescentes \\ COVID-19 — ação`,
		`DESCRIPTION:Line one Line two\, with bold\n\nhttps://harambee.example/events/7`, "URL;VALUE=URI:https://harambee.example/events/7\r\n"} {
		if !strings.Contains(u, want) {
			t.Errorf("calendar lacks %q:\n%s", want, u)
		}
	}
	if strings.Contains(u, "zoom.example") {
		t.Error("the public calendar holds the join link")
	}
	personal := unfold(string(Calendar([]Event{e}, CalendarOptions{BaseURL: "https://harambee.example", JoinURL: true})))
	if !strings.Contains(personal, "LOCATION:https://zoom.example/j/1") {
		t.Error("a registrant's calendar lacks the join link")
	}
}

// FuzzCalendar: whatever people type into an event, its calendar stays
// well formed and its title survives folding and escaping.
func FuzzCalendar(f *testing.F) {
	f.Add("Webinar", "About it", "https://harambee.example")
	f.Add(strings.Repeat("é", 80), "a;b,c\\d\r\ne", "")
	f.Add("\x00\x7f\u2028", strings.Repeat("😀", 40), "::")
	f.Fuzz(func(t *testing.T, title, description, base string) {
		e := Event{ID: 1, Title: title, Description: description, StartsAt: time.Unix(0, 0), EndsAt: time.Unix(3600, 0)}
		cal := string(Calendar([]Event{e}, CalendarOptions{BaseURL: base, Name: title}))
		checkCalendar(t, cal)
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"1h 0m 12s", "57m 55s", "00:57:55", "44m", "", "1:2:3:4", "99999999999h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok := parseDuration(s); ok && n < 0 {
			t.Fatalf("parseDuration(%q) = %d", s, n)
		}
	})
}
