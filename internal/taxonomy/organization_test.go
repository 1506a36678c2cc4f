package taxonomy

import (
	"slices"
	"testing"
)

func TestOrganizationTypes(t *testing.T) {
	want := []string{"government", "ngo", "academia", "un_agency", "international_org", "private_sector", "donor", "media", "other"}
	if got := OrganizationTypes(); !slices.Equal(got, want) {
		t.Errorf("OrganizationTypes(): got %v, want %v", got, want)
	}
	for _, s := range want {
		if !ValidOrganizationType(s) {
			t.Errorf("ValidOrganizationType(%q): got false, want true", s)
		}
	}
	for _, s := range []string{"", "NGO", "un agency", "company", " ngo"} {
		if ValidOrganizationType(s) {
			t.Errorf("ValidOrganizationType(%q): got true, want false", s)
		}
	}
}
