package grading_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/grading"
)

// Issue 15, hostile incidents: each reproducer of the issue, exactly, on
// the Changji plan. Grades are the text's (1.5, 以上含本数，以下不含本数).

// inputProblem is one expected problem of a refused incident.
type inputProblem struct{ code, field string }

// refused parses line and checks that it is refused with exactly want.
func refused(t *testing.T, r *grading.Rules, line string, want ...inputProblem) grading.InputErrors {
	t.Helper()
	inc, err := r.ParseIncident([]byte(line))
	require.Error(t, err, "parsed as %v", inc)
	assert.True(t, errors.Is(err, grading.ErrBadInput))
	var es grading.InputErrors
	require.True(t, errors.As(err, &es), "%T", err)
	got := make([]inputProblem, len(es))
	for i, e := range es {
		got[i] = inputProblem{e.Code, e.Field}
	}
	assert.Equal(t, want, got, "%v", err)
	return es
}

// grade parses line and grades it.
func grade(t *testing.T, r *grading.Rules, line string) grading.Result {
	t.Helper()
	inc, err := r.ParseIncident([]byte(line))
	require.NoError(t, err, line)
	res, err := r.Classify(context.Background(), inc)
	require.NoError(t, err)
	return res
}

func levelOf(res grading.Result) string {
	l, _ := res.Level()
	return l.ID
}

// TestExactNumbers: issue 15 case 4. 2.9999999999999999 deaths graded 较大
// as 3, and "4999.99999999999999万" graded 重大 as 5000万: float64 rounding
// moved both across a threshold. A count is now a whole number exactly as
// written or refused, and an amount is read exactly and rounded toward
// zero, never up across a threshold.
func TestExactNumbers(t *testing.T) {
	r := clRules(t, "changji-2025")

	t.Run("2.9999999999999999 deaths is not a whole number (was 较大 as 3)", func(t *testing.T) {
		refused(t, r, `{"deaths":2.9999999999999999}`, inputProblem{grading.CodeInputNotWhole, "deaths"})
	})
	t.Run("4999.99999999999999万 is under 5000万: 较大 (1), not 重大 (was 重大)", func(t *testing.T) {
		// 1.5 较大 (1): 1000 万元以上 5000 万元以下直接经济损失.
		res := grade(t, r, `{"directLoss":"4999.99999999999999万"}`)
		assert.Equal(t, lvR, levelOf(res))
	})
	t.Run("49999999.999999999 yuan as a number is under 5000万 too", func(t *testing.T) {
		assert.Equal(t, lvR, levelOf(grade(t, r, `{"directLoss":49999999.999999999}`)))
	})
	t.Run("5000万 itself is 重大 (1), 以上含本数", func(t *testing.T) {
		assert.Equal(t, lvS, levelOf(grade(t, r, `{"directLoss":"5000万"}`)))
		assert.Equal(t, lvS, levelOf(grade(t, r, `{"directLoss":50000000.000000000001}`)))
	})
	t.Run("3.0 and 1e2 are whole numbers as written", func(t *testing.T) {
		// 1.5 较大 (1): 3 人以上死亡; 特别重大 (1): 30 人以上.
		assert.Equal(t, lvR, levelOf(grade(t, r, `{"deaths":3.0}`)))
		assert.Equal(t, lvES, levelOf(grade(t, r, `{"deaths":1e2}`)))
	})
	t.Run("1e16 deaths is too large", func(t *testing.T) {
		refused(t, r, `{"deaths":1e16}`, inputProblem{grading.CodeInputTooLarge, "deaths"})
	})
}

// TestNegativeZero: issue 15 case 15. -0 was echoed as "-0"; it is 0.
func TestNegativeZero(t *testing.T) {
	r := clRules(t, "changji-2025")
	for _, line := range []string{`{"deaths":-0}`, `{"deaths":-0.0,"directLoss":-0e3}`} {
		t.Run(line, func(t *testing.T) {
			res := grade(t, r, line)
			assert.Equal(t, lvG, levelOf(res))
			b, err := json.Marshal(res)
			require.NoError(t, err)
			assert.NotContains(t, string(b), "-0")
			inc := res.Incident()
			v, ok := inc.Value("deaths")
			require.True(t, ok)
			out, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Equal(t, "0", string(out))
		})
	}
	inc := r.NewIncident()
	require.NoError(t, inc.Set("directLoss", math.Copysign(0, -1)))
	v, _ := inc.Value("directLoss")
	out, _ := json.Marshal(v)
	assert.Equal(t, "0", string(out))
}
