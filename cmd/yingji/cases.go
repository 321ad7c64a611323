package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
)

func init() {
	register(command{name: "cases", summary: "print a plan's boundary cases with their expected grades, to pin in tests", run: runCases})
}

func runCases(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji cases", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plan := fs.String("plan", "", "an embedded plan id or a plan folder (default "+yingji.DefaultPlan+")")
	format := fs.String("format", "yaml", "yaml or json")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji cases [--plan ID|DIR] [--format yaml|json]\n\n"+
			"Prints every threshold of the plan just below, at and just above, with the grade,\n"+
			"deciding clause and scope the plan gives each. Check a pinned copy in Go tests\n"+
			"with gradingtest.Check.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yingji cases: unexpected argument %q; name the plan with --plan\n", fs.Arg(0))
		return 2
	}
	if *format != "yaml" && *format != "json" {
		fmt.Fprintf(stderr, "yingji cases: --format is yaml or json, not %q\n", *format)
		return 2
	}
	p, err := loadPlan(*plan)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	cs, err := analysis.BoundaryCases(p.Grading)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	cs.Plan = p.ID()
	if *format == "json" {
		err = cs.WriteJSON(stdout)
	} else {
		err = cs.WriteYAML(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
