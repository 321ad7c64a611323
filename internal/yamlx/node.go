package yamlx

import (
	"go.yaml.in/yaml/v3"
)

// Node is one node of a parsed file: yaml.v3's Node with what decoding
// and positions read, in 48 bytes instead of 160. A plan's files hold a
// node for every 20 bytes or so, and loading a plan allocates them all:
// their size is most of what a load costs the garbage collector. Comments
// and anchor names are left out (nothing reads them), the position is one
// byte offset (File.Range gives the line and column), and an alias holds
// the node it stands for as its one Content element (Target).
//
// A Node is immutable once its File is parsed and safe for concurrent
// reads.
type Node struct {
	Kind     Kind
	Style    Style
	Tag      Tag
	Anchored bool   // an anchor (&name) names the node
	Offset   uint32 // of the node's first byte in its file
	Value    string
	Content  []*Node // an alias's is the node it stands for
}

// Target is the node an alias stands for, or nil for any other node.
func (n *Node) Target() *Node {
	if n.Kind != AliasNode || len(n.Content) == 0 {
		return nil
	}
	return n.Content[0]
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

// fromYAML converts a tree yaml.v3 parsed from f's source, aliases
// holding the converted nodes they stood for.
func (f *File) fromYAML(root *yaml.Node) *Node {
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
			Offset: uint32(f.Pos(n.Line, n.Column).Byte), Value: n.Value}
		seen[n] = c
		switch {
		case n.Kind == yaml.AliasNode:
			if n.Alias != nil {
				c.Content = []*Node{conv(n.Alias)}
			}
		case len(n.Content) > 0:
			c.Content = make([]*Node, len(n.Content))
			for i, k := range n.Content {
				c.Content[i] = conv(k)
			}
		}
		return c
	}
	return conv(root)
}

// toYAML converts the tree under n, a node of f, back to yaml.v3's nodes,
// for decoding a free-form value (a case file's incident) with yaml.v3's
// own rules and messages.
func (f *File) toYAML(n *Node) *yaml.Node {
	seen := map[*Node]*yaml.Node{}
	var conv func(n *Node) *yaml.Node
	conv = func(n *Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := seen[n]; ok {
			return c
		}
		at := f.PosAt(int(n.Offset))
		c := &yaml.Node{Kind: yaml.Kind(n.Kind), Style: yaml.Style(n.Style), Tag: n.Tag.String(),
			Line: at.Line, Column: at.Column, Value: n.Value}
		seen[n] = c
		if t := n.Target(); t != nil {
			c.Alias = conv(t)
			return c
		}
		for _, k := range n.Content {
			c.Content = append(c.Content, conv(k))
		}
		return c
	}
	return conv(n)
}

// DecodeYAML decodes the tree under n, a node of f, into v with yaml.v3's
// rules (not the strict ones of Decoder): for free-form values. A nil n
// (a key written with no value, as in {id: k, value}, which the Decoder
// leaves nil) decodes as YAML null: v is left as it is.
func (f *File) DecodeYAML(n *Node, v any) error {
	if n == nil {
		return nil
	}
	return f.toYAML(n).Decode(v)
}
