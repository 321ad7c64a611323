package analysis_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
)

func TestCleanSyntheticPlanHasNoFindings(t *testing.T) {
	p := loadSynth(t, synthInputs+cleanLevels, "")
	assert.Empty(t, analysis.LintRules(p.Grading))
	assert.Empty(t, p.Lint())

	// The same rules written as expressions are analysed the same way.
	exprLevels := strings.NewReplacer(
		"            - deathsAndMissing: 3 人以上、10 人以下\n", "            - expr: deaths + missing >= 3 && deaths + missing < 10\n",
		"        when: {crosses: county}", `        when: {expr: 'atLeast(crosses, "county")'}`,
	).Replace(cleanLevels)
	require.NotEqual(t, cleanLevels, exprLevels)
	p = loadSynth(t, synthInputs+exprLevels, "")
	require.False(t, p.Grading.Native())
	assert.Empty(t, p.Lint())
}

// Each kind of finding on a synthetic plan built to have it, and nothing
// else. The clause in the case name is the synthetic plan's.
func TestEachFindingKind(t *testing.T) {
	tests := []struct {
		name    string
		from    string // cleanLevels text to replace (must occur once)
		to      string
		scope   string // appended to grading.yaml
		inputs  string // replaces synthInputs when set
		want    []brief
		wantEx  string // the first finding's example incident
		wantSev diag.Severity
	}{{
		name: "gap: S 较大 (1) starting at 5 leaves deaths 3–4 to no level",
		from: "- deathsAndMissing: 3 人以上、10 人以下", to: "- deathsAndMissing: 5 人以上、10 人以下",
		want:   []brief{{analysis.CodeGap, "deaths", "3–4 人", "S 一般 (1)"}, {analysis.CodeGap, "missing", "3–4 人", "S 一般 (1)"}},
		wantEx: `{"deaths": 3, "missing": 0}`, wantSev: diag.Warning,
	}, {
		name: "gap: an expression S 较大 (1) starting at 5 leaves deaths 3–4 to no level",
		from: "- deathsAndMissing: 3 人以上、10 人以下", to: "- expr: deaths + missing >= 5 && deaths + missing < 10",
		want:   []brief{{analysis.CodeGap, "deaths", "3–4 人", "S 一般 (1)"}, {analysis.CodeGap, "missing", "3–4 人", "S 一般 (1)"}},
		wantEx: `{"deaths": 3, "missing": 0}`, wantSev: diag.Warning,
	}, {
		name: "overlap: S 重大 (1) loss from 3000万 reaches into S 较大 (1)'s 1000万–5000万",
		from: "- loss: 5000 万元以上", to: "- loss: 3000 万元以上",
		want:   []brief{{analysis.CodeOverlap, "loss", "[3000万, 5000万) 元", "S 较大 (1)"}},
		wantEx: `{"loss": 30000000}`, wantSev: diag.Warning,
	}, {
		name:   "shadowed: S 较大 (1) deaths 15–19 lies inside S 重大 (1)'s 10 and more",
		from:   "            - loss: 1000 万元以上、5000 万元以下\n",
		to:     "            - loss: 1000 万元以上、5000 万元以下\n            - deaths: 15 人以上、20 人以下\n",
		want:   []brief{{analysis.CodeShadowed, "deaths", "15–19 人", "S 较大 (1)"}},
		wantEx: `{"deaths": 15, "missing": 0}`, wantSev: diag.Warning,
	}, {
		name:    "unsatisfiable: S 较大 (3) needs deaths both 5 or more and below 3",
		from:    "        when: {crosses: county}\n",
		to:      "        when: {crosses: county}\n      - clause: \"S 较大 (3)\"\n        when: {all: [{deaths: 5 人以上}, {deaths: 3 人以下}]}\n",
		want:    []brief{{analysis.CodeUnsatisfiable, "", "", "S 较大 (3)"}},
		wantSev: diag.Warning,
	}, {
		name: "unreachable: S 甲 repeats S 重大 (1), so no incident is 甲",
		from: "  - id: relatively-serious\n",
		to: "  - id: extra\n    name: 甲\n    clause: \"S 甲\"\n    criteria:\n      - clause: \"S 甲 (1)\"\n        when: {deathsAndMissing: 10 人以上}\n" +
			"  - id: relatively-serious\n",
		want: []brief{{analysis.CodeShadowed, "", "", "S 甲 (1)"}, {analysis.CodeUnreachable, "", "", "S 甲"}},
	}, {
		name:   "shadowed: S 一般 (1) naming deaths + missing 10–19 again lies inside S 重大 (1)'s 10 and more",
		from:   "            - deathsAndMissing: 3 人以下\n",
		to:     "            - deathsAndMissing: 3 人以下\n            - deathsAndMissing: 10 人以上、20 人以下\n",
		want:   []brief{{analysis.CodeShadowed, "", "", "S 一般 (1)"}},
		wantEx: `{"deaths": 10, "missing": 0}`, wantSev: diag.Warning,
	}, {
		name:  "scope: S (1) puts deaths in scope from 5, S (3) from 较大's 3",
		scope: "scope:\n  clause: S\n  criteria:\n    - clause: \"S (1)\"\n      when: {deathsAndMissing: 5 人以上}\n    - clause: \"S (3)\"\n      grades: [relatively-serious]\n",
		want: []brief{
			{analysis.CodeScope, "deaths", "3–4 人", "S (1)"}, {analysis.CodeScope, "missing", "3–4 人", "S (1)"},
		},
		wantEx: `{"deaths": 3, "missing": 0}`, wantSev: diag.Warning,
	}, {
		name:   "unused-input: injured is declared and read by no criterion",
		inputs: strings.Replace(synthInputs, "quantities:", "  - {id: injured, type: count, label: 受伤, unit: 人, clause: \"S\"}\nquantities:", 1),
		want:   []brief{{analysis.CodeUnusedInput, "injured", "any value", "S"}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			levels := cleanLevels
			if tc.from != "" {
				require.Equal(t, 1, strings.Count(levels, tc.from), "the edit must apply once")
				levels = strings.Replace(levels, tc.from, tc.to, 1)
			}
			inputs := synthInputs
			if tc.inputs != "" {
				inputs = tc.inputs
			}
			p := loadSynth(t, inputs+levels+tc.scope, "")
			fs := analysis.LintRules(p.Grading)
			assert.ElementsMatch(t, tc.want, briefs(fs))
			if len(fs) == 0 {
				return
			}
			if tc.wantSev != 0 {
				assert.Equal(t, tc.wantSev, fs[0].Severity)
			}
			if tc.wantEx != "" {
				assert.Equal(t, tc.wantEx, fs[0].Example.String())
				require.NotNil(t, fs[0].Outcome)
			}
			for _, f := range fs {
				assert.False(t, f.Subject.IsZero(), "%s is positioned", f.Summary)
				assert.Equal(t, "grading.yaml", f.Subject.Filename)
				assert.NotEmpty(t, f.Path)
				assert.NotEmpty(t, f.Detail, "%s says why", f.Summary)
				assert.NotEmpty(t, f.Fix, "%s says how to fix it", f.Summary)
				assert.NotContains(t, f.Detail, f.Fix, "the fix is not repeated in the detail")
				assert.NotEmpty(t, f.Params)
			}
		})
	}
}

func TestOrderAndMonotone(t *testing.T) {
	t.Run("non-monotone: S 一般 (1) naming deaths 10–19 below S 重大 (1)'s 20 and more", func(t *testing.T) {
		levels := strings.NewReplacer(
			"            - deathsAndMissing: 10 人以上\n", "            - deathsAndMissing: 20 人以上\n",
			"            - deathsAndMissing: 3 人以下\n", "            - deathsAndMissing: 3 人以下\n            - deathsAndMissing: 10 人以上、20 人以下\n",
		).Replace(cleanLevels)
		p := loadSynth(t, synthInputs+levels, "")
		fs := analysis.LintRules(p.Grading)
		assert.ElementsMatch(t, []brief{
			{analysis.CodeNonMonotone, "deaths", "10–19 人", "S 较大 (1)"},
			{analysis.CodeNonMonotone, "missing", "10–19 人", "S 较大 (1)"},
		}, briefs(fs))
		f := fs[0]
		assert.Equal(t, diag.Error, f.Severity)
		// 较大 is "3 人以上、10 人以下": the whole of 3–9, not its last cell.
		assert.Contains(t, f.Summary, "10–19 人 is 一般, though 3–9 人 is 较大")
		assert.Equal(t, `{"deaths": 10, "missing": 0}`, f.Example.String())
		assert.Equal(t, "general", f.Outcome.Level)
	})
	t.Run("non-monotone: S 一般 (1) naming a loss of 5000万–8000万 below S 重大 (1)'s 8000万", func(t *testing.T) {
		levels := strings.NewReplacer(
			"            - loss: 5000 万元以上\n", "            - loss: 8000 万元以上\n",
			"            - loss: 1000 万元以下\n", "            - loss: 1000 万元以下\n            - loss: 5000 万元以上、8000 万元以下\n",
		).Replace(cleanLevels)
		p := loadSynth(t, synthInputs+levels, "")
		fs := byCode(analysis.LintRules(p.Grading), analysis.CodeNonMonotone)
		require.Len(t, fs, 1)
		// 较大 (1) is "1000 万元以上、5000 万元以下": [1000万, 5000万), both ends as the plan has them.
		assert.Equal(t, "more loss gives a lower grade: [5000万, 8000万) 元 is 一般, though [1000万, 5000万) 元 is 较大", fs[0].Summary)
		require.Len(t, fs[0].Ranges, 2)
		assert.Equal(t, 10000000.0, *fs[0].Ranges[1].Lo)
		assert.True(t, fs[0].Ranges[1].LoInclusive)
		assert.Equal(t, 50000000.0, *fs[0].Ranges[1].Hi)
		assert.False(t, fs[0].Ranges[1].HiInclusive)
	})
	t.Run("threshold-order: S 重大 (1) names deaths from 3, S 较大 (1) from 10", func(t *testing.T) {
		levels := strings.NewReplacer(
			"            - deathsAndMissing: 10 人以上\n", "            - deathsAndMissing: 3 人以上、10 人以下\n",
			"            - deathsAndMissing: 3 人以上、10 人以下\n", "            - deathsAndMissing: 10 人以上\n",
		).Replace(cleanLevels)
		p := loadSynth(t, synthInputs+levels, "")
		fs := analysis.LintRules(p.Grading)
		got := briefs(byCode(fs, analysis.CodeThresholdOrder))
		assert.ElementsMatch(t, []brief{
			{analysis.CodeThresholdOrder, "deaths", "3–9 人", "S 重大 (1)"},
			{analysis.CodeThresholdOrder, "missing", "3–9 人", "S 重大 (1)"},
		}, got)
		assert.Contains(t, byCode(fs, analysis.CodeThresholdOrder)[0].Summary, "S 重大 (1) (重大) names 3–9 人, below S 较大 (1) (较大), which names ≥ 10 人")
		// More deaths then gives a lower grade: 10 and more is 较大, 3–9 重大.
		assert.ElementsMatch(t, []brief{
			{analysis.CodeNonMonotone, "deaths", "≥ 10 人", "S 重大 (1)"},
			{analysis.CodeNonMonotone, "missing", "≥ 10 人", "S 重大 (1)"},
		}, briefs(byCode(fs, analysis.CodeNonMonotone)))
		assert.Len(t, fs, 4)
	})
}

// The findings of the Changji plan, typed from the text (1.3, 1.5, 附件
// 8.3) and DESIGN's known problems; nothing else may be reported.
func TestChangjiFindings(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	fs := analysis.LintRules(p.Grading)
	want := []brief{
		// 1.5 一般 (1) "10 人以下重伤", 较大 (1) "30 人以上、50 人以下中毒（重伤）".
		{analysis.CodeGap, "seriousInjuries", "10–29 人", "1.5 一般 (1)"},
		// 一般 has no 危及 criterion; 重大 (1) starts at "危及 10 人以上".
		{analysis.CodeGap, "endangered", "1–9 人", "1.5 一般"},
		// 一般 has no 转移 criterion; 较大 (2) starts at "1000 人以上".
		{analysis.CodeGap, "evacuated", "1–999 人", "1.5 一般"},
		// 较大 (1) "危及 10 人以上、30 人以下" repeats 重大 (1).
		{analysis.CodeShadowed, "endangered", "10–29 人", "1.5 较大 (1)"},
		// 重大 (3) "5 万人以上" has no upper bound; 特别重大 (2) "10 万人以上".
		{analysis.CodeOverlap, "evacuated", "≥ 10万 人", "1.5 重大 (3)"},
		// 1.3 (1): 危及 3, 中毒 10, 转移 1 万; 1.5 较大: 危及 10 (via 重大), 中毒 30, 转移 1000.
		{analysis.CodeScope, "endangered", "3–9 人", "1.3 (1)"},
		{analysis.CodeScope, "seriousInjuries", "10–29 人", "1.3 (1)"},
		{analysis.CodeScope, "evacuated", "1000–9999 人", "1.3 (1)"},
	}
	assert.ElementsMatch(t, want, briefs(fs))

	shadow := byCode(fs, analysis.CodeShadowed)[0]
	assert.Equal(t, []string{"relatively-serious", "serious"}, shadow.Levels)
	assert.Equal(t, []string{"1.5 较大 (1)", "1.5 重大 (1)"}, shadow.Criteria)
	assert.Contains(t, shadow.Summary, "endangered: 10 人以上、30 人以下")
	assert.Equal(t, "levels[2].criteria[0].when.any[1].endangered", shadow.Path)
	assert.Equal(t, `{"endangered": 10}`, shadow.Example.String())
	assert.Equal(t, "serious", shadow.Outcome.Level)

	gap := byCode(fs, analysis.CodeGap)
	for _, g := range gap {
		if g.Input == "seriousInjuries" {
			assert.Equal(t, `{"seriousInjuries": 10}`, g.Example.String())
			assert.Equal(t, "general", g.Outcome.Level)
			assert.True(t, g.Outcome.Baseline, "10 重伤 is 一般 only as the baseline")
			assert.Contains(t, g.Detail, "1.5 较大 (1)")
		}
	}
}

// Every finding's example carries the outcome Classify gives it: the lint
// asks the grading package, and keeps no evaluator of its own.
func TestFindingOutcomesComeFromTheEngine(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	for _, f := range analysis.LintRules(p.Grading) {
		if f.Example == nil {
			continue
		}
		o, err := analysis.Classify(context.Background(), p.Grading, f.Example)
		require.NoError(t, err)
		assert.Equal(t, o, *f.Outcome, f.Summary)
	}
}

// S 较大 (1) written all: where the text means any: ("出现下列情况之一"):
// deaths 3–9 alone, and a loss of 1000万–5000万 alone, are named by no
// level; the gaps say the all: would name them.
func TestGapNamesTheAllThatWouldNameIt(t *testing.T) {
	levels := strings.Replace(cleanLevels, "      - clause: \"S 较大 (1)\"\n        when:\n          any:\n", "      - clause: \"S 较大 (1)\"\n        when:\n          all:\n", 1)
	require.NotEqual(t, cleanLevels, levels)
	p := loadSynth(t, synthInputs+levels, "")
	gaps := byCode(analysis.LintRules(p.Grading), analysis.CodeGap)
	require.NotEmpty(t, gaps)
	var ranges []string
	for _, g := range gaps {
		ranges = append(ranges, g.Input+" "+g.Range)
		assert.Contains(t, g.Detail, "S 较大 (1)'s all: (grading.yaml:", g.Summary)
		assert.Contains(t, g.Detail, "if any one of them is meant, write any:", g.Summary)
	}
	assert.Contains(t, ranges, "deaths 3–9 人")
	assert.Contains(t, ranges, "loss [1000万, 5000万) 元")
}
