package grading_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

func TestErrorsReportProblems(t *testing.T) {
	r := clRules(t, "changji-2025")

	t.Run("every bad field of an incident", func(t *testing.T) {
		_, err := r.ParseIncident([]byte(`{"deaths":-1,"death":3,"crosses":"Ⅲ"}`))
		require.Error(t, err)
		ps := diag.ProblemsOf(err)
		got := map[string]string{}
		for _, p := range ps {
			got[p.Field] = p.Code
		}
		assert.Equal(t, map[string]string{
			"deaths":  grading.CodeInputNegative,
			"death":   grading.CodeInputUnknownField,
			"crosses": grading.CodeInputEnumUnknown,
		}, got)
	})
	t.Run("a grade as written", func(t *testing.T) {
		_, err := r.ParseLevel("Ⅴ级")
		ps := diag.ProblemsOf(err)
		require.Len(t, ps, 1)
		assert.Equal(t, grading.CodeLevelUnknown, ps[0].Code)
		assert.Equal(t, "level", ps[0].Field)
		assert.Equal(t, "Ⅴ级", ps[0].Params["value"])
		assert.Contains(t, ps[0].Params["valid"], "especially-serious (特别重大, response I)")
	})
	t.Run("a threshold", func(t *testing.T) {
		_, err := grading.ParseThreshold("30 人以内", grading.Convention{AboveInclusive: true}, "人")
		require.NotNil(t, err)
		ps := diag.ProblemsOf(err)
		require.Len(t, ps, 1)
		assert.Equal(t, grading.CodeThreshold, ps[0].Code)
		assert.Equal(t, "30 人以内", ps[0].Params["text"])
		assert.NotEmpty(t, ps[0].Params["fix"])
	})
	t.Run("an amount", func(t *testing.T) {
		_, err := grading.ParseAmount("五千万")
		ps := diag.ProblemsOf(err)
		require.Len(t, ps, 1)
		assert.Equal(t, grading.CodeInputBadAmount, ps[0].Code)
	})
}
