//go:build measure_index

package search

import "sync/atomic"

// A build with the tag measure_index can leave new posts (threads and
// replies) out of the index, to measure what indexing adds to creating
// one: BenchmarkPost (internal/app) writes every other post without it.
// Never ship it.
var skipPosts atomic.Bool

func indexingPosts() bool { return !skipPosts.Load() }

// SkipPosts leaves the threads and replies created from now on out of the
// index, or indexes them again.
func SkipPosts(skip bool) { skipPosts.Store(skip) }
