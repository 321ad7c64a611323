package api_test

import (
	"context"
	"encoding/json"
	"os"
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

func (e *env) waitHash(hash string, changed bool) string {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		h := e.status()["hash"].(string)
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
	old := st["hash"].(string)
	assert.Equal(t, true, st["watched"])
	assert.Nil(t, st["lastReload"])

	// A broken edit: the old plan keeps serving; status, log and metrics say so.
	e.editPlan("grading.yaml", seriousFrom10, broken)
	a := e.do(req{method: "POST", path: "/v1/reload"})
	require.Equal(t, 422, a.status, "%s", a.body)
	assert.Equal(t, "grading.yaml", a.errObj(t)["subject"].(map[string]any)["file"], "%s", a.body)
	st = e.status()
	assert.Equal(t, old, st["hash"])
	lr := st["lastReload"].(map[string]any)
	assert.Equal(t, false, lr["ok"])
	assert.NotEmpty(t, lr["problems"])
	assert.Equal(t, "serious", e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`}).json(t)["level"])
	assert.Contains(t, e.logs.String(), "reload failed")
	m := e.do(req{method: "GET", path: "/metrics"})
	assert.Regexp(t, `yingji_reloads_total\{result="failed"\} [1-9]`, string(m.body))

	// A good edit: the new plan serves.
	e.editPlan("grading.yaml", broken, seriousFrom13)
	e.editPlan("grading.yaml", majorTo10, majorTo13)
	a = e.do(req{method: "POST", path: "/v1/reload"})
	require.Equal(t, 200, a.status, "%s", a.body)
	assert.NotEqual(t, old, a.json(t)["hash"])
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
	old := e.status()["hash"].(string)
	e.editPlan("grading.yaml", seriousFrom10, broken)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if lr, ok := e.status()["lastReload"].(map[string]any); ok && lr["ok"] == false {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	lr := e.status()["lastReload"].(map[string]any)
	assert.Equal(t, "watch", lr["trigger"])
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
	old := e.status()["hash"].(string)
	// 3.2 written report: 15 minutes → 30 in the new revision.
	e.editPlan("workflow.yaml", "within: 15m", "within: 30m")
	require.Equal(t, 200, e.do(req{method: "POST", path: "/v1/reload"}).status)
	now := e.status()["hash"].(string)
	require.NotEqual(t, old, now)

	inc := e.do(req{method: "GET", path: "/v1/incidents/inc-1"}).json(t)
	assert.Equal(t, old, inc["plan"].(map[string]any)["hash"], "the incident keeps its revision")
	a := e.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "report.followup", "yjj", 3, "")})
	require.Equal(t, 200, a.status, "events go on under the old revision: %s", a.body)

	a = e.do(req{method: "POST", path: "/v1/incidents/inc-1/migrate", body: `{}`})
	require.Equal(t, 200, a.status, "%s", a.body)
	m := a.json(t)
	assert.Equal(t, false, m["applied"])
	assert.Contains(t, string(a.body), `"field":"tasks"`, "the written report's deadline moves")
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
	e.srv.FlushDecisions(context.Background())
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
	e.srv.FlushDecisions(context.Background())
	a := e.do(req{method: "GET", path: "/v1/decisions"})
	require.Equal(t, 200, a.status)
	var l struct {
		Decisions []struct {
			Kind, PlanHash, Principal, Incident string
			Input, Result                       json.RawMessage
		}
	}
	require.NoError(t, json.Unmarshal(a.body, &l))
	require.Len(t, l.Decisions, 3)
	assert.Equal(t, "grade", l.Decisions[0].Kind)
	assert.JSONEq(t, `{"deaths":12}`, string(l.Decisions[0].Input), "the facts as given; missing stays unknown")
	assert.Contains(t, string(l.Decisions[0].Result), `"level":"serious"`)
	assert.Equal(t, "anonymous", l.Decisions[0].Principal)
	assert.NotEmpty(t, l.Decisions[0].PlanHash)
	assert.Contains(t, string(l.Decisions[2].Result), `"rejection":"guard.rejected"`, "a rejected event is recorded with its code")
	a = e.do(req{method: "GET", path: "/v1/decisions?incident=inc-1&kind=event&limit=1"})
	require.NoError(t, json.Unmarshal(a.body, &l))
	require.Len(t, l.Decisions, 1)
	assert.Equal(t, "inc-1", l.Decisions[0].Incident)
	a = e.do(req{method: "GET", path: "/v1/decisions?since=2099-01-01T00:00:00Z"})
	assert.Contains(t, string(a.body), `"decisions":[]`)
	a = e.do(req{method: "GET", path: "/v1/decisions?since=yesterday"})
	assert.Equal(t, 400, a.status)
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
	base := e.status()["hash"].(string)
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
