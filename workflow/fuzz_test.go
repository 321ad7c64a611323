package workflow_test

import (
	"testing"
	"time"

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

// FuzzCompile: no input panics the compiler or the first events applied
// to what it compiles, and every finding is a diagnostic with a valid
// range. The seeds in testdata/fuzz/FuzzCompile are small (a few hundred
// bytes, one feature each), so that the fuzzer spends its time mutating
// rather than minimising a large file.
func FuzzCompile(f *testing.F) {
	national, err := yingji.Embedded("national-493")
	require.NoError(f, err)
	t0, err := workflow.ParseTime("2025-10-15T09:00:00+06:00")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, src []byte) {
		def, ds := workflow.Compile("workflow.yaml", src, national.Grading, workflow.WithActors(syntheticDir))
		validRanges(t, "workflow.yaml", ds)
		if def == nil {
			return
		}
		_ = def.Mermaid()
		_ = def.DOT()
		inst := def.Start("fuzz")
		for i, e := range def.Events() {
			if i == 4 {
				break
			}
			at := t0.Add(time.Duration(i) * time.Hour)
			next, _, err := def.Apply(t.Context(), inst, workflow.Event{ID: e.ID, Type: e.ID, Actor: "chief", OccurredAt: at, RecordedAt: at})
			if err == nil {
				inst = next
			}
			_ = workflow.Due(inst, at.Add(time.Hour).Time())
		}
	})
}
