package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// searchAnswer is GET /api/v1/search as a client reads it.
type searchAnswer struct {
	Items []struct {
		Type    string `json:"type"`
		ID      int64  `json:"id"`
		Title   string `json:"title"`
		URL     string `json:"url"`
		Snippet string `json:"snippet"`
	} `json:"items"`
	Total   int  `json:"total"`
	Page    int  `json:"page"`
	PerPage int  `json:"per_page"`
	Capped  bool `json:"capped"`
	Facets  map[string][]struct {
		Value any    `json:"value"`
		Count int    `json:"count"`
		Label string `json:"label"`
	} `json:"facets"`
}

func apiSearch(t *testing.T, c *client, query string) searchAnswer {
	t.Helper()
	r := c.get("/api/v1/search?" + query)
	wantStatus(t, r, http.StatusOK)
	var a searchAnswer
	decodeJSON(t, r, &a)
	return a
}

// TestSearchJourney is the "done when" for search, as a new user
// would check it: "saude materna" finds the Portuguese resource on "saúde
// materna"; a member of a members-only community finds its threads and an
// outsider does not, not even in the counts; the page and the API answer
// any input with results or none.
func TestSearchJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		mgr := f.apiClient(f.manager)
		r := mgr.json("POST", "/api/v1/communities/open-health/resources", map[string]any{"title": "Guia de saúde materna e neonatal",
			"summary": "Cuidados pré-natais <script>alert(1)</script> nas unidades de saúde, se 5 < 10 & mais.", "kind": "toolkit", "language": "pt",
			"countries": []string{"MZ"}, "sdgs": []int{3}, "url": "https://example.org/guia"})
		wantStatus(t, r, http.StatusCreated)
		member := f.loggedIn("member@example.org")
		r = member.post("/communities/wash/discussions", url.Values{"title": {"Latrine maintenance in Kisumu schools"},
			"body": {"Who pays for emptying the pits?"}, "language": {"en"}})
		wantStatus(t, r, http.StatusSeeOther)
		thread := strings.Split(r.Header.Get("Location"), "?")[0]

		// Anyone finds the Portuguese resource without the accent, with
		// the words highlighted and the page's markup escaped.
		anon := f.client()
		r = anon.get("/search?q=saude+materna")
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, "Guia de <mark>saúde</mark> <mark>materna</mark> e neonatal") || !strings.Contains(r.body, ">Library<") {
			t.Errorf("saude materna: the resource is not listed with its highlighted title and type")
		}
		// Markup in the text never reaches the page as markup.
		if strings.Contains(r.body, "<script>alert") || !strings.Contains(r.body, "5 &lt; 10 &amp; mais") {
			t.Errorf("the snippet is not escaped")
		}
		if len(r.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("an anonymous search sets a cookie: %v", r.Header.Values("Set-Cookie"))
		}
		a := apiSearch(t, anon, "q=saude+materna")
		if a.Total != 1 || len(a.Items) != 1 || a.Items[0].Type != "resource" || a.Items[0].Title != "Guia de saúde materna e neonatal" ||
			!strings.Contains(a.Items[0].Snippet, "<mark>saúde</mark>") || strings.Contains(a.Items[0].Snippet, "<script") ||
			!strings.Contains(a.Items[0].Snippet, "5 &lt; 10 &amp; mais") {
			t.Errorf("API saude materna: %+v", a)
		}
		if got := a.Facets["language"]; len(got) != 1 || got[0].Value != "pt" || got[0].Count != 1 {
			t.Errorf("language facet %+v", got)
		}

		// The member finds the members-only thread, on the page and in the API.
		r = member.get("/search?q=latrine")
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, `href="`+thread+`"`) || !strings.Contains(r.body, "1 result") {
			t.Errorf("the member does not find the thread of the members-only community")
		}
		if a := apiSearch(t, f.apiClient(f.member), "q=latrine"); a.Total != 1 || len(a.Items) != 1 || a.Items[0].URL != thread {
			t.Errorf("API, member: %+v", a)
		}
		// An outsider, logged in or not, finds nothing and counts nothing:
		// not in the total, not in a facet, not when narrowing to it.
		outsider := f.loggedIn("outsider@example.org")
		for name, c := range map[string]*client{"anonymous": anon, "outsider": outsider} {
			for _, q := range []string{"q=latrine", "q=latrine&community=wash", "q=kisumu+schools&type=thread"} {
				r = c.get("/search?" + q)
				wantStatus(t, r, http.StatusOK)
				if strings.Contains(r.body, "Latrine") || strings.Contains(r.body, thread) || !strings.Contains(r.body, "Nothing found") {
					t.Errorf("%s %s: the page shows the members-only thread", name, q)
				}
			}
		}
		for name, c := range map[string]*client{"anonymous": f.client(), "outsider": f.apiClient(f.outsider)} {
			a := apiSearch(t, c, "q=latrine")
			if a.Total != 0 || len(a.Items) != 0 {
				t.Errorf("API, %s: %+v", name, a)
			}
			for facet, values := range a.Facets {
				if len(values) != 0 {
					t.Errorf("API, %s: facet %s counts %+v", name, facet, values)
				}
			}
		}

		// An empty query shows nothing; no results under a facet suggests
		// removing it; a filter value that cannot exist is a 400 in the API
		// and ignored by the page.
		r = anon.get("/search?q=+")
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, `class="results"`) || !strings.Contains(r.body, "Type what you are looking for") {
			t.Errorf("an empty query lists results")
		}
		if a := apiSearch(t, anon, "q="); a.Total != 0 || len(a.Items) != 0 {
			t.Errorf("API, empty query: %+v", a)
		}
		r = anon.get("/search?q=saude&type=event")
		if !strings.Contains(r.body, "Try without one of them") || !strings.Contains(r.body, `href="/search?q=saude"`) {
			t.Errorf("no results under a facet: no way to remove it")
		}
		wantAPIError(t, anon.get("/api/v1/search?q=saude&sdg=18&type=person"), 400, "validation_failed", "sdg", "type")
		wantStatus(t, anon.get("/search?q=saude&sdg=18&type=person&year=x"), http.StatusOK)

		// Whatever is typed, an answer: results or none, never an error.
		for _, q := range []string{`"`, `"saude`, `saude*`, `NEAR(saude materna)`, `title:saude`, `-`, `saude -materna`, `a & b | !c`, `(((`,
			`'; DROP TABLE search_docs; --`, "\xff\xfe saude", strings.Repeat("materna ", 400), `" OR 1=1 --`} {
			for _, c := range []*client{anon, member} {
				if r := c.get("/search?q=" + url.QueryEscape(q)); r.StatusCode != http.StatusOK {
					t.Errorf("page %q: status %d", q, r.StatusCode)
				}
				if r := c.get("/api/v1/search?q=" + url.QueryEscape(q)); r.StatusCode != http.StatusOK {
					t.Errorf("API %q: status %d", q, r.StatusCode)
				}
			}
		}
		if a := apiSearch(t, anon, "q="+url.QueryEscape(`"saude materna" -hiv`)); a.Total != 1 {
			t.Errorf("phrase and exclusion: %+v", a)
		}
		if a := apiSearch(t, anon, "q="+url.QueryEscape(`saude -materna`)); a.Total != 0 {
			t.Errorf("exclusion: %+v", a)
		}
	})
}
