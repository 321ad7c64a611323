package workflow_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
	"github.com/yingji/yingji/workflow"
)

func syntheticSource(t testing.TB) string {
	t.Helper()
	src, err := os.ReadFile("testdata/synthetic/workflow.yaml")
	require.NoError(t, err)
	return string(src)
}

var syntheticDir = workflow.Actors{{ID: "dispatch"}, {ID: "fire-brigade"}, {ID: "chief"}}

func compileSynthetic(t testing.TB, src string) (*workflow.Definition, diag.Diagnostics) {
	t.Helper()
	national, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	f, ds := yamlx.Parse("workflow.yaml", []byte(src))
	if ds.HasErrors() {
		return nil, ds
	}
	return workflow.Compile(f, national.Grading, syntheticDir)
}

func TestCompileReportsEveryBadReference(t *testing.T) {
	cases := []struct {
		name, old, new, code, at, summary string
	}{
		{"unknown unit", "assignee: dispatch", "assignee: dispach", "unknown-actor", "workflow.yaml:54:15", `unknown actor "dispach"`},
		{"unknown phase", "phases: [open, active]", "phases: [open, actve]", "unknown-phase", "workflow.yaml:28:20", `unknown phase "actve"`},
		{"unknown event", "{event: incident.closed,", "{event: incident.close,", "unknown-event", "workflow.yaml:49:13", `unknown event "incident.close"`},
		{"unknown level", `rank("relatively-serious")`, `rank("relatively-serius")`, "unknown-level", "workflow.yaml:46:44", `unknown level "relatively-serius"`},
		{"unknown actor in a guard", `event.actor == "dispatch"`, `event.actor == "dispatsh"`, "unknown-actor", "workflow.yaml:35:30", `unknown actor "dispatsh"`},
		{"unknown variable", "instance.vars.units + 1", "instance.vars.unit + 1", "unknown-var", "workflow.yaml:37:35", `unknown variable "unit"`},
		{"unknown data field", "holder: event.data.unit,", "holder: event.data.unti,", "unknown-field", "workflow.yaml:38:36", `no event here has a data field "unti"`},
		{"unknown grading input", `instance.command.holder == ""`, `instance.facts.death == 0`, "unknown-input", "workflow.yaml:38:64", `unknown grading input "death"`},
		{"unknown field type", "type: incident", "type: incidnet", "unknown-type", "workflow.yaml:23:29", `unknown field type "incidnet"`},
		{"expr syntax", `event.actor == "dispatch"`, `event.actor == `, "expr", "workflow.yaml:35:28", "expression error: unexpected token EOF"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := syntheticSource(t)
			require.Contains(t, src, tc.old)
			def, ds := compileSynthetic(t, strings.Replace(src, tc.old, tc.new, 1))
			require.Nil(t, def)
			errs := ds.Errors()
			require.NotEmpty(t, errs)
			assert.Equal(t, tc.code, errs[0].Code, ds.Error())
			assert.Equal(t, tc.at, errs[0].Subject.String(), ds.Error())
			assert.True(t, strings.HasPrefix(errs[0].Summary, tc.summary), errs[0].Summary)
		})
	}
}

func TestCompileRendersDiagnosticsWithCarets(t *testing.T) {
	src := strings.Replace(syntheticSource(t), `event.actor == "dispatch"`, `event.actor == "调度中心"`, 1)
	src = strings.Replace(src, "assignee: dispatch", "assignee: dispach", 1)
	_, ds := compileSynthetic(t, src)
	got := diag.RenderString(ds, diag.Sources{"workflow.yaml": []byte(src)})
	golden(t, "diagnostics.txt", got)
}

func TestChangjiWorkflowCompilesCleanly(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	f, ds := yamlx.Parse("workflow.yaml", src)
	require.Empty(t, ds)
	_, ds = workflow.Compile(f, changjiRules(t), orgchartActors(t))
	assert.Empty(t, ds, "%s", ds.Error())
}
