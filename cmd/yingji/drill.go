package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow/drill"
)

func init() {
	register(command{name: "drill", summary: "replay a drill scenario (7.2) on a simulated clock: timeline and summary", run: runDrill})
}

func runDrill(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji drill", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	plan := fs.String("plan", "", "an embedded plan id or a plan folder (default: the scenario's plan:, else changji-2025)")
	asJSON := fs.Bool("json", false, "print the timeline as JSON")
	asMD := fs.Bool("markdown", false, "print the timeline as Markdown (the default)")
	if wantsHelp(args) {
		fmt.Fprintln(stdout, "Usage: yingji drill SCENARIO.yaml [--json|--markdown] [--plan ID|DIR]")
		fmt.Fprintln(stdout, "\nReplays the scenario's steps on its simulated clock and prints each step (accepted or")
		fmt.Fprintln(stdout, "rejected and why), the final state and a closing summary for the written drill report.")
		fmt.Fprintln(stdout, "Exits 1 when a step's expect: is not met.")
		return 0
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		fmt.Fprintf(stderr, "yingji drill: %s%s\n", err, flagHint(err, fs))
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "yingji drill: name one scenario file, e.g. yingji drill examples/drills/iv-county.yaml")
		return 2
	}
	if *asJSON && *asMD {
		fmt.Fprintln(stderr, "yingji drill: choose one of --json and --markdown")
		return 2
	}
	src, err := os.ReadFile(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "yingji drill: %v\n", err)
		return 2
	}
	name := filepath.Base(pos[0])
	dr, ds := drill.Parse(name, src)
	if ds.HasErrors() {
		fmt.Fprintf(stderr, "yingji drill: the scenario does not load:\n%s", diag.RenderString(ds, diag.Sources{name: src}))
		return 2
	}
	spec := *plan
	if spec == "" {
		spec = dr.Plan
	}
	_, def, err := planWorkflow(spec)
	if err != nil {
		reportLoadError(stderr, err)
		return 1
	}
	tl, err := drill.Run(context.Background(), def, dr)
	if err != nil {
		fmt.Fprintf(stderr, "yingji drill: %v\n", err)
		return 1
	}
	if *asJSON {
		b, err := json.MarshalIndent(tl, "", "  ")
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		fmt.Fprint(stdout, tl.Markdown())
	}
	if tl.Summary.Unexpected > 0 {
		fmt.Fprintf(stderr, "yingji drill: %d step(s) did not turn out as the scenario expects\n", tl.Summary.Unexpected)
		return 1
	}
	return 0
}
