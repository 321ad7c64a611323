package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji"
)

func init() {
	register(command{name: "diff", summary: "what an edit changes: grading ranges, rosters, contacts and the workflow of two plans", run: runDiff})
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func runDiff(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the changes as JSON (ranges with numeric bounds, deadlines in seconds)")
	exitCode := fs.Bool("exit-code", false, "exit 1 when the plans differ in anything compared")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji diff A B [--json] [--exit-code]\n\n"+
			"A and B are embedded plan ids or plan folders, typically the plan in force and an\n"+
			"edited copy. Lists what changes: the ranges of each input graded differently (with\n"+
			"an example incident and both grades and clauses), who is engaged or notified at\n"+
			"each response level for each industry and locality, the contacts, and the\n"+
			"workflow's phases, events, guards, transitions, tasks and deadlines.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "yingji diff: want two plans, got %d; e.g. yingji diff changji-2025 ./my-edited-copy\n", len(pos))
		return 2
	}
	a, err := loadPlan(pos[0])
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	b, err := loadPlan(pos[1])
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	d, err := yingji.Diff(context.Background(), a, b)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if a.ID() == b.ID() {
		d.A.Name, d.B.Name = pos[0], pos[1]
	}
	status := 0
	if *exitCode && !d.Empty() {
		status = 1
	}
	if *asJSON {
		err = d.WriteJSON(stdout)
	} else {
		err = d.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return status
}
