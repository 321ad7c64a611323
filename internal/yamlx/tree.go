package yamlx

// Finding things in a parsed file's tree: a node's path, the values of a key.

import (
	"sort"
	"strconv"
	"strings"
)

// PathOf is the YAML path of node n of the file ("levels[0].criteria[1]",
// "units[3].id"; a key node's is its value's): "" for the root or a node
// not in the tree. Aliases are not followed: a node an alias repeats has
// the path where it is written.
//
// It goes down from the root by offset — a node's descendants start at or
// after it and before its next sibling — searching each collection's
// children, and walks the whole tree only if that does not find n.
func (f *File) PathOf(n *Node) string {
	if n == nil || f.Root == nil {
		return ""
	}
	var buf [16]pathSeg
	segs := buf[:0]
	for c := f.Root; c != n; {
		var i int
		switch c.Kind {
		case MappingNode:
			i = sort.Search(len(c.Content)/2, func(i int) bool { return c.Content[2*i].Offset > n.Offset }) - 1
			if i < 0 {
				return f.pathByWalk(n)
			}
			k := c.Content[2*i]
			segs = append(segs, pathSeg{key: k.Value, idx: -1})
			if k == n {
				return joinSegs(segs)
			}
			c = c.Content[2*i+1]
		case SequenceNode:
			i = sort.Search(len(c.Content), func(i int) bool { return c.Content[i].Offset > n.Offset }) - 1
			if i < 0 {
				return f.pathByWalk(n)
			}
			segs = append(segs, pathSeg{idx: i})
			c = c.Content[i]
		default:
			return f.pathByWalk(n)
		}
	}
	return joinSegs(segs)
}

// pathSeg is a step of a path: a mapping key, or a list index (idx >= 0).
type pathSeg struct {
	key string
	idx int
}

// pathByWalk is PathOf by walking the tree in document order.
func (f *File) pathByWalk(n *Node) string {
	var segs []pathSeg
	var find func(c *Node) bool
	find = func(c *Node) bool {
		if c == n {
			return true
		}
		switch c.Kind {
		case MappingNode:
			for i := 0; i+1 < len(c.Content); i += 2 {
				k, v := c.Content[i], c.Content[i+1]
				segs = append(segs, pathSeg{key: k.Value, idx: -1})
				if k == n || find(v) {
					return true
				}
				segs = segs[:len(segs)-1]
			}
		case SequenceNode:
			for i, v := range c.Content {
				segs = append(segs, pathSeg{idx: i})
				if find(v) {
					return true
				}
				segs = segs[:len(segs)-1]
			}
		}
		return false
	}
	if !find(f.Root) {
		return ""
	}
	return joinSegs(segs)
}

func joinSegs(segs []pathSeg) string {
	var b strings.Builder
	size := 0
	for _, s := range segs {
		size += len(s.key) + 5
	}
	b.Grow(size)
	for _, s := range segs {
		switch {
		case s.idx >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
		case b.Len() > 0:
			b.WriteByte('.')
			b.WriteString(s.key)
		default:
			b.WriteString(s.key)
		}
	}
	return b.String()
}

// Values returns the scalar value of every mapping key named key anywhere
// in the file, in document order — e.g. every "clause" an item cites.
func (f *File) Values(key string) []string {
	var out []string
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil || n.Kind == AliasNode {
			return
		}
		if n.Kind == MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key && n.Content[i+1].Kind == ScalarNode {
					out = append(out, n.Content[i+1].Value)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(f.Root)
	return out
}
