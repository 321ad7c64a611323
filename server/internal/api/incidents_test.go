package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/pgtest"
	"github.com/yingji/yingji/server/internal/store"
)

// event renders an event envelope at minutes after 09:00 +06:00 (the
// drills' start).
func event(id, typ, actor string, minutes int, data string) string {
	at := fmt.Sprintf("2025-10-15T%02d:%02d:00+06:00", 9+minutes/60, minutes%60)
	if data == "" {
		data = "{}"
	}
	return fmt.Sprintf(`{"id":%q,"type":%q,"actor":%q,"occurredAt":%q,"recordedAt":%q,"data":%s}`, id, typ, actor, at, at, data)
}

// firstReport is 3.2's phone report of drill 2 (7.2), as the first event.
func firstReport(incident, id string) string {
	ev := event(id, "report.received", "yjj", 0, `{"via":"phone","from":"local-emergency-bureau","incident":{"deaths":1,"localities":["jimsar"],"industries":["dangerous-goods-transport"]}}`)
	if incident == "" {
		return ev
	}
	return `{"incident":` + fmt.Sprintf("%q", incident) + `,` + ev[1:]
}

func (e *env) create(incident string) answer {
	e.t.Helper()
	a := e.do(req{method: "POST", path: "/v1/incidents", body: firstReport(incident, "e1")})
	require.Equal(e.t, http.StatusCreated, a.status, "%s", a.body)
	return a
}

func TestIncidentLifecycle(t *testing.T) { testLifecycle(t, newEnv(t)) }

// TestIncidentLifecyclePostgres runs the same steps on PostgreSQL.
func TestIncidentLifecyclePostgres(t *testing.T) { testLifecycle(t, newEnv(t, withStore(pgStore(t)))) }

func testLifecycle(t *testing.T, e *env) {
	a := e.create("inc-1")
	assert.Equal(t, "/v1/incidents/inc-1", a.header.Get("Location"))
	assert.Equal(t, `"1"`, a.header.Get("ETag"))
	m := a.json(t)
	assert.Equal(t, "initial-response", m["state"].(map[string]any)["phase"], "3.2: a report starts the initial response")
	first := string(a.body)

	steps := []struct {
		name   string
		r      req
		status int
		code   string
		check  func(t *testing.T, a answer)
	}{
		{name: "3.2 re-delivery of the first report: the original answer, nothing stored",
			r: req{method: "POST", path: "/v1/incidents", body: firstReport("inc-1", "e1")}, status: 201,
			check: func(t *testing.T, a answer) { assert.JSONEq(t, first, string(a.body)) }},
		{name: "same event id, other content → 409",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e1", "report.received", "yjj", 1, `{"via":"phone","from":"local-emergency-bureau"}`)},
			status: 409, code: "event.duplicate-id"},
		{name: "creating an incident that exists with another event → 409",
			r: req{method: "POST", path: "/v1/incidents", body: firstReport("inc-1", "e-other")}, status: 409, code: "incident.exists"},
		{name: "4.2 guard: a county may not activate Ⅲ → 422 with guard and clause",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"III"}`)},
			status: 422, code: "guard.rejected",
			check: func(t *testing.T, a answer) {
				o := a.errObj(t)
				params := o["params"].(map[string]any)
				assert.Equal(t, "authority-III", params["guard"])
				assert.Equal(t, "4.2", params["clause"])
				assert.Contains(t, o["message"], "昌吉州人民政府")
			}},
		{name: "1.5 the grade 较大 names the same level, and the same guard holds",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"较大"}`)},
			status: 422, code: "guard.rejected"},
		{name: "If-Match on a stale log length → 412",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"IV"}`), header: map[string]string{"If-Match": `"0"`}},
			status: 412, code: "incident.changed"},
		{name: "4.2 Ⅳ activated by the county, If-Match current",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"IV"}`), header: map[string]string{"If-Match": `"1"`}},
			status: 200,
			check: func(t *testing.T, a answer) {
				m := a.json(t)
				assert.EqualValues(t, 2, m["seq"])
				assert.Equal(t, "IV", m["state"].(map[string]any)["response"])
				assert.Equal(t, `"2"`, a.header.Get("ETag"))
			}},
		{name: "the ordering rule: an event before the last accepted one → 422",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "assessment.updated", "yjj", 5, `{"incident":{"deaths":2}}`)},
			status: 422, code: "event.out-of-order"},
		{name: "4.15 phase: rescue.resumed is not allowed while responding → 422",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "rescue.resumed", "site-hq", 20, `{"siteControlled":true,"hazardsCleared":true}`)},
			status: 422, code: "phase.wrong"},
		{name: "unknown event type → 400",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "report.recieved", "yjj", 20, "")},
			status: 400, code: "event.unknown"},
		{name: "missing event id → 400",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: `{"type":"report.followup","actor":"yjj","occurredAt":"2025-10-15T09:20:00+06:00","recordedAt":"2025-10-15T09:20:00+06:00"}`, invalid: true},
			status: 400, code: "input.missing"},
		{name: "unknown envelope field named → 400",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: strings.Replace(event("e3", "report.followup", "yjj", 20, ""), `{"id"`, `{"who":"me","id"`, 1), invalid: true},
			status: 400, code: "input.unknown-field", check: func(t *testing.T, a answer) { assert.Equal(t, "who", a.errObj(t)["field"]) }},
		{name: "bad If-Match → 400",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "report.followup", "yjj", 20, ""), header: map[string]string{"If-Match": "yes"}},
			status: 400, code: "request.bad-if-match"},
		{name: "an event to an incident that does not exist → 404",
			r:      req{method: "POST", path: "/v1/incidents/nope/events", body: event("e3", "report.followup", "yjj", 20, "")},
			status: 404, code: "incident.not-found"},
		{name: "3.2 续报 accepted",
			r:      req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "report.followup", "yjj", 20, `{"summary":"续报"}`)},
			status: 200},
		{name: "GET the incident: phase, level, response, tasks, due and overdue, plan",
			r: req{method: "GET", path: "/v1/incidents/inc-1"}, status: 200,
			check: func(t *testing.T, a answer) {
				m := a.json(t)
				assert.EqualValues(t, 3, m["seq"])
				assert.Equal(t, "IV", m["response"])
				assert.Equal(t, "changji-2025", m["plan"].(map[string]any)["id"])
				// The clock is at 09:05 +06:00: the written report (3.2, 15
				// minutes) is due at 09:15, not overdue yet.
				assert.Contains(t, string(a.body), `"task":"written-report"`)
			}},
		{name: "GET the log", r: req{method: "GET", path: "/v1/incidents/inc-1/events"}, status: 200,
			check: func(t *testing.T, a answer) {
				var l struct {
					Events []struct {
						Seq   int
						Event struct{ ID string }
					}
				}
				require.NoError(t, json.Unmarshal(a.body, &l))
				require.Len(t, l.Events, 3)
				for i, id := range []string{"e1", "e2", "e3"} {
					assert.Equal(t, i+1, l.Events[i].Seq)
					assert.Equal(t, id, l.Events[i].Event.ID)
				}
			}},
		{name: "GET the log, paged", r: req{method: "GET", path: "/v1/incidents/inc-1/events?after=1&limit=1"}, status: 200,
			check: func(t *testing.T, a answer) {
				assert.Contains(t, string(a.body), `"id":"e2"`)
				assert.Equal(t, "2", a.json(t)["next"])
			}},
		{name: "GET the log of no incident → 404", r: req{method: "GET", path: "/v1/incidents/nope/events"}, status: 404, code: "incident.not-found"},
		{name: "GET no incident → 404", r: req{method: "GET", path: "/v1/incidents/nope"}, status: 404, code: "incident.not-found"},
		{name: "bad paging parameter → 400", r: req{method: "GET", path: "/v1/incidents/inc-1/events?after=-1", invalid: true}, status: 400, code: "input.type"},
	}
	for _, tc := range steps {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(tc.r)
			require.Equal(t, tc.status, a.status, "%s", a.body)
			if tc.code != "" {
				assert.Equal(t, tc.code, a.errCode(t))
			}
			if tc.check != nil {
				tc.check(t, a)
			}
		})
	}
	e.t = t
	// Overdue by the server's clock: at 09:30 the written report is late.
	e.now = e.now.Add(25 * 60e9)
	a = e.do(req{method: "GET", path: "/v1/incidents/inc-1"})
	var v struct {
		Overdue []struct {
			Task           string
			OverdueSeconds int64
		}
	}
	require.NoError(t, json.Unmarshal(a.body, &v))
	require.NotEmpty(t, v.Overdue)
	assert.Equal(t, "written-report", v.Overdue[0].Task)
	assert.EqualValues(t, 15*60, v.Overdue[0].OverdueSeconds, "3.2: due 09:15, now 09:30")
}

func TestIncidentList(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		e.create(fmt.Sprintf("inc-%d", i))
	}
	a := e.do(req{method: "GET", path: "/v1/incidents?open=true&phase=initial-response&level=general&limit=2"})
	require.Equal(t, 200, a.status)
	var l struct {
		Incidents []struct{ ID string }
		Next      string
	}
	require.NoError(t, json.Unmarshal(a.body, &l))
	require.Len(t, l.Incidents, 2)
	assert.Equal(t, "inc-0", l.Incidents[0].ID)
	var all []string
	after := ""
	for range 10 {
		path := "/v1/incidents?limit=2"
		if after != "" {
			path += "&after=" + after
		}
		a := e.do(req{method: "GET", path: path})
		require.NoError(t, json.Unmarshal(a.body, &l))
		for _, inc := range l.Incidents {
			all = append(all, inc.ID)
		}
		if l.Next == "" {
			break
		}
		after = l.Next
	}
	assert.Equal(t, []string{"inc-0", "inc-1", "inc-2", "inc-3", "inc-4"}, all)
	a = e.do(req{method: "GET", path: "/v1/incidents?open=false"})
	assert.Equal(t, `{"incidents":[],"next":""}`, strings.TrimSpace(string(a.body)))
	a = e.do(req{method: "GET", path: "/v1/incidents?open=maybe", invalid: true})
	assert.Equal(t, 400, a.status)
	a = e.do(req{method: "GET", path: "/v1/incidents?colour=red"}) // OpenAPI cannot forbid extra parameters; the server does
	assert.Equal(t, 400, a.status)
	assert.Equal(t, "colour", a.errObj(t)["field"])
}

// TestIncidentDefaultID: without "incident" the incident is named by its
// first event's id, so re-delivering a create is safe.
func TestIncidentDefaultID(t *testing.T) {
	e := newEnv(t)
	a := e.do(req{method: "POST", path: "/v1/incidents", body: firstReport("", "jimsar-2025-10-15-01")})
	require.Equal(t, 201, a.status, "%s", a.body)
	assert.Equal(t, "/v1/incidents/jimsar-2025-10-15-01", a.header.Get("Location"))
	a = e.do(req{method: "POST", path: "/v1/incidents", body: firstReport("a b", "e1"), invalid: true})
	assert.Equal(t, 400, a.status)
	assert.Equal(t, "input.bad-id", a.errCode(t))
}

// TestStaleNodePostgres: two servers on one PostgreSQL database. Node B
// has seen the incident at its first event; node A moves it on. B's answer
// must come from the incident as stored, not as B last saw it: an event B
// would refuse in the old phase (4.15 暂停救援 is allowed only while
// responding) is accepted, and an event B would accept is appended after
// A's, never over it.
func TestStaleNodePostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	open := func() store.Store {
		st, err := store.OpenPostgres(context.Background(), dsn, store.Options{})
		require.NoError(t, err)
		return st
	}
	a := newEnv(t, withStore(open()))
	b := newEnv(t, withStore(open()))
	a.create("inc-1")
	require.Equal(t, 200, b.do(req{method: "GET", path: "/v1/incidents/inc-1"}).status)
	r := a.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e2", "response.activated", "local-government", 10, `{"level":"IV"}`)})
	require.Equal(t, 200, r.status, "%s", r.body)

	r = b.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e3", "rescue.suspended", "site-hq", 20, `{"reason":"rescuers-threatened"}`)})
	require.Equal(t, 200, r.status, "4.15: node B reads that the incident is responding: %s", r.body)
	assert.EqualValues(t, 3, r.json(t)["seq"])

	r = a.do(req{method: "POST", path: "/v1/incidents/inc-1/events", body: event("e4", "report.followup", "yjj", 25, `{"summary":"续报"}`)})
	require.Equal(t, 200, r.status, "node A appends after B's event: %s", r.body)
	assert.EqualValues(t, 4, r.json(t)["seq"])

	evs, err := a.st.Events(context.Background(), "inc-1", 0, 0)
	require.NoError(t, err)
	var ids []string
	for _, ev := range evs {
		ids = append(ids, ev.ID)
	}
	assert.Equal(t, []string{"e1", "e2", "e3", "e4"}, ids, "every acknowledged event once, in order")
	ds, err := a.st.Decisions(context.Background(), store.DecisionFilter{Incident: "inc-1"})
	require.NoError(t, err)
	for _, d := range ds {
		assert.NotContains(t, string(d.Result), `"accepted":false`, "a refusal made on a stale view is not given, so not recorded")
	}
}
