package jsonapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

func (s *Server) registerEvents() {
	s.handle("POST /api/v1/communities/{slug}/events", member, s.createEvent)
	s.handle("GET /api/v1/communities/{slug}/events", anyone, s.listCommunityEvents)
	s.handle("GET /api/v1/events", anyone, s.listEvents)
	s.handle("GET /api/v1/events/{id}", anyone, s.getEvent)
	s.handle("PATCH /api/v1/events/{id}", member, s.patchEvent)
	s.handle("POST /api/v1/events/{id}/registrations", member, s.createRegistration)
	s.handle("GET /api/v1/events/{id}/registrations", member, s.listRegistrations)
	s.handle("PATCH /api/v1/events/{id}/registrations/{rid}", member, s.patchRegistration)
	s.handle("DELETE /api/v1/events/{id}/registrations/{rid}", member, s.deleteRegistration)
	s.handleUpload("POST /api/v1/events/{id}/attendance", member, s.importAttendance)
	s.handle("GET /api/v1/events/{id}/attendance", member, s.listAttendance)
	s.handle("PUT /api/v1/events/{id}/recording", member, s.putRecording)
	s.handle("GET /api/v1/events/{id}/survey", anyone, s.getSurvey)
	s.handle("PUT /api/v1/events/{id}/survey", member, s.putSurvey)
	s.handle("POST /api/v1/events/{id}/survey/responses", member, s.postSurveyResponse)
	s.handle("GET /api/v1/events/{id}/survey/results", member, s.surveyResults)
	s.handle("POST /api/v1/events/{id}/survey/invitations", member, s.surveyInvitations)
	s.handle("GET /api/v1/events/{id}/report", member, s.eventReport)
}

func (s *Server) eventService() *event.Service {
	return &event.Service{DB: s.db, BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName}
}

// eventCall is the event of the path, its community and the caller's
// standing in it.
type eventCall struct {
	e  event.Listed
	c  community.Community
	cv community.Viewer
}

// event loads the event of the path for a caller allowed to see it: not
// found when the caller may not know of it, forbidden inside a
// members-only community they are not in.
func (s *Server) event(r *http.Request, c *call) (eventCall, error) {
	var ec eventCall
	id, err := pathID(r, "id")
	if err != nil {
		return ec, err
	}
	if ec.e, err = event.NewStore(s.db).Listed(r.Context(), id); err != nil {
		return ec, err
	}
	st := community.NewStore(s.db)
	if ec.c, err = st.ByID(r.Context(), ec.e.CommunityID); err != nil {
		return ec, err
	}
	if ec.cv, err = st.ViewerFor(r.Context(), ec.c.ID, c.user); err != nil {
		return ec, err
	}
	return ec, event.Check(ec.c, ec.cv, ec.e.Event)
}

// managedEvent loads the event of the path for its managers.
func (s *Server) managedEvent(r *http.Request, c *call) (eventCall, error) {
	ec, err := s.event(r, c)
	if err == nil && !ec.cv.CanManage() {
		err = account.ErrForbidden
	}
	return ec, err
}

type speakerJSON struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	Organization string `json:"organization"`
	Country      string `json:"country"`
	Role         string `json:"role"`
}

type materialJSON struct {
	Title      string `json:"title"`
	URL        string `json:"url"`
	ResourceID int64  `json:"resource_id,omitempty"`
}

type questionJSON struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Type     string   `json:"type"`
	Options  []string `json:"options"`
	Required bool     `json:"required"`
}

// eventJSON is an event as the API shows it. The join link appears only to
// its registrants with a seat and to managers.
type eventJSON struct {
	ID                      int64          `json:"id"`
	Community               string         `json:"community"`
	Title                   string         `json:"title"`
	Description             string         `json:"description"`
	Language                string         `json:"language"`
	Kind                    string         `json:"kind"`
	Status                  string         `json:"status"`
	StartsAt                time.Time      `json:"starts_at"`
	EndsAt                  time.Time      `json:"ends_at"`
	Timezone                string         `json:"timezone"`
	Languages               []string       `json:"languages"`
	InterpretationLanguages []string       `json:"interpretation_languages"`
	JoinURL                 *string        `json:"join_url,omitempty"`
	Capacity                int            `json:"capacity"`
	RegistrationDeadline    *time.Time     `json:"registration_deadline"`
	CertificateShare        int            `json:"certificate_share"`
	Questions               []questionJSON `json:"questions"`
	Speakers                []speakerJSON  `json:"speakers"`
	Materials               []materialJSON `json:"materials"`
	RecordingURL            string         `json:"recording_url"`
	RecordingViews          int            `json:"recording_views"`
	Registered              int            `json:"registered"`
	Waitlisted              int            `json:"waitlisted"`
	Sequence                int            `json:"sequence"`
	URL                     string         `json:"url"`
	CalendarURL             string         `json:"calendar_url"`
	CreatedAt               time.Time      `json:"created_at"`
	UpdatedAt               time.Time      `json:"updated_at"`
}

func (s *Server) eventURL(id int64) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/events/" + strconv.FormatInt(id, 10)
}

func (s *Server) toEventJSON(l event.Listed, showJoin bool) eventJSON {
	e := l.Event
	j := eventJSON{ID: e.ID, Community: l.CommunitySlug, Title: e.Title, Description: e.Description, Language: e.Language, Kind: e.Kind,
		Status: e.Status, StartsAt: e.StartsAt.UTC(), EndsAt: e.EndsAt.UTC(), Timezone: e.TimeZone, Languages: nonNil(e.Languages),
		InterpretationLanguages: nonNil(e.Interpretation), Capacity: e.Capacity, CertificateShare: e.CertificateShare,
		Questions: []questionJSON{}, Speakers: []speakerJSON{}, Materials: []materialJSON{}, RecordingURL: e.RecordingURL,
		RecordingViews: e.RecordingViews, Registered: e.Registered, Waitlisted: e.Waitlisted, Sequence: e.Sequence,
		URL: s.eventURL(e.ID), CalendarURL: s.eventURL(e.ID) + ".ics", CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
	if showJoin {
		join := e.JoinURL
		j.JoinURL = &join
	}
	if d := e.RegistrationDeadline; d != nil {
		t := d.UTC()
		j.RegistrationDeadline = &t
	}
	for _, q := range e.Questions {
		j.Questions = append(j.Questions, questionJSON{ID: q.Key, Text: q.Text, Type: q.Type, Options: nonNil(q.Options), Required: q.Required})
	}
	for _, sp := range e.Speakers {
		j.Speakers = append(j.Speakers, speakerJSON{Name: sp.Name, Title: sp.Title, Organization: sp.Organization, Country: sp.Country, Role: sp.Role})
	}
	for _, m := range e.Materials {
		j.Materials = append(j.Materials, materialJSON{Title: m.Title, URL: m.URL, ResourceID: m.ResourceID})
	}
	return j
}

// eventItemJSON is an event in a list.
type eventItemJSON struct {
	ID        int64     `json:"id"`
	Community string    `json:"community"`
	Title     string    `json:"title"`
	Kind      string    `json:"kind"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Timezone  string    `json:"timezone"`
	Languages []string  `json:"languages"`
	Status    string    `json:"status"`
	URL       string    `json:"url"`
}

func (s *Server) toEventItems(list []event.Listed) []eventItemJSON {
	items := make([]eventItemJSON, len(list))
	for i, l := range list {
		items[i] = eventItemJSON{ID: l.ID, Community: l.CommunitySlug, Title: l.Title, Kind: l.Kind, StartsAt: l.StartsAt.UTC(), EndsAt: l.EndsAt.UTC(),
			Timezone: l.TimeZone, Languages: nonNil(l.Languages), Status: l.Status, URL: s.eventURL(l.ID)}
	}
	return items
}

// eventInput is the body that creates or changes an event; on PATCH,
// fields left out keep their value. registration_deadline may be null or
// empty to remove it.
type eventInput struct {
	Title                   *string         `json:"title"`
	Description             *string         `json:"description"`
	Language                *string         `json:"language"`
	Kind                    *string         `json:"kind"`
	Status                  *string         `json:"status"`
	StartsAt                *string         `json:"starts_at"`
	EndsAt                  *string         `json:"ends_at"`
	Timezone                *string         `json:"timezone"`
	Languages               *[]string       `json:"languages"`
	InterpretationLanguages *[]string       `json:"interpretation_languages"`
	JoinURL                 *string         `json:"join_url"`
	Capacity                *int            `json:"capacity"`
	RegistrationDeadline    json.RawMessage `json:"registration_deadline"`
	CertificateShare        *int            `json:"certificate_share"`
	Questions               *[]questionJSON `json:"questions"`
	Speakers                *[]speakerJSON  `json:"speakers"`
	Materials               *[]materialJSON `json:"materials"`
}

// apply sets the fields given on to, and reports the times it could not
// read.
func (in eventInput) apply(to event.Input) (event.Input, error) {
	var e validation.Error
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	str(&to.Title, in.Title)
	str(&to.Description, in.Description)
	str(&to.Language, in.Language)
	str(&to.Kind, in.Kind)
	str(&to.Status, in.Status)
	str(&to.TimeZone, in.Timezone)
	str(&to.JoinURL, in.JoinURL)
	moment := func(field string, v *string, dst *time.Time) {
		if v == nil {
			return
		}
		t, ok := event.ParseTime(*v)
		if !ok {
			e.Add(field, "error.datetime")
			return
		}
		*dst = t
	}
	moment("starts_at", in.StartsAt, &to.StartsAt)
	moment("ends_at", in.EndsAt, &to.EndsAt)
	if len(in.RegistrationDeadline) > 0 {
		var d *string
		if err := json.Unmarshal(in.RegistrationDeadline, &d); err != nil {
			e.Add("registration_deadline", "error.datetime")
		} else if d == nil || *d == "" {
			to.RegistrationDeadline = time.Time{}
		} else {
			moment("registration_deadline", d, &to.RegistrationDeadline)
		}
	}
	if in.Languages != nil {
		to.Languages = *in.Languages
	}
	if in.InterpretationLanguages != nil {
		to.Interpretation = *in.InterpretationLanguages
	}
	if in.Capacity != nil {
		to.Capacity = *in.Capacity
	}
	if in.CertificateShare != nil {
		to.CertificateShare = *in.CertificateShare
		if to.CertificateShare == 0 {
			to.CertificateShare = -1 // 0 is not a share: say so rather than reset it silently
		}
	}
	if in.Questions != nil {
		to.Questions = nil
		for _, q := range *in.Questions {
			to.Questions = append(to.Questions, event.Question{Key: q.ID, Text: q.Text, Type: q.Type, Options: q.Options, Required: q.Required})
		}
	}
	if in.Speakers != nil {
		to.Speakers = nil
		for _, sp := range *in.Speakers {
			to.Speakers = append(to.Speakers, event.Speaker{Name: sp.Name, Title: sp.Title, Organization: sp.Organization, Country: sp.Country, Role: sp.Role})
		}
	}
	if in.Materials != nil {
		to.Materials = nil
		for _, m := range *in.Materials {
			to.Materials = append(to.Materials, event.Material{Title: m.Title, URL: m.URL, ResourceID: m.ResourceID})
		}
	}
	return to, e.Err()
}

// withDomainErrors adds to the errors of fields the body could not read
// those the domain finds in the rest, so one answer names every problem.
func withDomainErrors(err error, in event.Input) error {
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	if _, derr := in.Validate(); derr != nil {
		if dv, ok := validation.As(derr); ok {
			// Add keeps the first reason: a time that could not be read
			// stays its field's message.
			for name, m := range dv.Fields {
				ve.Add(name, m.Key, m.Args...)
			}
		}
	}
	return ve
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	var body eventInput
	if err := decode(r, c, &body); err != nil {
		return err
	}
	in, err := body.apply(event.Input{})
	if err != nil {
		return withDomainErrors(err, in)
	}
	e, err := s.eventService().Create(r.Context(), com.ID, in, *c.user)
	if err != nil {
		return err
	}
	l, err := event.NewStore(s.db).Listed(r.Context(), e.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toEventJSON(l, true))
}

// eventFilters reads the from, to and kind filters of a list.
func eventFilters(r *http.Request) (event.ListOptions, error) {
	q := r.URL.Query()
	var e validation.Error
	var opt event.ListOptions
	if v := q.Get("from"); v != "" {
		t, ok := event.ParseDay(v, false)
		if !ok {
			e.Add("from", "error.datetime")
		}
		opt.From = t
	}
	if v := q.Get("to"); v != "" {
		t, ok := event.ParseDay(v, true)
		if !ok {
			e.Add("to", "error.datetime")
		}
		opt.To = t
	}
	opt.Kind = e.OneOf("kind", q.Get("kind"), false, event.Kinds...)
	return opt, e.Err()
}

// listCommunityEvents lists a community's events the caller may see,
// newest first.
func (s *Server) listCommunityEvents(w http.ResponseWriter, r *http.Request, c *call) error {
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
	opt, err := eventFilters(r)
	if err != nil {
		return err
	}
	opt.CommunityID, opt.Drafts, opt.Limit, opt.Offset = com.ID, v.CanManage(), perPage, (page-1)*perPage
	list, total, err := event.NewStore(s.db).List(r.Context(), opt)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(s.toEventItems(list), total, page, perPage))
}

// listEvents lists the events the caller may see across communities:
// newest first, or with when=upcoming the coming ones, soonest first.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	opt, err := eventFilters(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var e validation.Error
	opt.When = e.OneOf("when", q.Get("when"), false, event.Upcoming, event.Past)
	if l := q.Get("language"); l != "" {
		if !taxonomy.ValidLanguage(l) {
			e.Add("language", "error.language", l)
		}
		opt.Language = strings.ToLower(l)
	}
	if g := q.Get("sdg"); g != "" {
		n, err := strconv.Atoi(g)
		if err != nil || !taxonomy.ValidGoal(n) {
			e.Add("sdg", "error.sdg")
		}
		opt.SDG = n
	}
	if err := e.Err(); err != nil {
		return err
	}
	opt.Reader, opt.Limit, opt.Offset = c.user, perPage, (page-1)*perPage
	list, total, err := event.NewStore(s.db).List(r.Context(), opt)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(s.toEventItems(list), total, page, perPage))
}

// showJoin reports whether the caller may see the event's join link: its
// managers and its registrants with a seat.
func (s *Server) showJoin(r *http.Request, c *call, ec eventCall) (bool, error) {
	if ec.cv.CanManage() {
		return true, nil
	}
	if c.user == nil {
		return false, nil
	}
	reg, err := event.NewStore(s.db).ForUser(r.Context(), ec.e.ID, *c.user)
	if errors.Is(err, sqldb.ErrNotFound) {
		return false, nil
	}
	return err == nil && reg.Status == event.StatusRegistered, err
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.event(r, c)
	if err != nil {
		return err
	}
	join, err := s.showJoin(r, c, ec)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toEventJSON(ec.e, join))
}

func (s *Server) patchEvent(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	var body eventInput
	if err := decode(r, c, &body); err != nil {
		return err
	}
	in, err := body.apply(event.InputOf(ec.e.Event))
	if err != nil {
		return withDomainErrors(err, in)
	}
	if _, err := s.eventService().Update(r.Context(), ec.e.ID, in); err != nil {
		return err
	}
	l, err := event.NewStore(s.db).Listed(r.Context(), ec.e.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toEventJSON(l, true))
}

// registrationJSON is a registration as the API shows it.
type registrationJSON struct {
	ID               int64               `json:"id"`
	EventID          int64               `json:"event_id"`
	Name             string              `json:"name"`
	Email            string              `json:"email"`
	Country          string              `json:"country"`
	Organization     string              `json:"organization"`
	OrganizationType string              `json:"organization_type"`
	Status           string              `json:"status"`
	WaitlistPosition *int                `json:"waitlist_position"`
	Answers          map[string][]string `json:"answers"`
	Source           string              `json:"source"`
	RegisteredAt     time.Time           `json:"registered_at"`
	CancelledAt      *time.Time          `json:"cancelled_at"`
	URL              string              `json:"url,omitempty"`
}

// toRegistrationJSON shows a registration; withLink adds the personal link,
// for the person themselves.
func (s *Server) toRegistrationJSON(reg event.Registration, withLink bool) registrationJSON {
	j := registrationJSON{ID: reg.ID, EventID: reg.EventID, Name: reg.Name, Email: reg.Email, Country: reg.Country, Organization: reg.Organization,
		OrganizationType: reg.OrganizationType, Status: reg.Status, Answers: reg.Answers, Source: reg.Source, RegisteredAt: reg.RegisteredAt.UTC(),
		CancelledAt: reg.CancelledAt}
	if reg.Status == event.StatusWaitlisted {
		pos := reg.WaitlistPosition
		j.WaitlistPosition = &pos
	}
	if withLink {
		j.URL = strings.TrimRight(s.cfg.BaseURL, "/") + "/registrations/" + reg.Token
	}
	return j
}

// registrationInput is the body of a registration. answers holds, for each
// custom question id, a string, a list of strings (multiple choice) or a
// boolean (yes/no).
type registrationInput struct {
	Name             *string                    `json:"name"`
	Email            *string                    `json:"email"`
	Country          *string                    `json:"country"`
	Organization     *string                    `json:"organization"`
	OrganizationType *string                    `json:"organization_type"`
	Language         string                     `json:"language"`
	Answers          map[string]json.RawMessage `json:"answers"`
	Status           string                     `json:"status"`
	RegisteredAt     string                     `json:"registered_at"`
}

// answerValues turns JSON answers into the values a form would send: a
// string, each string of a list, a number as written, true or false as
// yes or no. Anything else is a field error.
func answerValues(raw map[string]json.RawMessage, field string) (map[string][]string, error) {
	var e validation.Error
	out := map[string][]string{}
	for k, v := range raw {
		var s string
		var list []string
		var n json.Number
		var b bool
		switch {
		case json.Unmarshal(v, &s) == nil:
			out[k] = []string{s}
		case json.Unmarshal(v, &list) == nil:
			out[k] = list
		case json.Unmarshal(v, &b) == nil:
			out[k] = []string{map[bool]string{true: "yes", false: "no"}[b]}
		case json.Unmarshal(v, &n) == nil:
			out[k] = []string{n.String()}
		default:
			e.Add(field+"."+k, "api.bad_answer")
		}
	}
	return out, e.Err()
}

func (in registrationInput) registration(base event.NewRegistration) (event.NewRegistration, error) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	str(&base.Name, in.Name)
	str(&base.Email, in.Email)
	str(&base.Country, in.Country)
	str(&base.Organization, in.Organization)
	str(&base.OrganizationType, in.OrganizationType)
	if in.Language != "" {
		base.Language = in.Language
	}
	base.Status = in.Status
	if in.RegisteredAt != "" {
		t, ok := event.ParseDay(in.RegisteredAt, false)
		if !ok {
			return base, validation.Field("registered_at", "error.datetime")
		}
		base.RegisteredAt = t
	}
	if in.Answers != nil {
		answers, err := answerValues(in.Answers, "answers")
		if err != nil {
			return base, err
		}
		base.Answers = answers
	}
	return base, nil
}

// createRegistration registers someone. Managers register anyone, at any
// time (history), with a status and date if they wish; others register
// themselves only, with their own address, while registration is open.
func (s *Server) createRegistration(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.event(r, c)
	if err != nil {
		return err
	}
	var body registrationInput
	if err := decode(r, c, &body); err != nil {
		return err
	}
	manager := ec.cv.CanManage()
	base := event.NewRegistration{Language: c.l.Lang()}
	if !manager {
		if body.Email != nil && validation.NormalizeEmail(*body.Email) != c.user.Email || body.Status != "" || body.RegisteredAt != "" {
			return account.ErrForbidden
		}
		u := c.user
		base = event.NewRegistration{Name: u.Name, Email: u.Email, Country: u.Country, Organization: u.Organization,
			OrganizationType: u.OrganizationType, Language: c.l.Lang()}
	}
	in, err := body.registration(base)
	if err != nil {
		return err
	}
	reg, err := s.eventService().Register(r.Context(), ec.e.Event, in, event.By{User: c.user, Manager: manager})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toRegistrationJSON(reg, !manager || reg.Email == c.user.Email))
}

func (s *Server) listRegistrations(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	var e validation.Error
	status := e.OneOf("status", r.URL.Query().Get("status"), false, append([]string{"all"}, event.RegistrationStatuses...)...)
	if err := e.Err(); err != nil {
		return err
	}
	list, total, err := event.NewStore(s.db).Registrations(r.Context(), ec.e.ID, event.RegistrationsOptions{Status: status, Limit: perPage, Offset: (page - 1) * perPage})
	if err != nil {
		return err
	}
	items := make([]registrationJSON, len(list))
	for i, reg := range list {
		items[i] = s.toRegistrationJSON(reg, false)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

func (s *Server) registrationOf(r *http.Request, ec eventCall) (event.Registration, error) {
	id, err := pathID(r, "rid")
	if err != nil {
		return event.Registration{}, err
	}
	return event.NewStore(s.db).Registration(r.Context(), ec.e.ID, id)
}

// patchRegistration changes a registration on a manager's behalf; status
// cancelled cancels it (the waiting list moves up).
func (s *Server) patchRegistration(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	reg, err := s.registrationOf(r, ec)
	if err != nil {
		return err
	}
	var body registrationInput
	if err := decode(r, c, &body); err != nil {
		return err
	}
	status := body.Status
	body.Status = ""
	in, err := body.registration(event.NewRegistration{Name: reg.Name, Email: reg.Email, Country: reg.Country, Organization: reg.Organization,
		OrganizationType: reg.OrganizationType, Language: reg.Language, Answers: reg.Answers})
	if err != nil {
		return err
	}
	reg, err = s.eventService().UpdateRegistration(r.Context(), ec.e.Event, reg.ID, in, status)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toRegistrationJSON(reg, false))
}

// deleteRegistration removes a registration (a manager), or cancels the
// caller's own.
func (s *Server) deleteRegistration(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.event(r, c)
	if err != nil {
		return err
	}
	reg, err := s.registrationOf(r, ec)
	if err != nil {
		return err
	}
	switch {
	case ec.cv.CanManage():
		err = s.eventService().RemoveRegistration(r.Context(), ec.e.Event, reg.ID)
	case reg.Email == c.user.Email:
		err = s.eventService().Cancel(r.Context(), ec.e.Event, reg.ID, event.By{User: c.user})
	default:
		return account.ErrForbidden
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// importAttendance reads a participants report, sent as the body itself
// (as Zoom or Teams export it) or as the part named file of a multipart
// form, and answers what it read.
func (s *Server) importAttendance(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	const limit = event.MaxReportBytes
	if r.ContentLength > limit+1<<20 {
		return &http.MaxBytesError{Limit: limit}
	}
	var data []byte
	name := ""
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
		mr, err := r.MultipartReader()
		if err != nil {
			return &requestError{code: "malformed_body", message: c.l.T("api.bad_multipart")}
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return validation.Field("file", "error.required")
			}
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					return &http.MaxBytesError{Limit: limit}
				}
				return &requestError{code: "malformed_body", message: c.l.T("api.bad_multipart")}
			}
			if part.FormName() == "file" {
				name = part.FileName()
				data, err = io.ReadAll(io.LimitReader(part, limit+1))
				if err != nil {
					return &http.MaxBytesError{Limit: limit}
				}
				break
			}
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			return &requestError{code: "malformed_body", message: c.l.T("api.bad_body")}
		}
	}
	if len(data) > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	res, err := event.NewStore(s.db).ImportAttendance(r.Context(), ec.e.Event, data, name, c.user.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"format": res.Format, "rows": res.Rows, "matched": res.Matched, "unmatched": res.Unmatched, "attendees": res.Attendees})
}

// attendeeJSON is an attendee as the managers' list shows it.
type attendeeJSON struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	Country        string `json:"country"`
	RegistrationID *int64 `json:"registration_id"`
	Minutes        int    `json:"minutes"`
	Sessions       int    `json:"sessions"`
	Certificate    bool   `json:"certificate_eligible"`
}

func (s *Server) listAttendance(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	list, err := event.NewStore(s.db).Attendees(r.Context(), ec.e.Event)
	if err != nil {
		return err
	}
	items := make([]attendeeJSON, len(list))
	for i, a := range list {
		items[i] = attendeeJSON{ID: a.ID, Name: a.Name, Email: a.Email, Country: a.Country, Minutes: a.Seconds / 60, Sessions: a.Sessions,
			Certificate: a.Eligible(ec.e.Event)}
		if a.RegistrationID != 0 {
			id := a.RegistrationID
			items[i].RegistrationID = &id
		}
	}
	return writeJSON(w, http.StatusOK, newList(items, len(items), 1, max(1, len(items))))
}

func (s *Server) putRecording(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	var body struct {
		URL   string `json:"url"`
		Views int    `json:"views"`
	}
	if err := decode(r, c, &body); err != nil {
		return err
	}
	if err := event.NewStore(s.db).SetRecording(r.Context(), ec.e.ID, body.URL, body.Views); err != nil {
		return err
	}
	e, err := event.NewStore(s.db).ByID(r.Context(), ec.e.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"url": e.RecordingURL, "views": e.RecordingViews})
}

type surveyQuestionJSON struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Type     string   `json:"type"`
	Options  []string `json:"options"`
	Multiple bool     `json:"multiple"`
	Required bool     `json:"required"`
}

type surveyJSON struct {
	ID        int64                `json:"id"`
	EventID   int64                `json:"event_id"`
	Questions []surveyQuestionJSON `json:"questions"`
	OpenLink  *string              `json:"open_link,omitempty"`
	UpdatedAt time.Time            `json:"updated_at"`
}

func (s *Server) toSurveyJSON(sv survey.Survey, manager bool) surveyJSON {
	j := surveyJSON{ID: sv.ID, EventID: sv.EventID, Questions: []surveyQuestionJSON{}, UpdatedAt: sv.UpdatedAt.UTC()}
	for _, q := range sv.Questions {
		j.Questions = append(j.Questions, surveyQuestionJSON{ID: q.ID, Text: q.Text, Type: q.Type, Options: nonNil(q.Options), Multiple: q.Multiple, Required: q.Required})
	}
	if manager {
		link := ""
		if sv.OpenToken != "" {
			link = strings.TrimRight(s.cfg.BaseURL, "/") + "/surveys/" + sv.OpenToken
		}
		j.OpenLink = &link
	}
	return j
}

func (s *Server) getSurvey(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.event(r, c)
	if err != nil {
		return err
	}
	sv, err := survey.NewStore(s.db).ForEvent(r.Context(), ec.e.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toSurveyJSON(sv, ec.cv.CanManage()))
}

// putSurvey sets the event's survey questions; open_link turns the
// anonymous open link on or off.
func (s *Server) putSurvey(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	var body struct {
		Questions []surveyQuestionJSON `json:"questions"`
		OpenLink  *bool                `json:"open_link"`
	}
	if err := decode(r, c, &body); err != nil {
		return err
	}
	qs := make([]survey.Question, len(body.Questions))
	for i, q := range body.Questions {
		qs[i] = survey.Question{ID: q.ID, Text: q.Text, Type: q.Type, Options: q.Options, Multiple: q.Multiple, Required: q.Required}
	}
	surveys := survey.NewStore(s.db)
	sv, err := surveys.Save(r.Context(), ec.e.ID, qs)
	if err != nil {
		return err
	}
	if body.OpenLink != nil && *body.OpenLink != (sv.OpenToken != "") {
		if sv.OpenToken, err = surveys.SetOpenLink(r.Context(), sv.ID, *body.OpenLink); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, s.toSurveyJSON(sv, true))
}

// postSurveyResponse records answers. Managers enter anyone's (history,
// paper forms), with an optional address and date; an attendee answers
// once for themselves. Likert answers are integers from 1 to 5.
func (s *Server) postSurveyResponse(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.event(r, c)
	if err != nil {
		return err
	}
	var body struct {
		Answers     map[string]json.RawMessage `json:"answers"`
		Email       string                     `json:"email"`
		SubmittedAt string                     `json:"submitted_at"`
	}
	if err := decode(r, c, &body); err != nil {
		return err
	}
	sv, err := survey.NewStore(s.db).ForEvent(r.Context(), ec.e.ID)
	if err != nil {
		return err
	}
	answers, err := answerValues(body.Answers, "answers")
	if err != nil {
		return err
	}
	sub := survey.Submission{Answers: answers}
	if ec.cv.CanManage() {
		var e validation.Error
		sub.Email = e.Email("email", body.Email, false)
		if body.SubmittedAt != "" {
			t, ok := event.ParseDay(body.SubmittedAt, false)
			if !ok {
				e.Add("submitted_at", "error.datetime")
			}
			sub.SubmittedAt = t
		}
		if err := e.Err(); err != nil {
			return err
		}
		sub.Source = survey.SourceManager
	} else {
		if body.Email != "" && validation.NormalizeEmail(body.Email) != c.user.Email || body.SubmittedAt != "" {
			return account.ErrForbidden
		}
		if _, err := event.NewStore(s.db).AttendeeByEmail(r.Context(), ec.e.Event, c.user.Email); errors.Is(err, sqldb.ErrNotFound) {
			return account.ErrForbidden
		} else if err != nil {
			return err
		}
		sub.Email, sub.Source = c.user.Email, survey.SourceMember
	}
	resp, err := survey.NewStore(s.db).Submit(r.Context(), sv, sub)
	if err != nil {
		return err
	}
	out := map[string]any{}
	for _, a := range resp.Answers {
		switch {
		case a.Likert != 0:
			out[a.QuestionID] = a.Likert
		case a.Choices != nil:
			out[a.QuestionID] = a.Choices
		default:
			out[a.QuestionID] = a.Text
		}
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"id": resp.ID, "submitted_at": resp.SubmittedAt.UTC(), "answers": out})
}

type questionResultJSON struct {
	ID           string         `json:"id"`
	Text         string         `json:"text"`
	Type         string         `json:"type"`
	Answered     int            `json:"answered"`
	AgreeShare   *float64       `json:"agree_share"`
	Distribution map[string]int `json:"distribution,omitempty"`
	Texts        []string       `json:"texts,omitempty"`
}

func toQuestionResults(res survey.Results) []questionResultJSON {
	out := []questionResultJSON{}
	for _, q := range res.Questions {
		j := questionResultJSON{ID: q.ID, Text: q.Text, Type: q.Type, Answered: q.Answered}
		if share, ok := q.AgreeShare(); ok {
			j.AgreeShare = &share
		}
		switch q.Type {
		case survey.Likert5:
			j.Distribution = map[string]int{}
			for i, n := range q.Likert {
				j.Distribution[strconv.Itoa(i+1)] = n
			}
		case survey.Choice:
			j.Distribution = map[string]int{}
			for _, o := range q.Options {
				j.Distribution[o.Option] = o.Count
			}
		case survey.Text:
			j.Texts = nonNil(q.Texts)
		}
		out = append(out, j)
	}
	return out
}

// surveyResults answers the survey's results for its managers, with the
// attendees who have not answered.
func (s *Server) surveyResults(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	surveys := survey.NewStore(s.db)
	sv, err := surveys.ForEvent(r.Context(), ec.e.ID)
	if err != nil {
		return err
	}
	res, err := surveys.Results(r.Context(), sv)
	if err != nil {
		return err
	}
	attendees, err := event.NewStore(s.db).Attendees(r.Context(), ec.e.Event)
	if err != nil {
		return err
	}
	answered, err := surveys.RespondedEmails(r.Context(), sv.ID)
	if err != nil {
		return err
	}
	type person struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	missing := []person{}
	for _, a := range attendees {
		if a.Email != "" && !answered[a.Email] {
			missing = append(missing, person{Name: a.Name, Email: a.Email})
		}
	}
	var rate *float64
	if len(attendees) > 0 {
		x := float64(res.Responses) / float64(len(attendees))
		rate = &x
	}
	return writeJSON(w, http.StatusOK, map[string]any{"responses": res.Responses, "attendees": len(attendees), "response_rate": rate,
		"questions": toQuestionResults(res), "not_answered": missing})
}

func (s *Server) surveyInvitations(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	sv, err := survey.NewStore(s.db).ForEvent(r.Context(), ec.e.ID)
	if err != nil {
		return err
	}
	n, err := s.eventService().InviteToSurvey(r.Context(), ec.e.Event, sv)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"sent": n})
}

// reportQuestionJSON is a five-point question of the report.
type reportQuestionJSON struct {
	ID         string   `json:"id"`
	Text       string   `json:"text"`
	AgreeShare *float64 `json:"agree_share"`
}

// eventReportJSON is the per-event report of CONTRACT.md, counted from the
// records on every call, with the funnel besides.
type eventReportJSON struct {
	Registrants         int            `json:"registrants"`
	Attendees           int            `json:"attendees"`
	AttendanceRate      float64        `json:"attendance_rate"`
	RegistrantCountries int            `json:"registrant_countries"`
	AttendeeCountries   int            `json:"attendee_countries"`
	ByCountry           map[string]int `json:"by_country"`
	ByOrganizationType  map[string]int `json:"by_organization_type"`
	RecordingViews      int            `json:"recording_views"`
	Survey              struct {
		Responses int                  `json:"responses"`
		Questions []reportQuestionJSON `json:"questions"`
	} `json:"survey"`
	Funnel struct {
		Registered int `json:"registered"`
		Attended   int `json:"attended"`
		Answered   int `json:"answered"`
		Joined     int `json:"joined"`
	} `json:"funnel"`
}

func (s *Server) eventReport(w http.ResponseWriter, r *http.Request, c *call) error {
	ec, err := s.managedEvent(r, c)
	if err != nil {
		return err
	}
	rep, err := event.NewStore(s.db).Report(r.Context(), ec.e.Event)
	if err != nil {
		return err
	}
	j := eventReportJSON{Registrants: rep.Registrants, Attendees: rep.Attendees, AttendanceRate: rep.AttendanceRate,
		RegistrantCountries: event.DistinctCountries(rep.RegistrantCountries), AttendeeCountries: event.DistinctCountries(rep.AttendeeCountries),
		ByCountry: map[string]int{}, ByOrganizationType: map[string]int{}, RecordingViews: rep.RecordingViews}
	for _, cc := range rep.AttendeeCountries {
		if cc.Value != "" {
			j.ByCountry[cc.Value] = cc.Count
		}
	}
	for _, t := range rep.AttendeeTypes {
		if t.Value != "" {
			j.ByOrganizationType[t.Value] = t.Count
		}
	}
	j.Survey.Responses = rep.Survey.Responses
	j.Survey.Questions = []reportQuestionJSON{}
	for _, q := range rep.Survey.Questions {
		if q.Type != survey.Likert5 {
			continue
		}
		rq := reportQuestionJSON{ID: q.ID, Text: q.Text}
		if share, ok := q.AgreeShare(); ok {
			rq.AgreeShare = &share
		}
		j.Survey.Questions = append(j.Survey.Questions, rq)
	}
	j.Funnel.Registered, j.Funnel.Attended, j.Funnel.Answered, j.Funnel.Joined = rep.Funnel.Registered, rep.Funnel.Attended, rep.Funnel.Answered, rep.Funnel.Joined
	return writeJSON(w, http.StatusOK, j)
}
