package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
)

// DigestProvider supplies what is new in a community for digests: each
// capability with something to tell (threads, resources, solutions,
// upcoming events, pending requests for managers) registers one in the
// application's table.
type DigestProvider interface {
	// DigestItems returns the items of the community that the member may
	// see and that are new between r.From (inclusive) and r.To (exclusive).
	// q is the digest's transaction.
	DigestItems(ctx context.Context, q sqldb.Querier, r DigestRequest) ([]DigestItem, error)
}

// DigestRequest asks a provider for a member's items of one community.
type DigestRequest struct {
	UserID      int64
	CommunityID int64
	From, To    time.Time
	Language    string // the member's language, for any text the provider writes
}

// DigestItem is one line of a digest.
type DigestItem struct {
	Title string    // in its original language
	URL   string    // a site path or an absolute URL
	Note  string    // under the title, in the member's language ("New thread by Ana")
	At    time.Time // items are listed in time order
}

// DigestHour is the local hour, in each member's time zone, at which daily
// and weekly (Monday) digests go out.
const DigestHour = 7

// maxDigestItems is how many items of one community a digest lists; a link
// to the community stands for the rest.
const maxDigestItems = 20

// Digests prepares and sends digests: a planner, run periodically, that
// schedules each member's next daily or weekly digest at DigestHour in
// their time zone (a job unique per member, frequency and period), and the
// worker that writes it when its time comes, unless there is nothing new.
type Digests struct {
	Notifier  *Notifier
	DB        *sqldb.DB
	Providers []DigestProvider
	Log       *slog.Logger
}

// DigestArgs are the arguments of the job that prepares one digest.
type DigestArgs struct {
	UserID    int64     `json:"user_id"`
	Frequency Frequency `json:"frequency"`
	PeriodEnd time.Time `json:"period_end"` // the time it is due, UTC, to the minute
}

// Kind is the River job kind of digests.
func (DigestArgs) Kind() string { return "notify_digest" }

// InsertOpts gives a digest a few attempts: a digest that fails for hours
// is stale.
func (DigestArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// Schedule schedules the digest of frequency f for the member at the time
// at, once; a time already past is not scheduled.
func (d *Digests) Schedule(ctx context.Context, tx *sqldb.Tx, userID int64, f Frequency, at time.Time) (bool, error) {
	at = at.UTC().Truncate(time.Minute)
	return jobs.ScheduleOnce(ctx, tx, DigestArgs{UserID: userID, Frequency: f, PeriodEnd: at}, at)
}

// nextDigest returns the next time after now that a digest of frequency f
// is due in loc.
func nextDigest(now time.Time, loc *time.Location, f Frequency) time.Time {
	t := now.In(loc)
	next := time.Date(t.Year(), t.Month(), t.Day(), DigestHour, 0, 0, 0, loc)
	if !next.After(t) {
		next = next.AddDate(0, 0, 1)
	}
	if f == Weekly {
		for next.Weekday() != time.Monday {
			next = next.AddDate(0, 0, 1)
		}
	}
	return next
}

// planHorizon is how far ahead the planner schedules digests; it runs more
// often than that, so each digest is scheduled before it is due.
const planHorizon = time.Hour

// PlanInterval is how often the planner runs.
const PlanInterval = 15 * time.Minute

// digestLogKept is how long the record of past digests is kept: far
// longer than the four periods a digest looks back.
const digestLogKept = 60 * 24 * time.Hour

// Plan schedules the digests due within the next hour: the weekly one of
// every member who receives digests and belongs to a community or has
// notifications, and the daily one of those with a community set to
// daily. It also forgets digests older than digestLogKept.
func (d *Digests) Plan(ctx context.Context) error {
	now := time.Now()
	if _, err := d.DB.Exec(ctx, "DELETE FROM digests WHERE period_end < ?", now.Add(-digestLogKept)); err != nil {
		return fmt.Errorf("forget old digests: %w", err)
	}
	rows, err := d.DB.Query(ctx, `SELECT u.id, u.timezone,
			EXISTS (SELECT 1 FROM digest_settings s WHERE s.user_id = u.id AND s.frequency = ?)
		FROM users u
		WHERE u.disabled_at IS NULL AND u.email_verified_at IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM notification_settings n WHERE n.user_id = u.id AND n.category = ? AND n.delivery = ?)
		AND (EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.left_at IS NULL)
			OR EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.created_at > ?))`,
		string(Daily), CategoryDigest, string(Off), now.Add(-Weekly.period()))
	type member struct {
		id    int64
		tz    string
		daily bool
	}
	members, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (member, error) {
		var m member
		return m, s.Scan(&m.id, &m.tz, &m.daily)
	})
	if err != nil {
		return fmt.Errorf("plan digests: %w", err)
	}
	type due struct {
		user int64
		f    Frequency
		at   time.Time
	}
	var plan []due
	for _, m := range members {
		loc := time.UTC
		if l, err := time.LoadLocation(m.tz); err == nil && m.tz != "" {
			loc = l
		}
		fs := []Frequency{Weekly}
		if m.daily {
			fs = append(fs, Daily)
		}
		for _, f := range fs {
			if at := nextDigest(now, loc, f); at.Sub(now) <= planHorizon {
				plan = append(plan, due{m.id, f, at})
			}
		}
	}
	if len(plan) == 0 {
		return nil
	}
	return d.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		for _, p := range plan {
			if _, err := d.Schedule(ctx, tx, p.user, p.f, p.at); err != nil {
				return err
			}
		}
		return nil
	})
}

// Worker returns the River worker that prepares digests.
func (d *Digests) Worker() jobs.Worker { return jobs.Work[DigestArgs](&digestWorker{d: d}) }

type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	d *Digests
}

func (w *digestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	_, err := w.d.Prepare(ctx, job.Args)
	return err
}

// Prepare writes the digest of args and returns how many items it holds: 0
// when there was nothing new, or it was prepared before, or the member no
// longer receives digests; then no e-mail is sent.
func (d *Digests) Prepare(ctx context.Context, args DigestArgs) (int, error) {
	if args.Frequency != Daily && args.Frequency != Weekly {
		return 0, river.JobCancel(fmt.Errorf("digest frequency %q", args.Frequency))
	}
	total := 0
	err := d.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		// The row is the digest's once-only record: a second run of the job
		// finds it and stops.
		res, err := tx.Exec(ctx, `INSERT INTO digests (user_id, frequency, period_end, items, created_at) VALUES (?, ?, ?, 0, ?)
			ON CONFLICT (user_id, frequency, period_end) DO NOTHING`, args.UserID, string(args.Frequency), args.PeriodEnd, time.Now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		u, err := account.NewStore(tx).User(ctx, args.UserID)
		if errors.Is(err, sqldb.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		st := NewSettings(tx)
		digest, _ := d.Notifier.Category(CategoryDigest)
		if on, err := st.delivery(ctx, u.ID, digest); err != nil || on == Off || u.DisabledAt != nil {
			return err
		}
		from, err := d.windowStart(ctx, tx, args)
		if err != nil {
			return err
		}
		r := recipient{userID: u.ID, email: u.Email, name: u.Name, lang: u.Language, loc: u.Location()}
		if !i18n.Supported(r.lang) {
			r.lang = i18n.Default
		}
		l := i18n.For(r.lang)
		sections, n, err := d.sections(ctx, tx, st, r, l, args, from)
		if err != nil || n == 0 {
			return err
		}
		total = n
		content := mail.Content{
			Lang: l.Lang(), SiteName: d.Notifier.SiteName, Greeting: greeting(l, r.name),
			Paragraphs: []string{l.T("notify.digest.intro_"+string(args.Frequency), d.Notifier.SiteName)},
			Sections:   sections, Signature: l.T("mail.signature", d.Notifier.SiteName),
		}
		msg := mail.Message{To: r.email, ToName: r.name, UserID: r.userID, Category: CategoryDigest, Language: l.Lang(),
			Subject: l.T("notify.digest.subject_"+string(args.Frequency), d.Notifier.SiteName)}
		if msg.UnsubscribeURL, content.Footer, err = d.Notifier.footer(ctx, tx, l, r, digest); err != nil {
			return err
		}
		msg.Text, msg.HTML = mail.Compose(content)
		id, err := mail.Enqueue(ctx, tx, msg)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE digests SET items = ?, outbox_id = ? WHERE user_id = ? AND frequency = ? AND period_end = ?",
			n, id, args.UserID, string(args.Frequency), args.PeriodEnd)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("digest %s of %d for %v: %w", args.Frequency, args.UserID, args.PeriodEnd, err)
	}
	return total, nil
}

// windowStart is where a digest's window begins: the end of the member's
// previous digest of the same frequency, or one period back for the first
// one, and never more than four periods back.
func (d *Digests) windowStart(ctx context.Context, tx *sqldb.Tx, args DigestArgs) (time.Time, error) {
	period := args.Frequency.period()
	from := args.PeriodEnd.Add(-period)
	// A plain column, not MAX(): SQLite reads it back as a time only when
	// it knows the column's type.
	var prev time.Time
	err := tx.QueryRow(ctx, `SELECT period_end FROM digests WHERE user_id = ? AND frequency = ? AND period_end < ?
		ORDER BY period_end DESC LIMIT 1`, args.UserID, string(args.Frequency), args.PeriodEnd).Scan(&prev)
	switch {
	case errors.Is(err, sqldb.ErrNotFound):
	case err != nil:
		return from, err
	case prev.After(args.PeriodEnd.Add(-4 * period)):
		from = prev
	}
	return from, nil
}

// sections gathers a digest: a section per community of the member's set
// to the digest's frequency, from the providers, and the member's
// notifications of the categories they chose to receive in their digest,
// which go into their most frequent digest.
func (d *Digests) sections(ctx context.Context, tx *sqldb.Tx, st *Settings, r recipient, l *i18n.Localizer, args DigestArgs, from time.Time) ([]mail.Section, int, error) {
	communities, err := st.Communities(ctx, r.userID)
	if err != nil {
		return nil, 0, err
	}
	var sections []mail.Section
	total := 0
	personal := Weekly
	for _, c := range communities {
		if c.Frequency == Daily {
			personal = Daily
		}
		if c.Frequency != args.Frequency {
			continue
		}
		var items []DigestItem
		for _, p := range d.Providers {
			got, err := p.DigestItems(ctx, tx, DigestRequest{UserID: r.userID, CommunityID: c.CommunityID, From: from, To: args.PeriodEnd, Language: l.Lang()})
			if err != nil {
				return nil, 0, fmt.Errorf("digest items of community %d: %w", c.CommunityID, err)
			}
			items = append(items, got...)
		}
		if len(items) == 0 {
			continue
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].At.Before(items[j].At) })
		total += len(items)
		s := mail.Section{Heading: c.Name}
		for i, it := range items {
			if i == maxDigestItems {
				s.Items = append(s.Items, mail.Item{Title: l.N("notify.digest.more", len(items)-maxDigestItems), URL: d.Notifier.url("/communities/" + c.Slug)})
				break
			}
			s.Items = append(s.Items, mail.Item{Title: it.Title, URL: d.Notifier.url(it.URL), Note: it.Note})
		}
		sections = append(sections, s)
	}
	if personal == args.Frequency {
		items, err := d.personal(ctx, tx, st, r, from, args.PeriodEnd)
		if err != nil {
			return nil, 0, err
		}
		if len(items) > 0 {
			total += len(items)
			sections = append([]mail.Section{{Heading: l.T("notify.digest.for_you"), Items: items}}, sections...)
		}
	}
	return sections, total, nil
}

// personal lists the member's notifications in [from, to) of the
// categories they receive in their digest.
func (d *Digests) personal(ctx context.Context, tx *sqldb.Tx, st *Settings, r recipient, from, to time.Time) ([]mail.Item, error) {
	deliveries, err := st.Deliveries(ctx, r.userID, d.Notifier.categories())
	if err != nil {
		return nil, err
	}
	var cats []any
	for key, dv := range deliveries {
		if dv == InDigest {
			cats = append(cats, key)
		}
	}
	if len(cats) == 0 {
		return nil, nil
	}
	args := append([]any{r.userID, from, to}, cats...)
	rows, err := tx.Query(ctx, "SELECT "+notificationColumns+` FROM notifications
		WHERE user_id = ? AND created_at >= ? AND created_at < ? AND category IN (`+sqldb.Placeholders(len(cats))+`)
		ORDER BY created_at, id LIMIT ?`, append(args, maxDigestItems)...)
	list, err := sqldb.Collect(rows, err, scanNotification)
	if err != nil {
		return nil, fmt.Errorf("digest notifications of %d: %w", r.userID, err)
	}
	items := make([]mail.Item, 0, len(list))
	for _, n := range list {
		items = append(items, mail.Item{Title: n.Title, URL: d.Notifier.url(n.URL), Note: n.Body})
	}
	return items, nil
}
