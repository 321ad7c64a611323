package analysis_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/analysis"
)

func TestDiffElements(t *testing.T) {
	secs := func(n int64) *int64 { return &n }
	a := []analysis.Element{
		{Kind: "task", ID: "t1", Name: "甲", Clause: "3.2", Attrs: []analysis.Attr{{Name: "within", Value: "15m", Seconds: secs(900)}, {Name: "assignee", Value: "yjj"}}},
		{Kind: "task", ID: "gone", Clause: "4.1"},
	}
	b := []analysis.Element{
		{Kind: "task", ID: "t1", Name: "甲", Clause: "3.2", Attrs: []analysis.Attr{{Name: "within", Value: "30m", Seconds: secs(1800)}, {Name: "notify", Value: "office"}}},
		{Kind: "event", ID: "gone", Clause: "4.1"},
	}
	got := analysis.DiffElements(a, b)
	var lines []string
	for _, c := range got {
		lines = append(lines, c.Line())
	}
	assert.Equal(t, []string{
		"~ task t1 (甲) [3.2]: within 15m → 30m",
		"~ task t1 (甲) [3.2]: - assignee (yjj)",
		"~ task t1 (甲) [3.2]: + notify (office)",
		"- task gone [4.1]",
		"+ event gone [4.1]",
	}, lines)
	assert.Equal(t, int64(1800), *got[0].NewSeconds)
	assert.Empty(t, analysis.DiffElements(a, a))
	assert.NotNil(t, analysis.DiffElements(nil, nil))

	raw, err := json.Marshal(got[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"change":"changed","kind":"task","id":"t1","name":"甲","clause":"3.2","field":"within","old":"15m","new":"30m","oldSeconds":900,"newSeconds":1800}`, string(raw))
	var back analysis.ElementChange
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, got[0], back)
}

// A change seen in the roster for no industry or locality holds for every
// incident at that level; one seen only for some industries says which.
func TestDiffRostersSaysWhere(t *testing.T) {
	p := func(id, inv string) analysis.Element {
		return analysis.Element{Kind: "party", ID: id, Attrs: []analysis.Attr{{Name: "involvement", Value: inv}}}
	}
	a := []analysis.RosterView{
		{Response: "III", Elements: []analysis.Element{p("yjj", "engaged")}},
		{Response: "III", Industry: "mining", Elements: []analysis.Element{p("yjj", "engaged")}},
		{Response: "IV", Industry: "mining", Elements: []analysis.Element{p("yjj", "engaged")}},
		{Response: "IV", Industry: "roads", Elements: []analysis.Element{p("yjj", "engaged")}},
	}
	b := []analysis.RosterView{
		{Response: "III", Elements: []analysis.Element{p("yjj", "notified")}},
		{Response: "III", Industry: "mining", Elements: []analysis.Element{p("yjj", "notified")}},
		{Response: "IV", Industry: "mining", Elements: []analysis.Element{p("yjj", "engaged"), p("mines", "engaged")}},
		{Response: "IV", Industry: "roads", Elements: []analysis.Element{p("yjj", "engaged")}},
	}
	got := analysis.DiffRosters(a, b)
	require.Len(t, got, 2)
	assert.Equal(t, "at III, for every incident", got[0].Where())
	assert.Equal(t, "~ party yjj: involvement engaged → notified", got[0].Line())
	assert.Equal(t, "at IV, for industry mining", got[1].Where())
	assert.Equal(t, []string{"mining"}, got[1].Industries)
	assert.Equal(t, []string{}, got[1].Localities)
}
