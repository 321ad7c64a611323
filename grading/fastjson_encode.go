package grading

import (
	"bytes"
	"unicode/utf8"
)

// The fast encoder of results (see fastjson_parse.go).

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
