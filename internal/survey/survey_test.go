package survey_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

func TestTemplate(t *testing.T) {
	qs := survey.Template("fr")
	var ids []string
	for _, q := range qs {
		ids = append(ids, q.ID+":"+q.Type)
	}
	if fmt.Sprint(ids) != "[relevant:likert5 clear:likert5 useful:likert5 apply:likert5 comments:text]" {
		t.Errorf("template %v", ids)
	}
	if qs[0].Text != "Le webinaire était pertinent et utile pour mon travail." {
		t.Errorf("French text %q", qs[0].Text)
	}
	if _, err := survey.ValidateQuestions(qs); err != nil {
		t.Errorf("the template does not validate: %v", err)
	}
}

func TestValidateQuestions(t *testing.T) {
	tests := []struct {
		name   string
		qs     []survey.Question
		fields []string
	}{
		{"none", nil, []string{"questions"}},
		{"bad id and type", []survey.Question{{ID: "Bad Id", Text: "x", Type: "stars"}}, []string{"questions.0.id", "questions.0.type"}},
		{"twice", []survey.Question{{ID: "a", Text: "x", Type: survey.Text}, {ID: "a", Text: "y", Type: survey.Text}}, []string{"questions.1.id"}},
		{"choice needs options", []survey.Question{{ID: "a", Text: "x", Type: survey.Choice, Options: []string{"only"}}}, []string{"questions.0.options"}},
		{"options only for choices", []survey.Question{{ID: "a", Text: "x", Type: survey.Likert5, Options: []string{"a", "b"}}}, []string{"questions.0.options"}},
		{"no text", []survey.Question{{ID: "a", Type: survey.Text}}, []string{"questions.0.text"}},
	}
	for _, tt := range tests {
		_, err := survey.ValidateQuestions(tt.qs)
		ve, ok := validation.As(err)
		if !ok {
			t.Errorf("%s: accepted", tt.name)
			continue
		}
		for _, f := range tt.fields {
			if !ve.Has(f) {
				t.Errorf("%s: no error on %s (%v)", tt.name, f, ve.Fields)
			}
		}
	}
}

func sample() survey.Survey {
	return survey.Survey{Questions: []survey.Question{
		{ID: "relevant", Text: "Relevant", Type: survey.Likert5, Required: true},
		{ID: "role", Text: "Role", Type: survey.Choice, Options: []string{"Government", "NGO"}},
		{ID: "topics", Text: "Topics", Type: survey.Choice, Multiple: true, Options: []string{"HIV", "Nutrition", "WASH"}},
		{ID: "comments", Text: "Comments", Type: survey.Text},
	}}
}

func TestCheckAnswers(t *testing.T) {
	sv := sample()
	tests := []struct {
		name   string
		raw    map[string][]string
		field  string
		key    string
		answer string
	}{
		{"likert 0", map[string][]string{"relevant": {"0"}}, "answers.relevant", "survey.error.likert", ""},
		{"likert 6", map[string][]string{"relevant": {"6"}}, "answers.relevant", "survey.error.likert", ""},
		{"likert 4.5", map[string][]string{"relevant": {"4.5"}}, "answers.relevant", "survey.error.likert", ""},
		{"likert word", map[string][]string{"relevant": {"agree"}}, "answers.relevant", "survey.error.likert", ""},
		{"required", map[string][]string{"comments": {"hi"}}, "answers.relevant", "survey.error.answer_required", ""},
		{"unknown", map[string][]string{"relevant": {"4"}, "extra": {"1"}}, "answers.extra", "survey.error.unknown_question", ""},
		{"two single", map[string][]string{"relevant": {"4"}, "role": {"Government", "NGO"}}, "answers.role", "survey.error.one_choice", ""},
		{"no such option", map[string][]string{"relevant": {"4"}, "topics": {"HIV", "Sports"}}, "answers.topics", "survey.error.no_such_option", ""},
		{"good", map[string][]string{"relevant": {" 5 "}, "role": {"NGO"}, "topics": {"HIV", "WASH", "HIV"}, "comments": {" Great "}}, "", "",
			"[{relevant 5 [] } {role 0 [NGO] } {topics 0 [HIV WASH] } {comments 0 [] Great}]"},
	}
	for _, tt := range tests {
		got, err := sv.CheckAnswers(tt.raw)
		if tt.key == "" {
			if err != nil || fmt.Sprint(got) != tt.answer {
				t.Errorf("%s: %v, %v; want %s", tt.name, got, err, tt.answer)
			}
			continue
		}
		ve, ok := validation.As(err)
		if !ok || ve.Fields[tt.field].Key != tt.key {
			t.Errorf("%s: %v, want %s on %s", tt.name, err, tt.key, tt.field)
		}
	}
}

func TestAgreeShare(t *testing.T) {
	if s, ok := survey.AgreeShare([5]int{1, 1, 1, 3, 4}); !ok || s != 0.7 {
		t.Errorf("share %v %v, want 0.7", s, ok)
	}
	if _, ok := survey.AgreeShare([5]int{}); ok {
		t.Error("a share of no answers")
	}
}

// eventFor creates an event to hang a survey on.
func eventFor(t *testing.T, db *sqldb.DB) event.Event {
	t.Helper()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: "m@example.org", Verified: true, Profile: account.Profile{Name: "M"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "c", Name: "C"}, u)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-48 * time.Hour)
	e, err := event.NewStore(db).Create(ctx, c.ID, event.Input{Title: "W", StartsAt: start, EndsAt: start.Add(time.Hour), TimeZone: "UTC"}, u)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSurveyStore(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		e := eventFor(t, db)
		st := survey.NewStore(db)
		sv, err := st.Save(ctx, e.ID, sample().Questions)
		if err != nil {
			t.Fatal(err)
		}
		// Personal links: one response each; the open link for anyone.
		invs, err := st.Invite(ctx, sv, []survey.Invitee{{Email: "A@example.org", Name: "A"}, {Email: "b@example.org", Name: "B"}, {Email: "a@example.org"}})
		if err != nil || len(invs) != 2 {
			t.Fatalf("invite: %d, %v", len(invs), err)
		}
		inv, got, err := st.InvitationByToken(ctx, invs[0].Token)
		if err != nil || got.ID != sv.ID || inv.Email != "a@example.org" {
			t.Fatalf("by token: %+v, %v", inv, err)
		}
		answers := map[string][]string{"relevant": {"5"}, "role": {"NGO"}, "topics": {"HIV", "Nutrition"}, "comments": {"Very useful"}}
		if _, err := st.Submit(ctx, sv, survey.Submission{Answers: answers, InvitationID: inv.ID, Email: inv.Email, Source: survey.SourceInvitation}); err != nil {
			t.Fatal(err)
		}
		_, err = st.Submit(ctx, sv, survey.Submission{Answers: answers, InvitationID: inv.ID, Email: inv.Email, Source: survey.SourceInvitation})
		if ve, ok := validation.As(err); !ok || !ve.Conflict {
			t.Errorf("a second response through the same link: %v", err)
		}
		for _, v := range []string{"4", "2", "1"} {
			if _, err := st.Submit(ctx, sv, survey.Submission{Answers: map[string][]string{"relevant": {v}, "topics": {"WASH"}}, Source: survey.SourceOpen}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = st.Submit(ctx, sv, survey.Submission{Answers: map[string][]string{}})
		if ve, ok := validation.As(err); !ok || ve.Fields["answers.relevant"].Key != "survey.error.answer_required" {
			t.Errorf("empty response: %v", err)
		}
		res, err := st.Results(ctx, sv)
		if err != nil {
			t.Fatal(err)
		}
		share, _ := res.Questions[0].AgreeShare()
		if res.Responses != 4 || res.Questions[0].Likert != [5]int{1, 1, 0, 1, 1} || share != 0.5 ||
			fmt.Sprint(res.Questions[2].Options) != "[{HIV 1} {Nutrition 1} {WASH 3}]" || fmt.Sprint(res.Questions[3].Texts) != "[Very useful]" ||
			res.Questions[2].Answered != 4 {
			t.Errorf("results %+v", res)
		}
		// Invite again: only B has not answered.
		invs, _ = st.Invite(ctx, sv, []survey.Invitee{{Email: "a@example.org"}, {Email: "b@example.org"}})
		if len(invs) != 1 || invs[0].Email != "b@example.org" {
			t.Errorf("second round: %+v", invs)
		}
		if done, _ := st.RespondedEmails(ctx, sv.ID); !done["a@example.org"] || done["b@example.org"] {
			t.Errorf("respondents %v", done)
		}
		// Answered questions keep their id and type.
		_, err = st.Save(ctx, e.ID, sample().Questions[1:])
		if ve, ok := validation.As(err); !ok || !ve.Conflict {
			t.Errorf("removing an answered question: %v", err)
		}
		changed := sample().Questions
		changed[0].Text = "The webinar was relevant to my work"
		changed = append(changed, survey.Question{ID: "again", Text: "Would you come again?", Type: survey.Likert5})
		if sv, err = st.Save(ctx, e.ID, changed); err != nil || len(sv.Questions) != 5 {
			t.Errorf("changing a text and adding a question: %v", err)
		}
		token, err := st.SetOpenLink(ctx, sv.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if open, err := st.ByOpenToken(ctx, token); err != nil || open.ID != sv.ID {
			t.Errorf("open link: %v", err)
		}
		st.SetOpenLink(ctx, sv.ID, false)
		if _, err := st.ByOpenToken(ctx, token); err != survey.ErrInvalidLink {
			t.Errorf("closed open link: %v", err)
		}
		resps, err := st.Responses(ctx, sv)
		if err != nil || len(resps) != 4 || fmt.Sprint(resps[0].Answers) != "[{relevant 5 [] } {role 0 [NGO] } {topics 0 [HIV Nutrition] } {comments 0 [] Very useful}]" {
			t.Errorf("responses %+v, %v", resps, err)
		}
		sums, err := st.Summaries(ctx, []int64{e.ID, 9999})
		if err != nil || len(sums) != 1 || sums[e.ID].Responses != 4 || sums[e.ID].Likert["relevant"] != [5]int{1, 1, 0, 1, 1} {
			t.Errorf("summaries %+v, %v", sums, err)
		}
	})
}
