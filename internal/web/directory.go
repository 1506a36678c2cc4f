package web

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/web/view"
)

// memberDirectory is the site-wide directory of people, for logged-in
// members.
func (s *Server) memberDirectory(w http.ResponseWriter, r *http.Request, v *visit) error {
	page := pageNumber(r)
	f := profileFilter(r.URL.Query())
	people, err := account.NewStore(s.db).Directory(r.Context(), account.DirectoryQuery{From: "users u", Reader: v.user, Filter: f},
		membersPerPage, (page-1)*membersPerPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Directory(view.DirectoryPageView{
		Page: s.pageFor(r, v), People: people, Filters: directoryFilters(v, "/members", f, people.Facets),
		Pager: pagerFor(r, page, membersPerPage, people.Total),
	}))
	return nil
}

// CountrySection lets a capability add its part to the country pages (the
// solutions, events and exchanges of a country).
type CountrySection func(r *http.Request, reader *account.User, country string) (templ.Component, error)

// country shows what Harambee holds about a country: its members the
// reader may see, the communities they belong to, and the sections other
// capabilities add.
func (s *Server) country(w http.ResponseWriter, r *http.Request, v *visit) error {
	code := r.PathValue("cc")
	if !taxonomy.ValidCountry(code) {
		if cc, ok := taxonomy.NormalizeCountry(code); ok {
			http.Redirect(w, r, "/countries/"+cc, http.StatusMovedPermanently)
			return nil
		}
		return sqldb.ErrNotFound
	}
	c, _ := taxonomy.CountryByCode(code)
	page := pageNumber(r)
	people, err := account.NewStore(s.db).Directory(r.Context(), account.DirectoryQuery{
		From: "users u", Base: " AND u.country = ?", BaseArgs: []any{code}, Reader: v.user,
	}, membersPerPage, (page-1)*membersPerPage)
	if err != nil {
		return err
	}
	counts, err := community.NewStore(s.db).CountryCommunities(r.Context(), code, v.user)
	if err != nil {
		return err
	}
	p := view.CountryPageView{Page: s.pageFor(r, v), Code: code, Region: c.Region, SubRegion: c.SubRegion,
		Developing: taxonomy.IsDeveloping(code), People: people, Pager: pagerFor(r, page, membersPerPage, people.Total)}
	for _, cc := range counts {
		p.Communities = append(p.Communities, view.CountryCommunity{C: cc.Community, Members: cc.Members})
	}
	for _, section := range s.countrySections {
		comp, err := section(r, v.user, code)
		if err != nil {
			return err
		}
		if comp != nil {
			p.Sections = append(p.Sections, comp)
		}
	}
	s.render(w, r, http.StatusOK, view.Country(p))
	return nil
}

// adminSettings shows and changes the site settings.
func (s *Server) adminSettings(w http.ResponseWriter, r *http.Request, v *visit) error {
	st := community.NewStore(s.db)
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return err
		}
		if err := st.SetCreationPolicy(r.Context(), r.PostForm.Get("community_creation")); err != nil {
			f, err := formFrom(r, v.l, err)
			if err != nil {
				return err
			}
			s.render(w, r, http.StatusBadRequest, view.AdminSettings(view.AdminSettingsPage{Page: s.pageFor(r, v), Form: f}))
			return nil
		}
		redirect(w, r, "/admin/settings", "settings_saved")
		return nil
	}
	policy, err := st.CreationPolicy(r.Context())
	if err != nil {
		return err
	}
	f := view.Form{Values: map[string][]string{"community_creation": {policy}}}
	s.render(w, r, http.StatusOK, view.AdminSettings(view.AdminSettingsPage{Page: s.pageFor(r, v), Form: f}))
	return nil
}
