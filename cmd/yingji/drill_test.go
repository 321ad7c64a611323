package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDrillCommand(t *testing.T) {
	t.Run("3.2 and 2.5: the escalation drill shows 迟报 and the transfer of command", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "drill", "../../examples/drills/iv-to-iii-escalation.yaml")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "迟报")
		assert.Contains(t, out, "command: site-hq (local-government) → site-hq (hq)")
		assert.Contains(t, out, "完成任务：hand-over-command", "2.5 原现场应急救援指挥部应立即移交指挥权")
		assert.Contains(t, out, "## 总结（7.2 书面总结报告）")
	})
	t.Run("--json has the timeline contract", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "drill", "--json", "../../examples/drills/iv-county.yaml")
		require.Equal(t, 0, code, errOut)
		var tl map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &tl))
		for _, k := range []string{"phase", "level", "response", "commandHolder", "steps", "overdue"} {
			assert.Contains(t, tl, k)
		}
		for _, st := range tl["steps"].([]any) {
			for _, k := range []string{"at", "event", "accepted", "error", "phase"} {
				assert.Contains(t, st, k)
			}
		}
		assert.Equal(t, "closed", tl["phase"])
		assert.Equal(t, "general", tl["level"], "1.5 一般: one death")
		assert.Equal(t, "IV", tl["response"])
	})
	t.Run("a step that does not turn out as expected exits 1", func(t *testing.T) {
		src, err := os.ReadFile("../../examples/drills/iv-county.yaml")
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "bad.yaml")
		require.NoError(t, os.WriteFile(path, bytes.Replace(src, []byte("actor: local-government\n    data: {level: IV}"), []byte("actor: site-hq\n    data: {level: IV}"), 1), 0o644))
		code, _, errOut := runCLI(t, "", "drill", path)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "did not turn out as the scenario expects")
	})
	t.Run("a broken scenario is rendered with its position", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "broken.yaml")
		require.NoError(t, os.WriteFile(path, []byte("title: t\nstart: \"09:00\"\nsteps: []\n"), 0o644))
		code, _, errOut := runCLI(t, "", "drill", path)
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "broken.yaml:2:8")
	})
	t.Run("usage", func(t *testing.T) {
		code, _, errOut := runCLI(t, "", "drill")
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "name one scenario file")
	})
}

func TestFlowDiagram(t *testing.T) {
	cases := []struct{ format, want string }{
		{"mermaid", "stateDiagram-v2"},
		{"dot", "digraph \"changji-2025-response\""},
	}
	for _, tc := range cases {
		t.Run("附件 8.4 as "+tc.format, func(t *testing.T) {
			var out, errOut bytes.Buffer
			require.Equal(t, 0, runFlowDiagram(tc.format, &out, &errOut), errOut.String())
			assert.Contains(t, out.String(), tc.want)
			assert.Contains(t, out.String(), "附件 8.4 昌吉州生产安全事故应急响应流程图（据 workflow 数据重绘，非原图）")
		})
	}
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, runFlowDiagram("svg", &out, &errOut))
	assert.Contains(t, errOut.String(), "unknown format")
}
