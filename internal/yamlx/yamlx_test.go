package yamlx

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji/diag"
	"go.yaml.in/yaml/v3"
)

type item struct {
	Meta Meta   `yaml:"-"`
	ID   string `yaml:"id,required"`
	Expr String `yaml:"expr"`
	N    int    `yaml:"n"`
}

type doc struct {
	Items []item `yaml:"items"`
}

func TestDecodeStrictReportsEveryProblem(t *testing.T) {
	src := "items:\n  - id: a\n    exprr: x\n  - n: two\n"
	f, ds := Parse("g.yaml", []byte(src))
	require.Empty(t, ds)
	var d doc
	ds = f.Decode(&d)
	require.Len(t, ds, 3)
	ds.Sort()
	assert.Equal(t, `g.yaml:3:5: error: unknown key "exprr" (at items[0].exprr); remove it or correct its spelling; allowed keys here: id, expr, n. Did you mean "expr"?`, ds[0].Error())
	assert.Equal(t, "g.yaml:4:5", ds[1].Subject.String())
	assert.Equal(t, diag.CodeYAMLMissingKey, ds[1].Code)
	assert.Equal(t, "g.yaml:4:8", ds[2].Subject.String())
	assert.Equal(t, diag.CodeYAMLWrongType, ds[2].Code)
}

// findExpr decodes one item and maps the rune range of needle in the
// expression value back to the file.
func findExpr(t *testing.T, src, needle string) string {
	t.Helper()
	f, ds := Parse("g.yaml", []byte(src))
	require.Empty(t, ds)
	var d doc
	require.Empty(t, f.Decode(&d))
	v := []rune(d.Items[0].Expr.Value)
	idx := -1
	for i := range v {
		if string(v[i:min(len(v), i+len([]rune(needle)))]) == needle {
			idx = i
			break
		}
	}
	require.GreaterOrEqual(t, idx, 0, "needle in %q", d.Items[0].Expr.Value)
	r := d.Items[0].Expr.SubRange(idx, idx+len([]rune(needle)))
	return r.String()
}

func TestSubRangeMapsIntoTheFile(t *testing.T) {
	cases := []struct{ name, src, needle, want string }{
		{"plain", "items:\n  - id: a\n    expr: deaths >= 死亡 + bad\n", "bad", "g.yaml:3:26"},
		{"after Chinese key", "items:\n  - id: 甲乙\n    expr: 死亡人数 + bad\n", "bad", "g.yaml:3:18"},
		{"double quoted with escapes", "items:\n  - id: a\n    expr: \"\\u6b7b\\\"x\\\" + bad\"\n", "bad", "g.yaml:3:26"},
		{"single quoted", "items:\n  - id: a\n    expr: 'it''s + bad'\n", "bad", "g.yaml:3:20"},
		{"literal block", "items:\n  - id: a\n    expr: |\n      deaths >= 1 &&\n        中文 + bad\n", "bad", "g.yaml:5:14"},
		{"folded block", "items:\n  - id: a\n    expr: >\n      deaths >= 1\n      && bad\n", "bad", "g.yaml:5:10"},
		{"plain multi-line", "items:\n  - id: a\n    expr: deaths\n      + bad\n", "bad", "g.yaml:4:9"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, findExpr(t, tc.src, tc.needle))
		})
	}
}

func TestSyntaxErrorIsPositioned(t *testing.T) {
	_, ds := Parse("g.yaml", []byte("a: 1\nb: [\n"))
	require.Len(t, ds, 1)
	assert.Equal(t, diag.CodeYAMLSyntax, ds[0].Code)
	assert.Positive(t, ds[0].Subject.Start.Line)
}

func TestAliasIsFollowed(t *testing.T) {
	f, ds := Parse("g.yaml", []byte("x: &a 3\ny: *a\n"))
	require.Empty(t, ds)
	var v struct {
		X int `yaml:"x"`
		Y int `yaml:"y"`
	}
	require.Empty(t, f.Decode(&v))
	assert.Equal(t, 3, v.Y)
}

// TestRangeFastPathAgrees checks that the verbatim shortcut gives the same
// ranges as mapping the scalar rune by rune.
func TestRangeFastPathAgrees(t *testing.T) {
	src := "a: plain value\nb: \"double 中文\"\nc: 'single'\nd: 'it''s'\ne: \"esc\\tx\"\nf: 死亡（含失踪）\ng: [x, \"y\", 'z']\nh: 12\n"
	f, ds := Parse("g.yaml", []byte(src))
	require.Empty(t, ds)
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Kind == ScalarNode {
			slow := f.scalarMap(n)
			end := slow[len(slow)-1]
			if n.Style&(DoubleQuotedStyle|SingleQuotedStyle) != 0 {
				end = f.advance(end, 1)
			}
			assert.Equal(t, end, f.Range(n).End, "scalar %q", n.Value)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(f.Root)
}

// TestAliasBombIsRefusedAtParse is issue 15 #9: a few kilobytes of nested
// aliases stand for billions of nodes; Parse refuses the file before any
// decoding, with one positioned error.
func TestAliasBombIsRefusedAtParse(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	f, ds := Parse("bomb.yaml", []byte(b.String()))
	require.Len(t, ds, 1)
	assert.Equal(t, diag.CodeYAMLTooComplex, ds[0].Code)
	assert.Equal(t, "bomb.yaml", ds[0].Subject.Filename)
	assert.Positive(t, ds[0].Subject.Start.Line)
	assert.Nil(t, f.Root, "nothing of the file is left to decode")
}

// The same bomb written in block mappings, each key's value an alias: the
// form the fast path reads. It is refused all the same, at parse.
func TestAliasBombOnTheFastPathIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("l0: &l0\n  x: 1\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "l%d: &l%d\n", i, i)
		for j := range 10 {
			fmt.Fprintf(&b, "  k%d: *l%d\n", j, i-1)
		}
	}
	src := []byte(b.String())
	_, fast := fastParse(src)
	require.True(t, fast, "the fast path reads it")
	f, ds := Parse("bomb.yaml", src)
	require.Len(t, ds, 1)
	assert.Equal(t, diag.CodeYAMLTooComplex, ds[0].Code)
	assert.Positive(t, ds[0].Subject.Start.Line)
	assert.Nil(t, f.Root)
}

type limited struct {
	A []item `yaml:"a,limit=items"`
	B []item `yaml:"b,limit=items"`
	C []item `yaml:"c"`
}

// TestDecodeLimit: items past a Limit, over every list that counts
// against it, are counted but not decoded, and one diagnostic names the
// first of them with the total.
func TestDecodeLimit(t *testing.T) {
	src := "a:\n  - id: a1\n  - id: a2\nb:\n  - id: b1\n  - {n: bad}\n  - id: b3\nc:\n  - id: c1\n  - id: c2\n"
	f, ds := Parse("l.yaml", []byte(src))
	require.Empty(t, ds)
	var got limited
	var at diag.Range
	var total int
	ds = f.Decode(&got, Limit{Name: "items", Max: 3, Exceeded: func(r diag.Range, n int) diag.Diagnostic {
		at, total = r, n
		return diag.Diagnostic{Severity: diag.Error, Code: "test.too-many", Subject: r}
	}})
	require.Len(t, ds, 1, "the bad item past the limit is not decoded, so not reported: %v", ds)
	assert.Equal(t, "test.too-many", ds[0].Code)
	assert.Equal(t, 5, total)
	assert.Equal(t, 6, at.Start.Line, "the first item past the limit")
	assert.Len(t, got.A, 2)
	assert.Len(t, got.B, 1)
	assert.Len(t, got.C, 2, "a list without the tag is not limited")

	got = limited{}
	ds = f.Decode(&got, Limit{Name: "items", Max: 5})
	assert.Len(t, ds, 2, "within the limit everything is decoded (and the bad item reported): %v", ds)
	assert.Len(t, got.B, 3)
}

// TestInterpretationPaths checks the path of each note, joined only when a
// note is found, against the item it stands in.
func TestInterpretationPaths(t *testing.T) {
	src := "interpretation: top\nlevels:\n  - id: a\n    clause: \"1.2\"\n    interpretation: first\n    criteria:\n      - - interpretation: deep\n  - id: b\n    interpretation: \"  \"\n    more: {interpretation: flow}\n"
	f, ds := Parse("g.yaml", []byte(src))
	require.Empty(t, ds)
	var got []string
	for _, d := range f.Interpretations() {
		got = append(got, d.Path+" "+d.Clause+" "+d.Detail)
	}
	assert.Equal(t, []string{
		"interpretation  top",
		"levels[0].interpretation 1.2 first",
		"levels[0].criteria[0][0].interpretation  deep",
		"levels[1].more.interpretation  flow",
	}, got)
}

// expandedSizeAllMemo is expandedSize as first written, memoising every
// node: the reference the anchored-only memo must agree with.
func expandedSizeAllMemo(n *Node) (int, *Node) {
	memo := map[*Node]int{}
	var culprit *Node
	var size func(n *Node, depth int) int
	size = func(n *Node, depth int) int {
		if n == nil {
			return 0
		}
		if v, ok := memo[n]; ok {
			return v
		}
		if depth > 1000 {
			if culprit == nil {
				culprit = n
			}
			return MaxExpandedNodes + 1
		}
		total := 1
		if n.Kind == AliasNode {
			memo[n] = MaxExpandedNodes + 1
			total += size(n.Target(), depth+1)
		}
		for _, c := range n.Content {
			if n.Kind == AliasNode {
				break
			}
			total += size(c, depth+1)
			if total > MaxExpandedNodes {
				total = MaxExpandedNodes + 1
				if culprit == nil && (c.Kind == AliasNode || n.Kind == AliasNode) {
					culprit = c
				}
				break
			}
		}
		total = min(total, MaxExpandedNodes+1)
		if total > MaxExpandedNodes && culprit == nil && n.Kind == AliasNode {
			culprit = n
		}
		memo[n] = total
		return total
	}
	return size(n, 0), culprit
}

// TestExpandedSizeMemoOnlyShared checks that memoising only aliases and
// anchored nodes counts as memoising every node does.
func TestExpandedSizeMemoOnlyShared(t *testing.T) {
	bomb := func(levels, width int) string {
		var b strings.Builder
		b.WriteString("a0: &a0 [x, {y: z}]\n")
		for i := 1; i < levels; i++ {
			fmt.Fprintf(&b, "a%d: &a%d [", i, i)
			for j := range width {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "*a%d", i-1)
			}
			b.WriteString("]\n")
		}
		return b.String()
	}
	deep := strings.Repeat("[", 1200) + strings.Repeat("]", 1200)
	cases := []struct{ name, src string }{
		{"no alias", "a: 1\nb: [x, {c: d}]\n"},
		{"one alias", "a: &x {b: [1, 2]}\nc: *x\nd: [*x, *x]\n"},
		{"nested anchors", "a: &x {b: &y [1, 2]}\nc: *y\nd: *x\n"},
		{"cycle", "a: &x [1, *x]\n"},
		{"small bomb", bomb(4, 5)},
		{"big bomb", bomb(12, 10)},
		{"deep", "a: " + deep + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.src), &doc); err != nil {
				t.Skipf("yaml.v3 refuses it: %v", err)
			}
			root := newFile("", []byte(tc.src)).fromYAML(&doc)
			wantN, wantAt := expandedSizeAllMemo(root)
			gotN, gotAt := expandedSize(root)
			assert.Equal(t, wantN, gotN)
			assert.Same(t, wantAt, gotAt)
		})
	}
}

func TestCollapseSpaceIsFieldsJoined(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\nb", "a\tb", "甲　乙", "甲 乙 丙", "甲\u00a0乙", "\xffa b", "a \xff", "（二）、。「」", "a\n", "甲 乙\n", " a\n", "a  b\n", "a \n\n", "\n"} {
		assert.Equal(t, strings.Join(strings.Fields(s), " "), collapseSpace(s), "%q", s)
	}
	// Every space Unicode knows, alone between words and after a space.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			for _, s := range []string{"甲" + string(r) + "乙", "a " + string(r) + "b", string(r)} {
				assert.Equal(t, strings.Join(strings.Fields(s), " "), collapseSpace(s), "%q", s)
			}
		}
	}
}

// TestNodeIsSmall keeps Node at 48 bytes: a plan's files are a node for
// every 20 bytes or so, and their size is most of what loading a plan
// costs the garbage collector (yaml.v3's Node is 160).
func TestNodeIsSmall(t *testing.T) {
	assert.Equal(t, uintptr(48), unsafe.Sizeof(Node{}))
}

// TestMetaPath: the path a decoded item's Meta gives, worked out from the
// tree when asked for, is the path it was decoded at — through lists,
// mappings, a list at the root, a key, and an Unmarshaler's items.
func TestMetaPath(t *testing.T) {
	type leaf struct {
		Meta Meta   `yaml:"-"`
		ID   String `yaml:"id"`
	}
	type doc struct {
		Meta   Meta   `yaml:"-"`
		Name   String `yaml:"name"`
		Levels []struct {
			Meta     Meta     `yaml:"-"`
			Criteria [][]leaf `yaml:"criteria"`
		} `yaml:"levels"`
		Table map[string]leaf `yaml:"table"`
	}
	src := "name: 甲\nlevels:\n  - criteria:\n      - [{id: a}, {id: b}]\n  - criteria:\n      - []\n      - [{id: c}]\ntable:\n  k: {id: d}\n"
	f, ds := Parse("t.yaml", []byte(src))
	require.Empty(t, ds)
	var v doc
	require.Empty(t, f.Decode(&v))
	assert.Equal(t, "", v.Meta.Path())
	assert.Equal(t, "name", v.Name.Path())
	assert.Equal(t, "levels[1]", v.Levels[1].Meta.Path())
	assert.Equal(t, "levels[0].criteria[0][1]", v.Levels[0].Criteria[0][1].Meta.Path())
	assert.Equal(t, "levels[1].criteria[1][0].id", v.Levels[1].Criteria[1][0].ID.Path())
	assert.Equal(t, "table.k.id", v.Table["k"].ID.Path())
	assert.Equal(t, 7, v.Levels[1].Criteria[1][0].ID.At().Start.Line)

	// A key node's path is its value's; a list at the root; no node.
	root := f.Root
	assert.Equal(t, "table", f.PathOf(root.Content[4]))
	g, ds := Parse("l.yaml", []byte("- a\n- {b: [x, y]}\n"))
	require.Empty(t, ds)
	assert.Equal(t, "[1].b[1]", g.PathOf(g.Root.Content[1].Content[1].Content[1]))
	assert.Equal(t, "", g.PathOf(nil))
	assert.Equal(t, "", g.PathOf(root), "a node of another file")
	assert.Equal(t, "clauses[2]", MetaAt(diag.Range{}, "clauses[2]").Path())
}

// TestPathOfAgreesWithTheWalk: going down by offset finds every node of
// the embedded plans' files (and of YAML the slow path parses) at the
// path a walk of the whole tree gives.
func TestPathOfAgreesWithTheWalk(t *testing.T) {
	files := planFiles(t)
	files["slow.yaml"] = []byte("a: &x\n  b: [1, {c: \"d\\te\"}]\nf: *x\ng:\n  - - h\n    - i\n  - j: |\n      k\n")
	files["root-list.yaml"] = []byte("- a\n- {b: [x, y]}\n- - z\n")
	for name, src := range files {
		f, ds := Parse(name, src)
		require.Empty(t, ds, name)
		n := 0
		var walk func(c *Node)
		walk = func(c *Node) {
			if c == nil || c.Kind == AliasNode {
				return
			}
			n++
			assert.Equal(t, f.pathByWalk(c), f.PathOf(c), "%s at byte %d", name, c.Offset)
			for _, k := range c.Content {
				walk(k)
			}
		}
		walk(f.Root)
		assert.Positive(t, n)
	}
}

// TestPlainTreesSkipTheCount: a tree the fast path calls plain (no alias,
// shallow) is one expandedSize would pass; block mappings nested deeper
// than the count allows are still refused.
func TestPlainTreesSkipTheCount(t *testing.T) {
	plains := 0
	for name, src := range planFiles(t) {
		root, plain, ok := fastParsePlain(src)
		if !ok || !plain {
			continue
		}
		plains++
		n, at := expandedSize(root)
		assert.LessOrEqual(t, n, MaxExpandedNodes, name)
		assert.Nil(t, at, name)
	}
	assert.GreaterOrEqual(t, plains, 4, "the large plan files are plain")
	_, plain, ok := fastParsePlain([]byte("a: &x {b: 1}\nc: *x\n"))
	require.True(t, ok)
	assert.False(t, plain, "an alias is counted")

	var b strings.Builder
	for i := range 1200 {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", 1200) + "k: v\n")
	_, plain, ok = fastParsePlain([]byte(b.String()))
	require.True(t, ok, "the fast path reads deep block mappings")
	assert.False(t, plain)
	_, ds := Parse("deep.yaml", []byte(b.String()))
	require.Len(t, ds, 1)
	assert.Equal(t, diag.CodeYAMLTooComplex, ds[0].Code)
}

// TestDecodeWithTables: decoding with the tables TablesFor built gives
// what decoding without them does, diagnostics included.
func TestDecodeWithTables(t *testing.T) {
	type item struct {
		Meta Meta   `yaml:"-"`
		ID   String `yaml:"id,required"`
		N    int    `yaml:"n"`
	}
	type doc struct {
		Items []item           `yaml:"items"`
		Named map[string]*item `yaml:"named"`
		Tags  []string         `yaml:"tags"`
	}
	tables := TablesFor((*doc)(nil))
	assert.Len(t, tables.structs, 2, "doc and item")
	for _, src := range []string{"items:\n  - {id: a, n: 1}\n  - {id: b}\nnamed:\n  x: {id: c}\ntags: [p, q]\n", "items:\n  - {n: x}\n  - {id: b, extra: 1}\n"} {
		f, ds := Parse("t.yaml", []byte(src))
		require.Empty(t, ds)
		var a, b doc
		da, db := f.Decode(&a), f.DecodeWith(tables, &b)
		assert.Equal(t, da, db)
		assert.Equal(t, a, b)
	}
}

// TestNotedInterpretationsAreTheWalks: the notes the fast path records as
// it parses give the diagnostics a walk of the tree gives, in its order,
// on every YAML file of the repository and on notes nested and in flow.
func TestNotedInterpretationsAreTheWalks(t *testing.T) {
	files := repoYAML(t)
	files["nested.yaml"] = []byte("a:\n  interpretation: top\n  b:\n    - {interpretation: flow, clause: \"1.2\"}\n    - interpretation:\n        x: 1\n      c:\n        interpretation: deep\nd: &x {interpretation: anchored}\ne: *x\n")
	noted := 0
	for name, src := range files {
		f, ds := Parse(name, src)
		if len(ds) > 0 || !f.noted {
			continue
		}
		noted++
		assert.Equal(t, f.walkInterpretations(), f.Interpretations(), name)
	}
	assert.Greater(t, noted, 10)
	f, ds := Parse("nested.yaml", files["nested.yaml"])
	require.Empty(t, ds)
	require.True(t, f.noted, "the fast path parses it")
	var got []string
	for _, d := range f.Interpretations() {
		got = append(got, d.Path+" "+d.Detail)
	}
	assert.Equal(t, []string{"a.interpretation top", "a.b[0].interpretation flow", "a.b[1].c.interpretation deep", "d.interpretation anchored"}, got)
}
