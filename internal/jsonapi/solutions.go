package jsonapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

// registerSolutions lists the routes of the solutions catalogue. Anyone
// may read it; writes need a member who may edit the catalogue (site
// administrators and editors), checked by solution.EditorFor.
func (s *Server) registerSolutions() {
	s.handle("GET /api/v1/solutions", anyone, s.listSolutions)
	s.handle("POST /api/v1/solutions", member, s.createSolution)
	s.handle("GET /api/v1/solutions/{id}", anyone, s.getSolution)
	s.handle("PATCH /api/v1/solutions/{id}", member, s.patchSolution)
	s.handle("POST /api/v1/solutions/{id}/archive", member, s.archiveSolution)
	s.handle("POST /api/v1/solutions/{id}/restore", member, s.restoreSolution)
	s.handle("POST /api/v1/solutions/{id}/reviewed", member, s.markSolutionReviewed)
	s.handle("GET /api/v1/solutions/{id}/similar", anyone, s.similarSolutions)
	s.handle("GET /api/v1/solutions/{id}/history", member, s.solutionHistory)
}

// contactJSON is a contact of a solution; the e-mail address only goes to
// logged-in callers.
type contactJSON struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	Organization string `json:"organization"`
	Email        string `json:"email,omitempty"`
}

// solutionSummaryJSON is a solution in lists.
type solutionSummaryJSON struct {
	ID            int64     `json:"id"`
	Title         string    `json:"title"`
	Tagline       string    `json:"tagline"`
	Countries     []string  `json:"countries"`
	Global        bool      `json:"global"`
	Regions       []string  `json:"regions"`
	Modality      string    `json:"modality"`
	PrimarySDG    int       `json:"primary_sdg"`
	SecondarySDGs []int     `json:"secondary_sdgs"`
	SDGTargets    []string  `json:"sdg_targets"`
	Status        string    `json:"status"`
	StartDate     string    `json:"start_date"`
	EndDate       string    `json:"end_date"`
	URL           string    `json:"url"`
	Language      string    `json:"language"`
	Archived      bool      `json:"archived"`
	Stale         bool      `json:"stale"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// solutionJSON is a whole solution.
type solutionJSON struct {
	solutionSummaryJSON
	Challenge            string        `json:"challenge"`
	Solution             string        `json:"solution"`
	Results              string        `json:"results"`
	Lessons              string        `json:"lessons"`
	Replicability        string        `json:"replicability"`
	SupportedBy          []string      `json:"supported_by"`
	ImplementingEntities []string      `json:"implementing_entities"`
	Contacts             []contactJSON `json:"contacts"`
	Communities          []string      `json:"communities"`
	CreatedAt            time.Time     `json:"created_at"`
}

func toSolutionSummaryJSON(x solution.Solution) solutionSummaryJSON {
	return solutionSummaryJSON{
		ID: x.ID, Title: x.Title, Tagline: x.Tagline, Countries: nonNil(x.Countries), Global: x.Global, Regions: nonNil(x.Regions),
		Modality: x.Modality, PrimarySDG: x.PrimarySDG, SecondarySDGs: nonNilInts(x.SecondarySDGs), SDGTargets: nonNil(x.Targets),
		Status: x.Status, StartDate: x.Start.String(), EndDate: x.End.String(), URL: x.URL, Language: x.Language,
		Archived: x.Archived(), Stale: x.Stale(time.Now()), UpdatedAt: x.UpdatedAt.UTC(),
	}
}

// toSolutionJSON shows a whole solution to reader: contacts' e-mail
// addresses to members only, the communities that showcase it as far as
// the reader may see them.
func toSolutionJSON(x solution.Solution, reader *account.User) solutionJSON {
	j := solutionJSON{
		solutionSummaryJSON: toSolutionSummaryJSON(x),
		Challenge:           x.Challenge, Solution: x.Approach, Results: x.Results, Lessons: x.Lessons, Replicability: x.Replicability,
		SupportedBy: nonNil(x.SupportedBy), ImplementingEntities: nonNil(x.Implementers),
		Contacts: []contactJSON{}, Communities: []string{}, CreatedAt: x.CreatedAt.UTC(),
	}
	for _, c := range x.Contacts {
		cj := contactJSON{Name: c.Name, Title: c.Title, Organization: c.Organization}
		if reader != nil {
			cj.Email = c.Email
		}
		j.Contacts = append(j.Contacts, cj)
	}
	for _, c := range x.Communities {
		if canSeeCommunity(reader, c.Visibility) {
			j.Communities = append(j.Communities, c.Slug)
		}
	}
	return j
}

// canSeeCommunity reports whether reader may know a community of the
// visibility exists: public ones anyone, members-only ones members, private
// ones the catalogue's editors.
func canSeeCommunity(reader *account.User, visibility string) bool {
	switch visibility {
	case "public":
		return true
	case "members":
		return reader != nil
	}
	return solution.CanEdit(reader)
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

// solutionInput is the body of POST /api/v1/solutions.
type solutionInput struct {
	Title                string        `json:"title"`
	Tagline              string        `json:"tagline"`
	Challenge            string        `json:"challenge"`
	Solution             string        `json:"solution"`
	Results              string        `json:"results"`
	Lessons              string        `json:"lessons"`
	Replicability        string        `json:"replicability"`
	Countries            []string      `json:"countries"`
	Global               bool          `json:"global"`
	Modality             string        `json:"modality"`
	PrimarySDG           int           `json:"primary_sdg"`
	SecondarySDGs        []int         `json:"secondary_sdgs"`
	SDGTargets           []string      `json:"sdg_targets"`
	Status               string        `json:"status"`
	StartDate            string        `json:"start_date"`
	EndDate              string        `json:"end_date"`
	SupportedBy          []string      `json:"supported_by"`
	ImplementingEntities []string      `json:"implementing_entities"`
	Contacts             []contactJSON `json:"contacts"`
	URL                  string        `json:"url"`
	Language             string        `json:"language"`
	Communities          []string      `json:"communities"`
}

func (in solutionInput) input() solution.Input {
	out := solution.Input{
		Title: in.Title, Tagline: in.Tagline, Challenge: in.Challenge, Approach: in.Solution, Results: in.Results,
		Lessons: in.Lessons, Replicability: in.Replicability, Countries: in.Countries, Global: in.Global,
		Modality: in.Modality, PrimarySDG: in.PrimarySDG, SecondarySDGs: in.SecondarySDGs, Targets: in.SDGTargets,
		Status: in.Status, StartDate: in.StartDate, EndDate: in.EndDate, SupportedBy: in.SupportedBy,
		Implementers: in.ImplementingEntities, URL: in.URL, Language: in.Language, Communities: in.Communities,
	}
	for _, c := range in.Contacts {
		out.Contacts = append(out.Contacts, solution.Contact(c))
	}
	return out
}

// solutionPatch is the body of PATCH /api/v1/solutions/{id}: fields left
// out keep their value.
type solutionPatch struct {
	Title                *string        `json:"title"`
	Tagline              *string        `json:"tagline"`
	Challenge            *string        `json:"challenge"`
	Solution             *string        `json:"solution"`
	Results              *string        `json:"results"`
	Lessons              *string        `json:"lessons"`
	Replicability        *string        `json:"replicability"`
	Countries            *[]string      `json:"countries"`
	Global               *bool          `json:"global"`
	Modality             *string        `json:"modality"`
	PrimarySDG           *int           `json:"primary_sdg"`
	SecondarySDGs        *[]int         `json:"secondary_sdgs"`
	SDGTargets           *[]string      `json:"sdg_targets"`
	Status               *string        `json:"status"`
	StartDate            *string        `json:"start_date"`
	EndDate              *string        `json:"end_date"`
	SupportedBy          *[]string      `json:"supported_by"`
	ImplementingEntities *[]string      `json:"implementing_entities"`
	Contacts             *[]contactJSON `json:"contacts"`
	URL                  *string        `json:"url"`
	Language             *string        `json:"language"`
	Communities          *[]string      `json:"communities"`
}

func patch[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func (p solutionPatch) apply(in *solution.Input) {
	patch(&in.Title, p.Title)
	patch(&in.Tagline, p.Tagline)
	patch(&in.Challenge, p.Challenge)
	patch(&in.Approach, p.Solution)
	patch(&in.Results, p.Results)
	patch(&in.Lessons, p.Lessons)
	patch(&in.Replicability, p.Replicability)
	patch(&in.Countries, p.Countries)
	patch(&in.Global, p.Global)
	patch(&in.Modality, p.Modality)
	patch(&in.PrimarySDG, p.PrimarySDG)
	patch(&in.SecondarySDGs, p.SecondarySDGs)
	patch(&in.Targets, p.SDGTargets)
	patch(&in.Status, p.Status)
	patch(&in.StartDate, p.StartDate)
	patch(&in.EndDate, p.EndDate)
	patch(&in.SupportedBy, p.SupportedBy)
	patch(&in.Implementers, p.ImplementingEntities)
	patch(&in.URL, p.URL)
	patch(&in.Language, p.Language)
	patch(&in.Communities, p.Communities)
	if p.Contacts != nil {
		in.Contacts = nil
		for _, c := range *p.Contacts {
			in.Contacts = append(in.Contacts, solution.Contact(c))
		}
	}
}

func (s *Server) createSolution(w http.ResponseWriter, r *http.Request, c *call) error {
	ed, err := solution.EditorFor(c.user, solution.ViaAPI)
	if err != nil {
		return err
	}
	var in solutionInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	x, err := solution.NewStore(s.db).Create(r.Context(), ed, in.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toSolutionJSON(x, c.user))
}

// visibleSolution loads a solution the caller may see: archived records
// exist only for the catalogue's editors.
func (s *Server) visibleSolution(r *http.Request, c *call) (solution.Solution, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return solution.Solution{}, err
	}
	x, err := solution.NewStore(s.db).Solution(r.Context(), id)
	if err != nil {
		return solution.Solution{}, err
	}
	if x.Archived() && !solution.CanEdit(c.user) {
		return solution.Solution{}, sqldb.ErrNotFound
	}
	return x, nil
}

func (s *Server) getSolution(w http.ResponseWriter, r *http.Request, c *call) error {
	x, err := s.visibleSolution(r, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSolutionJSON(x, c.user))
}

func (s *Server) patchSolution(w http.ResponseWriter, r *http.Request, c *call) error {
	ed, err := solution.EditorFor(c.user, solution.ViaAPI)
	if err != nil {
		return err
	}
	x, err := s.visibleSolution(r, c)
	if err != nil {
		return err
	}
	var p solutionPatch
	if err := decode(r, c, &p); err != nil {
		return err
	}
	in := x.Input()
	p.apply(&in)
	x, err = solution.NewStore(s.db).Update(r.Context(), ed, x.ID, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSolutionJSON(x, c.user))
}

func (s *Server) archiveSolution(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.setSolutionArchived(w, r, c, true)
}

func (s *Server) restoreSolution(w http.ResponseWriter, r *http.Request, c *call) error {
	return s.setSolutionArchived(w, r, c, false)
}

func (s *Server) setSolutionArchived(w http.ResponseWriter, r *http.Request, c *call, archived bool) error {
	ed, err := solution.EditorFor(c.user, solution.ViaAPI)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	st := solution.NewStore(s.db)
	if archived {
		err = st.Archive(r.Context(), ed, id)
	} else {
		err = st.Restore(r.Context(), ed, id)
	}
	if err != nil {
		return err
	}
	x, err := st.Solution(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSolutionJSON(x, c.user))
}

// markSolutionReviewed records that an editor checked the record and found
// it still right: it is no longer stale.
func (s *Server) markSolutionReviewed(w http.ResponseWriter, r *http.Request, c *call) error {
	ed, err := solution.EditorFor(c.user, solution.ViaAPI)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	st := solution.NewStore(s.db)
	if err := st.MarkReviewed(r.Context(), ed, id); err != nil {
		return err
	}
	x, err := st.Solution(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSolutionJSON(x, c.user))
}

// facetValueJSON is one value of a facet: a number for sdg and start_year,
// a string otherwise, with its name in the caller's language.
type facetValueJSON struct {
	Value any    `json:"value"`
	Count int    `json:"count"`
	Label string `json:"label"`
}

type solutionListJSON struct {
	list[solutionSummaryJSON]
	Facets map[string][]facetValueJSON `json:"facets"`
}

func (s *Server) listSolutions(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	q, err := solution.ParseQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if v := r.URL.Query().Get("archived"); v == "true" || v == "1" {
		if !solution.CanEdit(c.user) {
			return account.ErrForbidden
		}
		q.Archived = true
	}
	q.Limit, q.Offset = perPage, (page-1)*perPage
	res, err := solution.NewStore(s.db).Search(r.Context(), q)
	if err != nil {
		return err
	}
	items := make([]solutionSummaryJSON, len(res.Items))
	for i, x := range res.Items {
		items[i] = toSolutionSummaryJSON(x)
	}
	out := solutionListJSON{list: newList(items, res.Total, page, perPage), Facets: map[string][]facetValueJSON{}}
	for name, values := range res.Facets {
		fv := make([]facetValueJSON, len(values))
		for i, v := range values {
			fv[i] = facetValueJSON{Value: v.Value, Count: v.Count, Label: solution.FacetLabel(c.l, name, v.Value)}
			if name == solution.FacetSDG || name == solution.FacetStartYear {
				fv[i].Value, _ = strconv.Atoi(v.Value)
			}
		}
		out.Facets[name] = fv
	}
	return writeJSON(w, http.StatusOK, out)
}

// reasonJSON is one part of a similarity score.
type reasonJSON struct {
	Code   string   `json:"code"`
	Values []string `json:"values"`
	Score  float64  `json:"score"`
}

type similarJSON struct {
	solutionSummaryJSON
	Score       float64      `json:"score"`
	Reasons     []reasonJSON `json:"reasons"`
	Explanation string       `json:"explanation"`
}

const (
	defaultSimilar = 5
	maxSimilar     = 50
)

func (s *Server) similarSolutions(w http.ResponseWriter, r *http.Request, c *call) error {
	limit := defaultSimilar
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSimilar {
			return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
				fields: map[string]string{"limit": c.l.T("solution.api.bad_limit", maxSimilar)}}
		}
		limit = n
	}
	x, err := s.visibleSolution(r, c)
	if err != nil {
		return err
	}
	matches, err := solution.NewStore(s.db).Similar(r.Context(), x.ID, limit)
	if err != nil {
		return err
	}
	items := make([]similarJSON, len(matches))
	for i, m := range matches {
		items[i] = similarJSON{solutionSummaryJSON: toSolutionSummaryJSON(m.Solution), Score: m.Score,
			Reasons: make([]reasonJSON, len(m.Reasons)), Explanation: solution.Explain(c.l, m.Reasons)}
		for j, rs := range m.Reasons {
			items[i].Reasons[j] = reasonJSON{Code: rs.Code, Values: nonNil(rs.Values), Score: rs.Score}
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

type changeJSON struct {
	At       time.Time `json:"at"`
	Action   string    `json:"action"`
	Fields   []string  `json:"fields"`
	Via      string    `json:"via"`
	UserID   *int64    `json:"user_id"`
	UserName string    `json:"user_name"`
}

// solutionHistory lists who changed a record, when and what: for the
// catalogue's editors.
func (s *Server) solutionHistory(w http.ResponseWriter, r *http.Request, c *call) error {
	if _, err := solution.EditorFor(c.user, solution.ViaAPI); err != nil {
		return err
	}
	x, err := s.visibleSolution(r, c)
	if err != nil {
		return err
	}
	changes, err := solution.NewStore(s.db).History(r.Context(), x.ID)
	if err != nil {
		return err
	}
	items := make([]changeJSON, len(changes))
	for i, ch := range changes {
		items[i] = changeJSON{At: ch.At.UTC(), Action: ch.Action, Fields: nonNil(ch.Fields), Via: ch.Via, UserName: ch.UserName}
		if ch.UserID != 0 {
			id := ch.UserID
			items[i].UserID = &id
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
