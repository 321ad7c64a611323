package grading_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"strconv"
	"strings"
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

// TestDuplicateKeys: issue 15 case 1. {"deaths":40,"deaths":null} graded
// 一般 (the 40 deaths dropped) and {"deaths":1,"deaths":40} 特别重大: the
// last value won without a word, also with an escaped key. A key given
// twice is now an error naming it, whichever decoder reads the line.
func TestDuplicateKeys(t *testing.T) {
	r := clRules(t, "changji-2025")
	for _, line := range []string{
		`{"deaths":40,"deaths":null}`,
		`{"deaths":1,"deaths":40}`,
		`{"deaths":1,"d\u0065aths":40}`,
		`{"d\u0065aths":1,"deaths":40}`,
		`{"missing":0, "deaths":1,` + "\n" + `"deaths":1}`, // the same value twice is still twice
	} {
		t.Run(line, func(t *testing.T) {
			es := refused(t, r, line, inputProblem{grading.CodeInputDuplicateField, "deaths"})
			assert.Contains(t, es[0].Message, "first at line 1, column ")
		})
	}
	t.Run("a list given twice", func(t *testing.T) {
		refused(t, r, `{"industries":["mining"],"industries":["chemicals"]}`, inputProblem{grading.CodeInputDuplicateField, "industries"})
	})
}

// TestJSONSyntaxErrors: issue 15 case 14. NaN, +12, 012, 0x10 and a byte
// order mark gave "invalid character 'N' looking for beginning of value":
// no field, no position. Each now names the line, the column and the
// field, and says what to write.
func TestJSONSyntaxErrors(t *testing.T) {
	r := clRules(t, "changji-2025")
	cases := []struct {
		name, line  string
		field       string
		line1, col  string // where, 1-based, columns in characters
		msgContains string
	}{
		{"NaN", `{"deaths":NaN}`, "deaths", "1", "11", "NaN and Infinity are not JSON numbers"},
		{"+12", `{"deaths":+12}`, "deaths", "1", "11", "write 12"},
		{"012", `{"deaths":012}`, "deaths", "1", "11", "write 012 as 12"},
		{"0x10", `{"deaths":0x10}`, "deaths", "1", "11", "write 0x10 as 16"},
		{"a byte order mark", "\ufeff{\"deaths\":1}", "(incident)", "1", "1", "byte order mark"},
		{"-Infinity on the second line", "{\"missing\": 0,\n  \"deaths\": -Infinity}", "deaths", "2", "13", "NaN and Infinity"},
		{"after Chinese text, columns in characters", `{"directLoss":"5000万", "deaths":NaN}`, "deaths", "1", "33", "NaN"},
		{"a trailing comma", `{"deaths":3,}`, "(incident)", "1", "13", "no trailing comma"},
		{"an unquoted key", `{deaths:3}`, "(incident)", "1", "2", "double quotes"},
		{"an unclosed string", `{"deaths":3,"crosses":"county}`, "crosses", "1", "23", "not closed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			es := refused(t, r, tc.line, inputProblem{grading.CodeInputBadJSON, tc.field})
			e := es[0]
			assert.Equal(t, tc.line1, e.Params["line"], e.Message)
			assert.Equal(t, tc.col, e.Params["column"], e.Message)
			assert.Contains(t, e.Message, "line "+tc.line1+", column "+tc.col)
			assert.Contains(t, e.Message, tc.msgContains)
		})
	}
}

// TestErrorAmplification: issue 15 case 10. One 15.8 MB line with 1.3 M
// unknown keys produced 290 MB of messages, 2.0 GB and 19 s. Now the
// first MaxInputProblems problems are listed, the rest counted, and a
// value echoed in a message is cut short.
func TestErrorAmplification(t *testing.T) {
	r := clRules(t, "changji-2025")
	const keys = 1_300_000
	var b []byte
	b = append(b, '{')
	for i := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `"u`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `":0`...)
	}
	b = append(b, '}')
	require.Greater(t, len(b), 15_000_000)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := r.ParseIncident(b)
	runtime.ReadMemStats(&after)
	var es grading.InputErrors
	require.True(t, errors.As(err, &es))
	require.Len(t, es, grading.MaxInputProblems+1)
	for _, e := range es[:grading.MaxInputProblems] {
		assert.Equal(t, grading.CodeInputUnknownField, e.Code)
	}
	last := es[grading.MaxInputProblems]
	assert.Equal(t, grading.CodeInputTooManyProblems, last.Code)
	assert.Equal(t, strconv.Itoa(keys-grading.MaxInputProblems), last.Params["count"])
	assert.Less(t, len(err.Error()), 20_000, "the message stays small")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(16<<20), "decoding allocates little past the line itself")

	t.Run("a long value is cut in the message", func(t *testing.T) {
		long := strings.Repeat("五", 1_000_000)
		es := refused(t, r, `{"crosses":"`+long+`"}`, inputProblem{grading.CodeInputEnumUnknown, "crosses"})
		assert.Less(t, len(es[0].Value), 300)
		assert.Less(t, len(es[0].Params["value"]), 300)
		assert.Less(t, len(es[0].Error()), 2000)
	})
	t.Run("a long unknown key is cut too", func(t *testing.T) {
		es := refused(t, r, `{"`+strings.Repeat("k", 1_000_000)+`":1}`, inputProblem{grading.CodeInputUnknownField, strings.Repeat("k", 64) + "…"})
		assert.Less(t, len(es[0].Error()), 2000)
	})
}
