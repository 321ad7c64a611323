// Command duty-room is the smallest duty-room service an integrator can
// copy: it serves one plan through a yingji.Engine, records every decision
// as a JSON line, opens an incident from a phone report, reloads an edited
// plan folder, and shows what migrating the open incident would change.
//
//	go run ./examples/duty-room                 # the embedded default plan
//	go run ./examples/duty-room ./my-plan-copy  # and reload an edited copy
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

func main() {
	ctx := yingji.WithPrincipal(context.Background(), "值班员")
	decisions := yingji.NewJSONLSink(os.Stderr)
	plan, err := yingji.Default(yingji.WithDecisionSink(decisions))
	if err != nil {
		log.Fatal(err)
	}
	engine := yingji.NewEngine(plan)

	// A phone report (3.2): 10 dead so far, in 昌吉市, road traffic.
	inst, err := engine.Start("2025-1015-001")
	if err != nil {
		log.Fatal(err)
	}
	now := workflow.TimeOf(time.Now())
	inst, effects, err := engine.Apply(ctx, inst, workflow.Event{
		ID: "evt-1", Type: "report.received", Actor: "yjj", OccurredAt: now, RecordedAt: now,
		Data: map[string]any{"via": "phone", "from": "local-emergency-bureau",
			"incident": map[string]any{"deaths": 10, "localities": []any{"昌吉市"}, "industries": []any{"道路交通"}}},
	})
	if err != nil {
		for _, p := range diag.ProblemsOf(err) {
			log.Printf("%s %s: %s", p.Code, p.Field, p.Message)
		}
		os.Exit(1)
	}
	// Show names, not ids: the duty officer reads 重大 and 先期处置.
	level, _ := plan.Grading.Level(inst.Level)
	phase, _ := plan.Workflow.Phase(inst.Phase)
	fmt.Printf("事件 %s：%s（%s），阶段 %s，开启任务 %d 项\n", inst.ID, level.Name, level.Response.Name, phase.Name, len(effects.Opened))
	for _, d := range workflow.Due(inst, time.Now().Add(16*time.Minute)) {
		fmt.Printf("16 分钟后逾期：%s（%s）\n", d.Name, d.Clause)
	}

	if len(os.Args) < 2 {
		return
	}
	// A drafter edited a copy of the plan: reload it, keep serving the old
	// one if it does not load, and ask what the open incident would become.
	if _, err := engine.Reload(os.DirFS(os.Args[1])); err != nil {
		st := engine.Status()
		fmt.Printf("重新加载失败，仍使用 %s：%d 个错误\n", st.Plan.Revision, len(st.LastReload.Diagnostics))
		return
	}
	migs, err := engine.Migrate(ctx, []workflow.Instance{inst}, false)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range migs {
		fmt.Printf("迁移 %s 到新版本将改变 %d 处\n", m.Instance, len(m.Divergences))
		for _, d := range m.Divergences {
			fmt.Println(" ", d.Kind, d.Subject, d.Old, "→", d.New)
		}
	}
}
