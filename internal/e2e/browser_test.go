package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser: one headless Chromium for the whole run, started on first
// use. Each tab gets a browser context of its own (its own cookies), as if
// another person sat at another computer.
var chrome struct {
	once sync.Once
	ctx  context.Context
	skip string
	err  error
}

// chromiumPath finds the browser: $HARAMBEE_CHROMIUM, else Debian's
// chromium.
func chromiumPath() string {
	if p := os.Getenv("HARAMBEE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser returns the context of the shared browser, or skips the test when
// there is no Chromium on this machine.
func browser(t testing.TB) context.Context {
	t.Helper()
	harambee(t) // the server comes first: skip in -short mode, build once
	chrome.once.Do(startChrome)
	if chrome.skip != "" {
		skip(t, "browser tests", chrome.skip)
	}
	if chrome.err != nil {
		t.Fatal(chrome.err)
	}
	return chrome.ctx
}

func startChrome() {
	path := chromiumPath()
	if path == "" {
		chrome.skip = "Chromium not found (apt-get install chromium, or set HARAMBEE_CHROMIUM)"
		return
	}
	profile, err := os.MkdirTemp(tmpDir, "chromium-profile-")
	if err != nil {
		chrome.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile), // empty: no state from an earlier run
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("no-pings", true),
		// Belt and braces: no host name resolves, so nothing can leave
		// loopback even if the browser tried (the pages use 127.0.0.1).
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
		chromedp.Flag("accept-lang", "en"),
		chromedp.Flag("lang", "en"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(45 * time.Second):
		err = errors.New("Chromium did not start within 45 s")
	}
	stop := func() { cancel(); cancelAlloc() }
	if err != nil {
		stop()
		chrome.err = fmt.Errorf("start Chromium (%s): %w", path, err)
		return
	}
	chrome.ctx = ctx
	undoAtExit(stop)
}

// skip skips a test that lacks a tool, or fails it where the tools are
// required ($HARAMBEE_E2E_REQUIRE, set by .ci/run), so that CI cannot pass
// without running the browser checks.
func skip(t testing.TB, what, why string) {
	t.Helper()
	if os.Getenv("HARAMBEE_E2E_REQUIRE") != "" {
		t.Fatalf("%s cannot run: %s (HARAMBEE_E2E_REQUIRE is set)", what, why)
	}
	t.Skipf("%s skipped: %s", what, why)
}

// tabConfig says how a tab browses.
type tabConfig struct {
	NoScript bool   // JavaScript off, as some members have it
	Lang     string // Accept-Language; "en" when empty
	Width    int64  // viewport, 1280x900 when zero
	Height   int64
}

// tab is a browser tab bound to a test. Its helpers act as a person does:
// they find fields by their labels and buttons and links by their names,
// and fail the test with what the page said when something is missing.
type tab struct {
	t testing.TB
	*session
}

// session is the browser side of a tab, shared by the tab's subtests.
type session struct {
	ctx  context.Context
	id   int64  // numbers the tabs, for the screenshots of failures
	base string // the server's URL
	cfg  tabConfig

	mu       sync.Mutex
	offsite  []string // requests that would have left loopback
	problems []string // script errors, CSP violations, failed subresources
	requests int      // requests seen
}

var tabCount atomic.Int64

// newTab opens a tab on the server s in a fresh browser context. The tab is
// closed when the test ends; every request it made must have stayed on
// loopback, and a failed test leaves a screenshot in screenshots/failed.
func newTab(t testing.TB, s *server, cfg tabConfig) *tab {
	t.Helper()
	parent := browser(t)
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	if cfg.Width == 0 {
		cfg.Width, cfg.Height = 1280, 900
	}
	ss := &session{id: tabCount.Add(1), base: s.URL, cfg: cfg}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext(), chromedp.WithListener(ss.listen))
	ss.ctx = ctx
	b := &tab{t: t, session: ss}
	t.Cleanup(func() {
		if t.Failed() {
			b.saveFailure()
		}
		cancel()
		b.checkNetwork()
	})
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Accept-Language": cfg.Lang},
			})
			return err
		}),
		chromedp.EmulateViewport(cfg.Width, cfg.Height),
	)
	if err == nil && cfg.NoScript {
		_, err = chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	}
	if err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return b
}

// in returns the same tab bound to a subtest, which keeps a screenshot of
// the page when it fails.
func (b *tab) in(t testing.TB) *tab {
	sub := &tab{t: t, session: b.session}
	t.Cleanup(func() {
		if t.Failed() {
			sub.saveFailure()
		}
	})
	return sub
}

// listen runs in the tab's event loop: it records, and returns at once.
func (ss *session) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		ss.mu.Lock()
		ss.requests++
		if !onLoopback(u) {
			ss.offsite = append(ss.offsite, u)
		}
		ss.mu.Unlock()
	case *network.EventResponseReceived:
		if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 {
			ss.problem(fmt.Sprintf("%s: status %d", ev.Response.URL, ev.Response.Status))
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled && ev.Type != network.ResourceTypeDocument {
			ss.problem(fmt.Sprintf("a %s failed to load: %s %s", ev.Type, ev.ErrorText, ev.BlockedReason))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		ss.problem(fmt.Sprintf("script error at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *cdplog.EventEntryAdded:
		// Network entries repeat what the events above say, and a 404 page
		// is logged as one on purpose.
		if ev.Entry.Level == cdplog.EntryLevelError && ev.Entry.Source != cdplog.EntrySourceNetwork {
			ss.problem(fmt.Sprintf("console %s error: %s", ev.Entry.Source, ev.Entry.Text))
		}
	}
}

func (ss *session) problem(p string) {
	ss.mu.Lock()
	ss.problems = append(ss.problems, p)
	ss.mu.Unlock()
}

// onLoopback reports whether a URL stays on this machine. URLs that are not
// network requests (data:, blob:, about:) do.
func onLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss", "ftp":
	default:
		return true
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkNetwork fails the test for every request that left loopback, and
// for the script errors and failed loads not reported yet.
func (b *tab) checkNetwork() {
	b.t.Helper()
	b.mu.Lock()
	offsite, problems := b.offsite, b.problems
	b.offsite, b.problems = nil, nil
	b.mu.Unlock()
	for _, u := range offsite {
		b.t.Errorf("a request left loopback: %s", u)
	}
	for _, p := range problems {
		b.t.Errorf("on the page: %s", p)
	}
}

// step runs chromedp actions with a time limit, and fails the test with
// where the tab was when they fail.
func (b *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s on %s: %v", what, b.where(), err)
	}
}

// eval evaluates a JavaScript expression in the page (also when the page's
// own scripts are off: DevTools still may) and decodes its value.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %.60q on %s: %v", expr, b.where(), err)
	}
	return v
}

// where is the tab's current address, for messages.
func (b *tab) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return strings.TrimPrefix(loc, b.base)
}

// open loads a path of the site (or a full URL) and returns the status.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.base + path
	}
	return b.load("open "+path, chromedp.Navigate(u))
}

// load runs an action that leads to a new page, waits for it, and checks
// what it loaded.
func (b *tab) load(what string, action chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	b.mu.Lock()
	before := b.requests
	b.mu.Unlock()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		b.t.Fatalf("%s (from %s): %v", what, b.where(), err)
	}
	if resp == nil {
		return 0
	}
	b.mu.Lock()
	seen := b.requests - before
	b.mu.Unlock()
	if seen == 0 {
		// The check that nothing leaves loopback rests on seeing requests.
		b.t.Errorf("%s: the tab's listener saw no request, so it cannot check where requests go", what)
	}
	if resp.Status >= 500 {
		b.t.Fatalf("%s: the server failed with status %d at %s", what, resp.Status, strings.TrimPrefix(resp.URL, b.base))
	}
	b.checkNetwork()
	return resp.Status
}

// finder is a JavaScript function that finds an element as a person does:
// a link or a button by the text on it (or its aria-label), a field by the
// text of its label ("Position" also finds "Position (optional)"); within,
// when not empty, names the part of the page to look in (a navigation,
// section or form by its label: "Community sections").
const finder = `(function (kind, name, within) {
	const norm = s => (s || '').replace(/\s+/g, ' ').trim();
	const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
	let scope = document;
	if (within) {
		scope = [...document.querySelectorAll('nav, [role=navigation], section, aside, [role=region], form')].find(el =>
			norm(el.getAttribute('aria-label')) === within ||
			(el.getAttribute('aria-labelledby') || '').split(' ').some(id => document.getElementById(id) && norm(document.getElementById(id).textContent) === within));
		if (!scope) return null;
	}
	if (kind === 'field') {
		for (const l of scope.querySelectorAll('label')) {
			const t = norm(l.textContent);
			if ((t === name || t.startsWith(name + ' (')) && l.control) return l.control;
		}
		return null;
	}
	const sel = kind === 'link' ? 'a[href]' : 'button, input[type=submit], input[type=button]';
	for (const el of scope.querySelectorAll(sel)) {
		const text = el.tagName === 'INPUT' ? el.value : el.textContent;
		if ((norm(text) === name || norm(el.getAttribute('aria-label')) === name) && shown(el)) return el;
	}
	return null;
})`

// find selects the element a person would mean by kind ("link", "button" or
// "field") and name, in the part of the page named within (or anywhere).
func find(kind, name string, within ...string) chromedp.JSPath {
	w := ""
	if len(within) > 0 {
		w = within[0]
	}
	return chromedp.JSPath(fmt.Sprintf("%s(%s, %s, %s)", finder, jsString(kind), jsString(name), jsString(w)))
}

// exists reports at once whether the page has such an element.
func (b *tab) exists(kind, name string, within ...string) bool {
	b.t.Helper()
	return eval[bool](b, string(find(kind, name, within...))+" !== null")
}

// require fails the test at once, with what the page says, when it has no
// such element (the chromedp queries would otherwise wait for it).
func (b *tab) require(kind, name string, within ...string) chromedp.JSPath {
	b.t.Helper()
	if !b.exists(kind, name, within...) {
		where := ""
		if len(within) > 0 {
			where = " in " + within[0]
		}
		b.t.Fatalf("no %s named %q%s on %s; the page reads:\n%s", kind, name, where, b.where(), b.mainText())
	}
	return find(kind, name, within...)
}

// clickLink follows the link with this text.
func (b *tab) clickLink(name string) {
	b.t.Helper()
	b.load("follow the link "+name, chromedp.Click(b.require("link", name)))
}

// clickLinkIn follows the link with this text in the part of the page
// with this label, such as a navigation ("Community sections").
func (b *tab) clickLinkIn(within, name string) {
	b.t.Helper()
	b.load("follow the link "+name+" in "+within, chromedp.Click(b.require("link", name, within)))
}

// press presses the button with this text, which submits its form.
func (b *tab) press(name string) {
	b.t.Helper()
	b.load("press "+name, chromedp.Click(b.require("button", name)))
}

// fill types a value into the field with this label, after clearing it.
func (b *tab) fill(label, value string) {
	b.t.Helper()
	b.require("field", label)
	// A date or a time is picked rather than typed: set it as a picker
	// would.
	picked := eval[bool](b, fmt.Sprintf(`(function (value) {
		const el = %s("field", %s);
		el.focus();
		if (['date', 'time', 'month', 'week', 'datetime-local', 'color', 'range'].includes(el.type)) {
			el.value = value;
			el.dispatchEvent(new Event('input', {bubbles: true}));
			el.dispatchEvent(new Event('change', {bubbles: true}));
			return true;
		}
		el.value = '';
		return false;
	})(%s)`, finder, jsString(label), jsString(value)))
	if picked {
		if got := eval[string](b, fmt.Sprintf(`%s("field", %s).value`, finder, jsString(label))); got != value {
			b.t.Fatalf("the field %q on %s took %q, not %q", label, b.where(), got, value)
		}
		return
	}
	if value == "" {
		return
	}
	b.step("type into "+label, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: value})
		return err
	}))
}

// choose picks the option with this text (or value) in the list with this
// label.
func (b *tab) choose(label, option string) {
	b.t.Helper()
	b.require("field", label)
	l, _ := json.Marshal(label)
	o, _ := json.Marshal(option)
	ok := eval[bool](b, fmt.Sprintf(`(function () {
		const el = %s("field", %s);
		const norm = s => (s || '').replace(/\s+/g, ' ').trim();
		const o = [...el.options].find(o => norm(o.text) === %[3]s || o.value === %[3]s);
		if (!o) return false;
		el.value = o.value;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, finder, l, o))
	if !ok {
		b.t.Fatalf("the list %q on %s has no option %q", label, b.where(), option)
	}
}

// check ticks the checkbox or radio button with this label, with a click.
func (b *tab) check(label string) {
	b.t.Helper()
	sel := b.require("field", label)
	l, _ := json.Marshal(label)
	if eval[bool](b, fmt.Sprintf(`%s("field", %s).checked`, finder, l)) {
		return
	}
	b.step("tick "+label, chromedp.Click(sel))
}

// upload chooses a file for the file field with this label, as the file
// chooser would.
func (b *tab) upload(label, path string) {
	b.t.Helper()
	b.step("choose the file "+filepath.Base(path)+" for "+label, chromedp.SetUploadFiles(b.require("field", label), []string{path}))
}

// fact is the description (dd) of the term (dt) with this text in the
// page's lists of facts, "" when there is none.
func (b *tab) fact(term string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(function (term) {
		const norm = s => (s || '').replace(/\s+/g, ' ').trim();
		for (const dt of document.querySelectorAll('dt')) {
			if (norm(dt.textContent) !== term) continue;
			let dd = dt.nextElementSibling;
			while (dd && dd.tagName !== 'DD') dd = dd.nextElementSibling;
			return dd ? norm(dd.textContent) : '';
		}
		return '';
	})(%s)`, jsString(term)))
}

// see fails the test unless the page shows this text.
func (b *tab) see(text string) {
	b.t.Helper()
	if !b.shows(text) {
		b.t.Fatalf("%s does not show %q; it reads:\n%s", b.where(), text, b.mainText())
	}
}

// shows reports whether the visible text of the page holds text.
func (b *tab) shows(text string) bool {
	b.t.Helper()
	s, _ := json.Marshal(text)
	return eval[bool](b, fmt.Sprintf(`document.body.innerText.replace(/\s+/g, ' ').includes(%s.replace(/\s+/g, ' '))`, s))
}

// mainText is the visible text of the page's main content, for messages.
func (b *tab) mainText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main') || document.body).innerText`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

// lang is the language the page says it is in.
func (b *tab) lang() string {
	b.t.Helper()
	return eval[string](b, `document.documentElement.lang`)
}

// path is the path and query of the current page.
func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// href returns the address of the first link whose address matches re.
func (b *tab) href(re string) string {
	b.t.Helper()
	links := eval[[]string](b, `[...document.querySelectorAll('a[href]')].map(a => a.href)`)
	r := regexp.MustCompile(re)
	for _, l := range links {
		if r.MatchString(l) {
			return l
		}
	}
	b.t.Fatalf("no link matching %s on %s", re, b.where())
	return ""
}

// screenshot returns a PNG of the whole page; quick trades the size of
// the file for the time it takes to encode.
func (b *tab) screenshot(quick bool) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: &yes,
			FromSurface:           &yes,
			OptimizeForSpeed:      &quick,
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}))
	if err != nil {
		b.t.Fatalf("screenshot of %s: %v", b.where(), err)
	}
	return png
}

// saveFailure keeps a screenshot of where a failed test stopped.
func (b *tab) saveFailure() {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	dir := filepath.Join(build.root, "screenshots", "failed")
	if os.MkdirAll(dir, 0o755) != nil {
		return
	}
	name := fmt.Sprintf("%s-tab%d.png", regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(b.t.Name(), "_"), b.id)
	if os.WriteFile(filepath.Join(dir, name), png, 0o644) == nil {
		b.t.Logf("the page at the failure: screenshots/failed/%s (%s)", name, b.where())
	}
}

// yes is true, for the protocol's optional flags.
var yes = true

// jsString quotes a Go string for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// viewport resizes the tab's window, as a phone or a laptop.
func (b *tab) viewport(width, height int64) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if width < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	b.step("resize the window", chromedp.EmulateViewport(width, height, opts...))
}

// logIn logs a person in through the log-in form, in the page's language.
func logIn(b *tab, p person) {
	b.t.Helper()
	b.open("/login")
	lang := b.lang()
	b.fill(msg(lang, "field.email"), p.Email)
	b.fill(msg(lang, "field.password"), p.Password)
	b.press(msg(lang, "login.submit"))
	if b.exists("link", msg(lang, "nav.login")) {
		b.t.Fatalf("log in as %s: still not logged in at %s:\n%s", p.Email, b.where(), b.mainText())
	}
}

// setLang sets the language the browser asks for (Accept-Language).
func (b *tab) setLang(lang string) {
	b.t.Helper()
	b.step("ask for "+lang, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": lang},
		})
		return err
	}))
}

// submitForm fills in the form that has the first of the fields, by their
// names, and submits it with its submit button; it returns the status of
// the answer.
func (b *tab) submitForm(values url.Values) int64 {
	b.t.Helper()
	v, _ := json.Marshal(values)
	form := chromedp.JSPath(fmt.Sprintf(`(function (values) {
		const names = Object.keys(values);
		const first = document.querySelector('form [name="' + names[0] + '"]');
		if (!first) return null;
		const form = first.form;
		for (const name of names) {
			for (const el of form.querySelectorAll('[name="' + name + '"]')) {
				if (el.type === 'checkbox' || el.type === 'radio') el.checked = values[name].includes(el.value);
				else el.value = values[name][0];
			}
		}
		return form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
	})(%s)`, v))
	if !eval[bool](b, fmt.Sprintf(`(function (values) {
		const f = document.querySelector('form [name="' + Object.keys(values)[0] + '"]');
		return !!f;
	})(%s)`, v)) {
		b.t.Fatalf("no form with the fields %v on %s", values, b.where())
	}
	return b.load("submit the form", chromedp.Click(form))
}

// colorScheme emulates a preferred colour scheme ("dark", "light"), or
// stops emulating one ("").
func (b *tab) colorScheme(scheme string) {
	b.t.Helper()
	b.step("prefer the "+scheme+" colour scheme", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		p := emulation.SetEmulatedMediaParams{}
		if scheme != "" {
			p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
		}
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, p)
		return err
	}))
}

// logInAs fills in the log-in form (without checking that it worked).
func logInAs(b *tab, p person) {
	b.t.Helper()
	b.open("/login")
	lang := b.lang()
	b.fill(msg(lang, "field.email"), p.Email)
	b.fill(msg(lang, "field.password"), p.Password)
	b.press(msg(lang, "login.submit"))
}
