// Package graph writes a small directed-graph model as Mermaid and as
// Graphviz DOT, so that every diagram of yingji (the orgchart's command
// figures, the workflow's response flow) is quoted and named the same way.
//
// Both writers are deterministic: the same Graph gives the same bytes.
// Titles, labels and notes are quoted or escaped for the place they are
// written into, so no text from a plan can break the diagram. Node ids are
// the plan's own ids; DOT takes them quoted, as they are, and Mermaid,
// which allows fewer characters, gets ids spelled out ("a-b" → n_a_b,
// "a.b" → n_a__b) with a numbered suffix for any two that would still meet.
//
// A Graph is a plain value: writing it only reads it, so any number of
// goroutines may write the same Graph at once.
package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of Mermaid diagram a graph is written as. DOT writes
// every kind as a digraph.
type Kind int

const (
	// Flowchart is a Mermaid "flowchart TD" with shaped nodes and
	// subgraphs.
	Flowchart Kind = iota
	// States is a Mermaid "stateDiagram-v2": nodes are states, a Start
	// node is the initial pseudo-state, Final nodes lead to the end.
	States
)

// Shape is how a node is drawn.
type Shape int

const (
	Box     Shape = iota // Mermaid ["…"]; DOT the default shape
	Rounded              // Mermaid ("…"); DOT style=rounded
	Note                 // Mermaid [/"…"/]; DOT shape=note
	Dashed               // Mermaid {{"…"}}; DOT style=dashed
	// Start is the initial pseudo-state of a state diagram: Mermaid [*],
	// DOT a point without a label. A flowchart draws it as a circle.
	Start
)

// Attr is a Graphviz attribute. Values that are not plain identifiers or
// numbers are quoted when written.
type Attr struct {
	Name, Value string
}

// Node is a node of the graph.
type Node struct {
	ID    string
	Label string // line breaks are kept: <br/> in Mermaid, \n in DOT
	Shape Shape
	// Final marks an end state of a state diagram (Mermaid: an edge to
	// [*]); DOT draws it with the node's Attrs.
	Final bool
	// Note is a note beside a state of a state diagram.
	Note string
	// Attrs are further DOT attributes of the node.
	Attrs []Attr
}

// Edge is a directed edge.
type Edge struct {
	From, To string
	Label    string
	Dashed   bool
	// ToSubgraph, when set, draws the edge to the subgraph with this id
	// instead of to one node: Mermaid points at the subgraph, DOT clips
	// the edge to the node To at the cluster's border.
	ToSubgraph string
}

// Subgraph groups nodes under a label (a Graphviz cluster).
type Subgraph struct {
	ID    string
	Label string
	Nodes []string // node ids, declared in Nodes
}

// Graph is a diagram to write.
type Graph struct {
	Kind  Kind
	Name  string // the DOT graph's id
	Title string
	// Note is a comment under the title: Mermaid %% and DOT //.
	Note      string
	Nodes     []Node
	Edges     []Edge
	Subgraphs []Subgraph
	// Attrs, NodeAttrs and EdgeAttrs are the DOT graph's attributes and
	// node and edge defaults, written in order.
	Attrs, NodeAttrs, EdgeAttrs []Attr
}

// oneLine keeps a text inside the one line it is written on.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// mermaidIDs maps the graph's ids to Mermaid ids, in order of first use,
// so that the output stays deterministic.
type mermaidIDs struct {
	ids   map[string]string
	taken map[string]bool
}

func (m *mermaidIDs) of(id string) string {
	if s, ok := m.ids[id]; ok {
		return s
	}
	var b strings.Builder
	b.WriteString("n_")
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case r == '-':
			b.WriteByte('_')
		case r == '.':
			b.WriteString("__")
		case r == '@':
			b.WriteString("_at_")
		default:
			fmt.Fprintf(&b, "_u%x_", r)
		}
	}
	s := b.String()
	for n := 2; m.taken[s]; n++ {
		s = fmt.Sprintf("%s_%d", b.String(), n)
	}
	m.taken[s] = true
	m.ids[id] = s
	return s
}

// mermaidQuoted escapes text for a quoted Mermaid label.
var mermaidQuoted = strings.NewReplacer(`"`, "#quot;", "\r\n", "<br/>", "\n", "<br/>", "\r", "<br/>")

// mermaidBare escapes text written unquoted after a colon in a state
// diagram (a transition's label, a note), and the labels of states.
var mermaidBare = strings.NewReplacer(`"`, "#quot;", ":", "#colon;", ";", "#59;", "\r\n", "<br/>", "\n", "<br/>", "\r", "<br/>")

// Mermaid writes the graph as a Mermaid diagram of its Kind, with the
// title in YAML front matter.
func (g *Graph) Mermaid() string {
	var b strings.Builder
	// The title is a YAML string in the front matter: quoted, so that a
	// colon or a hash in it cannot break the front matter.
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", strconv.Quote(oneLine.Replace(g.Title)))
	ids := &mermaidIDs{ids: map[string]string{}, taken: map[string]bool{}}
	if g.Kind == States {
		g.mermaidStates(&b, ids)
	} else {
		g.mermaidFlowchart(&b, ids)
	}
	return b.String()
}

func (g *Graph) node(id string) (Node, bool) {
	for _, n := range g.Nodes {
		if n.ID == id {
			return n, true
		}
	}
	return Node{}, false
}

func (g *Graph) mermaidFlowchart(b *strings.Builder, ids *mermaidIDs) {
	const indent = "  "
	b.WriteString("flowchart TD\n")
	if g.Note != "" {
		fmt.Fprintf(b, "%s%%%% %s\n", indent, oneLine.Replace(g.Note))
	}
	inSubgraph := map[string]bool{}
	for _, sg := range g.Subgraphs {
		for _, n := range sg.Nodes {
			inSubgraph[n] = true
		}
	}
	shape := func(n Node) string {
		id, l := ids.of(n.ID), mermaidQuoted.Replace(n.Label)
		switch n.Shape {
		case Rounded:
			return fmt.Sprintf(`%s("%s")`, id, l)
		case Note:
			return fmt.Sprintf(`%s[/"%s"/]`, id, l)
		case Dashed:
			return fmt.Sprintf(`%s{{"%s"}}`, id, l)
		case Start:
			return fmt.Sprintf(`%s(("%s"))`, id, l)
		}
		return fmt.Sprintf(`%s["%s"]`, id, l)
	}
	for _, n := range g.Nodes {
		if !inSubgraph[n.ID] {
			fmt.Fprintf(b, "%s%s\n", indent, shape(n))
		}
	}
	for _, sg := range g.Subgraphs {
		fmt.Fprintf(b, "%ssubgraph %s[\"%s\"]\n", indent, ids.of(sg.ID), mermaidQuoted.Replace(sg.Label))
		for _, id := range sg.Nodes {
			if n, ok := g.node(id); ok {
				fmt.Fprintf(b, "%s%s%s\n", indent, indent, shape(n))
			}
		}
		fmt.Fprintf(b, "%send\n", indent)
	}
	for _, e := range g.Edges {
		from, to := ids.of(e.From), ids.of(e.To)
		if e.ToSubgraph != "" {
			to = ids.of(e.ToSubgraph)
		}
		arrow := "-->"
		if e.Dashed {
			arrow = "-.->"
		}
		if e.Label != "" {
			fmt.Fprintf(b, "%s%s %s|\"%s\"| %s\n", indent, from, arrow, mermaidQuoted.Replace(e.Label), to)
		} else {
			fmt.Fprintf(b, "%s%s %s %s\n", indent, from, arrow, to)
		}
	}
}

func (g *Graph) mermaidStates(b *strings.Builder, ids *mermaidIDs) {
	const indent = "    "
	b.WriteString("stateDiagram-v2\n")
	if g.Note != "" {
		fmt.Fprintf(b, "%s%%%% %s\n", indent, oneLine.Replace(g.Note))
	}
	start := map[string]bool{}
	for _, n := range g.Nodes {
		if n.Shape == Start {
			start[n.ID] = true
			continue
		}
		fmt.Fprintf(b, "%sstate \"%s\" as %s\n", indent, mermaidBare.Replace(n.Label), ids.of(n.ID))
	}
	state := func(id string) string {
		if start[id] {
			return "[*]"
		}
		return ids.of(id)
	}
	for _, e := range g.Edges {
		if e.Label != "" {
			fmt.Fprintf(b, "%s%s --> %s: %s\n", indent, state(e.From), state(e.To), mermaidBare.Replace(e.Label))
		} else {
			fmt.Fprintf(b, "%s%s --> %s\n", indent, state(e.From), state(e.To))
		}
	}
	for _, n := range g.Nodes {
		if n.Final {
			fmt.Fprintf(b, "%s%s --> [*]\n", indent, ids.of(n.ID))
		}
	}
	for _, n := range g.Nodes {
		if n.Note != "" {
			fmt.Fprintf(b, "%snote right of %s: %s\n", indent, ids.of(n.ID), mermaidBare.Replace(n.Note))
		}
	}
}

// dotString quotes s as a DOT string.
func dotString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s) + `"`
}

// dotID writes s bare when DOT takes it so (an identifier that is not a
// keyword, or a number), and quoted otherwise.
func dotID(s string) string {
	if s == "" {
		return `""`
	}
	switch strings.ToLower(s) {
	case "node", "edge", "graph", "digraph", "subgraph", "strict":
		return dotString(s)
	}
	ident, number := true, true
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		digit := r >= '0' && r <= '9'
		if !letter && !(digit && i > 0) {
			ident = false
		}
		if !digit && r != '.' {
			number = false
		}
	}
	if ident || number && strings.Count(s, ".") <= 1 && s != "." {
		return s
	}
	return dotString(s)
}

func dotAttrs(attrs []Attr) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = a.Name + "=" + dotID(a.Value)
	}
	return strings.Join(parts, ", ")
}

// DOT writes the graph as a Graphviz digraph, clusters for its subgraphs.
func (g *Graph) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotID(g.Name))
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n", dotString(g.Title))
	if g.Note != "" {
		fmt.Fprintf(&b, "  // %s\n", oneLine.Replace(g.Note))
	}
	for _, a := range g.Attrs {
		fmt.Fprintf(&b, "  %s=%s;\n", a.Name, dotID(a.Value))
	}
	if len(g.NodeAttrs) > 0 {
		fmt.Fprintf(&b, "  node [%s];\n", dotAttrs(g.NodeAttrs))
	}
	if len(g.EdgeAttrs) > 0 {
		fmt.Fprintf(&b, "  edge [%s];\n", dotAttrs(g.EdgeAttrs))
	}
	inSubgraph := map[string]bool{}
	for _, sg := range g.Subgraphs {
		for _, n := range sg.Nodes {
			inSubgraph[n] = true
		}
	}
	node := func(indent string, n Node) {
		if n.Shape == Start {
			fmt.Fprintf(&b, "%s%s [shape=point, label=\"\"];\n", indent, dotString(n.ID))
			return
		}
		attrs := []Attr(nil)
		switch n.Shape {
		case Rounded:
			attrs = append(attrs, Attr{"style", "rounded"})
		case Note:
			attrs = append(attrs, Attr{"shape", "note"})
		case Dashed:
			attrs = append(attrs, Attr{"style", "dashed"})
		}
		attrs = append(attrs, n.Attrs...)
		extra := ""
		if len(attrs) > 0 {
			extra = ", " + dotAttrs(attrs)
		}
		fmt.Fprintf(&b, "%s%s [label=%s%s];\n", indent, dotString(n.ID), dotString(n.Label), extra)
	}
	for _, n := range g.Nodes {
		if !inSubgraph[n.ID] {
			node("  ", n)
		}
	}
	for _, sg := range g.Subgraphs {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n", dotString("cluster_"+sg.ID), dotString(sg.Label))
		for _, id := range sg.Nodes {
			if n, ok := g.node(id); ok {
				node("    ", n)
			}
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		var a []string
		if e.Label != "" {
			a = append(a, "label="+dotString(e.Label))
		}
		if e.Dashed {
			a = append(a, "style=dashed")
		}
		if e.ToSubgraph != "" {
			a = append(a, "lhead="+dotString("cluster_"+e.ToSubgraph))
		}
		attr := ""
		if len(a) > 0 {
			attr = " [" + strings.Join(a, ", ") + "]"
		}
		fmt.Fprintf(&b, "  %s -> %s%s;\n", dotString(e.From), dotString(e.To), attr)
	}
	b.WriteString("}\n")
	return b.String()
}
