package jsonapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// registerMatching lists the routes of country-to-country learning:
// needs, offers, suggestions, matches and the figures of exchanges. All
// are for logged-in members (anonymous callers get 401); brokering is
// checked by the matching store (403 for members who do not broker).
func (s *Server) registerMatching() {
	s.handle("GET /api/v1/needs", member, s.listNeeds)
	s.handle("POST /api/v1/needs", member, s.createNeed)
	s.handle("GET /api/v1/needs/{id}", member, s.getNeed)
	s.handle("PATCH /api/v1/needs/{id}", member, s.patchNeed)
	s.handle("GET /api/v1/needs/{id}/suggestions", member, s.needSuggestions)
	s.handle("GET /api/v1/offers", member, s.listOffers)
	s.handle("POST /api/v1/offers", member, s.createOffer)
	s.handle("GET /api/v1/offers/{id}", member, s.getOffer)
	s.handle("PATCH /api/v1/offers/{id}", member, s.patchOffer)
	s.handle("GET /api/v1/matches", member, s.listMatches)
	s.handle("POST /api/v1/matches", member, s.createMatch)
	s.handle("GET /api/v1/matches/{id}", member, s.getMatch)
	s.handle("POST /api/v1/matches/{id}/stage", member, s.moveMatch)
	s.handle("GET /api/v1/exchanges", member, s.exchangeFigures)
}

// matchingStore is the store, telling institutions' contacts of each step.
func (s *Server) matchingStore() *matching.Store {
	return matching.NewStore(s.db).WithNotifier(&notify.Notifier{BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName})
}

func nonNilInt64s(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// --- Needs ---

type needJSON struct {
	ID             int64      `json:"id"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	Institution    string     `json:"institution"`
	Country        string     `json:"country"`
	SDGs           []int      `json:"sdgs"`
	SDGTargets     []string   `json:"sdg_targets"`
	Topics         []string   `json:"topics"`
	Languages      []string   `json:"languages"`
	Modalities     []string   `json:"modalities"`
	Language       string     `json:"language"`
	Community      *string    `json:"community"`
	TimeframeStart string     `json:"timeframe_start"`
	TimeframeEnd   string     `json:"timeframe_end"`
	Status         string     `json:"status"`
	Author         personJSON `json:"author"`
	URL            string     `json:"url"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

func toNeedJSON(n matching.Need) needJSON {
	j := needJSON{
		ID: n.ID, Title: n.Title, Description: n.Description, Institution: n.Institution, Country: n.Country,
		SDGs: nonNilInts(n.SDGs), SDGTargets: nonNil(n.Targets), Topics: nonNil(n.Topics), Languages: nonNil(n.Languages),
		Modalities: nonNil(n.Modalities), Language: n.Language, TimeframeStart: n.TimeframeStart, TimeframeEnd: n.TimeframeEnd,
		Status: n.Status, Author: personJSON{ID: n.Author.ID, Name: n.Author.Name}, URL: "/needs/" + strconv.FormatInt(n.ID, 10),
		CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.UpdatedAt.UTC(),
	}
	if n.Community != nil {
		slug := n.Community.Slug
		j.Community = &slug
	}
	return j
}

// needInput is the body of POST /api/v1/needs. Institution, country and
// language default to the caller's profile.
type needInput struct {
	Title          string   `json:"title"`
	Description    string   `json:"description"`
	Institution    string   `json:"institution"`
	Country        string   `json:"country"`
	SDGs           []int    `json:"sdgs"`
	SDGTargets     []string `json:"sdg_targets"`
	Topics         []string `json:"topics"`
	Languages      []string `json:"languages"`
	Modalities     []string `json:"modalities"`
	Language       string   `json:"language"`
	Community      string   `json:"community"`
	TimeframeStart string   `json:"timeframe_start"`
	TimeframeEnd   string   `json:"timeframe_end"`
}

func (in needInput) input() matching.NeedInput {
	return matching.NeedInput{
		Details: matching.Details{Title: in.Title, Description: in.Description, Institution: in.Institution, Country: in.Country,
			SDGs: in.SDGs, Targets: in.SDGTargets, Topics: in.Topics, Languages: in.Languages, Modalities: in.Modalities, Language: in.Language},
		Community: in.Community, TimeframeStart: in.TimeframeStart, TimeframeEnd: in.TimeframeEnd,
	}
}

// needPatch is the body of PATCH /api/v1/needs/{id}: fields left out keep
// their value; status closes the need ("closed") or opens it again
// ("open").
type needPatch struct {
	Title          *string   `json:"title"`
	Description    *string   `json:"description"`
	Institution    *string   `json:"institution"`
	Country        *string   `json:"country"`
	SDGs           *[]int    `json:"sdgs"`
	SDGTargets     *[]string `json:"sdg_targets"`
	Topics         *[]string `json:"topics"`
	Languages      *[]string `json:"languages"`
	Modalities     *[]string `json:"modalities"`
	Language       *string   `json:"language"`
	Community      *string   `json:"community"`
	TimeframeStart *string   `json:"timeframe_start"`
	TimeframeEnd   *string   `json:"timeframe_end"`
	Status         *string   `json:"status"`
}

func (p needPatch) apply(in *matching.NeedInput) bool {
	patch(&in.Title, p.Title)
	patch(&in.Description, p.Description)
	patch(&in.Institution, p.Institution)
	patch(&in.Country, p.Country)
	patch(&in.SDGs, p.SDGs)
	patch(&in.Targets, p.SDGTargets)
	patch(&in.Topics, p.Topics)
	patch(&in.Languages, p.Languages)
	patch(&in.Modalities, p.Modalities)
	patch(&in.Language, p.Language)
	patch(&in.Community, p.Community)
	patch(&in.TimeframeStart, p.TimeframeStart)
	patch(&in.TimeframeEnd, p.TimeframeEnd)
	return p.Title != nil || p.Description != nil || p.Institution != nil || p.Country != nil || p.SDGs != nil || p.SDGTargets != nil ||
		p.Topics != nil || p.Languages != nil || p.Modalities != nil || p.Language != nil || p.Community != nil ||
		p.TimeframeStart != nil || p.TimeframeEnd != nil
}

func (s *Server) listNeeds(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	f, err := matching.ParseNeedFilter(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := matching.NewStore(s.db).Needs(r.Context(), c.user, f, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]needJSON, len(list))
	for i, n := range list {
		items[i] = toNeedJSON(n)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

func (s *Server) createNeed(w http.ResponseWriter, r *http.Request, c *call) error {
	var in needInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	n, err := matching.NewStore(s.db).CreateNeed(r.Context(), *c.user, in.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toNeedJSON(n))
}

func (s *Server) getNeed(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := matching.NewStore(s.db).Need(r.Context(), c.user, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toNeedJSON(n))
}

func (s *Server) patchNeed(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var p needPatch
	if err := decode(r, c, &p); err != nil {
		return err
	}
	st := matching.NewStore(s.db)
	n, err := st.Need(r.Context(), c.user, id)
	if err != nil {
		return err
	}
	if p.Status != nil && *p.Status != matching.StatusClosed && *p.Status != matching.StatusOpen {
		return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
			fields: map[string]string{"status": c.l.T("matching.error.status_patch")}}
	}
	in := n.Input()
	if p.apply(&in) {
		if n, err = st.UpdateNeed(r.Context(), *c.user, id, in); err != nil {
			return err
		}
	}
	if p.Status != nil && (*p.Status == matching.StatusClosed) != (n.Status == matching.StatusClosed) {
		if n, err = st.SetNeedClosed(r.Context(), *c.user, id, *p.Status == matching.StatusClosed); err != nil {
			return err
		}
	} else if p.Status != nil {
		// Nothing to change, but the caller must still be allowed to.
		if ok, err := st.CanEditNeed(r.Context(), c.user, n); err != nil {
			return err
		} else if !ok {
			return account.ErrForbidden
		}
	}
	return writeJSON(w, http.StatusOK, toNeedJSON(n))
}

// --- Suggestions ---

type suggestionJSON struct {
	Kind        string       `json:"kind"`
	ID          int64        `json:"id"`
	Title       string       `json:"title"`
	Country     string       `json:"country"`
	Countries   []string     `json:"countries"`
	Institution string       `json:"institution"`
	Score       float64      `json:"score"`
	Reasons     []reasonJSON `json:"reasons"`
	Explanation string       `json:"explanation"`
	URL         string       `json:"url"`
	MatchID     *int64       `json:"match_id,omitempty"`
}

func suggestionURL(x matching.Suggestion) string {
	id := strconv.FormatInt(x.ID, 10)
	switch x.Kind {
	case matching.KindOffer:
		return "/offers/" + id
	case matching.KindSolution:
		return "/solutions/" + id
	}
	return "/members/" + id
}

func (s *Server) needSuggestions(w http.ResponseWriter, r *http.Request, c *call) error {
	limit := matching.DefaultSuggestions
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > matching.MaxSuggestions {
			return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
				fields: map[string]string{"limit": c.l.T("matching.error.limit", matching.MaxSuggestions)}}
		}
		limit = n
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	list, err := matching.NewStore(s.db).Suggest(r.Context(), c.user, id, limit)
	if err != nil {
		return err
	}
	items := make([]suggestionJSON, len(list))
	for i, x := range list {
		j := suggestionJSON{Kind: x.Kind, ID: x.ID, Title: x.Title, Country: x.Country, Countries: nonNil(x.Countries),
			Institution: x.Institution, Score: x.Score, Reasons: make([]reasonJSON, len(x.Reasons)),
			Explanation: matching.Explain(c.l, x.Reasons), URL: suggestionURL(x)}
		for k, rs := range x.Reasons {
			j.Reasons[k] = reasonJSON{Code: rs.Code, Values: nonNil(rs.Values), Score: rs.Score}
		}
		if x.MatchID != 0 {
			mid := x.MatchID
			j.MatchID = &mid
		}
		items[i] = j
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// --- Offers ---

type offerJSON struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Institution string     `json:"institution"`
	Country     string     `json:"country"`
	SDGs        []int      `json:"sdgs"`
	SDGTargets  []string   `json:"sdg_targets"`
	Topics      []string   `json:"topics"`
	Languages   []string   `json:"languages"`
	Modalities  []string   `json:"modalities"`
	Language    string     `json:"language"`
	Capacity    string     `json:"capacity"`
	SolutionIDs []int64    `json:"solution_ids"`
	ResourceIDs []int64    `json:"resource_ids"`
	Status      string     `json:"status"`
	Author      personJSON `json:"author"`
	URL         string     `json:"url"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func toOfferJSON(o matching.Offer) offerJSON {
	return offerJSON{
		ID: o.ID, Title: o.Title, Description: o.Description, Institution: o.Institution, Country: o.Country,
		SDGs: nonNilInts(o.SDGs), SDGTargets: nonNil(o.Targets), Topics: nonNil(o.Topics), Languages: nonNil(o.Languages),
		Modalities: nonNil(o.Modalities), Language: o.Language, Capacity: o.Capacity, SolutionIDs: nonNilInt64s(o.SolutionIDs),
		ResourceIDs: nonNilInt64s(o.ResourceIDs), Status: o.Status, Author: personJSON{ID: o.Author.ID, Name: o.Author.Name},
		URL: "/offers/" + strconv.FormatInt(o.ID, 10), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
	}
}

// offerInput is the body of POST /api/v1/offers.
type offerInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Institution string   `json:"institution"`
	Country     string   `json:"country"`
	SDGs        []int    `json:"sdgs"`
	SDGTargets  []string `json:"sdg_targets"`
	Topics      []string `json:"topics"`
	Languages   []string `json:"languages"`
	Modalities  []string `json:"modalities"`
	Language    string   `json:"language"`
	Capacity    string   `json:"capacity"`
	SolutionIDs []int64  `json:"solution_ids"`
	ResourceIDs []int64  `json:"resource_ids"`
	Status      string   `json:"status"`
}

func (in offerInput) input() matching.OfferInput {
	return matching.OfferInput{
		Details: matching.Details{Title: in.Title, Description: in.Description, Institution: in.Institution, Country: in.Country,
			SDGs: in.SDGs, Targets: in.SDGTargets, Topics: in.Topics, Languages: in.Languages, Modalities: in.Modalities, Language: in.Language},
		Capacity: in.Capacity, SolutionIDs: in.SolutionIDs, ResourceIDs: in.ResourceIDs, Status: in.Status,
	}
}

// offerPatch is the body of PATCH /api/v1/offers/{id}.
type offerPatch struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Institution *string   `json:"institution"`
	Country     *string   `json:"country"`
	SDGs        *[]int    `json:"sdgs"`
	SDGTargets  *[]string `json:"sdg_targets"`
	Topics      *[]string `json:"topics"`
	Languages   *[]string `json:"languages"`
	Modalities  *[]string `json:"modalities"`
	Language    *string   `json:"language"`
	Capacity    *string   `json:"capacity"`
	SolutionIDs *[]int64  `json:"solution_ids"`
	ResourceIDs *[]int64  `json:"resource_ids"`
	Status      *string   `json:"status"`
}

func (p offerPatch) apply(in *matching.OfferInput) {
	patch(&in.Title, p.Title)
	patch(&in.Description, p.Description)
	patch(&in.Institution, p.Institution)
	patch(&in.Country, p.Country)
	patch(&in.SDGs, p.SDGs)
	patch(&in.Targets, p.SDGTargets)
	patch(&in.Topics, p.Topics)
	patch(&in.Languages, p.Languages)
	patch(&in.Modalities, p.Modalities)
	patch(&in.Language, p.Language)
	patch(&in.Capacity, p.Capacity)
	patch(&in.SolutionIDs, p.SolutionIDs)
	patch(&in.ResourceIDs, p.ResourceIDs)
	patch(&in.Status, p.Status)
}

func (s *Server) listOffers(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	f, err := matching.ParseOfferFilter(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := matching.NewStore(s.db).Offers(r.Context(), c.user, f, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]offerJSON, len(list))
	for i, o := range list {
		items[i] = toOfferJSON(o)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

func (s *Server) createOffer(w http.ResponseWriter, r *http.Request, c *call) error {
	var in offerInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	o, err := matching.NewStore(s.db).CreateOffer(r.Context(), *c.user, in.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toOfferJSON(o))
}

func (s *Server) getOffer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := matching.NewStore(s.db).Offer(r.Context(), c.user, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toOfferJSON(o))
}

func (s *Server) patchOffer(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var p offerPatch
	if err := decode(r, c, &p); err != nil {
		return err
	}
	st := matching.NewStore(s.db)
	o, err := st.Offer(r.Context(), c.user, id)
	if err != nil {
		return err
	}
	in := o.Input()
	p.apply(&in)
	if o, err = st.UpdateOffer(r.Context(), *c.user, id, in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toOfferJSON(o))
}

// --- Matches ---

type matchSideJSON struct {
	Kind        string `json:"kind,omitempty"`
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Country     string `json:"country"`
	Institution string `json:"institution"`
}

type partnerJSON struct {
	Name             string `json:"name"`
	Country          string `json:"country"`
	OrganizationType string `json:"organization_type"`
}

type stepJSON struct {
	Stage string     `json:"stage"`
	At    time.Time  `json:"at"`
	Note  string     `json:"note"`
	By    personJSON `json:"by"`
}

type evidenceJSON struct {
	Text        string   `json:"text"`
	Links       []string `json:"links"`
	ResourceIDs []int64  `json:"resource_ids"`
}

type matchJSON struct {
	ID           int64          `json:"id"`
	NeedID       int64          `json:"need_id"`
	OfferID      *int64         `json:"offer_id"`
	SolutionID   *int64         `json:"solution_id"`
	Need         matchSideJSON  `json:"need"`
	Offered      matchSideJSON  `json:"offered"`
	From         string         `json:"from"`
	To           string         `json:"to"`
	Community    *string        `json:"community"`
	Stage        string         `json:"stage"`
	NextStages   []string       `json:"next_stages"`
	Modality     string         `json:"modality"`
	StartsOn     string         `json:"starts_on"`
	EndsOn       string         `json:"ends_on"`
	Participants map[string]int `json:"participants"`
	Partner      *partnerJSON   `json:"partner"`
	Outcome      string         `json:"outcome"`
	Evidence     evidenceJSON   `json:"evidence"`
	Held         bool           `json:"held"`
	SouthSouth   bool           `json:"south_south"`
	Triangular   bool           `json:"triangular"`
	ProposedBy   personJSON     `json:"proposed_by"`
	History      []stepJSON     `json:"history"`
	URL          string         `json:"url"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

func toMatchJSON(m matching.Match) matchJSON {
	j := matchJSON{
		ID: m.ID, NeedID: m.Need.ID,
		Need:    matchSideJSON{ID: m.Need.ID, Title: m.Need.Title, Country: m.Need.Country, Institution: m.Need.Institution},
		Offered: matchSideJSON{Kind: m.Source.Kind, ID: m.Source.ID, Title: m.Source.Title, Country: m.Source.Country, Institution: m.Source.Institution},
		From:    m.From(), To: m.To(), Stage: m.Stage, NextStages: nonNil(m.Next()), Modality: m.Modality, StartsOn: m.StartsOn, EndsOn: m.EndsOn,
		Participants: m.Participants, Outcome: m.Outcome,
		Evidence: evidenceJSON{Text: m.Evidence.Text, Links: nonNil(m.Evidence.Links), ResourceIDs: nonNilInt64s(m.Evidence.ResourceIDs)},
		Held:     m.Held(), SouthSouth: m.SouthSouth(), Triangular: m.Triangular(),
		ProposedBy: personJSON{ID: m.ProposedBy.ID, Name: m.ProposedBy.Name}, History: make([]stepJSON, len(m.History)),
		URL: "/matches/" + strconv.FormatInt(m.ID, 10), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
	id := m.Source.ID
	if m.Source.Kind == matching.KindOffer {
		j.OfferID = &id
	} else {
		j.SolutionID = &id
	}
	if m.Need.Community != nil {
		slug := m.Need.Community.Slug
		j.Community = &slug
	}
	if j.Participants == nil {
		j.Participants = map[string]int{}
	}
	if m.Partner.Name != "" {
		j.Partner = &partnerJSON{Name: m.Partner.Name, Country: m.Partner.Country, OrganizationType: m.Partner.Type}
	}
	for i, st := range m.History {
		j.History[i] = stepJSON{Stage: st.Stage, At: st.At.UTC(), Note: st.Note, By: personJSON{ID: st.By.ID, Name: st.By.Name}}
	}
	return j
}

// matchInput is the body of POST /api/v1/matches.
type matchInput struct {
	NeedID     int64  `json:"need_id"`
	OfferID    int64  `json:"offer_id"`
	SolutionID int64  `json:"solution_id"`
	Country    string `json:"country"`
	Note       string `json:"note"`
}

// evidenceBody is the evidence of a stage change: a text alone, or an
// object with text, links and library resources.
type evidenceBody matching.EvidenceInput

// UnmarshalJSON takes "text" or {"text", "links", "resource_ids"}.
func (e *evidenceBody) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var text string
		if err := json.Unmarshal(b, &text); err != nil {
			return err
		}
		*e = evidenceBody{Text: text}
		return nil
	}
	var full struct {
		Text        string   `json:"text"`
		Links       []string `json:"links"`
		ResourceIDs []int64  `json:"resource_ids"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&full); err != nil {
		return errBadEvidence
	}
	*e = evidenceBody{Text: full.Text, Links: full.Links, ResourceIDs: full.ResourceIDs}
	return nil
}

var errBadEvidence = errors.New("evidence: a text, or an object with text, links and resource_ids")

// stageInput is the body of POST /api/v1/matches/{id}/stage.
type stageInput struct {
	Stage        string         `json:"stage"`
	Note         string         `json:"note"`
	Modality     string         `json:"modality"`
	StartsOn     string         `json:"starts_on"`
	EndsOn       string         `json:"ends_on"`
	Participants map[string]int `json:"participants"`
	Outcome      string         `json:"outcome"`
	Evidence     *evidenceBody  `json:"evidence"`
	Partner      *partnerJSON   `json:"partner"`
}

func (in stageInput) change() matching.StageChange {
	c := matching.StageChange{Stage: in.Stage, Note: in.Note, Modality: in.Modality, StartsOn: in.StartsOn, EndsOn: in.EndsOn,
		Participants: in.Participants, Outcome: in.Outcome}
	if in.Evidence != nil {
		ev := matching.EvidenceInput(*in.Evidence)
		c.Evidence = &ev
	}
	if in.Partner != nil {
		c.Partner = &matching.Partner{Name: in.Partner.Name, Country: in.Partner.Country, Type: in.Partner.OrganizationType}
	}
	return c
}

// decodeStage decodes a stage change; evidence of the wrong shape names
// the field.
func decodeStage(r *http.Request, c *call, in *stageInput) error {
	err := decode(r, c, in)
	if errors.Is(err, errBadEvidence) {
		return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
			fields: map[string]string{"evidence": c.l.T("matching.error.evidence_shape")}}
	}
	return err
}

func (s *Server) listMatches(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	f, err := matching.ParseMatchFilter(r.URL.Query())
	if err != nil {
		return err
	}
	list, total, err := matching.NewStore(s.db).Matches(r.Context(), c.user, f, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]matchJSON, len(list))
	for i, m := range list {
		items[i] = toMatchJSON(m)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

func (s *Server) createMatch(w http.ResponseWriter, r *http.Request, c *call) error {
	var in matchInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	m, err := s.matchingStore().Propose(r.Context(), *c.user, matching.Proposal{
		NeedID: in.NeedID, OfferID: in.OfferID, SolutionID: in.SolutionID, Country: in.Country, Note: in.Note,
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toMatchJSON(m))
}

func (s *Server) getMatch(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := matching.NewStore(s.db).Match(r.Context(), c.user, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toMatchJSON(m))
}

func (s *Server) moveMatch(w http.ResponseWriter, r *http.Request, c *call) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in stageInput
	if err := decodeStage(r, c, &in); err != nil {
		return err
	}
	m, err := s.matchingStore().Move(r.Context(), *c.user, id, in.change())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toMatchJSON(m))
}

// --- Figures ---

type figuresJSON struct {
	matching.Figures
	Community *string `json:"community"`
	From      *string `json:"from"`
	To        *string `json:"to"`
	Held      int     `json:"held"`
	Matches   int     `json:"matches"`
}

// exchangeFigures answers the figures of exchanges of the site or of one
// community (?community=), in a period (?from=&to=): the exchanges block
// of the reports.
func (s *Server) exchangeFigures(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	from, to, err := matching.ParsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	out := figuresJSON{}
	if slug := q.Get("community"); slug != "" {
		cs := community.NewStore(s.db)
		cm, err := cs.BySlug(r.Context(), slug)
		if errors.Is(err, sqldb.ErrNotFound) {
			return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
				fields: map[string]string{"community": c.l.T("matching.error.community_unknown", slug)}}
		}
		if err != nil {
			return err
		}
		v, err := cs.ViewerFor(r.Context(), cm.ID, c.user)
		if err != nil {
			return err
		}
		if !v.CanSee(cm) {
			return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
				fields: map[string]string{"community": c.l.T("matching.error.community_unknown", slug)}}
		}
		if !v.CanRead(cm) {
			return account.ErrForbidden
		}
		if out.Figures, err = matching.CommunityFigures(r.Context(), s.db, cm.ID, from, to); err != nil {
			return err
		}
		out.Community = &cm.Slug
	} else if out.Figures, err = matching.SiteFigures(r.Context(), s.db, from, to); err != nil {
		return err
	}
	if !from.IsZero() {
		f := from.UTC().Format(time.RFC3339)
		out.From = &f
	}
	if !to.IsZero() {
		t := to.UTC().Format(time.RFC3339)
		out.To = &t
	}
	out.Held, out.Matches = out.Figures.Held(), out.Figures.Total()
	return writeJSON(w, http.StatusOK, out)
}
