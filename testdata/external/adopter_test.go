// Package adopter is a duty-room system's own module: it uses yingji only
// through its public API, every entry point of the embedding API v1 once.
// The yingji root package's TestExternalModule runs these tests.
package adopter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/grading/gradingtest"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/plans"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/drill"
)

var ctx = context.Background()

func changjiFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(plans.FS, "changji-2025/"+name)
	require.NoError(t, err)
	return b
}

// The packages' own entry points take a name and bytes.
func TestPackagesCompileFromBytes(t *testing.T) {
	rules, ds := grading.Compile("grading.yaml", changjiFile(t, "grading.yaml"), grading.MaxNodes(grading.DefaultMaxNodes))
	require.False(t, ds.HasErrors(), "%v", ds)
	lv, err := rules.ParseLevel("较大生产安全事故")
	require.NoError(t, err)
	assert.Equal(t, "Ⅲ级应急响应", lv.Response.Name)
	resp, err := rules.ParseResponse("三级")
	require.NoError(t, err)
	assert.Equal(t, "III", resp.ID)

	contacts, ds := orgchart.ParseContacts("contacts.yaml", changjiFile(t, "contacts.yaml"))
	require.False(t, ds.HasErrors(), "%v", ds)
	chart, ds := orgchart.Compile("orgchart.yaml", changjiFile(t, "orgchart.yaml"), orgchart.WithContacts(contacts))
	require.False(t, ds.HasErrors(), "%v", ds)
	u, ok := chart.Unit("州应急管理局")
	require.True(t, ok)
	assert.Equal(t, "昌吉州应急管理局", u.Name)

	def, ds := workflow.Compile("workflow.yaml", changjiFile(t, "workflow.yaml"), rules)
	require.False(t, ds.HasErrors(), "%v", ds)
	assert.NotEmpty(t, def.Phases())
	// Parsed once, compiled against the rules (again after an edit of them).
	wsrc, ds := workflow.Parse("workflow.yaml", changjiFile(t, "workflow.yaml"))
	require.False(t, ds.HasErrors(), "%v", ds)
	def2, ds := wsrc.Compile(rules)
	require.False(t, ds.HasErrors(), "%v", ds)
	assert.Equal(t, len(def.Phases()), len(def2.Phases()))

	// A 7.2 drill, run in-app (issue 9: impossible from outside before).
	src, err := os.ReadFile("../../examples/drills/iv-to-iii-escalation.yaml")
	require.NoError(t, err)
	dr, ds := drill.Parse("iv-to-iii-escalation.yaml", src)
	require.False(t, ds.HasErrors(), "%v", ds)
	p, err := yingji.Default()
	require.NoError(t, err)
	tl, err := drill.Run(ctx, p.Workflow, dr)
	require.NoError(t, err)
	assert.NotEmpty(t, tl.Steps)
}

func TestFrontDoor(t *testing.T) {
	sink := &bytes.Buffer{}
	clock := func() time.Time { return time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC) }
	p, err := yingji.Default(yingji.WithDecisionSink(yingji.NewJSONLSink(sink)), yingji.WithClock(clock),
		yingji.MaxNodes(5000), yingji.MemoryBudget(1<<20), yingji.MaxCriteria(64), yingji.MaxLog(10000),
		yingji.MaxFileSize(4<<20), yingji.MaxPlanSize(16<<20))
	require.NoError(t, err)
	c := yingji.WithPrincipal(ctx, "县应急管理局值班员")

	// 1.5 重大 (1): 10 人以上、30 人以下死亡
	res, err := p.ClassifyJSON(c, []byte(`{"deaths": 12, "crosses": "跨县级行政区"}`))
	require.NoError(t, err)
	lv, _ := res.Level()
	assert.Equal(t, "重大", lv.Name)

	inc, err := p.NewIncident(map[string]any{"deaths": 3, "localities": []string{"昌吉市"}, "industries": []string{"道路交通"}})
	require.NoError(t, err)
	a, err := p.Assess(c, inc)
	require.NoError(t, err)
	require.NotNil(t, a.Roster, "较大 starts Ⅲ, which has a roster")
	assert.Equal(t, "III", a.Roster.Response)

	r, err := p.Roster(c, "Ⅲ级应急响应", []string{"道路交通"}, []string{"昌吉市"})
	require.NoError(t, err)
	assert.NotEmpty(t, r.Entries)
	_, err = p.Roster(c, "Ⅴ", nil, nil)
	require.Error(t, err)
	assert.Equal(t, grading.CodeLevelUnknown, diag.ProblemsOf(err)[0].Code, "an unknown level lists the valid ones, never suggests another rank")

	_, err = p.ClassifyJSON(c, []byte(`{"deaths": -1}`))
	require.Error(t, err)
	prob := diag.ProblemsOf(err)[0]
	assert.Equal(t, "deaths", prob.Field)
	assert.Equal(t, grading.CodeInputNegative, prob.Code)

	lines := strings.Split(strings.TrimSpace(sink.String()), "\n")
	require.Len(t, lines, 6, "one decision record per grade, assessment (grade and roster), roster and refusal")
	var d yingji.Decision
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &d))
	assert.Equal(t, "县应急管理局值班员", d.Principal)
	assert.Equal(t, p.Hash, d.Plan.Hash)
	assert.Equal(t, "serious", d.Result.Level)

	assert.NotNil(t, p.Lint(), "a clean plan lints to an empty list, never nil")
}

func TestEngineAndWorkflow(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	inst, err := e.Start("inc-1")
	require.NoError(t, err)
	at := workflow.TimeOf(time.Date(2025, 10, 15, 9, 0, 0, 0, time.FixedZone("", 6*3600)))
	inst, eff, err := e.Apply(ctx, inst, workflow.Event{ID: "e1", Type: "report.received", Actor: "yjj", OccurredAt: at, RecordedAt: at,
		Data: map[string]any{"via": "phone", "from": "local-emergency-bureau", "incident": map[string]any{"deaths": 10}}})
	require.NoError(t, err)
	assert.Equal(t, "report.received", eff.Event)
	assert.Equal(t, "serious", inst.Level)

	// An edited copy: 重大 from 12 deaths. The live instance keeps its plan.
	dir := t.TempDir()
	require.NoError(t, fs.WalkDir(plans.FS, "changji-2025", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(plans.FS, path)
		if err != nil {
			return err
		}
		b = bytes.Replace(b, []byte("- deathsAndMissing: 10 人以上、30 人以下"), []byte("- deathsAndMissing: 12 人以上、30 人以下"), 1)
		b = bytes.Replace(b, []byte("- deathsAndMissing: 3 人以上、10 人以下"), []byte("- deathsAndMissing: 3 人以上、12 人以下"), 1)
		return os.WriteFile(filepath.Join(dir, filepath.Base(path)), b, 0o644)
	}))
	edited, err := yingji.LoadDir(dir)
	require.NoError(t, err)
	_, err = e.Reload(os.DirFS(dir))
	require.NoError(t, err)
	st := e.Status()
	assert.Equal(t, edited.Hash, st.Plan.Hash)
	require.NotNil(t, st.LastReload)
	assert.True(t, st.LastReload.OK)
	_, ok := e.PlanByHash(p.Hash)
	assert.True(t, ok, "the first revision stays reachable for its instances")

	migs, err := e.Migrate(ctx, []workflow.Instance{inst}, false)
	require.NoError(t, err)
	require.Len(t, migs, 1)
	assert.True(t, migs[0].Changes(), "10 deaths is 较大 under the edit")

	_, divs, err := edited.Replay(ctx, inst)
	require.NoError(t, err)
	assert.NotEmpty(t, divs)

	// A broken edit keeps the plan and says why.
	broken := fstest.MapFS{"plan.yaml": {Data: []byte("id: broken\n")}}
	_, err = e.Reload(broken)
	var le *yingji.LoadError
	require.True(t, errors.As(err, &le))
	assert.False(t, e.Status().LastReload.OK)
}

func TestDrafterTools(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	n, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	d, err := yingji.Diff(ctx, p, n)
	require.NoError(t, err)
	assert.NotNil(t, d)
	cases, err := analysis.BoundaryCases(p.Grading)
	require.NoError(t, err)
	assert.NotEmpty(t, cases.Cases)
}

func TestGradingTest(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	gradingtest.Check(t, p.Grading, "testdata/changji-2025.yaml", gradingtest.Plan(p.ID()))
}
