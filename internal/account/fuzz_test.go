package account

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// FuzzProfile checks that validation never panics and that whatever it
// accepts is clean: a known country, a known time zone, valid text.
func FuzzProfile(f *testing.F) {
	f.Add("Ana", "BR", "government", "America/Sao_Paulo", "pt", "public", "en,pt", "EMTCT, HIV", "bio")
	f.Add("", "XX", "x", "Local", "de", "friends", "english", "", "\x00")
	f.Fuzz(func(t *testing.T, name, country, orgType, tz, lang, vis, langs, tags, bio string) {
		p, err := Profile{
			Name: name, Country: country, OrganizationType: orgType, TimeZone: tz, Language: lang,
			Visibility: vis, Languages: strings.Split(langs, ","), Expertise: strings.Split(tags, ","), Bio: bio,
		}.Validate()
		if err != nil {
			if _, ok := validation.As(err); !ok {
				t.Fatalf("Validate returned %T %v, want a validation error", err, err)
			}
			return
		}
		if p.Name == "" || !utf8.ValidString(p.Name) || !utf8.ValidString(p.Bio) {
			t.Fatalf("accepted invalid text %q", p.Name)
		}
		if p.Country != "" && !taxonomy.ValidCountry(p.Country) {
			t.Fatalf("accepted country %q", p.Country)
		}
		if p.TimeZone != "" && !taxonomy.ValidTimeZone(p.TimeZone) {
			t.Fatalf("accepted time zone %q", p.TimeZone)
		}
		for _, l := range p.Languages {
			if !taxonomy.ValidLanguage(l) {
				t.Fatalf("accepted language %q", l)
			}
		}
	})
}
