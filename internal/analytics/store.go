package analytics

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes page views through a database or a transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// write finds the community of each pending view and whether its visitor
// is a member of it, with one query per kind of target and one for the
// memberships, then inserts the batch.
func (s *Store) write(ctx context.Context, batch []pending) error {
	byKind := map[string]map[any]int64{}
	want := func(kind string, key any) {
		if byKind[kind] == nil {
			byKind[kind] = map[any]int64{}
		}
		byKind[kind][key] = 0
	}
	for _, p := range batch {
		switch p.target.Kind {
		case KindCommunity:
			want(KindCommunity, p.target.Slug)
		case KindThread, KindResource, KindEvent:
			want(p.target.Kind, p.target.ID)
		}
	}
	tables := map[string]string{
		KindCommunity: "SELECT slug, id FROM communities WHERE slug IN ",
		KindThread:    "SELECT id, community_id FROM threads WHERE id IN ",
		KindResource:  "SELECT id, community_id FROM resources WHERE id IN ",
		KindEvent:     "SELECT id, community_id FROM events WHERE id IN ",
	}
	for kind, keys := range byKind {
		args := make([]any, 0, len(keys))
		for k := range keys {
			args = append(args, k)
		}
		rows, err := s.q.Query(ctx, tables[kind]+"("+sqldb.Placeholders(len(args))+")", args...)
		if err != nil {
			return fmt.Errorf("find communities of page views: %w", err)
		}
		for rows.Next() {
			var id int64
			var slug string
			var err error
			if kind == KindCommunity {
				err = rows.Scan(&slug, &id)
				keys[slug] = id
			} else {
				var oid int64
				err = rows.Scan(&oid, &id)
				keys[oid] = id
			}
			if err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	views := make([]View, len(batch))
	users := map[int64]bool{}
	for i, p := range batch {
		v := p.view
		switch p.target.Kind {
		case KindCommunity:
			v.CommunityID = byKind[KindCommunity][p.target.Slug]
			v.ObjectID = v.CommunityID
			if v.CommunityID == 0 {
				v.ObjectKind = ""
			}
		case KindThread, KindResource, KindEvent:
			v.CommunityID = byKind[p.target.Kind][p.target.ID]
		}
		if p.userID != 0 {
			if v.CommunityID == 0 {
				v.Audience = Member // a member of the site, on a page of no community
			} else {
				users[p.userID] = true
			}
		}
		views[i] = v
	}
	if len(users) > 0 {
		args := make([]any, 0, len(users))
		for u := range users {
			args = append(args, u)
		}
		rows, err := s.q.Query(ctx, "SELECT community_id, user_id FROM memberships WHERE left_at IS NULL AND user_id IN ("+sqldb.Placeholders(len(args))+")", args...)
		if err != nil {
			return fmt.Errorf("find members among page views: %w", err)
		}
		member := map[[2]int64]bool{}
		for rows.Next() {
			var c, u int64
			if err := rows.Scan(&c, &u); err != nil {
				rows.Close()
				return err
			}
			member[[2]int64{c, u}] = true
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for i, p := range batch {
			if p.userID != 0 && views[i].CommunityID != 0 && member[[2]int64{views[i].CommunityID, p.userID}] {
				views[i].Audience = Member
			}
		}
	}
	return s.InsertViews(ctx, views)
}

const viewColumns = "day, community_id, path, object_kind, object_id, referrer_host, visitor, audience, country, organization_type"

// InsertViews stores page views as they are, a few hundred to a statement,
// in one transaction. The recorder, the demo and the benchmarks' generator
// use it.
func (s *Store) InsertViews(ctx context.Context, views []View) error {
	if len(views) == 0 {
		return nil
	}
	const width, per = 10, 200
	tuple := "(" + sqldb.Placeholders(width) + ")"
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		args := make([]any, 0, per*width)
		for start := 0; start < len(views); start += per {
			part := views[start:min(len(views), start+per)]
			args = args[:0]
			for _, v := range part {
				var community, object any
				if v.CommunityID != 0 {
					community = v.CommunityID
				}
				if v.ObjectID != 0 {
					object = v.ObjectID
				}
				args = append(args, DayNumber(v.Day), community, v.Path, v.ObjectKind, object, v.ReferrerHost, v.Visitor, v.Audience, v.Country, v.OrganizationType)
			}
			q := "INSERT INTO page_views (" + viewColumns + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(part)), ", ")
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("insert page views: %w", err)
			}
		}
		return nil
	})
}

// Retention: how long raw page views are kept before they are rolled up
// into daily totals, in days.
const (
	DefaultRetention = 400 // a year and a month: this year against last year's same month
	MinRetention     = 30
	MaxRetention     = 3660
	retentionSetting = "analytics_retention_days"
)

// Retention returns the retention period in days.
func (s *Store) Retention(ctx context.Context) (int, error) {
	var v string
	err := s.q.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", retentionSetting).Scan(&v)
	if errors.Is(err, sqldb.ErrNotFound) {
		return DefaultRetention, nil
	}
	if err != nil {
		return 0, fmt.Errorf("load page view retention: %w", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < MinRetention || n > MaxRetention {
		return DefaultRetention, nil
	}
	return n, nil
}

// SetRetention changes the retention period; it must lie between
// MinRetention and MaxRetention days.
func (s *Store) SetRetention(ctx context.Context, days int) error {
	if days < MinRetention || days > MaxRetention {
		return validation.Field("retention_days", "report.error.retention", MinRetention, MaxRetention)
	}
	_, err := s.q.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, retentionSetting, strconv.Itoa(days), time.Now())
	return err
}

// rollupDays is how many days one roll-up transaction moves at most, so
// that a first roll-up of years of views does not hold the writer long.
const rollupDays = 31

// Rollup replaces the raw page views of the days before cutoff by their
// daily totals (views in all, per page, per referring host, per audience,
// and the day's distinct visitors per community and for the whole site) and
// returns how many raw views it removed. Each step moves a month at most,
// in one transaction: a day is either raw or rolled up, never both.
func (s *Store) Rollup(ctx context.Context, cutoff time.Time) (int64, error) {
	var removed int64
	for {
		var first int64
		err := s.q.QueryRow(ctx, "SELECT day FROM page_views WHERE day < ? ORDER BY day LIMIT 1", DayNumber(cutoff)).Scan(&first)
		if errors.Is(err, sqldb.ErrNotFound) {
			return removed, nil
		}
		if err != nil {
			return removed, fmt.Errorf("roll up page views: %w", err)
		}
		end := min(first+rollupDays, DayNumber(cutoff))
		var n int64
		err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
			const upsert = ` ON CONFLICT (community_id, day, dimension, value) DO UPDATE SET views = page_view_days.views + excluded.views`
			const into = "INSERT INTO page_view_days (community_id, day, dimension, value, views) "
			const where = " FROM page_views WHERE day >= ? AND day < ?"
			for _, q := range []string{
				into + "SELECT COALESCE(community_id, 0), day, 'views', '', COUNT(*)" + where + " GROUP BY COALESCE(community_id, 0), day" + upsert,
				into + "SELECT COALESCE(community_id, 0), day, 'path', path, COUNT(*)" + where + " GROUP BY COALESCE(community_id, 0), day, path" + upsert,
				into + "SELECT COALESCE(community_id, 0), day, 'referrer', referrer_host, COUNT(*)" + where + " AND referrer_host <> '' GROUP BY COALESCE(community_id, 0), day, referrer_host" + upsert,
				into + "SELECT COALESCE(community_id, 0), day, 'audience', audience || '|' || country || '|' || organization_type, COUNT(*)" + where +
					" GROUP BY COALESCE(community_id, 0), day, audience, country, organization_type" + upsert,
				into + "SELECT community_id, day, 'visitors', '', COUNT(DISTINCT visitor)" + where + " AND community_id IS NOT NULL GROUP BY community_id, day" + upsert,
				into + "SELECT 0, day, 'visitors', '', COUNT(DISTINCT visitor)" + where + " GROUP BY day" + upsert,
			} {
				if _, err := tx.Exec(ctx, q, first, end); err != nil {
					return fmt.Errorf("roll up page views: %w", err)
				}
			}
			res, err := tx.Exec(ctx, "DELETE FROM page_views WHERE day >= ? AND day < ?", first, end)
			if err != nil {
				return fmt.Errorf("remove rolled-up page views: %w", err)
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return removed, err
		}
		removed += n
	}
}

// InsertRolledUp stores page views of days already past the retention
// period as Rollup would have left them: their daily totals only, added
// to those of the same days already there. Each day's views must come in
// one call, since its distinct visitors are counted within the call. The
// benchmarks' generator writes the old days of five years of views with
// it: writing them raw, then rolling them up, was two thirds of its page
// views' time.
func (s *Store) InsertRolledUp(ctx context.Context, views []View) error {
	if len(views) == 0 {
		return nil
	}
	type key struct {
		community, day   int64
		dimension, value string
	}
	totals := map[key]int{}
	type dayOf struct{ community, day int64 }
	visitors := map[dayOf]map[int64]bool{}
	seen := func(community, day, visitor int64) {
		k := dayOf{community, day}
		if visitors[k] == nil {
			visitors[k] = map[int64]bool{}
		}
		visitors[k][visitor] = true
	}
	for _, v := range views {
		c, d := v.CommunityID, DayNumber(v.Day)
		totals[key{c, d, "views", ""}]++
		totals[key{c, d, "path", v.Path}]++
		if v.ReferrerHost != "" {
			totals[key{c, d, "referrer", v.ReferrerHost}]++
		}
		totals[key{c, d, "audience", v.Audience + "|" + v.Country + "|" + v.OrganizationType}]++
		if c != 0 {
			seen(c, d, v.Visitor)
		}
		seen(0, d, v.Visitor) // the whole site's
	}
	for k, set := range visitors {
		totals[key{k.community, k.day, "visitors", ""}] = len(set)
	}
	// In the primary key's order: each statement then writes to a few
	// neighbouring pages of the index.
	keys := slices.SortedFunc(maps.Keys(totals), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.community, b.community), cmp.Compare(a.day, b.day),
			strings.Compare(a.dimension, b.dimension), strings.Compare(a.value, b.value))
	})
	rows := make([][]any, len(keys))
	for i, k := range keys {
		rows[i] = []any{k.community, k.day, k.dimension, k.value, totals[k]}
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		err := sqldb.InsertRows(ctx, tx, "page_view_days", "community_id, day, dimension, value, views", rows,
			" ON CONFLICT (community_id, day, dimension, value) DO UPDATE SET views = page_view_days.views + excluded.views")
		if err != nil {
			return fmt.Errorf("insert rolled-up page views: %w", err)
		}
		return nil
	})
}

// RollupExpired rolls up the raw views older than the retention period:
// the periodic job. fixed, when above 0, is the period the operator set
// (--analytics-retention), which wins over the administrators' setting.
func (s *Store) RollupExpired(ctx context.Context, now time.Time, fixed int) (int64, error) {
	days := fixed
	if days <= 0 {
		var err error
		if days, err = s.Retention(ctx); err != nil {
			return 0, err
		}
	}
	return s.Rollup(ctx, Day(now).AddDate(0, 0, -days))
}

// Count is a value (a path, a host, a country) and how many views it had.
type Count struct {
	Value string
	Count int
}

// DayFigures are one day's views and distinct visitors.
type DayFigures struct {
	Day      time.Time
	Views    int
	Visitors int
}

// Figures are the page views of a community, or of the whole site, over a
// period, counted from the raw views and the daily totals of rolled-up
// days.
type Figures struct {
	Views int
	// Visitors adds up each day's distinct visitors: the salt changes
	// every day, so the same person on two days counts twice, by design.
	Visitors         int
	Days             []DayFigures // days with views, oldest first
	TopPages         []Count      // most viewed first
	TopReferrers     []Count
	Audience         map[string]int // views by audience
	MemberCountries  map[string]int // views by logged-in visitors, by their country
	OrganizationType map[string]int // views by logged-in visitors, by their organisation type
}

// Figures counts the page views of a community (communityID 0: the whole
// site) on the days from from up to, not including, end, with four
// queries, each over one index.
func (s *Store) Figures(ctx context.Context, communityID int64, from, end time.Time, top int) (Figures, error) {
	f := Figures{Audience: map[string]int{}, MemberCountries: map[string]int{}, OrganizationType: map[string]int{}}
	first, last := DayNumber(from), DayNumber(end.Add(24*time.Hour-time.Nanosecond))
	d := s.q.Dialect()
	// over is the FROM and WHERE of a query over page views or their daily
	// totals on the period, for the community or the site, read through
	// index when one is named; args are its arguments.
	over := func(table, index string) string {
		q := " FROM " + table
		if index != "" {
			q += d.IndexedBy(index)
		}
		if communityID != 0 {
			return q + " WHERE community_id = ? AND day >= ? AND day < ?"
		}
		return q + " WHERE day >= ? AND day < ?"
	}
	args := []any{first, last}
	// The grouping by page, referrer and audience reads page_views_pages in
	// its order, one pass without a sort; for the site, grouped by
	// community first to follow that order, then added up in Go. SQLite's
	// planner, without statistics, would rather take the narrower range on
	// day of page_views_community and sort a million rows.
	pagesGroup, visitorsScope, byDayIndex := "community_id, ", " AND community_id = 0", ""
	if communityID != 0 {
		args = []any{communityID, first, last}
		pagesGroup, visitorsScope, byDayIndex = "", "", "page_view_days_values"
	}

	byDay := map[int64]*DayFigures{}
	day := func(n int64) *DayFigures {
		d := byDay[n]
		if d == nil {
			d = &DayFigures{Day: DayOf(n)}
			byDay[n] = d
		}
		return d
	}
	// Distinct visitors through a grouping by day and visitor rather than
	// COUNT(DISTINCT): both engines then read the index in its order (or
	// hash it) instead of sorting each day's visitors, several times faster
	// over a million views.
	rows, err := s.q.Query(ctx, "SELECT day, SUM(n), COUNT(*) FROM (SELECT day, visitor, COUNT(*) AS n"+over("page_views", "")+" GROUP BY day, visitor) x GROUP BY day", args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var n int64
		var views, visitors int
		if err := r.Scan(&n, &views, &visitors); err != nil {
			return err
		}
		d := day(n)
		d.Views += views
		d.Visitors += visitors
		return nil
	}); err != nil {
		return f, fmt.Errorf("page views by day: %w", err)
	}
	// A day's total views and visitors are a row each ('views' and
	// 'visitors'); a community's are read through page_view_days_values,
	// which holds them together, not amid the day's rows per page.
	rows, err = s.q.Query(ctx, "SELECT day, dimension, SUM(views)"+over("page_view_days", byDayIndex)+" AND value = '' AND (dimension = 'views' OR dimension = 'visitors'"+visitorsScope+") GROUP BY day, dimension", args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var t int64
		var dim string
		var n int
		if err := r.Scan(&t, &dim, &n); err != nil {
			return err
		}
		if dim == "views" {
			day(t).Views += n
		} else {
			day(t).Visitors += n
		}
		return nil
	}); err != nil {
		return f, fmt.Errorf("rolled-up page views by day: %w", err)
	}
	for _, df := range byDay {
		f.Days = append(f.Days, *df)
		f.Views += df.Views
		f.Visitors += df.Visitors
	}
	sort.Slice(f.Days, func(i, j int) bool { return f.Days[i].Day.Before(f.Days[j].Day) })

	// Pages, referrers and audiences from one grouping of the raw views
	// (one sort or hash of them instead of three), then the daily totals
	// of rolled-up days; the top lists are cut in Go.
	pages, referrers := map[string]int{}, map[string]int{}
	audience := func(key string, n int) {
		parts := strings.SplitN(key, "|", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		f.Audience[parts[0]] += n
		if parts[0] != Anonymous {
			if parts[1] != "" {
				f.MemberCountries[parts[1]] += n
			}
			if parts[2] != "" {
				f.OrganizationType[parts[2]] += n
			}
		}
	}
	rows, err = s.q.Query(ctx, "SELECT path, referrer_host, audience, country, organization_type, COUNT(*)"+over("page_views", "page_views_pages")+
		" GROUP BY "+pagesGroup+"path, referrer_host, audience, country, organization_type", args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var path, host, aud, country, typ string
		var n int
		if err := r.Scan(&path, &host, &aud, &country, &typ, &n); err != nil {
			return err
		}
		if path != "" {
			pages[path] += n
		}
		if host != "" {
			referrers[host] += n
		}
		audience(aud+"|"+country+"|"+typ, n)
		return nil
	}); err != nil {
		return f, fmt.Errorf("page views by page and audience: %w", err)
	}
	// The daily totals likewise, through page_view_days_values in its
	// order: a day's totals hold a row per page, so years of rolled-up
	// days are nearly as many rows as views were.
	rows, err = s.q.Query(ctx, "SELECT dimension, value, SUM(views)"+over("page_view_days", "page_view_days_values")+
		" AND dimension IN ('path', 'referrer', 'audience') GROUP BY "+pagesGroup+"dimension, value", args...)
	if err := sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var dim, value string
		var n int
		if err := r.Scan(&dim, &value, &n); err != nil {
			return err
		}
		switch dim {
		case "path":
			if value != "" {
				pages[value] += n
			}
		case "referrer":
			if value != "" {
				referrers[value] += n
			}
		case "audience":
			audience(value, n)
		}
		return nil
	}); err != nil {
		return f, fmt.Errorf("rolled-up page views by page and audience: %w", err)
	}
	f.TopPages, f.TopReferrers = topCounts(pages, top), topCounts(referrers, top)
	return f, nil
}

// topCounts lists the n values with the most views, most first, then by
// value.
func topCounts(m map[string]int, n int) []Count {
	out := make([]Count, 0, len(m))
	for v, c := range m {
		out = append(out, Count{Value: v, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
