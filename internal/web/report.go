package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

// Page views: wrap counts successful GETs of the pages anyone may open
// (not the members' and administrators' own tools, not the API, assets or
// /healthz, which never reach wrap), through statusWriter and countView.

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// countView records a page view when the page was served, as HTML or as
// "not modified", to what may be a person: no crawler, tool or library, no
// prefetch.
func (s *Server) countView(r *http.Request, v *visit, w *statusWriter) {
	// A 304 is a browser showing again the page it kept (the page cache
	// answers it for anonymous readers): a view all the same.
	html := w.status == http.StatusOK && strings.HasPrefix(w.Header().Get("Content-Type"), "text/html")
	if !html && w.status != http.StatusNotModified {
		return
	}
	ua := r.Header.Get("User-Agent")
	if !analytics.Human(ua) || r.Header.Get("Sec-Purpose") != "" || r.Header.Get("Purpose") == "prefetch" || r.Header.Get("X-Moz") == "prefetch" {
		return
	}
	h := analytics.Hit{At: time.Now(), Path: r.URL.Path, Referrer: r.Header.Get("Referer"), Host: r.Host, Addr: s.clientAddr(r), UserAgent: ua}
	if v.user != nil {
		h.UserID, h.Country, h.OrganizationType = v.user.ID, v.user.Country, v.user.OrganizationType
	}
	s.pageViews.Record(h)
}

// reportPeriod reads the period picker: ?year=YYYY, or ?from= and ?to=,
// or nothing for the whole life of the community (or site).
func reportPeriod(r *http.Request, began time.Time) (report.Period, view.Form, error) {
	q := r.URL.Query()
	f := view.Form{Values: url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}, "year": {q.Get("year")}}}
	now := time.Now()
	if y := q.Get("year"); y != "" && q.Get("from") == "" && q.Get("to") == "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < began.Year() || n > now.Year() {
			return report.Period{}, f, validation.Field("year", "report.error.year")
		}
		return report.Year(n, now), f, nil
	}
	p, err := report.ParsePeriod(q.Get("from"), q.Get("to"), began, now)
	return p, f, err
}

// reportPage builds a dashboard: the report over the period asked for,
// its charts, and the period picker with its errors.
func (s *Server) reportPage(r *http.Request, v *visit, began time.Time, compute func(report.Period) (report.Report, error)) (view.ReportPage, int, error) {
	status := http.StatusOK
	p, f, err := reportPeriod(r, began)
	if _, ok := validation.As(err); ok {
		// A bad period: say so next to the picker, and show the default.
		status = http.StatusBadRequest
		if f, err = formFrom(r, v.l, err); err != nil {
			return view.ReportPage{}, 0, err
		}
		f.Values = url.Values{"from": {r.URL.Query().Get("from")}, "to": {r.URL.Query().Get("to")}, "year": {r.URL.Query().Get("year")}}
		p, err = report.ParsePeriod("", "", began, time.Now())
	}
	if err != nil {
		return view.ReportPage{}, 0, err
	}
	rep, err := compute(p)
	if err != nil {
		return view.ReportPage{}, 0, err
	}
	mapKind := "members"
	if r.URL.Query().Get("map") == "attendees" {
		mapKind = "attendees"
	}
	page := view.ReportPage{Page: s.pageFor(r, v), R: rep, Picker: f, Map: mapKind,
		Charts: reportCharts(v.l, rep, mapKind), Figures: report.KeyFigures(rep, v.l, nil)}
	for y := time.Now().Year(); y >= began.Year(); y-- {
		page.Years = append(page.Years, y)
	}
	period := url.Values{"from": {rep.From}, "to": {rep.To}}
	page.PeriodQuery = period.Encode()
	return page, status, nil
}

// communityReport is a community's dashboard, for its managers.
func (s *Server) communityReport(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	page, status, err := s.reportPage(r, v, c.CreatedAt, func(p report.Period) (report.Report, error) {
		return report.ForCommunity(r.Context(), s.reports, c, p)
	})
	if err != nil {
		return err
	}
	page.C, page.V = &c, cv
	if page.Impact, err = report.LoadImpact(r.Context(), s.db, c.ID); err != nil {
		return err
	}
	page.ImpactForm = impactForm(page.Impact)
	s.render(w, r, status, view.Report(page))
	return nil
}

func impactForm(im report.Impact) view.Form {
	f := view.Form{Values: url.Values{"figures": im.Figures, "from": {im.From}, "to": {im.To}}}
	if im.Published {
		f.Values.Set("published", "on")
	}
	return f
}

// exportCommunityReport downloads a community's report as PDF, CSV (ZIP)
// or JSON.
func (s *Server) exportCommunityReport(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, _, err := s.managed(r, v)
	if err != nil {
		return err
	}
	p, _, err := reportPeriod(r, c.CreatedAt)
	if err != nil || !validFormat(r) {
		return s.refuseExport(w, r, v, err)
	}
	rep, err := report.ForCommunity(r.Context(), s.reports, c, p)
	if err != nil {
		return err
	}
	return s.writeReport(w, r, v, rep)
}

func validFormat(r *http.Request) bool {
	f := r.URL.Query().Get("format")
	return f == report.FormatPDF || f == report.FormatCSV || f == report.FormatJSON
}

// refuseExport answers a download asked for with a bad period or format:
// 400, with what is wrong in the reader's language.
func (s *Server) refuseExport(w http.ResponseWriter, r *http.Request, v *visit, err error) error {
	msg := v.l.T("report.error.format")
	if ve, ok := validation.As(err); ok {
		for _, name := range ve.Names() {
			msg = v.l.T(ve.Fields[name].Key, ve.Fields[name].Args...)
			break
		}
	} else if err != nil {
		return err
	}
	p := view.ErrorPage{Page: s.pageFor(r, v), Status: http.StatusBadRequest, Title: v.l.T("error.400_title"), Message: msg}
	s.render(w, r, http.StatusBadRequest, view.Error(p))
	return nil
}

// writeReport answers a download in the format asked for.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, v *visit, rep report.Report) error {
	var buf bytes.Buffer
	var ctype, ext string
	switch r.URL.Query().Get("format") {
	case report.FormatPDF:
		b, err := report.PDF(rep, v.l, s.cfg.SiteName)
		if err != nil {
			return err
		}
		buf.Write(b)
		ctype, ext = "application/pdf", ".pdf"
	case report.FormatCSV:
		if err := report.WriteZIP(&buf, rep); err != nil {
			return err
		}
		ctype, ext = "application/zip", ".zip"
	case report.FormatJSON:
		if err := report.WriteJSON(&buf, rep); err != nil {
			return err
		}
		ctype, ext = "application/json", ".json"
	default:
		return errBadRequest
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+rep.FileName()+ext+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err := w.Write(buf.Bytes())
	return err
}

// saveImpact publishes or withdraws the community's public impact page.
func (s *Server) saveImpact(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.managed(r, v)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	im := report.Impact{Published: r.PostForm.Get("published") == "on", Figures: r.PostForm["figures"], From: r.PostForm.Get("from"), To: r.PostForm.Get("to")}
	if im.Figures == nil {
		im.Figures = []string{}
	}
	_, err = report.SaveImpact(r.Context(), s.db, c.ID, c.CreatedAt, im, v.user.ID)
	if err == nil {
		redirect(w, r, "/communities/"+c.Slug+"/report#impact", "impact_saved")
		return nil
	}
	if _, ok := validation.As(err); !ok {
		return err
	}
	page, _, perr := s.reportPage(r, v, c.CreatedAt, func(p report.Period) (report.Report, error) {
		return report.ForCommunity(r.Context(), s.reports, c, p)
	})
	if perr != nil {
		return perr
	}
	page.C, page.V, page.Impact = &c, cv, im
	if page.ImpactForm, err = formFrom(r, v.l, err); err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.Report(page))
	return nil
}

// impactPage is a community's public page of the figures its managers
// chose to publish; while it is not published it does not exist.
func (s *Server) impactPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	c, cv, err := s.community(r, v)
	if err != nil {
		return err
	}
	im, err := report.LoadImpact(r.Context(), s.db, c.ID)
	if err != nil {
		return err
	}
	if !im.Published || !cv.CanRead(c) {
		return sqldb.ErrNotFound
	}
	p, err := report.ParsePeriod(im.From, im.To, c.CreatedAt, time.Now())
	if err != nil {
		return err
	}
	rep, err := report.ForCommunity(r.Context(), s.reports, c, p)
	if err != nil {
		return err
	}
	page := view.ImpactPage{Page: s.pageFor(r, v), C: c, V: cv, R: rep, Figures: report.KeyFigures(rep, v.l, im.Figures)}
	for _, f := range im.Figures {
		if f == "member_countries" {
			page.Map = report.WorldMap(report.Chart{ID: "impact-map", Title: v.l.T("report.map.members"), Desc: v.l.T("report.map.desc_members"),
				Format: number(v.l)}, rep.Members.ByCountry, countryNamer(v.l))
		}
	}
	s.render(w, r, http.StatusOK, view.Impact(page))
	return nil
}

// siteReport is the whole site's dashboard, for administrators.
func (s *Server) siteReport(w http.ResponseWriter, r *http.Request, v *visit) error {
	began, err := report.SiteBegan(r.Context(), s.reports)
	if err != nil {
		return err
	}
	page, status, err := s.reportPage(r, v, began, func(p report.Period) (report.Report, error) {
		return report.ForSite(r.Context(), s.reports, p)
	})
	if err != nil {
		return err
	}
	days, err := analytics.NewStore(s.db).Retention(r.Context())
	if err != nil {
		return err
	}
	if s.cfg.AnalyticsRetention > 0 {
		days, page.RetentionFixed = s.cfg.AnalyticsRetention, true
	}
	page.RetentionForm = view.Form{Values: url.Values{"retention_days": {strconv.Itoa(days)}}}
	page.Dropped = s.pageViews.Dropped()
	s.render(w, r, status, view.Report(page))
	return nil
}

// exportSiteReport downloads the site's report.
func (s *Server) exportSiteReport(w http.ResponseWriter, r *http.Request, v *visit) error {
	began, err := report.SiteBegan(r.Context(), s.reports)
	if err != nil {
		return err
	}
	p, _, err := reportPeriod(r, began)
	if err != nil || !validFormat(r) {
		return s.refuseExport(w, r, v, err)
	}
	rep, err := report.ForSite(r.Context(), s.reports, p)
	if err != nil {
		return err
	}
	return s.writeReport(w, r, v, rep)
}

// saveRetention changes how long raw page views are kept.
func (s *Server) saveRetention(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return errBadRequest
	}
	days, convErr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("retention_days")))
	var err error
	switch {
	case s.cfg.AnalyticsRetention > 0:
		err = validation.Field("retention_days", "report.error.retention_fixed")
	case convErr != nil:
		err = validation.Field("retention_days", "report.error.retention", analytics.MinRetention, analytics.MaxRetention)
	default:
		err = analytics.NewStore(s.db).SetRetention(r.Context(), days)
	}
	if err == nil {
		redirect(w, r, "/admin/report#retention", "retention_saved")
		return nil
	}
	if _, ok := validation.As(err); !ok {
		return err
	}
	began, berr := report.SiteBegan(r.Context(), s.reports)
	if berr != nil {
		return berr
	}
	page, _, perr := s.reportPage(r, v, began, func(p report.Period) (report.Report, error) {
		return report.ForSite(r.Context(), s.reports, p)
	})
	if perr != nil {
		return perr
	}
	if page.RetentionForm, err = formFrom(r, v.l, err); err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.Report(page))
	return nil
}

func number(l *i18n.Localizer) func(float64) string {
	return func(f float64) string { return l.Number(int64(f + .5)) }
}

func countryNamer(l *i18n.Localizer) func(string) string {
	return func(cc string) string { return taxonomy.CountryName(cc, l.Lang()) }
}

// monthBars turns monthly counts into chart bars, the years written under
// each January (and the first month).
func monthBars(l *i18n.Localizer, months []string, value func(i int) int) []report.Bar {
	bars := make([]report.Bar, len(months))
	for i, m := range months {
		t, _ := time.Parse("2006-01", m)
		b := report.Bar{Value: float64(value(i)), Title: l.Month(t) + ": " + l.Number(int64(value(i)))}
		if i == 0 || t.Month() == time.January {
			b.Label = strconv.Itoa(t.Year())
			if len(months) <= 14 {
				b.Label = l.Month(t)
			}
		} else if len(months) <= 14 && i%3 == 0 {
			b.Label = l.Month(t)
		}
		bars[i] = b
	}
	return bars
}

// reportCharts draws the dashboard's charts in the reader's language.
func reportCharts(l *i18n.Localizer, rep report.Report, mapKind string) view.ReportCharts {
	months := make([]string, len(rep.Members.ByMonth))
	for i, m := range rep.Members.ByMonth {
		months[i] = m.Month
	}
	n := number(l)
	pct := func(f float64) string { return l.Percent(f) }
	var c view.ReportCharts
	members := l.T("report.chart.members")
	if rep.Site {
		members = l.T("report.chart.accounts")
	}
	c.Members = report.Columns(report.Chart{ID: "ch-members", Title: members, Desc: l.T("report.chart.members_desc", l.Number(int64(rep.Members.Total)), rep.To), Format: n},
		monthBars(l, months, func(i int) int { return rep.Members.ByMonth[i].Count }), true)
	c.NewMembers = report.Columns(report.Chart{ID: "ch-new", Title: l.T("report.chart.new_members"), Desc: l.T("report.chart.new_members_desc", l.Number(int64(rep.Members.New))), Format: n},
		monthBars(l, months, func(i int) int { return rep.Members.NewByMonth[i].Count }), false)
	c.PageViews = report.Columns(report.Chart{ID: "ch-views", Title: l.T("report.chart.page_views"), Desc: l.T("report.chart.page_views_desc", l.Number(int64(rep.PageViews.Total))), Format: n},
		monthBars(l, months, func(i int) int { return rep.PageViews.ByMonth[i].Count }), false)
	if len(rep.Events.Items) > 0 {
		var funnel, satisfaction []report.Group
		for _, e := range rep.Events.Items {
			label := l.Date(e.StartsAt) + " · " + e.Title
			funnel = append(funnel, report.Group{Label: label,
				Values: []float64{float64(e.Registrants), float64(e.Attendees), float64(e.SurveyResponses)},
				Titles: []string{l.T("report.column.registrants") + ": " + l.Number(int64(e.Registrants)), l.T("report.column.attendees") + ": " + l.Number(int64(e.Attendees)),
					l.T("report.column.responses") + ": " + l.Number(int64(e.SurveyResponses))}})
			g := report.Group{Label: label}
			for _, q := range []string{"relevant", "clear"} {
				v, text := 0.0, "–"
				if sh := e.AgreeByQuestion[q]; sh != nil {
					v, text = *sh, l.Percent(*sh)
				}
				g.Values, g.Titles, g.Texts = append(g.Values, v), append(g.Titles, report.QuestionLabel(l, q)+": "+text), append(g.Texts, text)
			}
			satisfaction = append(satisfaction, g)
		}
		c.Funnel = report.Rows(report.Chart{ID: "ch-funnel", Title: l.T("report.chart.funnel"), Desc: l.T("report.chart.funnel_desc"), Format: n},
			[]string{l.T("report.column.registrants"), l.T("report.column.attendees"), l.T("report.column.responses")}, funnel, 0)
		c.Satisfaction = report.Rows(report.Chart{ID: "ch-satisfaction", Title: l.T("report.chart.satisfaction"), Desc: l.T("report.chart.satisfaction_desc"), Format: pct},
			[]string{report.QuestionLabel(l, "relevant"), report.QuestionLabel(l, "clear")}, satisfaction, 1)
	}
	if mapKind == "attendees" {
		c.Map = report.WorldMap(report.Chart{ID: "ch-map", Title: l.T("report.map.attendees"), Desc: l.T("report.map.desc_attendees"), Format: n},
			rep.Events.AttendeesByCountry, countryNamer(l))
	} else {
		c.Map = report.WorldMap(report.Chart{ID: "ch-map", Title: l.T("report.map.members"), Desc: l.T("report.map.desc_members"), Format: n},
			rep.Members.ByCountry, countryNamer(l))
	}
	return c
}
