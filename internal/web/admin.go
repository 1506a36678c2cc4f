package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/web/view"
)

func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request, v *visit) error {
	n, err := account.NewStore(s.db).CountUsers(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Admin(view.AdminPage{Page: s.pageFor(r, v), Users: n}))
	return nil
}

const outboxPerPage = 50

func (s *Server) outbox(w http.ResponseWriter, r *http.Request, v *visit) error {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(1, min(page, 100000))
	to := r.URL.Query().Get("to")
	msgs, total, err := mail.NewOutbox(s.db).List(r.Context(), to, outboxPerPage, (page-1)*outboxPerPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Outbox(view.OutboxPage{
		Page: s.pageFor(r, v), Messages: msgs, To: to,
		Pager: view.Pager{Page: page, PerPage: outboxPerPage, Total: total, URL: func(p int) string {
			q := url.Values{"page": {strconv.Itoa(p)}}
			if to != "" {
				q.Set("to", to)
			}
			return "/admin/outbox?" + q.Encode()
		}},
	}))
	return nil
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

func (s *Server) outboxMessage(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sqldb.ErrNotFound
	}
	m, err := mail.NewOutbox(s.db).Message(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.OutboxMessage(view.OutboxMessagePage{
		Page: s.pageFor(r, v), Message: m, Links: linkPattern.FindAllString(m.Text, -1),
	}))
	return nil
}
