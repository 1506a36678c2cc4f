package event

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
)

// ErrNotEligible is an attendee who was not present long enough for a
// certificate, or a person who did not attend.
var ErrNotEligible = errors.New("not present long enough for a certificate")

// Certificate is a certificate of attendance: who attended what, for how
// long. Code is what its verification address carries.
type Certificate struct {
	Code          string
	AttendeeID    int64
	Name          string
	IssuedAt      time.Time
	Event         Event
	CommunityName string
	CommunitySlug string
	Seconds       int // time present
}

// codeAlphabet leaves out letters and digits that read alike (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func newCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var s strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return s.String()
}

var codePattern = regexp.MustCompile(`^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$`)

// NormalizeCode returns a code as typed in its canonical form, and whether
// it can be one.
func NormalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(s) == 12 && !strings.Contains(s, "-") {
		s = s[:4] + "-" + s[4:8] + "-" + s[8:]
	}
	return s, codePattern.MatchString(s)
}

// IssueCertificate returns the attendee's certificate, issuing it the
// first time: only to an attendee present for at least the event's
// certificate share of its duration.
func (s *Store) IssueCertificate(ctx context.Context, e Event, a Attendee) (Certificate, error) {
	if !a.Eligible(e) || e.Status == Cancelled {
		return Certificate{}, ErrNotEligible
	}
	if a.CertificateCode == "" {
		_, err := s.q.Exec(ctx, "INSERT INTO event_certificates (code, attendee_id, name, issued_at) VALUES (?, ?, ?, ?) ON CONFLICT (attendee_id) DO NOTHING",
			newCode(), a.ID, a.Name, time.Now().UTC())
		if err != nil {
			return Certificate{}, fmt.Errorf("issue certificate to attendee %d: %w", a.ID, err)
		}
	}
	var code string
	if err := s.q.QueryRow(ctx, "SELECT code FROM event_certificates WHERE attendee_id = ?", a.ID).Scan(&code); err != nil {
		return Certificate{}, fmt.Errorf("certificate of attendee %d: %w", a.ID, err)
	}
	return s.CertificateByCode(ctx, code)
}

// CertificateByCode returns the certificate with the code, for anyone who
// checks it.
func (s *Store) CertificateByCode(ctx context.Context, code string) (Certificate, error) {
	code, ok := NormalizeCode(code)
	if !ok {
		return Certificate{}, fmt.Errorf("certificate %q: %w", code, sqldb.ErrNotFound)
	}
	var c Certificate
	var eventID int64
	err := s.q.QueryRow(ctx, `SELECT c.code, c.attendee_id, c.name, c.issued_at, a.event_id,
		(SELECT COALESCE(SUM(seconds), 0) FROM event_attendance_sessions WHERE attendee_id = a.id)
		FROM event_certificates c JOIN event_attendees a ON a.id = c.attendee_id WHERE c.code = ?`, code).
		Scan(&c.Code, &c.AttendeeID, &c.Name, &c.IssuedAt, &eventID, &c.Seconds)
	if err != nil {
		return c, fmt.Errorf("certificate %s: %w", code, err)
	}
	l, err := s.Listed(ctx, eventID)
	if err != nil {
		return c, err
	}
	c.Event, c.CommunityName, c.CommunitySlug = l.Event, l.CommunityName, l.CommunitySlug
	c.Seconds = min(c.Seconds, int(c.Event.Duration()/time.Second))
	return c, nil
}

//go:embed fonts/DejaVuSansCondensed.ttf
var certificateFont []byte

// CertificatePDF lays a certificate out as an A4 page in the reader's
// language, with the address where anyone can check it. The font covers
// Latin, Greek and Cyrillic names.
func CertificatePDF(c Certificate, l *i18n.Localizer, verifyURL, siteName string) ([]byte, error) {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCreationDate(c.IssuedAt)
	pdf.SetModificationDate(c.IssuedAt)
	pdf.SetTitle(l.T("event.certificate.title")+": "+c.Event.Title, true)
	pdf.SetAuthor(siteName, true)
	pdf.SetCreator(siteName, true)
	pdf.AddUTF8FontFromBytes("body", "", certificateFont)
	pdf.SetMargins(25, 25, 25)
	pdf.SetAutoPageBreak(false, 10)
	pdf.AddPage()
	pdf.SetDrawColor(11, 83, 148)
	pdf.SetLineWidth(1.2)
	pdf.Rect(10, 10, 277, 190, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(13, 13, 271, 184, "D")

	line := func(size float64, h float64, text string, r, g, b int) {
		pdf.SetFont("body", "", size)
		pdf.SetTextColor(r, g, b)
		pdf.MultiCell(0, h, text, "", "C", false)
	}
	pdf.SetY(30)
	line(12, 6, siteName, 90, 90, 90)
	pdf.Ln(4)
	line(30, 14, l.T("event.certificate.title"), 11, 83, 148)
	pdf.Ln(6)
	line(13, 7, l.T("event.certificate.certifies"), 40, 40, 40)
	pdf.Ln(2)
	line(26, 13, c.Name, 0, 0, 0)
	pdf.Ln(2)
	line(13, 7, l.T("event.certificate.attended", l.T("event.kind_lower."+c.Event.Kind)), 40, 40, 40)
	pdf.Ln(2)
	line(18, 9, c.Event.Title, 0, 0, 0)
	pdf.Ln(4)
	line(12, 6.5, l.T("event.certificate.details", c.CommunityName, When(l, c.Event, c.Event.Location()),
		c.Seconds/60, int(c.Event.Duration()/time.Minute)), 40, 40, 40)

	pdf.SetY(170)
	line(10, 5, l.T("event.certificate.verify", verifyURL), 70, 70, 70)
	line(10, 5, l.T("event.certificate.code", c.Code, l.Date(c.IssuedAt)), 70, 70, 70)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("lay out certificate %s: %w", c.Code, err)
	}
	return buf.Bytes(), nil
}
