package drill_test

import (
	"context"
	"fmt"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow/drill"
)

func ExampleRun() {
	plan, err := yingji.Default()
	if err != nil {
		panic(err)
	}
	src := []byte(`
title: 3.2 电话报告后 15 分钟内补报文字报告
clause: "7.2"
start: "2025-10-15T09:00:00+06:00"
end: "+1h"
steps:
  - {at: "+0m", event: report.received, actor: yjj, data: {via: phone, from: local-emergency-bureau}}
  - {at: "+20m", event: report.written, actor: yjj, data: {contents: [reporter, type, situation, outlook, support]}}
`)
	dr, ds := drill.Parse("report.yaml", src)
	if ds.HasErrors() {
		panic(ds)
	}
	tl, err := drill.Run(context.Background(), plan.Workflow, dr)
	if err != nil {
		panic(err)
	}
	for _, f := range tl.Flags {
		fmt.Printf("%s（%s）：%s\n", f.Name, f.Clause, f.Note)
	}
	fmt.Println(tl.Summary.Text[1])
	// Output:
	// 迟报（3.2）：15 分钟内补报文字报告：开启后 20 分钟完成，时限 15 分钟，超时 5 分钟
	// 共 2 步：接受 2 步，拒绝 0 步；与脚本预期不符 0 步。
}
