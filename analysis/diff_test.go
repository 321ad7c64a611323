package analysis_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

func TestDiffChangjiAgainstDecree493(t *testing.T) {
	a, err := yingji.Embedded("changji-2025")
	require.NoError(t, err)
	b, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	changes, err := analysis.Diff(a.Grading, b.Grading)
	require.NoError(t, err)
	require.NotEmpty(t, changes)

	type row struct{ Input, Range, A, AClause, B, BClause string }
	var got []row
	for _, c := range changes {
		// No region where the two agree is listed.
		assert.NotEqual(t, c.A.Level, c.B.Level, "%s %s", c.Input, c.Range)
		assert.Equal(t, "grade", c.Kind)
		got = append(got, row{c.Input, c.Range, c.A.Level, c.A.Clause, c.B.Level, c.B.Clause})
		// Both sides are what the engine makes of the example.
		for _, side := range []struct {
			plan *yingji.Plan
			s    analysis.Side
		}{{a, c.A}, {b, c.B}} {
			var inc analysis.Facts
			for _, f := range c.Example {
				if _, ok := side.plan.Grading.Input(f.Input); ok {
					inc = append(inc, f)
				}
			}
			o, err := analysis.Classify(context.Background(), side.plan.Grading, inc)
			require.NoError(t, err)
			assert.Equal(t, o, side.s.Outcome)
		}
	}
	// 1.5 一般 (1) "10 人以下重伤" and 较大 (1) "30 人以上" leave 10–29 to the
	// baseline; Decree 493 Art. 3 (三) "10人以上50人以下重伤" makes it 较大.
	assert.Contains(t, got, row{"seriousInjuries", "10–29 人", "general", "", "relatively-serious", "第三条第一款（三）"})
	// 1.5 较大 (1) counts 死亡（含失踪）; Decree 493 has no missing.
	assert.Contains(t, got, row{"missing", "3–9 人", "relatively-serious", "1.5 较大 (1)", "general", "第三条第一款（四）"})
	// Where both count the same thing the same way, nothing is listed.
	for _, c := range changes {
		assert.NotEqual(t, "deaths", c.Input)
		assert.NotEqual(t, "directLoss", c.Input)
	}
	for _, c := range changes {
		if c.Input == "endangered" {
			assert.Contains(t, c.B.Note, "has no input endangered: taken as unknown")
			assert.Empty(t, c.A.Note)
		}
		if c.Input == "seriousInjuries" {
			assert.Equal(t, `{"seriousInjuries": 10}`, c.Example.String())
			assert.True(t, c.A.Baseline)
			text := c.Text("changji-2025", "national-493")
			assert.Contains(t, text, "seriousInjuries (中毒（重伤）人数) 10–29 人: grade differs")
			assert.Contains(t, text, "national-493: 较大 by 第三条第一款（三）")
			assert.Contains(t, text, `example: {"seriousInjuries": 10}`)
		}
	}
}

func TestDiffOfAPlanWithItselfIsEmpty(t *testing.T) {
	for _, id := range yingji.EmbeddedIDs() {
		p, err := yingji.Embedded(id)
		require.NoError(t, err)
		changes, err := analysis.Diff(p.Grading, p.Grading)
		require.NoError(t, err)
		assert.Empty(t, changes, id)
	}
}

func TestDiffOfAnEditedCopy(t *testing.T) {
	orig, err := yingji.Default()
	require.NoError(t, err)
	tests := []struct {
		name      string
		old, new  string
		want      []string // kind input range A → B
		wantClaus string
	}{{
		name: "1.5 较大 (1) 中毒（重伤） from 20 instead of 30",
		old:  "            - seriousInjuries: 30 人以上、50 人以下\n",
		new:  "            - seriousInjuries: 20 人以上、50 人以下\n",
		want: []string{"grade seriousInjuries 20–29 人 general → relatively-serious"},
	}, {
		name: "1.5 重大 (3) bounded at 10 万: nothing changes, 特别重大 wins there anyway",
		old:  "when: {evacuated: 5 万人以上}",
		new:  "when: {evacuated: 5 万人以上、10 万人以下}",
		want: nil,
	}, {
		name: "1.3 (1) 中毒（重伤） from 30: 10–29 leaves the scope",
		old:  "          - seriousInjuries: 10 人以上\n",
		new:  "          - seriousInjuries: 30 人以上\n",
		want: []string{"scope seriousInjuries 10–29 人 general → general"},
	}, {
		name: "1.5 较大 (2) 转移 from 500",
		old:  "when: {evacuated: 1000 人以上、5 万人以下}",
		new:  "when: {evacuated: 500 人以上、5 万人以下}",
		want: []string{"grade evacuated 500–999 人 general → relatively-serious"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := planCopy(t, "changji-2025")
			edit(t, m, "grading.yaml", tc.old, tc.new)
			p, err := yingji.Load(m)
			require.NoError(t, err)
			changes, err := analysis.Diff(orig.Grading, p.Grading)
			require.NoError(t, err)
			var got []string
			for _, c := range changes {
				got = append(got, strings.Join([]string{c.Kind, c.Input, c.Range, c.A.Level, "→", c.B.Level}, " "))
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDiffNotesMissingEnumValues(t *testing.T) {
	a := loadSynth(t, synthInputs+cleanLevels, "")
	inputs := strings.Replace(synthInputs, "values: [{id: none}, {id: county}, {id: prefecture}]", "values: [{id: none}, {id: county}]", 1)
	levels := strings.Replace(cleanLevels, "        when: {crosses: prefecture}\n", "        when: {deathsAndMissing: 100 人以上}\n", 1)
	b := loadSynth(t, inputs+levels, "")
	changes, err := analysis.Diff(a.Grading, b.Grading)
	require.NoError(t, err)
	require.Len(t, changes, 1)
	c := changes[0]
	assert.Equal(t, "crosses", c.Input)
	assert.Equal(t, "prefecture", c.Range)
	assert.Equal(t, "serious", c.A.Level)
	assert.Equal(t, "general", c.B.Level)
	assert.Equal(t, "has no value prefecture of crosses: taken as unknown", c.B.Note)
}
