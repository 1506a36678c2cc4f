package e2e

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// The widths the key pages are looked at: a common phone and a laptop.
var viewports = []struct {
	name          string
	width, height int64
}{
	{"phone", 390, 844},
	{"desktop", 1280, 900},
}

// readmeScreenshots are the screenshots the README shows, from
// docs/screenshots; -readme-screenshots copies the current ones there.
var readmeScreenshots = []string{"home-en-desktop.png", "register-errors-fr-phone.png", "public-profile-en-desktop.png"}

var updateReadme = flag.Bool("readme-screenshots", false, "copy the README's screenshots from screenshots/ to docs/screenshots/")

// TestScreenshots writes every key page to screenshots/ (which git
// ignores), for people to look at: in English at phone and desktop widths,
// and in its other language at phone width, where longer words show first.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	browser(t)
	s := keySite(t)
	dir := filepath.Join(build.root, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.eachKeyPage(t, tabConfig{}, func(t *testing.T, b *tab, p keyPage, lang string) {
		for _, vp := range viewports {
			if lang != "en" && vp.name != "phone" {
				continue // other languages matter most where space is short
			}
			b.viewport(vp.width, vp.height)
			s.show(b, p, lang)
			name := p.name + "-" + lang + "-" + vp.name + ".png"
			// The README's copies are compressed well; the others quickly.
			if err := os.WriteFile(filepath.Join(dir, name), b.screenshot(!*updateReadme), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b.viewport(1280, 900)
	})
	if !*updateReadme || t.Failed() {
		return
	}
	docs := filepath.Join(build.root, "docs", "screenshots")
	if err := os.MkdirAll(docs, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range readmeScreenshots {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("copied %v to docs/screenshots", readmeScreenshots)
}
