package report

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/taxonomy"
)

// TopPages is how many pages and referrers a report lists.
const TopPages = 10

// scope is what a report counts: one community, or the whole site.
type scope struct {
	communityID int64 // 0: the whole site
}

// periods returns the SQL of the membership periods the report counts,
// with columns uid, s (start) and e (end, NULL while it lasts), and its
// arguments: a community's memberships, or for the site its accounts from
// creation to deactivation.
func (sc scope) periods() (string, []any) {
	if sc.communityID == 0 {
		return "(SELECT id AS uid, created_at AS s, disabled_at AS e FROM users)", nil
	}
	return "(SELECT user_id AS uid, joined_at AS s, left_at AS e FROM memberships WHERE community_id = ?)", []any{sc.communityID}
}

// ForCommunity computes the report of a community over a period.
func ForCommunity(ctx context.Context, q sqldb.Querier, c community.Community, p Period) (Report, error) {
	return shared(ctx, q, "c"+strconv.FormatInt(c.ID, 10)+"/"+p.key(), func(ctx context.Context) (Report, error) {
		r := newReport(p)
		r.Community = &CommunityRef{ID: c.ID, Slug: c.Slug, Name: c.Name, CreatedAt: c.CreatedAt.UTC()}
		sc := scope{communityID: c.ID}
		if err := r.compute(ctx, q, sc); err != nil {
			return r, fmt.Errorf("report of community %s: %w", c.Slug, err)
		}
		return r, nil
	})
}

// ForSite computes the report of the whole site over a period: accounts
// instead of members, every community's events and content, every page.
func ForSite(ctx context.Context, q sqldb.Querier, p Period) (Report, error) {
	return shared(ctx, q, "site/"+p.key(), func(ctx context.Context) (Report, error) {
		r := newReport(p)
		r.Site = true
		if err := r.compute(ctx, q, scope{}); err != nil {
			return r, fmt.Errorf("site report: %w", err)
		}
		if err := r.communities(ctx, q); err != nil {
			return r, fmt.Errorf("site report: %w", err)
		}
		return r, nil
	})
}

// reports shares a report being computed among the readers who ask for
// the same one meanwhile: a report reads years of records (a second or
// more for a large community at scale 1), and its managers, or one who
// reloads, ask for it again before it is done. A reader who joins gets
// figures at most that computation's time older than their request;
// nothing is kept once it is done. The report is shared read-only.
var reports singleflight.Group

func shared(ctx context.Context, q sqldb.Querier, key string, compute func(context.Context) (Report, error)) (Report, error) {
	db, ok := q.(*sqldb.DB)
	if !ok {
		return compute(ctx)
	}
	v, err, _ := reports.Do(fmt.Sprintf("%p/%s", db, key), func() (any, error) {
		// The readers who wait do not depend on the first one staying.
		return compute(context.WithoutCancel(ctx))
	})
	if err != nil {
		return Report{}, err
	}
	return v.(Report), nil
}

// SiteBegan is when the site began: its first account.
func SiteBegan(ctx context.Context, q sqldb.Querier) (time.Time, error) {
	var t time.Time
	err := q.QueryRow(ctx, "SELECT created_at FROM users ORDER BY created_at LIMIT 1").Scan(&t)
	if errors.Is(err, sqldb.ErrNotFound) {
		return time.Now().UTC(), nil
	}
	return t, err
}

func newReport(p Period) Report {
	return Report{
		Period: p, From: p.From.Format("2006-01-02"), To: p.LastDay().Format("2006-01-02"), GeneratedAt: time.Now().UTC().Truncate(time.Second),
		Exchanges: emptyExchanges(), SDGs: []SDGCoverage{}, Targets: []TargetCount{},
	}
}

func (r *Report) compute(ctx context.Context, q sqldb.Querier, sc scope) error {
	steps := []func(context.Context, sqldb.Querier, scope) error{r.members, r.events, r.content, r.pageViews, r.coverage, r.exchanges}
	for _, step := range steps {
		if err := step(ctx, q, sc); err != nil {
			return err
		}
	}
	return nil
}

func (r *Report) members(ctx context.Context, q sqldb.Querier, sc scope) error {
	p := r.Period
	src, args := sc.periods()
	d := q.Dialect()
	m := &r.Members
	m.ByCountry, m.ByRegion, m.ByOrganizationType = map[string]int{}, map[string]int{}, map[string]int{}
	m.DevelopingSource = taxonomy.DevelopmentSource()

	// Who belonged at the end of the last day, by country and type.
	rows, err := q.Query(ctx, `SELECT u.country, u.organization_type, COUNT(*) FROM users u
		WHERE u.id IN (SELECT uid FROM `+src+` p WHERE s < ? AND (e IS NULL OR e >= ?))
		GROUP BY u.country, u.organization_type`, append(append([]any{}, args...), p.End, p.End)...)
	known, developing := 0, 0
	if err := sqldb.Each(rows, err, func(s sqldb.Scanner) error {
		var country, typ string
		var n int
		if err := s.Scan(&country, &typ, &n); err != nil {
			return err
		}
		m.Total += n
		if c, ok := taxonomy.CountryByCode(country); ok {
			m.ByCountry[c.Code] += n
			known += n
			if c.Region != "" {
				m.ByRegion[c.Region] += n
			}
			if taxonomy.IsDeveloping(c.Code) {
				developing += n
			}
		} else {
			m.WithoutCountry += n
		}
		if typ != "" {
			m.ByOrganizationType[typ] += n
		} else {
			m.WithoutOrganizationType += n
		}
		return nil
	}); err != nil {
		return fmt.Errorf("members on %s: %w", r.To, err)
	}
	if known > 0 {
		share := float64(developing) / float64(known)
		m.DevelopingShare = &share
	}

	// Joins and departures by month, from the beginning: the count at the
	// end of each month is every join before it less every departure.
	monthly := func(query string, args ...any) (map[string]int, error) {
		out := map[string]int{}
		rows, err := q.Query(ctx, query, args...)
		err = sqldb.Each(rows, err, func(s sqldb.Scanner) error {
			var month string
			var n int
			if err := s.Scan(&month, &n); err != nil {
				return err
			}
			out[month] += n
			return nil
		})
		return out, err
	}
	joins, err := monthly("SELECT "+d.Month("s")+", COUNT(*) FROM "+src+" p WHERE s < ? GROUP BY "+d.Month("s"), append(append([]any{}, args...), p.End)...)
	if err != nil {
		return fmt.Errorf("joins by month: %w", err)
	}
	leaves, err := monthly("SELECT "+d.Month("e")+", COUNT(*) FROM "+src+" p WHERE e IS NOT NULL AND e < ? GROUP BY "+d.Month("e"), append(append([]any{}, args...), p.End)...)
	if err != nil {
		return fmt.Errorf("departures by month: %w", err)
	}
	// New: the month of each person's first join, when it lies in the period.
	firsts, err := monthly("SELECT "+d.Month("f")+", COUNT(*) FROM (SELECT uid, MIN(s) AS f FROM "+src+" p GROUP BY uid) x WHERE f >= ? AND f < ? GROUP BY "+d.Month("f"),
		append(append([]any{}, args...), p.From, p.End)...)
	if err != nil {
		return fmt.Errorf("new members by month: %w", err)
	}
	// Departures during the period, by month.
	left, err := monthly("SELECT "+d.Month("e")+", COUNT(*) FROM "+src+" p WHERE e IS NOT NULL AND e >= ? AND e < ? GROUP BY "+d.Month("e"),
		append(append([]any{}, args...), p.From, p.End)...)
	if err != nil {
		return fmt.Errorf("departures by month: %w", err)
	}
	months := p.Months()
	running := 0
	first := ""
	if len(months) > 0 {
		first = months[0]
	}
	for month, n := range joins {
		if month < first {
			running += n
		}
	}
	for month, n := range leaves {
		if month < first {
			running -= n
		}
	}
	m.NewByMonth = make([]MonthCount, len(months))
	m.LeftByMonth = make([]MonthCount, len(months))
	m.ByMonth = make([]MonthCount, len(months))
	for i, month := range months {
		running += joins[month] - leaves[month]
		m.NewByMonth[i] = MonthCount{Month: month, Count: firsts[month]}
		m.LeftByMonth[i] = MonthCount{Month: month, Count: left[month]}
		m.ByMonth[i] = MonthCount{Month: month, Count: running}
		m.New += firsts[month]
		m.Left += left[month]
	}
	return nil
}

func (r *Report) events(ctx context.Context, q sqldb.Querier, sc scope) error {
	p := r.Period
	ev := &r.Events
	ev.AttendeesByCountry = map[string]int{}
	ev.Countries, ev.Items = []string{}, []EventFunnel{}
	where, args := " WHERE e.status = 'published' AND e.starts_at >= ? AND e.starts_at <= ?", []any{p.From, p.To()}
	if sc.communityID != 0 {
		where, args = " WHERE e.community_id = ? AND e.status = 'published' AND e.starts_at >= ? AND e.starts_at <= ?", []any{sc.communityID, p.From, p.To()}
	}
	rows, err := q.Query(ctx, "SELECT e.id, e.title, e.kind, e.starts_at, e.recording_views FROM events e"+where+" ORDER BY e.starts_at, e.id", args...)
	byID := map[int64]*EventFunnel{}
	var ids []int64
	if err := sqldb.Each(rows, err, func(s sqldb.Scanner) error {
		var f EventFunnel
		if err := s.Scan(&f.ID, &f.Title, &f.Kind, &f.StartsAt, &f.RecordingViews); err != nil {
			return err
		}
		f.StartsAt = f.StartsAt.UTC()
		f.AgreeByQuestion = map[string]*float64{}
		ev.Items = append(ev.Items, f)
		ids = append(ids, f.ID)
		return nil
	}); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	for i := range ev.Items {
		byID[ev.Items[i].ID] = &ev.Items[i]
	}
	rows, err = q.Query(ctx, "SELECT r.event_id, COUNT(*) FROM event_registrations r JOIN events e ON e.id = r.event_id"+where+" AND r.status <> 'cancelled' GROUP BY r.event_id", args...)
	if err := sqldb.Each(rows, err, func(s sqldb.Scanner) error {
		var id int64
		var n int
		if err := s.Scan(&id, &n); err != nil {
			return err
		}
		if f := byID[id]; f != nil {
			f.Registrants = n
		}
		return nil
	}); err != nil {
		return fmt.Errorf("registrants: %w", err)
	}
	// Attendees as event.Report counts them: each distinct person once, a
	// walk-in one with no registration, a registrant who attended one whose
	// registration is not cancelled.
	rows, err = q.Query(ctx, `SELECT a.event_id, COALESCE(NULLIF(r.country, ''), u.country, ''), COUNT(*),
		SUM(CASE WHEN r.id IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN r.status IS NOT NULL AND r.status <> 'cancelled' THEN 1 ELSE 0 END)
		FROM event_attendees a JOIN events e ON e.id = a.event_id
		LEFT JOIN event_registrations r ON r.id = a.registration_id LEFT JOIN users u ON u.id = a.user_id`+where+`
		GROUP BY a.event_id, COALESCE(NULLIF(r.country, ''), u.country, '')`, args...)
	countries := map[string]bool{}
	if err := sqldb.Each(rows, err, func(s sqldb.Scanner) error {
		var id int64
		var cc string
		var n, walkIns, attended int
		if err := s.Scan(&id, &cc, &n, &walkIns, &attended); err != nil {
			return err
		}
		f := byID[id]
		if f == nil {
			return nil
		}
		f.Attendees += n
		f.WalkIns += walkIns
		f.RegistrantsAttended += attended
		if cc != "" {
			f.Countries++
			countries[cc] = true
			ev.AttendeesByCountry[cc] += n
		}
		return nil
	}); err != nil {
		return fmt.Errorf("attendees: %w", err)
	}
	sums, err := survey.NewStore(q).Summaries(ctx, ids)
	if err != nil {
		return err
	}
	byQuestion := map[string][5]int{}
	var all [5]int
	for i := range ev.Items {
		f := &ev.Items[i]
		f.NoShows = f.Registrants - f.RegistrantsAttended
		if f.Registrants > 0 {
			rate := float64(f.RegistrantsAttended) / float64(f.Registrants)
			f.AttendanceRate = &rate
		}
		sm, ok := sums[f.ID]
		if !ok {
			continue
		}
		f.SurveyResponses = sm.Responses
		f.AgreeShare = share(sm.AllAgree())
		for id, counts := range sm.Likert {
			f.AgreeByQuestion[id] = share(sm.AgreeShare(id))
			c := byQuestion[id]
			for k, n := range counts {
				c[k] += n
				all[k] += n
			}
			byQuestion[id] = c
		}
		r.Surveys.Responses += sm.Responses
	}
	for cc := range countries {
		ev.Countries = append(ev.Countries, cc)
	}
	sort.Strings(ev.Countries)

	if sc.communityID != 0 {
		// The community's figures as package event counts them.
		fig, err := event.NewStore(q).CommunityFigures(ctx, sc.communityID, p.From, p.To())
		if err != nil {
			return err
		}
		ev.Count, ev.Registrants, ev.Attendees, ev.CountriesReached = fig.Events, fig.Registrants, fig.Attendees, fig.CountriesReached()
		ev.RecordingViews, ev.Cancelled = fig.RecordingViews, fig.CancelledEvents
		r.Surveys.Responses = fig.SurveyResponses
		if fig.HasAgree {
			v := fig.AgreeShare
			r.Surveys.AgreeShare = &v
		}
	} else {
		for _, f := range ev.Items {
			ev.Count++
			ev.Registrants += f.Registrants
			ev.Attendees += f.Attendees
			ev.RecordingViews += f.RecordingViews
		}
		ev.CountriesReached = len(ev.Countries)
		r.Surveys.AgreeShare = share(survey.AgreeShare(all))
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM events e WHERE e.status = 'cancelled' AND e.starts_at >= ? AND e.starts_at <= ?", p.From, p.To()).Scan(&ev.Cancelled); err != nil {
			return fmt.Errorf("cancelled events: %w", err)
		}
	}
	for _, n := range all {
		r.Surveys.Answers += n
	}
	r.Surveys.Questions = []QuestionShare{}
	seen := map[string]bool{}
	add := func(id string) {
		c, ok := byQuestion[id]
		if !ok || seen[id] {
			return
		}
		seen[id] = true
		qs := QuestionShare{ID: id, AgreeShare: share(survey.AgreeShare(c))}
		for _, n := range c {
			qs.Answers += n
		}
		r.Surveys.Questions = append(r.Surveys.Questions, qs)
	}
	for _, id := range survey.StandardLikert {
		add(id)
	}
	others := make([]string, 0, len(byQuestion))
	for id := range byQuestion {
		others = append(others, id)
	}
	sort.Strings(others)
	for _, id := range others {
		add(id)
	}
	return nil
}

func share(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

func (r *Report) content(ctx context.Context, q sqldb.Querier, sc scope) error {
	p := r.Period
	c := &r.Content
	if sc.communityID != 0 {
		var err error
		if c.Threads, c.Posts, err = discussion.NewStore(q).ThreadsCreatedBetween(ctx, sc.communityID, p.From, p.End); err != nil {
			return fmt.Errorf("threads and posts: %w", err)
		}
		if c.Resources, err = library.NewStore(q, nil).CountBetween(ctx, sc.communityID, p.From, p.End); err != nil {
			return fmt.Errorf("resources: %w", err)
		}
		err = q.QueryRow(ctx, `SELECT COUNT(*) FROM solutions s JOIN solution_communities sc ON sc.solution_id = s.id
			WHERE sc.community_id = ? AND s.archived_at IS NULL AND s.created_at >= ? AND s.created_at < ?`, sc.communityID, p.From, p.End).Scan(&c.Solutions)
		if err != nil {
			return fmt.Errorf("solutions: %w", err)
		}
		return nil
	}
	// The site: the same conditions as discussion and library count them
	// for one community, over all communities.
	err := q.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM threads WHERE deleted_at IS NULL AND hidden_at IS NULL AND held = FALSE AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(*) FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.deleted_at IS NULL
			AND p.deleted_at IS NULL AND p.hidden_at IS NULL AND p.held = FALSE AND p.created_at >= ? AND p.created_at < ?),
		(SELECT COUNT(*) FROM resources WHERE deleted_at IS NULL AND hidden_at IS NULL AND created_at >= ? AND created_at < ?),
		(SELECT COUNT(*) FROM solutions WHERE archived_at IS NULL AND created_at >= ? AND created_at < ?)`,
		p.From, p.End, p.From, p.End, p.From, p.End, p.From, p.End).Scan(&c.Threads, &c.Posts, &c.Resources, &c.Solutions)
	if err != nil {
		return fmt.Errorf("content: %w", err)
	}
	return nil
}

func (r *Report) pageViews(ctx context.Context, q sqldb.Querier, sc scope) error {
	f, err := analytics.NewStore(q).Figures(ctx, sc.communityID, r.Period.From, r.Period.End, TopPages)
	if err != nil {
		return err
	}
	pv := &r.PageViews
	pv.Total, pv.UniqueVisitors = f.Views, f.Visitors
	pv.ByAudience, pv.MemberCountry, pv.MemberTypes = f.Audience, f.MemberCountries, f.OrganizationType
	byMonth := map[string]*MonthViews{}
	months := r.Period.Months()
	pv.ByMonth = make([]MonthViews, len(months))
	for i, m := range months {
		pv.ByMonth[i] = MonthViews{Month: m}
		byMonth[m] = &pv.ByMonth[i]
	}
	for _, d := range f.Days {
		if m := byMonth[d.Day.Format("2006-01")]; m != nil {
			m.Count += d.Views
			m.Visitors += d.Visitors
		}
	}
	pv.TopPages = make([]PathCount, len(f.TopPages))
	for i, c := range f.TopPages {
		pv.TopPages[i] = PathCount{Path: c.Value, Count: c.Count}
	}
	pv.TopReferrers = make([]HostCount, len(f.TopReferrers))
	for i, c := range f.TopReferrers {
		pv.TopReferrers[i] = HostCount{Host: c.Value, Count: c.Count}
	}
	return nil
}

// coverage counts the solutions, resources and events of the period by
// SDG and target: a community's resources and the solutions it showcases,
// and its events through its own goals and targets.
func (r *Report) coverage(ctx context.Context, q sqldb.Querier, sc scope) error {
	p := r.Period
	goals := map[int]*SDGCoverage{}
	targets := map[string]*TargetCount{}
	goal := func(g int) *SDGCoverage {
		if goals[g] == nil {
			goals[g] = &SDGCoverage{Goal: g}
		}
		return goals[g]
	}
	target := func(t string) *TargetCount {
		if targets[t] == nil {
			targets[t] = &TargetCount{Target: t}
		}
		return targets[t]
	}
	cond, args := "", []any{p.From, p.End}
	solCond := ""
	evCond, evArgs := "", []any{p.From, p.To()}
	if sc.communityID != 0 {
		cond, args = " AND r.community_id = ?", append(args, sc.communityID)
		solCond = " AND s.id IN (SELECT solution_id FROM solution_communities WHERE community_id = ?)"
		evCond, evArgs = " AND e.community_id = ?", append(evArgs, sc.communityID)
	}
	count := func(query string, args []any, add func(key string, n int)) error {
		rows, err := q.Query(ctx, query, args...)
		return sqldb.Each(rows, err, func(s sqldb.Scanner) error {
			var key string
			var n int
			if err := s.Scan(&key, &n); err != nil {
				return err
			}
			add(key, n)
			return nil
		})
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	res := " FROM resources r JOIN %s x ON x.resource_id = r.id WHERE r.deleted_at IS NULL AND r.hidden_at IS NULL AND r.created_at >= ? AND r.created_at < ?" + cond
	sol := " FROM solutions s JOIN %s x ON x.solution_id = s.id WHERE s.archived_at IS NULL AND s.created_at >= ? AND s.created_at < ?" + solCond
	ev := " FROM events e JOIN %s x ON x.community_id = e.community_id WHERE e.status = 'published' AND e.starts_at >= ? AND e.starts_at <= ?" + evCond
	steps := []struct {
		query string
		args  []any
		add   func(string, int)
	}{
		{"SELECT " + "x.sdg" + ", COUNT(*)" + fmt.Sprintf(res, "resource_sdgs") + " GROUP BY x.sdg", args, func(k string, n int) { goal(atoi(k)).Resources += n }},
		{"SELECT x.target, COUNT(*)" + fmt.Sprintf(res, "resource_targets") + " GROUP BY x.target", args, func(k string, n int) { target(k).Resources += n }},
		{"SELECT " + "x.sdg" + ", COUNT(*)" + fmt.Sprintf(sol, "solution_sdgs") + " GROUP BY x.sdg", args, func(k string, n int) { goal(atoi(k)).Solutions += n }},
		{"SELECT x.target, COUNT(*)" + fmt.Sprintf(sol, "solution_targets") + " GROUP BY x.target", args, func(k string, n int) { target(k).Solutions += n }},
		{"SELECT " + "x.sdg" + ", COUNT(*)" + fmt.Sprintf(ev, "community_sdgs") + " GROUP BY x.sdg", evArgs, func(k string, n int) { goal(atoi(k)).Events += n }},
		{"SELECT x.target, COUNT(*)" + fmt.Sprintf(ev, "community_targets") + " GROUP BY x.target", evArgs, func(k string, n int) { target(k).Events += n }},
	}
	for _, st := range steps {
		if err := count(st.query, st.args, st.add); err != nil {
			return fmt.Errorf("SDG coverage: %w", err)
		}
	}
	for _, g := range goals {
		r.SDGs = append(r.SDGs, *g)
	}
	sort.Slice(r.SDGs, func(i, j int) bool { return r.SDGs[i].Goal < r.SDGs[j].Goal })
	for _, t := range targets {
		r.Targets = append(r.Targets, *t)
	}
	sort.Slice(r.Targets, func(i, j int) bool { return taxonomy.TargetCodeLess(r.Targets[i].Target, r.Targets[j].Target) })
	return nil
}

func (r *Report) exchanges(ctx context.Context, q sqldb.Querier, sc scope) error {
	if ExchangesFrom == nil {
		return nil
	}
	x, err := ExchangesFrom(ctx, q, sc.communityID, r.Period)
	if err != nil {
		return fmt.Errorf("exchanges: %w", err)
	}
	empty := emptyExchanges()
	if x.ByStage == nil {
		x.ByStage = empty.ByStage
	}
	if x.ByTarget == nil {
		x.ByTarget = empty.ByTarget
	}
	if x.ByModality == nil {
		x.ByModality = empty.ByModality
	}
	if x.Flows == nil {
		x.Flows = empty.Flows
	}
	if x.Outcomes == nil {
		x.Outcomes = empty.Outcomes
	}
	r.Exchanges = x
	return nil
}

// communities lists every community with its key figures, for the site
// report, with one query per figure.
func (r *Report) communities(ctx context.Context, q sqldb.Querier) error {
	p := r.Period
	rows, err := q.Query(ctx, "SELECT id, slug, name, visibility FROM communities ORDER BY lower(name), id")
	byID := map[int64]int{}
	if err := sqldb.Each(rows, err, func(s sqldb.Scanner) error {
		var id int64
		var c CommunityFigures
		if err := s.Scan(&id, &c.Slug, &c.Name, &c.Visibility); err != nil {
			return err
		}
		byID[id] = len(r.Communities)
		r.Communities = append(r.Communities, c)
		return nil
	}); err != nil {
		return err
	}
	figure := func(query string, set func(c *CommunityFigures, n int), args ...any) error {
		rows, err := q.Query(ctx, query, args...)
		return sqldb.Each(rows, err, func(s sqldb.Scanner) error {
			var id sql.NullInt64
			var n int
			if err := s.Scan(&id, &n); err != nil {
				return err
			}
			if i, ok := byID[id.Int64]; ok && id.Valid {
				set(&r.Communities[i], n)
			}
			return nil
		})
	}
	steps := []struct {
		query string
		set   func(*CommunityFigures, int)
		args  []any
	}{
		{"SELECT community_id, COUNT(DISTINCT user_id) FROM memberships WHERE joined_at < ? AND (left_at IS NULL OR left_at >= ?) GROUP BY community_id",
			func(c *CommunityFigures, n int) { c.Members = n }, []any{p.End, p.End}},
		{"SELECT community_id, COUNT(*) FROM (SELECT community_id, user_id, MIN(joined_at) AS f FROM memberships GROUP BY community_id, user_id) x WHERE f >= ? AND f < ? GROUP BY community_id",
			func(c *CommunityFigures, n int) { c.NewMembers = n }, []any{p.From, p.End}},
		{"SELECT community_id, COUNT(*) FROM events WHERE status = 'published' AND starts_at >= ? AND starts_at <= ? GROUP BY community_id",
			func(c *CommunityFigures, n int) { c.Events = n }, []any{p.From, p.To()}},
		{"SELECT e.community_id, COUNT(*) FROM event_attendees a JOIN events e ON e.id = a.event_id WHERE e.status = 'published' AND e.starts_at >= ? AND e.starts_at <= ? GROUP BY e.community_id",
			func(c *CommunityFigures, n int) { c.Attendees = n }, []any{p.From, p.To()}},
		{"SELECT community_id, COUNT(*) FROM page_views WHERE community_id IS NOT NULL AND day >= ? AND day < ? GROUP BY community_id",
			func(c *CommunityFigures, n int) { c.PageViews += n }, []any{analytics.DayNumber(p.From), analytics.DayNumber(p.To()) + 1}},
		{"SELECT community_id, SUM(views) FROM page_view_days WHERE dimension = 'views' AND community_id <> 0 AND day >= ? AND day < ? GROUP BY community_id",
			func(c *CommunityFigures, n int) { c.PageViews += n }, []any{analytics.DayNumber(p.From), analytics.DayNumber(p.To()) + 1}},
	}
	for _, st := range steps {
		if err := figure(st.query, st.set, st.args...); err != nil {
			return fmt.Errorf("figures by community: %w", err)
		}
	}
	return nil
}
