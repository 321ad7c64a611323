package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/yingji/yingji"
)

func init() {
	register(command{name: "replay", summary: "replay stored incidents and drills under an edited plan before it goes live; list every divergence", run: runReplay})
}

func runReplay(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plan := fs.String("plan", "", "the edited plan: an embedded plan id or a plan folder (required)")
	base := fs.String("base", "", "the plan in force, which drills and bare logs are compared with (default: the drill's plan:, else "+yingji.DefaultPlan+")")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	exitCode := fs.Bool("exit-code", false, "exit 1 when any incident diverges")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yingji replay --plan NEW [--base OLD] [--json] [--exit-code] RECORDING…\n\n"+
			"Replays each recording under the edited plan and lists, per incident, every divergence:\n"+
			"a different grade or response, a task opened or not, a deadline moved, a flag (迟报)\n"+
			"raised or not, an event now rejected or accepted. A RECORDING is a drill scenario\n"+
			"(YAML, examples/drills), a stored instance (JSON, compared with the state it holds)\n"+
			"or an event log (a JSON array of events, compared with a run under --base).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if *plan == "" || len(files) == 0 {
		fmt.Fprintln(stderr, "yingji replay: name the edited plan and at least one recording, e.g. yingji replay --plan ./edited examples/drills/*.yaml")
		return 2
	}
	p, err := loadPlan(*plan)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	var recs []yingji.Recording
	baseSpec := *base
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "yingji replay: %v\n", err)
			return 2
		}
		rec, err := yingji.ReadRecording(f, src)
		if err != nil {
			var re *yingji.RecordingError
			if errors.As(err, &re) {
				fmt.Fprintf(stderr, "yingji replay: %s is not a drill, an instance or an event log:\n%s", f, re.Render())
			} else {
				fmt.Fprintln(stderr, err)
			}
			return 2
		}
		if baseSpec == "" && rec.Drill != nil {
			baseSpec = rec.Drill.Plan
		}
		recs = append(recs, rec)
	}
	b, err := loadPlan(baseSpec)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	rep, err := p.ReplayRecordings(context.Background(), b, recs)
	if err != nil {
		fmt.Fprintf(stderr, "yingji replay: %v\n", err)
		return 2
	}
	if *asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if *exitCode && rep.Divergent() > 0 {
		return 1
	}
	return 0
}
