package workflow

import (
	"fmt"
	"strings"
)

// The diagrams are drawn from the data only, in file order, so the same
// definition always gives the same bytes. They are labelled as
// reconstructions: the plan's own figure (附件 8.4 for Changji) is lost.

func (d *Definition) diagramTitle() string {
	title := d.diagram.Title
	if title == "" {
		title = d.title
	}
	if d.diagram.Clause != "" {
		title = d.diagram.Clause + " " + title
	}
	return title + "（据 workflow 数据重绘，非原图）"
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

func mermaidID(id string) string {
	return strings.NewReplacer("-", "_", ".", "_", " ", "_").Replace(id)
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", ":", "#colon;", ";", "#59;", "\n", " ").Replace(s)
}

// Mermaid renders the workflow as a Mermaid stateDiagram-v2.
func (d *Definition) Mermaid() string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nstateDiagram-v2\n", d.diagramTitle())
	if d.diagram.Note != "" {
		fmt.Fprintf(&b, "    %%%% %s\n", d.diagram.Note)
	}
	for _, p := range d.phases {
		name := p.Name
		if name == "" {
			name = p.ID
		}
		fmt.Fprintf(&b, "    state \"%s<br/>%s %s\" as %s\n", mermaidText(name), p.ID, paren(p.Clause), mermaidID(p.ID))
	}
	fmt.Fprintf(&b, "    [*] --> %s\n", mermaidID(d.initial.ID))
	for _, t := range d.transitions {
		label := mermaidText(strings.Join(d.transitionLabel(t), "<br/>"))
		for _, from := range t.From {
			fmt.Fprintf(&b, "    %s --> %s: %s\n", mermaidID(from), mermaidID(t.To), label)
		}
	}
	for _, p := range d.phases {
		if p.Final {
			fmt.Fprintf(&b, "    %s --> [*]\n", mermaidID(p.ID))
		}
	}
	for _, p := range d.phases {
		if p.Command {
			fmt.Fprintf(&b, "    note right of %s: %s\n", mermaidID(p.ID), "command holder required")
		}
	}
	return b.String()
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// DOT renders the workflow as a Graphviz digraph.
func (d *Definition) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(d.id))
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n  rankdir=TB;\n  fontname=\"sans-serif\";\n", dotQuote(d.diagramTitle()))
	if d.diagram.Note != "" {
		fmt.Fprintf(&b, "  // %s\n", d.diagram.Note)
	}
	b.WriteString("  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\", fontsize=10];\n")
	b.WriteString("  \"__start\" [shape=point, label=\"\"];\n")
	for _, p := range d.phases {
		name := p.Name
		if name == "" {
			name = p.ID
		}
		attrs := ""
		switch {
		case p.Final:
			attrs = ", peripheries=2"
		case p.Command:
			attrs = ", style=\"rounded,bold\""
		}
		fmt.Fprintf(&b, "  %s [label=%s%s];\n", dotQuote(p.ID), dotQuote(strings.TrimSpace(name+"\n"+p.ID+" "+paren(p.Clause))), attrs)
	}
	fmt.Fprintf(&b, "  \"__start\" -> %s;\n", dotQuote(d.initial.ID))
	for _, t := range d.transitions {
		label := strings.Join(d.transitionLabel(t), "\n")
		for _, from := range t.From {
			fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", dotQuote(from), dotQuote(t.To), dotQuote(label))
		}
	}
	b.WriteString("}\n")
	return b.String()
}
