package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestReindex(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	if code, _, errOut := harambee(t, "", "user", "add", "--email", "zoe@example.org", "--name", "Zoé Mbeki", "--db", dsn); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	code, out, errOut := harambee(t, "", "reindex", "--db", dsn)
	if code != 0 || out != "" || !strings.Contains(errOut, "search index rebuilt from 1 records") {
		t.Errorf("reindex: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := harambee(t, "", "reindex", "extra"); code != 2 {
		t.Errorf("reindex with an argument: exit %d, %q", code, errOut)
	}
}
