package grading_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/plans"
)

// tinyPlan is a grading.yaml of two levels, written as Decree 493 Art. 3
// (一) and (二) write deaths.
const tinyPlan = `
inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人}
levels:
  - id: serious
    name: 重大
    criteria:
      - clause: 第三条第一款（二）
        when: {deaths: 10人以上}
  - id: general
    name: 一般
    baseline: true
`

func TestCompileFromBytes(t *testing.T) {
	r, ds := grading.Compile("tiny.yaml", []byte(tinyPlan))
	require.False(t, ds.HasErrors(), "%v", ds)
	require.NotNil(t, r)
	// 第三条第二款: "以上" includes the number itself, the default convention.
	inc := r.NewIncident()
	require.NoError(t, inc.Set("deaths", 10))
	res, err := r.Classify(context.Background(), inc)
	require.NoError(t, err)
	l, ok := res.Level()
	require.True(t, ok)
	assert.Equal(t, "serious", l.ID)
	assert.Equal(t, grading.Convention{AboveInclusive: true, BelowInclusive: false}, r.Convention())
}

func TestCompileWithConvention(t *testing.T) {
	// A plan that declared "以上不含本数" would put 10 deaths below 重大.
	r, ds := grading.Compile("tiny.yaml", []byte(tinyPlan), grading.WithConvention(grading.Convention{}))
	require.False(t, ds.HasErrors(), "%v", ds)
	inc := r.NewIncident()
	require.NoError(t, inc.Set("deaths", 10))
	res, err := r.Classify(context.Background(), inc)
	require.NoError(t, err)
	l, _ := res.Level()
	assert.Equal(t, "general", l.ID)
}

func TestCompileEmbeddedPlans(t *testing.T) {
	for _, id := range []string{"changji-2025", "national-493"} {
		t.Run(id, func(t *testing.T) {
			src, err := fs.ReadFile(plans.FS, id+"/grading.yaml")
			require.NoError(t, err)
			r, ds := grading.Compile(id+"/grading.yaml", src)
			require.False(t, ds.HasErrors(), "%v", ds)
			assert.NotEmpty(t, r.Levels())
		})
	}
}

// TestCompileReturnsInterpretations: every interpretation: note of
// grading.yaml comes back once, as an Info diagnostic at the note (the one
// collector is the file's; CONVENTIONS.md).
func TestCompileReturnsInterpretations(t *testing.T) {
	src, err := fs.ReadFile(plans.FS, "changji-2025/grading.yaml")
	require.NoError(t, err)
	r, ds := grading.Compile("grading.yaml", src)
	require.NotNil(t, r, "%v", ds)
	var paths []string
	for _, d := range ds {
		require.Equal(t, diag.Info, d.Severity, "%v", d)
		assert.NotZero(t, d.Subject.Start.Line)
		assert.True(t, strings.HasSuffix(d.Path, "interpretation"), d.Path)
		assert.True(t, strings.HasPrefix(d.Summary, "interpretation: "), d.Summary)
		paths = append(paths, d.Path)
	}
	// 1.5's notes on 中毒（重伤）, deemedNecessaryBy, the I/II authority
	// (written once, shared by 特别重大 and 重大 through a YAML anchor), 特别重大 (4),
	// 重大 (3), 较大 (1), 一般, 一般 (1), and 1.3 (1), (2), (3).
	assert.Len(t, paths, strings.Count(string(src), "interpretation:"))
	assert.Contains(t, paths, "inputs[3].interpretation")
	assert.Contains(t, paths, "scope.criteria[2].interpretation")
}

func TestCompileBadOptions(t *testing.T) {
	cases := []struct {
		name   string
		opt    grading.Option
		option string
		value  string
	}{
		{"MaxNodes 0", grading.MaxNodes(0), "MaxNodes", "0"},
		{"MemoryBudget 0", grading.MemoryBudget(0), "MemoryBudget", "0"},
		{"MaxCriteria 0", grading.MaxCriteria(0), "MaxCriteria", "0"},
		{"MaxCriteria above what a Result holds", grading.MaxCriteria(grading.DefaultMaxCriteria + 1), "MaxCriteria", fmt.Sprint(grading.DefaultMaxCriteria + 1)},
		{"MaxCriteria negative", grading.MaxCriteria(-3), "MaxCriteria", "-3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var r *grading.Rules
			require.NotPanics(t, func() {
				rules, diags := grading.Compile("tiny.yaml", []byte(tinyPlan), tc.opt)
				r = rules
				require.Len(t, diags, 1)
				d := diags[0]
				assert.Equal(t, grading.CodeOption, d.Code)
				assert.Equal(t, map[string]string{"option": tc.option, "value": tc.value}, d.Params)
				assert.NotEmpty(t, d.Fix)
				assert.True(t, strings.HasPrefix(d.Summary, "grading: option "+tc.option), d.Summary)
			})
			assert.Nil(t, r)
		})
	}
}

func TestCompileLimits(t *testing.T) {
	t.Run("MaxCriteria below the plan's count", func(t *testing.T) {
		src, err := fs.ReadFile(plans.FS, "changji-2025/grading.yaml")
		require.NoError(t, err)
		r, ds := grading.Compile("grading.yaml", src, grading.MaxCriteria(5))
		assert.Nil(t, r)
		require.True(t, ds.HasErrors())
		assert.Contains(t, ds.Error(), "too many criteria")
	})
	t.Run("MaxNodes below an expression's size", func(t *testing.T) {
		src := strings.Replace(tinyPlan, "when: {deaths: 10人以上}", `when: {expr: "deaths >= 10 && deaths < 1000"}`, 1)
		r, ds := grading.Compile("tiny.yaml", []byte(src), grading.MaxNodes(3))
		assert.Nil(t, r)
		assert.True(t, ds.HasErrors())
		r, ds = grading.Compile("tiny.yaml", []byte(src), grading.MaxNodes(100))
		assert.NotNil(t, r, "%v", ds)
	})
	t.Run("the front door passes its limits on", func(t *testing.T) {
		codes := func(err error) map[string]string {
			var le *yingji.LoadError
			require.ErrorAs(t, err, &le)
			out := map[string]string{}
			for _, d := range le.Diagnostics.Errors() {
				out[d.Code] = d.Subject.Filename
			}
			return out
		}
		_, err := yingji.Embedded("changji-2025", yingji.MaxCriteria(5))
		assert.Equal(t, "grading.yaml", codes(err)[grading.CodeTooManyCriteria])
		_, err = yingji.Embedded("changji-2025", yingji.MaxCriteria(grading.DefaultMaxCriteria+1))
		assert.Contains(t, codes(err), grading.CodeOption)
		_, err = yingji.Embedded("changji-2025", yingji.MaxNodes(3))
		assert.Equal(t, "grading.yaml", codes(err)[grading.CodeExpr])
	})
	t.Run("a YAML syntax error is a diagnostic", func(t *testing.T) {
		r, ds := grading.Compile("bad.yaml", []byte("inputs: [\n"))
		assert.Nil(t, r)
		require.True(t, ds.HasErrors())
		assert.Equal(t, "bad.yaml", ds[0].Subject.Filename)
	})
}
