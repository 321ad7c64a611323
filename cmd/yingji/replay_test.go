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
	"github.com/yingji/yingji/internal/golden"
	"github.com/yingji/yingji/plans"
)

// editedChangji writes a copy of changji-2025 with one edit of workflow.yaml.
func editedChangji(t *testing.T, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"plan.yaml", "grading.yaml", "orgchart.yaml", "contacts.yaml", "workflow.yaml"} {
		src, err := fs.ReadFile(plans.FS, "changji-2025/"+name)
		require.NoError(t, err)
		if name == "workflow.yaml" {
			require.Equal(t, 1, strings.Count(string(src), old))
			src = []byte(strings.Replace(string(src), old, new, 1))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), src, 0o644))
	}
	return dir
}

func TestReplayDrills(t *testing.T) {
	drills, err := filepath.Glob("../../examples/drills/*.yaml")
	require.NoError(t, err)
	require.Len(t, drills, 3)

	code, out, errOut := runCLI(t, "", append([]string{"replay", "--plan", "changji-2025", "--exit-code"}, drills...)...)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "共 3 起事故，其中 0 起出现差异。")

	// 3.2's 15 minutes written 30: drill 2's report at 22 minutes is no longer 迟报.
	edited := editedChangji(t, "    within: 15m\n", "    within: 30m\n")
	code, out, errOut = runCLI(t, "", append([]string{"replay", "--plan", edited, "--exit-code"}, drills...)...)
	assert.Equal(t, 1, code, errOut)
	assert.Contains(t, out, "共 3 起事故，其中 3 起出现差异。")
	assert.Contains(t, out, "不再出现的标记 late-report（迟报）")
	golden.Check(t, "replay-written-report-30m.zh.txt", hashRE.ReplaceAllString(out, "sha256:…"))
	code, out, errOut = runCLI(t, "", append([]string{"replay", "--plan", edited, "--lang", "en"}, drills...)...)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "3 of 3 incidents diverge.")
	assert.Contains(t, out, "flag.missing late-report (迟报)")
	golden.Check(t, "replay-written-report-30m.en.txt", hashRE.ReplaceAllString(out, "sha256:…"))
	code, out, _ = runCLI(t, "", append([]string{"replay", "--plan", edited, "--json"}, drills...)...)
	assert.Equal(t, 0, code, "without --exit-code a divergence is not a failure")
	var rep struct {
		Incidents []struct {
			Incident    string
			Divergences []struct {
				Kind         string
				ShiftSeconds int64
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Incidents, 3)
	assert.Equal(t, "task.due", rep.Incidents[0].Divergences[0].Kind)
	assert.Equal(t, int64(900), rep.Incidents[0].Divergences[0].ShiftSeconds)
}

func TestReplayBadArguments(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("steps: 3\n"), 0o644))
	for _, args := range [][]string{{"replay"}, {"replay", "--plan", "changji-2025"}, {"replay", "x.yaml"}, {"replay", "--plan", "changji-2025", bad}} {
		code, _, errOut := runCLI(t, "", args...)
		assert.Equal(t, 2, code, args)
		assert.NotEmpty(t, errOut)
	}
}
