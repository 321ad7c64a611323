package yamlx

import (
	"encoding/binary"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A fast path for the plain YAML the plan files are written in: block
// mappings with plain keys, block lists, plain, single- and double-quoted
// scalars on one line, one-line flow lists and mappings, folded or
// literal block scalars, an anchor on a key's value (key: &a …) and an
// alias of an earlier anchor as a key's value or a flow item (key: *a,
// {when: *a}). It builds the tree yaml.v3 builds, converted to Nodes,
// node for node: kind, style, tag, value and offset, but no comments, as
// nothing reads them. Or it gives up on the first thing outside that
// subset, and the caller parses with yaml.v3: other anchors, tags,
// escapes, scalars over several lines, empty values, tabs, carriage
// returns and anything yaml.v3 might refuse. It never reports an error:
// every error comes from yaml.v3. TestFastParseIsYAMLv3 and FuzzFastParse
// hold it to yaml.v3 on the embedded plans, every YAML file of the
// repository and mutations of them.
//
// It is one cohesive parser, kept in one file over the usual size. Its
// speed comes from reading each line once, taking values as
// substrings of one copy of the source and allocating nodes in blocks.

// fastParseAll parses src when it is in the subset, and returns the
// parser, with the root and what it noted on the way (plain, notes); ok
// is false otherwise.
func fastParseAll(src []byte) (_ *fastParser, ok bool) {
	if !fastChars(src) {
		return nil, false
	}
	p := &fastParser{src: string(src)}
	defer func() {
		if v := recover(); v != nil {
			if _, giveUp := v.(fastGiveUp); !giveUp {
				panic(v)
			}
			ok = false
		}
	}()
	if !p.skipEmpty() {
		return nil, false
	}
	ind := p.indent()
	p.root = p.block(ind, -1)
	if p.skipEmpty() {
		p.giveUp() // more after the root: yaml.v3 would ignore or refuse it
	}
	return p, true
}

// fastGiveUp is the panic that ends a fast parse.
type fastGiveUp struct{}

type fastParser struct {
	src       string
	pos       int // offset in src
	lineStart int // offset of the current line
	eol       int // lineEnd of the line at eolOf-1 (eolOf 0: none yet)
	eolOf     int
	slab      []Node  // the block new nodes come from
	kids      []*Node // the children of the collections being parsed, innermost last
	contents  []*Node // the block the collections' Content come from
	depth     int     // flow collections open
	nest      int     // collections open
	deepest   int     // the most collections open at once
	aliases   bool    // an alias was read
	nodes     int     // nodes made
	root      *Node
	notes     []*Node          // each "interpretation" key met, after its mapping (File.notes)
	anchors   map[string]*Node // the anchors defined so far, by name
}

// maxFlowDepth is the deepest flow nesting the fast path reads; plan files
// nest two or three deep.
const maxFlowDepth = 16

// flowShy are the characters a plain scalar in a flow collection may not
// hold on the fast path: indicators libyaml reads by rules of its own
// there. Plan files' flow lists hold ids, numbers and words.
const flowShy = "?!&*%@`|>'\"\\"

func (p *fastParser) giveUp() { panic(fastGiveUp{}) }

// fastChars reports whether src holds only characters the fast path reads
// as yaml.v3 does: printable ones, "\n" for a line break; no tab, no
// carriage return, no byte order mark, no character yaml.v3 takes for a
// line break (NEL, LS, PS) or refuses.
func fastChars(src []byte) bool {
	const (
		lo7f = 0x0101010101010101
		hi   = 0x8080808080808080
	)
	n := len(src)
	for i := 0; i < n; {
		// Eight ASCII bytes at a time: none below 0x20 (a line break
		// among them takes the byte-wise path), none 0x7f.
		if i+8 <= n {
			w := binary.LittleEndian.Uint64(src[i:])
			if w&hi == 0 && (w-0x20*lo7f)&^w&hi == 0 && ((w^0x7f*lo7f)-lo7f)&^(w^0x7f*lo7f)&hi == 0 {
				i += 8
				continue
			}
		}
		c := src[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		// A rune past ASCII, checked as utf8.Valid does, and refused when
		// it is one of those fastChars refuses.
		switch {
		case c < 0xC2: // a continuation byte, or an overlong form
			return false
		case c < 0xE0:
			if i+1 >= n || src[i+1]&0xC0 != 0x80 || c == 0xC2 && src[i+1] < 0xA0 { // U+0080–U+009F
				return false
			}
			i += 2
		case c < 0xF0:
			if i+2 >= n {
				return false
			}
			b1, b2 := src[i+1], src[i+2]
			switch {
			case b1&0xC0 != 0x80 || b2&0xC0 != 0x80,
				c == 0xE0 && b1 < 0xA0,                                              // overlong
				c == 0xED && b1 > 0x9F,                                              // a surrogate
				c == 0xE2 && b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9),               // U+2028, U+2029
				c == 0xEF && (b1 == 0xBB && b2 == 0xBF || b1 == 0xBF && b2 >= 0xBE): // U+FEFF, U+FFFE, U+FFFF
				return false
			}
			i += 3
		case c < 0xF5:
			if i+3 >= n {
				return false
			}
			b1 := src[i+1]
			if b1&0xC0 != 0x80 || src[i+2]&0xC0 != 0x80 || src[i+3]&0xC0 != 0x80 ||
				c == 0xF0 && b1 < 0x90 || c == 0xF4 && b1 > 0x8F {
				return false
			}
			i += 4
		default:
			return false
		}
	}
	return true
}

// hasFlowShy reports whether v holds a byte of flowShy.
func hasFlowShy(v string) bool {
	for i := range len(v) {
		if flowShyByte[v[i]] {
			return true
		}
	}
	return false
}

// flowShyByte marks the bytes of flowShy.
var flowShyByte = func() (t [256]bool) {
	for i := range len(flowShy) {
		t[flowShy[i]] = true
	}
	return t
}()

// enter and leave bracket the parsing of a collection.
func (p *fastParser) enter() {
	p.nest++
	p.deepest = max(p.deepest, p.nest)
}

func (p *fastParser) leave() { p.nest-- }

// plain reports whether the tree is one expandedSize need not count: no
// alias, so no node is reached twice, and far fewer nodes and levels
// than it allows.
func (p *fastParser) plain() bool {
	return !p.aliases && p.nodes <= MaxExpandedNodes && p.deepest < 900
}

// node returns a new node from the current block of nodes.
func (p *fastParser) node(kind Kind, style Style, tag Tag, value string, at int) *Node {
	if len(p.slab) == cap(p.slab) {
		// A plan file has a node for every 20 bytes or so: blocks sized
		// for the input, kept small (a large object costs more to get).
		p.slab = make([]Node, 0, min(len(p.src)/20+16, 128))
	}
	p.nodes++
	p.slab = append(p.slab, Node{Kind: kind, Style: style, Tag: tag, Value: value, Offset: uint32(at)})
	return &p.slab[len(p.slab)-1]
}

// content returns the children pushed on kids since base, as a Content
// slice of their own (capacity at its length, so that an append copies),
// and pops them.
func (p *fastParser) content(base int) []*Node {
	n := len(p.kids) - base
	if n == 0 {
		return nil
	}
	if cap(p.contents)-len(p.contents) < n {
		p.contents = make([]*Node, 0, max(n, min(len(p.src)/20+16, 1024)))
	}
	start := len(p.contents)
	p.contents = append(p.contents, p.kids[base:]...)
	p.kids = p.kids[:base]
	return p.contents[start:len(p.contents):len(p.contents)]
}

// lineEnd is the offset of the current line's "\n", or len(src); found
// once per line, as a line is looked at several times.
func (p *fastParser) lineEnd() int {
	if p.eolOf == p.lineStart+1 {
		return p.eol
	}
	p.eol = len(p.src)
	if i := strings.IndexByte(p.src[p.lineStart:], '\n'); i >= 0 {
		p.eol = p.lineStart + i
	}
	p.eolOf = p.lineStart + 1
	return p.eol
}

// nextLine moves to the start of the next line.
func (p *fastParser) nextLine() {
	end := p.lineEnd()
	if end < len(p.src) {
		end++
	}
	p.pos, p.lineStart = end, end
}

// indent is the number of spaces at the start of the current line.
func (p *fastParser) indent() int {
	i := p.lineStart
	for i < len(p.src) && p.src[i] == ' ' {
		i++
	}
	return i - p.lineStart
}

// skipEmpty moves past blank and comment lines to the start of the next
// line with content; false at the end of the input.
func (p *fastParser) skipEmpty() bool {
	for p.lineStart < len(p.src) {
		ind := p.indent()
		at := p.lineStart + ind
		if at < len(p.src) && p.src[at] != '\n' && p.src[at] != '#' {
			p.pos = p.lineStart
			return true
		}
		p.nextLine()
	}
	p.pos = p.lineStart
	return false
}

// rest checks that nothing but spaces and a comment follow offset i on
// the current line, and moves to the next line.
func (p *fastParser) rest(i int) {
	end := p.lineEnd()
	for i < end && p.src[i] == ' ' {
		i++
	}
	if i < end && (p.src[i] != '#' || p.src[i-1] != ' ') {
		p.giveUp()
	}
	p.nextLine()
}

// block parses the block node whose first line is the current one, its
// content at column ind+1; parent is the indentation of the enclosing block
// collection (-1 at the root).
func (p *fastParser) block(ind, parent int) *Node {
	at := p.lineStart + ind
	if isItemAt(p.src, at) {
		return p.sequence(ind, false)
	}
	if _, ok := p.key(at); ok {
		return p.mapping(ind)
	}
	p.giveUp() // a scalar or flow node on its own line, or something else
	return nil
}

// isItemAt reports whether a block list item ("-" and a space or the end of
// the line) starts at offset at.
func isItemAt(s string, at int) bool {
	return at < len(s) && s[at] == '-' && (at+1 == len(s) || s[at+1] == ' ' || s[at+1] == '\n')
}

// key returns the end of a plain key starting at offset at, ended by ":"
// and a space or the end of the line; ok is false when no such key starts
// there. Keys are letters, digits, "_", "-" and "." (not first).
func (p *fastParser) key(at int) (int, bool) {
	s := p.src
	i := at
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || (c == '-' || c == '.') && i > at {
			i++
			continue
		}
		break
	}
	if i == at || i-at > 1000 || i >= len(s) || s[i] != ':' {
		return 0, false
	}
	if i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
		return 0, false
	}
	return i, true
}

// mapping parses a block mapping whose keys are at column ind+1.
func (p *fastParser) mapping(ind int) *Node {
	p.enter()
	defer p.leave()
	m := p.node(MappingNode, 0, TagMap, "", p.lineStart+ind)
	base := len(p.kids)
	for {
		at := p.lineStart + ind
		end, ok := p.key(at)
		if !ok {
			p.giveUp()
		}
		k := p.src[at:end]
		key := p.node(ScalarNode, 0, plainTag(k), k, at)
		p.kids = append(p.kids, key)
		v := p.value(end+1, ind)
		p.kids = append(p.kids, v)
		if k == "interpretation" {
			p.notes = append(p.notes, m, key)
		}
		if !p.skipEmpty() {
			m.Content = p.content(base)
			return m
		}
		next := p.indent()
		if next < ind {
			m.Content = p.content(base)
			return m
		}
		if next > ind {
			p.giveUp()
		}
	}
}

// sequence parses a block list whose "-" are at column ind+1; compact when
// it is the value of a key at the same indentation, where the next key
// ends it.
func (p *fastParser) sequence(ind int, compact bool) *Node {
	p.enter()
	defer p.leave()
	s := p.node(SequenceNode, 0, TagSeq, "", p.lineStart+ind)
	base := len(p.kids)
	for {
		at := p.lineStart + ind
		if !isItemAt(p.src, at) {
			p.giveUp()
		}
		i := at + 1
		for i < len(p.src) && p.src[i] == ' ' {
			i++
		}
		if i >= len(p.src) || p.src[i] == '\n' || p.src[i] == '#' {
			p.giveUp() // the item on the next lines, or empty
		}
		var item *Node
		switch {
		case isItemAt(p.src, i):
			p.giveUp() // "- - x"
		default:
			if _, ok := p.key(i); ok {
				item = p.mapping(i - p.lineStart)
			} else {
				item = p.inline(i, ind)
			}
		}
		p.kids = append(p.kids, item)
		if !p.skipEmpty() {
			s.Content = p.content(base)
			return s
		}
		next := p.indent()
		if next < ind {
			s.Content = p.content(base)
			return s
		}
		if next > ind {
			p.giveUp()
		}
		if !isItemAt(p.src, p.lineStart+ind) {
			if compact {
				s.Content = p.content(base)
				return s
			}
			p.giveUp()
		}
	}
}

// value parses the value of a key whose ":" ends at offset i - 1, in a
// mapping whose keys are at column ind+1.
func (p *fastParser) value(i, ind int) *Node {
	end := p.lineEnd()
	for i < end && p.src[i] == ' ' {
		i++
	}
	if i < end {
		switch p.src[i] {
		case '&':
			return p.anchored(i, ind)
		case '*':
			return p.alias(i)
		}
	}
	if i < end && p.src[i] != '#' {
		return p.inline(i, ind)
	}
	if i < end && p.src[i-1] != ' ' {
		p.giveUp()
	}
	return p.below(ind)
}

// below parses a value on the lines after its key: a block collection,
// more indented or a list at the key's own indentation.
func (p *fastParser) below(ind int) *Node {
	p.nextLine()
	if !p.skipEmpty() {
		p.giveUp() // empty: a null
	}
	next := p.indent()
	if next > ind || next == ind && isItemAt(p.src, p.lineStart+ind) {
		if next == ind {
			return p.sequence(ind, true)
		}
		return p.block(next, ind)
	}
	p.giveUp() // empty: a null
	return nil
}

// anchorName reads the name of an anchor or alias from offset i: letters,
// digits, "_" and "-" up to a space or the end of the line (yaml.v3
// takes more; the fast path leaves the rest to it).
func (p *fastParser) anchorName(i int) (string, int) {
	end := p.lineEnd()
	j := i
	for j < end {
		c := p.src[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			j++
			continue
		}
		break
	}
	if j == i || j-i > 100 || j < end && p.src[j] != ' ' {
		p.giveUp()
	}
	return p.src[i:j], j
}

// anchored parses a key's value that starts with an anchor ("&name") at
// offset i: a node on the same line or a block collection below, which
// yaml.v3 places at the anchor.
func (p *fastParser) anchored(i, ind int) *Node {
	name, j := p.anchorName(i + 1)
	end := p.lineEnd()
	for j < end && p.src[j] == ' ' {
		j++
	}
	var n *Node
	switch {
	case j == end:
		n = p.below(ind)
	case p.src[j] == '#' || p.src[j] == '&' || p.src[j] == '*':
		p.giveUp()
	default:
		n = p.inline(j, ind)
	}
	n.Offset, n.Anchored = uint32(i), true
	if p.anchors == nil {
		p.anchors = map[string]*Node{}
	}
	p.anchors[name] = n
	return n
}

// alias parses a key's value that is an alias ("*name") at offset i, of
// an anchor defined before it in this parse.
func (p *fastParser) alias(i int) *Node {
	name, j := p.anchorName(i + 1)
	target, ok := p.anchors[name]
	if !ok {
		p.giveUp() // defined elsewhere, or not at all: yaml.v3 says which
	}
	n := p.node(AliasNode, 0, TagNone, name, i)
	n.Content = []*Node{target}
	p.aliases = true
	p.rest(j)
	return n
}

// flowAlias parses an alias ("*name") at offset i inside a flow
// collection, of an anchor defined before it in this parse, and returns
// the offset after it: its name ends at a space or a flow indicator, as
// libyaml reads it.
func (p *fastParser) flowAlias(i int) (*Node, int) {
	j := i + 1
	for j < len(p.src) {
		c := p.src[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			j++
			continue
		}
		break
	}
	if j == i+1 || j-i > 100 || j >= len(p.src) || strings.IndexByte(" ,]}", p.src[j]) < 0 {
		p.giveUp()
	}
	target, ok := p.anchors[p.src[i+1:j]]
	if !ok {
		p.giveUp() // defined elsewhere, or not at all: yaml.v3 says which
	}
	n := p.node(AliasNode, 0, TagNone, p.src[i+1:j], i)
	n.Content = []*Node{target}
	p.aliases = true
	return n, j
}

// inline parses a node that starts at offset i of the current line: a
// scalar, a flow collection or a block scalar's header; parent is the
// indentation of the enclosing block collection. It moves past the node.
func (p *fastParser) inline(i, parent int) *Node {
	switch p.src[i] {
	case '[', '{':
		n, j := p.flow(i)
		p.rest(j)
		return n
	case '"', '\'':
		n, j := p.quoted(i)
		if j < len(p.src) && p.src[j] == ':' {
			p.giveUp() // a quoted key
		}
		p.rest(j)
		return n
	case '>', '|':
		return p.blockScalar(i, parent)
	}
	if !plainStart(p.src, i) {
		p.giveUp()
	}
	end := p.lineEnd()
	j := i
	for j < end {
		c := p.src[j]
		if c == ':' && (j+1 == end || p.src[j+1] == ' ') || c == '#' && p.src[j-1] == ' ' {
			break
		}
		j++
	}
	if j < end && p.src[j] == ':' {
		p.giveUp() // "a: b: c", or a key where a value was expected
	}
	v := strings.TrimRight(p.src[i:j], " ")
	n := p.node(ScalarNode, 0, plainTag(v), v, i)
	p.nextLine()
	// A plain scalar goes on over the lines more indented than its
	// collection: one that does is not for the fast path.
	if p.skipEmpty() && p.indent() > parent {
		p.giveUp()
	}
	return n
}

// plainStart reports whether a plain scalar may start at offset i.
func plainStart(s string, i int) bool {
	switch s[i] {
	case '-', '?', ':':
		return i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' && s[i] != '?' && s[i] != ':'
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	return true
}

// quoted parses a single- or double-quoted scalar ending on its line, and
// returns the offset after its closing quote.
func (p *fastParser) quoted(i int) (*Node, int) {
	q := p.src[i]
	end := p.lineEnd()
	j := i + 1
	doubled := false // '' in a single-quoted scalar, one ' in its value
	for {
		k := strings.IndexByte(p.src[j:end], q)
		if k < 0 {
			p.giveUp() // goes on over the next line
		}
		j += k
		if q == '\'' && j+1 < end && p.src[j+1] == '\'' {
			doubled = true
			j += 2
			continue
		}
		break
	}
	v := p.src[i+1 : j]
	style := SingleQuotedStyle
	if q == '"' {
		style = DoubleQuotedStyle
		if strings.IndexByte(v, '\\') >= 0 {
			p.giveUp() // escapes
		}
	}
	if doubled {
		v = strings.ReplaceAll(v, "''", "'")
	}
	return p.node(ScalarNode, style, TagStr, v, i), j + 1
}

// flow parses a flow list or mapping ending on its line, and returns the
// offset after it.
func (p *fastParser) flow(i int) (*Node, int) {
	if p.depth++; p.depth > maxFlowDepth {
		p.giveUp() // yaml.v3 decides on deep nesting
	}
	defer func() { p.depth-- }()
	p.enter()
	defer p.leave()
	open := p.src[i]
	kind, tag, close := SequenceNode, TagSeq, byte(']')
	if open == '{' {
		kind, tag, close = MappingNode, TagMap, '}'
	}
	n := p.node(kind, FlowStyle, tag, "", i)
	j := p.flowSpace(i + 1)
	if p.src[j] == close {
		return n, j + 1
	}
	base := len(p.kids)
	for {
		if kind == MappingNode {
			k, e := p.flowItem(j)
			if e >= len(p.src) || p.src[e] != ':' || e+1 >= len(p.src) || p.src[e+1] != ' ' || k.Kind != ScalarNode || k.Style != 0 || e-j > 1000 {
				p.giveUp()
			}
			p.kids = append(p.kids, k)
			v, e2 := p.flowItem(p.flowSpace(e + 1))
			p.kids = append(p.kids, v)
			if k.Value == "interpretation" {
				p.notes = append(p.notes, n, k)
			}
			j = e2
		} else {
			v, e := p.flowItem(j)
			p.kids = append(p.kids, v)
			j = e
		}
		switch p.src[j] {
		case close:
			n.Content = p.content(base)
			return n, j + 1
		case ',':
			j = p.flowSpace(j + 1)
			if p.src[j] == close || p.src[j] == ',' {
				p.giveUp() // an empty entry
			}
		default:
			p.giveUp()
		}
	}
}

// flowSpace skips spaces on the line; the line must go on.
func (p *fastParser) flowSpace(j int) int {
	for j < len(p.src) && p.src[j] == ' ' {
		j++
	}
	if j >= len(p.src) || p.src[j] == '\n' || p.src[j] == '#' {
		p.giveUp() // a flow collection over several lines, or a comment in it
	}
	return j
}

// flowItem parses a node inside a flow collection starting at offset j,
// and returns the offset after it and the spaces that follow.
func (p *fastParser) flowItem(j int) (*Node, int) {
	var n *Node
	var e int
	switch p.src[j] {
	case '[', '{':
		n, e = p.flow(j)
	case '"', '\'':
		n, e = p.quoted(j)
	case '*':
		n, e = p.flowAlias(j)
	default:
		if !plainStart(p.src, j) || p.src[j] == '-' {
			p.giveUp()
		}
		end := p.lineEnd()
		e = j
		for e < end {
			c := p.src[e]
			if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == ':' || c == '#' && p.src[e-1] == ' ' {
				break
			}
			e++
		}
		if e < end && (p.src[e] == '[' || p.src[e] == '{' || p.src[e] == '#') {
			p.giveUp()
		}
		if e < end && p.src[e] == ':' && (e+1 >= end || p.src[e+1] != ' ') {
			p.giveUp() // "a:b" in a flow collection
		}
		v := strings.TrimRight(p.src[j:e], " ")
		if hasFlowShy(v) {
			p.giveUp() // "{0?: []}": libyaml reads such plain scalars in flow collections its own way
		}
		n = p.node(ScalarNode, 0, plainTag(v), v, j)
	}
	for e < len(p.src) && p.src[e] == ' ' {
		e++
	}
	if e >= len(p.src) || p.src[e] == '\n' {
		p.giveUp()
	}
	return n, e
}

// blockScalar parses a folded (">") or literal ("|") block scalar whose
// header is at offset i: the content lines below, folded and chomped as
// yaml.v3 does (yaml_parser_scan_block_scalar); parent is the indentation
// of the enclosing block collection.
func (p *fastParser) blockScalar(i, parent int) *Node {
	literal := p.src[i] == '|'
	style := FoldedStyle
	if literal {
		style = LiteralStyle
	}
	chomp := 0 // clip
	j := i + 1
	if j < len(p.src) && p.src[j] == '-' {
		chomp = -1
		j++
	}
	if j < len(p.src) && p.src[j] != ' ' && p.src[j] != '\n' {
		p.giveUp() // keep (+) or an indentation indicator
	}
	n := p.node(ScalarNode, style, TagStr, "", i)
	p.rest(j)
	// The first content line sets the indentation; blank lines before it
	// are not for the fast path.
	if p.lineStart >= len(p.src) {
		p.giveUp()
	}
	ind := p.indent()
	if at := p.lineStart + ind; at >= len(p.src) || p.src[at] == '\n' || ind < parent+1 || ind < 1 {
		p.giveUp()
	}
	var s, leadingBreak, trailingBreaks []byte
	leadingBlank := false
	for p.lineStart < len(p.src) && p.indent() >= ind {
		at := p.lineStart + ind
		end := p.lineEnd()
		trailingBlank := at < end && p.src[at] == ' '
		if !literal && !leadingBlank && !trailingBlank && len(leadingBreak) > 0 && leadingBreak[0] == '\n' {
			if len(trailingBreaks) == 0 {
				s = append(s, ' ')
			}
		} else {
			s = append(s, leadingBreak...)
		}
		leadingBreak = leadingBreak[:0]
		s = append(s, trailingBreaks...)
		trailingBreaks = trailingBreaks[:0]
		leadingBlank = at < end && p.src[at] == ' '
		s = append(s, p.src[at:end]...)
		if end < len(p.src) {
			leadingBreak = append(leadingBreak, '\n')
		}
		p.nextLine()
		// Blank lines (no more than ind spaces) are line breaks.
		for p.lineStart < len(p.src) {
			k := p.indent()
			if k > ind {
				break
			}
			if e := p.lineStart + k; e < len(p.src) && p.src[e] != '\n' {
				break
			}
			if p.lineEnd() < len(p.src) {
				trailingBreaks = append(trailingBreaks, '\n')
			}
			p.nextLine()
		}
	}
	if chomp != -1 {
		s = append(s, leadingBreak...)
	}
	n.Value = string(s)
	p.pos = p.lineStart
	// What follows must be less indented than the scalar's collection
	// allows a continuation of, or the end.
	if p.skipEmpty() && p.indent() > parent {
		p.giveUp()
	}
	return n
}

// plainTag is the tag yaml.v3 resolves a plain scalar to (its resolve).
func plainTag(s string) Tag {
	if s == "" {
		return TagNull
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-':
		switch s {
		case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
			return TagFloat
		}
		if _, ok := fastTimestamp(s); ok {
			return TagTimestamp
		}
		// The strconv calls below fail, allocating their error, on
		// anything but the bytes a number is written with; clause numbers
		// ("4.4.1") have two dots, which no int or float has.
		dots := strings.Count(s, ".")
		if !onlyBytes(s, numberBytes) || dots > 1 {
			return TagStr
		}
		plain := strings.ReplaceAll(s, "_", "")
		if dots == 0 {
			if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
				return TagInt
			}
			if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
				return TagInt
			}
		}
		if yamlStyleFloat.MatchString(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return TagFloat
			}
		}
		if dots > 0 {
			return TagStr
		}
		for _, pre := range []struct {
			prefix string
			base   int
		}{{"0b", 2}, {"-0b", 2}, {"0o", 8}, {"-0o", 8}} {
			if strings.HasPrefix(plain, pre.prefix) {
				digits := plain[len(pre.prefix):]
				if pre.prefix[0] == '-' {
					digits = "-" + digits
				}
				if _, err := strconv.ParseInt(digits, pre.base, 64); err == nil {
					return TagInt
				}
				if pre.prefix[0] != '-' {
					if _, err := strconv.ParseUint(digits, pre.base, 64); err == nil {
						return TagInt
					}
				}
				break
			}
		}
	case c == '.':
		switch s {
		case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
			return TagFloat
		}
		if !onlyBytes(s, "0123456789.eE+-") {
			return TagStr
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return TagFloat
		}
	case strings.IndexByte("yYnNtTfFoO~<", c) >= 0:
		switch s {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return TagBool
		case "~", "null", "Null", "NULL":
			return TagNull
		case "<<":
			return TagMerge
		}
	}
	return TagStr
}

// numberBytes are the bytes an int or float may be written with: digits,
// hex digits, base prefixes, signs, "_", "." and exponents.
const numberBytes = "0123456789abcdefABCDEFxXoObB+-_."

// onlyBytes reports whether every byte of s is one of set.
func onlyBytes(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// fastTimestamp is yaml.v3's parseTimestamp.
func fastTimestamp(s string) (time.Time, bool) {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return time.Time{}, false
	}
	for _, format := range []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"} {
		if t, err := time.Parse(format, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseTree parses src into the document's content node (nil for an empty
// document): on the fast path when src is in its subset, else with
// yaml.v3. (Parsing large files in pieces, concurrently, was tried and
// removed: inside Load, which compiles the plan's files beside each other,
// it made loading slower — 6.9 against 6.1 ms, side by side.)
func (f *File) parseTree() (root *Node, plain bool, err error) {
	if p, ok := fastParseAll(f.Src); ok {
		f.notes, f.noted = p.notes, true
		return p.root, p.plain(), nil
	}
	root, err = f.parseWhole()
	return root, false, err
}

func (f *File) parseWhole() (*Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return f.fromYAML(doc.Content[0]), nil
	}
	return nil, nil
}
