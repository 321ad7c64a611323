package pages_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/server/internal/api"
)

// firstReport is a phone report received by 州应急管理局 at the drills'
// start, from 昌吉市应急管理局, with the note given.
func firstReport(id, note string) string {
	return `{"incident":"` + id + `","id":"` + id + `-1","type":"report.received","actor":"yjj",
		"occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00",
		"data":{"via":"phone","from":"changji-city-yjj","summary":` + quote(note) + `,
		"incident":{"deaths":12,"localities":["昌吉市"],"industries":["道路交通"]}}}`
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// TestEscaping: what people type into an incident is shown as text on every
// page, never run as markup (html/template escapes it).
func TestEscaping(t *testing.T) {
	e := newEnv(t, nil)
	note := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	status, body := e.do("POST", "/v1/incidents", firstReport("esc", note))
	require.Equal(t, http.StatusCreated, status, body)
	status, body = e.do("POST", "/v1/incidents/esc/events", `{"id":"w1","type":"report.written","actor":"local-emergency-bureau",
		"occurredAt":"2025-10-15T09:10:00+06:00","recordedAt":"2025-10-15T09:10:00+06:00",
		"data":{"contents":["reporter"],"summary":"</textarea><script>alert(2)</script>"}}`)
	require.Equal(t, http.StatusOK, status, body)
	for _, path := range []string{"/ui/incident/esc", "/ui/board", "/ui/print/report/esc", "/ui/print/summary/esc"} {
		t.Run(path, func(t *testing.T) {
			status, page := e.do("GET", path, "")
			require.Equal(t, http.StatusOK, status, page)
			assert.NotContains(t, page, "<script")
			assert.NotContains(t, page, "<img src=x")
			assert.Contains(t, page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
		})
	}
}

// TestDrillMarked: issue 12, drills marked 演练 everywhere they appear —
// by the incident's drill flag, never by its id.
func TestDrillMarked(t *testing.T) {
	e := newEnv(t, nil)
	status, body := e.do("POST", "/v1/incidents", `{"drill":true,`+firstReport("ex-1", "综合演练")[1:])
	require.Equal(t, http.StatusCreated, status, body)
	status, body = e.do("POST", "/v1/incidents", firstReport("drill-lookalike", "真实事故"))
	require.Equal(t, http.StatusCreated, status, body)
	const tag = `<span class="tag drill">演练</span>`
	tests := []struct {
		name, path string
		drill      bool
	}{
		{"事件页 of a drill", "/ui/incident/ex-1", true},
		{"事件页 of a drill- id without the flag", "/ui/incident/drill-lookalike", false},
		{"响应名单 for a drill", "/ui/roster?incident=ex-1", true},
		{"响应名单 for a drill- id without the flag", "/ui/roster?incident=drill-lookalike", false},
		{"文字报告 of a drill", "/ui/print/report/ex-1", true},
		{"文字报告 of a drill- id without the flag", "/ui/print/report/drill-lookalike", false},
		{"总结报告 of a drill", "/ui/print/summary/ex-1", true},
		{"总结报告 of a drill- id without the flag", "/ui/print/summary/drill-lookalike", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			status, page := e.do("GET", tc.path, "")
			require.Equal(t, http.StatusOK, status, page)
			if tc.drill {
				assert.Contains(t, page, tag)
			} else {
				assert.NotContains(t, page, tag)
				assert.NotContains(t, page, "drill-banner")
			}
		})
	}
	t.Run("看板: one row marked, the drill's", func(t *testing.T) {
		e.t = t
		status, page := e.do("GET", "/ui/board", "")
		require.Equal(t, http.StatusOK, status, page)
		assert.Equal(t, 1, strings.Count(page, `class="is-drill`), page)
		assert.Contains(t, page, "其中演练 1 起")
		i := strings.Index(page, `class="is-drill`)
		require.GreaterOrEqual(t, i, 0)
		assert.Contains(t, page[i:i+300], `href="/incident/ex-1"`)
	})
}

// TestShells: the pages are served at /, in Chinese, with their assets
// from this server only; everything else is the API's.
func TestShells(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		name, method, path string
		status             int
		contains           string
	}{
		{"接报 at /", "GET", "/", 200, `data-fragment="/ui/intake"`},
		{"事件看板", "GET", "/board", 200, `data-fragment="/ui/board"`},
		{"响应名单 keeps its query", "GET", "/roster?level=II", 200, `data-fragment="/ui/roster?level=II"`},
		{"事件页", "GET", "/incident/inc-1", 200, `data-fragment="/ui/incident/inc-1"`},
		{"文字报告", "GET", "/print/report/inc-1", 200, `data-fragment="/ui/print/report/inc-1"`},
		{"总结报告", "GET", "/print/summary/inc-1", 200, `data-fragment="/ui/print/summary/inc-1"`},
		{"an incident id the API would refuse is no page", "GET", "/incident/a%20b", 404, `"request.not-found"`},
		{"unknown paths stay the API's 404", "GET", "/nothing", 404, `"request.not-found"`},
		{"other methods on / stay the API's 405", "DELETE", "/", 405, `"request.method-not-allowed"`},
		{"the API is untouched", "GET", "/healthz", 200, `"ok"`},
		{"the stylesheet", "GET", "/static/app.css", 200, "font-family"},
		{"the script", "GET", "/static/app.js", 200, "sessionStorage"},
		{"an unknown fragment", "GET", "/ui/nothing", 404, "没有这个页面"},
		{"an unknown incident", "GET", "/ui/incident/nope", 404, "没有这个事件"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.do(tc.method, tc.path, "")
			assert.Equal(t, tc.status, status, body)
			assert.Contains(t, body, tc.contains)
		})
	}
	_, page := e.do("GET", "/", "")
	assert.Contains(t, page, `<html lang="zh-CN">`)
	res, err := e.http.Client().Get(e.http.URL + "/")
	require.NoError(t, err)
	res.Body.Close()
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'self'")
}

// TestNothingFromElsewhere: no template, stylesheet or script refers to
// another origin, a CDN or a web font; the intranet is offline.
func TestNothingFromElsewhere(t *testing.T) {
	external := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}|@import|@font-face|url\(\s*['"]?(https?:|//)`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasPrefix(path, "templates/") && !strings.HasPrefix(path, "static/") {
			return nil
		}
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Empty(t, external.FindAllString(string(b), -1), path)
		return nil
	})
	require.NoError(t, err)
}

// TestFragmentsNeedToken: with a token file, every piece of data needs a
// token, as the API does; a read-only token sees no forms.
func TestFragmentsNeedToken(t *testing.T) {
	e := newEnv(t, api.Tokens{
		api.HashToken("duty-token"):  {Name: "zhou-duty", Actors: map[string]bool{"yjj": true, "office": true}},
		api.HashToken("audit-token"): {Name: "auditor", Actors: map[string]bool{}, ReadOnly: true},
	})
	status, _ := e.do("GET", "/", "")
	assert.Equal(t, http.StatusOK, status, "the shell holds no data")
	status, _ = e.do("GET", "/ui/board", "")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = e.do("GET", "/ui/board", "", "Authorization", "Bearer wrong")
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = e.do("GET", "/ui/closed", "")
	assert.Equal(t, http.StatusUnauthorized, status, "the closed incidents too")
	status, _ = e.do("POST", "/ui/grade", `{"deaths":1}`)
	assert.Equal(t, http.StatusUnauthorized, status)

	status, body := e.do("POST", "/v1/incidents", firstReport("tok", "电话报告"), "Authorization", "Bearer duty-token")
	require.Equal(t, http.StatusCreated, status, body)
	status, page := e.do("GET", "/ui/incident/tok", "", "Authorization", "Bearer duty-token")
	require.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, `data-type="report.written"`, "a duty officer gets the forms")
	actor := regexp.MustCompile(`(?s)<select id="ev-report-written-actor".*?</select>`).FindString(page)
	assert.Contains(t, actor, `<option value="yjj">昌吉州应急管理局</option>`)
	assert.Contains(t, actor, `<option value="office">`)
	assert.NotContains(t, actor, `<option value="hq">`, "only the actors the token may act as")

	status, page = e.do("GET", "/ui/incident/tok", "", "Authorization", "Bearer audit-token")
	require.Equal(t, http.StatusOK, status, page)
	assert.NotContains(t, page, `class="event-form"`)
	assert.Contains(t, page, "只读")
}

// TestGradePreview: the live grading beside the intake form, typed from
// the plan text.
func TestGradePreview(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		name     string
		incident string
		want     []string
		not      []string
	}{
		{"1.5 重大 (1): deaths=12 is 重大, Ⅱ级, activated by 自治区指挥部 (4.2)", `{"deaths":12}`,
			[]string{`<strong id="grade-level">重大</strong>`, `<strong id="grade-response">Ⅱ级应急响应</strong>`, "1.5 重大 (1)",
				"死亡（含失踪）至少 12人（失踪未知，按 0 计）", "自治区指挥部决定启动Ⅱ级应急响应", "属于本预案适用范围"},
			nil},
		{"unknown is not zero: an empty loss could still raise the grade", `{"deaths":12}`,
			[]string{"仍可能升级为特别重大", "<strong>直接经济损失</strong>：可能升至特别重大", "1 亿元以上"}, nil},
		{"1.5 较大 (1): a loss of 1000万 is 较大, Ⅲ级, 昌吉州人民政府 (4.2)", `{"directLoss":"1000万"}`,
			[]string{`<strong id="grade-level">较大</strong>`, "Ⅲ级应急响应", "直接经济损失 1000万元，属于“1000 万元以上、5000 万元以下”", "昌吉州人民政府或自治区有关部门"}, nil},
		{"1.5 一般: nothing known yet is 一般, every accident is at least that", `{}`,
			[]string{`<strong id="grade-level">一般</strong>`, "尚未填写事故情况"}, nil},
		{"1.3: 一般 with nothing known is outside the plan's scope", `{"deaths":1,"missing":0,"endangered":0,"seriousInjuries":0,"evacuated":0,"directLoss":0,"crosses":"none","crossDomain":false,"exceedsCapacityOf":"none","deemedNecessaryBy":"none","stateCouncilResponse":false}`,
			[]string{"不属于本预案的适用范围"}, []string{"仍可能升级"}},
		{"bad figures are named by their labels", `{"deaths":-1,"directLoss":"很多"}`,
			[]string{"死亡：应为 0 或正整数", "直接经济损失：应为金额"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, page := e.do("POST", "/ui/grade", tc.incident)
			require.Equal(t, http.StatusOK, status, page)
			for _, w := range tc.want {
				assert.Contains(t, page, w)
			}
			for _, n := range tc.not {
				assert.NotContains(t, page, n)
			}
		})
	}
}

// TestRosterFragment: the roster names 州应急管理局's people with tel:
// links, marks conditional entries and works from an incident.
func TestRosterFragment(t *testing.T) {
	e := newEnv(t, nil)
	status, body := e.do("POST", "/v1/incidents", firstReport("r1", "电话报告"))
	require.Equal(t, http.StatusCreated, status, body)
	for _, path := range []string{"/ui/roster?incident=r1", "/ui/roster?level=serious&localities=changji-city&industries=road-traffic"} {
		t.Run(path, func(t *testing.T) {
			status, page := e.do("GET", path, "")
			require.Equal(t, http.StatusOK, status, page)
			for _, tel := range []string{`href="tel:18999552212"`, `href="tel:19999566699"`, `href="tel:0994-2337910"`} {
				assert.Contains(t, page, tel, "附件 8.5 (2), 附件 8.6 (4)")
			}
			assert.Contains(t, page, "视情况")
			assert.Contains(t, page, "昌吉市应急管理局")
			assert.Contains(t, page, "昌吉州公安局", "2.3 (4): 道路交通")
		})
	}
	status, page := e.do("GET", "/ui/roster", "")
	require.Equal(t, http.StatusOK, status, page)
	assert.NotContains(t, page, "通知顺序", "no level chosen: only the chooser")
}

// TestAnotherPlansReport: the written report's items are the plan's own.
// Served with Decree 493's reporting chain, the print view lists the six
// items of 第十二条, and the intake form is that plan's first report.
func TestAnotherPlansReport(t *testing.T) {
	e := newEnvPlan(t, "national-493", nil)
	status, page := e.do("GET", "/ui/intake", "")
	require.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, `data-type="report.received"`)
	assert.Contains(t, page, "报告人（单位）")

	status, body := e.do("POST", "/v1/incidents", `{"incident":"n1","id":"s1","type":"report.received","actor":"unit-head",
		"occurredAt":"2025-10-15T09:00:00+06:00","recordedAt":"2025-10-15T09:00:00+06:00",
		"data":{"from":"on-site","accidentAt":"2025-10-15T08:55:00+06:00","accidentType":"other","incident":{"deaths":3}}}`)
	require.Equal(t, http.StatusCreated, status, body)
	status, body = e.do("POST", "/v1/incidents/n1/events", `{"id":"s2","type":"report.received","actor":"county-safety",
		"occurredAt":"2025-10-15T09:50:00+06:00","recordedAt":"2025-10-15T09:50:00+06:00",
		"data":{"from":"unit-head","contents":["unit","time-place","course"]}}`)
	require.Equal(t, http.StatusOK, status, body)

	status, page = e.do("GET", "/ui/print/report/n1", "")
	require.Equal(t, http.StatusOK, status, page)
	for _, item := range []string{"事故发生单位概况", "事故发生的时间、地点以及事故现场情况", "事故的简要经过",
		"事故已经造成或者可能造成的伤亡人数（包括下落不明的人数）和初步估计的直接经济损失", "已经采取的措施", "其他应当报告的情况"} {
		assert.Contains(t, page, item, "Decree 493 第十二条")
	}
	assert.Contains(t, page, "报告事故应当包括下列内容")
	assert.Contains(t, page, "死亡 3人", "（四）: the casualties, unknown ones said so")
	assert.Contains(t, page, "重伤（包括急性工业中毒） 未知")
	assert.Contains(t, page, "事故发生的时间：2025-10-15 08:55（新疆时间）", "（二）: the time the report gave")
	assert.Equal(t, 3, strings.Count(page, "已在报告中报出"), "three items were reported")
	for _, path := range []string{"/ui/incident/n1", "/ui/board", "/ui/roster?incident=n1", "/ui/print/summary/n1"} {
		status, page = e.do("GET", path, "")
		assert.Equal(t, http.StatusOK, status, "%s: %s", path, page)
	}
}

// The roster page shows what the library says the roster leaves out, and
// names who tells each party, not its id.
func TestRosterPageInTheLibrarysWords(t *testing.T) {
	e := newEnv(t, nil)
	status, body := e.do("GET", "/ui/roster?level=general&localities="+url.QueryEscape("奇台县"), "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, "未给出事故所属行业，事故发生行业领域主管部门")
	assert.Contains(t, body, "发出方：事故发生单位", "3.2: the accident unit reports first, by name")
	assert.NotContains(t, body, "发出方：accident-unit")
}
