package yingji_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing/fstest"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
)

// Grade an incident with the default plan and print why.
func Example() {
	plan, err := yingji.Default()
	if err != nil {
		panic(err)
	}
	r := plan.Grading
	inc, err := r.ParseIncident([]byte(`{"deaths": 12, "missing": 0, "directLoss": "800万"}`))
	if err != nil {
		panic(err)
	}
	res, err := r.Classify(context.Background(), inc)
	if err != nil {
		panic(err)
	}
	lvl, _ := res.Level()
	fmt.Println(lvl.Name, lvl.Response.ID, strings.Join(lvl.Authority.Bodies, "、"))
	for m := range res.Matches() {
		fmt.Printf("%s: %s\n", m.Criterion.Clause, res.Because(m.Criterion))
	}
	// Output:
	// 重大 II 自治区指挥部
	// 1.5 重大 (1): deaths + missing = 12 ∈ [10, 30)
	// 1.5 一般 (1): directLoss = 800万 ∈ (-∞, 1000万)
}

// A drafter's edited copy of a plan loads the same way as the embedded one:
// here a one-criterion plan from an in-memory file system.
func ExampleLoad() {
	plan, err := yingji.Load(fstest.MapFS{
		"plan.yaml": {Data: []byte(`
id: drill
title: 演练预案
boundaries: {above: inclusive, below: exclusive}
files: {grading: grading.yaml}
`)},
		"grading.yaml": {Data: []byte(`
inputs:
  - {id: deaths, type: count, unit: 人}
levels:
  - id: major
    name: 较大
    criteria:
      - clause: "(1)"
        when: {deaths: 3 人以上}
  - id: minor
    name: 一般
    baseline: true
`)},
	})
	if err != nil {
		panic(err)
	}
	for _, n := range []int{2, 3} {
		inc := plan.Grading.NewIncident()
		_ = inc.Set("deaths", n)
		res, _ := plan.Grading.Classify(context.Background(), inc)
		lvl, _ := res.Level()
		fmt.Println(n, lvl.Name)
	}
	// Output:
	// 2 一般
	// 3 较大
}

// A broken plan file yields every problem at once, each positioned and
// rendered with its source line and a caret.
func ExampleLoadError() {
	_, err := yingji.Load(fstest.MapFS{
		"plan.yaml": {Data: []byte("id: t\ntitle: t\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte(`inputs:
  - {id: deaths, type: count, unit: 人}
levels:
  - id: major
    name: 较大
    criteria:
      - clause: "(1)"
        when: {deathz: 3 人以上}
    baselin: true
`)},
	})
	var le *yingji.LoadError
	if errors.As(err, &le) {
		fmt.Print(le.Render())
	}
	var ds diag.Diagnostics
	fmt.Println(errors.As(err, &ds), len(ds))
	// Output:
	// grading.yaml:8:16: error: unknown quantity "deathz"
	//     8 |         when: {deathz: 3 人以上}
	//       |                ^^^^^^
	//   at: levels[0].criteria[0].when
	//   fix: use an input or quantity declared in grading.yaml, or any:, all:, expr:. Did you mean "deaths"?
	// grading.yaml:9:5: error: unknown key "baselin"
	//     9 |     baselin: true
	//       |     ^^^^^^^
	//   at: levels[0].baselin
	//   fix: remove it or correct its spelling; allowed keys here: id, name, aliases, clause, text, response, authority, baseline, interpretation, criteria. Did you mean "baseline"?
	// true 2
}

// Lint a drafter's plan and print the finding as the CLI renders it: the
// file, line and column, the line with a caret, the clause and the fix.
func ExamplePlan_Lint() {
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
	ds := plan.Lint()
	_ = diag.Render(os.Stdout, ds, plan.Sources)
	// Output:
	// grading.yaml:12:42: warning: deaths (死亡) 3–9 人 is named by no level's criterion
	//    12 |       - {clause: "D (2)", when: {deaths: 3 人以下}}
	//       |                                          ^^^^^^^^
	//   at: levels[1].criteria[0].when.deaths
	//   clause: D (2)
	//   D (2) ("3 人以下") ends below it and D (1) ("10 人以上") starts above it, so only other facts or the baseline can grade it. Example: {"deaths": 3} is graded 一般 (baseline: no criterion names it).
	//   fix: name 3–9 人 in a level's criterion, or record why not in an interpretation: note
}
