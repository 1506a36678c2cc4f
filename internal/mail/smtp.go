package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPOptions configure an SMTP sender.
type SMTPOptions struct {
	// URL is smtp://user:pass@host:port (STARTTLS when the server offers
	// it, port 587 by default) or smtps://user:pass@host:port (TLS from the
	// start, port 465 by default). User and password are optional.
	URL string
	// From is the sender: an address, or a name and address
	// ("Harambee <harambee@example.org>"). A bare address gets SiteName as
	// its name.
	From     string
	SiteName string
	// Domain is the domain of Message-IDs, the host of the site's address.
	Domain string
	// TLS overrides the TLS settings (tests trust their own certificate).
	TLS *tls.Config
	// Timeout bounds connecting and each exchange with the server (30 s).
	Timeout time.Duration
}

// SMTP sends messages through a mail server, with go-mail.
type SMTP struct {
	host      string
	port      int
	implicit  bool // smtps: TLS from the first byte
	user      string
	pass      string
	from      *netmail.Address
	domain    string
	tlsConfig *tls.Config
	timeout   time.Duration
}

// NewSMTP checks the options and returns the sender.
func NewSMTP(o SMTPOptions) (*SMTP, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("mail server %q: use smtp://user:pass@host:port or smtps://user:pass@host:port", redact(o.URL))
	}
	s := &SMTP{host: u.Hostname(), implicit: u.Scheme == "smtps", domain: o.Domain, timeout: o.Timeout}
	s.port = 587
	if s.implicit {
		s.port = 465
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port <= 0 || s.port > 65535 {
			return nil, fmt.Errorf("mail server %q: bad port %q", redact(o.URL), p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.from, err = netmail.ParseAddress(o.From); err != nil {
		return nil, fmt.Errorf("sender address %q: %w", o.From, err)
	}
	if s.from.Name == "" {
		s.from.Name = HeaderText(o.SiteName)
	}
	if s.domain == "" {
		s.domain = "localhost"
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	s.tlsConfig = o.TLS
	if s.tlsConfig == nil {
		s.tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	s.tlsConfig = s.tlsConfig.Clone()
	if s.tlsConfig.ServerName == "" {
		s.tlsConfig.ServerName = s.host
	}
	return s, nil
}

// redact hides the password of a mail server URL in messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}

// Address is where the server is, for logs.
func (s *SMTP) Address() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// Send connects to the server and sends m: one connection per message,
// which is simple and enough for the few messages a community sends.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.Build(m)
	if err != nil {
		return &PermanentError{Err: err}
	}
	opts := []gomail.Option{
		gomail.WithPort(s.port), gomail.WithTimeout(s.timeout), gomail.WithHELO(s.domain),
		gomail.WithTLSConfig(s.tlsConfig), gomail.WithTLSPolicy(gomail.TLSOpportunistic),
	}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("mail server %s: %w", s.Address(), err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		err = fmt.Errorf("mail server %s: %w", s.Address(), err)
		if refused(err) {
			return &PermanentError{Err: err}
		}
		return err
	}
	return nil
}

// refused reports whether the server refused the message for good: a 5xx
// answer to the sender, a recipient or the content. Anything else (no
// connection, a 4xx, a failed log-in, which the operator can fix) is worth
// trying again.
func refused(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.IsTemp() {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	return false
}

// Build lays m out as an Internet message: multipart text and HTML, its
// attachments, the site's sender, a Message-ID under the site's domain, the
// language of the text, and on messages that are not transactional the
// one-click unsubscribe headers of RFC 8058. Names and subjects pass through
// HeaderText, so they cannot add header lines.
func (s *SMTP) Build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(s.from.Name, s.from.Address); err != nil {
		return nil, fmt.Errorf("sender %q: %w", s.from.Address, err)
	}
	if err := msg.AddToFormat(HeaderText(m.ToName), m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(HeaderText(m.Subject))
	msg.SetMessageIDWithValue(m.MessageID(s.domain))
	msg.SetDateWithValue(time.Now())
	if m.Language != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, HeaderText(m.Language))
	}
	// RFC 3834: a machine wrote this; out-of-office replies should not
	// answer it.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.UnsubscribeURL != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+HeaderText(m.UnsubscribeURL)+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(HeaderText(a.Filename), bytes.NewReader(a.Data),
			gomail.WithFileContentType(gomail.ContentType(HeaderText(a.ContentType)))); err != nil {
			return nil, fmt.Errorf("attachment %q: %w", a.Filename, err)
		}
	}
	return msg, nil
}
