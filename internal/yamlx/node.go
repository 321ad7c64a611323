package yamlx

import (
	"go.yaml.in/yaml/v3"
)

// Node is one node of a parsed file: yaml.v3's Node with what decoding
// and positions read, in 64 bytes instead of 160. A plan's files hold a
// node for every 20 bytes or so, and loading a plan allocates them all:
// their size is most of what a load costs the garbage collector. Comments
// and anchor names are left out (nothing reads them).
//
// A Node is immutable once its File is parsed and safe for concurrent
// reads.
type Node struct {
	Kind     Kind
	Style    Style
	Tag      Tag
	Anchored bool  // an anchor (&name) names the node
	Line     int32 // 1-based
	Column   int32 // 1-based, in characters
	Value    string
	Alias    *Node // the node an alias stands for
	Content  []*Node
}

// Kind is the kind of a node; the values are yaml.v3's.
type Kind uint8

// The kinds of node.
const (
	DocumentNode = Kind(yaml.DocumentNode)
	SequenceNode = Kind(yaml.SequenceNode)
	MappingNode  = Kind(yaml.MappingNode)
	ScalarNode   = Kind(yaml.ScalarNode)
	AliasNode    = Kind(yaml.AliasNode)
)

// Style is how a node is written; the bits are yaml.v3's.
type Style uint8

// The styles of node.
const (
	TaggedStyle       = Style(yaml.TaggedStyle)
	DoubleQuotedStyle = Style(yaml.DoubleQuotedStyle)
	SingleQuotedStyle = Style(yaml.SingleQuotedStyle)
	LiteralStyle      = Style(yaml.LiteralStyle)
	FoldedStyle       = Style(yaml.FoldedStyle)
	FlowStyle         = Style(yaml.FlowStyle)
)

// Tag is a node's resolved tag, one of YAML's own or TagOther (an
// application tag such as "!x", which no plan file uses).
type Tag uint8

// The tags.
const (
	TagNone Tag = iota
	TagNull
	TagBool
	TagInt
	TagFloat
	TagStr
	TagTimestamp
	TagBinary
	TagMerge
	TagMap
	TagSeq
	TagOther
)

var tagNames = [...]string{
	TagNone: "", TagNull: "!!null", TagBool: "!!bool", TagInt: "!!int", TagFloat: "!!float", TagStr: "!!str",
	TagTimestamp: "!!timestamp", TagBinary: "!!binary", TagMerge: "!!merge", TagMap: "!!map", TagSeq: "!!seq", TagOther: "!other",
}

// String is the tag as yaml.v3 writes it ("!!str"); "!other" for TagOther.
func (t Tag) String() string {
	if int(t) < len(tagNames) {
		return tagNames[t]
	}
	return "!other"
}

// tagOf is the Tag of a tag as yaml.v3 resolves it.
func tagOf(s string) Tag {
	for t, name := range tagNames[:TagOther] {
		if name == s {
			return Tag(t)
		}
	}
	return TagOther
}

// fromYAML converts a tree yaml.v3 parsed, aliases pointing at the
// converted nodes they stood for.
func fromYAML(root *yaml.Node) *Node {
	seen := map[*yaml.Node]*Node{}
	var conv func(n *yaml.Node) *Node
	conv = func(n *yaml.Node) *Node {
		if n == nil {
			return nil
		}
		if c, ok := seen[n]; ok {
			return c
		}
		c := &Node{Kind: Kind(n.Kind), Style: Style(n.Style), Tag: tagOf(n.Tag), Anchored: n.Anchor != "",
			Line: int32(n.Line), Column: int32(n.Column), Value: n.Value}
		seen[n] = c
		if n.Alias != nil {
			c.Alias = conv(n.Alias)
		}
		if len(n.Content) > 0 {
			c.Content = make([]*Node, len(n.Content))
			for i, k := range n.Content {
				c.Content[i] = conv(k)
			}
		}
		return c
	}
	return conv(root)
}

// YAML converts the tree under n back to yaml.v3's nodes, for decoding a
// free-form value (a case file's incident) with yaml.v3's own rules.
func (n *Node) YAML() *yaml.Node {
	seen := map[*Node]*yaml.Node{}
	var conv func(n *Node) *yaml.Node
	conv = func(n *Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := seen[n]; ok {
			return c
		}
		c := &yaml.Node{Kind: yaml.Kind(n.Kind), Style: yaml.Style(n.Style), Tag: n.Tag.String(),
			Line: int(n.Line), Column: int(n.Column), Value: n.Value}
		seen[n] = c
		if n.Alias != nil {
			c.Alias = conv(n.Alias)
		}
		for _, k := range n.Content {
			c.Content = append(c.Content, conv(k))
		}
		return c
	}
	return conv(n)
}

// Decode decodes the tree under n into v with yaml.v3's rules (not the
// strict ones of Decoder): for free-form values.
func (n *Node) Decode(v any) error { return n.YAML().Decode(v) }
