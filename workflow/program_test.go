package workflow_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/plans"
	"github.com/yingji/yingji/workflow"
)

// TestFirstRunsAtOnce: a definition's expressions become bytecode when
// first run; eight incidents driven at once on a plan just loaded (so
// that their first runs race) end as one driven alone does. Run with
// -race.
func TestFirstRunsAtOnce(t *testing.T) {
	ctx := context.Background()
	t0, err := workflow.ParseTime("2025-10-15T09:00:00+06:00")
	require.NoError(t, err)
	at := func(min int) workflow.Time {
		tm, _ := workflow.ParseTime(t0.Time().Add(time.Duration(min) * time.Minute).Format(time.RFC3339))
		return tm
	}
	events := []workflow.Event{
		{ID: "1", Type: "report.received", Actor: "local-emergency-bureau", OccurredAt: at(0), RecordedAt: at(0),
			Data: map[string]any{"via": "phone", "from": "accident-unit", "incident": map[string]any{"deaths": 4.0, "localities": []string{"qitai"}, "industries": []string{"building"}}}},
		{ID: "2", Type: "report.received", Actor: "yjj", OccurredAt: at(4), RecordedAt: at(4),
			Data: map[string]any{"via": "phone", "from": "local-emergency-bureau"}},
		{ID: "3", Type: "report.written", Actor: "yjj", OccurredAt: at(12), RecordedAt: at(12),
			Data: map[string]any{"from": "local-emergency-bureau", "contents": []string{"reporter", "type", "situation", "outlook", "support"}}},
	}
	drive := func(def *workflow.Definition, id string) string {
		inst := def.Start(id)
		for _, ev := range events {
			var err error
			inst, _, err = def.Apply(ctx, inst, ev)
			require.NoError(t, err)
		}
		out, err := json.Marshal(inst)
		require.NoError(t, err)
		return string(out)
	}
	load := func() *workflow.Definition {
		sub, err := fs.Sub(plans.FS, yingji.DefaultPlan)
		require.NoError(t, err)
		p, err := yingji.Load(sub)
		require.NoError(t, err)
		return p.Workflow
	}
	want := drive(load(), "incident")
	def := load()
	got := make([]string, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = drive(def, "incident") })
	}
	wg.Wait()
	for i := range got {
		require.JSONEq(t, want, got[i], "incident %d", i)
	}
}
