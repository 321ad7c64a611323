package workflow

import (
	"strings"

	"github.com/yingji/yingji/internal/graph"
)

// The diagrams are drawn from the data only, in file order, so the same
// definition always gives the same bytes. Their title, and the caption
// that says, where a plan's own figure is lost, that this one is redrawn,
// are the workflow file's (diagram:).

func (d *Definition) diagramTitle() string {
	title := d.diagram.Title
	if title == "" {
		title = d.title
	}
	if d.diagram.Clause != "" {
		title = d.diagram.Clause + " " + title
	}
	if d.diagram.Caption != "" {
		title += "（" + d.diagram.Caption + "）"
	}
	return title
}

func (d *Definition) transitionLabel(t *Transition) []string {
	lines := []string{t.Event}
	if t.Label != "" || t.Clause != "" {
		lines = append(lines, strings.TrimSpace(t.Label+" "+paren(t.Clause)))
	}
	if e, ok := d.eventByID[t.Event]; ok && len(e.Guards) > 0 {
		ids := make([]string, len(e.Guards))
		for i, g := range e.Guards {
			ids[i] = g.ID
		}
		lines = append(lines, "guards: "+strings.Join(ids, ", "))
	}
	if t.When != "" {
		lines = append(lines, "when: "+t.When)
	}
	return lines
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

// startNode is the initial pseudo-state's id; no phase id has a leading
// underscore pair.
const startNode = "__start"

const dotFont = "sans-serif"

// graph is the workflow as a state diagram: its phases in file order, the
// initial one entered from the start, every transition from each of its
// source phases, final phases marked, and the phases that need a command
// holder noted.
func (d *Definition) graph() *graph.Graph {
	g := &graph.Graph{
		Kind:      graph.States,
		Name:      d.id,
		Title:     d.diagramTitle(),
		Note:      d.diagram.Note,
		Attrs:     []graph.Attr{{Name: "rankdir", Value: "TB"}, {Name: "fontname", Value: dotFont}},
		NodeAttrs: []graph.Attr{{Name: "shape", Value: "box"}, {Name: "style", Value: "rounded"}, {Name: "fontname", Value: dotFont}},
		EdgeAttrs: []graph.Attr{{Name: "fontname", Value: dotFont}, {Name: "fontsize", Value: "10"}},
	}
	g.Nodes = append(g.Nodes, graph.Node{ID: startNode, Shape: graph.Start})
	for _, p := range d.phases {
		name := p.Name
		if name == "" {
			name = p.ID
		}
		n := graph.Node{ID: p.ID, Label: strings.TrimSpace(name + "\n" + p.ID + " " + paren(p.Clause)), Final: p.Final}
		switch {
		case p.Final:
			n.Attrs = []graph.Attr{{Name: "peripheries", Value: "2"}}
		case p.Command:
			n.Attrs = []graph.Attr{{Name: "style", Value: "rounded,bold"}}
		}
		if p.Command {
			n.Note = "command holder required"
		}
		g.Nodes = append(g.Nodes, n)
	}
	g.Edges = append(g.Edges, graph.Edge{From: startNode, To: d.initial.ID})
	for _, t := range d.transitions {
		label := strings.Join(d.transitionLabel(t), "\n")
		for _, from := range t.From {
			g.Edges = append(g.Edges, graph.Edge{From: from, To: t.To, Label: label})
		}
	}
	return g
}

// Mermaid renders the workflow as a Mermaid stateDiagram-v2.
func (d *Definition) Mermaid() string { return d.graph().Mermaid() }

// DOT renders the workflow as a Graphviz digraph.
func (d *Definition) DOT() string { return d.graph().DOT() }
