// Package e2e tries Harambee the way its members do: the real harambee
// binary, on a fresh SQLite database on loopback, driven by a headless
// Chromium through the DevTools protocol (chromedp).
//
// The package holds only tests:
//
//   - journeys (journey_*_test.go): one test per task a member completes,
//     each run with JavaScript on and off, on a fresh database of its own;
//   - the key pages (pages_test.go): one table that the accessibility check
//     (axe-core, WCAG 2.1 A and AA), the page-weight budgets and the
//     screenshots all read;
//   - the page-weight budgets over plain HTTP, which need no browser.
//
// Without Chromium the browser tests skip and say so; without axe-core
// (HARAMBEE_AXE_JS) only the accessibility check skips. No test reaches
// anything but loopback.
package e2e
