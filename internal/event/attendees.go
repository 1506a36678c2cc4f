package event

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
)

// Session sources.
const (
	SourceReport = "report" // imported from a participants report
	SourceHand   = "manual" // marked present by a manager
)

// Attendee is a person who joined an event, however many times: matched
// to their registration, or a walk-in. Country and organisation type come
// from the registration, or for a walk-in from their account, if any.
type Attendee struct {
	ID               int64
	EventID          int64
	RegistrationID   int64 // 0 for a walk-in
	UserID           int64
	Name             string
	Email            string
	Country          string
	OrganizationType string
	Language         string
	// RegistrationStatus is the status of the linked registration, empty
	// for a walk-in.
	RegistrationStatus string
	Seconds            int // summed over their sessions
	Sessions           int
	Manual             bool   // marked present by hand
	CertificateCode    string // once a certificate was issued
}

// Share is the part of the event's duration the attendee was present,
// from 0 to 1.
func (a Attendee) Share(e Event) float64 {
	d := e.Duration().Seconds()
	if d <= 0 {
		return 0
	}
	return min(1, float64(a.Seconds)/d)
}

// Eligible reports whether the attendee was present long enough for a
// certificate.
func (a Attendee) Eligible(e Event) bool {
	return a.Share(e)*100 >= float64(e.CertificateShare)-1e-9
}

// ImportResult says what an import read: the data rows, how many of them
// were matched to a registration and how many not (matched + unmatched =
// rows), and the distinct people in the report, walk-ins included.
type ImportResult struct {
	Format    string
	Rows      int
	Matched   int
	Unmatched int
	Attendees int
}

type regRef struct {
	id, userID int64
	email      string
}

// ImportAttendance reads a participants report and records who attended:
// rows are matched to registrations by address (trimmed, any case), then by
// exact name; a person who left and joined again is one attendee with the
// times summed; people who did not register are kept as walk-ins. Each
// session is keyed by its join time, so importing the same report again
// changes nothing. A report that cannot be read is refused whole.
func (s *Store) ImportAttendance(ctx context.Context, e Event, data []byte, filename string, actor int64) (ImportResult, error) {
	rep, err := ParseReport(data, ParseOptions{Location: e.Location(), Start: e.StartsAt, End: e.EndsAt})
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Format: rep.Format, Rows: len(rep.Rows)}
	sum := sha256.Sum256(data)
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		byEmail, byName, err := registrationIndex(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		match := func(name, email string) *regRef {
			if r := byEmail[email]; email != "" && r != nil {
				return r
			}
			return byName[NameKey(name)]
		}
		type person struct {
			name, email string
			reg         *regRef
		}
		people := map[string]*person{}
		var order []string
		keyOf := func(name, email string) (string, *regRef) {
			r := match(name, email)
			if r != nil {
				return "e:" + r.email, r
			}
			return personKey(email, name), nil
		}
		for _, row := range rep.Rows {
			k, r := keyOf(row.Name, row.Email)
			if r != nil {
				res.Matched++
			} else {
				res.Unmatched++
			}
			if _, ok := people[k]; !ok {
				email := row.Email
				if r != nil {
					email = r.email
				}
				people[k] = &person{name: row.Name, email: email, reg: r}
				order = append(order, k)
			}
		}
		res.Attendees = len(people)
		users, err := usersByEmail(ctx, tx, people, func(p *person) string {
			if p.reg == nil {
				return p.email
			}
			return ""
		})
		if err != nil {
			return err
		}
		ids, err := existingAttendees(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		var insert []any
		for _, k := range order {
			p := people[k]
			var regID, userID int64
			if p.reg != nil {
				regID, userID = p.reg.id, p.reg.userID
			} else {
				userID = users[p.email]
			}
			if id, ok := ids[k]; ok {
				if _, err := tx.Exec(ctx, "UPDATE event_attendees SET registration_id = ?, user_id = COALESCE(?, user_id) WHERE id = ?",
					nullID(regID), nullID(userID), id); err != nil {
					return fmt.Errorf("update attendee %d: %w", id, err)
				}
				continue
			}
			insert = append(insert, e.ID, k, nullID(regID), nullID(userID), p.name, p.email, now)
		}
		if err := batchInsert(ctx, tx, "INSERT INTO event_attendees (event_id, person_key, registration_id, user_id, name, email, created_at) VALUES ", 7, insert, ""); err != nil {
			return fmt.Errorf("record attendees of event %d: %w", e.ID, err)
		}
		if ids, err = existingAttendees(ctx, tx, e.ID); err != nil {
			return err
		}
		type sessionKey struct {
			attendee int64
			joined   time.Time
		}
		sessions := map[sessionKey]Session{}
		for _, ss := range rep.Sessions {
			k, _ := keyOf(ss.Name, ss.Email)
			sk := sessionKey{ids[k], ss.Joined}
			if old, dup := sessions[sk]; !dup || ss.Seconds > old.Seconds {
				sessions[sk] = ss
			}
		}
		keys := make([]sessionKey, 0, len(sessions))
		for k := range sessions {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].attendee != keys[j].attendee {
				return keys[i].attendee < keys[j].attendee
			}
			return keys[i].joined.Before(keys[j].joined)
		})
		var rows []any
		for _, k := range keys {
			ss := sessions[k]
			rows = append(rows, k.attendee, ss.Joined, ss.Left, ss.Seconds, SourceReport)
		}
		if err := batchInsert(ctx, tx, "INSERT INTO event_attendance_sessions (attendee_id, joined_at, left_at, seconds, source) VALUES ", 5, rows,
			" ON CONFLICT (attendee_id, joined_at) DO UPDATE SET left_at = excluded.left_at, seconds = excluded.seconds, source = excluded.source"); err != nil {
			return fmt.Errorf("record sessions of event %d: %w", e.ID, err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO event_attendance_imports (event_id, sha256, format, filename, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (event_id, sha256) DO NOTHING`, e.ID, hex.EncodeToString(sum[:]), rep.Format, truncate(filename, 200), nullID(actor), now)
		if err != nil {
			return err
		}
		// Search gently favours well-attended events.
		return search.Rescore(ctx, tx, search.KindEvent, e.ID)
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// registrationIndex returns an event's active registrations by address and
// by name; a name two registrants share matches neither.
func registrationIndex(ctx context.Context, q sqldb.Querier, eventID int64) (map[string]*regRef, map[string]*regRef, error) {
	rows, err := q.Query(ctx, "SELECT id, COALESCE(user_id, 0), email, name FROM event_registrations WHERE event_id = ? AND status <> 'cancelled'", eventID)
	byEmail, byName := map[string]*regRef{}, map[string]*regRef{}
	ambiguous := map[string]bool{}
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var ref regRef
		var name string
		if err := r.Scan(&ref.id, &ref.userID, &ref.email, &name); err != nil {
			return err
		}
		byEmail[ref.email] = &ref
		k := NameKey(name)
		if _, dup := byName[k]; dup {
			ambiguous[k] = true
		}
		byName[k] = &ref
		return nil
	})
	for k := range ambiguous {
		delete(byName, k)
	}
	return byEmail, byName, err
}

// usersByEmail finds the accounts of the addresses that pick returns, with
// one query per 500 addresses.
func usersByEmail[T any](ctx context.Context, q sqldb.Querier, people map[string]T, pick func(T) string) (map[string]int64, error) {
	var emails []any
	for _, p := range people {
		if e := pick(p); e != "" {
			emails = append(emails, e)
		}
	}
	out := map[string]int64{}
	for start := 0; start < len(emails); start += 500 {
		part := emails[start:min(len(emails), start+500)]
		rows, err := q.Query(ctx, "SELECT id, email FROM users WHERE email IN ("+sqldb.Placeholders(len(part))+")", part...)
		if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
			var id int64
			var email string
			if err := r.Scan(&id, &email); err != nil {
				return err
			}
			out[email] = id
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func existingAttendees(ctx context.Context, q sqldb.Querier, eventID int64) (map[string]int64, error) {
	rows, err := q.Query(ctx, "SELECT id, person_key FROM event_attendees WHERE event_id = ?", eventID)
	out := map[string]int64{}
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id int64
		var k string
		if err := r.Scan(&id, &k); err != nil {
			return err
		}
		out[k] = id
		return nil
	})
	return out, err
}

// batchInsert inserts rows of width values each, a few hundred to a
// statement.
func batchInsert(ctx context.Context, q sqldb.Querier, prefix string, width int, values []any, suffix string) error {
	tuple := "(" + sqldb.Placeholders(width) + ")"
	per := 400 / width * width
	for start := 0; start < len(values); start += per {
		part := values[start:min(len(values), start+per)]
		n := len(part) / width
		if _, err := q.Exec(ctx, prefix+strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")+suffix, part...); err != nil {
			return err
		}
	}
	return nil
}

// Attendees lists who attended an event, by name, with their time present
// and certificate, with one query.
func (s *Store) Attendees(ctx context.Context, e Event) ([]Attendee, error) {
	return s.attendees(ctx, e, "")
}

// attendees lists an event's attendees that meet cond (with args).
func (s *Store) attendees(ctx context.Context, e Event, cond string, args ...any) ([]Attendee, error) {
	rows, err := s.q.Query(ctx, `SELECT a.id, a.event_id, COALESCE(a.registration_id, 0), COALESCE(a.user_id, 0), a.name, a.email,
		COALESCE(NULLIF(r.country, ''), u.country, ''), COALESCE(NULLIF(r.organization_type, ''), u.organization_type, ''),
		COALESCE(NULLIF(r.language, ''), u.ui_language, ''), COALESCE(r.status, ''),
		COALESCE(x.secs, 0), COALESCE(x.n, 0), COALESCE(x.manual, 0), COALESCE(c.code, '')
		FROM event_attendees a
		LEFT JOIN event_registrations r ON r.id = a.registration_id
		LEFT JOIN users u ON u.id = a.user_id
		LEFT JOIN event_certificates c ON c.attendee_id = a.id
		LEFT JOIN (SELECT s.attendee_id, SUM(s.seconds) AS secs, COUNT(*) AS n, SUM(CASE WHEN s.source = 'manual' THEN 1 ELSE 0 END) AS manual
			FROM event_attendance_sessions s JOIN event_attendees aa ON aa.id = s.attendee_id WHERE aa.event_id = ? GROUP BY s.attendee_id) x ON x.attendee_id = a.id
		WHERE a.event_id = ?`+cond+` ORDER BY lower(a.name), a.id`, append([]any{e.ID, e.ID}, args...)...)
	list, err := sqldb.Collect(rows, err, scanAttendee)
	if err != nil {
		return nil, fmt.Errorf("attendees of event %d: %w", e.ID, err)
	}
	return list, nil
}

func scanAttendee(r sqldb.Scanner) (Attendee, error) {
	var a Attendee
	var manual int
	err := r.Scan(&a.ID, &a.EventID, &a.RegistrationID, &a.UserID, &a.Name, &a.Email, &a.Country, &a.OrganizationType, &a.Language, &a.RegistrationStatus,
		&a.Seconds, &a.Sessions, &manual, &a.CertificateCode)
	a.Manual = manual > 0
	return a, err
}

// MarkAttendance records by hand that a registrant attended (for the whole
// event) or, when present is false, removes what was marked by hand; an
// attendee left with no session is no longer one.
func (s *Store) MarkAttendance(ctx context.Context, e Event, regID int64, present bool) error {
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if err := markAttendance(ctx, tx, e, regID, present); err != nil {
			return err
		}
		// Search gently favours well-attended events.
		return search.Rescore(ctx, tx, search.KindEvent, e.ID)
	})
}

// markAttendance is MarkAttendance inside its transaction.
func markAttendance(ctx context.Context, tx *sqldb.Tx, e Event, regID int64, present bool) error {
	r, err := NewStore(tx).Registration(ctx, e.ID, regID)
	if err != nil {
		return err
	}
	key := "e:" + r.Email
	var id int64
	err = tx.QueryRow(ctx, "SELECT id FROM event_attendees WHERE event_id = ? AND person_key = ?", e.ID, key).Scan(&id)
	switch {
	case errors.Is(err, sqldb.ErrNotFound) && !present:
		return nil
	case errors.Is(err, sqldb.ErrNotFound):
		err = tx.QueryRow(ctx, `INSERT INTO event_attendees (event_id, person_key, registration_id, user_id, name, email, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.ID, key, r.ID, nullID(r.UserID), r.Name, r.Email, time.Now().UTC()).Scan(&id)
	}
	if err != nil {
		return fmt.Errorf("mark attendance of registration %d: %w", regID, err)
	}
	if present {
		_, err = tx.Exec(ctx, `INSERT INTO event_attendance_sessions (attendee_id, joined_at, left_at, seconds, source) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (attendee_id, joined_at) DO NOTHING`, id, e.StartsAt, e.EndsAt, int(e.Duration()/time.Second), SourceHand)
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM event_attendance_sessions WHERE attendee_id = ? AND source = 'manual'", id); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "DELETE FROM event_attendees WHERE id = ? AND NOT EXISTS (SELECT 1 FROM event_attendance_sessions WHERE attendee_id = ?)", id, id)
	return err
}

// AttendeeForRegistration returns the attendance of a registration.
func (s *Store) AttendeeForRegistration(ctx context.Context, e Event, r Registration) (Attendee, error) {
	return s.oneAttendee(ctx, e, " AND (a.registration_id = ? OR a.person_key = ?)", r.ID, "e:"+r.Email)
}

// AttendeeByEmail returns the attendance of an address at an event.
func (s *Store) AttendeeByEmail(ctx context.Context, e Event, email string) (Attendee, error) {
	return s.oneAttendee(ctx, e, " AND a.person_key = ?", "e:"+email)
}

// Attendee returns one attendee of an event.
func (s *Store) Attendee(ctx context.Context, e Event, id int64) (Attendee, error) {
	return s.oneAttendee(ctx, e, " AND a.id = ?", id)
}

func (s *Store) oneAttendee(ctx context.Context, e Event, cond string, args ...any) (Attendee, error) {
	list, err := s.attendees(ctx, e, cond, args...)
	if err != nil {
		return Attendee{}, err
	}
	if len(list) == 0 {
		return Attendee{}, fmt.Errorf("attendee of event %d: %w", e.ID, sqldb.ErrNotFound)
	}
	return list[0], nil
}
