package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// community creates a community with the members given, straight in the
// tables: the digest machinery reads only these.
func community(t *testing.T, db *sqldb.DB, slug string, members ...int64) int64 {
	t.Helper()
	var id int64
	now := time.Now()
	if err := db.QueryRow(ctx, `INSERT INTO communities (slug, name, language, visibility, join_policy, created_at, updated_at)
		VALUES (?, ?, 'en', 'public', 'open', ?, ?) RETURNING id`, slug, "Community "+strings.ToUpper(slug), now, now).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, u := range members {
		if _, err := db.Exec(ctx, "INSERT INTO memberships (community_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)", id, u, now); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// provider is a digest provider of the tests: fixed items per community,
// of which it returns those in the window asked for.
type provider struct {
	mu    sync.Mutex
	items map[int64][]notify.DigestItem
	asked []notify.DigestRequest
}

func (p *provider) DigestItems(_ context.Context, _ sqldb.Querier, r notify.DigestRequest) ([]notify.DigestItem, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, r)
	var out []notify.DigestItem
	for _, it := range p.items[r.CommunityID] {
		if !it.At.Before(r.From) && it.At.Before(r.To) {
			out = append(out, it)
		}
	}
	return out, nil
}

func digests(db *sqldb.DB, p notify.DigestProvider) *notify.Digests {
	return &notify.Digests{Notifier: notifier(), DB: db, Providers: []notify.DigestProvider{p}, Log: slog.New(slog.DiscardHandler)}
}

func prepare(t *testing.T, d *notify.Digests, userID int64, f notify.Frequency, end time.Time) int {
	t.Helper()
	n, err := d.Prepare(ctx, notify.DigestArgs{UserID: userID, Frequency: f, PeriodEnd: end})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// digestMails returns the digests in the outbox of a member, oldest first.
func digestMails(t *testing.T, db *sqldb.DB, to string) []mail.Message {
	t.Helper()
	list, _, err := mail.NewOutbox(db).List(ctx, to, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []mail.Message
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Category == notify.CategoryDigest {
			out = append(out, outbox(t, db, list[i].ID))
		}
	}
	return out
}

// TestDigestPrepare: a digest gathers what is new in the member's
// communities of its frequency, and the notifications the member chose to
// get in their digest; it is written once, and not at all when there is
// nothing new or the member switched digests off.
func TestDigestPrepare(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ana := member(t, db, "ana@example.org", "fr", "Africa/Maputo")
		bo := member(t, db, "bo@example.org", "en", "")
		cy := member(t, db, "cy@example.org", "en", "")
		a := community(t, db, "a", ana.ID, bo.ID, cy.ID)
		b := community(t, db, "b", ana.ID)
		st := notify.NewSettings(db)
		if err := st.SetFrequency(ctx, ana.ID, b, notify.Daily); err != nil {
			t.Fatal(err)
		}
		if err := st.SetFrequency(ctx, bo.ID, a, notify.Never); err != nil {
			t.Fatal(err)
		}
		if err := st.SetFrequency(ctx, bo.ID, b, notify.Daily); err == nil {
			t.Error("a frequency was set for a community the member is not in")
		}
		digest, _ := notifier().Category(notify.CategoryDigest)
		if err := st.SetDelivery(ctx, cy.ID, digest, notify.Off); err != nil {
			t.Fatal(err)
		}

		end := time.Now().UTC().Truncate(time.Minute)
		p := &provider{items: map[int64][]notify.DigestItem{
			a: {
				{Title: "Too old", URL: "/threads/1", At: end.Add(-8 * 24 * time.Hour)},
				{Title: "Financement de la santé", URL: "/threads/2", Note: "Nouvelle discussion", At: end.Add(-2 * 24 * time.Hour)},
				{Title: "Webinar: EMTCT", URL: "/events/3", At: end.Add(-time.Hour)},
			},
			b: {{Title: "Toolkit", URL: "/resources/4", At: end.Add(-3 * time.Hour)}},
		}}
		d := digests(db, p)

		if n := prepare(t, d, ana.ID, notify.Weekly, end); n != 2 {
			t.Errorf("ana's weekly digest has %d items, want 2", n)
		}
		if n := prepare(t, d, ana.ID, notify.Weekly, end); n != 0 {
			t.Errorf("the same digest prepared again has %d items", n)
		}
		mails := digestMails(t, db, "ana@example.org")
		if len(mails) != 1 {
			t.Fatalf("%d digests for ana, want 1", len(mails))
		}
		m := mails[0]
		if m.Subject != "Votre résumé hebdomadaire de Harambee" || m.Language != "fr" || !strings.HasPrefix(m.UnsubscribeURL, "https://harambee.test/unsubscribe/") {
			t.Errorf("weekly digest: %q, %s, %q", m.Subject, m.Language, m.UnsubscribeURL)
		}
		for _, want := range []string{"Community A", "* Financement de la santé\n  https://harambee.test/threads/2\n  Nouvelle discussion", "* Webinar: EMTCT"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("weekly digest lacks %q:\n%s", want, m.Text)
			}
		}
		if strings.Contains(m.Text, "Too old") || strings.Contains(m.Text, "Toolkit") || strings.Contains(m.Text, "Community B") {
			t.Errorf("weekly digest holds what is not its own:\n%s", m.Text)
		}

		// A request notification, which ana gets in her digest by default,
		// goes to her daily digest, with community B's news.
		send(t, db, notifier(), notify.Message{UserID: ana.ID, Category: "request", Subject: notify.T("notify.list.title"), URL: "/communities/a/manage"})
		if n := prepare(t, d, ana.ID, notify.Daily, end.Add(time.Minute)); n != 2 {
			t.Errorf("ana's daily digest has %d items, want 2", n)
		}
		daily := digestMails(t, db, "ana@example.org")[1]
		if !strings.Contains(daily.Text, "Pour vous") || !strings.Contains(daily.Text, "https://harambee.test/communities/a/manage") ||
			!strings.Contains(daily.Text, "Toolkit") || daily.Subject != "Votre résumé quotidien de Harambee" {
			t.Errorf("daily digest:\n%s", daily.Text)
		}

		// Next week's digest starts where this one ended.
		p.items[a] = append(p.items[a], notify.DigestItem{Title: "Next week", URL: "/threads/9", At: end.Add(24 * time.Hour)})
		if n := prepare(t, d, ana.ID, notify.Weekly, end.Add(7*24*time.Hour)); n != 1 {
			t.Errorf("next weekly digest has %d items, want 1", n)
		}
		last := p.asked[len(p.asked)-1]
		if !last.From.Equal(end) || last.UserID != ana.ID || last.Language != "fr" {
			t.Errorf("provider asked %+v, want the window to start at %v", last, end)
		}

		// Nothing new, no e-mail; digests off, no e-mail.
		if n := prepare(t, d, bo.ID, notify.Weekly, end); n != 0 {
			t.Errorf("bo's digest has %d items", n)
		}
		if n := prepare(t, d, cy.ID, notify.Weekly, end); n != 0 {
			t.Errorf("cy's digest has %d items although digests are off", n)
		}
		for _, who := range []string{"bo@example.org", "cy@example.org"} {
			if got := digestMails(t, db, who); len(got) != 0 {
				t.Errorf("%d digests for %s, want none", len(got), who)
			}
		}
	})
}

func runQueue(t *testing.T, db *sqldb.DB, workers ...jobs.Worker) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(db, jobs.Options{Workers: workers, PollInterval: 20 * time.Millisecond, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := q.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	return q
}

func waitCompleted(t *testing.T, events <-chan *river.Event, kind string) *river.Event {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Job.Kind != kind {
				continue
			}
			if e.Kind != river.EventKindJobCompleted {
				t.Fatalf("job %s: %s %v", kind, e.Kind, e.Job.Errors)
			}
			return e
		case <-timeout:
			t.Fatalf("no %s job completed", kind)
		}
	}
}

// TestDigestScheduledOnce: the same digest scheduled by two transactions
// (two planners, two instances) goes out once, at its time.
func TestDigestScheduledOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ana := member(t, db, "ana@example.org", "en", "")
		a := community(t, db, "a", ana.ID)
		at := time.Now().Add(time.Second).Truncate(time.Second)
		p := &provider{items: map[int64][]notify.DigestItem{a: {{Title: "New", URL: "/threads/1", At: at.Add(-time.Hour)}}}}
		d := digests(db, p)
		var scheduled []bool
		for range 2 {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				ok, err := d.Schedule(ctx, tx, ana.ID, notify.Weekly, at.Add(time.Minute).Truncate(time.Minute))
				scheduled = append(scheduled, ok)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		if fmt.Sprint(scheduled) != "[true false]" {
			t.Errorf("scheduled %v, want [true false]", scheduled)
		}
		// One due in a second, to see it run.
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			_, err := d.Schedule(ctx, tx, ana.ID, notify.Daily, time.Now().Add(-time.Minute))
			if err != nil {
				return err
			}
			_, err = jobs.ScheduleOnce(ctx, tx, notify.DigestArgs{UserID: ana.ID, Frequency: notify.Weekly, PeriodEnd: at}, at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		q := runQueue(t, db, d.Worker())
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
		defer cancel()
		e := waitCompleted(t, events, "notify_digest")
		if e.Job.AttemptedAt.Before(at) {
			t.Errorf("the digest ran at %v, before its time %v", e.Job.AttemptedAt, at)
		}
		if got := digestMails(t, db, "ana@example.org"); len(got) != 1 {
			t.Errorf("%d digests, want 1", len(got))
		}
	})
}

// TestPlan: the planner schedules each member's digest due within the
// hour, at 07:00 in the member's time zone, once however often it runs.
func TestPlan(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		// A time zone where it is now between 06:00 and 07:00.
		offset := 6 - time.Now().UTC().Hour()
		if offset < -12 {
			offset += 24
		}
		if offset > 14 {
			offset -= 24
		}
		tz := "Etc/UTC"
		if offset > 0 {
			tz = fmt.Sprintf("Etc/GMT-%d", offset)
		} else if offset < 0 {
			tz = fmt.Sprintf("Etc/GMT+%d", -offset)
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			t.Fatal(err)
		}
		ana := member(t, db, "ana@example.org", "en", "")
		off := member(t, db, "off@example.org", "en", "")
		a := community(t, db, "a", ana.ID, off.ID)
		for _, u := range []int64{ana.ID, off.ID} {
			if _, err := db.Exec(ctx, "UPDATE users SET timezone = ? WHERE id = ?", tz, u); err != nil {
				t.Fatal(err)
			}
			if err := notify.NewSettings(db).SetFrequency(ctx, u, a, notify.Daily); err != nil {
				t.Fatal(err)
			}
		}
		digest, _ := notifier().Category(notify.CategoryDigest)
		if err := notify.NewSettings(db).SetDelivery(ctx, off.ID, digest, notify.Off); err != nil {
			t.Fatal(err)
		}
		d := digests(db, &provider{})
		for range 2 {
			if err := d.Plan(ctx); err != nil {
				t.Fatal(err)
			}
		}
		list, _, err := jobs.List(ctx, db, "scheduled", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		var daily []jobs.Job
		for _, j := range list {
			if j.Kind == "notify_digest" && strings.Contains(j.Args, `"daily"`) {
				daily = append(daily, j)
			}
		}
		now := time.Now().In(loc)
		want := time.Date(now.Year(), now.Month(), now.Day(), notify.DigestHour, 0, 0, 0, loc)
		if len(daily) != 1 || !daily[0].ScheduledAt.Equal(want) || !strings.Contains(daily[0].Args, fmt.Sprintf(`"user_id":%d`, ana.ID)) &&
			!strings.Contains(daily[0].Args, fmt.Sprintf(`"user_id": %d`, ana.ID)) {
			t.Errorf("daily digests scheduled %+v, want one for ana at %v", daily, want)
		}
	})
}

// TestAnnounce: news goes at once to the members who follow the community
// item by item, except its author and those who switched digests off.
func TestAnnounce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		n := notifier()
		ana := member(t, db, "ana@example.org", "es", "")
		bo := member(t, db, "bo@example.org", "en", "")
		cy := member(t, db, "cy@example.org", "en", "")
		dee := member(t, db, "dee@example.org", "en", "")
		a := community(t, db, "a", ana.ID, bo.ID, cy.ID, dee.ID)
		st := notify.NewSettings(db)
		for _, u := range []int64{ana.ID, cy.ID, dee.ID} {
			if err := st.SetFrequency(ctx, u, a, notify.EveryItem); err != nil {
				t.Fatal(err)
			}
		}
		digest, _ := n.Category(notify.CategoryDigest)
		if err := st.SetDelivery(ctx, cy.ID, digest, notify.Off); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			return n.Announce(ctx, tx, notify.Announcement{CommunityID: a, AuthorID: dee.ID, Title: "Health financing", URL: "/threads/7", What: "notify.list.title"})
		}); err != nil {
			t.Fatal(err)
		}
		q := runQueue(t, db, n.AnnounceWorker(db))
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		waitCompleted(t, events, "notify_announce")
		list, total, err := mail.NewOutbox(db).List(ctx, "", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || list[0].To != "ana@example.org" {
			t.Fatalf("announced to %+v, want ana only", list)
		}
		m := outbox(t, db, list[0].ID)
		if m.Subject != "Community A: Health financing" || m.Language != "es" || m.UnsubscribeURL == "" ||
			!strings.Contains(m.Text, "https://harambee.test/threads/7") || !strings.Contains(m.Text, "Novedad en Community A") {
			t.Errorf("announcement %q\n%s", m.Subject, m.Text)
		}
	})
}
