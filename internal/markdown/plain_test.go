package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlain(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"empty", "", 10, ""},
		{"markup removed", "# Title\n\nSome *very* **bold** `code` and [a link](https://x.example).", 0,
			"Title Some very bold code and a link."},
		{"blocks separated", "Title\n=====\nBody\n\n- one\n- two", 0, "Title Body one two"},
		{"whitespace collapsed", "a   b\n\n\n\tc  \n d", 0, "a b c d"},
		{"image alt kept", "![Clinic in Maputo](https://img.example/c.jpg) opened", 0, "Clinic in Maputo opened"},
		{"autolink label", "see <https://example.org>", 0, "see https://example.org"},
		{"raw HTML tags dropped", "a <b>b</b> <script>alert(1)</script> c", 0, "a b alert(1) c"},
		{"HTML block text kept, script dropped", "<div>\n<p>Hi &amp; bye</p>\n<script>alert(1)</script>\n</div>", 0, "Hi & bye"},
		{"entities resolved", "Fish &amp; chips &#8212; \\*not emphasis\\*", 0, "Fish & chips — *not emphasis*"},
		{"table cells separated", "| a | b |\n|---|---|\n| 1 | 2 |", 0, "a b 1 2"},
		{"short enough", "Hello world", 11, "Hello world"},
		{"cut on word boundary", "Hello wonderful world", 15, "Hello…"},
		{"cut after a whole word", "Hello wonderful world", 16, "Hello wonderful…"},
		{"cut drops trailing punctuation", "Hello, wonderful world", 9, "Hello…"},
		{"single long word cut inside", "Supercalifragilistic", 6, "Super…"},
		{"max 1", "Hello world", 1, "…"},
		{"no limit", "Hello world", 0, "Hello world"},
		{"negative is no limit", "Hello world", -1, "Hello world"},
		{"runes, not bytes", "Saúde é ótima para você", 12, "Saúde é…"},
		{"invalid UTF-8 replaced", "a\xffb", 0, "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Plain(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Plain(%q, %d): got %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if tt.max > 0 && utf8.RuneCountInString(got) > tt.max {
				t.Errorf("Plain(%q, %d): got %d runes, want at most %d", tt.in, tt.max, utf8.RuneCountInString(got), tt.max)
			}
		})
	}
}

func TestPlainCutsOnWordBoundary(t *testing.T) {
	in := "Practitioners from ministries, NGOs, academia and UN agencies share solutions."
	first := len("Practitioners")
	for max := 1; max < len(in); max++ {
		got := Plain(in, max)
		if n := utf8.RuneCountInString(got); n > max {
			t.Fatalf("Plain(_, %d): got %d runes, want at most %d", max, n, max)
		}
		body, cut := strings.CutSuffix(got, "…")
		if !cut || !strings.HasPrefix(in, body) {
			t.Fatalf("Plain(_, %d): got %q, want a prefix of the input and …", max, got)
		}
		if max <= first+1 {
			continue // the first word alone is too long: cut inside it
		}
		// The kept text ends at the end of a word.
		if next := in[len(body)]; next != ' ' && next != ',' {
			t.Errorf("Plain(_, %d): got %q, which ends inside a word", max, got)
		}
		if max > first+1 && body == "" {
			t.Errorf("Plain(_, %d): got %q, want at least the first word", max, got)
		}
	}
}
