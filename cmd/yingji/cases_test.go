package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/analysis"
)

func TestCasesYAMLAndJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "", "cases")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "plan: changji-2025\n")
	set, err := analysis.ReadCases([]byte(out))
	require.NoError(t, err)
	found := false
	for _, c := range set.Cases {
		// 1.5 较大 (1) "直接经济损失 1000 万元以上": a yuan below is 一般.
		if c.Incident.String() == `{"directLoss": 9999999}` {
			found = true
			assert.Equal(t, "general", c.Level)
			assert.Equal(t, "1.5 一般 (1)", c.Clause)
		}
	}
	assert.True(t, found)

	code, out, errOut = runCLI(t, "", "cases", "--plan", "national-493", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var js analysis.CaseSet
	require.NoError(t, json.Unmarshal([]byte(out), &js))
	assert.Equal(t, "national-493", js.Plan)
	assert.NotEmpty(t, js.Cases)
}

func TestCasesBadArguments(t *testing.T) {
	for _, args := range [][]string{{"cases", "--format", "xml"}, {"cases", "x"}, {"cases", "--plan", "nowhere"}} {
		code, _, errOut := runCLI(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.NotEmpty(t, errOut)
	}
}
