package analysis

// The analysis view of a rule set: inputs as axes, criteria split into
// alternatives, and the critical values where an alternative can change.

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// space is the analysis view of one rule set: its graded inputs as axes,
// and every criterion split into the alternatives ("parts") that can
// decide it on their own.
//
// A point gives every graded input a value: a number for counts and
// amounts, the rank for enums, 0 or 1 for bools. What holds at a point,
// and the grade there, the grading package says (Rules.IncidentAt,
// Rules.Evaluate, Rules.Classify): analysis has no evaluator of its own.
type space struct {
	r      *grading.Rules
	ctx    context.Context
	inputs []*grading.Input // graded inputs (not lists), in declaration order
	pos    map[string]int   // input id → index in inputs
	yaml   map[string]int   // input id → index in grading.yaml's inputs list
	parts  []*part          // parts of level criteria, most severe level first
	scope  []*part          // parts of scope criteria that have a condition
	level  [][]*part        // parts by level rank
	// group[i] is the bitmask of inputs that share a derived quantity with
	// input i, transitively, itself included: its co-members.
	group []uint64
	// critical values of each input, from every threshold and literal that
	// reads it.
	crit [][]float64
	// err is the first failure to evaluate a point; the points are built
	// from the rules, so it means a bug, reported rather than hidden.
	err error
}

// part is one alternative of a criterion: a kid of its any:, one
// disjunct of its top-level "||" when it is an expression
// (grading.Rules.Disjuncts), or the whole condition otherwise. Within a
// level, any part that holds decides it.
type part struct {
	crit  *grading.Criterion
	level *grading.Level // nil for scope criteria
	cond  *grading.Cond
	reads uint64 // inputs it reads, directly or through quantities
	path  string // YAML path
	at    diag.Range
}

// written is the part as the plan's data writes it: the threshold of an
// atom, the expression of an expr.
func (p *part) written() string {
	switch p.cond.Op {
	case grading.OpAtom:
		return p.cond.Quantity.ID + ": " + p.cond.Written
	case grading.OpExpr:
		return p.cond.Written
	}
	return p.crit.Expr
}

// threshold is the atom's threshold as written ("10 人以上、30 人以下"), or
// the part's source.
func (p *part) threshold() string {
	if p.cond.Op == grading.OpAtom {
		return p.cond.Written
	}
	return p.written()
}

func newSpace(r *grading.Rules) (*space, error) {
	s := &space{r: r, ctx: context.Background(), pos: map[string]int{}, yaml: map[string]int{}}
	for i, in := range r.Inputs() {
		s.yaml[in.ID] = i
		if in.Type == grading.List {
			continue
		}
		s.pos[in.ID] = len(s.inputs)
		s.inputs = append(s.inputs, in)
	}
	if len(s.inputs) > 64 {
		return nil, fmt.Errorf("analysis: %d graded inputs; at most 64 can be analysed", len(s.inputs))
	}
	s.group = make([]uint64, len(s.inputs))
	for i := range s.inputs {
		s.group[i] = 1 << i
	}
	for changed := true; changed; {
		changed = false
		for _, q := range r.Quantities() {
			m := s.mask(q.InputIDs(r))
			for i := range s.inputs {
				if m&(1<<i) != 0 && s.group[i]|m != s.group[i] {
					s.group[i] |= m
					changed = true
				}
			}
		}
		for i := range s.inputs {
			for j := range s.inputs {
				if s.group[i]&(1<<j) != 0 && s.group[i]|s.group[j] != s.group[i] {
					s.group[i] |= s.group[j]
					changed = true
				}
			}
		}
	}
	s.level = make([][]*part, len(r.Levels()))
	for _, l := range r.Levels() {
		for j, cr := range l.Criteria {
			ps, err := s.partsOf(cr, fmt.Sprintf("levels[%d].criteria[%d]", l.Rank, j))
			if err != nil {
				return nil, err
			}
			s.level[l.Rank] = append(s.level[l.Rank], ps...)
			s.parts = append(s.parts, ps...)
		}
	}
	for j, cr := range r.ScopeCriteria() {
		if cr.Cond == nil {
			continue
		}
		ps, err := s.partsOf(cr, fmt.Sprintf("scope.criteria[%d]", j))
		if err != nil {
			return nil, err
		}
		s.scope = append(s.scope, ps...)
	}
	s.crit = make([][]float64, len(s.inputs))
	for _, p := range append(slices.Clone(s.parts), s.scope...) {
		s.collectCritical(p)
	}
	return s, nil
}

func (s *space) mask(ids []string) uint64 {
	var m uint64
	for _, id := range ids {
		if i, ok := s.pos[id]; ok {
			m |= 1 << i
		}
	}
	return m
}

// partsOf splits a criterion into the alternatives that decide it alone.
func (s *space) partsOf(cr *grading.Criterion, path string) ([]*part, error) {
	var out []*part
	var walk func(c *grading.Cond, path string) error
	walk = func(c *grading.Cond, path string) error {
		switch c.Op {
		case grading.OpAny:
			for i, k := range c.Kids {
				if err := walk(k, fmt.Sprintf("%s.any[%d]", path, i)); err != nil {
					return err
				}
			}
			return nil
		case grading.OpAtom:
			path += "." + c.Quantity.ID
		case grading.OpExpr:
			path += ".expr"
		}
		// An atom, an all: (the whole conjunction is one alternative), or
		// an expression, split at its top-level "||".
		alts, err := s.r.Disjuncts(c)
		if err != nil {
			return fmt.Errorf("analysis: %s: %w", cr.Clause, err)
		}
		for _, a := range alts {
			out = append(out, &part{cond: a, reads: s.mask(a.InputIDs(s.r)), path: path, at: c.At})
		}
		return nil
	}
	if err := walk(cr.Cond, path+".when"); err != nil {
		return nil, err
	}
	for _, p := range out {
		p.crit, p.level = cr, cr.Level
	}
	return out, nil
}

// collectCritical records the values of each input where p can change its
// truth: the ends of its thresholds and the numbers its expressions (and
// the quantities it reads) compare with or compute with.
func (s *space) collectCritical(p *part) {
	add := func(m uint64, v float64) {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return
		}
		for i := range s.inputs {
			if m&(1<<i) != 0 {
				s.crit[i] = append(s.crit[i], v)
			}
		}
	}
	literals := func(src string, m uint64) {
		tree, err := parser.Parse(src)
		if err != nil {
			return
		}
		ast.Find(tree.Node, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.IntegerNode:
				add(m, float64(n.Value))
			case *ast.FloatNode:
				add(m, n.Value)
			}
			return false
		})
	}
	var walk func(c *grading.Cond)
	walk = func(c *grading.Cond) {
		switch c.Op {
		case grading.OpAtom:
			m := s.mask(c.Quantity.InputIDs(s.r))
			add(m, c.Interval.Lo)
			add(m, c.Interval.Hi)
			if c.Quantity.Expr != "" {
				literals(c.Quantity.Expr, m)
			}
		case grading.OpExpr:
			literals(c.Written, s.mask(c.InputIDs(s.r)))
		}
		for _, k := range c.Kids {
			walk(k)
		}
	}
	walk(p.cond)
}
