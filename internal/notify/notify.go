// Package notify tells people what happened: in-app notifications under the
// bell, e-mails at once, and digests of what is new in their communities,
// each as the person chose on their settings page, in their language, with
// a one-click unsubscribe on everything that is not transactional.
//
// A capability that has something to say calls Notifier.Send in the
// transaction of the change that causes it:
//
//	n.Send(ctx, tx, notify.Message{
//		UserID: managerID, Category: notify.CategoryJoinRequest, CommunityID: c.ID,
//		Subject:    notify.T("community.mail.request_subject", c.Name),
//		Paragraphs: []notify.Text{notify.T("community.mail.request_intro", u.Name, c.Name)},
//		Action:     notify.T("community.mail.request_action"), URL: "/communities/" + c.Slug + "/manage",
//	})
//
// Send respects the member's settings, writes the in-app notification, and
// enqueues the e-mail (outbox row and delivery job) in that transaction.
// Work that must happen at a given time, such as an event reminder, is a
// job scheduled with jobs.ScheduleOnce whose worker calls Send. What is new
// in a community reaches members through DigestProviders, and at once
// through Announce.
package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Notifier sends notifications for a site.
type Notifier struct {
	BaseURL  string // absolute address of the site, for links in e-mails
	SiteName string
	// Categories replaces the list of categories (tests use their own);
	// nil means Categories.
	Categories []Category
}

func (n *Notifier) categories() []Category {
	if n.Categories != nil {
		return n.Categories
	}
	return Categories
}

// Category returns the category of a key.
func (n *Notifier) Category(key string) (Category, bool) { return lookup(n.categories(), key) }

// url makes a site path absolute; absolute URLs pass unchanged.
func (n *Notifier) url(path string) string {
	if path == "" || strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		return path
	}
	return strings.TrimRight(n.BaseURL, "/") + path
}

// Text is a piece of a message as a catalogue key and its arguments,
// rendered in the recipient's language. A time.Time argument is written as
// a date and time in the recipient's language and time zone.
type Text struct {
	Key  string
	Args []any
}

// T returns the text of key with args.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Localized is an argument written for each recipient, in their language
// and time zone (an event's time "14:00 Brasília / 19:00 Geneva").
type Localized func(l *i18n.Localizer, loc *time.Location) string

func (t Text) render(l *i18n.Localizer, loc *time.Location) string {
	if t.Key == "" {
		return ""
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch v := a.(type) {
		case time.Time:
			a = l.DateTime(v, loc)
		case Localized:
			a = v(l, loc)
		}
		args[i] = a
	}
	return l.T(t.Key, args...)
}

func render(ts []Text, l *i18n.Localizer, loc *time.Location) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.render(l, loc))
	}
	return out
}

// Message is a notification to one person: a member (UserID), or someone
// known only by an address (Email, Name, Language), such as a person who
// registered for an event without an account. An Email that belongs to an
// account reaches that member, with their settings and language.
type Message struct {
	UserID   int64
	Email    string
	Name     string
	Language string // for an address without an account; members have their own

	Category    string
	CommunityID int64 // the community it is about, if any

	Subject    Text
	Paragraphs []Text
	Action     Text   // label of the button, if any
	URL        string // what it is about: a site path or an absolute URL; the button and the in-app link
	After      []Text // paragraphs under the button
	// Attachments go with the e-mail (a calendar file).
	Attachments []mail.Attachment
}

// Result says what Send did.
type Result struct {
	NotificationID int64 // the in-app notification, 0 when none
	OutboxID       int64 // the e-mail, 0 when none
}

// recipient is who a message reaches.
type recipient struct {
	userID int64
	email  string
	name   string
	lang   string
	loc    *time.Location
}

// ErrNoRecipient is returned for a message with neither a member nor an
// address.
var ErrNoRecipient = errors.New("notify: a message needs a UserID or an Email")

// Send notifies one person in tx, the transaction of the change that causes
// the message: an in-app notification for members when the category has
// one, and an e-mail at once unless the member chose the digest or nothing
// (transactional categories are always sent). Disabled accounts get
// nothing.
func (n *Notifier) Send(ctx context.Context, tx *sqldb.Tx, m Message) (Result, error) {
	c, ok := n.Category(m.Category)
	if !ok {
		return Result{}, fmt.Errorf("notify: unknown category %q (declare it in notify.Categories)", m.Category)
	}
	r, skip, err := n.recipient(ctx, tx, m)
	if err != nil || skip {
		return Result{}, err
	}
	settings := NewSettings(tx)
	delivery := Immediate
	if r.userID != 0 {
		if delivery, err = settings.delivery(ctx, r.userID, c); err != nil {
			return Result{}, err
		}
	}
	if !c.Transactional && delivery != Off {
		out, err := settings.optedOut(ctx, r.email, c.Key)
		if err != nil {
			return Result{}, err
		}
		if out {
			delivery = Off
		}
	}
	if r.userID == 0 && delivery == InDigest {
		delivery = Immediate
	}
	l := i18n.For(r.lang)
	var res Result
	if r.userID != 0 && c.InApp {
		if res.NotificationID, err = NewInbox(tx).add(ctx, notification{
			UserID: r.userID, Category: c.Key, CommunityID: m.CommunityID,
			Title: m.Subject.render(l, r.loc), Body: firstOf(render(m.Paragraphs, l, r.loc)), URL: m.URL,
		}); err != nil {
			return Result{}, err
		}
	}
	if delivery != Immediate {
		return res, nil
	}
	content := mail.Content{
		Lang: l.Lang(), SiteName: n.SiteName, Greeting: greeting(l, r.name),
		Paragraphs: render(m.Paragraphs, l, r.loc), After: render(m.After, l, r.loc),
		Signature: l.T("mail.signature", n.SiteName),
	}
	if m.Action.Key != "" && m.URL != "" {
		content.ActionLabel, content.ActionURL = m.Action.render(l, r.loc), n.url(m.URL)
	}
	msg := mail.Message{To: r.email, ToName: r.name, UserID: r.userID, Category: c.Key, Language: l.Lang(),
		Subject: m.Subject.render(l, r.loc), Attachments: m.Attachments}
	if !c.Transactional {
		if msg.UnsubscribeURL, content.Footer, err = n.footer(ctx, tx, l, r, c); err != nil {
			return Result{}, err
		}
	}
	msg.Text, msg.HTML = mail.Compose(content)
	if res.OutboxID, err = mail.Enqueue(ctx, tx, msg); err != nil {
		return Result{}, err
	}
	return res, nil
}

// recipient resolves who m reaches; skip is true for a disabled account.
func (n *Notifier) recipient(ctx context.Context, tx *sqldb.Tx, m Message) (r recipient, skip bool, err error) {
	st := account.NewStore(tx)
	var u account.User
	switch {
	case m.UserID != 0:
		if u, err = st.User(ctx, m.UserID); err != nil {
			return r, false, fmt.Errorf("notify %d: %w", m.UserID, err)
		}
	case strings.TrimSpace(m.Email) != "":
		u, err = st.UserByEmail(ctx, m.Email)
		if errors.Is(err, sqldb.ErrNotFound) {
			lang := m.Language
			if !i18n.Supported(lang) {
				lang = i18n.Default
			}
			return recipient{email: validation.NormalizeEmail(m.Email), name: m.Name, lang: lang, loc: time.UTC}, false, nil
		}
		if err != nil {
			return r, false, fmt.Errorf("notify %s: %w", m.Email, err)
		}
	default:
		return r, false, ErrNoRecipient
	}
	if u.DisabledAt != nil {
		return r, true, nil
	}
	lang := u.Language
	if !i18n.Supported(lang) {
		lang = m.Language
	}
	if !i18n.Supported(lang) {
		lang = i18n.Default
	}
	return recipient{userID: u.ID, email: u.Email, name: u.Name, lang: lang, loc: u.Location()}, false, nil
}

func greeting(l *i18n.Localizer, name string) string {
	if strings.TrimSpace(name) == "" {
		return l.T("notify.mail.greeting_anonymous")
	}
	return l.T("mail.greeting", name)
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// footer returns the unsubscribe address of a message of category c to r,
// and the small print that says why it came and how to stop it.
func (n *Notifier) footer(ctx context.Context, tx *sqldb.Tx, l *i18n.Localizer, r recipient, c Category) (string, []mail.Link, error) {
	key, err := signingKey(ctx, tx, true)
	if err != nil {
		return "", nil, err
	}
	u := Unsubscription{UserID: r.userID, Category: c.Key, Expires: time.Now().Add(UnsubscribeLifetime).Truncate(time.Second)}
	if r.userID == 0 {
		u.Email = r.email
	}
	link := n.url("/unsubscribe/" + u.token(key))
	name := l.T("notify.category." + c.Key)
	footer := []mail.Link{
		{Label: l.T("notify.mail.why", name, n.SiteName)},
		{Label: l.T("notify.mail.unsubscribe", name), URL: link},
	}
	if r.userID != 0 {
		footer = append(footer, mail.Link{Label: l.T("notify.mail.settings"), URL: n.url("/settings/notifications")})
	}
	return link, footer, nil
}

// Unsubscribe switches off what the token of an unsubscribe link stands
// for: the member's e-mails of that category (their in-app notifications
// stay), or every message of that category to an address without an
// account. Doing it twice is harmless.
func (n *Notifier) Unsubscribe(ctx context.Context, db *sqldb.DB, token string) (Unsubscription, error) {
	return n.setSubscription(ctx, db, token, false)
}

// Resubscribe undoes Unsubscribe: the category comes back as it was by
// default.
func (n *Notifier) Resubscribe(ctx context.Context, db *sqldb.DB, token string) (Unsubscription, error) {
	return n.setSubscription(ctx, db, token, true)
}

func (n *Notifier) setSubscription(ctx context.Context, db *sqldb.DB, token string, on bool) (Unsubscription, error) {
	u, err := ParseUnsubscribe(ctx, db, token)
	if err != nil {
		return u, err
	}
	c, ok := n.Category(u.Category)
	if !ok || c.Transactional {
		return u, ErrInvalidToken
	}
	err = db.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewSettings(tx)
		if u.UserID == 0 {
			return st.setOptOut(ctx, u.Email, c.Key, !on)
		}
		if on {
			_, err := tx.Exec(ctx, "DELETE FROM notification_settings WHERE user_id = ? AND category = ?", u.UserID, c.Key)
			return err
		}
		return st.SetDelivery(ctx, u.UserID, c, Off)
	})
	if errors.Is(err, sqldb.ErrNotFound) {
		return u, ErrInvalidToken
	}
	return u, err
}
