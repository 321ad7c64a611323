package main

import (
	"flag"

	"github.com/yingji/yingji/analysis"
)

func casesCommand() *Command {
	c := &Command{
		Name:      "cases",
		UsageLine: "yingji cases [--plan ID|DIR] [--format yaml|json]",
		Short:     "print a plan's boundary cases with their expected grades, to pin in tests",
		Long: `
Cases prints every threshold of the plan just below, at and just above it,
with the grade, the deciding clause and the scope the plan gives each: a
golden table to pin. Check a pinned copy in Go tests with gradingtest.Check.

Example:

	yingji cases --format json > testdata/cases.json`,
		Flags: flag.NewFlagSet("cases", flag.ContinueOnError),
	}
	plan := addPlanFlag(c.Flags)
	format := c.Flags.String("format", "yaml", "the output `format`: yaml or json")
	c.Run = func(e *env, args []string) int {
		if len(args) > 0 {
			return c.usageError(e, "unexpected argument %q; name the plan with --plan", args[0])
		}
		if *format != "yaml" && *format != "json" {
			return c.usageError(e, "--format is yaml or json, not %q", *format)
		}
		p, err := loadPlan(*plan)
		if err != nil {
			reportLoadError(e.stderr, "yingji cases", err)
			return exitUsage
		}
		if p.Grading == nil {
			return c.usageError(e, "plan %s has no grading rules", p.ID())
		}
		cs, err := analysis.BoundaryCases(p.Grading)
		if err != nil {
			return c.fail(e, exitFindings, err)
		}
		cs.Plan = p.ID()
		if *format == "json" {
			err = cs.WriteJSON(e.stdout)
		} else {
			err = cs.WriteYAML(e.stdout)
		}
		if err != nil {
			return c.fail(e, exitFindings, err)
		}
		return exitOK
	}
	return c
}
