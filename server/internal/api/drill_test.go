package api_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withDrill puts "drill": v (raw JSON) into a new incident's body.
func withDrill(body, v string) string { return `{"drill":` + v + `,` + body[1:] }

func TestIncidentDrill(t *testing.T) { testDrill(t, newEnv(t)) }

// TestIncidentDrillPostgres runs the same steps on PostgreSQL.
func TestIncidentDrillPostgres(t *testing.T) { testDrill(t, newEnv(t, withStore(pgStore(t)))) }

// testDrill: issue 12, drills marked 演练 everywhere they appear. The flag
// is given when the incident is created and is the incident's; an id
// starting "drill-" is only an id.
func testDrill(t *testing.T, e *env) {
	creates := []struct {
		name, incident, body string
		drill                bool
	}{
		{"drill: true marks an exercise", "ex-1", withDrill(firstReport("ex-1", "e1"), "true"), true},
		{"drill: false is a real incident", "real-1", withDrill(firstReport("real-1", "e1"), "false"), false},
		{"without drill: a real incident", "real-2", firstReport("real-2", "e1"), false},
		{"an id starting drill- without the flag is not a drill", "drill-named", firstReport("drill-named", "e1"), false},
	}
	for _, tc := range creates {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(req{method: "POST", path: "/v1/incidents", body: tc.body})
			require.Equal(t, 201, a.status, "%s", a.body)
			assert.Equal(t, tc.drill, a.json(t)["state"].(map[string]any)["drill"], "the create answer")
			g := e.do(req{method: "GET", path: "/v1/incidents/" + tc.incident})
			require.Equal(t, 200, g.status, "%s", g.body)
			assert.Equal(t, tc.drill, g.json(t)["drill"], "GET the incident")
		})
	}

	refused := []struct {
		name, path, body, code, field string
	}{
		{"a drill flag that is not a boolean is refused, naming the field", "/v1/incidents",
			withDrill(firstReport("ex-2", "e1"), `"yes"`), "input.type", "drill"},
		{"a number is not a flag either", "/v1/incidents",
			withDrill(firstReport("ex-2", "e1"), `1`), "input.type", "drill"},
		{"the flag is fixed at creation: no drill on a later event", "/v1/incidents/real-1/events",
			withDrill(event("e2", "report.followup", "yjj", 20, `{"summary":"续报"}`), "true"), "input.unknown-field", "drill"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(req{method: "POST", path: tc.path, body: tc.body, invalid: true})
			require.Equal(t, 400, a.status, "%s", a.body)
			o := a.errObj(t)
			assert.Equal(t, tc.code, o["code"])
			assert.Equal(t, tc.field, o["field"])
			assert.Contains(t, o["message"], "drill")
		})
	}

	t.Run("re-delivering the create without the flag changes nothing", func(t *testing.T) {
		e.t = t
		a := e.do(req{method: "POST", path: "/v1/incidents", body: firstReport("ex-1", "e1")})
		require.Equal(t, 201, a.status, "%s", a.body)
		assert.Equal(t, true, a.json(t)["state"].(map[string]any)["drill"])
		g := e.do(req{method: "GET", path: "/v1/incidents/ex-2"})
		assert.Equal(t, 404, g.status, "the refused creates made nothing")
	})

	t.Run("a later event keeps the flag", func(t *testing.T) {
		e.t = t
		a := e.do(req{method: "POST", path: "/v1/incidents/ex-1/events", body: event("e2", "report.followup", "yjj", 20, `{"summary":"续报"}`)})
		require.Equal(t, 200, a.status, "%s", a.body)
		assert.Equal(t, true, a.json(t)["state"].(map[string]any)["drill"])
		// 4.2: a county may not activate Ⅲ — refused, and recorded.
		a = e.do(req{method: "POST", path: "/v1/incidents/ex-1/events", body: event("e3", "response.activated", "local-government", 25, `{"level":"III"}`)})
		require.Equal(t, 422, a.status, "%s", a.body)
	})

	t.Run("the listing carries the flag", func(t *testing.T) {
		e.t = t
		a := e.do(req{method: "GET", path: "/v1/incidents"})
		require.Equal(t, 200, a.status)
		var l struct {
			Incidents []struct {
				ID    string `json:"id"`
				Drill *bool  `json:"drill"`
			} `json:"incidents"`
		}
		require.NoError(t, json.Unmarshal(a.body, &l))
		got := map[string]bool{}
		for _, inc := range l.Incidents {
			require.NotNil(t, inc.Drill, inc.ID)
			got[inc.ID] = *inc.Drill
		}
		assert.Equal(t, map[string]bool{"ex-1": true, "real-1": false, "real-2": false, "drill-named": false}, got)
	})

	t.Run("the records of a drill's events say so, accepted or refused", func(t *testing.T) {
		e.t = t
		for inc, want := range map[string]bool{"ex-1": true, "drill-named": false, "real-1": false} {
			a := e.do(req{method: "GET", path: "/v1/decisions?incident=" + inc})
			require.Equal(t, 200, a.status)
			var l struct {
				Decisions []struct {
					Kind   string          `json:"kind"`
					Drill  *bool           `json:"drill"`
					Result json.RawMessage `json:"result"`
				} `json:"decisions"`
			}
			require.NoError(t, json.Unmarshal(a.body, &l))
			require.NotEmpty(t, l.Decisions, inc)
			for _, d := range l.Decisions {
				require.NotNil(t, d.Drill, inc)
				assert.Equal(t, want, *d.Drill, "%s: %s %s", inc, d.Kind, d.Result)
			}
			if inc == "ex-1" {
				assert.Len(t, l.Decisions, 3, "e1, e2 accepted; e3 refused")
			}
		}
		a := e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":1}`})
		require.Equal(t, 200, a.status, "%s", a.body)
		a = e.do(req{method: "GET", path: "/v1/decisions?kind=classify"})
		require.Equal(t, 200, a.status)
		var l struct {
			Decisions []map[string]any `json:"decisions"`
		}
		require.NoError(t, json.Unmarshal(a.body, &l))
		require.NotEmpty(t, l.Decisions)
		for _, d := range l.Decisions {
			assert.Equal(t, false, d["drill"], "a grade is no incident's")
		}
	})
}

// TestMigrateDrill: a drill moved to a new revision is still a drill, and
// the record of its migration says so.
func TestMigrateDrill(t *testing.T) {
	e := newEnv(t, withPlanDir())
	a := e.do(req{method: "POST", path: "/v1/incidents", body: withDrill(firstReport("ex-1", "e1"), "true")})
	require.Equal(t, 201, a.status, "%s", a.body)
	// 3.2 written report: 15 minutes → 30 in the new revision.
	e.editPlan("workflow.yaml", "within: 15m", "within: 30m")
	require.Equal(t, 200, e.do(req{method: "POST", path: "/v1/reload"}).status)
	a = e.do(req{method: "POST", path: "/v1/incidents/ex-1/migrate", body: `{"apply":true}`})
	require.Equal(t, 200, a.status, "%s", a.body)
	m := a.json(t)
	require.Equal(t, true, m["applied"])
	assert.Equal(t, true, m["state"].(map[string]any)["drill"])
	assert.Equal(t, true, e.do(req{method: "GET", path: "/v1/incidents/ex-1"}).json(t)["drill"])
	a = e.do(req{method: "GET", path: "/v1/decisions?kind=migrate"})
	require.Equal(t, 200, a.status)
	ds := a.json(t)["decisions"].([]any)
	require.Len(t, ds, 1)
	assert.Equal(t, true, ds[0].(map[string]any)["drill"])
}
