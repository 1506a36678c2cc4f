package web

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The cache holds no more than its budget: the least recently used pages
// go first.
func TestPageCacheIsBounded(t *testing.T) {
	c := newPageCache(10_000)
	now := time.Now()
	page := strings.Repeat("x", 1000)
	for i := range 50 {
		c.put(&cachedPage{key: "k" + strconv.Itoa(i), gz: []byte(page), stored: now})
		if i == 5 {
			c.get("k0", now) // used again: kept over the others
		}
	}
	if c.bytes() > 10_000 {
		t.Errorf("cache holds %d bytes, budget 10000", c.bytes())
	}
	if c.get("k49", now) == nil {
		t.Error("the newest page was evicted")
	}
	if c.get("k1", now) != nil {
		t.Error("an old page is still there")
	}
	if c.get("k49", now.Add(cacheTTL+time.Second)) != nil {
		t.Error("a page older than the TTL was served")
	}
}

func TestCacheable(t *testing.T) {
	for path, want := range map[string]bool{
		"/threads/4": true, "/communities/ssc4c": true, "/events/3": true, "/solutions/9": true, "/resources/2": true,
		"/resources/2/download": false, "/communities/ssc4c/logo": false, "/events/3.ics": false, "/solutions/new": false,
		"/": false, "/search": false, "/members": false, "/communities/": false,
	} {
		if got := cacheable(path); got != want {
			t.Errorf("cacheable(%q) = %v, want %v", path, got, want)
		}
	}
}
