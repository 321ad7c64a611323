package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/yingji/yingji/orgchart"
)

func diagramCommand() *Command {
	c := &Command{
		Name:      "diagram",
		UsageLine: "yingji diagram org|site|flow [--format mermaid|dot] [--plan ID|DIR]",
		Short:     "draw the command structure, the site HQ or the response flow (Mermaid or DOT)",
		Long: `
Diagram draws one of the plan's figures from its data. The original figures
of the plan are lost; these are reconstructions, and say so in their titles:

	org   附件 8.1, the command structure: the 指挥部, its office, the
	      working groups and the member units
	site  附件 8.2, the site HQ (现场应急救援指挥部) and its groups
	flow  附件 8.4, the response flow: the phases of workflow.yaml and the
	      events between them

Mermaid (the default) renders on GitHub and in most Markdown viewers; DOT
is for Graphviz (dot -Tsvg).

Examples:

	yingji diagram org
	yingji diagram flow --format dot | dot -Tsvg > flow.svg`,
		Flags: flag.NewFlagSet("diagram", flag.ContinueOnError),
	}
	plan := addPlanFlag(c.Flags)
	format := c.Flags.String("format", "mermaid", "the output `format`: mermaid or dot")
	c.Run = func(e *env, args []string) int {
		if len(args) != 1 {
			return c.usageError(e, "say which diagram: org, site or flow")
		}
		f := strings.ToLower(*format)
		if f != "mermaid" && f != "dot" {
			return c.usageError(e, "--format is mermaid or dot, not %q", *format)
		}
		p, err := loadPlan(*plan)
		if err != nil {
			reportLoadError(e.stderr, "yingji diagram", err)
			return exitUsage
		}
		var out string
		switch args[0] {
		case "flow":
			if p.Workflow == nil {
				return c.usageError(e, "plan %s has no workflow (files.workflow in plan.yaml)", p.ID())
			}
			out = p.Workflow.Mermaid()
			if f == "dot" {
				out = p.Workflow.DOT()
			}
		default:
			if p.Orgchart == nil {
				return c.usageError(e, "plan %s has no orgchart (files.orgchart in plan.yaml)", p.ID())
			}
			out, err = p.Orgchart.Draw(args[0], orgchart.Format(f))
			if err != nil {
				return c.usageError(e, "%s", strings.ReplaceAll(err.Error(), "orgchart: ", ""))
			}
		}
		if _, err := fmt.Fprint(e.stdout, out); err != nil {
			return c.fail(e, exitFindings, err)
		}
		return exitOK
	}
	return c
}
