package workflow_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/workflow"
)

func loadDrill(t testing.TB, path string) *workflow.Drill {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	f, ds := yamlx.Parse(filepath.Base(path), src)
	require.Empty(t, ds)
	dr, ds := workflow.ParseDrill(f)
	require.Empty(t, ds, "%s", ds.Error())
	return dr
}

func TestDrillsGoldenTimelines(t *testing.T) {
	paths, err := filepath.Glob("../examples/drills/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(paths), 3)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			tl, err := changji(t).RunDrill(t.Context(), loadDrill(t, path))
			require.NoError(t, err)
			for _, st := range tl.Steps {
				assert.True(t, st.AsExpected, "step %d %s: expected %s, got %s", st.N, st.Event, st.Expect, st.Error)
			}
			b, err := json.MarshalIndent(tl, "", "  ")
			require.NoError(t, err)
			golden(t, "drill-"+name+".json", string(b)+"\n")
			golden(t, "drill-"+name+".md", tl.Markdown())
		})
	}
}

func TestDrillEscalationShowsTransferAndLateReport(t *testing.T) {
	tl, err := changji(t).RunDrill(t.Context(), loadDrill(t, "../examples/drills/iv-to-iii-escalation.yaml"))
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
	tl, err := changji(t).RunDrill(t.Context(), loadDrill(t, "../examples/drills/iv-county.yaml"))
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

	esc, err := changji(t).RunDrill(t.Context(), loadDrill(t, "../examples/drills/iv-to-iii-escalation.yaml"))
	require.NoError(t, err)
	rejected := esc.Steps[4]
	assert.False(t, rejected.Accepted)
	assert.Equal(t, "authority-III", rejected.Rejection, "4.2 the county may not start Ⅲ")
	assert.Contains(t, rejected.Error, "Ⅲ级应急响应由昌吉州人民政府或者自治区有关部门决定启动")
}

func TestParseDrillReportsPositions(t *testing.T) {
	src := "title: t\nstart: \"2025-10-15T09:00:00\"\nsteps: []\n"
	f, _ := yamlx.Parse("d.yaml", []byte(src))
	_, ds := workflow.ParseDrill(f)
	require.Len(t, ds, 1)
	assert.Equal(t, "d.yaml:2:8", ds[0].Subject.String(), "a start without an offset is an error")

	src = "title: t\nstart: \"2025-10-15T09:00:00+06:00\"\nsteps:\n  - {at: \"+10m\", event: a, actor: b}\n  - {at: \"+5m\", event: a, actor: b}\n  - {at: soon, event: a, actor: b}\n"
	f, _ = yamlx.Parse("d.yaml", []byte(src))
	_, ds = workflow.ParseDrill(f)
	require.Len(t, ds, 2)
	assert.Equal(t, "d.yaml:5:10", ds[0].Subject.String())
	assert.Contains(t, ds[0].Summary, "goes back on the clock")
	assert.Equal(t, "d.yaml:6:10", ds[1].Subject.String())
}
