package orgchart

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Format is a diagram language.
type Format string

const (
	Mermaid Format = "mermaid" // a Mermaid flowchart
	DOT     Format = "dot"     // a Graphviz digraph
)

// Formats lists the diagram formats, for help texts.
var Formats = []Format{Mermaid, DOT}

// Draw renders a diagram of the chart (by id, see Diagrams) in the given
// format. A diagram draws its root body: who forms it, its posts, its
// member units, the units and groups under it with their leads,
// coordinators and members, and the links the data states to and from it.
// It is labelled with the title and clause of the figure it reconstructs.
// The output is the same, byte for byte, for the same chart.
func (c *Chart) Draw(id string, f Format) (string, error) {
	i := slices.IndexFunc(c.diagrams, func(d Diagram) bool { return d.ID == id })
	if i < 0 {
		var ids []string
		for _, d := range c.diagrams {
			ids = append(ids, d.ID)
		}
		return "", &LookupError{Kind: kindDiagramName, Name: id, Known: ids}
	}
	g := c.graph(c.diagrams[i])
	switch f {
	case Mermaid:
		return g.mermaid(), nil
	case DOT:
		return g.dot(), nil
	}
	return "", &LookupError{Kind: kindFormatName, Name: string(f), Known: []string{string(Mermaid), string(DOT)}}
}

type gnode struct {
	id, label, shape string // shape: box, round (groups), note (posts), dashed (placeholders)
}

type gedge struct {
	from, to, label string
	dashed          bool
}

type gcluster struct {
	id, label string
	nodes     []string
}

type graph struct {
	title, note string
	nodes       []gnode
	edges       []gedge
	clusters    []gcluster
	seen        map[string]bool
}

func (g *graph) node(id, label, shape string) {
	if g.seen[id] {
		return
	}
	g.seen[id] = true
	g.nodes = append(g.nodes, gnode{id, label, shape})
}

func (g *graph) edge(from, to, label string, dashed bool) {
	e := gedge{from, to, label, dashed}
	if !slices.Contains(g.edges, e) {
		g.edges = append(g.edges, e)
	}
}

// party adds the node of a unit, placeholder or group.
func (c *Chart) party(g *graph, id string) {
	e, ok := c.ids[id]
	if !ok {
		return
	}
	switch e.kind {
	case kindUnit:
		g.node(id, c.units[e.idx].Name, "box")
	case kindPlaceholder:
		g.node(id, c.placeholders[e.idx].Name, "dashed")
	case kindGroup:
		g.node(id, c.groups[e.idx].Name, "round")
	}
}

func (c *Chart) graph(d Diagram) *graph {
	g := &graph{title: d.Title + "（" + d.Clause + "，据数据重绘）", note: d.Note, seen: map[string]bool{}}
	root := c.units[c.ids[d.Root].idx]
	c.party(g, root.ID)
	for _, by := range root.FormedBy {
		c.party(g, by.Ref)
		g.edge(by.Ref, root.ID, joinCond("成立", by.Condition), by.Condition != "")
	}
	c.drawPosts(g, root)
	// Member units, as one cluster.
	if len(root.Members) > 0 {
		cl := gcluster{id: root.ID + "-members", label: "成员单位（" + root.Clause + "）"}
		for _, m := range root.Members {
			c.party(g, m.Ref)
			cl.nodes = append(cl.nodes, m.Ref)
		}
		g.clusters = append(g.clusters, cl)
		g.edge(root.ID, cl.nodes[0], "成员单位", false)
	}
	// Units and groups under the root.
	for _, u := range c.units {
		if u.PartOf == root.ID {
			c.party(g, u.ID)
			g.edge(root.ID, u.ID, "下设", false)
			c.drawPosts(g, u)
		}
	}
	for _, gr := range c.groups {
		if gr.PartOf != root.ID {
			continue
		}
		c.party(g, gr.ID)
		g.edge(root.ID, gr.ID, joinCond("下设", gr.Formed), gr.Formed != "")
		c.party(g, gr.Lead)
		g.edge(gr.ID, gr.Lead, "牵头", false)
		if gr.Coordinator != "" {
			c.party(g, gr.Coordinator)
			g.edge(gr.ID, gr.Coordinator, "协调", false)
		}
		for _, m := range gr.Members {
			c.party(g, m.Ref)
			g.edge(gr.ID, m.Ref, joinCond("成员", m.Condition), m.Condition != "")
		}
	}
	// Bodies the root forms.
	for _, u := range c.units {
		if u.ID == root.ID {
			continue
		}
		if i := slices.IndexFunc(u.FormedBy, func(m Member) bool { return m.Ref == root.ID }); i >= 0 {
			c.party(g, u.ID)
			cond := u.FormedBy[i].Condition
			g.edge(root.ID, u.ID, joinCond("成立", cond), cond != "")
		}
	}
	// Links from the root and to it.
	for _, l := range root.Links {
		c.party(g, l.To)
		g.edge(root.ID, l.To, joinCond(l.Label, l.Condition), l.Condition != "")
	}
	for _, u := range c.units {
		for _, l := range u.Links {
			if l.To == root.ID && u.ID != root.ID {
				c.party(g, u.ID)
				g.edge(u.ID, root.ID, joinCond(l.Label, l.Condition), l.Condition != "")
			}
		}
	}
	return g
}

func (c *Chart) drawPosts(g *graph, u Unit) {
	for _, p := range u.Posts {
		id := u.ID + "." + p.ID
		g.node(id, p.Title+"："+p.Holder, "note")
		g.edge(u.ID, id, "", false)
	}
}

// mermaidIDs maps the graph's ids to Mermaid node ids. Mermaid ids allow
// fewer characters than the YAML's ids, so the others are spelled out, and
// two ids that would still meet get a numbered suffix, in order of first
// appearance, so the output stays deterministic.
func (g *graph) mermaidIDs() func(string) string {
	ids := map[string]string{}
	taken := map[string]bool{}
	return func(id string) string {
		if m, ok := ids[id]; ok {
			return m
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
		m := b.String()
		for n := 2; taken[m]; n++ {
			m = fmt.Sprintf("%s_%d", b.String(), n)
		}
		taken[m] = true
		ids[id] = m
		return m
	}
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// oneLine keeps a note inside the one-line comment it is written into.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func (g *graph) mermaid() string {
	var b strings.Builder
	mermaidID := g.mermaidIDs()
	// The title is a YAML string in the front matter: quoted, so that a
	// colon or a hash in it cannot break the front matter.
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", strconv.Quote(oneLine(g.title)))
	b.WriteString("flowchart TD\n")
	if g.note != "" {
		fmt.Fprintf(&b, "  %%%% %s\n", oneLine(g.note))
	}
	inCluster := map[string]bool{}
	for _, cl := range g.clusters {
		for _, n := range cl.nodes {
			inCluster[n] = true
		}
	}
	shape := func(n gnode) string {
		l := mermaidText(n.label)
		switch n.shape {
		case "round":
			return fmt.Sprintf(`%s("%s")`, mermaidID(n.id), l)
		case "note":
			return fmt.Sprintf(`%s[/"%s"/]`, mermaidID(n.id), l)
		case "dashed":
			return fmt.Sprintf(`%s{{"%s"}}`, mermaidID(n.id), l)
		}
		return fmt.Sprintf(`%s["%s"]`, mermaidID(n.id), l)
	}
	for _, n := range g.nodes {
		if !inCluster[n.id] {
			fmt.Fprintf(&b, "  %s\n", shape(n))
		}
	}
	for _, cl := range g.clusters {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", mermaidID(cl.id), mermaidText(cl.label))
		for _, id := range cl.nodes {
			i := slices.IndexFunc(g.nodes, func(n gnode) bool { return n.id == id })
			fmt.Fprintf(&b, "    %s\n", shape(g.nodes[i]))
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.edges {
		from, to := mermaidID(e.from), mermaidID(e.to)
		if e.label == "成员单位" && len(g.clusters) > 0 && e.to == g.clusters[0].nodes[0] {
			to = mermaidID(g.clusters[0].id)
		}
		arrow := "-->"
		if e.dashed {
			arrow = "-.->"
		}
		if e.label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", from, arrow, mermaidText(e.label), to)
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", from, arrow, to)
		}
	}
	return b.String()
}

func dotText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func (g *graph) dot() string {
	var b strings.Builder
	b.WriteString("digraph orgchart {\n")
	fmt.Fprintf(&b, "  label=\"%s\";\n  labelloc=t;\n", dotText(g.title))
	if g.note != "" {
		fmt.Fprintf(&b, "  // %s\n", oneLine(g.note))
	}
	b.WriteString("  rankdir=TB;\n  compound=true;\n  node [shape=box, fontname=\"Noto Sans CJK SC\"];\n  edge [fontname=\"Noto Sans CJK SC\", fontsize=10];\n")
	inCluster := map[string]bool{}
	for _, cl := range g.clusters {
		for _, n := range cl.nodes {
			inCluster[n] = true
		}
	}
	attrs := func(n gnode) string {
		switch n.shape {
		case "round":
			return ", style=rounded"
		case "note":
			return ", shape=note"
		case "dashed":
			return ", style=dashed"
		}
		return ""
	}
	for _, n := range g.nodes {
		if !inCluster[n.id] {
			fmt.Fprintf(&b, "  \"%s\" [label=\"%s\"%s];\n", dotText(n.id), dotText(n.label), attrs(n))
		}
	}
	for _, cl := range g.clusters {
		fmt.Fprintf(&b, "  subgraph \"cluster_%s\" {\n    label=\"%s\";\n", dotText(cl.id), dotText(cl.label))
		for _, id := range cl.nodes {
			i := slices.IndexFunc(g.nodes, func(n gnode) bool { return n.id == id })
			fmt.Fprintf(&b, "    \"%s\" [label=\"%s\"%s];\n", dotText(id), dotText(g.nodes[i].label), attrs(g.nodes[i]))
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.edges {
		var a []string
		if e.label != "" {
			a = append(a, fmt.Sprintf("label=\"%s\"", dotText(e.label)))
		}
		if e.dashed {
			a = append(a, "style=dashed")
		}
		if e.label == "成员单位" && len(g.clusters) > 0 && e.to == g.clusters[0].nodes[0] {
			a = append(a, fmt.Sprintf("lhead=\"cluster_%s\"", dotText(g.clusters[0].id)))
		}
		attr := ""
		if len(a) > 0 {
			attr = " [" + strings.Join(a, ", ") + "]"
		}
		fmt.Fprintf(&b, "  \"%s\" -> \"%s\"%s;\n", dotText(e.from), dotText(e.to), attr)
	}
	b.WriteString("}\n")
	return b.String()
}
