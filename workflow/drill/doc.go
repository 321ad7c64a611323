// Package drill replays a drill scenario (7.2: 每年至少组织一次综合应急演练,
// with a written summary report) against a compiled workflow on a
// simulated clock, and renders what happened as a timeline in JSON and
// Markdown with a closing summary fit to be the written drill report.
//
// A scenario is YAML (see Parse): a start time, and steps that each send
// one workflow event at a time on the simulated clock, optionally with
// the outcome the script expects ("accepted", "rejected", a guard id …).
// Rejected steps are recorded, not fatal: a drill is meant to try what the
// plan forbids. Run returns the Timeline; Timeline.Markdown renders it as
// the written drill report — in Chinese, or in English with
// Language("en") — naming units, tasks, phases and grades as the plan
// names them (through the definition the drill ran under), with the
// notices of each step grouped by who makes them. It is the one renderer
// of a drill: the CLI's `yingji drill` prints it.
//
//	dr, ds := drill.Parse("iv-county.yaml", src)
//	tl, err := drill.Run(ctx, plan.Workflow, dr)
//	fmt.Print(tl.Markdown(drill.PlanTitle(plan.Manifest.Title)))
//
// Every time of a scenario must fall in the years workflow.MinYear–MaxYear;
// findings are diagnostics with the codes of codes.go (drill.*).
//
// # Concurrency
//
// A parsed Drill is only read by Run, so one drill may be run by several
// goroutines at once, under one Definition or several. Run reads no clock:
// every time comes from the scenario.
package drill
