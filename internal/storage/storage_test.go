package storage_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/storage"
	"github.com/harambee/harambee/internal/storage/storagetest"
)

var ctx = context.Background()

// stores runs the same suite on every implementation: the local directory,
// the lazily created directory, and a bucket on an S3 server started for
// the test.
func stores(t *testing.T, fn func(t *testing.T, st storage.Store)) {
	t.Run("dir", func(t *testing.T) {
		d, err := storage.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, d)
	})
	t.Run("lazy", func(t *testing.T) {
		fn(t, storage.Lazy(filepath.Join(t.TempDir(), "not", "yet")))
	})
	t.Run("s3", func(t *testing.T) {
		srv := storagetest.StartS3(t, "harambee-files")
		st, err := storage.Open(srv.URL, "", noEnv)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.(*storage.S3).Check(ctx); err != nil {
			t.Fatal(err)
		}
		fn(t, st)
	})
}

func noEnv(string) string { return "" }

func readAll(t *testing.T, st storage.Store, key string) ([]byte, time.Time) {
	t.Helper()
	f, mod, err := st.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b, mod
}

func TestPutOpenDelete(t *testing.T) {
	stores(t, func(t *testing.T, st storage.Store) {
		before := time.Now().Add(-2 * time.Second)
		key, n, err := st.Put(ctx, strings.NewReader("%PDF-1.7 hello"))
		if err != nil || n != 14 {
			t.Fatalf("Put = %q, %d, %v", key, n, err)
		}
		b, mod := readAll(t, st, key)
		if string(b) != "%PDF-1.7 hello" {
			t.Errorf("read back %q", b)
		}
		if mod.Before(before) || mod.After(time.Now().Add(2*time.Second)) {
			t.Errorf("modification time %v, want about now", mod)
		}
		other, _, err := st.Put(ctx, strings.NewReader("second"))
		if err != nil || other == key {
			t.Fatalf("second Put = %q, %v (first %q)", other, err, key)
		}
		for _, bad := range []string{"", "../etc/passwd", strings.Repeat("g", 32), key[:31], strings.ToUpper(key), "0123456789abcdef0123456789abcdef"} {
			if _, _, err := st.Open(ctx, bad); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("Open(%q) = %v, want ErrNotFound", bad, err)
			}
		}
		if err := st.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("after Delete: %v", err)
		}
		if err := st.Delete(ctx, key); err != nil {
			t.Errorf("deleting twice: %v", err)
		}
		if err := st.Delete(ctx, "../../etc/passwd"); err != nil {
			t.Errorf("deleting a bad key: %v", err)
		}
		if b, _ := readAll(t, st, other); string(b) != "second" {
			t.Errorf("the other file after a delete: %q", b)
		}
	})
}

func TestEmptyAndLargeFiles(t *testing.T) {
	stores(t, func(t *testing.T, st storage.Store) {
		key, n, err := st.Put(ctx, bytes.NewReader(nil))
		if err != nil || n != 0 {
			t.Fatalf("empty Put = %d, %v", n, err)
		}
		if b, _ := readAll(t, st, key); len(b) != 0 {
			t.Errorf("empty file read back as %d bytes", len(b))
		}
		big := make([]byte, 6<<20+123)
		rand.Read(big)
		// A reader that is not a file and has no length, as an upload is.
		key, n, err = st.Put(ctx, io.MultiReader(bytes.NewReader(big[:1000]), bytes.NewReader(big[1000:])))
		if err != nil || n != int64(len(big)) {
			t.Fatalf("large Put = %d, %v", n, err)
		}
		if b, _ := readAll(t, st, key); !bytes.Equal(b, big) {
			t.Errorf("large file read back differs (%d bytes, want %d)", len(b), len(big))
		}
	})
}

// TestSeek: downloads are served with http.ServeContent, which seeks to find
// the size and to answer range requests (a resumed download on a slow link).
func TestSeek(t *testing.T) {
	stores(t, func(t *testing.T, st storage.Store) {
		data := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
		key, _, err := st.Put(ctx, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		f, _, err := st.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if end, err := f.Seek(0, io.SeekEnd); err != nil || end != int64(len(data)) {
			t.Fatalf("Seek end = %d, %v", end, err)
		}
		steps := []struct {
			offset int64
			whence int
			n      int
			want   string
		}{
			{0, io.SeekStart, 4, "0123"},
			{2, io.SeekCurrent, 3, "678"},
			{30, io.SeekStart, 10, "uvwxyz"},
			{-6, io.SeekEnd, 2, "uv"},
			{-5, io.SeekCurrent, 5, "rstuv"},
		}
		for _, s := range steps {
			if _, err := f.Seek(s.offset, s.whence); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, s.n)
			n, err := io.ReadFull(f, buf)
			if got := string(buf[:n]); got != s.want {
				t.Errorf("Seek(%d, %d) then read %d: %q (%v), want %q", s.offset, s.whence, s.n, got, err, s.want)
			}
		}
		if _, err := f.Seek(-1, io.SeekStart); err == nil {
			t.Error("a negative position was accepted")
		}
		f.Seek(0, io.SeekEnd)
		if n, err := f.Read(make([]byte, 4)); n != 0 || err != io.EOF {
			t.Errorf("read at the end: %d, %v; want 0, EOF", n, err)
		}

		// ReadAt reads anywhere without moving Read's position.
		f.Seek(4, io.SeekStart)
		at := []struct {
			off  int64
			n    int
			want string
			eof  bool
		}{{3, 5, "34567", false}, {30, 10, "uvwxyz", true}, {36, 4, "", true}, {0, 36, string(data), false}}
		for _, a := range at {
			buf := make([]byte, a.n)
			n, err := f.ReadAt(buf, a.off)
			if string(buf[:n]) != a.want || (err == io.EOF) != a.eof || (err != nil && err != io.EOF) {
				t.Errorf("ReadAt(%d bytes at %d) = %q, %v; want %q (EOF %v)", a.n, a.off, buf[:n], err, a.want, a.eof)
			}
		}
		if b := make([]byte, 2); func() string { io.ReadFull(f, b); return string(b) }() != "45" {
			t.Errorf("Read after ReadAt: %q, want \"45\"", b)
		}

		// The same through HTTP, as the download handler serves it.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f, mod, err := st.Open(r.Context(), key)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer f.Close()
			http.ServeContent(w, r, "file.txt", mod, f)
		}))
		defer srv.Close()
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.Header.Set("Range", "bytes=10-15")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusPartialContent || string(b) != "abcdef" {
			t.Errorf("range request: %d %q, want 206 \"abcdef\"", resp.StatusCode, b)
		}
	})
}

// TestZipInside: the library opens ZIP uploads (office documents) with
// archive/zip, which reads at offsets.
func TestZipInside(t *testing.T) {
	stores(t, func(t *testing.T, st storage.Store) {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
			w, _ := zw.Create(name)
			w.Write([]byte(strings.Repeat("<w:p/>", 500)))
		}
		zw.Close()
		key, n, err := st.Put(ctx, bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		f, _, err := st.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zr, err := zip.NewReader(f, n)
		if err != nil || len(zr.File) != 2 || zr.File[1].Name != "word/document.xml" {
			t.Fatalf("zip read from the store: %v", err)
		}
		rc, _ := zr.File[1].Open()
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != strings.Repeat("<w:p/>", 500) {
			t.Errorf("zip member read back as %d bytes", len(got))
		}
	})
}

func TestConcurrentPuts(t *testing.T) {
	stores(t, func(t *testing.T, st storage.Store) {
		const n = 16
		keys := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				k, _, err := st.Put(ctx, strings.NewReader(strings.Repeat(string(rune('a'+i)), 1000+i)))
				if err != nil {
					t.Error(err)
				}
				keys[i] = k
			})
		}
		wg.Wait()
		for i, k := range keys {
			if b, _ := readAll(t, st, k); string(b) != strings.Repeat(string(rune('a'+i)), 1000+i) {
				t.Errorf("file %d read back wrong (%d bytes)", i, len(b))
			}
		}
	})
}

// TestS3KeepsFilesInTheBucket: with a prefix, the objects are under it, and
// nothing is written to the local disk beside the temporary spool file,
// which is removed.
func TestS3KeepsFilesInTheBucket(t *testing.T) {
	srv := storagetest.StartS3(t, "shared-bucket")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	st, err := storage.Open(strings.Replace(srv.URL, "shared-bucket?", "shared-bucket/site-a/?", 1), "", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := st.Put(ctx, strings.NewReader("in the bucket"))
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Objects(t); len(got) != 1 || got["site-a/"+key] != int64(len("in the bucket")) {
		t.Errorf("objects in the bucket: %v, want site-a/%s", got, key)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestS3Unreachable: a wrong bucket or a server that does not answer is
// found by Check, with a message naming the bucket.
func TestS3Unreachable(t *testing.T) {
	srv := storagetest.StartS3(t, "real-bucket")
	st, err := storage.Open(strings.Replace(srv.URL, "real-bucket", "no-such-bucket", 1), "", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.(*storage.S3).Check(ctx); err == nil || !strings.Contains(err.Error(), `"no-such-bucket"`) {
		t.Errorf("Check on a missing bucket: %v", err)
	}
}

// TestS3WrongCredentials: the store signs with the credentials and region
// it is given; the server refuses others, and Check says so.
func TestS3WrongCredentials(t *testing.T) {
	srv := storagetest.StartS3(t, "signed-bucket")
	for _, bad := range []string{strings.Replace(srv.URL, "test-key", "other-key", 1), strings.Replace(srv.URL, "eu-west-1", "us-west-2", 1)} {
		st, err := storage.Open(bad, "", noEnv)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.(*storage.S3).Check(ctx); err == nil {
			t.Errorf("Check with %s: no error", bad)
		}
		if _, _, err := st.Put(ctx, strings.NewReader("x")); err == nil {
			t.Errorf("Put with %s: no error", bad)
		}
	}
}

func TestParseS3URL(t *testing.T) {
	env := map[string]string{"AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "secret-env", "AWS_SESSION_TOKEN": "tok", "AWS_REGION": "af-south-1"}
	getenv := func(k string) string { return env[k] }
	good := []struct {
		in   string
		want storage.S3Config
	}{
		{"s3://files", storage.S3Config{Bucket: "files", Region: "af-south-1", AccessKeyID: "AKENV", SecretAccessKey: "secret-env", SessionToken: "tok"}},
		{"s3://files/harambee/prod/?region=eu-west-3", storage.S3Config{Bucket: "files", Prefix: "harambee/prod/", Region: "eu-west-3", AccessKeyID: "AKENV", SecretAccessKey: "secret-env", SessionToken: "tok"}},
		{"s3://k:s@my.bucket-1?endpoint=http://127.0.0.1:9000/", storage.S3Config{Bucket: "my.bucket-1", Endpoint: "http://127.0.0.1:9000", PathStyle: true, Region: "af-south-1", AccessKeyID: "k", SecretAccessKey: "s"}},
		{"s3://files?endpoint=https://s3.example.org&path_style=false", storage.S3Config{Bucket: "files", Endpoint: "https://s3.example.org", Region: "af-south-1", AccessKeyID: "AKENV", SecretAccessKey: "secret-env", SessionToken: "tok"}},
	}
	for _, g := range good {
		got, err := storage.ParseS3URL(g.in, getenv)
		if err != nil || got != g.want {
			t.Errorf("ParseS3URL(%q) = %+v, %v\nwant %+v", g.in, got, err, g.want)
		}
	}
	bad := []struct{ in, want string }{
		{"http://files", "use s3://"},
		{"s3://", "bucket"},
		{"s3://Files", "bucket"},
		{"s3://-files", "bucket"},
		{"s3://files?endpoint=ftp://x", "endpoint"},
		{"s3://files?endpoint=127.0.0.1:9000", "endpoint"},
		{"s3://files?path_style=maybe", "path_style"},
		{"s3://files?secret=x", "unknown parameter"},
	}
	for _, b := range bad {
		if _, err := storage.ParseS3URL(b.in, getenv); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("ParseS3URL(%q) = %v, want an error about %s", b.in, err, b.want)
		}
	}
	if _, err := storage.ParseS3URL("s3://files", noEnv); err == nil || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("without credentials: %v", err)
	}
	if _, err := storage.Open("/var/lib/files", "", getenv); err == nil {
		t.Error("a path was accepted as --storage")
	}
	if c, _ := storage.ParseS3URL("s3://files", func(k string) string {
		if k == "AWS_ACCESS_KEY_ID" || k == "AWS_SECRET_ACCESS_KEY" {
			return "x"
		}
		return ""
	}); c.Region != "us-east-1" {
		t.Errorf("default region %q, want us-east-1", c.Region)
	}
}

func FuzzParseS3URL(f *testing.F) {
	for _, s := range []string{"s3://files", "s3://k:s@b.c?endpoint=http://h:1&region=r", "s3://%zz", "s3://a/b/../c?path_style=1"} {
		f.Add(s)
	}
	getenv := func(string) string { return "x" }
	f.Fuzz(func(t *testing.T, s string) {
		c, err := storage.ParseS3URL(s, getenv)
		if err != nil {
			return
		}
		if c.Bucket == "" || c.Region == "" || c.AccessKeyID == "" || (c.Prefix != "" && !strings.HasSuffix(c.Prefix, "/")) {
			t.Errorf("ParseS3URL(%q) accepted %+v", s, c)
		}
	})
}
