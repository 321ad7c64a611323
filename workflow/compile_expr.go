package workflow

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// Compiling an expression of workflow.yaml: expr's type checker, then the
// names and string literals it cannot see (an unknown actor compared with
// event.actor, a variable that vars: does not declare).

// compileExpr compiles src, mapping errors to the YAML file, and checks
// the names and literals expr's type checker cannot see. An expression
// that calls what the expression policy (pure.go) forbids is reported at
// the call and not compiled.
func (c *compiler) compileExpr(src yamlx.String, path string, sc exprScope, asBool bool) *program {
	before := len(c.diags)
	purity := &purityCheck{src: src, path: path}
	prog, err := compileWith(src.Value, c.exprConfig(asBool), c.emit, purity, &nameCheck{c: c, src: src, path: path, sc: sc}, &constPatch{c: c, src: src, path: path}, viewPatch{})
	if len(purity.diags) > 0 {
		c.diags = append(c.diags[:before], purity.diags...)
		return nil
	}
	if err != nil {
		// The names of an expression that does not compile are not worth
		// reporting beside its error.
		c.diags = c.diags[:before]
		at, msg := src.ExprError(err)
		c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeExpr, Subject: at, Path: path,
			Summary: "expression error: " + msg,
			Fix:     "names are instance, prev, event, task, plan, const and the functions rank, response, levelAbove, acts, inWindow; see workflow/doc.go",
			Params:  map[string]string{"error": msg}})
		return nil
	}
	return prog
}

// exprConfig is the expr configuration of the file's expressions (of its
// conditions when asBool), built once per file and shared by all of them:
// the environment's types, the functions and the builtins are the same for
// every expression, and building them is most of compiling a short one.
// compileWith works on a copy; expr writes to a configuration only its type
// cache, which the copies share within this one compile.
func (c *compiler) exprConfig(asBool bool) *conf.Config {
	i := 0
	if asBool {
		i = 1
	}
	if c.exprConf[i] != nil {
		return c.exprConf[i]
	}
	if c.funcs == nil {
		c.funcs = c.d.functions()
	}
	opts := append([]expr.Option{expr.Env(exprEnv{}), expr.MaxNodes(c.cfg.maxNodes)}, c.funcs...)
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	config := conf.CreateNew()
	for _, op := range opts {
		op(config)
	}
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	config.Check()
	c.exprConf[i] = config
	return config
}

// errImpure stops compileWith after the visitors when the purity check
// found something; compileExpr reports the findings instead.
var errImpure = errors.New("impure expression")

// compileWith is expr.Compile with visitors walked over the tree as
// parsed, before the type checker: nameCheck sees the expression as
// written and viewPatch rewrites it, at the cost of one type check
// (expr.Patch would check the tree again before each visitor). After the
// check, meterPatch puts the metered stand-ins in place; only a tree it
// changed is checked a second time.
func compileWith(src string, base *conf.Config, emit *sync.Mutex, visitors ...ast.Visitor) (*program, error) {
	c := *base // this compile sets Expect below
	config := &c
	tree, err := parser.ParseWithConfig(src, config)
	if err != nil {
		return nil, err
	}
	for _, v := range visitors {
		ast.Walk(&tree.Node, v)
		if p, ok := v.(*purityCheck); ok && len(p.diags) > 0 {
			return nil, errImpure
		}
	}
	if _, err := checker.Check(tree, config); err != nil {
		return nil, err
	}
	mp := &meterPatch{}
	ast.Walk(&tree.Node, mp)
	if mp.changed {
		if _, err := checker.Check(tree, config); err != nil {
			return nil, err
		}
	}
	// The checker has enforced AsBool's type; the cast expr would add
	// turns a condition that gives nothing (nil) into false, and a
	// condition that cannot say must be an error (evalBool), not a "no".
	config.Expect, config.ExpectAny = reflect.Invalid, false
	if config.Optimize {
		if err := optimizer.Optimize(&tree.Node, config); err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				return nil, fe.Bind(tree.Source)
			}
			return nil, err
		}
	}
	return &program{emit: emit, tree: tree, config: config}, nil
}

// member returns the root identifier and property names of a chain
// a.b.c / a["b"].c, in buf, or nil: nil too for a chain of more than
// three names, which no check reads. (Every member node of every
// expression is asked: buf keeps the answer off the heap.)
func member(buf *[3]string, n ast.Node) []string {
	var props [2]string // the property names, last first
	k := 0
	for {
		switch m := n.(type) {
		case *ast.IdentifierNode:
			buf[0] = m.Value
			for i := range k {
				buf[1+i] = props[k-1-i]
			}
			return buf[:k+1]
		case *ast.MemberNode:
			p, ok := m.Property.(*ast.StringNode)
			if !ok || k == len(props) {
				return nil
			}
			props[k] = p.Value
			k++
			n = m.Node
		default:
			return nil
		}
	}
}

// literalKind says what a chain denotes, for checking the string
// literals it is compared with.
type literalKind struct {
	what   string   // "actor", "phase", "level", "event", "value", "task"
	values []string // for "value"
	field  string
}

func (c *compiler) kindOf(chain []string, sc exprScope) (literalKind, bool) {
	if len(chain) < 2 {
		return literalKind{}, false
	}
	root, prop := chain[0], chain[1]
	switch {
	case root == "event" && prop == "actor", root == "task" && prop == "assignee":
		return literalKind{what: "actor"}, len(chain) == 2
	case root == "event" && prop == "type":
		return literalKind{what: "event"}, len(chain) == 2
	case (root == "instance" || root == "prev") && len(chain) == 2:
		switch prop {
		case "phase":
			return literalKind{what: "phase"}, true
		case "level", "requested", "response":
			return literalKind{what: "level"}, true
		}
	case (root == "instance" || root == "prev") && prop == "command" && len(chain) == 3:
		return literalKind{what: "actor"}, true
	case (root == "instance" || root == "prev") && prop == "facts" && len(chain) == 3 && c.d.rules != nil:
		if in, ok := c.d.rules.Input(chain[2]); ok && len(in.Values) > 0 {
			vals := make([]string, len(in.Values))
			for i, v := range in.Values {
				vals[i] = v.ID
			}
			return literalKind{what: "value", values: vals, field: in.ID}, true
		}
	case root == "event" && prop == "data" && len(chain) == 3:
		for _, e := range sc.events {
			if f, ok := e.Field(chain[2]); ok {
				switch f.Type {
				case ActorField:
					return literalKind{what: "actor"}, true
				case LevelField:
					return literalKind{what: "level"}, true
				case TaskField:
					return literalKind{what: "task"}, true
				case EnumField:
					vals := make([]string, len(f.Values))
					for i, v := range f.Values {
						vals[i] = v.ID
					}
					return literalKind{what: "value", values: vals, field: f.Name}, true
				}
			}
		}
	}
	return literalKind{}, false
}

func (c *compiler) checkLiteral(k literalKind, lit *ast.StringNode, src yamlx.String, path string) {
	loc := lit.Location()
	// Mapping a rune offset back to the file is costly; do it only for an error.
	at := func() diag.Range { return src.SubRange(loc.From, max(loc.To, loc.From+1)) }
	v := lit.Value
	if v == "" { // "" means none: no holder, no level yet
		return
	}
	switch k.what {
	case "actor":
		if c.d.actors != nil {
			if _, ok := c.d.actors.Actor(v); !ok {
				c.unknownActor(at(), path, v)
			}
		}
	case "phase":
		if _, ok := c.d.phaseByID[v]; !ok {
			c.unknownPhase(at(), path, v)
		}
	case "level":
		if _, ok := c.d.level(v); !ok {
			c.unknownLevel(at(), path, v)
		}
	case "event":
		if _, ok := c.d.eventByID[v]; !ok {
			c.unknownEvent(at(), path, v)
		}
	case "task":
		if _, ok := c.taskSpecs[taskDef(v)]; !ok {
			c.unknownTask(at(), path, v)
		}
	case "value":
		if !slices.Contains(k.values, v) {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownValue, Subject: at(), Path: path,
				Summary: fmt.Sprintf("%q is not a value of %s", v, k.field),
				Fix:     "use one of " + strings.Join(k.values, ", ") + "." + diag.Suggest(v, k.values),
				Params:  map[string]string{"value": v, "field": k.field, "valid": strings.Join(k.values, ", ")}})
		}
	}
}

// nameCheck is an expr patcher that changes nothing: it checks each node
// of the tree as written.
type nameCheck struct {
	c    *compiler
	src  yamlx.String
	path string
	sc   exprScope
}

func (v *nameCheck) Visit(node *ast.Node) {
	c, src, path, sc := v.c, v.src, v.path, v.sc
	at := func(n ast.Node) diag.Range {
		loc := n.Location()
		return src.SubRange(loc.From, max(loc.To, loc.From+1))
	}
	literals := func(k literalKind, n ast.Node) {
		if b, ok := n.(*ast.BuiltinNode); ok && b.Name == "keys" && len(b.Arguments) == 1 {
			n = b.Arguments[0] // x in keys(const.table)
		}
		if kc, ok := c.constRef(n); ok {
			c.checkConstLiterals(k, kc)
			return
		}
		switch n := n.(type) {
		case *ast.StringNode:
			c.checkLiteral(k, n, src, path)
		case *ast.ArrayNode:
			for _, e := range n.Nodes {
				if s, ok := e.(*ast.StringNode); ok {
					c.checkLiteral(k, s, src, path)
				}
			}
		}
	}
	switch n := (*node).(type) {
	case *ast.MemberNode:
		var buf [3]string
		chain := member(&buf, n)
		if len(chain) == 2 && chain[0] == "event" && chain[1] == "missingLabels" {
			for _, e := range sc.events {
				e.missingLabels = true // Apply builds the labels only for the events that read them
			}
		}
		if len(chain) != 3 {
			break
		}
		root, prop, key := chain[0], chain[1], chain[2]
		switch {
		case root == "event" && prop == "data":
			if !slices.ContainsFunc(sc.events, func(e *EventDef) bool { _, ok := e.Field(key); return ok }) {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownField, Subject: at(n), Path: path,
					Summary: fmt.Sprintf("no event here has a data field %q", key),
					Fix:     "declare the field under the event's data:, or correct its name." + diag.Suggest(key, fieldNames(sc.events)),
					Params:  map[string]string{"field": key}})
			}
		case root == "event" && (prop == "missing" || prop == "missingLabels"):
			if !slices.ContainsFunc(sc.events, func(e *EventDef) bool { f, ok := e.Field(key); return ok && f.Type == ChecklistField }) {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownField, Subject: at(n), Path: path,
					Summary: fmt.Sprintf("no event here has a checklist field %q", key),
					Fix:     "event." + prop + " names checklist fields only",
					Params:  map[string]string{"field": key}})
			}
		case (root == "instance" || root == "prev") && prop == "vars":
			if _, ok := c.d.varByID[key]; !ok {
				c.unknownVar(at(n), path, key)
			}
		case (root == "instance" || root == "prev") && prop == "facts" && c.d.rules != nil:
			if _, ok := c.d.rules.Input(key); !ok {
				c.unknownInput(at(n), path, key)
			}
		case (root == "instance" || root == "prev") && (prop == "tasks" || prop == "assignees" || prop == "conditional"):
			if _, ok := c.taskSpecs[taskDef(key)]; !ok {
				c.unknownTask(at(n), path, key)
			}
		}
	case *ast.IdentifierNode:
		if n.Value == "task" && !sc.task {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnbound, Subject: at(n), Path: path,
				Summary: "task is not bound here", Fix: "task is bound only in a task's doneBy conditions"})
		}
	case *ast.BinaryNode:
		if n.Operator != "==" && n.Operator != "!=" && n.Operator != "in" {
			break
		}
		var buf [3]string
		if k, ok := c.kindOf(member(&buf, n.Left), sc); ok {
			literals(k, n.Right)
		}
		if k, ok := c.kindOf(member(&buf, n.Right), sc); ok && n.Operator != "in" {
			literals(k, n.Left)
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			break
		}
		switch id.Value {
		case "rank", "response", "levelAbove":
			if len(n.Arguments) == 1 {
				literals(literalKind{what: "level"}, n.Arguments[0])
			}
		case "acts":
			if len(n.Arguments) == 2 {
				literals(literalKind{what: "actor"}, n.Arguments[1])
			}
		case "inWindow":
			if len(n.Arguments) != 1 {
				break
			}
			lit, ok := n.Arguments[0].(*ast.StringNode)
			if !ok {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownTask, Subject: at(n), Path: path,
					Summary: "inWindow takes the id of a window task, written as text", Fix: `write inWindow("task-id")`})
				break
			}
			spec, ok := c.taskSpecs[taskDef(lit.Value)]
			switch {
			case !ok:
				c.unknownTask(at(lit), path, lit.Value)
			case spec.Window == nil:
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownTask, Subject: at(lit), Path: path,
					Summary: fmt.Sprintf("task %q is not a window", lit.Value),
					Fix:     "inWindow names a task declared with window:", Params: map[string]string{"task": lit.Value}})
			}
		}
	}
}

func fieldNames(events []*EventDef) []string {
	var out []string
	for _, e := range events {
		for _, f := range e.Data {
			if !slices.Contains(out, f.Name) {
				out = append(out, f.Name)
			}
		}
	}
	return out
}
