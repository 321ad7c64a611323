package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiffChangjiNational(t *testing.T) {
	code, out, errOut := runCLI(t, "", "diff", "changji-2025", "national-493")
	require.Equal(t, 1, code, "plans that grade differently exit 1: %s", errOut)
	// 1.5 一般 / 较大 (1) against Decree 493 Art. 3 (三) "10人以上50人以下重伤".
	assert.Contains(t, out, "seriousInjuries (中毒（重伤）人数) 10–29 人: grade differs")
	assert.Contains(t, out, "changji-2025: 一般 (baseline: no criterion names it)")
	assert.Contains(t, out, "national-493: 较大 by 第三条第一款（三）")
	assert.Contains(t, out, `example: {"seriousInjuries": 10}`)
	assert.Contains(t, out, "national-493 has no input endangered: taken as unknown")
}

func TestDiffFlagsAnywhere(t *testing.T) {
	code, out, errOut := runCLI(t, "", "diff", "--json", "changji-2025", "national-493")
	require.Equal(t, 1, code, errOut)
	var got struct {
		A, B    string
		Changes []struct {
			Input, Range string
			A, B         struct{ Level, Clause string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "changji-2025", got.A)
	assert.Contains(t, got.Changes, struct {
		Input, Range string
		A, B         struct{ Level, Clause string }
	}{"seriousInjuries", "10–29 人", struct{ Level, Clause string }{"general", ""}, struct{ Level, Clause string }{"relatively-serious", "第三条第一款（三）"}})
}

func TestDiffSamePlan(t *testing.T) {
	dir := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("3")})
	edited := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("5")})
	code, out, _ := runCLI(t, "", "diff", dir, dir)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "grade every range of every input the same")
	// The same id on both sides: the folders name them.
	code, out, _ = runCLI(t, "", "diff", dir, edited)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "deaths 3–4 人: grade differs")
	assert.Contains(t, out, dir+": 较大 by C 较大 (1)")
	assert.Contains(t, out, edited+": 一般 (baseline: no criterion names it)")
}

func TestDiffBadArguments(t *testing.T) {
	for _, args := range [][]string{{"diff"}, {"diff", "changji-2025"}, {"diff", "a", "b", "c"}, {"diff", "changji-2025", "nowhere"}} {
		code, _, errOut := runCLI(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.NotEmpty(t, errOut)
	}
}
