package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/sqldb"
)

func init() { loaders = append(loaders, loadPageViews) }

// ModelPageViews is how many times the model community's pages were viewed
// from February 2018 to October 2021, as the community reported.
const ModelPageViews = 6800

// loadPageViews writes the page views the platform would have counted:
// the model community's 6,800 from February 2018 to October 2021, growing
// with its membership and peaking around its webinars, and a share of the
// site's other pages. Raw records, as the recorder writes them, in a few
// dozen statements.
func loadPageViews(ctx context.Context, tx *sqldb.Tx) error {
	rng := rand.New(rand.NewPCG(6800, 2018))
	var model int64
	if err := tx.QueryRow(ctx, "SELECT id FROM communities WHERE slug = ?", ModelSlug).Scan(&model); err != nil {
		return fmt.Errorf("demo page views: %w", err)
	}
	ids := func(query string, args ...any) ([]int64, error) {
		rows, err := tx.Query(ctx, query, args...)
		return sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
	}
	threads, err := ids("SELECT id FROM threads WHERE community_id = ? AND deleted_at IS NULL ORDER BY id", model)
	if err != nil {
		return err
	}
	resources, err := ids("SELECT id FROM resources WHERE community_id = ? AND deleted_at IS NULL ORDER BY id", model)
	if err != nil {
		return err
	}
	type webinar struct {
		id int64
		at time.Time
	}
	rows, err := tx.Query(ctx, "SELECT id, starts_at FROM events WHERE community_id = ? AND status = 'published' ORDER BY starts_at", model)
	webinars, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (webinar, error) {
		var w webinar
		return w, r.Scan(&w.id, &w.at)
	})
	if err != nil {
		return err
	}
	// Members' profiles, for the views of logged-in members.
	type profile struct{ country, orgType string }
	rows, err = tx.Query(ctx, `SELECT u.country, u.organization_type FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.community_id = ? ORDER BY m.id`, model)
	members, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (profile, error) {
		var p profile
		return p, r.Scan(&p.country, &p.orgType)
	})
	if err != nil || len(members) == 0 {
		return fmt.Errorf("demo page views: members: %v", err)
	}
	solutions, err := ids("SELECT id FROM solutions ORDER BY id LIMIT 40")
	if err != nil {
		return err
	}

	// Each day's weight: membership grows, and webinars draw visitors in
	// the weeks before them and the days after.
	start, end := time.Date(2018, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 11, 1, 0, 0, 0, 0, time.UTC)
	var days []time.Time
	var cum []float64
	total := 0.0
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		w := 0.4 + 1.6*d.Sub(start).Hours()/end.Sub(start).Hours()
		for _, wb := range webinars {
			gap := wb.at.Sub(d).Hours() / 24
			if gap > -4 && gap < 21 {
				w += 2.5 * math.Exp(-math.Abs(gap)/6)
			}
		}
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			w *= 0.45
		}
		total += w
		days = append(days, d)
		cum = append(cum, total)
	}
	pick := func(list []string, weights []float64) string {
		sum := 0.0
		for _, w := range weights {
			sum += w
		}
		x := rng.Float64() * sum
		for i, w := range weights {
			if x < w {
				return list[i]
			}
			x -= w
		}
		return list[len(list)-1]
	}
	referrers := []string{"", "google.com", "unicef.org", "ipcig.org", "linkedin.com", "twitter.com", "southsouth-galaxy.org", "facebook.com", "un.org"}
	referrerWeights := []float64{70, 11, 5, 4, 3, 3, 2, 1, 1}
	base := "/communities/" + ModelSlug
	// The day's visitors: each visitor reads a few pages on the same day.
	type visitor struct {
		hash     int64
		audience string
		profile  profile
		left     int
	}
	current := map[time.Time]*visitor{}
	views := make([]analytics.View, 0, ModelPageViews+1600)
	for n := 0; n < ModelPageViews; n++ {
		i := sort.SearchFloat64s(cum, rng.Float64()*total)
		d := days[min(i, len(days)-1)]
		v := current[d]
		if v == nil || v.left == 0 {
			v = &visitor{hash: int64(rng.Uint64()), audience: analytics.Anonymous, left: 1 + rng.IntN(4)}
			switch x := rng.IntN(100); {
			case x < 34:
				v.audience, v.profile = analytics.Member, members[rng.IntN(len(members))]
			case x < 40:
				v.audience, v.profile = analytics.Account, members[rng.IntN(len(members))]
			}
			current[d] = v
		}
		v.left--
		view := analytics.View{Day: d, CommunityID: model, Visitor: v.hash, Audience: v.audience, Country: v.profile.country, OrganizationType: v.profile.orgType}
		if v.left == 0 || rng.IntN(3) == 0 {
			view.ReferrerHost = pick(referrers, referrerWeights)
		}
		switch x := rng.IntN(100); {
		case x < 26:
			view.Path, view.ObjectKind, view.ObjectID = base, analytics.KindCommunity, model
		case x < 34:
			view.Path, view.ObjectKind, view.ObjectID = base+"/discussions", analytics.KindCommunity, model
		case x < 40:
			view.Path, view.ObjectKind, view.ObjectID = base+"/library", analytics.KindCommunity, model
		case x < 48:
			view.Path, view.ObjectKind, view.ObjectID = base+"/events", analytics.KindCommunity, model
		case x < 52:
			view.Path, view.ObjectKind, view.ObjectID = base+"/members", analytics.KindCommunity, model
		case x < 68 && len(threads) > 0:
			id := threads[int(math.Sqrt(rng.Float64())*float64(len(threads)))%len(threads)]
			view.Path, view.ObjectKind, view.ObjectID = "/threads/"+strconv.FormatInt(id, 10), analytics.KindThread, id
		case x < 80 && len(resources) > 0:
			id := resources[rng.IntN(len(resources))]
			view.Path, view.ObjectKind, view.ObjectID = "/resources/"+strconv.FormatInt(id, 10), analytics.KindResource, id
		default:
			// The webinar coming next, or the latest.
			var id int64
			for _, wb := range webinars {
				id = wb.id
				if !wb.at.Before(d) {
					break
				}
			}
			if id == 0 {
				view.Path, view.ObjectKind, view.ObjectID = base, analytics.KindCommunity, model
			} else {
				view.Path, view.ObjectKind, view.ObjectID = "/events/"+strconv.FormatInt(id, 10), analytics.KindEvent, id
			}
		}
		views = append(views, view)
	}
	// The site's other pages, from the model community's start to the
	// demo's last year.
	siteEnd := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	span := int(siteEnd.Sub(start).Hours() / 24)
	sitePaths := []string{"/", "/communities", "/solutions", "/events", "/members"}
	for n := 0; n < 1600; n++ {
		d := start.AddDate(0, 0, rng.IntN(span))
		view := analytics.View{Day: d, Visitor: int64(rng.Uint64()), Audience: analytics.Anonymous, Path: sitePaths[rng.IntN(len(sitePaths))]}
		if rng.IntN(3) == 0 && len(solutions) > 0 {
			id := solutions[rng.IntN(len(solutions))]
			view.Path, view.ObjectKind, view.ObjectID = "/solutions/"+strconv.FormatInt(id, 10), analytics.KindSolution, id
		}
		if rng.IntN(4) == 0 {
			view.ReferrerHost = pick(referrers[1:], referrerWeights[1:])
		}
		views = append(views, view)
	}
	if err := analytics.NewStore(tx).InsertViews(ctx, views); err != nil {
		return fmt.Errorf("demo page views: %w", err)
	}
	return nil
}
