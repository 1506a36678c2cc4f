// Package survey holds the questionnaires sent after events: their
// questions (five-point agreement, single or multiple choice, free text),
// the standard template whose fixed question ids make webinars comparable,
// the personal and open links people answer through, the responses, and the
// results as shares ("93% agree or strongly agree").
//
// A survey belongs to an event by the event's id; the event package decides
// who is invited and who may answer, and calls this one.
package survey

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/validation"
)

// Question types.
const (
	Likert5 = "likert5" // 1 (strongly disagree) to 5 (strongly agree)
	Choice  = "choice"  // one of the options, or several when Multiple
	Text    = "text"    // free text
)

// Types lists the question types in the order forms show them.
var Types = []string{Likert5, Choice, Text}

// The standard questions. Their ids are fixed so that the same question can
// be compared across a community's webinars.
const (
	Relevant = "relevant" // the webinar was relevant and useful to my work
	Clear    = "clear"    // it delivered clear knowledge and was well structured
	Useful   = "useful"   // I can use what I learned
	Apply    = "apply"    // I intend to apply it
	Comments = "comments" // free text
)

// StandardLikert lists the standard five-point questions, in order.
var StandardLikert = []string{Relevant, Clear, Useful, Apply}

// Limits.
const (
	MaxQuestions   = 30
	MaxTextLen     = 500
	MaxOptions     = 20
	MaxOptionLen   = 200
	MaxAnswerLen   = 4000
	maxQuestionID  = 40
	likertMin      = 1
	likertMax      = 5
	agreeThreshold = 4
)

// Question is one question of a survey. ID is a short string chosen by the
// manager (or fixed, for the standard questions), unique within the survey.
type Question struct {
	ID       string
	Text     string
	Type     string
	Multiple bool // for Choice: several options may be ticked
	Required bool
	Options  []string
}

// Survey is the questionnaire of one event.
type Survey struct {
	ID        int64
	EventID   int64
	Questions []Question
	// OpenToken is the anonymous open link's token; empty while the link
	// is off.
	OpenToken string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Question returns the question with the id.
func (s Survey) Question(id string) (Question, bool) {
	for _, q := range s.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// Template returns the standard questions with their texts in lang (the
// event's language, so that respondents read the questions in the language
// of the webinar).
func Template(lang string) []Question {
	l := i18n.For(lang)
	qs := make([]Question, 0, len(StandardLikert)+1)
	for _, id := range StandardLikert {
		qs = append(qs, Question{ID: id, Text: l.T("survey.standard." + id), Type: Likert5, Required: true})
	}
	return append(qs, Question{ID: Comments, Text: l.T("survey.standard.comments"), Type: Text})
}

var questionID = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

// ValidateQuestions checks a survey's questions and returns them cleaned.
// Errors name the field as questions.N.FIELD (N from 0), which the form's
// inputs share.
func ValidateQuestions(qs []Question) ([]Question, error) {
	var e validation.Error
	if len(qs) == 0 {
		e.Add("questions", "survey.error.no_questions")
	}
	if len(qs) > MaxQuestions {
		e.Add("questions", "error.too_many", MaxQuestions)
	}
	seen := map[string]bool{}
	out := make([]Question, 0, len(qs))
	for i, q := range qs {
		f := "questions." + strconv.Itoa(i) + "."
		q.ID = strings.ToLower(strings.TrimSpace(q.ID))
		switch {
		case q.ID == "":
			e.Add(f+"id", "error.required")
		case len(q.ID) > maxQuestionID || !questionID.MatchString(q.ID):
			e.Add(f+"id", "survey.error.question_id", maxQuestionID)
		case seen[q.ID]:
			e.Add(f+"id", "survey.error.question_id_taken")
		}
		seen[q.ID] = true
		q.Text = e.Text(f+"text", q.Text, true, MaxTextLen)
		q.Type = e.OneOf(f+"type", q.Type, true, Types...)
		switch q.Type {
		case Choice:
			q.Options = cleanOptions(&e, f+"options", q.Options)
			if len(q.Options) < 2 && !e.Has(f+"options") {
				e.Add(f+"options", "survey.error.options_needed")
			}
		default:
			if len(q.Options) > 0 && strings.TrimSpace(strings.Join(q.Options, "")) != "" {
				e.Add(f+"options", "survey.error.options_only_choice")
			}
			q.Options, q.Multiple = nil, false
		}
		out = append(out, q)
	}
	return out, e.Err()
}

// cleanOptions trims options, drops empty ones and refuses duplicates.
func cleanOptions(e *validation.Error, field string, opts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range opts {
		var oe validation.Error
		o = oe.Text(field, o, false, MaxOptionLen)
		if oe.Err() != nil {
			e.Add(field, oe.Fields[field].Key, oe.Fields[field].Args...)
			continue
		}
		if o == "" {
			continue
		}
		if seen[strings.ToLower(o)] {
			e.Add(field, "survey.error.option_twice", o)
			continue
		}
		seen[strings.ToLower(o)] = true
		out = append(out, o)
	}
	if len(out) > MaxOptions {
		e.Add(field, "error.too_many", MaxOptions)
	}
	return out
}

// Answer is the answer to one question: a value from 1 to 5, the options
// ticked, or a text.
type Answer struct {
	QuestionID string
	Likert     int
	Choices    []string
	Text       string
}

// CheckAnswers validates raw answers (question id -> the values sent: one
// for a Likert, single choice or text question, any number for a multiple
// choice) against the survey and returns them typed, in question order.
// A value out of range, an option that does not exist, an unknown question
// or a required question left out is a field error named answers.ID.
func (s Survey) CheckAnswers(raw map[string][]string) ([]Answer, error) {
	var e validation.Error
	for id := range raw {
		if _, ok := s.Question(id); !ok {
			e.Add("answers."+id, "survey.error.unknown_question")
		}
	}
	var out []Answer
	for _, q := range s.Questions {
		f := "answers." + q.ID
		vals := nonEmpty(raw[q.ID], q.Type == Text)
		if len(vals) == 0 {
			if q.Required {
				e.Add(f, "survey.error.answer_required")
			}
			continue
		}
		a := Answer{QuestionID: q.ID}
		switch q.Type {
		case Likert5:
			n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
			if len(vals) != 1 || err != nil || n < likertMin || n > likertMax {
				e.Add(f, "survey.error.likert", likertMin, likertMax)
				continue
			}
			a.Likert = n
		case Choice:
			if len(vals) > 1 && !q.Multiple {
				e.Add(f, "survey.error.one_choice")
				continue
			}
			seen := map[string]bool{}
			for _, v := range vals {
				opt, ok := option(q, v)
				if !ok {
					e.Add(f, "survey.error.no_such_option", strings.TrimSpace(v))
					break
				}
				if !seen[opt] {
					seen[opt] = true
					a.Choices = append(a.Choices, opt)
				}
			}
		case Text:
			if len(vals) != 1 {
				e.Add(f, "survey.error.one_text")
				continue
			}
			a.Text = e.LongText(f, vals[0], false, MaxAnswerLen)
		}
		out = append(out, a)
	}
	if err := e.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// option finds the option a value names, ignoring surrounding space.
func option(q Question, v string) (string, bool) {
	v = strings.TrimSpace(v)
	for _, o := range q.Options {
		if o == v {
			return o, true
		}
	}
	return "", false
}

// nonEmpty drops empty values; a text answer keeps its one value whatever
// it holds, trimmed later.
func nonEmpty(vals []string, text bool) []string {
	var out []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	if text && len(out) == 0 {
		return nil
	}
	return out
}

// AgreeShare is the share of five-point answers that are 4 or 5, from 0 to
// 1, and whether there was any answer to count.
func AgreeShare(counts [5]int) (float64, bool) {
	total, agree := 0, 0
	for i, n := range counts {
		total += n
		if i+1 >= agreeThreshold {
			agree += n
		}
	}
	if total == 0 {
		return 0, false
	}
	return float64(agree) / float64(total), true
}
