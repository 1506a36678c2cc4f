package matching_test

import (
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/sqldb"
)

// benchDemo runs fn on the demo data set (its needs, offers, matches, the
// solutions catalogue and the members' expertise), on each engine.
func benchDemo(b *testing.B, fn func(b *testing.B, db *sqldb.DB, admin account.User)) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(d.String(), func(b *testing.B) {
			db := dbtest.New(b, d)
			if _, err := demo.Load(ctx, db); err != nil {
				b.Fatal(err)
			}
			admin, err := account.NewStore(db).UserByEmail(ctx, demo.AdminEmail)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			fn(b, db, admin)
		})
	}
}

// BenchmarkSuggest is a need's page: the ten best offers, solutions and
// members for each demo need in turn.
func BenchmarkSuggest(b *testing.B) {
	benchDemo(b, func(b *testing.B, db *sqldb.DB, admin account.User) {
		st := matching.NewStore(db)
		needs, _, err := st.Needs(ctx, &admin, matching.NeedFilter{}, 100, 0)
		if err != nil || len(needs) == 0 {
			b.Fatalf("%d needs: %v", len(needs), err)
		}
		i := 0
		for b.Loop() {
			if _, err := st.Suggest(ctx, &admin, needs[i%len(needs)].ID, matching.DefaultSuggestions); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkCommunityFigures is the exchanges block of the model
// community's report.
func BenchmarkCommunityFigures(b *testing.B) {
	benchDemo(b, func(b *testing.B, db *sqldb.DB, _ account.User) {
		c, err := community.NewStore(db).BySlug(ctx, demo.ModelSlug)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := matching.CommunityFigures(ctx, db, c.ID, c.CreatedAt, c.CreatedAt.AddDate(10, 0, 0)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
