package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow/drill"
)

func drillCommand() *Command {
	c := &Command{
		Name:      "drill",
		UsageLine: "yingji drill SCENARIO.yaml [--plan ID|DIR] [--lang zh|en] [--json]",
		Short:     "replay a drill scenario (7.2) on a simulated clock: timeline and summary",
		Long: `
Drill replays a drill scenario (7.2: 每年至少组织一次综合应急演练) against the
plan's workflow on the scenario's simulated clock, and prints, as Markdown:
the timeline (each step accepted or rejected and why, with the phase, grade,
response level and who holds site command after it), each step's details
(tasks opened and done, deadlines met and missed, findings such as 迟报,
and the reports and notices it calls for, grouped by who makes them), the
final state, the tasks still open and a closing summary for the written
drill report. Units, tasks and phases are named as the plan names them.

The plan is --plan, else the scenario's plan:, else the default plan. The
exit status is 1 when a step does not turn out as the scenario's expect:
says, and 2 when the scenario or the plan does not load.

Examples:

	yingji drill examples/drills/iv-to-iii-escalation.yaml
	yingji drill examples/drills/iv-county.yaml --json`,
		Flags: flag.NewFlagSet("drill", flag.ContinueOnError),
	}
	plan := addPlanFlag(c.Flags)
	asJSON := c.Flags.Bool("json", false, "print the timeline as JSON")
	c.Flags.Bool("markdown", true, "print the timeline as Markdown (the default; kept for scripts that ask for it)")
	lg := addLangFlag(c.Flags)
	c.Run = func(e *env, args []string) int {
		if len(args) != 1 {
			return c.usageError(e, "name one scenario file, e.g. yingji drill examples/drills/iv-county.yaml")
		}
		src, err := os.ReadFile(args[0])
		if err != nil {
			return c.fail(e, exitUsage, err)
		}
		name := filepath.Base(args[0])
		dr, ds := drill.Parse(name, src)
		if ds.HasErrors() {
			fmt.Fprintf(e.stderr, "yingji drill: the scenario does not load:\n%s", diag.RenderString(ds, diag.Sources{name: src}))
			return exitUsage
		}
		spec := *plan
		if spec == "" {
			spec = dr.Plan
		}
		p, err := loadPlan(spec)
		if err != nil {
			reportLoadError(e.stderr, "yingji drill", err)
			return exitUsage
		}
		if p.Workflow == nil {
			return c.usageError(e, "plan %s has no workflow (files.workflow in plan.yaml)", p.ID())
		}
		tl, err := drill.Run(e.ctx, p.Workflow, dr)
		if err != nil {
			return c.fail(e, exitUsage, err)
		}
		var out string
		if *asJSON {
			b, err := json.MarshalIndent(tl, "", "  ")
			if err != nil {
				return c.fail(e, exitFindings, err)
			}
			out = string(b) + "\n"
		} else {
			out = tl.Markdown(drill.Language(lg.String()), drill.PlanTitle(p.Manifest.Title))
		}
		if status := write(c, e, out); status != exitOK {
			return status
		}
		if tl.Summary.Unexpected > 0 {
			fmt.Fprintf(e.stderr, "yingji drill: %d step(s) did not turn out as the scenario expects\n", tl.Summary.Unexpected)
			return exitFindings
		}
		return exitOK
	}
	return c
}
