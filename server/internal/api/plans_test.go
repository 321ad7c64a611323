package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	yserver "github.com/yingji/yingji/server"
	"github.com/yingji/yingji/server/internal/store"
)

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o600) }

// The edits the reload tests make to grading.yaml: 1.5 重大 (1) starts at 13
// deaths instead of 10 (and 较大 (1) ends there), so 12 deaths grade 较大;
// and a broken edit that does not load.
const (
	seriousFrom10 = "deathsAndMissing: 10 人以上、30 人以下"
	seriousFrom13 = "deathsAndMissing: 13 人以上、30 人以下"
	majorTo10     = "deathsAndMissing: 3 人以上、10 人以下"
	majorTo13     = "deathsAndMissing: 3 人以上、13 人以下"
	broken        = "deathsAndMissing: 10 人以上、某某人以下"
)

func (e *env) status() map[string]any {
	e.t.Helper()
	a := e.do(req{method: "GET", path: "/v1/status"})
	require.Equal(e.t, 200, a.status)
	return a.json(e.t)
}

// hash is the content hash of the plan /v1/status says is served.
func (e *env) hash() string {
	e.t.Helper()
	return e.status()["plan"].(map[string]any)["hash"].(string)
}

func (e *env) waitHash(hash string, changed bool) string {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		h := e.hash()
		if (h == hash) != changed {
			return h
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("the plan hash did not %s %s", map[bool]string{true: "move from", false: "become"}[changed], hash)
	return ""
}

func TestReloadAndStatus(t *testing.T) {
	e := newEnv(t, withPlanDir())
	st := e.status()
	old := e.hash()
	assert.Equal(t, true, st["watched"])
	assert.Nil(t, st["lastReload"])
	assert.EqualValues(t, 0, st["reloads"])
	assert.Equal(t, "2025-10-15T03:05:00Z", st["loadedAt"], "the engine's status is stamped with the server's clock")

	// A broken edit: the old plan keeps serving; status, log and metrics say so.
	e.editPlan("grading.yaml", seriousFrom10, broken)
	a := e.do(req{method: "POST", path: "/v1/reload"})
	require.Equal(t, 422, a.status, "%s", a.body)
	assert.Equal(t, "grading.yaml", a.errObj(t)["subject"].(map[string]any)["file"], "%s", a.body)
	st = e.status()
	assert.Equal(t, old, e.hash())
	lr := st["lastReload"].(map[string]any)
	assert.Equal(t, false, lr["ok"])
	require.NotEmpty(t, lr["diagnostics"])
	assert.Equal(t, "grading.yaml", lr["diagnostics"].([]any)[0].(map[string]any)["subject"].(map[string]any)["file"])
	assert.Equal(t, "api", st["lastTrigger"])
	assert.EqualValues(t, 1, st["reloads"])
	assert.Equal(t, "serious", e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`}).json(t)["level"])
	assert.Contains(t, e.logs.String(), "reload failed")
	m := e.do(req{method: "GET", path: "/metrics"})
	assert.Regexp(t, `yingji_reloads_total\{result="failed"\} [1-9]`, string(m.body))

	// A good edit: the new plan serves.
	e.editPlan("grading.yaml", broken, seriousFrom13)
	e.editPlan("grading.yaml", majorTo10, majorTo13)
	a = e.do(req{method: "POST", path: "/v1/reload"})
	require.Equal(t, 200, a.status, "%s", a.body)
	assert.NotEqual(t, old, a.json(t)["plan"].(map[string]any)["hash"])
	assert.Len(t, a.json(t)["retained"], 2, "the old revision stays reachable by hash")
	g := e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`})
	assert.Equal(t, "relatively-serious", g.json(t)["level"], "edited 1.5: 12 deaths is 较大")
	p := e.do(req{method: "GET", path: "/v1/plans"})
	assert.Len(t, p.json(t)["stored"], 2, "both revisions are kept by hash")
}

func TestReloadEmbedded(t *testing.T) {
	e := newEnv(t)
	a := e.do(req{method: "POST", path: "/v1/reload"})
	assert.Equal(t, 409, a.status)
	assert.Equal(t, "plan.not-reloadable", a.errCode(t))
	a = e.do(req{method: "POST", path: "/v1/reload", body: `{}`})
	assert.Equal(t, 400, a.status)
}

// TestWatch: an edit of the folder is picked up without a call.
func TestWatch(t *testing.T) {
	e := newEnv(t, withPlanDir())
	old := e.hash()
	e.editPlan("grading.yaml", seriousFrom10, broken)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if lr, ok := e.status()["lastReload"].(map[string]any); ok && lr["ok"] == false {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	st := e.status()
	lr := st["lastReload"].(map[string]any)
	assert.Equal(t, "watch", st["lastTrigger"])
	assert.Equal(t, false, lr["ok"])
	e.editPlan("grading.yaml", broken, seriousFrom13)
	e.editPlan("grading.yaml", majorTo10, majorTo13)
	e.waitHash(old, true)
}

// TestMigrate: an incident keeps the revision it started under across a
// reload; migrate first says what would change, and applies only on ask.
func TestMigrate(t *testing.T) {
	e := newEnv(t, withPlanDir())
	e.create("inc-1")
	old := e.hash()
	// 3.2 written report: 15 minutes → 30 in the new revision.
	e.editPlan("workflow.yaml", "within: 15m", "within: 30m")
	require.Equal(t, 200, e.do(req{method: "POST", path: "/v1/reload"}).status)
	now := e.hash()
	require.NotEqual(t, old, now)

	inc := e.do(req{method: "GET", path: "/v1/incidents/inc-1"}).json(t)
	assert.Equal(t, old, inc["plan"].(map[string]any)["hash"], "the incident keeps its revision")
	a := e.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "report.followup", "yjj", 3, "")})
	require.Equal(t, 200, a.status, "events go on under the old revision: %s", a.body)

	a = e.do(req{method: "POST", path: "/v1/incidents/inc-1/migrate", body: `{}`})
	require.Equal(t, 200, a.status, "%s", a.body)
	m := a.json(t)
	assert.Equal(t, false, m["applied"])
	assert.Contains(t, string(a.body), `"kind":"task.due"`, "the written report's deadline moves")
	assert.Contains(t, string(a.body), `"subject":"written-report"`)
	assert.Contains(t, string(a.body), "09:30:00+06:00")
	inc = e.do(req{method: "GET", path: "/v1/incidents/inc-1"}).json(t)
	assert.Equal(t, old, inc["plan"].(map[string]any)["hash"], "a dry run changes nothing")

	a = e.do(req{method: "POST", path: "/v1/incidents/inc-1/migrate", body: `{"apply":true}`})
	require.Equal(t, 200, a.status, "%s", a.body)
	assert.Equal(t, true, a.json(t)["applied"])
	inc = e.do(req{method: "GET", path: "/v1/incidents/inc-1"}).json(t)
	assert.Equal(t, now, inc["plan"].(map[string]any)["hash"])
	a = e.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "report.followup", "yjj", 4, "")})
	require.Equal(t, 200, a.status, "%s", a.body)

	a = e.do(req{method: "POST", path: "/v1/incidents/inc-1/migrate", body: `{"to":"sha256:nope"}`})
	assert.Equal(t, 404, a.status)
	a = e.do(req{method: "POST", path: "/v1/incidents/nope/migrate", body: `{}`})
	assert.Equal(t, 404, a.status)
	a = e.do(req{method: "POST", path: "/v1/incidents/inc-1/migrate", body: `{"apply":"yes"}`, invalid: true})
	assert.Equal(t, 400, a.status)
	ds, err := e.st.Decisions(context.Background(), store.DecisionFilter{Kind: "migrate"})
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, now, ds[0].PlanHash)
}

func TestDecisions(t *testing.T) {
	e := newEnv(t)
	e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`})
	e.create("inc-1")
	e.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"III"}`)})
	e.do(req{method: "POST", path: "/v1/roster", body: `{"level":"Ⅲ","localities":["昌吉市"]}`})
	e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":-1}`, invalid: true})
	// Every decision is recorded before its answer: nothing to wait for.
	a := e.do(req{method: "GET", path: "/v1/decisions"})
	require.Equal(t, 200, a.status)
	type rec struct {
		Seq        int64
		DecisionID string
		Kind       string
		Plan       struct{ ID, Revision, Hash string }
		Principal  string
		Incident   string
		Facts      map[string]any
		Unknown    []string
		Result     map[string]any
		LogSeq     int64
	}
	var l struct{ Decisions []rec }
	require.NoError(t, json.Unmarshal(a.body, &l))
	require.Len(t, l.Decisions, 5)
	g := l.Decisions[0]
	assert.Equal(t, "classify", g.Kind)
	assert.NotEmpty(t, g.DecisionID)
	assert.Equal(t, map[string]any{"deaths": 12.0}, g.Facts, "the facts as given")
	assert.Contains(t, g.Unknown, "missing", "missing stays unknown, never 0")
	assert.Equal(t, "serious", g.Result["level"])
	assert.Equal(t, "II", g.Result["response"])
	assert.Equal(t, []any{"1.5 重大 (1)"}, g.Result["matched"])
	assert.Equal(t, "anonymous", g.Principal)
	assert.Equal(t, "changji-2025", g.Plan.ID)
	assert.NotEmpty(t, g.Plan.Hash)

	created := l.Decisions[1]
	assert.Equal(t, "apply", created.Kind)
	assert.Equal(t, "inc-1", created.Incident)
	assert.EqualValues(t, 1, created.LogSeq, "an accepted event's record names its place in the log")
	assert.Equal(t, true, created.Result["accepted"])

	rejected := l.Decisions[2]
	assert.Equal(t, "apply", rejected.Kind)
	assert.Equal(t, false, rejected.Result["accepted"])
	assert.Zero(t, rejected.LogSeq)
	perr := rejected.Result["error"].(map[string]any)
	assert.Equal(t, "guard.rejected", perr["code"], "a rejected event is recorded with its code")
	assert.Equal(t, "authority-III", perr["params"].(map[string]any)["guard"])

	roster := l.Decisions[3]
	assert.Equal(t, "roster", roster.Kind)
	assert.Equal(t, "III", roster.Result["response"], "Ⅲ as written")

	bad := l.Decisions[4]
	assert.Equal(t, "classify", bad.Kind)
	assert.Equal(t, "input.negative", bad.Result["error"].(map[string]any)["code"], "a refused grade is recorded too")

	a = e.do(req{method: "GET", path: "/v1/decisions?incident=inc-1&kind=apply&limit=1"})
	require.NoError(t, json.Unmarshal(a.body, &l))
	require.Len(t, l.Decisions, 1)
	assert.Equal(t, "inc-1", l.Decisions[0].Incident)
	a = e.do(req{method: "GET", path: "/v1/decisions?kind=event"})
	require.NoError(t, json.Unmarshal(a.body, &l))
	assert.Len(t, l.Decisions, 2, "event is the first version's name of apply")
	a = e.do(req{method: "GET", path: "/v1/decisions?kind=verdict", invalid: true})
	assert.Equal(t, 400, a.status)
	assert.Equal(t, "input.enum-unknown", a.errCode(t))
	a = e.do(req{method: "GET", path: "/v1/decisions?since=2099-01-01T00:00:00Z"})
	assert.Contains(t, string(a.body), `"decisions":[]`)
	a = e.do(req{method: "GET", path: "/v1/decisions?since=yesterday"})
	assert.Equal(t, 400, a.status)
}

// TestDecisionNotRecorded: when the decision records cannot be stored, a
// grade, a roster and an event are not given (503 decision.not-recorded),
// and the event is not stored.
func TestDecisionNotRecorded(t *testing.T) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "yingji.db"), store.Options{})
	require.NoError(t, err)
	fs := &failingStore{Store: st}
	e := newEnv(t, withStore(fs))
	e.create("inc-1")
	fs.fail.Store(true)
	for _, r := range []req{
		{method: "POST", path: "/v1/grade", body: `{"deaths":12}`},
		{method: "POST", path: "/v1/roster", body: `{"level":"Ⅲ"}`},
		{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"III"}`)},
	} {
		a := e.do(r)
		assert.Equal(t, 503, a.status, "%s %s", r.path, a.body)
		assert.Equal(t, "decision.not-recorded", a.errCode(t))
		assert.NotContains(t, string(a.body), `"level":"serious"`, "no grade without its record")
	}
	fs.fail.Store(false)
	evs, err := e.st.Events(context.Background(), "inc-1", 0, 0)
	require.NoError(t, err)
	assert.Len(t, evs, 1)
}

// failingStore fails AddDecisions while fail is set.
type failingStore struct {
	store.Store
	fail atomic.Bool
}

func (f *failingStore) AddDecisions(ctx context.Context, ds []store.Decision) error {
	if f.fail.Load() {
		return errors.New("disk full")
	}
	return f.Store.AddDecisions(ctx, ds)
}

func TestOperationalRoutes(t *testing.T) {
	e := newEnv(t)
	assert.Equal(t, 200, e.do(req{method: "GET", path: "/healthz"}).status)
	assert.Equal(t, 200, e.do(req{method: "GET", path: "/readyz"}).status)
	e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":1}`})
	e.create("inc-1")
	m := e.do(req{method: "GET", path: "/metrics"})
	require.Equal(t, 200, m.status)
	for _, want := range []string{`yingji_http_requests_total{code="200",route="/v1/grade"} 1`, "yingji_http_request_duration_seconds_bucket",
		"yingji_events_appended_total 1", `yingji_reloads_total{result="ok"} 0`, "yingji_plan_info"} {
		assert.Contains(t, string(m.body), want)
	}
	d := e.do(req{method: "GET", path: "/openapi.json"})
	assert.JSONEq(t, string(yserver.OpenAPI), string(d.body))
	p := e.do(req{method: "GET", path: "/v1/plans"})
	assert.Contains(t, string(p.body), `"embedded":["changji-2025","national-493"]`)
}

// TestBadRequests: each answered with its code and nothing stored.
func TestBadRequests(t *testing.T) {
	e := newEnv(t, withMaxBody(4096))
	huge := `{"incident":"x","id":"e1","type":"report.received","actor":"yjj","occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00","data":{"summary":"` + strings.Repeat("很", 4000) + `"}}`
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{"malformed JSON", req{method: "POST", path: "/v1/incidents", body: `{"id":"e1",`, invalid: true}, 400, "request.malformed-json"},
		{"wrong type of the envelope", req{method: "POST", path: "/v1/incidents", body: `{"id":7,"type":"report.received","actor":"yjj","occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00"}`, invalid: true}, 400, "input.type"},
		{"a time without offset", req{method: "POST", path: "/v1/incidents", body: `{"id":"e1","type":"report.received","actor":"yjj","occurredAt":"2025-10-15 09:00","recordedAt":"2025-10-15T09:00:00+06:00"}`}, 400, ""},
		{"huge body", req{method: "POST", path: "/v1/incidents", body: huge}, 413, "request.too-large"},
		{"unknown route", req{method: "GET", path: "/v1/nothing", undocumented: true}, 404, "request.not-found"},
		{"unknown method", req{method: "DELETE", path: "/v1/incidents", undocumented: true}, 405, "request.method-not-allowed"},
		{"root: GET / is the duty-room pages, other methods stay the API's", req{method: "DELETE", path: "/", undocumented: true}, 405, "request.method-not-allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(tc.r)
			require.Equal(t, tc.status, a.status, "%s", a.body)
			if tc.code != "" {
				assert.Equal(t, tc.code, a.errCode(t))
			}
		})
	}
	e.t = t
	list, err := e.st.Incidents(context.Background(), store.IncidentFilter{})
	require.NoError(t, err)
	assert.Empty(t, list, "nothing stored")
}

// TestReloadUnderLoad: graders keep getting answers while the plan folder
// is edited (good and broken edits); every answer comes wholly from one
// revision: its hash header and its grade agree.
func TestReloadUnderLoad(t *testing.T) {
	e := newEnv(t, withPlanDir())
	base := e.hash()
	levelOf := sync.Map{} // hash → the level 12 deaths grade to
	levelOf.Store(base, "serious")
	stop := make(chan struct{})
	var answers, failures atomic.Int64
	var wg sync.WaitGroup
	client := e.http.Client()
	for range 4 {
		wg.Go(func() {
			for n := 0; n < 20000; n++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Post(e.http.URL+"/v1/grade", "application/json", strings.NewReader(`{"deaths":12}`))
				if !assert.NoError(t, err) {
					return
				}
				var res struct{ Level string }
				err = json.NewDecoder(resp.Body).Decode(&res)
				resp.Body.Close()
				if resp.StatusCode != 200 || err != nil {
					failures.Add(1)
					continue
				}
				answers.Add(1)
				h := resp.Header.Get("Yingji-Plan-Hash")
				if want, ok := levelOf.Load(h); ok {
					assert.Equal(t, want, res.Level, "answer of revision %s", h)
				} else {
					// A revision the test has not seen yet: record it and
					// check the later answers against it.
					levelOf.LoadOrStore(h, res.Level)
				}
			}
		})
	}
	cur := base
	for round := range 3 {
		e.editPlan("grading.yaml", seriousFrom10, broken)
		time.Sleep(150 * time.Millisecond)
		e.editPlan("grading.yaml", broken, seriousFrom13)
		e.editPlan("grading.yaml", majorTo10, majorTo13)
		cur = e.waitHash(cur, true)
		if v, ok := levelOf.Load(cur); ok {
			assert.Equal(t, "relatively-serious", v, "round %d", round)
		}
		e.editPlan("grading.yaml", seriousFrom13, seriousFrom10)
		e.editPlan("grading.yaml", majorTo13, majorTo10)
		cur = e.waitHash(cur, true)
		assert.Equal(t, base, cur, "the original text has the original hash")
	}
	close(stop)
	wg.Wait()
	assert.Zero(t, failures.Load())
	assert.Positive(t, answers.Load())
	n := 0
	levelOf.Range(func(k, v any) bool {
		n++
		if k != base {
			assert.Equal(t, "relatively-serious", v)
		}
		return true
	})
	assert.Equal(t, 2, n, "two revisions answered")
}
