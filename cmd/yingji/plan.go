package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/yingji/yingji"
)

// loadPlan loads an embedded plan by id, or a plan folder on disk. An empty
// spec is the default plan.
func loadPlan(spec string) (*yingji.Plan, error) {
	if spec == "" {
		spec = yingji.DefaultPlan
	}
	if slices.Contains(yingji.EmbeddedIDs(), spec) {
		return yingji.Embedded(spec)
	}
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		return yingji.Load(os.DirFS(spec))
	}
	return nil, fmt.Errorf("yingji: %q is neither an embedded plan (%s) nor a plan folder", spec, strings.Join(yingji.EmbeddedIDs(), ", "))
}

// reportLoadError prints a plan that failed to load with every diagnostic
// rendered against its source.
func reportLoadError(w io.Writer, err error) {
	var le *yingji.LoadError
	if errors.As(err, &le) {
		fmt.Fprintf(w, "yingji: the plan does not load:\n%s", le.Render())
		return
	}
	fmt.Fprintln(w, err)
}

// planFlag finds --plan in args before the rest are parsed, since the other
// flags depend on the plan's inputs.
func planFlag(args []string) string {
	for i, a := range args {
		switch {
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

func init() {
	register(command{name: "plans", summary: "list the embedded plans", run: runPlans})
}

func runPlans(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "yingji plans: takes no arguments")
		return 2
	}
	for _, id := range yingji.EmbeddedIDs() {
		p, err := yingji.Embedded(id)
		if err != nil {
			reportLoadError(stderr, err)
			return 1
		}
		def := ""
		if id == yingji.DefaultPlan {
			def = " (default)"
		}
		m := p.Manifest
		fmt.Fprintf(stdout, "%s%s\t%s\t%s\t%s\n", id, def, m.Title, m.Revision, p.Hash[:19])
	}
	return 0
}
