package yamlx

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/file"
	"github.com/yingji/yingji/diag"
)

// Meta records where an item came from. A struct field named Meta of this
// type (tagged `yaml:"-"`) is filled by the decoder.
//
// It is the item's node and file, 24 bytes: its range and its path are
// worked out when asked for (At, Path), not when the item is decoded, as
// a plan's files hold thousands of items and most are never the subject
// of a diagnostic.
type Meta struct {
	Node *Node `json:"-" yaml:"-"`
	File *File `json:"-" yaml:"-"`

	given *given // for an item no node holds (MetaAt)
}

// given is the range and path of a Meta made by MetaAt.
type given struct {
	at   diag.Range
	path string
}

// At is the source range of the item: a scalar's whole value as written,
// a collection's first character.
func (m Meta) At() diag.Range {
	switch {
	case m.given != nil:
		return m.given.at
	case m.File == nil:
		return diag.Range{}
	}
	return m.File.Range(m.Node)
}

// Range of the item, for diagnostics; the same as At.
func (m Meta) Range() diag.Range { return m.At() }

// Path is the YAML path of the item ("levels[0].criteria[1]"), found in
// its file's tree: for a diagnostic, not for every item.
func (m Meta) Path() string {
	switch {
	case m.given != nil:
		return m.given.path
	case m.File == nil:
		return ""
	}
	return m.File.PathOf(m.Node)
}

// MetaAt is the Meta of an item that no node of a file holds, placed at
// at (say a value built from another), with the YAML path path.
func MetaAt(at diag.Range, path string) Meta {
	return Meta{given: &given{at: at, path: path}}
}

// Meta is the Meta of node n of the file being decoded: for an
// Unmarshaler that builds items itself.
func (d *Decoder) Meta(n *Node) Meta {
	return Meta{Node: n, File: d.File}
}

// String is a string value that remembers its node, so a position inside the
// value (an expression's error column) maps back to the file.
type String struct {
	Value string
	Meta
}

// SubRange is the source range of runes [from, to) of the value.
func (s String) SubRange(from, to int) diag.Range {
	if s.File == nil || s.given != nil {
		return s.At()
	}
	return s.File.SubRange(s.Node, from, to)
}

// Set reports whether the value was present in the file.
func (s String) Set() bool { return s.Node != nil }

// Unmarshaler is implemented by types that decode themselves from a node.
type Unmarshaler interface {
	UnmarshalYAMLX(d *Decoder, n *Node, path string)
}

// Decoder decodes nodes of one file strictly: unknown keys, duplicate keys,
// missing required keys and wrong kinds are all diagnostics, and decoding
// goes on after each so that every problem is reported at once.
type Decoder struct {
	File  *File
	Diags diag.Diagnostics

	limits    map[string]*limitState
	nextLimit string                       // the limit of the list being decoded, from its field's tag
	path      []itemPath                   // the path of the item being decoded, from the root
	tables    *Tables                      // field tables built before, or nil
	structs   map[reflect.Type]*structInfo // field tables, built once per type per file
	lastType  reflect.Type                 // the type structOf last looked up, and its table
	lastInfo  *structInfo
}

// A Limit caps how many items of one kind Decode builds over a whole file:
// the items of every list whose struct field is tagged
// `yaml:"name,limit=Name"`. Items past Max are not decoded at all — a file
// with 428,000 criteria costs what its first Max do — and Exceeded makes
// the one diagnostic about them, at the first item past Max, once the
// whole file has been counted (total is the number of such items in it).
type Limit struct {
	Name     string
	Max      int
	Exceeded func(at diag.Range, total int) diag.Diagnostic
}

type limitState struct {
	Limit
	total int
	first *Node // the first item past Max
}

// Decode decodes the file's root into v (a pointer), under limits.
func (f *File) Decode(v any, limits ...Limit) diag.Diagnostics {
	return f.DecodeWith(nil, v, limits...)
}

// DecodeWith is Decode with the field tables of v's types built already
// (TablesFor); nil builds them as they are met.
func (f *File) DecodeWith(t *Tables, v any, limits ...Limit) diag.Diagnostics {
	d := &Decoder{File: f, tables: t}
	if f.Root == nil {
		d.Errorf(diag.CodeYAMLEmpty, nil, "", "add the file's content, or remove it from plan.yaml", "%s is empty", f.Name)
		return d.Diags
	}
	for _, l := range limits {
		if d.limits == nil {
			d.limits = map[string]*limitState{}
		}
		d.limits[l.Name] = &limitState{Limit: l}
	}
	d.Decode(f.Root, "", reflect.ValueOf(v).Elem())
	for _, l := range limits {
		st := d.limits[l.Name]
		if st.first != nil && l.Exceeded != nil {
			d.Diags = append(d.Diags, l.Exceeded(f.Range(st.first), st.total))
		}
	}
	return d.Diags
}

// Exceeded reports whether the limit named name was passed, so that a
// caller can tell items left out from items never written.
func (d *Decoder) Exceeded(name string) bool {
	st, ok := d.limits[name]
	return ok && st.first != nil
}

// allowance returns how many items of a list to decode under the limit
// its field names, counting them all.
func (d *Decoder) allowance(n *Node) int {
	name := d.nextLimit
	d.nextLimit = ""
	st, ok := d.limits[name]
	if !ok {
		return len(n.Content)
	}
	left := max(st.Max-st.total, 0)
	st.total += len(n.Content)
	if len(n.Content) > left && st.first == nil {
		st.first = n.Content[left]
	}
	return min(left, len(n.Content))
}

// Errorf records an error at node n.
func (d *Decoder) Errorf(code string, n *Node, path, fix, format string, args ...any) {
	d.Diags = append(d.Diags, diag.Diagnostic{Severity: diag.Error, Code: code, Subject: d.File.Range(n), Path: path,
		Summary: fmt.Sprintf(format, args...), Fix: fix})
}

// Decode decodes n into v.
func (d *Decoder) Decode(n *Node, path string, v reflect.Value) {
	d.enter(itemPath{base: path})
	d.decode(n, v)
	d.leave()
}

// itemPath is one step of the YAML path of the item being decoded: the
// decoder keeps the steps from the root (Decoder.path) and joins them
// only when a path is needed (an error shows it, an Unmarshaler receives
// it), which for most items is never.
type itemPath struct {
	base string // for pathWhole: the path Decode was given
	key  string // for pathKey: the mapping key
	idx  int32  // for pathIndex: the list index
	kind uint8  // pathWhole, pathKey or pathIndex
}

const (
	pathWhole = iota
	pathKey
	pathIndex
)

// pathString joins the path of the item being decoded.
func (d *Decoder) pathString() string {
	from := 0
	for i := len(d.path) - 1; i >= 0; i-- {
		if d.path[i].kind == pathWhole {
			from = i
			break
		}
	}
	var b strings.Builder
	for _, p := range d.path[from:] {
		switch p.kind {
		case pathKey:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p.key)
		case pathIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(int(p.idx)))
			b.WriteByte(']')
		default:
			b.WriteString(p.base)
		}
	}
	return b.String()
}

// enter and leave bracket the decoding of a child item.
func (d *Decoder) enter(p itemPath) { d.path = append(d.path, p) }
func (d *Decoder) leave()           { d.path = d.path[:len(d.path)-1] }

var (
	stringType  = reflect.TypeFor[String]()
	nodePtrType = reflect.TypeFor[*Node]()
	metaType    = reflect.TypeFor[Meta]()
)

// decode decodes n into v.
func (d *Decoder) decode(n *Node, v reflect.Value) {
	for n.Kind == AliasNode && n.Target() != nil {
		n = n.Target()
	}
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(Unmarshaler); ok {
			u.UnmarshalYAMLX(d, n, d.pathString())
			return
		}
	}
	switch v.Type() {
	case stringType:
		if !d.expectScalar(n) {
			return
		}
		s := String{Value: n.Value, Meta: Meta{Node: n, File: d.File}}
		if v.CanAddr() {
			*v.Addr().Interface().(*String) = s
		} else {
			v.Set(reflect.ValueOf(s))
		}
		return
	case nodePtrType:
		v.Set(reflect.ValueOf(n))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem())
	case reflect.Struct:
		d.decodeStruct(n, v)
	case reflect.Slice:
		if n.Kind != SequenceNode {
			path := d.pathString()
			d.Errorf(diag.CodeYAMLWrongKind, n, path, "write a list: one item per line starting with \"- \"", "%s must be a list, not %s", pathName(path), kindName(n))
			return
		}
		keep := d.allowance(n)
		s := reflect.MakeSlice(v.Type(), keep, keep)
		for i, c := range n.Content[:keep] {
			d.enter(itemPath{idx: int32(i), kind: pathIndex})
			d.decode(c, s.Index(i))
			d.leave()
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != MappingNode {
			path := d.pathString()
			d.Errorf(diag.CodeYAMLWrongKind, n, path, "write a mapping of key: value lines", "%s must be a mapping, not %s", pathName(path), kindName(n))
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				d.Errorf(diag.CodeYAMLDuplicateKey, k, joinPath(d.pathString(), k.Value), "remove one of the two", "key %q appears twice", k.Value)
				continue
			}
			seen[k.Value] = true
			e := reflect.New(v.Type().Elem()).Elem()
			d.enter(itemPath{key: k.Value, kind: pathKey})
			d.decode(val, e)
			d.leave()
			m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), e)
		}
		v.Set(m)
	case reflect.String:
		if d.expectScalar(n) {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		if !d.expectScalar(n) {
			return
		}
		switch n.Value {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			path := d.pathString()
			d.Errorf(diag.CodeYAMLWrongType, n, path, "write true or false", "%s must be true or false, not %q", pathName(path), n.Value)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if !d.expectScalar(n) {
			return
		}
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil || v.OverflowInt(i) {
			path := d.pathString()
			d.Errorf(diag.CodeYAMLWrongType, n, path, "write a whole number such as 15", "%s must be a whole number, not %q", pathName(path), n.Value)
			return
		}
		v.SetInt(i)
	case reflect.Float64:
		if !d.expectScalar(n) {
			return
		}
		x, err := strconv.ParseFloat(n.Value, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			path := d.pathString()
			d.Errorf(diag.CodeYAMLWrongType, n, path, "write a finite number such as 1.5", "%s must be a number, not %q", pathName(path), n.Value)
			return
		}
		v.SetFloat(x)
	default:
		panic(fmt.Sprintf("yamlx: cannot decode into %s", v.Type()))
	}
}

func (d *Decoder) expectScalar(n *Node) bool {
	if n.Kind == ScalarNode {
		return true
	}
	path := d.pathString()
	d.Errorf(diag.CodeYAMLWrongKind, n, path, "write a single value here", "%s must be a single value, not %s", pathName(path), kindName(n))
	return false
}

type fieldInfo struct {
	name     string
	index    int
	required bool
	limit    string // the Limit its list counts against
}

// structInfo is what decoding a struct type needs, read off the type once.
type structInfo struct {
	fields []fieldInfo
	names  []string // the fields' keys, in order
	meta   []int    // index of the Meta field, or nil
}

func (d *Decoder) structOf(t reflect.Type) *structInfo {
	// The items of a list are of one type: the last one found answers
	// most lookups without hashing the type.
	if t == d.lastType {
		return d.lastInfo
	}
	if d.tables != nil {
		if si, ok := d.tables.structs[t]; ok {
			d.lastType, d.lastInfo = t, si
			return si
		}
	}
	if si, ok := d.structs[t]; ok {
		d.lastType, d.lastInfo = t, si
		return si
	}
	si := newStructInfo(t)
	if d.structs == nil {
		d.structs = map[reflect.Type]*structInfo{}
	}
	d.structs[t] = si
	d.lastType, d.lastInfo = t, si
	return si
}

func newStructInfo(t reflect.Type) *structInfo {
	si := &structInfo{fields: fieldsOf(t)}
	si.names = make([]string, len(si.fields))
	for i, f := range si.fields {
		si.names[i] = f.name
	}
	if f, ok := t.FieldByName("Meta"); ok && f.Type == metaType {
		si.meta = f.Index
	}
	return si
}

// Tables are the field tables of the struct types a file decodes into,
// built once — by a package-level variable, at initialisation — so that
// decoding a file does not read every struct tag again. Tables are
// immutable and safe for concurrent use.
type Tables struct {
	structs map[reflect.Type]*structInfo
}

// TablesFor builds the tables of v's type (the file's root struct, or a
// pointer to it) and of every struct type its fields reach.
func TablesFor(v any) *Tables {
	t := &Tables{structs: map[reflect.Type]*structInfo{}}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		switch rt.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(rt.Elem())
		case reflect.Struct:
			if _, done := t.structs[rt]; done || rt == stringType || rt == metaType {
				return
			}
			si := newStructInfo(rt)
			t.structs[rt] = si
			for _, f := range si.fields {
				walk(rt.Field(f.index).Type)
			}
		}
	}
	walk(reflect.TypeOf(v))
	return t
}

func fieldsOf(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		if tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = strings.ToLower(sf.Name[:1]) + sf.Name[1:]
		}
		fi := fieldInfo{name: name, index: i}
		for _, o := range strings.Split(opts, ",") {
			switch {
			case o == "required":
				fi.required = true
			case strings.HasPrefix(o, "limit="):
				fi.limit = strings.TrimPrefix(o, "limit=")
			}
		}
		out = append(out, fi)
	}
	return out
}

func (d *Decoder) decodeStruct(n *Node, v reflect.Value) {
	si := d.structOf(v.Type())
	if si.meta != nil {
		f := v.FieldByIndex(si.meta)
		if f.CanAddr() {
			*f.Addr().Interface().(*Meta) = d.Meta(n)
		} else {
			f.Set(reflect.ValueOf(d.Meta(n)))
		}
	}
	if n.Kind != MappingNode {
		path := d.pathString()
		d.Errorf(diag.CodeYAMLWrongKind, n, path, "write a mapping of key: value lines", "%s must be a mapping, not %s", pathName(path), kindName(n))
		return
	}
	fields, names := si.fields, si.names
	// seen marks the fields already given; a bit set for the usual small
	// struct, a slice past 64 fields.
	var seenBits uint64
	var seenMany []bool
	if len(fields) > 64 {
		seenMany = make([]bool, len(fields))
	}
	seen := func(j int) bool {
		if seenMany != nil {
			return seenMany[j]
		}
		return seenBits&(1<<j) != 0
	}
	var unknown []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		j := slices.Index(names, k.Value)
		if j < 0 {
			kp := joinPath(d.pathString(), k.Value)
			unknown = append(unknown, k.Value)
			d.Errorf(diag.CodeYAMLUnknownKey, k, kp, "remove it or correct its spelling; allowed keys here: "+strings.Join(names, ", ")+"."+diag.Suggest(k.Value, names),
				"unknown key %q", k.Value)
			continue
		}
		if seen(j) {
			d.Errorf(diag.CodeYAMLDuplicateKey, k, joinPath(d.pathString(), k.Value), "remove one of the two", "key %q appears twice", k.Value)
			continue
		}
		if seenMany != nil {
			seenMany[j] = true
		} else {
			seenBits |= 1 << j
		}
		if val.Kind == ScalarNode && val.Tag == TagNull {
			continue
		}
		d.nextLimit = fields[j].limit
		d.enter(itemPath{key: k.Value, kind: pathKey})
		d.decode(val, v.Field(fields[j].index))
		d.leave()
		d.nextLimit = ""
	}
	for j, f := range fields {
		if !f.required || seen(j) {
			continue
		}
		// A required key misspelt is one error, the unknown key's with its
		// "Did you mean": the key's absence only follows from it.
		misspelt := slices.ContainsFunc(unknown, func(k string) bool { return diag.Suggest(k, []string{f.name}) != "" })
		if !misspelt {
			path := d.pathString()
			d.Errorf(diag.CodeYAMLMissingKey, n, path, fmt.Sprintf("add %q here", f.name), "%s has no %q", pathName(path), f.name)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func pathName(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

func kindName(n *Node) string {
	switch n.Kind {
	case MappingNode:
		return "a mapping"
	case SequenceNode:
		return "a list"
	case ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "nothing"
}

var lineRE = regexp.MustCompile(`line (\d+)(?:, column (\d+))?: (.*)`)

func syntaxDiagnostic(f *File, err error) diag.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, col := 1, 1
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
		}
		msg = m[3]
	}
	start := f.Pos(line, col)
	return diag.Diagnostic{
		Severity: diag.Error, Code: diag.CodeYAMLSyntax,
		Summary: "YAML syntax error: " + msg,
		Fix:     "check indentation and quoting on this line or the one before it",
		Subject: diag.Range{Filename: f.Name, Start: start, End: f.advance(start, 1)},
	}
}

// ExprError maps an error from compiling the string's value as an expr
// expression to the characters it is about in the file, and returns expr's
// message without its own (misplaced, under wide text) snippet.
func (s String) ExprError(err error) (diag.Range, string) {
	var fe *file.Error
	if errors.As(err, &fe) {
		return s.SubRange(fe.From, max(fe.To, fe.From+1)), fe.Message
	}
	return s.At(), err.Error()
}
