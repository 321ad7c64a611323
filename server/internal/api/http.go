package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji/server/internal/core"
)

// apiError is an answer in the one error shape of the API:
//
//	{"error": {"code": …, "message": …, "field"/"path": …, …, "problems": [… when more than one]}}
type apiError struct {
	status   int
	code     string
	msg      string
	field    string
	problems []core.Problem
	header   http.Header
}

func (e *apiError) Error() string { return e.msg }

type errorBody struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	core.Problem
	Problems []core.Problem `json:"problems,omitempty"`
}

func (e *apiError) body() errorBody {
	if len(e.problems) > 0 {
		o := errorObject{Problem: e.problems[0]}
		if len(e.problems) > 1 {
			o.Problems = e.problems
		}
		return errorBody{o}
	}
	return errorBody{errorObject{Problem: core.Problem{Code: e.code, Message: e.msg, Field: e.field}}}
}

// libError turns an error of the library into an answer: its problems as
// the library gives them, the HTTP status of their code.
func libError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	ps := core.ProblemsOf(err)
	return &apiError{status: core.StatusOf(ps), problems: ps}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{errorObject{Problem: core.Problem{Code: "internal", Message: err.Error()}}})
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(b) + 1)}
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

var jsonType = []string{"application/json"}

func writeError(w http.ResponseWriter, e *apiError) {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	writeJSON(w, e.status, e.body())
}

// readBody reads a request body up to limit bytes: 413 beyond it.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *apiError) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		return nil, &apiError{status: http.StatusBadRequest, code: "request.unreadable", msg: "reading the request body: " + err.Error()}
	}
	return b, nil
}

func tooLarge(limit int64) *apiError {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: "request.too-large",
		msg: fmt.Sprintf("the request body is over the limit of %d bytes", limit)}
}

// jsonError reads a decoding error of encoding/json as an answer.
func jsonError(err error) *apiError {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &apiError{status: http.StatusBadRequest, code: "request.malformed-json", msg: fmt.Sprintf("the body is not JSON: %v (at byte %d)", se, se.Offset)}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(body)"
		}
		return &apiError{status: http.StatusBadRequest, code: "input.type", field: te.Field,
			msg: fmt.Sprintf("%s: must be %s, not %s", field, jsonKind(te.Type.Kind().String()), te.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &apiError{status: http.StatusBadRequest, code: "request.malformed-json", msg: "the body is not a whole JSON value"}
	}
	return &apiError{status: http.StatusBadRequest, code: "input.invalid", msg: strings.TrimPrefix(err.Error(), "workflow: ")}
}

func jsonKind(k string) string {
	switch k {
	case "struct", "map":
		return "an object"
	case "slice":
		return "an array"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// decodeObject decodes b, which must be one JSON object, into a map of
// its members, and answers 400 naming every member not in allowed.
func decodeObject(b []byte, allowed ...string) (map[string]json.RawMessage, *apiError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, jsonError(err)
	}
	if m == nil {
		return nil, &apiError{status: http.StatusBadRequest, code: "input.type", msg: "the body must be a JSON object, not null"}
	}
	var unknown []core.Problem
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, core.Problem{Code: core.CodeInputUnknownField, Field: k,
				Message: fmt.Sprintf("%s: unknown field; the fields are %s", k, strings.Join(allowed, ", "))})
		}
	}
	if len(unknown) > 0 {
		return nil, &apiError{status: http.StatusBadRequest, problems: unknown}
	}
	return m, nil
}

// route is one path of the API with a handler per method.
type route struct {
	name    string // the metrics label: the pattern
	methods map[string]handler
}

// handler answers one request for an authenticated principal.
type handler struct {
	fn   func(w http.ResponseWriter, r *http.Request, p *Principal)
	auth authLevel
}

type authLevel int

const (
	open   authLevel = iota // no token needed (health, metrics, the document)
	reader                  // any valid token
	writer                  // a token that is not read-only
	admin                   // an admin token
)

// serveRoute wraps a route: method dispatch (405 with Allow), the
// principal (401/403), metrics and the recovery of a handler's panic.
func (s *Server) serveRoute(rt *route) http.Handler {
	var allow []string
	for m := range rt.methods {
		allow = append(allow, m)
	}
	slices.Sort(allow)
	allowed := strings.Join(allow, ", ")
	lat := s.m.latency.WithLabelValues(rt.name)
	ok := s.m.requests.WithLabelValues(rt.name, "200")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "route", rt.name, "panic", fmt.Sprint(v))
				if !sw.wrote {
					writeError(sw, &apiError{status: http.StatusInternalServerError, code: "internal", msg: "internal error"})
				}
			}
			lat.Observe(time.Since(start).Seconds())
			if sw.status == http.StatusOK {
				ok.Inc()
			} else {
				s.m.requests.WithLabelValues(rt.name, strconv.Itoa(sw.status)).Inc()
			}
			if sw.status >= 500 {
				s.log.Error("request failed", "route", rt.name, "method", r.Method, "status", sw.status)
			}
		}()
		h, found := rt.methods[r.Method]
		if !found && r.Method == http.MethodHead {
			h, found = rt.methods[http.MethodGet]
		}
		if !found {
			writeError(sw, &apiError{status: http.StatusMethodNotAllowed, code: "request.method-not-allowed",
				msg: fmt.Sprintf("%s is not allowed on %s; use %s", r.Method, rt.name, allowed), header: http.Header{"Allow": {allowed}}})
			return
		}
		p := anonymous
		if h.auth != open {
			var e *apiError
			if p, e = s.tokens.authenticate(r); e != nil {
				e.header = http.Header{"Www-Authenticate": {`Bearer realm="yingji"`}}
				writeError(sw, e)
				return
			}
			switch {
			case h.auth >= writer && p.ReadOnly:
				writeError(sw, &apiError{status: http.StatusForbidden, code: "auth.read-only", msg: "token " + p.Name + " is read-only"})
				return
			case h.auth == admin && !p.Admin:
				writeError(sw, &apiError{status: http.StatusForbidden, code: "auth.admin-only", msg: "only an admin token may " + r.Method + " " + rt.name})
				return
			}
		}
		// The library's decision records name the principal, never the token.
		h.fn(sw, r.WithContext(core.WithPrincipal(r.Context(), p.Name)), p)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
