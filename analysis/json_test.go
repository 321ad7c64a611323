package analysis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

// roundTrip encodes v, decodes it into a new value of its type and
// encodes that again: the two encodings must be the same bytes.
func roundTrip[T any](t *testing.T, v T) {
	t.Helper()
	a, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(a, &back))
	b, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(a), string(b))
	assert.NotContains(t, string(a), "null", "empty collections are [], not null")
}

func TestJSONRoundTrips(t *testing.T) {
	levels := strings.Replace(cleanLevels, "            - deathsAndMissing: 10 人以上\n", "            - deathsAndMissing: 12 人以上\n", 1)
	p := loadSynth(t, synthInputs+levels, "")
	r := p.LintReport()
	roundTrip(t, r)
	for _, it := range r.Items() {
		roundTrip(t, it)
		for _, b := range it.Ranges {
			roundTrip(t, b)
		}
	}
	edited := loadSynth(t, synthInputs+cleanLevels, "")
	d, err := yingji.Diff(context.Background(), p, edited)
	require.NoError(t, err)
	require.NotEmpty(t, d.Grading)
	var buf bytes.Buffer
	require.NoError(t, d.WriteJSON(&buf))
	var back analysis.PlanDiff
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	var again bytes.Buffer
	require.NoError(t, back.WriteJSON(&again))
	assert.JSONEq(t, buf.String(), again.String())

	c := analysis.NewGradingCoverage(p.Grading)
	roundTrip(t, c.Report())
}
