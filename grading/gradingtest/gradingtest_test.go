package gradingtest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/grading/gradingtest"
	"github.com/yingji/yingji/internal/plantest"
)

// pinned is the default plan's boundary cases, pinned the way an embedder
// pins them; rewrite it with YINGJI_UPDATE_CASES=1 go test ./grading/gradingtest/.
const pinned = "testdata/changji-2025.yaml"

func TestDefaultPlanAgainstPinnedCases(t *testing.T) {
	plan, err := yingji.Default()
	require.NoError(t, err)
	gradingtest.Check(t, plan.Grading, pinned, gradingtest.Plan(plan.ID()), gradingtest.RequireAll())
}

// fakeTB records what Check reports, so that a failing check can be
// tested without failing this test.
type fakeTB struct {
	testing.TB
	errors, logs []string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

// editedCopy loads a copy of the default plan with one edit.
func editedCopy(t *testing.T, old, new string) *grading.Rules {
	t.Helper()
	m := plantest.Copy(t, yingji.DefaultPlan)
	plantest.Edit(t, m, "grading.yaml", old, new)
	p, err := yingji.Load(m)
	require.NoError(t, err)
	return p.Grading
}

// A one-threshold edit of a copy — 1.5 较大 (1) 中毒（重伤） from 20 instead
// of 30 — fails the pinned cases at 29, where 1.5 puts 一般.
func TestOneThresholdEditFailsThePinnedCases(t *testing.T) {
	rules := editedCopy(t, "            - seriousInjuries: 30 人以上、50 人以下\n", "            - seriousInjuries: 20 人以上、50 人以下\n")
	tb := &fakeTB{}
	gradingtest.Check(tb, rules, pinned)
	require.Len(t, tb.errors, 2, strings.Join(tb.errors, "\n"))
	assert.Contains(t, tb.errors[0], `{"seriousInjuries": 29}: want 一般 (baseline: no criterion names it) [general], in scope, got 较大 by 1.5 较大 (1) [relatively-serious], in scope`)
	assert.Regexp(t, `: 1 of \d+ pinned cases differ; if the change is intended, rewrite the file with YINGJI_UPDATE_CASES=1`, tb.errors[1])

	// With RequireAll, the new threshold's cases are missing from the file.
	tb = &fakeTB{}
	gradingtest.Check(tb, rules, pinned, gradingtest.RequireAll())
	joined := strings.Join(tb.errors, "\n")
	assert.Contains(t, joined, `does not pin the boundary case 1.5 较大 (1) seriousInjuries 20 人以上、50 人以下: seriousInjuries 19, a person below 20: {"seriousInjuries": 19}`)
}

func TestUpdateRewritesTheFile(t *testing.T) {
	plan, err := yingji.Default()
	require.NoError(t, err)
	for _, name := range []string{"cases.yaml", "cases.json"} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "sub", name)
			tb := &fakeTB{}
			gradingtest.Check(tb, plan.Grading, file)
			require.Len(t, tb.errors, 1)
			assert.Contains(t, tb.errors[0], "create it with YINGJI_UPDATE_CASES=1")

			tb = &fakeTB{}
			gradingtest.Check(tb, plan.Grading, file, gradingtest.Update(true), gradingtest.Plan("changji-2025"))
			assert.Empty(t, tb.errors)
			require.Len(t, tb.logs, 1)
			assert.Regexp(t, `^gradingtest: wrote \d+ cases to `, tb.logs[0])

			tb = &fakeTB{}
			gradingtest.Check(tb, plan.Grading, file, gradingtest.RequireAll())
			assert.Empty(t, tb.errors)
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			if strings.HasSuffix(name, ".json") {
				assert.True(t, strings.HasPrefix(string(data), "{\n  \"plan\": \"changji-2025\""))
			} else {
				assert.True(t, strings.HasPrefix(string(data), "# Classification cases of changji-2025"))
			}
		})
	}
}

// The environment variable asks for a rewrite; cases written by hand are
// kept and regraded, generated ones replaced.
func TestUpdateByEnvironmentKeepsHandWrittenCases(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cases.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`plan: changji-2025
cases:
  - name: "1.5 重大 (1): 12 deaths, written by hand"
    incident: {deaths: 12, missing: 0, directLoss: 8000000}
    level: general
  - name: stale generated case
    incident: {seriousInjuries: 12345}
    level: general
    thresholds: [old]
`), 0o644))
	rules := editedCopy(t, "            - seriousInjuries: 30 人以上、50 人以下\n", "            - seriousInjuries: 20 人以上、50 人以下\n")
	t.Setenv("MY_UPDATE", "1")
	tb := &fakeTB{}
	gradingtest.Check(tb, rules, file, gradingtest.Env("MY_UPDATE"))
	require.Empty(t, tb.errors)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	set, err := analysis.ReadCases(data)
	require.NoError(t, err)
	assert.Equal(t, "changji-2025", set.Plan)
	last := set.Cases[len(set.Cases)-1]
	assert.Equal(t, "1.5 重大 (1): 12 deaths, written by hand", last.Name)
	assert.Equal(t, "serious", last.Level)
	assert.Equal(t, "1.5 重大 (1)", last.Clause)
	assert.NotContains(t, string(data), "12345")
	assert.Contains(t, string(data), "seriousInjuries 20 人以上、50 人以下")

	t.Setenv("MY_UPDATE", "")
	tb = &fakeTB{}
	gradingtest.Check(tb, rules, file, gradingtest.Env("MY_UPDATE"), gradingtest.RequireAll())
	assert.Empty(t, tb.errors)
}

func TestBadCaseFiles(t *testing.T) {
	plan, err := yingji.Default()
	require.NoError(t, err)
	dir := t.TempDir()
	tests := []struct{ name, content, want string }{
		{"unknown key", "cases:\n  - name: a\n    incident: {}\n    levle: general\n", "field levle not found"},
		{"no cases", "plan: x\n", "pins no cases"},
		{"unknown input", "cases:\n  - name: a\n    incident: {deathz: 1}\n    level: general\n", "a: {\"deathz\": 1}: grading: deathz: no such input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			require.NoError(t, os.WriteFile(file, []byte(tc.content), 0o644))
			tb := &fakeTB{}
			gradingtest.Check(tb, plan.Grading, file)
			require.NotEmpty(t, tb.errors)
			assert.Contains(t, tb.errors[0], tc.want)
		})
	}
}

// The pinned boundary cases exercise every criterion and both sides of
// every threshold of the default plan.
func TestPinnedCasesCoverTheRules(t *testing.T) {
	plan, err := yingji.Default()
	require.NoError(t, err)
	gradingtest.CheckCoverage(t, plan.Grading, pinned, 100)
	r, err := gradingtest.Coverage(plan.Grading, pinned)
	require.NoError(t, err)
	assert.Equal(t, 100.0, r.Percent)
}

// A file pinning a few cases names what it misses, and fails below the
// threshold.
func TestCoverageBelowTheThreshold(t *testing.T) {
	plan, err := yingji.Default()
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "few.yaml")
	require.NoError(t, os.WriteFile(file, []byte("cases:\n  - name: 1.5 较大 (1) 3 人死亡\n    incident: {deaths: 3, missing: 0}\n    level: relatively-serious\n    clause: 1.5 较大 (1)\n"), 0o644))
	tb := &fakeTB{}
	gradingtest.CheckCoverage(tb, plan.Grading, file, 90)
	require.Len(t, tb.errors, 1)
	assert.Contains(t, tb.errors[0], "below 90.0%")
	assert.Regexp(t, `grading\.yaml:\d+:\d+: boundary: 1\.5 较大 \(1\) deathsAndMissing "3 人以上、10 人以下": no case at 2 人 \(just outside\)`, tb.errors[0])
}

func TestBadOptions(t *testing.T) {
	plan, err := yingji.Default()
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		opt  gradingtest.Option
		want string
	}{
		//lint:ignore SA1012 the case checks that a nil context is refused
		{"nil context", gradingtest.Context(nil), "Context(nil)"},
		{"empty environment variable", gradingtest.Env(" "), "Env needs the name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb := &fakeTB{}
			gradingtest.Check(tb, plan.Grading, pinned, tc.opt)
			require.Len(t, tb.errors, 1)
			assert.Contains(t, tb.errors[0], tc.want)
		})
	}
}
