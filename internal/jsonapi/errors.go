package jsonapi

import (
	"errors"
	"net/http"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// errorBody is the envelope of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, message string, fields map[string]string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="harambee"`)
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: message, Fields: fields}})
}

// requestError is a problem with the request itself (malformed JSON, a bad
// query parameter) found before any domain code runs.
type requestError struct {
	code    string
	message string
	fields  map[string]string
}

func (e *requestError) Error() string { return e.code + ": " + e.message }

// fail maps an error to its status and envelope. Anything not recognised is
// logged and answered 500 without detail.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, c *call, err error) {
	var re *requestError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &re):
		writeError(w, http.StatusBadRequest, re.code, re.message, re.fields)
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", c.l.T("api.too_large", tooLarge.Limit>>20), nil)
	case errors.Is(err, account.ErrUnauthenticated):
		writeError(w, http.StatusUnauthorized, "unauthorized", c.l.T("api.unauthorized"), nil)
	case errors.Is(err, account.ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", c.l.T("api.forbidden"), nil)
	case errors.Is(err, sqldb.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", c.l.T("api.not_found"), nil)
	default:
		if ve, ok := validation.As(err); ok {
			fields := make(map[string]string, len(ve.Fields))
			for name, m := range ve.Fields {
				fields[name] = c.l.T(m.Key, m.Args...)
			}
			if ve.Conflict {
				writeError(w, http.StatusConflict, "conflict", c.l.T("api.conflict"), fields)
			} else {
				writeError(w, http.StatusBadRequest, "validation_failed", c.l.T("api.validation_failed"), fields)
			}
			return
		}
		if errors.Is(err, sqldb.ErrConflict) {
			writeError(w, http.StatusConflict, "conflict", c.l.T("api.conflict"), nil)
			return
		}
		s.logError(r, err)
		writeError(w, http.StatusInternalServerError, "internal_error", c.l.T("api.internal_error"), nil)
	}
}
