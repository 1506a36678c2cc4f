package app_test

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

// editor creates a member who may edit the catalogue.
func (s *site) editor(email string) account.User {
	s.t.Helper()
	u, err := account.NewStore(s.db).CreateUser(ctx, account.NewUser{
		Email: email, Password: "a good long passphrase", Editor: true, Verified: true,
		Profile: account.Profile{Name: strings.Split(email, "@")[0], Country: "BR"},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// solutionForm is a valid record as the web form sends it.
func solutionForm(title string) url.Values {
	return url.Values{
		"title": {title}, "tagline": {"Skin-to-skin care"}, "challenge": {"Preterm babies die of cold."},
		"solution": {"Mothers carry them skin to skin."}, "countries": {"CO", "SN"}, "modality": {"south_south"},
		"primary_sdg": {"3"}, "secondary_sdgs": {"17"}, "sdg_targets": {"3.2"}, "status": {"ongoing"},
		"start_date": {"2016-09"}, "supported_by": {"UNICEF\nAPC-Colombia"}, "language": {"en"},
		"contact_name": {"Nathalie Charpak", ""}, "contact_title": {"Director", "Programme Officer"},
		"contact_organization": {"Fundación Canguro", "UNICEF"}, "contact_email": {"nc@canguro.example.org", ""},
	}
}

// solutionJSON is a valid record as the API takes it.
func solutionJSON(title string) map[string]any {
	return map[string]any{
		"title": title, "tagline": "Skin-to-skin care", "challenge": "Preterm babies die of cold.",
		"solution": "Mothers carry them skin to skin.", "countries": []string{"CO", "SN"}, "modality": "south_south",
		"primary_sdg": 3, "secondary_sdgs": []int{17}, "sdg_targets": []string{"3.2"}, "status": "ongoing",
		"start_date": "2016-09", "supported_by": []string{"UNICEF"}, "language": "en",
		"contacts": []map[string]string{{"name": "Nathalie Charpak", "title": "Director", "organization": "Fundación Canguro", "email": "nc@canguro.example.org"}},
	}
}

// upload sends a file in a multipart form, as the import page does.
func (c *client) upload(path, name, content string) response {
	c.s.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", name)
	io.WriteString(part, content)
	w.Close()
	return c.do("POST", path, &body, w.FormDataContentType())
}

func TestSolutionWritesByRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.user("admin@example.org", true)
		s.user("member@example.org", false)
		ed := s.editor("editor@example.org")
		x, err := solution.NewStore(db).Create(ctx, solution.Editor{UserID: ed.ID}, solution.Input{
			Title: "Existing", Challenge: "C", Approach: "S", Countries: []string{"BR"}, Modality: "south_south",
			PrimarySDG: 3, Status: "ongoing", StartDate: "2018-01",
		})
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(x.ID, 10)
		csv := "title,challenge,solution,countries,modality,primary_sdg,status\nImported,C,S,KE,south_south,3,ongoing\n"

		clients := map[string]func() *client{
			"anonymous": s.client,
			"member":    func() *client { return s.loggedIn("member@example.org") },
			"editor":    func() *client { return s.loggedIn("editor@example.org") },
			"admin":     func() *client { return s.loggedIn("admin@example.org") },
		}
		apiClients := map[string]*client{
			"anonymous": s.client(),
			"member":    s.apiClient(mustUser(t, db, "member@example.org")),
			"editor":    s.apiClient(ed),
			"admin":     s.apiClient(mustUser(t, db, "admin@example.org")),
		}
		n := 0
		routes := []struct {
			name string
			do   func(c *client) response
			ok   int // for editors and administrators
			anon int
			api  bool
		}{
			{"GET /solutions/new", func(c *client) response { return c.get("/solutions/new") }, 200, 303, false},
			{"POST /solutions", func(c *client) response {
				n++
				return c.post("/solutions", solutionForm(fmt.Sprintf("New %d", n)))
			}, 303, 401, false},
			{"GET /solutions/{id}/edit", func(c *client) response { return c.get("/solutions/" + id + "/edit") }, 200, 303, false},
			{"POST /solutions/{id}/edit", func(c *client) response {
				f := solutionForm("Existing")
				f.Set("start_date", "2018-01")
				return c.post("/solutions/"+id+"/edit", f)
			}, 303, 401, false},
			{"POST /solutions/{id}/archive", func(c *client) response { return c.post("/solutions/"+id+"/archive", nil) }, 303, 401, false},
			{"POST /solutions/{id}/restore", func(c *client) response { return c.post("/solutions/"+id+"/restore", nil) }, 303, 401, false},
			{"GET /solutions/{id}/history", func(c *client) response { return c.get("/solutions/" + id + "/history") }, 200, 303, false},
			{"POST /solutions/{id}/reviewed", func(c *client) response { return c.post("/solutions/"+id+"/reviewed", nil) }, 303, 401, false},
			{"GET /solutions/review", func(c *client) response { return c.get("/solutions/review") }, 200, 303, false},
			{"GET /solutions/import", func(c *client) response { return c.get("/solutions/import") }, 200, 303, false},
			{"POST /solutions/import", func(c *client) response { return c.upload("/solutions/import", "c.csv", csv) }, 303, 401, false},
			{"GET /solutions/export", func(c *client) response { return c.get("/solutions/export?format=json") }, 200, 303, false},
			{"GET /solutions?archived=1", func(c *client) response { return c.get("/solutions?archived=1") }, 200, 403, false},
			{"POST /api/v1/solutions", func(c *client) response {
				n++
				return c.json("POST", "/api/v1/solutions", solutionJSON(fmt.Sprintf("API %d", n)))
			}, 201, 401, true},
			{"PATCH /api/v1/solutions/{id}", func(c *client) response {
				return c.json("PATCH", "/api/v1/solutions/"+id, map[string]any{"tagline": "Changed"})
			}, 200, 401, true},
			{"POST /api/v1/solutions/{id}/archive", func(c *client) response { return c.json("POST", "/api/v1/solutions/"+id+"/archive", nil) }, 200, 401, true},
			{"POST /api/v1/solutions/{id}/restore", func(c *client) response { return c.json("POST", "/api/v1/solutions/"+id+"/restore", nil) }, 200, 401, true},
			{"POST /api/v1/solutions/{id}/reviewed", func(c *client) response { return c.json("POST", "/api/v1/solutions/"+id+"/reviewed", nil) }, 200, 401, true},
			{"GET /api/v1/solutions/{id}/history", func(c *client) response { return c.get("/api/v1/solutions/" + id + "/history") }, 200, 401, true},
			{"GET /api/v1/solutions?archived=true", func(c *client) response { return c.get("/api/v1/solutions?archived=true") }, 200, 403, true},
		}
		for _, rt := range routes {
			for _, who := range []string{"anonymous", "member", "editor", "admin"} {
				var c *client
				if rt.api {
					c = apiClients[who]
				} else {
					c = clients[who]()
				}
				want := rt.ok
				switch who {
				case "anonymous":
					want = rt.anon
				case "member":
					want = http.StatusForbidden
				}
				r := rt.do(c)
				if r.StatusCode != want {
					t.Errorf("%s as %s: status %d, want %d\n%.300s", rt.name, who, r.StatusCode, want, r.body)
				}
				if want == http.StatusForbidden && !rt.api && !strings.Contains(r.body, i18n.For("en").T("error.403_title")) {
					t.Errorf("%s as %s: the 403 page does not say so", rt.name, who)
				}
			}
		}
		// Nothing a member or visitor tried left a trace.
		h, _ := solution.NewStore(db).History(ctx, x.ID)
		for _, c := range h {
			if c.UserName == "member" {
				t.Errorf("a member changed the record: %+v", c)
			}
		}
	})
}

func mustUser(t *testing.T, db *sqldb.DB, email string) account.User {
	t.Helper()
	u, err := account.NewStore(db).UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var hrefRE = regexp.MustCompile(`<a href="([^"]+)"[^>]*>([^<]*)`)

// link finds the first link whose text is text and returns its address.
func link(t *testing.T, body, text string) string {
	t.Helper()
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		if strings.TrimSpace(html.UnescapeString(m[2])) == text {
			return html.UnescapeString(m[1])
		}
	}
	t.Fatalf("no link %q on the page", text)
	return ""
}

// TestFindOngoingHealthSolutionsInAfrica walks the "done when" on
// the demo catalogue: from the catalogue, one click on SDG 3's ongoing
// solutions, one on Africa; open a solution; its similar solutions share
// its targets or countries ahead of those that share only SDG 17.
func TestFindOngoingHealthSolutionsInAfrica(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := newSite(t, db)
		c := s.client()
		r := c.get("/solutions")
		wantStatus(t, r, 200)
		if r.Header.Get("Set-Cookie") != "" {
			t.Errorf("an anonymous catalogue page set a cookie: %s", r.Header.Get("Set-Cookie"))
		}
		if strings.Contains(r.body, "<script") {
			t.Error("the catalogue page uses a script")
		}
		// Click 1: the goal grid's "N ongoing" link of SDG 3.
		var click1 string
		for _, m := range hrefRE.FindAllStringSubmatch(r.body, -1) {
			if u := html.UnescapeString(m[1]); strings.Contains(u, "sdg=3") && strings.Contains(u, "status=ongoing") {
				click1 = u
				break
			}
		}
		if click1 == "" {
			t.Fatal("no link to the ongoing SDG 3 solutions on the catalogue page")
		}
		r = c.get(click1)
		wantStatus(t, r, 200)
		// Click 2: Africa in the region facet.
		click2 := link(t, r.body, "Africa")
		r = c.get(click2)
		wantStatus(t, r, 200)
		u, _ := url.Parse(click2)
		q := u.Query()
		if q.Get("sdg") != "3" || q.Get("status") != "ongoing" || q.Get("region") != "002" {
			t.Fatalf("two clicks led to %s", click2)
		}
		var list struct {
			Items []struct {
				ID         int64
				Status     string
				PrimarySDG int `json:"primary_sdg"`
				SDGs       []int
				Secondary  []int `json:"secondary_sdgs"`
				Regions    []string
			}
			Total int
		}
		api := c.get("/api/v1/solutions?" + q.Encode() + "&per_page=100")
		wantStatus(t, api, 200)
		decodeJSON(t, api, &list)
		if list.Total < 5 || !strings.Contains(r.body, strconv.Itoa(list.Total)) {
			t.Fatalf("ongoing SDG 3 in Africa: %d on the API, page does not show the count", list.Total)
		}
		for _, it := range list.Items {
			if it.Status != "ongoing" || !containsStr(it.Regions, "002") || (it.PrimarySDG != 3 && !containsInt(it.Secondary, 3)) {
				t.Errorf("item %+v does not match the filters", it)
			}
		}

		// Open the first one: a catalogue record with similar solutions.
		first := regexp.MustCompile(`<h3><a href="(/solutions/\d+)"`).FindStringSubmatch(r.body)
		if first == nil {
			t.Fatal("no solution listed")
		}
		r = c.get(first[1])
		wantStatus(t, r, 200)
		for _, want := range []string{"Similar solutions", `class="sdg sdg-3"`, `href="/countries/`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the solution page lacks %s", want)
			}
		}
		var sim struct {
			Items []struct {
				Title       string
				Reasons     []struct{ Code string }
				Explanation string
			}
		}
		api = c.get("/api/v1" + first[1] + "/similar?limit=10")
		wantStatus(t, api, 200)
		decodeJSON(t, api, &sim)
		seenOnly17 := false
		for _, it := range sim.Items {
			strong := false
			for _, rs := range it.Reasons {
				strong = strong || rs.Code == "target" || rs.Code == "sdg" || rs.Code == "country"
			}
			if !strong {
				seenOnly17 = true
			} else if seenOnly17 {
				t.Errorf("%q shares targets, goals or countries but ranks after a weaker match", it.Title)
			}
			if it.Explanation == "" || !strings.Contains(r.body, html.EscapeString(it.Explanation)) && len(sim.Items) <= 5 {
				t.Errorf("explanation of %q missing on the page: %q", it.Title, it.Explanation)
			}
		}
	})
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

func TestSolutionAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		ed := s.apiClient(s.editor("editor@example.org"))
		anon := s.client()

		r := ed.json("POST", "/api/v1/solutions", solutionJSON("Kangaroo mother care"))
		wantStatus(t, r, http.StatusCreated)
		var x struct {
			ID        int64
			Countries []string
			Regions   []string
			StartDate string `json:"start_date"`
			Contacts  []struct{ Name, Email string }
		}
		decodeJSON(t, r, &x)
		if x.ID == 0 || x.StartDate != "2016-09" || len(x.Regions) == 0 || x.Contacts[0].Email != "nc@canguro.example.org" {
			t.Errorf("created %+v", x)
		}
		path := "/api/v1/solutions/" + strconv.FormatInt(x.ID, 10)

		// Readers: anyone; contacts' e-mail addresses only to members.
		r = anon.get(path)
		wantStatus(t, r, 200)
		if strings.Contains(r.body, "nc@canguro.example.org") {
			t.Error("an anonymous reader sees a contact's e-mail address")
		}

		// Validation names each field, in the caller's language.
		ed.lang = "fr"
		bad := solutionJSON("Bad")
		bad["countries"] = []string{"XX"}
		bad["primary_sdg"] = 18
		bad["sdg_targets"] = []string{"3.99"}
		bad["status"] = "paused"
		bad["modality"] = "north_south"
		bad["start_date"] = "2020-01"
		bad["end_date"] = "2019-12"
		e := wantAPIError(t, ed.json("POST", "/api/v1/solutions", bad), 400, "validation_failed",
			"countries", "primary_sdg", "sdg_targets", "status", "modality", "end_date")
		if !strings.Contains(e.Error.Fields["countries"], "n’est pas un code de pays") {
			t.Errorf("message not in French: %q", e.Error.Fields["countries"])
		}
		ed.lang = ""
		wantAPIError(t, ed.json("POST", "/api/v1/solutions", `{"title": "T", "colour": "red"}`), 400, "validation_failed", "colour")
		wantAPIError(t, ed.json("POST", "/api/v1/solutions", `{"title": "T", "primary_sdg": "3"}`), 400, "validation_failed", "primary_sdg")
		wantAPIError(t, ed.json("POST", "/api/v1/solutions", `[`), 400, "malformed_json")
		wantAPIError(t, ed.json("POST", "/api/v1/solutions", solutionJSON("kangaroo MOTHER care")), 409, "conflict", "title")

		// PATCH changes only what it names, and the history says so.
		r = ed.json("PATCH", path, map[string]any{"status": "completed", "end_date": "2022-06"})
		wantStatus(t, r, 200)
		r = ed.get(path + "/history")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `"fields":["status","end_date"]`) || !strings.Contains(r.body, `"via":"api"`) {
			t.Errorf("history %s", r.body)
		}

		// Lists page, filter and count facets.
		ed.json("POST", "/api/v1/solutions", map[string]any{"title": "Global network", "challenge": "C", "solution": "S",
			"global": true, "modality": "triangular", "primary_sdg": 17, "secondary_sdgs": []int{3}, "status": "ongoing"})
		r = anon.get("/api/v1/solutions?sdg=3&per_page=1")
		wantStatus(t, r, 200)
		var list struct {
			Items   []map[string]any
			Total   int
			Page    int
			PerPage int `json:"per_page"`
			Facets  map[string][]struct {
				Value any
				Count int
				Label string
			}
		}
		decodeJSON(t, r, &list)
		if list.Total != 2 || len(list.Items) != 1 || list.PerPage != 1 {
			t.Errorf("list: total %d, %d items", list.Total, len(list.Items))
		}
		for _, name := range []string{"sdg", "country", "region", "status", "modality", "start_year"} {
			if _, ok := list.Facets[name]; !ok {
				t.Errorf("no %s facet", name)
			}
		}
		if f := list.Facets["country"]; len(f) == 0 || fmt.Sprint(f[len(f)-1].Value) != "global" && fmt.Sprint(f[0].Value) != "global" {
			t.Errorf("country facet %+v lacks global", f)
		}
		if f := list.Facets["sdg"]; len(f) == 0 || f[0].Value != float64(3) || f[0].Count != 2 || f[0].Label != "Good health and well-being" {
			t.Errorf("SDG facet %+v: want 3 (a number) counted twice first", f)
		}
		for _, q := range []string{"sdg=18", "region=Atlantis", "country=XX", "status=paused", "start_year=x", "sort=random", "per_page=500"} {
			wantAPIError(t, anon.get("/api/v1/solutions?"+q), 400, "validation_failed")
		}
		r = anon.get("/api/v1/solutions?region=Latin%20America%20and%20the%20Caribbean")
		wantStatus(t, r, 200)
		decodeJSON(t, r, &list)
		if list.Total != 1 {
			t.Errorf("region by name: %d", list.Total)
		}

		// Similar, with reasons.
		wantAPIError(t, anon.get(path+"/similar?limit=0"), 400, "validation_failed", "limit")
		wantAPIError(t, anon.get(path+"/similar?limit=abc"), 400, "validation_failed", "limit")
		wantAPIError(t, anon.get("/api/v1/solutions/999/similar"), 404, "not_found")
		wantAPIError(t, anon.get("/api/v1/solutions/abc"), 404, "not_found")
		r = anon.get(path + "/similar")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `"code":"sdg"`) || !strings.Contains(r.body, `"explanation":"shares SDGs 3, 17"`) {
			t.Errorf("similar %s", r.body)
		}

		// Archived: gone for readers, there for editors.
		wantStatus(t, ed.json("POST", path+"/archive", nil), 200)
		wantAPIError(t, anon.get(path), 404, "not_found")
		wantStatus(t, ed.get(path), 200)
		r = anon.get("/api/v1/solutions?sdg=3")
		decodeJSON(t, r, &list)
		if list.Total != 1 {
			t.Errorf("archived record still listed: %d", list.Total)
		}
	})
}

// activeMarkup is HTML that would run: a script or frame element, an event
// handler attribute, a javascript: link.
var activeMarkup = regexp.MustCompile(`(?i)<script|<iframe|<[a-z][^>]*\son[a-z]+\s*=|href="javascript:`)

func TestSolutionPagesRenderInertText(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.editor("editor@example.org")
		ed := s.loggedIn("editor@example.org")
		f := solutionForm(`<script>alert("title")</script>`)
		f.Set("tagline", `"><img src=x onerror=alert(1)>`)
		f.Set("challenge", "<script>alert('challenge')</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(2)>")
		f.Set("solution", "<iframe src=\"https://evil.example\"></iframe>\n\n**bold**")
		f["supported_by"] = []string{"<b onmouseover=alert(3)>UNICEF</b>"}
		f["contact_name"] = []string{`<svg onload=alert(4)>`}
		f.Set("url", "javascript:alert(5)")
		r := ed.post("/solutions", f)
		wantStatus(t, r, 400) // the javascript: URL is refused
		if !strings.Contains(r.body, "http://") || strings.Contains(r.body, "<script>alert") {
			t.Errorf("refused form: %.500s", r.body)
		}
		f.Set("url", "https://example.org/kmc")
		r = ed.post("/solutions", f)
		wantStatus(t, r, 303)
		page := r.Header.Get("Location")
		for _, c := range []*client{s.client(), ed} {
			r = c.get(page)
			wantStatus(t, r, 200)
			if m := activeMarkup.FindString(r.body); m != "" {
				t.Errorf("the solution page holds live markup %q", m)
			}
			if !strings.Contains(r.body, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;") || !strings.Contains(r.body, "<strong>bold</strong>") {
				t.Errorf("title not escaped or Markdown not rendered")
			}
		}
		// And in the list.
		r = s.client().get("/solutions")
		if m := activeMarkup.FindString(r.body); m != "" || !strings.Contains(r.body, "&lt;script&gt;") {
			t.Errorf("the catalogue holds live markup %q", m)
		}
	})
}

func TestSolutionFormAndPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		s.editor("editor@example.org")
		s.user("member@example.org", false)
		ed := s.loggedIn("editor@example.org")

		// A refused form comes back filled in with each message by its field.
		f := solutionForm("Kangaroo mother care")
		f.Set("sdg_targets", "3.2, 4.1")
		f.Set("end_date", "2010-01")
		r := ed.post("/solutions", f)
		wantStatus(t, r, 400)
		for _, want := range []string{`id="e-sdg_targets"`, "Target 4.1 belongs to SDG 4", `id="e-end_date"`, `value="Kangaroo mother care"`, "Nathalie Charpak"} {
			if !strings.Contains(html.UnescapeString(r.body), html.UnescapeString(want)) {
				t.Errorf("refused form lacks %q", want)
			}
		}
		r = ed.post("/solutions", solutionForm("Kangaroo mother care"))
		wantStatus(t, r, 303)
		page := r.Header.Get("Location")
		if !strings.HasSuffix(page, "done=solution_created") {
			t.Errorf("redirect to %s", page)
		}
		r = ed.get(page)
		for _, want := range []string{"The solution was added", "Kangaroo mother care", "Colombia", "Senegal", `href="/countries/CO"`,
			"Target 3.2", "September 2016", "Fundación Canguro", "nc@canguro.example.org", "Edit"} {
			if !strings.Contains(html.UnescapeString(r.body), want) {
				t.Errorf("solution page lacks %q", want)
			}
		}
		// In Portuguese, countries by their Portuguese names; e-mail
		// addresses only for members.
		r = s.client().get(strings.Split(page, "?")[0] + "?lang=pt")
		body := html.UnescapeString(r.body)
		if !strings.Contains(body, "Colômbia") || !strings.Contains(body, "Soluções parecidas") || strings.Contains(body, "nc@canguro.example.org") {
			t.Errorf("Portuguese page for a visitor:\n%.2000s", body)
		}
		if strings.Contains(body, ">Editar<") {
			t.Error("a visitor is offered to edit")
		}
		r = s.loggedIn("member@example.org").get(strings.Split(page, "?")[0])
		if !strings.Contains(r.body, "nc@canguro.example.org") {
			t.Error("a member does not see the contact's e-mail address")
		}

		// The country page lists it.
		r = s.client().get("/countries/SN")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `id="h-country-solutions"`) || !strings.Contains(r.body, "Kangaroo mother care") {
			t.Errorf("the country page does not list the solution:\n%.3000s", r.body)
		}

		// The edit form shows the record; saving records the change.
		id := regexp.MustCompile(`/solutions/(\d+)`).FindStringSubmatch(page)[1]
		r = ed.get("/solutions/" + id + "/edit")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `<option value="CO" selected`) || !strings.Contains(r.body, `value="3.2"`) {
			t.Errorf("edit form not filled in")
		}
		f = solutionForm("Kangaroo mother care")
		f.Set("status", "completed")
		f.Set("end_date", "2021-12")
		wantStatus(t, ed.post("/solutions/"+id+"/edit", f), 303)
		r = ed.get("/solutions/" + id + "/history")
		if !strings.Contains(r.body, "Status, End") {
			t.Errorf("history does not name the changed fields:\n%.1500s", r.body)
		}
		// Archive: gone from the catalogue and for readers.
		wantStatus(t, ed.post("/solutions/"+id+"/archive", nil), 303)
		wantStatus(t, s.client().get("/solutions/"+id), 404)
		if r := s.client().get("/solutions"); strings.Contains(r.body, "Kangaroo mother care") {
			t.Error("an archived solution is listed")
		}
		wantStatus(t, ed.get("/solutions/"+id), 200)
		if r := s.client().get("/countries/SN"); strings.Contains(r.body, "Kangaroo mother care") {
			t.Error("the country page lists an archived solution")
		}
		wantStatus(t, s.client().get("/solutions/abc"), 404)
		wantStatus(t, s.client().get("/solutions?sdg=99"), 400)
	})
}

// solutionSite is a site with its own configuration.
func solutionSite(t *testing.T, db *sqldb.DB, change func(*config.Config)) *site {
	t.Helper()
	cfg := config.Default()
	cfg.BaseURL = "http://harambee.test"
	change(&cfg)
	srv := httptest.NewServer(app.Handler(db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &site{t: t, db: db, srv: srv}
}

func TestSolutionImportExportPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := solutionSite(t, db, func(c *config.Config) { c.MaxUpload = 1 << 20 })
		s.editor("editor@example.org")
		ed := s.loggedIn("editor@example.org")
		csv := "title,challenge,solution,countries,modality,primary_sdg,status,start_date\n" +
			"Milk banks,C,S,BR;MZ,triangular,3,ongoing,2015-06\nSchool meals,C,S,ET,south_south,2,completed,2011-11\n"
		r := ed.upload("/solutions/import", "catalogue.csv", csv)
		wantStatus(t, r, 303)
		r = ed.get(r.Header.Get("Location"))
		if !strings.Contains(r.body, "Import done: 2 created, 0 updated, 0 unchanged") {
			t.Errorf("import summary missing:\n%.1500s", r.body)
		}

		// A bad file: every problem listed, nothing imported.
		bad := strings.Replace(csv, "BR;MZ", "BR;XX", 1) + "\"Unclosed,C\n"
		r = ed.upload("/solutions/import", "catalogue.csv", bad)
		wantStatus(t, r, 400)
		if !strings.Contains(html.UnescapeString(r.body), "line 4: a quoted value starting on this line is not closed") {
			t.Errorf("problems not listed:\n%.2000s", r.body)
		}
		r = ed.upload("/solutions/import", "catalogue.json", `{"title": "not an array"}`)
		wantStatus(t, r, 400)
		if !strings.Contains(r.body, "JSON array") {
			t.Error("JSON that is not an array: no message")
		}
		r = ed.upload("/solutions/import", "big.csv", strings.Repeat("x", 3<<20))
		wantStatus(t, r, 413)
		if !strings.Contains(r.body, "larger than 1 MB") {
			t.Errorf("too large: %.500s", r.body)
		}
		wantStatus(t, ed.do("POST", "/solutions/import", strings.NewReader("title=x"), "application/x-www-form-urlencoded"), 400)

		// Export, then import into an empty database on the same engine.
		r = ed.get("/solutions/export?format=csv")
		wantStatus(t, r, 200)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export headers %v", r.Header)
		}
		exported := r.body
		if n := strings.Count(exported, "\n"); n != 3 {
			t.Errorf("export has %d lines, want header and two records", n)
		}
		other := solutionSite(t, dbtest.New(t, db.Dialect()), func(*config.Config) {})
		other.editor("editor@example.org")
		ed2 := other.loggedIn("editor@example.org")
		wantStatus(t, ed2.upload("/solutions/import", "export.csv", exported), 303)
		if again := ed2.get("/solutions/export?format=csv").body; again != exported {
			t.Errorf("export after import differs:\n%s\n---\n%s", exported, again)
		}
		wantStatus(t, ed.get("/solutions/export?format=xml"), 400)
	})
}
