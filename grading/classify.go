package grading

import (
	"context"
	"math"
	"math/bits"

	"github.com/expr-lang/expr/vm"
)

type bitset [MaxCriteria / 64]uint64

func (b *bitset) set(i int)      { b[i>>6] |= 1 << (i & 63) }
func (b *bitset) has(i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }
func (b *bitset) count() (n int) {
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// Result is the grade of one incident with everything needed to explain
// it. It refers to the Rules that produced it, so it stays whole even if an
// engine swaps in new rules later. It holds no heap memory of its own:
// explanations are rendered on demand.
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
func (r *Rules) Classify(ctx context.Context, inc Incident) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if inc.layout != r.layout {
		var err error
		if inc, err = r.remap(inc); err != nil {
			return Result{}, err
		}
	}
	res := Result{rules: r, inc: inc, level: -1, ceiling: -1}
	var qv [MaxInputs * 2]qval
	qvals := qv[:0]
	if len(r.quantities) > len(qv) {
		qvals = make([]qval, 0, len(r.quantities))
	}
	for _, q := range r.quantities {
		qvals = append(qvals, r.quantityValue(q, &inc))
	}
	ev := evaluator{r: r, inc: &inc, q: qvals}
	for _, cr := range r.criteria {
		t := ev.cond(cr)
		lvl := int16(cr.Level.Rank)
		if t.min {
			res.matched.set(cr.index)
			if !t.sure {
				res.provisional.set(cr.index)
			}
			if res.level < 0 {
				res.level = lvl
			}
		}
		if t.maybe && res.ceiling < 0 {
			res.ceiling = lvl
		}
		if t.maybe && !t.min && t.raise != 0 {
			for m := t.raise; m != 0; m &= m - 1 {
				i := bits.TrailingZeros32(m)
				if res.reach[i] == 0 || res.reach[i] > int8(lvl)+1 {
					res.reach[i] = int8(lvl) + 1
				}
			}
		}
	}
	if res.level < 0 && r.baseline >= 0 {
		res.level = int16(r.baseline)
	}
	if res.ceiling < 0 || (res.level >= 0 && res.ceiling > res.level) {
		res.ceiling = res.level
	}
	for i := range res.reach {
		if res.reach[i] != 0 && int16(res.reach[i]-1) >= res.level && res.level >= 0 {
			res.reach[i] = 0 // cannot raise the grade above what it is
		}
	}
	for _, cr := range r.scope {
		if cr.Cond == nil {
			for _, l := range cr.Grades {
				if res.level >= 0 && int(res.level) <= l.Rank {
					res.scope |= 1 << cr.index
					break
				}
			}
			continue
		}
		t := ev.cond(cr)
		if t.min {
			res.scope |= 1 << cr.index
			if !t.sure {
				res.scopeProv |= 1 << cr.index
			}
		}
	}
	return res, nil
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

func (e *evaluator) cond(cr *Criterion) truth { return e.eval(cr.Cond) }

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
	machine := vm.VM{MemoryBudget: Defaults.MemoryBudget}
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

// ClassifyExpr grades inc by running every criterion's expr program instead
// of the native evaluator. It exists to cross-check the two; it marks no
// criterion provisional and names no unknowns.
func (r *Rules) ClassifyExpr(ctx context.Context, inc Incident) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if inc.layout != r.layout {
		var err error
		if inc, err = r.remap(inc); err != nil {
			return Result{}, err
		}
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
