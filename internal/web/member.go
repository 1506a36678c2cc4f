package web

import (
	"net/http"
	"strconv"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/web/view"
)

// memberProfile shows a profile to those its owner allows; to anyone else it
// does not exist.
func (s *Server) memberProfile(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sqldb.ErrNotFound
	}
	u, err := account.NewStore(s.db).User(r.Context(), id)
	if err != nil {
		return err
	}
	if !account.CanSeeProfile(v.user, u) {
		return sqldb.ErrNotFound
	}
	s.render(w, r, http.StatusOK, view.Profile(view.ProfilePage{Page: s.pageFor(r, v), Member: u, Own: v.user != nil && v.user.ID == u.ID}))
	return nil
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusOK, view.Home(view.HomePage{Page: s.pageFor(r, v)}))
	return nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, v *visit) error {
	return sqldb.ErrNotFound
}
