//go:build measure_index

package search

import "sync/atomic"

// A build with the tag measure_index can leave new replies out of the
// index, to measure what indexing adds to creating a post: BenchmarkPost
// (internal/app) writes every other reply without it. Never ship it.
var skipReplies atomic.Bool

func indexingReplies() bool { return !skipReplies.Load() }

// SkipReplies leaves the replies written from now on out of the index, or
// indexes them again.
func SkipReplies(skip bool) { skipReplies.Store(skip) }
