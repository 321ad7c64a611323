package pages_test

import (
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

	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/api"
	"github.com/yingji/yingji/server/internal/store"
	"github.com/yingji/yingji/workflow/drill"
)

// testClock is the server's clock in these tests: it starts at a fixed
// instant, runs on from there as a clock does (the pages post events at
// the server's time, which must not go back), and a test moves it on at
// will, so that "16 minutes after the phone report" needs no waiting.
type testClock struct {
	mu     sync.Mutex
	start  time.Time
	real   time.Time
	offset time.Duration
}

func newClock(start time.Time) *testClock { return &testClock{start: start, real: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.start.Add(time.Since(c.real) + c.offset)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// start is the drills' start: 2025-10-15 09:00 Xinjiang time.
var start = time.Date(2025, 10, 15, 3, 0, 0, 0, time.UTC)

// env is one yingji-server with its pages, on SQLite in a temporary folder
// and on the test clock.
type env struct {
	t     *testing.T
	srv   *api.Server
	http  *httptest.Server
	clock *testClock
}

func newEnv(t *testing.T, tokens api.Tokens) *env {
	t.Helper()
	return newEnvPlan(t, "changji-2025", tokens)
}

// newEnvPlan serves another plan: the pages come out of its own data.
func newEnvPlan(t *testing.T, plan string, tokens api.Tokens) *env {
	t.Helper()
	e := &env{t: t, clock: newClock(start)}
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "yingji.db"), store.Options{})
	require.NoError(t, err)
	srv, err := api.New(context.Background(), api.Config{Store: st, Plan: plan, Tokens: tokens,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: e.clock.Now, PollInterval: time.Hour})
	require.NoError(t, err)
	require.NoError(t, srv.Start(context.Background(), false))
	e.srv = srv
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		e.http.Close()
		srv.Close()
		st.Close()
	})
	return e
}

// do sends one request to the server and returns the status and body.
func (e *env) do(method, path, body string, header ...string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, strings.NewReader(body))
	require.NoError(e.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.http.Client().Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return res.StatusCode, string(b)
}

// replayDrill posts the steps of an example drill (examples/drills/file)
// to the server as incident id, as the people of the drill would enter
// them: the first step creates the incident (an exercise, 演练, when
// exercise is set), the others are its events, at the drill's times. A
// step the drill expects accepted must be accepted and one it expects
// refused must be refused, so the incident ends where the drill says.
func (e *env) replayDrill(file, id string, exercise bool) {
	e.t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "drills", file))
	require.NoError(e.t, err)
	d, diags := drill.Parse(file, src)
	require.False(e.t, diags.HasErrors(), "%v", diags)
	for i, s := range d.Steps {
		b, err := json.Marshal(s.Event)
		require.NoError(e.t, err)
		var ev map[string]any
		require.NoError(e.t, json.Unmarshal(b, &ev))
		path := "/v1/incidents/" + id + "/events"
		if i == 0 {
			ev["incident"], ev["drill"] = id, exercise
			path = "/v1/incidents"
		}
		b, err = json.Marshal(ev)
		require.NoError(e.t, err)
		status, body := e.do("POST", path, string(b))
		if s.Expect == "" || s.Expect == "accepted" {
			require.Less(e.t, status, 300, "%s step %d (%s): %s", file, i+1, s.Event.Type, body)
		} else {
			require.True(e.t, status >= 400 && status < 500, "%s step %d (%s) expects %s: %d %s", file, i+1, s.Event.Type, s.Expect, status, body)
		}
	}
}
