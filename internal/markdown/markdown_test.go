package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRender(t *testing.T) {
	const rel = `rel="nofollow ugc noopener"`
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"paragraph", "Hello, world.", "<p>Hello, world.</p>"},
		{"emphasis", "*a* **b** ~~c~~ `d`", "<p><em>a</em> <strong>b</strong> <del>c</del> <code>d</code></p>"},
		{"escaped text", "5 < 6 & \"quotes\"", "<p>5 &lt; 6 &amp; &#34;quotes&#34;</p>"},
		{"line break", "a  \nb", "<p>a<br>\nb</p>"},
		{"headings start at h3", "# A\n\n## B\n\n###### F", "<h3>A</h3>\n<h4>B</h4>\n<h6>F</h6>"},
		{"highest heading becomes h3", "### A\n\n#### B", "<h3>A</h3>\n<h4>B</h4>"},
		{"setext heading", "Title\n=====", "<h3>Title</h3>"},
		{"heading ids are not added", "# Same", "<h3>Same</h3>"},
		{"link", "[UN](https://www.un.org)", `<p><a href="https://www.un.org" ` + rel + `>UN</a></p>`},
		{"link with title", `[UN](https://www.un.org "United Nations")`, `<p><a href="https://www.un.org" title="United Nations" ` + rel + `>UN</a></p>`},
		{"relative link", "[members](/communities/x/members)", `<p><a href="/communities/x/members" ` + rel + `>members</a></p>`},
		{"mailto link", "[write](mailto:a@example.org)", `<p><a href="mailto:a@example.org" ` + rel + `>write</a></p>`},
		{"autolink", "<https://example.org>", `<p><a href="https://example.org" ` + rel + `>https://example.org</a></p>`},
		{"linkify URL", "see https://example.org/a?b=1&c=2.", `<p>see <a href="https://example.org/a?b=1&amp;c=2" ` + rel + `>https://example.org/a?b=1&amp;c=2</a>.</p>`},
		{"linkify www", "www.example.org", `<p><a href="http://www.example.org" ` + rel + `>www.example.org</a></p>`},
		{"linkify e-mail", "me@example.org", `<p><a href="mailto:me@example.org" ` + rel + `>me@example.org</a></p>`},
		{"ftp link becomes text", "[files](ftp://example.org/x)", "<p>files</p>"},
		{"empty link becomes text", "[text]()", "<p>text</p>"},
		{"image becomes link", "![Clinic in Maputo](https://img.example/c.jpg)", `<p><a href="https://img.example/c.jpg" ` + rel + `>Clinic in Maputo</a></p>`},
		{"image without alt", "![](https://img.example/c.jpg)", `<p><a href="https://img.example/c.jpg" ` + rel + `>https://img.example/c.jpg</a></p>`},
		{"image inside link", "[![logo](https://img.example/l.png)](https://example.org)", `<p><a href="https://example.org" ` + rel + `>logo</a></p>`},
		{"unordered list", "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"},
		{"ordered list from 5", "5. e\n6. f", "<ol start=\"5\">\n<li>e</li>\n<li>f</li>\n</ol>"},
		{"blockquote", "> said", "<blockquote>\n<p>said</p>\n</blockquote>"},
		{"code block", "```go\nx := 1 < 2\n```", "<pre><code>x := 1 &lt; 2\n</code></pre>"},
		{"rule", "a\n\n---\n\nb", "<p>a</p>\n<hr>\n<p>b</p>"},
		{"table", "| a | b |\n|:--|--:|\n| 1 | 2 |",
			"<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td align=\"left\">1</td>\n<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>"},
		{"raw HTML dropped", "a <b>b</b> c", "<p>a b c</p>"},
		{"raw HTML block dropped", "<div>x</div>\n\ntext", "<p>text</p>"},
		{"non-Latin text", "Saúde e bem-estar — صحة جيدة", "<p>Saúde e bem-estar — صحة جيدة</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.TrimSpace(Render(tt.in)); got != tt.want {
				t.Errorf("Render(%q):\ngot  %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// xssVectors are well-known attacks, in HTML and in Markdown.
var xssVectors = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>`,
	`<scr<script>ipt>alert(1)</script>`,
	`<<script>script>alert(1)<</script>/script>`,
	`<script src=//xss.example/x.js`,
	`<img src=x onerror=alert(1)>`,
	`<IMG SRC="javascript:alert('XSS');">`,
	`<img src="x" onerror="alert(1)"`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<body onload=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<input autofocus onfocus=alert(1)>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe src=https://evil.example></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<form action="javascript:alert(1)"><button>go</button></form>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="&#106;avascript:alert(1)">x</a>`,
	`<a href=" javascript:alert(1)">x</a>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<p style="width:expression(alert(1))">x</p>`,
	`<style>@import 'javascript:alert(1)';</style>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<link rel=stylesheet href=javascript:alert(1)>`,
	`<base href="javascript:alert(1)//">`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`[x](javascript:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x]( javascript:alert(1))`,
	`[x](<javascript:alert(1)>)`,
	`[x](vbscript:msgbox(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](&#106;avascript:alert(1))`,
	`[x](&#x6A;avascript&#58;alert(1))`,
	`[x](javascript&colon;alert(1))`,
	`[x](java&#09;script:alert(1))`,
	`[x](\javascript:alert(1))`,
	"[x][r]\n\n[r]: javascript:alert(1)",
	`![x](javascript:alert(1))`,
	`![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
	`<javascript:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`[a](https://example.org "t\" onmouseover=\"alert(1)")`,
	`<https://example.org/"onmouseover="alert(1)>`,
	"```\n<script>alert(1)</script>\n```",
	"[<img src=x onerror=alert(1)>](https://example.org)",
	"<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
}

func TestRenderXSS(t *testing.T) {
	if len(xssVectors) < 25 {
		t.Fatalf("got %d vectors, want at least 25", len(xssVectors))
	}
	for _, in := range xssVectors {
		t.Run(in, func(t *testing.T) {
			out := Render(in)
			if err := checkSafe(out); err != "" {
				t.Errorf("Render(%q) = %q: %s", in, out, err)
			}
		})
	}
}

// checkSafe parses rendered HTML and returns what is unsafe in it, or "".
func checkSafe(out string) string {
	lower := strings.ToLower(out)
	if strings.Contains(lower, "<script") {
		return "got <script, want none"
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return "does not parse: " + err.Error()
	}
	var problem string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if problem != "" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "form", "input", "button", "style",
				"svg", "math", "img", "base", "meta", "link", "frame", "frameset":
				problem = "got element <" + n.Data + ">, want none"
				return
			}
			var rel string
			hasHref := false
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := strings.ToLower(strings.TrimSpace(a.Val))
				switch {
				case strings.HasPrefix(key, "on"):
					problem = "got attribute " + a.Key + ", want no event handler"
				case key == "style":
					problem = "got a style attribute, want none"
				case key == "href" || key == "src" || key == "action" || key == "formaction" || strings.HasSuffix(key, ":href"):
					hasHref = hasHref || key == "href"
					if scheme := schemeOf(val); scheme != "" && scheme != "http" && scheme != "https" && scheme != "mailto" {
						problem = "got " + a.Key + "=" + a.Val + ", want http, https, mailto or relative"
					}
				case key == "rel":
					rel = a.Val
				}
				if strings.Contains(val, "javascript:") {
					problem = "got javascript: in attribute " + a.Key
				}
			}
			if problem == "" && n.Data == "a" && rel != LinkRel {
				problem = "got link with rel=" + rel + ", want " + LinkRel
			}
			if problem == "" && n.Data == "a" && !hasHref {
				problem = "got a link without href, want its text alone"
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return problem
}

// schemeOf returns the scheme a browser sees in an attribute value, "" for
// a relative URL.
func schemeOf(v string) string {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.TrimLeftFunc(v, func(r rune) bool { return r <= ' ' })
	if i := strings.IndexAny(v, ":/?#"); i >= 0 && v[i] == ':' {
		return strings.ToLower(v[:i])
	}
	return ""
}

func TestAllowedURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://example.org", true},
		{"HTTP://example.org", true},
		{"mailto:a@example.org", true},
		{"/communities/x", true},
		{"#top", true},
		{"#", false},
		{"?page=2", true},
		{"page:2/x", false},
		{"a/b:c", true},
		{"javascript:alert(1)", false},
		{" \x01javascript:alert(1)", false},
		{"java\tscript:alert(1)", false},
		{"&#106;avascript:alert(1)", false},
		{"javascript&colon;alert(1)", false},
		{"data:text/html,x", false},
		{"vbscript:x", false},
		{"ftp://example.org", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := allowedURL(tt.in); got != tt.want {
			t.Errorf("allowedURL(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	post := strings.Repeat(`## Lessons from the district pilots

Community health workers in **three districts** visited every household with a
newborn within *48 hours*; see the [evaluation](https://example.org/eval.pdf)
and www.example.org/annex for details.

- antenatal visits up from 61% to 78%
- ~~paper registers~~ replaced by tablets
- contact: team@example.org

| District | Visits | Share |
|:---------|-------:|------:|
| North    | 1,204  | 81%   |

`, 5)
	post = post[:2048]
	b.SetBytes(int64(len(post)))
	b.ReportAllocs()
	for b.Loop() {
		Render(post)
	}
}
