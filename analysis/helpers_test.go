package analysis_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/internal/plantest"
)

// synthPlan is plan.yaml of the small synthetic plans; extra is appended.
func synthPlan(extra string) string {
	return `id: synthetic
title: 合成预案
boundaries: {above: inclusive, below: exclusive}
files: {grading: grading.yaml}
` + extra
}

// synthInputs declares the inputs of the synthetic plans.
const synthInputs = `inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人, clause: "S"}
  - {id: missing, type: count, label: 失踪, unit: 人, clause: "S"}
  - {id: loss, type: amount, label: 直接经济损失, unit: 元, clause: "S"}
  - id: crosses
    type: enum
    clause: "S"
    values: [{id: none}, {id: county}, {id: prefecture}]
quantities:
  - {id: deathsAndMissing, label: 死亡（含失踪）, expr: deaths + missing, clause: "S"}
`

// cleanLevels grades like Decree 493 on deaths and missing, loss and
// crossing: every range named once, the least severe level the baseline.
const cleanLevels = `levels:
  - id: serious
    name: 重大
    clause: "S 重大"
    criteria:
      - clause: "S 重大 (1)"
        when:
          any:
            - deathsAndMissing: 10 人以上
            - loss: 5000 万元以上
      - clause: "S 重大 (2)"
        when: {crosses: prefecture}
  - id: relatively-serious
    name: 较大
    clause: "S 较大"
    criteria:
      - clause: "S 较大 (1)"
        when:
          any:
            - deathsAndMissing: 3 人以上、10 人以下
            - loss: 1000 万元以上、5000 万元以下
      - clause: "S 较大 (2)"
        when: {crosses: county}
  - id: general
    name: 一般
    clause: "S 一般"
    baseline: true
    criteria:
      - clause: "S 一般 (1)"
        when:
          any:
            - deathsAndMissing: 3 人以下
            - loss: 1000 万元以下
`

// loadSynth loads a synthetic plan from its grading.yaml (and extra
// plan.yaml keys).
func loadSynth(t testing.TB, grading, planExtra string) *yingji.Plan {
	t.Helper()
	p, err := yingji.Load(fstest.MapFS{
		"plan.yaml":    {Data: []byte(synthPlan(planExtra))},
		"grading.yaml": {Data: []byte(grading)},
	})
	if le := (*yingji.LoadError)(nil); errors.As(err, &le) {
		t.Fatalf("the synthetic plan does not load:\n%s", le.Render())
	}
	require.NoError(t, err)
	return p
}

// fstestPlan is a synthetic plan folder with the given grading.yaml.
func fstestPlan(grading string) fstest.MapFS {
	return fstest.MapFS{
		"plan.yaml":    {Data: []byte(synthPlan(""))},
		"grading.yaml": {Data: []byte(grading)},
	}
}

func planCopy(t testing.TB, id string) fstest.MapFS { return plantest.Copy(t, id) }

func edit(t testing.TB, m fstest.MapFS, name, old, new string) { plantest.Edit(t, m, name, old, new) }

// byCode keeps the findings with one of the codes.
func byCode(fs []analysis.Finding, codes ...string) []analysis.Finding {
	var out []analysis.Finding
	for _, f := range fs {
		for _, c := range codes {
			if f.Code == c {
				out = append(out, f)
			}
		}
	}
	return out
}

// brief is a finding as the tests compare it: code, input, range and clause.
type brief struct {
	Code, Input, Range, Clause string
}

func briefs(fs []analysis.Finding) []brief {
	out := make([]brief, 0, len(fs))
	for _, f := range fs {
		out = append(out, brief{f.Code, f.Input, f.Range, f.Clause})
	}
	return out
}
