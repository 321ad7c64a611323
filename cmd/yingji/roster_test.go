package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/orgchart"
)

// orgCLI runs the CLI with no input and returns stdout, stderr, status.
func orgCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	code, out, errOut := runCLI(t, "", args...)
	return out, errOut, code
}

func TestRosterCommand(t *testing.T) {
	t.Run("4.4 a 较大 道路交通 accident in 昌吉市 graded from --deaths 4 names 州公安局 with contacts and reasons", func(t *testing.T) {
		out, errs, code := orgCLI(t, "roster", "--industry", "道路交通", "--locality", "昌吉市", "--deaths", "4")
		require.Equal(t, 0, code, errs)
		assert.True(t, strings.HasPrefix(out, "Ⅲ级应急响应 · 较大\n"), out)
		assert.Contains(t, out, "定级：按所给事实为较大（1.5 较大 (1)）")
		// 2.1: 州公安局 is a deputy commander for 道路交通 (2.3 (4)); 附件 8.5 gives 周明.
		assert.Contains(t, out, "  副指挥长    昌吉州公安局负责人  周明 副局长 13909949666\n")
		// 3.2: the enterprise reports to the county bureau first, which
		// reports on to 州应急管理局 and the industry's department.
		assert.Regexp(t, `  事故发生单位 →（3\.2）\n     1\. 昌吉市应急管理局 +值班 0994-2590082\n`, out)
		assert.Regexp(t, `  昌吉市应急管理局 →（3\.2）\n     4\. 昌吉州应急管理局 +值班 0994-2337910\n     5\. 昌吉州公安局 +周明 副局长 13909949666\n`, out)
		assert.Contains(t, out, "4.4.3：按照其职责和预案进行响应")
	})
	t.Run("the first screen: command, groups and whom to notify come before the full list", func(t *testing.T) {
		out, errs, code := orgCLI(t, "roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", "Ⅲ级应急响应")
		require.Equal(t, 0, code, errs)
		first, _, ok := strings.Cut(out, "———— 完整名单 ————")
		require.True(t, ok)
		assert.LessOrEqual(t, strings.Count(first, "\n"), 50, "fits a duty officer's first screen")
		assert.Contains(t, first, "指挥：昌吉州生产安全事故应急救援指挥部")
		assert.Contains(t, first, "  事故抢救组  昌吉市人民政府")
		// 4.4.2 (2): the office tells every member unit; by name only on the first screen.
		assert.Regexp(t, `\d+–\d+\. 昌吉州党委宣传部、`, first)
		assert.NotContains(t, out, "road-traffic", "names, not ids")
	})
	t.Run("--level takes the response level and the grade as people write them", func(t *testing.T) {
		want, _, code := orgCLI(t, "roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", "III")
		require.Equal(t, 0, code)
		// 附件 8.3 and 4.2 write Ⅲ级应急响应; 1.5 names the grade 较大.
		for _, level := range []string{"Ⅲ", "Ⅲ级", "III级", "3", "三级", "Ⅲ级应急响应", "较大", "较大生产安全事故", "relatively-serious"} {
			got, errs, code := orgCLI(t, "roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", level)
			require.Equal(t, 0, code, errs)
			assert.Equal(t, want, got, level)
		}
	})
	t.Run("an unknown level lists the plan's levels in order and never guesses a rank", func(t *testing.T) {
		_, errs, code := orgCLI(t, "roster", "--industry", "道路交通", "--locality", "昌吉市", "--level", "Ⅴ")
		assert.Equal(t, 2, code)
		assert.NotContains(t, errs, "Did you mean")
		assert.Regexp(t, `特别重大.*重大.*较大.*一般`, errs, "most severe first")
	})
	t.Run("--level takes a grade id and the JSON roster is the library's", func(t *testing.T) {
		out, errs, code := orgCLI(t, "roster", "--industry", "特种设备", "--locality", "奇台县", "--level", "relatively-serious", "--json")
		require.Equal(t, 0, code, errs)
		var r orgchart.Roster
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		assert.Equal(t, "III", r.Response)
		g, ok := r.Group("rescue")
		require.True(t, ok)
		assert.Equal(t, "奇台县人民政府", g.Lead[0].Name)
	})
	t.Run("repeatable --locality for an incident that spans two", func(t *testing.T) {
		out, _, code := orgCLI(t, "roster", "--industry", "危化品", "--locality", "奇台县", "--locality", "吉木萨尔县", "--level", "IV")
		require.Equal(t, 0, code)
		assert.Contains(t, out, "奇台县人民政府、吉木萨尔县人民政府")
	})
	t.Run("unknown industry: did you mean", func(t *testing.T) {
		_, errs, code := orgCLI(t, "roster", "--industry", "特种设被", "--locality", "奇台", "--level", "III")
		assert.Equal(t, 2, code)
		assert.Contains(t, errs, `Did you mean "特种设备"?`)
	})
	t.Run("unknown industry and locality: one line each, each with its suggestion", func(t *testing.T) {
		_, errs, code := orgCLI(t, "roster", "--industry", "特种设被", "--locality", "奇台縣", "--level", "III")
		assert.Equal(t, 2, code)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		require.Len(t, lines, 2)
		assert.True(t, strings.HasPrefix(lines[0], `yingji roster: unknown industry "特种设被". Did you mean "特种设备"?`), lines[0])
		assert.True(t, strings.HasPrefix(lines[1], `yingji roster: unknown locality "奇台縣". Did you mean "奇台县"?`), lines[1])
	})
	t.Run("no industry: a roster all the same, with a warning", func(t *testing.T) {
		out, errs, code := orgCLI(t, "roster", "--locality", "奇台县", "--deaths", "4")
		require.Equal(t, 0, code, errs)
		assert.Contains(t, out, "注意：\n  ! 未给出事故所属行业，事故发生行业领域主管部门")
		assert.Contains(t, out, "事故抢救组（2.4 (2)）")
		out, errs, code = orgCLI(t, "roster", "--lang", "en", "--locality", "奇台县", "--deaths", "4")
		require.Equal(t, 0, code, errs)
		assert.Contains(t, out, "Warnings:\n  ! no industry given: left out 事故发生行业领域主管部门", "in English from the warning's code and params")
	})
	t.Run("4.3 a 重大 accident is the region's dispatch", func(t *testing.T) {
		out, errs, code := orgCLI(t, "roster", "--industry", "油气管道", "--locality", "准东", "--deaths", "12")
		require.Equal(t, 0, code, errs)
		assert.True(t, strings.HasPrefix(out, "Ⅱ级应急响应 · 重大\n"), out)
		assert.Contains(t, out, "指挥：自治区指挥部")
		assert.Contains(t, out, "接受自治区指挥部统一调度")
	})
	t.Run("no level and no figures", func(t *testing.T) {
		_, errs, code := orgCLI(t, "roster", "--industry", "道路交通")
		assert.Equal(t, 2, code)
		assert.Contains(t, errs, "--level")
	})
}

func TestOrgCommand(t *testing.T) {
	cases := []struct{ name, list, want string }{
		{"2.4 groups", "groups", "事故抢救组 [2.4 (2)]"},
		{"附件 8.6 localities", "localities", "奇台县应急管理局 [附件 8.6 (6)] — 值班 0994-7215813"},
		{"2.3 industries", "industries", "特种设备 → 昌吉州市场监督管理局 [2.3 (17)]"},
		{"附件 8.5 contacts", "contacts", "张雷 局长 13709949877"},
		{"2.1 units", "units", "昌吉州纪委监委"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := orgCLI(t, "org", tc.list)
			require.Equal(t, 0, code, errs)
			assert.Contains(t, out, tc.want)
		})
	}
	_, errs, code := orgCLI(t, "org", "people")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "units, groups")
}

func TestDiagramCommand(t *testing.T) {
	out, errs, code := orgCLI(t, "diagram", "org", "--format", "mermaid")
	require.Equal(t, 0, code, errs)
	assert.True(t, strings.Contains(out, "flowchart TD"))
	assert.Contains(t, out, "附件 8.1")
	out, _, code = orgCLI(t, "diagram", "site", "--format", "dot")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "digraph")
	_, errs, code = orgCLI(t, "diagram", "org", "--format", "svg")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "svg")
}
