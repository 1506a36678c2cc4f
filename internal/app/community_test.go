package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
)

// communityFixture is a site with a manager, a member and an outsider, and
// one community of each visibility.
type communityFixture struct {
	*site
	manager, member, outsider, admin account.User
	public, membersOnly, private     community.Community
}

func newCommunityFixture(t *testing.T, db *sqldb.DB) *communityFixture {
	s := newSite(t, db)
	f := &communityFixture{site: s}
	f.admin = s.user("admin@example.org", true)
	f.manager = s.user("manager@example.org", false)
	f.member = s.user("member@example.org", false)
	f.outsider = s.user("outsider@example.org", false)
	st := community.NewStore(db)
	mk := func(slug, vis, policy string) community.Community {
		c, err := st.Create(ctx, community.Input{Slug: slug, Name: "Community " + slug, Visibility: vis, JoinPolicy: policy, PrimarySDG: 3,
			Description: "About **" + slug + "**"}, f.manager)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.AddMember(ctx, c, community.NewMember{UserID: f.member.ID}, f.manager); err != nil {
			t.Fatal(err)
		}
		c, _ = st.ByID(ctx, c.ID)
		return c
	}
	f.public = mk("open-health", community.Public, community.Open)
	f.membersOnly = mk("wash", community.Members, community.Request)
	f.private = mk("secret-group", community.Private, community.Invite)
	return f
}

// TestCommunityJourney is the "done when": a member joins an open
// community, asks to join a request community and is approved by its
// manager, and the directory filters give the right counts.
func TestCommunityJourney(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		out := f.loggedIn("outsider@example.org")

		r := out.get("/communities")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "Community open-health") || !strings.Contains(r.body, "Community wash") || strings.Contains(r.body, "secret-group") {
			t.Error("the list shows the wrong communities to an outsider")
		}
		r = out.get("/communities/open-health")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, `action="/communities/open-health/join"`) {
			t.Fatal("no join button on an open community")
		}
		wantStatus(t, out.post("/communities/open-health/join", nil), http.StatusSeeOther)
		r = out.get("/communities/open-health")
		if !strings.Contains(r.body, `action="/communities/open-health/leave"`) || !strings.Contains(r.body, "3 members") {
			t.Error("after joining: no leave button or wrong member count")
		}

		r = out.get("/communities/wash")
		if !strings.Contains(r.body, `action="/communities/wash/request"`) {
			t.Fatal("no request form on a request community")
		}
		wantStatus(t, out.get("/communities/wash/members"), http.StatusForbidden)
		wantStatus(t, out.post("/communities/wash/request", url.Values{"message": {"I work on school sanitation in Nairobi."}}), http.StatusSeeOther)
		r = out.get("/communities/wash")
		if !strings.Contains(r.body, `action="/communities/wash/request/withdraw"`) {
			t.Error("no pending state after asking")
		}

		mgr := f.loggedIn("manager@example.org")
		r = mgr.get("/communities/wash/manage")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "I work on school sanitation in Nairobi.") {
			t.Fatal("the manager does not see the request and its message")
		}
		action := regexp.MustCompile(`action="(/communities/wash/manage/requests/\d+)"`).FindStringSubmatch(r.body)
		if action == nil {
			t.Fatal("no decision form")
		}
		wantStatus(t, mgr.post(action[1], url.Values{"decision": {"approve"}}), http.StatusSeeOther)
		wantStatus(t, out.get("/communities/wash/members"), 200)
		msgs, _, _ := mail.NewOutbox(db).List(ctx, "outsider@example.org", 5, 0)
		if len(msgs) == 0 {
			t.Error("the requester was not told of the approval")
		}

		// Directory filters with their counts.
		for _, p := range []struct{ email, cc, typ string }{{"a@example.org", "MZ", "government"}, {"b@example.org", "MZ", "ngo"}, {"c@example.org", "BR", "government"}} {
			u := f.user(p.email, false)
			account.NewStore(db).UpdateProfile(ctx, u.ID, account.Profile{Name: p.email, Country: p.cc, OrganizationType: p.typ, Visibility: "public"})
			community.NewStore(db).Join(ctx, f.public, u)
		}
		r = out.get("/communities/open-health/members?country=MZ")
		wantStatus(t, r, 200)
		// manager, member and outsider are from MZ (the test users' country), plus a and b.
		if !strings.Contains(r.body, "5 people") {
			t.Errorf("country MZ: wrong count\n%s", excerpt(r.body, "people"))
		}
		r = out.get("/communities/open-health/members?country=MZ&organization_type=government")
		if !strings.Contains(r.body, "1 person") || !strings.Contains(r.body, "a@example.org") {
			t.Errorf("MZ + government: wrong result\n%s", excerpt(r.body, "person"))
		}
		if !strings.Contains(r.body, "Non-governmental organisation (1)") {
			t.Error("the organisation type choices lack their counts under the other filters")
		}
	})
}

func excerpt(body, near string) string {
	i := strings.Index(body, near)
	if i < 0 {
		return "(" + near + " not found)"
	}
	return body[max(0, i-200):min(len(body), i+200)]
}

func TestCommunityPermissions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		anon, out, mem, mgr, adm := f.client(), f.loggedIn("outsider@example.org"), f.loggedIn("member@example.org"), f.loggedIn("manager@example.org"), f.loggedIn("admin@example.org")
		clients := map[string]*client{"anonymous": anon, "outsider": out, "member": mem, "manager": mgr, "admin": adm}
		tests := []struct {
			method, path string
			want         map[string]int
		}{
			{"GET", "/communities/wash", map[string]int{"anonymous": 200, "outsider": 200, "member": 200}},
			{"GET", "/communities/wash/members", map[string]int{"anonymous": 403, "outsider": 403, "member": 200, "admin": 200}},
			{"GET", "/communities/secret-group", map[string]int{"anonymous": 404, "outsider": 404, "member": 200, "admin": 200}},
			{"GET", "/communities/secret-group/members", map[string]int{"anonymous": 404, "outsider": 404, "member": 200}},
			{"GET", "/communities/open-health/manage", map[string]int{"anonymous": 303, "outsider": 403, "member": 403, "manager": 200, "admin": 200}},
			{"GET", "/communities/secret-group/manage", map[string]int{"outsider": 404, "member": 403, "manager": 200}},
			{"POST", "/communities/open-health/manage/members/" + strconv.FormatInt(f.member.ID, 10) + "/role", map[string]int{"anonymous": 401, "outsider": 403, "member": 403}},
			{"POST", "/communities/open-health/manage/invitations", map[string]int{"outsider": 403, "member": 403}},
			{"POST", "/communities/secret-group/join", map[string]int{"outsider": 404}},
			{"POST", "/communities/wash/join", map[string]int{"outsider": 403}},
			{"GET", "/communities/new", map[string]int{"anonymous": 303, "member": 403, "admin": 200}},
			{"POST", "/communities", map[string]int{"member": 403}},
			{"GET", "/members", map[string]int{"anonymous": 303, "member": 200}},
			{"GET", "/admin/settings", map[string]int{"member": 403, "manager": 403, "admin": 200}},
			{"GET", "/api/v1/communities/wash/members", map[string]int{"anonymous": 403, "outsider": 403, "member": 200}},
			{"GET", "/api/v1/communities/secret-group", map[string]int{"anonymous": 404, "outsider": 404, "member": 200}},
			{"PATCH", "/api/v1/communities/open-health", map[string]int{"anonymous": 401, "outsider": 403, "member": 403}},
			{"POST", "/api/v1/communities", map[string]int{"anonymous": 401, "member": 403}},
			{"GET", "/api/v1/communities/wash/requests", map[string]int{"member": 403, "manager": 200}},
		}
		for _, tt := range tests {
			for who, want := range tt.want {
				c := clients[who]
				var r response
				switch {
				case tt.method == "GET":
					r = c.get(tt.path)
				case strings.HasPrefix(tt.path, "/api/"):
					r = c.json(tt.method, tt.path, map[string]any{"name": "x"})
				default:
					r = c.post(tt.path, url.Values{"role": {"manager"}, "emails": {"x@example.org"}})
				}
				if r.StatusCode != want {
					t.Errorf("%s %s as %s: status %d, want %d", tt.method, tt.path, who, r.StatusCode, want)
				}
			}
		}
		// The refused role change changed nothing.
		if v, _ := community.NewStore(db).ViewerFor(ctx, f.public.ID, &f.member); v.Role != community.RoleMember {
			t.Errorf("member's role became %q", v.Role)
		}
	})
}

func TestLastManagerAndBans(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		mgr := f.loggedIn("manager@example.org")
		r := mgr.get("/communities/open-health")
		if strings.Contains(r.body, `action="/communities/open-health/leave"`) {
			t.Error("the last manager is offered to leave")
		}
		r = mgr.post("/communities/open-health/leave", nil)
		wantStatus(t, r, http.StatusBadRequest)
		id := strconv.FormatInt(f.manager.ID, 10)
		r = mgr.post("/communities/open-health/manage/members/"+id+"/role", url.Values{"role": {"member"}})
		wantStatus(t, r, http.StatusBadRequest)

		// Ban the member: they are out and cannot rejoin.
		mid := strconv.FormatInt(f.member.ID, 10)
		wantStatus(t, mgr.post("/communities/open-health/manage/members/"+mid+"/ban", nil), http.StatusSeeOther)
		mem := f.loggedIn("member@example.org")
		r = mem.post("/communities/open-health/join", nil)
		wantStatus(t, r, http.StatusBadRequest)
		api := f.apiClient(f.member)
		wantAPIError(t, api.json("POST", "/api/v1/communities/open-health/members", map[string]any{"user_id": f.member.ID}), 400, "validation_failed")
	})
}

func TestCommunityAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		admin := s.apiClient(s.user("admin@example.org", true))
		r := admin.json("POST", "/api/v1/communities", map[string]any{
			"slug": "ssc4c", "name": "South-South Cooperation for Children", "description": "A community of practice.",
			"visibility": "public", "join_policy": "open", "primary_sdg": 3, "secondary_sdgs": []int{17},
			"sdg_targets": []string{"3.1", "3.2", "3.3", "3.8"}, "focus_areas": []string{"Primary health care"}, "created_at": "2018-02-01",
		})
		wantStatus(t, r, http.StatusCreated)
		var c struct {
			ID          int64
			Slug        string
			PrimarySDG  int      `json:"primary_sdg"`
			Targets     []string `json:"sdg_targets"`
			MemberCount int      `json:"member_count"`
			CreatedAt   string   `json:"created_at"`
		}
		decodeJSON(t, r, &c)
		if c.ID == 0 || c.PrimarySDG != 3 || len(c.Targets) != 4 || c.MemberCount != 1 || !strings.HasPrefix(c.CreatedAt, "2018-02-01") {
			t.Errorf("created %+v", c)
		}
		wantAPIError(t, admin.json("POST", "/api/v1/communities", map[string]any{"slug": "ssc4c", "name": "Again"}), 409, "conflict", "slug")
		wantAPIError(t, admin.json("POST", "/api/v1/communities", map[string]any{"slug": "Bad Slug", "name": "x", "primary_sdg": 18, "sdg_targets": []string{"3.99"}}),
			400, "validation_failed", "slug", "primary_sdg", "sdg_targets")

		// Import history: members with past join dates, new accounts by e-mail.
		for i, m := range []map[string]any{
			{"email": "ana@saude.example.org", "name": "Ana Souza", "country": "BR", "organization_type": "government", "joined_at": "2018-02-10"},
			{"email": "kwame@health.example.org", "name": "Kwame Mensah", "country": "GH", "organization_type": "ngo", "joined_at": "2018-03-05T09:00:00Z", "role": "moderator"},
			{"email": "lan@moh.example.org", "name": "Nguyen Thi Lan", "country": "VN", "organization_type": "government"},
		} {
			r := admin.json("POST", "/api/v1/communities/ssc4c/members", m)
			wantStatus(t, r, http.StatusCreated)
			if i == 0 && !strings.Contains(r.body, `"joined_at":"2018-02-10T00:00:00Z"`) {
				t.Errorf("joined_at not kept: %s", r.body)
			}
		}
		wantAPIError(t, admin.json("POST", "/api/v1/communities/ssc4c/members", map[string]any{"email": "ANA@saude.example.org"}), 409, "conflict")
		wantAPIError(t, admin.json("POST", "/api/v1/communities/ssc4c/members", map[string]any{"email": "x@example.org", "name": "X", "joined_at": "yesterday"}), 400, "validation_failed", "joined_at")
		wantAPIError(t, admin.json("POST", "/api/v1/communities/ssc4c/members", map[string]any{"email": "y@example.org"}), 400, "validation_failed", "name")

		r = s.client().get("/api/v1/communities/ssc4c")
		wantStatus(t, r, 200)
		decodeJSON(t, r, &c)
		if c.MemberCount != 4 {
			t.Errorf("member_count %d, want 4", c.MemberCount)
		}
		r = s.client().get("/api/v1/communities/ssc4c/members?region=Africa")
		var list struct {
			Items []struct {
				UserID           int64  `json:"user_id"`
				Name             string `json:"name"`
				Country          string `json:"country"`
				OrganizationType string `json:"organization_type"`
				Role             string `json:"role"`
				JoinedAt         string `json:"joined_at"`
			}
			Total int
		}
		wantStatus(t, r, 200)
		decodeJSON(t, r, &list)
		// Imported accounts keep the default visibility (members), so an
		// anonymous caller sees only the creator (public, from Mozambique);
		// the admin also sees Kwame.
		if list.Total != 1 || list.Items[0].Name != "admin" {
			t.Errorf("anonymous directory, Africa: %+v, want only the creator", list)
		}
		r = admin.get("/api/v1/communities/ssc4c/members?region=002")
		decodeJSON(t, r, &list)
		if list.Total != 2 || list.Items[1].Name != "Kwame Mensah" || list.Items[1].Role != "moderator" || list.Items[1].JoinedAt != "2018-03-05T09:00:00Z" {
			t.Errorf("Africa for the admin: %+v", list)
		}
		r = admin.get("/api/v1/communities/ssc4c/members?organization_type=government&per_page=1")
		decodeJSON(t, r, &list)
		if list.Total != 2 || len(list.Items) != 1 {
			t.Errorf("government: total %d, %d items", list.Total, len(list.Items))
		}
		wantAPIError(t, admin.get("/api/v1/communities/ssc4c/members?country=XX"), 400, "validation_failed", "country")
		wantAPIError(t, admin.get("/api/v1/communities?sdg=20"), 400, "validation_failed", "sdg")

		r = s.client().get("/api/v1/communities?sdg=3")
		var cl struct{ Total int }
		decodeJSON(t, r, &cl)
		if cl.Total != 1 {
			t.Errorf("communities with SDG 3: %d", cl.Total)
		}
		// A member adds themselves to an open community, not someone else.
		u := s.user("self@example.org", false)
		self := s.apiClient(u)
		wantStatus(t, self.json("POST", "/api/v1/communities/ssc4c/members", map[string]any{"user_id": u.ID}), http.StatusCreated)
		wantAPIError(t, self.json("POST", "/api/v1/communities/ssc4c/members", map[string]any{"email": "other@example.org", "name": "Other"}), 403, "forbidden")
		wantStatus(t, self.json("DELETE", "/api/v1/communities/ssc4c/members/"+strconv.FormatInt(u.ID, 10), nil), http.StatusNoContent)
	})
}

func TestCommunityPagesRenderSafely(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		admin := s.user("admin@example.org", true)
		_, err := community.NewStore(db).Create(ctx, community.Input{Slug: "xss", Name: `<script>alert(1)</script>`,
			Description: "<img src=x onerror=alert(1)> [x](javascript:alert(1))", FocusAreas: []string{`"><svg onload=alert(1)>`}}, admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/communities", "/communities/xss", "/communities/xss/members", "/countries/MZ"} {
			body := s.client().get(path).body
			for _, bad := range []string{"<script>alert", "onerror=", "javascript:", "<svg onload"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s contains %q", path, bad)
				}
			}
		}
	})
}

func TestCountryPage(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		r := f.client().get("/countries/MZ")
		wantStatus(t, r, 200)
		if !strings.Contains(r.body, "Mozambique") || !strings.Contains(r.body, "manager") || !strings.Contains(r.body, "Community open-health") {
			t.Error("the country page lacks its people or communities")
		}
		if strings.Contains(r.body, "secret-group") {
			t.Error("the country page shows a private community to an anonymous reader")
		}
		r = f.client().get("/countries/mz")
		wantStatus(t, r, http.StatusMovedPermanently)
		wantStatus(t, f.client().get("/countries/XX"), 404)
		r = f.client().get("/countries/MZ?lang=fr")
		if !strings.Contains(r.body, "Mozambique") || !strings.Contains(r.body, `lang="fr"`) {
			t.Error("the country page in French")
		}
	})
}
