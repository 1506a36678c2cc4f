package event

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/harambee/harambee/internal/validation"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func people(r ParticipantsReport) map[string]int {
	out := map[string]int{}
	for _, s := range r.Sessions {
		out[personKey(s.Email, s.Name)] += s.Seconds
	}
	return out
}

// TestParseSamples reads the four sample reports of shared/data/attendance
// to their known counts.
func TestParseSamples(t *testing.T) {
	tests := []struct {
		file             string
		format           string
		rows, sessions   int
		people           int
		person           string // one person's key
		seconds          int    // their time, summed
		firstJoinUTC     string // the first session's join time, read as UTC
		noEmailName      string // a person the report gives without an address
		noEmailNameClean bool
	}{
		{"zoom-participants.csv", FormatZoom, 5, 5, 4, "e:k.mensah@health.example.org", (44 + 40) * 60, "2026-03-10T09:58:12Z", "Guest Without Email", true},
		{"zoom-participants-with-meeting-data.csv", FormatZoom, 5, 5, 4, "e:k.mensah@health.example.org", (44 + 40) * 60, "2026-03-10T09:58:12Z", "Guest Without Email", true},
		{"teams-attendance-report.tsv", FormatTeams, 4, 4, 3, "e:k.mensah@health.example.org", 26*60 + 50 + 29*60 + 12, "2026-03-12T14:00:05Z", "Fatima Diallo", true},
		{"teams-attendance-list-legacy.tsv", FormatTeamsList, 6, 3, 2, "n:kwame mensah", 26*60 + 50 + 29*60 + 12, "", "Ana Souza", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := ParseReport(readSample(t, tt.file), ParseOptions{Location: time.UTC})
			if err != nil {
				t.Fatalf("ParseReport: %v", err)
			}
			if r.Format != tt.format || len(r.Rows) != tt.rows || len(r.Sessions) != tt.sessions {
				t.Errorf("format %s, %d rows, %d sessions; want %s, %d, %d", r.Format, len(r.Rows), len(r.Sessions), tt.format, tt.rows, tt.sessions)
			}
			ps := people(r)
			if len(ps) != tt.people {
				t.Errorf("%d people %v, want %d", len(ps), ps, tt.people)
			}
			if ps[tt.person] != tt.seconds {
				t.Errorf("%s present %d s, want %d", tt.person, ps[tt.person], tt.seconds)
			}
			if tt.firstJoinUTC != "" && r.Sessions[0].Joined.Format(time.RFC3339) != tt.firstJoinUTC {
				t.Errorf("first join %s, want %s", r.Sessions[0].Joined.Format(time.RFC3339), tt.firstJoinUTC)
			}
			found := false
			for _, row := range r.Rows {
				found = found || row.Name == tt.noEmailName
			}
			if !found {
				t.Errorf("no row named %q (names cleaned of Teams marks)", tt.noEmailName)
			}
		})
	}
}

// TestZoomTimesInEventZone: Zoom's times carry no zone; they are the
// event's, unless the report says otherwise.
func TestZoomTimesInEventZone(t *testing.T) {
	sp, _ := time.LoadLocation("America/Sao_Paulo")
	r, err := ParseReport(readSample(t, "zoom-participants.csv"), ParseOptions{Location: sp})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Sessions[0].Joined.Format(time.RFC3339); got != "2026-03-10T12:58:12Z" {
		t.Errorf("09:58:12 in São Paulo read as %s, want 12:58:12 UTC", got)
	}
	utcHeader := "Name (Original Name),User Email,Join Time (UTC),Leave Time (UTC),Duration (Minutes)\nAna,ana@example.org,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,60\n"
	r, err = ParseReport([]byte(utcHeader), ParseOptions{Location: sp})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Sessions[0].Joined.Format(time.RFC3339); got != "2026-03-10T09:58:12Z" {
		t.Errorf("a (UTC) header: read as %s", got)
	}
	offset := "Name,Email,Join Time,Leave Time\nAna,ana@example.org,2026-03-10 09:58:12 -0500,2026-03-10 10:58:12 -0500\n"
	if r, err = ParseReport([]byte(offset), ParseOptions{Location: sp}); err != nil {
		t.Fatal(err)
	}
	if got := r.Sessions[0].Joined.Format(time.RFC3339); got != "2026-03-10T14:58:12Z" {
		t.Errorf("a time with its offset: read as %s", got)
	}
}

// TestDayFirstDates: a report written day first (10/03 for 10 March) is
// read as the date near the event.
func TestDayFirstDates(t *testing.T) {
	csv := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\nAna,ana@example.org,10/03/2026 14:00:00,10/03/2026 15:00:00,60\n"
	start := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	r, err := ParseReport([]byte(csv), ParseOptions{Location: time.UTC, Start: start, End: start.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Sessions[0].Joined; !got.Equal(start) {
		t.Errorf("10/03/2026 read as %s, want 10 March", got)
	}
}

// TestEncodings: the same report in UTF-8 with a mark, UTF-16 without one,
// and Windows-1252 reads the same.
func TestEncodings(t *testing.T) {
	text := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\nJosé Núñez,jose@example.org,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,60\n"
	u16, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	cp, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	for name, data := range map[string][]byte{"utf8": []byte(text), "utf8-bom": append([]byte{0xEF, 0xBB, 0xBF}, text...), "utf16-no-bom": u16, "cp1252": cp} {
		r, err := ParseReport(data, ParseOptions{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r.Rows[0].Name != "José Núñez" {
			t.Errorf("%s: name %q", name, r.Rows[0].Name)
		}
	}
}

// TestBadReports: each problem is refused with a message that names it.
func TestBadReports(t *testing.T) {
	head := "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
	tests := []struct {
		name string
		data []byte
		key  string
	}{
		{"empty", []byte(" \n\n"), "event.error.report_empty"},
		{"unknown format", []byte("Title,Author,Year\nA book,Someone,2020\n"), "event.error.report_format"},
		{"a spreadsheet of something else", []byte("a\tb\tc\n1\t2\t3\n"), "event.error.report_format"},
		{"missing columns", []byte("Name (Original Name),User Email,Duration (Minutes)\nAna,ana@example.org,60\n"), "event.error.report_columns"},
		{"broken quoting", []byte(head + "\"Ana Souza,ana@example.org,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,60\n"), "event.error.report_quoting"},
		{"bare quote", []byte(head + "Ana \"Nana\" Souza,ana@example.org,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,60\n"), "event.error.report_quoting"},
		{"bad time", []byte(head + "Ana,ana@example.org,yesterday,03/10/2026 10:58:12 AM,60\n"), "event.error.report_time"},
		{"bad duration", []byte(head + "Ana,ana@example.org,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,an hour\n"), "event.error.report_duration"},
		{"left before joined", []byte(head + "Ana,ana@example.org,03/10/2026 10:58:12 AM,03/10/2026 09:58:12 AM,60\n"), "event.error.report_left_before_joined"},
		{"no one", []byte(head + ",,03/10/2026 09:58:12 AM,03/10/2026 10:58:12 AM,60\n"), "event.error.report_no_person"},
		{"header only", []byte(head), "event.error.report_no_rows"},
		{"unknown action", []byte("Full Name\tUser Action\tTimestamp\nAna\tWaved\t3/12/2026, 2:00:05 PM\n"), "event.error.report_action"},
		{"odd UTF-16", []byte{0xFF, 0xFE, 'a', 0, 'b'}, "event.error.report_encoding"},
		{"too large", append([]byte(head), bytes.Repeat([]byte("x"), MaxReportBytes)...), "event.error.report_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseReport(tt.data, ParseOptions{})
			ve, ok := validation.As(err)
			if !ok {
				t.Fatalf("err = %v, want a validation error", err)
			}
			if got := ve.Fields["file"].Key; got != tt.key {
				t.Errorf("key %q, want %q", got, tt.key)
			}
		})
	}
}

// TestMissingColumnsNamed: the message says which columns are missing.
func TestMissingColumnsNamed(t *testing.T) {
	_, err := ParseReport([]byte("Name,Email,Leave Time\nAna,a@example.org,03/10/2026 10:58:12 AM\n"), ParseOptions{})
	ve, _ := validation.As(err)
	if m := ve.Fields["file"]; m.Key != "event.error.report_columns" || len(m.Args) != 1 || !strings.Contains(m.Args[0].(string), "Join Time") {
		t.Errorf("message %+v, want the missing Join Time named", m)
	}
}

func TestParseDuration(t *testing.T) {
	tests := map[string]int{"1h 0m 12s": 3612, "57m 55s": 3475, "44m": 2640, "12s": 12, "00:57:55": 3475, "57:55": 3475, "2 h": 7200, "55 min": 3300}
	for in, want := range tests {
		if got, ok := parseDuration(in); !ok || got != want {
			t.Errorf("parseDuration(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "an hour", "1h h", "-5m", "1:2:3:4"} {
		if _, ok := parseDuration(bad); ok {
			t.Errorf("parseDuration(%q) accepted", bad)
		}
	}
}

// FuzzParseReport: no input makes the parser panic, and what it accepts
// is consistent: one row per line read, sessions that do not run
// backwards.
func FuzzParseReport(f *testing.F) {
	for _, name := range []string{"zoom-participants.csv", "zoom-participants-with-meeting-data.csv", "teams-attendance-report.tsv", "teams-attendance-list-legacy.tsv"} {
		f.Add(readSample(f, name))
	}
	f.Add([]byte("Name,Email,Join Time,Leave Time\n\"a,b\",x@y.org,1/2/2006 3:04 PM,1/2/2006 4:04 PM\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReport(data, ParseOptions{Location: time.UTC})
		if err != nil {
			if _, ok := validation.As(err); !ok {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		if len(r.Rows) == 0 {
			t.Fatal("accepted a report without rows")
		}
		for _, s := range r.Sessions {
			if s.Left.Before(s.Joined) {
				t.Fatalf("session runs backwards: %+v", s)
			}
		}
	})
}
