package yingji_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow"
)

// BenchmarkPlanApply applies events through the plan's own actor
// resolver (the orgchart), with actors named by alias as duty rooms
// write them and incidents naming localities by name, and a response
// activation that builds the roster.
func BenchmarkPlanApply(b *testing.B) {
	p, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	def := p.Workflow
	t0, _ := workflow.ParseTime("2025-10-15T09:00:00+06:00")
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		inst := def.Start(fmt.Sprint("b", i))
		for k, ev := range []workflow.Event{
			{Type: "report.received", Actor: "昌吉州应急管理局", Data: map[string]any{"via": "phone", "from": "事故发生地县市（园区）应急管理局",
				"incident": map[string]any{"deaths": 1, "localities": []string{"奇台县"}}}},
			{Type: "report.written", Actor: "昌吉州应急管理局", Data: map[string]any{"contents": []string{"reporter", "type", "situation", "outlook", "support"}}},
			{Type: "response.activated", Actor: "事故发生地县市人民政府（园区管委会）", Data: map[string]any{"level": "Ⅳ"}},
			{Type: "report.followup", Actor: "昌吉州应急管理局", Data: map[string]any{"summary": "进展"}},
		} {
			at := t0.Add(0)
			ev.ID, ev.OccurredAt, ev.RecordedAt = fmt.Sprint(k), at, at
			next, _, err := def.Apply(ctx, inst, ev)
			if err != nil {
				b.Fatal(err)
			}
			inst = next
		}
	}
}
