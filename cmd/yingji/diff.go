package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji/analysis"
)

func init() {
	register(command{name: "diff", summary: "list the ranges of each input two plans grade differently", run: runDiff})
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
	asJSON := fs.Bool("json", false, "print the changes as JSON")
	exitCode := fs.Bool("exit-code", false, "exit 1 when the plans grade some range differently")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji diff A B [--json] [--exit-code]\n\n"+
			"A and B are embedded plan ids or plan folders. Lists, input by input, the ranges\n"+
			"the two rule sets grade differently, with an example incident and both grades\n"+
			"and clauses; levels are compared by id.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "yingji diff: want two plans, got %d; e.g. yingji diff changji-2025 national-493\n", len(pos))
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
	changes, err := analysis.Diff(a.Grading, b.Grading)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	status := 0
	if *exitCode && len(changes) > 0 {
		status = 1
	}
	aName, bName := a.ID(), b.ID()
	if aName == bName {
		aName, bName = pos[0], pos[1]
	}
	if *asJSON {
		if changes == nil {
			changes = []analysis.GradeChange{}
		}
		return printJSON(stdout, stderr, struct {
			A       string                 `json:"a"`
			B       string                 `json:"b"`
			Changes []analysis.GradeChange `json:"changes"`
		}{aName, bName, changes}, status)
	}
	fmt.Fprintf(stdout, "A: %s — %s\nB: %s — %s\n", aName, a.Manifest.Title, bName, b.Manifest.Title)
	if len(changes) == 0 {
		fmt.Fprintln(stdout, "\nThe two rule sets grade every range of every input the same.")
		return status
	}
	what := fmt.Sprintf("%d ranges are", len(changes))
	if len(changes) == 1 {
		what = "1 range is"
	}
	fmt.Fprintf(stdout, "\n%s treated differently (each input alone, the others at their least value):\n\n", what)
	for _, c := range changes {
		fmt.Fprintln(stdout, c.Text(aName, bName))
	}
	return status
}
