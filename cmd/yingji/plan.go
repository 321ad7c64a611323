package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/yingji/yingji"
)

// planUsage is the usage of every command's --plan flag.
const planUsage = "`ID|DIR` names the plan: an embedded plan's id (yingji plans) or a plan folder\non disk (default " + yingji.DefaultPlan + ")"

// addPlanFlag adds --plan to fs. Commands whose flags depend on the plan
// read it before parsing (planFlag); the others read the returned value.
func addPlanFlag(fs *flag.FlagSet) *string {
	return fs.String("plan", "", planUsage)
}

// loadPlan loads an embedded plan by id, or a plan folder on disk. An empty
// spec is the default plan. A folder is opened with yingji.LoadDir, so the
// plan cannot read outside it.
func loadPlan(spec string) (*yingji.Plan, error) {
	if spec == "" {
		spec = yingji.DefaultPlan
	}
	if slices.Contains(yingji.EmbeddedIDs(), spec) {
		return yingji.Embedded(spec)
	}
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		return yingji.LoadDir(spec)
	}
	return nil, fmt.Errorf("%q is neither an embedded plan (%s) nor a plan folder", spec, strings.Join(yingji.EmbeddedIDs(), ", "))
}

// reportLoadError prints why a plan did not load, every diagnostic
// rendered against its source.
func reportLoadError(w io.Writer, who string, err error) {
	var le *yingji.LoadError
	if errors.As(err, &le) {
		fmt.Fprintf(w, "%s: the plan does not load:\n%s", who, le.Render())
		return
	}
	fmt.Fprintf(w, "%s: %s\n", who, strings.TrimPrefix(err.Error(), "yingji: "))
}

// planFlag finds --plan in args before they are parsed, for the commands
// whose other flags depend on the plan's inputs.
func planFlag(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case a == "--plan" || a == "-plan":
			if i+1 < len(args) {
				return args[i+1]
			}
		case strings.HasPrefix(a, "--plan="):
			return strings.TrimPrefix(a, "--plan=")
		case strings.HasPrefix(a, "-plan="):
			return strings.TrimPrefix(a, "-plan=")
		}
	}
	return ""
}

func plansCommand() *Command {
	c := &Command{
		Name:      "plans",
		UsageLine: "yingji plans",
		Short:     "list the embedded plans",
		Long: `
Plans lists the plans embedded in yingji, one a line: the id (to give to
--plan), the title, the revision and the start of the content hash. The
default plan is marked. Any command's --plan also takes a plan folder on
disk: a drafter's edited copy loads the same way.`,
		Flags: flag.NewFlagSet("plans", flag.ContinueOnError),
	}
	c.Run = func(e *env, args []string) int {
		if len(args) > 0 {
			return c.usageError(e, "takes no arguments, got %q", args[0])
		}
		for _, id := range yingji.EmbeddedIDs() {
			p, err := yingji.Embedded(id)
			if err != nil {
				reportLoadError(e.stderr, "yingji plans", err)
				return exitUsage
			}
			def := ""
			if id == yingji.DefaultPlan {
				def = " (default)"
			}
			m := p.Manifest
			if _, err := fmt.Fprintf(e.stdout, "%s%s\t%s\t%s\t%s\n", id, def, m.Title, m.Revision, p.Hash[:19]); err != nil {
				return c.fail(e, exitFindings, err)
			}
		}
		return exitOK
	}
	return c
}
