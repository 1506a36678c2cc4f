package app_test

import (
	"bytes"
	"encoding/xml"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestDiscussionJourney is the "done when" for discussions: a
// member asks a question, another answers, the author accepts the answer.
func TestDiscussionJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		asker, answerer := f.loggedIn("member@example.org"), f.loggedIn("manager@example.org")
		r := asker.post("/communities/open-health/discussions", url.Values{"title": {"Seeking examples of WASH programmes in schools"},
			"body": {"Which countries have **costed** school latrines?"}, "language": {"en"}, "question": {"on"}})
		wantStatus(t, r, http.StatusSeeOther)
		thread := strings.Split(r.Header.Get("Location"), "?")[0]
		r = answerer.get(thread)
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "<strong>costed</strong>") || !strings.Contains(r.body, "Question") {
			t.Fatalf("the thread page lacks the question")
		}
		// The manager may move the thread to the other communities they
		// manage, by name; the member may not.
		_, form, _ := strings.Cut(r.body, `/move"`)
		moveTo := regexp.MustCompile(`<option value="([a-z-]+)">([^<]+)</option>`).FindAllStringSubmatch(form, -1)
		if len(moveTo) != 2 || moveTo[0][1] != "secret-group" || moveTo[0][2] != "Community secret-group" || moveTo[1][1] != "wash" {
			t.Errorf("move the thread to: %q, want secret-group and wash", moveTo)
		}
		if strings.Contains(asker.get(thread).body, `/move"`) {
			t.Error("a member is offered to move the thread")
		}
		r = answerer.post(thread+"/posts", url.Values{"body": {"Ghana did, with *CLTS* costing tools."}})
		wantStatus(t, r, http.StatusSeeOther)
		postID := regexp.MustCompile(`#post-(\d+)`).FindStringSubmatch(r.Header.Get("Location"))
		if postID == nil {
			t.Fatalf("no post anchor in %q", r.Header.Get("Location"))
		}
		// Only the author (or a moderator) may accept.
		outsider := f.loggedIn("outsider@example.org")
		wantStatus(t, outsider.post(thread+"/accept", url.Values{"post_id": {postID[1]}}), http.StatusForbidden)
		wantStatus(t, asker.post(thread+"/accept", url.Values{"post_id": {postID[1]}}), http.StatusSeeOther)
		r = f.client().get(thread)
		if !strings.Contains(r.body, "Accepted answer") || !strings.Contains(r.body, "<em>CLTS</em>") {
			t.Error("the accepted answer is not shown under the question")
		}
		r = f.client().get("/communities/open-health/discussions?sort=unanswered")
		if strings.Contains(r.body, "Seeking examples") {
			t.Error("an answered question is listed as unanswered")
		}
		// The same through the API.
		api := f.apiClient(f.member)
		id := strings.TrimPrefix(thread, "/threads/")
		r = api.get("/api/v1/threads/" + id)
		wantStatus(t, r, 200)
		var th struct {
			IsQuestion     bool  `json:"is_question"`
			AcceptedPostID int64 `json:"accepted_post_id"`
			Posts          []struct {
				ID       int64
				Accepted bool
			}
		}
		decodeJSON(t, r, &th)
		if !th.IsQuestion || strconv.FormatInt(th.AcceptedPostID, 10) != postID[1] || len(th.Posts) != 1 || !th.Posts[0].Accepted {
			t.Errorf("API thread %+v", th)
		}
	})
}

func TestThreadAPIAndDeletion(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		member, mgr, out := f.apiClient(f.member), f.apiClient(f.manager), f.apiClient(f.outsider)
		r := member.json("POST", "/api/v1/communities/wash/threads", map[string]any{"title": "Menstrual hygiene in schools", "body": "Experiences?", "language": "en"})
		wantStatus(t, r, http.StatusCreated)
		var th struct{ ID int64 }
		decodeJSON(t, r, &th)
		path := "/api/v1/threads/" + strconv.FormatInt(th.ID, 10)
		wantAPIError(t, out.get(path), 403, "forbidden")
		wantAPIError(t, f.client().get(path), 403, "forbidden")
		wantAPIError(t, out.json("POST", "/api/v1/communities/wash/threads", map[string]any{"title": "x", "body": "y"}), 403, "forbidden")
		wantAPIError(t, member.json("POST", "/api/v1/communities/wash/threads", map[string]any{"title": "", "body": ""}), 400, "validation_failed", "title", "body")
		r = mgr.json("POST", path+"/posts", map[string]any{"body": "In Kenya, yes."})
		wantStatus(t, r, http.StatusCreated)
		wantAPIError(t, out.json("PATCH", path, map[string]any{"title": "hijack"}), 403, "forbidden")
		wantAPIError(t, mgr.json("PATCH", path, map[string]any{"title": "Not my thread"}), 403, "forbidden")
		r = member.json("PATCH", path, map[string]any{"title": "Menstrual hygiene management in schools"})
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `"edited_at":"`) {
			t.Error("an edit is not marked")
		}
		r = mgr.json("PATCH", path, map[string]any{"locked": true, "pinned": true})
		wantStatus(t, r, 200)
		wantAPIError(t, member.json("POST", path+"/posts", map[string]any{"body": "late"}), 400, "validation_failed", "body")
		wantAPIError(t, out.json("DELETE", path, nil), 403, "forbidden")
		wantStatus(t, member.json("DELETE", path, nil), http.StatusNoContent)
		wantAPIError(t, member.get(path), 404, "not_found")
		wantStatus(t, mgr.get(path), 200)
		r = member.get("/api/v1/communities/wash/threads")
		var list struct{ Total int }
		decodeJSON(t, r, &list)
		if list.Total != 0 {
			t.Errorf("a deleted thread is listed: %d", list.Total)
		}
		r = f.loggedIn("member@example.org").get("/communities/wash/feed.atom")
		if strings.Contains(r.body, "Menstrual") {
			t.Error("a deleted thread is in the feed")
		}
	})
}

// TestLibraryUploadAndDownload: a manager uploads a PDF that members can
// download and non-members of a members-only community cannot.
func TestLibraryUploadAndDownload(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		mgr := f.loggedIn("manager@example.org")
		body, ctype := multipartBody(t, map[string][]string{"title": {"School WASH costing toolkit"}, "kind": {"toolkit"}, "language": {"en"},
			"countries": {"KE, GH"}, "sdgs": {"6", "3"}}, "file", "../costing toolkit.pdf", []byte("%PDF-1.7\nthe toolkit"))
		r := mgr.do("POST", "/communities/wash/library", body, ctype)
		wantStatus(t, r, http.StatusSeeOther)
		page := strings.Split(r.Header.Get("Location"), "?")[0]
		r = f.loggedIn("member@example.org").get(page)
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "School WASH costing toolkit") || !strings.Contains(r.body, "Kenya") {
			t.Fatal("the resource page lacks its metadata")
		}
		r = f.loggedIn("member@example.org").get(page + "/download")
		wantStatus(t, r, 200)
		if r.body != "%PDF-1.7\nthe toolkit" || r.Header.Get("Content-Type") != "application/pdf" ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Disposition"), `attachment; filename="costing toolkit.pdf"`) {
			t.Errorf("download: %q %v", r.body, r.Header)
		}
		wantStatus(t, f.loggedIn("outsider@example.org").get(page+"/download"), 403)
		wantStatus(t, f.client().get(page+"/download"), 403)
		wantStatus(t, f.loggedIn("outsider@example.org").get(page), 403)
		r = f.loggedIn("member@example.org").get(page)
		if !strings.Contains(r.body, "Downloads") || !strings.Contains(r.body, "<dd>1</dd>") {
			t.Error("the download was not counted")
		}

		// A disallowed type is refused with a message next to the field.
		body, ctype = multipartBody(t, map[string][]string{"title": {"Setup"}, "language": {"en"}}, "file", "setup.pdf", []byte("MZ\x90\x00binary"))
		r = mgr.do("POST", "/communities/wash/library", body, ctype)
		wantStatus(t, r, 400)
		if !strings.Contains(r.body, `id="e-file"`) {
			t.Error("the refused file has no message next to its field")
		}
		// An upload over the limit is refused from its length.
		big := strings.NewReader(strings.Repeat("a", 51<<20+100))
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/communities/wash/resources", big)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Authorization", "Bearer "+f.apiClient(f.manager).token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("a 51 MB upload: status %d, want 413", resp.StatusCode)
		}

		// The API takes the same multipart form, and JSON with a link.
		api := f.apiClient(f.manager)
		body, ctype = multipartBody(t, map[string][]string{"title": {"Data"}, "language": {"pt"}, "kind": {"dataset"}, "countries": {"BR", "MZ"}}, "file", "dados.csv", []byte("a,b\n1,2\n"))
		r = api.do("POST", "/api/v1/communities/wash/resources", body, ctype)
		wantStatus(t, r, http.StatusCreated)
		if !strings.Contains(r.body, `"type":"text/csv"`) || !strings.Contains(r.body, `"countries":["BR","MZ"]`) {
			t.Errorf("multipart API resource: %s", r.body)
		}
		r = api.json("POST", "/api/v1/communities/wash/resources", map[string]any{"title": "Webinar recording", "kind": "recording", "language": "en",
			"url": "https://www.youtube.com/watch?v=x1", "sdgs": []int{6}})
		wantStatus(t, r, http.StatusCreated)
		wantAPIError(t, api.json("POST", "/api/v1/communities/wash/resources", map[string]any{"title": "No link", "language": "en"}), 400, "validation_failed", "url")
		r = api.get("/api/v1/communities/wash/resources?sdg=6")
		var list struct {
			Total  int
			Facets map[string][]struct {
				Value string
				Count int
			}
		}
		decodeJSON(t, r, &list)
		if list.Total != 2 || len(list.Facets["kind"]) != 2 {
			t.Errorf("library with SDG 6: %+v", list)
		}
	})
}

func multipartBody(t *testing.T, fields map[string][]string, fileField, fileName string, data []byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		w, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// TestFeed checks the Atom feed: valid XML in the Atom namespace, newest
// first, stable ids, nothing from a members-only community for outsiders,
// and markup inert.
func TestFeed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		m := f.loggedIn("member@example.org")
		for _, title := range []string{"First <script>alert(1)</script>", "Second & last"} {
			wantStatus(t, m.post("/communities/open-health/discussions", url.Values{"title": {title}, "body": {"<img src=x onerror=alert(1)> text"}, "language": {"en"}}), http.StatusSeeOther)
		}
		r := f.client().get("/communities/open-health/feed.atom")
		wantStatus(t, r, 200)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/atom+xml") {
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		var feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			ID      string   `xml:"id"`
			Updated string   `xml:"updated"`
			Entries []struct {
				ID      string `xml:"id"`
				Title   string `xml:"title"`
				Updated string `xml:"updated"`
				Link    struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Author struct {
					Name string `xml:"name"`
				} `xml:"author"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal([]byte(r.body), &feed); err != nil {
			t.Fatalf("the feed is not valid XML: %v", err)
		}
		if len(feed.Entries) != 2 || feed.Entries[0].Title != "Second & last" || feed.ID == "" || feed.Updated == "" {
			t.Fatalf("feed %+v", feed)
		}
		for _, e := range feed.Entries {
			if !strings.HasPrefix(e.ID, "tag:harambee.test,") || e.Updated == "" || e.Author.Name == "" || !strings.HasPrefix(e.Link.Href, "http://harambee.test/threads/") {
				t.Errorf("entry %+v", e)
			}
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "<img") {
			t.Error("markup in the feed is not escaped")
		}
		again := f.client().get("/communities/open-health/feed.atom")
		if again.body != r.body {
			t.Error("the feed changes between two reads: ids or dates are not stable")
		}
		wantStatus(t, f.client().get("/communities/wash/feed.atom"), 403)
		wantStatus(t, f.client().get("/communities/secret-group/feed.atom"), 404)
	})
}

func TestDiscussionPagesRenderSafely(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		m := f.loggedIn("member@example.org")
		vectors := []string{`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `[x](javascript:alert(1))`, `<a href="javascript:alert(1)">x</a>`,
			`<svg onload=alert(1)>`, `<iframe src="//evil.example"></iframe>`, `"><script>alert(1)</script>`, `<body onload=alert(1)>`}
		for _, v := range vectors {
			wantStatus(t, m.post("/communities/open-health/discussions", url.Values{"title": {v}, "body": {v}, "language": {"en"}}), http.StatusSeeOther)
		}
		for _, path := range []string{"/communities/open-health/discussions", "/communities/open-health", "/threads/1", "/threads/5", "/communities/open-health/feed.atom"} {
			body := f.client().get(path).body
			// Escaped text such as &lt;img onerror=...&gt; is inert; a raw tag
			// or a javascript: link is not.
			for _, bad := range []string{"<script>alert", "<img src=x", "href=\"javascript:", "<svg", "<iframe", "<body onload"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s contains %q", path, bad)
				}
			}
		}
	})
}
