package taxonomy

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestGoals(t *testing.T) {
	gs := Goals()
	if len(gs) != 17 {
		t.Fatalf("got %d goals, want 17", len(gs))
	}
	for i, g := range gs {
		if g.Number != i+1 {
			t.Errorf("goal at %d: got number %d, want %d", i, g.Number, i+1)
		}
		for _, lang := range []string{"en", "fr", "es", "pt"} {
			if s := loadSDG().short[g.Number][lang]; s == "" {
				t.Errorf("goal %d: no %s short name in the data", g.Number, lang)
			}
		}
		for _, lang := range []string{"en", "fr", "es"} {
			if s := loadSDG().titles[g.Number][lang]; s == "" {
				t.Errorf("goal %d: no %s title in the data", g.Number, lang)
			}
		}
		for _, lang := range []string{"en", "fr", "es", "pt", "ar", "zh", "ru"} {
			if s := g.Title(lang); !norm.NFC.IsNormalString(s) {
				t.Errorf("goal %d: %s title %q is not in NFC", g.Number, lang, s)
			}
			for _, tg := range Targets(g.Number) {
				if s := tg.Title(lang); !norm.NFC.IsNormalString(s) {
					t.Errorf("target %s: %s title %q is not in NFC", tg.Code, lang, s)
				}
			}
		}
	}
	gs[0].Color = "changed"
	if Goals()[0].Color == "changed" {
		t.Errorf("Goals returns the package's own slice, want a copy")
	}
}

func TestGoalByNumber(t *testing.T) {
	tests := []struct {
		n     int
		ok    bool
		color string
	}{
		{1, true, "#E5243B"},
		{3, true, "#4C9F38"},
		{17, true, "#19486A"},
		{0, false, ""},
		{18, false, ""},
		{-3, false, ""},
	}
	for _, tt := range tests {
		g, ok := GoalByNumber(tt.n)
		if ok != tt.ok || g.Color != tt.color {
			t.Errorf("GoalByNumber(%d): got %v, %v, want colour %q, %v", tt.n, g, ok, tt.color, tt.ok)
		}
		if ValidGoal(tt.n) != tt.ok {
			t.Errorf("ValidGoal(%d): got %v, want %v", tt.n, !tt.ok, tt.ok)
		}
	}
}

func TestGoalNames(t *testing.T) {
	g, _ := GoalByNumber(3)
	tests := []struct {
		lang, short, titleStart string
	}{
		{"en", "Good health and well-being", "Ensure healthy lives"},
		{"fr", "Bonne santé et bien-être", "Permettre à tous"},
		{"es", "Salud y Bienestar", "Garantizar una vida sana"},
		{"pt", "Saúde e bem-estar", "Ensure healthy lives"}, // no pt titles: English
		{"pt-BR", "Saúde e bem-estar", "Ensure healthy lives"},
		{"fr-CA", "Bonne santé et bien-être", "Permettre à tous"},
		{"zh", "良好健康与福祉", "确保"},
		{"de", "Good health and well-being", "Ensure healthy lives"},
		{"", "Good health and well-being", "Ensure healthy lives"},
	}
	for _, tt := range tests {
		if got := g.Short(tt.lang); got != tt.short {
			t.Errorf("Short(%q): got %q, want %q", tt.lang, got, tt.short)
		}
		if got := g.Title(tt.lang); !strings.HasPrefix(got, tt.titleStart) {
			t.Errorf("Title(%q): got %q, want it to start with %q", tt.lang, got, tt.titleStart)
		}
	}
}

func TestTextColorContrast(t *testing.T) {
	for _, g := range Goals() {
		fg := g.TextColor()
		if fg != "#000000" && fg != "#FFFFFF" {
			t.Fatalf("goal %d: got text colour %q, want black or white", g.Number, fg)
		}
		other := "#FFFFFF"
		if fg == other {
			other = "#000000"
		}
		got, alt := contrastRatio(g.Color, fg), contrastRatio(g.Color, other)
		if got < alt {
			t.Errorf("goal %d: %s gives %.2f:1, but %s gives %.2f:1", g.Number, fg, got, other, alt)
		}
		if got < 4.5 {
			t.Errorf("goal %d: got contrast %.2f:1 for %s on %s, want at least 4.5:1", g.Number, got, fg, g.Color)
		}
	}
}

func TestContrastRatio(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"#000000", "#FFFFFF", 21},
		{"#FFFFFF", "#000000", 21},
		{"#777777", "#777777", 1},
		{"#767676", "#FFFFFF", 4.54}, // the well-known lightest grey passing AA on white
	}
	for _, tt := range tests {
		if got := contrastRatio(tt.a, tt.b); got < tt.want-0.01 || got > tt.want+0.01 {
			t.Errorf("contrastRatio(%s, %s): got %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestTargets(t *testing.T) {
	total := 0
	for _, g := range Goals() {
		ts := Targets(g.Number)
		total += len(ts)
		for i := 1; i < len(ts); i++ {
			if !targetLess(ts[i-1], ts[i]) {
				t.Errorf("goal %d: %s listed before %s", g.Number, ts[i-1].Code, ts[i].Code)
			}
		}
	}
	if total != 169 {
		t.Errorf("got %d targets, want 169", total)
	}
	var codes []string
	for _, tg := range Targets(3) {
		codes = append(codes, tg.Code)
	}
	want := "3.1 3.2 3.3 3.4 3.5 3.6 3.7 3.8 3.9 3.a 3.b 3.c 3.d"
	if got := strings.Join(codes, " "); got != want {
		t.Errorf("Targets(3): got %s, want %s", got, want)
	}
	var c17 []string
	for _, tg := range Targets(17) {
		c17 = append(c17, tg.Code)
	}
	if len(c17) != 19 || c17[8] != "17.9" || c17[9] != "17.10" {
		t.Errorf("Targets(17): got %v, want 17.1 to 17.19 in numeric order", c17)
	}
	if got := Targets(18); got != nil {
		t.Errorf("Targets(18): got %v, want nil", got)
	}
}

func TestTargetByCode(t *testing.T) {
	tests := []struct {
		in    string
		code  string
		goal  int
		ok    bool
		valid bool // ValidTarget(in)
	}{
		{"3.3", "3.3", 3, true, true},
		{"3.b", "3.b", 3, true, true},
		{"3.B", "3.b", 3, true, false},
		{" 3.b ", "3.b", 3, true, false},
		{"17.19", "17.19", 17, true, true},
		{"1.a", "1.a", 1, true, true},
		{"3.e", "", 0, false, false},
		{"3.10", "", 0, false, false},
		{"18.1", "", 0, false, false},
		{"3", "", 0, false, false},
		{"3.", "", 0, false, false},
		{"03.3", "", 0, false, false},
		{"3,3", "", 0, false, false},
		{"", "", 0, false, false},
	}
	for _, tt := range tests {
		tg, ok := TargetByCode(tt.in)
		if ok != tt.ok || tg.Code != tt.code || tg.Goal != tt.goal {
			t.Errorf("TargetByCode(%q): got %+v, %v, want {%s %d}, %v", tt.in, tg, ok, tt.code, tt.goal, tt.ok)
		}
		if got := ValidTarget(tt.in); got != tt.valid {
			t.Errorf("ValidTarget(%q): got %v, want %v", tt.in, got, tt.valid)
		}
	}
}

func TestTargetTitle(t *testing.T) {
	tg, _ := TargetByCode("3.3")
	en := tg.Title("en")
	if !strings.Contains(en, "AIDS") {
		t.Errorf(`Title("en"): got %q, want the AIDS target`, en)
	}
	if fr := tg.Title("fr"); fr == en || !strings.Contains(fr, "sida") {
		t.Errorf(`Title("fr"): got %q, want the French title`, fr)
	}
	for _, lang := range []string{"pt", "sw", "", "x-y"} {
		if got := tg.Title(lang); got != en {
			t.Errorf("Title(%q): got %q, want the English title", lang, got)
		}
	}
}
