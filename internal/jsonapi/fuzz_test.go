package jsonapi

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
)

// FuzzDecodeUser feeds arbitrary bodies to the request decoder and the
// account validation behind POST /api/v1/users: each body must be refused
// with a request error or a validation error, or accepted as a valid
// account, and never panic.
func FuzzDecodeUser(f *testing.F) {
	for _, s := range []string{
		`{"email":"ana@example.org","name":"Ana","country":"BR","languages":["pt"]}`,
		`{"email":5}`, `[]`, `{`, `{"x":1}`, `null`, `{"name":"\u0000"}`, `{"languages":[1,2]}`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	c := &call{l: i18n.For("en")}
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/api/v1/users", bytes.NewReader(body))
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		var in userInput
		err := decode(r, c, &in)
		if err != nil {
			var re *requestError
			var tooLarge *http.MaxBytesError
			if !errors.As(err, &re) && !errors.As(err, &tooLarge) {
				t.Fatalf("decode(%q) = %T %v, want a request error", body, err, err)
			}
			return
		}
		_, err = account.NewUser{Email: in.Email, Password: in.Password, Profile: account.Profile{
			Name: in.Name, Country: in.Country, Organization: in.Organization, OrganizationType: in.OrganizationType,
			Position: in.Position, Bio: in.Bio, Languages: in.Languages, Expertise: in.Expertise,
			TimeZone: in.TimeZone, Language: in.Language, Visibility: in.ProfileVisibility,
		}}.Validate()
		_ = err // valid or a validation error; either is fine, a panic is not
	})
}
