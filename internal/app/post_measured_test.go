//go:build measure_index

package app_test

import "github.com/harambee/harambee/internal/search"

func init() { skipIndex = search.SkipPosts }
