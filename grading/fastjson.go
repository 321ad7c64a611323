package grading

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"
)

// This file holds the fast paths of JSON in and out, for streams of
// incidents (`yingji grade --jsonl`). Neither decides anything of its own:
// the decoder handles only incidents it can take without a doubt and hands
// everything else, errors included, to the general decoder, which words
// the errors; the encoder's text comes from Result.MarshalJSON itself,
// cut into fragments once per rule set.

// parseFast decodes the common case of an incident: one flat JSON object
// whose keys are input ids written without escapes, each once, and whose
// values are null, a bool, a number, a string without escapes or a list of
// such strings, every one valid for its input. It returns false for
// anything else, and ParseIncident then takes the general path.
func (r *Rules) parseFast(data []byte) (Incident, bool) {
	inc := r.NewIncident()
	type list struct {
		id   string
		vals []string
	}
	var lists []list
	var seen uint32     // scalar inputs by index
	var seenList uint64 // list inputs by position
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '{' {
		return Incident{}, false
	}
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == '}' {
		i++
	} else {
		for {
			key, next, ok := plainString(data, i)
			if !ok {
				return Incident{}, false
			}
			in, found := r.layout.byID[string(key)]
			if !found {
				return Incident{}, false
			}
			i = skipWS(data, next)
			if i >= len(data) || data[i] != ':' {
				return Incident{}, false
			}
			i = skipWS(data, i+1)
			if i >= len(data) {
				return Incident{}, false
			}
			if in.index >= 0 {
				if seen&(1<<in.index) != 0 {
					return Incident{}, false // a duplicate key: the last one wins there
				}
				seen |= 1 << in.index
			} else {
				bit := uint64(0)
				for j, l := range r.layout.inputs {
					if l == in && j < 64 {
						bit = 1 << j
					}
				}
				if bit == 0 || seenList&bit != 0 {
					return Incident{}, false
				}
				seenList |= bit
			}
			switch c := data[i]; {
			case c == 'n':
				if !bytes.HasPrefix(data[i:], []byte("null")) {
					return Incident{}, false
				}
				i += 4 // null leaves the input unknown
			case c == 't' || c == 'f':
				if in.Type != Bool {
					return Incident{}, false
				}
				x := 0.0
				switch {
				case bytes.HasPrefix(data[i:], []byte("true")):
					x, i = 1, i+4
				case bytes.HasPrefix(data[i:], []byte("false")):
					i += 5
				default:
					return Incident{}, false
				}
				inc.vals[in.index], inc.known = x, inc.known|1<<in.index
			case c == '"':
				s, next, ok := plainString(data, i)
				if !ok {
					return Incident{}, false
				}
				i = next
				var x float64
				switch in.Type {
				case Enum:
					rank := -1
					for j, v := range in.Values {
						if v.ID == string(s) {
							rank = j
							break
						}
					}
					if rank < 0 {
						return Incident{}, false
					}
					x = float64(rank)
				case Amount:
					f, err := ParseAmount(string(s))
					if err != nil || !acceptNumber(in, f) {
						return Incident{}, false
					}
					x = f
				default:
					return Incident{}, false
				}
				inc.vals[in.index], inc.known = x, inc.known|1<<in.index
			case c == '-' || c >= '0' && c <= '9':
				if in.Type != Count && in.Type != Amount {
					return Incident{}, false
				}
				end, integer := numberEnd(data, i)
				if end < 0 {
					return Incident{}, false
				}
				var x float64
				if integer && end-i <= 15 {
					n := int64(0)
					for _, d := range data[i:end] {
						n = n*10 + int64(d-'0')
					}
					x = float64(n)
				} else {
					f, err := strconv.ParseFloat(string(data[i:end]), 64)
					if err != nil {
						return Incident{}, false
					}
					x = f
				}
				if !acceptNumber(in, x) {
					return Incident{}, false
				}
				i = end
				inc.vals[in.index], inc.known = x, inc.known|1<<in.index
			case c == '[':
				if in.Type != List {
					return Incident{}, false
				}
				var vals []string
				i = skipWS(data, i+1)
				if i < len(data) && data[i] == ']' {
					i++
				} else {
					for {
						s, next, ok := plainString(data, i)
						if !ok {
							return Incident{}, false
						}
						vals = append(vals, string(s))
						i = skipWS(data, next)
						if i < len(data) && data[i] == ',' {
							i = skipWS(data, i+1)
							continue
						}
						if i < len(data) && data[i] == ']' {
							i++
							break
						}
						return Incident{}, false
					}
				}
				lists = append(lists, list{in.ID, vals})
			default:
				return Incident{}, false
			}
			i = skipWS(data, i)
			if i < len(data) && data[i] == ',' {
				i = skipWS(data, i+1)
				continue
			}
			if i < len(data) && data[i] == '}' {
				i++
				break
			}
			return Incident{}, false
		}
	}
	if skipWS(data, i) != len(data) {
		return Incident{}, false
	}
	// The general path sets lists in the order of their keys.
	for a := 1; a < len(lists); a++ {
		for b := a; b > 0 && lists[b].id < lists[b-1].id; b-- {
			lists[b], lists[b-1] = lists[b-1], lists[b]
		}
	}
	for _, l := range lists {
		inc.lists = append(inc.lists, ListValue{Input: l.id, Values: l.vals})
	}
	return inc, true
}

// acceptNumber reports whether x is a value Set takes for in without
// complaint; the general path words the complaint.
func acceptNumber(in *Input, x float64) bool {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0), x < 0, x > maxValue:
		return false
	case in.Type == Count && x != math.Trunc(x):
		return false
	}
	return true
}

func skipWS(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// plainString reads a JSON string at data[i] that has no escapes and no
// control characters and is valid UTF-8, and returns its contents and the
// index after its closing quote.
func plainString(data []byte, i int) ([]byte, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return nil, 0, false
	}
	ascii := true
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			s := data[i+1 : j]
			if !ascii && !utf8.Valid(s) {
				return nil, 0, false
			}
			return s, j + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, 0, false
}

// numberEnd returns the end of the JSON number at data[i], or -1 if it is
// not one, and whether it is a plain run of digits.
func numberEnd(data []byte, i int) (int, bool) {
	start := i
	digits := func() bool {
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i > j
	}
	if data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
	} else if !digits() {
		return -1, false
	}
	integer := data[start] != '-'
	if i < len(data) && data[i] == '.' {
		i++
		if !digits() {
			return -1, false
		}
		integer = false
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			return -1, false
		}
		integer = false
	}
	return i, integer
}

// JSONEncoder writes results exactly as Result.MarshalJSON does, many
// times faster, for streams graded by one rule set: everything but the
// figures is cut once from MarshalJSON's own output for synthetic results
// and copied, and the figures come from Result.Because.
//
// NewJSONEncoder checks its fragments against MarshalJSON; if the two
// ever disagree (MarshalJSON gained something the fragments cannot
// express), the encoder falls back to calling MarshalJSON, so its output
// is always MarshalJSON's.
//
// A JSONEncoder is immutable and safe for concurrent use.
type JSONEncoder struct {
	r        *Rules
	fallback bool
	// head[l+1][c+1] runs from "{" through `"inScope":`, tail[l+1][c+1]
	// from after the unknown list to the closing "}", for level l and
	// ceiling c (-1 for none).
	head, tail [][][]byte
	// crit and scope hold each criterion's object around its because;
	// scopeByLevel the whole object of a scope criterion met through
	// grades, per level+1.
	crit, scope  []fragments
	scopeByLevel [][][]byte
	// unknown[i][l] is the object for input index i reaching level l.
	unknown [][][]byte
}

type fragments struct {
	head       []byte // `{…"because":`
	tail, prov []byte // after the because, not provisional and provisional
}

const (
	midEmpty   = `"inScope":false,"scope":[],"matched":[],"unknown":[]`
	keyBecause = `"because":`
)

// NewJSONEncoder prepares an encoder for results of r.
func NewJSONEncoder(r *Rules) *JSONEncoder {
	e := &JSONEncoder{r: r}
	if !e.build() || !e.selfCheck() {
		e = &JSONEncoder{r: r, fallback: true}
	}
	return e
}

func (e *JSONEncoder) marshal(res Result) []byte {
	b, err := res.MarshalJSON()
	if err != nil {
		return nil
	}
	return b
}

// cut returns the parts of b before and after the single occurrence of
// sep.
func cut(b []byte, sep string) ([]byte, []byte, bool) {
	if bytes.Count(b, []byte(sep)) != 1 {
		return nil, nil, false
	}
	before, after, _ := bytes.Cut(b, []byte(sep))
	return before, after, true
}

func (e *JSONEncoder) build() bool {
	r := e.r
	nl := len(r.levels)
	if len(r.scope) > 64 {
		return false
	}
	e.head = make([][][]byte, nl+1)
	e.tail = make([][][]byte, nl+1)
	for l := -1; l < nl; l++ {
		e.head[l+1] = make([][]byte, nl+1)
		e.tail[l+1] = make([][]byte, nl+1)
		for c := -1; c < nl; c++ {
			b := e.marshal(Result{rules: r, level: int16(l), ceiling: int16(c)})
			before, after, ok := cut(b, midEmpty)
			if !ok {
				return false
			}
			e.head[l+1][c+1] = append(before, `"inScope":`...)
			e.tail[l+1][c+1] = after
		}
	}
	// A criterion's object, cut around its because: the synthetic result
	// matches only that criterion, so its object is the only one in the
	// list and its because the only one in the output.
	object := func(res Result, list, next string, cr *Criterion) (fragments, bool) {
		b := e.marshal(res)
		_, rest, ok := cut(b, list)
		if !ok {
			return fragments{}, false
		}
		obj, _, ok := cut(rest, next)
		if !ok {
			return fragments{}, false
		}
		because := appendJSONString(nil, res.Because(cr))
		head, tail, ok := cut(obj, keyBecause+string(because))
		if !ok {
			return fragments{}, false
		}
		return fragments{head: append(head, keyBecause...), tail: tail}, true
	}
	// both renders a criterion's object plain and provisional.
	both := func(cr *Criterion, open, close string, resFor func(prov bool) Result) (fragments, bool) {
		f, ok := object(resFor(false), open, close, cr)
		if !ok {
			return f, false
		}
		g, ok := object(resFor(true), open, close, cr)
		f.prov = g.tail
		return f, ok
	}
	for _, cr := range r.criteria {
		f, ok := both(cr, `"matched":[`, `],"unknown":[]`, func(prov bool) Result {
			res := Result{rules: r, level: -1, ceiling: -1}
			res.matched.set(cr.index)
			if prov {
				res.provisional.set(cr.index)
			}
			return res
		})
		if !ok {
			return false
		}
		e.crit = append(e.crit, f)
	}
	e.scopeByLevel = make([][][]byte, len(r.scope))
	for _, cr := range r.scope {
		var f fragments
		if cr.Cond == nil {
			e.scopeByLevel[cr.index] = make([][]byte, nl+1)
			for l := -1; l < nl; l++ {
				res := Result{rules: r, level: int16(l), ceiling: -1, scope: 1 << cr.index}
				_, rest, ok := cut(e.marshal(res), `"scope":[`)
				if !ok {
					return false
				}
				obj, _, ok := cut(rest, `],"matched":[]`)
				if !ok {
					return false
				}
				e.scopeByLevel[cr.index][l+1] = obj
			}
		} else {
			var ok bool
			f, ok = both(cr, `"scope":[`, `],"matched":[]`, func(prov bool) Result {
				res := Result{rules: r, level: -1, ceiling: -1, scope: 1 << cr.index}
				if prov {
					res.scopeProv = 1 << cr.index
				}
				return res
			})
			if !ok {
				return false
			}
		}
		e.scope = append(e.scope, f)
	}
	e.unknown = make([][][]byte, MaxInputs)
	for _, in := range r.inputs {
		if in.index < 0 {
			continue
		}
		e.unknown[in.index] = make([][]byte, nl)
		for l := range nl {
			res := Result{rules: r, level: -1, ceiling: -1}
			res.reach[in.index] = int8(l) + 1
			_, rest, ok := cut(e.marshal(res), `"unknown":[`)
			if !ok {
				return false
			}
			obj, _, ok := cut(rest, `],"ceiling":`)
			if !ok {
				return false
			}
			e.unknown[in.index][l] = obj
		}
	}
	return true
}

// selfCheck renders synthetic results that hold every criterion, scope
// criterion and unknown together, at every level, both ways.
func (e *JSONEncoder) selfCheck() bool {
	r := e.r
	for l := -1; l < len(r.levels); l++ {
		for _, prov := range []bool{false, true} {
			res := Result{rules: r, level: int16(l), ceiling: int16(max(l-1, -1))}
			for _, cr := range r.criteria {
				res.matched.set(cr.index)
				if prov {
					res.provisional.set(cr.index)
				}
			}
			for _, cr := range r.scope {
				res.scope |= 1 << cr.index
				if prov && cr.Cond != nil {
					res.scopeProv |= 1 << cr.index
				}
			}
			for _, in := range r.inputs {
				if in.index >= 0 && l >= 0 {
					res.reach[in.index] = int8(l) + 1
				}
			}
			if !bytes.Equal(e.appendFast(nil, &res), e.marshal(res)) {
				return false
			}
		}
	}
	return true
}

// Append appends the JSON of res, byte for byte what res.MarshalJSON
// returns, to dst.
func (e *JSONEncoder) Append(dst []byte, res *Result) ([]byte, error) {
	if e.fallback || res.rules != e.r || res.level < -1 || res.ceiling < -1 {
		b, err := res.MarshalJSON()
		return append(dst, b...), err
	}
	return e.appendFast(dst, res), nil
}

func (e *JSONEncoder) appendFast(dst []byte, res *Result) []byte {
	r := e.r
	dst = append(dst, e.head[res.level+1][res.ceiling+1]...)
	if res.scope != 0 {
		dst = append(dst, "true"...)
	} else {
		dst = append(dst, "false"...)
	}
	dst = append(dst, `,"scope":[`...)
	first := true
	for _, cr := range r.scope {
		if res.scope&(1<<cr.index) == 0 {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		if cr.Cond == nil {
			dst = append(dst, e.scopeByLevel[cr.index][res.level+1]...)
			continue
		}
		dst = e.appendObject(dst, res, cr, &e.scope[cr.index], res.scopeProv&(1<<cr.index) != 0)
	}
	dst = append(dst, `],"matched":[`...)
	first = true
	for _, cr := range r.criteria {
		if !res.matched.has(cr.index) {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = e.appendObject(dst, res, cr, &e.crit[cr.index], res.provisional.has(cr.index))
	}
	dst = append(dst, `],"unknown":[`...)
	first = true
	for _, in := range r.inputs {
		if in.index < 0 || res.reach[in.index] == 0 {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, e.unknown[in.index][res.reach[in.index]-1]...)
	}
	dst = append(dst, ']')
	return append(dst, e.tail[res.level+1][res.ceiling+1]...)
}

func (e *JSONEncoder) appendObject(dst []byte, res *Result, cr *Criterion, f *fragments, prov bool) []byte {
	dst = append(dst, f.head...)
	dst = appendJSONString(dst, res.Because(cr))
	if prov {
		return append(dst, f.prov...)
	}
	return append(dst, f.tail...)
}

// appendJSONString appends s as encoding/json writes a string by default:
// with <, > and & escaped, U+2028 and U+2029 escaped, and invalid UTF-8
// replaced by U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
