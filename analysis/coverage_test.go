package analysis_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/analysis"
)

func coverageOf(t *testing.T, facts ...analysis.Facts) analysis.CoverageReport {
	t.Helper()
	p := loadSynth(t, synthInputs+cleanLevels, "")
	c := analysis.NewGradingCoverage(p.Grading)
	for _, f := range facts {
		inc, err := f.Incident(p.Grading)
		require.NoError(t, err)
		require.NoError(t, c.Add(context.Background(), inc))
	}
	return c.Report()
}

// The boundary cases of a rule set exercise all of it.
func TestBoundaryCasesCoverEverything(t *testing.T) {
	p := loadSynth(t, synthInputs+cleanLevels, "")
	cs, err := analysis.BoundaryCases(p.Grading)
	require.NoError(t, err)
	var facts []analysis.Facts
	for _, c := range cs.Cases {
		facts = append(facts, c.Incident)
	}
	r := coverageOf(t, facts...)
	assert.Equal(t, 100.0, r.Percent)
	assert.Equal(t, []string{"criteria", "boundaries"}, []string{r.Categories[0].Name, r.Categories[1].Name})
}

// One incident, deaths 3 (missing 0): it matches S 较大 (1) and sits just
// inside its "3 人以上" and just outside S 一般 (1)'s "3 人以下"; nothing
// else. The synthetic plan has 5 criteria and 10 boundaries: 重大 (1)'s two
// "以上", (2)'s crossing, 较大 (1)'s two ranges (4 ends), (2)'s crossing
// and 一般 (1)'s two "以下" — 20 sides.
func TestCoverageOfOneIncident(t *testing.T) {
	r := coverageOf(t, analysis.Facts{{Input: "deaths", Value: int64(3)}, {Input: "missing", Value: int64(0)}})
	crit, bounds := r.Categories[0], r.Categories[1]
	assert.Equal(t, 5, crit.Total)
	assert.Equal(t, 1, crit.Covered, "S 较大 (1) only: S 一般 (1) holds through deaths + missing 3 nowhere")
	assert.Equal(t, 20, bounds.Total)
	assert.Equal(t, 2, bounds.Covered)
	var missed []string
	for _, it := range bounds.Missed {
		missed = append(missed, it.What)
	}
	assert.Contains(t, missed, `S 较大 (1) deathsAndMissing "3 人以上、10 人以下": no case at 2 人 (just outside)`)
	assert.Contains(t, missed, `S 较大 (1) deathsAndMissing "3 人以上、10 人以下": no case at 9 人 (just inside)`)
	assert.Contains(t, missed, `S 较大 (1) deathsAndMissing "3 人以上、10 人以下": no case at 10 人 (just outside)`)
	assert.NotContains(t, missed, `S 较大 (1) deathsAndMissing "3 人以上、10 人以下": no case at 3 人 (just inside)`)
	assert.NotContains(t, missed, `S 一般 (1) deathsAndMissing "3 人以下": no case at 3 人 (just outside)`)
	var b bytes.Buffer
	require.NoError(t, r.WriteText(&b, "en"))
	assert.Contains(t, b.String(), "Coverage: 12.0% (3 of 25)\n  criteria     20.0%  (1/5)\n  boundaries   10.0%  (2/20)\n")
	assert.Regexp(t, `grading\.yaml:\d+:\d+: boundary: S 较大 \(1\) deathsAndMissing "3 人以上、10 人以下": no case at 2 人 \(just outside\)`, b.String())
	b.Reset()
	require.NoError(t, r.WriteText(&b, "zh"))
	assert.Contains(t, b.String(), "覆盖率：12.0%（25 项中 3 项）\n  标准         20.0%  (1/5)\n  阈值边界     10.0%  (2/20)\n")
	assert.Regexp(t, `grading\.yaml:\d+:\d+: 阈值边界：S 较大 \(1\) deathsAndMissing "3 人以上、10 人以下"：没有用例取 2 人（恰在界外）`, b.String())
}
