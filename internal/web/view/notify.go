package view

import (
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/notify"
)

// unreadText is the bell's count: at most "99+".
func unreadText(n int) string {
	if n > notify.MaxUnread {
		return strconv.Itoa(notify.MaxUnread) + "+"
	}
	return strconv.Itoa(n)
}

// bellLabel names the bell's link for screen readers, with the count.
func bellLabel(p Page) string {
	if p.Unread == 0 {
		return p.T("notify.bell")
	}
	return p.L.N("notify.bell_unread", min(p.Unread, notify.MaxUnread))
}

func countAll(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// shorten cuts s to n characters.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// jobTime is the time that matters for a job in its state: when it is due,
// when it started, or when it ended.
func jobTime(j jobs.Job) time.Time {
	switch {
	case j.FinalizedAt != nil:
		return *j.FinalizedAt
	case j.State == "running" && j.AttemptedAt != nil:
		return *j.AttemptedAt
	}
	return j.ScheduledAt
}
