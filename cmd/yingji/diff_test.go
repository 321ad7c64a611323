package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/plans"
)

func TestDiffChangjiNational(t *testing.T) {
	code, out, errOut := runCLI(t, "", "diff", "changji-2025", "national-493")
	require.Equal(t, 0, code, errOut)
	// 1.5 一般 / 较大 (1) against Decree 493 Art. 3 (三) "10人以上50人以下重伤".
	assert.Contains(t, out, "seriousInjuries (中毒（重伤）人数) 10–29 人：分级不同")
	assert.Contains(t, out, "changji-2025：一般（基线：没有标准涵盖）")
	assert.Contains(t, out, "national-493：较大，依据 第三条第一款（三）")
	assert.Contains(t, out, `示例：{"seriousInjuries": 10}`)
	assert.Contains(t, out, "national-493 没有输入 endangered，按未知处理")
	assert.Contains(t, out, "说明：两份组织体系没有共同的响应级别，名单未作比较")

	code, out, errOut = runCLI(t, "", "diff", "--lang", "en", "changji-2025", "national-493")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "seriousInjuries (中毒（重伤）人数) 10–29 人: grade differs")
	assert.Contains(t, out, "changji-2025: 一般 (baseline: no criterion names it)")
	assert.Contains(t, out, "national-493: 较大 by 第三条第一款（三）")
	assert.Contains(t, out, `example: {"seriousInjuries": 10}`)
	assert.Contains(t, out, "national-493 has no input endangered: taken as unknown")
}

func TestDiffFlagsAnywhere(t *testing.T) {
	code, out, errOut := runCLI(t, "", "diff", "--json", "changji-2025", "national-493", "--exit-code")
	require.Equal(t, 1, code, errOut)
	type side struct{ Level, Clause string }
	var got struct {
		A       struct{ ID string }
		Grading []struct {
			Input, Range string
			Bounds       struct{ Lo, Hi *float64 }
			A, B         side
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "changji-2025", got.A.ID)
	found := false
	for _, c := range got.Grading {
		if c.Input == "seriousInjuries" && c.Range == "10–29 人" {
			found = true
			assert.Equal(t, side{"general", ""}, c.A)
			assert.Equal(t, side{"relatively-serious", "第三条第一款（三）"}, c.B)
			assert.Equal(t, 10.0, *c.Bounds.Lo)
			assert.Equal(t, 30.0, *c.Bounds.Hi)
		}
	}
	assert.True(t, found, out)
}

func TestDiffSamePlan(t *testing.T) {
	dir := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("3")})
	edited := writePlan(t, map[string]string{"plan.yaml": cliPlan, "grading.yaml": cliGrading("5")})
	code, out, _ := runCLI(t, "", "diff", dir, dir, "--exit-code")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "两份预案对每一起事故的分级、名单和流程都相同。")
	// The same id on both sides: the folders name them.
	code, out, _ = runCLI(t, "", "diff", dir, edited, "--exit-code")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "deaths 3–4 人：分级不同")
	assert.Contains(t, out, dir+"：较大，依据 C 较大 (1)")
	assert.Contains(t, out, edited+"：一般（基线：没有标准涵盖）")
	code, out, _ = runCLI(t, "", "diff", "--lang", "en", dir, edited)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, dir+": 较大 by C 较大 (1)")
}

// An edited copy of changji-2025: 3.2's written report due in 30 minutes.
func TestDiffWorkflowEdit(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"plan.yaml", "grading.yaml", "orgchart.yaml", "contacts.yaml", "workflow.yaml"} {
		src, err := fs.ReadFile(plans.FS, "changji-2025/"+name)
		require.NoError(t, err)
		if name == "workflow.yaml" {
			src = []byte(strings.Replace(string(src), "    within: 15m\n", "    within: 30m\n", 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), src, 0o644))
	}
	code, out, errOut := runCLI(t, "", "diff", "changji-2025", dir, "--exit-code")
	require.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "工作流——1 处变化：\n  ~ 任务 written-report（15 分钟内补报文字报告）［3.2］：时限 15m → 30m\n")
	assert.NotContains(t, out, "名单")
}

func TestDiffBadArguments(t *testing.T) {
	for _, args := range [][]string{{"diff"}, {"diff", "changji-2025"}, {"diff", "a", "b", "c"}, {"diff", "changji-2025", "nowhere"}} {
		code, _, errOut := runCLI(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.NotEmpty(t, errOut)
	}
}
