package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTestCommand(t *testing.T) {
	complete, smoke := "../../examples/cases/changji-2025-complete.yaml", "../../examples/cases/changji-2025-smoke.yaml"
	code, out, errOut := runCLI(t, "", "test", "--coverage", "--threshold", "100", complete)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "通过：13 个用例通过，0 个失败（changji-2025）")
	assert.Contains(t, out, "覆盖率：100.0%（239 项中 239 项）")

	code, out, errOut = runCLI(t, "", "test", "--coverage", smoke)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "未覆盖：")
	assert.Regexp(t, `workflow\.yaml:\d+:\d+: 任务：warning-plan（`, out)

	code, out, errOut = runCLI(t, "", "test", "--coverage", "--lang", "en", smoke)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "PASS: 4 passed, 0 failed (changji-2025)")
	assert.Contains(t, out, "Not exercised:")
	assert.Regexp(t, `workflow\.yaml:\d+:\d+: task: warning-plan `, out)

	code, _, errOut = runCLI(t, "", "test", "--threshold", "90", smoke)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "is below the threshold 90.0%")

	failing := filepath.Join(t.TempDir(), "f.yaml")
	assert.NoError(t, os.WriteFile(failing, []byte("cases:\n  - name: 1.5 较大 (1) 3 人死亡 is not 一般\n    incident: {deaths: 3, missing: 0}\n    grade: 一般\n"), 0o644))
	code, out, _ = runCLI(t, "", "test", failing)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "失败 "+failing+":2:5: 1.5 较大 (1) 3 人死亡 is not 一般\n     期望级别 一般，实际 较大，依据 1.5 较大 (1)\n")
	code, out, _ = runCLI(t, "", "test", "--lang", "en", failing)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL "+failing+":2:5: 1.5 较大 (1) 3 人死亡 is not 一般\n     want grade 一般, got 较大 by 1.5 较大 (1)\n")

	for _, args := range [][]string{{"test"}, {"test", "nowhere.yaml"}} {
		code, _, errOut := runCLI(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.NotEmpty(t, errOut)
	}
}
