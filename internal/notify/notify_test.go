package notify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

var ctx = context.Background()

// Categories of the tests: one of each sort.
var testCategories = []notify.Category{
	{Key: "verify_email", Transactional: true},
	{Key: "reply", Default: notify.Immediate, InApp: true, Digestible: true},
	{Key: "news", Default: notify.Immediate},
	{Key: "request", Default: notify.InDigest, InApp: true, Digestible: true},
	{Key: notify.CategoryDigest, Default: notify.Immediate},
}

func notifier() *notify.Notifier {
	return &notify.Notifier{BaseURL: "https://harambee.test", SiteName: "Harambee", Categories: testCategories}
}

func member(t *testing.T, db *sqldb.DB, email, lang, tz string) account.User {
	t.Helper()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{
		Email: email, Password: "a good long passphrase", Verified: true,
		Profile: account.Profile{Name: strings.Split(email, "@")[0], Language: lang, TimeZone: tz},
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func send(t *testing.T, db *sqldb.DB, n *notify.Notifier, m notify.Message) notify.Result {
	t.Helper()
	var res notify.Result
	if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		res, err = n.Send(ctx, tx, m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return res
}

func outbox(t *testing.T, db *sqldb.DB, id int64) mail.Message {
	t.Helper()
	m, err := mail.NewOutbox(db).Message(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func message(category string, userID int64) notify.Message {
	return notify.Message{UserID: userID, Category: category,
		Subject:    notify.T("notify.digest.subject_daily", "Harambee"),
		Paragraphs: []notify.Text{notify.T("notify.digest.intro_daily", "Harambee")},
		Action:     notify.T("notify.announce.open"), URL: "/communities/x"}
}

// TestSend: each category reaches a member as their settings say, in their
// language, with the unsubscribe link only where it belongs.
func TestSend(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		n := notifier()
		ana := member(t, db, "ana@example.org", "pt", "America/Sao_Paulo")

		// Transactional: e-mail, no unsubscribe, no in-app notification.
		res := send(t, db, n, message("verify_email", ana.ID))
		if res.OutboxID == 0 || res.NotificationID != 0 {
			t.Fatalf("transactional: %+v", res)
		}
		m := outbox(t, db, res.OutboxID)
		if m.UnsubscribeURL != "" || strings.Contains(m.Text, "/unsubscribe/") || m.Language != "pt" || m.To != "ana@example.org" {
			t.Errorf("transactional message: unsubscribe %q, language %s, to %s\n%s", m.UnsubscribeURL, m.Language, m.To, m.Text)
		}
		if m.Subject != "Seu resumo diário de Harambee" || !strings.Contains(m.Text, "Olá, ana,") || !strings.Contains(m.Text, "https://harambee.test/communities/x") {
			t.Errorf("message in Portuguese: %q\n%s", m.Subject, m.Text)
		}

		// Not transactional, immediate by default: e-mail with the one-click
		// unsubscribe, and the in-app notification.
		res = send(t, db, n, message("reply", ana.ID))
		if res.OutboxID == 0 || res.NotificationID == 0 {
			t.Fatalf("reply: %+v", res)
		}
		m = outbox(t, db, res.OutboxID)
		if !strings.HasPrefix(m.UnsubscribeURL, "https://harambee.test/unsubscribe/") || !strings.Contains(m.Text, m.UnsubscribeURL) ||
			!strings.Contains(m.Text, "https://harambee.test/settings/notifications") {
			t.Errorf("reply: unsubscribe %q\n%s", m.UnsubscribeURL, m.Text)
		}

		// A category in the digest by default: in-app only.
		if res = send(t, db, n, message("request", ana.ID)); res.OutboxID != 0 || res.NotificationID == 0 {
			t.Errorf("request: %+v", res)
		}

		// Switched off: no e-mail; the in-app notification still comes.
		reply, _ := n.Category("reply")
		if err := notify.NewSettings(db).SetDelivery(ctx, ana.ID, reply, notify.Off); err != nil {
			t.Fatal(err)
		}
		if res = send(t, db, n, message("reply", ana.ID)); res.OutboxID != 0 || res.NotificationID == 0 {
			t.Errorf("reply switched off: %+v", res)
		}
		if res = send(t, db, n, message("verify_email", ana.ID)); res.OutboxID == 0 {
			t.Error("a transactional message was not sent")
		}
		if err := notify.NewSettings(db).SetDelivery(ctx, ana.ID, reply, notify.Delivery("sometimes")); err == nil {
			t.Error("a delivery that is no choice was accepted")
		}

		// Someone without an account, known by address: their language, an
		// unsubscribe link of their own.
		res = send(t, db, n, notify.Message{Email: " Zoe@Example.org ", Name: "Zoé", Language: "fr", Category: "news",
			Subject: notify.T("notify.digest.subject_weekly", "Harambee")})
		m = outbox(t, db, res.OutboxID)
		if m.To != "zoe@example.org" || m.UserID != 0 || m.Language != "fr" || m.Subject != "Votre résumé hebdomadaire de Harambee" ||
			!strings.Contains(m.Text, "Bonjour Zoé,") || m.UnsubscribeURL == "" || res.NotificationID != 0 {
			t.Errorf("address without account: %+v %+v", res, m)
		}

		// An address that belongs to an account reaches the member.
		res = send(t, db, n, notify.Message{Email: "ANA@example.org", Language: "en", Category: "reply", Subject: notify.T("notify.list.title")})
		if res.NotificationID == 0 || res.OutboxID != 0 {
			t.Errorf("address of a member: %+v", res)
		}

		// Times are written in the member's language and time zone.
		res = send(t, db, n, notify.Message{UserID: ana.ID, Category: "verify_email", Subject: notify.T("notify.list.title"),
			Paragraphs: []notify.Text{notify.T("notify.announce.intro", time.Date(2026, 7, 14, 17, 0, 0, 0, time.UTC), "X")}})
		if m = outbox(t, db, res.OutboxID); !strings.Contains(m.Text, "14 de julho de 2026 às 14:00") {
			t.Errorf("time not in the member's zone and language:\n%s", m.Text)
		}

		// Disabled accounts get nothing; bad messages are refused.
		if _, err := db.Exec(ctx, "UPDATE users SET disabled_at = ? WHERE id = ?", time.Now(), ana.ID); err != nil {
			t.Fatal(err)
		}
		if res = send(t, db, n, message("verify_email", ana.ID)); res != (notify.Result{}) {
			t.Errorf("disabled account: %+v", res)
		}
		for _, bad := range []notify.Message{message("no_such_category", ana.ID), {Category: "news"}} {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { _, err := n.Send(ctx, tx, bad); return err }); err == nil {
				t.Errorf("message %+v accepted", bad)
			}
		}
	})
}

// TestSendIsTransactional: a notification sent in a transaction that rolls
// back leaves nothing behind, neither e-mail, job nor notification.
func TestSendIsTransactional(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		n := notifier()
		ana := member(t, db, "ana@example.org", "en", "")
		oops := errors.New("oops")
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			if _, err := n.Send(ctx, tx, message("reply", ana.ID)); err != nil {
				return err
			}
			return oops
		})
		if !errors.Is(err, oops) {
			t.Fatal(err)
		}
		for _, table := range []string{"outbox", "notifications", "river_job"} {
			var count int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&count); err != nil {
				t.Fatal(err)
			}
			if count != 0 {
				t.Errorf("%d rows in %s after a rollback", count, table)
			}
		}
	})
}

// TestUnsubscribe: the link switches off exactly its category, for a
// member or an address without an account, and undoing it restores it;
// forged links are refused.
func TestUnsubscribe(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		n := notifier()
		ana := member(t, db, "ana@example.org", "en", "")
		reply := outbox(t, db, send(t, db, n, message("reply", ana.ID)).OutboxID)
		token := strings.TrimPrefix(reply.UnsubscribeURL, "https://harambee.test/unsubscribe/")
		u, err := n.Unsubscribe(ctx, db, token)
		if err != nil || u.UserID != ana.ID || u.Category != "reply" {
			t.Fatalf("unsubscribe: %+v, %v", u, err)
		}
		if _, err := n.Unsubscribe(ctx, db, token); err != nil {
			t.Errorf("unsubscribing twice: %v", err)
		}
		if res := send(t, db, n, message("reply", ana.ID)); res.OutboxID != 0 {
			t.Error("a reply was e-mailed after unsubscribing from replies")
		}
		if res := send(t, db, n, message("news", ana.ID)); res.OutboxID == 0 {
			t.Error("unsubscribing from replies stopped news too")
		}
		if _, err := n.Resubscribe(ctx, db, token); err != nil {
			t.Fatal(err)
		}
		if res := send(t, db, n, message("reply", ana.ID)); res.OutboxID == 0 {
			t.Error("no reply e-mailed after undoing the unsubscribe")
		}

		news := outbox(t, db, send(t, db, n, notify.Message{Email: "zoe@example.org", Category: "news", Subject: notify.T("notify.list.title")}).OutboxID)
		ztoken := strings.TrimPrefix(news.UnsubscribeURL, "https://harambee.test/unsubscribe/")
		if u, err := n.Unsubscribe(ctx, db, ztoken); err != nil || u.Email != "zoe@example.org" || u.UserID != 0 {
			t.Fatalf("unsubscribe an address: %+v, %v", u, err)
		}
		if res := send(t, db, n, notify.Message{Email: "Zoe@example.org", Category: "news", Subject: notify.T("notify.list.title")}); res.OutboxID != 0 {
			t.Error("news e-mailed to an address that unsubscribed")
		}
		if res := send(t, db, n, notify.Message{Email: "zoe@example.org", Category: "verify_email", Subject: notify.T("notify.list.title")}); res.OutboxID == 0 {
			t.Error("a transactional message was not sent to an address that unsubscribed from news")
		}

		payload, mac, _ := strings.Cut(token, ".")
		for name, bad := range map[string]string{
			"empty":         "",
			"garbage":       "hello",
			"no signature":  payload,
			"other mac":     payload + "." + strings.Repeat("A", len(mac)),
			"swapped":       mac + "." + payload,
			"other payload": strings.TrimSuffix(ztoken[:strings.Index(ztoken, ".")], "") + "." + mac,
			"huge":          strings.Repeat("a", 5000),
		} {
			if _, err := n.Unsubscribe(ctx, db, bad); !errors.Is(err, notify.ErrInvalidToken) {
				t.Errorf("%s token: %v, want ErrInvalidToken", name, err)
			}
		}
	})
}

// TestInbox: the bell's count, the list, opening one and marking all read;
// nobody reads another member's notifications.
func TestInbox(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		n := notifier()
		ana := member(t, db, "ana@example.org", "en", "")
		bo := member(t, db, "bo@example.org", "en", "")
		var ids []int64
		for range 3 {
			ids = append(ids, send(t, db, n, message("request", ana.ID)).NotificationID)
		}
		other := send(t, db, n, message("request", bo.ID)).NotificationID
		in := notify.NewInbox(db)
		if c, err := in.UnreadCount(ctx, ana.ID); err != nil || c != 3 {
			t.Errorf("unread %d (%v), want 3", c, err)
		}
		got, err := in.Open(ctx, ana.ID, ids[0])
		if err != nil || got.URL != "/communities/x" || got.ReadAt == nil || got.Title != "Your daily digest from Harambee" {
			t.Errorf("open: %+v, %v", got, err)
		}
		if _, err := in.Open(ctx, ana.ID, other); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("opening another member's notification: %v", err)
		}
		list, total, err := in.List(ctx, ana.ID, true, 10, 0)
		if err != nil || total != 2 || len(list) != 2 || list[0].ID != ids[2] {
			t.Errorf("unread list %+v of %d (%v)", list, total, err)
		}
		if marked, err := in.MarkRead(ctx, ana.ID, nil); err != nil || marked != 2 {
			t.Errorf("marked %d (%v), want 2", marked, err)
		}
		if c, _ := in.UnreadCount(ctx, ana.ID); c != 0 {
			t.Errorf("unread %d after marking all read", c)
		}
		if c, _ := in.UnreadCount(ctx, bo.ID); c != 1 {
			t.Errorf("another member's count %d, want 1", c)
		}
		for range notify.MaxUnread + 5 {
			send(t, db, n, message("request", bo.ID))
		}
		if c, _ := in.UnreadCount(ctx, bo.ID); c != notify.MaxUnread+1 {
			t.Errorf("count %d, want it capped at %d", c, notify.MaxUnread+1)
		}
	})
}

// TestUnreadCountUsesIndex: the count on every page reads the partial
// index, not the table.
func TestUnreadCountUsesIndex(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	rows, err := db.Query(ctx, "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE user_id = ? AND read_at IS NULL LIMIT ?) AS unread", 1, 100)
	plan, err := sqldb.Collect(rows, err, func(s sqldb.Scanner) (string, error) {
		var id, parent, unused int
		var detail string
		return detail, s.Scan(&id, &parent, &unused, &detail)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "notifications_unread") {
		t.Errorf("the unread count does not use its index:\n%s", strings.Join(plan, "\n"))
	}
}

// TestCategories: the list is consistent: unique keys, defaults among the
// choices, digestible ones shown in-app, a name for each in every language.
func TestCategories(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range notify.Categories {
		if seen[c.Key] {
			t.Errorf("category %s declared twice", c.Key)
		}
		seen[c.Key] = true
		if !c.Transactional && !c.Allows(c.Default) {
			t.Errorf("category %s: default %q is not a choice", c.Key, c.Default)
		}
		if c.Digestible && !c.InApp {
			t.Errorf("category %s: digestible but not in-app", c.Key)
		}
	}
	for _, key := range []string{mail.CategoryVerify, mail.CategoryReset, mail.CategoryEmailChange, notify.CategoryDigest} {
		if !seen[key] {
			t.Errorf("category %s missing", key)
		}
	}
	if fmt.Sprint(notify.Frequencies) != "[immediate daily weekly none]" {
		t.Errorf("frequencies %v", notify.Frequencies)
	}
}
