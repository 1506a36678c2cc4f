package jsonapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

func (s *Server) registerDiscussions() {
	s.handle("POST /api/v1/communities/{slug}/threads", member, s.createThread)
	s.handle("GET /api/v1/communities/{slug}/threads", anyone, s.listThreads)
	s.handle("GET /api/v1/threads/{id}", anyone, s.getThread)
	s.handle("PATCH /api/v1/threads/{id}", member, s.patchThread)
	s.handle("DELETE /api/v1/threads/{id}", member, s.deleteThread)
	s.handle("POST /api/v1/threads/{id}/posts", member, s.createPost)
	s.handleUpload("POST /api/v1/communities/{slug}/resources", member, s.createResource)
	s.handle("GET /api/v1/communities/{slug}/resources", anyone, s.listResources)
	s.handle("GET /api/v1/resources/{id}", anyone, s.getResource)
}

type personJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type threadJSON struct {
	ID             int64       `json:"id"`
	Community      string      `json:"community"`
	Title          string      `json:"title"`
	Body           string      `json:"body"`
	BodyHTML       string      `json:"body_html"`
	Language       string      `json:"language"`
	IsQuestion     bool        `json:"is_question"`
	AcceptedPostID *int64      `json:"accepted_post_id"`
	Pinned         bool        `json:"pinned"`
	Locked         bool        `json:"locked"`
	Held           bool        `json:"held,omitempty"`
	Hidden         bool        `json:"hidden,omitempty"`
	Deleted        bool        `json:"deleted,omitempty"`
	Author         personJSON  `json:"author"`
	ReplyCount     int         `json:"reply_count"`
	Helpful        int         `json:"helpful"`
	URL            string      `json:"url"`
	CreatedAt      time.Time   `json:"created_at"`
	EditedAt       *time.Time  `json:"edited_at"`
	LastActivityAt time.Time   `json:"last_activity_at"`
	Posts          *[]postJSON `json:"posts,omitempty"`
}

type postJSON struct {
	ID        int64      `json:"id"`
	Author    personJSON `json:"author"`
	Body      string     `json:"body"`
	BodyHTML  string     `json:"body_html"`
	QuoteOf   *int64     `json:"quote_of"`
	Deleted   bool       `json:"deleted"`
	Held      bool       `json:"held,omitempty"`
	Hidden    bool       `json:"hidden,omitempty"`
	Accepted  bool       `json:"accepted"`
	Helpful   int        `json:"helpful"`
	CreatedAt time.Time  `json:"created_at"`
	EditedAt  *time.Time `json:"edited_at"`
}

func (s *Server) toThreadJSON(t discussion.Thread, slug string) threadJSON {
	j := threadJSON{ID: t.ID, Community: slug, Title: t.Title, Body: t.Body, BodyHTML: t.BodyHTML, Language: t.Language, IsQuestion: t.IsQuestion,
		Pinned: t.Pinned, Locked: t.Locked, Held: t.Held, Hidden: t.HiddenAt != nil, Deleted: t.DeletedAt != nil,
		Author: personJSON{ID: t.AuthorID, Name: t.AuthorName}, ReplyCount: t.Replies, Helpful: t.Helpful,
		URL: s.cfg.BaseURL + "/threads/" + strconv.FormatInt(t.ID, 10), CreatedAt: t.CreatedAt.UTC(), EditedAt: t.EditedAt, LastActivityAt: t.LastActivityAt.UTC()}
	if t.AcceptedPostID != 0 {
		id := t.AcceptedPostID
		j.AcceptedPostID = &id
	}
	return j
}

func toPostJSON(p discussion.Post, moderator bool) postJSON {
	j := postJSON{ID: p.ID, Author: personJSON{ID: p.AuthorID, Name: p.AuthorName}, Body: p.Body, BodyHTML: p.BodyHTML, Deleted: p.DeletedAt != nil,
		Held: p.Held, Hidden: p.HiddenAt != nil, Accepted: p.Accepted, Helpful: p.Helpful, CreatedAt: p.CreatedAt.UTC(), EditedAt: p.EditedAt}
	if p.QuoteOf != 0 {
		q := p.QuoteOf
		j.QuoteOf = &q
	}
	if j.Deleted && !moderator {
		j.Body, j.BodyHTML = "", ""
	}
	return j
}

type threadInput struct {
	Title      string `json:"title"`
	Body       string `json:"body"`
	Language   string `json:"language"`
	IsQuestion bool   `json:"is_question"`
}

func (s *Server) createThread(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanRead(com) {
		return account.ErrForbidden
	}
	var in threadInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	t, err := s.discussions().CreateThread(r.Context(), com, v, discussion.NewThread{Title: in.Title, Body: in.Body, Language: in.Language, IsQuestion: in.IsQuestion})
	if err != nil {
		return err
	}
	j := s.toThreadJSON(t, com.Slug)
	j.Posts = &[]postJSON{}
	return writeJSON(w, http.StatusCreated, j)
}

func (s *Server) listThreads(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanRead(com) {
		return account.ErrForbidden
	}
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	var e validation.Error
	sort := e.OneOf("sort", r.URL.Query().Get("sort"), false, discussion.SortActivity, discussion.SortNewest, discussion.SortUnanswered)
	if err := e.Err(); err != nil {
		return err
	}
	list, total, err := s.discussions().Threads(r.Context(), com, v, discussion.ListOptions{Sort: sort, Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	items := make([]threadJSON, len(list))
	for i, t := range list {
		items[i] = s.toThreadJSON(t, com.Slug)
		items[i].Body, items[i].BodyHTML = "", ""
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

func (s *Server) openThread(r *http.Request, c *call) (discussion.Opened, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return discussion.Opened{}, err
	}
	return s.discussions().Open(r.Context(), id, c.user)
}

// writeThread answers with a thread and all its replies the caller may see.
func (s *Server) writeThread(w http.ResponseWriter, r *http.Request, o discussion.Opened, status int) error {
	st := s.discussions()
	posts, _, err := st.Posts(r.Context(), o, 1000, 0)
	if err != nil {
		return err
	}
	j := s.toThreadJSON(o.Thread, o.Community.Slug)
	ps := make([]postJSON, len(posts))
	for i, p := range posts {
		ps[i] = toPostJSON(p, o.Viewer.CanModerate())
	}
	j.Posts = &ps
	return writeJSON(w, status, j)
}

func (s *Server) getThread(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := s.openThread(r, c)
	if err != nil {
		return err
	}
	return s.writeThread(w, r, o, http.StatusOK)
}

// threadPatch changes a thread: its author edits title and body; its author
// or a moderator marks it a question and accepts an answer; moderators pin,
// lock and hide it.
type threadPatch struct {
	Title          *string `json:"title"`
	Body           *string `json:"body"`
	IsQuestion     *bool   `json:"is_question"`
	AcceptedPostID *int64  `json:"accepted_post_id"`
	Pinned         *bool   `json:"pinned"`
	Locked         *bool   `json:"locked"`
	Hidden         *bool   `json:"hidden"`
}

func (s *Server) patchThread(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := s.openThread(r, c)
	if err != nil {
		return err
	}
	var in threadPatch
	if err := decode(r, c, &in); err != nil {
		return err
	}
	st := s.discussions()
	err = s.db.InTx(r.Context(), func(tx *sqldb.Tx) error {
		st := discussion.NewStore(tx).WithNotifier(&notify.Notifier{BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName})
		if in.Title != nil || in.Body != nil {
			title, body := o.Thread.Title, o.Thread.Body
			if in.Title != nil {
				title = *in.Title
			}
			if in.Body != nil {
				body = *in.Body
			}
			t, err := st.EditThread(r.Context(), o, title, body)
			if err != nil {
				return err
			}
			o.Thread = t
		}
		if in.IsQuestion != nil {
			if err := st.SetQuestion(r.Context(), o, *in.IsQuestion); err != nil {
				return err
			}
			o.Thread.IsQuestion = *in.IsQuestion
		}
		if in.AcceptedPostID != nil {
			if err := st.Accept(r.Context(), o, *in.AcceptedPostID); err != nil {
				return err
			}
		}
		for _, m := range []struct {
			v       *bool
			on, off string
		}{{in.Pinned, discussion.ActionPin, discussion.ActionUnpin}, {in.Locked, discussion.ActionLock, discussion.ActionUnlock}, {in.Hidden, discussion.ActionHide, discussion.ActionUnhide}} {
			if m.v == nil {
				continue
			}
			action := m.off
			if *m.v {
				action = m.on
			}
			if err := st.ModerateThread(r.Context(), o, action); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.Thread, err = st.Thread(r.Context(), o.Thread.ID); err != nil {
		return err
	}
	return s.writeThread(w, r, o, http.StatusOK)
}

func (s *Server) deleteThread(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := s.openThread(r, c)
	if err != nil {
		return err
	}
	if err := s.discussions().DeleteThread(r.Context(), o); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) createPost(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := s.openThread(r, c)
	if err != nil {
		return err
	}
	var in struct {
		Body    string `json:"body"`
		QuoteOf int64  `json:"quote_of"`
	}
	if err := decode(r, c, &in); err != nil {
		return err
	}
	p, err := s.discussions().Reply(r.Context(), o, in.Body, in.QuoteOf, time.Time{})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toPostJSON(p, false))
}

type resourceJSON struct {
	ID          int64      `json:"id"`
	Community   string     `json:"community"`
	Kind        string     `json:"kind"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Authors     string     `json:"authors"`
	Publisher   string     `json:"publisher"`
	PublishedOn string     `json:"published_on"`
	Language    string     `json:"language"`
	Countries   []string   `json:"countries"`
	SDGs        []int      `json:"sdgs"`
	SDGTargets  []string   `json:"sdg_targets"`
	Topics      []string   `json:"topics"`
	Licence     string     `json:"licence"`
	URL         string     `json:"url"`
	File        *fileJSON  `json:"file"`
	Downloads   int        `json:"downloads"`
	AddedBy     personJSON `json:"added_by"`
	Page        string     `json:"page"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

type fileJSON struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Size        int64  `json:"size"`
	DownloadURL string `json:"download_url"`
}

func (s *Server) toResourceJSON(res library.Resource, slug string) resourceJSON {
	page := s.cfg.BaseURL + "/resources/" + strconv.FormatInt(res.ID, 10)
	j := resourceJSON{ID: res.ID, Community: slug, Kind: res.Kind, Title: res.Title, Summary: res.Summary, Authors: res.Authors, Publisher: res.Publisher,
		PublishedOn: res.PublishedOn, Language: res.Language, Countries: nonNil(res.Countries), SDGs: res.SDGs, SDGTargets: nonNil(res.Targets),
		Topics: nonNil(res.Topics), Licence: res.Licence, URL: res.URL, Downloads: res.Downloads, AddedBy: personJSON{ID: res.AddedBy, Name: res.AddedByName},
		Page: page, CreatedAt: res.CreatedAt.UTC(), UpdatedAt: res.UpdatedAt.UTC()}
	if j.SDGs == nil {
		j.SDGs = []int{}
	}
	if res.HasFile() {
		j.File = &fileJSON{Name: res.FileName, Type: res.FileType, Size: res.FileSize, DownloadURL: page + "/download"}
	}
	return j
}

type resourceInput struct {
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	Authors     string   `json:"authors"`
	Publisher   string   `json:"publisher"`
	PublishedOn string   `json:"published_on"`
	Language    string   `json:"language"`
	Countries   []string `json:"countries"`
	SDGs        []int    `json:"sdgs"`
	SDGTargets  []string `json:"sdg_targets"`
	Topics      []string `json:"topics"`
	Licence     string   `json:"licence"`
	URL         string   `json:"url"`
}

func (in resourceInput) input() library.Input {
	return library.Input{Kind: in.Kind, Title: in.Title, Summary: in.Summary, Authors: in.Authors, Publisher: in.Publisher, PublishedOn: in.PublishedOn,
		Language: in.Language, Licence: in.Licence, URL: in.URL, Countries: in.Countries, SDGs: in.SDGs, Targets: in.SDGTargets, Topics: in.Topics}
}

// createResource adds a resource: JSON with a url, or multipart with the
// same fields (lists repeated) and the file in a part named "file". An
// upload over the limit is refused from its Content-Length, before its body
// is read.
func (s *Server) createResource(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanRead(com) {
		return account.ErrForbidden
	}
	var in library.Input
	var up *library.Upload
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		limit := s.cfg.MaxUpload
		if r.ContentLength > limit+1<<20 {
			return &http.MaxBytesError{Limit: limit}
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
		mr, err := r.MultipartReader()
		if err != nil {
			return &requestError{code: "malformed_body", message: c.l.T("api.bad_multipart")}
		}
		fields := url.Values{}
		// Fields come first; the file part is streamed to storage as it
		// arrives, so a 50 MB upload is never held in memory.
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					return err
				}
				return &requestError{code: "malformed_body", message: c.l.T("api.bad_multipart")}
			}
			if part.FormName() == "file" {
				in = multipartInput(fields)
				up = &library.Upload{Name: part.FileName(), Body: part, Limit: limit}
				res, err := s.library().Create(r.Context(), com, v, in, up)
				if errors.Is(err, library.ErrTooLarge) {
					return &http.MaxBytesError{Limit: limit}
				}
				if err != nil {
					return err
				}
				return writeJSON(w, http.StatusCreated, s.toResourceJSON(res, com.Slug))
			}
			b, err := io.ReadAll(io.LimitReader(part, 64<<10))
			if err != nil {
				return &requestError{code: "malformed_body", message: c.l.T("api.bad_multipart")}
			}
			fields.Add(part.FormName(), string(b))
		}
		in = multipartInput(fields)
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		var body resourceInput
		if err := decode(r, c, &body); err != nil {
			return err
		}
		in = body.input()
	}
	res, err := s.library().Create(r.Context(), com, v, in, nil)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toResourceJSON(res, com.Slug))
}

func multipartInput(f url.Values) library.Input {
	in := library.Input{Kind: f.Get("kind"), Title: f.Get("title"), Summary: f.Get("summary"), Authors: f.Get("authors"), Publisher: f.Get("publisher"),
		PublishedOn: f.Get("published_on"), Language: f.Get("language"), Licence: f.Get("licence"), URL: f.Get("url"),
		Countries: f["countries"], Targets: f["sdg_targets"], Topics: f["topics"]}
	for _, g := range f["sdgs"] {
		n, err := strconv.Atoi(strings.TrimSpace(g))
		if err != nil {
			n = -1
		}
		in.SDGs = append(in.SDGs, n)
	}
	return in
}

func (s *Server) listResources(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanRead(com) {
		return account.ErrForbidden
	}
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := library.Filter{Kind: q.Get("kind"), Language: q.Get("language"), Country: q.Get("country"), Query: q.Get("q")}
	var e validation.Error
	if sv := q.Get("sdg"); sv != "" {
		if f.SDG, err = strconv.Atoi(sv); err != nil {
			e.Add("sdg", "error.sdg")
		}
	}
	if yv := q.Get("year"); yv != "" {
		if f.Year, err = strconv.Atoi(yv); err != nil {
			e.Add("year", "library.error.year")
		}
	}
	if err := e.Err(); err != nil {
		return err
	}
	if f, err = f.Validate(); err != nil {
		return err
	}
	lp, err := library.NewStore(s.db, s.files).List(r.Context(), com, v, f, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]resourceJSON, len(lp.Resources))
	for i, res := range lp.Resources {
		items[i] = s.toResourceJSON(res, com.Slug)
	}
	facet := func(cs []library.Count) []facetJSON {
		out := make([]facetJSON, len(cs))
		for i, c := range cs {
			out[i] = facetJSON{Value: c.Value, Count: c.Count}
		}
		return out
	}
	return writeJSON(w, http.StatusOK, struct {
		list[resourceJSON]
		Facets map[string][]facetJSON `json:"facets"`
	}{newList(items, lp.Total, page, perPage), map[string][]facetJSON{
		"kind": facet(lp.Facets.Kind), "language": facet(lp.Facets.Language), "country": facet(lp.Facets.Country),
		"sdg": facet(lp.Facets.SDG), "year": facet(lp.Facets.Year),
	}})
}

// facetJSON is one value of a facet with its count.
type facetJSON struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

func (s *Server) getResource(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := library.NewStore(s.db, s.files).Open(r.Context(), id, c.user)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toResourceJSON(o.Resource, o.Community.Slug))
}

// discussions is the discussion store of the API, which tells followers,
// mentioned members and authors what happens.
func (s *Server) discussions() *discussion.Store {
	return discussion.NewStore(s.db).WithNotifier(&notify.Notifier{BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName})
}

// library is the library store of the API, which tells a community's
// followers of new resources.
func (s *Server) library() *library.Store {
	return library.NewStore(s.db, s.files).WithNotifier(&notify.Notifier{BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName})
}
