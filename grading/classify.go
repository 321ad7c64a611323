package grading

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/internal/exprx"
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
// Classify is safe for concurrent use. It returns an error when ctx is
// done, when inc was built for another plan whose inputs this one lacks,
// or when a criterion, or a derived quantity it reads, could not be
// evaluated for inc (an *EvalError): a criterion that cannot be evaluated
// never counts as not holding, since that could lower the grade.
func (r *Rules) Classify(ctx context.Context, inc Incident) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if inc.layout != r.layout {
		moved, err := r.remap(inc)
		if err != nil {
			return Result{}, err
		}
		inc = moved
	}
	// The result is put together once, at the end, from locals: a Result
	// is a few hundred bytes, and is neither zeroed nor copied twice.
	var reach [MaxInputs]int8
	var raised uint32 // inputs with a reach recorded by the trees
	var pieces [maxSegments]uint16
	min, sure, maybe, unk := r.segTruth(&inc, &pieces)
	if !r.flat {
		var err error
		if min, sure, maybe, err = r.treeTruth(&inc, min, sure, maybe, &reach, &raised); err != nil {
			return Result{}, err
		}
	}
	matched := min & r.levelBits
	level, ceiling := int16(-1), int16(-1)
	if c := matched.first(); c >= 0 {
		level = int16(r.critRank[c%64])
	} else if r.baseline >= 0 {
		level = int16(r.baseline)
	}
	if c := (maybe & r.levelBits).first(); c >= 0 {
		ceiling = int16(r.critRank[c%64])
	}
	if ceiling < 0 || (level >= 0 && ceiling > level) {
		ceiling = level
	}
	r.segRaise(&inc, min, unk, &pieces, &reach, level)
	if level >= 0 {
		// What the trees recorded before the grade was known.
		for m := raised; m != 0; m &= m - 1 {
			i := bits.TrailingZeros32(m) % MaxInputs
			if int16(reach[i]-1) >= level {
				reach[i] = 0 // cannot raise the grade above what it is
			}
		}
	}
	n := uint(len(r.criteria))
	return Result{
		rules:       r,
		inc:         inc,
		level:       level,
		ceiling:     ceiling,
		matched:     matched,
		provisional: matched &^ sure,
		scope:       r.scopeByLevel[level+1] | uint64(min>>n)&r.scopeCond,
		scopeProv:   uint64((min&^sure)>>n) & r.scopeCond,
		reach:       reach,
	}, nil
}

// treeTruth evaluates the criteria that are not flat as trees, adding to
// the truths of the flat ones; unknown inputs that could make one hold
// are recorded in reach and raised.
func (r *Rules) treeTruth(inc *Incident, min, sure, maybe bitset, reach *[MaxInputs]int8, raised *uint32) (bitset, bitset, bitset, error) {
	// The failure is kept apart from the evaluator, which points at the
	// incident: escape analysis would otherwise move the incident to the
	// heap on every call, the native path's too.
	var evalErr error
	ev := r.treeEvaluator(inc, &evalErr)
	tree := func(fc *flatCrit, bit int, rank int8) {
		if fc.tree == nil {
			return
		}
		t := ev.eval(fc.tree)
		if evalErr != nil {
			return
		}
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
			raise(reach, t.raise, rank, raised)
		}
	}
	for i := range r.flatCrits {
		if tree(&r.flatCrits[i], i, r.critRank[i]); evalErr != nil {
			return 0, 0, 0, newEvalError(r.criteria[i], evalErr)
		}
	}
	for j := range r.flatScope {
		if r.scope[j].Cond == nil {
			continue
		}
		if tree(&r.flatScope[j], len(r.criteria)+j, -1); evalErr != nil {
			return 0, 0, 0, newEvalError(r.scope[j], evalErr)
		}
	}
	return min, sure, maybe, nil
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

// quantityValue is q's value under the known facts, and why a derived
// quantity whose inputs are all known could not be evaluated.
func (r *Rules) quantityValue(q *Quantity, inc *Incident) (qval, error) {
	var failed error
	v := qval{refs: q.refs &^ inc.known}
	v.known = v.refs == 0
	if q.terms != nil {
		for i, t := range q.terms {
			if i == 0 {
				v.lo = inc.val(t)
			} else {
				v.lo = addDown(v.lo, inc.val(t)) // as the compact index sums
			}
		}
	} else if v.known {
		env, err := r.env(inc)
		if err == nil {
			v.lo, err = r.evalFloat(q, env)
		}
		failed = err
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
	return v, failed
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
	// qerr is why each derived quantity could not be evaluated; nil when
	// none failed.
	qerr []error
	// err receives the first evaluation failure since it was last
	// cleared: a condition that could not be evaluated is an error, never
	// false.
	err *error
}

// fail records an evaluation failure.
func (e *evaluator) fail(err error) {
	if e.err != nil && *e.err == nil {
		*e.err = err
	}
}

// treeEvaluator prepares the evaluator of conditions kept as trees; the
// first evaluation failure goes to *errp.
func (r *Rules) treeEvaluator(inc *Incident, errp *error) evaluator {
	qv := make([]qval, len(r.quantities))
	var qerr []error
	for i, q := range r.quantities {
		var err error
		if qv[i], err = r.quantityValue(q, inc); err != nil {
			if qerr == nil {
				qerr = make([]error, len(r.quantities))
			}
			qerr[i] = err
		}
	}
	return evaluator{r: r, inc: inc, q: qv, qerr: qerr, err: errp}
}

func (e *evaluator) eval(c *Cond) truth {
	switch c.Op {
	case OpAtom:
		v := e.q[c.Quantity.index]
		if e.qerr != nil && e.qerr[c.Quantity.index] != nil {
			e.fail(e.qerr[c.Quantity.index])
		}
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
	ok, err := e.r.evalBool(prog, e.inc)
	if err != nil {
		e.fail(err)
	}
	unknown := refs &^ e.inc.known
	t := truth{min: ok, sure: ok && unknown == 0, maybe: ok || unknown != 0}
	if !ok {
		t.raise = unknown
	}
	return t
}

// env builds the expr environment of an incident: unknown inputs at their
// least severe value, derived quantities computed. It fails when a derived
// quantity cannot be evaluated.
func (r *Rules) env(inc *Incident) (map[string]any, error) {
	env := make(map[string]any, len(r.quantities))
	for _, in := range r.inputs {
		if in.index < 0 {
			continue
		}
		x := inc.val(in.index)
		switch in.Type {
		case Enum:
			env[in.ID] = in.Values[int(x)].ID
		case Bool:
			env[in.ID] = x == 1
		default:
			env[in.ID] = x
		}
	}
	var first error
	for _, q := range r.quantities {
		if q.Input != nil {
			continue
		}
		if q.terms != nil {
			s := 0.0
			for i, t := range q.terms {
				if i == 0 {
					s = inc.val(t)
				} else {
					s = addDown(s, inc.val(t))
				}
			}
			env[q.ID] = s
			continue
		}
		f, err := r.evalFloat(q, env)
		if err != nil && first == nil {
			first = err
		}
		env[q.ID] = f
	}
	return env, first
}

// exprFailure is the message of an expr evaluation error without expr's
// snippet of the source, which the caller places itself.
func exprFailure(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

func (r *Rules) evalBool(prog *vm.Program, inc *Incident) (bool, error) {
	env, err := r.env(inc)
	if err != nil {
		return false, err
	}
	out, err := exprx.Run(prog, env, r.memoryBudget)
	if err != nil {
		return false, errors.New(exprFailure(err))
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("the expression gave %T, not a bool", out)
	}
	return b, nil
}

// evalFloat evaluates derived quantity q in env. A quantity that is NaN or
// infinite (0/0, x/0) cannot be compared with a threshold: that is an
// error too.
func (r *Rules) evalFloat(q *Quantity, env map[string]any) (float64, error) {
	out, err := exprx.Run(q.prog, env, r.memoryBudget)
	if err != nil {
		return 0, &quantityError{q: q.ID, msg: exprFailure(err)}
	}
	f, ok := out.(float64)
	switch {
	case !ok:
		return 0, &quantityError{q: q.ID, msg: fmt.Sprintf("it gave %T, not a number", out)}
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0, &quantityError{q: q.ID, msg: fmt.Sprintf("it is %v, which no threshold can be compared with", f)}
	}
	return f, nil
}

// quantityError is why a derived quantity could not be evaluated.
type quantityError struct{ q, msg string }

func (e *quantityError) Error() string { return "quantity " + e.q + ": " + e.msg }

// classifyExpr grades inc by running every criterion's expr program instead
// of the native evaluator. It exists to cross-check the two (the tests
// reach it through export_test.go); it marks no criterion provisional and
// names no unknowns.
func (r *Rules) classifyExpr(ctx context.Context, inc Incident) (Result, error) {
	if err := r.prepare(ctx, &inc); err != nil {
		return Result{}, err
	}
	res := Result{rules: r, inc: inc, level: -1, ceiling: -1}
	env, envErr := r.env(&inc)
	for _, cr := range r.criteria {
		if envErr != nil {
			return Result{}, newEvalError(cr, envErr)
		}
		out, err := exprx.Run(cr.prog, env, r.memoryBudget)
		if err != nil {
			return Result{}, newEvalError(cr, errors.New(exprFailure(err)))
		}
		if b, _ := out.(bool); b {
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
