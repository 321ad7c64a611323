package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
)

func init() {
	register(command{name: "test", summary: "run drafters' case files against a plan, with coverage of criteria, thresholds, guards and tasks", run: runTest})
}

func runTest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plan := fs.String("plan", "", "an embedded plan id or a plan folder (default: the case files' plan:, else "+yingji.DefaultPlan+")")
	coverage := fs.Bool("coverage", false, "report what the cases exercise: criteria, both sides of each threshold, guards, tasks, with what they miss (file:line)")
	threshold := fs.Float64("threshold", 0, "exit 1 when the coverage is below this percentage")
	asJSON := fs.Bool("json", false, "print the results (and the coverage) as JSON")
	verbose := fs.Bool("v", false, "list every case, passed ones too")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji test [--plan ID|DIR] [--coverage] [--threshold N] [--json] [-v] CASES…\n\n"+
			"Runs YAML case files (examples/cases): each incident's grade, response, deciding\n"+
			"clause, matched criteria and scope; its roster (who must or must not be on it,\n"+
			"engaged or notified); its workflow steps, accepted or rejected by a named guard.\n"+
			"Exits 1 when a case fails or the coverage is below --threshold.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "yingji test: name at least one case file, e.g. yingji test --coverage examples/cases/changji-2025-complete.yaml")
		return 2
	}
	var cfs []*yingji.CaseFile
	spec := *plan
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "yingji test: %v\n", err)
			return 2
		}
		cf, ds := yingji.ReadCaseFile(f, src)
		if ds.HasErrors() {
			fmt.Fprintf(stderr, "yingji test: %s cannot be read:\n%s", f, diag.RenderString(ds, diag.Sources{f: src}))
			return 2
		}
		if spec == "" {
			spec = cf.Plan
		}
		cfs = append(cfs, cf)
	}
	p, err := loadPlan(spec)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	run, err := p.RunCases(context.Background(), cfs...)
	if err != nil {
		fmt.Fprintf(stderr, "yingji test: %v\n", err)
		return 2
	}
	if *asJSON {
		err = run.WriteJSON(stdout)
	} else {
		err = run.WriteText(stdout, yingji.CaseTextOptions{Coverage: *coverage || *threshold > 0, Verbose: *verbose})
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	status := 0
	if run.Failed > 0 {
		status = 1
	}
	if *threshold > 0 && run.Coverage.Percent < *threshold {
		fmt.Fprintf(stderr, "yingji test: coverage %.1f%% is below the threshold %.1f%%\n", run.Coverage.Percent, *threshold)
		status = 1
	}
	return status
}
