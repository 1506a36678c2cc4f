package discussion

import (
	"context"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// WithNotifier returns a store that also tells people of what happens:
// followers of a thread of its replies, members of their mentions, authors
// of what moderators did, and a community's followers of new threads.
// Without one (the demo, imports of history) nothing is sent.
func (s *Store) WithNotifier(n *notify.Notifier) *Store { return &Store{q: s.q, n: n} }

func threadPath(id int64) string { return "/threads/" + strconv.FormatInt(id, 10) }

// afterThread tells the community's followers of a new thread, and the
// members it mentions.
func (s *Store) afterThread(ctx context.Context, tx *sqldb.Tx, c community.Community, t Thread) error {
	if s.n == nil || t.Held {
		return nil
	}
	if err := s.n.Announce(ctx, tx, notify.Announcement{CommunityID: c.ID, AuthorID: t.AuthorID, Title: t.Title,
		URL: threadPath(t.ID), What: "discussion.notify.new_thread"}); err != nil {
		return err
	}
	return s.tellMentioned(ctx, tx, c, KindThread, t.ID, t.AuthorID, t.AuthorName, t.Title, threadPath(t.ID), nil)
}

// afterReply tells the thread's followers of a reply, and the members it
// mentions; a follower who is mentioned gets the mention only.
func (s *Store) afterReply(ctx context.Context, tx *sqldb.Tx, o Opened, p Post) error {
	if s.n == nil || p.Held {
		return nil
	}
	url := threadPath(o.Thread.ID) + "#post-" + strconv.FormatInt(p.ID, 10)
	told := map[int64]bool{}
	if err := s.tellMentioned(ctx, tx, o.Community, KindPost, p.ID, p.AuthorID, p.AuthorName, o.Thread.Title, url, told); err != nil {
		return err
	}
	followers, err := NewStore(tx).Followers(ctx, KindThread, o.Thread.ID)
	if err != nil {
		return err
	}
	for _, uid := range followers {
		if uid == p.AuthorID || told[uid] {
			continue
		}
		if _, err := s.n.Send(ctx, tx, notify.Message{UserID: uid, Category: notify.CategoryReply, CommunityID: o.Community.ID,
			Subject:    notify.T("discussion.notify.reply_subject", o.Thread.Title),
			Paragraphs: []notify.Text{notify.T("discussion.notify.reply_intro", p.AuthorName, o.Thread.Title), notify.T("discussion.notify.quote", excerpt(p.Body))},
			Action:     notify.T("discussion.notify.open"), URL: url}); err != nil {
			return err
		}
	}
	return nil
}

// tellMentioned notifies the members a message mentions, except its
// author, and notes whom it told.
func (s *Store) tellMentioned(ctx context.Context, tx *sqldb.Tx, c community.Community, kind string, id, authorID int64, author, title, url string, told map[int64]bool) error {
	ids, err := NewStore(tx).Mentioned(ctx, kind, id)
	if err != nil {
		return err
	}
	for _, uid := range ids {
		if uid == authorID {
			continue
		}
		if told != nil {
			told[uid] = true
		}
		if _, err := s.n.Send(ctx, tx, notify.Message{UserID: uid, Category: notify.CategoryMention, CommunityID: c.ID,
			Subject:    notify.T("discussion.notify.mention_subject", author),
			Paragraphs: []notify.Text{notify.T("discussion.notify.mention_intro", author, title)},
			Action:     notify.T("discussion.notify.open"), URL: url}); err != nil {
			return err
		}
	}
	return nil
}

// afterModeration tells an author what a moderator did with their message:
// approved it, or hid it.
func (s *Store) afterModeration(ctx context.Context, tx *sqldb.Tx, o Opened, authorID int64, action, url string) error {
	if s.n == nil || authorID == 0 || o.Viewer.User != nil && authorID == o.Viewer.User.ID {
		return nil
	}
	key := ""
	switch action {
	case ActionApprove:
		key = "discussion.notify.approved"
	case ActionHide:
		key = "discussion.notify.hidden"
	default:
		return nil
	}
	_, err := s.n.Send(ctx, tx, notify.Message{UserID: authorID, Category: notify.CategoryModeration, CommunityID: o.Community.ID,
		Subject: notify.T(key+"_subject", o.Community.Name), Paragraphs: []notify.Text{notify.T(key, o.Thread.Title, o.Community.Name)},
		Action: notify.T("discussion.notify.open"), URL: url})
	return err
}

func excerpt(body string) string {
	r := []rune(body)
	if len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return body
}

// DigestProvider lists a community's new threads for the members' digests.
type DigestProvider struct{}

// DigestItems returns the threads of the community that every reader may
// see, started in the period. The digest only asks about communities the
// member belongs to, so members-only communities are fine.
func (DigestProvider) DigestItems(ctx context.Context, q sqldb.Querier, r notify.DigestRequest) ([]notify.DigestItem, error) {
	rows, err := q.Query(ctx, `SELECT t.id, t.title, COALESCE(u.name, ''), t.created_at FROM threads t LEFT JOIN users u ON u.id = t.author_id
		WHERE t.community_id = ? AND t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.held = FALSE AND t.created_at >= ? AND t.created_at < ?
		ORDER BY t.created_at LIMIT 50`, r.CommunityID, r.From, r.To)
	return sqldb.Collect(rows, err, func(sc sqldb.Scanner) (notify.DigestItem, error) {
		var id int64
		var it notify.DigestItem
		var author string
		var at time.Time
		err := sc.Scan(&id, &it.Title, &author, &at)
		it.URL, it.At, it.Note = threadPath(id), at, noteFor(r.Language, "discussion.notify.digest_note", author)
		return it, err
	})
}

func noteFor(lang, key string, args ...any) string { return i18n.For(lang).T(key, args...) }
