package grading_test

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/plans"
)

// Compile is the grading-only layer: one grading.yaml, no orgchart or
// workflow. yingji.Load compiles a whole plan folder.
func ExampleCompile() {
	src := []byte(`
inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人}
levels:
  - id: serious
    name: 重大
    response: {id: II, name: Ⅱ级应急响应}
    criteria:
      - clause: "(1)"
        when: {deaths: 10 人以上、30 人以下}
  - id: general
    name: 一般
    baseline: true
`)
	rules, ds := grading.Compile("grading.yaml", src,
		grading.WithConvention(grading.Convention{AboveInclusive: true}), // 以上含本数，以下不含本数
		grading.MaxCriteria(16), grading.MaxExprLength(512))
	if ds.HasErrors() {
		fmt.Println(ds)
		return
	}
	inc := rules.NewIncident()
	_ = inc.Set("deaths", 10)
	res, _ := rules.Classify(context.Background(), inc)
	l, _ := res.Level()
	fmt.Println(l.Name, l.Response.Name)
	// Output: 重大 Ⅱ级应急响应
}

// A response level is read as the plan text and a duty officer write it;
// a spelling that names none is answered with the list, in order, never
// with a guess.
func ExampleRules_ParseResponse() {
	src, _ := fs.ReadFile(plans.FS, "changji-2025/grading.yaml")
	rules, _ := grading.Compile("grading.yaml", src)
	for _, s := range []string{"Ⅲ级应急响应程序", "III 级响应", "三级", "3"} {
		r, _ := rules.ParseResponse(s)
		fmt.Println(s, "→", r.ID)
	}
	l, _ := rules.ParseLevel("较大生产安全事故")
	fmt.Println("较大生产安全事故 →", l.ID)
	_, err := rules.ParseResponse("Ⅴ级")
	fmt.Println(err)
	// Output:
	// Ⅲ级应急响应程序 → III
	// III 级响应 → III
	// 三级 → III
	// 3 → III
	// 较大生产安全事故 → relatively-serious
	// grading: response: Ⅴ级: not a response level of this plan; the response levels, most severe first, are I (Ⅰ级应急响应), II (Ⅱ级应急响应), III (Ⅲ级应急响应), IV (Ⅳ级应急响应)
}

// An expression that reads the clock is refused when the rules load, with
// the position of the call; one that fails only for some incident makes
// Classify return an error naming the criterion, never a lower grade.
func ExampleEvalError() {
	plan := func(expr string) []byte {
		return []byte(`
inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人}
levels:
  - id: serious
    name: 重大
    criteria:
      - clause: "1.5 重大 (1)"
        when: {expr: '` + expr + `'}
  - {id: general, name: 一般, baseline: true}
`)
	}
	_, ds := grading.Compile("grading.yaml", plan(`now().Year() > 2000`))
	fmt.Println(ds.Errors()[0].Code, ds.Errors()[0].Subject)

	rules, _ := grading.Compile("grading.yaml", plan(`[1, 2, 3][int(deaths)] > 0`))
	inc, _ := rules.ParseIncident([]byte(`{"deaths": 5}`))
	_, err := rules.Classify(context.Background(), inc)
	fmt.Println(err)
	// Output:
	// grading.expr-impure grading.yaml:9:23
	// grading: criterion 1.5 重大 (1) could not be evaluated: index out of range: 5 (array length is 3)
}
