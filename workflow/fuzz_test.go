package workflow_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

func validRanges(t *testing.T, name string, ds diag.Diagnostics) {
	t.Helper()
	for _, d := range ds {
		require.Equal(t, name, d.Subject.Filename, "%s", d.Error())
		require.GreaterOrEqual(t, d.Subject.Start.Line, 1, "%s", d.Error())
		require.GreaterOrEqual(t, d.Subject.Start.Column, 1, "%s", d.Error())
	}
}

// FuzzCompile: no input panics the compiler, and every finding is a
// diagnostic with a valid range. Seeds are in testdata/fuzz/FuzzCompile.
func FuzzCompile(f *testing.F) {
	national, err := yingji.Embedded("national-493")
	require.NoError(f, err)
	f.Add([]byte(exampleWorkflow))
	f.Fuzz(func(t *testing.T, src []byte) {
		def, ds := workflow.Compile("workflow.yaml", src, national.Grading, workflow.WithActors(syntheticDir))
		validRanges(t, "workflow.yaml", ds)
		if def != nil {
			_ = def.Mermaid()
			_ = def.DOT()
		}
	})
}
