package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/diag"
)

// The lint command, in pieces a command table takes as they are: the
// usage line, the help, the flags and the run on parsed arguments.
const (
	lintUsage = "yingji lint [--plan ID|DIR] [--lang zh|en] [--json] [--strict] [--interpretations|--all] [-v]"
	lintShort = "find gaps, overlaps, dead criteria and untraced clauses in a plan; count its interpretations"
	lintLong  = `Lint checks a plan: the findings of loading it, the grading analysis (gaps,
overlaps, shadowed criteria, unreachable levels, non-monotone grading, scope
versus levels, unused inputs, thresholds out of order) and clauses of the
index no item cites. A header counts them; errors come first, then warnings,
the most consequential first; what only follows from a finding (the grade
falling in a range no level names, the scope disagreeing there) is shown
under it, and findings alike are grouped. The interpretations the data takes
are counted, and listed with --interpretations. The text is in Chinese (--lang
en for English); the findings of the analysis are written in either, those of
loading the plan keep their own words. With --json the findings are one array
([] for a clean plan), each range with its numeric bounds, in English.

The exit status is 1 when there are errors (and, with --strict, warnings),
2 when the plan does not load (its errors are then the findings).

Examples:

	yingji lint
	yingji lint --plan ./my-plan --strict
	yingji lint --interpretations`
)

type lintFlags struct {
	plan                                 *string
	asJSON, strict, interp, all, verbose *bool
	lang                                 *lang
}

func newLintFlags(fs *flag.FlagSet) lintFlags {
	return lintFlags{
		plan:    fs.String("plan", "", planUsage),
		asJSON:  fs.Bool("json", false, "print the findings as a JSON array ([] when clean), related findings under \"related\", ranges with numeric bounds"),
		strict:  fs.Bool("strict", false, "exit 1 on warnings too"),
		interp:  fs.Bool("interpretations", false, "list every interpretation taken, its whole note once (they are counted otherwise)"),
		all:     fs.Bool("all", false, "the same as --interpretations"),
		verbose: fs.Bool("v", false, "show each finding's evidence and source line"),
		lang:    addLangFlag(fs),
	}
}

// lintCommand is the lint command of the table, built from its pieces.
func lintCommand() *Command {
	c := &Command{Name: "lint", UsageLine: lintUsage, Short: lintShort, Long: lintLong,
		Flags: flag.NewFlagSet("lint", flag.ContinueOnError)}
	f := newLintFlags(c.Flags)
	c.Run = func(e *env, args []string) int { return runLint(e.stdout, e.stderr, f, args) }
	return c
}

func runLint(stdout, stderr io.Writer, f lintFlags, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "yingji lint: unexpected argument %q; name the plan with --plan\n", args[0])
		return 2
	}
	var r *analysis.Report
	var src diag.Sources
	status := 0
	p, err := loadPlan(*f.plan)
	if err != nil {
		var le *yingji.LoadError
		if !errors.As(err, &le) {
			fmt.Fprintln(stderr, err)
			return 2
		}
		// A plan that does not load: its diagnostics are the findings.
		r, src, status = le.Report(), le.Sources, 2
	} else {
		r, src = p.LintReport(), p.Sources
		if r.Counts.Errors > 0 || (*f.strict && r.Counts.Warnings > 0) {
			status = 1
		}
	}
	if *f.asJSON {
		err = r.WriteJSON(stdout)
	} else {
		err = r.WriteText(stdout, analysis.TextOptions{Lang: f.lang.String(), Interpretations: *f.interp || *f.all, Verbose: *f.verbose, Sources: src,
			Hint: f.lang.Pick("yingji lint --interpretations 可列出全部", "yingji lint --interpretations lists them")})
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return max(status, 1)
	}
	return status
}
