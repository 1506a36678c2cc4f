package event

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Registration statuses.
const (
	StatusRegistered = "registered" // has a seat
	StatusWaitlisted = "waitlisted" // waits for a seat, in order of registration
	StatusCancelled  = "cancelled"  // cancelled by the person or a manager
)

// Registration sources.
const (
	SourceSelf    = "self"    // the person registered themselves
	SourceManager = "manager" // a manager registered them (by e-mail, phone, history)
)

// RegistrationStatuses lists the statuses a manager may set.
var RegistrationStatuses = []string{StatusRegistered, StatusWaitlisted, StatusCancelled}

// Registration is one person's registration for an event. Token is the
// secret of their personal link (/registrations/TOKEN): it shows the join
// link, cancels, and downloads the certificate. It is kept as it is, not
// hashed, because later messages (a seat freed on the waiting list, a
// reminder) must carry the same link.
type Registration struct {
	ID               int64
	EventID          int64
	UserID           int64 // 0 for guests without an account
	Name             string
	Email            string
	Country          string
	Organization     string
	OrganizationType string
	Language         string // of the messages sent to them
	Status           string
	Source           string
	Token            string
	RegisteredAt     time.Time
	CancelledAt      *time.Time
	UpdatedAt        time.Time
	Answers          map[string][]string

	WaitlistPosition int // 1 for the first on the waiting list; 0 otherwise
}

// Active reports whether the registration is not cancelled.
func (r Registration) Active() bool { return r.Status != StatusCancelled }

// NewRegistration is what a registration form or call holds.
type NewRegistration struct {
	UserID           int64
	Name             string
	Email            string
	Country          string
	Organization     string
	OrganizationType string
	Language         string
	Answers          map[string][]string
	// Managers only: the status to give (empty: by capacity) and when the
	// person registered (history imported from before Harambee).
	Status       string
	RegisteredAt time.Time
}

// By says who acts: a manager of the event's community (or a site
// administrator), or someone acting for themselves, logged in or not.
type By struct {
	User    *account.User
	Manager bool
}

// Errors of registration that the pages and the API show as they are.
var (
	errAlreadyRegistered = validation.Conflict("email", "event.error.already_registered")
	errCancelledEvent    = validation.Conflict("event", "event.error.cancelled")
	errStarted           = validation.Conflict("event", "event.error.started")
	errDeadline          = validation.Conflict("event", "event.error.deadline_passed")
	errNotPublished      = validation.Conflict("event", "event.error.not_published")
)

// check validates a registration against the event's questions and returns
// it cleaned. Guests must give their country; managers entering someone's
// registration may leave it out.
func (in NewRegistration) check(e Event, manager bool) (NewRegistration, error) {
	var v validation.Error
	in.Name = v.Text("name", in.Name, true, account.MaxNameLen)
	in.Email = v.Email("email", in.Email, true)
	if in.Country = strings.TrimSpace(in.Country); in.Country != "" {
		cc, ok := taxonomy.NormalizeCountry(in.Country)
		if !ok {
			v.Add("country", "error.country")
		}
		in.Country = cc
	} else if !manager {
		v.Add("country", "error.required")
	}
	in.Organization = v.Text("organization", in.Organization, false, account.MaxOrganizationLen)
	if in.OrganizationType = strings.TrimSpace(in.OrganizationType); in.OrganizationType != "" && !taxonomy.ValidOrganizationType(in.OrganizationType) {
		v.Add("organization_type", "error.organization_type")
	}
	if !i18n.Supported(in.Language) {
		in.Language = i18n.Default
	}
	if manager {
		in.Status = v.OneOf("status", in.Status, false, StatusRegistered, StatusWaitlisted)
		if !in.RegisteredAt.IsZero() && in.RegisteredAt.After(time.Now().Add(time.Minute)) {
			v.Add("registered_at", "event.error.registered_future")
		}
	} else {
		in.Status, in.RegisteredAt = "", time.Time{}
	}
	in.Answers = checkAnswers(&v, e, in.Answers)
	return in, v.Err()
}

// checkAnswers validates answers to the custom questions: required ones
// given, choices among the options, texts within their length. Errors name
// answers.KEY.
func checkAnswers(v *validation.Error, e Event, raw map[string][]string) map[string][]string {
	out := map[string][]string{}
	for key := range raw {
		if _, ok := e.Question(key); !ok {
			v.Add("answers."+key, "event.error.unknown_question")
		}
	}
	for _, q := range e.Questions {
		f := "answers." + q.Key
		var vals []string
		for _, x := range raw[q.Key] {
			if x = strings.TrimSpace(x); x != "" {
				vals = append(vals, x)
			}
		}
		if len(vals) == 0 {
			if q.Required {
				v.Add(f, "event.error.answer_required")
			}
			continue
		}
		switch q.Type {
		case ShortText, LongText:
			limit, text := MaxShortAnswer, vals[0]
			if q.Type == LongText {
				limit = MaxLongAnswer
				text = v.LongText(f, strings.Join(raw[q.Key], "\n"), false, limit)
			} else {
				text = v.Text(f, strings.Join(vals, " "), false, limit)
			}
			out[q.Key] = []string{text}
		default:
			if len(vals) > 1 && q.Type != MultipleChoice {
				v.Add(f, "event.error.one_answer")
				continue
			}
			seen := map[string]bool{}
			for _, x := range vals {
				if !contains(q.Choices(), x) {
					v.Add(f, "event.error.no_such_option", x)
					break
				}
				if !seen[x] {
					seen[x] = true
					out[q.Key] = append(out[q.Key], x)
				}
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// lockEvent reloads an event inside tx, on PostgreSQL with its row locked,
// so that two registrations for the last seat take turns. (On SQLite the
// single writer already makes them take turns.)
func lockEvent(ctx context.Context, tx *sqldb.Tx, id int64) (Event, error) {
	if tx.Dialect() == sqldb.Postgres {
		if _, err := tx.Exec(ctx, "SELECT id FROM events WHERE id = ? FOR UPDATE", id); err != nil {
			return Event{}, fmt.Errorf("lock event %d: %w", id, err)
		}
	}
	return NewStore(tx).ByID(ctx, id)
}

// register records a registration inside tx and reports whether it
// reopened a cancelled one. It does not send mail.
func (s *Store) register(ctx context.Context, tx *sqldb.Tx, e Event, in NewRegistration, by By) (Registration, error) {
	in, err := in.check(e, by.Manager)
	if err != nil {
		return Registration{}, err
	}
	now := time.Now().UTC()
	switch {
	case e.Status == Cancelled:
		return Registration{}, errCancelledEvent
	case by.Manager:
	case e.Status != Published:
		return Registration{}, errNotPublished
	case e.Started(now):
		return Registration{}, errStarted
	case e.RegistrationDeadline != nil && !now.Before(*e.RegistrationDeadline):
		return Registration{}, errDeadline
	}
	if in.UserID == 0 && by.User != nil && by.User.Email == in.Email {
		in.UserID = by.User.ID
	}
	if in.UserID == 0 {
		// A member registered by a manager or under their own address is
		// linked to their account, so their pages know the registration.
		var uid int64
		err := tx.QueryRow(ctx, "SELECT id FROM users WHERE email = ?", in.Email).Scan(&uid)
		if err != nil && !errors.Is(err, sqldb.ErrNotFound) {
			return Registration{}, err
		}
		in.UserID = uid
	}
	status := in.Status
	if status == "" {
		status = StatusRegistered
		if e.Full() {
			status = StatusWaitlisted
		}
	}
	at := now
	if !in.RegisteredAt.IsZero() {
		at = in.RegisteredAt.UTC()
	}
	source := SourceSelf
	if by.Manager {
		source = SourceManager
	}
	var existing Registration
	existing, err = scanRegistration(tx.QueryRow(ctx, "SELECT "+registrationColumns+" FROM event_registrations r WHERE r.event_id = ? AND r.email = ?", e.ID, in.Email))
	var id int64
	token := newToken()
	switch {
	case err == nil && existing.Active():
		return Registration{}, errAlreadyRegistered
	case err == nil:
		id = existing.ID
		_, err = tx.Exec(ctx, `UPDATE event_registrations SET user_id = ?, name = ?, country = ?, organization = ?, organization_type = ?, language = ?,
			status = ?, source = ?, token = ?, registered_at = ?, cancelled_at = NULL, updated_at = ? WHERE id = ?`,
			nullID(in.UserID), in.Name, in.Country, in.Organization, in.OrganizationType, in.Language, status, source, token, at, now, id)
		if err == nil {
			_, err = tx.Exec(ctx, "DELETE FROM event_answers WHERE registration_id = ?", id)
		}
	case errors.Is(err, sqldb.ErrNotFound):
		err = tx.QueryRow(ctx, `INSERT INTO event_registrations (event_id, user_id, name, email, country, organization, organization_type, language,
			status, source, token, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.ID, nullID(in.UserID), in.Name, in.Email, in.Country, in.Organization, in.OrganizationType, in.Language, status, source, token, at, now).Scan(&id)
		if errors.Is(err, sqldb.ErrConflict) {
			return Registration{}, errAlreadyRegistered
		}
	}
	if err != nil {
		return Registration{}, fmt.Errorf("register %s for event %d: %w", in.Email, e.ID, err)
	}
	if err := setAnswers(ctx, tx, id, in.Answers); err != nil {
		return Registration{}, err
	}
	return NewStore(tx).Registration(ctx, e.ID, id)
}

// ImportRegistrations records many registrations of an event at once, as
// a manager importing its history does (a list kept in a spreadsheet
// before Harambee): each is validated as Register validates a manager's,
// the whole list is refused if any is wrong or registered already (the
// error names the row, registrations.N.FIELD), and the rows go in with a
// few statements, not a few per person. It sends no mail and ignores
// capacity: the list says who came. Addresses that belong to accounts are
// linked to them.
func (s *Store) ImportRegistrations(ctx context.Context, e Event, list []NewRegistration) (int, error) {
	if e.Status == Cancelled {
		return 0, errCancelledEvent
	}
	var v validation.Error
	seen := map[string]bool{}
	clean := make([]NewRegistration, len(list))
	for i, in := range list {
		c, err := in.check(e, true)
		if ve, ok := validation.As(err); ok {
			for name, m := range ve.Fields {
				v.Add(fmt.Sprintf("registrations.%d.%s", i, name), m.Key, m.Args...)
			}
		}
		if seen[c.Email] {
			v.Add(fmt.Sprintf("registrations.%d.email", i), "event.error.already_registered")
		}
		seen[c.Email] = true
		clean[i] = c
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	err := sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := lockEvent(ctx, tx, e.ID); err != nil {
			return err
		}
		existing, err := registrationIDs(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		byEmail := map[string]NewRegistration{}
		for i, in := range clean {
			if existing[in.Email] != 0 {
				v.Add(fmt.Sprintf("registrations.%d.email", i), "event.error.already_registered")
			}
			byEmail[in.Email] = in
		}
		if err := v.Err(); err != nil {
			v.Conflict = true
			return err
		}
		users, err := usersByEmail(ctx, tx, byEmail, func(in NewRegistration) string { return in.Email })
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		var rows []any
		for _, in := range clean {
			status, at := in.Status, in.RegisteredAt
			if status == "" {
				status = StatusRegistered
			}
			if at.IsZero() {
				at = now
			}
			uid := in.UserID
			if uid == 0 {
				uid = users[in.Email]
			}
			rows = append(rows, e.ID, nullID(uid), in.Name, in.Email, in.Country, in.Organization, in.OrganizationType, in.Language,
				status, SourceManager, newToken(), at.UTC(), now)
		}
		if err := batchInsert(ctx, tx, `INSERT INTO event_registrations (event_id, user_id, name, email, country, organization, organization_type,
			language, status, source, token, registered_at, updated_at) VALUES `, 13, rows, ""); err != nil {
			return fmt.Errorf("import registrations of event %d: %w", e.ID, err)
		}
		ids, err := registrationIDs(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		var answers []any
		for _, in := range clean {
			keys := make([]string, 0, len(in.Answers))
			for k := range in.Answers {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				for _, val := range in.Answers[k] {
					answers = append(answers, ids[in.Email], k, val)
				}
			}
		}
		return batchInsert(ctx, tx, "INSERT INTO event_answers (registration_id, question_key, value) VALUES ", 3, answers, "")
	})
	if err != nil {
		return 0, err
	}
	return len(clean), nil
}

// registrationIDs returns the ids of an event's registrations, whatever
// their status, by address.
func registrationIDs(ctx context.Context, q sqldb.Querier, eventID int64) (map[string]int64, error) {
	rows, err := q.Query(ctx, "SELECT id, email FROM event_registrations WHERE event_id = ?", eventID)
	out := map[string]int64{}
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id int64
		var email string
		if err := r.Scan(&id, &email); err != nil {
			return err
		}
		out[email] = id
		return nil
	})
	return out, err
}

func setAnswers(ctx context.Context, tx *sqldb.Tx, id int64, answers map[string][]string) error {
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range answers[k] {
			if _, err := tx.Exec(ctx, "INSERT INTO event_answers (registration_id, question_key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", id, k, v); err != nil {
				return fmt.Errorf("save answers of registration %d: %w", id, err)
			}
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const registrationColumns = `r.id, r.event_id, COALESCE(r.user_id, 0), r.name, r.email, r.country, r.organization, r.organization_type, r.language,
	r.status, r.source, r.token, r.registered_at, r.cancelled_at, r.updated_at`

func scanRegistration(s sqldb.Scanner) (Registration, error) {
	var r Registration
	err := s.Scan(&r.ID, &r.EventID, &r.UserID, &r.Name, &r.Email, &r.Country, &r.Organization, &r.OrganizationType, &r.Language,
		&r.Status, &r.Source, &r.Token, &r.RegisteredAt, &r.CancelledAt, &r.UpdatedAt)
	return r, err
}

// Registration returns one registration of an event with its answers and
// waiting-list position.
func (s *Store) Registration(ctx context.Context, eventID, id int64) (Registration, error) {
	r, err := scanRegistration(s.q.QueryRow(ctx, "SELECT "+registrationColumns+" FROM event_registrations r WHERE r.id = ? AND r.event_id = ?", id, eventID))
	if err != nil {
		return r, fmt.Errorf("load registration %d: %w", id, err)
	}
	return r, s.complete(ctx, []*Registration{&r})
}

// ByToken returns the registration of a personal link.
func (s *Store) ByToken(ctx context.Context, token string) (Registration, error) {
	if token == "" || len(token) > 100 {
		return Registration{}, fmt.Errorf("registration link: %w", sqldb.ErrNotFound)
	}
	r, err := scanRegistration(s.q.QueryRow(ctx, "SELECT "+registrationColumns+" FROM event_registrations r WHERE r.token = ?", token))
	if err != nil {
		return r, fmt.Errorf("load registration by link: %w", err)
	}
	return r, s.complete(ctx, []*Registration{&r})
}

// ForUser returns a member's active registration for an event: the one
// linked to their account or made with their address.
func (s *Store) ForUser(ctx context.Context, eventID int64, u account.User) (Registration, error) {
	r, err := scanRegistration(s.q.QueryRow(ctx, "SELECT "+registrationColumns+` FROM event_registrations r
		WHERE r.event_id = ? AND r.email = ? AND r.status <> 'cancelled'`, eventID, u.Email))
	if err != nil {
		return r, fmt.Errorf("registration of %d for event %d: %w", u.ID, eventID, err)
	}
	return r, s.complete(ctx, []*Registration{&r})
}

// RegistrationsOptions narrows a list of registrations.
type RegistrationsOptions struct {
	Status string // empty: every active one (registered and waiting)
	Limit  int    // 0: all
	Offset int
}

// Registrations lists an event's registrations, in order of registration,
// with their answers and waiting-list positions, and how many match.
func (s *Store) Registrations(ctx context.Context, eventID int64, opt RegistrationsOptions) ([]Registration, int, error) {
	where, args := " WHERE r.event_id = ?", []any{eventID}
	switch opt.Status {
	case "":
		where += " AND r.status <> 'cancelled'"
	case "all":
	default:
		where += " AND r.status = ?"
		args = append(args, opt.Status)
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM event_registrations r"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count registrations of event %d: %w", eventID, err)
	}
	q := "SELECT " + registrationColumns + " FROM event_registrations r" + where + " ORDER BY r.registered_at, r.id"
	if opt.Limit > 0 {
		q += " LIMIT ? OFFSET ?"
		args = append(args, opt.Limit, opt.Offset)
	}
	rows, err := s.q.Query(ctx, q, args...)
	list, err := sqldb.Collect(rows, err, scanRegistration)
	if err != nil {
		return nil, 0, fmt.Errorf("list registrations of event %d: %w", eventID, err)
	}
	ptrs := make([]*Registration, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, total, s.complete(ctx, ptrs)
}

// complete fills in the answers and waiting-list positions of
// registrations (of one event), with two queries.
func (s *Store) complete(ctx context.Context, rs []*Registration) error {
	if len(rs) == 0 {
		return nil
	}
	byID := make(map[int64]*Registration, len(rs))
	ids := make([]any, len(rs))
	for i, r := range rs {
		r.Answers = map[string][]string{}
		byID[r.ID] = r
		ids[i] = r.ID
	}
	rows, err := s.q.Query(ctx, "SELECT registration_id, question_key, value FROM event_answers WHERE registration_id IN ("+
		sqldb.Placeholders(len(ids))+") ORDER BY registration_id, question_key, value", ids...)
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id int64
		var k, v string
		if err := r.Scan(&id, &k, &v); err != nil {
			return err
		}
		byID[id].Answers[k] = append(byID[id].Answers[k], v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load answers: %w", err)
	}
	waiting := false
	for _, r := range rs {
		waiting = waiting || r.Status == StatusWaitlisted
	}
	if !waiting {
		return nil
	}
	order, err := s.waitlist(ctx, rs[0].EventID, 0)
	if err != nil {
		return err
	}
	for i, id := range order {
		if r := byID[id]; r != nil {
			r.WaitlistPosition = i + 1
		}
	}
	return nil
}

// waitlist returns the ids of an event's waiting list in order (at most
// limit, 0 for all).
func (s *Store) waitlist(ctx context.Context, eventID int64, limit int) ([]int64, error) {
	q := "SELECT id FROM event_registrations WHERE event_id = ? AND status = 'waitlisted' ORDER BY registered_at, id"
	args := []any{eventID}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := s.q.Query(ctx, q, args...)
	ids, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("waiting list of event %d: %w", eventID, err)
	}
	return ids, nil
}

// setStatus changes a registration's status inside tx.
func setStatus(ctx context.Context, tx *sqldb.Tx, id int64, status string) error {
	now := time.Now().UTC()
	var cancelled any
	if status == StatusCancelled {
		cancelled = now
	}
	_, err := tx.Exec(ctx, "UPDATE event_registrations SET status = ?, cancelled_at = ?, updated_at = ? WHERE id = ?", status, cancelled, now, id)
	if err != nil {
		return fmt.Errorf("set status of registration %d: %w", id, err)
	}
	return nil
}

// promote gives free seats to the waiting list in order and returns the
// registrations promoted.
func promote(ctx context.Context, tx *sqldb.Tx, e Event) ([]Registration, error) {
	st := NewStore(tx)
	var registered int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'registered'", e.ID).Scan(&registered); err != nil {
		return nil, err
	}
	free := 0
	if e.Capacity > 0 {
		free = e.Capacity - registered
		if free <= 0 {
			return nil, nil
		}
	}
	ids, err := st.waitlist(ctx, e.ID, free)
	if err != nil {
		return nil, err
	}
	var out []Registration
	for _, id := range ids {
		if err := setStatus(ctx, tx, id, StatusRegistered); err != nil {
			return nil, err
		}
		r, err := st.Registration(ctx, e.ID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
