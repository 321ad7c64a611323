package yingji_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// fixedClock is a test clock that advances a minute per reading.
func fixedClock() func() time.Time {
	var n atomic.Int64
	base := time.Date(2025, 10, 15, 9, 0, 0, 0, time.FixedZone("UTC+6", 6*3600))
	return func() time.Time { return base.Add(time.Duration(n.Add(1)-1) * time.Minute) }
}

func counterIDs() func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("d-%d", n.Add(1)) }
}

func TestEngineStatusAfterGoodAndFailedReload(t *testing.T) {
	clock := fixedClock()
	p, err := yingji.Default(yingji.WithClock(clock))
	require.NoError(t, err)
	e := yingji.NewEngine(p)

	st := e.Status()
	assert.Equal(t, "changji-2025", st.Plan.ID)
	assert.Equal(t, p.Hash, st.Plan.Hash)
	assert.Nil(t, st.LastReload, "no reload yet")
	assert.Equal(t, 0, st.Reloads)
	loaded := st.LoadedAt

	// A good reload with edited thresholds swaps the plan in.
	np, err := e.Reload(movedThreshold(t))
	require.NoError(t, err)
	st = e.Status()
	assert.Equal(t, np.Hash, st.Plan.Hash)
	require.NotNil(t, st.LastReload)
	assert.True(t, st.LastReload.OK)
	assert.True(t, st.LastReload.Changed)
	assert.Empty(t, st.LastReload.Diagnostics)
	assert.True(t, st.LoadedAt.After(loaded), "LoadedAt comes from the injected clock at the swap")
	assert.Len(t, st.Retained, 2, "the first plan stays reachable by hash")
	assert.Equal(t, np.Hash, st.Retained[0].Hash, "the served plan first")

	// A broken edit keeps the plan and says why.
	broken := planCopy(t, "changji-2025")
	edit(t, broken, "grading.yaml", "- deathsAndMissing: 30 人以上", "- deathsAndMissing: 30 人以")
	_, err = e.Reload(broken)
	require.Error(t, err)
	st = e.Status()
	assert.Equal(t, np.Hash, st.Plan.Hash, "still serving the last good plan")
	assert.Equal(t, 2, st.Reloads)
	require.NotNil(t, st.LastReload)
	assert.False(t, st.LastReload.OK)
	require.NotEmpty(t, st.LastReload.Diagnostics)
	assert.Equal(t, "grading.yaml", st.LastReload.Diagnostics[0].Subject.Filename)

	// Reloading the same content is recorded but changes nothing.
	_, err = e.Reload(movedThreshold(t))
	require.NoError(t, err)
	st = e.Status()
	assert.True(t, st.LastReload.OK)
	assert.False(t, st.LastReload.Changed)
	assert.Same(t, np, e.Plan())
}

func TestOptionsRefuseBadValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  yingji.Option
	}{
		{"MaxNodes 0", yingji.MaxNodes(0)},
		{"MemoryBudget 0", yingji.MemoryBudget(0)},
		{"MaxFileSize -1", yingji.MaxFileSize(-1)},
		{"nil clock", yingji.WithClock(nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := yingji.Default(tc.opt)
			var oe *yingji.OptionError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, yingji.CodeOption, diag.ProblemsOf(err)[0].Code)
		})
	}
}

// event builds an event at minutes after 09:00 Xinjiang time (UTC+6).
func event(id, typ, actor string, minutes int, data map[string]any) workflow.Event {
	at := workflow.TimeOf(time.Date(2025, 10, 15, 9, minutes, 0, 0, time.FixedZone("", 6*3600)))
	return workflow.Event{ID: id, Type: typ, Actor: actor, OccurredAt: at, RecordedAt: at, Data: data}
}

func phoneReport(deaths int) workflow.Event {
	return event("e1", "report.received", "yjj", 0, map[string]any{
		"via": "phone", "from": "local-emergency-bureau",
		"incident": map[string]any{"deaths": deaths, "localities": []any{"jimsar"}}})
}

func TestMigrateReportsAChangedLevel(t *testing.T) {
	ctx := context.Background()
	p, err := yingji.Default()
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	inst, err := e.Start("inc-1")
	require.NoError(t, err)
	// 1.5 较大 (1): 3 人以上、10 人以下死亡 — 10 deaths is 重大 (1) under the text.
	inst, _, err = e.Apply(ctx, inst, phoneReport(10))
	require.NoError(t, err)
	require.Equal(t, "serious", inst.Level)

	_, err = e.Reload(movedThreshold(t)) // 重大 from 12, 较大 3–11
	require.NoError(t, err)

	// The live instance goes on under its own plan.
	next, _, err := e.Apply(ctx, inst, event("e2", "report.written", "yjj", 10, map[string]any{
		"from": "local-emergency-bureau", "contents": []any{"reporter", "type", "situation", "outlook", "support"}}))
	require.NoError(t, err, "an instance keeps working under the revision it started under")
	assert.Equal(t, p.Hash, next.Plan.Hash)

	migs, err := e.Migrate(ctx, []workflow.Instance{next}, false)
	require.NoError(t, err)
	require.Len(t, migs, 1)
	m := migs[0]
	assert.True(t, m.Changes())
	assert.Nil(t, m.Migrated, "a dry run migrates nothing")
	assert.Equal(t, p.Hash, m.From.Hash)
	assert.Equal(t, e.Plan().Hash, m.To.Hash)
	var level *yingji.Divergence
	for i := range m.Divergences {
		if m.Divergences[i].Kind == "level" {
			level = &m.Divergences[i]
		}
	}
	require.NotNil(t, level, "the edit regrades 10 deaths: %+v", m.Divergences)
	assert.Equal(t, "serious", level.Old)
	assert.Equal(t, "relatively-serious", level.New)

	migs, err = e.Migrate(ctx, []workflow.Instance{next}, true)
	require.NoError(t, err)
	require.NotNil(t, migs[0].Migrated)
	assert.Equal(t, e.Plan().Hash, migs[0].Migrated.Plan.Hash)
	assert.Equal(t, "relatively-serious", migs[0].Migrated.Level)
}

func TestMigrateReportsNothingWhenNothingChanges(t *testing.T) {
	ctx := context.Background()
	p, err := yingji.Default()
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	inst, err := e.Start("inc-2")
	require.NoError(t, err)
	inst, _, err = e.Apply(ctx, inst, phoneReport(1))
	require.NoError(t, err)
	_, err = e.Reload(movedThreshold(t)) // moves 10–11 deaths; 1 death is 一般 under both
	require.NoError(t, err)
	migs, err := e.Migrate(ctx, []workflow.Instance{inst}, true)
	require.NoError(t, err)
	require.Len(t, migs, 1)
	assert.False(t, migs[0].Changes(), "%+v", migs[0].Divergences)
	assert.Equal(t, []yingji.Divergence{}, migs[0].Divergences)
	require.NotNil(t, migs[0].Migrated)
	assert.Equal(t, e.Plan().Hash, migs[0].Migrated.Plan.Hash)
}

func TestApplyWithAForgottenPlanIsAnError(t *testing.T) {
	ctx := context.Background()
	p, err := yingji.Default()
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	inst, err := e.Start("inc-3")
	require.NoError(t, err)
	_, err = e.Reload(movedThreshold(t))
	require.NoError(t, err)
	e.Forget(p.Hash)
	_, _, err = e.Apply(ctx, inst, phoneReport(1))
	var up *yingji.UnknownPlanError
	require.ErrorAs(t, err, &up)
	assert.Equal(t, yingji.CodeUnknownPlan, diag.ProblemsOf(err)[0].Code)
}

// memorySink keeps decisions, safely for concurrent use.
type memorySink struct {
	mu sync.Mutex
	ds []yingji.Decision
}

func (s *memorySink) Record(_ context.Context, d yingji.Decision) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ds = append(s.ds, d)
	return nil
}

func TestDecisionRecordOfAGrade(t *testing.T) {
	sink := &memorySink{}
	p, err := yingji.Default(yingji.WithDecisionSink(sink), yingji.WithClock(fixedClock()), yingji.WithDecisionIDs(counterIDs()))
	require.NoError(t, err)
	ctx := yingji.WithPrincipal(context.Background(), "duty-officer-1")
	res, err := p.ClassifyJSON(ctx, []byte(`{"deaths": 12, "missing": 0}`))
	require.NoError(t, err)
	lv, _ := res.Level()
	require.Equal(t, "serious", lv.ID)

	require.Len(t, sink.ds, 1)
	d := sink.ds[0]
	assert.Equal(t, "d-1", d.ID)
	assert.Equal(t, yingji.DecisionClassify, d.Kind)
	assert.Equal(t, "duty-officer-1", d.Principal)
	assert.Equal(t, p.Hash, d.Plan.Hash)
	assert.Equal(t, "changji-2025", d.Plan.ID)
	assert.Equal(t, map[string]any{"deaths": 12.0, "missing": 0.0}, d.Facts)
	assert.Contains(t, d.Unknown, "directLoss", "unknown stays unknown, never 0")
	assert.NotContains(t, d.Unknown, "deaths")
	assert.Equal(t, "serious", d.Result.Level)
	assert.Equal(t, "II", d.Result.Response)
	assert.Equal(t, []string{"1.5 重大 (1)"}, d.Result.Matched, "1.5 重大 (1): 10 人以上、30 人以下死亡（含失踪）")
	assert.True(t, d.Result.Provisional, "unknown facts (directLoss …) could still raise it")
	assert.Equal(t, "especially-serious", d.Result.Ceiling, "unknown facts could still reach 特别重大")
}

func TestDecisionRecordOfARejectedInput(t *testing.T) {
	sink := &memorySink{}
	p, err := yingji.Default(yingji.WithDecisionSink(sink))
	require.NoError(t, err)
	_, err = p.ClassifyJSON(context.Background(), []byte(`{"deaths": -1}`))
	require.Error(t, err)
	require.Len(t, sink.ds, 1)
	require.NotNil(t, sink.ds[0].Result.Error)
	assert.Equal(t, "", sink.ds[0].Result.Level)
}

func TestADecisionThatCannotBeRecordedIsNotGiven(t *testing.T) {
	failing := yingji.DecisionSinkFunc(func(context.Context, yingji.Decision) error { return errors.New("disk full") })
	p, err := yingji.Default(yingji.WithDecisionSink(failing))
	require.NoError(t, err)
	_, err = p.ClassifyJSON(context.Background(), []byte(`{"deaths": 12}`))
	require.ErrorIs(t, err, yingji.ErrDecisionNotRecorded)
	assert.Equal(t, yingji.CodeDecisionNotRecorded, diag.ProblemsOf(err)[0].Code)
}

func TestDecisionRecordOfAnEvent(t *testing.T) {
	sink := &memorySink{}
	p, err := yingji.Default(yingji.WithDecisionSink(sink))
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	inst, err := e.Start("inc-4")
	require.NoError(t, err)
	ctx := context.Background()
	inst, _, err = e.Apply(ctx, inst, phoneReport(1))
	require.NoError(t, err)
	// 4.2: a Ⅲ response is started by 昌吉州人民政府, not by the county.
	_, _, err = e.Apply(ctx, inst, event("e2", "response.activated", "local-government", 5, map[string]any{"level": "III"}))
	require.ErrorIs(t, err, workflow.ErrGuardRejected)
	require.Len(t, sink.ds, 2)
	ok, rej := sink.ds[0], sink.ds[1]
	assert.Equal(t, yingji.DecisionApply, ok.Kind)
	assert.Equal(t, "inc-4", ok.Incident)
	require.NotNil(t, ok.Result.Accepted)
	assert.True(t, *ok.Result.Accepted)
	assert.Equal(t, "report.received", ok.Result.Event)
	require.NotNil(t, rej.Result.Accepted)
	assert.False(t, *rej.Result.Accepted)
	require.NotNil(t, rej.Result.Error)
	assert.NotEmpty(t, rej.Result.Error.Code)
}

// TestDecisionSinkWhileReloading records decisions from many goroutines
// while the engine swaps plans; run with -race. Every record names the
// plan that produced its grade.
func TestDecisionSinkWhileReloading(t *testing.T) {
	sink := &memorySink{}
	a, err := yingji.Default(yingji.WithDecisionSink(sink))
	require.NoError(t, err)
	e := yingji.NewEngine(a)
	b, err := yingji.Load(movedThreshold(t), yingji.WithDecisionSink(sink))
	require.NoError(t, err)
	ctx := context.Background()
	const workers, each = 4, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				_, err := e.ClassifyJSON(ctx, []byte(`{"deaths": 10}`))
				if !assert.NoError(t, err, "worker %d call %d", w, i) {
					return
				}
			}
		}()
	}
	for i := range 50 {
		if i%2 == 0 {
			e.Swap(b)
		} else {
			e.Swap(a)
		}
	}
	wg.Wait()
	require.Len(t, sink.ds, workers*each)
	for _, d := range sink.ds {
		switch d.Plan.Hash {
		case a.Hash:
			assert.Equal(t, "serious", d.Result.Level, "10 deaths is 重大 under the text")
		case b.Hash:
			assert.Equal(t, "relatively-serious", d.Result.Level, "10 deaths is 较大 under the edit")
		default:
			t.Fatalf("a record names a plan neither served: %s", d.Plan.Hash)
		}
	}
}
