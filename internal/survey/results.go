package survey

import (
	"context"
	"fmt"

	"github.com/harambee/harambee/internal/sqldb"
)

// Results are a survey's answers counted: how many responded, and for each
// question its distribution, its agreement share or its free-text answers.
// They are counted from the answers each time, never stored.
type Results struct {
	Responses int
	Questions []QuestionResult
}

// QuestionResult is one question's answers counted.
type QuestionResult struct {
	Question
	Answered int    // responses that answered it
	Likert   [5]int // answers 1 to 5, for a five-point question
	Options  []OptionCount
	Texts    []string // free-text answers, oldest first
}

// OptionCount is how often an option was chosen.
type OptionCount struct {
	Option string
	Count  int
}

// AgreeShare is the share of the question's answers that are 4 or 5, and
// whether it is a five-point question with answers.
func (q QuestionResult) AgreeShare() (float64, bool) {
	if q.Type != Likert5 {
		return 0, false
	}
	return AgreeShare(q.Likert)
}

// Results counts a survey's answers with three queries.
func (s *Store) Results(ctx context.Context, sv Survey) (Results, error) {
	var res Results
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?", sv.ID).Scan(&res.Responses); err != nil {
		return res, fmt.Errorf("count responses to survey %d: %w", sv.ID, err)
	}
	byID := make(map[string]*QuestionResult, len(sv.Questions))
	res.Questions = make([]QuestionResult, len(sv.Questions))
	for i, q := range sv.Questions {
		res.Questions[i] = QuestionResult{Question: q}
		for _, o := range q.Options {
			res.Questions[i].Options = append(res.Questions[i].Options, OptionCount{Option: o})
		}
		byID[q.ID] = &res.Questions[i]
	}
	rows, err := s.q.Query(ctx, `SELECT question_key, COUNT(DISTINCT response_id) FROM survey_answers WHERE survey_id = ? GROUP BY question_key`, sv.ID)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var key string
		var n int
		if err := r.Scan(&key, &n); err != nil {
			return err
		}
		if q := byID[key]; q != nil {
			q.Answered = n
		}
		return nil
	}); err != nil {
		return res, fmt.Errorf("count answers to survey %d: %w", sv.ID, err)
	}
	rows, err = s.q.Query(ctx, `SELECT a.question_key, COALESCE(a.likert, 0), a.value FROM survey_answers a
		JOIN survey_responses r ON r.id = a.response_id WHERE a.survey_id = ? ORDER BY r.submitted_at, a.id`, sv.ID)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var key, value string
		var likert int
		if err := r.Scan(&key, &likert, &value); err != nil {
			return err
		}
		q := byID[key]
		if q == nil {
			return nil
		}
		switch q.Type {
		case Likert5:
			if likert >= likertMin && likert <= likertMax {
				q.Likert[likert-1]++
			}
		case Choice:
			for i := range q.Options {
				if q.Options[i].Option == value {
					q.Options[i].Count++
					return nil
				}
			}
			// An option renamed since it was chosen: still counted.
			q.Options = append(q.Options, OptionCount{Option: value, Count: 1})
		case Text:
			q.Texts = append(q.Texts, value)
		}
		return nil
	}); err != nil {
		return res, fmt.Errorf("read answers to survey %d: %w", sv.ID, err)
	}
	return res, nil
}

// Summary is what a survey says in one line: responses and, for each
// five-point question, its answers 1 to 5.
type Summary struct {
	SurveyID  int64
	EventID   int64
	Responses int
	Likert    map[string][5]int
}

// AgreeShare is the agreement share of one question of the summary.
func (s Summary) AgreeShare(questionID string) (float64, bool) {
	return AgreeShare(s.Likert[questionID])
}

// AllAgree is the share of every five-point answer of the summary that is 4
// or 5.
func (s Summary) AllAgree() (float64, bool) {
	var total [5]int
	for _, c := range s.Likert {
		for i, n := range c {
			total[i] += n
		}
	}
	return AgreeShare(total)
}

// Summaries returns the summaries of the surveys of the events, by event
// id, with two queries whatever their number; events without a survey are
// absent.
func (s *Store) Summaries(ctx context.Context, eventIDs []int64) (map[int64]Summary, error) {
	out := map[int64]Summary{}
	if len(eventIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(eventIDs))
	for i, id := range eventIDs {
		args[i] = id
	}
	in := "(" + sqldb.Placeholders(len(args)) + ")"
	bySurvey := map[int64]int64{}
	rows, err := s.q.Query(ctx, `SELECT s.id, s.event_id, (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id)
		FROM surveys s WHERE s.event_id IN `+in, args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var sm Summary
		if err := r.Scan(&sm.SurveyID, &sm.EventID, &sm.Responses); err != nil {
			return err
		}
		sm.Likert = map[string][5]int{}
		out[sm.EventID] = sm
		bySurvey[sm.SurveyID] = sm.EventID
		return nil
	}); err != nil {
		return nil, fmt.Errorf("survey summaries: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	rows, err = s.q.Query(ctx, `SELECT a.survey_id, a.question_key, a.likert, COUNT(*) FROM survey_answers a JOIN surveys s ON s.id = a.survey_id
		WHERE s.event_id IN `+in+` AND a.likert IS NOT NULL GROUP BY a.survey_id, a.question_key, a.likert`, args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var sid int64
		var key string
		var likert, n int
		if err := r.Scan(&sid, &key, &likert, &n); err != nil {
			return err
		}
		if likert < likertMin || likert > likertMax {
			return nil
		}
		sm := out[bySurvey[sid]]
		c := sm.Likert[key]
		c[likert-1] += n
		sm.Likert[key] = c
		return nil
	}); err != nil {
		return nil, fmt.Errorf("survey summaries: %w", err)
	}
	return out, nil
}
