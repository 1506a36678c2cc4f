// Package mail holds the messages Harambee sends. Every message is written
// to the outbox table in the same transaction as the change that causes it
// (an account registered, a password reset asked for), together with the
// job that delivers it, so a message is never lost and never sent for a
// change that was rolled back. The delivery job sends it over SMTP (see
// Deliverer); without a mail server configured, messages stay in the
// outbox, which administrators read at /admin/outbox.
package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	netmail "net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/sqldb"
)

// Categories of message. Transactional ones answer something the recipient
// just did and carry no unsubscribe link.
const (
	CategoryVerify      = "verify_email"
	CategoryReset       = "password_reset"
	CategoryEmailChange = "email_change"
)

// Statuses of a message in the outbox.
const (
	StatusPending = "pending" // not sent yet: queued, or waiting to be tried again
	StatusSent    = "sent"    // accepted by the mail server
	StatusFailed  = "failed"  // refused for good, or out of attempts: LastError says why
	StatusUnsent  = "unsent"  // no mail server configured: kept in the outbox only
)

// Message is one e-mail to one person.
type Message struct {
	ID        int64
	To        string
	ToName    string
	UserID    int64 // 0 for people without an account
	Category  string
	Language  string
	Subject   string
	Text      string
	HTML      string
	Status    string // one of the Status constants
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
	// UnsubscribeURL is the one-click unsubscribe address (RFC 8058) of a
	// message that is not transactional; it goes into List-Unsubscribe.
	UnsubscribeURL string
	Attachments    []Attachment

	key string // random part of the Message-ID
}

// Attachment is a file sent with a message.
type Attachment struct {
	Filename    string
	ContentType string // with its parameters: "text/calendar; method=PUBLISH"
	Data        []byte
}

// MessageID returns the Message-ID of the message under domain, the same
// on every attempt to send it, so that a mail system can tell a retry from
// a new message.
func (m Message) MessageID(domain string) string {
	return fmt.Sprintf("%d.%s@%s", m.ID, m.key, domain)
}

// Content is what a message says, before it is laid out as text and HTML.
type Content struct {
	Lang        string   // language of the message, for the HTML part
	SiteName    string   // shown at the top of the HTML part
	Greeting    string   // "Hello Ana,"
	Paragraphs  []string // plain text
	ActionLabel string   // the button ("Verify my e-mail address")
	ActionURL   string
	Sections    []Section // lists of links under headings, as in a digest
	After       []string  // paragraphs under the button
	Signature   string
	// Footer is the small print under the signature: why the message came,
	// how to stop it. A line with a URL becomes a link.
	Footer []Link
}

// Section is a heading and its list of links.
type Section struct {
	Heading string
	Items   []Item
}

// Item is one entry of a section: a title that links somewhere, and an
// optional note under it.
type Item struct {
	Title, URL, Note string
}

// Link is a line of text, linked when URL is set.
type Link struct {
	Label, URL string
}

// Compose lays content out as a plain-text body and a matching HTML body.
// Every piece of text is escaped in the HTML.
func Compose(c Content) (text, htmlBody string) {
	var t, h strings.Builder
	esc := html.EscapeString
	h.WriteString(`<!DOCTYPE html><html`)
	if c.Lang != "" {
		h.WriteString(` lang="` + esc(c.Lang) + `"`)
	}
	h.WriteString(`><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em;color:#1a1a1a">`)
	if c.SiteName != "" {
		h.WriteString(`<p style="font-weight:bold;color:#0b5394;border-bottom:1px solid #ccc;padding-bottom:.4em">` + esc(c.SiteName) + `</p>`)
	}
	para := func(p string) {
		t.WriteString(p + "\n\n")
		h.WriteString("<p>" + esc(p) + "</p>")
	}
	if c.Greeting != "" {
		para(c.Greeting)
	}
	for _, p := range c.Paragraphs {
		para(p)
	}
	if c.ActionURL != "" {
		t.WriteString(c.ActionLabel + ":\n" + c.ActionURL + "\n\n")
		fmt.Fprintf(&h, `<p><a href="%s" style="display:inline-block;padding:.6em 1em;background:#0b5394;color:#fff;text-decoration:none;border-radius:4px">%s</a></p><p style="font-size:90%%;color:#444">%s</p>`,
			esc(c.ActionURL), esc(c.ActionLabel), esc(c.ActionURL))
	}
	for _, s := range c.Sections {
		t.WriteString(s.Heading + "\n" + strings.Repeat("=", max(3, len([]rune(s.Heading)))) + "\n\n")
		h.WriteString(`<h2 style="font-size:110%">` + esc(s.Heading) + "</h2><ul>")
		for _, it := range s.Items {
			t.WriteString("* " + it.Title + "\n")
			h.WriteString("<li>")
			if it.URL != "" {
				t.WriteString("  " + it.URL + "\n")
				h.WriteString(`<a href="` + esc(it.URL) + `">` + esc(it.Title) + "</a>")
			} else {
				h.WriteString(esc(it.Title))
			}
			if it.Note != "" {
				t.WriteString("  " + it.Note + "\n")
				h.WriteString(`<br><span style="color:#555">` + esc(it.Note) + "</span>")
			}
			h.WriteString("</li>")
		}
		t.WriteString("\n")
		h.WriteString("</ul>")
	}
	for _, p := range c.After {
		para(p)
	}
	if c.Signature != "" {
		t.WriteString("-- \n" + c.Signature + "\n")
		h.WriteString(`<p style="color:#555">` + esc(c.Signature) + "</p>")
	}
	if len(c.Footer) > 0 {
		t.WriteString("\n")
		h.WriteString(`<hr style="border:0;border-top:1px solid #ccc"><div style="font-size:85%;color:#555">`)
		for _, l := range c.Footer {
			if l.URL == "" {
				t.WriteString(l.Label + "\n")
				h.WriteString("<p>" + esc(l.Label) + "</p>")
				continue
			}
			t.WriteString(l.Label + ": " + l.URL + "\n")
			h.WriteString(`<p><a href="` + esc(l.URL) + `" style="color:#555">` + esc(l.Label) + "</a></p>")
		}
		h.WriteString("</div>")
	}
	h.WriteString("</body></html>")
	return t.String(), h.String()
}

// HeaderText makes s safe for a header field: control characters and line
// breaks (including Unicode's) become spaces and runs of spaces one, so a
// name or subject can never start a header of its own.
func HeaderText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Enqueue writes m to the outbox and enqueues the job that delivers it,
// both through q, which should be the transaction of the change that causes
// the message (given the database, it opens a transaction of its own). The
// name and subject are made safe for headers; an address that is not one
// is refused.
func Enqueue(ctx context.Context, q sqldb.Querier, m Message) (int64, error) {
	m.To = strings.TrimSpace(m.To)
	if a, err := netmail.ParseAddress(m.To); err != nil || a.Address != m.To || strings.ContainsAny(m.To, "\r\n") {
		return 0, fmt.Errorf("enqueue mail: %q is not an e-mail address", m.To)
	}
	m.ToName, m.Subject = HeaderText(m.ToName), HeaderText(m.Subject)
	var userID any
	if m.UserID != 0 {
		userID = m.UserID
	}
	b := make([]byte, 8)
	rand.Read(b)
	var id int64
	err := inTx(ctx, q, func(tx *sqldb.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO outbox (to_address, to_name, user_id, category, language, subject, text_body, html_body,
			status, message_key, unsubscribe_url, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.To, m.ToName, userID, m.Category, m.Language, m.Subject, m.Text, m.HTML,
			StatusPending, hex.EncodeToString(b), m.UnsubscribeURL, time.Now()).Scan(&id)
		if err != nil {
			return err
		}
		for _, a := range m.Attachments {
			if _, err := tx.Exec(ctx, "INSERT INTO outbox_attachments (outbox_id, filename, content_type, data) VALUES (?, ?, ?, ?)",
				id, HeaderText(a.Filename), HeaderText(a.ContentType), a.Data); err != nil {
				return err
			}
		}
		_, err = jobs.Insert(ctx, tx, DeliverArgs{ID: id}, nil)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue mail to %s: %w", m.To, err)
	}
	return id, nil
}

// inTx runs fn in q when q is a transaction, in a new one when it is the
// database.
func inTx(ctx context.Context, q sqldb.Querier, fn func(*sqldb.Tx) error) error {
	switch v := q.(type) {
	case *sqldb.Tx:
		return fn(v)
	case *sqldb.DB:
		return v.InTx(ctx, fn)
	}
	return fmt.Errorf("mail: cannot write through %T", q)
}

// Outbox reads the messages written so far.
type Outbox struct{ q sqldb.Querier }

// NewOutbox returns the outbox read through q.
func NewOutbox(q sqldb.Querier) *Outbox { return &Outbox{q: q} }

const messageColumns = `id, to_address, to_name, COALESCE(user_id, 0), category, language, subject, text_body, html_body, status, attempts, last_error, created_at, sent_at, message_key, unsubscribe_url`

func scanMessage(s sqldb.Scanner) (Message, error) {
	var m Message
	err := s.Scan(&m.ID, &m.To, &m.ToName, &m.UserID, &m.Category, &m.Language, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Attempts, &m.LastError, &m.CreatedAt, &m.SentAt, &m.key, &m.UnsubscribeURL)
	return m, err
}

// List returns a page of messages, newest first, and how many there are.
// A non-empty to narrows the list to one recipient. Attachments are not
// loaded.
func (o *Outbox) List(ctx context.Context, to string, limit, offset int) ([]Message, int, error) {
	where, args := "", []any{}
	if to != "" {
		where, args = " WHERE to_address = ?", append(args, strings.ToLower(strings.TrimSpace(to)))
	}
	var total int
	if err := o.q.QueryRow(ctx, "SELECT COUNT(*) FROM outbox"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count outbox: %w", err)
	}
	rows, err := o.q.Query(ctx, "SELECT "+messageColumns+" FROM outbox"+where+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	msgs, err := sqldb.Collect(rows, err, scanMessage)
	if err != nil {
		return nil, 0, fmt.Errorf("list outbox: %w", err)
	}
	return msgs, total, nil
}

// Message returns one message with its attachments.
func (o *Outbox) Message(ctx context.Context, id int64) (Message, error) {
	m, err := scanMessage(o.q.QueryRow(ctx, "SELECT "+messageColumns+" FROM outbox WHERE id = ?", id))
	if err != nil {
		return Message{}, fmt.Errorf("load message %d: %w", id, err)
	}
	rows, err := o.q.Query(ctx, "SELECT filename, content_type, data FROM outbox_attachments WHERE outbox_id = ? ORDER BY id", id)
	m.Attachments, err = sqldb.Collect(rows, err, func(s sqldb.Scanner) (Attachment, error) {
		var a Attachment
		return a, s.Scan(&a.Filename, &a.ContentType, &a.Data)
	})
	if err != nil {
		return Message{}, fmt.Errorf("load attachments of message %d: %w", id, err)
	}
	return m, nil
}

// setStatus records the outcome of an attempt to send a pending message.
func (o *Outbox) setStatus(ctx context.Context, id int64, status, lastError string) error {
	var sentAt *time.Time
	if status == StatusSent {
		now := time.Now()
		sentAt = &now
	}
	_, err := o.q.Exec(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, sent_at = ?
		WHERE id = ? AND status = ?`, status, lastError, sentAt, id, StatusPending)
	if err != nil {
		return fmt.Errorf("record delivery of message %d: %w", id, err)
	}
	return nil
}
