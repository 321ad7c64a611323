package yingji_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

func readCases(t *testing.T, name string) *yingji.CaseFile {
	t.Helper()
	src, err := os.ReadFile(name)
	require.NoError(t, err)
	cf, ds := yingji.ReadCaseFile(name, src)
	require.False(t, ds.HasErrors(), "%s", ds)
	return cf
}

// The complete example passes and exercises all of changji-2025: every
// criterion, both sides of every threshold, every guard both ways, every
// task.
func TestCaseFileCompleteReaches100(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	run, err := p.RunCases(context.Background(), readCases(t, "examples/cases/changji-2025-complete.yaml"))
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, run.WriteText(&b, yingji.CaseTextOptions{Coverage: true}))
	assert.Zero(t, run.Failed, b.String())
	assert.Equal(t, 100.0, run.Coverage.Percent, b.String())
	var names []string
	for _, c := range run.Coverage.Categories {
		names = append(names, c.Name)
		assert.Empty(t, c.Missed, c.Name)
	}
	assert.Equal(t, []string{"criteria", "boundaries", "guards", "tasks"}, names)
}

// The smoke example passes too, and its coverage names what it misses,
// with the file and line of each.
func TestCaseFileSmokeNamesWhatItMisses(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	run, err := p.RunCases(context.Background(), readCases(t, "examples/cases/changji-2025-smoke.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 4, run.Passed)
	assert.Zero(t, run.Failed)
	assert.Less(t, run.Coverage.Percent, 50.0)
	missed := map[string]analysis.CoverageItem{}
	for _, c := range run.Coverage.Categories {
		for _, it := range c.Missed {
			missed[c.Name+" "+it.ID+" "+it.Side] = it
		}
	}
	// 1.5 特别重大 (5) 需要国务院安委会响应: no case has it.
	crit := missed["criteria 1.5 特别重大 (5) "]
	assert.Equal(t, "grading.yaml", crit.Subject.Filename)
	assert.Positive(t, crit.Subject.Start.Line)
	// 3.3: only the office issues a warning; no case tries.
	g := missed["guards warning-by-office rejects"]
	assert.Equal(t, "workflow.yaml", g.Subject.Filename)
	assert.Contains(t, g.What, "no case is rejected by it")
	assert.Contains(t, missed, "tasks warning-plan ")
	// The cases reach 1.5 较大 (1)'s "3 人以上" from both sides? Only at 3.
	assert.Contains(t, missed, "boundaries 1.5 较大 (1) outside")
	var b bytes.Buffer
	require.NoError(t, run.WriteText(&b, yingji.CaseTextOptions{Coverage: true, Lang: "en"}))
	assert.Contains(t, b.String(), "PASS: 4 passed, 0 failed (changji-2025)\n")
	assert.Regexp(t, `grading\.yaml:\d+:\d+: criterion: 1\.5 特别重大 \(5\) \(特别重大\): no case matches it`, b.String())
	assert.Regexp(t, `workflow\.yaml:\d+:\d+: guard: warning-by-office \(warning\.issued, 3\.3\): no case is rejected by it`, b.String())
	// In Chinese, the default.
	b.Reset()
	require.NoError(t, run.WriteText(&b, yingji.CaseTextOptions{Coverage: true}))
	assert.Contains(t, b.String(), "通过：4 个用例通过，0 个失败（changji-2025）\n")
	assert.Regexp(t, `grading\.yaml:\d+:\d+: 标准：1\.5 特别重大 \(5\)（特别重大）：没有用例满足它`, b.String())
	assert.Regexp(t, `workflow\.yaml:\d+:\d+: 校验规则：warning-by-office（warning\.issued，3\.3）：没有用例被它拒绝`, b.String())
}

// A case that the plan does not meet fails with every expectation it
// misses, at its file:line; the other cases still run.
func TestCaseFileFailures(t *testing.T) {
	src := []byte(`plan: changji-2025
cases:
  - name: wrong on purpose
    incident: {deaths: 3, missing: 0}
    grade: 重大
    response: Ⅱ
    clause: 1.5 重大 (1)
    matched: [1.5 特别重大 (1)]
    notMatched: [1.5 较大 (1)]
    inScope: false
    roster:
      absent: [hq]
    steps:
      - {at: "+0m", event: report.received, actor: yjj, data: {via: phone}, expect: rejected}
      - {at: "+1m", event: task.completed, actor: yjj, data: {task: report-up}, expect: task-by-assignee}
  - name: right
    incident: {deaths: 3}
    grade: relatively-serious
`)
	cf, ds := yingji.ReadCaseFile("wrong.yaml", src)
	require.False(t, ds.HasErrors(), "%s", ds)
	p, err := yingji.Default()
	require.NoError(t, err)
	run, err := p.RunCases(context.Background(), cf)
	require.NoError(t, err)
	assert.Equal(t, 1, run.Passed)
	assert.Equal(t, 1, run.Failed)
	c := run.Files[0].Cases[0]
	assert.Equal(t, "wrong.yaml", c.Subject.Filename)
	assert.Equal(t, 3, c.Subject.Start.Line)
	want := []string{
		"want grade 重大, got 较大 by 1.5 较大 (1)",
		"want response II, got III",
		"want the grade decided by 1.5 重大 (1), got 较大 by 1.5 较大 (1)",
		"want 1.5 特别重大 (1) to hold; it does not (较大 by 1.5 较大 (1))",
		"want 1.5 较大 (1) not to hold; it does (较大 by 1.5 较大 (1))",
		"want in scope false, got true",
		"want hq off the roster at III; it is there (engage)",
	}
	require.GreaterOrEqual(t, len(c.Failures), len(want)+1, "%q", c.Failures)
	assert.Equal(t, want, c.Failures[:len(want)])
	assert.True(t, strings.HasPrefix(c.Failures[len(want)], "step 1 (report.received by yjj at wrong.yaml:14:"), c.Failures[len(want)])
	var b bytes.Buffer
	require.NoError(t, run.WriteText(&b, yingji.CaseTextOptions{Lang: "en"}))
	assert.True(t, strings.HasPrefix(b.String(), "FAIL wrong.yaml:3:5: wrong on purpose\n"), b.String())
	assert.Contains(t, b.String(), "FAIL: 1 passed, 1 failed")
	// In Chinese, every failure too.
	b.Reset()
	require.NoError(t, run.WriteText(&b, yingji.CaseTextOptions{}))
	assert.True(t, strings.HasPrefix(b.String(), "失败 wrong.yaml:3:5: wrong on purpose\n"), b.String())
	for _, zh := range []string{
		"期望响应 II，实际 III",
		"期望由 1.5 重大 (1) 定级，实际 较大，依据 1.5 较大 (1)",
		"期望 1.5 特别重大 (1) 成立，实际不成立（较大，依据 1.5 较大 (1)）",
		"期望 1.5 较大 (1) 不成立，实际成立（较大，依据 1.5 较大 (1)）",
		"期望不属于适用范围，实际属于适用范围",
		"期望 hq 不在 III 级响应的名单上，但它在（参与）",
		"第 1 步（report.received，yjj，wrong.yaml:14:",
		"失败：1 个用例通过，1 个失败",
	} {
		assert.Contains(t, b.String(), zh)
	}
}

func TestReadCaseFileErrors(t *testing.T) {
	_, ds := yingji.ReadCaseFile("bad.yaml", []byte("cases:\n  - name: x\n    grde: 较大\n  - name: y\n    steps:\n      - {at: soon, event: report.received, actor: yjj}\n"))
	require.True(t, ds.HasErrors())
	var got []string
	for _, d := range ds {
		got = append(got, d.Subject.String()+" "+d.Code)
	}
	assert.Equal(t, []string{"bad.yaml:3:5 yaml.unknown-key", "bad.yaml:6:14 cases.invalid"}, got)
}

func TestCaseRunJSONRoundTrip(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	run, err := p.RunCases(context.Background(), readCases(t, "examples/cases/changji-2025-smoke.yaml"))
	require.NoError(t, err)
	var a bytes.Buffer
	require.NoError(t, run.WriteJSON(&a))
	assert.False(t, strings.Contains(a.String(), "null"), "empty lists are [], not null")
	var back yingji.CaseRun
	require.NoError(t, json.Unmarshal(a.Bytes(), &back))
	var b bytes.Buffer
	require.NoError(t, back.WriteJSON(&b))
	assert.JSONEq(t, a.String(), b.String())
}
