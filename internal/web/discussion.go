package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

const (
	threadsPerPage = 25
	postsPerPage   = 50
)

// readable loads the community of the path for a reader who may read
// inside it.
func (s *Server) readable(r *http.Request, v *visit) (community.Community, community.Viewer, error) {
	c, cv, err := s.community(r, v)
	if err == nil && !cv.CanRead(c) {
		err = account.ErrForbidden
	}
	return c, cv, err
}

func (s *Server) threads(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	sort := r.URL.Query().Get("sort")
	if sort != discussion.SortNewest && sort != discussion.SortUnanswered {
		sort = discussion.SortActivity
	}
	page := pageNumber(r)
	st := s.discussions()
	list, total, err := st.Threads(r.Context(), c, cv, discussion.ListOptions{Sort: sort, Limit: threadsPerPage, Offset: (page - 1) * threadsPerPage})
	if err != nil {
		return err
	}
	p := view.ThreadListPage{Page: s.pageFor(r, v), C: c, V: cv, Threads: list, Sort: sort, Total: total, Pager: pagerFor(r, page, threadsPerPage, total)}
	if v.user != nil {
		if p.Following, err = st.Following(r.Context(), v.user.ID, discussion.KindCommunity, c.ID); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, view.ThreadList(p))
	return nil
}

func (s *Server) followCommunity(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.readable(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	st := s.discussions()
	done := "following"
	if r.PostForm.Get("follow") == "off" {
		err, done = st.Unfollow(r.Context(), v.user.ID, discussion.KindCommunity, c.ID), "unfollowed"
	} else {
		err = st.Follow(r.Context(), v.user.ID, discussion.KindCommunity, c.ID)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/communities/"+c.Slug+"/discussions", done)
	return nil
}

func (s *Server) threadFormPage(r *http.Request, v *visit, c community.Community, cv community.Viewer, f view.Form, action string, editing bool) view.ThreadFormPage {
	return view.ThreadFormPage{Page: s.pageFor(r, v), C: c, V: cv, Form: f, Action: action, Editing: editing, Languages: contentLanguages(v)}
}

func (s *Server) newThreadForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	if !cv.Member() && !v.user.Admin {
		return account.ErrForbidden
	}
	f := view.Form{Values: url.Values{"language": {v.l.Lang()}}}
	if r.URL.Query().Get("question") == "1" {
		f.Values.Set("question", "on")
	}
	s.render(w, r, http.StatusOK, view.ThreadForm(s.threadFormPage(r, v, c, cv, f, "/communities/"+c.Slug+"/discussions", false)))
	return nil
}

func (s *Server) createThread(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	t, err := s.discussions().CreateThread(r.Context(), c, cv, discussion.NewThread{
		Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body"), Language: r.PostForm.Get("language"), IsQuestion: r.PostForm.Get("question") == "on",
	})
	if err == nil {
		done := "thread_created"
		if t.Held {
			done = "held"
		}
		redirect(w, r, "/threads/"+strconv.FormatInt(t.ID, 10), done)
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.ThreadForm(s.threadFormPage(r, v, c, cv, f, "/communities/"+c.Slug+"/discussions", false)))
	return nil
}

// openThread loads the thread of the path for the visitor.
func (s *Server) openThread(r *http.Request, v *visit) (discussion.Opened, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return discussion.Opened{}, sqldb.ErrNotFound
	}
	return s.discussions().Open(r.Context(), id, v.user)
}

func (s *Server) threadPage(r *http.Request, v *visit, o discussion.Opened, reply view.Form) (view.ThreadPage, error) {
	st := s.discussions()
	page := pageNumber(r)
	posts, total, err := st.Posts(r.Context(), o, postsPerPage, (page-1)*postsPerPage)
	if err != nil {
		return view.ThreadPage{}, err
	}
	p := view.ThreadPage{Page: s.pageFor(r, v), C: o.Community, V: o.Viewer, Thread: o.Thread, Posts: posts, Reply: reply,
		Pager: pagerFor(r, page, postsPerPage, total), CanEdit: v.user != nil && v.user.ID == o.Thread.AuthorID}
	if q, err := strconv.ParseInt(r.URL.Query().Get("quote"), 10, 64); err == nil && q > 0 {
		p.QuoteOf = q
	}
	if o.Thread.AcceptedPostID != 0 {
		for i := range posts {
			if posts[i].ID == o.Thread.AcceptedPostID {
				p.Accepted = &posts[i]
			}
		}
		if p.Accepted == nil {
			if a, err := st.Post(r.Context(), o.Thread.AcceptedPostID); err == nil && a.DeletedAt == nil && a.HiddenAt == nil {
				p.Accepted = &a
			}
		}
	}
	if v.user != nil {
		if p.Following, p.Liked, err = st.ReaderMarks(r.Context(), v.user.ID, o.Thread.ID); err != nil {
			return p, err
		}
		if o.Viewer.CanModerate() {
			mods, err := community.NewStore(s.db).Moderated(r.Context(), *v.user)
			if err != nil {
				return p, err
			}
			for _, m := range mods {
				if m.ID != o.Community.ID {
					p.Moderates = append(p.Moderates, view.Option{Value: m.Slug, Label: m.Name})
				}
			}
		}
	}
	if len(o.Thread.Resource) > 0 {
		titles, err := library.NewStore(s.db, s.files).Titles(r.Context(), o.Thread.Resource)
		if err != nil {
			return p, err
		}
		for _, t := range titles {
			p.Resources = append(p.Resources, view.LinkedResource{ID: t.ID, Title: t.Title})
		}
	}
	return p, nil
}

func (s *Server) thread(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openThread(r, v)
	if err != nil {
		return err
	}
	p, err := s.threadPage(r, v, o, view.Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Thread(p))
	return nil
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openThread(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	quote, _ := strconv.ParseInt(r.PostForm.Get("quote_of"), 10, 64)
	p, err := s.discussions().Reply(r.Context(), o, r.PostForm.Get("body"), quote, time.Time{})
	if err == nil {
		done := "reply_posted"
		if p.Held {
			done = "held"
		}
		http.Redirect(w, r, "/threads/"+strconv.FormatInt(o.Thread.ID, 10)+"?done="+done+"#post-"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	page, err := s.threadPage(r, v, o, f)
	if err != nil {
		return err
	}
	page.QuoteOf = quote
	s.render(w, r, http.StatusBadRequest, view.Thread(page))
	return nil
}

func (s *Server) editThreadForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openThread(r, v)
	if err != nil {
		return err
	}
	if v.user.ID != o.Thread.AuthorID {
		return account.ErrForbidden
	}
	f := view.Form{Values: url.Values{"title": {o.Thread.Title}, "body": {o.Thread.Body}}}
	s.render(w, r, http.StatusOK, view.ThreadForm(s.threadFormPage(r, v, o.Community, o.Viewer, f, "/threads/"+r.PathValue("id")+"/edit", true)))
	return nil
}

func (s *Server) editThread(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openThread(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.discussions().EditThread(r.Context(), o, r.PostForm.Get("title"), r.PostForm.Get("body"))
	if err == nil {
		redirect(w, r, "/threads/"+r.PathValue("id"), "saved")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.ThreadForm(s.threadFormPage(r, v, o.Community, o.Viewer, f, "/threads/"+r.PathValue("id")+"/edit", true)))
	return nil
}

// threadAction runs an action on the thread of the path and returns to it.
func (s *Server) threadAction(action func(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		o, err := s.openThread(r, v)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		to, err := action(r, s.discussions(), o)
		if err != nil {
			if ve, ok := validation.As(err); ok {
				page, perr := s.threadPage(r, v, o, view.Form{Values: url.Values{}})
				if perr != nil {
					return perr
				}
				for _, name := range ve.Names() {
					page.Flash = v.l.T(ve.Fields[name].Key, ve.Fields[name].Args...)
				}
				s.render(w, r, http.StatusBadRequest, view.Thread(page))
				return nil
			}
			return err
		}
		if to == "" {
			to = "/threads/" + strconv.FormatInt(o.Thread.ID, 10)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
}

func threadURL(o discussion.Opened, done string) string {
	u := "/threads/" + strconv.FormatInt(o.Thread.ID, 10)
	if done != "" {
		u += "?done=" + done
	}
	return u
}

func helpful(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	id, err := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err != nil {
		return "", errBadRequest
	}
	kind := r.PostForm.Get("kind")
	if _, err := st.ToggleHelpful(r.Context(), o, kind, id); err != nil {
		return "", err
	}
	if kind == discussion.KindPost {
		return threadURL(o, "") + "#post-" + strconv.FormatInt(id, 10), nil
	}
	return "", nil
}

func followThread(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	if r.PostForm.Get("follow") == "off" {
		return threadURL(o, "unfollowed"), st.Unfollow(r.Context(), o.Viewer.User.ID, discussion.KindThread, o.Thread.ID)
	}
	return threadURL(o, "following"), st.Follow(r.Context(), o.Viewer.User.ID, discussion.KindThread, o.Thread.ID)
}

func setQuestion(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	return "", st.SetQuestion(r.Context(), o, r.PostForm.Get("question") == "on")
}

func acceptAnswer(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	id, err := strconv.ParseInt(r.PostForm.Get("post_id"), 10, 64)
	if err != nil {
		return "", errBadRequest
	}
	if err := st.Accept(r.Context(), o, id); err != nil {
		return "", err
	}
	if id == 0 {
		return threadURL(o, ""), nil
	}
	return threadURL(o, "answer_accepted"), nil
}

func deleteThread(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	if err := st.DeleteThread(r.Context(), o); err != nil {
		return "", err
	}
	return "/communities/" + o.Community.Slug + "/discussions?done=thread_deleted", nil
}

func moderateThread(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	return threadURL(o, "moderated"), st.ModerateThread(r.Context(), o, r.PostForm.Get("action"))
}

func (s *Server) moveThread(r *http.Request, st *discussion.Store, o discussion.Opened) (string, error) {
	cs := community.NewStore(s.db)
	to, err := cs.BySlug(r.Context(), r.PostForm.Get("community"))
	if err != nil {
		return "", err
	}
	tv, err := cs.ViewerFor(r.Context(), to.ID, o.Viewer.User)
	if err != nil {
		return "", err
	}
	return threadURL(o, "moved"), st.MoveThread(r.Context(), o, to, tv)
}

// reportForm asks why a thread or reply is reported.
func (s *Server) reportForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openThread(r, v)
	if err != nil {
		return err
	}
	kind, id := discussion.KindThread, o.Thread.ID
	if pid, err := strconv.ParseInt(r.URL.Query().Get("post"), 10, 64); err == nil {
		kind, id = discussion.KindPost, pid
	}
	s.render(w, r, http.StatusOK, view.ReportForm(view.ReportFormPage{Page: s.pageFor(r, v), Thread: o.Thread, Kind: kind, ID: id, Form: view.Form{Values: url.Values{}}}))
	return nil
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.openThread(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err != nil {
		return errBadRequest
	}
	kind := r.PostForm.Get("kind")
	_, err = s.discussions().ReportContent(r.Context(), o, kind, id, r.PostForm.Get("reason"))
	if err == nil {
		redirect(w, r, "/threads/"+strconv.FormatInt(o.Thread.ID, 10), "reported")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.ReportForm(view.ReportFormPage{Page: s.pageFor(r, v), Thread: o.Thread, Kind: kind, ID: id, Form: f}))
	return nil
}

// openPost loads the reply of the path with its thread.
func (s *Server) openPost(r *http.Request, v *visit) (discussion.Opened, discussion.Post, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return discussion.Opened{}, discussion.Post{}, sqldb.ErrNotFound
	}
	st := s.discussions()
	p, err := st.Post(r.Context(), id)
	if err != nil {
		return discussion.Opened{}, p, err
	}
	o, err := st.Open(r.Context(), p.ThreadID, v.user)
	return o, p, err
}

func (s *Server) editPostForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, p, err := s.openPost(r, v)
	if err != nil {
		return err
	}
	if v.user.ID != p.AuthorID || p.DeletedAt != nil {
		return account.ErrForbidden
	}
	s.render(w, r, http.StatusOK, view.PostForm(view.PostFormPage{Page: s.pageFor(r, v), C: o.Community, V: o.Viewer, Thread: o.Thread, Post: p,
		Form: view.Form{Values: url.Values{"body": {p.Body}}}}))
	return nil
}

func (s *Server) editPost(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, p, err := s.openPost(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.discussions().EditPost(r.Context(), o, p, r.PostForm.Get("body"))
	if err == nil {
		http.Redirect(w, r, threadURL(o, "saved")+"#post-"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.PostForm(view.PostFormPage{Page: s.pageFor(r, v), C: o.Community, V: o.Viewer, Thread: o.Thread, Post: p, Form: f}))
	return nil
}

func (s *Server) deletePost(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, p, err := s.openPost(r, v)
	if err != nil {
		return err
	}
	if err := s.discussions().DeletePost(r.Context(), o, p); err != nil {
		return err
	}
	http.Redirect(w, r, threadURL(o, "post_deleted")+"#post-"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) moderatePost(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, p, err := s.openPost(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.discussions().ModeratePost(r.Context(), o, p, r.PostForm.Get("action")); err != nil {
		if _, ok := validation.As(err); ok {
			return errBadRequest
		}
		return err
	}
	back := threadURL(o, "moderated") + "#post-" + strconv.FormatInt(p.ID, 10)
	if from := r.PostForm.Get("from"); from == "queue" {
		back = "/communities/" + o.Community.Slug + "/moderation?done=moderated"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// moderation is a community's moderation queue: reports, held content and
// the audit trail.
func (s *Server) moderation(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	if !cv.CanModerate() {
		return account.ErrForbidden
	}
	st := s.discussions()
	p := view.ModerationPage{Page: s.pageFor(r, v), C: c, V: cv}
	if p.Reports, err = st.Reports(r.Context(), c.ID, "open", 100); err != nil {
		return err
	}
	if p.Held, err = st.HeldContent(r.Context(), c.ID, 100); err != nil {
		return err
	}
	if p.Log, err = st.Log(r.Context(), c.ID, 50); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Moderation(p))
	return nil
}

func (s *Server) resolveReport(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sqldb.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.discussions().ResolveReport(r.Context(), c, cv, id, r.PostForm.Get("action")); err != nil {
		if _, ok := validation.As(err); ok {
			return errBadRequest
		}
		return err
	}
	redirect(w, r, "/communities/"+c.Slug+"/moderation", "report_resolved")
	return nil
}

// discussions is the discussion store of the pages, which tells followers,
// mentioned members and authors what happens.
func (s *Server) discussions() *discussion.Store {
	return discussion.NewStore(s.db).WithNotifier(s.notifier)
}
