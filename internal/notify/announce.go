package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
)

// Announcement is something new in a community (a thread, a resource, an
// event), told at once to the members who follow that community item by
// item; the others read of it in their digest.
type Announcement struct {
	CommunityID int64  `json:"community_id"`
	AuthorID    int64  `json:"author_id"` // not told of their own item
	Title       string `json:"title"`     // in its original language
	URL         string `json:"url"`       // a site path
	// What is the message key naming the kind of item in a sentence ("a
	// new thread"), translated for each member.
	What string `json:"what"`
}

// AnnounceArgs are the arguments of the job that tells members of an
// announcement.
type AnnounceArgs struct {
	Announcement
}

// Kind is the River job kind of announcements.
func (AnnounceArgs) Kind() string { return "notify_announce" }

// Announce enqueues, in tx, the job that tells each member of the
// community who follows it item by item: one job however many members, so
// that posting stays quick.
func (n *Notifier) Announce(ctx context.Context, tx *sqldb.Tx, a Announcement) error {
	_, err := jobs.Insert(ctx, tx, AnnounceArgs{a}, nil)
	return err
}

// AnnounceWorker returns the River worker that sends announcements.
func (n *Notifier) AnnounceWorker(db *sqldb.DB) jobs.Worker {
	return jobs.Work[AnnounceArgs](&announceWorker{n: n, db: db})
}

type announceWorker struct {
	river.WorkerDefaults[AnnounceArgs]
	n  *Notifier
	db *sqldb.DB
}

// Work writes one e-mail per member who follows the community item by item
// and receives digests, in one transaction.
func (w *announceWorker) Work(ctx context.Context, job *river.Job[AnnounceArgs]) error {
	a := job.Args.Announcement
	digest, _ := w.n.Category(CategoryDigest)
	return w.db.InTx(ctx, func(tx *sqldb.Tx) error {
		var community string
		if err := tx.QueryRow(ctx, "SELECT name FROM communities WHERE id = ?", a.CommunityID).Scan(&community); err != nil {
			return fmt.Errorf("announce in community %d: %w", a.CommunityID, err)
		}
		rows, err := tx.Query(ctx, `SELECT u.id, u.email, u.name, u.ui_language, u.timezone
			FROM digest_settings d
			JOIN memberships m ON m.user_id = d.user_id AND m.community_id = d.community_id AND m.left_at IS NULL
			JOIN users u ON u.id = d.user_id
			WHERE d.community_id = ? AND d.frequency = ? AND u.id <> ? AND u.disabled_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM notification_settings n WHERE n.user_id = u.id AND n.category = ? AND n.delivery = ?)
			ORDER BY u.id`, a.CommunityID, string(EveryItem), a.AuthorID, CategoryDigest, string(Off))
		members, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (recipient, error) {
			var r recipient
			var tz string
			err := s.Scan(&r.userID, &r.email, &r.name, &r.lang, &tz)
			r.loc = time.UTC
			if l, lerr := time.LoadLocation(tz); lerr == nil && tz != "" {
				r.loc = l
			}
			if !i18n.Supported(r.lang) {
				r.lang = i18n.Default
			}
			return r, err
		})
		if err != nil {
			return fmt.Errorf("announce in community %d: %w", a.CommunityID, err)
		}
		for _, r := range members {
			l := i18n.For(r.lang)
			content := mail.Content{
				Lang: l.Lang(), SiteName: w.n.SiteName, Greeting: greeting(l, r.name),
				Paragraphs:  []string{l.T("notify.announce.intro", l.T(a.What), community), a.Title},
				ActionLabel: l.T("notify.announce.open"), ActionURL: w.n.url(a.URL),
				Signature: l.T("mail.signature", w.n.SiteName),
			}
			msg := mail.Message{To: r.email, ToName: r.name, UserID: r.userID, Category: CategoryDigest, Language: l.Lang(),
				Subject: l.T("notify.announce.subject", community, a.Title)}
			if msg.UnsubscribeURL, content.Footer, err = w.n.footer(ctx, tx, l, r, digest); err != nil {
				return err
			}
			msg.Text, msg.HTML = mail.Compose(content)
			if _, err := mail.Enqueue(ctx, tx, msg); err != nil {
				return err
			}
		}
		return nil
	})
}
