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

// The replay command, in pieces a command table takes as they are: the
// usage line, the help, the flags and the run on parsed arguments.
const (
	replayUsage = "yingji replay --plan NEW [--base OLD] [--lang zh|en] [--json] [--exit-code] RECORDING…"
	replayShort = "replay stored incidents and drills under an edited plan before it goes live; list every divergence"
	replayLong  = `Replay runs each recording again under the edited plan and lists, per
incident, every divergence: a different grade or response, a task opened or
not, a deadline moved, a flag (迟报) raised or not, an event now rejected or
accepted. A RECORDING is a drill scenario (YAML, examples/drills), a stored
instance (JSON, compared with the state it holds) or an event log (a JSON
array of events, compared with a run under --base). The text is in Chinese
(--lang en for English).

The exit status is 1 on a divergence with --exit-code, 2 when a plan or a
recording does not load.

Examples:

	yingji replay --plan ./edited examples/drills/*.yaml
	yingji replay --plan ./edited --base changji-2025 --exit-code incidents/*.json`
)

type replayFlags struct {
	plan, base       *string
	asJSON, exitCode *bool
	lang             *lang
}

func newReplayFlags(fs *flag.FlagSet) replayFlags {
	return replayFlags{
		plan:     fs.String("plan", "", "the edited plan `ID|DIR`: an embedded plan id or a plan folder (required)"),
		base:     fs.String("base", "", "the plan in force `ID|DIR`, which drills and bare logs are compared with\n(default: the drill's plan:, else "+yingji.DefaultPlan+")"),
		asJSON:   fs.Bool("json", false, "print the report as JSON"),
		exitCode: fs.Bool("exit-code", false, "exit 1 when any incident diverges"),
		lang:     addLangFlag(fs),
	}
}

// replayCommand is the replay command of the table, built from its pieces.
func replayCommand() *Command {
	c := &Command{Name: "replay", UsageLine: replayUsage, Short: replayShort, Long: replayLong,
		Flags: flag.NewFlagSet("replay", flag.ContinueOnError)}
	f := newReplayFlags(c.Flags)
	c.Run = func(e *env, args []string) int { return runReplay(e.ctx, e.stdout, e.stderr, f, args) }
	return c
}

func runReplay(ctx context.Context, stdout, stderr io.Writer, f replayFlags, files []string) int {
	if *f.plan == "" || len(files) == 0 {
		fmt.Fprintln(stderr, "yingji replay: name the edited plan and at least one recording, e.g. yingji replay --plan ./edited examples/drills/*.yaml")
		return 2
	}
	p, err := loadPlan(*f.plan)
	if err != nil {
		reportLoadError(stderr, "yingji replay", err)
		return 2
	}
	var recs []yingji.Recording
	baseSpec := *f.base
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "yingji replay: %v\n", err)
			return 2
		}
		rec, err := yingji.ReadRecording(name, src)
		if err != nil {
			var re *yingji.RecordingError
			if errors.As(err, &re) {
				fmt.Fprintf(stderr, "yingji replay: %s is not a drill, an instance or an event log:\n%s", name, re.Render())
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
	base, err := loadPlan(baseSpec)
	if err != nil {
		reportLoadError(stderr, "yingji replay", err)
		return 2
	}
	rep, err := p.ReplayRecordings(ctx, base, recs)
	if err != nil {
		fmt.Fprintf(stderr, "yingji replay: %v\n", err)
		return 2
	}
	if *f.asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout, f.lang.String())
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *f.exitCode && rep.Divergent() > 0 {
		return 1
	}
	return 0
}
