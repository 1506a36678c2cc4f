//go:build !unindexed_replies

package search

// indexReplies is false only in a build for measuring what indexing adds
// to creating a post (see replies_unindexed.go).
const indexReplies = true
