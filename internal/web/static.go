package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets under fingerprinted names
// (style.3f2a9c1b.css), so they can be cached for a year and a new release
// is fetched at once.
type staticFiles struct {
	byName map[string]string // style.css -> style.3f2a9c1b.css
	files  map[string][]byte // fingerprinted name -> content
}

func newStaticFiles() *staticFiles {
	s := &staticFiles{byName: map[string]string{}, files: map[string][]byte{}}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		fp := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		s.byName[name] = fp
		s.files[fp] = b
		return nil
	})
	return s
}

// url returns the address of an asset.
func (s *staticFiles) url(name string) string { return "/static/" + s.byName[name] }

func (s *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	b, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}
