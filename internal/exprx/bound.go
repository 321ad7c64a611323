package exprx

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/expr-lang/expr/ast"
)

// The static bound. expr's VM counts what it allocates against the
// memory budget, but not always before it allocates: a range or an array
// is counted first, while repeat, replace, join, toJSON, a string
// concatenation and the like are made first and counted after, or never —
// so len(repeat(repeat("a", 99999), 1000000)) asks for 100 GB before the
// budget is looked at. bound walks the compiled tree with an upper bound
// on the size of every value and charges each such allocation, times the
// iterations of the loops around it; an expression whose charge can pass
// the budget is refused at load.
//
// Sizes are in expr's units: a byte of a string, an element of an array
// or a map. Every size is finite — what expr counts at run time is below
// the budget, or the evaluation fails — so the bound is a plain
// saturating sum and product.

const inf = int64(1) << 62

func sadd(a, b int64) int64 { return min(a+b, inf) }

func smul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= inf/b {
		return inf
	}
	return a * b
}

// val bounds a value.
type val struct {
	size int64  // bytes of a string, elements of a collection; 0 for a scalar
	elem int64  // the size of each element of a collection
	coll bool   // may be a collection
	k    *int64 // the value, when it is a known integer
}

func scalar() val { return val{} }

func (v val) element() val { return val{size: v.elem, elem: v.elem, coll: true} }

type loopScope struct{ elem, acc val }

type analyzer struct {
	lim          Limits
	budget       int64
	alloc, steps int64
	err          *Error
	loops        []loopScope
	vars         map[string]val
}

// bound checks the compiled tree of an expression against lim.
func bound(root ast.Node, lim Limits) *Error {
	a := &analyzer{lim: lim, budget: int64(lim.MemoryBudget), vars: map[string]val{}}
	a.eval(root)
	return a.err
}

// count writes n with thousands separators, or "unbounded".
func count(n int64) string {
	if n >= inf {
		return "more than 4,611,686,018,427,387,904"
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// charge records an allocation of units that the VM does not count
// before it happens, made by fn at node n.
func (a *analyzer) charge(n ast.Node, fn string, units int64, what string) {
	a.alloc = sadd(a.alloc, units)
	if a.err != nil || a.alloc <= a.budget {
		return
	}
	loc := n.Location()
	a.err = &Error{Kind: KindOverBudget, From: loc.From, To: max(loc.To, loc.From+len([]rune(fn))), Func: fn,
		Message: fmt.Sprintf("%s can %s: up to %s units of memory in one evaluation, over the memory budget of %s", fn, what, count(a.alloc), count(a.budget)),
		Fix:     "compare the facts directly; an expression that builds large strings or lists cannot be evaluated within the budget",
		Params:  map[string]string{"function": fn, "units": strconv.FormatInt(a.alloc, 10), "budget": strconv.FormatInt(a.budget, 10)}}
}

// typed bounds a value of type t that comes from outside the expression:
// the environment, a method or a function the caller declared.
func (a *analyzer) typed(t reflect.Type) val {
	envString, envElems := int64(a.lim.MaxEnvString), int64(a.lim.MaxEnvElems)
	if t == nil {
		return val{size: max(envString, envElems), elem: envString, coll: true}
	}
	switch t.Kind() {
	case reflect.String:
		return val{size: envString}
	case reflect.Slice, reflect.Array, reflect.Map:
		return val{size: envElems, elem: envString, coll: true}
	case reflect.Interface:
		return val{size: max(envString, envElems), elem: envString, coll: true}
	}
	return scalar()
}

func isNumber(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return true
	}
	return false
}

// sub evaluates n on its own counters and returns what it allocated and
// the steps it took, leaving the analyzer's counters as they were.
func (a *analyzer) sub(n ast.Node, scope *loopScope) (v val, alloc, steps int64) {
	savedA, savedS := a.alloc, a.steps
	a.alloc, a.steps = 0, 0
	if scope != nil {
		a.loops = append(a.loops, *scope)
	}
	v = a.eval(n)
	if scope != nil {
		a.loops = a.loops[:len(a.loops)-1]
	}
	alloc, steps = a.alloc, a.steps
	a.alloc, a.steps = savedA, savedS
	return v, alloc, steps
}

func (a *analyzer) eval(n ast.Node) val {
	if n == nil || a.err != nil {
		return scalar()
	}
	switch n := n.(type) {
	case *ast.NilNode, *ast.BoolNode, *ast.FloatNode:
		return scalar()
	case *ast.IntegerNode:
		k := int64(n.Value)
		return val{k: &k}
	case *ast.StringNode:
		return val{size: int64(len(n.Value))}
	case *ast.BytesNode:
		return val{size: int64(len(n.Value))}
	case *ast.ConstantNode:
		return constant(n.Value)
	case *ast.IdentifierNode:
		if v, ok := a.vars[n.Value]; ok {
			return v
		}
		return a.typed(n.Type())
	case *ast.PointerNode:
		if len(a.loops) == 0 {
			return a.typed(n.Type())
		}
		top := a.loops[len(a.loops)-1]
		switch n.Name {
		case "":
			return top.elem
		case "acc":
			return top.acc
		}
		return scalar()
	case *ast.UnaryNode:
		v := a.eval(n.Node)
		if n.Operator == "-" && v.k != nil {
			k := -*v.k
			return val{k: &k}
		}
		return scalar()
	case *ast.BinaryNode:
		return a.binary(n)
	case *ast.ChainNode:
		return a.eval(n.Node)
	case *ast.MemberNode:
		base := a.eval(n.Node)
		a.eval(n.Property)
		if base.coll && base.elem > 0 {
			return base.element()
		}
		return a.typed(n.Type())
	case *ast.SliceNode:
		base := a.eval(n.Node)
		a.eval(n.From)
		a.eval(n.To)
		return base // a slice shares its base
	case *ast.CallNode:
		a.eval(n.Callee)
		for _, arg := range n.Arguments {
			a.eval(arg)
		}
		return a.typed(n.Type())
	case *ast.BuiltinNode:
		return a.builtin(n)
	case *ast.PredicateNode:
		return a.eval(n.Node)
	case *ast.ConditionalNode:
		a.eval(n.Cond)
		v1, a1, s1 := a.sub(n.Exp1, nil)
		v2, a2, s2 := a.sub(n.Exp2, nil)
		a.alloc, a.steps = sadd(a.alloc, max(a1, a2)), sadd(a.steps, max(s1, s2))
		if a.alloc > a.budget {
			a.charge(n, "?:", 0, "allocate too much")
		}
		return join(v1, v2)
	case *ast.VariableDeclaratorNode:
		v := a.eval(n.Value)
		old, had := a.vars[n.Name]
		a.vars[n.Name] = v
		out := a.eval(n.Expr)
		if had {
			a.vars[n.Name] = old
		} else {
			delete(a.vars, n.Name)
		}
		return out
	case *ast.SequenceNode:
		var v val
		for _, k := range n.Nodes {
			v = a.eval(k)
		}
		return v
	case *ast.ArrayNode:
		// expr counts an array literal before it makes it.
		v := val{size: int64(len(n.Nodes)), coll: true}
		for _, k := range n.Nodes {
			e := a.eval(k)
			v.elem = max(v.elem, e.size, e.elem)
		}
		return v
	case *ast.MapNode:
		v := val{size: int64(len(n.Pairs)), coll: true}
		for _, p := range n.Pairs {
			e := a.eval(p)
			v.elem = max(v.elem, e.size, e.elem)
		}
		return v
	case *ast.PairNode:
		a.eval(n.Key)
		return a.eval(n.Value)
	}
	// A node kind this package does not know: refuse rather than guess.
	loc := n.Location()
	a.err = &Error{Kind: KindOverBudget, From: loc.From, To: max(loc.To, loc.From+1),
		Message: fmt.Sprintf("this expression uses a construct (%T) whose cost cannot be bounded", n),
		Fix:     "write the condition with comparisons, arithmetic and the pure functions",
		Params:  map[string]string{"node": fmt.Sprintf("%T", n)}}
	return scalar()
}

func join(a, b val) val {
	return val{size: max(a.size, b.size), elem: max(a.elem, b.elem), coll: a.coll || b.coll}
}

func constant(x any) val {
	switch x := x.(type) {
	case int:
		k := int64(x)
		return val{k: &k}
	case string:
		return val{size: int64(len(x))}
	}
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		out := val{size: int64(v.Len()), coll: true}
		if v.Kind() != reflect.Map {
			for i := range v.Len() {
				e := constant(v.Index(i).Interface())
				out.elem = max(out.elem, e.size, e.elem)
			}
		}
		return out
	case reflect.String:
		return val{size: int64(v.Len())}
	}
	return scalar()
}

func (a *analyzer) binary(n *ast.BinaryNode) val {
	l, r := a.eval(n.Left), a.eval(n.Right)
	switch n.Operator {
	case "+":
		if isNumber(n.Left.Type()) && isNumber(n.Right.Type()) {
			if l.k != nil && r.k != nil {
				k := *l.k + *r.k
				return val{k: &k}
			}
			return scalar()
		}
		if l.coll || r.coll {
			// Only strings and numbers add; anything else fails at run
			// time, but a string may hide behind an unknown type.
			l.size, r.size = max(l.size, l.elem), max(r.size, r.elem)
		}
		v := val{size: sadd(l.size, r.size)}
		a.charge(n, "+", v.size, fmt.Sprintf("join strings of up to %s bytes", count(v.size)))
		return v
	case "..":
		// expr counts a range before it makes it; a range of constants
		// past the budget would fail on every evaluation, so it is
		// refused here.
		if l.k != nil && r.k != nil {
			size := max(*r.k-*l.k+1, 0)
			if size >= a.budget && a.err == nil {
				loc := n.Location()
				a.err = &Error{Kind: KindOverBudget, From: loc.From, To: max(loc.To, loc.From+2), Func: "..",
					Message: fmt.Sprintf("the range %d..%d has %s elements, over the memory budget of %s: it could never be evaluated", *l.k, *r.k, count(size), count(a.budget)),
					Fix:     "compare with the bounds instead: x >= lo && x <= hi",
					Params:  map[string]string{"function": "..", "units": strconv.FormatInt(size, 10), "budget": strconv.FormatInt(a.budget, 10)}}
			}
			return val{size: size, coll: true}
		}
		return val{size: a.budget, coll: true}
	case "matches":
		if _, ok := n.Right.(*ast.StringNode); !ok {
			// A pattern built at run time is compiled on every evaluation.
			a.charge(n, "matches", smul(r.size, 16), "compile a pattern of up to "+count(r.size)+" bytes")
		}
	}
	return scalar()
}

// loops are the builtins that run their second argument, a predicate,
// once per element of their first.
var loops = map[string]bool{
	"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true, "count": true, "sum": true,
	"find": true, "findIndex": true, "findLast": true, "findLastIndex": true, "groupBy": true, "sortBy": true, "reduce": true,
}

// scalars are the builtins whose result is a number, a bool, a duration
// or a short string (type) and that allocate nothing in proportion to
// their arguments.
var scalars = map[string]bool{
	"len": true, "type": true, "abs": true, "ceil": true, "floor": true, "round": true, "int": true, "float": true,
	"indexOf": true, "lastIndexOf": true, "hasPrefix": true, "hasSuffix": true, "max": true, "min": true,
	"mean": true, "median": true, "duration": true,
	"bitand": true, "bitor": true, "bitxor": true, "bitnand": true, "bitnot": true, "bitshl": true, "bitshr": true, "bitushr": true,
}

func (a *analyzer) builtin(n *ast.BuiltinNode) val {
	name := n.Name
	if loops[name] {
		return a.loop(n)
	}
	args := make([]val, len(n.Arguments))
	for i, k := range n.Arguments {
		args[i] = a.eval(k)
	}
	arg := func(i int) val {
		if i < len(args) {
			return args[i]
		}
		return scalar()
	}
	if scalars[name] {
		return scalar()
	}
	s := arg(0)
	flat := max(s.size, smul(s.size, max(s.elem, 1))) // a value's bytes or elements, nested ones included
	switch name {
	case "first", "last", "get":
		if s.coll {
			return s.element()
		}
		return a.typed(n.Type())
	case "trim", "trimPrefix", "trimSuffix":
		return val{size: s.size}
	case "string":
		if isNumber(n.Arguments[0].Type()) {
			return val{size: 32}
		}
		v := val{size: sadd(smul(flat, 32), 2)}
		a.charge(n, name, v.size, "write a string of up to "+count(v.size)+" bytes")
		return v
	case "upper", "lower":
		v := val{size: smul(s.size, 3)}
		a.charge(n, name, v.size, "write a string of up to "+count(v.size)+" bytes")
		return v
	case "split", "splitAfter":
		v := val{size: sadd(s.size, 1), elem: s.size, coll: true}
		a.charge(n, name, v.size, "make a list of up to "+count(v.size)+" strings")
		return v
	case "replace":
		v := val{size: sadd(s.size, smul(sadd(s.size, 1), arg(2).size))}
		a.charge(n, name, v.size, "make a string of up to "+count(v.size)+" bytes")
		return v
	case "repeat":
		times := int64(1_000_000) // expr's own cap on the count
		if k := arg(1).k; k != nil {
			times = max(*k, 0)
		}
		v := val{size: smul(s.size, times)}
		a.charge(n, name, v.size, "make a string of up to "+count(v.size)+" bytes")
		return v
	case "join":
		v := val{size: smul(s.size, sadd(s.elem, arg(1).size))}
		a.charge(n, name, v.size, "make a string of up to "+count(v.size)+" bytes")
		return v
	case "toJSON":
		v := val{size: sadd(smul(flat, 32), 2)}
		a.charge(n, name, v.size, "write up to "+count(v.size)+" bytes of JSON")
		return v
	case "fromJSON":
		v := val{size: s.size, elem: s.size, coll: true}
		a.charge(n, name, smul(s.size, 4), "read up to "+count(s.size)+" values")
		return v
	case "toBase64":
		v := val{size: sadd(smul(s.size, 2), 4)}
		a.charge(n, name, v.size, "write up to "+count(v.size)+" bytes")
		return v
	case "fromBase64":
		v := val{size: s.size}
		a.charge(n, name, v.size, "write up to "+count(v.size)+" bytes")
		return v
	case "keys", "values", "toPairs", "fromPairs", "sort", "reverse", "uniq", "take":
		v := val{size: s.size, elem: s.elem, coll: true}
		a.charge(n, name, v.size, "make a list of up to "+count(v.size)+" elements")
		return v
	case "concat":
		v := val{coll: true}
		for _, x := range args {
			v.size = sadd(v.size, x.size)
			v.elem = max(v.elem, x.elem)
		}
		a.charge(n, name, v.size, "make a list of up to "+count(v.size)+" elements")
		return v
	case "flatten":
		v := val{size: flat, elem: s.elem, coll: true}
		a.charge(n, name, v.size, "make a list of up to "+count(v.size)+" elements")
		return v
	}
	// A builtin this package does not know (a newer expr): refuse rather
	// than guess its cost.
	loc := n.Location()
	a.err = &Error{Kind: KindImpure, From: loc.From, To: max(loc.To, loc.From+len([]rune(name))), Func: name,
		Message: fmt.Sprintf("%s is not a function this version of yingji knows to be pure and bounded", name),
		Fix:     "write the condition with comparisons, arithmetic and the pure functions",
		Params:  map[string]string{"function": name}}
	return scalar()
}

func (a *analyzer) loop(n *ast.BuiltinNode) val {
	name := n.Name
	if len(n.Arguments) == 0 {
		return scalar()
	}
	coll := a.eval(n.Arguments[0])
	elems := coll.size
	scope := loopScope{elem: coll.element()}
	if name == "reduce" && len(n.Arguments) > 2 {
		scope.acc = a.eval(n.Arguments[2])
	} else {
		scope.acc = coll.element()
	}
	var body val
	var alloc, steps int64
	if len(n.Arguments) > 1 {
		body, alloc, steps = a.sub(n.Arguments[1], &scope)
	}
	if a.err != nil {
		return scalar()
	}
	if name == "reduce" && alloc > 0 {
		loc := n.Location()
		a.err = &Error{Kind: KindOverBudget, From: loc.From, To: max(loc.To, loc.From+len(name)), Func: name,
			Message: "reduce builds a value that can grow with every element, so what it allocates cannot be bounded",
			Fix:     "use sum, count, any or all instead",
			Params:  map[string]string{"function": name}}
		return scalar()
	}
	a.steps = sadd(a.steps, smul(elems, sadd(steps, 1)))
	if a.steps > int64(a.lim.MaxSteps) && a.err == nil {
		loc := n.Location()
		a.err = &Error{Kind: KindOverBudget, From: loc.From, To: max(loc.To, loc.From+len(name)), Func: name,
			Message: fmt.Sprintf("%s can take up to %s steps in one evaluation (up to %s elements, each taking %s); the limit is %s", name, count(a.steps), count(elems), count(sadd(steps, 1)), count(int64(a.lim.MaxSteps))),
			Fix:     "loop over fewer elements, or do not nest loops",
			Params:  map[string]string{"function": name, "steps": strconv.FormatInt(a.steps, 10), "max": strconv.FormatUint(uint64(a.lim.MaxSteps), 10)}}
		return scalar()
	}
	if alloc > 0 {
		a.charge(n, name, smul(elems, alloc), fmt.Sprintf("repeat an allocation of up to %s units for each of up to %s elements", count(alloc), count(elems)))
	}
	switch name {
	case "map":
		return val{size: elems, elem: max(body.size, body.elem), coll: true}
	case "filter", "sortBy":
		return val{size: elems, elem: coll.elem, coll: true}
	case "groupBy":
		return val{size: elems, elem: elems, coll: true}
	case "find", "findLast":
		return coll.element()
	case "reduce":
		return join(scope.acc, body)
	}
	return scalar()
}
