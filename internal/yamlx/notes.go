package yamlx

// The interpretation: notes of a file, as Info diagnostics.

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yingji/yingji/diag"
)

// Interpretations lists every non-empty "interpretation:" note in the file
// as an Info diagnostic — a to-do for the plan's next revision — with the
// clause of the item it stands beside.
func (f *File) Interpretations() diag.Diagnostics {
	if f.noted {
		var ds diag.Diagnostics
		for i := 0; i+1 < len(f.notes); i += 2 {
			m, k := f.notes[i], f.notes[i+1]
			if d, ok := f.note(m, k, f.PathOf(k)); ok {
				ds = append(ds, d)
			}
		}
		return ds
	}
	return f.walkInterpretations()
}

// note is the diagnostic of the note under key k of mapping m, at path;
// ok is false when the note is empty.
func (f *File) note(m, k *Node, path string) (diag.Diagnostic, bool) {
	v := keyValue(m, k)
	if v == nil || v.Kind != ScalarNode || strings.TrimSpace(v.Value) == "" {
		return diag.Diagnostic{}, false
	}
	note := collapseSpace(v.Value)
	return diag.Diagnostic{Severity: diag.Info, Code: diag.CodeInterpretation,
		Summary: "interpretation: " + clip(note, 60),
		Detail:  note,
		Fix:     "confirm or correct this reading in the next revision",
		Subject: f.Range(k), Path: path, Clause: valueOf(m, "clause")}, true
}

// keyValue is the value of key node k in mapping m.
func keyValue(m, k *Node) *Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == k {
			return m.Content[i+1]
		}
	}
	return nil
}

// walkInterpretations is Interpretations for a tree the fast path did not
// parse: it walks the tree for the notes.
func (f *File) walkInterpretations() diag.Diagnostics {
	var ds diag.Diagnostics
	// The path of an item is joined only for a note: segs holds the keys
	// and list indexes from the root to it.
	var segs []pathSeg
	pathOf := func(key string) string { return joinSegs(append(segs, pathSeg{key: key, idx: -1})) }
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		switch n.Kind {
		case MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "interpretation" {
					if d, ok := f.note(n, k, pathOf(k.Value)); ok {
						ds = append(ds, d)
						continue
					}
				}
				if v.Kind != MappingNode && v.Kind != SequenceNode {
					continue
				}
				segs = append(segs, pathSeg{key: k.Value, idx: -1})
				walk(v)
				segs = segs[:len(segs)-1]
			}
		case SequenceNode:
			for i, c := range n.Content {
				if c.Kind != MappingNode && c.Kind != SequenceNode {
					continue
				}
				segs = append(segs, pathSeg{idx: i})
				walk(c)
				segs = segs[:len(segs)-1]
			}
		}
	}
	walk(f.Root)
	return ds
}

// collapseSpace is strings.Join(strings.Fields(s), " "): s itself when it
// already reads so (no leading, trailing or doubled space, no space but
// " "), as most notes do.
func collapseSpace(s string) string {
	// A folded note (interpretation: >) ends with its line break.
	if t := strings.TrimRight(s, " \n"); len(t) < len(s) {
		if c := collapseSpace(t); len(c) == len(t) {
			return c
		}
		return strings.Join(strings.Fields(s), " ")
	}
	prevSpace := true // a leading space is one to drop
	for i := 0; i < len(s); {
		c := s[i]
		space := false
		switch spaceClass[c] {
		case 0: // no space, nor the first byte of one
			prevSpace = false
			i++
			continue
		case 1: // ' ', '\t', '\n', '\v', '\f', '\r'
			space = true
			i++
		case 2:
			// U+3000, the ideographic space, is the one space of the
			// block Chinese punctuation (、。「」) is in.
			if space = strings.HasPrefix(s[i+1:], "\x80\x80"); space {
				i += 3
			} else {
				i++
			}
		case 3:
			// The lead bytes of the other spaces past ASCII (U+0085,
			// U+00A0, U+1680, U+2000–U+205F).
			r, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
			i += size
		}
		if !space {
			prevSpace = false
			continue
		}
		if c != ' ' || prevSpace {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = true
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// spaceClass sorts bytes for collapseSpace: 1 an ASCII space, 2 the lead
// byte of U+3000, 3 that of another space past ASCII, 0 any other byte.
var spaceClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\v\f\r") {
		t[c] = 1
	}
	t[0xE3] = 2
	t[0xC2], t[0xE1], t[0xE2] = 3, 3, 3
	return t
}()

// valueOf is the scalar value of key in mapping n, or "".
func valueOf(n *Node, key string) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1].Value
		}
	}
	return ""
}

func clip(s string, n int) string {
	i := 0
	for range n {
		if i >= len(s) {
			return s
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	if !utf8.ValidString(s[:i]) { // as []rune would read it
		return string([]rune(s)[:n]) + "…"
	}
	return s[:i] + "…"
}
