package event

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
)

// Count is a value (a country, an organisation type) and how many people
// have it.
type Count struct {
	Value string
	Count int
}

// Funnel follows an event's people from registration to membership.
type Funnel struct {
	Registered int // registrants (with a seat or waiting)
	Attended   int // registrants who attended
	Answered   int // survey responses
	Joined     int // attendees who became members of the community after registering (or, for walk-ins, after the event began)
}

// Report is what an event achieved, counted from its registrations,
// attendance and survey every time it is asked for; nothing of it is
// stored.
type Report struct {
	Registrants         int // not cancelled: with a seat or on the waiting list
	Waitlisted          int
	Cancelled           int
	Attendees           int // distinct people who joined, walk-ins included
	WalkIns             int
	RegistrantsAttended int
	AttendanceRate      float64 // registrants who attended / registrants
	RegistrantCountries []Count // most first
	AttendeeCountries   []Count
	RegistrantTypes     []Count
	AttendeeTypes       []Count
	RecordingViews      int
	Survey              survey.Results
	HasSurvey           bool
	Funnel              Funnel
}

// Report counts an event's report with five queries.
func (s *Store) Report(ctx context.Context, e Event) (Report, error) {
	rep := Report{RecordingViews: e.RecordingViews}
	regCountries, regTypes := map[string]int{}, map[string]int{}
	rows, err := s.q.Query(ctx, `SELECT status, country, organization_type, COUNT(*) FROM event_registrations WHERE event_id = ?
		GROUP BY status, country, organization_type`, e.ID)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var status, country, typ string
		var n int
		if err := r.Scan(&status, &country, &typ, &n); err != nil {
			return err
		}
		if status == StatusCancelled {
			rep.Cancelled += n
			return nil
		}
		if status == StatusWaitlisted {
			rep.Waitlisted += n
		}
		rep.Registrants += n
		regCountries[country] += n
		regTypes[typ] += n
		return nil
	}); err != nil {
		return rep, fmt.Errorf("count registrations of event %d: %w", e.ID, err)
	}
	attendees, err := s.Attendees(ctx, e)
	if err != nil {
		return rep, err
	}
	attCountries, attTypes := map[string]int{}, map[string]int{}
	for _, a := range attendees {
		rep.Attendees++
		switch a.RegistrationStatus {
		case "":
			rep.WalkIns++
		case StatusCancelled:
		default:
			rep.RegistrantsAttended++
		}
		attCountries[a.Country]++
		attTypes[a.OrganizationType]++
	}
	if rep.Registrants > 0 {
		rep.AttendanceRate = float64(rep.RegistrantsAttended) / float64(rep.Registrants)
	}
	rep.RegistrantCountries, rep.RegistrantTypes = counts(regCountries), counts(regTypes)
	rep.AttendeeCountries, rep.AttendeeTypes = counts(attCountries), counts(attTypes)

	surveys := survey.NewStore(s.q)
	sv, err := surveys.ForEvent(ctx, e.ID)
	switch {
	case errors.Is(err, sqldb.ErrNotFound):
	case err != nil:
		return rep, err
	default:
		rep.HasSurvey = true
		if rep.Survey, err = surveys.Results(ctx, sv); err != nil {
			return rep, err
		}
	}
	rep.Funnel = Funnel{Registered: rep.Registrants, Attended: rep.RegistrantsAttended, Answered: rep.Survey.Responses}
	err = s.q.QueryRow(ctx, `SELECT COUNT(DISTINCT a.id) FROM event_attendees a
		JOIN users u ON u.email = a.email
		JOIN memberships m ON m.user_id = u.id AND m.community_id = ?
		LEFT JOIN event_registrations r ON r.id = a.registration_id
		WHERE a.event_id = ? AND a.email <> '' AND m.joined_at >= COALESCE(r.registered_at, ?)`, e.CommunityID, e.ID, e.StartsAt).Scan(&rep.Funnel.Joined)
	if err != nil {
		return rep, fmt.Errorf("count new members of event %d: %w", e.ID, err)
	}
	return rep, nil
}

// DistinctCountries counts the countries of a list, leaving out the
// unknown one.
func DistinctCountries(cs []Count) int {
	n := 0
	for _, c := range cs {
		if c.Value != "" {
			n++
		}
	}
	return n
}

// counts turns a tally into a list, most frequent first, the unknown value
// last.
func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for v, n := range m {
		out = append(out, Count{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Value == "") != (b.Value == "") {
			return b.Value == ""
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Value < b.Value
	})
	return out
}

// Figures are a community's events over a period, for its report: each
// event's distinct registrants and attendees summed, the distinct
// countries of all those attendees, recording views, and the survey
// responses with the share of five-point answers that agree.
type Figures struct {
	Events           int
	Registrants      int
	Attendees        int
	Countries        []string // of the attendees, sorted
	RecordingViews   int
	SurveyResponses  int
	AgreeShare       float64
	HasAgree         bool
	CancelledEvents  int
	EventsWithSurvey int
}

// CountriesReached is the number of distinct countries of the attendees.
func (f Figures) CountriesReached() int { return len(f.Countries) }

// CommunityFigures counts the figures of a community's published events
// that start within [from, to] (a zero bound is open), with five queries.
// The community report (issue 4) reads them; they are never stored.
func (s *Store) CommunityFigures(ctx context.Context, communityID int64, from, to time.Time) (Figures, error) {
	var f Figures
	where, args := " WHERE e.community_id = ?", []any{communityID}
	if !from.IsZero() {
		where += " AND e.starts_at >= ?"
		args = append(args, from)
	}
	if !to.IsZero() {
		where += " AND e.starts_at <= ?"
		args = append(args, to)
	}
	rows, err := s.q.Query(ctx, "SELECT e.id, e.status, e.recording_views FROM events e"+where+" AND e.status <> 'draft'", args...)
	var ids []int64
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id int64
		var status string
		var views int
		if err := r.Scan(&id, &status, &views); err != nil {
			return err
		}
		if status == Cancelled {
			f.CancelledEvents++
			return nil
		}
		f.Events++
		f.RecordingViews += views
		ids = append(ids, id)
		return nil
	}); err != nil {
		return f, fmt.Errorf("events of community %d: %w", communityID, err)
	}
	published := where + " AND e.status = 'published'"
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id"+published+" AND r.status <> 'cancelled'", args...).
		Scan(&f.Registrants); err != nil {
		return f, fmt.Errorf("registrants of community %d: %w", communityID, err)
	}
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM event_attendees a JOIN events e ON e.id = a.event_id"+published, args...).Scan(&f.Attendees); err != nil {
		return f, fmt.Errorf("attendees of community %d: %w", communityID, err)
	}
	rows, err = s.q.Query(ctx, `SELECT DISTINCT COALESCE(NULLIF(r.country, ''), u.country, '') FROM event_attendees a JOIN events e ON e.id = a.event_id
		LEFT JOIN event_registrations r ON r.id = a.registration_id LEFT JOIN users u ON u.id = a.user_id`+published, args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var cc string
		if err := r.Scan(&cc); err != nil {
			return err
		}
		if cc != "" {
			f.Countries = append(f.Countries, cc)
		}
		return nil
	}); err != nil {
		return f, fmt.Errorf("countries reached by community %d: %w", communityID, err)
	}
	sort.Strings(f.Countries)
	sums, err := survey.NewStore(s.q).Summaries(ctx, ids)
	if err != nil {
		return f, err
	}
	var all [5]int
	for _, sm := range sums {
		f.EventsWithSurvey++
		f.SurveyResponses += sm.Responses
		for _, c := range sm.Likert {
			for i, n := range c {
				all[i] += n
			}
		}
	}
	f.AgreeShare, f.HasAgree = survey.AgreeShare(all)
	return f, nil
}
