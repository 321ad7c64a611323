package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/yingji/yingji"
)

// The diff command, in pieces a command table takes as they are: the
// usage line, the help, the flags and the run on parsed arguments.
const (
	diffUsage = "yingji diff A B [--lang zh|en] [--json] [--exit-code]"
	diffShort = "what an edit changes: grading ranges, rosters, contacts and the workflow of two plans"
	diffLong  = `Diff compares two plans — embedded plan ids or plan folders, typically the
plan in force and an edited copy — and lists what changes: the ranges of each
input graded differently (with an example incident and both grades and
clauses), who is engaged or notified at each response level for each industry
and locality, how the working groups are formed, the contacts, and the
workflow's phases, events, guards, transitions, tasks and deadlines. The text
is in Chinese (--lang en for English). With --json every grading range has its
numeric bounds and every deadline its seconds.

The exit status is 1 with --exit-code when the plans differ, 2 when a plan
does not load.

Examples:

	yingji diff changji-2025 ./edited
	yingji diff changji-2025 national-493 --json`
)

type diffFlags struct {
	asJSON, exitCode *bool
	lang             *lang
}

func newDiffFlags(fs *flag.FlagSet) diffFlags {
	return diffFlags{
		asJSON:   fs.Bool("json", false, "print the changes as JSON (ranges with numeric bounds, deadlines in seconds)"),
		exitCode: fs.Bool("exit-code", false, "exit 1 when the plans differ in anything compared"),
		lang:     addLangFlag(fs),
	}
}

// diffCommand is the diff command of the table, built from its pieces.
func diffCommand() *Command {
	c := &Command{Name: "diff", UsageLine: diffUsage, Short: diffShort, Long: diffLong,
		Flags: flag.NewFlagSet("diff", flag.ContinueOnError)}
	f := newDiffFlags(c.Flags)
	c.Run = func(e *env, args []string) int { return runDiff(e.ctx, e.stdout, e.stderr, f, args) }
	return c
}

func runDiff(ctx context.Context, stdout, stderr io.Writer, f diffFlags, pos []string) int {
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "yingji diff: want two plans, got %d; e.g. yingji diff changji-2025 ./my-edited-copy\n", len(pos))
		return 2
	}
	a, err := loadPlan(pos[0])
	if err != nil {
		reportLoadError(stderr, "yingji diff", err)
		return 2
	}
	b, err := loadPlan(pos[1])
	if err != nil {
		reportLoadError(stderr, "yingji diff", err)
		return 2
	}
	d, err := yingji.Diff(ctx, a, b)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if a.ID() == b.ID() {
		d.A.Name, d.B.Name = pos[0], pos[1]
	}
	if *f.asJSON {
		err = d.WriteJSON(stdout)
	} else {
		err = d.WriteText(stdout, f.lang.String())
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *f.exitCode && !d.Empty() {
		return 1
	}
	return 0
}
