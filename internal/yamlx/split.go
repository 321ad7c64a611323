package yamlx

import (
	"bytes"
	"runtime"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"
)

// Parsing a large file in pieces, concurrently. A plan file is a block
// mapping of a few top-level keys whose values are long block lists; a
// line that starts a top-level key (or an item of such a list) at its
// indentation ends every construct of the lines before it, except an open
// quoted scalar or flow collection. So the file is cut at such lines into
// pieces of about splitSize bytes, each piece is parsed on its own, and
// the trees are joined. A piece that does not parse (an open quote, an
// alias of an anchor in another piece, a syntax error), or a join that
// does not come out as the cut intended, sends the whole file to the
// ordinary parser: the tree, and every error, are always the ones
// yaml.Unmarshal gives for the whole file.

// splitSize is the size of a piece; a file under twice it is parsed whole.
const splitSize = 8 << 10

// parseTree parses src into the document's content node (nil for an empty
// document), in pieces when it is large.
func parseTree(src []byte) (*yaml.Node, error) {
	if root, ok := parseSplit(src, splitSize); ok {
		return root, nil
	}
	if root, ok := fastParse(src, 0); ok {
		return root, nil
	}
	return parseWhole(src)
}

func parseWhole(src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0], nil
	}
	return nil, nil
}

// piece is a run of lines (byte offsets start, end) of the file. A key
// piece starts at a top-level key; an item piece continues the block list
// under the last top-level key and holds nothing but its items: it is
// parsed as a document whose root is that list, indented as in the file.
type piece struct {
	start, end int
	line       int  // 0-based line of start
	item       bool // an item piece
	indent     int  // the list's indentation, for an item piece
	items      int  // item lines ("- ") in the piece, for an item piece
	bad        bool // an item piece holds a line that is not of its list: parse the file whole
	root       *yaml.Node
	err        error
}

// parseSplit parses src in pieces of about size bytes; ok is false when the
// file is not cut (too small, or not a plain block mapping) or the pieces
// do not join to what the whole file parses to.
func parseSplit(src []byte, size int) (*yaml.Node, bool) {
	pieces := cut(src, size)
	if len(pieces) < 2 {
		return nil, false
	}
	// As many goroutines as can run, this one included, take the pieces
	// in turn: a goroutine's stack grows once for the parser's recursion,
	// not once per piece.
	var next atomic.Int64
	work := func() {
		for i := next.Add(1) - 1; i < int64(len(pieces)); i = next.Add(1) - 1 {
			pieces[i].parse(src)
		}
	}
	var wg sync.WaitGroup
	var panicked atomic.Pointer[any] // a helper's panic, raised again here
	for range min(runtime.GOMAXPROCS(0), len(pieces)) - 1 {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					panicked.CompareAndSwap(nil, &v)
				}
			}()
			work()
		})
	}
	// The helpers wait on this P, where an idle P marking for the GC does
	// not look: yield, so that one of them runs here and this goroutine
	// moves to the global queue, which that P does watch.
	runtime.Gosched()
	work()
	wg.Wait()
	if v := panicked.Load(); v != nil {
		panic(*v) // where the caller can recover it, as when parsing whole
	}
	return join(pieces)
}

func (p *piece) parse(src []byte) {
	if p.bad {
		return
	}
	if root, ok := fastParse(src[p.start:p.end], p.line); ok {
		p.root = root
		return
	}
	var doc yaml.Node
	if p.err = yaml.Unmarshal(src[p.start:p.end], &doc); p.err != nil {
		return
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return
	}
	p.root = doc.Content[0]
	if p.line != 0 {
		shiftLines(p.root, p.line)
	}
}

func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// join joins the pieces' trees into the tree of the whole file, checking
// that every cut fell where it was meant to: a key piece's first key on
// its first line at column 1, an item piece's list on its first line at
// the list's indentation, with as many items as the piece has item lines.
func join(pieces []piece) (*yaml.Node, bool) {
	var root *yaml.Node
	for i := range pieces {
		p := &pieces[i]
		if p.err != nil || p.root == nil {
			return nil, false
		}
		if p.item {
			// The list's next items. Its root ends at the first line less
			// indented, and yaml.v3 ignores whatever follows: cut saw to
			// it that no line of the piece is (bad).
			seq := p.root
			if root == nil || seq.Kind != yaml.SequenceNode || seq.Style != 0 || seq.Line != p.line+1 ||
				seq.Column != p.indent+1 || len(seq.Content) != p.items || seq.Anchor != "" || seq.Tag != "!!seq" {
				return nil, false
			}
			last := root.Content[len(root.Content)-1]
			if last.Kind != yaml.SequenceNode || last.Style&yaml.FlowStyle != 0 || last.Column != p.indent+1 {
				return nil, false
			}
			last.Content = append(last.Content, seq.Content...)
			continue
		}
		// A key piece must be a block mapping at column 1, which only the
		// end of the input ends (there are no document markers): an
		// indented one ends at the first line less indented, and yaml.v3
		// ignores whatever follows the document's root.
		if !isBlockMapping(p.root) || p.root.Column != 1 || p.root.Content[0].Column != 1 {
			return nil, false
		}
		if k := p.root.Content[0]; i > 0 && (k.Line != p.line+1 || p.root.Line != p.line+1) {
			return nil, false
		}
		if root == nil {
			root = p.root
		} else {
			root.Content = append(root.Content, p.root.Content...)
		}
	}
	return root, root != nil
}

// isBlockMapping reports whether n is a plain block mapping: no tag, no
// anchor (the position of either would stand for the mapping's own).
func isBlockMapping(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.MappingNode && n.Style == 0 && n.Tag == "!!map" && n.Anchor == "" && len(n.Content) >= 2
}

// cut plans the pieces of src: none (nil) when the file is small or is not
// one whose top-level lines can be told apart by their first bytes.
func cut(src []byte, size int) []piece {
	if len(src) < 2*size || !plain(src) {
		return nil
	}
	// An alias must be in the piece of its anchor: no cut between the
	// first anchor and the last alias.
	lo, hi := aliasSpan(src)
	var pieces []piece
	cur := piece{}
	next := func(p piece) bool {
		if p.start > lo && p.start <= hi {
			return false
		}
		cur.end = p.start
		pieces = append(pieces, cur)
		cur = p
		return true
	}
	// The list under the current top-level key, when its key line is a
	// plain "key:" line: its indentation (-1 until its first item is seen);
	// list is false when the key's value is not such a list.
	list := false
	indent := -1
	line := 0
	for off := 0; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off + 1
		}
		text := src[off:end]
		switch {
		case isTopKey(text):
			// An item piece holds only its list: the next key starts a key
			// piece whatever the size.
			if (cur.item || off-cur.start >= size && off > 0) && !next(piece{start: off, line: line}) {
				cur.bad = cur.bad || cur.item // an item piece cannot hold a key
			}
			list, indent = isHeader(text), -1
		case list:
			ind := indentOf(text)
			if ind < 0 {
				break // blank or comment line
			}
			if indent < 0 {
				if !isItem(text, ind) {
					list = false // the value is not a block list
					break
				}
				indent = ind
			}
			if ind < indent {
				// Not in a well-formed file: leave the rest of the list
				// whole, and the piece, if an item piece, to the whole parse.
				list = false
				cur.bad = cur.bad || cur.item
				break
			}
			if ind == indent && isItem(text, ind) {
				if off-cur.start >= size {
					next(piece{start: off, line: line, item: true, indent: indent})
				}
				if cur.item {
					cur.items++
				}
			} else if ind == indent {
				// Neither an item nor inside one: an item piece, parsed
				// without the key above, would read it differently.
				cur.bad = cur.bad || cur.item
			}
		case cur.item:
			if indentOf(text) >= 0 {
				cur.bad = true // a line of no list in an item piece: cannot be
			}
		}
		off = end
	}
	cur.end = len(src)
	if cur.start < cur.end {
		pieces = append(pieces, cur)
	}
	return pieces
}

// aliasSpan is the span from the first thing in src that may be an anchor
// ("&name" after a space, a line start or a flow indicator) to the last
// that may be an alias ("*name" likewise); lo > hi when there is none. A
// guess either way only costs a cut, or a piece that does not parse.
func aliasSpan(src []byte) (lo, hi int) {
	lo, hi = len(src), -1
	for i, c := range src {
		if c != '&' && c != '*' || i+1 >= len(src) {
			continue
		}
		if i > 0 && !bytes.ContainsRune([]byte(" \t\n[{,:-?"), rune(src[i-1])) {
			continue
		}
		if n := src[i+1]; n == ' ' || n == '\t' || n == '\n' || n == '\r' || n == '&' || n == '*' {
			continue
		}
		if c == '&' {
			lo = min(lo, i)
		} else {
			hi = i
		}
	}
	return lo, hi
}

// plain reports whether src is free of what would make its lines mean
// something else on their own: document markers and directives, line
// breaks other than "\n" and "\r\n" (YAML counts NEL, LS and PS too, and a
// lone CR), a byte order mark.
func plain(src []byte) bool {
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		return false
	}
	if bytes.Contains(src, []byte("\xc2\x85")) || bytes.Contains(src, []byte("\xe2\x80\xa8")) || bytes.Contains(src, []byte("\xe2\x80\xa9")) {
		return false
	}
	for i := bytes.IndexByte(src, '\r'); i >= 0; {
		if i+1 >= len(src) || src[i+1] != '\n' {
			return false
		}
		j := bytes.IndexByte(src[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for off := 0; off < len(src); {
		if bytes.HasPrefix(src[off:], []byte("---")) || bytes.HasPrefix(src[off:], []byte("...")) || src[off] == '%' {
			return false
		}
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
	}
	return true
}

// isTopKey reports whether a line starts a top-level key written plainly:
// a letter or _, then letters, digits, _ or -, then ":" and a space or the
// end of the line.
func isTopKey(line []byte) bool {
	if len(line) == 0 || !(isLetter(line[0]) || line[0] == '_') {
		return false
	}
	for i := 1; i < len(line); i++ {
		c := line[i]
		switch {
		case isLetter(c) || c >= '0' && c <= '9' || c == '_' || c == '-':
		case c == ':':
			return i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\n' || line[i+1] == '\r'
		default:
			return false
		}
	}
	return false
}

// isHeader reports whether a top-level key line has nothing after its
// colon: its value, if a block list, starts on the next line.
func isHeader(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	return len(bytes.TrimRight(line[i+1:], " \r\n")) == 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// indentOf is the number of leading spaces of a line with content, or -1
// for a blank line or a comment line.
func indentOf(line []byte) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) || line[i] == '\n' || line[i] == '\r' || line[i] == '#' {
		return -1
	}
	return i
}

// isItem reports whether the line at indentation ind is a block list item:
// "-" followed by a space or the end of the line.
func isItem(line []byte, ind int) bool {
	if ind >= len(line) || line[ind] != '-' {
		return false
	}
	return ind+1 == len(line) || line[ind+1] == ' ' || line[ind+1] == '\n' || line[ind+1] == '\r'
}
