package jsonapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/taxonomy"
)

func (s *Server) registerSearch() {
	s.handle("GET /api/v1/search", anyone, s.search)
}

// searchItemJSON is one result of the site-wide search.
type searchItemJSON struct {
	Type      string    `json:"type"`
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Snippet   string    `json:"snippet"`
	PostID    int64     `json:"post_id,omitempty"`
	Community string    `json:"community,omitempty"`
	Language  string    `json:"language,omitempty"`
	Date      time.Time `json:"date"`
	// Restricted is true for held or hidden content, which only the
	// community's moderators and its author find.
	Restricted bool `json:"restricted,omitempty"`
}

type searchListJSON struct {
	list[searchItemJSON]
	Estimated bool                        `json:"estimated"`
	Capped    bool                        `json:"capped"`
	Facets    map[string][]facetValueJSON `json:"facets"`
}

// search is GET /api/v1/search: what the caller may see (anonymous callers
// what anyone may), best first, with facets. Whatever q holds, the answer
// is a list, empty when q asks for nothing; facet values that cannot exist
// are refused, by filter.
func (s *Server) search(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	f, err := search.ParseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	reader := search.Reader{}
	if c.user != nil {
		reader = search.Reader{UserID: c.user.ID, Admin: c.user.Admin}
	}
	res, err := search.NewStore(s.db).Search(r.Context(), reader, f, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]searchItemJSON, len(res.Items))
	for i, it := range res.Items {
		items[i] = searchItemJSON{Type: it.Type, ID: it.ID, Title: it.Title, URL: it.URL, Snippet: it.Snippet, PostID: it.PostID,
			Community: it.Community, Language: it.Language, Date: it.Date.UTC(), Restricted: it.Restricted}
	}
	out := searchListJSON{list: newList(items, res.Total, page, perPage), Estimated: res.Estimated, Capped: res.Capped, Facets: map[string][]facetValueJSON{}}
	for _, name := range search.FacetNames {
		values := res.Facets[name]
		fv := make([]facetValueJSON, len(values))
		for i, v := range values {
			fv[i] = facetValueJSON{Value: v.Value, Count: v.Count, Label: searchLabel(c, name, v)}
			if name == search.FacetSDG || name == search.FacetYear {
				fv[i].Value, _ = strconv.Atoi(v.Value)
			}
		}
		out.Facets[name] = fv
	}
	return writeJSON(w, http.StatusOK, out)
}

// searchLabel names a facet value in the caller's language.
func searchLabel(c *call, name string, v search.FacetValue) string {
	switch name {
	case search.FacetType:
		return c.l.T("search.type." + v.Value)
	case search.FacetCommunity:
		return v.Label
	case search.FacetSDG:
		return solution.FacetLabel(c.l, solution.FacetSDG, v.Value)
	case search.FacetCountry:
		return taxonomy.CountryName(v.Value, c.l.Lang())
	case search.FacetLanguage:
		return taxonomy.LanguageName(v.Value, c.l.Lang())
	}
	return v.Value
}
