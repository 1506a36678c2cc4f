package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

// Country-to-country learning (internal/matching): needs, offers, their
// suggestions, matches and the flows of exchanges. Every page is for
// logged-in members; the matching store says who sees a need and who
// brokers it.

const (
	needsPerPage       = 20
	matchesPerPage     = 30
	suggestionsOnPage  = 10
	countryExchangeMax = 10
)

// matchingStore is the store, telling institutions' contacts of each step
// of a match.
func (s *Server) matchingStore() *matching.Store {
	return matching.NewStore(s.db).WithNotifier(s.notifier)
}

// pathInt64 reads a positive id from the path; anything else is not found.
func pathInt64(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, sqldb.ErrNotFound
	}
	return id, nil
}

// idList reads ids typed into one field, separated by commas or spaces;
// anything that is not a number becomes -1, which validation refuses.
func idList(s string) []int64 {
	var out []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			n = -1
		}
		out = append(out, n)
	}
	return out
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

func formInts(values []string) []int {
	var out []int
	for _, v := range values {
		out = append(out, formInt(v))
	}
	return out
}

// detailsFromForm reads the fields needs and offers share.
func detailsFromForm(f url.Values) matching.Details {
	return matching.Details{
		Title: f.Get("title"), Description: f.Get("description"), Institution: f.Get("institution"), Country: f.Get("country"),
		SDGs: formInts(f["sdgs"]), Targets: splitTags(f.Get("sdg_targets")), Topics: splitTags(f.Get("topics")),
		Languages: f["languages"], Modalities: f["modalities"], Language: f.Get("language"),
	}
}

func detailsValues(d matching.Details) url.Values {
	v := url.Values{
		"title": {d.Title}, "description": {d.Description}, "institution": {d.Institution}, "country": {d.Country},
		"sdg_targets": {strings.Join(d.Targets, ", ")}, "topics": {strings.Join(d.Topics, ", ")},
		"languages": d.Languages, "modalities": d.Modalities, "language": {d.Language},
	}
	for _, g := range d.SDGs {
		v.Add("sdgs", strconv.Itoa(g))
	}
	return v
}

// formOptions are the choices of the need and offer forms.
func (s *Server) formOptions(v *visit, current []string) (countries, goals, langs, modalities []view.Option) {
	lang := v.l.Lang()
	countries = view.CountryOptions(lang)
	goals = sdgOptions(v)
	codes := taxonomy.CommonLanguages()
	for _, c := range current {
		if !slices.Contains(codes, c) && taxonomy.ValidLanguage(c) {
			codes = append(codes, c)
		}
	}
	for _, c := range codes {
		langs = append(langs, view.Option{Value: c, Label: taxonomy.LanguageName(c, lang)})
	}
	for _, m := range matching.Modalities {
		modalities = append(modalities, view.Option{Value: m, Label: v.l.T("matching.modality." + m)})
	}
	return
}

// statusFor is the HTTP status of a refused form.
func statusFor(err error) int {
	if ve, ok := validation.As(err); ok && ve.Conflict {
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// --- Needs ---

func (s *Server) needs(w http.ResponseWriter, r *http.Request, v *visit) error {
	f, err := matching.ParseNeedFilter(r.URL.Query())
	if err != nil {
		return errBadRequest
	}
	page := pageNumber(r)
	st := matching.NewStore(s.db)
	list, total, err := st.Needs(r.Context(), v.user, f, needsPerPage, (page-1)*needsPerPage)
	if err != nil {
		return err
	}
	communities, err := st.AttachableCommunities(r.Context(), *v.user)
	if err != nil {
		return err
	}
	p := view.NeedsPage{Page: s.pageFor(r, v), Needs: list, Total: total, Filter: f, Pager: pagerFor(r, page, needsPerPage, total),
		Countries: view.CountryOptions(v.l.Lang()), Goals: sdgOptions(v)}
	for _, c := range communities {
		p.Communities = append(p.Communities, view.Option{Value: c.Slug, Label: c.Name})
	}
	s.render(w, r, http.StatusOK, view.Needs(p))
	return nil
}

// needForm renders the need form, filled in with f.
func (s *Server) needForm(w http.ResponseWriter, r *http.Request, v *visit, status int, id int64, f view.Form) error {
	communities, err := matching.NewStore(s.db).AttachableCommunities(r.Context(), *v.user)
	if err != nil {
		return err
	}
	p := view.NeedFormPage{Page: s.pageFor(r, v), Form: f, ID: id}
	p.Countries, p.Goals, p.Languages, p.Modalities = s.formOptions(v, f.Values["languages"])
	p.ContentLanguages = contentLanguages(v)
	for _, c := range communities {
		p.Communities = append(p.Communities, view.Option{Value: c.Slug, Label: c.Name})
	}
	if cur := f.Get("community"); cur != "" && !slices.ContainsFunc(p.Communities, func(o view.Option) bool { return o.Value == cur }) {
		p.Communities = append(p.Communities, view.Option{Value: cur, Label: cur})
	}
	s.render(w, r, status, view.NeedForm(p))
	return nil
}

func (s *Server) newNeedForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	vals := url.Values{"institution": {v.user.Organization}, "country": {v.user.Country}, "language": {v.l.Lang()},
		"languages": v.user.Languages, "community": {r.URL.Query().Get("community")}}
	return s.needForm(w, r, v, http.StatusOK, 0, view.Form{Values: vals})
}

func needFromForm(f url.Values) matching.NeedInput {
	return matching.NeedInput{Details: detailsFromForm(f), Community: f.Get("community"),
		TimeframeStart: f.Get("timeframe_start"), TimeframeEnd: f.Get("timeframe_end")}
}

func (s *Server) createNeed(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, err := matching.NewStore(s.db).CreateNeed(r.Context(), *v.user, needFromForm(r.PostForm))
	if err == nil {
		redirect(w, r, "/needs/"+strconv.FormatInt(n.ID, 10), "need_created")
		return nil
	}
	f, ferr := formFrom(r, v.l, err)
	if ferr != nil {
		return ferr
	}
	return s.needForm(w, r, v, statusFor(err), 0, f)
}

func (s *Server) needPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.renderNeed(w, r, v, http.StatusOK, "")
}

// renderNeed shows a need with its suggestions and matches, and a message
// when a proposal was refused.
func (s *Server) renderNeed(w http.ResponseWriter, r *http.Request, v *visit, status int, problem string) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	st := matching.NewStore(s.db)
	n, err := st.Need(r.Context(), v.user, id)
	if err != nil {
		return err
	}
	p := view.NeedPageView{Page: s.pageFor(r, v), N: n, Problem: problem}
	if p.CanBroker, err = st.CanBroker(r.Context(), v.user, n); err != nil {
		return err
	}
	if p.CanEdit, err = st.CanEditNeed(r.Context(), v.user, n); err != nil {
		return err
	}
	if p.Suggestions, err = st.Suggest(r.Context(), v.user, n.ID, suggestionsOnPage); err != nil {
		return err
	}
	if p.Matches, _, err = st.Matches(r.Context(), v.user, matching.MatchFilter{NeedID: n.ID}, 100, 0); err != nil {
		return err
	}
	s.render(w, r, status, view.NeedRecord(p))
	return nil
}

func (s *Server) editNeedForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	st := matching.NewStore(s.db)
	n, err := st.Need(r.Context(), v.user, id)
	if err != nil {
		return err
	}
	if ok, err := st.CanEditNeed(r.Context(), v.user, n); err != nil {
		return err
	} else if !ok {
		return account.ErrForbidden
	}
	in := n.Input()
	vals := detailsValues(in.Details)
	vals.Set("community", in.Community)
	vals.Set("timeframe_start", in.TimeframeStart)
	vals.Set("timeframe_end", in.TimeframeEnd)
	return s.needForm(w, r, v, http.StatusOK, n.ID, view.Form{Values: vals})
}

func (s *Server) updateNeed(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = matching.NewStore(s.db).UpdateNeed(r.Context(), *v.user, id, needFromForm(r.PostForm))
	if err == nil {
		redirect(w, r, "/needs/"+strconv.FormatInt(id, 10), "need_saved")
		return nil
	}
	f, ferr := formFrom(r, v.l, err)
	if ferr != nil {
		return ferr
	}
	return s.needForm(w, r, v, statusFor(err), id, f)
}

func (s *Server) closeNeed(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.setNeedClosed(w, r, v, true)
}

func (s *Server) reopenNeed(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.setNeedClosed(w, r, v, false)
}

func (s *Server) setNeedClosed(w http.ResponseWriter, r *http.Request, v *visit, closed bool) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	if _, err := matching.NewStore(s.db).SetNeedClosed(r.Context(), *v.user, id, closed); err != nil {
		return err
	}
	done := "need_reopened"
	if closed {
		done = "need_closed"
	}
	redirect(w, r, "/needs/"+strconv.FormatInt(id, 10), done)
	return nil
}

// --- Offers ---

func (s *Server) offers(w http.ResponseWriter, r *http.Request, v *visit) error {
	f, err := matching.ParseOfferFilter(r.URL.Query())
	if err != nil {
		return errBadRequest
	}
	page := pageNumber(r)
	list, total, err := matching.NewStore(s.db).Offers(r.Context(), v.user, f, needsPerPage, (page-1)*needsPerPage)
	if err != nil {
		return err
	}
	p := view.OffersPage{Page: s.pageFor(r, v), Offers: list, Total: total, Filter: f, Pager: pagerFor(r, page, needsPerPage, total),
		Countries: view.CountryOptions(v.l.Lang()), Goals: sdgOptions(v)}
	_, _, _, p.Modalities = s.formOptions(v, nil)
	s.render(w, r, http.StatusOK, view.Offers(p))
	return nil
}

func (s *Server) offerForm(w http.ResponseWriter, r *http.Request, v *visit, status int, id int64, f view.Form) {
	p := view.OfferFormPage{Page: s.pageFor(r, v), Form: f, ID: id}
	p.Countries, p.Goals, p.Languages, p.Modalities = s.formOptions(v, f.Values["languages"])
	p.ContentLanguages = contentLanguages(v)
	s.render(w, r, status, view.OfferForm(p))
}

func (s *Server) newOfferForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	vals := url.Values{"institution": {v.user.Organization}, "country": {v.user.Country}, "language": {v.l.Lang()},
		"languages": v.user.Languages, "status": {matching.StatusOpen}}
	s.offerForm(w, r, v, http.StatusOK, 0, view.Form{Values: vals})
	return nil
}

func offerFromForm(f url.Values) matching.OfferInput {
	return matching.OfferInput{Details: detailsFromForm(f), Capacity: f.Get("capacity"),
		SolutionIDs: idList(f.Get("solution_ids")), ResourceIDs: idList(f.Get("resource_ids")), Status: f.Get("status")}
}

func (s *Server) createOffer(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	o, err := matching.NewStore(s.db).CreateOffer(r.Context(), *v.user, offerFromForm(r.PostForm))
	if err == nil {
		redirect(w, r, "/offers/"+strconv.FormatInt(o.ID, 10), "offer_created")
		return nil
	}
	f, ferr := formFrom(r, v.l, err)
	if ferr != nil {
		return ferr
	}
	s.offerForm(w, r, v, statusFor(err), 0, f)
	return nil
}

func (s *Server) offerPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	st := matching.NewStore(s.db)
	o, err := st.Offer(r.Context(), v.user, id)
	if err != nil {
		return err
	}
	p := view.OfferPageView{Page: s.pageFor(r, v), O: o, CanEdit: matching.CanEditOffer(v.user, o)}
	if p.Solutions, err = st.SolutionTitles(r.Context(), o.SolutionIDs); err != nil {
		return err
	}
	if p.Resources, err = st.ResourceTitles(r.Context(), v.user, o.ResourceIDs); err != nil {
		return err
	}
	if p.Matches, _, err = st.Matches(r.Context(), v.user, matching.MatchFilter{OfferID: o.ID}, 100, 0); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.OfferRecord(p))
	return nil
}

func (s *Server) editOfferForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	o, err := matching.NewStore(s.db).Offer(r.Context(), v.user, id)
	if err != nil {
		return err
	}
	if !matching.CanEditOffer(v.user, o) {
		return account.ErrForbidden
	}
	vals := detailsValues(o.Details)
	vals.Set("capacity", o.Capacity)
	vals.Set("solution_ids", joinIDs(o.SolutionIDs))
	vals.Set("resource_ids", joinIDs(o.ResourceIDs))
	vals.Set("status", o.Status)
	s.offerForm(w, r, v, http.StatusOK, o.ID, view.Form{Values: vals})
	return nil
}

func (s *Server) updateOffer(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = matching.NewStore(s.db).UpdateOffer(r.Context(), *v.user, id, offerFromForm(r.PostForm))
	if err == nil {
		redirect(w, r, "/offers/"+strconv.FormatInt(id, 10), "offer_saved")
		return nil
	}
	f, ferr := formFrom(r, v.l, err)
	if ferr != nil {
		return ferr
	}
	s.offerForm(w, r, v, statusFor(err), id, f)
	return nil
}

// --- Matches ---

// matchesPage is the brokers' view: the matches the reader brokers (every
// match for site administrators), or those of the reader's own needs and
// offers, by stage.
func (s *Server) matchesPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	st := matching.NewStore(s.db)
	broker, err := st.Brokers(r.Context(), v.user)
	if err != nil {
		return err
	}
	mine := q.Get("mine")
	if mine == "" {
		mine = "involving"
		if broker {
			mine = "brokered"
		}
		q.Set("mine", mine)
	}
	if mine == "all" {
		q.Del("mine") // every match the reader may see
	}
	f, err := matching.ParseMatchFilter(q)
	if err != nil {
		return errBadRequest
	}
	page := pageNumber(r)
	list, total, err := st.Matches(r.Context(), v.user, f, matchesPerPage, (page-1)*matchesPerPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Matches(view.MatchesPage{Page: s.pageFor(r, v), Matches: list, Total: total, Filter: f,
		Mine: mine, Broker: broker, Pager: pagerFor(r, page, matchesPerPage, total)}))
	return nil
}

// proposeMatch takes the proposal form of a need's page.
func (s *Server) proposeMatch(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	p := matching.Proposal{NeedID: int64(formInt(f.Get("need_id"))), OfferID: int64(formInt(f.Get("offer_id"))),
		SolutionID: int64(formInt(f.Get("solution_id"))), Country: f.Get("country"), Note: f.Get("note")}
	if p.NeedID <= 0 {
		return errBadRequest
	}
	m, err := s.matchingStore().Propose(r.Context(), *v.user, p)
	if err == nil {
		redirect(w, r, "/matches/"+strconv.FormatInt(m.ID, 10), "match_proposed")
		return nil
	}
	ve, ok := validation.As(err)
	if !ok {
		return err
	}
	var msgs []string
	for _, name := range ve.Names() {
		m := ve.Fields[name]
		msgs = append(msgs, v.l.T(m.Key, m.Args...))
	}
	r.SetPathValue("id", strconv.FormatInt(p.NeedID, 10))
	return s.renderNeed(w, r, v, statusFor(err), strings.Join(msgs, " "))
}

func (s *Server) matchPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.renderMatch(w, r, v, http.StatusOK, view.Form{})
}

// stageValues fills the stage form with what the match holds, so that
// submitting it changes only what the broker changes.
func stageValues(m matching.Match) url.Values {
	var parts []string
	for _, cc := range sortedCodes(m.Participants) {
		parts = append(parts, cc+" "+strconv.Itoa(m.Participants[cc]))
	}
	vals := url.Values{"modality": {m.Modality}, "starts_on": {m.StartsOn}, "ends_on": {m.EndsOn}, "outcome": {m.Outcome},
		"participants": {strings.Join(parts, ", ")}, "partner_name": {m.Partner.Name}, "partner_country": {m.Partner.Country},
		"partner_type": {m.Partner.Type}, "evidence": {m.Evidence.Text}, "evidence_links": {strings.Join(m.Evidence.Links, "\n")},
		"evidence_resources": {joinIDs(m.Evidence.ResourceIDs)}}
	if next := m.Next(); len(next) > 0 {
		vals.Set("stage", next[0])
	}
	return vals
}

func sortedCodes(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// renderMatch shows a match with its pipeline, its exchange and its
// history, and to its brokers the stage form (f, or filled from the match).
func (s *Server) renderMatch(w http.ResponseWriter, r *http.Request, v *visit, status int, f view.Form) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	st := matching.NewStore(s.db)
	m, err := st.Match(r.Context(), v.user, id)
	if err != nil {
		return err
	}
	p := view.MatchPageView{Page: s.pageFor(r, v), M: m, Form: f}
	if p.CanMove, err = st.CanMoveMatch(r.Context(), v.user, m); err != nil {
		return err
	}
	if p.Resources, err = st.ResourceTitles(r.Context(), v.user, m.Evidence.ResourceIDs); err != nil {
		return err
	}
	if p.Form.Values == nil {
		p.Form.Values = stageValues(m)
	}
	p.Countries, _, _, p.Modalities = s.formOptions(v, nil)
	for _, t := range taxonomy.OrganizationTypes() {
		p.PartnerTypes = append(p.PartnerTypes, view.Option{Value: t, Label: v.l.T("orgtype." + t)})
	}
	s.render(w, r, status, view.MatchRecord(p))
	return nil
}

// moveMatch takes the stage form of a match's page.
func (s *Server) moveMatch(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := pathInt64(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	// The stage form comes filled with what the match holds; a field that
	// is not sent at all keeps it, one sent empty clears it.
	sent := func(names ...string) bool {
		return slices.ContainsFunc(names, func(n string) bool { _, ok := f[n]; return ok })
	}
	c := matching.StageChange{Stage: f.Get("stage"), Note: f.Get("note"), Modality: f.Get("modality"),
		StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"), Outcome: f.Get("outcome")}
	if sent("partner_name", "partner_country", "partner_type") {
		c.Partner = &matching.Partner{Name: f.Get("partner_name"), Country: f.Get("partner_country"), Type: f.Get("partner_type")}
	}
	if sent("evidence", "evidence_links", "evidence_resources") {
		c.Evidence = &matching.EvidenceInput{Text: f.Get("evidence"), Links: lines(f.Get("evidence_links")), ResourceIDs: idList(f.Get("evidence_resources"))}
	}
	participants, perr := matching.ParseParticipants(f.Get("participants"))
	if perr == nil && c.Stage == matching.StageOutcomeReported && strings.TrimSpace(c.Outcome) == "" {
		// The API takes an outcome report without an outcome (CONTRACT.md
		// requires only stage and note); the form, filled with the
		// recorded outcome, asks the broker to say what came of it.
		perr = validation.Field("outcome", "matching.error.outcome_required", strings.Join(matching.Outcomes, ", "))
	}
	if perr == nil {
		if sent("participants") {
			c.Participants = participants
		}
		_, err = s.matchingStore().Move(r.Context(), *v.user, id, c)
	} else {
		// Permission and visibility come before the form's details.
		st := matching.NewStore(s.db)
		m, merr := st.Match(r.Context(), v.user, id)
		if merr != nil {
			return merr
		}
		if ok, merr := st.CanMoveMatch(r.Context(), v.user, m); merr != nil {
			return merr
		} else if !ok {
			return account.ErrForbidden
		}
		err = perr
		if !matching.CanMove(m.Stage, c.Stage) {
			// A stage out of order matters more than the details: Move
			// refuses it, changing nothing, and says why.
			_, err = st.Move(r.Context(), *v.user, id, c)
		}
	}
	if err == nil {
		redirect(w, r, "/matches/"+strconv.FormatInt(id, 10), "match_moved")
		return nil
	}
	if errors.Is(err, account.ErrForbidden) || errors.Is(err, sqldb.ErrNotFound) {
		return err
	}
	stageNames(v.l, err)
	form, ferr := formFrom(r, v.l, err)
	if ferr != nil {
		return ferr
	}
	return s.renderMatch(w, r, v, statusFor(err), form)
}

// --- Flows ---

// exchanges shows the figures of exchanges, of the site or of a community,
// over a period: the pipeline, the flow table with its chart, the shares
// and the outcomes.
func (s *Server) exchanges(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	p := view.ExchangesPage{Page: s.pageFor(r, v), Community: q.Get("community"), From: q.Get("from"), To: q.Get("to")}
	from, to, err := matching.ParsePeriod(p.From, p.To)
	if err != nil {
		if p.Form, err = formFrom(&http.Request{PostForm: q}, v.l, err); err != nil {
			return err
		}
	}
	cs := community.NewStore(s.db)
	list, _, err := cs.List(r.Context(), community.ListOptions{Reader: v.user, Limit: 500})
	if err != nil {
		return err
	}
	for _, c := range list {
		p.Communities = append(p.Communities, view.Option{Value: c.Slug, Label: c.Name})
	}
	status := http.StatusOK
	if p.Form.HasErrors() {
		status = http.StatusBadRequest
	} else if p.Community != "" {
		c, err := cs.BySlug(r.Context(), p.Community)
		if err != nil {
			return err
		}
		viewer, err := cs.ViewerFor(r.Context(), c.ID, v.user)
		if err != nil {
			return err
		}
		if !viewer.CanSee(c) {
			return sqldb.ErrNotFound
		}
		if !viewer.CanRead(c) {
			return account.ErrForbidden
		}
		p.CommunityName = c.Name
		if p.F, err = matching.CommunityFigures(r.Context(), s.db, c.ID, from, to); err != nil {
			return err
		}
	} else if p.F, err = matching.SiteFigures(r.Context(), s.db, from, to); err != nil {
		return err
	}
	s.render(w, r, status, view.Exchanges(p))
	return nil
}

// matchingSection is the part of a country's page that shows, to members,
// the needs the country posted, the offers it made and its exchanges in
// both directions: a CountrySection.
func (s *Server) matchingSection(r *http.Request, reader *account.User, cc string) (templ.Component, error) {
	if reader == nil {
		return nil, nil // needs and offers are for members
	}
	st := matching.NewStore(s.db)
	needs, needTotal, err := st.Needs(r.Context(), reader, matching.NeedFilter{Country: cc}, countryExchangeMax, 0)
	if err != nil {
		return nil, err
	}
	offers, offerTotal, err := st.Offers(r.Context(), reader, matching.OfferFilter{Country: cc}, countryExchangeMax, 0)
	if err != nil {
		return nil, err
	}
	held, heldTotal, err := st.Matches(r.Context(), reader, matching.MatchFilter{Country: cc, Held: true}, countryExchangeMax, 0)
	if err != nil {
		return nil, err
	}
	p := view.Page{L: i18n.FromContext(r.Context()), User: reader}
	return view.CountryMatching(view.CountryMatchingView{Page: p, Code: cc, Needs: needs, NeedTotal: needTotal,
		Offers: offers, OfferTotal: offerTotal, Exchanges: held, ExchangeTotal: heldTotal}), nil
}

// stageNames puts the names of stages, in the reader's language, in place
// of their codes in the message of a refused move: the store's messages
// carry the codes, which the API answers.
func stageNames(l *i18n.Localizer, err error) {
	ve, ok := validation.As(err)
	if !ok {
		return
	}
	m, ok := ve.Fields["stage"]
	if !ok {
		return
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if code, ok := a.(string); ok && slices.Contains(matching.Stages, code) {
			a = l.T("matching.stage." + code)
		}
		args[i] = a
	}
	m.Args = args
	ve.Fields["stage"] = m
}
