package app_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// Country-to-country learning through the real server: needs, offers,
// suggestions, matches and the flows they produce (issue 12).

// mxUser creates a verified member of an institution.
func (s *site) mxUser(email, name, country, org string, admin bool) account.User {
	s.t.Helper()
	u, err := account.NewStore(s.db).CreateUser(ctx, account.NewUser{
		Email: email, Password: "a good long passphrase", Admin: admin, Verified: true,
		Profile: account.Profile{Name: name, Country: country, Organization: org, OrganizationType: "government",
			Languages: []string{"en"}, Visibility: account.VisibilityPublic},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// mxCommunity creates a community that manager manages, with members.
func (s *site) mxCommunity(slug, visibility string, manager account.User, members ...account.User) community.Community {
	s.t.Helper()
	st := community.NewStore(s.db)
	policy := community.Open
	if visibility != community.Public {
		policy = community.Request
	}
	c, err := st.Create(ctx, community.Input{Slug: slug, Name: "Community " + slug, Visibility: visibility, JoinPolicy: policy,
		PrimarySDG: 3, Description: "About " + slug}, manager)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, m := range members {
		role := community.RoleMember
		if strings.HasPrefix(m.Email, "moderator") {
			role = community.RoleModerator
		}
		if _, _, err := st.AddMember(ctx, c, community.NewMember{UserID: m.ID, Role: role}, manager); err != nil {
			s.t.Fatal(err)
		}
	}
	return c
}

// idFrom reads the id at the end of a redirect's location.
func idFrom(t *testing.T, r response, prefix string) int64 {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	loc, _, _ := strings.Cut(r.Header.Get("Location"), "?")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirected to %q, want %s...", loc, prefix)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	if err != nil {
		t.Fatalf("redirected to %q: %v", loc, err)
	}
	return id
}

type mxSuggestion struct {
	Kind    string  `json:"kind"`
	ID      int64   `json:"id"`
	Title   string  `json:"title"`
	Country string  `json:"country"`
	Score   float64 `json:"score"`
	Reasons []struct {
		Code   string   `json:"code"`
		Values []string `json:"values"`
		Score  float64  `json:"score"`
	} `json:"reasons"`
}

func (x mxSuggestion) has(code string) bool {
	for _, r := range x.Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

type mxMatch struct {
	ID      int64  `json:"id"`
	Stage   string `json:"stage"`
	Outcome string `json:"outcome"`
	History []struct {
		Stage string `json:"stage"`
		At    string `json:"at"`
		Note  string `json:"note"`
		By    struct {
			Name string `json:"name"`
		} `json:"by"`
	} `json:"history"`
	Participants map[string]int `json:"participants"`
}

// TestExchangeJourney is the "done when", as a new user would go:
// a health official posts a need on syphilis validation, sees the offer of
// another country's ministry that led such a validation first among the
// suggestions, a manager brokers the match through to a reported outcome,
// and the report's flow table shows one exchange between the two
// countries.
func TestExchangeJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		manager := s.mxUser("isabel@ipcig.example.org", "Isabel Monteiro", "BR", "IPC-IG", false)
		official := s.mxUser("tendai@mohcc.example.org", "Tendai Moyo", "ZW", "Ministry of Health and Child Care", false)
		thai := s.mxUser("somchai@moph.example.org", "Somchai Prasert", "TH", "Ministry of Public Health", false)
		local := s.mxUser("rudo@zwngo.example.org", "Rudo Chikwanha", "ZW", "Zimbabwe AIDS Network", false)
		s.mxCommunity("ssc", community.Public, manager, official, thai, local)

		// The Thai ministry offers its validation experience, by the form.
		th := s.loggedIn(thai.Email)
		offerTitle := "Study visit: how Thailand validated the elimination of mother-to-child transmission of syphilis"
		offerID := idFrom(t, th.post("/offers", url.Values{
			"title":       {offerTitle},
			"description": {"Our ministry led the first validation in Asia and hosts study visits on the validation dossier."},
			"institution": {"Ministry of Public Health"}, "country": {"TH"}, "sdg_targets": {"3.3"},
			"topics": {"congenital syphilis, validation dossier"}, "languages": {"en", "th"},
			"modalities": {"study_visit", "expert_advice"}, "language": {"en"}, "status": {"open"},
		}), "/offers/")
		// A Zimbabwean network offers something close, from the same country.
		localTitle := "Community testing for syphilis in Harare"
		wantStatus(t, s.apiClient(local).json("POST", "/api/v1/offers", map[string]any{
			"title": localTitle, "description": "Peer educators test pregnant women for syphilis.", "country": "ZW",
			"sdg_targets": []string{"3.3"}, "topics": []string{"congenital syphilis"}, "languages": []string{"en"}, "modalities": []string{"study_visit"},
		}), http.StatusCreated)

		// The health official posts the need, by the form.
		off := s.loggedIn(official.Email)
		needID := idFrom(t, off.post("/needs", url.Values{
			"title":       {"Validate the elimination of mother-to-child transmission of syphilis"},
			"description": {"We must validate the elimination of mother-to-child transmission of syphilis by 2027 and do not know how to prepare the dossier."},
			"institution": {"Ministry of Health and Child Care"}, "country": {"ZW"}, "sdg_targets": {"3.3"},
			"topics": {"congenital syphilis, validation dossier"}, "languages": {"en"}, "modalities": {"study_visit"},
			"language": {"en"}, "community": {"ssc"}, "timeframe_end": {"2027-06"},
		}), "/needs/")
		needPath := fmt.Sprint("/needs/", needID)

		// The need's page suggests the Thai offer before the Zimbabwean one,
		// and says why; the official, who brokers nothing, cannot propose.
		r := off.get(needPath)
		wantStatus(t, r, 200)
		thaiAt, localAt := strings.Index(r.body, "Study visit: how Thailand validated"), strings.Index(r.body, localTitle)
		if thaiAt < 0 || localAt < 0 || thaiAt > localAt {
			t.Errorf("suggestions on the need's page: Thai offer at %d, Zimbabwean at %d; want both, the Thai one first", thaiAt, localAt)
		}
		if !strings.Contains(r.body, "from Thailand, another country") || !strings.Contains(r.body, "from the same country") {
			t.Errorf("the suggestions do not say which country they come from:\n%s", excerpt(r.body, "Suggestions"))
		}
		if strings.Contains(r.body, `action="/matches"`) {
			t.Error("the need's author, who brokers nothing, is offered to propose a match")
		}

		// The API says the same, with the parts of each score.
		var sug struct{ Items []mxSuggestion }
		r = s.apiClient(official).get("/api/v1" + needPath + "/suggestions?limit=10")
		wantStatus(t, r, 200)
		decodeJSON(t, r, &sug)
		if len(sug.Items) < 2 || sug.Items[0].Kind != "offer" || sug.Items[0].ID != offerID || !sug.Items[0].has("other_country") {
			t.Fatalf("suggestions %+v, want the Thai offer first, from another country", sug.Items)
		}
		abroad := true
		for _, x := range sug.Items {
			var sum float64
			for _, p := range x.Reasons {
				sum += p.Score
			}
			if diff := sum - x.Score; diff > 0.01 || diff < -0.01 {
				t.Errorf("%s %d: score %v is not the sum of its parts %v", x.Kind, x.ID, x.Score, sum)
			}
			if x.has("same_country") {
				abroad = false
			} else if !abroad && x.has("other_country") {
				t.Errorf("%s %d from another country ranks below one from Zimbabwe", x.Kind, x.ID)
			}
		}
		if abroad {
			t.Error("the Zimbabwean offer is not suggested as one from the requesting country")
		}

		// The official cannot propose a match; the manager can.
		wantStatus(t, off.post("/matches", url.Values{"need_id": {fmt.Sprint(needID)}, "offer_id": {fmt.Sprint(offerID)}}), http.StatusForbidden)
		mgr := s.loggedIn(manager.Email)
		r = mgr.get(needPath)
		if !strings.Contains(r.body, `action="/matches"`) {
			t.Error("the manager is not offered to propose a match")
		}
		matchID := idFrom(t, mgr.post("/matches", url.Values{"need_id": {fmt.Sprint(needID)}, "offer_id": {fmt.Sprint(offerID)},
			"note": {"Thailand validated first; a study visit fits."}}), "/matches/")
		matchPath := fmt.Sprint("/matches/", matchID)

		// Stages move one at a time, by the broker only.
		r = mgr.post(matchPath+"/stage", url.Values{"stage": {"exchange_held"}, "note": {"Skipping ahead"}})
		wantStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.body, "Stages move forward one at a time") || !strings.Contains(r.body, "the next is “Introduced”") {
			t.Errorf("a move out of order does not say which stage comes next:\n%s", excerpt(r.body, "error"))
		}
		wantStatus(t, off.post(matchPath+"/stage", url.Values{"stage": {"introduced"}, "note": {"I am not a broker"}}), http.StatusForbidden)
		steps := []url.Values{
			{"stage": {"introduced"}, "note": {"Both ministries met online."}},
			{"stage": {"exchange_planned"}, "note": {"Five days in Bangkok."}, "modality": {"study_visit"}, "starts_on": {"2026-03-02"},
				"ends_on": {"2026-03-06"}, "participants": {"ZW 5, TH 3"}, "partner_name": {"WHO"}, "partner_type": {"un_agency"}},
			{"stage": {"exchange_held"}, "note": {"Five officials visited the Thai validation committee."}},
		}
		for _, st := range steps {
			if r := mgr.post(matchPath+"/stage", st); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("move to %s: status %d\n%s", st.Get("stage"), r.StatusCode, excerpt(r.body, "error"))
			}
		}
		// An outcome report must say what came of the exchange.
		r = mgr.post(matchPath+"/stage", url.Values{"stage": {"outcome_reported"}, "note": {"Dossier submitted."}})
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, "Say what came of the exchange") {
			t.Errorf("an outcome report without outcome is not explained:\n%s", excerpt(r.body, "error"))
		}
		wantStatus(t, mgr.post(matchPath+"/stage", url.Values{"stage": {"outcome_reported"}, "note": {"Dossier submitted."},
			"outcome": {"adapted"}, "evidence": {"The dossier adapts Thailand's data quality review."},
			"evidence_links": {"https://example.org/zimbabwe/dossier"}}), http.StatusSeeOther)

		// Everyone involved sees the whole history, oldest first, signed.
		var m mxMatch
		r = s.apiClient(official).get("/api/v1" + matchPath)
		wantStatus(t, r, 200)
		decodeJSON(t, r, &m)
		var got []string
		for _, h := range m.History {
			if h.Note == "" || h.By.Name != "Isabel Monteiro" || h.At == "" {
				t.Errorf("step %+v lacks its note, date or broker", h)
			}
			got = append(got, h.Stage)
		}
		if m.Stage != "outcome_reported" || m.Outcome != "adapted" || strings.Join(got, " ") != "proposed introduced exchange_planned exchange_held outcome_reported" ||
			m.Participants["ZW"] != 5 || m.Participants["TH"] != 3 {
			t.Errorf("match %+v", m)
		}
		r = off.get(matchPath)
		for _, want := range []string{"Thailand → Zimbabwe", "Both ministries met online.", "Adapted", "Triangular", "South-South"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the match page lacks %q", want)
			}
		}

		// Both institutions were told of each of the five steps; the broker
		// of none.
		for _, c := range []struct {
			u    account.User
			want int
		}{{official, 5}, {thai, 5}, {manager, 0}} {
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND category = ?", c.u.ID, notify.CategoryExchange).Scan(&n)
			if n != c.want {
				t.Errorf("%s was told %d times, want %d", c.u.Name, n, c.want)
			}
		}

		// The community's report: one exchange from Thailand to Zimbabwe.
		var rep struct {
			Exchanges struct {
				Flows []struct {
					From, To string
					Count    int
				} `json:"flows"`
				SouthSouthShare float64        `json:"south_south_share"`
				TriangularShare float64        `json:"triangular_share"`
				Outcomes        map[string]int `json:"outcomes"`
				ByStage         map[string]int `json:"by_stage"`
			} `json:"exchanges"`
		}
		r = s.apiClient(manager).get("/api/v1/communities/ssc/report")
		wantStatus(t, r, 200)
		decodeJSON(t, r, &rep)
		x := rep.Exchanges
		if len(x.Flows) != 1 || x.Flows[0].From != "TH" || x.Flows[0].To != "ZW" || x.Flows[0].Count != 1 ||
			x.SouthSouthShare != 1 || x.TriangularShare != 1 || x.Outcomes["adapted"] != 1 || x.ByStage["outcome_reported"] != 1 {
			t.Errorf("the report's exchanges %+v", x)
		}
		r = mgr.get("/communities/ssc/report")
		wantStatus(t, r, 200)
		table := r.body[strings.Index(r.body, `id="flow-table"`)+1:]
		table = table[:strings.Index(table, "</table>")]
		if !strings.Contains(table, "Thailand") || !strings.Contains(table, "Zimbabwe") || !strings.Contains(table, "<td>1</td>") {
			t.Errorf("the report's flow table:\n%s", table)
		}

		// The country pages show the need, the offer and the exchange.
		r = off.get("/countries/TH")
		if !strings.Contains(r.body, "Study visit: how Thailand validated") || !strings.Contains(r.body, "Validate the elimination of mother-to-child") {
			t.Error("Thailand's page lacks its offer or its exchange with Zimbabwe")
		}
		r = off.get("/countries/ZW")
		if !strings.Contains(r.body, "Validate the elimination of mother-to-child") || !strings.Contains(r.body, "Thailand → Zimbabwe") {
			t.Error("Zimbabwe's page lacks its need or its exchange with Thailand")
		}
	})
}

// TestMatchingAccess checks who sees needs and offers and who brokers
// matches, with a refused case for each role, on pages and in the API.
func TestMatchingAccess(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		admin := s.mxUser("admin@example.org", "Admin", "BR", "Harambee", true)
		manager := s.mxUser("manager@example.org", "Manager", "BR", "IPC-IG", false)
		moderator := s.mxUser("moderator@example.org", "Moderator", "KE", "Amref", false)
		author := s.mxUser("author@example.org", "Author", "ZW", "Ministry of Health and Child Care", false)
		offerer := s.mxUser("offerer@example.org", "Offerer", "TH", "Ministry of Public Health", false)
		outsider := s.mxUser("outsider@example.org", "Outsider", "GH", "Ghana Health Service", false)
		elsewhere := s.mxUser("elsewhere@example.org", "Other manager", "SN", "Ministère de la Santé", false)
		s.mxCommunity("ssc", community.Public, manager, moderator, author, offerer)
		s.mxCommunity("wash", community.Members, manager, author)
		s.mxCommunity("other", community.Public, elsewhere)

		need := func(title, slug string) int64 {
			var n struct{ ID int64 }
			r := s.apiClient(author).json("POST", "/api/v1/needs", map[string]any{"title": title, "description": "What we must learn.",
				"sdg_targets": []string{"3.3"}, "topics": []string{"congenital syphilis"}, "community": slug})
			wantStatus(t, r, http.StatusCreated)
			decodeJSON(t, r, &n)
			return n.ID
		}
		public, hidden := need("Syphilis validation dossier", "ssc"), need("Members-only sanitation need", "wash")
		var o struct{ ID int64 }
		r := s.apiClient(offerer).json("POST", "/api/v1/offers", map[string]any{"title": "Validation study visit", "description": "We host visits.",
			"sdg_targets": []string{"3.3"}, "topics": []string{"congenital syphilis"}})
		wantStatus(t, r, http.StatusCreated)
		decodeJSON(t, r, &o)
		var m, mh struct{ ID int64 }
		r = s.apiClient(manager).json("POST", "/api/v1/matches", map[string]any{"need_id": public, "offer_id": o.ID, "note": "A fit"})
		wantStatus(t, r, http.StatusCreated)
		decodeJSON(t, r, &m)
		r = s.apiClient(manager).json("POST", "/api/v1/matches", map[string]any{"need_id": hidden, "offer_id": o.ID, "note": "A fit"})
		wantStatus(t, r, http.StatusCreated)
		decodeJSON(t, r, &mh)

		// Anonymous readers get neither needs nor offers nor matches.
		anon := s.client()
		for _, p := range []string{fmt.Sprint("/needs/", public), "/needs", fmt.Sprint("/offers/", o.ID), "/offers", fmt.Sprint("/matches/", m.ID), "/exchanges"} {
			r := anon.get(p)
			if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("anonymous GET %s: status %d to %q, want the login page", p, r.StatusCode, r.Header.Get("Location"))
			}
		}
		for _, p := range []string{fmt.Sprint("/needs/", public), "/needs", fmt.Sprint("/needs/", public, "/suggestions"), fmt.Sprint("/offers/", o.ID),
			"/offers", fmt.Sprint("/matches/", m.ID), "/matches", "/exchanges"} {
			wantAPIError(t, anon.get("/api/v1"+p), http.StatusUnauthorized, "unauthorized")
		}
		if r := anon.get("/countries/ZW"); r.StatusCode != 200 || strings.Contains(r.body, "Syphilis validation dossier") {
			t.Errorf("an anonymous reader of Zimbabwe's page (status %d) sees its need", r.StatusCode)
		}

		// A need of a members-only community is for its members.
		out := s.apiClient(outsider)
		for _, p := range []string{fmt.Sprint("/api/v1/needs/", hidden), fmt.Sprint("/api/v1/needs/", hidden, "/suggestions"), fmt.Sprint("/api/v1/matches/", mh.ID)} {
			wantAPIError(t, out.get(p), http.StatusNotFound, "not_found")
		}
		wantStatus(t, s.loggedIn(outsider.Email).get(fmt.Sprint("/needs/", hidden)), http.StatusNotFound)
		var list struct{ Total int }
		decodeJSON(t, out.get("/api/v1/needs"), &list)
		if list.Total != 1 {
			t.Errorf("an outsider lists %d needs, want 1 (the public community's)", list.Total)
		}
		if r := s.loggedIn(outsider.Email).get("/countries/ZW"); !strings.Contains(r.body, "Syphilis validation dossier") || strings.Contains(r.body, "Members-only sanitation need") {
			t.Error("Zimbabwe's page, for an outsider, should show the public need and not the members-only one")
		}
		wantStatus(t, s.apiClient(author).get(fmt.Sprint("/api/v1/needs/", hidden)), 200)
		decodeJSON(t, s.apiClient(admin).get("/api/v1/needs"), &list)
		if list.Total != 2 {
			t.Errorf("an administrator lists %d needs, want 2", list.Total)
		}

		// Only the community's managers and site administrators broker:
		// everyone else is refused, and the match stays where it was.
		stage := func(u account.User, want int, to string) {
			t.Helper()
			r := s.apiClient(u).json("POST", fmt.Sprint("/api/v1/matches/", m.ID, "/stage"), map[string]any{"stage": to, "note": "Moved by " + u.Name})
			wantStatus(t, r, want)
		}
		for _, u := range []account.User{outsider, author, offerer, moderator, elsewhere} {
			stage(u, http.StatusForbidden, "introduced")
			wantStatus(t, s.apiClient(u).json("POST", "/api/v1/matches", map[string]any{"need_id": public, "offer_id": o.ID, "note": "x"}), http.StatusForbidden)
			wantStatus(t, s.loggedIn(u.Email).post(fmt.Sprint("/matches/", m.ID, "/stage"), url.Values{"stage": {"introduced"}, "note": {"x"}}), http.StatusForbidden)
		}
		wantAPIError(t, anon.json("POST", fmt.Sprint("/api/v1/matches/", m.ID, "/stage"), map[string]any{"stage": "introduced", "note": "x"}), http.StatusUnauthorized, "unauthorized")
		var got mxMatch
		decodeJSON(t, s.apiClient(admin).get(fmt.Sprint("/api/v1/matches/", m.ID)), &got)
		if got.Stage != "proposed" || len(got.History) != 1 {
			t.Fatalf("refused moves changed the match: %s, %d steps", got.Stage, len(got.History))
		}
		stage(manager, 200, "introduced")
		stage(admin, 200, "exchange_planned")
		stage(manager, 200, "exchange_held")
		// Stage and note are all a stage change requires (CONTRACT.md).
		stage(manager, 200, "outcome_reported")

		// Editing: a need by its author and brokers; an offer by its author
		// and administrators.
		patchNeed := func(u account.User) int {
			return s.apiClient(u).json("PATCH", fmt.Sprint("/api/v1/needs/", public), map[string]any{"title": "Syphilis validation dossier, 2027"}).StatusCode
		}
		patchOffer := func(u account.User) int {
			return s.apiClient(u).json("PATCH", fmt.Sprint("/api/v1/offers/", o.ID), map[string]any{"capacity": "One visit a year"}).StatusCode
		}
		for _, c := range []struct {
			u          account.User
			need, offr int
		}{{outsider, 403, 403}, {offerer, 403, 200}, {moderator, 403, 403}, {author, 200, 403}, {manager, 200, 403}, {admin, 200, 200}} {
			if got := patchNeed(c.u); got != c.need {
				t.Errorf("%s edits the need: %d, want %d", c.u.Name, got, c.need)
			}
			if got := patchOffer(c.u); got != c.offr {
				t.Errorf("%s edits the offer: %d, want %d", c.u.Name, got, c.offr)
			}
		}
	})
}

// TestMatchingBadInput checks that what a client may send wrong is refused
// with a clear message in the caller's language, and changes nothing.
func TestMatchingBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		manager := s.mxUser("manager@example.org", "Manager", "BR", "IPC-IG", false)
		author := s.mxUser("author@example.org", "Author", "MZ", "Ministério da Saúde", false)
		colleague := s.mxUser("colleague@example.org", "Colleague", "MZ", "Ministerio da saude", false)
		s.mxCommunity("ssc", community.Public, manager, author, colleague)
		api := s.apiClient(author)
		good := func(extra map[string]any) map[string]any {
			b := map[string]any{"title": "Syphilis testing in antenatal care", "description": "How to test every pregnant woman.",
				"sdg_targets": []string{"3.3"}, "topics": []string{"congenital syphilis"}, "modalities": []string{"study_visit"}, "community": "ssc"}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		offerOf := func(b map[string]any) map[string]any {
			delete(b, "community")
			return b
		}
		count := func(table string) int {
			var n int
			db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
			return n
		}

		for _, c := range []struct {
			name  string
			body  any
			field string
		}{
			{"unknown country", good(map[string]any{"country": "XX"}), "country"},
			{"unknown target", good(map[string]any{"sdg_targets": []string{"3.99"}}), "sdg_targets"},
			{"unknown goal", good(map[string]any{"sdgs": []int{18}}), "sdgs"},
			{"unknown modality", good(map[string]any{"modalities": []string{"boat_trip"}}), "modalities"},
			{"unknown community", good(map[string]any{"community": "nowhere"}), "community"},
			{"no title", good(map[string]any{"title": " "}), "title"},
		} {
			wantAPIError(t, api.json("POST", "/api/v1/needs", c.body), http.StatusBadRequest, "validation_failed", c.field)
			if c.field != "community" {
				offer := maps.Clone(c.body.(map[string]any))
				delete(offer, "community")
				wantAPIError(t, api.json("POST", "/api/v1/offers", offer), http.StatusBadRequest, "validation_failed", c.field)
			}
		}
		wantAPIError(t, api.json("POST", "/api/v1/needs", `{"title": `), http.StatusBadRequest, "malformed_json")
		for _, q := range []string{"country=XX", "sdg=18", "status=finished"} {
			wantAPIError(t, api.get("/api/v1/needs?"+q), http.StatusBadRequest, "validation_failed")
		}
		wantAPIError(t, api.get("/api/v1/offers?modality=boat_trip"), http.StatusBadRequest, "validation_failed", "modality")
		// In the caller's language.
		fr := s.apiClient(author)
		fr.lang = "fr"
		e := wantAPIError(t, fr.json("POST", "/api/v1/needs", good(map[string]any{"country": "XX"})), http.StatusBadRequest, "validation_failed", "country")
		if !strings.Contains(e.Error.Fields["country"], "XX") || strings.Contains(e.Error.Fields["country"], "is not") {
			t.Errorf("the French message is %q", e.Error.Fields["country"])
		}
		// The form says it next to the field.
		r := s.loggedIn(author.Email).post("/needs", url.Values{"title": {"A need"}, "description": {"Text"}, "country": {"XX"}, "sdg_targets": {"3.3"}})
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, "XX") {
			t.Errorf("the need form does not name the unknown country:\n%s", excerpt(r.body, "error"))
		}
		if n := count("needs") + count("offers"); n != 0 {
			t.Fatalf("refused needs and offers left %d records", n)
		}

		var n, o struct{ ID int64 }
		decodeJSON(t, api.json("POST", "/api/v1/needs", good(nil)), &n)
		// The colleague's offer is from the same institution, spelt
		// differently: no match between them.
		r = s.apiClient(colleague).json("POST", "/api/v1/offers", offerOf(good(map[string]any{"title": "Our antenatal testing"})))
		wantStatus(t, r, http.StatusCreated)
		decodeJSON(t, r, &o)
		mgr := s.apiClient(manager)
		e = wantAPIError(t, mgr.json("POST", "/api/v1/matches", map[string]any{"need_id": n.ID, "offer_id": o.ID, "note": "x"}),
			http.StatusBadRequest, "validation_failed", "offer_id")
		if !strings.Contains(e.Error.Fields["offer_id"], "does not learn from itself") {
			t.Errorf("same institution: %q", e.Error.Fields["offer_id"])
		}
		wantAPIError(t, mgr.json("POST", "/api/v1/matches", map[string]any{"need_id": n.ID, "offer_id": 999, "note": "x"}), http.StatusBadRequest, "validation_failed", "offer_id")
		wantAPIError(t, mgr.json("POST", "/api/v1/matches", map[string]any{"need_id": n.ID}), http.StatusBadRequest, "validation_failed", "offer_id")
		if count("matches") != 0 {
			t.Fatal("a refused proposal left a match")
		}
		wantAPIError(t, api.get(fmt.Sprint("/api/v1/needs/", n.ID, "/suggestions?limit=0")), http.StatusBadRequest, "validation_failed", "limit")
		wantAPIError(t, api.get(fmt.Sprint("/api/v1/needs/", n.ID, "/suggestions?limit=many")), http.StatusBadRequest, "validation_failed", "limit")

		// Bad stage changes of a real match.
		other := s.mxUser("other@example.org", "Other", "TH", "Ministry of Public Health", false)
		r = s.apiClient(other).json("POST", "/api/v1/offers", offerOf(good(map[string]any{"title": "Thai antenatal testing"})))
		decodeJSON(t, r, &o)
		var m struct{ ID int64 }
		r = mgr.json("POST", "/api/v1/matches", map[string]any{"need_id": n.ID, "offer_id": o.ID, "note": "x"})
		wantStatus(t, r, http.StatusCreated)
		decodeJSON(t, r, &m)
		wantAPIError(t, mgr.json("POST", "/api/v1/matches", map[string]any{"need_id": n.ID, "offer_id": o.ID, "note": "again"}), http.StatusConflict, "conflict", "offer_id")
		path := fmt.Sprint("/api/v1/matches/", m.ID, "/stage")
		for _, c := range []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"unknown stage", map[string]any{"stage": "finished", "note": "x"}, 400, "stage"},
			{"no stage", map[string]any{"note": "x"}, 400, "stage"},
			{"no note", map[string]any{"stage": "introduced"}, 400, "note"},
			{"out of order", map[string]any{"stage": "exchange_held", "note": "x"}, 409, "stage"},
			{"same stage", map[string]any{"stage": "proposed", "note": "x"}, 409, "stage"},
			{"unknown modality", map[string]any{"stage": "introduced", "note": "x", "modality": "boat_trip"}, 400, "modality"},
			{"unknown participants' country", map[string]any{"stage": "introduced", "note": "x", "participants": map[string]int{"QQ": 3}}, 400, "participants"},
			{"unknown outcome", map[string]any{"stage": "introduced", "note": "x", "outcome": "great"}, 400, "outcome"},
			{"bad date", map[string]any{"stage": "introduced", "note": "x", "starts_on": "2026-02-30"}, 400, "starts_on"},
		} {
			code := "validation_failed"
			if c.status == 409 {
				code = "conflict"
			}
			e := wantAPIError(t, mgr.json("POST", path, c.body), c.status, code, c.field)
			if c.name == "out of order" && !strings.Contains(e.Error.Fields["stage"], "introduced") && !strings.Contains(e.Error.Fields["stage"], "Introduced") {
				t.Errorf("out of order: %q does not name the next stage", e.Error.Fields["stage"])
			}
		}
		var got mxMatch
		decodeJSON(t, mgr.get(fmt.Sprint("/api/v1/matches/", m.ID)), &got)
		if got.Stage != "proposed" || len(got.History) != 1 {
			t.Errorf("refused stage changes moved the match to %s with %d steps", got.Stage, len(got.History))
		}
	})
}
