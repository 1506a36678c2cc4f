package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The rules every key page must pass: WCAG 2.0 and 2.1, levels A and AA.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeSource returns axe-core's script: $HARAMBEE_AXE_JS, or where .ci/run
// installs it. Without it the accessibility check skips and says so.
func axeSource(t testing.TB) string {
	t.Helper()
	path := os.Getenv("HARAMBEE_AXE_JS")
	if path == "" {
		root, err := moduleRoot()
		if err == nil {
			path = filepath.Join(root, ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		skip(t, "accessibility check", fmt.Sprintf("axe-core not found (%v); install it with npm install --prefix .cache/axe axe-core, or set HARAMBEE_AXE_JS to axe.min.js", err))
	}
	return string(b)
}

// TestAccessibility runs axe-core on every key page, in English and in one
// other language, and wants no violation of WCAG 2.1 A and AA. It also
// checks what axe cannot: that the page fits a 320-pixel-wide screen
// without scrolling sideways (reflow), and, in English, the colour
// contrast in the dark colour scheme and that the keyboard reaches the
// skip link first (or a refused form's error summary) and always shows
// where its focus is.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	browser(t)
	axe := axeSource(t)
	s := keySite(t)
	s.eachKeyPage(t, tabConfig{}, func(t *testing.T, b *tab, p keyPage, lang string) {
		s.show(b, p, lang)
		if got := b.lang(); got != lang {
			t.Errorf("the page says it is in %q, want %q", got, lang)
		}
		if p.form != nil {
			// The title, read first, says the form was refused.
			prefix, _, _ := strings.Cut(msg(lang, "form.refused_title", "\x00"), "\x00")
			if title := eval[string](b, `document.title`); !strings.HasPrefix(title, prefix) {
				t.Errorf("the refused form's title is %q; want it to say so first (%q)", title, prefix)
			}
		}
		for _, v := range b.axe(axe, wcagTags, nil) {
			report(t, v, "")
		}
		b.checkReflow() // longer words in some languages
		if lang != "en" {
			return // colours and focus do not change with the language
		}
		b.colorScheme("dark")
		for _, v := range b.axe(axe, nil, []string{"color-contrast"}) {
			report(t, v, "in the dark colour scheme: ")
		}
		b.colorScheme("")
		start := b.checkKeyboard()
		if p.form != nil && start != "div.error-summary" {
			t.Errorf("the refused form puts the focus on %s, want its error summary", start)
		}
	})
}

// undecidable are the rules whose "needs review" results axe gives where
// it cannot decide from the page alone (contrast over an image or a
// gradient): they are logged for a person to look at. Any other result
// that needs review fails the check, as a violation does: axe reports,
// for example, two fields with the same id (so that a label names the
// wrong one) as needing review.
var undecidable = map[string]bool{"color-contrast": true}

func report(t *testing.T, v violation, prefix string) {
	t.Helper()
	if v.Review && undecidable[v.ID] {
		t.Logf("%s%s", prefix, v)
		return
	}
	t.Errorf("%s%s", prefix, v)
}

// violation is what axe-core reports about one rule: a violation, or a
// result it could not decide and leaves to a person to review.
type violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Review  bool   `json:"review"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v violation) String() string {
	var sb strings.Builder
	what := "violation"
	if v.Review {
		what = "needs review"
	}
	fmt.Fprintf(&sb, "axe %s %s (%s): %s\n    %s", what, v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "\n    - %s\n      %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return sb.String()
}

// axe runs axe-core on the page, with the rules of the tags or only the
// rules named, and returns the violations.
func (b *tab) axe(source string, tags, rules []string) []violation {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== 'undefined'`))
	if err != nil {
		b.t.Fatalf("axe on %s: %v", b.where(), err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](source)); err != nil {
			b.t.Fatalf("load axe-core into %s: %v", b.where(), err)
		}
	}
	runOnly := map[string]any{"type": "tag", "values": tags}
	if rules != nil {
		runOnly = map[string]any{"type": "rule", "values": rules}
	}
	opts, _ := json.Marshal(map[string]any{"runOnly": runOnly, "resultTypes": []string{"violations"}})
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](fmt.Sprintf(`axe.run(document, %s).then(r => {
		const report = (v, review) => ({
			id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, review: review,
			nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary}))
		});
		return JSON.stringify(r.violations.map(v => report(v, false)).concat(r.incomplete.map(v => report(v, true))));
	})`, opts), chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe on %s: %v", b.where(), err)
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		b.t.Fatalf("axe on %s: %v", b.where(), err)
	}
	var vs []violation
	if err := json.Unmarshal([]byte(text), &vs); err != nil {
		b.t.Fatalf("axe on %s: %v", b.where(), err)
	}
	return vs
}

// checkKeyboard presses Tab as a keyboard user does, from where the page
// put the focus when it loaded: on a page that did not place it, the first
// stop is the skip link, shown on screen; every stop shows where the focus
// is (an outline or a ring). It returns where the focus was at the start
// ("body", or "tag.class" of the element the page focused).
func (b *tab) checkKeyboard() string {
	b.t.Helper()
	type stop struct {
		Tag, Text, Class string
		Shown, Ring      bool
	}
	const describe = `(function () {
		const el = document.activeElement;
		if (!el || el === document.body) return {Tag: 'body'};
		const r = el.getBoundingClientRect();
		const cs = getComputedStyle(el);
		const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow && cs.boxShadow !== 'none');
		return {Tag: el.tagName.toLowerCase(), Text: (el.textContent || el.value || el.name || '').trim().slice(0, 40), Class: String(el.className),
			Shown: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.left < innerWidth, Ring: !!ring};
	})()`
	first := eval[stop](b, describe)
	start := first.Tag
	if first.Class != "" {
		start += "." + strings.Fields(first.Class)[0]
	}
	for i := range 30 {
		b.step("press Tab", chromedp.KeyEvent("\t"))
		s := eval[stop](b, describe)
		if s.Tag == "body" {
			break
		}
		if i == 0 && first.Tag == "body" && !strings.Contains(" "+s.Class+" ", " skip ") {
			b.t.Errorf("the first Tab reaches <%s> %q, want the skip link", s.Tag, s.Text)
		}
		if !s.Shown {
			b.t.Errorf("Tab stop %d, <%s> %q, is not visible on screen", i+1, s.Tag, s.Text)
		}
		if !s.Ring {
			b.t.Errorf("Tab stop %d, <%s> %q, shows no focus indicator", i+1, s.Tag, s.Text)
		}
	}
	return start
}

// checkReflow narrows the window to 320 CSS pixels (WCAG 1.4.10): the page
// must fit without scrolling sideways; a wide table scrolls in its own box
// (view.ScrollTable).
func (b *tab) checkReflow() {
	b.t.Helper()
	// A desktop window 320 pixels wide, as a 1280-pixel window zoomed to
	// 400% (a phone would also lay out a page without a viewport tag at
	// 980 pixels, and hide the problem).
	b.step("narrow the window", chromedp.EmulateViewport(320, 800))
	defer b.viewport(b.cfg.Width, b.cfg.Height)
	wide := eval[[]string](b, `(function () {
		const width = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= width) return [];
		// The innermost elements that stick out, leaving out what scrolls in
		// a box of its own.
		const clipped = el => {
			// (A box clips an absolutely placed element only when it places
			// it, which this check leaves aside.)
			if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
			for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
				if (getComputedStyle(a).overflowX !== 'visible') return true;
			}
			return false;
		};
		const found = [];
		for (const el of document.body.querySelectorAll('*')) {
			// An element that sticks out, or whose own text does.
			const r = el.getBoundingClientRect();
			const sticks = r.right > width + 1 || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && r.left + el.scrollWidth > width + 1);
			if (sticks && !clipped(el)) found.push(el);
		}
		const out = found.filter(el => !found.some(o => o !== el && el.contains(o))).slice(0, 5).map(el => {
			const text = (el.textContent || '').trim().slice(0, 50);
			const right = Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth);
			return '<' + el.tagName.toLowerCase() + (el.className ? ' class="' + el.className + '"' : '') + '> ' + JSON.stringify(text) + ' reaches ' + Math.round(right) + 'px';
		});
		return out.length ? out : ['the page is ' + document.documentElement.scrollWidth + 'px wide'];
	})()`)
	for _, w := range wide {
		b.t.Errorf("at 320 pixels wide the page scrolls sideways: %s", w)
	}
}
