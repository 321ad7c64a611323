package pages_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closedRows splits the 已结束的事件 table into its rows.
func closedRows(t *testing.T, page string) []string {
	t.Helper()
	i := strings.Index(page, "<tbody>")
	j := strings.Index(page, "</tbody>")
	require.True(t, i >= 0 && j > i, page)
	return strings.Split(page[i:j], "<tr")[1:]
}

var tags = regexp.MustCompile(`<[^>]*>`)

// TestClosedList: the incidents closed under 5.3 (结案 after the summary
// report) are listed, latest to end first, with their level and response
// as the plan names them and their print views; an open one is not.
// Two example drills are replayed to their close: 7.2 drill 1 (奇台县, 一般,
// Ⅳ级, ends 20:10 on the day) as an exercise and drill 3 (阜康市, 较大,
// Ⅲ级, ends on 10-23) as a real incident.
func TestClosedList(t *testing.T) {
	e := newEnv(t, nil)
	e.replayDrill("iv-county.yaml", "inc-qitai-collapse", true)
	e.replayDrill("suspension-termination.yaml", "inc-fukang-tank", false)
	status, body := e.do("POST", "/v1/incidents", firstReport("inc-still-open", "路口两车相撞"))
	require.Equal(t, http.StatusCreated, status, body)
	for _, id := range []string{"inc-qitai-collapse", "inc-fukang-tank"} {
		status, body := e.do("GET", "/v1/incidents/"+id, "")
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, `"open":false`, "5.3: the drill ends with 结案")
	}

	status, page := e.do("GET", "/ui/closed", "")
	require.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, "已结束 2 起，其中演练 1 起。")
	assert.NotContains(t, page, "仅显示最近")
	assert.NotContains(t, page, "inc-still-open", "an open incident is not listed")
	assert.NotContains(t, page, "昌吉市 · 道路交通")
	rows := closedRows(t, page)
	require.Len(t, rows, 2)
	tests := []struct {
		name, row, id string
		want          []string
		drill         bool
	}{
		{"drill 3 (阜康市, 较大, Ⅲ级) ended last, on 10-23: first", rows[0], "inc-fukang-tank",
			[]string{"阜康市 · 危险化学品 生产安全事故", "<strong>较大</strong>", "Ⅲ级应急响应",
				"2025-10-20 14:00（新疆时间）", "2025-10-23 04:00（新疆时间）"}, false},
		{"drill 1 (奇台县, 一般, Ⅳ级) ended 20:10 on 10-15: second, marked 演练", rows[1], "inc-qitai-collapse",
			[]string{"奇台县 · 房屋市政工程 生产安全事故", "<strong>一般</strong>", "Ⅳ级应急响应",
				"2025-10-15 09:00（新疆时间）", "2025-10-15 20:10（新疆时间）"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range tc.want {
				assert.Contains(t, tc.row, w)
			}
			assert.Contains(t, tc.row, `href="/incident/`+tc.id+`"`)
			assert.Contains(t, tc.row, `href="/print/report/`+tc.id+`"`, "3.2 文字报告")
			assert.Contains(t, tc.row, `href="/print/summary/`+tc.id+`"`, "5.3 总结报告")
			assert.NotContains(t, tags.ReplaceAllString(tc.row, " "), tc.id, "no id where a name exists")
			assert.Equal(t, tc.drill, strings.Contains(tc.row, `<span class="tag drill">演练</span>`))
		})
	}

	t.Run("the board lists the open one only and links to the closed ones", func(t *testing.T) {
		status, page := e.do("GET", "/ui/board", "")
		require.Equal(t, http.StatusOK, status, page)
		assert.Contains(t, page, `<a href="/closed">已结束的事件 →</a>`)
		assert.Contains(t, page, "进行中 1 起")
		assert.NotContains(t, page, "inc-qitai-collapse")
	})
	t.Run("a closed incident's page leads back to the closed ones, an open one's to the board", func(t *testing.T) {
		status, page := e.do("GET", "/ui/incident/inc-fukang-tank", "")
		require.Equal(t, http.StatusOK, status, page)
		assert.Contains(t, page, `<a href="/closed">返回已结束的事件</a>`)
		assert.NotContains(t, page, `返回看板`)
		status, page = e.do("GET", "/ui/incident/inc-still-open", "")
		require.Equal(t, http.StatusOK, status, page)
		assert.Contains(t, page, `<a href="/board">返回看板</a>`)
	})
	t.Run("the shell", func(t *testing.T) {
		status, page := e.do("GET", "/closed", "")
		require.Equal(t, http.StatusOK, status, page)
		assert.Contains(t, page, `data-fragment="/ui/closed"`)
		assert.Contains(t, page, "<title>已结束的事件 · 应急值班室</title>")
	})
}

// TestClosedEmpty: nothing closed yet.
func TestClosedEmpty(t *testing.T) {
	e := newEnv(t, nil)
	status, body := e.do("POST", "/v1/incidents", firstReport("inc-open", "电话报告"))
	require.Equal(t, http.StatusCreated, status, body)
	status, page := e.do("GET", "/ui/closed", "")
	require.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, "目前没有已结束的事件。")
	assert.NotContains(t, page, "<table")
}

// TestClosedBounded: the page shows the 50 that ended last and says so.
// Decree 493's chain closes in two steps — the first report, and
// 事故报告结束 once the 30 days of 第十三条第二款 have passed — so 51
// incidents are closed under that plan, one a day.
func TestClosedBounded(t *testing.T) {
	e := newEnvPlan(t, "national-493", nil)
	for i := range 51 {
		id := fmt.Sprintf("n-%02d", i)
		day := fmt.Sprintf("2025-10-%02dT09:00:00+06:00", i%31+1)
		if i >= 31 {
			day = fmt.Sprintf("2025-11-%02dT09:00:00+06:00", i-30)
		}
		status, body := e.do("POST", "/v1/incidents", `{"incident":"`+id+`","id":"s1","type":"report.received","actor":"unit-head",
			"occurredAt":"`+day+`","recordedAt":"`+day+`",
			"data":{"from":"on-site","accidentAt":"`+day+`","accidentType":"other","incident":{"deaths":1}}}`)
		require.Equal(t, http.StatusCreated, status, body)
		end := strings.Replace(day, "2025", "2026", 1)
		status, body = e.do("POST", "/v1/incidents/"+id+"/events", `{"id":"s2","type":"reporting.closed","actor":"county-safety",
			"occurredAt":"`+end+`","recordedAt":"`+end+`"}`)
		require.Equal(t, http.StatusOK, status, body)
	}
	status, page := e.do("GET", "/ui/closed", "")
	require.Equal(t, http.StatusOK, status, page)
	assert.Contains(t, page, "已结束 51 起，仅显示最近 50 起。")
	rows := closedRows(t, page)
	require.Len(t, rows, 50)
	assert.Contains(t, rows[0], `href="/incident/n-50"`, "the last to end first")
	assert.NotContains(t, page, `href="/incident/n-00"`, "the first to end is left out")
	assert.Contains(t, rows[0], "<strong>一般</strong>", "national-493's grade names")
}
