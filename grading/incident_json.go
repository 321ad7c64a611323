package grading

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The general decoder of incidents: every incident the fast one
// (fastjson_parse.go) declines, and every error. It is one cohesive
// parser, kept in one file over the usual size. It reads the JSON itself,
// once, left to right, so that it can
//
//   - refuse a key given twice, also when one is written with escapes
//     ({"deaths":1,"d\u0065aths":40}): the last one does not silently win;
//   - name the line, the column and, inside a value, the field of a syntax
//     error (NaN, +12, 012, 0x10, a byte order mark), with what to write
//     instead;
//   - stop listing problems after MaxInputProblems, truncate what it
//     echoes, and go on only counting, without allocating, so that a 16 MB
//     line of unknown keys costs a scan, not gigabytes of messages.

// MaxInputProblems is the most problems ParseIncident lists for one
// incident; past it, one more problem (CodeInputTooManyProblems) says how
// many were not listed.
const MaxInputProblems = 20

// maxEcho is the most runes of a value or key an error repeats.
const maxEcho = 64

// maxDepth is the deepest nesting of lists and objects a value may have.
const maxDepth = 64

// jsonSyntaxError is where and why an incident is not JSON.
type jsonSyntaxError struct {
	at   int    // byte offset
	what string // what is wrong and what to write instead
}

type incidentDecoder struct {
	r    *Rules
	data []byte
	i    int
	errs InputErrors
	more int // problems past MaxInputProblems
	// first[j] is 1 + the offset of the first key naming
	// r.layout.inputs[j], for the message about a second one.
	first  []int
	keyBuf []byte
	// keyAt is the offset of the key of the member being read, -1
	// between members: a syntax error from there on is about its field.
	keyAt int
}

// parseGeneral decodes one incident, reporting every problem.
func (r *Rules) parseGeneral(data []byte) (Incident, error) {
	d := &incidentDecoder{r: r, data: data, first: make([]int, len(r.layout.inputs)), keyAt: -1}
	inc, serr := d.incident()
	if serr != nil {
		d.syntax(serr)
	}
	if d.more > 0 {
		d.errs = append(d.errs, &InputError{Code: CodeInputTooManyProblems, Field: incidentField,
			Message: fmt.Sprintf("has %d more problems, not listed: only the first %d are", d.more, MaxInputProblems),
			Params:  map[string]string{"count": strconv.Itoa(d.more), "max": strconv.Itoa(MaxInputProblems)}})
	}
	if len(d.errs) > 0 {
		return Incident{}, d.errs
	}
	return inc, nil
}

// problem records a problem, or counts it past the cap.
func (d *incidentDecoder) problem(e *InputError) {
	if len(d.errs) >= MaxInputProblems {
		d.more++
		return
	}
	d.errs = append(d.errs, e)
}

// full reports whether the next problem would only be counted, so that
// the caller need not build it.
func (d *incidentDecoder) full() bool { return len(d.errs) >= MaxInputProblems }

// lineCol gives the 1-based line and column (in runes) of a byte offset.
func lineCol(data []byte, at int) (int, int) {
	at = min(at, len(data))
	line := 1 + bytes.Count(data[:at], []byte{'\n'})
	start := bytes.LastIndexByte(data[:at], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:at])
}

// syntax records a syntax error, always: it is why decoding stopped.
func (d *incidentDecoder) syntax(e *jsonSyntaxError) {
	line, col := lineCol(d.data, e.at)
	field := d.fieldAt(e.at)
	msg := fmt.Sprintf("is not valid JSON at line %d, column %d: %s", line, col, e.what)
	code, value := CodeInputBadJSON, echo(tokenAt(d.data, e.at))
	switch {
	case len(bytes.TrimSpace(d.data)) == 0:
		code, msg = CodeInputNotObject, `is empty; send a JSON object such as {"deaths": 3}`
	case bytes.HasPrefix(d.data[e.at:], []byte("\xef\xbb\xbf")):
		value = "U+FEFF"
	}
	ie := &InputError{Code: code, Field: field, Value: value, Message: msg,
		Params: map[string]string{"line": strconv.Itoa(line), "column": strconv.Itoa(col), "offset": strconv.Itoa(e.at), "error": e.what}}
	d.errs = append(d.errs, ie)
}

// fieldAt names the field a syntax error at offset at is about: the key
// of the member it is in, if it is in one.
func (d *incidentDecoder) fieldAt(at int) string {
	if d.keyAt < 0 || at <= d.keyAt {
		return incidentField
	}
	k := &incidentDecoder{data: d.data, i: d.keyAt}
	key, err := k.str()
	if err != nil {
		return incidentField
	}
	return clipRunes(strings.ToValidUTF8(string(key), "\uFFFD"), maxEcho)
}

// curKey is the key of the member being read, for a message.
func (d *incidentDecoder) curKey() string {
	if f := d.fieldAt(len(d.data) + 1); f != incidentField {
		return f
	}
	return ""
}

// tokenAt is the text at offset at up to the next delimiter: what a syntax
// error repeats.
func tokenAt(data []byte, at int) []byte {
	if at >= len(data) {
		return nil
	}
	end := at + 1
	for end < len(data) && end-at < 4*maxEcho && bytes.IndexByte([]byte(",:{}[] \t\r\n"), data[end]) < 0 {
		end++
	}
	return data[at:end]
}

// echo is b as an error repeats it: valid UTF-8, at most maxEcho runes.
func echo(b []byte) string {
	s := strings.ToValidUTF8(string(b[:min(len(b), 4*maxEcho+4)]), "\uFFFD")
	return clipRunes(s, maxEcho)
}

func (d *incidentDecoder) fail(at int, format string, args ...any) *jsonSyntaxError {
	return &jsonSyntaxError{at: at, what: fmt.Sprintf(format, args...)}
}

func (d *incidentDecoder) skipWS() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// incident reads the whole input: one object and nothing after it.
func (d *incidentDecoder) incident() (Incident, *jsonSyntaxError) {
	inc := d.r.NewIncident()
	if bytes.HasPrefix(d.data, []byte("\xef\xbb\xbf")) {
		return inc, d.fail(0, "the input starts with a byte order mark (U+FEFF), which JSON text must not have (RFC 8259, 8.1); save it as UTF-8 without a BOM")
	}
	d.skipWS()
	if d.i >= len(d.data) {
		return inc, d.fail(d.i, "there is nothing here; send a JSON object such as {\"deaths\": 3}")
	}
	if d.data[d.i] != '{' {
		at := d.i
		kind, err := d.value(0)
		if err != nil && err.at == at {
			// Not even the start of a JSON value: deaths=3, a form post.
			line, col := lineCol(d.data, at)
			d.errs = append(d.errs, &InputError{Code: CodeInputNotObject, Field: incidentField, Value: echo(d.data[at:min(len(d.data), at+maxEcho)]),
				Message: fmt.Sprintf("is not a JSON object (line %d, column %d: %s); send an object such as {\"deaths\": 3}", line, col, err.what),
				Params:  map[string]string{"line": strconv.Itoa(line), "column": strconv.Itoa(col), "error": err.what}})
			return inc, nil
		}
		if err != nil {
			return inc, err
		}
		d.skipWS()
		if d.i < len(d.data) {
			return inc, d.fail(d.i, "unexpected %s after the value", d.describe(d.i))
		}
		msg := "is " + kind.noun() + ", not a JSON object; send an object such as {\"deaths\": 3}"
		if kind == kindNull {
			msg = "is null; send a JSON object such as {\"deaths\": 3}"
		}
		d.errs = append(d.errs, &InputError{Code: CodeInputNotObject, Field: incidentField, Message: msg, Params: map[string]string{"kind": kind.noun()}})
		return inc, nil
	}
	d.i++
	d.skipWS()
	if d.i < len(d.data) && d.data[d.i] == '}' {
		d.i++
	} else {
		for {
			if err := d.member(&inc); err != nil {
				return inc, err
			}
			d.skipWS()
			if d.i >= len(d.data) {
				return inc, d.fail(d.i, "the object ends before its closing }")
			}
			if c := d.data[d.i]; c == '}' {
				d.i++
				break
			} else if c != ',' {
				return inc, d.fail(d.i, "expected , or } after the value of %q, found %s", d.curKey(), d.describe(d.i))
			}
			d.i++
			d.keyAt = -1
			d.skipWS()
			if d.i < len(d.data) && d.data[d.i] == '}' {
				return inc, d.fail(d.i, "a comma before }: JSON allows no trailing comma; remove it")
			}
		}
	}
	d.keyAt = -1
	d.skipWS()
	if d.i < len(d.data) {
		d.errs = append(d.errs, &InputError{Code: CodeInputTrailingData, Field: incidentField, Value: echo(d.data[d.i:]),
			Message: fmt.Sprintf("has data after the JSON object, at line %d, column %d; send one object per incident", lineNo(d.data, d.i), colNo(d.data, d.i)),
			Params:  map[string]string{"line": strconv.Itoa(lineNo(d.data, d.i)), "column": strconv.Itoa(colNo(d.data, d.i))}})
	}
	return inc, nil
}

func lineNo(data []byte, at int) int { l, _ := lineCol(data, at); return l }
func colNo(data []byte, at int) int  { _, c := lineCol(data, at); return c }

// describe names the character at offset at for a message.
func (d *incidentDecoder) describe(at int) string {
	if at >= len(d.data) {
		return "the end of the input"
	}
	r, _ := utf8.DecodeRune(d.data[at:])
	if r == utf8.RuneError {
		return fmt.Sprintf("the byte 0x%02x", d.data[at])
	}
	return fmt.Sprintf("%q", r)
}

// member reads one "key": value and applies it to inc.
func (d *incidentDecoder) member(inc *Incident) *jsonSyntaxError {
	keyAt := d.i
	if d.i >= len(d.data) {
		return d.fail(d.i, "the object ends before its closing }")
	}
	switch c := d.data[d.i]; {
	case c == '\'':
		return d.fail(d.i, "a key in single quotes: JSON strings use double quotes, as in \"deaths\"")
	case c != '"':
		return d.fail(d.i, "expected a key in double quotes, such as \"deaths\", found %s", d.describe(d.i))
	}
	key, err := d.str()
	if err != nil {
		return err
	}
	d.keyAt = keyAt
	in, known := d.r.layout.byID[string(key)]
	var keyText string // the key, for a message, when it is needed
	if !known && !d.full() {
		keyText = clipRunes(strings.ToValidUTF8(string(key), "\uFFFD"), maxEcho)
	}
	d.skipWS()
	if d.i >= len(d.data) || d.data[d.i] != ':' {
		return d.fail(d.i, "expected : after the key %q, found %s", d.curKey(), d.describe(d.i))
	}
	d.i++
	d.skipWS()
	valAt := d.i
	kind, err := d.value(0)
	if err != nil {
		return err
	}
	raw := d.data[valAt:d.i]
	if !known {
		if d.full() {
			d.more++
			return nil
		}
		d.problem(unknownField(keyText, d.r.layout.names, "unknown field"))
		return nil
	}
	pos := d.inputPos(in)
	if first := d.first[pos]; first != 0 {
		if d.full() {
			d.more++
			return nil
		}
		l, c := lineCol(d.data, first-1)
		d.problem(&InputError{Code: CodeInputDuplicateField, Field: in.ID,
			Message: fmt.Sprintf("is given twice (first at line %d, column %d): an incident gives each fact once, so neither is taken", l, c),
			Params:  map[string]string{"field": in.ID, "line": strconv.Itoa(lineNo(d.data, keyAt)), "column": strconv.Itoa(colNo(d.data, keyAt)), "firstLine": strconv.Itoa(l), "firstColumn": strconv.Itoa(c)}})
		return nil
	}
	d.first[pos] = keyAt + 1
	if kind == kindNull {
		return nil // unknown, as if absent
	}
	if d.full() {
		// Past the cap only problems are counted: check without wording.
		if _, ok := d.convertRaw(in, kind, raw); !ok {
			d.more++
		}
		return nil
	}
	v, ok := d.convertRaw(in, kind, raw)
	if !ok {
		d.problem(badValue(in, echo(raw), CodeInputWrongType, wrongKind(in), nil))
		return nil
	}
	if err := inc.Set(in.ID, v); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.Value = echo(raw)
			if _, ok := ie.Params["value"]; ok {
				ie.Params["value"] = ie.Value
			}
			d.problem(ie)
		}
	}
	return nil
}

// inputPos is in's position in the layout.
func (d *incidentDecoder) inputPos(in *Input) int {
	for j, x := range d.r.layout.inputs {
		if x == in {
			return j
		}
	}
	return 0
}

// wrongKind says what an input takes.
func wrongKind(in *Input) string {
	switch in.Type {
	case List:
		return "must be a list of id strings"
	case Bool:
		return "must be true or false"
	case Enum:
		return "must be one of, least severe first: " + enumChoices(in)
	case Amount:
		return `must be a number or an amount such as "5000万"`
	}
	return "must be a number"
}

// convertRaw turns a JSON value into what Set takes for in, or false when
// it is of a kind in cannot take at all.
func (d *incidentDecoder) convertRaw(in *Input, kind jsonKind, raw []byte) (any, bool) {
	switch kind {
	case kindString:
		s, _ := unquote(raw)
		return s, in.Type != List
	case kindNumber:
		return json.Number(raw), in.Type != List
	case kindTrue, kindFalse:
		return kind == kindTrue, in.Type != List
	case kindArray:
		if in.Type != List {
			return nil, false
		}
		var ids []string
		if err := json.Unmarshal(raw, &ids); err != nil {
			return nil, false
		}
		if len(ids) == 0 {
			ids = nil // as the fast path has it
		}
		return ids, true
	}
	return nil, false
}

type jsonKind int

const (
	kindNull jsonKind = iota
	kindTrue
	kindFalse
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k jsonKind) noun() string {
	return [...]string{"null", "true", "false", "a number", "a string", "a list", "an object"}[k]
}

// value reads one JSON value, checking its grammar.
func (d *incidentDecoder) value(depth int) (jsonKind, *jsonSyntaxError) {
	if d.i >= len(d.data) {
		return 0, d.fail(d.i, "a value is missing at the end of the input")
	}
	if depth > maxDepth {
		return 0, d.fail(d.i, "lists and objects nest more than %d deep", maxDepth)
	}
	at := d.i
	switch c := d.data[d.i]; {
	case c == '"':
		_, err := d.str()
		return kindString, err
	case c == '-' || c >= '0' && c <= '9':
		return kindNumber, d.number()
	case c == '{':
		return kindObject, d.object(depth)
	case c == '[':
		return kindArray, d.array(depth)
	case c == 't':
		return kindTrue, d.literal("true")
	case c == 'f':
		return kindFalse, d.literal("false")
	case c == 'n':
		return kindNull, d.literal("null")
	case c == '+':
		return 0, d.fail(at, "a JSON number has no plus sign; write %s", d.digitsAfter(at+1, "12"))
	case c == '.':
		return 0, d.fail(at, "a JSON number starts with a digit; write 0%s", d.digitsAfter(at, ".5"))
	case c == 'N' && bytes.HasPrefix(d.data[at:], []byte("NaN")),
		c == 'I' && bytes.HasPrefix(d.data[at:], []byte("Infinity")):
		return 0, d.fail(at, "NaN and Infinity are not JSON numbers, and no count or amount is either; give a number, or leave the field out if it is not known")
	case c == '\'':
		return 0, d.fail(at, "a string in single quotes: JSON strings use double quotes")
	case c == ',' || c == '}' || c == ']':
		return 0, d.fail(at, "a value is missing before %s", d.describe(at))
	}
	return 0, d.fail(at, "%s cannot start a JSON value", d.describe(at))
}

// digitsAfter is the run of number characters at from, or example.
func (d *incidentDecoder) digitsAfter(from int, example string) string {
	j := from
	for j < len(d.data) && j-from < 24 && strings.IndexByte("0123456789.eE+-", d.data[j]) >= 0 {
		j++
	}
	if j == from {
		return example
	}
	return string(d.data[from:j])
}

func (d *incidentDecoder) literal(word string) *jsonSyntaxError {
	if !bytes.HasPrefix(d.data[d.i:], []byte(word)) {
		j := d.i
		for j < len(d.data) && j-d.i < maxEcho && (d.data[j] >= 'a' && d.data[j] <= 'z' || d.data[j] >= 'A' && d.data[j] <= 'Z') {
			j++
		}
		return d.fail(d.i, "%q is not a JSON value; the words JSON has are true, false and null", string(d.data[d.i:max(j, d.i+1)]))
	}
	d.i += len(word)
	return nil
}

// number reads a JSON number, naming the common mistakes.
func (d *incidentDecoder) number() *jsonSyntaxError {
	at := d.i
	if d.data[d.i] == '-' {
		d.i++
		if bytes.HasPrefix(d.data[d.i:], []byte("Infinity")) {
			return d.fail(at, "NaN and Infinity are not JSON numbers, and no count or amount is either; give a number, or leave the field out if it is not known")
		}
		if d.i >= len(d.data) || d.data[d.i] < '0' || d.data[d.i] > '9' {
			return d.fail(at, "a minus sign must be followed by digits")
		}
	}
	if d.data[d.i] == '0' && d.i+1 < len(d.data) {
		switch c := d.data[d.i+1]; {
		case c == 'x' || c == 'X':
			j := d.i + 2
			for j < len(d.data) && j-d.i < 18 && strings.IndexByte("0123456789abcdefABCDEF", d.data[j]) >= 0 {
				j++
			}
			if n, err := strconv.ParseUint(string(d.data[d.i+2:j]), 16, 64); err == nil {
				return d.fail(at, "JSON numbers are decimal; write %s as %d", string(d.data[at:j]), n)
			}
			return d.fail(at, "JSON numbers are decimal, not hexadecimal")
		case c >= '0' && c <= '9':
			j := d.i
			for j < len(d.data) && d.data[j] >= '0' && d.data[j] <= '9' {
				j++
			}
			plain := strings.TrimLeft(string(d.data[d.i:j]), "0")
			if plain == "" {
				plain = "0"
			}
			return d.fail(at, "a JSON number has no leading zeros; write %s as %s", clipRunes(string(d.data[at:j]), maxEcho), clipRunes(plain, maxEcho))
		}
	}
	end, _ := numberEnd(d.data, d.i)
	if end < 0 {
		// Find which part is missing its digits.
		j := d.i
		for j < len(d.data) && d.data[j] >= '0' && d.data[j] <= '9' {
			j++
		}
		if j < len(d.data) && d.data[j] == '.' {
			return d.fail(at, "a decimal point must be followed by digits; write %s0 or %s", string(d.data[at:j+1]), string(d.data[at:j]))
		}
		return d.fail(at, "an exponent (e) must be followed by digits")
	}
	d.i = end
	if d.i < len(d.data) {
		if c := d.data[d.i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' {
			return d.fail(at, "%s is not a JSON number", clipRunes(string(d.data[at:min(len(d.data), d.i+8)]), maxEcho))
		}
	}
	return nil
}

// str reads a JSON string at d.i and returns its content, unescaped, in
// d.keyBuf (valid until the next call).
func (d *incidentDecoder) str() ([]byte, *jsonSyntaxError) {
	at := d.i
	d.i++
	d.keyBuf = d.keyBuf[:0]
	for {
		if d.i >= len(d.data) {
			return nil, d.fail(at, "a string is not closed: a \" is missing")
		}
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			return d.keyBuf, nil
		case c < 0x20:
			return nil, d.fail(d.i, "a control character (U+%04X) inside a string; write it escaped, as \\n or \\u%04x", c, c)
		case c == '\\':
			if err := d.escape(); err != nil {
				return nil, err
			}
		case c < utf8.RuneSelf:
			d.keyBuf = append(d.keyBuf, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.data[d.i:])
			d.keyBuf = utf8.AppendRune(d.keyBuf, r) // invalid UTF-8 becomes U+FFFD, as encoding/json reads it
			d.i += size
		}
	}
}

// escape reads one escape sequence at d.i into d.keyBuf.
func (d *incidentDecoder) escape() *jsonSyntaxError {
	at := d.i
	if d.i+1 >= len(d.data) {
		return d.fail(at, "a string ends in the middle of an escape")
	}
	c := d.data[d.i+1]
	d.i += 2
	switch c {
	case '"', '\\', '/':
		d.keyBuf = append(d.keyBuf, c)
	case 'b':
		d.keyBuf = append(d.keyBuf, '\b')
	case 'f':
		d.keyBuf = append(d.keyBuf, '\f')
	case 'n':
		d.keyBuf = append(d.keyBuf, '\n')
	case 'r':
		d.keyBuf = append(d.keyBuf, '\r')
	case 't':
		d.keyBuf = append(d.keyBuf, '\t')
	case 'u':
		r, ok := d.hex4()
		if !ok {
			return d.fail(at, "\\u must be followed by four hexadecimal digits")
		}
		if utf16.IsSurrogate(r) {
			r2 := rune(utf8.RuneError)
			if d.i+1 < len(d.data) && d.data[d.i] == '\\' && d.data[d.i+1] == 'u' {
				save := d.i
				d.i += 2
				if lo, ok := d.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
					r2 = utf16.DecodeRune(r, lo)
				} else {
					d.i = save
				}
			}
			r = r2
		}
		d.keyBuf = utf8.AppendRune(d.keyBuf, r)
	default:
		return d.fail(at, "\\%c is not a JSON escape; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX", rune(c))
	}
	return nil
}

func (d *incidentDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.data[d.i:d.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(n), true
}

func (d *incidentDecoder) object(depth int) *jsonSyntaxError {
	d.i++
	d.skipWS()
	if d.i < len(d.data) && d.data[d.i] == '}' {
		d.i++
		return nil
	}
	for {
		if d.i >= len(d.data) || d.data[d.i] != '"' {
			return d.fail(d.i, "expected a key in double quotes, found %s", d.describe(d.i))
		}
		if _, err := d.str(); err != nil {
			return err
		}
		d.skipWS()
		if d.i >= len(d.data) || d.data[d.i] != ':' {
			return d.fail(d.i, "expected : after a key, found %s", d.describe(d.i))
		}
		d.i++
		d.skipWS()
		if _, err := d.value(depth + 1); err != nil {
			return err
		}
		d.skipWS()
		if d.i < len(d.data) && d.data[d.i] == '}' {
			d.i++
			return nil
		}
		if d.i >= len(d.data) || d.data[d.i] != ',' {
			return d.fail(d.i, "expected , or } in an object, found %s", d.describe(d.i))
		}
		d.i++
		d.skipWS()
	}
}

func (d *incidentDecoder) array(depth int) *jsonSyntaxError {
	d.i++
	d.skipWS()
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		return nil
	}
	for {
		if _, err := d.value(depth + 1); err != nil {
			return err
		}
		d.skipWS()
		if d.i < len(d.data) && d.data[d.i] == ']' {
			d.i++
			return nil
		}
		if d.i >= len(d.data) || d.data[d.i] != ',' {
			return d.fail(d.i, "expected , or ] in a list, found %s", d.describe(d.i))
		}
		d.i++
		d.skipWS()
		if d.i < len(d.data) && d.data[d.i] == ']' {
			return d.fail(d.i, "a comma before ]: JSON allows no trailing comma; remove it")
		}
	}
}

// unquote is the content of a JSON string known to be valid.
func unquote(raw []byte) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}
