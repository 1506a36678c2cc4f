package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
)

// TestModelWebinars: the model community's ten webinars, generated as raw
// records, add up to what the community reported: more than 2,300
// registrants and 1,200 attendees from 57 countries, 1,400 recording
// views, and 93% and 97% for the July 2021 webinar.
func TestModelWebinars(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Now()
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		t.Logf("the demo loaded in %s on %s", time.Since(start).Round(time.Millisecond), db.Dialect())
		c, err := community.NewStore(db).BySlug(ctx, demo.ModelSlug)
		if err != nil {
			t.Fatal(err)
		}
		st := event.NewStore(db)
		fig, err := st.CommunityFigures(ctx, c.ID, time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("figures: %d webinars, %d registrants, %d attendees, %d countries, %d views, %d responses, %.1f%% agree",
			fig.Events, fig.Registrants, fig.Attendees, fig.CountriesReached(), fig.RecordingViews, fig.SurveyResponses, fig.AgreeShare*100)
		if fig.Events != 10 || fig.Registrants <= 2300 || fig.Attendees <= 1200 || fig.CountriesReached() != demo.DemoAttendeeCountries || fig.RecordingViews != 1400 {
			t.Errorf("figures %+v", fig)
		}
		list, _, err := st.List(ctx, event.ListOptions{CommunityID: c.ID, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var july event.Listed
		years := map[int]int{}
		for _, l := range list {
			years[l.StartsAt.Year()]++
			if l.Title == demo.MentalHealthWebinar {
				july = l
			}
		}
		if years[2018] == 0 || years[2019] == 0 || years[2020] == 0 || years[2021] == 0 {
			t.Errorf("webinars by year %v", years)
		}
		if july.ID == 0 || july.StartsAt.Format("2006-01") != "2021-07" {
			t.Fatalf("no July 2021 mental health webinar")
		}
		full, _ := st.ByID(ctx, july.ID)
		countries := map[string]bool{}
		for _, s := range full.Speakers {
			countries[s.Country] = true
		}
		for _, cc := range []string{"AR", "CN", "IN", "IR", "KR", "TH"} {
			if !countries[cc] {
				t.Errorf("no speaker from %s", cc)
			}
		}
		rep, err := st.Report(ctx, full)
		if err != nil {
			t.Fatal(err)
		}
		l := i18n.For("en")
		shares := map[string]string{}
		for _, q := range rep.Survey.Questions {
			if s, ok := q.AgreeShare(); ok {
				shares[q.ID] = l.Percent(s)
			}
		}
		if shares[survey.Relevant] != "93%" || shares[survey.Clear] != "97%" {
			t.Errorf("July 2021: %v agree, want 93%% relevant and 97%% clear", shares)
		}
		if rep.Funnel.Joined == 0 || rep.WalkIns == 0 || rep.Attendees <= rep.RegistrantsAttended {
			t.Errorf("July 2021 report %+v", rep.Funnel)
		}
		var mails, jobs int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM outbox").Scan(&mails)
		db.QueryRow(ctx, "SELECT COUNT(*) FROM river_job").Scan(&jobs)
		if mails != 0 || jobs != 0 {
			t.Errorf("the demo wrote %d messages and %d jobs", mails, jobs)
		}
	})
}
