package grading

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/plans"
)

func compileEmbedded(t *testing.T, id string) *Rules {
	t.Helper()
	src, err := fs.ReadFile(plans.FS, id+"/grading.yaml")
	require.NoError(t, err)
	r, ds := Compile(id+"/grading.yaml", src)
	require.False(t, ds.HasErrors(), "%v", ds)
	return r
}

// strictDecode decodes data into v, refusing keys v does not have.
func strictDecode(t *testing.T, data []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v), "%s", data)
}

// TestResultJSONRoundTrip decodes a Result's JSON into its wire type,
// refusing unknown keys, and encodes it again to the same bytes: every key
// written is a field of the contract, and nothing is lost.
func TestResultJSONRoundTrip(t *testing.T) {
	for _, tc := range []struct{ plan, incident string }{
		{"changji-2025", `{"deaths": 12, "missing": 1}`},
		{"changji-2025", `{}`},
		{"changji-2025", `{"evacuated": 60000, "crosses": "county", "seriousInjuries": 55, "directLoss": "6000万"}`},
		{"national-493", `{"seriousInjuries": 10}`},
	} {
		r := compileEmbedded(t, tc.plan)
		inc, err := r.ParseIncident([]byte(tc.incident))
		require.NoError(t, err)
		res, err := r.Classify(context.Background(), inc)
		require.NoError(t, err)
		b, err := json.Marshal(res)
		require.NoError(t, err)
		var wire resultJSON
		strictDecode(t, b, &wire)
		again, err := json.Marshal(wire)
		require.NoError(t, err)
		assert.Equal(t, string(b), string(again))
	}
	t.Run("a result of no rules", func(t *testing.T) {
		b, err := json.Marshal(Result{level: -1, ceiling: -1})
		require.NoError(t, err)
		assert.NotContains(t, string(b), "null")
	})
}

func TestErrorJSONRoundTrip(t *testing.T) {
	t.Run("InputError", func(t *testing.T) {
		e := &InputError{Code: CodeInputNegative, Field: "deaths", Value: "-1", Message: "is negative; a count is 0 or more",
			Params: map[string]string{"field": "deaths", "value": "-1", "type": "count"}}
		b, err := json.Marshal(e)
		require.NoError(t, err)
		assert.JSONEq(t, `{"code":"input.negative","field":"deaths","value":"-1","message":"is negative; a count is 0 or more","params":{"field":"deaths","value":"-1","type":"count"}}`, string(b))
		var back InputError
		strictDecode(t, b, &back)
		assert.Equal(t, *e, back)
	})
	t.Run("InputError without params", func(t *testing.T) {
		b, err := json.Marshal(&InputError{Code: CodeInputNoRules, Field: "deaths", Message: "m"})
		require.NoError(t, err)
		assert.JSONEq(t, `{"code":"input.no-rules","field":"deaths","message":"m","params":{"field":"deaths"}}`, string(b))
	})
	t.Run("InputErrors", func(t *testing.T) {
		r := compileEmbedded(t, "changji-2025")
		_, err := r.ParseIncident([]byte(`{"deaths":-1,"crosses":"Ⅲ"}`))
		var es InputErrors
		require.ErrorAs(t, err, &es)
		b, err := json.Marshal(es)
		require.NoError(t, err)
		var back InputErrors
		strictDecode(t, b, &back)
		require.Len(t, back, 2)
		for i := range es {
			assert.Equal(t, es[i].params(), back[i].Params)
			assert.Equal(t, es[i].Code, back[i].Code)
			assert.Equal(t, es[i].Message, back[i].Message)
		}
	})
	t.Run("ThresholdError", func(t *testing.T) {
		_, e := ParseThreshold("30 人以内", Convention{AboveInclusive: true}, "人")
		require.NotNil(t, e)
		b, err := json.Marshal(e)
		require.NoError(t, err)
		var back ThresholdError
		strictDecode(t, b, &back)
		assert.Equal(t, *e, back)
	})
}

func TestValueJSONRoundTrip(t *testing.T) {
	t.Run("Convention", func(t *testing.T) {
		c := Convention{AboveInclusive: true}
		b, err := json.Marshal(c)
		require.NoError(t, err)
		assert.JSONEq(t, `{"aboveInclusive":true,"belowInclusive":false}`, string(b))
		var back Convention
		strictDecode(t, b, &back)
		assert.Equal(t, c, back)
	})
	t.Run("Interval", func(t *testing.T) {
		for _, tc := range []struct {
			iv   Interval
			json string
		}{
			// 1.5 重大 (1) "10 人以上、30 人以下" under 以上含本数，以下不含本数.
			{Interval{Lo: 10, LoIncl: true, Hi: 30}, `"[10, 30)"`},
			// 1.5 特别重大 (1) "1 亿元以上".
			{Interval{Lo: 1e8, LoIncl: true, Hi: math.Inf(1)}, `"[1亿, +∞)"`},
			// 1.5 一般 (1) "1000 万元以下".
			{Interval{Lo: math.Inf(-1), Hi: 1e7}, `"(-∞, 1000万)"`},
			{Interval{Lo: 2.5, Hi: 2.5, LoIncl: true, HiIncl: true}, `"[2.5, 2.5]"`},
			{All, `"(-∞, +∞)"`},
		} {
			b, err := json.Marshal(tc.iv)
			require.NoError(t, err)
			assert.Equal(t, tc.json, string(b))
			var back Interval
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.iv, back)
		}
		var iv Interval
		assert.Error(t, json.Unmarshal([]byte(`"10 人以上"`), &iv), "wording needs a convention")
		assert.Error(t, json.Unmarshal([]byte(`"[30, 10)"`), &iv))
	})
}
