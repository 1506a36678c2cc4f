package matching_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

func TestNextStages(t *testing.T) {
	tests := []struct{ from, next string }{
		{"proposed", "introduced declined"},
		{"introduced", "exchange_planned declined"},
		{"exchange_planned", "exchange_held declined"},
		{"exchange_held", "outcome_reported declined"},
		{"outcome_reported", ""},
		{"declined", ""},
		{"nonsense", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(matching.NextStages(tt.from), " "); got != tt.next {
			t.Errorf("NextStages(%s) = %q, want %q", tt.from, got, tt.next)
		}
	}
	if matching.CanMove("proposed", "exchange_held") || matching.CanMove("introduced", "proposed") || !matching.CanMove("exchange_held", "declined") {
		t.Error("CanMove allows a jump, a step back, or refuses declining")
	}
}

// history shows the steps of a match as stage:note:who.
func history(m matching.Match) string {
	parts := make([]string, len(m.History))
	for i, s := range m.History {
		parts[i] = s.Stage + ":" + s.Note + ":" + s.By.Name
	}
	return strings.Join(parts, " ")
}

func count(t *testing.T, db *sqldb.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantConflict(t *testing.T, err error, field string) {
	t.Helper()
	ve, ok := validation.As(err)
	if !ok || !ve.Conflict || !ve.Has(field) {
		t.Fatalf("got %v, want a conflict on %s", err, field)
	}
}

func TestStageMachine(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := matching.NewStore(db).WithNotifier(&notify.Notifier{BaseURL: "http://harambee.test", SiteName: "Harambee"})
		admin := person(t, db, "admin@example.org", "BR", true)
		manager := person(t, db, "manager@example.org", "BR", false)
		official := person(t, db, "official@example.org", "ZW", false)
		thai := person(t, db, "thai@example.org", "TH", false)
		stranger := person(t, db, "stranger@example.org", "KE", false)
		c := newCommunity(t, db, manager, "ssc", community.Public)
		join(t, db, c, official)

		in := matching.NeedInput{Details: details("Validate EMTCT of syphilis", "Ministry of Health and Child Care", "ZW", "3.3"), Community: "ssc"}
		n := need(t, st, official, in)
		o := offer(t, st, thai, matching.OfferInput{Details: details("Host a study visit", "Ministry of Public Health", "TH", "3.3")})
		own := offer(t, st, official, matching.OfferInput{Details: details("Our own programme", "ministry of health and child care", "ZW", "3.3")})
		other := offer(t, st, stranger, matching.OfferInput{Details: details("Data reviews", "Kenya Medical Research Institute", "KE", "3.3")})

		// Only brokers propose: the community's managers and administrators.
		for _, u := range []account.User{stranger, official, thai} {
			if _, err := st.Propose(ctx, u, matching.Proposal{NeedID: n.ID, OfferID: o.ID}); !errors.Is(err, account.ErrForbidden) {
				t.Errorf("%s proposes: %v", u.Email, err)
			}
		}
		for _, bad := range []struct {
			p     matching.Proposal
			field string
		}{
			{matching.Proposal{NeedID: n.ID}, "offer_id"},
			{matching.Proposal{NeedID: n.ID, OfferID: o.ID, SolutionID: 1}, "offer_id"},
			{matching.Proposal{NeedID: n.ID, OfferID: own.ID}, "offer_id"}, // the need's own institution
			{matching.Proposal{NeedID: n.ID, OfferID: 9999}, "offer_id"},
			{matching.Proposal{NeedID: n.ID, SolutionID: 9999}, "solution_id"},
			{matching.Proposal{NeedID: 9999, OfferID: o.ID}, "need_id"},
		} {
			_, err := st.Propose(ctx, manager, bad.p)
			wantFields(t, err, bad.field)
		}
		if got := count(t, db, "SELECT COUNT(*) FROM matches"); got != 0 {
			t.Fatalf("refused proposals left %d matches", got)
		}

		m, err := st.Propose(ctx, manager, matching.Proposal{NeedID: n.ID, OfferID: o.ID, Note: "Thailand validated first"})
		if err != nil {
			t.Fatal(err)
		}
		if m.Stage != matching.StageProposed || m.From() != "TH" || m.To() != "ZW" || m.Source.Kind != matching.KindOffer ||
			history(m) != "proposed:Thailand validated first:manager" || fmt.Sprint(m.Next()) != "[introduced declined]" {
			t.Errorf("proposed %+v, history %s", m, history(m))
		}
		_, err = st.Propose(ctx, admin, matching.Proposal{NeedID: n.ID, OfferID: o.ID})
		wantConflict(t, err, "offer_id")
		if got, _ := st.Need(ctx, &official, n.ID); got.Status != matching.StatusMatched {
			t.Errorf("need status %s after a proposal, want matched", got.Status)
		}

		// Wrong moves are refused, with nothing changed.
		moves := []struct {
			name   string
			who    account.User
			change matching.StageChange
			check  func(err error)
		}{
			{"a stranger", stranger, matching.StageChange{Stage: "introduced", Note: "x"}, func(err error) {
				if !errors.Is(err, account.ErrForbidden) {
					t.Errorf("stranger: %v", err)
				}
			}},
			{"the need's author", official, matching.StageChange{Stage: "introduced", Note: "x"}, func(err error) {
				if !errors.Is(err, account.ErrForbidden) {
					t.Errorf("author: %v", err)
				}
			}},
			{"a jump", manager, matching.StageChange{Stage: "exchange_held", Note: "x"}, func(err error) { wantConflict(t, err, "stage") }},
			{"the same stage", manager, matching.StageChange{Stage: "proposed", Note: "x"}, func(err error) { wantConflict(t, err, "stage") }},
			{"an unknown stage", manager, matching.StageChange{Stage: "finished", Note: "x"}, func(err error) { wantFields(t, err, "stage") }},
			{"no note", manager, matching.StageChange{Stage: "introduced"}, func(err error) { wantFields(t, err, "note") }},
			{"bad details", manager, matching.StageChange{Stage: "introduced", Note: "x", Modality: "boat", StartsOn: "2026-02-30",
				Participants: map[string]int{"XX": 3}, Outcome: "great", Partner: &matching.Partner{Country: "ZZ"},
				Evidence: &matching.EvidenceInput{Links: []string{"javascript:alert(1)"}}},
				func(err error) {
					wantFields(t, err, "modality", "starts_on", "participants", "outcome", "partner", "evidence")
				}},
			{"zero participants", manager, matching.StageChange{Stage: "introduced", Note: "x", Participants: map[string]int{"ZW": 0}},
				func(err error) { wantFields(t, err, "participants") }},
			{"ends before it starts", manager, matching.StageChange{Stage: "introduced", Note: "x", StartsOn: "2026-03-10", EndsOn: "2026-03-01"},
				func(err error) { wantFields(t, err, "ends_on") }},
			{"an unknown resource", manager, matching.StageChange{Stage: "introduced", Note: "x", Evidence: &matching.EvidenceInput{ResourceIDs: []int64{999}}},
				func(err error) { wantFields(t, err, "evidence") }},
		}
		for _, mv := range moves {
			_, err := st.Move(ctx, mv.who, m.ID, mv.change)
			mv.check(err)
			got, _ := st.Match(ctx, &admin, m.ID)
			if got.Stage != matching.StageProposed || len(got.History) != 1 || got.Modality != "" {
				t.Errorf("%s changed the match: %s %s", mv.name, got.Stage, history(got))
			}
		}
		if _, err := st.Move(ctx, manager, 9999, matching.StageChange{Stage: "introduced", Note: "x"}); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("unknown match: %v", err)
		}

		// Forward one stage at a time, each step dated, noted and signed.
		steps := []matching.StageChange{
			{Stage: "introduced", Note: "Both ministries met online"},
			{Stage: "exchange_planned", Note: "Visit to Bangkok", Modality: matching.ModalityStudyVisit, StartsOn: "2026-03-02", EndsOn: "2026-03-06",
				Participants: map[string]int{"zw": 5, "TH": 2}, Partner: &matching.Partner{Name: "WHO", Type: "un_agency"}},
			{Stage: "exchange_held", Note: "Five officials visited", Participants: map[string]int{"ZW": 6, "TH": 3}},
			{Stage: "outcome_reported", Note: "Dossier submitted", Outcome: matching.OutcomeAdapted,
				Evidence: &matching.EvidenceInput{Text: "The **dossier** was submitted.", Links: []string{"https://example.org/dossier"}}},
		}
		wantStatus := []string{matching.StatusMatched, matching.StatusInProgress, matching.StatusInProgress, matching.StatusCompleted}
		for i, c := range steps {
			m, err = st.Move(ctx, manager, m.ID, c)
			if err != nil {
				t.Fatalf("move to %s: %v", c.Stage, err)
			}
			if got, _ := st.Need(ctx, &official, n.ID); got.Status != wantStatus[i] {
				t.Errorf("after %s the need is %s, want %s", c.Stage, got.Status, wantStatus[i])
			}
		}
		if want := "proposed:Thailand validated first:manager introduced:Both ministries met online:manager exchange_planned:Visit to Bangkok:manager " +
			"exchange_held:Five officials visited:manager outcome_reported:Dossier submitted:manager"; history(m) != want {
			t.Errorf("history %s", history(m))
		}
		for i := 1; i < len(m.History); i++ {
			if m.History[i].At.Before(m.History[i-1].At) {
				t.Errorf("history not oldest first: %v", m.History)
			}
		}
		if m.Modality != matching.ModalityStudyVisit || m.StartsOn != "2026-03-02" || m.EndsOn != "2026-03-06" || fmt.Sprint(m.Participants) != "map[TH:3 ZW:6]" ||
			m.Outcome != matching.OutcomeAdapted || !strings.Contains(m.Evidence.HTML, "<strong>dossier</strong>") || fmt.Sprint(m.Evidence.Links) != "[https://example.org/dossier]" ||
			m.Partner.Name != "WHO" || !m.Triangular() || !m.SouthSouth() || !m.Held() || m.Open() {
			t.Errorf("exchange %+v", m.Exchange)
		}
		// The end is the end.
		_, err = st.Move(ctx, manager, m.ID, matching.StageChange{Stage: "declined", Note: "x"})
		wantConflict(t, err, "stage")

		// Both contacts heard of each of the five steps; the broker of none.
		for _, c := range []struct {
			u    account.User
			want int
		}{{official, 5}, {thai, 5}, {manager, 0}} {
			if got := count(t, db, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND category = ?", c.u.ID, notify.CategoryExchange); got != c.want {
				t.Errorf("%s has %d notifications, want %d", c.u.Email, got, c.want)
			}
		}
		if got := count(t, db, "SELECT COUNT(*) FROM outbox WHERE to_address = ? AND subject LIKE ?", thai.Email, "%Validate EMTCT%"); got != 5 {
			t.Errorf("the offer's author got %d e-mails, want 5", got)
		}

		// Declined from an open stage; administrators broker needs of no
		// community, managers do not.
		m2, err := st.Propose(ctx, admin, matching.Proposal{NeedID: n.ID, OfferID: other.ID})
		if err != nil {
			t.Fatal(err)
		}
		if m2, err = st.Move(ctx, manager, m2.ID, matching.StageChange{Stage: "declined", Note: "Capacity used"}); err != nil || m2.Stage != "declined" || m2.Held() {
			t.Errorf("decline: %v %v", m2.Stage, err)
		}
		if got, _ := st.Need(ctx, &official, n.ID); got.Status != matching.StatusCompleted {
			t.Errorf("a declined match changed the need's status to %s", got.Status)
		}
		loose := need(t, st, official, matching.NeedInput{Details: details("No community", "Ministry of Health and Child Care", "ZW", "3.8")})
		if _, err := st.Propose(ctx, manager, matching.Proposal{NeedID: loose.ID, OfferID: o.ID}); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("a manager brokers a need of no community: %v", err)
		}
		if _, err := st.Propose(ctx, admin, matching.Proposal{NeedID: loose.ID, OfferID: o.ID}); err != nil {
			t.Errorf("an administrator brokers a need of no community: %v", err)
		}
		// A closed need takes no new proposal.
		if _, err := st.SetNeedClosed(ctx, official, loose.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = st.Propose(ctx, admin, matching.Proposal{NeedID: loose.ID, OfferID: other.ID})
		wantFields(t, err, "need_id")

		// A match with a catalogue solution: its offering country is one of
		// the solution's, and its contacts are told by e-mail.
		sol, err := solution.NewStore(db).Create(ctx, solution.Editor{UserID: admin.ID}, solution.Input{
			Title: "Syphilis elimination", Challenge: "C", Approach: "S", Countries: []string{"CU", "ZW"}, Modality: "south_south",
			PrimarySDG: 3, Status: "completed", Language: "es",
			Contacts: []solution.Contact{{Name: "Ana", Title: "Directora", Email: "ana@minsap.example.org"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.Propose(ctx, manager, matching.Proposal{NeedID: n.ID, SolutionID: sol.ID, Country: "BR"})
		wantFields(t, err, "country")
		ms, err := st.Propose(ctx, manager, matching.Proposal{NeedID: n.ID, SolutionID: sol.ID})
		if err != nil {
			t.Fatal(err)
		}
		if ms.Source.Kind != matching.KindSolution || ms.From() != "CU" || ms.Source.Title != "Syphilis elimination" {
			t.Errorf("solution match %+v", ms.Source)
		}
		if got := count(t, db, "SELECT COUNT(*) FROM outbox WHERE to_address = ? AND language = 'es'", "ana@minsap.example.org"); got != 1 {
			t.Errorf("the solution's contact got %d e-mails", got)
		}

		// Lists: what a broker brokers, what involves a member.
		list, total, err := st.Matches(ctx, &manager, matching.MatchFilter{Brokered: true}, 10, 0)
		if err != nil || total != 3 || len(list) != 3 {
			t.Errorf("the manager brokers %d matches (%v), want 3", total, err)
		}
		if _, total, _ := st.Matches(ctx, &thai, matching.MatchFilter{Involving: true}, 10, 0); total != 2 {
			t.Errorf("%d matches involve the Thai ministry, want 2", total)
		}
		if _, total, _ := st.Matches(ctx, &stranger, matching.MatchFilter{Held: true, Country: "TH"}, 10, 0); total != 1 {
			t.Errorf("%d held exchanges with Thailand, want 1", total)
		}
	})
}
