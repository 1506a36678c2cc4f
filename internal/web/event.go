package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

const (
	eventsPerPage        = 24
	registrationsPerPage = 100
	countryEvents        = 20
)

// eventVisit is an event of the path with its community and where the
// visitor stands in it.
type eventVisit struct {
	e  event.Listed
	c  community.Community
	cv community.Viewer
}

func (ev eventVisit) path(tab string) string {
	p := "/events/" + strconv.FormatInt(ev.e.ID, 10)
	if tab != "" {
		p += "/" + tab
	}
	return p
}

// eventOf loads the event of the path for a visitor allowed to see it.
func (s *Server) eventOf(r *http.Request, v *visit) (eventVisit, error) {
	return s.eventByID(r, v, r.PathValue("id"))
}

// eventByID loads an event by the id as the path gives it.
func (s *Server) eventByID(r *http.Request, v *visit, raw string) (eventVisit, error) {
	var ev eventVisit
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return ev, sqldb.ErrNotFound
	}
	if ev.e, err = event.NewStore(s.db).Listed(r.Context(), id); err != nil {
		return ev, err
	}
	st := community.NewStore(s.db)
	if ev.c, err = st.ByID(r.Context(), ev.e.CommunityID); err != nil {
		return ev, err
	}
	if ev.cv, err = st.ViewerFor(r.Context(), ev.c.ID, v.user); err != nil {
		return ev, err
	}
	return ev, event.Check(ev.c, ev.cv, ev.e.Event)
}

// managedEvent loads the event of the path for its community's managers.
func (s *Server) managedEvent(r *http.Request, v *visit) (eventVisit, error) {
	ev, err := s.eventOf(r, v)
	if err == nil && !ev.cv.CanManage() {
		err = account.ErrForbidden
	}
	return ev, err
}

func (s *Server) eventService() *event.Service {
	return &event.Service{DB: s.db, BaseURL: s.cfg.BaseURL, SiteName: s.cfg.SiteName}
}

// events is the site-wide list of events the reader may see.
func (s *Server) events(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	page := pageNumber(r)
	p := view.EventListPage{Page: s.pageFor(r, v), When: event.Upcoming, SDGOptions: sdgOptions(v), Languages: contentLanguages(v)}
	if q.Get("when") == event.Past {
		p.When = event.Past
	}
	if k := q.Get("kind"); isOneOf(event.Kinds, k) {
		p.Kind = k
	}
	if l := q.Get("language"); taxonomy.ValidLanguage(l) {
		p.Language = l
	}
	if g, _ := strconv.Atoi(q.Get("sdg")); taxonomy.ValidGoal(g) {
		p.SDG = g
	}
	var err error
	p.Events, p.Total, err = event.NewStore(s.db).List(r.Context(), event.ListOptions{Reader: v.user, When: p.When, Kind: p.Kind,
		Language: p.Language, SDG: p.SDG, Limit: eventsPerPage, Offset: (page - 1) * eventsPerPage})
	if err != nil {
		return err
	}
	p.Pager = pagerFor(r, page, eventsPerPage, p.Total)
	s.render(w, r, http.StatusOK, view.EventList(p))
	return nil
}

func isOneOf(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// communityEvents is a community's events tab: what is coming, and what
// took place, newest first.
func (s *Server) communityEvents(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	st := event.NewStore(s.db)
	page := pageNumber(r)
	p := view.CommunityEventsPage{Page: s.pageFor(r, v), C: c, V: cv}
	if p.Upcoming, _, err = st.List(r.Context(), event.ListOptions{CommunityID: c.ID, Drafts: cv.CanManage(), When: event.Upcoming, Limit: 50}); err != nil {
		return err
	}
	if p.Past, p.PastTotal, err = st.List(r.Context(), event.ListOptions{CommunityID: c.ID, Drafts: cv.CanManage(), When: event.Past,
		Limit: eventsPerPage, Offset: (page - 1) * eventsPerPage}); err != nil {
		return err
	}
	p.Pager = pagerFor(r, page, eventsPerPage, p.PastTotal)
	s.render(w, r, http.StatusOK, view.CommunityEvents(p))
	return nil
}

// communityCalendar is a community's calendar: its events to come and
// those of the past year, without drafts or anything about participants.
func (s *Server) communityCalendar(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.readable(r, v)
	if err != nil {
		return err
	}
	list, _, err := event.NewStore(s.db).List(r.Context(), event.ListOptions{CommunityID: c.ID, From: time.Now().UTC().AddDate(-1, 0, 0), Limit: 1000})
	if err != nil {
		return err
	}
	events := make([]event.Event, len(list))
	for i, l := range list {
		events[i] = l.Event
	}
	writeCalendar(w, c.Slug+"-events", event.Calendar(events, event.CalendarOptions{BaseURL: s.cfg.BaseURL, Name: c.Name}))
	return nil
}

func writeCalendar(w http.ResponseWriter, name string, ics []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`.ics"`)
	w.Write(ics)
}

// eventPage is an event's page, or its calendar file when the path ends
// in .ics.
func (s *Server) eventPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	raw, calendar := strings.CutSuffix(r.PathValue("id"), ".ics")
	ev, err := s.eventByID(r, v, raw)
	if err != nil {
		return err
	}
	if calendar {
		writeCalendar(w, "event-"+strconv.FormatInt(ev.e.ID, 10), event.Calendar([]event.Event{ev.e.Event}, event.CalendarOptions{BaseURL: s.cfg.BaseURL}))
		return nil
	}
	p, err := s.eventPageView(r, v, ev, view.Form{Values: registrantDefaults(v)})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.EventView(p))
	return nil
}

// registrantDefaults fills the registration form from a member's profile.
func registrantDefaults(v *visit) url.Values {
	vals := url.Values{}
	if u := v.user; u != nil {
		vals.Set("name", u.Name)
		vals.Set("email", u.Email)
		vals.Set("country", u.Country)
		vals.Set("organization", u.Organization)
		vals.Set("organization_type", u.OrganizationType)
	}
	return vals
}

func (s *Server) eventPageView(r *http.Request, v *visit, ev eventVisit, f view.Form) (view.EventPageView, error) {
	p := view.EventPageView{Page: s.pageFor(r, v), E: ev.e, C: ev.c, V: ev.cv, Manager: ev.cv.CanManage(), Form: f, Now: time.Now(),
		Countries: view.CountryOptions(v.l.Lang()), OrgTypes: orgTypeOptions(v)}
	if v.user == nil {
		return p, nil
	}
	st := event.NewStore(s.db)
	reg, err := st.ForUser(r.Context(), ev.e.ID, *v.user)
	switch {
	case err == nil:
		p.Registration = &reg
	case !errors.Is(err, sqldb.ErrNotFound):
		return p, err
	}
	a, err := st.AttendeeByEmail(r.Context(), ev.e.Event, v.user.Email)
	switch {
	case err == nil:
		p.Certificate = a.Eligible(ev.e.Event)
	case !errors.Is(err, sqldb.ErrNotFound):
		return p, err
	}
	return p, nil
}

func orgTypeOptions(v *visit) []view.Option {
	var out []view.Option
	for _, t := range taxonomy.OrganizationTypes() {
		out = append(out, view.Option{Value: t, Label: v.l.T("orgtype." + t)})
	}
	return out
}

// registrationFrom reads the registration fields of a form, the answers
// to custom questions under answers.KEY.
func registrationFrom(f url.Values, lang string) event.NewRegistration {
	in := event.NewRegistration{Name: f.Get("name"), Email: f.Get("email"), Country: f.Get("country"), Organization: f.Get("organization"),
		OrganizationType: f.Get("organization_type"), Language: lang, Answers: map[string][]string{}}
	for k, vals := range f {
		if key, ok := strings.CutPrefix(k, "answers."); ok {
			in.Answers[key] = vals
		}
	}
	return in
}

// registerForEvent registers the person who fills in the form, and shows
// them their registration with the calendar file and the join link.
func (s *Server) registerForEvent(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.eventOf(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	lang := v.l.Lang()
	if v.user != nil && v.user.Language != "" {
		lang = v.user.Language
	}
	reg, err := s.eventService().Register(r.Context(), ev.e.Event, registrationFrom(r.PostForm, lang), event.By{User: v.user})
	if err == nil {
		redirect(w, r, "/registrations/"+reg.Token, "event_"+reg.Status)
		return nil
	}
	status := http.StatusBadRequest
	if ve, ok := validation.As(err); ok && ve.Conflict {
		status = http.StatusConflict
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	p, err := s.eventPageView(r, v, ev, f)
	if err != nil {
		return err
	}
	s.render(w, r, status, view.EventView(p))
	return nil
}

// registrationOf loads the registration of a personal link and its event.
func (s *Server) registrationOf(r *http.Request) (event.Registration, event.Listed, error) {
	st := event.NewStore(s.db)
	reg, err := st.ByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return reg, event.Listed{}, err
	}
	l, err := st.Listed(r.Context(), reg.EventID)
	return reg, l, err
}

// linkPageHeaders keep a page reached by a personal link out of caches and
// referrers.
func linkPageHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// registrationPage is a registrant's personal page.
func (s *Server) registrationPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	linkPageHeaders(w)
	reg, l, err := s.registrationOf(r)
	if err != nil {
		return err
	}
	p := view.RegistrationPageView{Page: s.pageFor(r, v), E: l, R: reg, Now: time.Now()}
	if reg.Active() {
		a, err := event.NewStore(s.db).AttendeeForRegistration(r.Context(), l.Event, reg)
		switch {
		case err == nil:
			p.Certificate = a.Eligible(l.Event)
		case !errors.Is(err, sqldb.ErrNotFound):
			return err
		}
		sv, err := survey.NewStore(s.db).ForEvent(r.Context(), l.ID)
		if err == nil {
			inv, err := survey.NewStore(s.db).InvitationFor(r.Context(), sv.ID, reg.Email)
			if err == nil && !inv.Responded {
				p.SurveyURL = "/surveys/" + inv.Token
			}
		}
	}
	s.render(w, r, http.StatusOK, view.RegistrationView(p))
	return nil
}

func (s *Server) cancelRegistration(w http.ResponseWriter, r *http.Request, v *visit) error {
	linkPageHeaders(w)
	reg, l, err := s.registrationOf(r)
	if err != nil {
		return err
	}
	err = s.eventService().Cancel(r.Context(), l.Event, reg.ID, event.By{User: v.user})
	if ve, ok := validation.As(err); ok {
		for _, name := range ve.Names() {
			s.render(w, r, http.StatusConflict, view.Message(view.MessagePage{Page: s.pageFor(r, v), Title: v.l.T("event.cancel_registration"),
				Body: []string{v.l.T(ve.Fields[name].Key, ve.Fields[name].Args...)}, LinkURL: "/registrations/" + reg.Token, LinkText: v.l.T("event.your_registration")}))
			return nil
		}
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/registrations/"+reg.Token, "event_registration_cancelled")
	return nil
}

// registrationCalendar is a registrant's calendar file: with the join link
// once they have a seat.
func (s *Server) registrationCalendar(w http.ResponseWriter, r *http.Request, v *visit) error {
	linkPageHeaders(w)
	reg, l, err := s.registrationOf(r)
	if err != nil {
		return err
	}
	if !reg.Active() {
		return sqldb.ErrNotFound
	}
	writeCalendar(w, "event-"+strconv.FormatInt(l.ID, 10), event.Calendar([]event.Event{l.Event},
		event.CalendarOptions{BaseURL: s.cfg.BaseURL, JoinURL: reg.Status == event.StatusRegistered}))
	return nil
}

func (s *Server) registrationCertificate(w http.ResponseWriter, r *http.Request, v *visit) error {
	linkPageHeaders(w)
	reg, l, err := s.registrationOf(r)
	if err != nil {
		return err
	}
	a, err := event.NewStore(s.db).AttendeeForRegistration(r.Context(), l.Event, reg)
	if err != nil && !errors.Is(err, sqldb.ErrNotFound) {
		return err
	}
	return s.certificate(w, r, v, l.Event, a, err)
}

// myCertificate is a logged-in attendee's certificate.
func (s *Server) myCertificate(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.eventOf(r, v)
	if err != nil {
		return err
	}
	a, err := event.NewStore(s.db).AttendeeByEmail(r.Context(), ev.e.Event, v.user.Email)
	if err != nil && !errors.Is(err, sqldb.ErrNotFound) {
		return err
	}
	return s.certificate(w, r, v, ev.e.Event, a, err)
}

// attendeeCertificate is the certificate of any attendee, for managers.
func (s *Server) attendeeCertificate(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return sqldb.ErrNotFound
	}
	a, err := event.NewStore(s.db).Attendee(r.Context(), ev.e.Event, id)
	if err != nil {
		return err
	}
	return s.certificate(w, r, v, ev.e.Event, a, nil)
}

// certificate issues an attendee's certificate and sends it as a PDF, or
// explains why there is none.
func (s *Server) certificate(w http.ResponseWriter, r *http.Request, v *visit, e event.Event, a event.Attendee, lookup error) error {
	var c event.Certificate
	err := lookup
	if err == nil {
		c, err = event.NewStore(s.db).IssueCertificate(r.Context(), e, a)
	}
	if errors.Is(err, event.ErrNotEligible) || errors.Is(err, sqldb.ErrNotFound) {
		s.render(w, r, http.StatusForbidden, view.Message(view.MessagePage{Page: s.pageFor(r, v), Title: v.l.T("event.certificate.none_title"),
			Body: []string{v.l.T("event.certificate.none", e.CertificateShare)}, LinkURL: "/events/" + strconv.FormatInt(e.ID, 10), LinkText: e.Title}))
		return nil
	}
	if err != nil {
		return err
	}
	pdf, err := event.CertificatePDF(c, v.l, strings.TrimRight(s.cfg.BaseURL, "/")+"/certificates/"+c.Code, s.cfg.SiteName)
	if err != nil {
		return err
	}
	linkPageHeaders(w)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="certificate-`+c.Code+`.pdf"`)
	w.Write(pdf)
	return nil
}

// verifyCertificate lets anyone check a certificate by its code.
func (s *Server) verifyCertificate(w http.ResponseWriter, r *http.Request, v *visit) error {
	code := r.PathValue("code")
	c, err := event.NewStore(s.db).CertificateByCode(r.Context(), code)
	p := view.CertificateCheckPage{Page: s.pageFor(r, v), Code: code}
	switch {
	case err == nil:
		p.Cert = &c
	case errors.Is(err, sqldb.ErrNotFound):
		s.render(w, r, http.StatusNotFound, view.CertificateCheck(p))
		return nil
	default:
		return err
	}
	s.render(w, r, http.StatusOK, view.CertificateCheck(p))
	return nil
}

// Event form rows: each list shows its rows and a few empty ones.
const (
	minSpeakerRows  = 4
	minMaterialRows = 2
	minQuestionRows = 2
	maxFormRows     = 60
)

// eventFormPage builds the create or edit page around a form.
func (s *Server) eventFormPage(r *http.Request, v *visit, c community.Community, cv community.Viewer, e *event.Listed, f view.Form) view.EventFormPage {
	rows := func(prefix string, least int) int {
		n := 0
		for n < maxFormRows {
			found := false
			for k := range f.Values {
				if strings.HasPrefix(k, prefix+"."+strconv.Itoa(n)+".") {
					found = true
					break
				}
			}
			if !found {
				break
			}
			n++
		}
		return max(least, n+2)
	}
	var zones []view.Option
	for _, z := range taxonomy.TimeZones() {
		zones = append(zones, view.Option{Value: z, Label: z})
	}
	return view.EventFormPage{Page: s.pageFor(r, v), C: c, V: cv, Event: e, Form: f,
		Speakers: rows("speakers", minSpeakerRows), Materials: rows("materials", minMaterialRows), Questions: rows("questions", minQuestionRows),
		Languages: contentLanguages(v), Zones: zones, Countries: view.CountryOptions(v.l.Lang())}
}

// eventInputFrom reads the event form. Times are typed in the event's zone;
// problems only the form can have (a date it cannot read) come back as
// errors of their fields, together with the domain's.
func eventInputFrom(f url.Values) (event.Input, *validation.Error) {
	var e validation.Error
	in := event.Input{Title: f.Get("title"), Description: f.Get("description"), Language: f.Get("language"), Kind: f.Get("kind"),
		Status: f.Get("status"), TimeZone: f.Get("timezone"), Languages: f["languages"], Interpretation: f["interpretation_languages"],
		JoinURL: f.Get("join_url")}
	loc := time.UTC
	if taxonomy.ValidTimeZone(in.TimeZone) {
		loc, _ = time.LoadLocation(in.TimeZone)
	}
	day := func(field string) string {
		d := strings.TrimSpace(f.Get(field))
		if d != "" {
			if _, err := time.Parse("2006-01-02", d); err != nil {
				e.Add(field, "event.error.date")
			}
		}
		return d
	}
	clock := func(field string) string {
		c := strings.TrimSpace(f.Get(field))
		if c != "" {
			if _, err := time.Parse("15:04", c); err != nil {
				e.Add(field, "event.error.clock")
			}
		}
		return c
	}
	startDay, startClock, endDay, endClock := day("start_date"), clock("start_time"), day("end_date"), clock("end_time")
	if endDay == "" {
		endDay = startDay
	}
	switch {
	case startDay == "":
		e.Add("start_date", "error.required")
	case startClock == "":
		e.Add("start_time", "error.required")
	default:
		in.StartsAt, _ = event.LocalTime(startDay, startClock, loc)
	}
	if endClock == "" {
		e.Add("end_time", "error.required")
	} else if t, ok := event.LocalTime(endDay, endClock, loc); ok {
		in.EndsAt = t
	}
	if d := day("deadline_date"); d != "" {
		c := clock("deadline_time")
		if c == "" {
			c = "23:59"
		}
		in.RegistrationDeadline, _ = event.LocalTime(d, c, loc)
	}
	number := func(field string) int {
		s := strings.TrimSpace(f.Get(field))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			e.Add(field, "event.error.number")
		}
		return n
	}
	in.Capacity, in.CertificateShare = number("capacity"), number("certificate_share")
	for i := 0; i < maxFormRows; i++ {
		pre := "speakers." + strconv.Itoa(i) + "."
		if _, ok := f[pre+"name"]; !ok {
			break
		}
		in.Speakers = append(in.Speakers, event.Speaker{Role: f.Get(pre + "role"), Name: f.Get(pre + "name"), Title: f.Get(pre + "title"),
			Organization: f.Get(pre + "organization"), Country: f.Get(pre + "country")})
	}
	for i := 0; i < maxFormRows; i++ {
		pre := "materials." + strconv.Itoa(i) + "."
		if _, ok := f[pre+"title"]; !ok {
			break
		}
		rid, _ := strconv.ParseInt(f.Get(pre+"resource_id"), 10, 64)
		in.Materials = append(in.Materials, event.Material{Title: f.Get(pre + "title"), URL: f.Get(pre + "url"), ResourceID: rid})
	}
	for i := 0; i < maxFormRows; i++ {
		pre := "questions." + strconv.Itoa(i) + "."
		if _, ok := f[pre+"id"]; !ok {
			break
		}
		in.Questions = append(in.Questions, event.Question{Key: f.Get(pre + "id"), Text: f.Get(pre + "text"), Type: f.Get(pre + "type"),
			Required: f.Get(pre+"required") != "", Options: optionLines(f.Get(pre + "options"))})
	}
	return in, &e
}

func optionLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// checkEventForm validates a form's input once, with the form's own
// problems, and names each error after the form's field.
func checkEventForm(in event.Input, formErr *validation.Error) error {
	_, err := in.Validate()
	if ve, ok := validation.As(err); ok {
		for name, m := range ve.Fields {
			switch name {
			case "starts_at":
				name = "start_date"
			case "ends_at":
				name = "end_time"
			case "registration_deadline":
				name = "deadline_date"
			}
			formErr.Add(name, m.Key, m.Args...)
		}
	}
	return formErr.Err()
}

// eventValues fills the event form from an event, times in its zone.
func eventValues(e event.Event) url.Values {
	loc := e.Location()
	start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
	vals := url.Values{"title": {e.Title}, "description": {e.Description}, "language": {e.Language}, "kind": {e.Kind}, "status": {e.Status},
		"timezone": {e.TimeZone}, "start_date": {start.Format("2006-01-02")}, "start_time": {start.Format("15:04")},
		"end_date": {end.Format("2006-01-02")}, "end_time": {end.Format("15:04")}, "languages": e.Languages,
		"interpretation_languages": e.Interpretation, "join_url": {e.JoinURL}, "certificate_share": {strconv.Itoa(e.CertificateShare)}}
	if e.Capacity > 0 {
		vals.Set("capacity", strconv.Itoa(e.Capacity))
	}
	if d := e.RegistrationDeadline; d != nil {
		vals.Set("deadline_date", d.In(loc).Format("2006-01-02"))
		vals.Set("deadline_time", d.In(loc).Format("15:04"))
	}
	for i, sp := range e.Speakers {
		pre := "speakers." + strconv.Itoa(i) + "."
		vals.Set(pre+"role", sp.Role)
		vals.Set(pre+"name", sp.Name)
		vals.Set(pre+"title", sp.Title)
		vals.Set(pre+"organization", sp.Organization)
		vals.Set(pre+"country", sp.Country)
	}
	for i, m := range e.Materials {
		pre := "materials." + strconv.Itoa(i) + "."
		vals.Set(pre+"title", m.Title)
		vals.Set(pre+"url", m.URL)
		if m.ResourceID != 0 {
			vals.Set(pre+"resource_id", strconv.FormatInt(m.ResourceID, 10))
		}
	}
	for i, q := range e.Questions {
		pre := "questions." + strconv.Itoa(i) + "."
		vals.Set(pre+"id", q.Key)
		vals.Set(pre+"text", q.Text)
		vals.Set(pre+"type", q.Type)
		vals.Set(pre+"options", strings.Join(q.Options, "\n"))
		if q.Required {
			vals.Set(pre+"required", "1")
		}
	}
	return vals
}

func (s *Server) newEventForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	tz := v.user.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	f := view.Form{Values: url.Values{"language": {v.l.Lang()}, "kind": {event.Webinar}, "status": {event.Published}, "timezone": {tz},
		"certificate_share": {strconv.Itoa(event.DefaultCertificate)}, "languages": {v.l.Lang()}}}
	s.render(w, r, http.StatusOK, view.EventForm(s.eventFormPage(r, v, c, cv, nil, f)))
	return nil
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, formErr := eventInputFrom(r.PostForm)
	err = checkEventForm(in, formErr)
	var e event.Event
	if err == nil {
		e, err = s.eventService().Create(r.Context(), c.ID, in, *v.user)
	}
	if err == nil {
		redirect(w, r, "/events/"+strconv.FormatInt(e.ID, 10), "event_created")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.EventForm(s.eventFormPage(r, v, c, cv, nil, f)))
	return nil
}

func (s *Server) editEventForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.EventForm(s.eventFormPage(r, v, ev.c, ev.cv, &ev.e, view.Form{Values: eventValues(ev.e.Event)})))
	return nil
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, formErr := eventInputFrom(r.PostForm)
	err = checkEventForm(in, formErr)
	if err == nil {
		_, err = s.eventService().Update(r.Context(), ev.e.ID, in)
	}
	if err == nil {
		redirect(w, r, ev.path(""), "event_saved")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.EventForm(s.eventFormPage(r, v, ev.c, ev.cv, &ev.e, f)))
	return nil
}

func statusOptions(v *visit) []view.Option {
	return []view.Option{{Value: event.StatusRegistered, Label: v.l.T("event.registration_status.registered")},
		{Value: event.StatusWaitlisted, Label: v.l.T("event.registration_status.waitlisted")}}
}

func (s *Server) registrationsPage(r *http.Request, v *visit, ev eventVisit, add view.Form) (view.EventRegistrationsPage, error) {
	status := r.URL.Query().Get("status")
	if status != "" && !isOneOf(event.RegistrationStatuses, status) {
		status = ""
	}
	page := pageNumber(r)
	st := event.NewStore(s.db)
	p := view.EventRegistrationsPage{Page: s.pageFor(r, v), E: ev.e, Status: status, AddForm: add, Picked: event.DefaultExportColumns,
		Countries: view.CountryOptions(v.l.Lang()), OrgTypes: orgTypeOptions(v), Statuses: statusOptions(v), Attended: map[int64]event.Attendee{}}
	var err error
	if p.Regs, p.Total, err = st.Registrations(r.Context(), ev.e.ID, event.RegistrationsOptions{Status: status, Limit: registrationsPerPage,
		Offset: (page - 1) * registrationsPerPage}); err != nil {
		return p, err
	}
	attendees, err := st.Attendees(r.Context(), ev.e.Event)
	if err != nil {
		return p, err
	}
	for _, a := range attendees {
		if a.RegistrationID != 0 {
			p.Attended[a.RegistrationID] = a
		}
	}
	for _, c := range event.ExportColumns {
		p.Columns = append(p.Columns, view.Option{Value: c, Label: v.l.T("event.column." + c)})
	}
	for _, q := range ev.e.Questions {
		p.Columns = append(p.Columns, view.Option{Value: "answers." + q.Key, Label: q.Text})
	}
	p.Pager = pagerFor(r, page, registrationsPerPage, p.Total)
	return p, nil
}

func (s *Server) eventRegistrations(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	p, err := s.registrationsPage(r, v, ev, view.Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.EventRegistrations(p))
	return nil
}

// managerRegistration reads the form a manager fills in for someone.
func managerRegistration(f url.Values, lang string) (event.NewRegistration, error) {
	in := registrationFrom(f, lang)
	in.Status = f.Get("status")
	if d := strings.TrimSpace(f.Get("registered_at")); d != "" {
		t, ok := event.ParseDay(d, false)
		if !ok {
			return in, validation.Field("registered_at", "event.error.date")
		}
		in.RegisteredAt = t
	}
	return in, nil
}

func (s *Server) addRegistration(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, err := managerRegistration(r.PostForm, ev.e.Language)
	if err == nil {
		_, err = s.eventService().Register(r.Context(), ev.e.Event, in, event.By{User: v.user, Manager: true})
	}
	if err == nil {
		redirect(w, r, ev.path("registrations"), "event_registration_added")
		return nil
	}
	status := http.StatusBadRequest
	if ve, ok := validation.As(err); ok && ve.Conflict {
		status = http.StatusConflict
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	p, err := s.registrationsPage(r, v, ev, f)
	if err != nil {
		return err
	}
	s.render(w, r, status, view.EventRegistrations(p))
	return nil
}

func (s *Server) registrationOfEvent(r *http.Request, ev eventVisit) (event.Registration, error) {
	id, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	if err != nil {
		return event.Registration{}, sqldb.ErrNotFound
	}
	return event.NewStore(s.db).Registration(r.Context(), ev.e.ID, id)
}

func registrationValues(reg event.Registration) url.Values {
	vals := url.Values{"name": {reg.Name}, "email": {reg.Email}, "country": {reg.Country}, "organization": {reg.Organization},
		"organization_type": {reg.OrganizationType}, "status": {reg.Status}, "registered_at": {reg.RegisteredAt.UTC().Format("2006-01-02")}}
	for k, a := range reg.Answers {
		vals["answers."+k] = a
	}
	return vals
}

func (s *Server) editRegistrationForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	reg, err := s.registrationOfEvent(r, ev)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.RegistrationEdit(view.RegistrationEditPage{Page: s.pageFor(r, v), E: ev.e, R: reg,
		Form: view.Form{Values: registrationValues(reg)}, Countries: view.CountryOptions(v.l.Lang()), OrgTypes: orgTypeOptions(v),
		Statuses: append(statusOptions(v), view.Option{Value: event.StatusCancelled, Label: v.l.T("event.registration_status.cancelled")})}))
	return nil
}

func (s *Server) updateRegistration(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	reg, err := s.registrationOfEvent(r, ev)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, err := managerRegistration(r.PostForm, reg.Language)
	if err == nil {
		_, err = s.eventService().UpdateRegistration(r.Context(), ev.e.Event, reg.ID, in, r.PostForm.Get("status"))
	}
	if err == nil {
		redirect(w, r, ev.path("registrations"), "event_registration_saved")
		return nil
	}
	status := http.StatusBadRequest
	if ve, ok := validation.As(err); ok && ve.Conflict {
		status = http.StatusConflict
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, status, view.RegistrationEdit(view.RegistrationEditPage{Page: s.pageFor(r, v), E: ev.e, R: reg, Form: f,
		Countries: view.CountryOptions(v.l.Lang()), OrgTypes: orgTypeOptions(v),
		Statuses: append(statusOptions(v), view.Option{Value: event.StatusCancelled, Label: v.l.T("event.registration_status.cancelled")})}))
	return nil
}

func (s *Server) removeRegistration(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	reg, err := s.registrationOfEvent(r, ev)
	if err != nil {
		return err
	}
	if err := s.eventService().RemoveRegistration(r.Context(), ev.e.Event, reg.ID); err != nil {
		return err
	}
	redirect(w, r, ev.path("registrations"), "event_registration_removed")
	return nil
}

// exportRegistrations sends the registrations as CSV or XLSX with the
// columns the manager ticked.
func (s *Server) exportRegistrations(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format != "csv" && format != "xlsx" {
		format = "csv"
	}
	t, err := event.NewStore(s.db).RegistrantsTable(r.Context(), ev.e.Event, q["columns"], v.l)
	if ve, ok := validation.As(err); ok {
		p, err := s.registrationsPage(r, v, ev, view.Form{Values: url.Values{}})
		if err != nil {
			return err
		}
		for _, name := range ve.Names() {
			p.Flash = v.l.T(ve.Fields[name].Key, ve.Fields[name].Args...)
		}
		s.render(w, r, http.StatusBadRequest, view.EventRegistrations(p))
		return nil
	}
	if err != nil {
		return err
	}
	return sendTable(w, t, format, fmt.Sprintf("registrations-%d", ev.e.ID), v.l.T("event.tab.registrations"))
}

// sendTable sends a table as a CSV or XLSX download.
func sendTable(w http.ResponseWriter, t event.Table, format, name, sheet string) error {
	var buf bytes.Buffer
	var err error
	if format == "xlsx" {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = event.WriteXLSX(&buf, sheet, t)
	} else {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		err = event.WriteCSV(&buf, t)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) attendancePage(r *http.Request, v *visit, ev eventVisit, importForm, recording view.Form) (view.EventAttendancePage, error) {
	st := event.NewStore(s.db)
	p := view.EventAttendancePage{Page: s.pageFor(r, v), E: ev.e, ImportForm: importForm, RecordingForm: recording, MaxMB: event.MaxReportBytes >> 20,
		Attended: map[int64]bool{}}
	var err error
	if p.Attendees, err = st.Attendees(r.Context(), ev.e.Event); err != nil {
		return p, err
	}
	for _, a := range p.Attendees {
		if a.RegistrationID != 0 {
			p.Attended[a.RegistrationID] = true
		}
	}
	if p.Regs, _, err = st.Registrations(r.Context(), ev.e.ID, event.RegistrationsOptions{Status: event.StatusRegistered, Limit: 500}); err != nil {
		return p, err
	}
	if q := r.URL.Query(); q.Get("done") == "attendance_imported" {
		n := func(k string) int { i, _ := strconv.Atoi(q.Get(k)); return max(0, i) }
		p.Result = &event.ImportResult{Rows: n("rows"), Matched: n("matched"), Unmatched: n("unmatched"), Attendees: n("attendees")}
	}
	return p, nil
}

func recordingValues(e event.Event) url.Values {
	return url.Values{"url": {e.RecordingURL}, "views": {strconv.Itoa(e.RecordingViews)}}
}

func (s *Server) eventAttendance(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	p, err := s.attendancePage(r, v, ev, view.Form{Values: url.Values{}}, view.Form{Values: recordingValues(ev.e.Event)})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.EventAttendance(p))
	return nil
}

// importAttendance takes a participants report from the upload form.
// Nothing of a report with a problem is imported.
func (s *Server) importAttendance(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, event.MaxReportBytes+1<<20)
	var res event.ImportResult
	file, hdr, err := r.FormFile("file")
	if err == nil {
		defer file.Close()
		var data []byte
		if data, err = io.ReadAll(io.LimitReader(file, event.MaxReportBytes+1)); err == nil {
			res, err = event.NewStore(s.db).ImportAttendance(r.Context(), ev.e.Event, data, hdr.Filename, v.user.ID)
		}
	} else if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		err = validation.Field("file", "error.required")
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = validation.Field("file", "event.error.report_too_large", event.MaxReportBytes>>20)
	}
	if err == nil {
		redirect(w, r, fmt.Sprintf("%s?rows=%d&matched=%d&unmatched=%d&attendees=%d", ev.path("attendance"), res.Rows, res.Matched, res.Unmatched, res.Attendees),
			"attendance_imported")
		return nil
	}
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	f := view.Form{Values: url.Values{}, Errors: map[string]string{}}
	for name, m := range ve.Fields {
		f.Errors[name] = v.l.T(m.Key, m.Args...)
	}
	p, err := s.attendancePage(r, v, ev, f, view.Form{Values: recordingValues(ev.e.Event)})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.EventAttendance(p))
	return nil
}

func (s *Server) markAttendance(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	reg, err := s.registrationOfEvent(r, ev)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	present := r.PostForm.Get("present") == "1"
	if !present && r.PostForm.Get("present") != "0" {
		return errBadRequest
	}
	if err := event.NewStore(s.db).MarkAttendance(r.Context(), ev.e.Event, reg.ID, present); err != nil {
		return err
	}
	redirect(w, r, ev.path("attendance"), "attendance_marked")
	return nil
}

func (s *Server) setRecording(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	views := 0
	if vs := strings.TrimSpace(r.PostForm.Get("views")); vs != "" {
		if views, err = strconv.Atoi(vs); err != nil {
			views = -1
		}
	}
	err = event.NewStore(s.db).SetRecording(r.Context(), ev.e.ID, r.PostForm.Get("url"), views)
	if err == nil {
		redirect(w, r, ev.path("attendance"), "recording_saved")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	p, err := s.attendancePage(r, v, ev, view.Form{Values: url.Values{}}, f)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.EventAttendance(p))
	return nil
}

// surveyValues fills the questions form from a survey's questions.
func surveyValues(qs []survey.Question) url.Values {
	vals := url.Values{}
	for i, q := range qs {
		pre := "questions." + strconv.Itoa(i) + "."
		vals.Set(pre+"id", q.ID)
		vals.Set(pre+"text", q.Text)
		vals.Set(pre+"type", q.Type)
		vals.Set(pre+"options", strings.Join(q.Options, "\n"))
		if q.Multiple {
			vals.Set(pre+"multiple", "1")
		}
		if q.Required {
			vals.Set(pre+"required", "1")
		}
	}
	return vals
}

// surveyQuestionsFrom reads the questions form, leaving out empty rows,
// and returns for each question the row it came from.
func surveyQuestionsFrom(f url.Values) ([]survey.Question, []int) {
	var qs []survey.Question
	var rows []int
	for i := 0; i < maxFormRows; i++ {
		pre := "questions." + strconv.Itoa(i) + "."
		if _, ok := f[pre+"id"]; !ok {
			break
		}
		q := survey.Question{ID: f.Get(pre + "id"), Text: f.Get(pre + "text"), Type: f.Get(pre + "type"), Options: optionLines(f.Get(pre + "options")),
			Multiple: f.Get(pre+"multiple") != "", Required: f.Get(pre+"required") != ""}
		if strings.TrimSpace(q.ID+q.Text) == "" && len(q.Options) == 0 {
			continue
		}
		qs = append(qs, q)
		rows = append(rows, i)
	}
	return qs, rows
}

func (s *Server) surveyPage(r *http.Request, v *visit, ev eventVisit, f view.Form) (view.EventSurveyPage, error) {
	p := view.EventSurveyPage{Page: s.pageFor(r, v), E: ev.e, Form: f}
	surveys := survey.NewStore(s.db)
	sv, err := surveys.ForEvent(r.Context(), ev.e.ID)
	switch {
	case errors.Is(err, sqldb.ErrNotFound):
		if len(p.Form.Values) == 0 {
			p.Form.Values = surveyValues(survey.Template(ev.e.Language))
		}
	case err != nil:
		return p, err
	default:
		p.Survey = &sv
		if len(p.Form.Values) == 0 {
			p.Form.Values = surveyValues(sv.Questions)
		}
		if p.Results, err = surveys.Results(r.Context(), sv); err != nil {
			return p, err
		}
		attendees, err := event.NewStore(s.db).Attendees(r.Context(), ev.e.Event)
		if err != nil {
			return p, err
		}
		p.Attendees = len(attendees)
		answered, err := surveys.RespondedEmails(r.Context(), sv.ID)
		if err != nil {
			return p, err
		}
		for _, a := range attendees {
			if a.Email != "" && !answered[a.Email] {
				p.NotAnswered = append(p.NotAnswered, a)
			}
		}
		invs, err := surveys.Invitations(r.Context(), sv.ID)
		if err != nil {
			return p, err
		}
		p.Invited = len(invs)
		if sv.OpenToken != "" {
			p.OpenURL = strings.TrimRight(s.cfg.BaseURL, "/") + "/surveys/" + sv.OpenToken
		}
	}
	n := 0
	for k := range p.Form.Values {
		if rest, ok := strings.CutPrefix(k, "questions."); ok {
			i, _ := strconv.Atoi(strings.SplitN(rest, ".", 2)[0])
			n = max(n, i+1)
		}
	}
	p.Rows = n + 2
	return p, nil
}

func (s *Server) eventSurvey(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	p, err := s.surveyPage(r, v, ev, view.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.EventSurvey(p))
	return nil
}

func (s *Server) saveSurvey(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	qs, rows := surveyQuestionsFrom(r.PostForm)
	_, err = survey.NewStore(s.db).Save(r.Context(), ev.e.ID, qs)
	if err == nil {
		redirect(w, r, ev.path("survey"), "survey_saved")
		return nil
	}
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	// Errors name the question's place among those kept; the form names
	// its row.
	f := view.Form{Values: r.PostForm, Errors: map[string]string{}}
	for name, m := range ve.Fields {
		if rest, ok := strings.CutPrefix(name, "questions."); ok {
			parts := strings.SplitN(rest, ".", 2)
			if i, err := strconv.Atoi(parts[0]); err == nil && i < len(rows) && len(parts) == 2 {
				name = "questions." + strconv.Itoa(rows[i]) + "." + parts[1]
			}
		}
		f.Errors[name] = v.l.T(m.Key, m.Args...)
	}
	p, err := s.surveyPage(r, v, ev, f)
	if err != nil {
		return err
	}
	status := http.StatusBadRequest
	if ve.Conflict {
		status = http.StatusConflict
	}
	s.render(w, r, status, view.EventSurvey(p))
	return nil
}

func (s *Server) inviteSurvey(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	sv, err := survey.NewStore(s.db).ForEvent(r.Context(), ev.e.ID)
	if err != nil {
		return err
	}
	n, err := s.eventService().InviteToSurvey(r.Context(), ev.e.Event, sv)
	if err != nil {
		return err
	}
	done := "survey_invited"
	if n == 0 {
		done = "survey_invited_none"
	}
	redirect(w, r, ev.path("survey"), done)
	return nil
}

func (s *Server) surveyOpenLink(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	surveys := survey.NewStore(s.db)
	sv, err := surveys.ForEvent(r.Context(), ev.e.ID)
	if err != nil {
		return err
	}
	if _, err := surveys.SetOpenLink(r.Context(), sv.ID, r.PostForm.Get("on") == "1"); err != nil {
		return err
	}
	redirect(w, r, ev.path("survey"), "survey_link_saved")
	return nil
}

// answersFrom reads a questionnaire's answers (answers.ID) from a form.
func answersFrom(f url.Values) map[string][]string {
	out := map[string][]string{}
	for k, vals := range f {
		if id, ok := strings.CutPrefix(k, "answers."); ok {
			out[id] = vals
		}
	}
	return out
}

// surveyRespondForm lets a manager enter a response for someone (a paper
// form, history imported from another tool).
func (s *Server) surveyRespondForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	sv, err := survey.NewStore(s.db).ForEvent(r.Context(), ev.e.ID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.SurveyAnswer(view.SurveyAnswerPage{Page: s.pageFor(r, v), E: ev.e, Survey: sv, Form: view.Form{Values: url.Values{}},
		Action: ev.path("survey/respond"), Manager: true}))
	return nil
}

func (s *Server) surveyRespond(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	surveys := survey.NewStore(s.db)
	sv, err := surveys.ForEvent(r.Context(), ev.e.ID)
	if err != nil {
		return err
	}
	sub := survey.Submission{Answers: answersFrom(r.PostForm), Source: survey.SourceManager}
	var e validation.Error
	sub.Email = e.Email("email", r.PostForm.Get("email"), false)
	if d := strings.TrimSpace(r.PostForm.Get("submitted_at")); d != "" {
		if t, ok := event.ParseDay(d, false); ok {
			sub.SubmittedAt = t
		} else {
			e.Add("submitted_at", "event.error.date")
		}
	}
	err = e.Err()
	if err == nil {
		_, err = surveys.Submit(r.Context(), sv, sub)
	}
	if err == nil {
		redirect(w, r, ev.path("survey"), "survey_response_added")
		return nil
	}
	status := http.StatusBadRequest
	if ve, ok := validation.As(err); ok && ve.Conflict {
		status = http.StatusConflict
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, status, view.SurveyAnswer(view.SurveyAnswerPage{Page: s.pageFor(r, v), E: ev.e, Survey: sv, Form: f,
		Action: ev.path("survey/respond"), Manager: true}))
	return nil
}

func (s *Server) surveyResultsCSV(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	surveys := survey.NewStore(s.db)
	sv, err := surveys.ForEvent(r.Context(), ev.e.ID)
	if err != nil {
		return err
	}
	responses, err := surveys.Responses(r.Context(), sv)
	if err != nil {
		return err
	}
	return sendTable(w, event.SurveyTable(sv, responses, v.l), "csv", fmt.Sprintf("survey-%d", ev.e.ID), "")
}

// surveyByLink finds the survey a link opens: a personal invitation, or
// the open link.
func (s *Server) surveyByLink(r *http.Request) (survey.Survey, survey.Invitation, event.Listed, error) {
	surveys := survey.NewStore(s.db)
	token := r.PathValue("token")
	inv, sv, err := surveys.InvitationByToken(r.Context(), token)
	if errors.Is(err, survey.ErrInvalidLink) {
		inv = survey.Invitation{}
		sv, err = surveys.ByOpenToken(r.Context(), token)
	}
	if err != nil {
		return sv, inv, event.Listed{}, err
	}
	l, err := event.NewStore(s.db).Listed(r.Context(), sv.EventID)
	return sv, inv, l, err
}

func (s *Server) surveyLinkInvalid(w http.ResponseWriter, r *http.Request, v *visit) {
	s.render(w, r, http.StatusNotFound, view.Message(view.MessagePage{Page: s.pageFor(r, v), Title: v.l.T("link.invalid_title"),
		Body: []string{v.l.T("survey.link_invalid")}}))
}

// surveyForm is the questionnaire reached by a personal or open link.
func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	linkPageHeaders(w)
	sv, inv, l, err := s.surveyByLink(r)
	if errors.Is(err, survey.ErrInvalidLink) {
		s.surveyLinkInvalid(w, r, v)
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.SurveyAnswer(view.SurveyAnswerPage{Page: s.pageFor(r, v), E: l, Survey: sv,
		Form: view.Form{Values: url.Values{}}, Action: "/surveys/" + r.PathValue("token"), Done: inv.Responded}))
	return nil
}

func (s *Server) submitSurvey(w http.ResponseWriter, r *http.Request, v *visit) error {
	linkPageHeaders(w)
	sv, inv, l, err := s.surveyByLink(r)
	if errors.Is(err, survey.ErrInvalidLink) {
		s.surveyLinkInvalid(w, r, v)
		return nil
	}
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	sub := survey.Submission{Answers: answersFrom(r.PostForm), Source: survey.SourceOpen}
	if inv.ID != 0 {
		sub.InvitationID, sub.Email, sub.Source = inv.ID, inv.Email, survey.SourceInvitation
	}
	_, err = survey.NewStore(s.db).Submit(r.Context(), sv, sub)
	page := view.SurveyAnswerPage{Page: s.pageFor(r, v), E: l, Survey: sv, Action: "/surveys/" + r.PathValue("token")}
	if err == nil {
		page.Done = true
		page.Flash = v.l.T("flash.survey_thanks")
		s.render(w, r, http.StatusOK, view.SurveyAnswer(page))
		return nil
	}
	status := http.StatusBadRequest
	if ve, ok := validation.As(err); ok && ve.Conflict {
		status = http.StatusConflict
	}
	if page.Form, err = formFrom(r, v.l, err); err != nil {
		return err
	}
	s.render(w, r, status, view.SurveyAnswer(page))
	return nil
}

func (s *Server) eventReport(w http.ResponseWriter, r *http.Request, v *visit) error {
	ev, err := s.managedEvent(r, v)
	if err != nil {
		return err
	}
	rep, err := event.NewStore(s.db).Report(r.Context(), ev.e.Event)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.EventReport(view.EventReportPage{Page: s.pageFor(r, v), E: ev.e, R: rep}))
	return nil
}

// surveyComparison compares the standard questions of a community's
// events, newest first.
func (s *Server) surveyComparison(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.readable(r, v)
	if err != nil {
		return err
	}
	list, _, err := event.NewStore(s.db).List(r.Context(), event.ListOptions{CommunityID: c.ID, When: event.Past, Limit: 200})
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, l := range list {
		ids[i] = l.ID
	}
	sums, err := survey.NewStore(s.db).Summaries(r.Context(), ids)
	if err != nil {
		return err
	}
	p := view.SurveyComparePage{Page: s.pageFor(r, v), C: c, V: cv}
	for _, l := range list {
		sm, ok := sums[l.ID]
		if !ok || sm.Responses == 0 {
			continue
		}
		row := view.SurveyCompareRow{E: l, Responses: sm.Responses}
		for _, id := range survey.StandardLikert {
			share, ok := sm.AgreeShare(id)
			if ok {
				row.Shares = append(row.Shares, v.l.Percent(share))
			} else {
				row.Shares = append(row.Shares, "–")
			}
		}
		p.Rows = append(p.Rows, row)
	}
	s.render(w, r, http.StatusOK, view.SurveyCompare(p))
	return nil
}

// eventsSection is the part of a country's page that lists events with
// speakers from the country: a CountrySection.
func (s *Server) eventsSection(r *http.Request, reader *account.User, cc string) (templ.Component, error) {
	list, err := event.NewStore(s.db).WithSpeakersFrom(r.Context(), cc, reader, countryEvents)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	p := view.Page{L: i18n.FromContext(r.Context()), User: reader}
	return view.CountryEvents(p, cc, list), nil
}

// eventFeed adds a community's events to its Atom feed: a FeedSource.
func (s *Server) eventFeed(r *http.Request, communityID int64, limit int) ([]FeedEntry, error) {
	list, err := event.NewStore(s.db).Recent(r.Context(), communityID, limit)
	if err != nil {
		return nil, err
	}
	l := i18n.FromContext(r.Context())
	out := make([]FeedEntry, 0, len(list))
	for _, e := range list {
		summary := event.When(l, e.Event, e.Location())
		if d := markdown.Plain(e.Description, 400); d != "" {
			summary += " — " + d
		}
		out = append(out, FeedEntry{Kind: "event", ID: e.ID, Path: "/events/" + strconv.FormatInt(e.ID, 10), Title: e.Title, Summary: summary,
			Author: e.CommunityName, Published: e.CreatedAt, Updated: e.UpdatedAt})
	}
	return out, nil
}
