package demo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

func TestLoad(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		loaded, err := demo.Load(ctx, db)
		if err != nil || !loaded {
			t.Fatalf("Load = %v, %v; want true, nil", loaded, err)
		}
		st := account.NewStore(db)
		users, total, err := st.Users(ctx, account.ListOptions{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if total < 30 {
			t.Errorf("%d demo accounts, want a few dozen", total)
		}
		countries, orgTypes := map[string]bool{}, map[string]bool{}
		for _, u := range users {
			countries[u.Country] = true
			orgTypes[u.OrganizationType] = true
			if u.Name == "" || u.Country == "" || u.Organization == "" || u.Position == "" || len(u.Languages) == 0 || len(u.Expertise) == 0 {
				t.Errorf("demo member %s has an incomplete profile", u.Email)
			}
		}
		if len(countries) < 25 {
			t.Errorf("demo members come from %d countries, want many", len(countries))
		}
		if len(orgTypes) < 6 {
			t.Errorf("demo members have %d organisation types", len(orgTypes))
		}
		var mails int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM outbox").Scan(&mails)
		if mails != 0 {
			t.Errorf("loading the demo wrote %d messages", mails)
		}
		svc := &account.Service{DB: db}
		u, err := svc.Login(ctx, demo.AdminEmail, demo.AdminPassword, "127.0.0.1")
		if err != nil || !u.Admin {
			t.Errorf("the demo administrator cannot log in: %v", err)
		}
		if again, err := demo.Load(ctx, db); again || err != nil {
			t.Errorf("second Load = %v, %v; want false, nil", again, err)
		}
		// A new visitor searching "saude materna", without the accent,
		// finds the Portuguese resource on "saúde materna".
		res, err := search.NewStore(db).Search(ctx, search.Reader{}, search.Filter{Text: "saude materna"}, 20, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range res.Items {
			found = found || it.Type == search.KindResource && it.Language == "pt" && strings.Contains(it.Snippet, "<mark>saúde</mark> <mark>materna</mark>")
		}
		if !found {
			t.Errorf("searching \"saude materna\" does not find the Portuguese resource: %+v", res.Items)
		}
	})
}

func TestModelCommunity(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		st := community.NewStore(db)
		c, err := st.BySlug(ctx, demo.ModelSlug)
		if err != nil {
			t.Fatal(err)
		}
		if c.MemberCount != demo.ModelMembers || c.PrimarySDG != 3 || fmt.Sprint(c.SecondarySDGs) != "[17]" || fmt.Sprint(c.Targets) != "[3.1 3.2 3.3 3.8]" ||
			c.Visibility != community.Public || c.JoinPolicy != community.Open || len(c.FocusAreas) != 5 {
			t.Errorf("model community: %d members, SDG %d %v, targets %v, %s/%s, %d focus areas",
				c.MemberCount, c.PrimarySDG, c.SecondarySDGs, c.Targets, c.Visibility, c.JoinPolicy, len(c.FocusAreas))
		}
		end := time.Date(2021, 10, 31, 23, 59, 59, 0, time.UTC)
		if n, _ := st.MembersOn(ctx, c.ID, end); n != 191 {
			t.Errorf("members on 31 October 2021: %d, want 191", n)
		}
		if n, _ := st.MembersOn(ctx, c.ID, time.Date(2018, 1, 31, 0, 0, 0, 0, time.UTC)); n != 0 {
			t.Errorf("members before February 2018: %d", n)
		}
		// About four new members a month over 45 months.
		if n, _ := st.MembersOn(ctx, c.ID, time.Date(2019, 10, 31, 0, 0, 0, 0, time.UTC)); n < 80 || n > 105 {
			t.Errorf("members after 21 months: %d, want about 90", n)
		}
		var left int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE community_id = ? AND left_at IS NOT NULL", c.ID).Scan(&left)
		if left == 0 {
			t.Error("no one ever left the model community: its history is too tidy to test reports")
		}
		// Members from at least 40 countries in every region, government
		// the largest organisation type.
		rows, err := db.Query(ctx, `SELECT u.country, u.organization_type FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.community_id = ? AND m.left_at IS NULL`, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		countries, regions, types := map[string]bool{}, map[string]bool{}, map[string]int{}
		for rows.Next() {
			var cc, typ string
			rows.Scan(&cc, &typ)
			countries[cc] = true
			if k, ok := taxonomy.CountryByCode(cc); ok {
				regions[k.Region] = true
			}
			types[typ]++
		}
		rows.Close()
		if len(countries) < 40 {
			t.Errorf("members from %d countries, want at least 40", len(countries))
		}
		for _, r := range []string{"002", "019", "142", "150", "009"} {
			if !regions[r] {
				t.Errorf("no member from region %s", r)
			}
		}
		for typ, n := range types {
			if typ != "government" && n >= types["government"] {
				t.Errorf("%s (%d) is not smaller than government (%d)", typ, n, types["government"])
			}
		}
		var threads, accepted, resources, langs int
		db.QueryRow(ctx, "SELECT COUNT(*), COUNT(accepted_post_id) FROM threads WHERE community_id = ?", c.ID).Scan(&threads, &accepted)
		db.QueryRow(ctx, "SELECT COUNT(*), COUNT(DISTINCT language) FROM resources WHERE community_id = ?", c.ID).Scan(&resources, &langs)
		if threads < 10 || accepted < 4 || resources < 40 || langs < 4 {
			t.Errorf("model community content: %d threads (%d answered), %d resources in %d languages", threads, accepted, resources, langs)
		}
		list, total, _ := st.List(ctx, community.ListOptions{Limit: 10})
		if total != 3 || len(list) != 3 {
			t.Errorf("an anonymous reader sees %d communities, want 3 (the private one hidden)", total)
		}
	})
}
