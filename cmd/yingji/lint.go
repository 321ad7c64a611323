package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
)

func init() {
	register(command{name: "lint", summary: "find gaps, overlaps, dead criteria and untraced clauses in a plan; count its interpretations", run: runLint})
}

func runLint(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plan := fs.String("plan", "", "an embedded plan id or a plan folder (default "+yingji.DefaultPlan+")")
	asJSON := fs.Bool("json", false, "print the findings as a JSON array ([] when clean), related findings under \"related\", ranges with numeric bounds")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	interp := fs.Bool("interpretations", false, "list every interpretation taken, its whole note once (they are counted otherwise)")
	all := fs.Bool("all", false, "the same as --interpretations")
	verbose := fs.Bool("v", false, "show each finding's evidence and source line")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji lint [--plan ID|DIR] [--json] [--strict] [--interpretations|--all] [-v]\n\n"+
			"Lints a plan: the findings of loading it, the grading analysis (gaps, overlaps,\n"+
			"shadowed criteria, unreachable levels, non-monotone grading, scope versus levels,\n"+
			"unused inputs, thresholds out of order) and clauses of the index no item cites.\n"+
			"Errors come first, then warnings, the most consequential first; what only follows\n"+
			"from a finding is shown under it. Interpretations are counted (listed with\n"+
			"--interpretations). Exits 1 on errors (and on warnings with --strict).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yingji lint: unexpected argument %q; name the plan with --plan\n", fs.Arg(0))
		return 2
	}
	var r *analysis.Report
	var src diag.Sources
	p, err := loadPlan(*plan)
	if err != nil {
		var le *yingji.LoadError
		if !errors.As(err, &le) {
			fmt.Fprintln(stderr, err)
			return 2
		}
		// A plan that does not load: its diagnostics are the findings.
		r, src = le.Report(), le.Sources
	} else {
		r, src = p.LintReport(), p.Sources
	}
	status := 0
	if r.Counts.Errors > 0 || (*strict && r.Counts.Warnings > 0) {
		status = 1
	}
	if *asJSON {
		if err := r.WriteJSON(stdout); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		return status
	}
	opts := analysis.TextOptions{Interpretations: *interp || *all, Verbose: *verbose, Sources: src,
		Hint: "yingji lint --interpretations lists them"}
	if err := r.WriteText(stdout, opts); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return status
}

func printJSON(stdout, stderr io.Writer, v any, status int) int {
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return status
}
