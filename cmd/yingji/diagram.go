package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yingji/yingji/orgchart"
)

func init() {
	register(command{name: "diagram", summary: "draw the command structure, the site HQ or the response flow (Mermaid or DOT)", run: runDiagram})
}

func runDiagram(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji diagram", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("plan", "", "an embedded plan id or a plan folder")
	format := fs.String("format", "mermaid", "mermaid or dot")
	if wantsHelp(args) {
		fmt.Fprintf(stdout, "Usage: yingji diagram org|site|flow [--format mermaid|dot] [--plan ID|DIR]\n")
		return 0
	}
	var which string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		which, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "yingji diagram: %s%s\n", err, flagHint(err, fs))
		return 2
	}
	if which == "" && fs.NArg() > 0 {
		which = fs.Arg(0)
	}
	if which == "flow" {
		return runFlowDiagramPlan(planFlag(args), *format, stdout, stderr)
	}
	_, chart, err := planAndChart(args)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	if err := writeDiagram(stdout, chart, which, *format); err != nil {
		fmt.Fprintf(stderr, "yingji diagram: %s\n", strings.ReplaceAll(err.Error(), "orgchart: ", ""))
		return 2
	}
	return 0
}

// writeDiagram draws one of the chart's diagrams.
func writeDiagram(w io.Writer, c *orgchart.Chart, which, format string) error {
	out, err := c.Draw(which, orgchart.Format(strings.ToLower(format)))
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, out)
	return err
}
