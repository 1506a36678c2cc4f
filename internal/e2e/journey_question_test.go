package e2e

import (
	"strings"
	"testing"
)

func TestJourneyQuestion(t *testing.T) { journey(t, questionJourney) }

// questionJourney: a member finds an open community and joins it, asks a
// question there; another member answers it; the author accepts the
// answer, which then shows under the question.
func questionJourney(t *testing.T, j *journeyRun) {
	admin := j.addAdmin(t)
	adminToken := j.token(t, admin.Email, "journey seed")
	asker := person{Name: "Amina Diallo", Email: "amina.diallo@sante.example.org", Password: "la santé pour toutes et tous"}
	j.addPerson(t, adminToken, &asker, map[string]any{"country": "SN", "organization": "Ministère de la Santé", "organization_type": "government"})
	expert := person{Name: "Ana Souza", Email: "ana.souza@saude.example.org", Password: "saúde para todos e todas"}
	j.addPerson(t, adminToken, &expert, map[string]any{"country": "BR", "organization": "Fiocruz", "organization_type": "academia"})
	const community = "Community health workers"
	slug := j.addCommunity(t, adminToken, map[string]any{
		"slug": "community-health-workers", "name": community, "language": "en", "visibility": "public", "join_policy": "open",
		"primary_sdg": 3, "description": "How ministries recruit, pay, train and supervise **community health workers**.",
	})
	j.addToCommunity(t, adminToken, slug, expert.ID, "member")
	en := func(key string, args ...any) string { return msg("en", key, args...) }

	const (
		title    = "How do you keep community health workers in rural districts?"
		question = "Half of our community health workers leave within two years. What has worked for you?"
		answer   = "Give them a contract and a supervisor: in Brazil, turnover fell once community health agents were hired by the municipality."
	)

	// A member finds the community and joins it.
	a := j.tab(t)
	logIn(a, asker)
	a.clickLink(en("nav.communities"))
	a.clickLink(community)
	a.press(en("community.join"))
	a.see(en("flash.joined"))
	a.see(en("community.you_are", en("community.role.member")))

	// The member asks a question.
	a.clickLinkIn(en("community.tabs"), en("community.tab.discussions"))
	a.clickLink(en("discussion.new"))
	a.fill(en("discussion.field.title"), title)
	a.fill(en("discussion.field.body"), question)
	a.check(en("discussion.field.question"))
	a.press(en("discussion.publish"))
	a.see(en("flash.thread_created"))
	a.see(title)
	a.see(en("discussion.question"))
	thread := strings.SplitN(a.path(), "?", 2)[0]
	if !strings.HasPrefix(thread, "/threads/") {
		t.Fatalf("after publishing, the page is %s, want the thread", a.path())
	}

	// Another member finds the question among the community's unanswered
	// discussions, and answers it.
	e := j.tab(t)
	logIn(e, expert)
	e.open("/communities/" + slug)
	e.clickLinkIn(en("community.tabs"), en("community.tab.discussions"))
	e.clickLinkIn(en("discussion.sort"), en("discussion.sort_unanswered"))
	e.clickLink(title)
	e.fill(en("discussion.field.reply"), answer)
	e.press(en("discussion.send_reply"))
	e.see(en("flash.reply_posted"))
	e.see(answer)
	if e.exists("button", en("discussion.accept")) {
		t.Errorf("%s, who did not ask, is offered to accept an answer", expert.Name)
	}

	// The author accepts the answer; it shows under the question.
	a.open(thread)
	a.see(answer)
	a.press(en("discussion.accept"))
	a.see(en("flash.answer_accepted"))
	a.see(en("discussion.answered"))
	accepted := eval[string](a, `(function () {
		const s = document.querySelector('article.thread ~ section.accepted');
		return s ? s.innerText.replace(/\s+/g, ' ') : '';
	})()`)
	if !strings.Contains(accepted, en("discussion.accepted_answer")) || !strings.Contains(accepted, answer) || !strings.Contains(accepted, expert.Name) {
		t.Errorf("under the question, the accepted answer reads %q; want %q by %s", accepted, answer, expert.Name)
	}
	if !a.exists("button", en("discussion.unaccept")) {
		t.Errorf("after accepting, there is no %q button", en("discussion.unaccept"))
	}
}
