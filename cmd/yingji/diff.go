package main

import (
	"flag"
	"fmt"

	"github.com/yingji/yingji/analysis"
)

func diffCommand() *Command {
	c := &Command{
		Name:      "diff",
		UsageLine: "yingji diff A B [--json]",
		Short:     "list the ranges of each input two plans grade differently",
		Long: `
Diff compares the grading rules of two plans, A and B (embedded plan ids or
plan folders): input by input, each range the two grade differently, with an
example incident, both grades and the clauses that decide them. Levels are
compared by id. Each input is varied alone, the others at their least value.

Like diff(1), the exit status is 1 when the plans grade some range
differently and 0 when they agree.

Examples:

	yingji diff changji-2025 national-493
	yingji diff changji-2025 ./my-plan`,
		Flags: flag.NewFlagSet("diff", flag.ContinueOnError),
	}
	asJSON := c.Flags.Bool("json", false, "print the changes as JSON")
	c.Run = func(e *env, args []string) int {
		if len(args) != 2 {
			return c.usageError(e, "want two plans, got %d; e.g. yingji diff changji-2025 national-493", len(args))
		}
		a, err := loadPlan(args[0])
		if err != nil {
			reportLoadError(e.stderr, "yingji diff", err)
			return exitUsage
		}
		b, err := loadPlan(args[1])
		if err != nil {
			reportLoadError(e.stderr, "yingji diff", err)
			return exitUsage
		}
		if a.Grading == nil || b.Grading == nil {
			return c.usageError(e, "both plans need grading rules")
		}
		changes, err := analysis.Diff(a.Grading, b.Grading)
		if err != nil {
			return c.fail(e, exitUsage, err)
		}
		status := exitOK
		if len(changes) > 0 {
			status = exitFindings
		}
		aName, bName := a.ID(), b.ID()
		if aName == bName {
			aName, bName = args[0], args[1]
		}
		if *asJSON {
			if changes == nil {
				changes = []analysis.GradeChange{}
			}
			if err := printJSON(e.stdout, struct {
				A       string                 `json:"a"`
				B       string                 `json:"b"`
				Changes []analysis.GradeChange `json:"changes"`
			}{aName, bName, changes}); err != nil {
				return c.fail(e, exitFindings, err)
			}
			return status
		}
		fmt.Fprintf(e.stdout, "A: %s — %s\nB: %s — %s\n", aName, a.Manifest.Title, bName, b.Manifest.Title)
		if len(changes) == 0 {
			fmt.Fprintln(e.stdout, "\nThe two rule sets grade every range of every input the same.")
			return status
		}
		what := fmt.Sprintf("%d ranges are", len(changes))
		if len(changes) == 1 {
			what = "1 range is"
		}
		fmt.Fprintf(e.stdout, "\n%s treated differently (each input alone, the others at their least value):\n\n", what)
		for _, ch := range changes {
			if _, err := fmt.Fprintln(e.stdout, ch.Text(aName, bName)); err != nil {
				return c.fail(e, exitFindings, err)
			}
		}
		return status
	}
	return c
}
