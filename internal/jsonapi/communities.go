package jsonapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

func (s *Server) registerCommunities() {
	s.handle("POST /api/v1/communities", member, s.createCommunity)
	s.handle("GET /api/v1/communities", anyone, s.listCommunities)
	s.handle("GET /api/v1/communities/{slug}", anyone, s.getCommunity)
	s.handle("PATCH /api/v1/communities/{slug}", member, s.patchCommunity)
	s.handle("POST /api/v1/communities/{slug}/members", member, s.addMember)
	s.handle("GET /api/v1/communities/{slug}/members", anyone, s.listMembers)
	s.handle("PATCH /api/v1/communities/{slug}/members/{user_id}", member, s.patchMember)
	s.handle("DELETE /api/v1/communities/{slug}/members/{user_id}", member, s.deleteMember)
	s.handle("POST /api/v1/communities/{slug}/requests", member, s.requestJoin)
	s.handle("GET /api/v1/communities/{slug}/requests", member, s.listRequests)
	s.handle("POST /api/v1/communities/{slug}/requests/{id}", member, s.decideRequest)
	s.handle("POST /api/v1/communities/{slug}/invitations", member, s.invite)
}

// communityJSON is a community as the API shows it.
type communityJSON struct {
	ID             int64     `json:"id"`
	Slug           string    `json:"slug"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Language       string    `json:"language"`
	Visibility     string    `json:"visibility"`
	JoinPolicy     string    `json:"join_policy"`
	PrimarySDG     *int      `json:"primary_sdg"`
	SecondarySDGs  []int     `json:"secondary_sdgs"`
	SDGTargets     []string  `json:"sdg_targets"`
	FocusAreas     []string  `json:"focus_areas"`
	MemberCount    int       `json:"member_count"`
	HasLogo        bool      `json:"has_logo"`
	HoldFirstPosts bool      `json:"hold_first_posts"`
	URL            string    `json:"url"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func (s *Server) toCommunityJSON(c community.Community) communityJSON {
	j := communityJSON{
		ID: c.ID, Slug: c.Slug, Name: c.Name, Description: c.Description, Language: c.Language, Visibility: c.Visibility,
		JoinPolicy: c.JoinPolicy, SecondarySDGs: c.SecondarySDGs, SDGTargets: c.Targets, FocusAreas: c.FocusAreas,
		MemberCount: c.MemberCount, HasLogo: c.HasLogo, HoldFirstPosts: c.HoldFirstPosts, URL: s.cfg.BaseURL + "/communities/" + c.Slug,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
	}
	if c.PrimarySDG != 0 {
		g := c.PrimarySDG
		j.PrimarySDG = &g
	}
	if j.SecondarySDGs == nil {
		j.SecondarySDGs = []int{}
	}
	j.SDGTargets, j.FocusAreas = nonNil(j.SDGTargets), nonNil(j.FocusAreas)
	return j
}

// communityInput is the body that creates or changes a community; on PATCH,
// fields left out keep their value.
type communityInput struct {
	Slug           *string   `json:"slug"`
	Name           *string   `json:"name"`
	Description    *string   `json:"description"`
	Language       *string   `json:"language"`
	Visibility     *string   `json:"visibility"`
	JoinPolicy     *string   `json:"join_policy"`
	PrimarySDG     *int      `json:"primary_sdg"`
	SecondarySDGs  *[]int    `json:"secondary_sdgs"`
	SDGTargets     *[]string `json:"sdg_targets"`
	FocusAreas     *[]string `json:"focus_areas"`
	HoldFirstPosts *bool     `json:"hold_first_posts"`
	CreatedAt      *string   `json:"created_at"`
}

func (in communityInput) apply(to community.Input) community.Input {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	str(&to.Slug, in.Slug)
	str(&to.Name, in.Name)
	str(&to.Description, in.Description)
	str(&to.Language, in.Language)
	str(&to.Visibility, in.Visibility)
	str(&to.JoinPolicy, in.JoinPolicy)
	if in.PrimarySDG != nil {
		to.PrimarySDG = *in.PrimarySDG
		if to.PrimarySDG == 0 {
			to.PrimarySDG = -1 // 0 is not a goal: say so rather than clear it silently
		}
	}
	if in.SecondarySDGs != nil {
		to.SecondarySDGs = *in.SecondarySDGs
	}
	if in.SDGTargets != nil {
		to.Targets = *in.SDGTargets
	}
	if in.FocusAreas != nil {
		to.FocusAreas = *in.FocusAreas
	}
	if in.HoldFirstPosts != nil {
		to.HoldFirstPosts = *in.HoldFirstPosts
	}
	return to
}

func (s *Server) createCommunity(w http.ResponseWriter, r *http.Request, c *call) error {
	st := community.NewStore(s.db)
	ok, err := st.CanCreate(r.Context(), c.user)
	if err != nil {
		return err
	}
	if !ok {
		return account.ErrForbidden
	}
	var in communityInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	input := in.apply(community.Input{})
	if in.CreatedAt != nil {
		t, ok := community.ParseTime(*in.CreatedAt)
		if !ok {
			return validation.Field("created_at", "error.datetime")
		}
		if !c.user.Admin {
			return validation.Field("created_at", "community.error.created_at_admin")
		}
		input.CreatedAt = t
	}
	com, err := st.Create(r.Context(), input, *c.user)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toCommunityJSON(com))
}

func (s *Server) listCommunities(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var e validation.Error
	sdg := 0
	if v := q.Get("sdg"); v != "" {
		if sdg, err = strconv.Atoi(v); err != nil || !taxonomy.ValidGoal(sdg) {
			e.Add("sdg", "error.sdg")
		}
	}
	vis := e.OneOf("visibility", q.Get("visibility"), false, community.Visibilities...)
	if err := e.Err(); err != nil {
		return err
	}
	list, total, err := community.NewStore(s.db).List(r.Context(), community.ListOptions{
		Query: q.Get("q"), SDG: sdg, FocusArea: q.Get("focus_area"), Visibility: vis, Reader: c.user,
		Limit: perPage, Offset: (page - 1) * perPage,
	})
	if err != nil {
		return err
	}
	items := make([]communityJSON, len(list))
	for i, com := range list {
		items[i] = s.toCommunityJSON(com)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

// community loads the community of the path and the caller's standing; a
// community the caller may not know of is not found.
func (s *Server) community(r *http.Request, c *call) (community.Community, community.Viewer, error) {
	st := community.NewStore(s.db)
	com, err := st.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return com, community.Viewer{}, err
	}
	v, err := st.ViewerFor(r.Context(), com.ID, c.user)
	if err != nil {
		return com, v, err
	}
	if !v.CanSee(com) {
		return com, v, sqldb.ErrNotFound
	}
	return com, v, nil
}

func (s *Server) getCommunity(w http.ResponseWriter, r *http.Request, c *call) error {
	com, _, err := s.community(r, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toCommunityJSON(com))
}

func (s *Server) patchCommunity(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	var in communityInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	if in.Slug != nil && *in.Slug != com.Slug {
		return validation.Field("slug", "community.error.slug_fixed")
	}
	if in.CreatedAt != nil {
		return validation.Field("created_at", "community.error.created_at_fixed")
	}
	current := community.Input{Slug: com.Slug, Name: com.Name, Description: com.Description, Language: com.Language,
		Visibility: com.Visibility, JoinPolicy: com.JoinPolicy, PrimarySDG: com.PrimarySDG, SecondarySDGs: com.SecondarySDGs,
		Targets: com.Targets, FocusAreas: com.FocusAreas, HoldFirstPosts: com.HoldFirstPosts}
	updated, err := community.NewStore(s.db).Update(r.Context(), com.ID, in.apply(current))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toCommunityJSON(updated))
}

// memberJSON is a membership as the API shows it.
type memberJSON struct {
	UserID           int64     `json:"user_id"`
	Name             string    `json:"name"`
	Country          string    `json:"country"`
	Organization     string    `json:"organization"`
	OrganizationType string    `json:"organization_type"`
	Role             string    `json:"role"`
	JoinedAt         time.Time `json:"joined_at"`
}

func toMemberJSON(m community.Member) memberJSON {
	return memberJSON{UserID: m.ID, Name: m.Name, Country: m.Country, Organization: m.Organization,
		OrganizationType: m.OrganizationType, Role: m.Role, JoinedAt: m.JoinedAt.UTC()}
}

// memberInput adds a member: an account by user_id or email, or a new
// account when the address has none and a name is given.
type memberInput struct {
	UserID           int64  `json:"user_id"`
	Email            string `json:"email"`
	Name             string `json:"name"`
	Country          string `json:"country"`
	Organization     string `json:"organization"`
	OrganizationType string `json:"organization_type"`
	Position         string `json:"position"`
	Role             string `json:"role"`
	JoinedAt         string `json:"joined_at"`
}

// addMember adds someone to a community. Managers and administrators add
// anyone, with a role and a past join date when importing history; any
// other member may only add themselves to an open community, as a member.
func (s *Server) addMember(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	var in memberInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	nm := community.NewMember{UserID: in.UserID, Email: in.Email, Name: in.Name, Country: in.Country, Organization: in.Organization,
		OrganizationType: in.OrganizationType, Position: in.Position, Role: in.Role}
	if in.JoinedAt != "" {
		t, ok := community.ParseTime(in.JoinedAt)
		if !ok {
			return validation.Field("joined_at", "error.datetime")
		}
		nm.JoinedAt = t
	}
	if in.UserID == 0 && in.Email == "" {
		return validation.Field("user_id", "community.error.user_or_email")
	}
	if !v.CanManage() {
		self := in.UserID == c.user.ID || in.UserID == 0 && validation.NormalizeEmail(in.Email) == c.user.Email
		if !self || (in.Role != "" && in.Role != community.RoleMember) || in.JoinedAt != "" {
			return account.ErrForbidden
		}
		if err := community.NewStore(s.db).Join(r.Context(), com, *c.user); err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, memberJSON{UserID: c.user.ID, Name: c.user.Name, Country: c.user.Country,
			Organization: c.user.Organization, OrganizationType: c.user.OrganizationType, Role: community.RoleMember, JoinedAt: time.Now().UTC()})
	}
	m, _, err := community.NewStore(s.db).AddMember(r.Context(), com, nm, *c.user)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toMemberJSON(m))
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request, c *call) error {
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
	f, err := account.ProfileFilter{Country: q.Get("country"), Region: q.Get("region"), OrganizationType: q.Get("organization_type"),
		Expertise: q.Get("expertise"), Language: q.Get("language"), Query: q.Get("q")}.Validate()
	if err != nil {
		return err
	}
	mp, err := community.NewStore(s.db).Members(r.Context(), com, v, f, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]memberJSON, len(mp.Members))
	for i, m := range mp.Members {
		items[i] = toMemberJSON(m)
	}
	return writeJSON(w, http.StatusOK, newList(items, mp.Total, page, perPage))
}

func pathUser(r *http.Request) (int64, error) { return pathID(r, "user_id") }

func (s *Server) patchMember(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	userID, err := pathUser(r)
	if err != nil {
		return err
	}
	var in struct {
		Role string `json:"role"`
	}
	if err := decode(r, c, &in); err != nil {
		return err
	}
	if err := community.NewStore(s.db).SetRole(r.Context(), com, userID, in.Role, *c.user); err != nil {
		return err
	}
	return s.writeMember(w, r, com, userID)
}

// writeMember answers with one current member of a community.
func (s *Server) writeMember(w http.ResponseWriter, r *http.Request, com community.Community, userID int64) error {
	m, err := community.NewStore(s.db).Member(r.Context(), com.ID, userID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toMemberJSON(m))
}

// deleteMember ends a membership: the member's own (leaving) or, for
// managers, anyone's.
func (s *Server) deleteMember(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	userID, err := pathUser(r)
	if err != nil {
		return err
	}
	st := community.NewStore(s.db)
	switch {
	case userID == c.user.ID:
		err = st.Leave(r.Context(), com, *c.user)
	case v.CanManage():
		err = st.Remove(r.Context(), com, userID, *c.user)
	default:
		return account.ErrForbidden
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// requestJSON is a join request as the API shows it.
type requestJSON struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Email     string     `json:"email,omitempty"`
	Country   string     `json:"country"`
	Message   string     `json:"message"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt *time.Time `json:"decided_at"`
}

func toRequestJSON(j community.JoinRequest, withEmail bool) requestJSON {
	out := requestJSON{ID: j.ID, UserID: j.UserID, Name: j.Name, Country: j.Country, Message: j.Message, Status: j.Status, CreatedAt: j.CreatedAt.UTC(), DecidedAt: j.DecidedAt}
	if withEmail {
		out.Email = j.Email
	}
	return out
}

func (s *Server) communityService() *community.Service {
	return &community.Service{DB: s.db, BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName}
}

func (s *Server) requestJoin(w http.ResponseWriter, r *http.Request, c *call) error {
	com, _, err := s.community(r, c)
	if err != nil {
		return err
	}
	var in struct {
		Message string `json:"message"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, c, &in); err != nil {
			return err
		}
	}
	j, err := s.communityService().RequestJoin(r.Context(), com, *c.user, in.Message)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRequestJSON(j, false))
}

func (s *Server) listRequests(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "pending"
	}
	var e validation.Error
	e.OneOf("status", status, true, "pending", "approved", "refused", "withdrawn")
	if err := e.Err(); err != nil {
		return err
	}
	list, err := community.NewStore(s.db).Requests(r.Context(), com.ID, status)
	if err != nil {
		return err
	}
	items := make([]requestJSON, len(list))
	for i, j := range list {
		items[i] = toRequestJSON(j, true)
	}
	return writeJSON(w, http.StatusOK, newList(items, len(items), 1, max(len(items), 1)))
}

func (s *Server) decideRequest(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Decision string `json:"decision"`
	}
	if err := decode(r, c, &in); err != nil {
		return err
	}
	var e validation.Error
	e.OneOf("decision", in.Decision, true, "approve", "refuse")
	if err := e.Err(); err != nil {
		return err
	}
	j, err := s.communityService().DecideRequest(r.Context(), com, id, *c.user, in.Decision == "approve")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRequestJSON(j, true))
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	var in struct {
		Emails []string `json:"emails"`
		Role   string   `json:"role"`
	}
	if err := decode(r, c, &in); err != nil {
		return err
	}
	for _, e := range in.Emails {
		if strings.ContainsAny(e, ",;\n ") {
			return validation.Field("emails", "community.error.invalid_address", e)
		}
	}
	n, err := s.communityService().Invite(r.Context(), com, strings.Join(in.Emails, "\n"), in.Role, *c.user)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]int{"sent": n})
}
