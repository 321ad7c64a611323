package analysis_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
)

func TestReportOfACleanPlanIsAnEmptyArray(t *testing.T) {
	p := loadSynth(t, synthInputs+cleanLevels, "")
	r := p.LintReport()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	assert.Equal(t, "[]\n", b.String())
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{}))
	assert.Equal(t, "synthetic — 合成预案\n错误 0 项，警告 0 项\n", b.String())
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Lang: "en"}))
	assert.Equal(t, "synthetic — 合成预案\n0 errors, 0 warnings\n", b.String())
}

// S 重大 (1) moved from 10 to 12 leaves deaths + missing 10–11 to no level:
// one gap, which the lint sees as five problems on two inputs (the gap on
// missing too, the grade falling there on both, the scope's 5 人以上
// against 较大) and the report shows as one, with the rest under it.
func TestReportFoldsWhatFollowsFromAGap(t *testing.T) {
	levels := strings.Replace(cleanLevels, "            - deathsAndMissing: 10 人以上\n", "            - deathsAndMissing: 12 人以上\n", 1)
	scope := "scope:\n  clause: S\n  criteria:\n    - clause: \"S (1)\"\n      when: {deathsAndMissing: 3 人以上}\n    - clause: \"S (3)\"\n      grades: [serious, relatively-serious]\n"
	p := loadSynth(t, synthInputs+levels+scope, "")
	r := p.LintReport()

	assert.Equal(t, analysis.Counts{Errors: 2, Warnings: 4, Folded: 5}, r.Counts)
	require.Len(t, r.Errors, 1, "the group stands with its most severe finding")
	assert.Empty(t, r.Warnings)
	head := r.Errors[0]
	assert.Equal(t, analysis.CodeGap, head.Code)
	assert.Equal(t, "deaths (死亡) 10–11 人 is named by no level's criterion", head.Summary)
	require.Len(t, head.Ranges, 1)
	assert.Equal(t, "10–11 人", head.Ranges[0].Text)
	assert.Equal(t, "[10, 12)", head.Ranges[0].Interval)
	assert.Equal(t, 10.0, *head.Ranges[0].Lo)
	assert.Equal(t, 12.0, *head.Ranges[0].Hi)
	assert.True(t, head.Ranges[0].LoInclusive)
	assert.False(t, head.Ranges[0].HiInclusive)
	var got []string
	for _, k := range head.Related {
		assert.Equal(t, analysis.RelationFollows, k.Relation)
		got = append(got, k.Code+" "+k.Input+" "+k.Ranges[0].Text)
	}
	assert.ElementsMatch(t, []string{
		"lint.gap missing 10–11 人",
		"lint.non-monotone deaths 10–11 人", "lint.non-monotone missing 10–11 人",
		"lint.scope deaths 10–11 人", "lint.scope missing 10–11 人",
	}, got)

	var b bytes.Buffer
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Lang: "en"}))
	text := b.String()
	assert.Equal(t, 1, strings.Count(text, "\n  grading.yaml"), "one finding on its own line:\n%s", text)
	assert.Equal(t, 5, strings.Count(text, "      ↳ "), text)
	// The grade falling is an error, and says so beside the warning it follows from.
	assert.Contains(t, text, "↳ grading.yaml:")
	assert.Contains(t, text, "error: more deaths gives a lower grade: 10–11 人 is 一般, though 3–9 人 is 较大")
	// The same in Chinese, the default.
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{}))
	text = b.String()
	assert.Equal(t, 5, strings.Count(text, "      ↳ "), text)
	assert.Contains(t, text, "错误：deaths 越多，级别反而越低：10–11 人 为 一般，而 3–9 人 为 较大")
	assert.Contains(t, text, "deaths (死亡) 10–11 人 没有被任何级别的标准涵盖")

	// JSON: the one group, its five findings under "related", each range
	// with its numbers.
	b.Reset()
	require.NoError(t, r.WriteJSON(&b))
	var items []struct {
		Code    string `json:"code"`
		Ranges  []analysis.Bounds
		Related []struct {
			Code     string
			Relation string
			Ranges   []analysis.Bounds
		}
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &items))
	require.Len(t, items, 1)
	assert.Len(t, items[0].Related, 5)
	for _, k := range items[0].Related {
		require.NotEmpty(t, k.Ranges)
		assert.Equal(t, 10.0, *k.Ranges[0].Lo, k.Code)
	}
}

// Errors come before warnings, and within a severity the finding that
// matters most first, whatever the file position.
func TestReportOrder(t *testing.T) {
	ds := diag.Diagnostics{
		{Severity: diag.Warning, Code: analysis.CodeUncitedClause, Summary: "uncited", Subject: diag.Range{Filename: "a.yaml", Start: diag.Pos{Line: 1}}},
		{Severity: diag.Info, Code: diag.CodeInterpretation, Summary: "interpretation: x", Detail: "x, the whole note", Subject: diag.Range{Filename: "a.yaml", Start: diag.Pos{Line: 2}}},
		{Severity: diag.Warning, Code: "orgchart.no-contact", Summary: "no contact", Subject: diag.Range{Filename: "a.yaml", Start: diag.Pos{Line: 3}}},
		{Severity: diag.Error, Code: "yaml.unknown-key", Summary: "unknown key", Subject: diag.Range{Filename: "z.yaml", Start: diag.Pos{Line: 9}}},
	}
	findings := []analysis.Finding{{Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: analysis.CodeGap, Summary: "gap",
		Subject: diag.Range{Filename: "g.yaml", Start: diag.Pos{Line: 99}}}}}
	r := analysis.NewReport("p", "P", false, findings, ds)
	var order []string
	for _, it := range r.Items() {
		order = append(order, it.Summary)
	}
	assert.Equal(t, []string{"unknown key", "gap", "no contact", "uncited", "interpretation: x"}, order)
	assert.Equal(t, analysis.Counts{Errors: 1, Warnings: 3, Interpretations: 1}, r.Counts)
	var b bytes.Buffer
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Lang: "en", Hint: "list them with --interpretations"}))
	assert.Contains(t, b.String(), "the plan does not load: 1 error, 3 warnings, 1 interpretation\n")
	assert.Contains(t, b.String(), "\n1 interpretation to confirm or correct in the next revision (list them with --interpretations).\n")
	assert.NotContains(t, b.String(), "the whole note")
	b.Reset()
	require.NoError(t, r.WriteText(&b, analysis.TextOptions{Interpretations: true}))
	assert.Equal(t, 1, strings.Count(b.String(), "x, the whole note"))
	assert.Contains(t, b.String(), "预案无法加载：错误 1 项，警告 3 项，解释 1 项\n")
	assert.Contains(t, b.String(), "\n解释（1 项）——下次修订时要确认或更正的解读：\n")
}
