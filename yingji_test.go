package yingji_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/plantest"
)

func planCopy(t testing.TB, id string) fstest.MapFS { return plantest.Copy(t, id) }

func edit(t testing.TB, m fstest.MapFS, name, old, new string) { plantest.Edit(t, m, name, old, new) }

func TestEmbeddedPlansLoad(t *testing.T) {
	for _, id := range yingji.EmbeddedIDs() {
		t.Run(id, func(t *testing.T) {
			p, err := yingji.Embedded(id)
			require.NoError(t, err)
			assert.Equal(t, id, p.ID())
			assert.NotNil(t, p.Grading)
			assert.True(t, strings.HasPrefix(p.Hash, "sha256:"))
		})
	}
	assert.Equal(t, []string{"changji-2025", "national-493"}, yingji.EmbeddedIDs())
	_, err := yingji.Embedded("changji-2052")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Did you mean "changji-2025"?`)
}

func TestDefaultPlanMetadata(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	m := p.Manifest
	assert.Equal(t, "changji-2025", m.ID)
	assert.Equal(t, "2025-09-24", m.Issued)    // cover: 2025-9-24 发布
	assert.Equal(t, "2025-09-24", m.Effective) // cover: 2025-9-24 实施
	assert.Equal(t, "inclusive", m.Boundaries.Above)
	assert.Equal(t, "exclusive", m.Boundaries.Below)
	assert.Len(t, m.Principles, 6) // 1.4 (1)–(6)
	assert.True(t, p.Grading.Convention().AboveInclusive)
	assert.False(t, p.Grading.Convention().BelowInclusive)
}

// loadErr loads m and returns the diagnostics, rendered.
func loadErr(t *testing.T, m fstest.MapFS) (diag.Diagnostics, string) {
	t.Helper()
	_, err := yingji.Load(m)
	require.Error(t, err)
	var ds diag.Diagnostics
	require.True(t, errors.As(err, &ds), "the error must carry diagnostics: %v", err)
	var le *yingji.LoadError
	require.True(t, errors.As(err, &le))
	return ds, le.Render()
}

func TestBrokenPlanFilesArePositioned(t *testing.T) {
	cases := []struct {
		name, file, old, new string
		want                 []string // substrings of the rendered diagnostics, in order
	}{
		{
			name: "malformed threshold",
			file: "grading.yaml", old: "- deathsAndMissing: 10 人以上、30 人以下\n", new: "- deathsAndMissing: 10 人以上、30 人以\n",
			want: []string{"grading.yaml:", "error: bad threshold", "at: levels[1].criteria[0].when.any[0]", "fix: "},
		},
		{
			name: "unknown quantity with a suggestion",
			file: "grading.yaml", old: "- endangered: 30 人以上", new: "- endangerd: 30 人以上",
			want: []string{`unknown quantity "endangerd"`, `Did you mean "endangered"?`},
		},
		{
			name: "unknown key with a suggestion",
			file: "grading.yaml", old: "    baseline: true\n", new: "    baselin: true\n",
			want: []string{`unknown key "baselin"`, `Did you mean "baseline"?`},
		},
		{
			name: "duplicate level id",
			file: "grading.yaml", old: "  - id: relatively-serious\n", new: "  - id: serious\n",
			want: []string{`level "serious" is declared twice`},
		},
		{
			name: "dangling level reference in scope",
			file: "grading.yaml", old: "grades: [especially-serious, serious, relatively-serious]", new: "grades: [especially-serious, serious, relatively-serius]",
			want: []string{`unknown level "relatively-serius"`, `Did you mean "relatively-serious"?`},
		},
		{
			name: "unknown enum value",
			file: "grading.yaml", old: "when: {exceedsCapacityOf: prefecture}", new: "when: {exceedsCapacityOf: prefectur}",
			want: []string{`"prefectur" is not a value of exceedsCapacityOf`, `Did you mean "prefecture"?`},
		},
		{
			name: "unknown boundary convention",
			file: "plan.yaml", old: "  below: exclusive\n", new: "  below: excluded\n",
			want: []string{"plan.yaml:", "boundaries.below must be inclusive or exclusive"},
		},
		{
			name: "missing grading file",
			file: "plan.yaml", old: "  grading: grading.yaml\n", new: "  grading: gradings.yaml\n",
			want: []string{"gradings.yaml does not exist"},
		},
		{
			name: "yaml syntax",
			file: "grading.yaml", old: "    when: {evacuated: 10 万人以上}\n", new: "    when: {evacuated: 10 万人以上\n",
			want: []string{"grading.yaml:", "YAML syntax error"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := planCopy(t, "changji-2025")
			edit(t, m, tc.file, tc.old, tc.new)
			ds, rendered := loadErr(t, m)
			require.NotEmpty(t, ds)
			for _, d := range ds {
				assert.NotZero(t, d.Subject.Start.Line, "every diagnostic has a position: %v", d)
			}
			rest := rendered
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if !assert.GreaterOrEqual(t, i, 0, "want %q in:\n%s", w, rendered) {
					return
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestLevelWithoutCriteria(t *testing.T) {
	m := fstest.MapFS{
		"plan.yaml":    {Data: []byte("id: t\ntitle: t\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte("inputs:\n  - {id: x, type: count, unit: 人}\nlevels:\n  - id: high\n    name: 高\n  - id: low\n    name: 低\n    baseline: true\n")},
	}
	ds, rendered := loadErr(t, m)
	require.Len(t, ds, 1)
	assert.Equal(t, "grading.yaml:4:5", ds[0].Subject.String())
	assert.Contains(t, rendered, `level "high" has no criteria`)
}

// TestExpressionErrorsPointIntoTheString checks that an error inside an
// expression lands on the right column, after Chinese text and inside
// quoted, escaped and block scalars; and that all errors come at once.
func TestExpressionErrorsPointIntoTheString(t *testing.T) {
	grading := `inputs:
  - {id: deaths, type: count, unit: 人, label: 死亡}
  - {id: crossDomain, type: bool}
levels:
  - id: high
    name: 高
    criteria:
      - clause: 甲（一）
        when: {expr: 死亡 > 3}
      - clause: 甲（二）
        when: {expr: "deaths > 3 && \"\u4e2d\" == crossDomainn"}
      - clause: 甲（三）
        when:
          expr: |
            deaths > 3 &&
              crossDomian
      - clause: 甲（四）
        when:
          expr: 'deaths >= ''3'''
  - id: low
    name: 低
    baseline: true
`
	m := fstest.MapFS{
		"plan.yaml":    {Data: []byte("id: t\ntitle: t\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte(grading)},
	}
	ds, rendered := loadErr(t, m)
	require.Len(t, ds, 4, rendered)
	// 死亡 is not a name: the error starts at column 22 (the 死 after "expr: ").
	assert.Equal(t, "grading.yaml:9:22", ds[0].Subject.String(), rendered)
	// crossDomainn starts after the escaped \"\u4e2d\" at column 51.
	assert.Equal(t, "grading.yaml:11:51", ds[1].Subject.String(), rendered)
	assert.Contains(t, ds[1].Fix, `Did you mean "crossDomain"?`)
	// crossDomian is on the block's second line, column 15.
	assert.Equal(t, "grading.yaml:16:15", ds[2].Subject.String(), rendered)
	assert.Equal(t, 19, ds[3].Subject.Start.Line, rendered)
}

// movedThreshold is a drafter's edit, applied without recompiling: the
// boundary between 较大 and 重大 in 死亡（含失踪） moves from 10 to 12.
func movedThreshold(t *testing.T) fstest.MapFS {
	m := planCopy(t, "changji-2025")
	edit(t, m, "grading.yaml", "- deathsAndMissing: 10 人以上、30 人以下", "- deathsAndMissing: 12 人以上、30 人以下")
	edit(t, m, "grading.yaml", "- deathsAndMissing: 3 人以上、10 人以下", "- deathsAndMissing: 3 人以上、12 人以下")
	return m
}

func TestEngineReloadKeepsTheOldPlanOnError(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	e := yingji.NewEngine(p)
	broken := planCopy(t, "changji-2025")
	edit(t, broken, "grading.yaml", "- deathsAndMissing: 30 人以上", "- deathsAndMissing: 30 人以")
	_, err = e.Reload(broken)
	require.Error(t, err)
	assert.Same(t, p, e.Plan())

	edited := movedThreshold(t)
	np, err := e.Reload(edited)
	require.NoError(t, err)
	assert.Same(t, np, e.Plan())
	res, err := e.ClassifyJSON(context.Background(), []byte(`{"deaths": 10, "missing": 0}`))
	require.NoError(t, err)
	l, _ := res.Level()
	assert.Equal(t, "relatively-serious", l.ID, "10 deaths is below the edited 12: 较大 (1)")
}

// TestEngineSwapUnderLoad classifies a probe incident from many goroutines
// while the engine alternates between two plans that grade it differently;
// every result must come wholly from one of them.
func TestEngineSwapUnderLoad(t *testing.T) {
	a, err := yingji.Default()
	require.NoError(t, err)
	b, err := yingji.Load(movedThreshold(t))
	require.NoError(t, err)
	e := yingji.NewEngine(a)
	probe := []byte(`{"deaths": 10, "missing": 0}`)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				e.Swap(b)
			} else {
				e.Swap(a)
			}
		}
	}()
	var checks sync.WaitGroup
	for g := 0; g < 4; g++ {
		checks.Add(1)
		go func() {
			defer checks.Done()
			for i := 0; i < 500; i++ {
				res, err := e.ClassifyJSON(context.Background(), probe)
				if !assert.NoError(t, err) {
					return
				}
				l, _ := res.Level()
				var clauses []string
				for m := range res.Matches() {
					clauses = append(clauses, m.Criterion.Clause)
				}
				switch res.Rules() {
				case a.Grading:
					assert.Equal(t, "serious", l.ID)
					assert.Contains(t, clauses, "1.5 重大 (1)")
				case b.Grading:
					assert.Equal(t, "relatively-serious", l.ID)
					assert.Contains(t, clauses, "1.5 较大 (1)")
					assert.NotContains(t, clauses, "1.5 重大 (1)")
				default:
					t.Error("result from neither plan")
				}
			}
		}()
	}
	checks.Wait()
	close(stop)
	wg.Wait()
}

// FuzzLoad loads a grading-only plan around a fuzzed grading.yaml. Its seeds
// are small, so the fuzzer spends its time mutating rather than shrinking
// (issue 15): one of each construct of the schema, and the hostile cases
// of issue 15 in miniature (an alias bomb, a clock in a criterion, an
// allocation bomb, a duplicate key).
func FuzzLoad(f *testing.F) {
	small := `inputs:
  - {id: deaths, type: count, label: 死亡}
  - {id: missing, type: count, label: 失踪}
  - {id: loss, type: amount, unit: 元}
  - id: crosses
    type: enum
    values: [{id: none, label: 不跨}, {id: county, label: 跨县级行政区, aliases: [县级]}]
quantities:
  - {id: dm, sum: [deaths, missing]}
levels:
  - id: major
    name: 较大
    response: {id: III, name: Ⅲ级应急响应, aliases: [Ⅲ, 3]}
    criteria:
      - clause: "1.5 较大 (1)"
        when: {any: [{dm: 3 人以上、10 人以下}, {loss: 1000 万元以上}, {crosses: county}]}
      - {clause: x, when: {expr: "deaths >= 3 && loss > 0"}}
  - {id: general, name: 一般, baseline: true, response: {id: IV, name: Ⅳ级应急响应}}
`
	f.Add(small)
	f.Add("inputs: [{id: x, type: count}]\nlevels: [{id: a, name: A, baseline: true}]\n")
	f.Add("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n")
	f.Add("inputs: [{id: x, type: count}]\nlevels:\n  - id: a\n    criteria: [{clause: c, when: {expr: \"now().Year() > 2000\"}}]\n")
	f.Add("inputs: [{id: x, type: count}]\nlevels:\n  - id: a\n    criteria: [{clause: c, when: {expr: 'len(repeat(repeat(\"a\",99),99)) > 0'}}]\n")
	f.Add("inputs: [{id: x, type: count}, {id: x, type: count}]\ninputs: []\n")
	f.Add("levels:\n  - id: a\n    criteria:\n      - clause: x\n        when: {expr: \"x >\"}\n")
	f.Fuzz(func(t *testing.T, grading string) {
		if len(grading) > 4096 {
			t.Skip("keep inputs small: the loader's size limits are tested elsewhere")
		}
		m := fstest.MapFS{
			"plan.yaml":    {Data: []byte("id: f\ntitle: f\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
			"grading.yaml": {Data: []byte(grading)},
		}
		p, err := yingji.Load(m)
		if err == nil {
			require.NotNil(t, p.Grading)
			return
		}
		var le *yingji.LoadError
		require.True(t, errors.As(err, &le), "error is not a LoadError: %v", err)
		require.NotEmpty(t, le.Diagnostics)
		lines := strings.Count(grading, "\n") + 1
		for _, d := range le.Diagnostics {
			if d.Subject.Filename == "grading.yaml" {
				require.GreaterOrEqual(t, d.Subject.Start.Line, 1, "%v", d)
				require.LessOrEqual(t, d.Subject.Start.Line, lines, "%v", d)
				require.GreaterOrEqual(t, d.Subject.Start.Column, 1, "%v", d)
				require.LessOrEqual(t, d.Subject.Start.Byte, len(grading), "%v", d)
			}
		}
		_ = le.Render()
	})
}

func TestOrgchartIsPartOfThePlan(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	require.NotNil(t, p.Orgchart)
	// 附件 8.5 (16): 州市场监督管理局 局长 张雷 13709949877.
	l, ok := p.Orgchart.Listing("州市场监督管理局")
	require.True(t, ok)
	require.NotEmpty(t, l.People)
	assert.Equal(t, "张雷", l.People[0].Name)
	assert.Equal(t, "13709949877", l.People[0].Phone)

	n, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	require.NotNil(t, n.Orgchart, "Decree 493's reporting chain has its bodies")
	_, ok = n.Orgchart.Listing("国务院")
	assert.False(t, ok, "the Decree lists no contacts")
}

func TestOrgchartResponseLevelsMustExistInGrading(t *testing.T) {
	m := planCopy(t, "changji-2025")
	// Rename response level IV in grading.yaml only: the orgchart's rules
	// for IV now point at nothing.
	edit(t, m, "grading.yaml", "      id: IV\n", "      id: IV-a\n")
	ds, rendered := loadErr(t, m)
	require.NotEmpty(t, ds)
	assert.Contains(t, rendered, `response level "IV"`)
}

func TestIncidentListsAreCheckedAgainstTheOrgchart(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	// 2.3 (17) 特种设备; 附件 8.6 (6) 奇台县 by its alias 奇台.
	inc, err := p.ParseIncident([]byte(`{"industries": ["特种设备"], "localities": ["奇台", "木垒县"], "deaths": 3}`))
	require.NoError(t, err)
	v, ok := inc.Value("localities")
	require.True(t, ok)
	loc, _ := p.Orgchart.Locality("奇台县")
	mulei, _ := p.Orgchart.Locality("木垒县")
	assert.Equal(t, []string{loc.ID, mulei.ID}, v, "names and aliases are rewritten to ids")

	_, err = p.ParseIncident([]byte(`{"localities": ["奇台县城"], "industries": ["特种设备x"]}`))
	require.Error(t, err)
	assert.ErrorIs(t, err, grading.ErrBadInput)
	assert.Contains(t, err.Error(), "localities: 奇台县城")
	assert.Contains(t, err.Error(), "industries: 特种设备x")
}

func TestListRefNeedsAnOrgchart(t *testing.T) {
	m := planCopy(t, "national-493")
	edit(t, m, "plan.yaml", "  orgchart: orgchart.yaml\n  workflow: workflow.yaml\n", "")
	edit(t, m, "grading.yaml", "inputs:\n", "inputs:\n  - {id: industries, type: list, ref: industries}\n")
	_, rendered := loadErr(t, m)
	assert.Contains(t, rendered, "the plan has no orgchart")
}
