package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateCommand(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	if code, _, errOut := harambee(t, "", "generate", "--db", dsn); code != 2 || !strings.Contains(errOut, "--scale") {
		t.Errorf("generate without --scale: exit %d, %q", code, errOut)
	}
	code, out, errOut := harambee(t, "", "generate", "--scale", "0.001", "--db", dsn)
	if code != 0 || out != "" || !strings.Contains(errOut, "generated scale 0.001 on sqlite") || !strings.Contains(errOut, "threads and posts") {
		t.Fatalf("generate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A database that holds data is refused, with what to do.
	code, _, errOut = harambee(t, "", "generate", "--scale", "0.001", "--db", dsn)
	if code != 1 || !strings.Contains(errOut, "not empty") || !strings.Contains(errOut, "empty database") {
		t.Errorf("generate into a full database: exit %d, %q", code, errOut)
	}
}
