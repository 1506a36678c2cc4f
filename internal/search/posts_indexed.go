//go:build !measure_index

package search

// indexingPosts is always true but in a build for measuring what indexing
// adds to creating a post (posts_measured.go).
func indexingPosts() bool { return true }
