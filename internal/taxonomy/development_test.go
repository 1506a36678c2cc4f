package taxonomy

import "testing"

func TestDevelopmentClasses(t *testing.T) {
	tests := []struct {
		code                                                   string
		developing, developed, least, landlocked, smallIslands bool
	}{
		{"BR", true, false, false, false, false},
		{"NO", false, true, false, false, false},
		{"MZ", true, false, true, false, false},
		{"mz", true, false, true, false, false},
		{"ML", true, false, true, true, false},
		{"BO", true, false, false, true, false},
		{"FJ", true, false, false, false, true},
		{"HT", true, false, true, false, true},
		{"CN", true, false, false, false, false},
		{"JP", false, true, false, false, false},
		{"MD", false, true, false, true, false}, // as published: both lists
		{"TW", false, false, false, false, false},
		{"AQ", false, false, false, false, false},
		{"XX", false, false, false, false, false},
		{"", false, false, false, false, false},
	}
	for _, tt := range tests {
		got := [5]bool{IsDeveloping(tt.code), IsDeveloped(tt.code), IsLeastDeveloped(tt.code),
			IsLandlockedDeveloping(tt.code), IsSmallIslandDeveloping(tt.code)}
		want := [5]bool{tt.developing, tt.developed, tt.least, tt.landlocked, tt.smallIslands}
		if got != want {
			t.Errorf("%q: got developing, developed, LDC, LLDC, SIDS = %v, want %v", tt.code, got, want)
		}
	}
}
