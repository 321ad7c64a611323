package grading

import (
	"context"
	"math"
	"math/bits"

	"github.com/expr-lang/expr/vm"
)

// bitset holds one bit per criterion: level criteria first, then the
// scope's (DefaultMaxCriteria in all).
type bitset uint64

func (b *bitset) set(i int)     { *b |= 1 << i }
func (b bitset) has(i int) bool { return b&(1<<i) != 0 }
func (b bitset) count() int     { return bits.OnesCount64(uint64(b)) }
func (b bitset) first() int {
	if b == 0 {
		return -1
	}
	return bits.TrailingZeros64(uint64(b))
}

// Result is the grade of one incident with everything needed to explain
// it. It refers to the Rules that produced it, so it stays whole even if an
// engine swaps in new rules later. It holds no heap memory of its own:
// explanations are rendered on demand.
//
// Concurrency: a Result is a value: reading it, its explanation and its JSON
// is safe from any number of goroutines; nothing changes it after Classify.
type Result struct {
	rules       *Rules
	inc         Incident
	level       int16 // index into rules.levels; -1 when no level matched
	ceiling     int16 // the most severe level unknown inputs could reach
	matched     bitset
	provisional bitset
	scope       uint64 // scope criteria matched
	scopeProv   uint64
	reach       [MaxInputs]int8 // per input: most severe level it could raise the grade to, +1; 0 = none
}

// Classify grades inc by the plan's rules: within a level any criterion
// decides it ("出现下列情况之一"); levels are tried from the most severe; the
// first level with a match is the grade, and a baseline level applies when
// none matches. Unknown inputs are taken at their least severe value, the
// criteria whose truth depends on them are marked provisional, and the
// result names the unknown inputs that could still raise the grade.
//
// Classify is safe for concurrent use. It returns an error only when ctx is
// done or when inc was built for another plan whose inputs this one lacks.
func (r *Rules) Classify(ctx context.Context, inc Incident) (res Result, err error) {
	if err := r.prepare(ctx, &inc); err != nil {
		return Result{}, err
	}
	// res is the named result, filled in place: a Result is a few hundred
	// bytes and is not copied again on return.
	res = Result{rules: r, inc: inc, level: -1, ceiling: -1}
	var min, sure, maybe bitset
	var raised uint32 // inputs with a reach recorded
	var piecesBuf [maxSegments]uint16
	pieces := piecesBuf[:]
	if len(r.segments) > len(piecesBuf) {
		pieces = make([]uint16, len(r.segments))
	}
	r.segTruth(&inc, &min, &sure, &maybe, pieces)
	if !r.flat {
		// Criteria that are not flat are evaluated as trees.
		ev := r.treeEvaluator(&inc)
		tree := func(fc *flatCrit, bit int, rank int8) {
			if fc.tree == nil {
				return
			}
			t := ev.eval(fc.tree)
			if t.min {
				min.set(bit)
			}
			if t.sure {
				sure.set(bit)
			}
			if t.maybe {
				maybe.set(bit)
			}
			if rank >= 0 && t.maybe && !t.min && t.raise != 0 {
				res.raise(t.raise, rank, &raised)
			}
		}
		for i := range r.flatCrits {
			tree(&r.flatCrits[i], i, int8(r.criteria[i].Level.Rank))
		}
		for j := range r.flatScope {
			if r.scope[j].Cond != nil {
				tree(&r.flatScope[j], len(r.criteria)+j, -1)
			}
		}
	}
	r.segRaise(&inc, min, pieces, &res, &raised)
	res.matched = min & r.levelBits
	res.provisional = res.matched &^ sure
	if c := res.matched.first(); c >= 0 {
		res.level = int16(r.criteria[c].Level.Rank)
	}
	if c := (maybe & r.levelBits).first(); c >= 0 {
		res.ceiling = int16(r.criteria[c].Level.Rank)
	}
	if res.level < 0 && r.baseline >= 0 {
		res.level = int16(r.baseline)
	}
	if res.ceiling < 0 || (res.level >= 0 && res.ceiling > res.level) {
		res.ceiling = res.level
	}
	for m := raised; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m)
		if res.reach[i] != 0 && int16(res.reach[i]-1) >= res.level && res.level >= 0 {
			res.reach[i] = 0 // cannot raise the grade above what it is
		}
	}
	for j, cr := range r.scope {
		if cr.Cond == nil {
			for _, l := range cr.Grades {
				if res.level >= 0 && int(res.level) <= l.Rank {
					res.scope |= 1 << j
					break
				}
			}
			continue
		}
		if bit := len(r.criteria) + j; min.has(bit) {
			res.scope |= 1 << j
			if !sure.has(bit) {
				res.scopeProv |= 1 << j
			}
		}
	}
	return res, nil
}

// prepare checks ctx and moves an incident built for other rules onto r's
// layout.
func (r *Rules) prepare(ctx context.Context, inc *Incident) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if inc.layout != r.layout {
		moved, err := r.remap(*inc)
		if err != nil {
			return err
		}
		*inc = moved
	}
	return nil
}

// qval is a quantity's value under the known facts: lo is its value with
// every unknown input at its least severe value, hi its greatest possible
// value, and known whether it is fully known.
type qval struct {
	lo, hi float64
	known  bool
	refs   uint32 // unknown inputs it depends on
}

func (r *Rules) quantityValue(q *Quantity, inc *Incident) qval {
	v := qval{refs: q.refs &^ inc.known}
	v.known = v.refs == 0
	if q.terms != nil {
		for _, t := range q.terms {
			v.lo += inc.vals[t]
		}
	} else {
		v.lo = r.evalFloat(q.prog, inc)
	}
	v.hi = v.lo
	if !v.known {
		switch q.Type {
		case Enum:
			v.hi = float64(len(q.Input.Values) - 1)
		case Bool:
			v.hi = 1
		default:
			v.hi = math.Inf(1)
		}
		if q.prog != nil {
			v.lo = math.Inf(-1) // nothing is known of a general expression
		}
	}
	return v
}

// truth is a condition's value in three senses: min — true with unknowns at
// their least severe value; sure — true whatever the unknowns turn out to
// be; maybe — true for some value of the unknowns. raise names the unknown
// inputs that could make a false condition true.
type truth struct {
	min, sure, maybe bool
	raise            uint32
}

type evaluator struct {
	r   *Rules
	inc *Incident
	q   []qval
}

// treeEvaluator prepares the evaluator of conditions kept as trees.
func (r *Rules) treeEvaluator(inc *Incident) evaluator {
	qv := make([]qval, len(r.quantities))
	for i, q := range r.quantities {
		qv[i] = r.quantityValue(q, inc)
	}
	return evaluator{r: r, inc: inc, q: qv}
}

func (e *evaluator) eval(c *Cond) truth {
	switch c.Op {
	case OpAtom:
		v := e.q[c.Quantity.index]
		iv := c.Interval
		t := truth{min: iv.Contains(v.lo)}
		if v.known {
			t.sure, t.maybe = t.min, t.min
			return t
		}
		t.sure = within(iv, v.lo, v.hi)
		t.maybe = overlaps(iv, v.lo, v.hi)
		if t.maybe && !t.min {
			t.raise = v.refs
		}
		return t
	case OpAny:
		var t truth
		for _, k := range c.Kids {
			kt := e.eval(k)
			t.min = t.min || kt.min
			t.sure = t.sure || kt.sure
			t.maybe = t.maybe || kt.maybe
			t.raise |= kt.raise
		}
		return t
	case OpAll:
		t := truth{min: true, sure: true, maybe: true}
		for _, k := range c.Kids {
			kt := e.eval(k)
			t.min = t.min && kt.min
			t.sure = t.sure && kt.sure
			t.maybe = t.maybe && kt.maybe
			t.raise |= kt.raise
		}
		if !t.maybe {
			t.raise = 0
		}
		return t
	case OpExpr:
		return e.exprTruth(c.prog, c.refs)
	}
	return truth{}
}

// within reports whether [lo, hi] lies inside iv; hi may be +Inf.
func within(iv Interval, lo, hi float64) bool {
	if lo < iv.Lo || (lo == iv.Lo && !iv.LoIncl) {
		return false
	}
	if math.IsInf(hi, 1) {
		return math.IsInf(iv.Hi, 1)
	}
	return hi < iv.Hi || (hi == iv.Hi && iv.HiIncl)
}

// overlaps reports whether [lo, hi] meets iv.
func overlaps(iv Interval, lo, hi float64) bool {
	if hi < iv.Lo || (hi == iv.Lo && !iv.LoIncl) {
		return false
	}
	if lo > iv.Hi || (lo == iv.Hi && !iv.HiIncl) {
		return false
	}
	return true
}

func (e *evaluator) exprTruth(prog *vm.Program, refs uint32) truth {
	ok := e.r.evalBool(prog, e.inc)
	unknown := refs &^ e.inc.known
	t := truth{min: ok, sure: ok && unknown == 0, maybe: ok || unknown != 0}
	if !ok {
		t.raise = unknown
	}
	return t
}

// env builds the expr environment of an incident: unknown inputs at their
// least severe value, derived quantities computed.
func (r *Rules) env(inc *Incident) map[string]any {
	env := make(map[string]any, len(r.quantities))
	for _, in := range r.inputs {
		if in.index < 0 {
			continue
		}
		x := inc.vals[in.index]
		switch in.Type {
		case Enum:
			env[in.ID] = in.Values[int(x)].ID
		case Bool:
			env[in.ID] = x == 1
		default:
			env[in.ID] = x
		}
	}
	for _, q := range r.quantities {
		if q.Input != nil {
			continue
		}
		if q.terms != nil {
			s := 0.0
			for _, t := range q.terms {
				s += inc.vals[t]
			}
			env[q.ID] = s
		} else {
			env[q.ID] = r.evalFloatEnv(q.prog, env)
		}
	}
	return env
}

func (r *Rules) run(prog *vm.Program, env map[string]any) (any, error) {
	machine := vm.VM{MemoryBudget: r.memoryBudget}
	return machine.Run(prog, env)
}

func (r *Rules) evalBool(prog *vm.Program, inc *Incident) bool {
	out, err := r.run(prog, r.env(inc))
	b, _ := out.(bool)
	return err == nil && b
}

func (r *Rules) evalFloat(prog *vm.Program, inc *Incident) float64 {
	return r.evalFloatEnv(prog, r.env(inc))
}

func (r *Rules) evalFloatEnv(prog *vm.Program, env map[string]any) float64 {
	out, err := r.run(prog, env)
	f, ok := out.(float64)
	if err != nil || !ok || math.IsNaN(f) {
		return 0
	}
	return f
}

// classifyExpr grades inc by running every criterion's expr program instead
// of the native evaluator. It exists to cross-check the two (the tests
// reach it through export_test.go); it marks no criterion provisional and
// names no unknowns.
func (r *Rules) classifyExpr(ctx context.Context, inc Incident) (Result, error) {
	if err := r.prepare(ctx, &inc); err != nil {
		return Result{}, err
	}
	res := Result{rules: r, inc: inc, level: -1, ceiling: -1}
	env := r.env(&inc)
	for _, cr := range r.criteria {
		out, err := r.run(cr.prog, env)
		if b, _ := out.(bool); err == nil && b {
			res.matched.set(cr.index)
			if res.level < 0 {
				res.level = int16(cr.Level.Rank)
			}
		}
	}
	if res.level < 0 && r.baseline >= 0 {
		res.level = int16(r.baseline)
	}
	res.ceiling = res.level
	return res, nil
}
