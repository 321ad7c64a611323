package yingji_test

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
	"github.com/yingji/yingji/internal/plantest"
)

func TestDiffOfAPlanWithItself(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	d, err := yingji.Diff(context.Background(), p, p)
	require.NoError(t, err)
	assert.True(t, d.Empty())
	var b bytes.Buffer
	require.NoError(t, d.WriteJSON(&b))
	var got map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	for _, k := range []string{"grading", "roster", "contacts", "workflow", "notes"} {
		assert.Equal(t, []any{}, got[k], k)
	}
}

// Two edits a drafter might make: 2.4 (3) 医疗救护组 led by 州公安局 instead
// of 州卫健委, and 3.2's written report due in 30 minutes instead of 15.
// The diff lists exactly what they change: the group's lead, the part
// each of the two units plays (and what 州卫健委 is left with) wherever
// the group is formed, and the task's deadline.
func TestDiffOfAnOrgchartAndAWorkflowEdit(t *testing.T) {
	base, err := yingji.Default()
	require.NoError(t, err)
	m := plantest.Copy(t, "changji-2025")
	plantest.Edit(t, m, "orgchart.yaml", "    lead: health\n", "    lead: police\n")
	plantest.Edit(t, m, "workflow.yaml", "    within: 15m\n", "    within: 30m\n")
	edited, err := yingji.Load(m)
	require.NoError(t, err)
	d, err := yingji.Diff(context.Background(), base, edited)
	require.NoError(t, err)

	assert.Empty(t, d.Grading)
	assert.Empty(t, d.Contacts)
	assert.Empty(t, d.Notes)

	require.Len(t, d.Workflow, 1)
	w := d.Workflow[0]
	want, err := json.Marshal(analysis.ElementChange{Change: analysis.Changed, Kind: "task", ID: "written-report", Name: "15 分钟内补报文字报告", Clause: "3.2",
		Field: "within", Old: "15m", New: "30m", OldSeconds: ptr(int64(900)), NewSeconds: ptr(int64(1800))})
	require.NoError(t, err)
	got, err := json.Marshal(w)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "the change as the JSON gives it")

	lines := map[string]bool{}
	for _, c := range d.Roster {
		assert.Contains(t, []string{"medical", "health", "police"}, c.ID, "only the group and its two leads change: %s", c.Line())
		assert.True(t, c.AnyIncident, c.Line())
		assert.NotContains(t, c.Responses, "IV", "the prefecture's groups are not formed at IV (4.5)")
		lines[c.Line()] = true
	}
	assert.True(t, lines["~ group medical (医疗救护组) [2.4 (3)]: lead 昌吉州卫生健康委员会 → 昌吉州公安局"], lines)
	assert.True(t, lines["~ party police (昌吉州公安局): + engaged as 牵头 医疗救护组 (根据救援工作实际) (2.4 (3))"], lines)
	assert.True(t, lines["~ party health (昌吉州卫生健康委员会): - engaged as 牵头 医疗救护组 (根据救援工作实际) (2.4 (3))"], lines)

	var b bytes.Buffer
	require.NoError(t, d.WriteText(&b, "en"))
	assert.Contains(t, b.String(), "Workflow — 1 change:\n  ~ task written-report (15 分钟内补报文字报告) [3.2]: within 15m → 30m\n")
	assert.Contains(t, b.String(), "at I, II, III, for every incident:")
	// In Chinese, the default: the frame, the kinds and the fields.
	b.Reset()
	require.NoError(t, d.WriteText(&b, ""))
	assert.Contains(t, b.String(), "工作流——1 处变化：\n  ~ 任务 written-report（15 分钟内补报文字报告）［3.2］：时限 15m → 30m\n")
	assert.Contains(t, b.String(), "响应 I、II、III，适用于所有事故：")
	assert.Contains(t, b.String(), "~ 工作组 medical（医疗救护组）［2.4 (3)］：牵头 昌吉州卫生健康委员会 → 昌吉州公安局")
	assert.Contains(t, b.String(), "~ 名单成员 police（昌吉州公安局）：新增 参与（作为 牵头 医疗救护组）［根据救援工作实际］（2.4 (3)）")
}

// Changji against Decree 493: the grading ranges with their numbers, and
// a note that their rosters have no response level in common.
func TestDiffChangjiNational493(t *testing.T) {
	a, err := yingji.Embedded("changji-2025")
	require.NoError(t, err)
	b, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	d, err := yingji.Diff(context.Background(), a, b)
	require.NoError(t, err)
	assert.Equal(t, []string{"the two orgcharts have no response level in common; their rosters are not compared"}, d.Notes)
	var found bool
	for _, c := range d.Grading {
		// 1.5 一般 (1) "10 人以下重伤", 较大 from 30; 493 puts 10–49 in 较大.
		if c.Input == "seriousInjuries" && c.Range == "10–29 人" {
			found = true
			assert.Equal(t, "[10, 30)", c.Bounds.Interval)
			assert.Equal(t, 10.0, *c.Bounds.Lo)
			assert.Equal(t, 30.0, *c.Bounds.Hi)
		}
	}
	assert.True(t, found, "seriousInjuries 10–29 人 graded differently")

	// Every kind and field the diff names has its Chinese, so the Chinese
	// text carries no English word of the frame.
	var b2 strings.Builder
	require.NoError(t, d.WriteText(&b2, "zh"))
	text := b2.String()
	for _, c := range append(append([]analysis.ElementChange{}, d.Contacts...), d.Workflow...) {
		mark := map[string]string{analysis.Added: "+", analysis.Removed: "-", analysis.Changed: "~"}[c.Change]
		assert.NotContains(t, text, "  "+mark+" "+c.Kind+" ", "kind %q has no Chinese", c.Kind)
		if c.Field != "" {
			assert.NotContains(t, text, "："+c.Field+" ", "field %q has no Chinese", c.Field)
			assert.NotContains(t, text, "：新增 "+c.Field, "field %q has no Chinese", c.Field)
			assert.NotContains(t, text, "：删除 "+c.Field, "field %q has no Chinese", c.Field)
		}
	}
	assert.Contains(t, text, "说明：两份组织体系没有共同的响应级别，名单未作比较")
	assert.Contains(t, text, "seriousInjuries (中毒（重伤）人数) 10–29 人：分级不同\n      changji-2025：一般（基线：没有标准涵盖）\n      national-493：较大，依据 第三条第一款（三）\n")
}

func ptr[T any](v T) *T { return &v }
