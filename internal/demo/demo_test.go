package demo_test

import (
	"context"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/sqldb"
)

func TestLoad(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		loaded, err := demo.Load(ctx, db)
		if err != nil || !loaded {
			t.Fatalf("Load = %v, %v; want true, nil", loaded, err)
		}
		st := account.NewStore(db)
		users, total, err := st.Users(ctx, account.ListOptions{Limit: 100})
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
	})
}
