package yingji_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/internal/plantest"
	"github.com/yingji/yingji/workflow/drill"
)

// exampleDrills reads the Changji drills of examples/drills.
func exampleDrills(t *testing.T) []yingji.Recording {
	t.Helper()
	files, err := filepath.Glob("examples/drills/*.yaml")
	require.NoError(t, err)
	require.Len(t, files, 3)
	var recs []yingji.Recording
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		rec, err := yingji.ReadRecording(f, src)
		require.NoError(t, err)
		require.NotNil(t, rec.Drill, f)
		recs = append(recs, rec)
	}
	return recs
}

func editedChangji(t *testing.T, edits ...[3]string) *yingji.Plan {
	t.Helper()
	m := plantest.Copy(t, "changji-2025")
	for _, e := range edits {
		plantest.Edit(t, m, e[0], e[1], e[2])
	}
	p, err := yingji.Load(m)
	require.NoError(t, err)
	return p
}

// 3.2: "15分钟内补报文字报告". Written 30 instead, the drills replay with the
// deadline moved by 15 minutes; in drill 2 the written report that came
// 22 minutes after the phone report is no longer late (迟报).
func TestReplayDrillsUnderAnEditedDeadline(t *testing.T) {
	ctx := context.Background()
	base, err := yingji.Default()
	require.NoError(t, err)
	recs := exampleDrills(t)

	same, err := base.ReplayRecordings(ctx, base, recs)
	require.NoError(t, err)
	assert.Zero(t, same.Divergent(), "the unedited plan replays every drill as it was")
	for _, inc := range same.Incidents {
		assert.Equal(t, []yingji.Divergence{}, inc.Divergences, inc.Name)
	}

	edited := editedChangji(t, [3]string{"workflow.yaml", "    within: 15m\n", "    within: 30m\n"})
	rep, err := edited.ReplayRecordings(ctx, base, recs)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Divergent())
	for _, inc := range rep.Incidents {
		var kinds []string
		for _, d := range inc.Divergences {
			kinds = append(kinds, d.Kind+" "+d.Subject)
			if d.Kind == "task.due" {
				assert.Equal(t, int64(15*60), d.ShiftSeconds)
			}
		}
		switch inc.Incident {
		case "drill-iv-to-iii":
			assert.Equal(t, []string{"task.state written-report", "task.due written-report", "flag.missing late-report"}, kinds)
			assert.Equal(t, "done (late)", inc.Divergences[0].Old)
			assert.Equal(t, "done", inc.Divergences[0].New)
		default:
			assert.Equal(t, []string{"task.due written-report"}, kinds, inc.Name)
		}
	}
	var b bytes.Buffer
	require.NoError(t, rep.WriteText(&b, "en"))
	assert.Contains(t, b.String(), "3 of 3 incidents diverge.")
	assert.Contains(t, b.String(), "task.due written-report (15 分钟内补报文字报告): 2025-10-15T09:15:00+06:00 → 2025-10-15T09:30:00+06:00 (+15m)")
	// In Chinese, the default.
	b.Reset()
	require.NoError(t, rep.WriteText(&b, ""))
	assert.Contains(t, b.String(), "共 3 起事故，其中 3 起出现差异。")
	assert.Contains(t, b.String(), "任务时限 written-report（15 分钟内补报文字报告）：2025-10-15T09:15:00+06:00 → 2025-10-15T09:30:00+06:00（+15m）")
	assert.Contains(t, b.String(), "任务状态 written-report（15 分钟内补报文字报告）：已完成（超时） → 已完成")
	assert.Contains(t, b.String(), "不再出现的标记 late-report（迟报）：")
	assert.Contains(t, b.String(), " → （未标记）")
	b.Reset()
	require.NoError(t, rep.WriteJSON(&b))
	var back yingji.ReplayReport
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, *rep, back)
}

// An event accepted before and rejected now, and the other way round:
// 3.2's written report no longer allowed while responding, and 4.2's Ⅲ
// response open to the county's government too.
func TestReplayEventsNowRejectedOrAccepted(t *testing.T) {
	ctx := context.Background()
	base, err := yingji.Default()
	require.NoError(t, err)
	var drill yingji.Recording
	for _, r := range exampleDrills(t) {
		if r.Drill.ID == "drill-iv-to-iii" {
			drill = r
		}
	}
	edited := editedChangji(t,
		[3]string{"workflow.yaml", "    phases: [reported, initial-response, responding, suspended]\n    late: accept\n", "    phases: [reported, initial-response, suspended]\n    late: accept\n"},
		[3]string{"workflow.yaml", `event.actor in ["gov", "xj-yjt"]`, `event.actor in ["gov", "xj-yjt", "local-government"]`})
	rep, err := edited.ReplayRecordings(ctx, base, []yingji.Recording{drill})
	require.NoError(t, err)
	events := map[string]yingji.Divergence{}
	for _, d := range rep.Incidents[0].Divergences {
		if d.Seq > 0 {
			events[d.Kind] = d
		}
	}
	require.Contains(t, events, "event.rejected")
	assert.Equal(t, "report.written", events["event.rejected"].Name)
	assert.Equal(t, 3, events["event.rejected"].Seq)
	assert.Equal(t, "rejected: wrong-phase", events["event.rejected"].New)
	require.Contains(t, events, "event.accepted")
	assert.Equal(t, "response.activated", events["event.accepted"].Name)
	assert.Equal(t, "rejected: authority-III", events["event.accepted"].Old)
}

// A stored instance and a bare log replay too: the instance against the
// state it holds, the log against the plan in force.
func TestReplayStoredInstancesAndLogs(t *testing.T) {
	ctx := context.Background()
	base, err := yingji.Default()
	require.NoError(t, err)
	var dr *drill.Drill
	for _, r := range exampleDrills(t) {
		if r.Drill.ID == "drill-iv-to-iii" {
			dr = r.Drill
		}
	}
	inst, err := base.Start("case-1")
	require.NoError(t, err)
	for _, s := range dr.Steps {
		if next, _, err := base.Apply(ctx, inst, s.Event); err == nil {
			inst = next
		}
	}
	instJSON, err := json.Marshal(inst)
	require.NoError(t, err)
	logJSON, err := json.Marshal(inst.Log())
	require.NoError(t, err)
	fsys := fstest.MapFS{"case-1.json": {Data: instJSON}, "log-1.json": {Data: logJSON}}
	var recs []yingji.Recording
	for _, name := range []string{"case-1.json", "log-1.json"} {
		rec, err := yingji.ReadRecording(name, fsys[name].Data)
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	require.NotNil(t, recs[0].Instance)
	require.NotEmpty(t, recs[1].Log)

	same, err := base.ReplayRecordings(ctx, base, recs)
	require.NoError(t, err)
	assert.Zero(t, same.Divergent())

	edited := editedChangji(t, [3]string{"workflow.yaml", "    within: 15m\n", "    within: 30m\n"})
	rep, err := edited.ReplayRecordings(ctx, base, recs)
	require.NoError(t, err)
	for _, inc := range rep.Incidents {
		var kinds []string
		for _, d := range inc.Divergences {
			kinds = append(kinds, d.Kind)
		}
		assert.Equal(t, []string{"task.state", "task.due", "flag.missing"}, kinds, inc.Kind)
	}
	assert.Equal(t, "instance", rep.Incidents[0].Kind)
	assert.Equal(t, "log", rep.Incidents[1].Kind)
	assert.Equal(t, "log-1", rep.Incidents[1].Incident)

	_, err = yingji.ReadRecording("bad.yaml", []byte("steps: 3\n"))
	var re *yingji.RecordingError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, re.Render(), "bad.yaml:1:")
}
