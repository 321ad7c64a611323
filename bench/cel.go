package bench

import (
	"fmt"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/interpreter"
	"github.com/yingji/yingji/grading"
)

// CEL is the plan's grading as one cel-go program that computes the bit
// mask of the criteria that hold: one evaluation per incident, which is the
// best case for cel-go (one program per criterion costs one evaluation
// each).
type CEL struct {
	Source string
	prg    cel.Program
	vars   map[string]int // input id → index in an activation
	inputs []*grading.Input
	bits   *bits
}

// CELSource renders r's criteria as one CEL expression: counts and amounts
// are doubles, enums their rank as an int, bools bools; a derived quantity
// is written out as its expression.
func CELSource(r *grading.Rules) (string, error) {
	s := syntax{
		name: func(q *grading.Quantity) string {
			if q.Expr != "" {
				return "(" + q.Expr + ")"
			}
			return q.ID
		},
		float:  floatLit,
		or:     "||",
		and:    "&&",
		enumEq: func(name string, rank int) string { return fmt.Sprintf("%s == %d", name, rank) },
	}
	var terms []string
	add := func(cr *grading.Criterion, bit int) error {
		e, err := s.cond(cr.Cond)
		if err != nil {
			return err
		}
		terms = append(terms, fmt.Sprintf("(%s ? %d : 0)", e, uint64(1)<<bit))
		return nil
	}
	for i, cr := range r.Criteria() {
		if err := add(cr, i); err != nil {
			return "", err
		}
	}
	for i, cr := range r.ScopeCriteria() {
		if cr.Cond != nil {
			if err := add(cr, 32+i); err != nil {
				return "", err
			}
		}
	}
	return strings.Join(terms, " +\n") + "\n", nil
}

// NewCEL compiles r into a cel-go program.
func NewCEL(r *grading.Rules) (*CEL, error) {
	src, err := CELSource(r)
	if err != nil {
		return nil, err
	}
	b, err := newBits(r)
	if err != nil {
		return nil, err
	}
	c := &CEL{Source: src, vars: map[string]int{}, bits: b}
	var opts []cel.EnvOption
	for _, in := range r.Inputs() {
		if in.Context {
			continue
		}
		t := cel.DoubleType
		switch in.Type {
		case grading.Enum:
			t = cel.IntType
		case grading.Bool:
			t = cel.BoolType
		}
		c.vars[in.ID] = len(c.inputs)
		c.inputs = append(c.inputs, in)
		opts = append(opts, cel.Variable(in.ID, t))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	if ast.OutputType() != cel.IntType {
		return nil, fmt.Errorf("bench: the CEL program returns %v, not int", ast.OutputType())
	}
	c.prg, err = env.Program(ast, cel.EvalOptions(cel.OptOptimize))
	return c, err
}

// Activation is an incident prepared for cel-go: every input's value
// already converted to a CEL value (unknown inputs at their least severe
// value), looked up by name.
type Activation struct {
	vars map[string]int
	vals []ref.Val
}

// ResolveName implements interpreter.Activation.
func (a *Activation) ResolveName(name string) (any, bool) {
	i, ok := a.vars[name]
	if !ok {
		return nil, false
	}
	return a.vals[i], true
}

// Parent implements interpreter.Activation.
func (a *Activation) Parent() interpreter.Activation { return nil }

// Prepare converts a case into an activation.
func (c *CEL) Prepare(k Case) *Activation {
	a := &Activation{vars: c.vars, vals: make([]ref.Val, len(c.inputs))}
	for i, in := range c.inputs {
		v, known := k[in.ID]
		switch in.Type {
		case grading.Enum:
			rank := 0
			if known {
				rank, _ = in.Rank(v.(string))
			}
			a.vals[i] = types.Int(rank)
		case grading.Bool:
			a.vals[i] = types.Bool(known && v.(bool))
		default:
			x := 0.0
			switch v := v.(type) {
			case int64:
				x = float64(v)
			case float64:
				x = v
			}
			a.vals[i] = types.Double(x)
		}
	}
	return a
}

// Grade evaluates the program for a prepared incident.
func (c *CEL) Grade(a *Activation) Outcome {
	out, _, err := c.prg.Eval(a)
	if err != nil {
		panic(err)
	}
	return c.bits.outcome(uint64(out.(types.Int)))
}
