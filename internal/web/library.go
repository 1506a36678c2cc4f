package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

const resourcesPerPage = 20

// libraryFilter reads the library filters of the query; values that make no
// sense are dropped, since readers edit URLs.
func libraryFilter(q url.Values) library.Filter {
	f := library.Filter{Kind: q.Get("kind"), Language: q.Get("language"), Country: q.Get("country"), Query: q.Get("q")}
	f.SDG, _ = strconv.Atoi(q.Get("sdg"))
	f.Year, _ = strconv.Atoi(q.Get("year"))
	clean, err := f.Validate()
	if ve, ok := validation.As(err); ok {
		for _, name := range ve.Names() {
			switch name {
			case "kind":
				clean.Kind = ""
			case "language":
				clean.Language = ""
			case "country":
				clean.Country = ""
			case "sdg":
				clean.SDG = 0
			case "year":
				clean.Year = 0
			}
		}
	}
	return clean
}

func (s *Server) libraryStore() *library.Store {
	return library.NewStore(s.db, s.files).WithNotifier(s.notifier)
}

func (s *Server) library(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	f := libraryFilter(r.URL.Query())
	page := pageNumber(r)
	list, err := s.libraryStore().List(r.Context(), c, cv, f, resourcesPerPage, (page-1)*resourcesPerPage)
	if err != nil {
		return err
	}
	base := "/communities/" + c.Slug + "/library"
	s.render(w, r, http.StatusOK, view.Library(view.LibraryPage{
		Page: s.pageFor(r, v), C: c, V: cv, List: list, Filter: f, Pager: pagerFor(r, page, resourcesPerPage, list.Total),
		FacetURL: func(name, value string) string {
			q := r.URL.Query()
			q.Del("page")
			q.Del("done")
			if value == "" {
				q.Del(name)
			} else {
				q.Set(name, value)
			}
			if len(q) == 0 {
				return base
			}
			return base + "?" + q.Encode()
		},
	}))
	return nil
}

func (s *Server) resourceFormPage(r *http.Request, v *visit, c community.Community, cv community.Viewer, f view.Form, action string, editing bool) view.ResourceFormPage {
	p := view.ResourceFormPage{Page: s.pageFor(r, v), C: c, V: cv, Form: f, Action: action, Editing: editing,
		Languages: contentLanguages(v), SDGs: sdgOptions(v), MaxMB: s.cfg.MaxUpload >> 20}
	for _, k := range library.Kinds {
		p.Kinds = append(p.Kinds, view.Option{Value: k, Label: v.l.T("library.kind." + k)})
	}
	return p
}

func (s *Server) newResourceForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	if !cv.Member() && !v.user.Admin {
		return account.ErrForbidden
	}
	f := view.Form{Values: url.Values{"language": {v.l.Lang()}, "kind": {"publication"}}}
	s.render(w, r, http.StatusOK, view.ResourceForm(s.resourceFormPage(r, v, c, cv, f, "/communities/"+c.Slug+"/library", false)))
	return nil
}

// resourceInput reads the resource form or the API's multipart fields.
func resourceInput(f url.Values) library.Input {
	in := library.Input{Kind: f.Get("kind"), Title: f.Get("title"), Summary: f.Get("summary"), Authors: f.Get("authors"),
		Publisher: f.Get("publisher"), PublishedOn: f.Get("published_on"), Language: f.Get("language"), Licence: f.Get("licence"), URL: f.Get("url")}
	list := func(name string) []string {
		var out []string
		for _, v := range f[name] {
			out = append(out, splitTags(v)...)
		}
		return out
	}
	in.Countries, in.Targets, in.Topics = list("countries"), list("sdg_targets"), list("topics")
	for _, g := range list("sdgs") {
		n, err := strconv.Atoi(strings.TrimSpace(g))
		if err != nil {
			n = -1
		}
		in.SDGs = append(in.SDGs, n)
	}
	return in
}

// readUpload reads a multipart resource form: its fields, and its file when
// one was chosen. A body over the upload limit is refused before it is read
// whole.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (url.Values, *library.Upload, func(), error) {
	limit := s.cfg.MaxUpload
	if r.ContentLength > limit+1<<20 {
		return nil, nil, nil, &http.MaxBytesError{Limit: limit}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, nil, nil, err
		}
		if errors.Is(err, http.ErrNotMultipart) {
			if err := r.ParseForm(); err != nil {
				return nil, nil, nil, err
			}
			return r.PostForm, nil, func() {}, nil
		}
		return nil, nil, nil, errBadRequest
	}
	cleanup := func() { r.MultipartForm.RemoveAll() }
	file, header, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) {
		return r.MultipartForm.Value, nil, cleanup, nil
	}
	if err != nil {
		cleanup()
		return nil, nil, nil, errBadRequest
	}
	if header.Size == 0 {
		file.Close()
		return r.MultipartForm.Value, nil, cleanup, nil
	}
	return r.MultipartForm.Value, &library.Upload{Name: header.Filename, Body: file, Limit: limit}, func() { file.Close(); cleanup() }, nil
}

func (s *Server) createResource(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	fields, up, cleanup, err := s.readUpload(w, r)
	if err != nil {
		return err
	}
	defer cleanup()
	res, err := s.libraryStore().Create(r.Context(), c, cv, resourceInput(fields), up)
	if errors.Is(err, library.ErrTooLarge) {
		err = validation.Field("file", "library.error.too_large", s.cfg.MaxUpload>>20)
	}
	if err == nil {
		redirect(w, r, "/resources/"+strconv.FormatInt(res.ID, 10), "resource_added")
		return nil
	}
	r.PostForm = fields
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.ResourceForm(s.resourceFormPage(r, v, c, cv, f, "/communities/"+c.Slug+"/library", false)))
	return nil
}

func (s *Server) openResource(r *http.Request, v *visit) (library.Opened, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return library.Opened{}, sqldb.ErrNotFound
	}
	return s.libraryStore().Open(r.Context(), id, v.user)
}

func (s *Server) resource(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openResource(r, v)
	if err != nil {
		return err
	}
	related, err := s.libraryStore().Related(r.Context(), o.Resource, 5)
	if err != nil {
		return err
	}
	threads, err := discussion.NewStore(s.db).ThreadsAbout(r.Context(), o.Resource.ID)
	if err != nil {
		return err
	}
	p := view.ResourcePage{Page: s.pageFor(r, v), C: o.Community, V: o.Viewer, R: o.Resource, CanEdit: o.CanEdit(), Related: related}
	for _, t := range threads {
		p.Threads = append(p.Threads, view.LinkedResource{ID: t.ID, Title: t.Title})
	}
	s.render(w, r, http.StatusOK, view.Resource(p))
	return nil
}

// download serves a resource's file: as an attachment with its clean name,
// never sniffed by the browser, with range requests so a slow connection can
// resume. A download is counted when the file is fetched from its start.
func (s *Server) download(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openResource(r, v)
	if err != nil {
		return err
	}
	st := s.libraryStore()
	f, mod, err := st.OpenFile(r.Context(), o.Resource)
	if err != nil {
		return err
	}
	defer f.Close()
	if rg := r.Header.Get("Range"); r.Method == http.MethodGet && (rg == "" || strings.HasPrefix(rg, "bytes=0-")) {
		var uid int64
		if v.user != nil {
			uid = v.user.ID
		}
		if err := st.RecordDownload(r.Context(), o.Resource, uid); err != nil {
			return err
		}
	}
	h := w.Header()
	h.Set("Content-Type", o.Resource.FileType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": o.Resource.FileName}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if o.Community.Visibility == community.Public {
		h.Set("Cache-Control", "public, max-age=3600")
	} else {
		h.Set("Cache-Control", "private, max-age=3600")
	}
	http.ServeContent(w, r, "", mod, f)
	return nil
}

func resourceValues(res library.Resource) url.Values {
	vals := url.Values{"kind": {res.Kind}, "title": {res.Title}, "summary": {res.Summary}, "authors": {res.Authors}, "publisher": {res.Publisher},
		"published_on": {res.PublishedOn}, "language": {res.Language}, "licence": {res.Licence}, "url": {res.URL},
		"countries": {strings.Join(res.Countries, ", ")}, "sdg_targets": {strings.Join(res.Targets, ", ")}, "topics": {strings.Join(res.Topics, ", ")}}
	for _, g := range res.SDGs {
		vals.Add("sdgs", strconv.Itoa(g))
	}
	return vals
}

func (s *Server) editResourceForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openResource(r, v)
	if err != nil {
		return err
	}
	if !o.CanEdit() {
		return account.ErrForbidden
	}
	s.render(w, r, http.StatusOK, view.ResourceForm(s.resourceFormPage(r, v, o.Community, o.Viewer, view.Form{Values: resourceValues(o.Resource)},
		"/resources/"+r.PathValue("id")+"/edit", true)))
	return nil
}

func (s *Server) editResource(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openResource(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := resourceInput(r.PostForm)
	in.URL = o.Resource.URL
	_, err = s.libraryStore().Update(r.Context(), o, in)
	if err == nil {
		redirect(w, r, "/resources/"+r.PathValue("id"), "saved")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.ResourceForm(s.resourceFormPage(r, v, o.Community, o.Viewer, f, "/resources/"+r.PathValue("id")+"/edit", true)))
	return nil
}

func (s *Server) deleteResource(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openResource(r, v)
	if err != nil {
		return err
	}
	if err := s.libraryStore().Delete(r.Context(), o); err != nil {
		return err
	}
	redirect(w, r, "/communities/"+o.Community.Slug+"/library", "resource_deleted")
	return nil
}

func (s *Server) hideResource(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openResource(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.libraryStore().SetHidden(r.Context(), o, r.PostForm.Get("hidden") == "on"); err != nil {
		return err
	}
	redirect(w, r, "/resources/"+r.PathValue("id"), "moderated")
	return nil
}
