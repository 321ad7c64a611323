package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
)

func init() {
	register(command{name: "lint", summary: "find gaps, overlaps, dead criteria and untraced clauses in a plan; list its interpretations", run: runLint})
}

func runLint(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plan := fs.String("plan", "", "an embedded plan id or a plan folder (default "+yingji.DefaultPlan+")")
	asJSON := fs.Bool("json", false, "print the findings as a JSON array of diagnostics")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji lint [--plan ID|DIR] [--json] [--strict]\n\n"+
			"Lints a plan: the findings of loading it, the grading analysis (gaps, overlaps,\n"+
			"shadowed criteria, unreachable levels, non-monotone grading, scope versus levels,\n"+
			"unused inputs, thresholds out of order), clauses of the index no item cites, and\n"+
			"every interpretation taken. Exits 1 on errors (and on warnings with --strict).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yingji lint: unexpected argument %q; name the plan with --plan\n", fs.Arg(0))
		return 2
	}
	p, err := loadPlan(*plan)
	if err != nil {
		var le *yingji.LoadError
		if !errors.As(err, &le) {
			fmt.Fprintln(stderr, err)
			return 2
		}
		// A plan that does not load: its diagnostics are the findings.
		if *asJSON {
			return printJSON(stdout, stderr, le.Diagnostics, 1)
		}
		renderAll(stdout, le.Diagnostics, le.Sources)
		fmt.Fprintf(stdout, "\nThe plan does not load: %s.\n", counts(le.Diagnostics))
		return 1
	}
	ds := p.Lint()
	status := 0
	if ds.HasErrors() {
		status = 1
	}
	var problems, notes diag.Diagnostics
	for _, d := range ds {
		if d.Severity == diag.Warning && *strict {
			status = 1
		}
		if d.Severity == diag.Info {
			notes = append(notes, d)
		} else {
			problems = append(problems, d)
		}
	}
	if *asJSON {
		return printJSON(stdout, stderr, ds, status)
	}
	fmt.Fprintf(stdout, "Plan: %s (%s)\n\n", p.Manifest.Title, p.ID())
	if len(ds) == 0 {
		fmt.Fprintln(stdout, "No findings.")
	}
	renderAll(stdout, problems, p.Sources)
	if len(notes) > 0 {
		fmt.Fprintf(stdout, "\nTo do for the next revision — %d notes (interpretations taken, parts not checked):\n\n", len(notes))
		renderAll(stdout, notes, p.Sources)
	}
	fmt.Fprintf(stdout, "\n%s: %s.\n", p.ID(), counts(ds))
	return status
}

// renderAll renders every diagnostic; diag.Render caps one call at
// diag.MaxRendered, and a lint shows all of them.
func renderAll(w io.Writer, ds diag.Diagnostics, src diag.Sources) {
	for len(ds) > 0 {
		n := min(len(ds), diag.MaxRendered)
		_ = diag.Render(w, ds[:n], src)
		ds = ds[n:]
	}
}

func counts(ds diag.Diagnostics) string {
	var n [4]int
	interp := 0
	for _, d := range ds {
		if d.Severity > 0 && int(d.Severity) < len(n) {
			n[d.Severity]++
		}
		if d.Code == diag.CodeInterpretation {
			interp++
		}
	}
	return fmt.Sprintf("%d errors, %d warnings, %d notes (%d interpretations)", n[diag.Error], n[diag.Warning], n[diag.Info], interp)
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
