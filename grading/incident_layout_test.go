package grading_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/grading"
)

// TestManyInputsAreValues: a plan with more inputs than an Incident holds
// inline keeps the rest apart, copied on write, so an Incident stays a
// value: setting an input on a copy leaves the original as it was, and
// both grade by their own facts.
func TestManyInputsAreValues(t *testing.T) {
	var b strings.Builder
	b.WriteString("inputs:\n")
	for i := range grading.MaxInputs {
		fmt.Fprintf(&b, "  - {id: x%d, type: count, unit: 人}\n", i)
	}
	b.WriteString("  - {id: places, type: list}\n")
	b.WriteString("levels:\n  - id: high\n    name: 高\n    criteria:\n      - {clause: \"a\", when: {x31: 1 人以上}}\n      - {clause: \"b\", when: {x3: 1 人以上}}\n  - {id: low, name: 低, baseline: true}\n")
	r, ds := grading.Compile("grading.yaml", []byte(b.String()))
	require.False(t, ds.HasErrors(), "%v", ds)

	inc := r.NewIncident()
	require.NoError(t, inc.Set("x31", 2))
	require.NoError(t, inc.Set("places", []string{"a"}))
	cp := inc
	require.NoError(t, cp.Set("x31", 0))
	require.NoError(t, cp.Set("places", []string{"b"}))
	cp.Unset("x20")

	v, ok := inc.Value("x31")
	require.True(t, ok)
	assert.Equal(t, 2.0, v)
	assert.Equal(t, []grading.ListValue{{Input: "places", Values: []string{"a"}}}, inc.Lists())
	v, _ = cp.Value("x31")
	assert.Equal(t, 0.0, v)
	assert.Equal(t, []grading.ListValue{{Input: "places", Values: []string{"b"}}}, cp.Lists())

	ctx := context.Background()
	res, err := r.Classify(ctx, inc)
	require.NoError(t, err)
	l, _ := res.Level()
	assert.Equal(t, "high", l.ID)
	res, err = r.Classify(ctx, cp)
	require.NoError(t, err)
	l, _ = res.Level()
	assert.Equal(t, "low", l.ID)

	parsed, err := r.ParseIncident([]byte(`{"x31": 1, "x0": 0, "places": ["c"]}`))
	require.NoError(t, err)
	res, err = r.Classify(ctx, parsed)
	require.NoError(t, err)
	l, _ = res.Level()
	assert.Equal(t, "high", l.ID)
}
