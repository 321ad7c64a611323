package analysis

import (
	"fmt"
	"math"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// space is the analysis view of one rule set: its graded inputs as axes,
// every criterion split into the alternatives ("parts") that can decide it
// on their own, and an evaluator for points of the input space.
//
// A point gives every graded input a value: a number for counts and
// amounts, the rank for enums, 0 or 1 for bools. Evaluation is native for
// interval atoms and sums of inputs; expr conditions and derived quantities
// that are not sums are run with expr, in the same environment the grading
// package gives them.
type space struct {
	r      *grading.Rules
	inputs []*grading.Input // graded inputs (not lists), in declaration order
	pos    map[string]int   // input id → index in inputs
	yaml   map[string]int   // input id → index in grading.yaml's inputs list
	quant  map[*grading.Quantity]*quantFn
	parts  []*part   // parts of level criteria, most severe level first
	scope  []*part   // parts of scope criteria that have a condition
	level  [][]*part // parts by level rank
	progs  map[*grading.Cond]*vm.Program
	// group[i] is the bitmask of inputs that share a derived quantity with
	// input i, transitively, itself included: its co-members.
	group []uint64
	// critical values of each input, from every threshold and literal that
	// reads it.
	crit      [][]float64
	ranks     map[string]int
	ambiguous map[string]bool
}

// quantFn evaluates a derived quantity: natively when it is a sum of
// inputs, else with its expr program.
type quantFn struct {
	terms []int
	prog  *vm.Program
}

// part is one alternative of a criterion: a kid of its any:, one
// disjunct of its top-level "||" when it is an expression, or the whole
// condition otherwise. Within a level, any part that holds decides it.
type part struct {
	crit  *grading.Criterion
	level *grading.Level // nil for scope criteria
	cond  *grading.Cond  // nil when the part is a disjunct split out of an expression
	prog  *vm.Program    // the split disjunct
	src   string         // the split disjunct's source
	reads uint64         // inputs it reads, directly or through quantities
	path  string         // YAML path
	at    diag.Range
}

// written is the part as the plan's data writes it: the threshold of an
// atom, the expression of an expr.
func (p *part) written() string {
	switch {
	case p.cond == nil:
		return p.src
	case p.cond.Op == grading.OpAtom:
		return p.cond.Quantity.ID + ": " + p.cond.Written
	case p.cond.Op == grading.OpExpr:
		return p.cond.Written
	}
	return p.crit.Expr
}

// threshold is the atom's threshold as written ("10 人以上、30 人以下"), or
// the part's source.
func (p *part) threshold() string {
	if p.cond != nil && p.cond.Op == grading.OpAtom {
		return p.cond.Written
	}
	return p.written()
}

func newSpace(r *grading.Rules) (*space, error) {
	s := &space{r: r, pos: map[string]int{}, yaml: map[string]int{}, quant: map[*grading.Quantity]*quantFn{},
		progs: map[*grading.Cond]*vm.Program{}, ranks: map[string]int{}, ambiguous: map[string]bool{}}
	for i, in := range r.Inputs() {
		s.yaml[in.ID] = i
		if in.Type == grading.List {
			continue
		}
		s.pos[in.ID] = len(s.inputs)
		s.inputs = append(s.inputs, in)
		for j, v := range in.Values {
			if rk, ok := s.ranks[v.ID]; ok && rk != j {
				s.ambiguous[v.ID] = true
			}
			s.ranks[v.ID] = j
		}
	}
	if len(s.inputs) > 64 {
		return nil, fmt.Errorf("analysis: %d graded inputs; at most 64 can be analysed", len(s.inputs))
	}
	for _, q := range r.Quantities() {
		if q.Input != nil {
			continue
		}
		fn, err := s.compileQuantity(q)
		if err != nil {
			return nil, err
		}
		s.quant[q] = fn
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

// readsOf is the set of inputs an expression node reads.
func (s *space) readsOf(n ast.Node) uint64 {
	var m uint64
	ast.Find(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.IdentifierNode); ok {
			if i, ok := s.pos[id.Value]; ok {
				m |= 1 << i
			} else if q, ok := s.r.Quantity(id.Value); ok {
				m |= s.mask(q.InputIDs(s.r))
			}
		}
		return false
	})
	return m
}

func (s *space) compileQuantity(q *grading.Quantity) (*quantFn, error) {
	tree, err := parser.Parse(q.Expr)
	if err != nil {
		return nil, fmt.Errorf("analysis: quantity %s: %w", q.ID, err)
	}
	if terms := s.sumTerms(tree.Node); terms != nil {
		return &quantFn{terms: terms}, nil
	}
	prog, err := s.compile(q.Expr, expr.AsFloat64())
	if err != nil {
		return nil, fmt.Errorf("analysis: quantity %s: %w", q.ID, err)
	}
	return &quantFn{prog: prog}, nil
}

func (s *space) sumTerms(n ast.Node) []int {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if i, ok := s.pos[n.Value]; ok && (s.inputs[i].Type == grading.Count || s.inputs[i].Type == grading.Amount) {
			return []int{i}
		}
	case *ast.BinaryNode:
		if n.Operator == "+" {
			l, r := s.sumTerms(n.Left), s.sumTerms(n.Right)
			if l != nil && r != nil {
				return append(l, r...)
			}
		}
	}
	return nil
}

// compile compiles src in the environment the grading package gives
// expressions, with the same limits.
func (s *space) compile(src string, opts ...expr.Option) (*vm.Program, error) {
	options := append([]expr.Option{
		expr.Env(s.envTemplate()),
		expr.MaxNodes(grading.DefaultMaxNodes),
		expr.Function("atLeast", s.atLeast, new(func(string, string) bool)),
	}, opts...)
	return expr.Compile(src, options...)
}

func (s *space) envTemplate() map[string]any {
	env := map[string]any{}
	for _, in := range s.inputs {
		switch in.Type {
		case grading.Enum:
			env[in.ID] = ""
		case grading.Bool:
			env[in.ID] = false
		default:
			env[in.ID] = 0.0
		}
	}
	for q := range s.quant {
		env[q.ID] = 0.0
	}
	return env
}

// atLeast ranks enum values the way the grading package does: by a value
// id's position in its enum.
func (s *space) atLeast(params ...any) (any, error) {
	x, _ := params[0].(string)
	v, _ := params[1].(string)
	if s.ambiguous[x] || s.ambiguous[v] {
		return nil, fmt.Errorf("atLeast: %q or %q ranks differently in two enums", x, v)
	}
	rx, ok1 := s.ranks[x]
	rv, ok2 := s.ranks[v]
	if !ok1 || !ok2 {
		return false, nil
	}
	return rx >= rv, nil
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
			out = append(out, &part{cond: c, reads: s.mask(c.InputIDs(s.r)), path: path + "." + c.Quantity.ID, at: c.At})
			return nil
		case grading.OpExpr:
			prog, err := s.compile(c.Written, expr.AsBool())
			if err != nil {
				return fmt.Errorf("analysis: %s: %w", cr.Clause, err)
			}
			s.progs[c] = prog
			tree, err := parser.Parse(c.Written)
			if err != nil {
				return fmt.Errorf("analysis: %s: %w", cr.Clause, err)
			}
			alts := disjuncts(tree.Node)
			if len(alts) == 1 {
				out = append(out, &part{cond: c, reads: s.mask(c.InputIDs(s.r)), path: path + ".expr", at: c.At})
				return nil
			}
			for _, a := range alts {
				src := a.String()
				prog, err := s.compile(src, expr.AsBool())
				if err != nil {
					return fmt.Errorf("analysis: %s: %q: %w", cr.Clause, src, err)
				}
				out = append(out, &part{prog: prog, src: src, reads: s.readsOf(a), path: path + ".expr", at: c.At})
			}
			return nil
		}
		// all: the whole conjunction is one alternative; compile any
		// expressions inside it.
		if err := s.compileInner(c, cr); err != nil {
			return err
		}
		out = append(out, &part{cond: c, reads: s.mask(c.InputIDs(s.r)), path: path, at: c.At})
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

func (s *space) compileInner(c *grading.Cond, cr *grading.Criterion) error {
	if c.Op == grading.OpExpr {
		prog, err := s.compile(c.Written, expr.AsBool())
		if err != nil {
			return fmt.Errorf("analysis: %s: %w", cr.Clause, err)
		}
		s.progs[c] = prog
	}
	for _, k := range c.Kids {
		if err := s.compileInner(k, cr); err != nil {
			return err
		}
	}
	return nil
}

// disjuncts splits an expression at its top-level "or".
func disjuncts(n ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "||" || b.Operator == "or") {
		return append(disjuncts(b.Left), disjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

// collectCritical records the values of each input where p can change its
// truth: the ends of its thresholds and the numbers its expressions
// compare with.
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
	if p.cond == nil {
		literals(p.src, p.reads)
		return
	}
	var walk func(c *grading.Cond)
	walk = func(c *grading.Cond) {
		switch c.Op {
		case grading.OpAtom:
			m := s.mask(c.Quantity.InputIDs(s.r))
			add(m, c.Interval.Lo)
			add(m, c.Interval.Hi)
			if c.Quantity.Expr != "" && s.quant[c.Quantity].prog != nil {
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

// point is a value for every graded input.
type point []float64

// least is the point with every input at its least severe value.
func (s *space) least() point { return make(point, len(s.inputs)) }

// evaluation holds the derived values of one point, computed on demand.
type evaluation struct {
	s   *space
	pt  point
	q   map[*grading.Quantity]float64
	env map[string]any
}

func (s *space) at(pt point) *evaluation { return &evaluation{s: s, pt: pt} }

func (e *evaluation) quantity(q *grading.Quantity) float64 {
	if q.Input != nil {
		return e.pt[e.s.pos[q.Input.ID]]
	}
	if v, ok := e.q[q]; ok {
		return v
	}
	fn := e.s.quant[q]
	v := 0.0
	if fn.terms != nil {
		for _, t := range fn.terms {
			v += e.pt[t]
		}
	} else {
		v = e.runFloat(fn.prog)
	}
	if e.q == nil {
		e.q = map[*grading.Quantity]float64{}
	}
	e.q[q] = v
	return v
}

func (e *evaluation) environment() map[string]any {
	if e.env != nil {
		return e.env
	}
	env := map[string]any{}
	for i, in := range e.s.inputs {
		x := e.pt[i]
		switch in.Type {
		case grading.Enum:
			env[in.ID] = in.Values[int(x)].ID
		case grading.Bool:
			env[in.ID] = x == 1
		default:
			env[in.ID] = x
		}
	}
	e.env = env
	for _, q := range e.s.r.Quantities() {
		if q.Input == nil {
			env[q.ID] = e.quantity(q)
		}
	}
	return env
}

func (e *evaluation) runFloat(prog *vm.Program) float64 {
	machine := vm.VM{MemoryBudget: grading.DefaultMemoryBudget}
	out, err := machine.Run(prog, e.environment())
	f, ok := out.(float64)
	if err != nil || !ok || math.IsNaN(f) {
		return 0
	}
	return f
}

func (e *evaluation) runBool(prog *vm.Program) bool {
	machine := vm.VM{MemoryBudget: grading.DefaultMemoryBudget}
	out, err := machine.Run(prog, e.environment())
	b, _ := out.(bool)
	return err == nil && b
}

func (e *evaluation) cond(c *grading.Cond) bool {
	switch c.Op {
	case grading.OpAtom:
		return c.Interval.Contains(e.quantity(c.Quantity))
	case grading.OpAny:
		for _, k := range c.Kids {
			if e.cond(k) {
				return true
			}
		}
		return false
	case grading.OpAll:
		for _, k := range c.Kids {
			if !e.cond(k) {
				return false
			}
		}
		return true
	case grading.OpExpr:
		return e.runBool(e.s.progs[c])
	}
	return false
}

func (e *evaluation) holds(p *part) bool {
	if p.cond == nil {
		return e.runBool(p.prog)
	}
	return e.cond(p.cond)
}

// grade is the rank of the level the point grades to: the most severe
// level with a part that holds, else the baseline; -1 when there is none.
func (e *evaluation) grade() int {
	for rank, ps := range e.s.level {
		for _, p := range ps {
			if e.holds(p) {
				return rank
			}
		}
	}
	for _, l := range e.s.r.Levels() {
		if l.Baseline {
			return l.Rank
		}
	}
	return -1
}

// cell is a set of values of one input on which every part's truth is
// the same: a single value, or the values strictly between two critical
// ones. Counts take whole numbers only, so a count cell is [lo, hi] of
// whole numbers.
type cell struct {
	iv  grading.Interval
	rep float64 // the value the cell is evaluated at, and shown as an example
}

// axis cuts an input's values into cells at its critical values (and any
// extra ones, for comparing two rule sets). The first cell is always the
// least severe value alone.
func axis(in *grading.Input, critical []float64) []cell {
	switch in.Type {
	case grading.Enum:
		out := make([]cell, len(in.Values))
		for i := range in.Values {
			out[i] = pointCell(float64(i))
		}
		return out
	case grading.Bool:
		return []cell{pointCell(0), pointCell(1)}
	}
	vals := []float64{0}
	for _, v := range critical {
		if in.Type == grading.Count {
			for _, w := range []float64{math.Floor(v), math.Ceil(v)} {
				if w >= 0 {
					vals = append(vals, w)
				}
			}
		} else if v >= 0 {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	var out []cell
	for i, v := range vals {
		out = append(out, pointCell(v))
		next := math.Inf(1)
		if i+1 < len(vals) {
			next = vals[i+1]
		}
		if in.Type == grading.Count {
			if next-v >= 2 {
				iv := grading.Interval{Lo: v + 1, LoIncl: true, Hi: next - 1, HiIncl: true}
				if math.IsInf(next, 1) {
					iv.Hi, iv.HiIncl = next, false
				}
				out = append(out, cell{iv: iv, rep: v + 1})
			}
			continue
		}
		rep := v + 1
		if next-v < 2 {
			rep = v + (next-v)/2
		}
		out = append(out, cell{iv: grading.Interval{Lo: v, Hi: next}, rep: rep})
	}
	return out
}

func pointCell(v float64) cell {
	return cell{iv: grading.Interval{Lo: v, Hi: v, LoIncl: true, HiIncl: true}, rep: v}
}

// join is the interval covering cells a through b, in order.
func join(a, b cell) grading.Interval {
	return grading.Interval{Lo: a.iv.Lo, LoIncl: a.iv.LoIncl, Hi: b.iv.Hi, HiIncl: b.iv.HiIncl}
}

// axisOf is the axis of input i in this rule set.
func (s *space) axisOf(i int) []cell { return axis(s.inputs[i], s.crit[i]) }

// levelsRead reports whether some level criterion reads input i.
func (s *space) levelsRead(i int) bool {
	for _, p := range s.parts {
		if p.reads&(1<<i) != 0 {
			return true
		}
	}
	return false
}

// value renders the value of input in at x as an incident gives it.
func value(in *grading.Input, x float64) any {
	switch in.Type {
	case grading.Enum:
		return in.Values[int(x)].ID
	case grading.Bool:
		return x == 1
	}
	if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
		return int64(x)
	}
	return x
}
