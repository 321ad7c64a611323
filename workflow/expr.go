package workflow

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/yingji/yingji/internal/exprx"
)

// The environment every workflow expression sees. Field names are the
// expr names (struct tags); doc.go lists them.

type exprCommand struct {
	Holder   string `expr:"holder"`
	FormedBy string `expr:"formedBy"`
}

// exprState is instance and prev. Their tasks, assignees and conditional
// maps are not built: viewPatch rewrites every use into a call that looks
// the task up in the store through View, so that the view costs nothing
// however many tasks an instance has opened.
type exprState struct {
	Phase     string         `expr:"phase"`
	Level     string         `expr:"level"`
	Response  string         `expr:"response"`
	Requested string         `expr:"requested"`
	Command   exprCommand    `expr:"command"`
	Facts     map[string]any `expr:"facts"`
	Vars      map[string]any `expr:"vars"`
	Flags     []string       `expr:"flags"`
	View      *taskView      `expr:"$view"`
}

type exprEvent struct {
	ID         string              `expr:"id"`
	Type       string              `expr:"type"`
	Actor      string              `expr:"actor"`
	OccurredAt string              `expr:"occurredAt"`
	Data       map[string]any      `expr:"data"`
	Missing    map[string][]string `expr:"missing"`
	// MissingLabels are the labels of the missing items (their ids where
	// they have none), for notes people read.
	MissingLabels map[string][]string `expr:"missingLabels"`
}

// exprTask is task: the task a trigger, doneBy, covers, period or late
// note is evaluated for.
type exprTask struct {
	ID       string `expr:"id"`
	Def      string `expr:"def"`
	Assignee string `expr:"assignee"`
	// Due is the deadline or the window's end (RFC 3339, in the offset of
	// the period's clock); Start the time its period counts from; Days
	// its length in calendar days (0 for a duration); LastDay the last
	// day it includes (2006-01-02), which for days ends at 24:00.
	Due     string `expr:"due"`
	Start   string `expr:"start"`
	Days    int    `expr:"days"`
	LastDay string `expr:"lastDay"`
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
	// Const is never read: const.<id> is replaced by the constant's value
	// at compile time. It is declared so that an unknown id is reported
	// by the constant check, not as an unknown name.
	Const map[string]any `expr:"const"`
	// Meter counts what the metered functions build in one evaluation.
	Meter *meter `expr:"$meter"`
}

// exprScope is what an expression may name besides the fixed environment.
type exprScope struct {
	events []*EventDef // event.data, event.missing and event.missingLabels fields: union of these
	task   bool        // task.* is bound
}

// functions are the helpers workflow expressions may call. They close over
// the definition, which is immutable.
func (d *Definition) functions() []expr.Option {
	str := func(v any) string { s, _ := v.(string); return s }
	return append([]expr.Option{
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
		expr.Function("inWindow", func(p ...any) (any, error) { return nil, errors.New("inWindow is rewritten at compile time") }, new(func(string) bool)),
	}, slices.Concat(exprx.Options(), viewFunctions(), meteredFunctions())...)
}

func (d *Definition) acts(actor, role string) bool {
	if actor == role {
		return true
	}
	if rd, ok := d.actors.(RoleResolver); ok {
		return slices.Contains(rd.Roles(actor), role)
	}
	return false
}

// viewPatch rewrites the task views of instance and prev, which exprState
// does not hold as maps: instance.tasks[K] becomes $task(instance.$view,
// K), and likewise assignees and conditional; a view used whole
// (len(instance.tasks)) becomes $tasksOf(instance.$view), a map built on
// the spot. ast.Walk visits a node after its children, so the whole view
// is rewritten first and an index of it second.
type viewPatch struct{}

var viewFuncs = map[string]string{"tasks": "$task", "assignees": "$assignee", "conditional": "$conditional"}

func (viewPatch) Visit(node *ast.Node) {
	if call, ok := (*node).(*ast.CallNode); ok {
		// inWindow(K) asks the live view whether the event falls in
		// window K: $inWindow(instance.$view, K).
		if id, ok := call.Callee.(*ast.IdentifierNode); ok && id.Value == "inWindow" && len(call.Arguments) == 1 {
			ref := &ast.MemberNode{Node: &ast.IdentifierNode{Value: "instance"}, Property: &ast.StringNode{Value: "$view"}}
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: "$inWindow"}, Arguments: []ast.Node{ref, call.Arguments[0]}})
		}
		return
	}
	m, ok := (*node).(*ast.MemberNode)
	if !ok || m.Method {
		return
	}
	if root, ok := m.Node.(*ast.IdentifierNode); ok && (root.Value == "instance" || root.Value == "prev") {
		if prop, ok := m.Property.(*ast.StringNode); ok && viewFuncs[prop.Value] != "" {
			ref := &ast.MemberNode{Node: &ast.IdentifierNode{Value: root.Value}, Property: &ast.StringNode{Value: "$view"}}
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: viewFuncs[prop.Value] + "sOf"}, Arguments: []ast.Node{ref}})
		}
		return
	}
	if call, ok := m.Node.(*ast.CallNode); ok && !m.Optional {
		if id, ok := call.Callee.(*ast.IdentifierNode); ok && strings.HasSuffix(id.Value, "sOf") && strings.HasPrefix(id.Value, "$") {
			ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: strings.TrimSuffix(id.Value, "sOf")},
				Arguments: []ast.Node{call.Arguments[0], m.Property}})
		}
	}
}

// viewFunctions look tasks up for the rewritten views.
func viewFunctions() []expr.Option {
	view := func(p []any) *taskView { v, _ := p[0].(*taskView); return v }
	key := func(p []any) string { s, _ := p[1].(string); return s }
	return []expr.Option{
		expr.Function("$task", func(p ...any) (any, error) { return view(p).state(key(p)), nil }, new(func(*taskView, any) string)),
		expr.Function("$assignee", func(p ...any) (any, error) { return view(p).assignee(key(p)), nil }, new(func(*taskView, any) string)),
		expr.Function("$conditional", func(p ...any) (any, error) { return view(p).conditional(key(p)), nil }, new(func(*taskView, any) bool)),
		expr.Function("$inWindow", func(p ...any) (any, error) { return view(p).inWindow(key(p)), nil }, new(func(*taskView, any) bool)),
		expr.Function("$tasksOf", func(p ...any) (any, error) { return view(p).all().tasks, nil }, new(func(*taskView) map[string]string)),
		expr.Function("$assigneesOf", func(p ...any) (any, error) { return view(p).all().assignees, nil }, new(func(*taskView) map[string]string)),
		expr.Function("$conditionalsOf", func(p ...any) (any, error) { return view(p).all().conditional, nil }, new(func(*taskView) map[string]bool)),
	}
}

// run evaluates a program with the meter reset: the memory budget holds
// for every evaluation, and an evaluation that fails is an error the
// caller turns into a rejection.
func (a *applier) run(p *program) (any, error) {
	prog, err := p.get()
	if err != nil {
		return nil, err
	}
	a.meter = meter{limit: mulSat(int(a.d.memoryBudget), budgetBytesPerUnit)}
	a.env.Meter = &a.meter
	return a.machine.Run(prog, &a.env)
}

// evalBool runs a condition; a nil program holds. A condition that gives
// no value (nil) is an error, never "does not hold".
func (a *applier) evalBool(prog *program) (bool, error) {
	if prog == nil {
		return true, nil
	}
	out, err := a.run(prog)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("the condition gave %s, not true or false", describe(out))
	}
	return b, nil
}

func describe(v any) string {
	if v == nil {
		return "nothing (nil)"
	}
	return fmt.Sprintf("%T", v)
}

// evalString runs a program that names something: a level, a task, an
// actor.
func (a *applier) evalString(prog *program) (string, error) {
	out, err := a.run(prog)
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

// eval runs a program that gives a value (facts:, set:).
func (a *applier) eval(prog *program) (any, error) { return a.run(prog) }
