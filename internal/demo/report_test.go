package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestModelReport: the model community's report for February 2018 to
// October 2021 shows what the community reported by hand, counted from
// raw records: 191 members at about four new a month, about 6,800 page
// views, 10 webinars, more than 2,300 registrants and 1,200 attendees from
// 57 countries, 1,400 recording views, and 93% and 97% agreement on
// relevance and clarity for the July 2021 webinar. Rolling the page views
// up into daily totals changes none of it.
func TestModelReport(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		c, err := community.NewStore(db).BySlug(ctx, demo.ModelSlug)
		if err != nil {
			t.Fatal(err)
		}
		p, err := report.ParsePeriod("2018-02-01", "2021-10-31", c.CreatedAt, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := report.ForCommunity(ctx, db, c, p)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("report in %s: %d members (%d new over %d months, %d left), %d page views (%d visitors), %d events, %d registrants, %d attendees, %d countries, %d recording views",
			time.Since(start).Round(time.Millisecond), r.Members.Total, r.Members.New, len(r.Members.NewByMonth), r.Members.Left, r.PageViews.Total, r.PageViews.UniqueVisitors,
			r.Events.Count, r.Events.Registrants, r.Events.Attendees, r.Events.CountriesReached, r.Events.RecordingViews)
		m := r.Members
		if m.Total != 191 {
			t.Errorf("members on 2021-10-31: got %d, want 191", m.Total)
		}
		if perMonth := float64(m.New) / float64(len(m.NewByMonth)); len(m.NewByMonth) != 45 || perMonth < 3.5 || perMonth > 4.8 {
			t.Errorf("new members: %d over %d months, want about four a month over 45", m.New, len(m.NewByMonth))
		}
		if last := m.ByMonth[len(m.ByMonth)-1]; last.Month != "2021-10" || last.Count != 191 {
			t.Errorf("members at the end of the last month: %+v", last)
		}
		if r.PageViews.Total != demo.ModelPageViews {
			t.Errorf("page views: got %d, want %d", r.PageViews.Total, demo.ModelPageViews)
		}
		e := r.Events
		if e.Count != 10 || e.Registrants <= 2300 || e.Attendees <= 1200 || e.CountriesReached != 57 || e.RecordingViews != 1400 {
			t.Errorf("events: %d, %d registrants, %d attendees, %d countries, %d views", e.Count, e.Registrants, e.Attendees, e.CountriesReached, e.RecordingViews)
		}
		var july *report.EventFunnel
		for i, it := range e.Items {
			if it.Title == demo.MentalHealthWebinar {
				july = &e.Items[i]
			}
		}
		if july == nil {
			t.Fatal("no July 2021 webinar in the report")
		}
		rel, clear := july.AgreeByQuestion["relevant"], july.AgreeByQuestion["clear"]
		if rel == nil || clear == nil || int(*rel*100+.5) != 93 || int(*clear*100+.5) != 97 {
			t.Errorf("July 2021 webinar: relevant %v, clear %v, want 93%% and 97%%", rel, clear)
		} else {
			t.Logf("July 2021 webinar: %.1f%% relevant, %.1f%% clear", *rel*100, *clear*100)
		}

		// Roll every page view up: the figures stay.
		if _, err := analytics.NewStore(db).Rollup(ctx, time.Now().AddDate(0, 0, 1)); err != nil {
			t.Fatal(err)
		}
		after, err := report.ForCommunity(ctx, db, c, p)
		if err != nil {
			t.Fatal(err)
		}
		if after.PageViews.Total != r.PageViews.Total || after.PageViews.UniqueVisitors != r.PageViews.UniqueVisitors {
			t.Errorf("after roll-up: %d views, %d visitors; before %d, %d", after.PageViews.Total, after.PageViews.UniqueVisitors, r.PageViews.Total, r.PageViews.UniqueVisitors)
		}
		for i := range r.PageViews.ByMonth {
			if r.PageViews.ByMonth[i] != after.PageViews.ByMonth[i] {
				t.Errorf("month %s after roll-up: %+v, before %+v", r.PageViews.ByMonth[i].Month, after.PageViews.ByMonth[i], r.PageViews.ByMonth[i])
			}
		}
		if len(after.PageViews.TopPages) == 0 || after.PageViews.TopPages[0] != r.PageViews.TopPages[0] {
			t.Errorf("top page after roll-up: %v, before %v", after.PageViews.TopPages, r.PageViews.TopPages)
		}
	})
}
