package analysis_test

import (
	"context"
	"fmt"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
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
	// lint.shadowed [1.5 较大 (1)] the alternative "endangered: 10 人以上、30 人以下" of 1.5 较大 (1) can never decide a grade: 1.5 重大 (1) (重大) always wins there
	//   e.g. {"endangered": 10} → 重大 by 1.5 重大 (1)
	// lint.gap [1.5 一般 (1)] seriousInjuries (中毒（重伤）人数) 10–29 人 is named by no level's criterion
	//   e.g. {"seriousInjuries": 10} → 一般 (baseline: no criterion names it)
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
