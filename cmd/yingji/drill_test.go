package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDrillCommand(t *testing.T) {
	t.Run("3.2 and 2.5: the escalation drill shows 迟报 and the transfer of command, by name", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "drill", "../../examples/drills/iv-to-iii-escalation.yaml")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "**标记 迟报**（3.2）：15 分钟内补报文字报告：开启后 22 分钟完成，时限 15 分钟，超时 7 分钟", "3.2: 15分钟内补报文字报告, written 22 minutes after the phone report")
		assert.Contains(t, out, "- 变化：现场指挥 现场指挥部（事故发生地县市人民政府（园区管委会）组建） → 现场指挥部（昌吉州指挥部组建）", "2.5: 昌吉州指挥部组织成立现场应急救援指挥部")
		assert.Contains(t, out, "完成任务：原现场应急救援指挥部立即移交指挥权", "2.5 原现场应急救援指挥部应立即移交指挥权")
		assert.Contains(t, out, "## 总结（7.2）", "the drill's own clause")
		assert.NotContains(t, out, "yjj", "units by name, not by id")
		assert.NotContains(t, out, "relatively-serious")
	})
	t.Run("the notices of a step are grouped by who makes them, not one line", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "drill", "../../examples/drills/iv-to-iii-escalation.yaml")
		require.Equal(t, 0, code, errOut)
		// 4.4.1 (1): the office reports to 昌吉州党委、人民政府、维稳指挥部和自治区应急管理厅.
		assert.Contains(t, out, "  - 昌吉州指挥部办公室 → 昌吉州党委（4.4.1 (1)）、昌吉州政府（4.4.1 (1)）、\n")
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "  ") { // the notices and their continuation lines
				assert.LessOrEqual(t, width(line), 100, "no run-on line: %s", line)
			}
		}
	})
	t.Run("--lang en", func(t *testing.T) {
		code, out, errOut := runCLI(t, "", "drill", "--lang", "en", "../../examples/drills/iv-to-iii-escalation.yaml")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "**Flagged 迟报** [3.2]: 15 分钟内补报文字报告 late by 7m")
		assert.Contains(t, out, "## Summary (7.2)")
	})
	t.Run("Decree 493's drills carry no Changji words: no site command, no response level, no 7.2", func(t *testing.T) {
		paths, err := filepath.Glob("../../examples/drills/national-493/*.yaml")
		require.NoError(t, err)
		require.NotEmpty(t, paths)
		for _, path := range paths {
			for _, lg := range []string{"zh", "en"} {
				code, out, errOut := runCLI(t, "", "drill", "--lang", lg, path)
				require.Equal(t, 0, code, errOut)
				for _, word := range []string{"7.2", "书面总结报告", "指挥权", "现场指挥", "响应级别", "| 响应 |", "昌吉", "Site command", "Response", "response"} {
					assert.NotContains(t, out, word, "%s --lang %s", path, lg)
				}
				assert.Contains(t, out, "生产安全事故报告和调查处理条例", "the plan's title")
				assert.Contains(t, out, "第十", "the drill's own clause")
			}
		}
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
			code, out, errOut := runCLI(t, "", "diagram", "flow", "--format", tc.format)
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, out, tc.want)
			assert.Contains(t, out, "附件 8.4 昌吉州生产安全事故应急响应流程图（据 workflow 数据重绘，非原图）")
		})
	}
	code, _, errOut := runCLI(t, "", "diagram", "flow", "--format", "svg")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "svg")
}
