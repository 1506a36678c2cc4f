// Package mail holds the messages Harambee sends. Every message is written
// to the outbox table in the same transaction as the change that causes it
// (an account registered, a password reset asked for), so a message is never
// lost and never sent for a change that was rolled back. A sender delivers the
// outbox over SMTP; without one configured, administrators read the outbox at
// /admin/outbox.
package mail

import (
	"context"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Categories of message. Transactional ones answer something the recipient
// just did and carry no unsubscribe link.
const (
	CategoryVerify      = "verify_email"
	CategoryReset       = "password_reset"
	CategoryEmailChange = "email_change"
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
	Status    string // pending, sent, failed
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
}

// Content is what a message says, before it is laid out as text and HTML.
type Content struct {
	Greeting    string   // "Hello Ana,"
	Paragraphs  []string // plain text
	ActionLabel string   // the button ("Verify my e-mail address")
	ActionURL   string
	After       []string // paragraphs under the button
	Signature   string
}

// Compose lays content out as a plain-text body and a matching HTML body.
func Compose(c Content) (text, htmlBody string) {
	var t, h strings.Builder
	h.WriteString(`<!DOCTYPE html><html><body style="font-family:sans-serif;line-height:1.5;max-width:40em">`)
	para := func(p string) {
		t.WriteString(p + "\n\n")
		h.WriteString("<p>" + html.EscapeString(p) + "</p>")
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
			html.EscapeString(c.ActionURL), html.EscapeString(c.ActionLabel), html.EscapeString(c.ActionURL))
	}
	for _, p := range c.After {
		para(p)
	}
	if c.Signature != "" {
		t.WriteString("-- \n" + c.Signature + "\n")
		h.WriteString(`<p style="color:#555">` + html.EscapeString(c.Signature) + "</p>")
	}
	h.WriteString("</body></html>")
	return t.String(), h.String()
}

// Enqueue writes m to the outbox through q, which should be the transaction
// of the change that causes the message.
func Enqueue(ctx context.Context, q sqldb.Querier, m Message) (int64, error) {
	if strings.ContainsAny(m.To, "\r\n") || strings.ContainsAny(m.Subject, "\r\n") || strings.ContainsAny(m.ToName, "\r\n") {
		return 0, fmt.Errorf("enqueue mail: line break in a header field")
	}
	var userID any
	if m.UserID != 0 {
		userID = m.UserID
	}
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO outbox (to_address, to_name, user_id, category, language, subject, text_body, html_body, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id`,
		m.To, m.ToName, userID, m.Category, m.Language, m.Subject, m.Text, m.HTML, time.Now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("enqueue mail to %s: %w", m.To, err)
	}
	return id, nil
}

// Outbox reads the messages written so far.
type Outbox struct{ q sqldb.Querier }

// NewOutbox returns the outbox read through q.
func NewOutbox(q sqldb.Querier) *Outbox { return &Outbox{q: q} }

const messageColumns = `id, to_address, to_name, COALESCE(user_id, 0), category, language, subject, text_body, html_body, status, attempts, last_error, created_at, sent_at`

func scanMessage(s sqldb.Scanner) (Message, error) {
	var m Message
	err := s.Scan(&m.ID, &m.To, &m.ToName, &m.UserID, &m.Category, &m.Language, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Attempts, &m.LastError, &m.CreatedAt, &m.SentAt)
	return m, err
}

// List returns a page of messages, newest first, and how many there are.
// A non-empty to narrows the list to one recipient.
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

// Message returns one message.
func (o *Outbox) Message(ctx context.Context, id int64) (Message, error) {
	m, err := scanMessage(o.q.QueryRow(ctx, "SELECT "+messageColumns+" FROM outbox WHERE id = ?", id))
	if err != nil {
		return Message{}, fmt.Errorf("load message %d: %w", id, err)
	}
	return m, nil
}
