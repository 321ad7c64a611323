package workflow

import (
	"fmt"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
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
	if rd, ok := d.actors.(RoleResolver); ok {
		return slices.Contains(rd.Roles(actor), role)
	}
	return false
}

// eval runs a program; the budget stops runaway expressions.
func eval(prog *vm.Program, env *exprEnv, budget uint) (any, error) {
	machine := vm.VM{MemoryBudget: budget}
	return machine.Run(prog, *env)
}

func evalBool(prog *vm.Program, env *exprEnv, budget uint) (bool, error) {
	if prog == nil {
		return true, nil
	}
	out, err := eval(prog, env, budget)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok && out != nil {
		return false, fmt.Errorf("the condition gave %T, not true or false", out)
	}
	return b, nil
}

func evalString(prog *vm.Program, env *exprEnv, budget uint) (string, error) {
	out, err := eval(prog, env, budget)
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
