package grading_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/grading"
)

// FuzzCompile compiles grading.yaml as written and, when it compiles,
// grades incidents at the least, a middling and the greatest figures: no
// panic, every diagnostic inside the file, and every Classify either a
// grade or an *EvalError. Its seeds (testdata/fuzz/FuzzCompile) are small
// files, one per hostile rule file of issue 15, so it runs at thousands
// of executions a second.
func FuzzCompile(f *testing.F) {
	for _, src := range []string{
		exprPlan(`deaths >= 3`),
		exprPlan(`now().Year() > 2000`),
		exprPlan(`len(repeat(repeat("a",99999),1000000)) > 0`),
		exprPlan(`len(1..100000000) > 0`),
		exprPlan(`len(1..int(deaths)) > 0`),
		"inputs: [{id: deaths, type: count, unit: 人}]\nlevels: [{id: a, name: A, criteria: [{clause: x, when: {deaths: 3 人以上}}]}, {id: b, name: B, baseline: true}]\n",
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, ds := grading.Compile("grading.yaml", []byte(src))
		lines := strings.Count(src, "\n") + 1
		for _, d := range ds {
			if d.Subject.Filename != "grading.yaml" {
				continue
			}
			require.GreaterOrEqual(t, d.Subject.Start.Line, 1, "%v", d)
			require.LessOrEqual(t, d.Subject.Start.Line, lines, "%v", d)
			require.LessOrEqual(t, d.Subject.Start.Byte, len(src), "%v", d)
		}
		if r == nil {
			require.True(t, ds.HasErrors())
			return
		}
		for _, x := range []float64{0, 12345, 1e15} {
			inc := r.NewIncident()
			for _, in := range r.Inputs() {
				switch in.Type {
				case grading.Count, grading.Amount:
					require.NoError(t, inc.Set(in.ID, x))
				case grading.Bool:
					require.NoError(t, inc.Set(in.ID, x > 0))
				case grading.Enum:
					require.NoError(t, inc.Set(in.ID, in.Values[min(int(x), len(in.Values)-1)].ID))
				}
			}
			if _, err := r.Classify(context.Background(), inc); err != nil {
				require.True(t, errors.Is(err, grading.ErrEval), "%v", err)
			}
		}
	})
}
