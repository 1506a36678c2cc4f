package taxonomy

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEmbeddedData fails when a committed data file is broken, so that the
// panics in loadSDG and loadDevelopment cannot happen in a tested build.
func TestEmbeddedData(t *testing.T) {
	if _, err := parseSDG(sdgJSON); err != nil {
		t.Errorf("data/sdg.json: %v", err)
	}
	if _, err := parseDevelopment(developmentJSON); err != nil {
		t.Errorf("data/m49-development.json: %v", err)
	}
	if !strings.Contains(SDGSource(), "open-sdg") {
		t.Errorf("SDGSource() = %q, want the file's source text", SDGSource())
	}
	if !strings.Contains(DevelopmentSource(), "M49") {
		t.Errorf("DevelopmentSource() = %q, want the file's source text", DevelopmentSource())
	}
}

// mutate decodes the embedded JSON, applies f and encodes it again.
func mutate(t *testing.T, b []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseSDGRejectsBadFiles(t *testing.T) {
	goal := func(m map[string]any, i int) map[string]any { return m["goals"].([]any)[i].(map[string]any) }
	target := func(m map[string]any, i int) map[string]any { return m["targets"].([]any)[i].(map[string]any) }
	tests := []struct {
		name string
		in   []byte
	}{
		{"not JSON", []byte("{")},
		{"empty", []byte("{}")},
		{"no source", mutate(t, sdgJSON, func(m map[string]any) { m["source"] = "" })},
		{"16 goals", mutate(t, sdgJSON, func(m map[string]any) { m["goals"] = m["goals"].([]any)[:16] })},
		{"goal out of order", mutate(t, sdgJSON, func(m map[string]any) { goal(m, 2)["number"] = 4 })},
		{"bad colour", mutate(t, sdgJSON, func(m map[string]any) { goal(m, 0)["color"] = "red" })},
		{"no English short name", mutate(t, sdgJSON, func(m map[string]any) {
			delete(goal(m, 0)["short"].(map[string]any), "en")
		})},
		{"malformed target", mutate(t, sdgJSON, func(m map[string]any) { target(m, 0)["code"] = "1.1.1" })},
		{"target of another goal", mutate(t, sdgJSON, func(m map[string]any) { target(m, 0)["goal"] = 2 })},
		{"duplicate target", mutate(t, sdgJSON, func(m map[string]any) { target(m, 1)["code"] = "1.1" })},
		{"168 targets", mutate(t, sdgJSON, func(m map[string]any) { m["targets"] = m["targets"].([]any)[1:] })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseSDG(tt.in); err == nil {
				t.Errorf("got no error, want one")
			}
		})
	}
}

func TestParseDevelopmentRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"not JSON", []byte("[")},
		{"empty", []byte("{}")},
		{"user-assigned code", mutate(t, developmentJSON, func(m map[string]any) {
			m["developing"] = append(m["developing"].([]any), "XX")
		})},
		{"lower case", mutate(t, developmentJSON, func(m map[string]any) {
			m["developed"] = append(m["developed"].([]any), "no")
		})},
		{"both classes", mutate(t, developmentJSON, func(m map[string]any) {
			m["developed"] = append(m["developed"].([]any), "BR")
		})},
		{"empty list", mutate(t, developmentJSON, func(m map[string]any) { m["least_developed"] = []any{} })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseDevelopment(tt.in); err == nil {
				t.Errorf("got no error, want one")
			}
		})
	}
}
