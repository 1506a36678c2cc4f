package jsonapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/sqldb"
)

// decode reads a JSON object from the request body into dst. Malformed JSON,
// a value of the wrong type, an unknown field or trailing data is a 400
// that names the problem; a body over the limit is a 413.
func decode(r *http.Request, c *call, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &requestError{code: "unsupported_media_type", message: c.l.T("api.want_json")}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(c, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return &requestError{code: "malformed_json", message: c.l.T("api.trailing_data")}
	}
	return nil
}

func decodeError(c *call, err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		return &requestError{code: "malformed_json", message: c.l.T("api.empty_body")}
	case errors.As(err, &syntax):
		return &requestError{code: "malformed_json", message: c.l.T("api.malformed_json", syntax.Offset)}
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return &requestError{code: "malformed_json", message: c.l.T("api.want_object")}
		}
		return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
			fields: map[string]string{field: c.l.T("api.wrong_type", jsonType(typeErr.Type.Kind().String()))}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"),
			fields: map[string]string{name: c.l.T("api.unknown_field")}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &requestError{code: "malformed_json", message: c.l.T("api.truncated_json")}
	}
	return &requestError{code: "malformed_json", message: c.l.T("api.malformed_json_plain")}
}

// jsonType names a Go kind as the JSON type a client should send.
func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "string":
		return "string"
	case kind == "bool":
		return "boolean"
	case kind == "slice", kind == "array":
		return "array"
	case kind == "map", kind == "struct":
		return "object"
	}
	return kind
}

// Paging limits of every list.
const (
	defaultPerPage = 20
	maxPerPage     = 100
)

// pageParams reads ?page= and ?per_page=.
func pageParams(r *http.Request, c *call) (page, perPage int, err error) {
	page, perPage = 1, defaultPerPage
	fields := map[string]string{}
	q := r.URL.Query()
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			fields["page"] = c.l.T("api.bad_page")
		} else {
			page = n
		}
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPerPage {
			fields["per_page"] = c.l.T("api.bad_per_page", maxPerPage)
		} else {
			perPage = n
		}
	}
	if len(fields) > 0 {
		return 0, 0, &requestError{code: "validation_failed", message: c.l.T("api.validation_failed"), fields: fields}
	}
	return page, perPage, nil
}

// list is the answer of every list route.
type list[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

func newList[T any](items []T, total, page, perPage int) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: total, Page: page, PerPage: perPage}
}

// pathID reads a numeric id from the path; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("id %q: %w", r.PathValue(name), sqldb.ErrNotFound)
	}
	return id, nil
}
