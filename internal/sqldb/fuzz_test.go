package sqldb

import (
	"strings"
	"testing"
)

func FuzzRebind(f *testing.F) {
	for _, s := range []string{"SELECT ?", "SELECT '?', \"?\", ? -- ?\n /* ? */ ?", "'", "/*", "--", "??"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		out := Rebind(q)
		if !strings.Contains(q, "?") && out != q {
			t.Fatalf("Rebind changed a query without placeholders: %q -> %q", q, out)
		}
		if strings.Count(out, "?") > strings.Count(q, "?") {
			t.Fatalf("Rebind added question marks: %q -> %q", q, out)
		}
	})
}
