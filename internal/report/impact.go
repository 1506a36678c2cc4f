package report

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Impact is what a community shows on its public impact page
// (/communities/SLUG/impact): off until a manager publishes it, and then
// only the figures the manager chose, over the period they chose (empty
// bounds: from the community's creation, to today).
type Impact struct {
	Published bool
	Figures   []string // names from FigureKeys
	From, To  string   // YYYY-MM-DD or empty
	UpdatedAt time.Time
}

// DefaultImpactFigures are the figures a new impact page offers.
var DefaultImpactFigures = []string{"members", "member_countries", "events", "attendees", "countries_reached", "agree_share"}

// LoadImpact returns a community's impact page settings; a community that
// never set them has an unpublished page with the default figures.
func LoadImpact(ctx context.Context, q sqldb.Querier, communityID int64) (Impact, error) {
	var im Impact
	var figures string
	err := q.QueryRow(ctx, "SELECT published, figures, period_from, period_to, updated_at FROM community_impact WHERE community_id = ?", communityID).
		Scan(&im.Published, &figures, &im.From, &im.To, &im.UpdatedAt)
	if errors.Is(err, sqldb.ErrNotFound) {
		return Impact{Figures: append([]string(nil), DefaultImpactFigures...)}, nil
	}
	if err != nil {
		return im, fmt.Errorf("load impact page of community %d: %w", communityID, err)
	}
	im.Figures = []string{}
	for _, f := range strings.Split(figures, ",") {
		if f != "" {
			im.Figures = append(im.Figures, f)
		}
	}
	return im, nil
}

// Validate checks the settings and returns them cleaned: known figures in
// their usual order, and a period that ParsePeriod accepts.
func (im Impact) Validate(began, now time.Time) (Impact, error) {
	var e validation.Error
	want := map[string]bool{}
	for _, f := range im.Figures {
		known := false
		for _, k := range FigureKeys {
			if f == k {
				known = true
			}
		}
		if !known {
			e.Add("figures", "report.error.figure", f)
			continue
		}
		want[f] = true
	}
	im.Figures = []string{}
	for _, k := range FigureKeys {
		if want[k] {
			im.Figures = append(im.Figures, k)
		}
	}
	if im.Published && len(im.Figures) == 0 {
		e.Add("figures", "report.error.no_figures")
	}
	im.From, im.To = strings.TrimSpace(im.From), strings.TrimSpace(im.To)
	for _, f := range []struct{ name, v string }{{"from", im.From}, {"to", im.To}} {
		if f.v != "" {
			if _, err := time.Parse("2006-01-02", f.v); err != nil {
				e.Add(f.name, "report.error.day")
			}
		}
	}
	if e.Err() == nil {
		if _, err := ParsePeriod(im.From, im.To, began, now); err != nil {
			return im, err
		}
	}
	return im, e.Err()
}

// SaveImpact validates and stores a community's impact page settings.
func SaveImpact(ctx context.Context, q sqldb.Querier, communityID int64, began time.Time, im Impact, by int64) (Impact, error) {
	im, err := im.Validate(began, time.Now())
	if err != nil {
		return im, err
	}
	im.UpdatedAt = time.Now().UTC()
	var user any
	if by != 0 {
		user = by
	}
	_, err = q.Exec(ctx, `INSERT INTO community_impact (community_id, published, figures, period_from, period_to, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community_id) DO UPDATE SET published = excluded.published, figures = excluded.figures,
		period_from = excluded.period_from, period_to = excluded.period_to, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		communityID, im.Published, strings.Join(im.Figures, ","), im.From, im.To, user, im.UpdatedAt)
	if err != nil {
		return im, fmt.Errorf("save impact page of community %d: %w", communityID, err)
	}
	return im, nil
}
