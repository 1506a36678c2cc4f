package jsonapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"sync"
)

// The OpenAPI document is kept in fragments, one per resource
// (openapi/users.json...), each with the paths and component schemas of its
// routes, so that a resource's routes and their description sit side by
// side. 0-base.json holds the info, security schemes and shared parts.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

var openAPIDoc = sync.OnceValues(func() ([]byte, error) { return mergeOpenAPI(openAPIFragments) })

// OpenAPI returns the OpenAPI document of every /api/v1 route.
func OpenAPI() []byte {
	b, err := openAPIDoc()
	if err != nil {
		// A broken fragment fails TestOpenAPIDescribesEveryRoute long before
		// it could ship; say what is wrong rather than serve half a document.
		panic(err)
	}
	return b
}

// mergeOpenAPI merges the fragments: the base document, then each
// fragment's paths and components. A path, method or component defined twice
// is an error.
func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var doc map[string]any
	for i, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", name, err)
		}
		if i == 0 {
			doc = frag
			continue
		}
		for key, val := range frag {
			switch key {
			case "paths":
				if err := mergeInto(doc, "paths", val, 2, name); err != nil {
					return nil, err
				}
			case "components":
				if err := mergeInto(doc, "components", val, 2, name); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("openapi fragment %s: only paths and components may be added, not %q", name, key)
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeInto adds src under dst[key], merging maps down to depth levels and
// refusing to overwrite anything at the last one.
func mergeInto(dst map[string]any, key string, src any, depth int, frag string) error {
	srcMap, ok := src.(map[string]any)
	if !ok {
		return fmt.Errorf("openapi fragment %s: %s must be an object", frag, key)
	}
	cur, _ := dst[key].(map[string]any)
	if cur == nil {
		cur = map[string]any{}
		dst[key] = cur
	}
	for k, v := range srcMap {
		if depth > 1 {
			if err := mergeInto(cur, k, v, depth-1, frag); err != nil {
				return err
			}
			continue
		}
		if _, dup := cur[k]; dup {
			return fmt.Errorf("openapi fragment %s: %s is defined twice", frag, k)
		}
		cur[k] = v
	}
	return nil
}
