package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
)

// writePlan writes a plan folder for the CLI to load.
func writePlan(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	return dir
}

const cliPlan = "id: cli\ntitle: 命令行预案\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n"

// cliGrading grades deaths only; gapFrom is where 较大 starts.
func cliGrading(gapFrom string) string {
	return `inputs:
  - {id: deaths, type: count, unit: 人}
levels:
  - id: serious
    name: 重大
    criteria:
      - {clause: "C 重大 (1)", when: {deaths: 10 人以上}}
  - id: relatively-serious
    name: 较大
    criteria:
      - {clause: "C 较大 (1)", when: {deaths: ` + gapFrom + ` 人以上、10 人以下}}
  - id: general
    name: 一般
    baseline: true
    criteria:
      - {clause: "C 一般 (1)", when: {deaths: 3 人以下}}
`
}

func TestLintDefaultPlan(t *testing.T) {
	code, out, errOut := runCLI(t, "", "lint")
	require.Equal(t, 0, code, errOut)
	// 1.5 一般 (1) "10 人以下重伤" and 较大 (1) "30 人以上": the gap, with clauses.
	assert.Contains(t, out, "warning: seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion")
	assert.Contains(t, out, "clause: 1.5 一般 (1)")
	assert.Contains(t, out, `1.5 较大 (1) ("30 人以上、50 人以下") starts above it`)
	assert.Contains(t, out, `Example: {"seriousInjuries": 10} is graded 一般`)
	// 较大 (1) "危及 10 人以上、30 人以下" repeats 重大 (1).
	assert.Contains(t, out, `the alternative "endangered: 10 人以上、30 人以下" of 1.5 较大 (1) can never decide a grade: 1.5 重大 (1) (重大) always wins there`)
	// The interpretations taken, as a to-do.
	assert.Contains(t, out, "To do for the next revision")
	assert.Contains(t, out, "info: interpretation: Read as crossing provinces.")
	assert.Contains(t, out, "clause: 1.5 特别重大 (4)")
	assert.Regexp(t, `changji-2025: 0 errors, \d+ warnings, \d+ notes \(\d+ interpretations\)\.`, out)
}

func TestLintJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "", "lint", "--json", "--plan", "changji-2025")
	require.Equal(t, 0, code, errOut)
	var ds []diag.Diagnostic
	require.NoError(t, json.Unmarshal([]byte(out), &ds))
	var codes []string
	for _, d := range ds {
		codes = append(codes, d.Code)
	}
	assert.Contains(t, codes, "lint.gap")
	assert.Contains(t, codes, "lint.shadowed")
	assert.Contains(t, codes, "plan.interpretation")
}

func TestLintExitCodes(t *testing.T) {
	clean := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("3")})
	gap := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("5")})
	broken := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": strings.Replace(cliGrading("3"), "3 人以下", "3 人以内", 1)})
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a clean plan", []string{"--plan", clean}, 0, "cli: 0 errors, 0 warnings, 0 notes"},
		{"warnings only", []string{"--plan", gap}, 0, "deaths 3–4 人 is named by no level's criterion"},
		{"warnings with --strict", []string{"--plan", gap, "--strict"}, 1, "1 warnings"},
		{"a plan that does not load", []string{"--plan", broken}, 1, `"以内" is not used in thresholds`},
		{"a plan that does not load, as JSON", []string{"--plan", broken, "--json"}, 1, `"severity": "error"`},
		{"an unknown plan", []string{"--plan", "changji-2052"}, 2, ""},
		{"a stray argument", []string{"changji-2025"}, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", append([]string{"lint"}, tc.args...)...)
			assert.Equal(t, tc.code, code, out+errOut)
			assert.Contains(t, out, tc.want)
		})
	}
}
