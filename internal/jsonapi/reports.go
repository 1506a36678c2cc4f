package jsonapi

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

func (s *Server) registerReports() {
	s.handle("GET /api/v1/communities/{slug}/report", member, s.communityReport)
	s.handle("GET /api/v1/communities/{slug}/impact", anyone, s.getImpact)
	s.handle("PUT /api/v1/communities/{slug}/impact", member, s.putImpact)
	s.handle("GET /api/v1/site/report", admin, s.siteReport)
	s.handle("GET /api/v1/site/analytics", admin, s.getAnalyticsSettings)
	s.handle("PUT /api/v1/site/analytics", admin, s.putAnalyticsSettings)
}

// reportFormat reads ?format=: json (the default), csv (a ZIP of CSV
// tables) or pdf (the annual report).
func reportFormat(r *http.Request) (string, error) {
	f := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("format")))
	if f == "" {
		return report.FormatJSON, nil
	}
	var e validation.Error
	f = e.OneOf("format", f, true, report.Formats...)
	return f, e.Err()
}

// writeReport answers with the report in the format asked for.
func (s *Server) writeReport(w http.ResponseWriter, c *call, rep report.Report, format string) error {
	switch format {
	case report.FormatCSV:
		var buf bytes.Buffer
		if err := report.WriteZIP(&buf, rep); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="`+rep.FileName()+`.zip"`)
		_, err := w.Write(buf.Bytes())
		return err
	case report.FormatPDF:
		b, err := report.PDF(rep, c.l, s.cfg.SiteName)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+rep.FileName()+`.pdf"`)
		_, err = w.Write(b)
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// communityReport answers a community's report to its managers and site
// administrators: members get 403, like managers of other communities.
func (s *Server) communityReport(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	format, err := reportFormat(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := report.ParsePeriod(q.Get("from"), q.Get("to"), com.CreatedAt, time.Now())
	if err != nil {
		return err
	}
	rep, err := report.ForCommunity(r.Context(), s.reports, com, p)
	if err != nil {
		return err
	}
	return s.writeReport(w, c, rep, format)
}

// siteReport answers the whole site's report to administrators.
func (s *Server) siteReport(w http.ResponseWriter, r *http.Request, c *call) error {
	format, err := reportFormat(r)
	if err != nil {
		return err
	}
	began, err := report.SiteBegan(r.Context(), s.reports)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := report.ParsePeriod(q.Get("from"), q.Get("to"), began, time.Now())
	if err != nil {
		return err
	}
	rep, err := report.ForSite(r.Context(), s.reports, p)
	if err != nil {
		return err
	}
	return s.writeReport(w, c, rep, format)
}

// impactJSON is a community's public impact page: its settings, and for
// anyone once published, the figures it shows.
type impactJSON struct {
	Published bool         `json:"published"`
	Figures   []string     `json:"figures"`
	From      string       `json:"from"`
	To        string       `json:"to"`
	Values    []figureJSON `json:"values,omitempty"`
	URL       string       `json:"url"`
}

type figureJSON struct {
	Figure string `json:"figure"`
	Label  string `json:"label"`
	Value  string `json:"value"`
}

func (s *Server) impactJSON(r *http.Request, c *call, com community.Community, im report.Impact) (impactJSON, error) {
	j := impactJSON{Published: im.Published, Figures: nonNil(im.Figures), From: im.From, To: im.To, URL: s.cfg.BaseURL + "/communities/" + com.Slug + "/impact"}
	if !im.Published {
		return j, nil
	}
	p, err := report.ParsePeriod(im.From, im.To, com.CreatedAt, time.Now())
	if err != nil {
		return j, err
	}
	rep, err := report.ForCommunity(r.Context(), s.reports, com, p)
	if err != nil {
		return j, err
	}
	j.From, j.To = rep.From, rep.To
	for _, f := range report.KeyFigures(rep, c.l, im.Figures) {
		j.Values = append(j.Values, figureJSON{Figure: f.Key, Label: f.Label, Value: f.Value})
	}
	return j, nil
}

// getImpact answers the published figures of a community to anyone, and
// the settings to its managers; an unpublished page does not exist for
// others.
func (s *Server) getImpact(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	im, err := report.LoadImpact(r.Context(), s.db, com.ID)
	if err != nil {
		return err
	}
	if !im.Published && !v.CanManage() || !v.CanRead(com) && !v.CanManage() {
		return sqldb.ErrNotFound
	}
	j, err := s.impactJSON(r, c, com, im)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

type impactInput struct {
	Published *bool     `json:"published"`
	Figures   *[]string `json:"figures"`
	From      *string   `json:"from"`
	To        *string   `json:"to"`
}

// putImpact changes a community's public impact page: its managers only.
func (s *Server) putImpact(w http.ResponseWriter, r *http.Request, c *call) error {
	com, v, err := s.community(r, c)
	if err != nil {
		return err
	}
	if !v.CanManage() {
		return account.ErrForbidden
	}
	var in impactInput
	if err := decode(r, c, &in); err != nil {
		return err
	}
	im, err := report.LoadImpact(r.Context(), s.db, com.ID)
	if err != nil {
		return err
	}
	if in.Published != nil {
		im.Published = *in.Published
	}
	if in.Figures != nil {
		im.Figures = *in.Figures
	}
	if in.From != nil {
		im.From = *in.From
	}
	if in.To != nil {
		im.To = *in.To
	}
	if im, err = report.SaveImpact(r.Context(), s.db, com.ID, com.CreatedAt, im, c.user.ID); err != nil {
		return err
	}
	j, err := s.impactJSON(r, c, com, im)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

type analyticsJSON struct {
	RetentionDays int `json:"retention_days"`
	// RetentionFixed: the operator set the period (--analytics-retention);
	// it cannot be changed here.
	RetentionFixed bool `json:"retention_fixed"`
}

func (s *Server) getAnalyticsSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	if s.cfg.AnalyticsRetention > 0 {
		return writeJSON(w, http.StatusOK, analyticsJSON{RetentionDays: s.cfg.AnalyticsRetention, RetentionFixed: true})
	}
	days, err := analytics.NewStore(s.db).Retention(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, analyticsJSON{RetentionDays: days})
}

func (s *Server) putAnalyticsSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	var in analyticsJSON
	if err := decode(r, c, &in); err != nil {
		return err
	}
	if s.cfg.AnalyticsRetention > 0 {
		return validation.Field("retention_days", "report.error.retention_fixed")
	}
	if err := analytics.NewStore(s.db).SetRetention(r.Context(), in.RetentionDays); err != nil {
		return err
	}
	in.RetentionFixed = false
	return writeJSON(w, http.StatusOK, in)
}
