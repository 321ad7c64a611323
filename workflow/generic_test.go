package workflow_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow"
)

func TestEngineIsGenericThe15MinutesAreData(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(src, []byte("within: 15m")))
	thirty := changji(t, bytes.Replace(src, []byte("within: 15m"), []byte("within: 30m"), 1))

	cases := []struct {
		name string
		def  *workflow.Definition
		late bool
	}{
		{"3.2 as written: a written report 20 minutes after the phone report is 迟报", changji(t), true},
		{"a copy with 30 minutes: the same report is on time", thirty, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRun(t, tc.def)
			r.ok("09:00", "report.received", "yjj", m{"via": "phone"})
			r.ok("09:20", "report.written", "yjj", m{"contents": allItems})
			assert.Equal(t, tc.late, r.inst.HasFlag("late-report"))
		})
	}

	// A reload that would change a live instance is reported.
	r := newRun(t, changji(t))
	r.ok("09:00", "report.received", "yjj", m{"via": "phone"})
	r.ok("09:20", "report.written", "yjj", m{"contents": allItems})
	_, err = thirty.Rebase(t.Context(), r.inst)
	require.ErrorIs(t, err, workflow.ErrReloadChanges)
	var re *workflow.ReloadError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "flags", re.Field)
}

func TestEngineIsGenericASyntheticJurisdiction(t *testing.T) {
	national, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	src, err := os.ReadFile("testdata/synthetic/workflow.yaml")
	require.NoError(t, err)
	dir := workflow.Actors{{ID: "dispatch", Aliases: []string{"Dispatch Centre"}}, {ID: "fire-brigade"}, {ID: "chief"}}
	def, ds := workflow.Compile("workflow.yaml", src, national.Grading, workflow.WithActors(dir))
	require.Empty(t, ds, "%s", ds.Error())
	def = def.ForPlan(workflow.PlanRef{ID: "national-493"})

	r := newRun(t, def)
	r.ok("09:00", "call.logged", "Dispatch Centre", m{"facts": m{"deaths": 3}})
	assert.Equal(t, "relatively-serious", r.inst.Level, "Decree 493 Art. 3: 3 deaths is 较大")
	ge := guardOf(t, r.try("09:05", "unit.dispatched", "fire-brigade", m{"unit": "fire-brigade"}))
	assert.Equal(t, "dispatcher-only", ge.Guard)
	r.ok("09:12", "unit.dispatched", "dispatch", m{"unit": "fire-brigade"})
	assert.True(t, r.inst.HasFlag("slow-dispatch"))
	assert.Equal(t, "fire-brigade", r.inst.Command.Holder)
	assert.Equal(t, 1.0, r.inst.Vars["units"])
	assert.Equal(t, "serious-needs-chief", guardOf(t, r.try("10:00", "incident.closed", "dispatch", nil)).Guard)
	r.ok("10:00", "incident.closed", "chief", nil)
	assert.Equal(t, "done", r.inst.Phase)
}
