package yingji_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
)

// lintPlan is a small plan with an index of rule-bearing clauses; its
// grading names every range of deaths once.
func lintPlan(planExtra string) fstest.MapFS {
	return fstest.MapFS{
		"plan.yaml": {Data: []byte(`id: synthetic
title: 合成预案
boundaries: {above: inclusive, below: exclusive}
files: {grading: grading.yaml}
` + planExtra)},
		"grading.yaml": {Data: []byte(`inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人, clause: "S"}
levels:
  - id: serious
    name: 重大
    clause: "S 重大"
    criteria:
      - {clause: "S 重大 (1)", when: {deaths: 3 人以上}}
  - id: general
    name: 一般
    clause: "S 一般"
    baseline: true
    criteria:
      - clause: "S 一般 (1)"
        when: {deaths: 3 人以下}
        interpretation: 3 人以下 read as 0–2.
`)},
	}
}

func TestPlanLintCleanPlanIsEmpty(t *testing.T) {
	p, err := yingji.Load(lintPlan(""))
	require.NoError(t, err)
	ds := p.Lint()
	require.NotNil(t, ds, "a clean plan lints to an empty list, not nil")
	// The one finding is the interpretation note.
	require.Len(t, ds, 1)
	assert.Equal(t, diag.CodeInterpretation, ds[0].Code)
	assert.Equal(t, diag.Info, ds[0].Severity)
	assert.Equal(t, "S 一般 (1)", ds[0].Clause)

	p, err = yingji.Embedded("national-493")
	require.NoError(t, err)
	// Decree 493 is clean: its reporting chain (第九条至第十三条) records the
	// readings it takes as interpretation notes, and its grading has none.
	for _, d := range p.Lint() {
		assert.Equal(t, diag.CodeInterpretation, d.Code, "%s", d)
		assert.NotEqual(t, "grading.yaml", d.Subject.Filename, "%s", d)
	}
}

func TestPlanLintUncitedClauses(t *testing.T) {
	index := `principles:
  - {clause: "S (1)", title: 以人为本}
clauses:
  - {clause: "S 重大 (1)", file: grading}
  - {clause: "S (1)", file: plan}
  - {clause: "S (2)", what: 未引用的条款, file: plan}
  - {clause: "S 一般", file: grading}
  - {clause: "S 丙 (1)", file: grading}
  - {clause: "S 2.1", file: orgchart}
`
	p, err := yingji.Load(lintPlan(index))
	require.NoError(t, err)
	var got []string
	for _, d := range p.Lint() {
		if d.Subject.Filename == "plan.yaml" {
			got = append(got, d.Code+" "+d.Clause)
		}
	}
	// "S 一般" is cited by the level; the plan has no orgchart, so its row
	// is not checked, with one note saying so.
	assert.ElementsMatch(t, []string{
		analysis.CodeUncitedClause + " S (2)", analysis.CodeUncitedClause + " S 丙 (1)", analysis.CodeIncomplete + " ",
	}, got)
}

func TestPlanLintChangji(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	ds := p.Lint()
	assert.False(t, ds.HasErrors())

	t.Run("load warnings and grading findings are included, and the list is sorted", func(t *testing.T) {
		for _, w := range p.Warnings {
			assert.Contains(t, ds, w)
		}
		// Two gaps start at 1.5 一般 (endangered 1–9, evacuated 1–999):
		// findings at one position are distinct findings.
		for _, f := range analysis.LintRules(p.Grading) {
			assert.Contains(t, ds, f.Diagnostic)
		}
		sorted := append(diag.Diagnostics(nil), ds...)
		sorted.Sort()
		assert.Equal(t, sorted, ds)
	})

	t.Run("every interpretation note of every file is listed exactly once", func(t *testing.T) {
		// Count the notes in the files themselves.
		want := map[string]int{}
		for _, name := range []string{"plan.yaml", "grading.yaml", "orgchart.yaml", "contacts.yaml", "workflow.yaml"} {
			src, err := os.ReadFile("plans/changji-2025/" + name)
			require.NoError(t, err)
			for _, line := range strings.Split(string(src), "\n") {
				if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && strings.TrimPrefix(k, "- ") == "interpretation" && strings.TrimSpace(v) != "" {
					want[name]++
				}
			}
		}
		got := map[string]int{}
		at := map[diag.Range]int{}
		for _, d := range ds {
			if d.Code == diag.CodeInterpretation {
				got[d.Subject.Filename]++
				at[d.Subject]++
			}
		}
		assert.Equal(t, want, got)
		for r, n := range at {
			assert.Equal(t, 1, n, "notes at %s", r)
		}
		// 1.5 较大 (1), which repeats 重大's 危及 range, carries a note.
		assert.Contains(t, clausesOf(ds), "1.5 较大 (1)")
	})

	t.Run("every row of the clause index is cited by some item", func(t *testing.T) {
		// plan.yaml's boundaries cite "1.5 末句; 附件 8.3 备注", the row
		// 1.5 末句 of its own index.
		for _, d := range ds {
			assert.NotEqual(t, analysis.CodeUncitedClause, d.Code, d.Summary)
		}
	})

	t.Run("the CI smoke test's lines are rendered", func(t *testing.T) {
		rendered := diag.RenderString(ds, p.Sources)
		assert.Contains(t, rendered, "seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion")
		assert.Contains(t, rendered, "clause: 1.5 较大 (1)")
	})
}

func clausesOf(ds diag.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Clause)
	}
	return out
}
