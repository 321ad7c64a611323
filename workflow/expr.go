package workflow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/internal/yamlx"
)

// The environment every workflow expression sees. Field names are the
// expr names (struct tags); doc.go lists them.

type exprCommand struct {
	Holder   string `expr:"holder"`
	FormedBy string `expr:"formedBy"`
}

type exprState struct {
	Phase       string            `expr:"phase"`
	Level       string            `expr:"level"`
	Response    string            `expr:"response"`
	Requested   string            `expr:"requested"`
	Command     exprCommand       `expr:"command"`
	Facts       map[string]any    `expr:"facts"`
	Vars        map[string]any    `expr:"vars"`
	Tasks       map[string]string `expr:"tasks"`
	Assignees   map[string]string `expr:"assignees"`
	Conditional map[string]bool   `expr:"conditional"`
	Flags       []string          `expr:"flags"`
}

type exprEvent struct {
	ID         string              `expr:"id"`
	Type       string              `expr:"type"`
	Actor      string              `expr:"actor"`
	OccurredAt string              `expr:"occurredAt"`
	Data       map[string]any      `expr:"data"`
	Missing    map[string][]string `expr:"missing"`
}

type exprTask struct {
	ID       string `expr:"id"`
	Def      string `expr:"def"`
	Assignee string `expr:"assignee"`
}

type exprPlan struct {
	ID       string `expr:"id"`
	Revision string `expr:"revision"`
	Hash     string `expr:"hash"`
}

type exprEnv struct {
	Instance exprState `expr:"instance"`
	Prev     exprState `expr:"prev"`
	Event    exprEvent `expr:"event"`
	Task     exprTask  `expr:"task"`
	Plan     exprPlan  `expr:"plan"`
}

// exprScope is what an expression may name besides the fixed environment.
type exprScope struct {
	events []*EventDef // event.data and event.missing fields: union of these
	task   bool        // task.* is bound
}

// functions are the helpers workflow expressions may call. They close over
// the definition, which is immutable.
func (d *Definition) functions() []expr.Option {
	str := func(v any) string { s, _ := v.(string); return s }
	return []expr.Option{
		expr.Function("rank", func(p ...any) (any, error) { return d.rank(str(p[0])), nil }, new(func(string) int)),
		expr.Function("response", func(p ...any) (any, error) {
			if l, ok := d.level(str(p[0])); ok {
				return l.Response.ID, nil
			}
			return "", nil
		}, new(func(string) string)),
		expr.Function("levelAbove", func(p ...any) (any, error) {
			l, ok := d.level(str(p[0]))
			if !ok || l.Rank == 0 {
				return "", nil
			}
			return d.rules.Levels()[l.Rank-1].ID, nil
		}, new(func(string) string)),
		expr.Function("acts", func(p ...any) (any, error) { return d.acts(str(p[0]), str(p[1])), nil }, new(func(string, string) bool)),
		expr.DisableBuiltin("now"),
	}
}

func (d *Definition) acts(actor, role string) bool {
	if actor == role {
		return true
	}
	if rd, ok := d.dir.(RoleResolver); ok {
		return slices.Contains(rd.Roles(actor), role)
	}
	return false
}

// compileExpr compiles src, mapping errors to the YAML file, and checks
// the names and literals expr's type checker cannot see.
func (c *compiler) compileExpr(src yamlx.String, path string, sc exprScope, asBool bool) *vm.Program {
	opts := append([]expr.Option{expr.Env(exprEnv{}), expr.MaxNodes(Defaults.MaxNodes)}, c.d.functions()...)
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(src.Value, opts...)
	if err != nil {
		at, msg := src.ExprError(err)
		c.errorf("expr", at, path, "names are instance, prev, event, task, plan and the functions rank, response, levelAbove, acts; see workflow/doc.go", "expression error: %s", msg)
		return nil
	}
	c.checkNames(prog.Node(), src, path, sc)
	return prog
}

// member returns the root identifier and property names of a chain
// a.b.c / a["b"].c, or nil.
func member(n ast.Node) []string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return []string{n.Value}
	case *ast.MemberNode:
		base := member(n.Node)
		if base == nil {
			return nil
		}
		if s, ok := n.Property.(*ast.StringNode); ok {
			return append(base, s.Value)
		}
	}
	return nil
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
		if c.d.dir != nil {
			if _, ok := c.d.dir.Actor(v); !ok {
				c.errorf("unknown-actor", at(), path, "use a unit, placeholder or group id of the orgchart."+diag.Suggest(v, c.d.dir.Actors()), "unknown actor %q", v)
			}
		}
	case "phase":
		if _, ok := c.d.phaseByID[v]; !ok {
			c.errorf("unknown-phase", at(), path, "use a phase id of this workflow."+diag.Suggest(v, c.phaseIDs()), "unknown phase %q", v)
		}
	case "level":
		if _, ok := c.d.level(v); !ok {
			c.errorf("unknown-level", at(), path, "use a level id, name or response id of grading.yaml."+diag.Suggest(v, c.levelRefs()), "unknown level %q", v)
		}
	case "event":
		if _, ok := c.d.eventByID[v]; !ok {
			c.errorf("unknown-event", at(), path, "use an event id of this workflow."+diag.Suggest(v, c.eventIDs()), "unknown event %q", v)
		}
	case "task":
		if _, ok := c.taskSpecs[strings.SplitN(v, "#", 2)[0]]; !ok {
			c.errorf("unknown-task", at(), path, "use a task id of this workflow."+diag.Suggest(v, c.taskIDs()), "unknown task %q", v)
		}
	case "value":
		if !slices.Contains(k.values, v) {
			c.errorf("unknown-value", at(), path, "use one of "+strings.Join(k.values, ", ")+"."+diag.Suggest(v, k.values), "%q is not a value of %s", v, k.field)
		}
	}
}

func (c *compiler) checkNames(root ast.Node, src yamlx.String, path string, sc exprScope) {
	report := func(n ast.Node, code, detail, format string, args ...any) {
		loc := n.Location()
		c.errorf(code, src.SubRange(loc.From, max(loc.To, loc.From+1)), path, detail, format, args...)
	}
	literals := func(k literalKind, n ast.Node) {
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
	ast.Find(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.MemberNode:
			chain := member(n)
			if len(chain) != 3 {
				break
			}
			root, prop, key := chain[0], chain[1], chain[2]
			switch {
			case root == "event" && prop == "data":
				if !slices.ContainsFunc(sc.events, func(e *EventDef) bool { _, ok := e.Field(key); return ok }) {
					report(n, "unknown-field", "declare the field under the event's data:, or correct its name."+diag.Suggest(key, fieldNames(sc.events)), "no event here has a data field %q", key)
				}
			case root == "event" && prop == "missing":
				if !slices.ContainsFunc(sc.events, func(e *EventDef) bool { f, ok := e.Field(key); return ok && f.Type == ChecklistField }) {
					report(n, "unknown-field", "event.missing names checklist fields only", "no event here has a checklist field %q", key)
				}
			case (root == "instance" || root == "prev") && prop == "vars":
				if _, ok := c.d.varByID[key]; !ok {
					report(n, "unknown-var", "declare it under vars:."+diag.Suggest(key, c.varIDs()), "unknown variable %q", key)
				}
			case (root == "instance" || root == "prev") && prop == "facts" && c.d.rules != nil:
				if _, ok := c.d.rules.Input(key); !ok {
					report(n, "unknown-input", "use an input id of grading.yaml."+diag.Suggest(key, c.inputIDs()), "unknown grading input %q", key)
				}
			case (root == "instance" || root == "prev") && prop == "tasks":
				if _, ok := c.taskSpecs[key]; !ok {
					report(n, "unknown-task", "use a task id of this workflow."+diag.Suggest(key, c.taskIDs()), "unknown task %q", key)
				}
			}
		case *ast.IdentifierNode:
			if n.Value == "task" && !sc.task {
				report(n, "unbound", "task is bound only in a task's doneBy conditions", "task is not bound here")
			}
		case *ast.BinaryNode:
			if n.Operator != "==" && n.Operator != "!=" && n.Operator != "in" {
				break
			}
			if k, ok := c.kindOf(member(n.Left), sc); ok {
				literals(k, n.Right)
			}
			if k, ok := c.kindOf(member(n.Right), sc); ok && n.Operator != "in" {
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
			}
		}
		return false
	})
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

// eval runs a program; the budget stops runaway expressions.
func eval(prog *vm.Program, env *exprEnv) (any, error) {
	machine := vm.VM{MemoryBudget: Defaults.MemoryBudget}
	return machine.Run(prog, *env)
}

func evalBool(prog *vm.Program, env *exprEnv) (bool, error) {
	if prog == nil {
		return true, nil
	}
	out, err := eval(prog, env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok && out != nil {
		return false, fmt.Errorf("the condition gave %T, not true or false", out)
	}
	return b, nil
}

func evalString(prog *vm.Program, env *exprEnv) (string, error) {
	out, err := eval(prog, env)
	if err != nil {
		return "", err
	}
	switch v := out.(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	return fmt.Sprint(out), nil
}
