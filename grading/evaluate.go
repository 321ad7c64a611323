package grading

import (
	"fmt"
	"math"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/yingji/yingji/internal/yamlx"
)

// This file is the hook through which analysis (lint, diff, boundary
// cases) asks the grading semantics about one point of the input space at
// a time, instead of keeping a copy of them: IncidentAt makes the
// incident at a point, Evaluate and Holds say whether a condition holds
// there, Classify gives the grade, and Disjuncts splits an expression into
// the alternatives analysis looks at one by one.

// IncidentAt returns the incident at a point of r's input space. pt gives
// every graded input — Inputs without the lists, in declaration order — a
// value: the number for a count or an amount, the rank for an enum (least
// severe 0), 0 or 1 for a bool; the incident knows them all.
//
// Unlike Set, IncidentAt does not hold numbers to what an incident may
// report (whole counts, at most 10^15), so that analysis can probe any
// point between and beyond the thresholds; it is an error only when pt
// has the wrong length, or a number is NaN, or an enum rank or a bool is
// not one of its values.
func (r *Rules) IncidentAt(pt []float64) (Incident, error) {
	inc := r.NewIncident()
	if n := r.graded(); len(pt) != n {
		return Incident{}, &InputError{Code: CodeEvalBadPoint, Field: "(point)", Value: fmt.Sprint(len(pt), " values"), Message: fmt.Sprintf("a point gives a value to each of the %d graded inputs", n),
			Params: map[string]string{"values": fmt.Sprint(len(pt)), "inputs": fmt.Sprint(n)}}
	}
	for _, in := range r.inputs {
		if in.index < 0 {
			continue
		}
		x := pt[in.index] // the graded inputs are indexed in declaration order
		bad := math.IsNaN(x)
		switch in.Type {
		case Enum:
			bad = bad || x < 0 || x >= float64(len(in.Values)) || x != math.Trunc(x)
		case Bool:
			bad = bad || (x != 0 && x != 1)
		}
		if bad {
			return Incident{}, &InputError{Code: CodeEvalBadPoint, Field: in.ID, Value: fmt.Sprint(x), Message: "is not a point of the input's values",
				Params: map[string]string{"field": in.ID, "value": fmt.Sprint(x)}}
		}
		inc.setVal(in.index, x)
		inc.known |= 1 << in.index
	}
	return inc, nil
}

// graded is the number of graded inputs: those that are not lists.
func (r *Rules) graded() int {
	n := 0
	for _, in := range r.inputs {
		if in.index >= 0 {
			n++
		}
	}
	return n
}

// Evaluation is one incident made ready for asking, condition by
// condition, what Classify makes of it. Its derived quantities are
// computed once, when it is made.
//
// An Evaluation is owned by its caller and is not safe for concurrent
// use; the Rules it was made by may be shared.
type Evaluation struct {
	inc Incident
	ev  evaluator
	err error
}

// Evaluate makes inc ready for Holds. An incident built for other rules
// is moved onto r's inputs by id, as Classify does; it is an error when r
// lacks one of its inputs or enum values.
func (r *Rules) Evaluate(inc Incident) (*Evaluation, error) {
	if inc.layout != r.layout {
		moved, err := r.remap(inc)
		if err != nil {
			return nil, err
		}
		inc = moved
	}
	e := &Evaluation{inc: inc}
	e.ev = r.treeEvaluator(&e.inc, &e.err)
	return e, nil
}

// Holds reports whether condition c holds for the incident in the sense
// in which Classify decides a grade: inputs the incident leaves unknown
// are taken at their least severe value (and a derived quantity that is
// not a sum of inputs is unknown while any of its inputs is). At a point
// made by IncidentAt, where every input is known, it is plainly whether c
// holds.
//
// A condition that could not be evaluated at this point (see EvalError)
// reads as false here; Check says so instead.
//
// c must belong to the Rules the Evaluation was made by: a criterion's
// Cond, a condition under it, or one of its Disjuncts.
func (e *Evaluation) Holds(c *Cond) bool {
	ok, _ := e.Check(c)
	return ok
}

// Check is Holds with the evaluation failure, if any: an error that
// unwraps to what failed (an expression over the memory budget, a derived
// quantity that is 0/0). Classify returns such a failure as an
// *EvalError rather than a grade.
func (e *Evaluation) Check(c *Cond) (bool, error) {
	e.err = nil
	t := e.ev.eval(c)
	if e.err != nil {
		return false, e.err
	}
	return t.min, nil
}

// Disjuncts splits an expression condition at its top-level "||" (or
// "or") into conditions of their own, each an OpExpr compiled in the rule
// set's environment like every expression of grading.yaml (the same
// inputs and quantities, atLeast, the same limits) and positioned at c.
// Any one of them holding makes c hold: they are the alternatives of c,
// as the kids of an any: are. A condition that is not an expression, or
// an expression with no top-level "||", comes back alone.
//
// Disjuncts is safe for concurrent use; each call compiles afresh.
func (r *Rules) Disjuncts(c *Cond) ([]*Cond, error) {
	if c.Op != OpExpr {
		return []*Cond{c}, nil
	}
	tree, err := parser.Parse(c.Written)
	if err != nil {
		return nil, fmt.Errorf("grading: %s: %w", c.Written, err)
	}
	nodes := disjuncts(tree.Node)
	if len(nodes) == 1 {
		return []*Cond{c}, nil
	}
	cp := r.exprCompiler()
	out := make([]*Cond, 0, len(nodes))
	for _, n := range nodes {
		src := n.String()
		prog, _, ok := cp.compileExpr(yamlx.String{Value: src}, "", false, expr.AsBool())
		if !ok {
			return nil, fmt.Errorf("grading: the alternative %q of %q: %s", src, c.Written, cp.diags[len(cp.diags)-1].Summary)
		}
		out = append(out, &Cond{Op: OpExpr, Written: src, At: c.At, prog: prog, refs: cp.refsOf(n)})
	}
	return out, nil
}

// disjuncts splits an expression at its top-level "or".
func disjuncts(n ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "||" || b.Operator == "or") {
		return append(disjuncts(b.Left), disjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

// exprCompiler is a compiler for more expressions over the compiled rules:
// the environment is that of an incident (every input and quantity with a
// value of its type), and atLeast ranks the rules' enum values.
func (r *Rules) exprCompiler() *compiler {
	// The environment's values only give the names their types; a
	// quantity that fails at the zero incident still has its type.
	env, _ := r.env(&Incident{})
	c := &compiler{r: r, cfg: config{conv: r.conv, maxNodes: r.maxNodes, memoryBudget: r.memoryBudget, maxExprLen: r.maxExprLen}, env: env, enumRank: map[string]int{}, ambiguous: map[string]bool{}}
	for _, in := range r.inputs {
		for j, v := range in.Values {
			if rk, ok := c.enumRank[v.ID]; ok && rk != j {
				c.ambiguous[v.ID] = true
			}
			c.enumRank[v.ID] = j
		}
	}
	return c
}
