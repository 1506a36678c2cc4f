package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func wantAPIError(t *testing.T, r response, status int, code string, fields ...string) apiError {
	t.Helper()
	wantStatus(t, r, status)
	var e apiError
	decodeJSON(t, r, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("error %+v, want code %q and a message", e.Error, code)
	}
	for _, f := range fields {
		if e.Error.Fields[f] == "" {
			t.Errorf("error fields %v lack %q", e.Error.Fields, f)
		}
	}
	return e
}

func TestAPIUsers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		admin := s.apiClient(s.user("admin@example.org", true))
		member := s.apiClient(s.user("member@example.org", false))

		body := map[string]any{
			"email": "  Tendai.Moyo@MoHCC.example.org ", "name": "Tendai Moyo", "country": "zw",
			"organization": "Ministry of Health and Child Care", "organization_type": "government",
			"position": "National PMTCT Coordinator", "languages": []string{"en", "sn"}, "expertise": []string{"EMTCT", "HIV"},
		}
		r := admin.json("POST", "/api/v1/users", body)
		wantStatus(t, r, http.StatusCreated)
		var u struct {
			ID                                                  int64
			Email, Country, Region, SubRegion, OrganizationType string
			Verified                                            bool
		}
		decodeJSON(t, r, &u)
		if u.ID == 0 || u.Email != "tendai.moyo@mohcc.example.org" || u.Country != "ZW" || !u.Verified {
			t.Errorf("created %+v", u)
		}
		var mails int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM outbox").Scan(&mails)
		if mails != 0 {
			t.Errorf("creating a user through the API sent %d messages", mails)
		}

		// The same address in other letters is a conflict.
		body["email"] = "TENDAI.MOYO@mohcc.example.org"
		wantAPIError(t, admin.json("POST", "/api/v1/users", body), http.StatusConflict, "conflict", "email")

		// Validation names each failing field, in the caller's language.
		admin.lang = "fr"
		wantAPIError(t, admin.json("POST", "/api/v1/users", map[string]any{"email": "not-an-address", "name": "", "country": "XX", "organization_type": "ministry"}),
			http.StatusBadRequest, "validation_failed", "email", "name", "country", "organization_type")
		if !strings.Contains(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		admin.lang = ""

		// New profiles are for members: another member reads it without the
		// e-mail address, an anonymous caller does not learn it exists.
		path := "/api/v1/users/" + strconv.FormatInt(u.ID, 10)
		wantAPIError(t, s.client().get(path), http.StatusNotFound, "not_found")
		r = member.get(path)
		wantStatus(t, r, 200)
		if strings.Contains(r.body, "mohcc.example.org") {
			t.Error("another member sees the e-mail address")
		}

		// PATCH /api/v1/me changes only the fields sent.
		r = member.json("PATCH", "/api/v1/me", map[string]any{"position": "Adviser", "languages": []string{"pt", "en"}})
		wantStatus(t, r, 200)
		var me struct {
			Name, Position string
			Languages      []string
		}
		decodeJSON(t, r, &me)
		if me.Name != "member" || me.Position != "Adviser" || strings.Join(me.Languages, ",") != "en,pt" {
			t.Errorf("after PATCH: %+v", me)
		}

		// Lists page.
		r = admin.get("/api/v1/users?per_page=2&page=2")
		wantStatus(t, r, 200)
		var list struct {
			Items   []map[string]any
			Total   int
			Page    int
			PerPage int `json:"per_page"`
		}
		decodeJSON(t, r, &list)
		if list.Total != 3 || len(list.Items) != 1 || list.Page != 2 || list.PerPage != 2 {
			t.Errorf("page 2 of 2: total %d, %d items, page %d, per_page %d", list.Total, len(list.Items), list.Page, list.PerPage)
		}
	})
}

func TestAPIVisibilityRule(t *testing.T) {
	// Default visibility is "members": the test above relies on it, so it is
	// checked on its own.
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		admin := s.apiClient(s.user("admin@example.org", true))
		r := admin.json("POST", "/api/v1/users", map[string]any{"email": "x@example.org", "name": "X"})
		wantStatus(t, r, 201)
		var u struct {
			ProfileVisibility string `json:"profile_visibility"`
		}
		decodeJSON(t, r, &u)
		if u.ProfileVisibility != "members" {
			t.Errorf("default visibility %q, want members", u.ProfileVisibility)
		}
	})
}

func TestAPIBadRequests(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		admin := s.apiClient(s.user("admin@example.org", true))
		tests := []struct {
			name   string
			body   string
			status int
			code   string
			field  string
		}{
			{"malformed", `{"email": `, 400, "malformed_json", ""},
			{"not json", `email=x`, 400, "malformed_json", ""},
			{"empty", ``, 400, "malformed_json", ""},
			{"array", `[]`, 400, "malformed_json", ""},
			{"trailing", `{"email":"a@b.org","name":"A"} {}`, 400, "malformed_json", ""},
			{"wrong type", `{"email": 5, "name": "A"}`, 400, "validation_failed", "email"},
			{"list as string", `{"email":"a@b.org","name":"A","languages":"en"}`, 400, "validation_failed", "languages"},
			{"unknown field", `{"email":"a@b.org","name":"A","organisation":"typo"}`, 400, "validation_failed", "organisation"},
			{"too large", `{"name":"` + strings.Repeat("a", 1<<20+10) + `"}`, 413, "too_large", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := admin.json("POST", "/api/v1/users", tt.body)
				var fields []string
				if tt.field != "" {
					fields = append(fields, tt.field)
				}
				wantAPIError(t, r, tt.status, tt.code, fields...)
			})
		}
		r := admin.do("POST", "/api/v1/users", strings.NewReader(`{}`), "text/plain")
		wantAPIError(t, r, 400, "unsupported_media_type")

		for _, q := range []string{"page=0", "page=x", "per_page=101", "per_page=0", "per_page=-5"} {
			wantAPIError(t, admin.get("/api/v1/users?"+q), 400, "validation_failed")
		}
		wantAPIError(t, admin.get("/api/v1/users/abc"), 404, "not_found")
		wantAPIError(t, admin.get("/api/v1/users/99999"), 404, "not_found")
		wantAPIError(t, admin.get("/api/v1/nothing"), 404, "not_found")
		r = admin.json("DELETE", "/api/v1/me", nil)
		wantAPIError(t, r, 405, "method_not_allowed")
		if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "PATCH") {
			t.Errorf("Allow %q", allow)
		}

		wrong := s.client()
		wrong.token = "hmb_wrong"
		r = wrong.get("/api/v1/users/1")
		wantAPIError(t, r, 401, "unauthorized")
		if r.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		r = s.client().do("GET", "/api/v1/me", nil, "")
		wantAPIError(t, r, 401, "unauthorized")
	})
}

func TestOpenAPIServed(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		r := s.client().get("/api/openapi.json")
		wantStatus(t, r, 200)
		var doc struct{ Paths map[string]any }
		decodeJSON(t, r, &doc)
		if doc.Paths["/api/v1/me"] == nil {
			t.Error("the served document lacks /api/v1/me")
		}
	})
}
