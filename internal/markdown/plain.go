package markdown

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// ellipsis marks text that Plain cut.
const ellipsis = "…"

// strict removes every tag from the HTML blocks that Plain meets.
var strict = bluemonday.StrictPolicy()

// Plain returns the text of member-written Markdown without markup (link
// and image texts kept, URLs and raw HTML tags dropped), whitespace
// collapsed to single spaces. When the text is longer than max runes it is
// cut on a word boundary and ends with "…", the whole at most max runes; a
// single word longer than that is cut inside. max <= 0 means no limit.
// The result is text, not HTML: escape it where HTML is written.
func Plain(src string, max int) string {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	var b strings.Builder
	space := func() { b.WriteByte(' ') }
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Type() == ast.TypeBlock {
			space() // blocks never run together: "Title" + "Body", not "TitleBody"
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Value(source)
			if _, code := n.Parent().(*ast.CodeSpan); !code && !n.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if n.SoftLineBreak() || n.HardLineBreak() {
				space()
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.AutoLink:
			b.Write(n.Label(source))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			var raw strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				raw.Write(seg.Value(source))
			}
			if n.HasClosure() {
				raw.Write(n.ClosureLine.Value(source))
			}
			b.WriteString(html.UnescapeString(strict.Sanitize(raw.String())))
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
		}
		return ast.WalkContinue, nil
	})
	return cut(strings.Join(strings.Fields(strings.ToValidUTF8(b.String(), "\uFFFD")), " "), max)
}

// cut shortens s to at most max runes, ellipsis included, ending on a word
// boundary when there is one.
func cut(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	keep := max - utf8.RuneCountInString(ellipsis)
	if keep <= 0 {
		return ellipsis
	}
	// Byte offset of the first rune that does not fit.
	end, n := 0, 0
	for i := range s {
		if n == keep {
			end = i
			break
		}
		n++
	}
	// The cut falls between words when the next rune is a space; otherwise
	// go back to the last space, if any.
	if r, _ := utf8.DecodeRuneInString(s[end:]); !unicode.IsSpace(r) {
		if i := strings.LastIndexFunc(s[:end], unicode.IsSpace); i > 0 {
			end = i
		}
	}
	return strings.TrimRightFunc(s[:end], func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != '"' && r != '’'
	}) + ellipsis
}
