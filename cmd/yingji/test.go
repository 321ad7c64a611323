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

// The test command, in pieces a command table takes as they are: the
// usage line, the help, the flags and the run on parsed arguments.
const (
	testUsage = "yingji test [--plan ID|DIR] [--coverage] [--threshold N] [--lang zh|en] [--json] [-v] CASES…"
	testShort = "run drafters' case files against a plan, with coverage of criteria, thresholds, guards and tasks"
	testLong  = `Test runs YAML case files (examples/cases): each incident's grade, response,
deciding clause, matched criteria and scope; its roster (who must or must not
be on it, engaged or notified); its workflow steps, accepted, or rejected by a
named guard. With --coverage it reports what the cases exercise — every
criterion, both sides of every threshold boundary, every guard rejecting and
letting pass, every task opened — as percentages, and each item they miss
with its file:line. The text is in Chinese (--lang en for English).

The exit status is 1 when a case fails or the coverage is below --threshold,
2 when the plan or a case file does not load.

Examples:

	yingji test examples/cases/changji-2025-smoke.yaml
	yingji test --coverage --threshold 100 examples/cases/changji-2025-complete.yaml`
)

type testFlags struct {
	plan             *string
	coverage, asJSON *bool
	verbose          *bool
	threshold        *float64
	lang             *lang
}

func newTestFlags(fs *flag.FlagSet) testFlags {
	return testFlags{
		plan:      fs.String("plan", "", "`ID|DIR` names the plan: an embedded plan id or a plan folder (default: the\ncase files' plan:, else "+yingji.DefaultPlan+")"),
		coverage:  fs.Bool("coverage", false, "report what the cases exercise and what they miss (file:line)"),
		threshold: fs.Float64("threshold", 0, "exit 1 when the coverage is below this percentage"),
		asJSON:    fs.Bool("json", false, "print the results and the coverage as JSON"),
		verbose:   fs.Bool("v", false, "list every case, passed ones too"),
		lang:      addLangFlag(fs),
	}
}

// testCommand is the test command of the table, built from its pieces.
func testCommand() *Command {
	c := &Command{Name: "test", UsageLine: testUsage, Short: testShort, Long: testLong,
		Flags: flag.NewFlagSet("test", flag.ContinueOnError)}
	f := newTestFlags(c.Flags)
	c.Run = func(e *env, args []string) int { return runTest(e.ctx, e.stdout, e.stderr, f, args) }
	return c
}

func runTest(ctx context.Context, stdout, stderr io.Writer, f testFlags, files []string) int {
	if len(files) == 0 {
		fmt.Fprintln(stderr, "yingji test: name at least one case file, e.g. yingji test --coverage examples/cases/changji-2025-complete.yaml")
		return 2
	}
	var cfs []*yingji.CaseFile
	spec := *f.plan
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "yingji test: %v\n", err)
			return 2
		}
		cf, ds := yingji.ReadCaseFile(name, src)
		if ds.HasErrors() {
			fmt.Fprintf(stderr, "yingji test: %s cannot be read:\n%s", name, diag.RenderString(ds, diag.Sources{name: src}))
			return 2
		}
		if spec == "" {
			spec = cf.Plan
		}
		cfs = append(cfs, cf)
	}
	p, err := loadPlan(spec)
	if err != nil {
		reportLoadError(stderr, "yingji test", err)
		return 2
	}
	run, err := p.RunCases(ctx, cfs...)
	if err != nil {
		fmt.Fprintf(stderr, "yingji test: %v\n", err)
		return 2
	}
	if *f.asJSON {
		err = run.WriteJSON(stdout)
	} else {
		err = run.WriteText(stdout, yingji.CaseTextOptions{Lang: f.lang.String(), Coverage: *f.coverage || *f.threshold > 0, Verbose: *f.verbose})
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	status := 0
	if run.Failed > 0 {
		status = 1
	}
	if *f.threshold > 0 && run.Coverage.Percent < *f.threshold {
		fmt.Fprintf(stderr, "yingji test: coverage %.1f%% is below the threshold %.1f%%\n", run.Coverage.Percent, *f.threshold)
		status = 1
	}
	return status
}
