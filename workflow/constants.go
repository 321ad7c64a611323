package workflow

import (
	"fmt"
	"maps"
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Named constants (constants:): a value written once in the file — a
// table of the chain's levels, the list of the departments — that
// expressions name as const.<id>. Each use is replaced by the value when
// the expression compiles, so a constant costs nothing at run time and
// the type checker sees its real type.

// Constant is a named value of workflow.yaml.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it (Value included).
type Constant struct {
	ID, Label, Clause, Text, Interpretation string
	// Value is a string, bool, int, float64, []any or map[string]any of
	// those, as the YAML writes it.
	Value any
	at    diag.Range
	path  string
	// checked records the kinds of literal (actor, level …) its strings
	// were checked as, so that each is reported once.
	checked map[string]bool
}

// Range is where the constant is declared in workflow.yaml.
func (k *Constant) Range() diag.Range { return k.at }

// Constants returns the named constants in file order.
func (d *Definition) Constants() []*Constant { return d.consts }

func (c *compiler) constants(specs []constSpec) {
	for i, s := range specs {
		path := fmt.Sprintf("constants[%d]", i)
		if first, dup := c.d.constByID[s.ID]; dup {
			c.duplicate(s.Meta.At(), first.at, path+".id", "constant", s.ID, "give each constant its own id")
			continue
		}
		var raw any
		if err := s.Meta.File.DecodeYAML(s.Value, &raw); err != nil {
			c.badConst(s.Meta.At(), path+".value", s.ID, err.Error())
			continue
		}
		v, why := constValue(raw)
		if why != "" {
			at := s.Meta.File.Range(s.Value)
			if s.Value == nil { // value: with nothing after it
				at = s.Meta.At()
			}
			c.badConst(at, path+".value", s.ID, why)
			continue
		}
		k := &Constant{ID: s.ID, Label: s.Label, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation,
			Value: v, at: s.Meta.File.Range(s.Value), path: path + ".value", checked: map[string]bool{}}
		c.d.consts = append(c.d.consts, k)
		c.d.constByID[k.ID] = k
	}
}

func (c *compiler) badConst(at diag.Range, path, id, why string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadConstant, Subject: at, Path: path,
		Summary: fmt.Sprintf("constant %q: %s", id, why),
		Fix:     "write text, a number, true/false, or a list or mapping of those",
		Params:  map[string]string{"constant": id, "error": why}})
}

// constValue checks a decoded YAML value: scalars, lists and mappings with
// text keys; no nulls.
func constValue(v any) (any, string) {
	switch v := v.(type) {
	case string, bool, int, float64:
		return v, ""
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			x, why := constValue(e)
			if why != "" {
				return nil, fmt.Sprintf("item %d: %s", i, why)
			}
			out[i] = x
		}
		return out, ""
	case map[string]any:
		out := make(map[string]any, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			x, why := constValue(v[k])
			if why != "" {
				return nil, fmt.Sprintf("%s: %s", k, why)
			}
			out[k] = x
		}
		return out, ""
	case nil:
		return nil, "a constant cannot be empty (null)"
	}
	return nil, fmt.Sprintf("a value of type %T cannot be a constant (mapping keys must be text)", v)
}

func (c *compiler) constIDs() []string { return slices.Sorted(maps.Keys(c.d.constByID)) }

// constRef returns the constant a node names (const.<id>), if it does.
func (c *compiler) constRef(n ast.Node) (*Constant, bool) {
	var buf [3]string
	ch := member(&buf, n)
	if len(ch) != 2 || ch[0] != "const" {
		return nil, false
	}
	k, ok := c.d.constByID[ch[1]]
	return k, ok
}

// checkConstLiterals checks the strings of a constant compared with a
// chain of kind k (event.actor in const.departments): the constant's
// strings, or its keys when it is a mapping (in tests a mapping's keys).
// A mistake is reported at the constant's value, once per kind.
func (c *compiler) checkConstLiterals(k literalKind, kc *Constant) {
	key := k.what + "/" + k.field
	if kc.checked[key] {
		return
	}
	kc.checked[key] = true
	var strs []string
	switch v := kc.Value.(type) {
	case string:
		strs = []string{v}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				strs = append(strs, s)
			}
		}
	case map[string]any:
		strs = slices.Sorted(maps.Keys(v))
	}
	src := yamlx.String{Meta: yamlx.MetaAt(kc.at, "")}
	for _, s := range strs {
		c.checkLiteral(k, &ast.StringNode{Value: s}, src, kc.path)
	}
}

// constPatch replaces const.<id> by the constant's value; an unknown id
// is reported at its use, with a suggestion.
type constPatch struct {
	c    *compiler
	src  yamlx.String
	path string
}

func (v *constPatch) Visit(node *ast.Node) {
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	var buf [3]string
	ch := member(&buf, m)
	if len(ch) != 2 || ch[0] != "const" {
		return
	}
	k, found := v.c.d.constByID[ch[1]]
	if !found {
		loc := m.Location()
		v.c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownConstant, Subject: v.src.SubRange(loc.From, max(loc.To, loc.From+1)), Path: v.path,
			Summary: fmt.Sprintf("unknown constant %q", ch[1]),
			Fix:     "declare it under constants:." + diag.Suggest(ch[1], v.c.constIDs()),
			Params:  map[string]string{"constant": ch[1]}})
		return
	}
	ast.Patch(node, &ast.ConstantNode{Value: k.Value})
}
