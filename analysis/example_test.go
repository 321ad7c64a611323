package analysis_test

import (
	"context"
	"fmt"
	"os"
	"testing/fstest"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
)

// Lint the default plan and print its grading findings, without the
// interpretations.
func ExampleLintRules() {
	plan, err := yingji.Default()
	if err != nil {
		panic(err)
	}
	for _, f := range analysis.LintRules(plan.Grading) {
		if f.Code == analysis.CodeGap && f.Input == "seriousInjuries" || f.Code == analysis.CodeShadowed {
			fmt.Printf("%s [%s] %s\n  e.g. %s → %s\n", f.Code, f.Clause, f.Summary, f.Example, f.Outcome)
		}
	}
	// Output:
	// shadowed [1.5 较大 (1)] the alternative "endangered: 10 人以上、30 人以下" of 1.5 较大 (1) can never decide a grade: 1.5 重大 (1) (重大) always wins there
	//   e.g. {"endangered": 10} → 重大 by 1.5 重大 (1)
	// gap [1.5 一般 (1)] seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion
	//   e.g. {"seriousInjuries": 10} → 一般 (baseline: no criterion names it)
}

// Lint a drafter's plan and print the finding as the CLI renders it: the
// file, line and column, the line with a caret, the clause and the fix.
func ExampleLint() {
	plan, err := yingji.Load(fstest.MapFS{
		"plan.yaml": {Data: []byte(`id: drill
title: 演练预案
boundaries: {above: inclusive, below: exclusive}
files: {grading: grading.yaml}
`)},
		"grading.yaml": {Data: []byte(`inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人}
levels:
  - id: serious
    name: 重大
    criteria:
      - {clause: "D (1)", when: {deaths: 10 人以上}}
  - id: general
    name: 一般
    baseline: true
    criteria:
      - {clause: "D (2)", when: {deaths: 3 人以下}}
`)},
	})
	if err != nil {
		panic(err)
	}
	ds := analysis.Lint(plan)
	_ = diag.Render(os.Stdout, ds, plan.Sources)
	// Output:
	// grading.yaml:12:42: warning: deaths (死亡) 3–9 人 is named by no level's criterion
	//    12 |       - {clause: "D (2)", when: {deaths: 3 人以下}}
	//       |                                          ^^^^^^^^
	//   at: levels[1].criteria[0].when.deaths
	//   clause: D (2)
	//   D (2) ("3 人以下") ends below it and D (1) ("10 人以上") starts above it, so only other facts or the baseline can grade it. Example: {"deaths": 3} is graded 一般 (baseline: no criterion names it). Name 3–9 人 in the criterion of the level it belongs to, or record why it is left out in an interpretation: note.
}

// Compare the Changji plan with Decree 493 on serious injuries.
func ExampleDiff() {
	a, err := yingji.Embedded("changji-2025")
	if err != nil {
		panic(err)
	}
	b, err := yingji.Embedded("national-493")
	if err != nil {
		panic(err)
	}
	changes, err := analysis.Diff(a.Grading, b.Grading)
	if err != nil {
		panic(err)
	}
	for _, c := range changes {
		if c.Input == "seriousInjuries" {
			fmt.Print(c.Text("changji-2025", "national-493"))
		}
	}
	// Output:
	// seriousInjuries (中毒（重伤）人数) 10–29 人: grade differs
	//     changji-2025: 一般 (baseline: no criterion names it)
	//     national-493: 较大 by 第三条第一款（三）
	//     example: {"seriousInjuries": 10}
}

// Generate the boundary cases of Decree 493 and check them against the
// same rules.
func ExampleBoundaryCases() {
	plan, err := yingji.Embedded("national-493")
	if err != nil {
		panic(err)
	}
	set, err := analysis.BoundaryCases(plan.Grading)
	if err != nil {
		panic(err)
	}
	for _, c := range set.Cases {
		if v, ok := c.Incident.Get("seriousInjuries"); ok && (v == int64(9) || v == int64(10)) {
			fmt.Println(c.Incident, "→", c.Outcome)
		}
	}
	fmt.Println(len(set.Check(context.Background(), plan.Grading)), "mismatches")
	// Output:
	// {"seriousInjuries": 9} → 一般 by 第三条第一款（四）
	// {"seriousInjuries": 10} → 较大 by 第三条第一款（三）
	// 0 mismatches
}
