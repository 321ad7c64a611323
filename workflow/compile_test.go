package workflow_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
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
	return workflow.Compile("workflow.yaml", []byte(src), national.Grading, workflow.WithActors(syntheticDir))
}

func TestCompileReportsEveryBadReference(t *testing.T) {
	cases := []struct {
		name, old, new, code, at, summary string
	}{
		{"unknown unit", "assignee: dispatch", "assignee: dispach", workflow.CodeUnknownActor, "workflow.yaml:54:15", `unknown actor "dispach"`},
		{"unknown phase", "phases: [open, active]", "phases: [open, actve]", workflow.CodeUnknownPhase, "workflow.yaml:28:20", `unknown phase "actve"`},
		{"unknown event", "{event: incident.closed,", "{event: incident.close,", workflow.CodeUnknownEvent, "workflow.yaml:49:13", `unknown event "incident.close"`},
		{"unknown level", `rank("relatively-serious")`, `rank("relatively-serius")`, workflow.CodeUnknownLevel, "workflow.yaml:46:44", `unknown level "relatively-serius"`},
		{"unknown actor in a guard", `event.actor == "dispatch"`, `event.actor == "dispatsh"`, workflow.CodeUnknownActor, "workflow.yaml:35:30", `unknown actor "dispatsh"`},
		{"unknown variable", "instance.vars.units + 1", "instance.vars.unit + 1", workflow.CodeUnknownVar, "workflow.yaml:37:35", `unknown variable "unit"`},
		{"unknown data field", "holder: event.data.unit,", "holder: event.data.unti,", workflow.CodeUnknownField, "workflow.yaml:38:36", `no event here has a data field "unti"`},
		{"unknown grading input", `instance.command.holder == ""`, `instance.facts.death == 0`, workflow.CodeUnknownInput, "workflow.yaml:38:64", `unknown grading input "death"`},
		{"unknown field type", "type: incident", "type: incidnet", workflow.CodeUnknownType, "workflow.yaml:23:29", `unknown field type "incidnet"`},
		{"expr syntax", `event.actor == "dispatch"`, `event.actor == `, workflow.CodeExpr, "workflow.yaml:35:28", "expression error: unexpected token EOF"},
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
	_, ds := workflow.Compile("workflow.yaml", src, changjiRules(t), workflow.WithActors(orgchartActors(t)))
	assert.Empty(t, findings(ds), "%s", ds.Error())
}

func TestCompileOptions(t *testing.T) {
	national, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	src := []byte(syntheticSource(t))
	cases := []struct {
		name  string
		opt   workflow.Option
		code  string
		wants string
	}{
		{"MaxNodes(0) is an option error, not a panic", workflow.MaxNodes(0), workflow.CodeOption, "MaxNodes"},
		{"MemoryBudget(0) is an option error", workflow.MemoryBudget(0), workflow.CodeOption, "MemoryBudget"},
		{"MaxLog(0) is an option error", workflow.MaxLog(0), workflow.CodeOption, "MaxLog"},
		{"WithActors(nil) is an option error", workflow.WithActors(nil), workflow.CodeOption, "WithActors"},
		{"MaxNodes(3) refuses the file's longer expressions", workflow.MaxNodes(3), workflow.CodeExpr, "exceeds maximum allowed nodes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def, ds := workflow.Compile("workflow.yaml", src, national.Grading, workflow.WithActors(syntheticDir), tc.opt)
			assert.Nil(t, def)
			require.NotEmpty(t, ds.Errors())
			assert.Equal(t, tc.code, ds.Errors()[0].Code)
			assert.Contains(t, ds.Errors()[0].Summary, tc.wants)
			assert.Equal(t, "workflow.yaml", ds.Errors()[0].Subject.Filename, "every diagnostic names the file")
		})
	}
}

func TestCompileReportsTheFilesInterpretationNotes(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	want := strings.Count(string(src), "interpretation:")
	require.Positive(t, want)
	_, ds := workflow.Compile("workflow.yaml", src, changjiRules(t), workflow.WithActors(orgchartActors(t)))
	var notes diag.Diagnostics
	for _, d := range ds {
		if d.Severity == diag.Info {
			notes = append(notes, d)
		}
	}
	assert.Len(t, notes, want, "each interpretation: note once, from Compile itself")
	for _, n := range notes {
		assert.True(t, strings.HasPrefix(n.Summary, "interpretation: "), n.Summary)
		assert.Equal(t, "workflow.yaml", n.Subject.Filename)
	}
}

func TestCompileUnknownLevelListsTheLevelsInOrder(t *testing.T) {
	src := strings.Replace(syntheticSource(t), `rank("relatively-serious")`, `rank("IIII")`, 1)
	_, ds := compileSynthetic(t, src)
	errs := ds.Errors()
	require.Len(t, errs, 1)
	assert.Equal(t, workflow.CodeUnknownLevel, errs[0].Code)
	assert.NotContains(t, errs[0].Fix, "Did you mean", "a near miss of a rank is never suggested")
	assert.Contains(t, errs[0].Fix, "especially-serious (特别重大), serious (重大), relatively-serious (较大), general (一般)",
		"Decree 493 Art. 3 levels, most severe first (the decree names no response levels)")
}

// TestParseThenCompile: a Source compiles as Compile does — the same
// diagnostics, notes included, and a definition that runs alike — any
// number of times and from several goroutines at once; a file that is no
// YAML gives no Source and its syntax error.
func TestParseThenCompile(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(planDir, "workflow.yaml"))
	require.NoError(t, err)
	rules, actors := changjiRules(t), orgchartActors(t)
	want, wantDs := workflow.Compile("workflow.yaml", src, rules, workflow.WithActors(actors))
	require.NotNil(t, want, "%s", wantDs.Error())

	s, pds := workflow.Parse("workflow.yaml", src)
	require.NotNil(t, s)
	assert.Empty(t, pds)
	const n = 4
	defs := make([]*workflow.Definition, n)
	dss := make([]diag.Diagnostics, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { defs[i], dss[i] = s.Compile(rules, workflow.WithActors(actors)) })
	}
	wg.Wait()
	for i := range n {
		require.NotNil(t, defs[i], "%s", dss[i].Error())
		assert.Equal(t, wantDs, dss[i], "compile %d", i)
		assert.Equal(t, len(want.Tasks()), len(defs[i].Tasks()))
		assert.Equal(t, len(want.Events()), len(defs[i].Events()))
	}

	// A bad option is reported by Source.Compile as by Compile.
	def, ds := s.Compile(rules, workflow.MaxLog(0))
	assert.Nil(t, def)
	require.NotEmpty(t, ds.Errors())
	assert.Equal(t, workflow.CodeOption, ds.Errors()[0].Code)

	// No YAML: no Source, one positioned syntax error.
	s, pds = workflow.Parse("workflow.yaml", []byte("phases:\n  - id: open\n   bad: [\n"))
	assert.Nil(t, s)
	require.Len(t, pds.Errors(), 1)
	assert.Equal(t, diag.CodeYAMLSyntax, pds.Errors()[0].Code)
	assert.Equal(t, "workflow.yaml", pds.Errors()[0].Subject.Filename)
	_, cds := workflow.Compile("workflow.yaml", []byte("phases:\n  - id: open\n   bad: [\n"), rules)
	assert.Equal(t, pds, cds, "Compile reports what Parse does")
}
