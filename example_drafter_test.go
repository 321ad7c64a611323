package yingji_test

import (
	"context"
	"fmt"
	"os"
	"testing/fstest"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

// drillPlan is a small grading-only plan: 重大 from 10 deaths, 一般 up to 3.
func drillPlan(serious string) fstest.MapFS {
	return fstest.MapFS{
		"plan.yaml": {Data: []byte("id: drill\ntitle: 演练预案\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte(`inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人}
levels:
  - id: serious
    name: 重大
    criteria:
      - {clause: "D (1)", when: {deaths: ` + serious + `}}
  - id: general
    name: 一般
    baseline: true
    criteria:
      - {clause: "D (2)", when: {deaths: 3 人以下}}
`)},
	}
}

// The lint of a plan, for the drafter: counts first, each finding on a
// line with its fix, the interpretations counted; in Chinese, or in
// English with TextOptions{Lang: "en"}.
func ExamplePlan_LintReport() {
	plan, err := yingji.Load(drillPlan("10 人以上"))
	if err != nil {
		panic(err)
	}
	_ = plan.LintReport().WriteText(os.Stdout, analysis.TextOptions{})
	// Output:
	// drill — 演练预案
	// 错误 0 项，警告 1 项
	//
	// 警告：
	//   grading.yaml:12:42: deaths (死亡) 3–9 人 没有被任何级别的标准涵盖［D (2)］
	//       修改建议：在某一级别的标准中写明 3–9 人，或在 interpretation: 说明中记录不写的理由
}

// What an edit changes: 重大 moved from 10 deaths to 8.
func ExampleDiff() {
	before, err := yingji.Load(drillPlan("10 人以上"))
	if err != nil {
		panic(err)
	}
	after, err := yingji.Load(drillPlan("8 人以上"))
	if err != nil {
		panic(err)
	}
	d, err := yingji.Diff(context.Background(), before, after)
	if err != nil {
		panic(err)
	}
	for _, c := range d.Grading {
		fmt.Printf("%s %s [%v, %v): %s → %s\n", c.Input, c.Range, *c.Bounds.Lo, *c.Bounds.Hi, c.A.LevelName, c.B.LevelName)
	}
	// Output:
	// deaths 8–9 人 [8, 10): 一般 → 重大
}

// A drafter's test file, run with coverage.
func ExamplePlan_RunCases() {
	plan, err := yingji.Load(drillPlan("10 人以上"))
	if err != nil {
		panic(err)
	}
	cases, ds := yingji.ReadCaseFile("cases.yaml", []byte(`cases:
  - name: D (1) 10 人死亡 is 重大
    incident: {deaths: 10}
    grade: 重大
    clause: D (1)
`))
	if ds.HasErrors() {
		panic(ds)
	}
	run, err := plan.RunCases(context.Background(), cases)
	if err != nil {
		panic(err)
	}
	_ = run.WriteText(os.Stdout, yingji.CaseTextOptions{Coverage: true, Lang: "en"})
	// Output:
	// PASS: 1 passed, 0 failed (drill)
	//
	// Coverage: 33.3% (2 of 6)
	//   criteria     50.0%  (1/2)
	//   boundaries   25.0%  (1/4)
	// Not exercised:
	//   grading.yaml:12:9: criterion: D (2) (一般): no case matches it
	//   grading.yaml:7:42: boundary: D (1) deaths "10 人以上": no case at 9 人 (just outside)
	//   grading.yaml:12:42: boundary: D (2) deaths "3 人以下": no case at 2 人 (just inside)
	//   grading.yaml:12:42: boundary: D (2) deaths "3 人以下": no case at 3 人 (just outside)
}
