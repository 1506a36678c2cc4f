package mail_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/mail/mailtest"
	"github.com/harambee/harambee/internal/sqldb"
)

var ctx = context.Background()

type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(10 * time.Millisecond) }

// deliver starts a queue that delivers the outbox of db through sender
// (nil keeps messages in the outbox).
func deliver(t *testing.T, db *sqldb.DB, sender mail.Sender) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(db, jobs.Options{
		Workers:      []jobs.Worker{jobs.Work(&mail.Deliverer{DB: db, Sender: sender, Log: slog.New(slog.DiscardHandler)})},
		PollInterval: 20 * time.Millisecond, RetryPolicy: fastRetry{}, Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return q
}

func smtpSender(t *testing.T, srv *mailtest.Server) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(mail.SMTPOptions{URL: srv.URL(), From: "harambee@harambee.test", SiteName: "Harambee",
		Domain: "harambee.test", TLS: srv.ClientTLS(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func enqueue(t *testing.T, db *sqldb.DB, m mail.Message) int64 {
	t.Helper()
	id, err := mail.Enqueue(ctx, db, m)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func message(t *testing.T, db *sqldb.DB, id int64) mail.Message {
	t.Helper()
	m, err := mail.NewOutbox(db).Message(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// waitJob waits for the delivery job to end in one of the final events.
func waitJob(t *testing.T, events <-chan *river.Event) *river.Event {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery job ended")
	}
	return nil
}

const calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n"

// TestDeliveryOverSMTP sends a message to a real SMTP server offering
// STARTTLS and checks what arrives: sender, recipient, subject, language,
// Message-ID under the site's domain, the one-click unsubscribe headers,
// both parts, the calendar file; and the outbox says sent.
func TestDeliveryOverSMTP(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := mailtest.Start(t, mailtest.Options{STARTTLS: true})
		text, html := mail.Compose(mail.Content{Lang: "fr", SiteName: "Harambee", Greeting: "Bonjour Amélie,",
			Paragraphs: []string{"Le webinaire commence bientôt <vraiment>."}, ActionLabel: "Rejoindre", ActionURL: "https://harambee.test/events/1",
			Signature: "L'équipe Harambee", Footer: []mail.Link{{Label: "Ne plus recevoir ces messages", URL: "https://harambee.test/unsubscribe/abc"}}})
		id := enqueue(t, db, mail.Message{To: "amelie@example.org", ToName: "Amélie Diallo", Category: "event_reminder", Language: "fr",
			Subject: "Rappel : webinaire demain", Text: text, HTML: html, UnsubscribeURL: "https://harambee.test/unsubscribe/abc",
			Attachments: []mail.Attachment{{Filename: "webinaire.ics", ContentType: "text/calendar; method=PUBLISH", Data: []byte(calendar)}}})
		q := deliver(t, db, smtpSender(t, srv))
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
		defer cancel()
		got := srv.Wait(1, 30*time.Second)[0]
		if e := waitJob(t, events); e.Kind != river.EventKindJobCompleted {
			t.Fatalf("delivery job: %s", e.Kind)
		}
		if !got.TLS {
			t.Error("the session was not encrypted although the server offered STARTTLS")
		}
		if got.From != "harambee@harambee.test" || len(got.To) != 1 || got.To[0] != "amelie@example.org" {
			t.Errorf("envelope from %q to %q", got.From, got.To)
		}
		m := got.Parse(t)
		h := m.Header
		for name, want := range map[string]string{
			"From":                  `"Harambee" <harambee@harambee.test>`,
			"Content-Language":      "fr",
			"List-Unsubscribe":      "<https://harambee.test/unsubscribe/abc>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
			"Auto-Submitted":        "auto-generated",
		} {
			if h.Get(name) != want && !(name == "From" && h.Get(name) == "Harambee <harambee@harambee.test>") {
				t.Errorf("%s: %q, want %q", name, h.Get(name), want)
			}
		}
		if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != "Amélie Diallo" || to[0].Address != "amelie@example.org" {
			t.Errorf("To: %v (%v)", to, err)
		}
		if m.Subject() != "Rappel : webinaire demain" {
			t.Errorf("Subject: %q", m.Subject())
		}
		if want := "<" + message(t, db, id).MessageID("harambee.test") + ">"; h.Get("Message-ID") != want || !strings.HasSuffix(want, "@harambee.test>") {
			t.Errorf("Message-ID %q, want %q", h.Get("Message-ID"), want)
		}
		if !strings.Contains(m.Text, "Bonjour Amélie,") || !strings.Contains(m.Text, "Rejoindre:\nhttps://harambee.test/events/1") ||
			!strings.Contains(m.Text, "Ne plus recevoir ces messages: https://harambee.test/unsubscribe/abc") {
			t.Errorf("text part:\n%s", m.Text)
		}
		if !strings.Contains(m.HTML, `<html lang="fr">`) || !strings.Contains(m.HTML, "bientôt &lt;vraiment&gt;") ||
			!strings.Contains(m.HTML, `href="https://harambee.test/unsubscribe/abc"`) {
			t.Errorf("HTML part:\n%s", m.HTML)
		}
		if len(m.Attachments) != 1 || !strings.HasPrefix(m.Attachments[0].ContentType, "text/calendar") ||
			!strings.Contains(m.Attachments[0].ContentType, "method=PUBLISH") || string(m.Attachments[0].Data) != calendar ||
			m.Attachments[0].Filename != "webinaire.ics" {
			t.Errorf("attachments %+v", m.Attachments)
		}
		if want := []string{"text/plain", "text/html", "text/calendar"}; strings.Join(m.Parts, " ") != strings.Join(want, " ") {
			t.Errorf("parts %v, want %v", m.Parts, want)
		}
		if out := message(t, db, id); out.Status != mail.StatusSent || out.SentAt == nil || out.Attempts != 1 {
			t.Errorf("outbox: status %s, sent %v, attempts %d", out.Status, out.SentAt, out.Attempts)
		}
	})
}

// TestHeaderInjection: line breaks in a name or subject cannot add a
// header or a recipient.
func TestHeaderInjection(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) { headerInjection(t, db) })
}

func headerInjection(t *testing.T, db *sqldb.DB) {
	srv := mailtest.Start(t, mailtest.Options{})
	enqueue(t, db, mail.Message{To: "eve@example.org", ToName: "Eve\r\nBcc: victim@example.org", Category: "test", Language: "en",
		Subject: "Hello\r\nBcc: victim@example.org\nX-Injected: yes", Text: "Hi"})
	if _, err := mail.Enqueue(ctx, db, mail.Message{To: "eve@example.org\r\nBcc: victim@example.org", Subject: "x", Text: "x"}); err == nil {
		t.Error("an address with a line break was accepted")
	}
	if _, err := mail.Enqueue(ctx, db, mail.Message{To: "Eve <eve@example.org>", Subject: "x", Text: "x"}); err == nil {
		t.Error("a name and address was accepted where a bare address is wanted")
	}
	deliver(t, db, smtpSender(t, srv))
	got := srv.Wait(1, 30*time.Second)[0]
	if len(got.To) != 1 || got.To[0] != "eve@example.org" {
		t.Errorf("recipients %q", got.To)
	}
	m := got.Parse(t)
	if m.Header.Get("Bcc") != "" || m.Header.Get("X-Injected") != "" {
		t.Errorf("injected header: Bcc %q, X-Injected %q", m.Header.Get("Bcc"), m.Header.Get("X-Injected"))
	}
	if m.Subject() != "Hello Bcc: victim@example.org X-Injected: yes" {
		t.Errorf("subject %q", m.Subject())
	}
	if to, _ := m.Header.AddressList("To"); len(to) != 1 || to[0].Name != "Eve Bcc: victim@example.org" {
		t.Errorf("To %v", to)
	}
}

// TestPermanentRefusal: a recipient the server refuses with a 5xx is marked
// failed with the reason, once, and not tried again.
func TestPermanentRefusal(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.Refuse = func(to string) error {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
		id := enqueue(t, db, mail.Message{To: "gone@example.org", Category: "test", Language: "en", Subject: "Hi", Text: "Hi"})
		q := deliver(t, db, smtpSender(t, srv))
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
		defer cancel()
		if e := waitJob(t, events); e.Kind != river.EventKindJobCancelled || e.Job.Attempt != 1 {
			t.Errorf("job %s after %d attempts, want cancelled after 1", e.Kind, e.Job.Attempt)
		}
		m := message(t, db, id)
		if m.Status != mail.StatusFailed || !strings.Contains(m.LastError, "550") || !strings.Contains(m.LastError, "No such user") || m.Attempts != 1 {
			t.Errorf("outbox: status %s, attempts %d, error %q", m.Status, m.Attempts, m.LastError)
		}
		if n := len(srv.Received()); n != 0 {
			t.Errorf("%d messages arrived", n)
		}
	})
}

// TestServerDownThenBack: while the mail server is down, delivery fails and
// is retried; once it is back the message arrives, once.
func TestServerDownThenBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.Stop()
		id := enqueue(t, db, mail.Message{To: "ana@example.org", Category: "test", Language: "pt", Subject: "Olá", Text: "Olá"})
		q := deliver(t, db, smtpSender(t, srv))
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		if e := waitJob(t, events); e.Kind != river.EventKindJobFailed {
			t.Fatalf("first attempt: %s", e.Kind)
		}
		if m := message(t, db, id); m.Status != mail.StatusPending || m.LastError == "" {
			t.Errorf("after a failed attempt: status %s, error %q", m.Status, m.LastError)
		}
		srv.Restart()
		srv.Wait(1, 30*time.Second)
		for e := waitJob(t, events); e.Kind != river.EventKindJobCompleted; e = waitJob(t, events) {
		}
		if m := message(t, db, id); m.Status != mail.StatusSent || m.Attempts < 2 {
			t.Errorf("outbox: status %s after %d attempts", m.Status, m.Attempts)
		}
		if n := len(srv.Received()); n != 1 {
			t.Errorf("%d copies arrived", n)
		}
	})
}

// TestWithoutMailServer: with no mail server configured, messages stay in
// the outbox, marked unsent.
func TestWithoutMailServer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		id := enqueue(t, db, mail.Message{To: "ana@example.org", Category: "test", Language: "en", Subject: "Hi", Text: "Hi"})
		q := deliver(t, db, nil)
		events, cancel := q.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		if e := waitJob(t, events); e.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %s", e.Kind)
		}
		if m := message(t, db, id); m.Status != mail.StatusUnsent || m.Text != "Hi" {
			t.Errorf("outbox: status %s, text %q", m.Status, m.Text)
		}
	})
}

func TestNewSMTP(t *testing.T) {
	tests := []struct {
		url, addr string
		ok        bool
	}{
		{"smtp://mail.example.org", "mail.example.org:587", true},
		{"smtps://mail.example.org", "mail.example.org:465", true},
		{"smtp://user:secret@mail.example.org:2525", "mail.example.org:2525", true},
		{"smtp://[::1]:25", "[::1]:25", true},
		{"http://mail.example.org", "", false},
		{"smtp://", "", false},
		{"smtp://mail.example.org:99999", "", false},
		{"smtp://user:secret@mail.example.org:port", "", false},
	}
	for _, tt := range tests {
		s, err := mail.NewSMTP(mail.SMTPOptions{URL: tt.url, From: "harambee@example.org"})
		if (err == nil) != tt.ok {
			t.Errorf("NewSMTP(%q): %v, want ok %v", tt.url, err, tt.ok)
			continue
		}
		if err != nil {
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("NewSMTP(%q) shows the password: %v", tt.url, err)
			}
			continue
		}
		if s.Address() != tt.addr {
			t.Errorf("NewSMTP(%q) address %s, want %s", tt.url, s.Address(), tt.addr)
		}
	}
	if _, err := mail.NewSMTP(mail.SMTPOptions{URL: "smtp://mail.example.org", From: "not an address"}); err == nil {
		t.Error("a bad sender address was accepted")
	}
}

func TestHeaderText(t *testing.T) {
	for in, want := range map[string]string{
		"Ana":                     "Ana",
		"  Ana\r\n Maria  ":       "Ana Maria",
		"a\u2028b\u0085c\x00d\te": "a b c d e",
		"Réunion : « ODD 3 »":     "Réunion : « ODD 3 »",
		"x\r\nBcc: y@example.org": "x Bcc: y@example.org",
	} {
		if got := mail.HeaderText(in); got != want {
			t.Errorf("HeaderText(%q) = %q, want %q", in, got, want)
		}
	}
}
