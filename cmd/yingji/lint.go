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

func lintCommand() *Command {
	c := &Command{
		Name:      "lint",
		UsageLine: "yingji lint [--plan ID|DIR] [--json] [--strict]",
		Short:     "find gaps, overlaps, dead criteria and untraced clauses in a plan; list its interpretations",
		Long: `
Lint checks a plan: the findings of loading it, the grading analysis (gaps,
overlaps, shadowed criteria, unreachable levels, non-monotone grading, scope
versus levels, unused inputs, thresholds out of order), clauses of the index
no item cites, and every interpretation the data takes, as a to-do for the
next revision. Each finding has its file:line:column, clause and, where it
helps, an example incident.

The exit status is 1 when there are errors (and, with --strict, warnings);
warnings and notes alone exit 0. A plan that does not load exits 2, with its
diagnostics printed as the findings.

Examples:

	yingji lint
	yingji lint --plan ./my-plan --strict`,
		Flags: flag.NewFlagSet("lint", flag.ContinueOnError),
	}
	plan := addPlanFlag(c.Flags)
	asJSON := c.Flags.Bool("json", false, "print the findings as a JSON array of diagnostics")
	strict := c.Flags.Bool("strict", false, "exit 1 on warnings too")
	c.Run = func(e *env, args []string) int {
		if len(args) > 0 {
			return c.usageError(e, "unexpected argument %q; name the plan with --plan", args[0])
		}
		p, err := loadPlan(*plan)
		if err != nil {
			var le *yingji.LoadError
			if !errors.As(err, &le) {
				return c.usageError(e, "%s", err)
			}
			// A plan that does not load: its diagnostics are the findings.
			if *asJSON {
				printJSON(e.stdout, nonNilDiags(le.Diagnostics))
				return exitUsage
			}
			renderAll(e.stdout, le.Diagnostics, le.Sources)
			fmt.Fprintf(e.stdout, "\nThe plan does not load: %s.\n", counts(le.Diagnostics))
			return exitUsage
		}
		ds := p.Lint()
		status := exitOK
		if ds.HasErrors() {
			status = exitFindings
		}
		var problems, notes diag.Diagnostics
		for _, d := range ds {
			if d.Severity == diag.Warning && *strict {
				status = exitFindings
			}
			if d.Severity == diag.Info {
				notes = append(notes, d)
			} else {
				problems = append(problems, d)
			}
		}
		if *asJSON {
			if err := printJSON(e.stdout, nonNilDiags(ds)); err != nil {
				return c.fail(e, exitFindings, err)
			}
			return status
		}
		fmt.Fprintf(e.stdout, "Plan: %s (%s)\n\n", p.Manifest.Title, p.ID())
		if len(ds) == 0 {
			fmt.Fprintln(e.stdout, "No findings.")
		}
		renderAll(e.stdout, problems, p.Sources)
		if len(notes) > 0 {
			fmt.Fprintf(e.stdout, "\nTo do for the next revision — %d notes (interpretations taken, parts not checked):\n\n", len(notes))
			renderAll(e.stdout, notes, p.Sources)
		}
		if _, err := fmt.Fprintf(e.stdout, "\n%s: %s.\n", p.ID(), counts(ds)); err != nil {
			return c.fail(e, exitFindings, err)
		}
		return status
	}
	return c
}

func nonNilDiags(ds diag.Diagnostics) diag.Diagnostics {
	if ds == nil {
		return diag.Diagnostics{}
	}
	return ds
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

// printJSON prints v as indented JSON, with <, > and & as they are.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
