package orgchart

import (
	"slices"

	"github.com/yingji/yingji/internal/graph"
)

// Format is a diagram language.
//
// Concurrency: a plain value.
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
		return g.Mermaid(), nil
	case DOT:
		return g.DOT(), nil
	}
	return "", &LookupError{Kind: kindFormatName, Name: string(f), Known: []string{string(Mermaid), string(DOT)}}
}

// drawing collects the nodes and edges of a diagram, each once, in order
// of first mention.
type drawing struct {
	graph.Graph
	seen map[string]bool
}

func (g *drawing) node(id, label string, shape graph.Shape) {
	if g.seen[id] {
		return
	}
	g.seen[id] = true
	g.Nodes = append(g.Nodes, graph.Node{ID: id, Label: label, Shape: shape})
}

func (g *drawing) edge(from, to, label string, dashed bool) {
	e := graph.Edge{From: from, To: to, Label: label, Dashed: dashed}
	if !slices.Contains(g.Edges, e) {
		g.Edges = append(g.Edges, e)
	}
}

// party adds the node of a unit, placeholder or group.
func (c *Chart) party(g *drawing, id string) {
	e, ok := c.entityOK(id)
	if !ok {
		return
	}
	switch e.kind {
	case kindUnit:
		g.node(id, c.units[e.idx].Name, graph.Box)
	case kindPlaceholder:
		g.node(id, c.placeholders[e.idx].Name, graph.Dashed)
	case kindGroup:
		g.node(id, c.groups[e.idx].Name, graph.Rounded)
	}
}

const dotFont = "Noto Sans CJK SC"

func (c *Chart) graph(d Diagram) *graph.Graph {
	g := &drawing{Graph: graph.Graph{
		Kind:      graph.Flowchart,
		Name:      "orgchart",
		Title:     d.Title + "（" + d.Clause + "，据数据重绘）",
		Note:      d.Note,
		Attrs:     []graph.Attr{{Name: "rankdir", Value: "TB"}, {Name: "compound", Value: "true"}},
		NodeAttrs: []graph.Attr{{Name: "shape", Value: "box"}, {Name: "fontname", Value: dotFont}},
		EdgeAttrs: []graph.Attr{{Name: "fontname", Value: dotFont}, {Name: "fontsize", Value: "10"}},
	}, seen: map[string]bool{}}
	root := c.units[c.entity(d.Root).idx]
	c.party(g, root.ID)
	for _, by := range root.FormedBy {
		c.party(g, by.Ref)
		g.edge(by.Ref, root.ID, joinCond("成立", by.Condition), by.Condition != "")
	}
	c.drawPosts(g, root)
	// Member units, as one subgraph the root points at.
	if len(root.Members) > 0 {
		sg := graph.Subgraph{ID: root.ID + "-members", Label: "成员单位（" + root.Clause + "）"}
		for _, m := range root.Members {
			c.party(g, m.Ref)
			sg.Nodes = append(sg.Nodes, m.Ref)
		}
		g.Subgraphs = append(g.Subgraphs, sg)
		g.Edges = append(g.Edges, graph.Edge{From: root.ID, To: sg.Nodes[0], Label: "成员单位", ToSubgraph: sg.ID})
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
	return &g.Graph
}

func (c *Chart) drawPosts(g *drawing, u Unit) {
	for _, p := range u.Posts {
		id := u.ID + "." + p.ID
		g.node(id, p.Title+"："+p.Holder, graph.Note)
		g.edge(u.ID, id, "", false)
	}
}
