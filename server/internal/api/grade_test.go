package api_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGrade(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		r      req
		status int
		code   string
		field  string
		level  string
	}{
		{name: "1.5 重大 (1): deaths 12 is 重大, Ⅱ", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`}, status: 200, level: "serious"},
		{name: "1.5 一般: nothing known is 一般", r: req{method: "POST", path: "/v1/grade", body: `{}`}, status: 200, level: "general"},
		{name: "directLoss as the text writes it: 5000万 is 重大", r: req{method: "POST", path: "/v1/grade", body: `{"directLoss":"5000万"}`}, status: 200, level: "serious"},
		{name: "malformed JSON", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":`, invalid: true}, status: 400, code: "request.malformed-json"},
		{name: "wrong type", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":"twelve"}`, invalid: true}, status: 400, code: "input.wrong-type", field: "deaths"},
		{name: "unknown field named", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":1,"dead":2}`, invalid: true}, status: 400, code: "input.unknown-field", field: "dead"},
		{name: "negative count", r: req{method: "POST", path: "/v1/grade", body: `{"deaths":-1}`, invalid: true}, status: 400, field: "deaths"},
		{name: "not an object", r: req{method: "POST", path: "/v1/grade", body: `[1]`, invalid: true}, status: 400},
		{name: "wrong method", r: req{method: "GET", path: "/v1/grade", undocumented: true}, status: 405, code: "request.method-not-allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(tc.r)
			require.Equal(t, tc.status, a.status, "%s", a.body)
			if tc.level != "" {
				assert.Equal(t, tc.level, a.json(t)["level"])
				assert.NotEmpty(t, a.header.Get("Yingji-Plan-Hash"))
			}
			if tc.status >= 400 {
				o := a.errObj(t)
				if tc.code != "" {
					assert.Equal(t, tc.code, o["code"])
				}
				if tc.field != "" {
					assert.Equal(t, tc.field, o["field"])
				}
				assert.NotEmpty(t, o["message"])
			}
		})
	}
	e.t = t
	a := e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":12}`})
	assert.Equal(t, "II", a.json(t)["response"], "1.5 重大 → Ⅱ级应急响应 (附件 8.3)")
}

func TestGradeBodyLimit(t *testing.T) {
	e := newEnv(t, withMaxBody(64))
	a := e.do(req{method: "POST", path: "/v1/grade", body: `{"deaths":1,"missing":2,"endangered":3,"seriousInjuries":4,"evacuated":5,"crossDomain":true}`})
	assert.Equal(t, http.StatusRequestEntityTooLarge, a.status)
	assert.Equal(t, "request.too-large", a.errCode(t))
}

// TestGradeStream: one result or one error per line, in order.
func TestGradeStream(t *testing.T) {
	e := newEnv(t)
	in := `{"deaths":12}` + "\n" + `{"deaths":"x"}` + "\n\n" + `{"deaths":3}` + "\n" + `{"bogus":1}`
	r, err := http.NewRequest("POST", e.http.URL+"/v1/grade", strings.NewReader(in))
	require.NoError(t, err)
	r.Header.Set("Content-Type", "application/x-ndjson")
	// The validator cannot decode an NDJSON body (it reads one JSON
	// value); the document declares the media type and the test checks
	// each line below.
	resp, err := e.http.Client().Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/x-ndjson", resp.Header.Get("Content-Type"))
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.Len(t, lines, 4)
	assert.Contains(t, lines[0], `"level":"serious"`)
	assert.Contains(t, lines[1], `"line":2`)
	assert.Contains(t, lines[1], `"field":"deaths"`)
	assert.Contains(t, lines[2], `"level":"relatively-serious"`, "1.5 较大 (1): 3 deaths")
	assert.Contains(t, lines[3], `"line":5`)
	assert.Contains(t, lines[3], `"code":"input.unknown-field"`)
}

func TestRoster(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		body     string
		status   int
		response string
		code     string
		field    string
		invalid  bool
	}{
		{name: "4.2 Ⅲ by level, 道路交通 in 昌吉市", body: `{"level":"III","industries":["道路交通"],"localities":["昌吉市"]}`, status: 200, response: "III"},
		{name: "1.5 较大 (1): graded first from 4 deaths → Ⅲ", body: `{"incident":{"deaths":4,"industries":["道路交通"],"localities":["昌吉市"]}}`, status: 200, response: "III"},
		{name: "graded first, the request's lists added to the incident's", body: `{"incident":{"deaths":4,"localities":["昌吉市"]},"industries":["道路交通"]}`, status: 200, response: "III"},
		{name: "a grade name is its response level: 重大 → Ⅱ", body: `{"level":"重大","localities":["昌吉市"]}`, status: 200, response: "II"},
		{name: "neither level nor incident: the levels listed", body: `{"localities":["昌吉市"]}`, status: 400, code: "level.unknown"},
		{name: "Ⅴ is no level of the plan, and no other rank is suggested", body: `{"level":"Ⅴ"}`, status: 400, code: "level.unknown"},
		{name: "unknown locality", body: `{"level":"III","localities":["nowhere"]}`, status: 400, code: "roster.unknown-locality", field: "localities"},
		{name: "unknown industry", body: `{"level":"III","industries":["fishing"]}`, status: 400, code: "roster.unknown-industry", field: "industries"},
		{name: "an unknown locality of the incident", body: `{"incident":{"deaths":4,"localities":["nowhere"]}}`, status: 400, code: "input.unknown-ref", field: "localities"},
		{name: "unknown field", body: `{"level":"III","where":"x"}`, status: 400, code: "input.unknown-field", invalid: true},
		{name: "wrong type", body: `{"level":3}`, status: 400, code: "input.type", invalid: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			a := e.do(req{method: "POST", path: "/v1/roster", body: tc.body, invalid: tc.invalid})
			require.Equal(t, tc.status, a.status, "%s", a.body)
			if tc.response != "" {
				assert.Equal(t, tc.response, a.json(t)["response"])
			}
			if tc.code != "" {
				assert.Equal(t, tc.code, a.errCode(t))
				assert.NotContains(t, a.errObj(t)["message"], "Did you mean", "never a suggestion across ranks")
			}
			if tc.field != "" {
				assert.Equal(t, tc.field, a.errObj(t)["field"])
			}
		})
	}
}

// TestRosterSpellings: POST /v1/roster takes a level as the plan and its
// readers write it — 4.2 and 附件 8.3 write Ⅰ–Ⅳ, duty officers III, 3 or
// 三级, 1.5 names the grade (较大) that starts the response — and every
// spelling gives the same roster.
func TestRosterSpellings(t *testing.T) {
	e := newEnv(t)
	want := e.do(req{method: "POST", path: "/v1/roster", body: `{"level":"III","industries":["道路交通"],"localities":["昌吉市"]}`})
	require.Equal(t, 200, want.status, "%s", want.body)
	for _, spelling := range []string{"Ⅲ", "III", "3", "三级", "Ⅲ级", "III级", "Ⅲ级应急响应", "较大", "较大生产安全事故", "relatively-serious"} {
		t.Run(spelling, func(t *testing.T) {
			e.t = t
			a := e.do(req{method: "POST", path: "/v1/roster", body: `{"level":"` + spelling + `","industries":["道路交通"],"localities":["昌吉市"]}`})
			require.Equal(t, 200, a.status, "%s", a.body)
			assert.Equal(t, "III", a.json(t)["response"])
			assert.JSONEq(t, string(want.body), string(a.body), "the same roster")
		})
	}
	for level, response := range map[string]string{"Ⅰ": "I", "Ⅱ级应急响应": "II", "四级": "IV", "一般": "IV", "特别重大生产安全事故": "I"} {
		t.Run(level, func(t *testing.T) {
			e.t = t
			a := e.do(req{method: "POST", path: "/v1/roster", body: `{"level":"` + level + `"}`})
			require.Equal(t, 200, a.status, "%s", a.body)
			assert.Equal(t, response, a.json(t)["response"])
		})
	}
}
