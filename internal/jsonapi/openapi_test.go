package jsonapi

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// TestOpenAPIDescribesEveryRoute fails when a route exists that the OpenAPI
// document does not describe, or the document describes one that does not
// exist.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			documented[strings.ToUpper(method)+" "+path] = true
			var o struct {
				Summary   string                     `json:"summary"`
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.Summary == "" || len(o.Responses) == 0 {
				t.Errorf("%s %s: needs a summary and responses", method, path)
			}
		}
	}
	served := map[string]bool{}
	for _, r := range New(Options{}).Routes() {
		served[r] = true
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	var extra []string
	for r := range documented {
		if !served[r] {
			extra = append(extra, r)
		}
	}
	sort.Strings(extra)
	for _, r := range extra {
		t.Errorf("openapi.json describes %s, which is not served", r)
	}
}

// TestOpenAPIReferencesResolve fails on a $ref to a component that does not
// exist.
func TestOpenAPIReferencesResolve(t *testing.T) {
	var doc map[string]any
	json.Unmarshal(OpenAPI(), &doc)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if k == "$ref" {
					ref, _ := val.(string)
					parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
					var cur any = doc
					for _, p := range parts {
						m, ok := cur.(map[string]any)
						if !ok {
							cur = nil
							break
						}
						cur = m[p]
					}
					if cur == nil {
						t.Errorf("unresolved $ref %q", ref)
					}
				}
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(doc)
}

func TestOpenAPIFragmentsMustNotCollide(t *testing.T) {
	base := `{"openapi":"3.0.3","paths":{},"components":{"schemas":{"A":{}}}}`
	tests := []struct {
		name string
		frag string
		ok   bool
	}{
		{"new path and schema", `{"paths":{"/x":{"get":{}}},"components":{"schemas":{"B":{}}}}`, true},
		{"same schema", `{"components":{"schemas":{"A":{}}}}`, false},
		{"other key", `{"info":{}}`, false},
		{"broken", `{"paths":`, false},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{
			"openapi/0-base.json": {Data: []byte(base)},
			"openapi/1-frag.json": {Data: []byte(tt.frag)},
		}
		_, err := mergeOpenAPI(fsys)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	// Two fragments may add different methods to one path, not the same one.
	fsys := fstest.MapFS{
		"openapi/0-base.json": {Data: []byte(base)},
		"openapi/a.json":      {Data: []byte(`{"paths":{"/x":{"get":{}}}}`)},
		"openapi/b.json":      {Data: []byte(`{"paths":{"/x":{"post":{}}}}`)},
		"openapi/c.json":      {Data: []byte(`{"paths":{"/x":{"post":{}}}}`)},
	}
	if _, err := mergeOpenAPI(fsys); err == nil {
		t.Error("the same method on one path twice was accepted")
	}
}
