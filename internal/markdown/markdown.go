// Package markdown renders the Markdown that members write (community
// descriptions, posts, bios) as safe HTML, and reduces it to plain text for
// snippets, feeds and e-mail subjects.
//
// Rendering is goldmark with the GitHub Flavored Markdown tables,
// strikethrough and links found in running text, without raw HTML; an AST
// pass then shifts headings, turns images into links and marks links; the
// bluemonday UGC policy has the last word on the HTML.
package markdown

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// LinkRel is the rel attribute of every link in rendered member text: no
// search-engine credit, marked as user-generated, no window.opener.
const LinkRel = "nofollow ugc noopener"

// topHeading is the level that a member's highest heading becomes: pages own
// h1 and h2.
const topHeading = 3

// md and policy are built once; both are safe for concurrent use.
var (
	md = goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.Linkify,
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(memberText{}, 1000)),
		),
		// No html.WithUnsafe: raw HTML is dropped and dangerous link
		// destinations are left empty before the sanitiser even runs.
	)

	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + LinkRel + `$`)).OnElements("a")
		p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol") // "5. five" starts at 5
		return p
	}()
)

// Render turns member-written Markdown into sanitised HTML. Raw HTML does
// not pass; links keep only http, https, mailto and relative destinations
// and carry rel="nofollow ugc noopener" (a link to anything else becomes
// its text); images are shown as links labelled with their alt text rather
// than loaded (bandwidth, tracking); headings are shifted so the highest
// one is an h3, keeping their order, and none goes beyond h6.
func Render(src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// A bytes.Buffer does not fail; nothing half-rendered goes out.
		return ""
	}
	return policy.Sanitize(buf.String())
}

// memberText is the AST pass that makes member text fit inside a page.
type memberText struct{}

func (memberText) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var (
		headings []*ast.Heading
		images   []*ast.Image
		links    []ast.Node
	)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
		case *ast.Image:
			images = append(images, n)
		case *ast.Link, *ast.AutoLink:
			links = append(links, n)
		}
		return ast.WalkContinue, nil
	})

	shiftHeadings(headings)

	for _, img := range images {
		if insideLink(img) {
			// A link cannot hold a link: keep the alt text only.
			unwrap(img)
			continue
		}
		l := ast.NewLink()
		l.Destination = img.Destination
		l.Title = img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			l.AppendChild(l, c)
			c = next
		}
		if !l.HasChildren() {
			l.AppendChild(l, ast.NewString(img.Destination))
		}
		img.Parent().ReplaceChild(img.Parent(), img, l)
		links = append(links, l)
	}

	for _, n := range links {
		switch l := n.(type) {
		case *ast.Link:
			if !allowedURL(string(l.Destination)) {
				unwrap(l)
				continue
			}
			l.SetAttributeString("rel", []byte(LinkRel))
		case *ast.AutoLink:
			dest := string(l.URL(source))
			if l.AutoLinkType == ast.AutoLinkEmail {
				dest = "mailto:" + dest
			}
			if !allowedURL(dest) {
				s := ast.NewString(l.Label(source))
				s.SetCode(true) // written as it is, escaped, not re-parsed
				l.Parent().ReplaceChild(l.Parent(), l, s)
				continue
			}
			l.SetAttributeString("rel", []byte(LinkRel))
		}
	}
}

// shiftHeadings moves all headings by the same amount so that the highest
// becomes topHeading, capping at 6.
func shiftHeadings(hs []*ast.Heading) {
	if len(hs) == 0 {
		return
	}
	top := 6
	for _, h := range hs {
		top = min(top, h.Level)
	}
	for _, h := range hs {
		h.Level = max(topHeading, min(6, h.Level+topHeading-top))
	}
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Link, *ast.AutoLink:
			return true
		}
	}
	return false
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// allowedURL reports whether a link destination, as written in Markdown,
// is non-empty and relative or of the http, https or mailto scheme, and
// will survive the sanitiser. It resolves backslash escapes and character
// references as the renderer will ("&#106;avascript:") and, like a
// browser, ignores leading spaces and control characters and tabs or line
// breaks anywhere (" java\tscript:").
func allowedURL(dest string) bool {
	// What the renderer writes into href, and what bluemonday parses.
	href := strings.TrimSpace(string(util.URLEscape([]byte(dest), true)))
	if href == "" || strings.ContainsAny(href, " \t\n") {
		return false
	}
	if u, err := url.Parse(href); err != nil || !allowedScheme(u.Scheme) || u.String() == "" {
		return false // u.String() is "" for "#" alone, which bluemonday drops
	}
	// What a browser would take for the scheme.
	u := string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations([]byte(dest)))))
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	u = strings.TrimLeftFunc(u, func(r rune) bool { return r <= ' ' })
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return true // no scheme: relative
	}
	return allowedScheme(strings.ToLower(u[:i]))
}

func allowedScheme(s string) bool {
	switch strings.ToLower(s) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}
