package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	yserver "github.com/yingji/yingji/server"
	"github.com/yingji/yingji/server/internal/api"
	"github.com/yingji/yingji/server/internal/pgtest"
	"github.com/yingji/yingji/server/internal/store"
)

var (
	docOnce sync.Once
	docVal  validator.Validator
	docErr  error
)

// openAPI is the validator of the checked-in document: every request a
// test sends and every answer it gets is checked against it.
func openAPI(t *testing.T) validator.Validator {
	docOnce.Do(func() {
		doc, err := libopenapi.NewDocument(yserver.OpenAPI)
		if err != nil {
			docErr = err
			return
		}
		v, errs := validator.NewValidator(doc)
		if len(errs) > 0 {
			docErr = errs[0]
			return
		}
		docVal = v
	})
	require.NoError(t, docErr)
	return docVal
}

// env is one server under test.
type env struct {
	t    *testing.T
	srv  *api.Server
	http *httptest.Server
	st   store.Store
	logs *syncBuffer
	now  time.Time
	dir  string // the plan folder, when the plan is a folder
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

type envOpt func(*api.Config, *env)

// withPlanDir serves a copy of the embedded Changji plan from a folder.
func withPlanDir() envOpt {
	return func(c *api.Config, e *env) {
		e.dir = copyPlan(e.t)
		c.Plan = e.dir
	}
}

func withTokens(tokens api.Tokens) envOpt { return func(c *api.Config, _ *env) { c.Tokens = tokens } }

func withMaxBody(n int64) envOpt { return func(c *api.Config, _ *env) { c.MaxBody = n } }

func withStore(st store.Store) envOpt { return func(_ *api.Config, e *env) { e.st = st } }

// newEnv starts a server on SQLite in a temporary folder, with the clock
// at the drills' start (2025-10-15 09:00 +06:00) plus 5 minutes.
func newEnv(t *testing.T, opts ...envOpt) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}, now: time.Date(2025, 10, 15, 3, 5, 0, 0, time.UTC)}
	cfg := api.Config{Plan: "changji-2025", Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now: func() time.Time { return e.now }, PollInterval: 50 * time.Millisecond}
	for _, o := range opts {
		o(&cfg, e)
	}
	if e.st == nil {
		st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "yingji.db"), store.Options{})
		require.NoError(t, err)
		e.st = st
	}
	cfg.Store = e.st
	srv, err := api.New(context.Background(), cfg)
	require.NoError(t, err)
	require.NoError(t, srv.Start(context.Background(), false))
	e.srv = srv
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		e.http.Close()
		srv.Close()
		e.st.Close()
	})
	return e
}

// pgStore opens a store on a fresh PostgreSQL database (skips without one).
func pgStore(t *testing.T) store.Store {
	st, err := store.OpenPostgres(context.Background(), pgtest.DSN(t), store.Options{})
	require.NoError(t, err)
	return st
}

// copyPlan copies the embedded Changji plan's folder to a temporary one.
func copyPlan(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "..", "plans", "changji-2025")
	dst := filepath.Join(t.TempDir(), "changji-2025")
	require.NoError(t, os.MkdirAll(dst, 0o755))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, en := range entries {
		if en.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, en.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, en.Name()), b, 0o644))
	}
	return dst
}

// editPlan replaces old by new in a file of the plan folder, atomically
// (write and rename, as editors and config managers do).
func (e *env) editPlan(file, old, new string) {
	e.t.Helper()
	editFile(e.t, filepath.Join(e.dir, file), old, new)
}

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	tmp := path + ".tmp~"
	require.NoError(t, os.WriteFile(tmp, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
	require.NoError(t, os.Rename(tmp, path))
}

// req is one request of a test.
type req struct {
	method, path string
	body         string
	header       map[string]string
	// invalid marks a request the document itself rejects (a bad request
	// on purpose): the test checks that the validator rejects it too.
	invalid bool
	// undocumented marks a route the document does not have.
	undocumented bool
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.body, &m), "%s", a.body)
	return m
}

// errCode is the error.code of an error answer.
func (a answer) errCode(t *testing.T) string {
	t.Helper()
	m := a.json(t)
	e, ok := m["error"].(map[string]any)
	require.True(t, ok, "an error answer: %s", a.body)
	return e["code"].(string)
}

func (a answer) errObj(t *testing.T) map[string]any {
	t.Helper()
	return a.json(t)["error"].(map[string]any)
}

// do sends r, validating the request and the answer against the OpenAPI
// document.
func (e *env) do(r req) answer {
	t := e.t
	t.Helper()
	mk := func(base string) *http.Request {
		var body io.Reader
		if r.body != "" {
			body = strings.NewReader(r.body)
		}
		hr, err := http.NewRequest(r.method, base+r.path, body)
		require.NoError(t, err)
		if r.body != "" {
			hr.Header.Set("Content-Type", "application/json")
		}
		for k, v := range r.header {
			hr.Header.Set(k, v)
		}
		return hr
	}
	v := openAPI(t)
	vreq := mk("http://127.0.0.1:8080")
	if !r.undocumented {
		ok, errs := v.ValidateHttpRequestSync(vreq)
		if r.invalid {
			assert.False(t, ok, "the document should reject %s %s %s", r.method, r.path, r.body)
		} else {
			assert.True(t, ok, "request %s %s against the document: %v", r.method, r.path, validationErrors(errs))
		}
	}
	resp, err := e.http.Client().Do(mk(e.http.URL))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if !r.undocumented {
		vresp := &http.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(b)), Request: vreq}
		ok, errs := v.ValidateHttpResponse(mk("http://127.0.0.1:8080"), vresp)
		assert.True(t, ok, "answer %d to %s %s against the document: %v\n%s", resp.StatusCode, r.method, r.path, validationErrors(errs), b)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

func validationErrors(errs []*verrors.ValidationError) string {
	var parts []string
	for _, e := range errs {
		s := e.Message + ": " + e.Reason
		for _, se := range e.SchemaValidationErrors {
			s += " [" + se.FieldPath + ": " + se.Reason + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
