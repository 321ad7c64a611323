package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow"
)

// planWorkflow loads a plan and returns its compiled workflow.
func planWorkflow(spec string) (*yingji.Plan, *workflow.Definition, error) {
	p, err := loadPlan(spec)
	if err != nil {
		return nil, nil, err
	}
	if p.Workflow == nil {
		return nil, nil, fmt.Errorf("yingji: plan %s has no workflow (files.workflow in plan.yaml)", p.ID())
	}
	return p, p.Workflow, nil
}

// runFlowDiagram draws the default plan's workflow (a reconstruction of
// 附件 8.4) as Mermaid or DOT. It is wired as "yingji diagram flow".
func runFlowDiagram(format string, stdout, stderr io.Writer) int {
	return runFlowDiagramPlan("", format, stdout, stderr)
}

// runFlowDiagramPlan draws the workflow of the plan spec names.
func runFlowDiagramPlan(spec, format string, stdout, stderr io.Writer) int {
	_, def, err := planWorkflow(spec)
	if err != nil {
		reportLoadError(stderr, err)
		return 1
	}
	var out string
	switch strings.ToLower(format) {
	case "", "mermaid":
		out = def.Mermaid()
	case "dot":
		out = def.DOT()
	default:
		fmt.Fprintf(stderr, "yingji diagram flow: unknown format %q; use mermaid or dot\n", format)
		return 2
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
