package yingji_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/internal/golden"
	"github.com/yingji/yingji/workflow"
)

// roundTrip encodes v, decodes it into a fresh value of its type, encodes
// that again and requires the same bytes; it returns the indented JSON for
// a golden file.
func roundTrip[T any](t *testing.T, v T) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	assert.Equal(t, string(b), string(b2), "the second encoding is byte for byte the first")
	ind, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	assert.NotContains(t, string(ind), ": null", "empty collections are [], never null")
	return string(ind) + "\n"
}

// TestRootJSON pins the JSON of the root package's public types: decision
// records, engine status, migrations and the manifest (camelCase, [] for
// nothing, names beside ids).
func TestRootJSON(t *testing.T) {
	var ids atomic.Int64
	clock := func() time.Time { return time.Date(2025, 10, 15, 3, 0, 0, 0, time.UTC) }
	var decisions []yingji.Decision
	sink := yingji.DecisionSinkFunc(func(_ context.Context, d yingji.Decision) error {
		decisions = append(decisions, d)
		return nil
	})
	opts := []yingji.Option{yingji.WithDecisionSink(sink), yingji.WithClock(clock),
		yingji.WithDecisionIDs(func() string { return fmt.Sprintf("d-%d", ids.Add(1)) })}
	p, err := yingji.Default(opts...)
	require.NoError(t, err)
	ctx := yingji.WithPrincipal(context.Background(), "duty-officer")

	// 1.5 重大 (1): 12 deaths, the rest unknown.
	_, err = p.ClassifyJSON(ctx, []byte(`{"deaths": 12}`))
	require.NoError(t, err)
	_, err = p.ClassifyJSON(ctx, []byte(`{"deaths": -1}`))
	require.Error(t, err)
	_, err = p.Roster(ctx, "Ⅲ", []string{"道路交通"}, []string{"昌吉市"})
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	inst, err := e.Start("inc-1")
	require.NoError(t, err)
	inst, _, err = p.Apply(ctx, inst, event("e1", "report.received", "yjj", 0, map[string]any{
		"via": "phone", "from": "local-emergency-bureau", "incident": map[string]any{"deaths": 10}}))
	require.NoError(t, err)
	require.Len(t, decisions, 4)
	for i, d := range decisions {
		d.Plan.Hash = "sha256:…" // the plan's content hash changes with every edit of its data
		golden.Check(t, fmt.Sprintf("decision-%d.json", i+1), roundTrip(t, d))
	}

	_, err = e.Reload(movedThreshold(t))
	require.NoError(t, err)
	st := e.Status()
	st.Plan.Hash, st.LastReload.Plan.Hash = "sha256:edited", "sha256:edited" // the hash of the copy is not the subject here
	for i := range st.Retained {
		st.Retained[i].Hash = fmt.Sprintf("sha256:%d", i)
	}
	golden.Check(t, "status.json", roundTrip(t, st))

	migs, err := e.Migrate(ctx, []workflow.Instance{inst}, false)
	require.NoError(t, err)
	m := migs[0]
	m.From.Hash, m.To.Hash = "sha256:text", "sha256:edited"
	golden.Check(t, "migration.json", roundTrip(t, m))

	golden.Check(t, "manifest-national-493.json", roundTrip(t, mustEmbedded(t, "national-493").Manifest))
}

func mustEmbedded(t *testing.T, id string) *yingji.Plan {
	t.Helper()
	p, err := yingji.Embedded(id)
	require.NoError(t, err)
	return p
}
