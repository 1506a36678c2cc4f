package survey

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Response sources: how an answer came in.
const (
	SourceInvitation = "invitation" // a personal link
	SourceOpen       = "open"       // the anonymous open link
	SourceMember     = "member"     // a logged-in attendee, on the site or through the API
	SourceManager    = "manager"    // entered by a manager (history, paper forms)
)

// ErrInvalidLink is a survey link that is unknown or switched off.
var ErrInvalidLink = errors.New("survey link unknown or closed")

// Store reads and writes surveys through a database or a transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// NewToken returns a random token for a personal or open link: 32
// characters that fit in a URL.
func NewToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ForEvent returns the survey of an event, sqldb.ErrNotFound when it has
// none yet.
func (s *Store) ForEvent(ctx context.Context, eventID int64) (Survey, error) {
	return s.one(ctx, "event_id = ?", eventID)
}

// ByOpenToken returns the survey whose open link has the token.
func (s *Store) ByOpenToken(ctx context.Context, token string) (Survey, error) {
	if token == "" || len(token) > 100 {
		return Survey{}, ErrInvalidLink
	}
	sv, err := s.one(ctx, "open_token = ?", token)
	if errors.Is(err, sqldb.ErrNotFound) {
		return sv, ErrInvalidLink
	}
	return sv, err
}

func (s *Store) one(ctx context.Context, where string, arg any) (Survey, error) {
	var sv Survey
	var open *string
	err := s.q.QueryRow(ctx, "SELECT id, event_id, open_token, created_at, updated_at FROM surveys WHERE "+where, arg).
		Scan(&sv.ID, &sv.EventID, &open, &sv.CreatedAt, &sv.UpdatedAt)
	if err != nil {
		return sv, fmt.Errorf("load survey (%v): %w", arg, err)
	}
	if open != nil {
		sv.OpenToken = *open
	}
	rows, err := s.q.Query(ctx, "SELECT key, text, type, multiple, required, options FROM survey_questions WHERE survey_id = ? ORDER BY position", sv.ID)
	sv.Questions, err = sqldb.Collect(rows, err, func(r sqldb.Scanner) (Question, error) {
		var q Question
		var opts string
		err := r.Scan(&q.ID, &q.Text, &q.Type, &q.Multiple, &q.Required, &opts)
		if opts != "" {
			q.Options = strings.Split(opts, "\n")
		}
		return q, err
	})
	if err != nil {
		return sv, fmt.Errorf("load questions of survey %d: %w", sv.ID, err)
	}
	return sv, nil
}

// Save validates the questions and makes them the event's survey, creating
// it if needed. Once people have answered, a question that has answers
// keeps its id and type (its text may change); removing it or changing its
// type is a conflict, since results would no longer add up.
func (s *Store) Save(ctx context.Context, eventID int64, qs []Question) (Survey, error) {
	qs, err := ValidateQuestions(qs)
	if err != nil {
		return Survey{}, err
	}
	var out Survey
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		now := time.Now().UTC()
		old, err := st.ForEvent(ctx, eventID)
		switch {
		case errors.Is(err, sqldb.ErrNotFound):
			if err := tx.QueryRow(ctx, "INSERT INTO surveys (event_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
				eventID, now, now).Scan(&old.ID); err != nil {
				return fmt.Errorf("create survey of event %d: %w", eventID, err)
			}
		case err != nil:
			return err
		default:
			if err := st.checkAnswered(ctx, old, qs); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE surveys SET updated_at = ? WHERE id = ?", now, old.ID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM survey_questions WHERE survey_id = ?", old.ID); err != nil {
			return fmt.Errorf("replace questions of survey %d: %w", old.ID, err)
		}
		for i, q := range qs {
			if _, err := tx.Exec(ctx, `INSERT INTO survey_questions (survey_id, key, position, text, type, multiple, required, options)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, old.ID, q.ID, i, q.Text, q.Type, q.Multiple, q.Required, strings.Join(q.Options, "\n")); err != nil {
				return fmt.Errorf("save question %s: %w", q.ID, err)
			}
		}
		out, err = st.ForEvent(ctx, eventID)
		return err
	})
	return out, err
}

// checkAnswered refuses new questions that drop or retype answered ones.
func (s *Store) checkAnswered(ctx context.Context, old Survey, qs []Question) error {
	rows, err := s.q.Query(ctx, "SELECT DISTINCT question_key FROM survey_answers WHERE survey_id = ?", old.ID)
	answered, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (string, error) {
		var k string
		return k, r.Scan(&k)
	})
	if err != nil {
		return fmt.Errorf("answered questions of survey %d: %w", old.ID, err)
	}
	sort.Strings(answered)
	next := Survey{Questions: qs}
	for _, id := range answered {
		was, known := old.Question(id)
		q, ok := next.Question(id)
		switch {
		case known && !ok:
			return validation.Conflict("questions", "survey.error.answered_removed", id)
		case known && q.Type != was.Type:
			return validation.Conflict("questions", "survey.error.answered_retyped", id)
		}
	}
	return nil
}

// SetOpenLink turns the anonymous open link on (with a new token) or off,
// and returns the token, empty when off.
func (s *Store) SetOpenLink(ctx context.Context, surveyID int64, on bool) (string, error) {
	var token any
	tok := ""
	if on {
		tok = NewToken()
		token = tok
	}
	res, err := s.q.Exec(ctx, "UPDATE surveys SET open_token = ?, updated_at = ? WHERE id = ?", token, time.Now(), surveyID)
	if err != nil {
		return "", fmt.Errorf("set open link of survey %d: %w", surveyID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", fmt.Errorf("survey %d: %w", surveyID, sqldb.ErrNotFound)
	}
	return tok, nil
}

// Invitation is a personal link to a survey, for one address.
type Invitation struct {
	ID        int64
	SurveyID  int64
	Email     string
	Name      string
	Language  string
	Token     string
	CreatedAt time.Time
	SentAt    *time.Time
	SentCount int
	Responded bool
}

// Invitee is someone to invite.
type Invitee struct {
	Email, Name, Language string
}

// Invite makes sure each invitee has a personal link and returns the
// invitations of those who have not answered yet, whether new or sent
// before (for a reminder), in the order given. Addresses are normalised;
// empty or repeated ones are skipped.
func (s *Store) Invite(ctx context.Context, sv Survey, people []Invitee) ([]Invitation, error) {
	var emails []any
	seen := map[string]bool{}
	now := time.Now().UTC()
	const chunk = 100
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / 6
		_, err := s.q.Exec(ctx, "INSERT INTO survey_invitations (survey_id, email, name, language, token, created_at) VALUES "+
			sqldb.Rows(n, 6)+" ON CONFLICT (survey_id, email) DO NOTHING", batch...)
		batch = batch[:0]
		return err
	}
	for _, p := range people {
		email := validation.NormalizeEmail(p.Email)
		if email == "" || seen[email] {
			continue
		}
		seen[email] = true
		emails = append(emails, email)
		batch = append(batch, sv.ID, email, p.Name, p.Language, NewToken(), now)
		if len(batch) >= chunk*6 {
			if err := flush(); err != nil {
				return nil, fmt.Errorf("invite to survey %d: %w", sv.ID, err)
			}
		}
	}
	if err := flush(); err != nil {
		return nil, fmt.Errorf("invite to survey %d: %w", sv.ID, err)
	}
	if len(emails) == 0 {
		return nil, nil
	}
	all, err := s.Invitations(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	byEmail := make(map[string]Invitation, len(all))
	for _, inv := range all {
		byEmail[inv.Email] = inv
	}
	var out []Invitation
	for _, e := range emails {
		if inv, ok := byEmail[e.(string)]; ok && !inv.Responded {
			out = append(out, inv)
		}
	}
	return out, nil
}

// MarkSent records that invitations were (re)sent now.
func (s *Store) MarkSent(ctx context.Context, ids []int64) error {
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(len(ids), start+500)]
		args := []any{time.Now().UTC()}
		for _, id := range part {
			args = append(args, id)
		}
		if _, err := s.q.Exec(ctx, "UPDATE survey_invitations SET sent_at = ?, sent_count = sent_count + 1 WHERE id IN ("+sqldb.Placeholders(len(part))+")", args...); err != nil {
			return fmt.Errorf("mark invitations sent: %w", err)
		}
	}
	return nil
}

const invitationColumns = `i.id, i.survey_id, i.email, i.name, i.language, i.token, i.created_at, i.sent_at, i.sent_count,
	(EXISTS (SELECT 1 FROM survey_responses r WHERE r.invitation_id = i.id)
	 OR EXISTS (SELECT 1 FROM survey_responses r WHERE r.survey_id = i.survey_id AND r.email = i.email AND r.email <> ''))`

func scanInvitation(r sqldb.Scanner) (Invitation, error) {
	var i Invitation
	err := r.Scan(&i.ID, &i.SurveyID, &i.Email, &i.Name, &i.Language, &i.Token, &i.CreatedAt, &i.SentAt, &i.SentCount, &i.Responded)
	return i, err
}

// Invitations lists a survey's invitations by address.
func (s *Store) Invitations(ctx context.Context, surveyID int64) ([]Invitation, error) {
	rows, err := s.q.Query(ctx, "SELECT "+invitationColumns+" FROM survey_invitations i WHERE i.survey_id = ? ORDER BY i.email", surveyID)
	list, err := sqldb.Collect(rows, err, scanInvitation)
	if err != nil {
		return nil, fmt.Errorf("invitations of survey %d: %w", surveyID, err)
	}
	return list, nil
}

// InvitationByToken returns the invitation of a personal link and its
// survey.
func (s *Store) InvitationByToken(ctx context.Context, token string) (Invitation, Survey, error) {
	if token == "" || len(token) > 100 {
		return Invitation{}, Survey{}, ErrInvalidLink
	}
	inv, err := scanInvitation(s.q.QueryRow(ctx, "SELECT "+invitationColumns+" FROM survey_invitations i WHERE i.token = ?", token))
	if errors.Is(err, sqldb.ErrNotFound) {
		return inv, Survey{}, ErrInvalidLink
	}
	if err != nil {
		return inv, Survey{}, err
	}
	sv, err := s.one(ctx, "id = ?", inv.SurveyID)
	return inv, sv, err
}

// Submission is one person's answers.
type Submission struct {
	Answers      map[string][]string
	InvitationID int64  // the personal link answered through, if any
	Email        string // who answers, when known; one response per address
	Source       string
	SubmittedAt  time.Time // zero for now; managers entering history set it
}

// Response is one submitted questionnaire.
type Response struct {
	ID          int64
	SurveyID    int64
	Email       string
	Source      string
	SubmittedAt time.Time
	Answers     []Answer
}

var errAlreadyAnswered = validation.Conflict("answers", "survey.error.already_answered")

// Submit validates answers and records them. A second response from the
// same address or personal link is a conflict.
func (s *Store) Submit(ctx context.Context, sv Survey, in Submission) (Response, error) {
	answers, err := sv.CheckAnswers(in.Answers)
	if err != nil {
		return Response{}, err
	}
	if len(answers) == 0 {
		return Response{}, validation.Field("answers", "survey.error.empty")
	}
	now := time.Now().UTC()
	at := now
	if !in.SubmittedAt.IsZero() {
		if in.SubmittedAt.After(now.Add(time.Minute)) {
			return Response{}, validation.Field("submitted_at", "survey.error.future")
		}
		at = in.SubmittedAt.UTC()
	}
	if in.Source == "" {
		in.Source = SourceManager
	}
	resp := Response{SurveyID: sv.ID, Email: validation.NormalizeEmail(in.Email), Source: in.Source, SubmittedAt: at, Answers: answers}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		// Checked before the insert: on PostgreSQL a failed statement would
		// abort the caller's whole transaction.
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = ? AND
			((email = ? AND email <> '') OR (invitation_id = ? AND invitation_id IS NOT NULL)))`, sv.ID, resp.Email, in.InvitationID).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return errAlreadyAnswered
		}
		var inv any
		if in.InvitationID != 0 {
			inv = in.InvitationID
		}
		err := tx.QueryRow(ctx, "INSERT INTO survey_responses (survey_id, invitation_id, email, source, submitted_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			sv.ID, inv, resp.Email, resp.Source, at).Scan(&resp.ID)
		if errors.Is(err, sqldb.ErrConflict) {
			return errAlreadyAnswered
		}
		if err != nil {
			return fmt.Errorf("record response to survey %d: %w", sv.ID, err)
		}
		var args []any
		for _, a := range answers {
			switch {
			case a.Likert != 0:
				args = append(args, resp.ID, sv.ID, a.QuestionID, a.Likert, "")
			case a.Choices != nil:
				for _, c := range a.Choices {
					args = append(args, resp.ID, sv.ID, a.QuestionID, nil, c)
				}
			default:
				args = append(args, resp.ID, sv.ID, a.QuestionID, nil, a.Text)
			}
		}
		_, err = tx.Exec(ctx, "INSERT INTO survey_answers (response_id, survey_id, question_key, likert, value) VALUES "+
			sqldb.Rows(len(args)/5, 5), args...)
		if err != nil {
			return fmt.Errorf("record answers to survey %d: %w", sv.ID, err)
		}
		return nil
	})
	return resp, err
}

// Responses lists a survey's responses with their answers, oldest first,
// in two queries.
func (s *Store) Responses(ctx context.Context, sv Survey) ([]Response, error) {
	rows, err := s.q.Query(ctx, "SELECT id, survey_id, email, source, submitted_at FROM survey_responses WHERE survey_id = ? ORDER BY submitted_at, id", sv.ID)
	list, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (Response, error) {
		var x Response
		return x, r.Scan(&x.ID, &x.SurveyID, &x.Email, &x.Source, &x.SubmittedAt)
	})
	if err != nil {
		return nil, fmt.Errorf("responses to survey %d: %w", sv.ID, err)
	}
	index := make(map[int64]int, len(list))
	for i, r := range list {
		index[r.ID] = i
	}
	rows, err = s.q.Query(ctx, "SELECT response_id, question_key, COALESCE(likert, 0), value FROM survey_answers WHERE survey_id = ? ORDER BY response_id, id", sv.ID)
	if err != nil {
		return nil, fmt.Errorf("answers to survey %d: %w", sv.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key, value string
		var likert int
		if err := rows.Scan(&id, &key, &likert, &value); err != nil {
			return nil, err
		}
		i, ok := index[id]
		if !ok {
			continue
		}
		r := &list[i]
		q, _ := sv.Question(key)
		switch {
		case likert != 0:
			r.Answers = append(r.Answers, Answer{QuestionID: key, Likert: likert})
		case q.Type == Choice:
			if n := len(r.Answers); n > 0 && r.Answers[n-1].QuestionID == key {
				r.Answers[n-1].Choices = append(r.Answers[n-1].Choices, value)
			} else {
				r.Answers = append(r.Answers, Answer{QuestionID: key, Choices: []string{value}})
			}
		default:
			r.Answers = append(r.Answers, Answer{QuestionID: key, Text: value})
		}
	}
	return list, rows.Err()
}

// RespondedEmails returns the addresses that have answered a survey,
// through a personal link or otherwise.
func (s *Store) RespondedEmails(ctx context.Context, surveyID int64) (map[string]bool, error) {
	rows, err := s.q.Query(ctx, `SELECT r.email FROM survey_responses r WHERE r.survey_id = ? AND r.email <> ''
		UNION SELECT i.email FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id WHERE r.survey_id = ?`, surveyID, surveyID)
	emails, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (string, error) {
		var e string
		return e, r.Scan(&e)
	})
	if err != nil {
		return nil, fmt.Errorf("respondents of survey %d: %w", surveyID, err)
	}
	out := make(map[string]bool, len(emails))
	for _, e := range emails {
		out[e] = true
	}
	return out, nil
}

// InvitationFor returns the invitation of an address to a survey.
func (s *Store) InvitationFor(ctx context.Context, surveyID int64, email string) (Invitation, error) {
	inv, err := scanInvitation(s.q.QueryRow(ctx, "SELECT "+invitationColumns+" FROM survey_invitations i WHERE i.survey_id = ? AND i.email = ?",
		surveyID, validation.NormalizeEmail(email)))
	if err != nil {
		return inv, fmt.Errorf("invitation of %s to survey %d: %w", email, surveyID, err)
	}
	return inv, nil
}
