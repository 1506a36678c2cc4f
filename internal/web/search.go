package web

import (
	"net/http"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/web/view"
)

// searchPerPage is how many results a page of search shows.
const searchPerPage = 20

// searchReader is who searches, as the index filters by it.
func searchReader(u *account.User) search.Reader {
	if u == nil {
		return search.Reader{}
	}
	return search.Reader{UserID: u.ID, Admin: u.Admin}
}

// search is /search: one list of everything the reader may see that
// matches, with facets. Whatever was typed, it answers a page: words it
// cannot use are ignored, and so are facet values that cannot exist.
func (s *Server) search(w http.ResponseWriter, r *http.Request, v *visit) error {
	f, _ := search.ParseFilter(r.URL.Query())
	page := pageNumber(r)
	res, err := search.NewStore(s.db).Search(r.Context(), searchReader(v.user), f, searchPerPage, (page-1)*searchPerPage)
	if err != nil {
		return err
	}
	// Pages reach the ranked results only (see search.RankBound).
	reachable := res.Total
	if res.Ranked > 0 && res.Ranked < reachable {
		reachable = res.Ranked
	}
	p := view.SearchPage{Page: s.pageFor(r, v), Filter: f, Result: res, Pager: pagerFor(r, page, searchPerPage, reachable)}
	s.render(w, r, http.StatusOK, view.Search(p))
	return nil
}
