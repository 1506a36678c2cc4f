package community_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

func person(t *testing.T, db sqldb.Querier, email, country, orgType string) account.User {
	t.Helper()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: email, PasswordHash: "x", Verified: true,
		Profile: account.Profile{Name: strings.Split(email, "@")[0], Country: country, OrganizationType: orgType, Visibility: account.VisibilityPublic}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newCommunity(t *testing.T, db sqldb.Querier, creator account.User, slug, visibility, policy string) community.Community {
	t.Helper()
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: slug, Name: "Community " + slug, Visibility: visibility, JoinPolicy: policy,
		PrimarySDG: 3, SecondarySDGs: []int{17, 3, 5}, Targets: []string{" 3.B", "3.9", "3.2"}, FocusAreas: []string{"EMTCT", "emtct", "Health financing"}}, creator)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateAndValidate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ana := person(t, db, "ana@example.org", "BR", "government")
		c := newCommunity(t, db, ana, "ssc4c", community.Public, community.Open)
		if c.MemberCount != 1 || strings.Join(c.Targets, ",") != "3.2,3.9,3.b" || len(c.SecondarySDGs) != 2 || strings.Join(c.FocusAreas, ",") != "EMTCT,Health financing" {
			t.Errorf("created %+v", c)
		}
		v, _ := community.NewStore(db).ViewerFor(ctx, c.ID, &ana)
		if v.Role != community.RoleManager {
			t.Errorf("creator's role %q, want manager", v.Role)
		}
		_, err := community.NewStore(db).Create(ctx, community.Input{Slug: "SSC4C", Name: "Again"}, ana)
		if ve, ok := validation.As(err); !ok || !ve.Conflict || !ve.Has("slug") {
			t.Errorf("slug collision: got %v, want a conflict on slug", err)
		}
		tests := []struct {
			name   string
			in     community.Input
			fields string
		}{
			{"bad slug", community.Input{Slug: "Hello World", Name: "x"}, "slug"},
			{"slug with double hyphen", community.Input{Slug: "a--b", Name: "x"}, "slug"},
			{"reserved slug", community.Input{Slug: "new", Name: "x"}, "slug"},
			{"no name", community.Input{Slug: "ok"}, "name"},
			{"unknown SDG", community.Input{Slug: "ok", Name: "x", PrimarySDG: 18, SecondarySDGs: []int{0}}, "primary_sdg,secondary_sdgs"},
			{"unknown target", community.Input{Slug: "ok", Name: "x", Targets: []string{"3.99"}}, "sdg_targets"},
			{"bad visibility", community.Input{Slug: "ok", Name: "x", Visibility: "secret", JoinPolicy: "maybe"}, "join_policy,visibility"},
			{"long description", community.Input{Slug: "ok", Name: "x", Description: strings.Repeat("a", 20001)}, "description"},
		}
		for _, tt := range tests {
			_, err := tt.in.Validate()
			ve, _ := validation.As(err)
			got := ""
			if ve != nil {
				got = strings.Join(ve.Names(), ",")
			}
			if got != tt.fields {
				t.Errorf("%s: failing fields %q, want %q", tt.name, got, tt.fields)
			}
		}
	})
}

func TestVisibilityAndPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "")
		member := person(t, db, "member@example.org", "MZ", "")
		outsider := person(t, db, "out@example.org", "KE", "")
		admin := person(t, db, "admin@example.org", "SN", "")
		admin.Admin = true
		st := community.NewStore(db)
		pub := newCommunity(t, db, mgr, "pub", community.Public, community.Open)
		mem := newCommunity(t, db, mgr, "mem", community.Members, community.Request)
		priv := newCommunity(t, db, mgr, "priv", community.Private, community.Invite)
		for _, c := range []community.Community{pub, mem, priv} {
			if _, _, err := st.AddMember(ctx, c, community.NewMember{UserID: member.ID}, mgr); err != nil {
				t.Fatal(err)
			}
		}
		viewer := func(c community.Community, u *account.User) community.Viewer {
			v, err := st.ViewerFor(ctx, c.ID, u)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		tests := []struct {
			c              community.Community
			who            string
			u              *account.User
			see, read, mng bool
		}{
			{pub, "anonymous", nil, true, true, false},
			{mem, "anonymous", nil, true, false, false},
			{priv, "anonymous", nil, false, false, false},
			{mem, "outsider", &outsider, true, false, false},
			{priv, "outsider", &outsider, false, false, false},
			{priv, "member", &member, true, true, false},
			{mem, "member", &member, true, true, false},
			{priv, "manager", &mgr, true, true, true},
			{priv, "site admin", &admin, true, true, true},
		}
		for _, tt := range tests {
			v := viewer(tt.c, tt.u)
			if v.CanSee(tt.c) != tt.see || v.CanRead(tt.c) != tt.read || v.CanManage() != tt.mng {
				t.Errorf("%s in %s: see=%v read=%v manage=%v, want %v %v %v", tt.who, tt.c.Slug, v.CanSee(tt.c), v.CanRead(tt.c), v.CanManage(), tt.see, tt.read, tt.mng)
			}
		}
		count := func(u *account.User) int {
			_, n, err := st.List(ctx, community.ListOptions{Reader: u, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if a, o, m, ad := count(nil), count(&outsider), count(&member), count(&admin); a != 2 || o != 2 || m != 3 || ad != 3 {
			t.Errorf("communities listed: anonymous %d, outsider %d, member %d, admin %d; want 2 2 3 3", a, o, m, ad)
		}
		// Joining follows the policy.
		if err := st.Join(ctx, mem, outsider); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("joining a request community directly: %v, want ErrForbidden", err)
		}
		if err := st.Join(ctx, priv, outsider); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("joining a private community: %v", err)
		}
		if err := st.Join(ctx, pub, outsider); err != nil {
			t.Errorf("joining an open community: %v", err)
		}
		if err := st.Join(ctx, pub, outsider); err == nil {
			t.Error("joining twice was accepted")
		}
	})
}

func TestRequestApprovalAndMail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "")
		asker := person(t, db, "asker@example.org", "MZ", "")
		c := newCommunity(t, db, mgr, "wash", community.Members, community.Request)
		svc := &community.Service{DB: db, BaseURL: "http://example.test", SiteName: "Harambee"}
		j, err := svc.RequestJoin(ctx, c, asker, "I run school WASH programmes in Maputo.")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RequestJoin(ctx, c, asker, "again"); err == nil {
			t.Error("a second pending request was accepted")
		}
		// Managers get requests under the bell and in their digest, not
		// one e-mail each.
		notes, _, _ := notify.NewInbox(db).List(ctx, mgr.ID, true, 10, 0)
		if len(notes) != 1 || !strings.Contains(notes[0].Body, "asker") || notes[0].URL != "/communities/wash/manage" {
			t.Errorf("the manager was not told: %+v", notes)
		}
		if msgs, _, _ := mail.NewOutbox(db).List(ctx, "mgr@example.org", 10, 0); len(msgs) != 0 {
			t.Errorf("the manager got %d e-mails instead of the digest", len(msgs))
		}
		st := community.NewStore(db)
		if v, _ := st.ViewerFor(ctx, c.ID, &asker); !v.Pending || v.Member() {
			t.Errorf("asker standing %+v, want pending", v)
		}
		if _, err := svc.DecideRequest(ctx, c, j.ID, mgr, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DecideRequest(ctx, c, j.ID, mgr, false); err == nil {
			t.Error("a decided request was decided again")
		}
		if v, _ := st.ViewerFor(ctx, c.ID, &asker); !v.Member() || v.Pending {
			t.Errorf("after approval: %+v", v)
		}
		msgs, _, _ := mail.NewOutbox(db).List(ctx, "asker@example.org", 10, 0)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Subject, c.Name) {
			t.Errorf("the asker was not told: %+v", msgs)
		}
		var approvedBy int64
		db.QueryRow(ctx, "SELECT approved_by FROM memberships WHERE community_id = ? AND user_id = ?", c.ID, asker.ID).Scan(&approvedBy)
		if approvedBy != mgr.ID {
			t.Errorf("approved_by = %d, want the manager %d", approvedBy, mgr.ID)
		}
	})
}

func TestRolesBansAndLastManager(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "")
		m := person(t, db, "m@example.org", "MZ", "")
		st := community.NewStore(db)
		c := newCommunity(t, db, mgr, "c", community.Public, community.Open)
		if err := st.Join(ctx, c, m); err != nil {
			t.Fatal(err)
		}
		isLast := func(err error) bool {
			ve, ok := validation.As(err)
			return ok && ve.Has("role") && ve.Fields["role"].Key == "community.error.last_manager"
		}
		if err := st.Leave(ctx, c, mgr); !isLast(err) {
			t.Errorf("the last manager leaving: %v", err)
		}
		if err := st.SetRole(ctx, c, mgr.ID, community.RoleMember, mgr); !isLast(err) {
			t.Errorf("demoting the last manager: %v", err)
		}
		if err := st.SetRole(ctx, c, m.ID, "owner", mgr); err == nil {
			t.Error("an unknown role was accepted")
		}
		if err := st.SetRole(ctx, c, m.ID, community.RoleManager, mgr); err != nil {
			t.Fatal(err)
		}
		if err := st.Leave(ctx, c, mgr); err != nil {
			t.Errorf("a manager leaving when another remains: %v", err)
		}
		// Ban: the member is removed and cannot rejoin until unbanned.
		other := person(t, db, "o@example.org", "KE", "")
		st.Join(ctx, c, other)
		if err := st.Ban(ctx, c, other.ID, m, "spam"); err != nil {
			t.Fatal(err)
		}
		err := st.Join(ctx, c, other)
		if ve, ok := validation.As(err); !ok || ve.Fields["user"].Key != "community.error.banned" {
			t.Errorf("a banned person rejoining: %v", err)
		}
		if err := st.Unban(ctx, c, other.ID, m); err != nil {
			t.Fatal(err)
		}
		if err := st.Join(ctx, c, other); err != nil {
			t.Errorf("rejoining after the ban was lifted: %v", err)
		}
		var events int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM membership_events WHERE community_id = ? AND user_id = ?", c.ID, other.ID).Scan(&events)
		if events != 4 { // joined, banned, unbanned, joined
			t.Errorf("%d events recorded for the banned member, want 4", events)
		}
	})
}

func TestHistoryIsExact(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "")
		st := community.NewStore(db)
		c, err := st.Create(ctx, community.Input{Slug: "hist", Name: "History", CreatedAt: date(2018, 2, 1)}, mgr)
		if err != nil {
			t.Fatal(err)
		}
		a := person(t, db, "a@example.org", "MZ", "")
		b := person(t, db, "b@example.org", "KE", "")
		// a joined, left and came back; b joined once.
		for _, nm := range []community.NewMember{
			{UserID: a.ID, JoinedAt: date(2018, 3, 10), LeftAt: date(2019, 1, 5)},
			{UserID: a.ID, JoinedAt: date(2020, 6, 1)},
			{UserID: b.ID, JoinedAt: date(2018, 12, 24)},
		} {
			if _, _, err := st.AddMember(ctx, c, nm, mgr); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := st.AddMember(ctx, c, community.NewMember{UserID: b.ID, JoinedAt: date(2019, 1, 1)}, mgr); err == nil {
			t.Error("adding a current member again was accepted")
		}
		if _, _, err := st.AddMember(ctx, c, community.NewMember{Email: "new@example.org", JoinedAt: time.Now().Add(48 * time.Hour)}, mgr); err == nil {
			t.Error("a join date in the future was accepted")
		}
		tests := []struct {
			at   time.Time
			want int
		}{
			{date(2018, 2, 15), 1},
			{date(2018, 6, 1), 2},
			{date(2018, 12, 31), 3},
			{date(2019, 3, 1), 2},
			{date(2020, 6, 2), 3},
		}
		for _, tt := range tests {
			if n, err := st.MembersOn(ctx, c.ID, tt.at); err != nil || n != tt.want {
				t.Errorf("members on %s: %d (%v), want %d", tt.at.Format("2006-01-02"), n, err, tt.want)
			}
		}
	})
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }

func TestInvitations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "")
		c := newCommunity(t, db, mgr, "priv", community.Private, community.Invite)
		svc := &community.Service{DB: db, BaseURL: "http://example.test", SiteName: "Harambee"}
		if _, err := svc.Invite(ctx, c, "not-an-address, ok@example.org", "", mgr); err == nil {
			t.Error("an invalid address was accepted")
		}
		n, err := svc.Invite(ctx, c, "Guest@Example.org\nmgr@example.org; guest@example.org", community.RoleModerator, mgr)
		if err != nil || n != 1 {
			t.Fatalf("Invite = %d, %v; want 1 (the manager is a member, the duplicate counted once)", n, err)
		}
		msgs, _, _ := mail.NewOutbox(db).List(ctx, "guest@example.org", 10, 0)
		if len(msgs) != 1 {
			t.Fatalf("%d invitation mails", len(msgs))
		}
		i := strings.Index(msgs[0].Text, "/invitations/")
		token := strings.Fields(msgs[0].Text[i+len("/invitations/"):])[0]
		other := person(t, db, "other@example.org", "KE", "")
		if _, err := svc.AcceptInvitation(ctx, token, other); err == nil {
			t.Error("an invitation was accepted by another address")
		}
		guest := person(t, db, "guest@example.org", "SN", "")
		if _, err := svc.AcceptInvitation(ctx, token, guest); err != nil {
			t.Fatal(err)
		}
		if v, _ := community.NewStore(db).ViewerFor(ctx, c.ID, &guest); v.Role != community.RoleModerator {
			t.Errorf("invited role %q, want moderator", v.Role)
		}
		if _, err := svc.AcceptInvitation(ctx, token, guest); !errors.Is(err, community.ErrInvitationInvalid) {
			t.Errorf("accepting twice: %v", err)
		}
	})
}

func TestMemberDirectory(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "government")
		st := community.NewStore(db)
		c := newCommunity(t, db, mgr, "c", community.Public, community.Open)
		for _, p := range []struct{ email, cc, typ, vis string }{
			{"a@example.org", "MZ", "government", "public"},
			{"b@example.org", "MZ", "ngo", "public"},
			{"c@example.org", "KE", "government", "members"},
			{"d@example.org", "BR", "academia", "public"},
			{"e@example.org", "IN", "government", "private"},
		} {
			u := person(t, db, p.email, p.cc, p.typ)
			account.NewStore(db).UpdateProfile(ctx, u.ID, account.Profile{Name: u.Name, Country: p.cc, OrganizationType: p.typ, Visibility: p.vis})
			st.Join(ctx, c, u)
		}
		c, _ = st.ByID(ctx, c.ID)
		anon := community.Viewer{}
		page, err := st.Members(ctx, c, anon, account.ProfileFilter{}, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 4 || page.Hidden != 2 {
			t.Errorf("anonymous sees %d members, %d hidden; want 4 and 2", page.Total, page.Hidden)
		}
		f, _ := account.ProfileFilter{Country: "mz"}.Validate()
		page, _ = st.Members(ctx, c, anon, f, 50, 0)
		if page.Total != 2 || page.Facets.Countries["BR"] != 2 || page.Facets.OrganizationTypes["ngo"] != 1 {
			t.Errorf("country MZ: total %d, facets %+v", page.Total, page.Facets)
		}
		// Regions count under the other filters, without the country.
		if r := page.Facets.Regions; len(r) != 2 || r["002"] != 2 || r["019"] != 2 {
			t.Errorf("country MZ: regions %v, want Africa 2 and the Americas 2", r)
		}
		f, _ = account.ProfileFilter{Region: "Africa", OrganizationType: "government"}.Validate()
		mgrView, _ := st.ViewerFor(ctx, c.ID, &mgr)
		page, _ = st.Members(ctx, c, mgrView, f, 50, 0)
		if page.Total != 2 || page.Facets.Regions["002"] != 2 || page.Facets.Regions["019"] != 1 || page.Facets.Regions["142"] != 1 {
			t.Errorf("manager, Africa + government: total %d, regions %v", page.Total, page.Facets.Regions)
		}
	})
}

func TestImportMembers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		mgr := person(t, db, "mgr@example.org", "BR", "")
		person(t, db, "known@example.org", "KE", "")
		st := community.NewStore(db)
		c := newCommunity(t, db, mgr, "c", community.Public, community.Open)
		good := "email,name,country,organization,organization_type,position,joined_at\n" +
			"known@example.org,,,,,,2018-03-01\n" +
			"New.Person@Example.org,New Person,mz,Ministério da Saúde,government,Director,2019-07-15T10:00:00Z\n" +
			"\"quoted@example.org\",\"Diallo, Fatou\",SN,,ngo,,\n"
		bad := []struct {
			name, csv, want string
		}{
			{"wrong header", "mail,name\nx@example.org,X\n", "line 1, column mail"},
			{"missing email column", "name\nX\n", "line 1, column email"},
			{"bad date", "email,name,joined_at\na@example.org,A,2019-13-01\n", "line 2, column joined_at"},
			{"bad country on line 3", "email,name,country\na@example.org,A,BR\nb@example.org,B,XX\n", "line 3, column country"},
			{"wrong field count", "email,name\na@example.org,A,extra\n", "line 2"},
			{"broken quotes", "email,name\na@example.org,\"A\n", "line 2"},
			{"new account without name", "email,name\nnobody@example.org,\n", "line 2, column name"},
			{"duplicate address", "email,name\na@example.org,A\nA@example.org,A\n", "line 3, column email"},
			{"empty", "", "line 1"},
		}
		for _, tt := range bad {
			_, err := st.ImportMembers(ctx, c, strings.NewReader(tt.csv), mgr)
			var ie *community.ImportError
			if !errors.As(err, &ie) || !strings.Contains(ie.Error(), tt.want) {
				t.Errorf("%s: got %v, want a problem at %q", tt.name, err, tt.want)
			}
		}
		var n int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
		if n != 2 {
			t.Errorf("refused imports left %d accounts, want the 2 there were", n)
		}
		res, err := st.ImportMembers(ctx, c, strings.NewReader(good), mgr)
		if err != nil {
			t.Fatal(err)
		}
		if res.Rows != 3 || res.Added != 3 || res.Created != 2 {
			t.Errorf("import result %+v", res)
		}
		u, err := account.NewStore(db).UserByEmail(ctx, "new.person@example.org")
		if err != nil || u.Verified() || u.Country != "MZ" || u.OrganizationType != "government" {
			t.Errorf("imported account %+v, %v", u, err)
		}
		var joined time.Time
		db.QueryRow(ctx, "SELECT joined_at FROM memberships WHERE user_id = ?", u.ID).Scan(&joined)
		if !joined.Equal(time.Date(2019, 7, 15, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("joined_at %v", joined)
		}
		// Importing the same file again changes nothing.
		res, err = st.ImportMembers(ctx, c, strings.NewReader(good), mgr)
		if err != nil || res.Added != 0 || res.AlreadyMembers != 3 {
			t.Errorf("re-import: %+v, %v", res, err)
		}
	})
}

func FuzzImportMembers(f *testing.F) {
	f.Add("email,name\na@example.org,A\n")
	f.Add("email,name,joined_at\n\"a@example.org\",\"A, B\",2018-01-01\n")
	f.Add("\ufeffEMAIL,Name\n")
	f.Add("email\n\"")
	db := dbtest.New(f, sqldb.SQLite)
	mgr := person(&testing.T{}, db, "mgr@example.org", "BR", "")
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "fuzz", Name: "Fuzz"}, mgr)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, csv string) {
		_, err := community.NewStore(db).ImportMembers(ctx, c, strings.NewReader(csv), mgr)
		var ie *community.ImportError
		if err != nil && !errors.As(err, &ie) {
			if _, ok := validation.As(err); !ok {
				t.Fatalf("import of %q failed with %T %v, want an ImportError", csv, err, err)
			}
		}
	})
}
