// Package yamlx decodes YAML strictly into Go structs while keeping the
// source position of every item, so a diagnostic can point at the line and
// column of a key, a value, or a character inside an expression string —
// also after Chinese text and inside quoted, escaped and block scalars.
//
// A File is immutable once parsed and safe for concurrent reads.
package yamlx

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yingji/yingji/diag"
)

// File is one parsed YAML file.
type File struct {
	Name string
	Src  []byte
	Root *Node // the document's content node; nil for an empty file

	lineStart []int // byte offset of each line's first byte; lineStart[0] is line 1

	// notes are the mappings and "interpretation" keys the fast path met,
	// in document order, two nodes a note (noted is set): Interpretations
	// need not walk the tree for them.
	notes []*Node
	noted bool
}

// Parse parses src. A syntax error is returned as a positioned diagnostic.
func Parse(name string, src []byte) (*File, diag.Diagnostics) {
	f := newFile(name, src)
	root, plain, err := f.parseTree()
	if err != nil {
		return f, diag.Diagnostics{syntaxDiagnostic(f, err)}
	}
	f.Root = root
	if plain {
		return f, nil // no alias, few nodes, shallow: nothing to count
	}
	if n, at := expandedSize(f.Root); n > MaxExpandedNodes {
		r := f.Range(at)
		if at == nil {
			r = diag.Range{Filename: name, Start: f.Pos(1, 1), End: f.Pos(1, 2)}
		}
		f.Root = nil
		return f, diag.Diagnostics{{Severity: diag.Error, Code: diag.CodeYAMLTooComplex, Subject: r,
			Summary: fmt.Sprintf("%s expands to more than %d YAML nodes", name, MaxExpandedNodes),
			Detail:  "aliases (*name) repeat what their anchor (&name) holds; nested aliases multiply, so a small file can stand for millions of items",
			Fix:     "write the items out instead of nesting aliases; a plan needs no aliases",
			Params:  map[string]string{"limit": strconv.Itoa(MaxExpandedNodes)}}}
	}
	return f, nil
}

// newFile is the File of src, not yet parsed.
func newFile(name string, src []byte) *File {
	f := &File{Name: name, Src: src}
	f.lineStart = make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		f.lineStart = append(f.lineStart, i)
	}
	return f
}

// MaxExpandedNodes caps the size of a file's YAML tree with every alias
// expanded, checked before anything is decoded: an alias bomb (aliases of
// aliases, each repeating the last) is refused at once instead of taking
// minutes and gigabytes. The changji-2025 files are far below it.
const MaxExpandedNodes = 1_000_000

// expandedSize counts the nodes of the tree under n with aliases expanded,
// saturating just past MaxExpandedNodes; it returns the alias at which the
// count first passed the limit, if one did.
func expandedSize(n *Node) (int, *Node) {
	// Only an alias and the anchored node it repeats can be reached twice
	// (every other node hangs under one parent), so only they are
	// memoised: a file without aliases builds no memo at all.
	var memo map[*Node]int
	var culprit *Node
	var size func(n *Node, depth int) int
	size = func(n *Node, depth int) int {
		if n == nil {
			return 0
		}
		shared := n.Kind == AliasNode || n.Anchored
		if shared {
			if v, ok := memo[n]; ok {
				return v
			}
		}
		if depth > 1000 { // nesting this deep is no plan either
			if culprit == nil {
				culprit = n
			}
			return MaxExpandedNodes + 1
		}
		total := 1
		if n.Kind == AliasNode {
			if memo == nil {
				memo = map[*Node]int{}
			}
			memo[n] = MaxExpandedNodes + 1 // a cycle counts as too large
			total += size(n.Target(), depth+1)
		}
		for _, c := range n.Content {
			if n.Kind == AliasNode {
				break // its one element, the target, is counted above
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
		if shared {
			if memo == nil {
				memo = map[*Node]int{}
			}
			memo[n] = total
		}
		return total
	}
	return size(n, 0), culprit
}

// Pos converts a 1-based line and rune column into a Pos with its byte
// offset. Out-of-range values are clamped to the file.
func (f *File) Pos(line, col int) diag.Pos {
	if line < 1 {
		line, col = 1, 1
	}
	if line > len(f.lineStart) {
		line = len(f.lineStart)
		col = 1 << 30
	}
	col = max(col, 1)
	off := f.lineStart[line-1]
	c := 1
	for c < col && off < len(f.Src) && f.Src[off] != '\n' {
		_, size := utf8.DecodeRune(f.Src[off:])
		off += size
		c++
	}
	return diag.Pos{Line: line, Column: c, Byte: off}
}

// PosAt is the Pos of byte offset off, clamped to the file.
func (f *File) PosAt(off int) diag.Pos {
	off = min(max(off, 0), len(f.Src))
	line, _ := slices.BinarySearch(f.lineStart, off+1) // the lines starting at or before off
	from := f.lineStart[line-1]
	return diag.Pos{Line: line, Column: 1 + utf8.RuneCount(f.Src[from:off]), Byte: off}
}

// Range is the source range of node n. For scalars it spans the whole value
// as written; for collections it marks their first character.
func (f *File) Range(n *Node) diag.Range {
	if n == nil {
		return diag.Range{Filename: f.Name, Start: f.Pos(1, 1), End: f.Pos(1, 2)}
	}
	start := f.PosAt(int(n.Offset))
	end := start
	if n.Kind == ScalarNode {
		if e, ok := f.verbatimEnd(n, start); ok {
			return diag.Range{Filename: f.Name, Start: start, End: e}
		}
		m := f.scalarMap(n)
		end = m[len(m)-1]
		if n.Style&(DoubleQuotedStyle|SingleQuotedStyle) != 0 {
			end = f.advance(end, 1)
		}
	}
	if end.Byte <= start.Byte {
		end = f.advance(start, 1)
	}
	return diag.Range{Filename: f.Name, Start: start, End: end}
}

// verbatimEnd finds the end of a scalar written on one line exactly as its
// value reads (plain, or quoted with no escapes) without mapping every rune:
// the common case, and the one every decoded item pays for.
func (f *File) verbatimEnd(n *Node, start diag.Pos) (diag.Pos, bool) {
	if n.Style&(LiteralStyle|FoldedStyle) != 0 || strings.ContainsAny(n.Value, "\n\r") {
		return diag.Pos{}, false
	}
	at := start.Byte
	quote := byte(0)
	switch {
	case n.Style&DoubleQuotedStyle != 0:
		quote = '"'
	case n.Style&SingleQuotedStyle != 0:
		quote = '\''
	}
	if quote != 0 {
		if at >= len(f.Src) || f.Src[at] != quote {
			return diag.Pos{}, false
		}
		at++
	}
	if end := at + len(n.Value); end > len(f.Src) || string(f.Src[at:end]) != n.Value {
		return diag.Pos{}, false
	}
	at += len(n.Value)
	if quote != 0 {
		if at >= len(f.Src) || f.Src[at] != quote {
			return diag.Pos{}, false
		}
		at++
	}
	if at == start.Byte {
		return diag.Pos{}, false
	}
	return diag.Pos{Line: start.Line, Column: start.Column + utf8.RuneCount(f.Src[start.Byte:at]), Byte: at}, true
}

// SubRange is the source range of runes [from, to) of scalar n's value.
// It is how an error inside an expression is mapped back to the file.
func (f *File) SubRange(n *Node, from, to int) diag.Range {
	if n == nil || n.Kind != ScalarNode {
		return f.Range(n)
	}
	m := f.scalarMap(n)
	from = min(max(from, 0), len(m)-1)
	to = min(max(to, from+1), len(m)-1)
	start, end := m[from], m[to]
	if end.Byte <= start.Byte {
		end = f.advance(start, 1)
	}
	return diag.Range{Filename: f.Name, Start: start, End: end}
}

// advance moves p forward by n runes on its line.
func (f *File) advance(p diag.Pos, n int) diag.Pos {
	for ; n > 0 && p.Byte < len(f.Src) && f.Src[p.Byte] != '\n'; n-- {
		_, size := utf8.DecodeRune(f.Src[p.Byte:])
		p.Byte += size
		p.Column++
	}
	return p
}

type srcRune struct {
	r   rune
	pos diag.Pos
}

// scalarMap returns, for each rune of n.Value, the source position it came
// from, plus one final entry for the position just after the value.
func (f *File) scalarMap(n *Node) []diag.Pos {
	value := []rune(n.Value)
	src := f.scalarSource(n)
	out := make([]diag.Pos, 0, len(value)+1)
	quoted := n.Style&(DoubleQuotedStyle|SingleQuotedStyle) != 0
	j := 0
	for i := 0; i < len(value); {
		if j >= len(src) {
			last := f.PosAt(int(n.Offset))
			if len(src) > 0 {
				last = src[len(src)-1].pos
			}
			out = append(out, last)
			i++
			continue
		}
		vr, sr := value[i], src[j].r
		switch {
		case n.Style&DoubleQuotedStyle != 0 && sr == '\\':
			k := escapeLen(src, j)
			if k < 0 { // escaped line break: no value rune
				j = skipEscapedBreak(src, j)
				continue
			}
			out = append(out, src[j].pos)
			i++
			j += k
		case n.Style&SingleQuotedStyle != 0 && sr == '\'' && j+1 < len(src) && src[j+1].r == '\'':
			out = append(out, src[j].pos)
			i++
			j += 2
		case vr == sr:
			out = append(out, src[j].pos)
			i++
			j++
		case isSpace(sr):
			j++ // folded line break or indentation
		case isSpace(vr):
			out = append(out, src[j].pos)
			i++
		default:
			out = append(out, src[j].pos)
			i++
			j++
		}
	}
	var end diag.Pos
	switch {
	case j < len(src):
		end = src[j].pos
	case len(src) > 0:
		end = f.advance(src[len(src)-1].pos, 1)
	default:
		end = f.PosAt(int(n.Offset))
	}
	if !quoted && n.Style&(LiteralStyle|FoldedStyle) == 0 && len(out) > 0 {
		end = f.advance(out[len(out)-1], 1)
	}
	return append(out, end)
}

// scalarSource lists the source runes a scalar's value is made of: for a
// flow scalar the text after its opening quote, for a block scalar its
// content lines with the indentation removed.
func (f *File) scalarSource(n *Node) []srcRune {
	start := f.PosAt(int(n.Offset))
	var out []srcRune
	if n.Style&(LiteralStyle|FoldedStyle) == 0 {
		p := start
		if n.Style&(DoubleQuotedStyle|SingleQuotedStyle) != 0 {
			p = f.advance(p, 1)
		}
		limit := utf8.RuneCountInString(n.Value)*12 + 64 // escapes and folds never need more
		for p.Byte < len(f.Src) && len(out) < limit {
			r, size := utf8.DecodeRune(f.Src[p.Byte:])
			out = append(out, srcRune{r, p})
			p.Byte += size
			if r == '\n' {
				p.Line++
				p.Column = 1
			} else {
				p.Column++
			}
		}
		return out
	}
	indent := -1
	for line := start.Line + 1; line <= len(f.lineStart); line++ {
		text := f.lineText(line)
		lead := 0
		for lead < len(text) && text[lead] == ' ' {
			lead++
		}
		blank := lead == len(text)
		if !blank && indent < 0 {
			indent = lead
		}
		if !blank && lead < indent {
			break
		}
		p := f.Pos(line, 1)
		if !blank {
			p = f.Pos(line, indent+1)
			for _, r := range text[indent:] {
				out = append(out, srcRune{r, p})
				p.Byte += utf8.RuneLen(r)
				p.Column++
			}
		} else if len(text) > 0 {
			p = f.Pos(line, len([]rune(text))+1)
		}
		out = append(out, srcRune{'\n', p})
	}
	return out
}

func (f *File) lineText(line int) string {
	from := f.lineStart[line-1]
	to := len(f.Src)
	if line < len(f.lineStart) {
		to = f.lineStart[line] - 1
	}
	s := string(f.Src[from:to])
	if len(s) > 0 && s[len(s)-1] == '\r' {
		s = s[:len(s)-1]
	}
	return s
}

// escapeLen is the number of source runes of the escape at src[j], or -1 for
// an escaped line break.
func escapeLen(src []srcRune, j int) int {
	if j+1 >= len(src) {
		return 1
	}
	switch src[j+1].r {
	case 'x':
		return 4
	case 'u':
		return 6
	case 'U':
		return 10
	case '\n', '\r':
		return -1
	}
	return 2
}

func skipEscapedBreak(src []srcRune, j int) int {
	j += 2
	for j < len(src) && (src[j].r == ' ' || src[j].r == '\t' || src[j].r == '\n' || src[j].r == '\r') {
		j++
	}
	return j
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
