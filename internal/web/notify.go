package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/web/view"
)

// unread counts the member's unread notifications for the bell: the one
// query the bell adds to a page. A failure costs the count, not the page.
func (s *Server) unread(r *http.Request, v *visit) int {
	if v.user == nil {
		return 0
	}
	n, err := notify.NewInbox(s.db).UnreadCount(r.Context(), v.user.ID)
	if err != nil {
		s.log.Warn("count unread notifications", "user", v.user.ID, "err", err)
	}
	return n
}

func (s *Server) notificationSettingsPage(r *http.Request, v *visit) (view.NotificationSettingsPage, error) {
	ctx, l := r.Context(), v.l
	st := notify.NewSettings(s.db)
	deliveries, err := st.Deliveries(ctx, v.user.ID, notify.Categories)
	if err != nil {
		return view.NotificationSettingsPage{}, err
	}
	communities, err := st.Communities(ctx, v.user.ID)
	if err != nil {
		return view.NotificationSettingsPage{}, err
	}
	p := view.NotificationSettingsPage{Page: s.pageFor(r, v)}
	for _, c := range notify.Categories {
		name := l.T("notify.category." + c.Key)
		if c.Transactional {
			p.Transactional = append(p.Transactional, name)
			continue
		}
		choice := view.CategoryChoice{Key: c.Key, Name: name, Hint: l.T("notify.category." + c.Key + ".hint"), Current: string(deliveries[c.Key])}
		labels := "notify.delivery."
		if c.Key == notify.CategoryDigest {
			// On or off: how often is chosen per community.
			labels = "notify.digest_choice."
		}
		for _, d := range c.Choices() {
			choice.Choices = append(choice.Choices, view.Option{Value: string(d), Label: l.T(labels + string(d))})
		}
		p.Categories = append(p.Categories, choice)
	}
	for _, c := range communities {
		p.Communities = append(p.Communities, view.CommunityChoice{ID: c.CommunityID, Name: c.Name, Slug: c.Slug, Current: string(c.Frequency)})
	}
	for _, f := range notify.Frequencies {
		p.Frequencies = append(p.Frequencies, view.Option{Value: string(f), Label: l.T("notify.frequency." + string(f))})
	}
	return p, nil
}

func (s *Server) notificationSettings(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.notificationSettingsPage(r, v)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.NotificationSettings(p))
	return nil
}

// saveNotificationSettings records the choices of the settings form: a
// radio group c.CATEGORY per category and a list f.COMMUNITY per
// community. Values no form offers are refused as a bad request.
func (s *Server) saveNotificationSettings(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	type frequency struct {
		community int64
		f         notify.Frequency
	}
	var deliveries []func(*notify.Settings) error
	var frequencies []frequency
	for name, values := range r.PostForm {
		if len(values) != 1 {
			return errBadRequest
		}
		val := values[0]
		switch {
		case strings.HasPrefix(name, "c."):
			c, ok := s.notifier.Category(strings.TrimPrefix(name, "c."))
			if !ok || !c.Allows(notify.Delivery(val)) {
				return errBadRequest
			}
			deliveries = append(deliveries, func(st *notify.Settings) error {
				return st.SetDelivery(r.Context(), v.user.ID, c, notify.Delivery(val))
			})
		case strings.HasPrefix(name, "f."):
			id, err := strconv.ParseInt(strings.TrimPrefix(name, "f."), 10, 64)
			if err != nil || !notify.Frequency(val).Valid() {
				return errBadRequest
			}
			frequencies = append(frequencies, frequency{id, notify.Frequency(val)})
		}
	}
	err := s.db.InTx(r.Context(), func(tx *sqldb.Tx) error {
		st := notify.NewSettings(tx)
		for _, set := range deliveries {
			if err := set(st); err != nil {
				return err
			}
		}
		for _, f := range frequencies {
			// A community left in another tab meanwhile: nothing to set.
			if err := st.SetFrequency(r.Context(), v.user.ID, f.community, f.f); err != nil && !errors.Is(err, notify.ErrNotMember) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	redirect(w, r, "/settings/notifications", "notifications_saved")
	return nil
}

const notificationsPerPage = 30

func (s *Server) notifications(w http.ResponseWriter, r *http.Request, v *visit) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(1, min(page, 100000))
	items, total, err := notify.NewInbox(s.db).List(r.Context(), v.user.ID, false, notificationsPerPage, (page-1)*notificationsPerPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Notifications(view.NotificationsPage{
		Page: s.pageFor(r, v), Items: items,
		Pager: view.Pager{Page: page, PerPage: notificationsPerPage, Total: total, URL: func(p int) string {
			return "/notifications?page=" + strconv.Itoa(p)
		}},
	}))
	return nil
}

// openNotification marks a notification read and goes where it points.
func (s *Server) openNotification(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sqldb.ErrNotFound
	}
	n, err := notify.NewInbox(s.db).Open(r.Context(), v.user.ID, id)
	if err != nil {
		return err
	}
	to := "/notifications"
	if n.URL != "" {
		to = localPath(n.URL)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) markNotificationsRead(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := notify.NewInbox(s.db).MarkRead(r.Context(), v.user.ID, nil); err != nil {
		return err
	}
	redirect(w, r, "/notifications", "notifications_read")
	return nil
}

// unsubscribePage answers an unsubscribe link: the confirmation, the
// outcome, or why the link does not work. A bad link is the reader's
// problem to understand, not an error of ours: 400 with a page that says
// what to do.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request, v *visit, u notify.Unsubscription, err error, state string) error {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	status := http.StatusOK
	switch {
	case errors.Is(err, notify.ErrExpiredToken):
		state, status = "expired", http.StatusBadRequest
	case errors.Is(err, notify.ErrInvalidToken):
		state, status = "invalid", http.StatusBadRequest
	case err != nil:
		return err
	}
	p := view.UnsubscribePage{Page: s.pageFor(r, v), State: state, Token: r.PathValue("token"), Member: u.UserID != 0}
	if status == http.StatusOK {
		p.Category = v.l.T("notify.category." + u.Category)
		p.Address = u.Email
		if u.UserID != 0 {
			m, err := account.NewStore(s.db).User(r.Context(), u.UserID)
			if errors.Is(err, sqldb.ErrNotFound) {
				p.State, status = "invalid", http.StatusBadRequest
			} else if err != nil {
				return err
			}
			p.Address = m.Email
		}
	}
	s.render(w, r, status, view.Unsubscribe(p))
	return nil
}

// unsubscribeForm asks for the click that unsubscribes: a link followed by
// a mail scanner must not unsubscribe anyone.
func (s *Server) unsubscribeForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, err := notify.ParseUnsubscribe(r.Context(), s.db, r.PathValue("token"))
	if err == nil {
		if c, ok := s.notifier.Category(u.Category); !ok || c.Transactional {
			err = notify.ErrInvalidToken
		}
	}
	return s.unsubscribePage(w, r, v, u, err, "confirm")
}

// unsubscribe switches the category off: the button of the page, or the
// one-click POST (RFC 8058) that mail programs send to the address in
// List-Unsubscribe, without a session.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, err := s.notifier.Unsubscribe(r.Context(), s.db, r.PathValue("token"))
	return s.unsubscribePage(w, r, v, u, err, "done")
}

func (s *Server) resubscribe(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, err := s.notifier.Resubscribe(r.Context(), s.db, r.PathValue("token"))
	return s.unsubscribePage(w, r, v, u, err, "undone")
}

const jobsPerPage = 50

// adminJobs lists River's jobs by state for administrators.
func (s *Server) adminJobs(w http.ResponseWriter, r *http.Request, v *visit) error {
	state := r.URL.Query().Get("state")
	if state != "" && !jobs.ValidState(state) {
		return errBadRequest
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(1, min(page, 100000))
	counts, err := jobs.Counts(r.Context(), s.db)
	if err != nil {
		return err
	}
	list, total, err := jobs.List(r.Context(), s.db, state, jobsPerPage, (page-1)*jobsPerPage)
	if err != nil {
		return err
	}
	p := view.JobsPage{Page: s.pageFor(r, v), State: state, Counts: counts, Jobs: list,
		Pager: view.Pager{Page: page, PerPage: jobsPerPage, Total: total, URL: func(p int) string {
			q := url.Values{"page": {strconv.Itoa(p)}}
			if state != "" {
				q.Set("state", state)
			}
			return "/admin/jobs?" + q.Encode()
		}}}
	for _, st := range jobs.States {
		if st == "pending" && counts[st] == 0 {
			continue
		}
		p.States = append(p.States, view.Option{Value: st, Label: v.l.T("jobs.state_" + st)})
	}
	s.render(w, r, http.StatusOK, view.Jobs(p))
	return nil
}
