// Package generate fills an empty database with the reference data set of
// the performance work: communities, members, discussions, a library,
// solutions, webinars with their registrations, attendance and surveys,
// and five years of page views, in the proportions of issue 11.
//
// Every record goes through its domain package's own functions, so it
// passes the same validation as one entered by hand; rows are written in
// transactions of a few thousand, and the data set is the same on every
// run for the same scale (record ids and contents; not the clock-stamped
// columns that the domain packages set themselves).
package generate

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
)

// Shape is how many records of each kind the data set holds.
type Shape struct {
	Communities     int `json:"communities"`
	Members         int `json:"members"`
	Memberships     int `json:"memberships"`
	Threads         int `json:"threads"`
	Posts           int `json:"posts"`
	Resources       int `json:"resources"`
	Solutions       int `json:"solutions"`
	Events          int `json:"events"`
	Registrations   int `json:"registrations"`
	Attendances     int `json:"attendances"`
	SurveyResponses int `json:"survey_responses"`
	PageViews       int `json:"page_views"`
	// RolledUp are the page views older than the retention period, kept as
	// daily counts (as on a running platform) instead of raw rows.
	RolledUp int `json:"page_views_rolled_up"`
}

// scaleOne is the data set at scale 1 (issue 11). Memberships follow from
// members: each joins one community, three in ten a second one.
var scaleOne = Shape{
	Communities: 200, Members: 100_000, Threads: 100_000, Posts: 1_000_000, Resources: 20_000, Solutions: 5_000,
	Events: 2_000, Registrations: 300_000, Attendances: 150_000, SurveyResponses: 50_000, PageViews: 5_000_000,
}

// ShapeAt returns the data set's shape at a scale: every count of scale 1
// times the scale, at least one of each.
func ShapeAt(scale float64) Shape {
	n := func(x int) int { return max(1, int(math.Round(float64(x)*scale))) }
	s := Shape{
		Communities: n(scaleOne.Communities), Members: n(scaleOne.Members), Threads: n(scaleOne.Threads), Posts: n(scaleOne.Posts),
		Resources: n(scaleOne.Resources), Solutions: n(scaleOne.Solutions), Events: n(scaleOne.Events),
		Registrations: n(scaleOne.Registrations), Attendances: n(scaleOne.Attendances), SurveyResponses: n(scaleOne.SurveyResponses),
		PageViews: n(scaleOne.PageViews),
	}
	// A community needs someone to write in it, and a thread at least its
	// own opening post is not counted: posts are replies.
	s.Members = max(s.Members, 2*s.Communities)
	s.Attendances = min(s.Attendances, s.Registrations)
	s.SurveyResponses = min(s.SurveyResponses, s.Attendances)
	return s
}

// Password is the password of every generated account (one hash for all:
// hashing a hundred thousand passwords would take hours). The data set is
// for measuring, never for real use.
const Password = "harambee-generated"

// AdminEmail is the generated site administrator, who creates the
// communities and events; BenchEmail is the member the load benchmark logs
// in as (a member of the first community).
const (
	AdminEmail = "admin@generated.example"
)

// MemberEmail is the address of the i-th generated member (from 1).
func MemberEmail(i int) string { return fmt.Sprintf("member%06d@generated.example", i) }

// ErrNotEmpty is returned for a database that already holds accounts.
var ErrNotEmpty = errors.New("the database is not empty")

// batch is how many records one transaction writes.
const batch = 2000

// The data set covers five years that end here: fixed, so that it is the
// same on every run. Events after it are open for registration.
var (
	periodEnd   = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	periodStart = periodEnd.AddDate(-5, 0, 0)
)

// Options tune a run.
type Options struct {
	Scale float64
	// Progress, when set, is told after each stage what it made.
	Progress func(stage string, n int, took time.Duration)
}

type generator struct {
	db    *sqldb.DB
	rng   *rand.Rand
	shape Shape
	opt   Options
	hash  string
	admin account.User

	users       []account.User // index i is member i+1; users[0] is the administrator
	communities []community.Community
	members     [][]int // per community, indexes into users of its members
	threads     []int64
	resources   []int64
	solutions   []int64
	events      []event.Event
	eventComm   []int // the community index of each event
	made        Shape
}

// Run generates the data set at opt.Scale into db, which must be migrated
// and hold no account. It returns what it made.
func Run(ctx context.Context, db *sqldb.DB, opt Options) (Shape, error) {
	if opt.Scale <= 0 || opt.Scale > 10 {
		return Shape{}, fmt.Errorf("scale %v: give a number above 0 and at most 10 (1 is the reference size)", opt.Scale)
	}
	n, err := account.NewStore(db).CountUsers(ctx)
	if err != nil {
		return Shape{}, err
	}
	if n > 0 {
		return Shape{}, fmt.Errorf("%w: it holds %d accounts; generate fills only an empty database (give --db a new SQLite file or an empty PostgreSQL database)", ErrNotEmpty, n)
	}
	hash, err := account.HashPassword(Password)
	if err != nil {
		return Shape{}, err
	}
	if db.Dialect() == sqldb.SQLite {
		// A page cache of up to a gigabyte for the writer, the one
		// connection that generates: the indexes of a million posts and
		// five million page views take inserts in no order of theirs, and
		// with the server's 16 MB nearly each one reads a page from disk.
		// The server, opening the database afresh, keeps its own size.
		if _, err := db.Exec(ctx, "PRAGMA cache_size = -1000000"); err != nil {
			return Shape{}, err
		}
	}
	g := &generator{db: db, rng: rand.New(rand.NewPCG(11, uint64(opt.Scale*1e6))), shape: ShapeAt(opt.Scale), opt: opt, hash: hash}
	stages := []struct {
		name string
		fn   func(context.Context) (int, error)
	}{
		{"members", g.genMembers},
		{"communities", g.genCommunities},
		{"memberships", g.genMemberships},
		{"threads and posts", g.genDiscussions},
		{"resources", g.genResources},
		{"solutions", g.genSolutions},
		{"events, registrations, attendance, surveys", g.genEvents},
		{"page views", g.genPageViews},
		{"page views rolled up", g.rollup},
		{"vacuum and statistics", g.analyze},
	}
	for _, s := range stages {
		start := time.Now()
		n, err := s.fn(ctx)
		if err != nil {
			return g.made, fmt.Errorf("generate %s: %w", s.name, err)
		}
		if opt.Progress != nil {
			opt.Progress(s.name, n, time.Since(start))
		}
	}
	return g.made, nil
}

// inBatches calls fn for i in [0, n) in transactions of size calls each.
func (g *generator) inBatches(ctx context.Context, n, size int, fn func(tx *sqldb.Tx, i int) error) error {
	for from := 0; from < n; from += size {
		to := min(n, from+size)
		err := g.db.InTx(ctx, func(tx *sqldb.Tx) error {
			for i := from; i < to; i++ {
				if err := fn(tx, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// spread returns total split over n parts as evenly as whole numbers allow.
func spread(total, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = total / n
		if i < total%n {
			out[i]++
		}
	}
	return out
}

// at returns a moment in the five-year period, at fraction f of it.
func at(f float64) time.Time {
	return periodStart.Add(time.Duration(f * float64(periodEnd.Sub(periodStart)))).Truncate(time.Second)
}

func (g *generator) genMembers(ctx context.Context) (int, error) {
	g.users = make([]account.User, 0, g.shape.Members)
	err := g.inBatches(ctx, g.shape.Members, batch, func(tx *sqldb.Tx, i int) error {
		st := account.NewStore(tx)
		var in account.NewUser
		if i == 0 {
			in = account.NewUser{Email: AdminEmail, PasswordHash: g.hash, Admin: true, Editor: true, Verified: true,
				Profile: account.Profile{Name: "Generated Administrator", Country: "BR", OrganizationType: "other", Visibility: account.VisibilityMembers}}
		} else {
			lang := pick(g.rng, languages)
			in = account.NewUser{Email: MemberEmail(i), PasswordHash: g.hash, Verified: true,
				Profile: account.Profile{
					Name:    pick(g.rng, firstNames) + " " + pick(g.rng, lastNames),
					Country: pick(g.rng, countries), Organization: "Organisation " + strconv.Itoa(1+g.rng.IntN(3000)),
					OrganizationType: pick(g.rng, orgTypes), Position: pick(g.rng, positions), Language: lang,
					Languages: []string{lang}, Expertise: []string{pick(g.rng, topics)},
					Visibility: []string{account.VisibilityPublic, account.VisibilityPublic, account.VisibilityMembers}[g.rng.IntN(3)],
				}}
		}
		u, err := st.CreateUser(ctx, in)
		if err != nil {
			return fmt.Errorf("member %d: %w", i, err)
		}
		g.users = append(g.users, u)
		return nil
	})
	g.admin = g.users[0]
	g.made.Members = len(g.users)
	return len(g.users), err
}

func (g *generator) genCommunities(ctx context.Context) (int, error) {
	err := g.inBatches(ctx, g.shape.Communities, batch, func(tx *sqldb.Tx, i int) error {
		lang := pick(g.rng, languages)
		topic := topics[i%len(topics)]
		goal := 1 + i%17
		vis := community.Public
		if i%10 == 9 {
			vis = community.Members
		}
		c, err := community.NewStore(tx).Create(ctx, community.Input{
			Slug: fmt.Sprintf("c%04d-%s", i+1, strings.ToLower(strings.NewReplacer(" ", "-", ",", "").Replace(topic))),
			Name: fmt.Sprintf("%s network %d", topic, i+1), Language: lang,
			Description: paragraph(g.rng, lang, 2, 4) + "\n\n" + paragraph(g.rng, lang, 1, 3),
			Visibility:  vis, JoinPolicy: community.Open, PrimarySDG: goal, SecondarySDGs: []int{17},
			FocusAreas: []string{topic, pick(g.rng, topics)}, CreatedAt: at(g.rng.Float64() * 0.2),
		}, g.admin)
		if err != nil {
			return fmt.Errorf("community %d: %w", i, err)
		}
		g.communities = append(g.communities, c)
		return nil
	})
	g.made.Communities = len(g.communities)
	return len(g.communities), err
}

// community picks a community, the first ones far more often: a few large
// communities and a long tail, as on a real platform.
func (g *generator) community() int {
	n := len(g.communities)
	return min(n-1, int(math.Pow(g.rng.Float64(), 2)*float64(n)))
}

func (g *generator) genMemberships(ctx context.Context) (int, error) {
	g.members = make([][]int, len(g.communities))
	type join struct{ user, comm int }
	var joins []join
	for i := 1; i < len(g.users); i++ {
		// Everyone in one community; the first members fill each community
		// once so that none is empty; three in ten join a second one.
		first := g.community()
		if i <= len(g.communities) {
			first = i - 1
		}
		joins = append(joins, join{i, first})
		if g.rng.IntN(10) < 3 {
			if second := g.community(); second != first {
				joins = append(joins, join{i, second})
			}
		}
	}
	err := g.inBatches(ctx, len(joins), batch, func(tx *sqldb.Tx, k int) error {
		j := joins[k]
		c := g.communities[j.comm]
		role := community.RoleMember
		if len(g.members[j.comm]) < 2 {
			role = community.RoleModerator
		}
		joined := c.CreatedAt.Add(time.Duration(g.rng.Float64() * float64(periodEnd.Sub(c.CreatedAt))))
		if _, _, err := community.NewStore(tx).AddMember(ctx, c, community.NewMember{UserID: g.users[j.user].ID, Role: role, JoinedAt: joined}, g.admin); err != nil {
			return fmt.Errorf("membership %d: %w", k, err)
		}
		g.members[j.comm] = append(g.members[j.comm], j.user)
		return nil
	})
	g.made.Memberships = len(joins)
	return len(joins), err
}

// BigThreadEvery: one thread in this many has exactly BigThreadPosts
// replies, the long discussion the load benchmark reads.
const (
	BigThreadEvery = 20
	BigThreadPosts = 50
)

func (g *generator) genDiscussions(ctx context.Context) (int, error) {
	nt := g.shape.Threads
	replies := make([]int, nt)
	var small []int
	left := g.shape.Posts
	for i := range replies {
		if i%BigThreadEvery == 0 && left >= BigThreadPosts {
			replies[i] = BigThreadPosts
			left -= BigThreadPosts
		} else {
			small = append(small, i)
		}
	}
	for ; left > 0 && len(small) > 0; left-- {
		replies[small[g.rng.IntN(len(small))]]++
	}
	// Threads are written with their replies; a transaction holds about
	// batch rows.
	type thread struct{ comm, author int }
	var (
		i     int
		posts int
	)
	for i < nt {
		rows := 0
		err := g.db.InTx(ctx, func(tx *sqldb.Tx) error {
			st := discussion.NewStore(tx)
			for ; i < nt && rows < batch; i++ {
				ci := g.community()
				c := g.communities[ci]
				author := g.users[pick(g.rng, g.members[ci])]
				lang := pick(g.rng, languages)
				start := g.rng.Float64() * 0.95
				created := at(start)
				if created.Before(c.CreatedAt) {
					created = c.CreatedAt.Add(time.Hour)
				}
				t, err := st.CreateThread(ctx, c, community.Viewer{User: &author, Role: community.RoleMember}, discussion.NewThread{
					Title: title(g.rng, lang), Body: paragraph(g.rng, lang, 2, 5), Language: lang, IsQuestion: g.rng.IntN(3) == 0, CreatedAt: created,
				})
				if err != nil {
					return fmt.Errorf("thread %d: %w", i, err)
				}
				g.threads = append(g.threads, t.ID)
				rows++
				step := periodEnd.Sub(created) / time.Duration(replies[i]+2)
				thread := make([]discussion.NewReply, replies[i])
				for k := range thread {
					who := g.users[pick(g.rng, g.members[ci])]
					thread[k] = discussion.NewReply{Viewer: community.Viewer{User: &who, Role: community.RoleMember},
						Body: paragraph(g.rng, lang, 1, 4), At: created.Add(step * time.Duration(k+1)).Truncate(time.Second)}
				}
				if _, err := st.ReplyAll(ctx, t, c, thread); err != nil {
					return fmt.Errorf("thread %d: %w", i, err)
				}
				posts += len(thread)
				rows += len(thread)
			}
			return nil
		})
		if err != nil {
			return len(g.threads) + posts, err
		}
	}
	g.made.Threads, g.made.Posts = len(g.threads), posts
	return len(g.threads) + posts, nil
}

// analyze vacuums what was loaded into PostgreSQL and gathers its
// statistics, as a bulk load should end, and as autovacuum would only after
// a while, or never where it is turned off (on the machine the benchmarks
// ran on). The statistics let the planner tell rare words from common ones
// and pick the report's plans (without them, search read every match of
// "health": 13 seconds); the vacuum marks the pages whose rows every
// transaction sees, so that an index-only scan reads no table (the report's
// count of the largest community's replies at scale 1: 415 ms before, 65
// after). SQLite plans without statistics; the queries that need it name
// their index.
func (g *generator) analyze(ctx context.Context) (int, error) {
	if g.db.Dialect() != sqldb.Postgres {
		return 0, nil
	}
	_, err := g.db.Exec(ctx, "VACUUM (ANALYZE)")
	return 0, err
}

func (g *generator) genResources(ctx context.Context) (int, error) {
	err := g.inBatches(ctx, g.shape.Resources, batch, func(tx *sqldb.Tx, i int) error {
		ci := g.community()
		c := g.communities[ci]
		adder := g.users[pick(g.rng, g.members[ci])]
		lang := pick(g.rng, languages)
		created := at(0.2 + g.rng.Float64()*0.8)
		r, err := library.NewStore(tx, nil).Create(ctx, c, community.Viewer{User: &adder, Role: community.RoleMember}, library.Input{
			Kind: library.Kinds[i%len(library.Kinds)], Title: title(g.rng, lang), Summary: paragraph(g.rng, lang, 1, 3),
			Publisher: "Organisation " + strconv.Itoa(1+g.rng.IntN(3000)), PublishedOn: created.Format("2006-01"), Language: lang,
			URL: fmt.Sprintf("https://library.example.org/r/%d", i+1), Countries: []string{pick(g.rng, countries), pick(g.rng, countries)},
			SDGs: []int{c.PrimarySDG, 17}, Topics: []string{pick(g.rng, topics)}, CreatedAt: created,
		}, nil)
		if err != nil {
			return fmt.Errorf("resource %d: %w", i, err)
		}
		g.resources = append(g.resources, r.ID)
		return nil
	})
	g.made.Resources = len(g.resources)
	return len(g.resources), err
}

func (g *generator) genSolutions(ctx context.Context) (int, error) {
	ed := solution.Editor{Via: solution.ViaDemo}
	err := g.inBatches(ctx, g.shape.Solutions, batch, func(tx *sqldb.Tx, i int) error {
		lang := pick(g.rng, languages)
		goal := []int{3, 3, 3, 1, 2, 4, 5, 6, 10, 13}[g.rng.IntN(10)]
		startY := 2012 + g.rng.IntN(12)
		in := solution.Input{
			// Titles are unique in the catalogue: imports match records by them.
			Title: fmt.Sprintf("%s (%d)", title(g.rng, lang), i+1), Tagline: title(g.rng, lang),
			Challenge: paragraph(g.rng, lang, 3, 6), Approach: paragraph(g.rng, lang, 4, 8) + "\n\n" + paragraph(g.rng, lang, 2, 4),
			Results: paragraph(g.rng, lang, 2, 4), Countries: []string{pick(g.rng, countries), pick(g.rng, countries), pick(g.rng, countries)},
			Modality: []string{solution.ModalitySouthSouth, solution.ModalityTriangular}[g.rng.IntN(2)], PrimarySDG: goal, SecondarySDGs: []int{17},
			Status: solution.StatusOngoing, StartDate: fmt.Sprintf("%d-%02d", startY, 1+g.rng.IntN(12)),
			SupportedBy:  []string{"Organisation " + strconv.Itoa(1+g.rng.IntN(300))},
			Implementers: []string{"Ministry of Health", "Organisation " + strconv.Itoa(1+g.rng.IntN(3000))},
			Contacts:     []solution.Contact{{Title: "Programme Manager", Organization: "Organisation " + strconv.Itoa(1+g.rng.IntN(3000))}},
			URL:          fmt.Sprintf("https://solutions.example.org/s/%d", i+1), Language: lang,
		}
		if g.rng.IntN(3) == 0 {
			in.Status, in.EndDate = solution.StatusCompleted, fmt.Sprintf("%d-%02d", startY+2+g.rng.IntN(3), 1+g.rng.IntN(12))
		}
		s, err := solution.NewStore(tx).Create(ctx, ed, in)
		if err != nil {
			return fmt.Errorf("solution %d: %w", i, err)
		}
		g.solutions = append(g.solutions, s.ID)
		return nil
	})
	g.made.Solutions = len(g.solutions)
	return len(g.solutions), err
}

// zones are the time zones the webinars are held in.
var zones = []string{"America/Sao_Paulo", "Africa/Nairobi", "Asia/Bangkok", "Africa/Dakar", "America/Bogota"}

func (g *generator) genEvents(ctx context.Context) (int, error) {
	ne := g.shape.Events
	// One event in ten is still to come: open for registration, no
	// attendance yet. The others took place over the five years.
	past := ne - ne/10
	if ne > 1 && past == ne {
		past = ne - 1
	}
	regs := spread(g.shape.Registrations, ne)
	atts := spread(g.shape.Attendances, max(past, 1))
	resp := spread(g.shape.SurveyResponses, max(past, 1))
	rows := 0
	for i := 0; i < ne; {
		err := g.db.InTx(ctx, func(tx *sqldb.Tx) error {
			st := event.NewStore(tx)
			for n := 0; i < ne && n < batch; i++ {
				ci := g.community()
				c := g.communities[ci]
				zone := zones[i%len(zones)]
				loc, err := time.LoadLocation(zone)
				if err != nil {
					return err
				}
				var start time.Time
				if i < past {
					start = at(0.1 + 0.9*float64(i)/float64(max(past, 1)))
				} else {
					start = periodEnd.AddDate(1, 0, 0).Add(time.Duration(i-past) * 24 * time.Hour)
				}
				start = time.Date(start.Year(), start.Month(), start.Day(), 14, 0, 0, 0, time.UTC)
				lang := pick(g.rng, languages)
				e, err := st.Create(ctx, c.ID, event.Input{
					Title: title(g.rng, lang), Description: paragraph(g.rng, lang, 3, 6), Language: lang, Kind: event.Webinar, Status: event.Published,
					StartsAt: start, EndsAt: start.Add(90 * time.Minute), TimeZone: zone, Languages: []string{lang},
					JoinURL: fmt.Sprintf("https://meet.example.org/j/%d", i+1),
					Speakers: []event.Speaker{{Name: pick(g.rng, firstNames) + " " + pick(g.rng, lastNames), Title: pick(g.rng, positions),
						Organization: "Organisation " + strconv.Itoa(1+g.rng.IntN(3000)), Country: pick(g.rng, countries)}},
					Questions: []event.Question{{Key: "sector", Text: "Which sector do you work in?", Type: event.SingleChoice, Required: true,
						Options: []string{"Health", "Education", "Social protection", "Other"}}},
				}, g.admin)
				if err != nil {
					return fmt.Errorf("event %d: %w", i, err)
				}
				g.events = append(g.events, e)
				g.eventComm = append(g.eventComm, ci)
				// Registrants: the community's members first, then guests.
				list := make([]event.NewRegistration, regs[i])
				pool := g.members[ci]
				offset := g.rng.IntN(len(pool))
				for k := range list {
					r := event.NewRegistration{Country: pick(g.rng, countries), OrganizationType: pick(g.rng, orgTypes), Language: lang,
						Answers:      map[string][]string{"sector": {[]string{"Health", "Education", "Social protection", "Other"}[g.rng.IntN(4)]}},
						RegisteredAt: start.Add(-time.Duration(1+g.rng.IntN(500)) * time.Hour)}
					if k < len(pool)/2 {
						u := g.users[pool[(offset+k)%len(pool)]]
						r.UserID, r.Name, r.Email, r.Country, r.Organization = u.ID, u.Name, u.Email, u.Country, u.Organization
					} else {
						r.Name = pick(g.rng, firstNames) + " " + pick(g.rng, lastNames)
						r.Email = fmt.Sprintf("guest%d.%d@guests.example", i+1, k+1)
						r.Organization = "Organisation " + strconv.Itoa(1+g.rng.IntN(3000))
					}
					if r.RegisteredAt.After(periodEnd) {
						// Registrations for what is still to come are made
						// now: a registration cannot be dated in the future.
						r.RegisteredAt = time.Time{}
					}
					list[k] = r
				}
				if len(list) > 0 {
					if _, err := st.ImportRegistrations(ctx, e, list); err != nil {
						return fmt.Errorf("event %d registrations: %w", i, err)
					}
				}
				g.made.Registrations += len(list)
				n += 1 + len(list)
				if i >= past {
					continue
				}
				attendees := min(atts[i], len(list))
				if attendees > 0 {
					res, err := st.ImportAttendance(ctx, e, zoomReport(g.rng, list[:attendees], start, loc), "participants.csv", g.admin.ID)
					if err != nil {
						return fmt.Errorf("event %d attendance: %w", i, err)
					}
					g.made.Attendances += res.Attendees
					n += attendees
				}
				responses := min(resp[i], attendees)
				if responses > 0 {
					sv, err := survey.NewStore(tx).Save(ctx, e.ID, survey.Template(lang))
					if err != nil {
						return err
					}
					for k := range responses {
						answers := map[string][]string{}
						for _, q := range sv.Questions {
							if q.Type == survey.Likert5 {
								answers[q.ID] = []string{strconv.Itoa([]int{5, 5, 4, 4, 4, 3, 2, 5, 4, 1}[g.rng.IntN(10)])}
							}
						}
						if _, err := survey.NewStore(tx).Submit(ctx, sv, survey.Submission{Answers: answers, Email: list[k].Email,
							Source: survey.SourceManager, SubmittedAt: start.Add(time.Duration(2+g.rng.IntN(100)) * time.Hour)}); err != nil {
							return fmt.Errorf("event %d survey response %d: %w", i, k, err)
						}
					}
					g.made.SurveyResponses += responses
					n += responses
				}
			}
			return nil
		})
		if err != nil {
			return rows, err
		}
	}
	g.made.Events = len(g.events)
	return g.made.Events + g.made.Registrations + g.made.Attendances + g.made.SurveyResponses, nil
}

// zoomReport writes the participants CSV that Zoom exports, in the
// meeting's time zone, for the given registrants.
func zoomReport(rng *rand.Rand, who []event.NewRegistration, start time.Time, loc *time.Location) []byte {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"})
	zoom := func(t time.Time) string { return t.In(loc).Format("01/02/2006 03:04:05 PM") }
	for _, r := range who {
		in := start.Add(time.Duration(rng.IntN(10)) * time.Minute)
		out := in.Add(time.Duration(30+rng.IntN(55)) * time.Minute)
		w.Write([]string{r.Name, r.Email, zoom(in), zoom(out), strconv.Itoa(int(out.Sub(in).Minutes())), "Yes"})
	}
	w.Flush()
	return []byte(b.String())
}

func (g *generator) genPageViews(ctx context.Context) (int, error) {
	total := int64(g.shape.PageViews)
	days := int64(periodEnd.Sub(periodStart).Hours() / 24)
	const chunk = 10_000
	st := analytics.NewStore(g.db)
	views := make([]analytics.View, 0, chunk)
	flush := func() error {
		if err := st.InsertViews(ctx, views); err != nil {
			return err
		}
		g.made.PageViews += len(views)
		views = views[:0]
		return nil
	}
	// Day by day, as a running platform records them. Traffic grows over
	// the years: the first i days hold total·(i/days)² views, as if each
	// view's day were drawn as days·√u. The days already past the
	// retention period are written as the daily job of a running platform
	// leaves them, as daily totals (analytics.InsertRolledUp), a month at
	// a time: at scale 1 on PostgreSQL, writing five million views raw and
	// rolling them up took 4 min 54 s and 3 min 13 s.
	retention, err := st.Retention(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := analytics.Day(time.Now()).AddDate(0, 0, -retention)
	var old []analytics.View
	flushOld := func() error {
		if err := st.InsertRolledUp(ctx, old); err != nil {
			return err
		}
		g.made.PageViews += len(old)
		g.made.RolledUp += len(old)
		old = old[:0]
		return nil
	}
	var made int64
	for i := int64(0); i < days; i++ {
		d := periodStart.AddDate(0, 0, int(i))
		if i%rollupEvery == 0 || !d.Before(cutoff) {
			if err := flushOld(); err != nil {
				return g.made.PageViews, err
			}
		}
		for upTo := total * (i + 1) * (i + 1) / (days * days); made < upTo; made++ {
			v := analytics.View{Day: d, Visitor: int64(g.rng.Uint64() >> 1), Audience: analytics.Anonymous}
			if x := g.rng.IntN(10); x < 3 {
				u := g.users[1+g.rng.IntN(len(g.users)-1)]
				v.Audience, v.Country, v.OrganizationType = analytics.Member, u.Country, u.OrganizationType
			}
			if g.rng.IntN(4) == 0 {
				v.ReferrerHost = pick(g.rng, []string{"google.com", "un.org", "linkedin.com", "unicef.org"})
			}
			ci := g.community()
			c := g.communities[ci]
			switch x := g.rng.IntN(100); {
			case x < 25:
				v.CommunityID, v.Path, v.ObjectKind, v.ObjectID = c.ID, "/communities/"+c.Slug, analytics.KindCommunity, c.ID
			case x < 60 && len(g.threads) > 0:
				id := g.threads[g.rng.IntN(len(g.threads))]
				v.CommunityID, v.Path, v.ObjectKind, v.ObjectID = c.ID, "/threads/"+strconv.FormatInt(id, 10), analytics.KindThread, id
			case x < 72 && len(g.resources) > 0:
				id := g.resources[g.rng.IntN(len(g.resources))]
				v.CommunityID, v.Path, v.ObjectKind, v.ObjectID = c.ID, "/resources/"+strconv.FormatInt(id, 10), analytics.KindResource, id
			case x < 84 && len(g.events) > 0:
				k := g.rng.IntN(len(g.events))
				e := g.events[k]
				c = g.communities[g.eventComm[k]]
				v.CommunityID, v.Path, v.ObjectKind, v.ObjectID = c.ID, "/events/"+strconv.FormatInt(e.ID, 10), analytics.KindEvent, e.ID
			case x < 92 && len(g.solutions) > 0:
				id := g.solutions[g.rng.IntN(len(g.solutions))]
				v.Path, v.ObjectKind, v.ObjectID = "/solutions/"+strconv.FormatInt(id, 10), analytics.KindSolution, id
			default:
				v.Path = pick(g.rng, []string{"/", "/communities", "/solutions", "/search"})
			}
			if d.Before(cutoff) {
				old = append(old, v)
				continue
			}
			views = append(views, v)
			if len(views) == chunk {
				if err := flush(); err != nil {
					return g.made.PageViews, err
				}
			}
		}
	}
	if err := flushOld(); err != nil {
		return g.made.PageViews, err
	}
	return g.made.PageViews, flush()
}

// rollupEvery is how many days of old page views the generator writes as
// daily totals at a time.
const rollupEvery = 31

// rollup does what the daily job of a running platform has done: raw page
// views older than the retention period are kept as daily counts only.
// Without it the reports would read five years of raw views, which no
// real database holds. The page views stage rolls up as it goes; this
// rolls up what it left, and returns all that was rolled up.
func (g *generator) rollup(ctx context.Context) (int, error) {
	n, err := analytics.NewStore(g.db).RollupExpired(ctx, time.Now(), 0)
	g.made.RolledUp += int(n)
	return g.made.RolledUp, err
}
