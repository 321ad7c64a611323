package workflow

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/vm/runtime"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// The expression policy: what a workflow expression may call, in one
// place. A rule file is data a hostile or careless author may write, so an
// expression may use only what the data declares and functions that are
// pure — they read no clock, no time zone, no environment and no file — and
// whatever it builds counts against the memory budget.
//
// Until the plan's shared rule (grading's pure-function list) is available
// to every package, this file is that list for workflow expressions; the
// two must say the same, and the shared one replaces this one.

// impure lists expr's builtins that read outside the expression, with why:
// the load-time diagnostic says it, at the call.
var impure = map[string]string{
	"now":      "reads the clock; times come from the event (event.occurredAt) and the instance",
	"date":     "reads the local time zone (and, given a zone name, the time-zone database on disk); a time is data with its offset, and periods are counted by within: and window:",
	"timezone": "reads the time-zone database on disk; write the UTC offset (clock: \"+08:00\")",
}

// budgetBytesPerUnit converts the memory budget (expr's units, roughly one
// per value) to the bytes of strings and lists that functions and + may
// build in one evaluation.
const budgetBytesPerUnit = 64

// metered lists the builtins whose result may be much larger than their
// arguments, or is a fresh copy of them: each call is charged what it will
// build before it builds it, so that nested or repeated calls cannot
// allocate without bound (repeat(repeat("a", 99999), 1000000) is refused
// before the 100 GB are asked for).
var metered = map[string]func(args []any) int{
	"repeat": func(a []any) int {
		s, _ := a[0].(string)
		return mulSat(len(s), runtime.ToInt(a[1]))
	},
	"replace": func(a []any) int {
		s, _ := a[0].(string)
		if len(a) < 3 {
			return len(s)
		}
		old, _ := a[1].(string)
		repl, _ := a[2].(string)
		return addSat(len(s), mulSat(strings.Count(s, old), len(repl)))
	},
	"join": func(a []any) int {
		n := sizeOf(a[0])
		if len(a) > 1 {
			glue, _ := a[1].(string)
			n = addSat(n, mulSat(lenOf(a[0]), len(glue)))
		}
		return n
	},
	"upper":      func(a []any) int { return mulSat(sizeOf(a[0]), 2) },
	"lower":      func(a []any) int { return mulSat(sizeOf(a[0]), 2) },
	"string":     func(a []any) int { return mulSat(sizeOf(a[0]), 2) },
	"toJSON":     func(a []any) int { return mulSat(sizeOf(a[0]), 2) },
	"toBase64":   func(a []any) int { return base64.StdEncoding.EncodedLen(sizeOf(a[0])) },
	"fromBase64": func(a []any) int { return sizeOf(a[0]) },
	"fromJSON":   func(a []any) int { return mulSat(sizeOf(a[0]), 4) },
	"split":      splitSize,
	"splitAfter": splitSize,
	"uniq":       func(a []any) int { return sizeOf(a[0]) },
	"keys":       func(a []any) int { return sizeOf(a[0]) },
	"values":     func(a []any) int { return sizeOf(a[0]) },
	"toPairs":    func(a []any) int { return mulSat(sizeOf(a[0]), 2) },
	"fromPairs":  func(a []any) int { return sizeOf(a[0]) },
	"take":       func(a []any) int { return sizeOf(a[0]) },
}

func splitSize(a []any) int {
	s, _ := a[0].(string)
	sep := ""
	if len(a) > 1 {
		sep, _ = a[1].(string)
	}
	parts := utf8.RuneCountInString(s) + 1
	if sep != "" {
		parts = strings.Count(s, sep) + 1
	}
	return addSat(len(s), mulSat(parts, 16))
}

// sizeOf estimates the bytes a value holds: its strings, and 16 for every
// other element, key or number.
func sizeOf(v any) int {
	switch v := v.(type) {
	case string:
		return len(v)
	case []string:
		n := 0
		for _, s := range v {
			n = addSat(n, len(s)+16)
		}
		return n
	case []any:
		n := 0
		for _, e := range v {
			n = addSat(n, sizeOf(e)+16)
		}
		return n
	case map[string]any:
		n := 0
		for k, e := range v {
			n = addSat(n, len(k)+sizeOf(e)+32)
		}
		return n
	case map[string]string:
		n := 0
		for k, e := range v {
			n = addSat(n, len(k)+len(e)+32)
		}
		return n
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return mulSat(rv.Len(), 32)
	}
	return 16
}

func lenOf(v any) int {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String:
		return rv.Len()
	}
	return 0
}

func addSat(a, b int) int {
	if b > math.MaxInt-a {
		return math.MaxInt
	}
	return a + b
}

func mulSat(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt/b {
		return math.MaxInt
	}
	return a * b
}

// meter counts what the metered functions and + build in one evaluation.
// The applier resets it before every evaluation.
type meter struct{ used, limit int }

// errBudget is an evaluation that would build more than the budget
// allows; the rule it stops rejects the event (CodeGuardError).
var errBudget = errors.New("the expression would build more than its memory budget allows")

func (m *meter) charge(n int) error {
	if m == nil {
		return errBudget
	}
	m.used = addSat(m.used, n)
	if m.used > m.limit {
		return fmt.Errorf("%w (%d bytes of strings and lists; MemoryBudget allows %d)", errBudget, m.used, m.limit)
	}
	return nil
}

// meteredFunctions are the stand-ins the compiled program calls: $name
// for each metered builtin, and $plus for + on strings and lists. Each
// takes the meter first.
func meteredFunctions() []expr.Option {
	var out []expr.Option
	for _, name := range slices.Sorted(maps.Keys(metered)) {
		size := metered[name]
		fn := builtin.Builtins[builtin.Index[name]]
		out = append(out, expr.Function("$"+name, func(p ...any) (any, error) {
			m, _ := p[0].(*meter)
			args := p[1:]
			if err := m.charge(size(args)); err != nil {
				return nil, err
			}
			switch {
			case fn.Func != nil:
				return fn.Func(args...)
			case fn.Safe != nil:
				out, _, err := fn.Safe(args...)
				return out, err
			case fn.Fast != nil && len(args) == 1:
				return fn.Fast(args[0]), nil
			}
			return nil, fmt.Errorf("%s: cannot be called here", name)
		}, new(func(*meter, ...any) any)))
	}
	out = append(out, expr.Function("$plus", func(p ...any) (any, error) {
		m, _ := p[0].(*meter)
		a, b := p[1], p[2]
		switch a.(type) {
		case string, []any, []string:
			if err := m.charge(addSat(sizeOf(a), sizeOf(b))); err != nil {
				return nil, err
			}
		}
		return runtime.Add(a, b), nil
	}, new(func(*meter, any, any) any)))
	return out
}

// purityCheck walks an expression as written and reports, at the call,
// every use of an impure builtin, every method call (values such as times
// carry methods that read the local zone) and every name the engine
// reserves ($…).
type purityCheck struct {
	src   yamlx.String
	path  string
	diags diag.Diagnostics
}

func (v *purityCheck) Visit(node *ast.Node) {
	at := func(n ast.Node) diag.Range {
		loc := n.Location()
		return v.src.SubRange(loc.From, max(loc.To, loc.From+1))
	}
	report := func(n ast.Node, name, why string) {
		v.diags = append(v.diags, diag.Diagnostic{Severity: diag.Error, Code: CodeImpure, Subject: at(n), Path: v.path,
			Summary: fmt.Sprintf("%s is not allowed in a workflow expression: it %s", name, why),
			Fix:     "use only the data (instance, prev, event, task, plan, const) and pure functions; see workflow/doc.go",
			Params:  map[string]string{"name": name}})
	}
	switch n := (*node).(type) {
	case *ast.BuiltinNode:
		if why, ok := impure[n.Name]; ok {
			report(n, n.Name+"()", why)
		}
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			if why, ok := impure[id.Value]; ok {
				report(n, id.Value+"()", why)
			}
		}
	case *ast.MemberNode:
		if n.Method {
			name := "a method call"
			if s, ok := n.Property.(*ast.StringNode); ok {
				name = "the method ." + s.Value + "()"
			}
			report(n, name, "calls a method of a value, which may read the clock or the local time zone (a time's .Local(), .Format()); call functions only")
		}
		if s, ok := n.Property.(*ast.StringNode); ok && strings.HasPrefix(s.Value, "$") {
			report(n, s.Value, "is a name the engine reserves")
		}
	case *ast.IdentifierNode:
		if strings.HasPrefix(n.Value, "$") {
			report(n, n.Value, "is a name the engine reserves")
		}
	}
}

// meterPatch rewrites, after the type check, the calls of metered
// builtins into their stand-ins and every + whose operands may be strings
// or lists into $plus, each given the meter. It reports whether it changed
// the tree (which must then be checked again).
type meterPatch struct{ changed bool }

func (p *meterPatch) Visit(node *ast.Node) {
	meterRef := func() ast.Node { return &ast.IdentifierNode{Value: "$meter"} }
	switch n := (*node).(type) {
	case *ast.BuiltinNode:
		if _, ok := metered[n.Name]; ok && n.Map == nil {
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "$" + n.Name},
				Arguments: append([]ast.Node{meterRef()}, n.Arguments...)})
			p.changed = true
		}
	case *ast.BinaryNode:
		if n.Operator != "+" || literal(n.Left) && literal(n.Right) {
			return
		}
		if t := n.Type(); t == nil || t.Kind() == reflect.Interface || t.Kind() == reflect.String || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "$plus"}, Arguments: []ast.Node{meterRef(), n.Left, n.Right}})
			p.changed = true
		}
	}
}

// literal reports a node whose value is written in the expression: + of
// two literals is folded at compile time and builds nothing at run time.
func literal(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode:
		return true
	}
	return false
}
