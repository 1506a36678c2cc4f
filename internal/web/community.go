package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

const (
	communitiesPerPage = 24
	membersPerPage     = 50
)

// community loads the community of the path and the visitor's standing in
// it. A community the visitor may not know of does not exist for them.
func (s *Server) community(r *http.Request, v *visit) (community.Community, community.Viewer, error) {
	st := community.NewStore(s.db)
	c, err := st.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return c, community.Viewer{}, err
	}
	cv, err := st.ViewerFor(r.Context(), c.ID, v.user)
	if err != nil {
		return c, cv, err
	}
	if !cv.CanSee(c) {
		return c, cv, sqldb.ErrNotFound
	}
	return c, cv, nil
}

// managed loads a community for its managers; everyone else is refused.
func (s *Server) managed(r *http.Request, v *visit) (community.Community, community.Viewer, error) {
	c, cv, err := s.community(r, v)
	if err == nil && !cv.CanManage() {
		err = account.ErrForbidden
	}
	return c, cv, err
}

func (s *Server) communityService() *community.Service {
	return &community.Service{DB: s.db, BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName}
}

func pageNumber(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return max(1, min(n, 100000))
}

// pagerFor builds a pager whose links keep the request's other parameters.
func pagerFor(r *http.Request, page, perPage, total int) view.Pager {
	return view.Pager{Page: page, PerPage: perPage, Total: total, URL: func(n int) string {
		q := r.URL.Query()
		q.Del("done")
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}}
}

func sdgOptions(v *visit) []view.Option {
	var out []view.Option
	for _, g := range taxonomy.Goals() {
		out = append(out, view.Option{Value: strconv.Itoa(g.Number), Label: v.l.T("sdg.option", g.Number, g.Short(v.l.Lang()))})
	}
	return out
}

func contentLanguages(v *visit) []view.Option {
	var out []view.Option
	for _, l := range taxonomy.CommonLanguages() {
		out = append(out, view.Option{Value: l, Label: taxonomy.LanguageName(l, v.l.Lang())})
	}
	return out
}

func (s *Server) communities(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	page := pageNumber(r)
	sdg, _ := strconv.Atoi(q.Get("sdg"))
	if !taxonomy.ValidGoal(sdg) {
		sdg = 0
	}
	st := community.NewStore(s.db)
	list, total, err := st.List(r.Context(), community.ListOptions{
		Query: q.Get("q"), SDG: sdg, FocusArea: q.Get("focus"), Reader: v.user,
		Limit: communitiesPerPage, Offset: (page - 1) * communitiesPerPage,
	})
	if err != nil {
		return err
	}
	areas, err := st.FocusAreaCounts(r.Context(), v.user, 30)
	if err != nil {
		return err
	}
	canCreate, err := st.CanCreate(r.Context(), v.user)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.CommunityList(view.CommunityListPage{
		Page: s.pageFor(r, v), Communities: list, Query: q.Get("q"), SDG: sdg, FocusArea: q.Get("focus"), FocusAreas: areas,
		SDGOptions: sdgOptions(v), Total: total, Pager: pagerFor(r, page, communitiesPerPage, total), CanCreate: canCreate,
	}))
	return nil
}

// communityInput reads the community settings form.
func communityInput(f url.Values) community.Input {
	in := community.Input{
		Slug: f.Get("slug"), Name: f.Get("name"), Description: f.Get("description"), Language: f.Get("language"),
		Visibility: f.Get("visibility"), JoinPolicy: f.Get("join_policy"),
		Targets: splitTags(f.Get("sdg_targets")), FocusAreas: splitTags(f.Get("focus_areas")),
		HoldFirstPosts: f.Get("hold_first_posts") == "on",
	}
	in.PrimarySDG, _ = strconv.Atoi(f.Get("primary_sdg"))
	for _, g := range f["secondary_sdgs"] {
		if n, err := strconv.Atoi(g); err == nil {
			in.SecondarySDGs = append(in.SecondarySDGs, n)
		} else {
			in.SecondarySDGs = append(in.SecondarySDGs, -1)
		}
	}
	if f.Get("primary_sdg") != "" && in.PrimarySDG == 0 {
		in.PrimarySDG = -1
	}
	return in
}

// communityValues fills the settings form from a community.
func communityValues(c community.Community) url.Values {
	vals := url.Values{
		"name": {c.Name}, "slug": {c.Slug}, "description": {c.Description}, "language": {c.Language},
		"visibility": {c.Visibility}, "join_policy": {c.JoinPolicy}, "sdg_targets": {strings.Join(c.Targets, ", ")},
		"focus_areas": {strings.Join(c.FocusAreas, ", ")},
	}
	if c.PrimarySDG != 0 {
		vals.Set("primary_sdg", strconv.Itoa(c.PrimarySDG))
	}
	if c.HoldFirstPosts {
		vals.Set("hold_first_posts", "on")
	}
	for _, g := range c.SecondarySDGs {
		vals.Add("secondary_sdgs", strconv.Itoa(g))
	}
	return vals
}

func (s *Server) canCreateCommunity(r *http.Request, v *visit) error {
	ok, err := community.NewStore(s.db).CanCreate(r.Context(), v.user)
	if err != nil {
		return err
	}
	if !ok {
		return account.ErrForbidden
	}
	return nil
}

func (s *Server) newCommunityForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := s.canCreateCommunity(r, v); err != nil {
		return err
	}
	f := view.Form{Values: url.Values{"language": {v.l.Lang()}, "visibility": {community.Public}, "join_policy": {community.Open}}}
	s.render(w, r, http.StatusOK, view.CommunityForm(view.CommunityFormPage{Page: s.pageFor(r, v), Form: f, SDGOptions: sdgOptions(v), Languages: contentLanguages(v)}))
	return nil
}

func (s *Server) createCommunity(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := s.canCreateCommunity(r, v); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	c, err := community.NewStore(s.db).Create(r.Context(), communityInput(r.PostForm), *v.user)
	if err == nil {
		redirect(w, r, "/communities/"+c.Slug, "community_created")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.CommunityForm(view.CommunityFormPage{Page: s.pageFor(r, v), Form: f, SDGOptions: sdgOptions(v), Languages: contentLanguages(v)}))
	return nil
}

func (s *Server) communityHomePage(r *http.Request, v *visit, c community.Community, cv community.Viewer, req view.Form) (view.CommunityHomePage, error) {
	st := community.NewStore(s.db)
	p := view.CommunityHomePage{Page: s.pageFor(r, v), C: c, V: cv, RequestForm: req}
	var err error
	if p.Managers, err = st.Managers(r.Context(), c.ID); err != nil {
		return p, err
	}
	if cv.CanRead(c) {
		if p.Threads, err = discussion.NewStore(s.db).Recent(r.Context(), c.ID, 5); err != nil {
			return p, err
		}
		if p.Resources, err = library.NewStore(s.db, s.files).Recent(r.Context(), c.ID, 5); err != nil {
			return p, err
		}
		now := time.Now().UTC()
		if p.NewThisMonth, err = st.JoinedSince(r.Context(), c.ID, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return p, err
		}
	}
	if cv.Role == community.RoleManager {
		n := 0
		for _, m := range p.Managers {
			if m.Role == community.RoleManager {
				n++
			}
		}
		p.LastManager = n <= 1
	}
	return p, nil
}

func (s *Server) communityHome(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.community(r, v)
	if err != nil {
		return err
	}
	p, err := s.communityHomePage(r, v, c, cv, view.Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.CommunityHome(p))
	return nil
}

func (s *Server) communityLogo(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.community(r, v)
	if err != nil {
		return err
	}
	data, typ, err := community.NewStore(s.db).Logo(r.Context(), c.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	http.ServeContent(w, r, "", c.UpdatedAt, strings.NewReader(string(data)))
	return nil
}

func (s *Server) joinCommunity(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.community(r, v)
	if err != nil {
		return err
	}
	if err := community.NewStore(s.db).Join(r.Context(), c, *v.user); err != nil {
		return s.membershipError(w, r, v, c, err)
	}
	redirect(w, r, "/communities/"+c.Slug, "joined")
	return nil
}

// membershipError shows a refused membership action on the community page
// with its reason.
func (s *Server) membershipError(w http.ResponseWriter, r *http.Request, v *visit, c community.Community, err error) error {
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	cv, err := community.NewStore(s.db).ViewerFor(r.Context(), c.ID, v.user)
	if err != nil {
		return err
	}
	f, _ := formFrom(r, v.l, nil)
	p, err := s.communityHomePage(r, v, c, cv, f)
	if err != nil {
		return err
	}
	for _, name := range ve.Names() {
		m := ve.Fields[name]
		p.Flash = v.l.T(m.Key, m.Args...)
	}
	status := http.StatusBadRequest
	if ve.Conflict {
		status = http.StatusConflict
	}
	s.render(w, r, status, view.CommunityHome(p))
	return nil
}

func (s *Server) requestToJoin(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.community(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = s.communityService().RequestJoin(r.Context(), c, *v.user, r.PostForm.Get("message"))
	if err == nil {
		redirect(w, r, "/communities/"+c.Slug, "request_sent")
		return nil
	}
	if ve, ok := validation.As(err); ok && ve.Has("message") {
		f, _ := formFrom(r, v.l, err)
		p, err := s.communityHomePage(r, v, c, cv, f)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusBadRequest, view.CommunityHome(p))
		return nil
	}
	return s.membershipError(w, r, v, c, err)
}

func (s *Server) withdrawRequest(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.community(r, v)
	if err != nil {
		return err
	}
	if err := community.NewStore(s.db).WithdrawRequest(r.Context(), c, *v.user); err != nil {
		return err
	}
	redirect(w, r, "/communities/"+c.Slug, "request_withdrawn")
	return nil
}

func (s *Server) leaveCommunity(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.community(r, v)
	if err != nil {
		return err
	}
	if err := community.NewStore(s.db).Leave(r.Context(), c, *v.user); err != nil {
		return s.membershipError(w, r, v, c, err)
	}
	redirect(w, r, "/communities/"+c.Slug, "left")
	return nil
}

// directoryFilters builds the filter form of a directory with the counts of
// each choice.
func directoryFilters(v *visit, action string, f account.ProfileFilter, facets account.Facets) view.DirectoryFilters {
	lang := v.l.Lang()
	d := view.DirectoryFilters{Action: action, Filter: f}
	codes := make([]string, 0, len(facets.Countries))
	for cc := range facets.Countries {
		codes = append(codes, cc)
	}
	if f.Country != "" && facets.Countries[f.Country] == 0 {
		codes = append(codes, f.Country)
	}
	taxonomy.SortCountries(codes, lang)
	for _, cc := range codes {
		d.Countries = append(d.Countries, view.Option{Value: cc, Label: v.l.T("directory.option_count", taxonomy.CountryName(cc, lang), facets.Countries[cc])})
	}
	for _, rg := range taxonomy.Regions() {
		d.Regions = append(d.Regions, view.Option{Value: rg.Code, Label: v.l.T("directory.option_count", taxonomy.RegionName(rg.Code, lang), facets.Regions[rg.Code])})
	}
	for _, t := range taxonomy.OrganizationTypes() {
		d.OrgTypes = append(d.OrgTypes, view.Option{Value: t, Label: v.l.T("directory.option_count", v.l.T("orgtype."+t), facets.OrganizationTypes[t])})
	}
	for _, l := range taxonomy.CommonLanguages() {
		d.Languages = append(d.Languages, view.Option{Value: l, Label: taxonomy.LanguageName(l, lang)})
	}
	return d
}

// profileFilter reads the directory filters of the query; values that make
// no sense are dropped rather than refused, as a reader may edit the URL.
func profileFilter(q url.Values) account.ProfileFilter {
	f := account.ProfileFilter{Country: q.Get("country"), Region: q.Get("region"), OrganizationType: q.Get("organization_type"),
		Expertise: q.Get("expertise"), Language: q.Get("language"), Query: q.Get("q")}
	clean, err := f.Validate()
	if ve, ok := validation.As(err); ok {
		for _, name := range ve.Names() {
			switch name {
			case "country":
				clean.Country = ""
			case "region":
				clean.Region = ""
			case "organization_type":
				clean.OrganizationType = ""
			case "language":
				clean.Language = ""
			}
		}
	}
	return clean
}

func (s *Server) communityMembers(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.community(r, v)
	if err != nil {
		return err
	}
	if !cv.CanRead(c) {
		return account.ErrForbidden
	}
	page := pageNumber(r)
	f := profileFilter(r.URL.Query())
	members, err := community.NewStore(s.db).Members(r.Context(), c, cv, f, membersPerPage, (page-1)*membersPerPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.CommunityMembers(view.CommunityMembersPage{
		Page: s.pageFor(r, v), C: c, V: cv, Members: members,
		Filters: directoryFilters(v, "/communities/"+c.Slug+"/members", f, members.Facets),
		Pager:   pagerFor(r, page, membersPerPage, members.Total),
	}))
	return nil
}

func roleOptions(v *visit) []view.Option {
	var out []view.Option
	for _, role := range community.Roles {
		out = append(out, view.Option{Value: role, Label: v.l.T("community.role." + role)})
	}
	return out
}

// managePage loads everything the manage tab shows; the two forms come from
// the caller so that a refused form shows its errors.
func (s *Server) managePage(r *http.Request, v *visit, c community.Community, cv community.Viewer, settings, invite view.Form) (view.CommunityManagePage, error) {
	st := community.NewStore(s.db)
	page := pageNumber(r)
	p := view.CommunityManagePage{Page: s.pageFor(r, v), C: c, V: cv, Settings: settings, InviteForm: invite,
		SDGOptions: sdgOptions(v), Languages: contentLanguages(v), RoleOptions: roleOptions(v)}
	var err error
	if p.Requests, err = st.Requests(r.Context(), c.ID, "pending"); err != nil {
		return p, err
	}
	if p.Invitations, err = st.Invitations(r.Context(), c.ID, 50); err != nil {
		return p, err
	}
	if p.Members, err = st.Members(r.Context(), c, cv, account.ProfileFilter{}, membersPerPage, (page-1)*membersPerPage); err != nil {
		return p, err
	}
	if p.Bans, err = st.Bans(r.Context(), c.ID); err != nil {
		return p, err
	}
	p.Pager = pagerFor(r, page, membersPerPage, p.Members.Total)
	return p, nil
}

func (s *Server) manageCommunity(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	p, err := s.managePage(r, v, c, cv, view.Form{Values: communityValues(c)}, view.Form{Values: url.Values{"role": {community.RoleMember}}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.CommunityManage(p))
	return nil
}

func (s *Server) updateCommunity(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = community.NewStore(s.db).Update(r.Context(), c.ID, communityInput(r.PostForm))
	if err == nil {
		redirect(w, r, "/communities/"+c.Slug+"/manage", "community_saved")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	p, err := s.managePage(r, v, c, cv, f, view.Form{Values: url.Values{"role": {community.RoleMember}}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.CommunityManage(p))
	return nil
}

func (s *Server) uploadLogo(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, community.MaxLogoBytes+64<<10)
	file, _, err := r.FormFile("logo")
	if err == nil {
		defer file.Close()
		var data []byte
		if data, err = io.ReadAll(io.LimitReader(file, community.MaxLogoBytes+1)); err == nil {
			err = community.NewStore(s.db).SetLogo(r.Context(), c.ID, data)
		}
	} else if errors.Is(err, http.ErrMissingFile) {
		err = validation.Field("logo", "error.required")
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = validation.Field("logo", "error.logo_size", community.MaxLogoBytes>>10)
	}
	if err == nil {
		redirect(w, r, "/communities/"+c.Slug+"/manage", "logo_saved")
		return nil
	}
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	settings := view.Form{Values: communityValues(c), Errors: map[string]string{}}
	for name, m := range ve.Fields {
		settings.Errors[name] = v.l.T(m.Key, m.Args...)
	}
	p, err := s.managePage(r, v, c, cv, settings, view.Form{Values: url.Values{"role": {community.RoleMember}}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.CommunityManage(p))
	return nil
}

func (s *Server) decideRequest(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.managed(r, v)
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
	approve := r.PostForm.Get("decision") == "approve"
	if !approve && r.PostForm.Get("decision") != "refuse" {
		return errBadRequest
	}
	if _, err := s.communityService().DecideRequest(r.Context(), c, id, *v.user, approve); err != nil {
		return s.manageError(w, r, v, c, err)
	}
	done := "request_refused"
	if approve {
		done = "request_approved"
	}
	redirect(w, r, "/communities/"+c.Slug+"/manage", done)
	return nil
}

// manageError shows a refused manager action on the manage tab.
func (s *Server) manageError(w http.ResponseWriter, r *http.Request, v *visit, c community.Community, err error) error {
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	cv, err := community.NewStore(s.db).ViewerFor(r.Context(), c.ID, v.user)
	if err != nil {
		return err
	}
	p, err := s.managePage(r, v, c, cv, view.Form{Values: communityValues(c)}, view.Form{Values: url.Values{"role": {community.RoleMember}}})
	if err != nil {
		return err
	}
	for _, name := range ve.Names() {
		m := ve.Fields[name]
		p.Flash = v.l.T(m.Key, m.Args...)
	}
	status := http.StatusBadRequest
	if ve.Conflict {
		status = http.StatusConflict
	}
	s.render(w, r, status, view.CommunityManage(p))
	return nil
}

func (s *Server) inviteMembers(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, err := s.communityService().Invite(r.Context(), c, r.PostForm.Get("emails"), r.PostForm.Get("role"), *v.user)
	if err == nil {
		done := "invitations_sent"
		if n == 0 {
			done = "invitations_none"
		}
		redirect(w, r, "/communities/"+c.Slug+"/manage", done)
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	p, err := s.managePage(r, v, c, cv, view.Form{Values: communityValues(c)}, f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.CommunityManage(p))
	return nil
}

func (s *Server) revokeInvitation(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.managed(r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return sqldb.ErrNotFound
	}
	if err := community.NewStore(s.db).RevokeInvitation(r.Context(), c.ID, id); err != nil {
		return err
	}
	redirect(w, r, "/communities/"+c.Slug+"/manage", "invitation_revoked")
	return nil
}

// memberAction runs a manager's action on one member of the path.
func (s *Server) memberAction(action func(r *http.Request, st *community.Store, c community.Community, userID int64, actor account.User) error, done string) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		c, _, err := s.managed(r, v)
		if err != nil {
			return err
		}
		userID, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
		if err != nil {
			return sqldb.ErrNotFound
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		if err := action(r, community.NewStore(s.db), c, userID, *v.user); err != nil {
			return s.manageError(w, r, v, c, err)
		}
		redirect(w, r, "/communities/"+c.Slug+"/manage", done)
		return nil
	}
}

func (s *Server) invitation(w http.ResponseWriter, r *http.Request, v *visit) error {
	token := r.PathValue("token")
	c, inv, err := s.communityService().InvitationFor(r.Context(), token)
	if errors.Is(err, community.ErrInvitationInvalid) {
		s.render(w, r, http.StatusNotFound, view.Message(view.MessagePage{Page: s.pageFor(r, v),
			Title: v.l.T("link.invalid_title"), Body: []string{v.l.T("community.invitation_invalid")}}))
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.InvitationView(view.InvitationPage{Page: s.pageFor(r, v), C: c, Inv: inv, Token: token}))
	return nil
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request, v *visit) error {
	token := r.PathValue("token")
	c, err := s.communityService().AcceptInvitation(r.Context(), token, *v.user)
	switch {
	case err == nil:
		redirect(w, r, "/communities/"+c.Slug, "joined")
		return nil
	case errors.Is(err, community.ErrInvitationInvalid):
		s.render(w, r, http.StatusNotFound, view.Message(view.MessagePage{Page: s.pageFor(r, v),
			Title: v.l.T("link.invalid_title"), Body: []string{v.l.T("community.invitation_invalid")}}))
		return nil
	}
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	_, inv, ierr := s.communityService().InvitationFor(r.Context(), token)
	if ierr != nil {
		return ierr
	}
	p := view.InvitationPage{Page: s.pageFor(r, v), C: c, Inv: inv, Token: token}
	for _, name := range ve.Names() {
		p.Problem = v.l.T(ve.Fields[name].Key, ve.Fields[name].Args...)
	}
	s.render(w, r, http.StatusForbidden, view.InvitationView(p))
	return nil
}

func setRole(r *http.Request, st *community.Store, c community.Community, userID int64, actor account.User) error {
	return st.SetRole(r.Context(), c, userID, r.PostForm.Get("role"), actor)
}

func removeMember(r *http.Request, st *community.Store, c community.Community, userID int64, actor account.User) error {
	return st.Remove(r.Context(), c, userID, actor)
}

func banMember(r *http.Request, st *community.Store, c community.Community, userID int64, actor account.User) error {
	return st.Ban(r.Context(), c, userID, actor, r.PostForm.Get("reason"))
}

func unbanMember(r *http.Request, st *community.Store, c community.Community, userID int64, actor account.User) error {
	return st.Unban(r.Context(), c, userID, actor)
}
