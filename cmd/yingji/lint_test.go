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
	// In Chinese, for the drafters: the counts first, then the warnings;
	// the interpretations counted.
	assert.Regexp(t, `^changji-2025 — .*\n错误 0 项，警告 \d+ 项，提示 \d+ 项，解释 \d+ 项`, out)
	// 1.5 一般 (1) "10 人以下重伤" and 较大 (1) "30 人以上": the gap, with its
	// clause; 1.3 (1)'s "10 人以上" putting that range in scope follows from it.
	assert.Contains(t, out, "seriousInjuries (中毒（重伤）人数) 10–29 人 没有被任何级别的标准涵盖［1.5 一般 (1)］\n"+
		"      修改建议：在某一级别的标准中写明 10–29 人，或在 interpretation: 说明中记录不写的理由\n"+
		"      ↳ grading.yaml:")
	// 较大 (1) "危及 10 人以上、30 人以下" repeats 重大 (1).
	assert.Contains(t, out, `1.5 较大 (1) 的选项 "endangered: 10 人以上、30 人以下" 永远不能决定级别：在该处 1.5 重大 (1)（重大）总是优先`)
	assert.Regexp(t, `\n\d+ 项解释待下次修订时确认或更正（yingji lint --interpretations 可列出全部）。\n$`, out)
	assert.NotContains(t, out, "Read as crossing provinces.")
	for _, en := range []string{"errors", "Warnings:", "fix:", "is named by", "interpretations to confirm"} {
		assert.NotContains(t, out, en, "the frame and the analysis's sentences are Chinese")
	}
	assert.LessOrEqual(t, strings.Count(out, "\n"), 45, "one screen")

	// --lang en: the same report in English.
	_, out, _ = runCLI(t, "", "lint", "--lang", "en")
	assert.Regexp(t, `^changji-2025 — .*\n0 errors, \d+ warnings, \d+ notes, \d+ interpretations`, out)
	assert.Contains(t, out, "seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion [1.5 一般 (1)]\n"+
		"      fix: name 10–29 人 in a level's criterion, or record why not in an interpretation: note\n"+
		"      ↳ grading.yaml:")
	assert.Contains(t, out, `the alternative "endangered: 10 人以上、30 人以下" of 1.5 较大 (1) can never decide a grade: 1.5 重大 (1) (重大) always wins there`)
	assert.Regexp(t, `\n\d+ interpretations to confirm or correct in the next revision \(yingji lint --interpretations lists them\)\.\n$`, out)

	// With -v, the evidence; with --interpretations, every note once.
	_, out, _ = runCLI(t, "", "lint", "-v")
	assert.Contains(t, out, `示例：{"seriousInjuries": 10} 定为 一般（基线：没有标准涵盖）。`)
	_, out, _ = runCLI(t, "", "lint", "-v", "--lang", "en")
	assert.Contains(t, out, `Example: {"seriousInjuries": 10} is graded 一般`)
	_, out, _ = runCLI(t, "", "lint", "--interpretations")
	assert.Equal(t, 1, strings.Count(out, "Read as crossing provinces."))
	assert.Contains(t, out, "［1.5 特别重大 (4)］")
}

func TestLintJSON(t *testing.T) {
	code, out, errOut := runCLI(t, "", "lint", "--json", "--plan", "changji-2025")
	require.Equal(t, 0, code, errOut)
	var items []struct {
		diag.Diagnostic
		Ranges  []struct{ Text string }
		Related []diag.Diagnostic
	}
	require.NoError(t, json.Unmarshal([]byte(out), &items))
	var codes []string
	for _, d := range items {
		codes = append(codes, d.Code)
		if d.Code == "lint.gap" {
			assert.NotEmpty(t, d.Ranges)
		}
	}
	assert.Contains(t, codes, "lint.gap")
	assert.Contains(t, codes, "lint.shadowed")
	assert.Contains(t, codes, "plan.interpretation")

	clean := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("3")})
	code, out, _ = runCLI(t, "", "lint", "--json", "--plan", clean)
	assert.Equal(t, 0, code)
	assert.Equal(t, "[]\n", out)
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
		{"a clean plan", []string{"--plan", clean}, 0, "cli — 命令行预案\n错误 0 项，警告 0 项\n"},
		{"a clean plan, in English", []string{"--plan", clean, "--lang", "en"}, 0, "cli — 命令行预案\n0 errors, 0 warnings\n"},
		{"warnings only", []string{"--plan", gap}, 0, "deaths 3–4 人 没有被任何级别的标准涵盖"},
		{"warnings with --strict", []string{"--plan", gap, "--strict"}, 1, "错误 0 项，警告 1 项\n"},
		{"a plan that does not load", []string{"--plan", broken}, 2, "预案无法加载：错误 1 项"},
		{"a plan that does not load, in English", []string{"--plan", broken, "--lang", "en"}, 2, "the plan does not load: 1 error"},
		{"a plan that does not load, its error", []string{"--plan", broken}, 2, `"以内" is not used in thresholds`},
		{"a plan that does not load, as JSON", []string{"--plan", broken, "--json"}, 2, `"severity": "error"`},
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
