package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Notification is an in-app notification: a line under the bell.
type Notification struct {
	ID          int64
	UserID      int64
	Category    string
	CommunityID int64
	Title       string
	Body        string
	URL         string // a site path
	CreatedAt   time.Time
	ReadAt      *time.Time
}

// Unread reports whether the member has not opened it.
func (n Notification) Unread() bool { return n.ReadAt == nil }

type notification = Notification

// Inbox holds members' in-app notifications.
type Inbox struct{ q sqldb.Querier }

// NewInbox returns the notifications read and written through q.
func NewInbox(q sqldb.Querier) *Inbox { return &Inbox{q: q} }

func (b *Inbox) add(ctx context.Context, n notification) (int64, error) {
	var community any
	if n.CommunityID != 0 {
		community = n.CommunityID
	}
	var id int64
	err := b.q.QueryRow(ctx, `INSERT INTO notifications (user_id, category, community_id, title, body, url, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.UserID, n.Category, community, n.Title, n.Body, n.URL, time.Now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add notification for %d: %w", n.UserID, err)
	}
	return id, nil
}

// MaxUnread is the most the bell counts; beyond it shows "99+".
const MaxUnread = 99

// UnreadCount returns how many notifications the member has not opened, up
// to MaxUnread+1: one cheap query on a partial index, run on every page a
// member sees.
func (b *Inbox) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := b.q.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS unread`,
		userID, MaxUnread+1).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications of %d: %w", userID, err)
	}
	return n, nil
}

const notificationColumns = "id, user_id, category, COALESCE(community_id, 0), title, body, url, created_at, read_at"

func scanNotification(s sqldb.Scanner) (Notification, error) {
	var n Notification
	err := s.Scan(&n.ID, &n.UserID, &n.Category, &n.CommunityID, &n.Title, &n.Body, &n.URL, &n.CreatedAt, &n.ReadAt)
	return n, err
}

// List returns a page of the member's notifications, newest first, and how
// many there are; unreadOnly leaves out those opened.
func (b *Inbox) List(ctx context.Context, userID int64, unreadOnly bool, limit, offset int) ([]Notification, int, error) {
	where := " WHERE user_id = ?"
	if unreadOnly {
		where += " AND read_at IS NULL"
	}
	var total int
	if err := b.q.QueryRow(ctx, "SELECT COUNT(*) FROM notifications"+where, userID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count notifications of %d: %w", userID, err)
	}
	rows, err := b.q.Query(ctx, "SELECT "+notificationColumns+" FROM notifications"+where+" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
		userID, limit, offset)
	list, err := sqldb.Collect(rows, err, scanNotification)
	if err != nil {
		return nil, 0, fmt.Errorf("list notifications of %d: %w", userID, err)
	}
	return list, total, nil
}

// Open marks one of the member's notifications read and returns it;
// sqldb.ErrNotFound when it is not theirs.
func (b *Inbox) Open(ctx context.Context, userID, id int64) (Notification, error) {
	n, err := scanNotification(b.q.QueryRow(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?)
		WHERE id = ? AND user_id = ? RETURNING `+notificationColumns, time.Now(), id, userID))
	if err != nil {
		return Notification{}, fmt.Errorf("open notification %d: %w", id, err)
	}
	return n, nil
}

// MarkRead marks the member's notifications read: those of ids, or all of
// them when ids is empty. It returns how many it marked.
func (b *Inbox) MarkRead(ctx context.Context, userID int64, ids []int64) (int, error) {
	query, args := "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", []any{time.Now(), userID}
	if len(ids) > 0 {
		query += " AND id IN (" + sqldb.Placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	res, err := b.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("mark notifications of %d read: %w", userID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
