package discussion

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Follow makes a member follow a thread or a community; following twice is
// harmless.
func (s *Store) Follow(ctx context.Context, userID int64, kind string, id int64) error {
	_, err := s.q.Exec(ctx, `INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, target_kind, target_id) DO NOTHING`, userID, kind, id, time.Now())
	if err != nil {
		return fmt.Errorf("follow %s %d: %w", kind, id, err)
	}
	return nil
}

// Unfollow stops following.
func (s *Store) Unfollow(ctx context.Context, userID int64, kind string, id int64) error {
	_, err := s.q.Exec(ctx, "DELETE FROM follows WHERE user_id = ? AND target_kind = ? AND target_id = ?", userID, kind, id)
	return err
}

// Following reports whether a member follows a thread or community.
func (s *Store) Following(ctx context.Context, userID int64, kind string, id int64) (bool, error) {
	var ok bool
	err := s.q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM follows WHERE user_id = ? AND target_kind = ? AND target_id = ?)", userID, kind, id).Scan(&ok)
	return ok, err
}

// ReaderMarks tells, in one query, whether the user follows a thread and
// has marked it helpful: the thread page shows both to a logged-in reader.
func (s *Store) ReaderMarks(ctx context.Context, userID, threadID int64) (following, helpful bool, err error) {
	err = s.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM follows WHERE user_id = ? AND target_kind = ? AND target_id = ?),
		EXISTS (SELECT 1 FROM reactions WHERE target_kind = ? AND target_id = ? AND user_id = ? AND kind = ?)`,
		userID, KindThread, threadID, KindThread, threadID, userID, ReactionHelpful).Scan(&following, &helpful)
	return following, helpful, err
}

// Followers returns the ids of the members who follow a thread or
// community, for notifications.
func (s *Store) Followers(ctx context.Context, kind string, id int64) ([]int64, error) {
	rows, err := s.q.Query(ctx, "SELECT user_id FROM follows WHERE target_kind = ? AND target_id = ? ORDER BY user_id", kind, id)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// ToggleHelpful marks a thread or reply helpful for the reader, or takes the
// mark back, and returns whether it is now marked.
func (s *Store) ToggleHelpful(ctx context.Context, o Opened, kind string, id int64) (bool, error) {
	if o.Viewer.User == nil {
		return false, account.ErrUnauthenticated
	}
	if kind == KindPost {
		p, err := s.Post(ctx, id)
		if err != nil || p.ThreadID != o.Thread.ID || p.DeletedAt != nil {
			return false, fmt.Errorf("post %d: %w", id, sqldb.ErrNotFound)
		}
	} else if kind != KindThread || id != o.Thread.ID {
		return false, sqldb.ErrNotFound
	}
	var on bool
	err := sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM reactions WHERE target_kind = ? AND target_id = ? AND user_id = ? AND kind = ?", kind, id, o.Viewer.User.ID, ReactionHelpful)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			on = true
			if _, err := tx.Exec(ctx, "INSERT INTO reactions (target_kind, target_id, user_id, kind, created_at) VALUES (?, ?, ?, ?, ?)", kind, id, o.Viewer.User.ID, ReactionHelpful, time.Now()); err != nil {
				return err
			}
		}
		// Search gently favours what readers found helpful.
		return search.Rescore(ctx, tx, kind, id)
	})
	return on, err
}

// SetQuestion marks a thread as a question or not; its author or a
// moderator may.
func (s *Store) SetQuestion(ctx context.Context, o Opened, question bool) error {
	if !isAuthorOrModerator(o) {
		return account.ErrForbidden
	}
	_, err := s.q.Exec(ctx, "UPDATE threads SET is_question = ? WHERE id = ?", question, o.Thread.ID)
	return err
}

// Accept marks a reply as the accepted answer to a question, or clears it
// with postID 0; the question's author or a moderator may.
func (s *Store) Accept(ctx context.Context, o Opened, postID int64) error {
	if !isAuthorOrModerator(o) {
		return account.ErrForbidden
	}
	if !o.Thread.IsQuestion {
		return validation.Field("post_id", "discussion.error.not_question")
	}
	var accepted any
	if postID != 0 {
		p, err := s.Post(ctx, postID)
		if err != nil || p.ThreadID != o.Thread.ID || p.DeletedAt != nil || p.HiddenAt != nil || p.Held {
			return validation.Field("post_id", "discussion.error.answer")
		}
		accepted = postID
	}
	// Search favours accepted answers: the thread, the reply accepted
	// before and the one accepted now are scored again with the change.
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE threads SET accepted_post_id = ? WHERE id = ?", accepted, o.Thread.ID); err != nil {
			return err
		}
		if err := search.Rescore(ctx, tx, search.KindThread, o.Thread.ID); err != nil {
			return err
		}
		for _, id := range []int64{o.Thread.AcceptedPostID, postID} {
			if id != 0 {
				if err := search.Rescore(ctx, tx, search.KindPost, id); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func isAuthorOrModerator(o Opened) bool {
	return o.Viewer.User != nil && (o.Viewer.User.ID == o.Thread.AuthorID || o.Viewer.CanModerate())
}

// log records a moderator's action.
func (s *Store) log(ctx context.Context, communityID, actor int64, action, kind string, id int64, note string) error {
	_, err := s.q.Exec(ctx, "INSERT INTO moderation_log (community_id, actor_id, action, target_kind, target_id, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		communityID, actor, action, kind, id, note, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("log %s: %w", action, err)
	}
	return nil
}

// DeleteThread removes a thread with its replies from every list, feed and
// page; its author or a moderator may. Moderators still see it and can
// restore it.
func (s *Store) DeleteThread(ctx context.Context, o Opened) error {
	if !isAuthorOrModerator(o) {
		return account.ErrForbidden
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE threads SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", time.Now().UTC(), o.Thread.ID); err != nil {
			return err
		}
		if err := search.IndexThread(ctx, tx, o.Thread.ID); err != nil {
			return err
		}
		return NewStore(tx).log(ctx, o.Community.ID, o.Viewer.User.ID, "delete", KindThread, o.Thread.ID, "")
	})
}

// Moderation actions on a thread or reply.
const (
	ActionPin     = "pin"
	ActionUnpin   = "unpin"
	ActionLock    = "lock"
	ActionUnlock  = "unlock"
	ActionHide    = "hide"
	ActionUnhide  = "unhide"
	ActionApprove = "approve"
	ActionRestore = "restore"
)

// ModerateThread pins, locks, hides, approves or restores a thread; only
// moderators, managers and site administrators may. Every action is logged.
func (s *Store) ModerateThread(ctx context.Context, o Opened, action string) error {
	if !o.Viewer.CanModerate() {
		return account.ErrForbidden
	}
	now := time.Now().UTC()
	stmt, args := "", []any{}
	switch action {
	case ActionPin, ActionUnpin:
		stmt, args = "UPDATE threads SET pinned = ? WHERE id = ?", []any{action == ActionPin}
	case ActionLock, ActionUnlock:
		stmt, args = "UPDATE threads SET locked = ? WHERE id = ?", []any{action == ActionLock}
	case ActionHide:
		stmt, args = "UPDATE threads SET hidden_at = ? WHERE id = ?", []any{now}
	case ActionUnhide:
		stmt = "UPDATE threads SET hidden_at = NULL WHERE id = ?"
	case ActionApprove:
		stmt = "UPDATE threads SET held = FALSE WHERE id = ?"
	case ActionRestore:
		stmt = "UPDATE threads SET deleted_at = NULL WHERE id = ?"
	default:
		return validation.Field("action", "error.one_of", "pin, unpin, lock, unlock, hide, unhide, approve, restore")
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, stmt, append(args, o.Thread.ID)...); err != nil {
			return err
		}
		if err := search.IndexThread(ctx, tx, o.Thread.ID); err != nil {
			return err
		}
		if err := NewStore(tx).log(ctx, o.Community.ID, o.Viewer.User.ID, action, KindThread, o.Thread.ID, ""); err != nil {
			return err
		}
		if action == ActionApprove && o.Thread.Held {
			approved := o.Thread
			approved.Held = false
			if err := s.in(tx).afterThread(ctx, tx, o.Community, approved); err != nil {
				return err
			}
		}
		return s.in(tx).afterModeration(ctx, tx, o, o.Thread.AuthorID, action, threadPath(o.Thread.ID))
	})
}

// DeletePost leaves a "deleted" placeholder in place of a reply; its author
// or a moderator may.
func (s *Store) DeletePost(ctx context.Context, o Opened, p Post) error {
	if o.Viewer.User == nil || o.Viewer.User.ID != p.AuthorID && !o.Viewer.CanModerate() {
		return account.ErrForbidden
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE posts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", time.Now().UTC(), p.ID); err != nil {
			return err
		}
		if err := search.IndexPost(ctx, tx, p.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE threads SET accepted_post_id = NULL WHERE id = ? AND accepted_post_id = ?", o.Thread.ID, p.ID); err != nil {
			return err
		}
		return NewStore(tx).log(ctx, o.Community.ID, o.Viewer.User.ID, "delete", KindPost, p.ID, "")
	})
}

// ModeratePost hides, shows again, approves or restores a reply.
func (s *Store) ModeratePost(ctx context.Context, o Opened, p Post, action string) error {
	if !o.Viewer.CanModerate() {
		return account.ErrForbidden
	}
	stmt, args := "", []any{}
	switch action {
	case ActionHide:
		stmt, args = "UPDATE posts SET hidden_at = ? WHERE id = ?", []any{time.Now().UTC()}
	case ActionUnhide:
		stmt = "UPDATE posts SET hidden_at = NULL WHERE id = ?"
	case ActionApprove:
		stmt = "UPDATE posts SET held = FALSE WHERE id = ?"
	case ActionRestore:
		stmt = "UPDATE posts SET deleted_at = NULL WHERE id = ?"
	default:
		return validation.Field("action", "error.one_of", "hide, unhide, approve, restore")
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, stmt, append(args, p.ID)...); err != nil {
			return err
		}
		if err := search.IndexPost(ctx, tx, p.ID); err != nil {
			return err
		}
		if action == ActionApprove {
			if _, err := tx.Exec(ctx, "UPDATE threads SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?", p.CreatedAt, p.ThreadID, p.CreatedAt); err != nil {
				return err
			}
			if p.Held {
				approved := p
				approved.Held = false
				if err := s.in(tx).afterReply(ctx, tx, o, approved); err != nil {
					return err
				}
			}
		}
		if err := NewStore(tx).log(ctx, o.Community.ID, o.Viewer.User.ID, action, KindPost, p.ID, ""); err != nil {
			return err
		}
		return s.in(tx).afterModeration(ctx, tx, o, p.AuthorID, action, threadPath(o.Thread.ID)+"#post-"+strconv.FormatInt(p.ID, 10))
	})
}

// MoveThread moves a thread to another community; the mover must moderate
// both.
func (s *Store) MoveThread(ctx context.Context, o Opened, to community.Community, toViewer community.Viewer) error {
	if !o.Viewer.CanModerate() || !toViewer.CanModerate() {
		return account.ErrForbidden
	}
	if to.ID == o.Community.ID {
		return nil
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE threads SET community_id = ? WHERE id = ?", to.ID, o.Thread.ID); err != nil {
			return err
		}
		if err := search.IndexThread(ctx, tx, o.Thread.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM thread_resources WHERE thread_id = ?", o.Thread.ID); err != nil {
			return err
		}
		st := NewStore(tx)
		if err := st.log(ctx, o.Community.ID, o.Viewer.User.ID, "move_out", KindThread, o.Thread.ID, to.Slug); err != nil {
			return err
		}
		return st.log(ctx, to.ID, o.Viewer.User.ID, "move_in", KindThread, o.Thread.ID, o.Community.Slug)
	})
}

// Report is a reader's report of a thread or reply to the moderators.
type Report struct {
	ID          int64
	CommunityID int64
	TargetKind  string
	TargetID    int64
	ThreadID    int64 // the thread of the target, to link to
	Excerpt     string
	ReporterID  int64
	Reporter    string
	Reason      string
	Status      string // open, resolved
	CreatedAt   time.Time
	ResolvedAt  *time.Time
}

// ReportContent records a report of a thread or reply for the community's
// moderators.
func (s *Store) ReportContent(ctx context.Context, o Opened, kind string, id int64, reason string) (Report, error) {
	if o.Viewer.User == nil {
		return Report{}, account.ErrUnauthenticated
	}
	var e validation.Error
	reason = e.LongText("reason", reason, true, MaxReasonLen)
	if err := e.Err(); err != nil {
		return Report{}, err
	}
	if kind == KindPost {
		p, err := s.Post(ctx, id)
		if err != nil || p.ThreadID != o.Thread.ID {
			return Report{}, fmt.Errorf("post %d: %w", id, sqldb.ErrNotFound)
		}
	} else if kind != KindThread || id != o.Thread.ID {
		return Report{}, sqldb.ErrNotFound
	}
	r := Report{CommunityID: o.Community.ID, TargetKind: kind, TargetID: id, ReporterID: o.Viewer.User.ID, Reason: reason, Status: "open", CreatedAt: time.Now().UTC()}
	err := s.q.QueryRow(ctx, `INSERT INTO content_reports (community_id, target_kind, target_id, reporter_id, reason, status, created_at)
		VALUES (?, ?, ?, ?, ?, 'open', ?) RETURNING id`, r.CommunityID, kind, id, r.ReporterID, reason, r.CreatedAt).Scan(&r.ID)
	return r, err
}

// Reports lists a community's reports with the status, oldest first.
func (s *Store) Reports(ctx context.Context, communityID int64, status string, limit int) ([]Report, error) {
	rows, err := s.q.Query(ctx, `SELECT r.id, r.community_id, r.target_kind, r.target_id,
			CASE WHEN r.target_kind = 'thread' THEN r.target_id ELSE COALESCE(p.thread_id, 0) END,
			CASE WHEN r.target_kind = 'thread' THEN COALESCE(t.title, '') ELSE COALESCE(p.body, '') END,
			COALESCE(r.reporter_id, 0), COALESCE(u.name, ''), r.reason, r.status, r.created_at, r.resolved_at
		FROM content_reports r
		LEFT JOIN threads t ON r.target_kind = 'thread' AND t.id = r.target_id
		LEFT JOIN posts p ON r.target_kind = 'post' AND p.id = r.target_id
		LEFT JOIN users u ON u.id = r.reporter_id
		WHERE r.community_id = ? AND r.status = ? ORDER BY r.created_at, r.id LIMIT ?`, communityID, status, limit)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Report, error) {
		var rep Report
		err := r.Scan(&rep.ID, &rep.CommunityID, &rep.TargetKind, &rep.TargetID, &rep.ThreadID, &rep.Excerpt, &rep.ReporterID, &rep.Reporter,
			&rep.Reason, &rep.Status, &rep.CreatedAt, &rep.ResolvedAt)
		if len([]rune(rep.Excerpt)) > 200 {
			rep.Excerpt = string([]rune(rep.Excerpt)[:200]) + "…"
		}
		return rep, err
	})
}

// ResolveReport closes a report, hiding what it points at when the
// moderator decides so ("hide") or leaving it ("dismiss").
func (s *Store) ResolveReport(ctx context.Context, c community.Community, v community.Viewer, reportID int64, action string) error {
	if !v.CanModerate() {
		return account.ErrForbidden
	}
	if action != "hide" && action != "dismiss" {
		return validation.Field("action", "error.one_of", "hide, dismiss")
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		var kind string
		var id int64
		err := tx.QueryRow(ctx, "SELECT target_kind, target_id FROM content_reports WHERE id = ? AND community_id = ? AND status = 'open'", reportID, c.ID).Scan(&kind, &id)
		if err != nil {
			return fmt.Errorf("report %d: %w", reportID, err)
		}
		now := time.Now().UTC()
		if action == "hide" {
			table := "threads"
			if kind == KindPost {
				table = "posts"
			}
			if _, err := tx.Exec(ctx, "UPDATE "+table+" SET hidden_at = ? WHERE id = ? AND hidden_at IS NULL", now, id); err != nil {
				return err
			}
			index := search.IndexThread
			if kind == KindPost {
				index = search.IndexPost
			}
			if err := index(ctx, tx, id); err != nil {
				return err
			}
		}
		// Every open report of the same target is settled by one decision.
		if _, err := tx.Exec(ctx, "UPDATE content_reports SET status = 'resolved', resolved_at = ?, resolved_by = ? WHERE community_id = ? AND target_kind = ? AND target_id = ? AND status = 'open'",
			now, v.User.ID, c.ID, kind, id); err != nil {
			return err
		}
		return NewStore(tx).log(ctx, c.ID, v.User.ID, "report_"+action, kind, id, "")
	})
}

// Held is a thread or reply waiting for approval.
type Held struct {
	Kind      string
	ID        int64
	ThreadID  int64
	Title     string
	Excerpt   string
	Author    string
	CreatedAt time.Time
}

// HeldContent lists what waits for a moderator's approval in a community.
func (s *Store) HeldContent(ctx context.Context, communityID int64, limit int) ([]Held, error) {
	rows, err := s.q.Query(ctx, `SELECT 'thread', t.id, t.id, t.title, t.body, COALESCE(u.name, ''), t.created_at
			FROM threads t LEFT JOIN users u ON u.id = t.author_id WHERE t.community_id = ? AND t.held = TRUE AND t.deleted_at IS NULL
		UNION ALL
		SELECT 'post', p.id, t.id, t.title, p.body, COALESCE(u.name, ''), p.created_at
			FROM posts p JOIN threads t ON t.id = p.thread_id LEFT JOIN users u ON u.id = p.author_id
			WHERE t.community_id = ? AND p.held = TRUE AND p.deleted_at IS NULL
		ORDER BY 7 LIMIT ?`, communityID, communityID, limit)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Held, error) {
		var h Held
		var body string
		err := r.Scan(&h.Kind, &h.ID, &h.ThreadID, &h.Title, &body, &h.Author, &h.CreatedAt)
		h.Excerpt = body
		if len([]rune(body)) > 300 {
			h.Excerpt = string([]rune(body)[:300]) + "…"
		}
		return h, err
	})
}

// LogEntry is one moderation action.
type LogEntry struct {
	Actor      string
	Action     string
	TargetKind string
	TargetID   int64
	Note       string
	At         time.Time
}

// Log returns a community's newest moderation actions: the audit trail.
func (s *Store) Log(ctx context.Context, communityID int64, limit int) ([]LogEntry, error) {
	rows, err := s.q.Query(ctx, `SELECT COALESCE(u.name, ''), l.action, l.target_kind, l.target_id, l.note, l.at
		FROM moderation_log l LEFT JOIN users u ON u.id = l.actor_id WHERE l.community_id = ? ORDER BY l.at DESC, l.id DESC LIMIT ?`, communityID, limit)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (LogEntry, error) {
		var e LogEntry
		err := r.Scan(&e.Actor, &e.Action, &e.TargetKind, &e.TargetID, &e.Note, &e.At)
		return e, err
	})
}
