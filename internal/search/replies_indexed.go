//go:build !measure_index

package search

// indexingReplies is always true but in a build for measuring what indexing
// adds to creating a post (replies_measured.go).
func indexingReplies() bool { return true }
