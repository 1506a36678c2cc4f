package storage

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestDir(t *testing.T) {
	ctx := context.Background()
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key, n, err := d.Put(ctx, strings.NewReader("%PDF-1.7 hello"))
	if err != nil || n != 14 {
		t.Fatalf("Put = %q, %d, %v", key, n, err)
	}
	f, _, err := d.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "%PDF-1.7 hello" {
		t.Errorf("read back %q", b)
	}
	for _, bad := range []string{"", "../etc/passwd", strings.Repeat("g", 32), key[:31]} {
		if _, _, err := d.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
		}
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Open(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}
