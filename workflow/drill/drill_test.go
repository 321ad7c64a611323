package drill_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/golden"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/drill"
)

var testRef = workflow.PlanRef{ID: "changji-2025", Revision: "2025-09-24", Hash: "sha256:test"}

var (
	defOnce sync.Once
	def     *workflow.Definition
	defErr  error
)

// changji is the default plan's workflow without its roster hook, bound to
// a fixed plan reference so that the golden files do not follow the
// plan's content hash.
func changji(t testing.TB) *workflow.Definition {
	t.Helper()
	defOnce.Do(func() {
		p, err := yingji.Default()
		if err != nil {
			defErr = err
			return
		}
		def = p.Workflow.WithRoster(nil).ForPlan(testRef)
	})
	require.NoError(t, defErr)
	return def
}

func load(t testing.TB, path string) *drill.Drill {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	dr, ds := drill.Parse(filepath.Base(path), src)
	require.Empty(t, ds, "%s", ds.Error())
	return dr
}

func TestDrillsGoldenTimelines(t *testing.T) {
	paths, err := filepath.Glob("../../examples/drills/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 3)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			tl, err := drill.Run(t.Context(), changji(t), load(t, path))
			require.NoError(t, err)
			for _, st := range tl.Steps {
				assert.True(t, st.AsExpected, "step %d %s: expected %s, got %s", st.N, st.Event, st.Expect, st.Error)
			}
			b, err := json.MarshalIndent(tl, "", "  ")
			require.NoError(t, err)
			golden.Check(t, name+".json", string(b)+"\n")
			golden.Check(t, name+".md", tl.Markdown())
		})
	}
}

func TestDrillEscalationShowsTransferAndLateReport(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "III", tl.Response, "4.2 昌吉州人民政府 activated Ⅲ")
	assert.Equal(t, "relatively-serious", tl.Level)
	assert.Equal(t, "site-hq", tl.CommandHolder)
	assert.Equal(t, "hq", tl.CommandFormed, "2.5 the prefecture-formed site HQ holds command")
	var flags []string
	for _, f := range tl.Flags {
		flags = append(flags, f.Name)
	}
	assert.Contains(t, flags, "迟报", "3.2 written 22 minutes after the phone report")
	md := tl.Markdown()
	assert.Contains(t, md, "command: site-hq (local-government) → site-hq (hq)")
	assert.Contains(t, md, "迟报")
	// The region's decision was written in Beijing time and kept so.
	assert.Equal(t, "2025-10-15T11:50:00+08:00", tl.Steps[5].OccurredAt.String())
}

func TestDrillJSONContract(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-county.yaml"))
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	for _, k := range []string{"phase", "level", "response", "commandHolder", "steps", "overdue"} {
		assert.Contains(t, got, k)
	}
	for _, st := range got["steps"].([]any) {
		for _, k := range []string{"at", "event", "accepted", "error", "phase"} {
			assert.Contains(t, st, k, "every step has %s, accepted or not", k)
		}
	}
	assert.Equal(t, []any{}, got["overdue"], "overdue is a list, empty when nothing is overdue")
	assert.Equal(t, "closed", tl.Phase)

	esc, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	rejected := esc.Steps[4]
	assert.False(t, rejected.Accepted)
	assert.Equal(t, "authority-III", rejected.Rejection, "4.2 the county may not start Ⅲ")
	assert.Contains(t, rejected.Error, "Ⅲ级应急响应由昌吉州人民政府或者自治区有关部门决定启动")
}

func TestParseReportsPositions(t *testing.T) {
	cases := []struct {
		name   string
		src    string
		at     []string
		codes  []string
		substr string
	}{
		{"a start without an offset", "title: t\nstart: \"2025-10-15T09:00:00\"\nsteps: []\n",
			[]string{"d.yaml:2:8"}, []string{drill.CodeBadTime}, "explicit UTC offset"},
		{"a step back on the clock and a step time that is no time",
			"title: t\nstart: \"2025-10-15T09:00:00+06:00\"\nsteps:\n  - {at: \"+10m\", event: a, actor: b}\n  - {at: \"+5m\", event: a, actor: b}\n  - {at: soon, event: a, actor: b}\n",
			[]string{"d.yaml:5:10", "d.yaml:6:10"}, []string{drill.CodeClockBack, drill.CodeBadTime}, "goes back on the clock"},
		{"issue 15 (5): a start in 2300 is refused, not wrapped to 1715",
			"title: t\nstart: \"2300-01-01T00:00:00+06:00\"\nsteps: []\n",
			[]string{"d.yaml:2:8"}, []string{drill.CodeTimeRange}, "outside the years 1900–2200"},
		{"an occurredAt in 2999 is refused, naming occurredAt",
			"title: t\nstart: \"2025-10-15T09:00:00+06:00\"\nsteps:\n  - {at: \"+1m\", event: a, actor: b, occurredAt: \"2999-01-01T00:00:00+06:00\"}\n",
			[]string{"d.yaml:4:49"}, []string{drill.CodeTimeRange}, "occurredAt"},
		{"an offset that carries the clock past 2200 is refused",
			"title: t\nstart: \"2199-12-01T00:00:00+06:00\"\nsteps:\n  - {at: \"+3650d\", event: a, actor: b}\n",
			[]string{"d.yaml:4:10"}, []string{drill.CodeTimeRange}, "outside the years 1900–2200"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dr, ds := drill.Parse("d.yaml", []byte(tc.src))
			assert.Nil(t, dr)
			require.Len(t, ds, len(tc.at), "%s", ds.Error())
			for i := range tc.at {
				assert.Equal(t, tc.at[i], ds[i].Subject.String())
				assert.Equal(t, tc.codes[i], ds[i].Code)
			}
			assert.Contains(t, ds[0].Summary, tc.substr)
		})
	}
}

func TestRunRefusesADrillOfAnotherPlan(t *testing.T) {
	dr := load(t, "../../examples/drills/iv-county.yaml")
	other := *dr
	other.Plan = "national-493"
	_, err := drill.Run(t.Context(), changji(t), &other)
	var pe *drill.PlanError
	require.ErrorAs(t, err, &pe)
	ps := diag.ProblemsOf(err)
	require.Len(t, ps, 1)
	assert.Equal(t, drill.CodePlanMismatch, ps[0].Code)
	assert.Equal(t, "plan", ps[0].Field)
}

func TestTimelineJSONRoundTrips(t *testing.T) {
	tl, err := drill.Run(t.Context(), changji(t), load(t, "../../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	b, err := json.Marshal(tl)
	require.NoError(t, err)
	var back drill.Timeline
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.Equal(t, string(b), string(b2))
	assert.NotContains(t, string(b), "null", "empty lists are [], never null")
	assert.Contains(t, string(b), `"actorName":"昌吉州应急管理局"`, "actors with their names")
}
