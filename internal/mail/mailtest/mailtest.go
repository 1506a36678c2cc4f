// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// loopback for tests: it keeps every message it accepts, can refuse
// recipients, offer STARTTLS, and be stopped and started again on the same
// port as a mail server that goes down and comes back.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is an SMTP server that keeps what it receives.
type Server struct {
	t    testing.TB
	addr string
	tls  *tls.Config
	// Refuse, when set, answers a recipient with an error (a 5xx
	// *smtp.SMTPError refuses it for good, a 4xx for now).
	Refuse func(to string) error

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	received []Received
	arrived  chan Received
}

// Received is a message the server accepted.
type Received struct {
	From string
	To   []string
	TLS  bool // the session was encrypted (STARTTLS)
	Data []byte
}

// Options change how the server behaves.
type Options struct {
	// STARTTLS makes the server offer STARTTLS with a certificate of its
	// own for 127.0.0.1; ClientTLS returns the settings that trust it.
	STARTTLS bool
}

// Start starts a server on a free loopback port, stopped when the test
// ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{t: t, arrived: make(chan Received, 1000)}
	if opts.STARTTLS {
		s.tls = selfSigned(t)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's address for --smtp.
func (s *Server) URL() string { return "smtp://" + s.addr }

// ClientTLS returns TLS settings that trust the server's certificate.
func (s *Server) ClientTLS() *tls.Config {
	pool := x509.NewCertPool()
	if s.tls != nil {
		pool.AddCert(s.tls.Certificates[0].Leaf)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "smtp-server.example"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.TLSConfig = s.tls
	srv.ErrorLog = quietLog{}
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go srv.Serve(ln)
}

// Stop closes the server: connections are refused until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Close the listener ourselves too: Serve may not have registered
		// it with the server yet.
		ln.Close()
		srv.Close()
	}
}

// Restart listens again on the same address.
func (s *Server) Restart() {
	s.t.Helper()
	// Go listeners set SO_REUSEADDR, so the port just closed is free again.
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatalf("restart the SMTP server on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// Wait returns the next n messages that arrive, failing the test when they
// do not come within timeout.
func (s *Server) Wait(n int, timeout time.Duration) []Received {
	s.t.Helper()
	var out []Received
	deadline := time.After(timeout)
	for len(out) < n {
		select {
		case m := <-s.arrived:
			out = append(out, m)
		case <-deadline:
			s.t.Fatalf("%d of %d messages arrived within %v", len(out), n, timeout)
		}
	}
	return out
}

// Received returns every message accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

type session struct {
	s    *Server
	conn *smtp.Conn
	from string
	to   []string
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error { ss.from = from; return nil }

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.Refuse != nil {
		if err := ss.s.Refuse(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	m := Received{From: ss.from, To: ss.to, TLS: isTLS, Data: b}
	ss.s.mu.Lock()
	ss.s.received = append(ss.s.received, m)
	ss.s.mu.Unlock()
	ss.s.arrived <- m
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

type quietLog struct{}

func (quietLog) Printf(string, ...any) {}
func (quietLog) Println(...any)        {}

func selfSigned(t testing.TB) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}}}
}

// Message is a received message taken apart.
type Message struct {
	Header      mail.Header
	Text        string // the text/plain part, decoded
	HTML        string // the text/html part, decoded
	Attachments []Part
	// Parts lists the content type of every leaf part, in order.
	Parts []string
}

// Part is one attachment.
type Part struct {
	ContentType string // as sent, with its parameters
	Filename    string
	Data        []byte
}

// Parse takes a received message apart, failing the test when it is not a
// well-formed Internet message.
func (r Received) Parse(t testing.TB) Message {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, r.Data)
	}
	out := Message{Header: msg.Header}
	if err := out.walk(textproto(msg.Header), msg.Body); err != nil {
		t.Fatalf("parse message body: %v\n%s", err, r.Data)
	}
	return out
}

// Subject returns the decoded subject.
func (m Message) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

type header interface{ Get(string) string }

func textproto(h mail.Header) header { return h }

func (m *Message) walk(h header, body io.Reader) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header, p); err != nil {
				return err
			}
		}
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m.Parts = append(m.Parts, mediaType)
	disposition, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	switch {
	case disposition == "attachment" || disposition == "inline" && dparams["filename"] != "":
		m.Attachments = append(m.Attachments, Part{ContentType: ct, Filename: dparams["filename"], Data: data})
	case mediaType == "text/plain" && m.Text == "":
		m.Text = strings.ReplaceAll(string(data), "\r\n", "\n")
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = strings.ReplaceAll(string(data), "\r\n", "\n")
	default:
		m.Attachments = append(m.Attachments, Part{ContentType: ct, Filename: params["name"], Data: data})
	}
	return nil
}
