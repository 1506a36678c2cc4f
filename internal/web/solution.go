package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

const (
	solutionsPerPage = 20
	similarOnPage    = 5
	countrySolutions = 10
)

// solutions is the catalogue: search, facets, and before any filter the
// goals to start from.
func (s *Server) solutions(w http.ResponseWriter, r *http.Request, v *visit) error {
	q, err := solution.ParseQuery(r.URL.Query())
	if err != nil {
		return errBadRequest
	}
	canEdit := solution.CanEdit(v.user)
	if a := r.URL.Query().Get("archived"); a == "1" || a == "true" {
		if !canEdit {
			return account.ErrForbidden
		}
		q.Archived = true
	}
	page := pageNumber(r)
	q.Limit, q.Offset = solutionsPerPage, (page-1)*solutionsPerPage
	st := solution.NewStore(s.db)
	res, err := st.Search(r.Context(), q)
	if err != nil {
		return err
	}
	p := view.SolutionsPage{Page: s.pageFor(r, v), Query: q, Result: res, CanEdit: canEdit,
		Pager: pagerFor(r, page, solutionsPerPage, res.Total)}
	if !q.Filtered() && !q.Archived {
		if p.Goals, err = st.GoalCounts(r.Context()); err != nil {
			return err
		}
	}
	if canEdit {
		if _, p.Stale, err = st.Stale(r.Context(), time.Now(), 0, 0); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, view.Solutions(p))
	return nil
}

// solutionID reads the id of the path; anything else is not found.
func solutionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, sqldb.ErrNotFound
	}
	return id, nil
}

// visibleSolution loads a record the reader may see: archived ones exist
// only for the catalogue's editors.
func (s *Server) visibleSolution(r *http.Request, v *visit) (solution.Solution, error) {
	id, err := solutionID(r)
	if err != nil {
		return solution.Solution{}, err
	}
	x, err := solution.NewStore(s.db).Solution(r.Context(), id)
	if err != nil {
		return solution.Solution{}, err
	}
	if x.Archived() && !solution.CanEdit(v.user) {
		return solution.Solution{}, sqldb.ErrNotFound
	}
	return x, nil
}

func (s *Server) solutionPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	x, err := s.visibleSolution(r, v)
	if err != nil {
		return err
	}
	similar, err := solution.NewStore(s.db).Similar(r.Context(), x.ID, similarOnPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.SolutionRecord(view.SolutionPage{
		Page: s.pageFor(r, v), S: x, Similar: similar, CanEdit: solution.CanEdit(v.user), Now: time.Now(),
	}))
	return nil
}

// solutionForm is the form page, filled in with f.
func (s *Server) solutionForm(w http.ResponseWriter, r *http.Request, v *visit, status int, id int64, f view.Form) {
	lang := v.l.Lang()
	p := view.SolutionEditPage{Page: s.pageFor(r, v), Form: f, ID: id, Countries: view.CountryOptions(lang), Goals: sdgOptions(v)}
	langs := taxonomy.CommonLanguages()
	if cur := f.Get("language"); cur != "" && !slices.Contains(langs, cur) && taxonomy.ValidLanguage(cur) {
		langs = append(langs, cur)
	}
	for _, l := range langs {
		p.Languages = append(p.Languages, view.Option{Value: l, Label: taxonomy.LanguageName(l, lang)})
	}
	p.Contacts = min(solution.MaxContacts, max(3, len(f.Values["contact_name"])+2))
	s.render(w, r, status, view.SolutionEdit(p))
}

func (s *Server) newSolutionForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := solution.EditorFor(v.user, solution.ViaWeb); err != nil {
		return err
	}
	s.solutionForm(w, r, v, http.StatusOK, 0, view.Form{Values: url.Values{
		"language": {v.l.Lang()}, "status": {solution.StatusOngoing}, "modality": {solution.ModalitySouthSouth},
	}})
	return nil
}

func (s *Server) createSolution(w http.ResponseWriter, r *http.Request, v *visit) error {
	ed, err := solution.EditorFor(v.user, solution.ViaWeb)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	x, err := solution.NewStore(s.db).Create(r.Context(), ed, solutionFromForm(r.PostForm))
	if err == nil {
		redirect(w, r, "/solutions/"+strconv.FormatInt(x.ID, 10), "solution_created")
		return nil
	}
	return s.refusedSolution(w, r, v, 0, err)
}

// refusedSolution shows the form again with what was wrong.
func (s *Server) refusedSolution(w http.ResponseWriter, r *http.Request, v *visit, id int64, err error) error {
	status := http.StatusBadRequest
	if ve, ok := validation.As(err); ok && ve.Conflict {
		status = http.StatusConflict
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.solutionForm(w, r, v, status, id, f)
	return nil
}

func (s *Server) editSolutionForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := solution.EditorFor(v.user, solution.ViaWeb); err != nil {
		return err
	}
	x, err := s.visibleSolution(r, v)
	if err != nil {
		return err
	}
	s.solutionForm(w, r, v, http.StatusOK, x.ID, view.Form{Values: solutionValues(x.Input())})
	return nil
}

func (s *Server) updateSolution(w http.ResponseWriter, r *http.Request, v *visit) error {
	ed, err := solution.EditorFor(v.user, solution.ViaWeb)
	if err != nil {
		return err
	}
	id, err := solutionID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, err = solution.NewStore(s.db).Update(r.Context(), ed, id, solutionFromForm(r.PostForm))
	if err == nil {
		redirect(w, r, "/solutions/"+strconv.FormatInt(id, 10), "solution_saved")
		return nil
	}
	if errors.Is(err, sqldb.ErrNotFound) {
		return err
	}
	return s.refusedSolution(w, r, v, id, err)
}

func (s *Server) archiveSolution(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.setSolutionArchived(w, r, v, true)
}

func (s *Server) restoreSolution(w http.ResponseWriter, r *http.Request, v *visit) error {
	return s.setSolutionArchived(w, r, v, false)
}

func (s *Server) setSolutionArchived(w http.ResponseWriter, r *http.Request, v *visit, archived bool) error {
	ed, err := solution.EditorFor(v.user, solution.ViaWeb)
	if err != nil {
		return err
	}
	id, err := solutionID(r)
	if err != nil {
		return err
	}
	st := solution.NewStore(s.db)
	done := "solution_archived"
	if archived {
		err = st.Archive(r.Context(), ed, id)
	} else {
		err, done = st.Restore(r.Context(), ed, id), "solution_restored"
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/solutions/"+strconv.FormatInt(id, 10), done)
	return nil
}

// markSolutionReviewed records that an editor checked a record that nobody
// had updated for a year and found it still right.
func (s *Server) markSolutionReviewed(w http.ResponseWriter, r *http.Request, v *visit) error {
	ed, err := solution.EditorFor(v.user, solution.ViaWeb)
	if err != nil {
		return err
	}
	id, err := solutionID(r)
	if err != nil {
		return err
	}
	if err := solution.NewStore(s.db).MarkReviewed(r.Context(), ed, id); err != nil {
		return err
	}
	redirect(w, r, "/solutions/"+strconv.FormatInt(id, 10), "solution_reviewed")
	return nil
}

func (s *Server) solutionHistory(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := solution.EditorFor(v.user, solution.ViaWeb); err != nil {
		return err
	}
	x, err := s.visibleSolution(r, v)
	if err != nil {
		return err
	}
	changes, err := solution.NewStore(s.db).History(r.Context(), x.ID)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.SolutionHistory(view.SolutionHistoryPage{Page: s.pageFor(r, v), S: x, Changes: changes}))
	return nil
}

// solutionReview lists, for editors, the records nobody has updated for a
// year.
func (s *Server) solutionReview(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := solution.EditorFor(v.user, solution.ViaWeb); err != nil {
		return err
	}
	page := pageNumber(r)
	items, total, err := solution.NewStore(s.db).Stale(r.Context(), time.Now(), solutionsPerPage, (page-1)*solutionsPerPage)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.SolutionReview(view.SolutionReviewPage{
		Page: s.pageFor(r, v), Items: items, Pager: pagerFor(r, page, solutionsPerPage, total),
	}))
	return nil
}

// solutionFromForm reads the solution form. Lists typed into one field are
// split: targets and communities on commas, partners one per line (their
// names may hold commas).
func solutionFromForm(f url.Values) solution.Input {
	in := solution.Input{
		Title: f.Get("title"), Tagline: f.Get("tagline"), Challenge: f.Get("challenge"), Approach: f.Get("solution"),
		Results: f.Get("results"), Lessons: f.Get("lessons"), Replicability: f.Get("replicability"),
		Countries: f["countries"], Global: f.Get("global") == "true", Modality: f.Get("modality"),
		PrimarySDG: formInt(f.Get("primary_sdg")), Targets: splitTags(f.Get("sdg_targets")), Status: f.Get("status"),
		StartDate: f.Get("start_date"), EndDate: f.Get("end_date"),
		SupportedBy: lines(f.Get("supported_by")), Implementers: lines(f.Get("implementing_entities")),
		URL: f.Get("url"), Language: f.Get("language"), Communities: splitTags(f.Get("communities")),
	}
	for _, g := range f["secondary_sdgs"] {
		in.SecondarySDGs = append(in.SecondarySDGs, formInt(g))
	}
	names, titles, orgs, emails := f["contact_name"], f["contact_title"], f["contact_organization"], f["contact_email"]
	at := func(list []string, i int) string {
		if i < len(list) {
			return list[i]
		}
		return ""
	}
	for i := range min(solution.MaxContacts+1, max(len(names), len(titles), len(orgs), len(emails))) {
		in.Contacts = append(in.Contacts, solution.Contact{Name: at(names, i), Title: at(titles, i), Organization: at(orgs, i), Email: at(emails, i)})
	}
	return in
}

// formInt reads a number from a form; anything else is -1, which
// validation refuses with a message.
func formInt(s string) int {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

func lines(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }

// solutionValues fills the form from a record.
func solutionValues(in solution.Input) url.Values {
	v := url.Values{
		"title": {in.Title}, "tagline": {in.Tagline}, "challenge": {in.Challenge}, "solution": {in.Approach},
		"results": {in.Results}, "lessons": {in.Lessons}, "replicability": {in.Replicability},
		"countries": in.Countries, "modality": {in.Modality}, "primary_sdg": {strconv.Itoa(in.PrimarySDG)},
		"sdg_targets": {strings.Join(in.Targets, ", ")}, "status": {in.Status}, "start_date": {in.StartDate},
		"end_date": {in.EndDate}, "supported_by": {strings.Join(in.SupportedBy, "\n")},
		"implementing_entities": {strings.Join(in.Implementers, "\n")}, "url": {in.URL}, "language": {in.Language},
		"communities": {strings.Join(in.Communities, ", ")},
	}
	if in.Global {
		v.Set("global", "true")
	}
	for _, g := range in.SecondarySDGs {
		v.Add("secondary_sdgs", strconv.Itoa(g))
	}
	for _, c := range in.Contacts {
		v.Add("contact_name", c.Name)
		v.Add("contact_title", c.Title)
		v.Add("contact_organization", c.Organization)
		v.Add("contact_email", c.Email)
	}
	return v
}

// maxUpload is the largest import file taken.
func (s *Server) maxUpload() int64 {
	if s.cfg.MaxUpload > 0 {
		return s.cfg.MaxUpload
	}
	return 50 << 20
}

// upload serves a form that sends a file as large as the configured upload
// limit, for members: the page wrapper caps other form posts at
// maxFormBytes. The request body, limited to the upload limit and a margin
// for the form around the file, is handed to h as it is.
func (s *Server) upload(h func(w http.ResponseWriter, r *http.Request, v *visit, body io.Reader) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := http.MaxBytesReader(w, r.Body, s.maxUpload()+1<<20)
		s.member(func(w http.ResponseWriter, r *http.Request, v *visit) error {
			return h(w, r, v, body)
		}).ServeHTTP(w, r)
	})
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := solution.EditorFor(v.user, solution.ViaWeb); err != nil {
		return err
	}
	p := view.SolutionImportPage{Page: s.pageFor(r, v), MaxMB: s.maxUpload() >> 20}
	if q := r.URL.Query(); q.Get("done") == "solutions_imported" {
		n := func(k string) int { i, _ := strconv.Atoi(q.Get(k)); return max(0, i) }
		p.Summary = &solution.ImportSummary{Created: n("created"), Updated: n("updated"), Unchanged: n("unchanged")}
	}
	s.render(w, r, http.StatusOK, view.SolutionImport(p))
	return nil
}

// importSolutions takes a CSV or JSON file from the import form. Nothing of
// a file with any problem is imported; the page lists every problem.
func (s *Server) importSolutions(w http.ResponseWriter, r *http.Request, v *visit, body io.Reader) error {
	ed, err := solution.EditorFor(v.user, solution.ViaWeb)
	if err != nil {
		return err
	}
	refuse := func(status int, problems []string, more int) error {
		s.render(w, r, status, view.SolutionImport(view.SolutionImportPage{
			Page: s.pageFor(r, v), Problems: problems, More: more, MaxMB: s.maxUpload() >> 20,
		}))
		return nil
	}
	records, err := readUpload(r, body, s.maxUpload())
	if err == nil {
		var sum solution.ImportSummary
		sum, err = solution.NewStore(s.db).Import(r.Context(), ed, records)
		if err == nil {
			q := url.Values{"done": {"solutions_imported"}, "created": {strconv.Itoa(sum.Created)},
				"updated": {strconv.Itoa(sum.Updated)}, "unchanged": {strconv.Itoa(sum.Unchanged)}}
			http.Redirect(w, r, "/solutions/import?"+q.Encode(), http.StatusSeeOther)
			return nil
		}
	}
	var ie *solution.ImportError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &ie):
		return refuse(http.StatusBadRequest, describeProblems(v.l, ie), ie.More)
	case errors.Is(err, solution.ErrTooLarge), errors.As(err, &tooLarge):
		return refuse(http.StatusRequestEntityTooLarge, []string{v.l.T("solution.import_too_large", s.maxUpload()>>20)}, 0)
	case errors.Is(err, errNoFile):
		return refuse(http.StatusBadRequest, []string{v.l.T("solution.import_no_file")}, 0)
	}
	return err
}

func describeProblems(l *i18n.Localizer, ie *solution.ImportError) []string {
	out := make([]string, len(ie.Problems))
	for i, p := range ie.Problems {
		out[i] = p.Describe(l)
	}
	return out
}

var errNoFile = errors.New("no file in the form")

// readUpload reads the file part of a multipart form as it arrives. The
// format follows the file's extension, or else its first character: "["
// for JSON, anything else CSV.
func readUpload(r *http.Request, body io.Reader, limit int64) ([]solution.Record, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, errNoFile
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFile
		}
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, err
			}
			return nil, errNoFile
		}
		if part.FormName() != "file" {
			continue
		}
		if part.FileName() == "" {
			return nil, errNoFile
		}
		br := bufio.NewReader(part)
		format := solution.FormatCSV
		switch strings.ToLower(path.Ext(part.FileName())) {
		case ".json":
			format = solution.FormatJSON
		case ".csv":
		default:
			if b, _ := br.Peek(64); bytes.HasPrefix(bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\uFEFF"))), []byte("[")) {
				format = solution.FormatJSON
			}
		}
		return solution.Read(br, format, limit)
	}
}

// exportSolutions sends the whole catalogue, archived records included, as
// a CSV or JSON file for editors.
func (s *Server) exportSolutions(w http.ResponseWriter, r *http.Request, v *visit) error {
	if _, err := solution.EditorFor(v.user, solution.ViaWeb); err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = solution.FormatCSV
	}
	ctype := map[string]string{solution.FormatCSV: "text/csv; charset=utf-8", solution.FormatJSON: "application/json; charset=utf-8"}[format]
	if ctype == "" {
		return errBadRequest
	}
	var buf bytes.Buffer
	if err := solution.NewStore(s.db).Export(r.Context(), &buf, format); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="solutions-%s.%s"`, time.Now().UTC().Format("2006-01-02"), format))
	w.Write(buf.Bytes())
	return nil
}

// solutionsSection is the part of a country's page that lists the
// solutions involving the country: a CountrySection.
func (s *Server) solutionsSection(r *http.Request, reader *account.User, cc string) (templ.Component, error) {
	st := solution.NewStore(s.db)
	items, err := st.ByCountry(r.Context(), cc, countrySolutions)
	if err != nil {
		return nil, err
	}
	total, err := st.CountByCountry(r.Context(), cc)
	if err != nil {
		return nil, err
	}
	p := view.Page{L: i18n.FromContext(r.Context()), User: reader}
	return view.CountrySolutions(p, cc, items, total), nil
}
