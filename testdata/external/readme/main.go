package main

import (
	"context"
	"fmt"
	"log"

	"github.com/yingji/yingji"
)

func main() {
	ctx := context.Background()
	// Or yingji.Embedded("national-493"), yingji.LoadDir("my-plan"),
	// yingji.Load(fsys); options set limits, a clock and a decision sink.
	plan, err := yingji.Default()
	if err != nil {
		log.Fatal(err) // a *yingji.LoadError: every finding, positioned
	}
	// One strict call: parse, check the lists against the orgchart, grade.
	res, err := plan.ClassifyJSON(ctx, []byte(`{"deaths": 12, "directLoss": "5000万", "localities": ["昌吉市"]}`))
	if err != nil {
		log.Fatal(err) // diag.ProblemsOf(err): stable code, field, params
	}
	lvl, _ := res.Level()
	fmt.Println(lvl.Name, lvl.Response.Name) // 重大 Ⅱ级应急响应
	for _, m := range res.Matched() {
		fmt.Println(m.Criterion.Clause, res.Because(m.Criterion))
	}
	// The roster of a response level, as people write it: Ⅲ, III, 3, 三级, 较大.
	roster, err := plan.Roster(ctx, "Ⅲ", []string{"道路交通"}, []string{"昌吉市"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(roster.Title, len(roster.Entries))
}
