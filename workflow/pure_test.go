package workflow_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// withGuard is the example workflow with its guard's condition replaced.
func withGuard(when string) string {
	return strings.Replace(exampleWorkflow, `when: event.actor == "duty-officer"`, "when: '"+when+"'", 1)
}

// posOf is where token first occurs in src, as line:column (columns count
// runes), found by searching the text.
func posOf(src, token string) string {
	i := strings.Index(src, token)
	if i < 0 {
		return "not found"
	}
	line := strings.Count(src[:i], "\n") + 1
	col := utf8.RuneCountInString(src[strings.LastIndex(src[:i], "\n")+1:i]) + 1
	return fmt.Sprintf("workflow.yaml:%d:%d", line, col)
}

// Issue 15: a guard (or any workflow expression) may not read the clock,
// the time zone or files. Each is refused when the file loads, at the call.
func TestImpureExpressionsAreRefusedAtLoad(t *testing.T) {
	plan, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	for _, tc := range []struct{ name, when, at, summary string }{
		{"now reads the clock", `now().Year() > 2000`, "now(", "now() is not allowed"},
		{"date reads the local zone", `date("2025-10-15") != nil`, "date(", "date() is not allowed"},
		{"timezone reads the zone database", `timezone("Asia/Shanghai") != nil`, "timezone(", "timezone() is not allowed"},
		{"a method of a value", `event.id.Len() > 0`, "Len()", "the method .Len() is not allowed"},
		{"the engine's names", `$meter != nil`, "$meter", "$meter is not allowed"},
		{"the whole environment", `$env != nil`, "$env", "$env is not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := withGuard(tc.when)
			def, ds := workflow.Compile("workflow.yaml", []byte(src), plan.Grading, workflow.WithActors(workflow.Actors{{ID: "duty-officer"}, {ID: "clerk"}}))
			assert.Nil(t, def)
			var errs diag.Diagnostics
			for _, d := range ds {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				}
			}
			require.NotEmpty(t, errs, "%s", ds.Error())
			assert.Equal(t, workflow.CodeImpure, errs[0].Code)
			assert.Contains(t, errs[0].Summary, tc.summary)
			assert.Equal(t, "events[1].guards[0].when", errs[0].Path)
			assert.Equal(t, posOf(src, tc.at), errs[0].Subject.String())
		})
	}
}

// Issue 15 (7): the memory budget holds for every evaluation. What an
// expression builds is counted before it is built, so a guard that would
// ask for 100 GB is an evaluation error — the event is rejected, with
// guard.error, and the instance is unchanged — never a pass.
func TestEveryEvaluationHoldsTheMemoryBudget(t *testing.T) {
	plan, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	doubling := "let a1 = event.id + event.id; "
	for i := 2; i <= 40; i++ {
		doubling += fmt.Sprintf("let a%d = a%d + a%d; ", i, i-1, i-1)
	}
	doubling += "len(a40) > 0"
	for _, tc := range []struct{ name, when string }{
		{"issue 15 (7): nested repeat", `len(repeat(repeat("a", 99999), 1000000)) > 0`},
		{"a string doubled by let forty times", doubling},
		{"copies in a loop", `len(map(1..50000, upper(repeat("x", 200)))) > 0`},
		{"a join of a large list", `len(join(map(1..90000, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))) > 0`},
		{"a replace that multiplies", `len(replace(repeat("a", 5000), "a", repeat("b", 5000))) > 0`},
		{"a range over the budget", `len(1..200000) > 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def, ds := workflow.Compile("workflow.yaml", []byte(withGuard(tc.when)), plan.Grading,
				workflow.WithActors(workflow.Actors{{ID: "duty-officer"}, {ID: "clerk"}}))
			require.False(t, ds.HasErrors(), "%s", ds.Error())
			r := newRun(t, def.ForPlan(workflow.PlanRef{ID: "example"}))
			r.ok("09:00", "report.received", "clerk", nil)
			err := r.try("09:05", "report.confirmed", "duty-officer", nil)
			ge := guardOf(t, err)
			assert.Equal(t, "duty-officer-only", ge.Guard)
			assert.NotEmpty(t, ge.Detail, "an evaluation error, not a failed condition")
			assert.Equal(t, workflow.CodeGuardError, diag.ProblemsOf(err)[0].Code)
			assert.Equal(t, 1, r.inst.Len(), "the instance is unchanged")
		})
	}
	t.Run("the same expressions within the budget still evaluate", func(t *testing.T) {
		def, ds := workflow.Compile("workflow.yaml", []byte(withGuard(`len(repeat("ab", 1000) + event.id) == 2002 && len(join(map(1..100, "x"))) == 100`)), plan.Grading,
			workflow.WithActors(workflow.Actors{{ID: "duty-officer"}, {ID: "clerk"}}))
		require.False(t, ds.HasErrors(), "%s", ds.Error())
		r := newRun(t, def.ForPlan(workflow.PlanRef{ID: "example"}))
		r.ok("09:00", "report.received", "clerk", nil)
		r.ok("09:05", "report.confirmed", "duty-officer", nil)
		assert.Equal(t, "confirmed", r.inst.Phase)
	})
	t.Run("MemoryBudget sets the budget", func(t *testing.T) {
		def, ds := workflow.Compile("workflow.yaml", []byte(withGuard(`len(repeat("ab", 1000)) == 2000`)), plan.Grading,
			workflow.WithActors(workflow.Actors{{ID: "duty-officer"}, {ID: "clerk"}}), workflow.MemoryBudget(10))
		require.False(t, ds.HasErrors(), "%s", ds.Error())
		r := newRun(t, def.ForPlan(workflow.PlanRef{ID: "example"}))
		r.ok("09:00", "report.received", "clerk", nil)
		assert.Contains(t, guardOf(t, r.try("09:05", "report.confirmed", "duty-officer", nil)).Detail, "memory budget")
	})
}

// A condition that gives no value is an evaluation error, never "does not
// hold": a flag that could not be decided rejects the event.
func TestAConditionThatGivesNothingIsAnError(t *testing.T) {
	national, err := yingji.Embedded("national-493")
	require.NoError(t, err)
	src := strings.Replace(exampleWorkflow, "  - id: report.received\n    phases: [open]\n", `  - id: report.received
    phases: [open]
    effects:
      flags: [{id: many-dead, when: 'instance.facts.deaths'}]
`, 1)
	def, ds := workflow.Compile("workflow.yaml", []byte(src), national.Grading, workflow.WithActors(workflow.Actors{{ID: "duty-officer"}, {ID: "clerk"}}))
	require.False(t, ds.HasErrors(), "%s", ds.Error())
	r := newRun(t, def.ForPlan(workflow.PlanRef{ID: "example"}))
	err = r.try("09:00", "report.received", "clerk", nil)
	ge := guardOf(t, err)
	assert.Contains(t, ge.Detail, "nothing (nil)")
	assert.Equal(t, workflow.CodeGuardError, diag.ProblemsOf(err)[0].Code)
}
