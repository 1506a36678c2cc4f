package jsonapi

import (
	"net/http"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/sqldb"
)

// register lists every /api/v1 route with who may call it.
func (s *Server) register() {
	s.handle("POST /api/v1/users", admin, s.createUser)
	s.handle("GET /api/v1/users", admin, s.listUsers)
	s.handle("GET /api/v1/users/{id}", anyone, s.getUser)
	s.handle("GET /api/v1/me", member, s.getMe)
	s.handle("PATCH /api/v1/me", member, s.patchMe)
	s.registerCommunities()
	s.registerDiscussions()
	s.registerSolutions()
	s.registerNotifications()
	s.registerEvents()
	s.registerSearch()
	s.registerReports()
	s.registerMatching()
}

// userJSON is an account as the API shows it. E-mail address, settings and
// roles appear only to the member and to administrators.
type userJSON struct {
	ID                int64      `json:"id"`
	Email             string     `json:"email,omitempty"`
	Name              string     `json:"name"`
	Country           string     `json:"country"`
	Region            string     `json:"region"`
	SubRegion         string     `json:"sub_region"`
	Organization      string     `json:"organization"`
	OrganizationType  string     `json:"organization_type"`
	Position          string     `json:"position"`
	Bio               string     `json:"bio"`
	Languages         []string   `json:"languages"`
	Expertise         []string   `json:"expertise"`
	TimeZone          string     `json:"timezone,omitempty"`
	Language          string     `json:"language,omitempty"`
	ProfileVisibility string     `json:"profile_visibility,omitempty"`
	Admin             *bool      `json:"admin,omitempty"`
	Editor            *bool      `json:"editor,omitempty"`
	Verified          *bool      `json:"verified,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         *time.Time `json:"updated_at,omitempty"`
}

func toUserJSON(u account.User, private bool) userJSON {
	region, sub := u.Region()
	j := userJSON{
		ID: u.ID, Name: u.Name, Country: u.Country, Region: region, SubRegion: sub,
		Organization: u.Organization, OrganizationType: u.OrganizationType, Position: u.Position, Bio: u.Bio,
		Languages: nonNil(u.Languages), Expertise: nonNil(u.Expertise), CreatedAt: u.CreatedAt.UTC(),
	}
	if private {
		verified, isAdmin, isEditor, updated := u.Verified(), u.Admin, u.Editor, u.UpdatedAt.UTC()
		j.Email, j.TimeZone, j.Language, j.ProfileVisibility = u.Email, u.TimeZone, u.Language, u.Visibility
		j.Admin, j.Editor, j.Verified, j.UpdatedAt = &isAdmin, &isEditor, &verified, &updated
	}
	return j
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// userInput is the body of POST /api/v1/users.
type userInput struct {
	Email             string   `json:"email"`
	Name              string   `json:"name"`
	Password          string   `json:"password"`
	Country           string   `json:"country"`
	Organization      string   `json:"organization"`
	OrganizationType  string   `json:"organization_type"`
	Position          string   `json:"position"`
	Bio               string   `json:"bio"`
	Languages         []string `json:"languages"`
	Expertise         []string `json:"expertise"`
	TimeZone          string   `json:"timezone"`
	Language          string   `json:"language"`
	ProfileVisibility string   `json:"profile_visibility"`
	Admin             bool     `json:"admin"`
	Editor            bool     `json:"editor"`
}

// createUser creates a verified, active account and sends no e-mail.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, c *call) error {
	var in userInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	u, err := account.NewStore(s.db).CreateUser(r.Context(), account.NewUser{
		Email: in.Email, Password: in.Password, Admin: in.Admin, Editor: in.Editor, Verified: true,
		Profile: account.Profile{
			Name: in.Name, Country: in.Country, Organization: in.Organization, OrganizationType: in.OrganizationType,
			Position: in.Position, Bio: in.Bio, Languages: in.Languages, Expertise: in.Expertise,
			TimeZone: in.TimeZone, Language: in.Language, Visibility: in.ProfileVisibility,
		},
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toUserJSON(u, true))
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	users, total, err := account.NewStore(s.db).Users(r.Context(), account.ListOptions{
		Query: r.URL.Query().Get("q"), Limit: perPage, Offset: (page - 1) * perPage,
	})
	if err != nil {
		return err
	}
	items := make([]userJSON, len(users))
	for i, u := range users {
		items[i] = toUserJSON(u, true)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

// getUser shows a profile to those its visibility allows, and answers 404 to
// everyone else, so that the API does not tell who has an account.
func (s *Server) getUser(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := account.NewStore(s.db).User(r.Context(), id)
	if err != nil {
		return err
	}
	if !account.CanSeeProfile(c.user, u) {
		return sqldb.ErrNotFound
	}
	private := c.user != nil && (c.user.ID == u.ID || c.user.Admin)
	return writeJSON(w, http.StatusOK, toUserJSON(u, private))
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request, c *call) error {
	return writeJSON(w, http.StatusOK, toUserJSON(*c.user, true))
}

// profilePatch is the body of PATCH /api/v1/me: fields left out keep their
// value.
type profilePatch struct {
	Name              *string   `json:"name"`
	Country           *string   `json:"country"`
	Organization      *string   `json:"organization"`
	OrganizationType  *string   `json:"organization_type"`
	Position          *string   `json:"position"`
	Bio               *string   `json:"bio"`
	Languages         *[]string `json:"languages"`
	Expertise         *[]string `json:"expertise"`
	TimeZone          *string   `json:"timezone"`
	Language          *string   `json:"language"`
	ProfileVisibility *string   `json:"profile_visibility"`
}

func (s *Server) patchMe(w http.ResponseWriter, r *http.Request, c *call) error {
	var in profilePatch
	if err := decode(r, c, &in); err != nil {
		return err
	}
	p := c.user.Profile
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.Name, in.Name)
	set(&p.Country, in.Country)
	set(&p.Organization, in.Organization)
	set(&p.OrganizationType, in.OrganizationType)
	set(&p.Position, in.Position)
	set(&p.Bio, in.Bio)
	set(&p.TimeZone, in.TimeZone)
	set(&p.Language, in.Language)
	set(&p.Visibility, in.ProfileVisibility)
	if in.Languages != nil {
		p.Languages = *in.Languages
	}
	if in.Expertise != nil {
		p.Expertise = *in.Expertise
	}
	u, err := account.NewStore(s.db).UpdateProfile(r.Context(), c.user.ID, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toUserJSON(u, true))
}
