// Package discussion holds the conversations inside a community: threads,
// their replies, questions with accepted answers, mentions, reactions,
// follows, reports and moderation.
package discussion

import (
	"strings"
	"time"

	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Limits.
const (
	MaxTitleLen  = 200
	MaxBodyLen   = 20000
	MaxReasonLen = 1000
)

// Sort orders of a thread list.
const (
	SortActivity   = "activity"   // latest reply first
	SortNewest     = "newest"     // newest thread first
	SortUnanswered = "unanswered" // questions without an accepted answer
)

// Kinds of what reactions, follows, mentions and reports point at.
const (
	KindThread    = "thread"
	KindPost      = "post"
	KindCommunity = "community"
)

// ReactionHelpful is the one reaction members give.
const ReactionHelpful = "helpful"

// ErrLocked refuses a reply to a locked thread.
var ErrLocked = validation.Field("body", "discussion.error.locked")

// Thread is a conversation in a community.
type Thread struct {
	ID             int64
	CommunityID    int64
	AuthorID       int64
	AuthorName     string
	Title          string
	Body           string // Markdown
	BodyHTML       string // rendered and sanitised once, when written
	Language       string
	IsQuestion     bool
	AcceptedPostID int64
	Pinned         bool
	Locked         bool
	Held           bool // waiting for a moderator's approval
	HiddenAt       *time.Time
	DeletedAt      *time.Time
	CreatedAt      time.Time
	EditedAt       *time.Time
	LastActivityAt time.Time

	Replies  int // visible replies, computed
	Helpful  int // "helpful" reactions, computed
	Resource []int64
}

// Answered reports whether a question has an accepted answer.
func (t Thread) Answered() bool { return t.AcceptedPostID != 0 }

// Post is a reply in a thread.
type Post struct {
	ID         int64
	ThreadID   int64
	AuthorID   int64
	AuthorName string
	QuoteOf    int64
	Body       string
	BodyHTML   string
	Held       bool
	HiddenAt   *time.Time
	DeletedAt  *time.Time
	CreatedAt  time.Time
	EditedAt   *time.Time

	Helpful      int  // computed
	ViewerLikes  bool // the reader marked it helpful
	Accepted     bool
	QuoteExcerpt string // the start of the quoted post, when there is one
	QuoteAuthor  string
}

// NewThread is what a member writes to start a thread.
type NewThread struct {
	Title      string
	Body       string
	Language   string
	IsQuestion bool
	// CreatedAt dates a thread imported with its history (the demo).
	CreatedAt time.Time
}

// Validate checks a new thread and returns it cleaned.
func (n NewThread) Validate() (NewThread, error) {
	var e validation.Error
	n.Title = e.Text("title", n.Title, true, MaxTitleLen)
	n.Body = e.LongText("body", n.Body, true, MaxBodyLen)
	if n.Language = strings.TrimSpace(n.Language); n.Language == "" {
		n.Language = "en"
	} else if !taxonomy.ValidLanguage(n.Language) {
		e.Add("language", "error.language", n.Language)
	}
	return n, e.Err()
}

func validateBody(body string) (string, error) {
	var e validation.Error
	body = e.LongText("body", body, true, MaxBodyLen)
	return body, e.Err()
}

// canSeeThread reports whether the viewer may see a thread: deleted ones
// only moderators, hidden and held ones moderators and their author.
func canSeeThread(t Thread, v community.Viewer) bool {
	if v.CanModerate() {
		return true
	}
	if t.DeletedAt != nil {
		return false
	}
	own := v.User != nil && v.User.ID == t.AuthorID
	if t.HiddenAt != nil || t.Held {
		return own
	}
	return true
}

// canWrite reports whether the viewer may write in the community: its
// members and site administrators.
func canWrite(v community.Viewer) bool {
	return v.User != nil && (v.Member() || v.User.Admin)
}
