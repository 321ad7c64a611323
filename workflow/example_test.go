package workflow_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow"
)

// A tiny workflow: a report must be confirmed within 10 minutes by the
// duty officer.
const exampleWorkflow = `
id: example
phases:
  - {id: open, initial: true}
  - {id: confirmed, final: true}
events:
  - id: report.received
    phases: [open]
  - id: report.confirmed
    phases: [open]
    guards:
      - id: duty-officer-only
        clause: "Art. 2"
        message: only the duty officer confirms
        when: event.actor == "duty-officer"
transitions:
  - {event: report.confirmed, from: [open], to: confirmed}
tasks:
  - id: confirm
    name: confirm the report
    clause: "Art. 2"
    assignee: duty-officer
    on: [{event: [report.received]}]
    within: 10m
    doneBy: [{event: report.confirmed}]
    late: {flag: late, name: 迟报, clause: "Art. 2"}
`

func exampleDefinition() *workflow.Definition {
	plan, err := yingji.Embedded("national-493")
	if err != nil {
		panic(err)
	}
	def, ds := workflow.Compile("workflow.yaml", []byte(exampleWorkflow), plan.Grading,
		workflow.WithActors(workflow.Actors{{ID: "duty-officer"}, {ID: "clerk"}}))
	if ds.HasErrors() {
		panic(ds)
	}
	return def.ForPlan(workflow.PlanRef{ID: "example"})
}

func ExampleDefinition_Apply() {
	def := exampleDefinition()
	ctx := context.Background()
	t0, _ := workflow.ParseTime("2025-10-15T09:00:00+06:00")
	// Beijing time: 11:12+08:00 is 09:12+06:00, twelve minutes later.
	t1, _ := workflow.ParseTime("2025-10-15T11:12:00+08:00")

	inst := def.Start("incident-42")
	inst, eff, _ := def.Apply(ctx, inst, workflow.Event{ID: "1", Type: "report.received", Actor: "clerk", OccurredAt: t0, RecordedAt: t0})
	fmt.Println("opened:", eff.Opened, "due:", inst.Tasks()[0].Due)

	_, _, err := def.Apply(ctx, inst, workflow.Event{ID: "2", Type: "report.confirmed", Actor: "clerk", OccurredAt: t1, RecordedAt: t1})
	var ge *workflow.GuardError
	if errors.As(err, &ge) {
		fmt.Printf("rejected by %s [%s]: %s\n", ge.Guard, ge.Clause, ge.Message)
	}

	inst, eff, _ = def.Apply(ctx, inst, workflow.Event{ID: "3", Type: "report.confirmed", Actor: "duty-officer", OccurredAt: t1, RecordedAt: t1})
	fmt.Println("phase:", inst.Phase, "flag:", eff.Flags[0].Name, "-", eff.Flags[0].Note)

	_, eff, _ = def.Apply(ctx, inst, workflow.Event{ID: "3", Type: "report.confirmed", Actor: "duty-officer", OccurredAt: t1, RecordedAt: t1})
	fmt.Println("re-delivered:", eff.Duplicate)
	// Output:
	// opened: [confirm] due: 2025-10-15T09:10:00+06:00
	// rejected by duty-officer-only [Art. 2]: only the duty officer confirms
	// phase: confirmed flag: 迟报 - confirm the report：开启后 12 分钟完成，时限 10 分钟，超时 2 分钟
	// re-delivered: true
}

func ExampleDue() {
	def := exampleDefinition()
	t0, _ := workflow.ParseTime("2025-10-15T09:00:00+06:00")
	inst, _, _ := def.Apply(context.Background(), def.Start("incident-43"),
		workflow.Event{ID: "1", Type: "report.received", Actor: "clerk", OccurredAt: t0, RecordedAt: t0})
	for _, d := range workflow.Due(inst, t0.Time().Add(25*60e9)) {
		fmt.Printf("%s (%s) overdue by %s\n", d.Task, d.Assignee, d.Overdue)
	}
	// Output:
	// confirm (duty-officer) overdue by 15m0s
}

func ExampleCompile_diagnostic() {
	plan, _ := yingji.Embedded("national-493")
	src := []byte("id: broken\nphases:\n  - {id: open, initial: true}\n  - {id: done, final: true}\nevents:\n  - id: close\n    guards:\n      - {id: g, clause: \"1\", message: m, when: 'event.actor == \"chif\"'}\ntransitions:\n  - {event: close, from: [open], to: done}\n")
	_, ds := workflow.Compile("workflow.yaml", src, plan.Grading, workflow.WithActors(workflow.Actors{{ID: "chief"}}))
	fmt.Print(diag.RenderString(ds, diag.Sources{"workflow.yaml": src}))
	// Output:
	// workflow.yaml:8:64: error: unknown actor "chif"
	//     8 |       - {id: g, clause: "1", message: m, when: 'event.actor == "chif"'}
	//       |                                                                ^^^^^^
	//   at: events[0].guards[0].when
	//   fix: use a unit, placeholder or group id of the orgchart. Did you mean "chief"?
}
