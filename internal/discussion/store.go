package discussion

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes discussions through a database or a transaction.
type Store struct {
	q sqldb.Querier
	n *notify.Notifier // nil: tell no one (see WithNotifier)
}

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// in returns a store for tx that keeps s's notifier.
func (s *Store) in(tx *sqldb.Tx) *Store { return &Store{q: tx, n: s.n} }

const threadColumns = `t.id, t.community_id, COALESCE(t.author_id, 0), COALESCE(u.name, ''), t.title, t.body, t.body_html, t.language,
	t.is_question, COALESCE(t.accepted_post_id, 0), t.pinned, t.locked, t.held, t.hidden_at, t.deleted_at, t.created_at, t.edited_at, t.last_activity_at`

const threadFrom = ` FROM threads t LEFT JOIN users u ON u.id = t.author_id`

func scanThread(r sqldb.Scanner) (Thread, error) {
	var t Thread
	err := r.Scan(&t.ID, &t.CommunityID, &t.AuthorID, &t.AuthorName, &t.Title, &t.Body, &t.BodyHTML, &t.Language,
		&t.IsQuestion, &t.AcceptedPostID, &t.Pinned, &t.Locked, &t.Held, &t.HiddenAt, &t.DeletedAt, &t.CreatedAt, &t.EditedAt, &t.LastActivityAt)
	return t, err
}

// Thread returns a thread whatever its state; callers check who may see it
// (see Open).
func (s *Store) Thread(ctx context.Context, id int64) (Thread, error) {
	t, err := scanThread(s.q.QueryRow(ctx, "SELECT "+threadColumns+threadFrom+" WHERE t.id = ?", id))
	if err != nil {
		return t, fmt.Errorf("load thread %d: %w", id, err)
	}
	return t, s.countThreads(ctx, []*Thread{&t}, true)
}

// Opened is a thread with its community and the reader's standing in it.
type Opened struct {
	Thread    Thread
	Community community.Community
	Viewer    community.Viewer
}

// Open loads a thread for a reader: not found when the reader may not know
// it exists (a private community, a deleted thread), forbidden when the
// community is members-only and the reader is not a member.
func (s *Store) Open(ctx context.Context, id int64, u *account.User) (Opened, error) {
	var o Opened
	var err error
	if o.Thread, err = s.Thread(ctx, id); err != nil {
		return o, err
	}
	cs := community.NewStore(s.q)
	if o.Community, err = cs.ByID(ctx, o.Thread.CommunityID); err != nil {
		return o, err
	}
	if o.Viewer, err = cs.ViewerFor(ctx, o.Community.ID, u); err != nil {
		return o, err
	}
	switch {
	case !o.Viewer.CanSee(o.Community):
		return o, fmt.Errorf("thread %d: %w", id, sqldb.ErrNotFound)
	case !o.Viewer.CanRead(o.Community):
		return o, account.ErrForbidden
	case !canSeeThread(o.Thread, o.Viewer):
		return o, fmt.Errorf("thread %d: %w", id, sqldb.ErrNotFound)
	}
	return o, nil
}

// holdFor reports whether new content by the viewer waits for approval:
// the community holds first posts and the author has nothing approved yet.
func (s *Store) holdFor(ctx context.Context, c community.Community, v community.Viewer) (bool, error) {
	if !c.HoldFirstPosts || v.CanModerate() {
		return false, nil
	}
	var approved bool
	err := s.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM threads WHERE community_id = ? AND author_id = ? AND held = FALSE)
		OR EXISTS (SELECT 1 FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.community_id = ? AND p.author_id = ? AND p.held = FALSE)`,
		c.ID, v.User.ID, c.ID, v.User.ID).Scan(&approved)
	return !approved, err
}

// CreateThread starts a thread. The author follows it; members it mentions
// are recorded for their notifications.
func (s *Store) CreateThread(ctx context.Context, c community.Community, v community.Viewer, in NewThread) (Thread, error) {
	if !canWrite(v) {
		return Thread{}, account.ErrForbidden
	}
	in, err := in.Validate()
	if err != nil {
		return Thread{}, err
	}
	now := time.Now().UTC()
	created := now
	if !in.CreatedAt.IsZero() && in.CreatedAt.Before(now) {
		created = in.CreatedAt.UTC()
	}
	var t Thread
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		held, err := st.holdFor(ctx, c, v)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO threads (community_id, author_id, title, body, body_html, language, is_question, held, created_at, last_activity_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, v.User.ID, in.Title, in.Body, markdown.Render(in.Body), in.Language, in.IsQuestion, held, created, created).Scan(&id)
		if err != nil {
			return fmt.Errorf("create thread: %w", err)
		}
		err = search.IndexNewThread(ctx, tx, search.NewThread{ID: id, CommunityID: c.ID, AuthorID: v.User.ID, Title: in.Title, Body: in.Body,
			Language: in.Language, At: created, Held: held})
		if err != nil {
			return err
		}
		if err := st.Follow(ctx, v.User.ID, KindThread, id); err != nil {
			return err
		}
		if err := st.recordMentions(ctx, c.ID, KindThread, id, in.Body, created, false); err != nil {
			return err
		}
		if t, err = st.Thread(ctx, id); err != nil {
			return err
		}
		return s.in(tx).afterThread(ctx, tx, c, t)
	})
	return t, err
}

// EditThread changes a thread's title and text; only its author may, and
// the thread is marked as edited.
func (s *Store) EditThread(ctx context.Context, o Opened, title, body string) (Thread, error) {
	if o.Viewer.User == nil || o.Viewer.User.ID != o.Thread.AuthorID {
		return Thread{}, account.ErrForbidden
	}
	in, err := NewThread{Title: title, Body: body, Language: o.Thread.Language}.Validate()
	if err != nil {
		return Thread{}, err
	}
	var t Thread
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		now := time.Now().UTC()
		if _, err := tx.Exec(ctx, "UPDATE threads SET title = ?, body = ?, body_html = ?, edited_at = ? WHERE id = ?",
			in.Title, in.Body, markdown.Render(in.Body), now, o.Thread.ID); err != nil {
			return fmt.Errorf("edit thread %d: %w", o.Thread.ID, err)
		}
		if err := search.IndexThread(ctx, tx, o.Thread.ID); err != nil {
			return err
		}
		st := NewStore(tx)
		if err := st.recordMentions(ctx, o.Community.ID, KindThread, o.Thread.ID, in.Body, now, true); err != nil {
			return err
		}
		t, err = st.Thread(ctx, o.Thread.ID)
		return err
	})
	return t, err
}

// Reply adds a reply to a thread, optionally quoting an earlier one. A
// locked thread takes replies only from moderators.
func (s *Store) Reply(ctx context.Context, o Opened, body string, quoteOf int64, at time.Time) (Post, error) {
	posts, err := s.ReplyAll(ctx, o.Thread, o.Community, []NewReply{{Viewer: o.Viewer, Body: body, QuoteOf: quoteOf, At: at}})
	if err != nil {
		return Post{}, err
	}
	return posts[0], nil
}

// NewReply is one reply of ReplyAll.
type NewReply struct {
	Viewer  community.Viewer // its author, as a member of the thread's community
	Body    string
	QuoteOf int64     // an earlier reply of the thread it quotes, or 0
	At      time.Time // when it was written: zero, or a time to come, is now
}

// replyBatch is how many replies one statement of ReplyAll writes.
const replyBatch = 500

// ReplyAll adds replies to a thread, in order, each as Reply adds one: the
// same rights, holds, mentions, notifications and search documents, all or
// none. It writes them in a few statements whatever their number: a
// discussion's history imported at once, the reference data set.
func (s *Store) ReplyAll(ctx context.Context, t Thread, c community.Community, in []NewReply) ([]Post, error) {
	if len(in) == 0 {
		return nil, nil
	}
	now := time.Now().UTC()
	replies := make([]NewReply, len(in))
	for i, r := range in {
		fail := func(err error) ([]Post, error) { return nil, nth(i, len(in), err) }
		if !canWrite(r.Viewer) {
			return fail(account.ErrForbidden)
		}
		if t.Locked && !r.Viewer.CanModerate() {
			return fail(ErrLocked)
		}
		body, err := validateBody(r.Body)
		if err != nil {
			return fail(err)
		}
		r.Body = body
		if r.At.IsZero() || r.At.After(now) {
			r.At = now
		}
		replies[i] = r
	}
	var posts []Post
	err := sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		// Whether an author's replies are held does not change within the
		// batch: a held reply approves no one.
		held := make([]bool, len(replies))
		holds := map[int64]bool{}
		for i, r := range replies {
			h, known := holds[r.Viewer.User.ID]
			if !known {
				var err error
				if h, err = st.holdFor(ctx, c, r.Viewer); err != nil {
					return err
				}
				holds[r.Viewer.User.ID] = h
			}
			held[i] = h
			if r.QuoteOf != 0 {
				var thread int64
				if err := tx.QueryRow(ctx, "SELECT thread_id FROM posts WHERE id = ?", r.QuoteOf).Scan(&thread); err != nil || thread != t.ID {
					return nth(i, len(replies), validation.Field("quote_of", "discussion.error.quote"))
				}
			}
		}
		ids := make([]int64, 0, len(replies))
		for from := 0; from < len(replies); from += replyBatch {
			to := min(len(replies), from+replyBatch)
			args := make([]any, 0, 7*(to-from))
			for i := from; i < to; i++ {
				r := replies[i]
				var quote any
				if r.QuoteOf != 0 {
					quote = r.QuoteOf
				}
				args = append(args, t.ID, r.Viewer.User.ID, quote, r.Body, markdown.Render(r.Body), held[i], r.At)
			}
			rows, err := tx.Query(ctx, "INSERT INTO posts (thread_id, author_id, quote_of, body, body_html, held, created_at) VALUES "+
				sqldb.Rows(to-from, 7)+" RETURNING id", args...)
			written, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
				var id int64
				return id, r.Scan(&id)
			})
			if err != nil {
				return fmt.Errorf("reply to thread %d: %w", t.ID, err)
			}
			// One statement numbers its rows in the order of its values;
			// sorted, the ids match the replies whatever order RETURNING
			// gives them in.
			slices.Sort(written)
			ids = append(ids, written...)
		}
		// The index learns the replies from what is at hand; IndexPost
		// keeps one in a deleted thread (only moderators see one) out.
		latest := t.LastActivityAt
		docs := make([]search.NewReply, 0, len(replies))
		for i, r := range replies {
			if t.DeletedAt != nil {
				if err := search.IndexPost(ctx, tx, ids[i]); err != nil {
					return err
				}
			} else {
				docs = append(docs, search.NewReply{ID: ids[i], ThreadID: t.ID, CommunityID: c.ID, AuthorID: r.Viewer.User.ID,
					ThreadTitle: t.Title, Language: t.Language, Body: r.Body, At: r.At, ThreadAt: t.CreatedAt,
					Restricted: held[i] || t.Held || t.HiddenAt != nil})
			}
			if !held[i] && r.At.After(latest) {
				latest = r.At
			}
			if err := st.recordMentions(ctx, c.ID, KindPost, ids[i], r.Body, r.At, false); err != nil {
				return err
			}
		}
		if err := search.IndexNewReplies(ctx, tx, docs...); err != nil {
			return err
		}
		if latest.After(t.LastActivityAt) {
			if _, err := tx.Exec(ctx, "UPDATE threads SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?", latest, t.ID, latest); err != nil {
				return err
			}
		}
		var err error
		if posts, err = st.posts(ctx, ids); err != nil {
			return err
		}
		for i, p := range posts {
			o := Opened{Thread: t, Community: c, Viewer: replies[i].Viewer}
			if err := s.in(tx).afterReply(ctx, tx, o, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return posts, nil
}

const postColumns = `p.id, p.thread_id, COALESCE(p.author_id, 0), COALESCE(u.name, ''), COALESCE(p.quote_of, 0), p.body, p.body_html,
	p.held, p.hidden_at, p.deleted_at, p.created_at, p.edited_at`

func scanPost(r sqldb.Scanner) (Post, error) {
	var p Post
	err := r.Scan(&p.ID, &p.ThreadID, &p.AuthorID, &p.AuthorName, &p.QuoteOf, &p.Body, &p.BodyHTML, &p.Held, &p.HiddenAt, &p.DeletedAt, &p.CreatedAt, &p.EditedAt)
	return p, err
}

// Post returns one reply whatever its state.
func (s *Store) Post(ctx context.Context, id int64) (Post, error) {
	p, err := scanPost(s.q.QueryRow(ctx, "SELECT "+postColumns+" FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?", id))
	if err != nil {
		return p, fmt.Errorf("load post %d: %w", id, err)
	}
	return p, nil
}

// nth says which of n replies err is about, when there are several.
func nth(i, n int, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("reply %d of %d: %w", i+1, n, err)
}

// posts returns replies by id, whatever their state, in the order of ids,
// with a query per replyBatch of them.
func (s *Store) posts(ctx context.Context, ids []int64) ([]Post, error) {
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	posts := make([]Post, len(ids))
	found := 0
	for from := 0; from < len(ids); from += replyBatch {
		chunk := ids[from:min(len(ids), from+replyBatch)]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.q.Query(ctx, "SELECT "+postColumns+" FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id IN ("+sqldb.Placeholders(len(chunk))+")", args...)
		err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
			p, err := scanPost(r)
			posts[at[p.ID]] = p
			found++
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("load posts: %w", err)
		}
	}
	if found != len(ids) {
		return nil, fmt.Errorf("load posts: %d of %d found", found, len(ids))
	}
	return posts, nil
}

// postVisibility is the SQL condition on posts p for what the viewer sees:
// moderators everything; others no held or hidden posts but their own.
// Deleted posts stay, shown as a placeholder, so the thread keeps its shape.
func postVisibility(v community.Viewer) (string, []any) {
	if v.CanModerate() {
		return "", nil
	}
	if v.User == nil {
		return " AND p.held = FALSE AND p.hidden_at IS NULL", nil
	}
	return " AND ((p.held = FALSE AND p.hidden_at IS NULL) OR p.author_id = ?)", []any{v.User.ID}
}

// Posts returns a page of a thread's replies as the viewer may see them,
// oldest first, with their reactions, and how many there are.
func (s *Store) Posts(ctx context.Context, o Opened, limit, offset int) ([]Post, int, error) {
	cond, args := postVisibility(o.Viewer)
	args = append([]any{o.Thread.ID}, args...)
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM posts p WHERE p.thread_id = ?"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count posts of %d: %w", o.Thread.ID, err)
	}
	rows, err := s.q.Query(ctx, "SELECT "+postColumns+" FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.thread_id = ?"+cond+
		" ORDER BY p.created_at, p.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	posts, err := sqldb.Collect(rows, err, scanPost)
	if err != nil {
		return nil, 0, fmt.Errorf("list posts of %d: %w", o.Thread.ID, err)
	}
	if err := s.decoratePosts(ctx, o, posts); err != nil {
		return nil, 0, err
	}
	return posts, total, nil
}

// decoratePosts adds reaction counts, the reader's own reactions, accepted
// answers and quoted excerpts to a page of posts with three queries.
func (s *Store) decoratePosts(ctx context.Context, o Opened, posts []Post) error {
	if len(posts) == 0 {
		return nil
	}
	ids := make([]any, len(posts))
	byID := map[int64]*Post{}
	var quoted []any
	for i := range posts {
		ids[i] = posts[i].ID
		byID[posts[i].ID] = &posts[i]
		posts[i].Accepted = posts[i].ID == o.Thread.AcceptedPostID
		if posts[i].QuoteOf != 0 {
			quoted = append(quoted, posts[i].QuoteOf)
		}
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	rows, err := s.q.Query(ctx, "SELECT target_id, COUNT(*) FROM reactions WHERE target_kind = 'post' AND kind = 'helpful' AND target_id IN "+in+" GROUP BY target_id", ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		byID[id].Helpful = n
	}
	rows.Close()
	if o.Viewer.User != nil {
		rows, err := s.q.Query(ctx, "SELECT target_id FROM reactions WHERE target_kind = 'post' AND kind = 'helpful' AND user_id = ? AND target_id IN "+in,
			append([]any{o.Viewer.User.ID}, ids...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			byID[id].ViewerLikes = true
		}
		rows.Close()
	}
	if len(quoted) > 0 {
		rows, err := s.q.Query(ctx, "SELECT p.id, p.body, COALESCE(u.name, ''), p.deleted_at IS NOT NULL OR p.hidden_at IS NOT NULL FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id IN ("+sqldb.Placeholders(len(quoted))+")", quoted...)
		if err != nil {
			return err
		}
		excerpts := map[int64][2]string{}
		for rows.Next() {
			var id int64
			var body, name string
			var gone bool
			if err := rows.Scan(&id, &body, &name, &gone); err != nil {
				rows.Close()
				return err
			}
			if gone {
				body = ""
			}
			excerpts[id] = [2]string{markdown.Plain(body, 200), name}
		}
		rows.Close()
		for i := range posts {
			if e, ok := excerpts[posts[i].QuoteOf]; ok {
				posts[i].QuoteExcerpt, posts[i].QuoteAuthor = e[0], e[1]
			}
		}
	}
	return nil
}

// EditPost changes a reply's text; only its author may.
func (s *Store) EditPost(ctx context.Context, o Opened, p Post, body string) (Post, error) {
	if o.Viewer.User == nil || o.Viewer.User.ID != p.AuthorID || p.DeletedAt != nil {
		return Post{}, account.ErrForbidden
	}
	body, err := validateBody(body)
	if err != nil {
		return Post{}, err
	}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		now := time.Now().UTC()
		if _, err := tx.Exec(ctx, "UPDATE posts SET body = ?, body_html = ?, edited_at = ? WHERE id = ?", body, markdown.Render(body), now, p.ID); err != nil {
			return err
		}
		if err := search.IndexPost(ctx, tx, p.ID); err != nil {
			return err
		}
		if err := NewStore(tx).recordMentions(ctx, o.Community.ID, KindPost, p.ID, body, now, true); err != nil {
			return err
		}
		p, err = NewStore(tx).Post(ctx, p.ID)
		return err
	})
	return p, err
}

// ListOptions orders and pages a thread list.
type ListOptions struct {
	Sort   string
	Limit  int
	Offset int
}

// threadVisibility is the SQL condition on threads t for what the viewer
// sees in lists.
func threadVisibility(v community.Viewer) (string, []any) {
	if v.CanModerate() {
		return " AND t.deleted_at IS NULL", nil
	}
	if v.User == nil {
		return " AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.held = FALSE", nil
	}
	return " AND t.deleted_at IS NULL AND ((t.hidden_at IS NULL AND t.held = FALSE) OR t.author_id = ?)", []any{v.User.ID}
}

// Threads lists a community's threads for a reader who may read inside it:
// pinned ones first, then by the chosen order.
func (s *Store) Threads(ctx context.Context, c community.Community, v community.Viewer, opt ListOptions) ([]Thread, int, error) {
	cond, args := threadVisibility(v)
	args = append([]any{c.ID}, args...)
	order := " ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC"
	switch opt.Sort {
	case SortNewest:
		order = " ORDER BY t.pinned DESC, t.created_at DESC, t.id DESC"
	case SortUnanswered:
		cond += " AND t.is_question = TRUE AND t.accepted_post_id IS NULL"
		order = " ORDER BY t.created_at DESC, t.id DESC"
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM threads t WHERE t.community_id = ?"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count threads of %d: %w", c.ID, err)
	}
	rows, err := s.q.Query(ctx, "SELECT "+threadColumns+threadFrom+" WHERE t.community_id = ?"+cond+order+" LIMIT ? OFFSET ?", append(args, opt.Limit, opt.Offset)...)
	list, err := sqldb.Collect(rows, err, scanThread)
	if err != nil {
		return nil, 0, fmt.Errorf("list threads of %d: %w", c.ID, err)
	}
	ptrs := make([]*Thread, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, total, s.countThreads(ctx, ptrs, false)
}

// countThreads fills in reply and reaction counts of threads with two
// queries. Replies count what every reader sees: not held, hidden or
// deleted.
func (s *Store) countThreads(ctx context.Context, ts []*Thread, withResources bool) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]any, len(ts))
	byID := map[int64]*Thread{}
	for i, t := range ts {
		ids[i] = t.ID
		byID[t.ID] = t
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	count := func(query string, set func(t *Thread, n int)) error {
		rows, err := s.q.Query(ctx, query, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			set(byID[id], n)
		}
		return rows.Err()
	}
	if err := count("SELECT thread_id, COUNT(*) FROM posts WHERE held = FALSE AND hidden_at IS NULL AND deleted_at IS NULL AND thread_id IN "+in+" GROUP BY thread_id",
		func(t *Thread, n int) { t.Replies = n }); err != nil {
		return fmt.Errorf("count replies: %w", err)
	}
	if err := count("SELECT target_id, COUNT(*) FROM reactions WHERE target_kind = 'thread' AND kind = 'helpful' AND target_id IN "+in+" GROUP BY target_id",
		func(t *Thread, n int) { t.Helpful = n }); err != nil {
		return fmt.Errorf("count reactions: %w", err)
	}
	if withResources {
		rows, err := s.q.Query(ctx, "SELECT thread_id, resource_id FROM thread_resources WHERE thread_id IN "+in+" ORDER BY resource_id", ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tid, rid int64
			if err := rows.Scan(&tid, &rid); err != nil {
				return err
			}
			byID[tid].Resource = append(byID[tid].Resource, rid)
		}
	}
	return nil
}

// ThreadsCreatedBetween counts a community's threads and replies that every
// reader sees, written in a period; reports use it.
func (s *Store) ThreadsCreatedBetween(ctx context.Context, communityID int64, from, to time.Time) (threads, posts int, err error) {
	err = s.q.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM threads WHERE community_id = ? AND deleted_at IS NULL AND hidden_at IS NULL AND held = FALSE AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(*) FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.community_id = ? AND t.deleted_at IS NULL
			AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND p.held = FALSE AND p.created_at >= ? AND p.created_at < ?)`,
		communityID, from, to, communityID, from, to).Scan(&threads, &posts)
	return threads, posts, err
}

// Recent returns a community's newest threads that every reader sees, for
// its home page and feed.
func (s *Store) Recent(ctx context.Context, communityID int64, limit int) ([]Thread, error) {
	rows, err := s.q.Query(ctx, "SELECT "+threadColumns+threadFrom+` WHERE t.community_id = ? AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.held = FALSE
		ORDER BY t.created_at DESC, t.id DESC LIMIT ?`, communityID, limit)
	return sqldb.Collect(rows, err, scanThread)
}

// LinkResource records that a thread discusses a library resource of the
// same community.
func (s *Store) LinkResource(ctx context.Context, o Opened, resourceID int64) error {
	if o.Viewer.User == nil || o.Viewer.User.ID != o.Thread.AuthorID && !o.Viewer.CanModerate() {
		return account.ErrForbidden
	}
	var cid int64
	err := s.q.QueryRow(ctx, "SELECT community_id FROM resources WHERE id = ? AND deleted_at IS NULL", resourceID).Scan(&cid)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && cid != o.Community.ID {
		return validation.Field("resource_id", "discussion.error.resource")
	}
	if err != nil {
		return err
	}
	_, err = s.q.Exec(ctx, "INSERT INTO thread_resources (thread_id, resource_id) VALUES (?, ?) ON CONFLICT DO NOTHING", o.Thread.ID, resourceID)
	return err
}

// ThreadsAbout lists the visible threads that discuss a resource.
func (s *Store) ThreadsAbout(ctx context.Context, resourceID int64) ([]Thread, error) {
	rows, err := s.q.Query(ctx, "SELECT "+threadColumns+threadFrom+` JOIN thread_resources r ON r.thread_id = t.id
		WHERE r.resource_id = ? AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.held = FALSE ORDER BY t.created_at DESC LIMIT 20`, resourceID)
	return sqldb.Collect(rows, err, scanThread)
}

// recordMentions stores the members of the community that a text mentions
// as "@Full Name"; for an edit (replace), instead of what the target
// mentioned before. A new text has none before: a statement saved on
// every thread and reply written.
func (s *Store) recordMentions(ctx context.Context, communityID int64, kind string, id int64, body string, at time.Time, replace bool) error {
	if replace {
		if _, err := s.q.Exec(ctx, "DELETE FROM mentions WHERE target_kind = ? AND target_id = ?", kind, id); err != nil {
			return err
		}
	}
	candidates := mentionCandidates(body)
	if len(candidates) == 0 {
		return nil
	}
	args := []any{communityID}
	for _, c := range candidates {
		args = append(args, c)
	}
	rows, err := s.q.Query(ctx, `SELECT DISTINCT u.id FROM users u JOIN memberships m ON m.user_id = u.id
		WHERE m.community_id = ? AND m.left_at IS NULL AND lower(u.name) IN (`+sqldb.Placeholders(len(candidates))+")", args...)
	ids, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("find mentions: %w", err)
	}
	for _, uid := range ids {
		if _, err := s.q.Exec(ctx, "INSERT INTO mentions (target_kind, target_id, user_id, created_at) VALUES (?, ?, ?, ?)", kind, id, uid, at); err != nil {
			return err
		}
	}
	return nil
}

// Mentioned returns the ids of the members a thread or post mentions.
func (s *Store) Mentioned(ctx context.Context, kind string, id int64) ([]int64, error) {
	rows, err := s.q.Query(ctx, "SELECT user_id FROM mentions WHERE target_kind = ? AND target_id = ? ORDER BY user_id", kind, id)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// mentionCandidates returns, for every "@" in a text, the lower-cased
// phrases of one to four words after it: "@Ana Paula Souza says" gives
// "ana", "ana paula", "ana paula souza" and "ana paula souza says". Names are
// matched against members, so extra words match nothing.
func mentionCandidates(body string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(body); i++ {
		if body[i] != '@' || i > 0 && isWordByte(body[i-1]) {
			continue
		}
		words := strings.FieldsFunc(body[i+1:min(len(body), i+1+120)], func(r rune) bool {
			return !(r == '-' || r == '\'' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127)
		})
		rest := body[i+1:]
		phrase := ""
		for n, w := range words {
			if n == 4 || !strings.HasPrefix(strings.TrimLeft(rest, " "), w) {
				break
			}
			rest = strings.TrimLeft(rest, " ")[len(w):]
			if phrase != "" {
				phrase += " "
			}
			phrase += strings.ToLower(strings.TrimRight(w, ".'"))
			if !seen[phrase] {
				seen[phrase] = true
				out = append(out, phrase)
			}
			if !strings.HasPrefix(rest, " ") {
				break
			}
		}
		if len(out) > 200 {
			break
		}
	}
	return out
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '_'
}
