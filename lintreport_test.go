package yingji_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/internal/plantest"
)

// loadError loads m and returns its load error, which the test requires.
func loadError(t *testing.T, m fstest.MapFS) *yingji.LoadError {
	t.Helper()
	_, err := yingji.Load(m)
	var le *yingji.LoadError
	require.True(t, errors.As(err, &le), "want a load error, got %v", err)
	return le
}

// One typo in one file of changji-2025 is one error: the findings that
// only follow from it (the orgchart's industries and localities "missing",
// every actor of workflow.yaml "unknown") are not reported.
func TestOneCauseOneError(t *testing.T) {
	tests := []struct {
		name, file, old, new string
		want                 string // the one error's summary, in part
	}{
		{"plan.yaml: a key misspelt", "plan.yaml", "\ntitle:", "\ntitel:", "titel"},
		{"grading.yaml: 1.3 (3) names a level misspelt", "grading.yaml",
			"grades: [especially-serious, serious, relatively-serious]", "grades: [especially-serious, serious, relatively-serius]", "relatively-serius"},
		{"orgchart.yaml: 2.4 a group's lead misspelt (lead: heath)", "orgchart.yaml", "lead: health", "lead: heath", `"heath"`},
		{"contacts.yaml: 附件 8.5 (2) a listing's unit misspelt", "contacts.yaml", "  - unit: yjj\n", "  - unit: yjjj\n", "yjjj"},
		{"workflow.yaml: 3.2 a task's assignee misspelt", "workflow.yaml", "    assignee: local-emergency-bureau\n    on: [{event: [report.received]", "    assignee: local-emergency-bureaux\n    on: [{event: [report.received]", "local-emergency-bureaux"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := plantest.Copy(t, "changji-2025")
			plantest.Edit(t, m, tc.file, tc.old, tc.new)
			le := loadError(t, m)
			errs := le.Diagnostics.Errors()
			require.Len(t, errs, 1, "%s", errs)
			assert.Equal(t, tc.file, errs[0].Subject.Filename)
			assert.Contains(t, errs[0].Summary, tc.want)
			r := le.Report()
			assert.Equal(t, 1, r.Counts.Errors)
			assert.False(t, r.Loads)
		})
	}
}

// changji-2025 lints to one screen: the counts, the warnings with what
// follows from them folded under them, one line for the interpretations.
func TestLintReportChangji(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	r := p.LintReport()
	assert.True(t, r.Loads)
	assert.Zero(t, r.Counts.Errors)
	assert.Positive(t, r.Counts.Interpretations)
	var b strings.Builder
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{}))
	text := b.String()
	assert.LessOrEqual(t, strings.Count(text, "\n"), 45, text)
	// 1.5 一般 (1) "10 人以下重伤" and 较大 (1) "30 人以上": no level names
	// 10–29, and 1.3 (1)'s "中毒（重伤）10 人以上" puts that very range in
	// scope: the scope finding follows from the gap.
	gap := findItem(t, r.Warnings, "seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion")
	require.Len(t, gap.Related, 1)
	assert.Equal(t, "1.3 (1) puts seriousInjuries (中毒（重伤）人数) 10–29 人 in scope, but it is graded below 较大", gap.Related[0].Summary)
	assert.Equal(t, analysis.RelationFollows, gap.Related[0].Relation)
	assert.Equal(t, "[10, 30)", gap.Ranges[0].Interval)
	// In Chinese by default: the analysis's own sentences and the frame.
	assert.Contains(t, text, "错误 0 项，警告 ")
	assert.Contains(t, text, "seriousInjuries (中毒（重伤）人数) 10–29 人 没有被任何级别的标准涵盖［1.5 一般 (1)］\n      修改建议：")
	assert.Contains(t, text, "↳ grading.yaml:368:30: 1.3 (1) 将 seriousInjuries (中毒（重伤）人数) 10–29 人 纳入适用范围，但其级别低于 较大［1.3 (1)］")
	// The interpretations are counted, not listed; listed, each note once.
	assert.Contains(t, text, "项解释待下次修订时确认或更正")
	assert.NotContains(t, text, "Read as crossing provinces")
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Lang: "en"}))
	assert.Contains(t, b.String(), "seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion [1.5 一般 (1)]\n      fix: ")
	assert.Contains(t, b.String(), "interpretations to confirm or correct in the next revision")
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Interpretations: true}))
	assert.Equal(t, 1, strings.Count(b.String(), "Read as crossing provinces."))

	var items []map[string]any
	b.Reset()
	require.NoError(t, r.WriteJSON(&b))
	require.NoError(t, json.Unmarshal([]byte(b.String()), &items))
	assert.Len(t, items, len(r.Warnings)+len(r.Notes)+len(r.Interpretations))
}

// The broken copy of the issue (2.4 (2)'s lead written "heath"): one error,
// first, and the lint's text still on one screen.
func TestLintReportBrokenChangji(t *testing.T) {
	m := plantest.Copy(t, "changji-2025")
	plantest.Edit(t, m, "orgchart.yaml", "lead: health", "lead: heath")
	r := loadError(t, m).Report()
	require.Len(t, r.Errors, 1)
	assert.Equal(t, `unknown unit or placeholder "heath"`, r.Errors[0].Summary)
	assert.Contains(t, r.Errors[0].Fix, `Did you mean "health"?`)
	var b strings.Builder
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{}))
	assert.True(t, strings.HasPrefix(b.String(), "预案无法加载：错误 1 项，"), b.String())
	assert.LessOrEqual(t, strings.Count(b.String(), "\n"), 45, b.String())
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Lang: "en"}))
	assert.True(t, strings.HasPrefix(b.String(), "the plan does not load: 1 error,"), b.String())
}

func findItem(t *testing.T, items []analysis.Item, summary string) analysis.Item {
	t.Helper()
	for _, it := range items {
		if it.Summary == summary {
			return it
		}
	}
	require.Failf(t, "no such item", "%q", summary)
	return analysis.Item{}
}
