package e2e

import (
	"net/url"
	"slices"
	"testing"
)

// The checks' own parts, tested without a server or a browser.

func TestOnLoopback(t *testing.T) {
	for _, tt := range []struct {
		url  string
		want bool
	}{
		{"http://127.0.0.1:8080/", true},
		{"http://localhost/x", true},
		{"http://[::1]:9000/", true},
		{"ws://127.0.0.1:1/socket", true},
		{"data:text/css,body{}", true},
		{"about:blank", true},
		{"blob:http://127.0.0.1/1234", true},
		{"https://fonts.googleapis.com/css?family=Roboto", false},
		{"http://10.0.0.1/", false},
		{"https://127.0.0.1.example.org/", false},
		{"//cdn.example.org/x.js", false},
	} {
		u := tt.url
		if u[:2] == "//" {
			u = "https:" + u
		}
		if got := onLoopback(u); got != tt.want {
			t.Errorf("onLoopback(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestResources(t *testing.T) {
	page := `<!DOCTYPE html><html><head>
		<link rel="stylesheet" href="/static/style.0123abcd.css">
		<link rel="preload" as="font" href="https://fonts.example.org/a.woff2">
		<link rel="icon" href="data:,">
		<link rel="alternate" href="/feed.atom">
		<link rel="preconnect" href="https://cdn.example.org">
		<script src="app.js"></script>
		<style>.hero { background: url('/static/hero.png') }</style>
	</head><body>
		<img src="/a.png" srcset="/a-2x.png 2x, https://img.example.org/a.png 3x" alt="">
		<div style="background-image: url(https://img.example.org/b.png)"></div>
		<a href="https://example.org/">a link is no request</a>
	</body></html>`
	base, _ := url.Parse("http://127.0.0.1:8080/settings/profile")
	refs, err := resources([]byte(page), base)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range refs {
		got = append(got, r.kind+" "+r.url.String())
	}
	want := []string{
		"stylesheet http://127.0.0.1:8080/static/style.0123abcd.css",
		"font https://fonts.example.org/a.woff2",
		"icon data:,",
		"preconnect https://cdn.example.org",
		"script http://127.0.0.1:8080/settings/app.js",
		"style url() http://127.0.0.1:8080/static/hero.png",
		"img http://127.0.0.1:8080/a.png",
		"img http://127.0.0.1:8080/a-2x.png",
		"img https://img.example.org/a.png",
		"style url() https://img.example.org/b.png",
	}
	if !slices.Equal(got, want) {
		t.Errorf("resources:\ngot  %q\nwant %q", got, want)
	}
}

func TestMaxAge(t *testing.T) {
	for cc, want := range map[string]int{
		"public, max-age=31536000, immutable": 31536000,
		"no-cache":                            0,
		"Max-Age=60":                          60,
		"":                                    0,
	} {
		if got := int(maxAge(cc).Seconds()); got != want {
			t.Errorf("maxAge(%q) = %d s, want %d s", cc, got, want)
		}
	}
}
