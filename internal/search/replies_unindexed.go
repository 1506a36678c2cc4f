//go:build unindexed_replies

package search

// A build with the tag unindexed_replies leaves new replies out of the
// index, and exists only to measure what indexing adds to creating a post:
// BenchmarkPost (internal/app) run with and without the tag. Never ship it:
// search would not find the replies it wrote.
const indexReplies = false
