package graph

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// ids is a graph whose node ids differ only in characters Mermaid does
// not take: each must keep an id of its own.
func ids(kind Kind) *Graph {
	return &Graph{
		Kind:  kind,
		Name:  "g",
		Title: "T",
		Nodes: []Node{{ID: "a-b", Label: "A"}, {ID: "a.b", Label: "B"}, {ID: "a_b", Label: "C"}, {ID: "a b", Label: "D"}, {ID: "甲", Label: "E"}},
		Edges: []Edge{{From: "a-b", To: "a.b"}, {From: "a.b", To: "a_b"}, {From: "a_b", To: "a b"}, {From: "a b", To: "甲"}},
	}
}

func TestIDsNeverMeet(t *testing.T) {
	cases := []struct {
		name string
		kind Kind
		want []string
	}{
		{"flowchart", Flowchart, []string{
			`n_a_b["A"]`, `n_a__b["B"]`, `n_a_b_2["C"]`, `n_a_u20_b["D"]`, `n__u7532_["E"]`,
			"n_a_b --> n_a__b\n", "n_a__b --> n_a_b_2\n", "n_a_b_2 --> n_a_u20_b\n", "n_a_u20_b --> n__u7532_\n",
		}},
		{"state diagram", States, []string{
			`state "A" as n_a_b`, `state "B" as n_a__b`, `state "C" as n_a_b_2`, `state "D" as n_a_u20_b`, `state "E" as n__u7532_`,
			"n_a_b --> n_a__b\n", "n_a__b --> n_a_b_2\n", "n_a_b_2 --> n_a_u20_b\n", "n_a_u20_b --> n__u7532_\n",
		}},
	}
	for _, tc := range cases {
		t.Run("Mermaid "+tc.name+": a-b and a.b get distinct ids", func(t *testing.T) {
			out := ids(tc.kind).Mermaid()
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
		})
		t.Run("DOT "+tc.name+": a-b and a.b get distinct ids", func(t *testing.T) {
			out := ids(tc.kind).DOT()
			for _, w := range []string{`"a-b" [label="A"];`, `"a.b" [label="B"];`, `"a_b" [label="C"];`, `"a b" [label="D"];`, `"甲" [label="E"];`,
				`"a-b" -> "a.b";`, `"a.b" -> "a_b";`} {
				assert.Contains(t, out, w)
			}
		})
	}
	t.Run("a suffixed id does not take a later id's place", func(t *testing.T) {
		g := &Graph{Nodes: []Node{{ID: "a-b"}, {ID: "a_b"}, {ID: "a_b_2"}}}
		out := g.Mermaid()
		for _, w := range []string{"n_a_b[", "n_a_b_2[", "n_a_b_2_2["} {
			assert.Equal(t, 1, strings.Count(out, w), w)
		}
	})
}

func TestTextIsQuoted(t *testing.T) {
	g := &Graph{
		Name:  "graph", // a DOT keyword
		Title: `T: #1 "x"` + "\nsecond line",
		Note:  "two\nlines",
		Nodes: []Node{{ID: "n", Label: `say "hi"` + "\nthen go"}},
		Edges: []Edge{{From: "n", To: "n", Label: "a: b; c"}},
	}
	t.Run("Mermaid flowchart", func(t *testing.T) {
		out := g.Mermaid()
		assert.Contains(t, out, "title: \"T: #1 \\\"x\\\" second line\"\n", "the front matter title is a quoted YAML string on one line")
		assert.Contains(t, out, "%% two lines\n")
		assert.Contains(t, out, `n_n["say #quot;hi#quot;<br/>then go"]`)
		assert.Contains(t, out, `n_n -->|"a: b; c"| n_n`)
	})
	t.Run("Mermaid state diagram: bare labels escape colons and semicolons", func(t *testing.T) {
		s := *g
		s.Kind = States
		out := s.Mermaid()
		assert.Contains(t, out, `state "say #quot;hi#quot;<br/>then go" as n_n`)
		assert.Contains(t, out, "n_n --> n_n: a#colon; b#59; c\n")
	})
	t.Run("DOT", func(t *testing.T) {
		out := g.DOT()
		assert.True(t, strings.HasPrefix(out, `digraph "graph" {`), out)
		assert.Contains(t, out, `label="T: #1 \"x\"\nsecond line";`)
		assert.Contains(t, out, "// two lines\n")
		assert.Contains(t, out, `"n" [label="say \"hi\"\nthen go"];`)
	})
}

func TestDOTAttributes(t *testing.T) {
	cases := []struct{ value, want string }{
		{"TB", "TB"}, {"10", "10"}, {"1.5", "1.5"}, {"rounded", "rounded"},
		{"rounded,bold", `"rounded,bold"`}, {"sans-serif", `"sans-serif"`}, {"Noto Sans CJK SC", `"Noto Sans CJK SC"`},
		{"", `""`}, {"1x", `"1x"`}, {"node", `"node"`}, {"1.2.3", `"1.2.3"`},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			assert.Equal(t, tc.want, dotID(tc.value))
		})
	}
}

func TestSubgraphAndStates(t *testing.T) {
	t.Run("an edge to a subgraph points at it in Mermaid and is clipped at the cluster in DOT", func(t *testing.T) {
		g := &Graph{
			Nodes:     []Node{{ID: "hq", Label: "HQ"}, {ID: "m1", Label: "M1"}, {ID: "m2", Label: "M2", Shape: Dashed}},
			Subgraphs: []Subgraph{{ID: "hq-members", Label: "members", Nodes: []string{"m1", "m2"}}},
			Edges:     []Edge{{From: "hq", To: "m1", Label: "members", ToSubgraph: "hq-members"}},
		}
		m := g.Mermaid()
		assert.Contains(t, m, "  subgraph n_hq_members[\"members\"]\n    n_m1[\"M1\"]\n    n_m2{{\"M2\"}}\n  end\n")
		assert.Contains(t, m, `n_hq -->|"members"| n_hq_members`)
		d := g.DOT()
		assert.Contains(t, d, "  subgraph \"cluster_hq-members\" {\n    label=\"members\";\n    \"m1\" [label=\"M1\"];\n    \"m2\" [label=\"M2\", style=dashed];\n  }\n")
		assert.Contains(t, d, `"hq" -> "m1" [label="members", lhead="cluster_hq-members"];`)
	})
	t.Run("start, final and notes of a state diagram", func(t *testing.T) {
		g := &Graph{Kind: States, Nodes: []Node{{ID: "s", Shape: Start}, {ID: "a", Label: "A", Note: "n"}, {ID: "z", Label: "Z", Final: true, Attrs: []Attr{{"peripheries", "2"}}}},
			Edges: []Edge{{From: "s", To: "a"}, {From: "a", To: "z", Label: "go"}}}
		m := g.Mermaid()
		assert.Equal(t, "---\ntitle: \"\"\n---\nstateDiagram-v2\n    state \"A\" as n_a\n    state \"Z\" as n_z\n    [*] --> n_a\n    n_a --> n_z: go\n    n_z --> [*]\n    note right of n_a: n\n", m)
		d := g.DOT()
		assert.Contains(t, d, "  \"s\" [shape=point, label=\"\"];\n")
		assert.Contains(t, d, "  \"z\" [label=\"Z\", peripheries=2];\n")
	})
	t.Run("the same graph gives the same bytes", func(t *testing.T) {
		g := ids(Flowchart)
		assert.Equal(t, g.Mermaid(), g.Mermaid())
		assert.Equal(t, g.DOT(), g.DOT())
	})
}
