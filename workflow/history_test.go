package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// longRun is the event that a long incident repeats: a new assessment
// (3.2 续报 opens again) and the follow-up report that answers it.
func longRun(n int, start workflow.Time) []workflow.Event {
	evs := []workflow.Event{
		{ID: "r1", Type: "report.received", Actor: "yjj", Data: m{"via": "phone", "from": "local-emergency-bureau", "incident": m{"deaths": 1.0, "localities": []string{"qitai"}}}},
		{ID: "r2", Type: "report.written", Actor: "yjj", Data: m{"contents": allItems}},
		{ID: "r3", Type: "response.activated", Actor: "local-government", Data: m{"level": "IV"}},
	}
	for i := len(evs); i < n; i++ {
		if i%2 == 1 {
			evs = append(evs, workflow.Event{ID: fmt.Sprintf("a%d", i), Type: "assessment.updated", Actor: "yjj", Data: m{"incident": m{"deaths": 1.0}}})
		} else {
			evs = append(evs, workflow.Event{ID: fmt.Sprintf("f%d", i), Type: "report.followup", Actor: "yjj", Data: m{"summary": "续报"}})
		}
	}
	for i := range evs {
		at := start.Add(time.Duration(i) * time.Second)
		evs[i].OccurredAt, evs[i].RecordedAt = at, at
	}
	return evs[:n]
}

// changjiWith compiles the Changji workflow with options.
func changjiWith(t testing.TB, opts ...workflow.Option) *workflow.Definition {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	def, ds := workflow.Compile("workflow.yaml", src, changjiRules(t), append([]workflow.Option{workflow.WithActors(orgchartActors(t))}, opts...)...)
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	return def.ForPlan(testRef)
}

func TestAnEarlierInstanceIsNeverChangedByALaterApply(t *testing.T) {
	def := changji(t)
	ctx := context.Background()
	evs := longRun(12, at("09:00"))
	apply := func(inst workflow.Instance, ev workflow.Event) workflow.Instance {
		t.Helper()
		next, _, err := def.Apply(ctx, inst, ev)
		require.NoError(t, err)
		return next
	}
	var kept []workflow.Instance
	var snaps []string
	keep := func(inst workflow.Instance) {
		kept = append(kept, inst)
		snaps = append(snaps, mustJSON(t, inst))
	}

	inst := def.Start("inc-1")
	for _, ev := range evs[:5] {
		inst = apply(inst, ev)
		keep(inst)
	}
	base := inst
	// Two branches from base: the first appends in place, the second
	// finds base no longer the newest and copies.
	a := apply(base, evs[5])
	other := evs[5]
	other.ID, other.Type, other.Data = "other", "report.followup", m{"summary": "另一条续报"}
	b := apply(base, other)
	keep(a)
	keep(b)
	for _, ev := range evs[6:] {
		a = apply(a, ev)
		b = apply(b, ev)
		keep(a)
		keep(b)
	}
	// A rejected event on the newest instance, and a duplicate, leave it
	// as it was and keep it able to grow.
	_, _, err := def.Apply(ctx, a, workflow.Event{ID: "bad", Type: "rescue.suspended", Actor: "hq", OccurredAt: at("10:00"), RecordedAt: at("10:00"), Data: m{"reason": "rescuers-threatened"}})
	require.ErrorIs(t, err, workflow.ErrGuardRejected)
	_, eff, err := def.Apply(ctx, a, a.Log()[3])
	require.NoError(t, err)
	require.True(t, eff.Duplicate)
	// A caller's append to a log it was given reallocates: nothing of it
	// reaches the instance or the next one.
	_ = append(a.Log(), workflow.Event{ID: "forged"})
	_ = append(kept[1].Log(), workflow.Event{ID: "forged"}) // would land in kept[2]'s second event
	next := apply(a, workflow.Event{ID: "last", Type: "report.followup", Actor: "yjj", OccurredAt: at("10:00"), RecordedAt: at("10:00")})
	assert.Equal(t, "last", next.Log()[next.Len()-1].ID)
	keep(next)

	for i, inst := range kept {
		assert.Equal(t, snaps[i], mustJSON(t, inst), "instance %d changed after it was returned", i)
	}
	ids := func(evs []workflow.Event) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.ID)
		}
		return out
	}
	assert.Equal(t, ids(evs), ids(a.Log()), "branch a holds base's events and its own")
	assert.Equal(t, append(ids(evs[:5]), append([]string{"other"}, ids(evs[6:])...)...), ids(b.Log()), "branch b holds base's events and its own")
	assert.NotEqual(t, mustJSON(t, a), mustJSON(t, b), "the branches went their own ways")
	for _, inst := range []workflow.Instance{a, b, next} {
		again, err := def.Replay(ctx, inst.ID, inst.Log())
		require.NoError(t, err)
		assert.Equal(t, mustJSON(t, inst), mustJSON(t, again), "each branch replays to itself")
	}
}

func TestAnInstanceDecodedFromJSONGoesOn(t *testing.T) {
	def := changji(t)
	evs := longRun(9, at("09:00"))
	inst, err := def.Replay(t.Context(), "inc-1", evs[:6])
	require.NoError(t, err)
	var back workflow.Instance
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, inst)), &back))
	for _, ev := range evs[6:] {
		var e1, e2 workflow.Effects
		inst, e1, err = def.Apply(t.Context(), inst, ev)
		require.NoError(t, err)
		back, e2, err = def.Apply(t.Context(), back, ev)
		require.NoError(t, err)
		assert.Equal(t, e1, e2)
	}
	assert.Equal(t, mustJSON(t, inst), mustJSON(t, back))
}

func TestConcurrentBranchesOfOneInstance(t *testing.T) {
	def := changji(t)
	evs := longRun(30, at("09:00"))
	base, err := def.Replay(t.Context(), "inc-1", evs[:10])
	require.NoError(t, err)
	want, err := def.Replay(t.Context(), "inc-1", evs)
	require.NoError(t, err)
	var wg sync.WaitGroup
	got := make([]string, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst := base
			for _, ev := range evs[10:] {
				next, _, err := def.Apply(context.Background(), inst, ev)
				if err != nil {
					got[g] = err.Error()
					return
				}
				inst = next
			}
			b, _ := json.Marshal(inst)
			got[g] = string(b)
		}()
	}
	wg.Wait()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	for g := range got {
		assert.Equal(t, string(w), got[g], "goroutine %d", g)
	}
}

func TestMaxLogCapsTheInstance(t *testing.T) {
	def := changjiWith(t, workflow.MaxLog(4))
	evs := longRun(5, at("09:00"))
	inst, err := def.Replay(t.Context(), "inc-1", evs[:4])
	require.NoError(t, err)
	next, _, err := def.Apply(t.Context(), inst, evs[4])
	require.ErrorIs(t, err, workflow.ErrLogFull)
	assert.Equal(t, mustJSON(t, inst), mustJSON(t, next))
	ps := diag.ProblemsOf(err)
	require.Len(t, ps, 1)
	assert.Equal(t, workflow.CodeLogFull, ps[0].Code)
	assert.Equal(t, "4", ps[0].Params["max"])

	_, err = def.Replay(t.Context(), "inc-1", evs)
	var re *workflow.ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 5, re.Seq)
	assert.ErrorIs(t, err, workflow.ErrLogFull)
	assert.Equal(t, []string{workflow.CodeReplayRejected, workflow.CodeLogFull}, codes(diag.ProblemsOf(err)))
}

func codes(ps []diag.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

// TestReplayGrowsLinearly guards against a log copied per event (issue 15
// (12): quadratic replay). It measures bytes allocated, not time: a
// replay of 20 000 events may allocate per event at most a few times what
// one of 2 000 does (amortised growth), where a copy per event would be
// ten times as much.
func TestReplayGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 22 000 events")
	}
	def := changjiWith(t, workflow.MaxLog(50_000))
	perEvent := func(n int) float64 {
		evs := longRun(n, at("09:00"))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := def.Replay(t.Context(), "inc-1", evs)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	}
	small, large := perEvent(2_000), perEvent(20_000)
	assert.Less(t, large, 3*small, "bytes per event: %.0f at 2 000 events, %.0f at 20 000", small, large)
}
