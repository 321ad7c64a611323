package analysis_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

// ReadCases reads files people edit: no input may panic it, and what it
// reads writes back to something it reads the same.
func FuzzReadCases(f *testing.F) {
	f.Add([]byte("plan: p\ncases:\n  - name: a\n    incident: {deaths: 9, missing: 0}\n    level: general\n    inScope: true\n"))
	f.Add([]byte(`{"cases": [{"name": "a", "incident": {"directLoss": 9999999.5, "crosses": "county"}, "level": "x"}]}`))
	f.Add([]byte("cases: [{name: a, incident: [1, 2]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := analysis.ReadCases(data)
		if err != nil {
			return
		}
		var b strings.Builder
		if err := set.WriteYAML(&b); err != nil {
			return // a value YAML cannot hold, such as a NaN
		}
		back, err := analysis.ReadCases([]byte(b.String()))
		require.NoError(t, err, b.String())
		assert.Equal(t, len(set.Cases), len(back.Cases))
	})
}

// Any thresholds a drafter writes are linted without a panic, and every
// finding about the rules is positioned in grading.yaml.
func FuzzLintThresholds(f *testing.F) {
	f.Add(uint16(3), uint16(10), uint16(30), uint16(10))
	f.Add(uint16(5), uint16(5), uint16(6), uint16(0))
	f.Add(uint16(0), uint16(1), uint16(65535), uint16(65535))
	f.Fuzz(func(t *testing.T, a, b, c, d uint16) {
		grading := fmt.Sprintf(`inputs:
  - {id: deaths, type: count, unit: 人}
  - {id: missing, type: count, unit: 人}
quantities:
  - {id: dm, expr: deaths + missing}
levels:
  - id: top
    name: 特别重大
    criteria:
      - {clause: "F (1)", when: {any: [{dm: "[%d, +∞)"}, {expr: "missing >= %d"}]}}
  - id: mid
    name: 较大
    criteria:
      - {clause: "F (2)", when: {deaths: "[%d, %d]"}}
  - id: low
    name: 一般
    baseline: true
    criteria:
      - {clause: "F (3)", when: {all: [{dm: "[0, %d]"}, {deaths: "[0, %d]"}]}}
`, c, d, min(a, b), max(a, b), a, c)
		p, err := yingji.Load(fstestPlan(grading))
		if err != nil {
			return
		}
		for _, fd := range analysis.LintRules(p.Grading) {
			require.Equal(t, "grading.yaml", fd.Subject.Filename, fd.Summary)
			require.Positive(t, fd.Subject.Start.Line, fd.Summary)
		}
	})
}

func TestLintDiffCasesConcurrently(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	n, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	want := analysis.LintRules(p.Grading)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			assert.Equal(t, want, analysis.LintRules(p.Grading))
			_, err := analysis.Diff(p.Grading, n.Grading)
			assert.NoError(t, err)
			_, err = analysis.BoundaryCases(p.Grading)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
}

// A derived quantity that is not a plain sum is evaluated with expr; the
// clean synthetic plan stays clean.
func TestDerivedExpressionQuantity(t *testing.T) {
	inputs := strings.Replace(synthInputs, "expr: deaths + missing", "unit: 人, expr: deaths + 1 * missing", 1)
	require.NotEqual(t, synthInputs, inputs)
	p := loadSynth(t, inputs+cleanLevels, "")
	assert.Empty(t, analysis.LintRules(p.Grading))
	levels := strings.Replace(cleanLevels, "- deathsAndMissing: 3 人以上、10 人以下", "- deathsAndMissing: 5 人以上、10 人以下", 1)
	p = loadSynth(t, inputs+levels, "")
	assert.Equal(t, []brief{{analysis.CodeGap, "deaths", "3–4 人", "S 一般 (1)"}, {analysis.CodeGap, "missing", "3–4 人", "S 一般 (1)"}},
		briefs(analysis.LintRules(p.Grading)))
}
